/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcheck.h - a minimal test runner printing cmocka's output format (the VM
 * harness counts its summary lines), for static test programs: cmocka
 * has no static library in Debian.
 *
 * Each test runs in a forked child with a time limit, so a crash or a
 * hang fails that test only.
 */
#ifndef TCHECK_H
#define TCHECK_H

#include <stdbool.h>
#include <stddef.h>

struct tcase {
	const char *name;
	void (*fn)(void);
	unsigned int timeout; /* seconds; 0: 120 */
};

#define TCASE(f)         \
	{                \
#f, f, 0 \
	}
#define TCASE_T(f, t)    \
	{                \
#f, f, t \
	}

/* If set, runs in each test's process before the test. */
extern void (*tcheck_before_each)(void);

/* Run @n cases, print the cmocka summary; returns the number failed. */
int tcheck_run(const struct tcase *cases, size_t n);

void tcheck_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));

/* Skip the running test (counted as passed, with a note). */
void tcheck_skip(const char *why) __attribute__((noreturn));

#define CHECK(cond)                                                   \
	do {                                                          \
		if (!(cond))                                          \
			tcheck_fail(__FILE__, __LINE__, "%s", #cond); \
	} while (0)

#define CHECK_MSG(cond, ...)                                          \
	do {                                                          \
		if (!(cond))                                          \
			tcheck_fail(__FILE__, __LINE__, __VA_ARGS__); \
	} while (0)

#define CHECK_INT(a, op, b)                                                    \
	do {                                                                   \
		long long _a = (a), _b = (b);                                  \
		if (!(_a op _b))                                               \
			tcheck_fail(__FILE__, __LINE__,                        \
				    "%s %s %s: %lld vs %lld", #a, #op, #b, _a, \
				    _b);                                       \
	} while (0)

#endif /* TCHECK_H */
