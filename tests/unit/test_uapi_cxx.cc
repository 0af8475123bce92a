// SPDX-License-Identifier: GPL-2.0
/*
 * test_uapi_cxx.cc - the UAPI and library headers from C++: the same
 * compile-time layout checks as C, C linkage of the library, and
 * designated-initialiser-free use of the structs.
 */
#include <cerrno>
#include <cstdarg>
#include <cstddef>
#include <csetjmp>
#include <cstring>
#include <type_traits>

/* cmocka 1.1's header declares its functions without C linkage. */
extern "C" {
#include <cmocka.h>
}

#include "layout.h"
#include "libseccomp_pin.h"

static_assert(std::is_standard_layout<seccomp_notif_pin_args>::value,
	      "RFC request must be standard layout");
static_assert(std::is_trivially_copyable<seccomp_pin_request>::value,
	      "device request must be trivially copyable");
static_assert(sizeof(seccomp_pin_arg) == 48, "48-byte pin arg");
static_assert(sizeof(seccomp_notif_pin_args) == 312, "312-byte request");

static void test_cxx_sees_the_c_layout(void **)
{
	seccomp_pin_request req;

	std::memset(&req, 0, sizeof(req));
	req.pin.args[SECCOMP_PIN_MAX_ARGS - 1].buf_offset = 1;
	assert_int_equal(offsetof(seccomp_pin_request, pin) +
				 offsetof(seccomp_notif_pin_args, args) +
				 5 * sizeof(seccomp_pin_arg) +
				 offsetof(seccomp_pin_arg, buf_offset),
			 8 + 24 + 5 * 48 + 40);
	assert_int_equal(sizeof(req), 320);
}

static void test_cxx_links_library_with_c_linkage(void **)
{
	seccomp_notif_pin_args pin;

	std::memset(&pin, 0, sizeof(pin));
	assert_int_equal(seccomp_pin_array_count(nullptr, 0), -EINVAL);
	assert_null(seccomp_pin_array_entry(nullptr, 0, 0));
	assert_null(seccomp_pin_snapshot(&pin, 0));
	assert_int_equal(seccomp_pin_info(-1, nullptr), -EINVAL);
}

int main()
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cxx_sees_the_c_layout),
		cmocka_unit_test(test_cxx_links_library_with_c_linkage),
	};

	return cmocka_run_group_tests_name("uapi_cxx", tests, nullptr, nullptr);
}
