// SPDX-License-Identifier: GPL-2.0
/*
 * test_recv_pin.c - SECCOMP_PIN_IOC_SET_RULES and SECCOMP_PIN_IOC_RECV_PIN:
 * rules checked as PIN_ARGS checks a request, a receive that pins what
 * the rule names and runs on it, a received notification that is never
 * lost (no rule, a failed pin), non-blocking and poll-driven receives,
 * and rules that belong to one device fd.
 */
#include "common.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

static struct seccomp_pin_rule path_rule(int nr, __u8 arg_idx)
{
	struct seccomp_pin_rule r;

	memset(&r, 0, sizeof(r));
	r.nr = nr;
	r.nr_args = 1;
	r.args[0].arg_idx = arg_idx;
	r.args[0].kind = SECCOMP_PIN_CSTRING;
	r.args[0].max_bytes = PATH_MAX;
	return r;
}

static void set_openat_rule(struct fx *f)
{
	struct seccomp_pin_rule r = path_rule(__NR_openat, 1);

	assert_ret(seccomp_pin_set_rules(f->dev, &r, 1), 0);
}

/* A child trapped in openat(@path), with its context. */
static struct tracee *spawn_opener(struct fx *f, const char *file, char **path,
				   struct op_ctx **ctx)
{
	static const struct trap traps[] = { TRAP64(__NR_openat) };
	struct op_ctx *c = shm_alloc(f, sizeof(*c));

	*path = shm_str(f, file, PATH_MAX);
	c->path = *path;
	*ctx = c;
	return spawn_trapped(f, traps, 1, child_openat, c);
}

static int recv_pin(struct fx *f, struct tracee *t, unsigned int flags,
		    struct seccomp_notif *n, struct seccomp_notif_pin_args *p,
		    int *pin_error)
{
	memset(p, 0, sizeof(*p));
	p->buf = (uintptr_t)f->buf;
	p->buf_size = SNAP_BUF_SIZE;
	return seccomp_pin_recv_pin(f->dev, t->listener, flags, n, p,
				    pin_error);
}

static void test_info_advertises_recv_pin(void **state)
{
	struct fx *f = *state;
	struct seccomp_pin_info info;

	assert_ret(seccomp_pin_info(f->dev, &info), 0);
	assert_true(info.features & SECCOMP_PIN_FEATURE_RECV_PIN);
	assert_true(info.features & SECCOMP_PIN_FEATURE_PINNABLE);
	assert_int_equal(info.max_rules, 512);
}

static void test_rules_are_checked_as_requests(void **state)
{
	struct fx *f = *state;
	struct seccomp_pin_rule r[2];
	struct seccomp_pin_rules req;

	r[0] = path_rule(__NR_openat, 2); /* the flags: nothing reads it */
	assert_ret(seccomp_pin_set_rules(f->dev, r, 1), -EOPNOTSUPP);
	r[0] = path_rule(__NR_getpid, 0);
	assert_ret(seccomp_pin_set_rules(f->dev, r, 1), -EOPNOTSUPP);
	r[0] = path_rule(__NR_write, 1); /* FIXED, not CSTRING */
	assert_ret(seccomp_pin_set_rules(f->dev, r, 1), -EOPNOTSUPP);
	r[0] = path_rule(__NR_openat, 1);
	r[0].args[0].kind = 7;
	assert_ret(seccomp_pin_set_rules(f->dev, r, 1), -EINVAL);
	r[0] = path_rule(__NR_openat, 1);
	r[0].nr_args = 0;
	assert_ret(seccomp_pin_set_rules(f->dev, r, 1), -EINVAL);
	r[0] = path_rule(__NR_openat, 1);
	r[0].args[0].actual_size = 1; /* an output */
	assert_ret(seccomp_pin_set_rules(f->dev, r, 1), -EINVAL);
	r[0] = path_rule(__NR_openat, 1);
	r[0].args[3].arg_idx = 2; /* past nr_args */
	assert_ret(seccomp_pin_set_rules(f->dev, r, 1), -EINVAL);
	r[0] = path_rule(__NR_openat, 1);
	r[0].args[0].max_bytes = SECCOMP_PIN_MAX_ARG_BYTES + 1;
	assert_ret(seccomp_pin_set_rules(f->dev, r, 1), -E2BIG);
	r[0] = path_rule(__NR_openat, 1);
	r[1] = path_rule(__NR_openat, 1);
	assert_ret(seccomp_pin_set_rules(f->dev, r, 2), -EINVAL);

	memset(&req, 0, sizeof(req));
	req.nr_rules = 1;
	req.rules = (uintptr_t)r;
	req.flags = 1;
	assert_int_equal(ioctl(f->dev, SECCOMP_PIN_IOC_SET_RULES, &req), -1);
	assert_int_equal(errno, EINVAL);
	req.flags = 0;
	req.nr_rules = 513;
	assert_int_equal(ioctl(f->dev, SECCOMP_PIN_IOC_SET_RULES, &req), -1);
	assert_int_equal(errno, E2BIG);
	req.nr_rules = 1;
	req.rules = 8;
	assert_int_equal(ioctl(f->dev, SECCOMP_PIN_IOC_SET_RULES, &req), -1);
	assert_int_equal(errno, EFAULT);

	/* Two syscalls, each its rule; and clearing. */
	r[0] = path_rule(__NR_openat, 1);
	r[1] = path_rule(__NR_unlink, 0);
	assert_ret(seccomp_pin_set_rules(f->dev, r, 2), 0);
	assert_ret(seccomp_pin_set_rules(f->dev, NULL, 0), 0);
}

/* The RFC scenario through the fused call: the snapshot is what runs. */
static void test_recv_pin_pins_and_the_call_runs_on_it(void **state)
{
	struct fx *f = *state;
	const char *a = tpath(f, "A"), *b = tpath(f, "B");
	struct seccomp_notif_pin_args p;
	struct seccomp_notif n;
	struct op_ctx *c;
	struct tracee *t;
	int pin_error = 1;
	char *path;

	write_file(a, "A");
	write_file(b, "B");
	set_openat_rule(f);
	t = spawn_opener(f, a, &path, &c);
	assert_ret(recv_pin(f, t, 0, &n, &p, &pin_error), 1);
	assert_int_equal(pin_error, 0);
	assert_int_equal(n.data.nr, __NR_openat);
	assert_int_equal(n.pid, t->pid);
	assert_int_equal(p.id, n.id);
	assert_int_equal(p.nr_args, 1);
	assert_int_equal(p.args[0].arg_idx, 1);
	assert_string_equal(snap_str(&p, 0), a);
	assert_int_equal(p.args[0].user_addr, (uintptr_t)path);
	assert_int_equal(live_pins_now(f->dev), f->live_base + 1);
	strcpy(path, b); /* the racing thread */
	continue_pinned(f, t, n.id);
	assert_int_equal(reap_exit(t), 0);
	assert_true(c->ret[0] >= 0);
	assert_string_equal(c->got, "A");
}

/* No rule for the syscall: received, nothing pinned, answerable. */
static void test_no_rule_receives_without_pinning(void **state)
{
	struct fx *f = *state;
	struct seccomp_pin_rule r = path_rule(__NR_unlink, 0);
	struct seccomp_notif_pin_args p;
	struct seccomp_notif n;
	struct op_ctx *c;
	struct tracee *t;
	int pin_error = 1;
	char *path;

	assert_ret(seccomp_pin_set_rules(f->dev, &r, 1), 0);
	t = spawn_opener(f, "/nonexistent", &path, &c);
	assert_ret(recv_pin(f, t, 0, &n, &p, &pin_error), 0);
	assert_int_equal(pin_error, 0);
	assert_int_equal(n.data.nr, __NR_openat);
	assert_int_equal(p.id, n.id);
	assert_int_equal(p.nr_args, 0);
	assert_int_equal(live_pins_now(f->dev), f->live_base);
	reply_errno(t, n.id, EACCES);
	assert_int_equal(reap_exit(t), 0);
	assert_int_equal(c->err[0], EACCES);
}

/* A failed pin loses nothing: the notification is pending, unpinned. */
static void test_failed_pin_leaves_the_notification_pending(void **state)
{
	struct fx *f = *state;
	static const struct trap traps[] = { TRAP64(__NR_openat) };
	struct op_ctx *c = shm_alloc(f, sizeof(*c));
	struct seccomp_notif_pin_args p;
	struct seccomp_notif n;
	struct tracee *t;
	int pin_error = 0;

	set_openat_rule(f);
	c->nr = __NR_openat;
	c->a[0] = AT_FDCWD;
	c->a[1] = 8; /* unmapped */
	t = spawn_trapped(f, traps, 1, child_raw, c);
	assert_ret(recv_pin(f, t, 0, &n, &p, &pin_error), 0);
	assert_int_equal(pin_error, -EFAULT);
	assert_int_equal(p.id, n.id);
	assert_int_equal(p.nr_args, 0);
	assert_int_equal(live_pins_now(f->dev), f->live_base);
	assert_ret(seccomp_pin_deny(t->listener, n.id, EPERM), 0);
	assert_int_equal(reap_exit(t), 0);
	assert_int_equal(c->err[0], EPERM);
}

static void test_nonblocking_and_poll_driven(void **state)
{
	struct fx *f = *state;
	const char *a = tpath(f, "A");
	struct seccomp_notif_pin_args p, p2;
	struct seccomp_notif n, none;
	struct op_ctx *c;
	struct tracee *t;
	struct pollfd pfd;
	int pin_error;
	char *path;

	write_file(a, "A");
	set_openat_rule(f);
	t = spawn_opener(f, a, &path, &c);
	pfd.fd = t->listener;
	pfd.events = POLLIN;
	assert_int_equal(poll(&pfd, 1, NOTIF_TIMEOUT_MS), 1);
	assert_ret(recv_pin(f, t, SECCOMP_PIN_RECV_NONBLOCK, &n, &p,
			    &pin_error),
		   1);
	assert_string_equal(snap_str(&p, 0), a);
	/* Nothing more pending: EAGAIN at once, nothing consumed. */
	assert_ret(recv_pin(f, t, SECCOMP_PIN_RECV_NONBLOCK, &none, &p2,
			    &pin_error),
		   -EAGAIN);
	continue_pinned(f, t, n.id);
	assert_int_equal(reap_exit(t), 0);
	assert_string_equal(c->got, "A");
}

static void test_bad_receives_are_refused(void **state)
{
	struct fx *f = *state;
	struct seccomp_pin_recv rv;
	struct seccomp_notif n;
	int pipefd[2];

	memset(&rv, 0, sizeof(rv));
	memset(&n, 0, sizeof(n));
	rv.notif = (uintptr_t)&n;
	assert_int_equal(pipe(pipefd), 0);
	fx_fd(f, pipefd[0]);
	fx_fd(f, pipefd[1]);
	rv.listener_fd = pipefd[0];
	assert_int_equal(ioctl(f->dev, SECCOMP_PIN_IOC_RECV_PIN, &rv), -1);
	assert_int_equal(errno, EINVAL);
	rv.listener_fd = 1000;
	assert_int_equal(ioctl(f->dev, SECCOMP_PIN_IOC_RECV_PIN, &rv), -1);
	assert_int_equal(errno, EBADF);
	rv.flags = 2;
	assert_int_equal(ioctl(f->dev, SECCOMP_PIN_IOC_RECV_PIN, &rv), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(ioctl(f->dev, SECCOMP_PIN_IOC_RECV_PIN, 8), -1);
	assert_int_equal(errno, EFAULT);
}

/* Rules are the device fd's: another fd of the same process has none. */
static void test_rules_belong_to_one_device_fd(void **state)
{
	struct fx *f = *state;
	int other = fx_fd(f, seccomp_pin_open());
	struct seccomp_notif_pin_args p;
	struct seccomp_notif n;
	struct op_ctx *c;
	struct tracee *t;
	int pin_error = 1;
	char *path;

	assert_true(other >= 0);
	set_openat_rule(f);
	t = spawn_opener(f, "/nonexistent", &path, &c);
	memset(&p, 0, sizeof(p));
	p.buf = (uintptr_t)f->buf;
	p.buf_size = SNAP_BUF_SIZE;
	assert_ret(seccomp_pin_recv_pin(other, t->listener, 0, &n, &p,
					&pin_error),
		   0);
	assert_int_equal(pin_error, 0);
	assert_int_equal(p.nr_args, 0);
	reply_errno(t, n.id, ENOENT);
	assert_int_equal(reap_exit(t), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_info_advertises_recv_pin),
		T(test_rules_are_checked_as_requests),
		T(test_recv_pin_pins_and_the_call_runs_on_it),
		T(test_no_rule_receives_without_pinning),
		T(test_failed_pin_leaves_the_notification_pending),
		T(test_nonblocking_and_poll_driven),
		T(test_bad_receives_are_refused),
		T(test_rules_belong_to_one_device_fd),
	};

	apply_test_filter();
	return cmocka_run_group_tests_name("recv_pin", tests, NULL, NULL);
}
