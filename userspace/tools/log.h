/* SPDX-License-Identifier: GPL-2.0 */
/*
 * log.h - one line per decision, as text (logfmt) or JSON.
 *
 *   pid=412 syscall=openat path=/etc/shadow decision=deny errno=EACCES reason="no allow-path matches"
 *   {"pid":412,"syscall":"openat","path":"/etc/shadow","decision":"deny","errno":"EACCES","reason":"no allow-path matches"}
 *
 * Fields, in this order, each only when it applies: pid, syscall, path,
 * path2 (second path of rename, link, symlink), addr, argv (cut after
 * 4 KiB: "..." in text, argv_cut in JSON), decision (allow|deny), errno
 * (when denied), reason, container (agent).
 * Lines are written with one write(2) each, so concurrent writers do not
 * interleave.
 */
#ifndef SP_TOOL_LOG_H
#define SP_TOOL_LOG_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

enum log_format {
	LOG_TEXT,
	LOG_JSON,
};

struct logger {
	int fd;
	enum log_format format;
	bool all; /* allowed decisions too, not only denials */
	bool prefix; /* "seccomp-pin: " in front of text lines (stderr) */
	pthread_mutex_t lock;
};

struct decision {
	pid_t pid;
	const char *syscall;
	const char *path;
	const char *path2;
	const char *addr;
	const void *argv; /* a CSTRING_ARRAY snapshot */
	uint32_t argv_size;
	bool allow;
	int error; /* errno answered when denied */
	const char *reason;
	const char *container;
	/* How the bytes decided on were pinned: "receive" (in the same
	 * call as the notification), "request" (PIN_ARGS after it), or
	 * NULL (nothing pinned). */
	const char *pinned;
};

/*
 * Log to @file (appended; "-" is stderr) every decision, or, when @file
 * is NULL, only denials to stderr. 0, or -errno if @file cannot be opened.
 */
int logger_open(struct logger *l, const char *file, enum log_format format);

/* Parse "text" or "json". 0, or -1. */
int log_format_parse(const char *s, enum log_format *format);

void log_decision(struct logger *l, const struct decision *d);

/* A line about a listener (agent): event=attach|detach|error. */
void log_event(struct logger *l, const char *event, const char *container,
	       pid_t pid, const char *detail);

#endif /* SP_TOOL_LOG_H */
