// SPDX-License-Identifier: GPL-2.0
/* Harness self-test: a helper (not a suite) that test_always_passes runs. */
int main(void)
{
	return 42;
}
