// SPDX-License-Identifier: GPL-2.0
/*
 * common.c - error messages and allocation that cannot fail.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

void tool_err(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* One write, so that lines of concurrent threads do not mix. */
	fprintf(stderr, "seccomp-pin: %s\n", msg);
}

static void *check(void *p)
{
	if (!p) {
		tool_err("out of memory");
		exit(EXIT_TOOL_FAILURE);
	}
	return p;
}

void *xmalloc(size_t size)
{
	return check(malloc(size));
}

void *xcalloc(size_t n, size_t size)
{
	return check(calloc(n, size));
}

char *xstrdup(const char *s)
{
	return check(strdup(s));
}
