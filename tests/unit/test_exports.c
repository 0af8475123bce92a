// SPDX-License-Identifier: GPL-2.0
/*
 * test_exports.c - the shared object as a consumer loads it: by soname,
 * with exactly the public symbols, each at version LIBSECCOMP_PIN_1.0.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

static const char *const public_syms[] = {
	"seccomp_pin_open",
	"seccomp_pin_info",
	"seccomp_pin_args",
	"seccomp_pin_send",
	"seccomp_pin_continue_pinned",
	"seccomp_pin_snapshot",
	"seccomp_pin_array_count",
	"seccomp_pin_array_entry",
	"seccomp_pin_deny",
	"seccomp_pin_pinnable",
	"seccomp_pin_pinnable_find",
	"seccomp_pin_recv_pin",
	"seccomp_pin_set_rules",
	"seccomp_pin_version",
};

static const char *const private_syms[] = {
	"sp_fail",
	"sp_errno",
	"load_u32",
};

static int load(void **state)
{
	*state = dlopen("libseccomp-pin.so.1", RTLD_NOW | RTLD_LOCAL);
	if (!*state)
		print_error("dlopen: %s\n", dlerror());
	return *state ? 0 : -1;
}

static int unload(void **state)
{
	dlclose(*state);
	return 0;
}

static void test_every_public_symbol_is_versioned(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(public_syms) / sizeof(public_syms[0]); i++) {
		print_message("%s\n", public_syms[i]);
		assert_non_null(
			dlvsym(*state, public_syms[i], "LIBSECCOMP_PIN_1.0"));
	}
}

static void test_internal_helpers_are_hidden(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(private_syms) / sizeof(private_syms[0]); i++)
		assert_null(dlsym(*state, private_syms[i]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_public_symbol_is_versioned),
		cmocka_unit_test(test_internal_helpers_are_hidden),
	};

	return cmocka_run_group_tests_name("exports", tests, load, unload);
}
