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

#include <jansson.h>
#include <libseccomp_pin.h>

#include "log.h"

/* argv beyond this many bytes is cut in the log (not in the program). */
#define LOG_ARGV_MAX 4096

/*
 * A line being built: text in p, or, in JSON, the object (jansson emits
 * it: members in the order they were added, strings escaped).
 */
struct line {
	char *p;
	size_t len, cap;
	enum log_format format;
	bool first;
	json_t *obj;
};

/*
 * The length of the valid UTF-8 sequence at @s (at most @n bytes), or 0
 * if it is not one: no overlong forms, no surrogates, nothing above
 * U+10FFFF (RFC 3629).
 */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
		return 0;
	return len;
}

static bool utf8_valid(const char *s, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i += k)
		if (!(k = utf8_seq((const unsigned char *)s + i, n - i)))
			return false;
	return true;
}

/*
 * @n bytes at @s as a JSON string: the bytes themselves if they are
 * UTF-8, else each byte that is not part of a valid sequence replaced by
 * U+FFFD (*@lossy set). NUL bytes (none in a C string) would end it.
 */
static json_t *json_bytes(const char *s, size_t n, bool *lossy)
{
	char *u, *o;
	json_t *j;
	size_t i, k;

	if (utf8_valid(s, n))
		return json_stringn(s, n);
	*lossy = true;
	u = malloc(n * 3 + 1);
	if (!u)
		return json_string("");
	for (i = 0, o = u; i < n; i += k) {
		k = utf8_seq((const unsigned char *)s + i, n - i);
		if (k) {
			memcpy(o, s + i, k);
			o += k;
		} else {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
			k = 1;
		}
	}
	j = json_stringn(u, o - u);
	free(u);
	return j;
}

/* @n bytes at @s in hex, a JSON string. */
static json_t *json_hex(const char *s, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char *h = malloc(n * 2 + 1);
	json_t *j;
	size_t i;

	if (!h)
		return json_string("");
	for (i = 0; i < n; i++) {
		h[2 * i] = digits[(unsigned char)s[i] >> 4];
		h[2 * i + 1] = digits[(unsigned char)s[i] & 15];
	}
	j = json_stringn(h, 2 * n);
	free(h);
	return j;
}

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

/*
 * A text value that needs quotes, escaped: \" \\ \n \t, \u00XX for other
 * control characters, \xNN for each byte that is not valid UTF-8.
 */
static void add_escaped(struct line *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = s[i];
		size_t k;

		if (c >= 0x80) {
			k = utf8_seq((const unsigned char *)s + i, n - i);
			if (k) {
				add(b, s + i, k);
				i += k - 1;
			} else {
				addf(b, "\\x%02x", c);
			}
		} else if (c == '"' || c == '\\') {
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
		if ((unsigned char)s[i] <= ' ' || s[i] == '"' || s[i] == '=' ||
		    s[i] == '\\' || s[i] == 0x7f)
			return true;
	return !utf8_valid(s, n);
}

/* Text only. */
static void key(struct line *b, const char *k)
{
	if (!b->first)
		adds(b, " ");
	adds(b, k);
	adds(b, "=");
	b->first = false;
}

/*
 * In JSON, a value that is not UTF-8 is given with U+FFFD in place of
 * each bad byte, and all its bytes follow in hex as "<key>_hex".
 */
static void field_n(struct line *b, const char *k, const char *v, size_t n)
{
	if (b->format == LOG_JSON) {
		bool lossy = false;

		json_object_set_new(b->obj, k, json_bytes(v, n, &lossy));
		if (lossy) {
			char hk[64];

			snprintf(hk, sizeof(hk), "%s_hex", k);
			json_object_set_new(b->obj, hk, json_hex(v, n));
		}
		return;
	}
	key(b, k);
	if (!needs_quotes(v, n)) {
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
	if (b->format == LOG_JSON) {
		json_object_set_new(b->obj, k, json_integer(v));
		return;
	}
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
	bool cut = false, lossy = false;
	json_t *arr = NULL;
	size_t used = 0;

	if (count < 0)
		return;
	if (b->format == LOG_JSON)
		arr = json_array();
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
			json_array_append_new(arr, json_bytes(s, n, &lossy));
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
		json_object_set_new(b->obj, "argv", arr);
		if (cut)
			json_object_set_new(b->obj, "argv_cut", json_true());
		/* Some word was not UTF-8: U+FFFD stands for its bad bytes. */
		if (lossy)
			json_object_set_new(b->obj, "argv_lossy", json_true());
	} else {
		if (cut)
			adds(&words, " ...");
		field_n(b, "argv", words.p ? words.p : "", words.len);
	}
	free(words.p);
}

static void emit(struct logger *l, struct line *b)
{
	if (b->format == LOG_JSON) {
		char *text = json_dumps(b->obj, JSON_COMPACT);

		json_decref(b->obj);
		if (!text)
			return;
		adds(b, text);
		free(text);
	}
	if (!b->p)
		return;
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
	if (b->format == LOG_JSON)
		b->obj = json_object();
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

		if (name)
			field(&b, "errno", name);
		else
			field_int(&b, "errno", d->error);
	}
	field(&b, "reason", d->reason);
	field(&b, "container", d->container);
	field(&b, "pinned", d->pinned);
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
