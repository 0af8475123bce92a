// SPDX-License-Identifier: GPL-2.0
/*
 * test_lib_wrap.c - the ioctl wrappers with open() and ioctl() replaced
 * by cmocka mocks (linked with -Wl,--wrap=open,--wrap=ioctl): what the
 * library asks of the kernel, and how it reports what comes back.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "libseccomp_pin.h"

int __wrap_open(const char *path, int flags, ...);
int __wrap_ioctl(int fd, unsigned long cmd, ...);

/* open(): checks path and flags, then returns fd or fails with errno. */
int __wrap_open(const char *path, int flags, ...)
{
	int ret;

	check_expected(path);
	check_expected(flags);
	ret = mock_type(int);
	if (ret < 0) {
		errno = mock_type(int);
		return -1;
	}
	return ret;
}

/*
 * ioctl(): checks fd and cmd, hands the argument to a per-test callback
 * (which may inspect and fill it), then returns 0 or fails with errno.
 */
typedef void (*ioctl_cb)(void *arg);

int __wrap_ioctl(int fd, unsigned long cmd, ...)
{
	ioctl_cb cb;
	va_list ap;
	void *arg;
	int err;

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	check_expected(fd);
	check_expected(cmd);
	cb = mock_ptr_type(ioctl_cb);
	if (cb)
		cb(arg);
	err = mock_type(int);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

static void expect_ioctl(int fd, unsigned long cmd, ioctl_cb cb, int err)
{
	expect_value(__wrap_ioctl, fd, fd);
	expect_value(__wrap_ioctl, cmd, cmd);
	will_return(__wrap_ioctl, cb);
	will_return(__wrap_ioctl, err);
}

static void expect_open(int ret, int err)
{
	expect_string(__wrap_open, path, "/dev/seccomp_pin");
	expect_value(__wrap_open, flags, O_RDWR | O_CLOEXEC);
	will_return(__wrap_open, ret);
	if (ret < 0)
		will_return(__wrap_open, err);
}

static void test_open_uses_device_rdwr_cloexec(void **state)
{
	(void)state;
	expect_open(7, 0);
	assert_int_equal(seccomp_pin_open(), 7);
}

static void test_open_missing_device_is_enoent(void **state)
{
	(void)state;
	expect_open(-1, ENOENT);
	assert_int_equal(seccomp_pin_open(), -ENOENT);
	assert_int_equal(errno, ENOENT);
}

static void test_open_driverless_node_is_enxio(void **state)
{
	(void)state;
	expect_open(-1, ENXIO);
	assert_int_equal(seccomp_pin_open(), -ENXIO);
	assert_int_equal(errno, ENXIO);
}

static void fill_info(void *arg)
{
	struct seccomp_pin_info *info = arg;

	assert_non_null(info);
	info->abi_version = SECCOMP_PIN_ABI_VERSION;
	info->live_pins = 3;
	info->max_user_bytes = 9;
}

static void test_info_issues_info_ioctl_and_copies_out(void **state)
{
	struct seccomp_pin_info info;

	(void)state;
	memset(&info, 0xff, sizeof(info));
	expect_ioctl(5, SECCOMP_PIN_IOC_INFO, fill_info, 0);
	assert_int_equal(seccomp_pin_info(5, &info), 0);
	assert_int_equal(info.abi_version, SECCOMP_PIN_ABI_VERSION);
	assert_int_equal(info.live_pins, 3);
	assert_int_equal(info.kinds, 0);
	assert_int_equal(info.max_user_bytes, 9);
}

static void test_info_failure_is_negative_errno_and_untouched(void **state)
{
	struct seccomp_pin_info info;

	(void)state;
	memset(&info, 0x5a, sizeof(info));
	expect_ioctl(5, SECCOMP_PIN_IOC_INFO, fill_info, ENOTTY);
	assert_int_equal(seccomp_pin_info(5, &info), -ENOTTY);
	assert_int_equal(errno, ENOTTY);
	assert_int_equal(info.abi_version, 0x5a5a5a5a);
}

static struct seccomp_notif_pin_args sample_pin(void)
{
	struct seccomp_notif_pin_args pin;

	memset(&pin, 0, sizeof(pin));
	pin.id = 0x1122334455667788ULL;
	pin.nr_args = 2;
	pin.buf_size = 4096;
	pin.buf = 0xdead000;
	pin.args[0].arg_idx = 1;
	pin.args[0].kind = SECCOMP_PIN_CSTRING;
	pin.args[0].max_bytes = 256;
	pin.args[1].arg_idx = 2;
	pin.args[1].kind = SECCOMP_PIN_CSTRING_ARRAY;
	pin.args[1].max_bytes = 1024;
	pin.args[1].max_entries = 8;
	return pin;
}

static void check_and_fill_request(void *arg)
{
	struct seccomp_pin_request *req = arg;
	struct seccomp_notif_pin_args want = sample_pin();

	assert_int_equal(req->listener_fd, 9);
	assert_int_equal(req->flags, 0);
	assert_memory_equal(&req->pin, &want, sizeof(want));
	req->pin.args[0].actual_size = 17;
	req->pin.args[0].user_addr = 0x7000;
	req->pin.args[1].buf_offset = 24;
	req->pin.args[1].actual_entries = 3;
}

static void test_args_builds_request_and_copies_outputs(void **state)
{
	struct seccomp_notif_pin_args pin = sample_pin();

	(void)state;
	expect_ioctl(4, SECCOMP_PIN_IOC_PIN_ARGS, check_and_fill_request, 0);
	assert_int_equal(seccomp_pin_args(4, 9, &pin), 0);
	assert_int_equal(pin.args[0].actual_size, 17);
	assert_int_equal(pin.args[0].user_addr, 0x7000);
	assert_int_equal(pin.args[1].buf_offset, 24);
	assert_int_equal(pin.args[1].actual_entries, 3);
	assert_int_equal(pin.id, 0x1122334455667788ULL);
}

static void test_args_failure_leaves_pin_untouched(void **state)
{
	struct seccomp_notif_pin_args pin = sample_pin();
	struct seccomp_notif_pin_args orig = pin;

	(void)state;
	expect_ioctl(4, SECCOMP_PIN_IOC_PIN_ARGS, check_and_fill_request,
		     EEXIST);
	assert_int_equal(seccomp_pin_args(4, 9, &pin), -EEXIST);
	assert_int_equal(errno, EEXIST);
	assert_memory_equal(&pin, &orig, sizeof(pin));
}

static void check_response(void *arg)
{
	struct seccomp_pin_response *rsp = arg;

	assert_int_equal(rsp->listener_fd, 6);
	assert_int_equal(rsp->flags, 0);
	assert_int_equal(rsp->resp.id, 42);
	assert_int_equal(rsp->resp.error, -1);
	assert_int_equal(rsp->resp.val, 0);
	assert_int_equal(rsp->resp.flags, 0);
}

static void test_send_copies_response_verbatim(void **state)
{
	struct seccomp_notif_resp resp;

	(void)state;
	memset(&resp, 0, sizeof(resp));
	resp.id = 42;
	resp.error = -1;
	expect_ioctl(3, SECCOMP_PIN_IOC_SEND, check_response, 0);
	assert_int_equal(seccomp_pin_send(3, 6, &resp), 0);
}

static void test_send_failure_is_negative_errno(void **state)
{
	struct seccomp_notif_resp resp;

	(void)state;
	memset(&resp, 0, sizeof(resp));
	resp.id = 42;
	resp.error = -1;
	expect_ioctl(3, SECCOMP_PIN_IOC_SEND, check_response, EINPROGRESS);
	assert_int_equal(seccomp_pin_send(3, 6, &resp), -EINPROGRESS);
	assert_int_equal(errno, EINPROGRESS);
}

static void check_continue_pinned(void *arg)
{
	struct seccomp_pin_response *rsp = arg;

	assert_int_equal(rsp->listener_fd, 8);
	assert_int_equal(rsp->flags, 0);
	assert_int_equal(rsp->resp.id, 0xabcdef);
	assert_int_equal(rsp->resp.flags,
			 SECCOMP_USER_NOTIF_FLAG_CONTINUE |
				 SECCOMP_USER_NOTIF_FLAG_CONTINUE_PINNED);
	assert_int_equal(rsp->resp.error, 0);
	assert_int_equal(rsp->resp.val, 0);
}

static void test_continue_pinned_sends_both_flags(void **state)
{
	(void)state;
	expect_ioctl(2, SECCOMP_PIN_IOC_SEND, check_continue_pinned, 0);
	assert_int_equal(seccomp_pin_continue_pinned(2, 8, 0xabcdef), 0);
}

static void check_deny(void *arg)
{
	struct seccomp_notif_resp *resp = arg;

	assert_int_equal(resp->id, 0x1234);
	assert_int_equal(resp->error, -EACCES);
	assert_int_equal(resp->val, 0);
	assert_int_equal(resp->flags, 0);
}

static void test_deny_sends_the_error_on_the_listener(void **state)
{
	(void)state;
	expect_ioctl(9, SECCOMP_IOCTL_NOTIF_SEND, check_deny, 0);
	assert_int_equal(seccomp_pin_deny(9, 0x1234, EACCES), 0);
}

static void test_deny_failure_is_negative_errno(void **state)
{
	(void)state;
	expect_ioctl(9, SECCOMP_IOCTL_NOTIF_SEND, check_deny, ENOENT);
	assert_int_equal(seccomp_pin_deny(9, 0x1234, EACCES), -ENOENT);
}

/* A deny that is not an error would run nothing and report success. */
static void test_deny_refuses_non_errors_without_ioctl(void **state)
{
	(void)state;
	assert_int_equal(seccomp_pin_deny(9, 1, 0), -EINVAL);
	assert_int_equal(seccomp_pin_deny(9, 1, -EPERM), -EINVAL);
	assert_int_equal(seccomp_pin_deny(9, 1, 4096), -EINVAL);
}

static void answer_openat(void *arg)
{
	struct seccomp_pin_pinnable *p = arg;

	assert_int_equal(p->nr, 257);
	assert_int_equal(p->flags, 0);
	assert_int_equal(p->_reserved, 0);
	p->nr_args = 1;
	p->args[0].arg_idx = 1;
	p->args[0].kind = SECCOMP_PIN_CSTRING;
	p->args[0].len_idx = SECCOMP_PIN_NO_LEN;
	p->args[0].site = SECCOMP_PIN_SITE_PATH;
	p->args[0].max_bytes = 4096;
}

static void test_pinnable_asks_for_the_number_and_copies_out(void **state)
{
	struct seccomp_pin_pinnable p;

	(void)state;
	memset(&p, 0xa5, sizeof(p));
	expect_ioctl(3, SECCOMP_PIN_IOC_PINNABLE, answer_openat, 0);
	assert_int_equal(seccomp_pin_pinnable(3, 257, &p), 0);
	assert_int_equal(p.nr_args, 1);
	assert_non_null(seccomp_pin_pinnable_find(&p, 1));
	assert_int_equal(seccomp_pin_pinnable_find(&p, 1)->max_bytes, 4096);
	assert_null(seccomp_pin_pinnable_find(&p, 0));
	assert_null(seccomp_pin_pinnable_find(&p, 2));
}

static void answer_too_many(void *arg)
{
	((struct seccomp_pin_pinnable *)arg)->nr_args =
		SECCOMP_PIN_MAX_ARGS + 1;
}

/* An older module (ENOTTY) or a broken answer leaves *out untouched. */
static void test_pinnable_failures_leave_out_untouched(void **state)
{
	struct seccomp_pin_pinnable p, before;

	(void)state;
	memset(&p, 0x5a, sizeof(p));
	before = p;
	expect_ioctl(3, SECCOMP_PIN_IOC_PINNABLE, answer_openat, ENOTTY);
	assert_int_equal(seccomp_pin_pinnable(3, 257, &p), -ENOTTY);
	expect_ioctl(3, SECCOMP_PIN_IOC_PINNABLE, answer_too_many, 0);
	assert_int_equal(seccomp_pin_pinnable(3, 257, &p), -EPROTO);
	assert_memory_equal(&p, &before, sizeof(p));
	p.nr_args = SECCOMP_PIN_MAX_ARGS + 1;
	assert_null(seccomp_pin_pinnable_find(&p, 0x5a));
	assert_null(seccomp_pin_pinnable_find(NULL, 0));
}

static void check_rules(void *arg)
{
	struct seccomp_pin_rules *req = arg;

	assert_int_equal(req->nr_rules, 2);
	assert_int_equal(req->flags, 0);
	assert_int_not_equal(req->rules, 0);
}

static void test_set_rules_passes_the_table(void **state)
{
	struct seccomp_pin_rule rules[2];

	(void)state;
	memset(rules, 0, sizeof(rules));
	expect_ioctl(3, SECCOMP_PIN_IOC_SET_RULES, check_rules, 0);
	assert_int_equal(seccomp_pin_set_rules(3, rules, 2), 0);
	expect_ioctl(3, SECCOMP_PIN_IOC_SET_RULES, check_rules, EOPNOTSUPP);
	assert_int_equal(seccomp_pin_set_rules(3, rules, 2), -EOPNOTSUPP);
	assert_int_equal(seccomp_pin_set_rules(3, NULL, 1), -EINVAL);
}

static int recv_outcome; /* 1 pinned, 0 received with a failed pin */

static void answer_recv(void *arg)
{
	struct seccomp_pin_recv *rv = arg;
	struct seccomp_notif *n = (struct seccomp_notif *)(uintptr_t)rv->notif;

	assert_int_equal(rv->listener_fd, 6);
	assert_int_equal(rv->flags, SECCOMP_PIN_RECV_NONBLOCK);
	assert_int_equal(rv->pin.buf, 0x1000);
	assert_int_equal(rv->pin.buf_size, 64);
	assert_int_equal(n->id, 0); /* zeroed, as NOTIF_RECV requires */
	n->id = 77;
	rv->pin.id = 77;
	rv->pinned = recv_outcome;
	rv->pin_error = recv_outcome ? 0 : -EFAULT;
	rv->pin.nr_args = recv_outcome;
}

static void test_recv_pin_reports_received_and_pinned(void **state)
{
	struct seccomp_notif n;
	struct seccomp_notif_pin_args pin;
	int pin_error = 1;

	(void)state;
	memset(&n, 0xff, sizeof(n));
	memset(&pin, 0, sizeof(pin));
	pin.buf = 0x1000;
	pin.buf_size = 64;
	recv_outcome = 1;
	expect_ioctl(5, SECCOMP_PIN_IOC_RECV_PIN, answer_recv, 0);
	assert_int_equal(seccomp_pin_recv_pin(5, 6, SECCOMP_PIN_RECV_NONBLOCK,
					      &n, &pin, &pin_error),
			 1);
	assert_int_equal(n.id, 77);
	assert_int_equal(pin.id, 77);
	assert_int_equal(pin.nr_args, 1);
	assert_int_equal(pin_error, 0);

	memset(&n, 0xff, sizeof(n));
	recv_outcome = 0;
	expect_ioctl(5, SECCOMP_PIN_IOC_RECV_PIN, answer_recv, 0);
	assert_int_equal(seccomp_pin_recv_pin(5, 6, SECCOMP_PIN_RECV_NONBLOCK,
					      &n, &pin, &pin_error),
			 0);
	assert_int_equal(pin_error, -EFAULT);

	expect_ioctl(5, SECCOMP_PIN_IOC_RECV_PIN, answer_recv, EAGAIN);
	assert_int_equal(seccomp_pin_recv_pin(5, 6, SECCOMP_PIN_RECV_NONBLOCK,
					      &n, &pin, &pin_error),
			 -EAGAIN);
	assert_int_equal(seccomp_pin_recv_pin(5, 6, 0, NULL, &pin, &pin_error),
			 -EINVAL);
}

static void test_version_is_the_headers_and_the_version_file(void **state)
{
	unsigned int major, minor, patch;

	(void)state;
	assert_int_equal(sscanf(SP_VERSION, "%u.%u.%u", &major, &minor, &patch),
			 3);
	assert_int_equal(SECCOMP_PIN_VERSION_MAJOR, major);
	assert_int_equal(SECCOMP_PIN_VERSION_MINOR, minor);
	assert_int_equal(SECCOMP_PIN_VERSION_PATCH, patch);
	assert_int_equal(seccomp_pin_version(), SECCOMP_PIN_VERSION);
	assert_true(SECCOMP_PIN_VERSION >= SECCOMP_PIN_VERSION_NUMBER(0, 1, 0));
}

/* NULL arguments are refused before any ioctl (an unexpected mock call
 * would fail the test). */
static void test_null_arguments_are_einval_without_ioctl(void **state)
{
	(void)state;
	errno = 0;
	assert_int_equal(seccomp_pin_info(3, NULL), -EINVAL);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(seccomp_pin_args(3, 4, NULL), -EINVAL);
	assert_int_equal(seccomp_pin_send(3, 4, NULL), -EINVAL);
	assert_int_equal(seccomp_pin_pinnable(3, 257, NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_uses_device_rdwr_cloexec),
		cmocka_unit_test(test_open_missing_device_is_enoent),
		cmocka_unit_test(test_open_driverless_node_is_enxio),
		cmocka_unit_test(test_info_issues_info_ioctl_and_copies_out),
		cmocka_unit_test(
			test_info_failure_is_negative_errno_and_untouched),
		cmocka_unit_test(test_args_builds_request_and_copies_outputs),
		cmocka_unit_test(test_args_failure_leaves_pin_untouched),
		cmocka_unit_test(test_send_copies_response_verbatim),
		cmocka_unit_test(test_send_failure_is_negative_errno),
		cmocka_unit_test(test_continue_pinned_sends_both_flags),
		cmocka_unit_test(test_null_arguments_are_einval_without_ioctl),
		cmocka_unit_test(test_deny_sends_the_error_on_the_listener),
		cmocka_unit_test(test_deny_failure_is_negative_errno),
		cmocka_unit_test(test_deny_refuses_non_errors_without_ioctl),
		cmocka_unit_test(
			test_pinnable_asks_for_the_number_and_copies_out),
		cmocka_unit_test(test_pinnable_failures_leave_out_untouched),
		cmocka_unit_test(
			test_version_is_the_headers_and_the_version_file),
		cmocka_unit_test(test_set_rules_passes_the_table),
		cmocka_unit_test(test_recv_pin_reports_received_and_pinned),
	};

	return cmocka_run_group_tests_name("lib_wrap", tests, NULL, NULL);
}
