// SPDX-License-Identifier: GPL-2.0
/*
 * log.c - the decision log.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libseccomp_pin.h>

#include "log.h"

/* argv beyond this many bytes is cut in the log (not in the program). */
#define LOG_ARGV_MAX 4096

struct line {
	char *p;
	size_t len, cap;
	enum log_format format;
	bool first;
};

static void reserve(struct line *b, size_t more)
{
	char *p;

	if (b->len + more + 1 <= b->cap)
		return;
	b->cap = (b->len + more + 1) * 2;
	p = realloc(b->p, b->cap);
	if (!p) {
		/* Keep what fits; a log line is not worth dying for. */
		b->cap = 0;
		return;
	}
	b->p = p;
}

static void add(struct line *b, const char *s, size_t n)
{
	reserve(b, n);
	if (b->len + n + 1 > b->cap)
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void adds(struct line *b, const char *s)
{
	add(b, s, strlen(s));
}

static void addf(struct line *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void addf(struct line *b, const char *fmt, ...)
{
	char tmp[64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		add(b, tmp,
		    (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

/* A JSON string body, or a text value that needs quotes, escaped. */
static void add_escaped(struct line *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\') {
			char e[2] = { '\\', c };

			add(b, e, 2);
		} else if (c == '\n') {
			adds(b, "\\n");
		} else if (c == '\t') {
			adds(b, "\\t");
		} else if (c < 0x20 || c == 0x7f) {
			addf(b, "\\u%04x", c);
		} else {
			add(b, (const char *)&c, 1);
		}
	}
}

static bool needs_quotes(const char *s, size_t n)
{
	size_t i;

	if (!n)
		return true;
	for (i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] == '"' || s[i] == '=' || s[i] == '\\' ||
		    s[i] == 0x7f)
			return true;
	return false;
}

static void key(struct line *b, const char *k)
{
	if (b->format == LOG_JSON) {
		adds(b, b->first ? "{\"" : ",\"");
		adds(b, k);
		adds(b, "\":");
	} else {
		if (!b->first)
			adds(b, " ");
		adds(b, k);
		adds(b, "=");
	}
	b->first = false;
}

static void field_n(struct line *b, const char *k, const char *v, size_t n)
{
	key(b, k);
	if (b->format == LOG_TEXT && !needs_quotes(v, n)) {
		add(b, v, n);
		return;
	}
	adds(b, "\"");
	add_escaped(b, v, n);
	adds(b, "\"");
}

static void field(struct line *b, const char *k, const char *v)
{
	if (v)
		field_n(b, k, v, strlen(v));
}

static void field_int(struct line *b, const char *k, long v)
{
	key(b, k);
	addf(b, "%ld", v);
}

/*
 * argv: a JSON array, or the words space-separated in text. Beyond
 * LOG_ARGV_MAX bytes the rest is left out and the field says so
 * (the program still gets all of it).
 */
static void field_argv(struct line *b, const void *snap, uint32_t size)
{
	int count = seccomp_pin_array_count(snap, size), i;
	struct line words = { .format = LOG_TEXT };
	bool cut = false;
	size_t used = 0;

	if (count < 0)
		return;
	if (b->format == LOG_JSON) {
		key(b, "argv");
		adds(b, "[");
	}
	for (i = 0; i < count && !cut; i++) {
		const char *s = seccomp_pin_array_entry(snap, size, i);
		size_t n = s ? strlen(s) : 0;

		if (!s)
			break;
		if (used + n > LOG_ARGV_MAX) {
			n = LOG_ARGV_MAX - used;
			cut = true;
		}
		used += n;
		if (b->format == LOG_JSON) {
			adds(b, i ? ",\"" : "\"");
			add_escaped(b, s, n);
			adds(b, "\"");
		} else {
			if (i)
				adds(&words, " ");
			if (needs_quotes(s, n)) {
				adds(&words, "'");
				add(&words, s, n);
				adds(&words, "'");
			} else {
				add(&words, s, n);
			}
		}
	}
	cut = cut || i < count;
	if (b->format == LOG_JSON) {
		adds(b, "]");
		if (cut) {
			key(b, "argv_cut");
			adds(b, "true");
		}
	} else {
		if (cut)
			adds(&words, " ...");
		field_n(b, "argv", words.p ? words.p : "", words.len);
	}
	free(words.p);
}

static void emit(struct logger *l, struct line *b)
{
	if (!b->p)
		return;
	if (b->format == LOG_JSON)
		adds(b, "}");
	adds(b, "\n");
	pthread_mutex_lock(&l->lock);
	if (write(l->fd, b->p, b->len) < 0) {
		/* nowhere left to report it */
	}
	pthread_mutex_unlock(&l->lock);
	free(b->p);
}

static void start(struct logger *l, struct line *b)
{
	memset(b, 0, sizeof(*b));
	b->format = l->format;
	b->first = true;
	if (l->prefix && l->format == LOG_TEXT) {
		adds(b, "seccomp-pin: ");
	}
}

void log_decision(struct logger *l, const struct decision *d)
{
	struct line b;

	if (d->allow && !l->all)
		return;
	start(l, &b);
	field_int(&b, "pid", d->pid);
	field(&b, "syscall", d->syscall);
	field(&b, "path", d->path);
	field(&b, "path2", d->path2);
	field(&b, "addr", d->addr);
	if (d->argv)
		field_argv(&b, d->argv, d->argv_size);
	field(&b, "decision", d->allow ? "allow" : "deny");
	if (!d->allow && d->error) {
		const char *name = strerrorname_np(d->error);

		if (name) {
			field(&b, "errno", name);
		} else {
			key(&b, "errno");
			addf(&b, "%d", d->error);
		}
	}
	field(&b, "reason", d->reason);
	field(&b, "container", d->container);
	emit(l, &b);
}

void log_event(struct logger *l, const char *event, const char *container,
	       pid_t pid, const char *detail)
{
	struct line b;

	start(l, &b);
	field(&b, "event", event);
	field(&b, "container", container);
	if (pid > 0)
		field_int(&b, "pid", pid);
	field(&b, "detail", detail);
	emit(l, &b);
}

int log_format_parse(const char *s, enum log_format *format)
{
	if (!strcmp(s, "text"))
		*format = LOG_TEXT;
	else if (!strcmp(s, "json"))
		*format = LOG_JSON;
	else
		return -1;
	return 0;
}

int logger_open(struct logger *l, const char *file, enum log_format format)
{
	memset(l, 0, sizeof(*l));
	pthread_mutex_init(&l->lock, NULL);
	l->format = format;
	if (!file) {
		l->fd = STDERR_FILENO;
		l->prefix = true;
		return 0;
	}
	l->all = true;
	if (!strcmp(file, "-")) {
		l->fd = STDERR_FILENO;
		l->prefix = true;
		return 0;
	}
	l->fd = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	return l->fd < 0 ? -errno : 0;
}
