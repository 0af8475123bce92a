// SPDX-License-Identifier: GPL-2.0
/*
 * Harness self-test: a cmocka suite with one passing and one failing test.
 * The harness must count both and name the failing one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

static void passes(void **state)
{
	(void)state;
	assert_int_equal(1, 1);
}

static void always_fails(void **state)
{
	(void)state;
	assert_int_equal(1, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(passes),
		cmocka_unit_test(always_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
