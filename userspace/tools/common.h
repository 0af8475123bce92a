/* SPDX-License-Identifier: GPL-2.0 */
/*
 * common.h - small helpers shared by the seccomp-pin tool's files.
 */
#ifndef SP_TOOL_COMMON_H
#define SP_TOOL_COMMON_H

#include <stddef.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Exit statuses of seccomp-pin itself (like env(1) and timeout(1)). */
#define EXIT_TOOL_FAILURE 125 /* seccomp-pin could not do its job */
#define EXIT_CANNOT_EXEC 126 /* CMD found but could not be executed */
#define EXIT_NOT_FOUND 127 /* CMD not found */

/* Print "seccomp-pin: <message>" to stderr. */
void tool_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* malloc/calloc/strdup that end the program on failure. */
void *xmalloc(size_t size) __attribute__((malloc, returns_nonnull));
void *xcalloc(size_t n, size_t size) __attribute__((malloc, returns_nonnull));
char *xstrdup(const char *s) __attribute__((malloc, returns_nonnull));

#endif /* SP_TOOL_COMMON_H */
