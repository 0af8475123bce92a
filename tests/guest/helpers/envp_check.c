// SPDX-License-Identifier: GPL-2.0
/*
 * envp_check - exec target of test_kernel_safety's exec race (built
 * -static). Its target's environment strings hold only 'A' and 'B'
 * bytes, so any other byte came from somewhere else (kernel memory).
 * Exit 0: only 'A'/'B' bytes; 5: a foreign byte, whose value is
 * written to fd 9.
 */
#include <unistd.h>

#define OUT_FD 9

int main(int argc, char **argv, char **envp)
{
	char **e;

	(void)argc;
	(void)argv;
	for (e = envp; *e; e++) {
		const char *p;

		for (p = *e; *p; p++) {
			if (*p != 'A' && *p != 'B') {
				(void)!write(OUT_FD, p, 1);
				return 5;
			}
		}
	}
	return 0;
}
