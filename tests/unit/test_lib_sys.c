// SPDX-License-Identifier: GPL-2.0
/*
 * test_lib_sys.c - the wrappers against real file descriptors on a
 * host without the module: errors come back as -errno, errno agrees,
 * and caller structures are left alone.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "libseccomp_pin.h"

static int devnull(void **state)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return -1;
	*state = (void *)(intptr_t)fd;
	return 0;
}

static int close_devnull(void **state)
{
	close((int)(intptr_t)*state);
	return 0;
}

static void test_open_without_module_is_enoent(void **state)
{
	(void)state;
	if (access(SECCOMP_PIN_DEVICE, F_OK) == 0 || errno != ENOENT)
		skip(); /* the module is loaded here: nothing to test */
	errno = 0;
	assert_int_equal(seccomp_pin_open(), -ENOENT);
	assert_int_equal(errno, ENOENT);
}

static void test_info_on_non_device_is_enotty(void **state)
{
	struct seccomp_pin_info info;

	memset(&info, 0x33, sizeof(info));
	assert_int_equal(seccomp_pin_info((int)(intptr_t)*state, &info),
			 -ENOTTY);
	assert_int_equal(errno, ENOTTY);
	assert_int_equal(info.live_pins, 0x3333333333333333ULL);
}

static void test_args_on_non_device_is_enotty_and_untouched(void **state)
{
	struct seccomp_notif_pin_args pin, orig;

	memset(&pin, 0x44, sizeof(pin));
	orig = pin;
	assert_int_equal(seccomp_pin_args((int)(intptr_t)*state, 0, &pin),
			 -ENOTTY);
	assert_int_equal(errno, ENOTTY);
	assert_memory_equal(&pin, &orig, sizeof(pin));
}

static void test_send_on_non_device_is_enotty(void **state)
{
	struct seccomp_notif_resp resp;

	memset(&resp, 0, sizeof(resp));
	assert_int_equal(seccomp_pin_send((int)(intptr_t)*state, 0, &resp),
			 -ENOTTY);
	assert_int_equal(seccomp_pin_continue_pinned((int)(intptr_t)*state, 0,
						     1),
			 -ENOTTY);
}

static void test_closed_device_fd_is_ebadf(void **state)
{
	struct seccomp_pin_info info;
	struct seccomp_notif_pin_args pin;
	int fd = dup((int)(intptr_t)*state);

	assert_true(fd >= 0);
	close(fd);
	memset(&pin, 0, sizeof(pin));
	assert_int_equal(seccomp_pin_info(fd, &info), -EBADF);
	assert_int_equal(errno, EBADF);
	assert_int_equal(seccomp_pin_args(-1, 0, &pin), -EBADF);
	assert_int_equal(seccomp_pin_continue_pinned(fd, 0, 1), -EBADF);
}

static void test_null_arguments_are_einval(void **state)
{
	int fd = (int)(intptr_t)*state;

	errno = 0;
	assert_int_equal(seccomp_pin_info(fd, NULL), -EINVAL);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(seccomp_pin_args(fd, 0, NULL), -EINVAL);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(seccomp_pin_send(fd, 0, NULL), -EINVAL);
	assert_int_equal(errno, EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_without_module_is_enoent),
		cmocka_unit_test(test_info_on_non_device_is_enotty),
		cmocka_unit_test(
			test_args_on_non_device_is_enotty_and_untouched),
		cmocka_unit_test(test_send_on_non_device_is_enotty),
		cmocka_unit_test(test_closed_device_fd_is_ebadf),
		cmocka_unit_test(test_null_arguments_are_einval),
	};

	return cmocka_run_group_tests_name("lib_sys", tests, devnull,
					   close_devnull);
}
