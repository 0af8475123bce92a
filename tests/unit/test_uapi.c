// SPDX-License-Identifier: GPL-2.0
/*
 * test_uapi.c - the UAPI header from C: layout (compile time, repeated
 * at run time for a readable report), ioctl numbers and constants.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <sys/ioctl.h>

#include "layout.h"

struct field {
	const char *name;
	size_t off, want_off, size, want_size;
};

#define SP_FIELD_ROW(T, F, OFF, SZ)                                          \
	{ #T "." #F, offsetof(struct T, F), OFF, sizeof(((struct T *)0)->F), \
	  SZ },
static const struct field fields[] = { SP_FIELDS(SP_FIELD_ROW) };

static void test_every_field_has_its_abi_offset_and_size(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		print_message("%-42s off %3zu size %3zu\n", fields[i].name,
			      fields[i].off, fields[i].size);
		assert_int_equal(fields[i].off, fields[i].want_off);
		assert_int_equal(fields[i].size, fields[i].want_size);
	}
}

static void test_rfc_structs_are_48_and_312_bytes(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct seccomp_pin_arg), 48);
	assert_int_equal(sizeof(struct seccomp_notif_pin_args), 312);
	assert_int_equal(SECCOMP_PIN_MAX_ARGS, 6);
	assert_int_equal(sizeof(((struct seccomp_notif_pin_args *)0)->args) /
				 sizeof(struct seccomp_pin_arg),
			 SECCOMP_PIN_MAX_ARGS);
}

static const unsigned long cmds[] = {
	SECCOMP_PIN_IOC_INFO,
	SECCOMP_PIN_IOC_PIN_ARGS,
	SECCOMP_PIN_IOC_SEND,
};

static void test_ioctl_numbers_are_distinct(void **state)
{
	size_t i, j, n = sizeof(cmds) / sizeof(cmds[0]);

	(void)state;
	for (i = 0; i < n; i++) {
		for (j = i + 1; j < n; j++) {
			assert_int_not_equal(cmds[i], cmds[j]);
			assert_int_not_equal(_IOC_NR(cmds[i]),
					     _IOC_NR(cmds[j]));
		}
		assert_int_equal(_IOC_TYPE(cmds[i]), SECCOMP_PIN_IOC_MAGIC);
	}
}

static void test_ioctl_magic_differs_from_seccomp(void **state)
{
	static const unsigned long seccomp_cmds[] = {
		SECCOMP_IOCTL_NOTIF_RECV,
		SECCOMP_IOCTL_NOTIF_SEND,
		SECCOMP_IOCTL_NOTIF_ID_VALID,
		SECCOMP_IOCTL_NOTIF_ADDFD,
	};
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		for (j = 0; j < sizeof(seccomp_cmds) / sizeof(seccomp_cmds[0]);
		     j++)
			assert_int_not_equal(_IOC_TYPE(cmds[i]),
					     _IOC_TYPE(seccomp_cmds[j]));
}

static void test_ioctl_directions_and_sizes(void **state)
{
	(void)state;
	assert_int_equal(_IOC_DIR(SECCOMP_PIN_IOC_INFO), _IOC_READ);
	assert_int_equal(_IOC_SIZE(SECCOMP_PIN_IOC_INFO),
			 sizeof(struct seccomp_pin_info));
	assert_int_equal(_IOC_DIR(SECCOMP_PIN_IOC_PIN_ARGS),
			 _IOC_READ | _IOC_WRITE);
	assert_int_equal(_IOC_SIZE(SECCOMP_PIN_IOC_PIN_ARGS),
			 sizeof(struct seccomp_pin_request));
	assert_int_equal(_IOC_DIR(SECCOMP_PIN_IOC_SEND), _IOC_WRITE);
	assert_int_equal(_IOC_SIZE(SECCOMP_PIN_IOC_SEND),
			 sizeof(struct seccomp_pin_response));
}

static void test_rfc_constants_have_rfc_values(void **state)
{
	(void)state;
	assert_int_equal(SECCOMP_USER_NOTIF_FLAG_CONTINUE_PINNED, 1UL << 1);
	assert_int_equal(SECCOMP_USER_NOTIF_FLAG_CONTINUE_PINNED &
				 SECCOMP_USER_NOTIF_FLAG_CONTINUE,
			 0);
	assert_int_equal(SECCOMP_PIN_FIXED, 0);
	assert_int_equal(SECCOMP_PIN_CSTRING, 1);
	assert_int_equal(SECCOMP_PIN_CSTRING_ARRAY, 2);
	assert_int_equal(SECCOMP_PIN_TRUNCATED_BYTES, 1);
	assert_int_equal(SECCOMP_PIN_TRUNCATED_ENTRIES, 2);
	assert_int_equal(SECCOMP_PIN_MAX_ARG_BYTES, 1 << 20);
	assert_int_equal(SECCOMP_PIN_MAX_TOTAL_BYTES, 1 << 20);
}

static void test_device_constants_are_sane(void **state)
{
	(void)state;
	assert_string_equal(SECCOMP_PIN_DEVICE, "/dev/seccomp_pin");
	assert_int_equal(SECCOMP_PIN_ABI_VERSION, 1);
	assert_true(SECCOMP_PIN_BUF_ALIGN >= 8);
	assert_int_equal(SECCOMP_PIN_BUF_ALIGN & (SECCOMP_PIN_BUF_ALIGN - 1),
			 0);
	assert_true(SECCOMP_PIN_DEFAULT_MAX_ENTRIES <= SECCOMP_PIN_MAX_ENTRIES);
	assert_int_equal(SECCOMP_PIN_SITE_PATH | SECCOMP_PIN_SITE_SOCKADDR |
				 SECCOMP_PIN_SITE_EXEC_ARGS |
				 SECCOMP_PIN_SITE_WRITE,
			 0xf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_field_has_its_abi_offset_and_size),
		cmocka_unit_test(test_rfc_structs_are_48_and_312_bytes),
		cmocka_unit_test(test_ioctl_numbers_are_distinct),
		cmocka_unit_test(test_ioctl_magic_differs_from_seccomp),
		cmocka_unit_test(test_ioctl_directions_and_sizes),
		cmocka_unit_test(test_rfc_constants_have_rfc_values),
		cmocka_unit_test(test_device_constants_are_sane),
	};

	return cmocka_run_group_tests_name("uapi", tests, NULL, NULL);
}
