// SPDX-License-Identifier: GPL-2.0
/*
 * tcheck.c - fork-per-test runner with cmocka-style output.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tcheck.h"

#define EXIT_SKIP 77

void (*tcheck_before_each)(void);

void tcheck_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("[  ERROR   ] --- ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n[   LINE   ] --- %s:%d: error: Failure!\n", file, line);
	fflush(stdout);
	_exit(1);
}

void tcheck_skip(const char *why)
{
	printf("[  SKIP    ] --- %s\n", why);
	fflush(stdout);
	_exit(EXIT_SKIP);
}

static int run_one(const struct tcase *t)
{
	unsigned int limit = t->timeout ? t->timeout : 120;
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		/* A process group of its own: a timeout kills it all. */
		setpgid(0, 0);
		alarm(limit);
		if (tcheck_before_each)
			tcheck_before_each();
		t->fn();
		fflush(stdout);
		_exit(0);
	}
	setpgid(pid, pid);
	while (waitpid(pid, &status, 0) < 0)
		;
	kill(-pid, SIGKILL); /* leftovers of the test */
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_SKIP)
		return -1;
	if (WIFSIGNALED(status))
		printf("[  ERROR   ] --- killed by signal %d%s\n",
		       WTERMSIG(status),
		       WTERMSIG(status) == SIGALRM ? " (timeout)" : "");
	return 1;
}

static void list(const char *tag, const char **names, size_t n)
{
	size_t i;

	printf("[  %s ] %zu test(s), listed below:\n", tag, n);
	for (i = 0; i < n; i++)
		printf("[  %s ] %s\n", tag, names[i]);
}

int tcheck_run(const struct tcase *cases, size_t n)
{
	const char *failed[256], *skipped[256];
	size_t i, nfailed = 0, nskipped = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("[==========] Running %zu test(s).\n", n);
	for (i = 0; i < n && i < 256; i++) {
		int r;

		printf("[ RUN      ] %s\n", cases[i].name);
		r = run_one(&cases[i]);
		if (r > 0) {
			printf("[  FAILED  ] %s\n", cases[i].name);
			failed[nfailed++] = cases[i].name;
		} else if (r < 0) {
			printf("[  SKIPPED ] %s\n", cases[i].name);
			skipped[nskipped++] = cases[i].name;
		} else {
			printf("[       OK ] %s\n", cases[i].name);
		}
	}
	printf("[==========] %zu test(s) run.\n", i);
	printf("[  PASSED  ] %zu test(s).\n", i - nfailed - nskipped);
	if (nskipped)
		list("SKIPPED", skipped, nskipped);
	if (nfailed) {
		list("FAILED ", failed, nfailed);
		printf("\n %zu FAILED TEST(S)\n", nfailed);
	}
	return nfailed;
}
