// SPDX-License-Identifier: GPL-2.0
/*
 * json.c - recursive descent JSON reader with a depth limit.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

#define JSON_MAX_DEPTH 32

struct parser {
	const char *p, *end;
	const char *err;
	int depth;
};

static struct json *value(struct parser *ps);

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' ||
				   *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static struct json *fail(struct parser *ps, const char *msg)
{
	if (!ps->err)
		ps->err = msg;
	return NULL;
}

static struct json *node(struct parser *ps, enum json_type type)
{
	struct json *j = calloc(1, sizeof(*j));

	if (!j)
		return fail(ps, "out of memory");
	j->type = type;
	return j;
}

void json_free(struct json *j)
{
	while (j) {
		struct json *next = j->next;

		json_free(j->child);
		free(j->key);
		free(j->str);
		free(j);
		j = next;
	}
}

static int hex4(const char *p)
{
	int v = 0, i;

	for (i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

static size_t utf8(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = 0xc0 | (cp >> 6);
		out[1] = 0x80 | (cp & 0x3f);
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = 0xe0 | (cp >> 12);
		out[1] = 0x80 | ((cp >> 6) & 0x3f);
		out[2] = 0x80 | (cp & 0x3f);
		return 3;
	}
	out[0] = 0xf0 | (cp >> 18);
	out[1] = 0x80 | ((cp >> 12) & 0x3f);
	out[2] = 0x80 | ((cp >> 6) & 0x3f);
	out[3] = 0x80 | (cp & 0x3f);
	return 4;
}

/* A string at ps->p ('"'); the decoded bytes, malloc'ed. */
static char *string(struct parser *ps)
{
	const char *p = ps->p + 1;
	char *out, *o;

	/* Decoded is never longer than the source. */
	out = malloc(ps->end - p + 1);
	if (!out) {
		fail(ps, "out of memory");
		return NULL;
	}
	o = out;
	while (p < ps->end && *p != '"') {
		unsigned char c = *p;

		if (c < 0x20) {
			fail(ps, "control character in string");
			goto bad;
		}
		if (c != '\\') {
			*o++ = *p++;
			continue;
		}
		if (++p >= ps->end)
			break;
		switch (*p++) {
		case '"':
			*o++ = '"';
			break;
		case '\\':
			*o++ = '\\';
			break;
		case '/':
			*o++ = '/';
			break;
		case 'b':
			*o++ = '\b';
			break;
		case 'f':
			*o++ = '\f';
			break;
		case 'n':
			*o++ = '\n';
			break;
		case 'r':
			*o++ = '\r';
			break;
		case 't':
			*o++ = '\t';
			break;
		case 'u': {
			int hi, lo;
			uint32_t cp;

			if (ps->end - p < 4 || (hi = hex4(p)) < 0) {
				fail(ps, "bad \\u escape");
				goto bad;
			}
			p += 4;
			cp = hi;
			if (hi >= 0xd800 && hi < 0xdc00) {
				if (ps->end - p < 6 || p[0] != '\\' ||
				    p[1] != 'u' ||
				    (lo = hex4(p + 2)) < 0xdc00 ||
				    lo >= 0xe000) {
					fail(ps, "unpaired surrogate");
					goto bad;
				}
				p += 6;
				cp = 0x10000 + ((hi - 0xd800) << 10) +
				     (lo - 0xdc00);
			} else if (hi >= 0xdc00 && hi < 0xe000) {
				fail(ps, "unpaired surrogate");
				goto bad;
			}
			if (cp == 0) {
				fail(ps, "NUL in string");
				goto bad;
			}
			o += utf8(cp, o);
			break;
		}
		default:
			fail(ps, "bad escape");
			goto bad;
		}
	}
	if (p >= ps->end) {
		fail(ps, "unterminated string");
		goto bad;
	}
	*o = '\0';
	ps->p = p + 1;
	return out;
bad:
	free(out);
	return NULL;
}

static struct json *number(struct parser *ps)
{
	const char *p = ps->p, *start = p;
	bool is_int = true;
	struct json *j;
	char buf[64];

	if (p < ps->end && *p == '-')
		p++;
	if (p < ps->end && *p == '0') {
		p++;
	} else if (p < ps->end && *p >= '1' && *p <= '9') {
		while (p < ps->end && *p >= '0' && *p <= '9')
			p++;
	} else {
		return fail(ps, "bad number");
	}
	if (p < ps->end && *p == '.') {
		is_int = false;
		p++;
		if (p >= ps->end || *p < '0' || *p > '9')
			return fail(ps, "bad number");
		while (p < ps->end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < ps->end && (*p == 'e' || *p == 'E')) {
		is_int = false;
		p++;
		if (p < ps->end && (*p == '+' || *p == '-'))
			p++;
		if (p >= ps->end || *p < '0' || *p > '9')
			return fail(ps, "bad number");
		while (p < ps->end && *p >= '0' && *p <= '9')
			p++;
	}
	if ((size_t)(p - start) >= sizeof(buf))
		return fail(ps, "number too long");
	memcpy(buf, start, p - start);
	buf[p - start] = '\0';
	j = node(ps, JSON_NUMBER);
	if (!j)
		return NULL;
	j->num = strtod(buf, NULL);
	if (is_int && (p - start) < 19) {
		j->is_int = true;
		j->inum = strtoll(buf, NULL, 10);
	}
	ps->p = p;
	return j;
}

static bool literal(struct parser *ps, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n))
		return false;
	ps->p += n;
	return true;
}

/* Elements of an array or members of an object, up to @close. */
static struct json *container(struct parser *ps, enum json_type type,
			      char close)
{
	struct json *j = node(ps, type), **tail;

	if (!j)
		return NULL;
	if (++ps->depth > JSON_MAX_DEPTH) {
		json_free(j);
		return fail(ps, "nested too deeply");
	}
	tail = &j->child;
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		ps->depth--;
		return j;
	}
	for (;;) {
		char *key = NULL;
		struct json *v;

		skip_ws(ps);
		if (type == JSON_OBJECT) {
			if (ps->p >= ps->end || *ps->p != '"') {
				fail(ps, "expected a member name");
				goto bad;
			}
			key = string(ps);
			if (!key)
				goto bad;
			skip_ws(ps);
			if (ps->p >= ps->end || *ps->p != ':') {
				free(key);
				fail(ps, "expected ':'");
				goto bad;
			}
			ps->p++;
		}
		v = value(ps);
		if (!v) {
			free(key);
			goto bad;
		}
		v->key = key;
		*tail = v;
		tail = &v->next;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == close) {
			ps->p++;
			ps->depth--;
			return j;
		}
		fail(ps, ps->p >= ps->end    ? "unexpected end" :
			 type == JSON_OBJECT ? "expected ',' or '}'" :
					       "expected ',' or ']'");
		goto bad;
	}
bad:
	json_free(j);
	return NULL;
}

static struct json *value(struct parser *ps)
{
	struct json *j;

	skip_ws(ps);
	if (ps->p >= ps->end)
		return fail(ps, "unexpected end");
	switch (*ps->p) {
	case '{':
		return container(ps, JSON_OBJECT, '}');
	case '[':
		return container(ps, JSON_ARRAY, ']');
	case '"': {
		char *s = string(ps);

		if (!s)
			return NULL;
		j = node(ps, JSON_STRING);
		if (!j) {
			free(s);
			return NULL;
		}
		j->str = s;
		return j;
	}
	case 't':
	case 'f':
		if (!literal(ps, "true") && !literal(ps, "false"))
			return fail(ps, "bad literal");
		j = node(ps, JSON_BOOL);
		if (j)
			j->boolean = ps->p[-1] == 'e' && ps->p[-2] == 'u';
		return j;
	case 'n':
		if (!literal(ps, "null"))
			return fail(ps, "bad literal");
		return node(ps, JSON_NULL);
	default:
		return number(ps);
	}
}

struct json *json_parse(const char *text, size_t len, const char **err)
{
	struct parser ps = { .p = text, .end = text + len };
	struct json *j = value(&ps);

	if (j) {
		skip_ws(&ps);
		if (ps.p != ps.end) {
			json_free(j);
			j = NULL;
			fail(&ps, "trailing bytes after the value");
		}
	}
	if (!j && err)
		*err = ps.err ? ps.err : "malformed";
	return j;
}

const struct json *json_get(const struct json *obj, const char *key)
{
	const struct json *m;

	if (!obj || obj->type != JSON_OBJECT)
		return NULL;
	for (m = obj->child; m; m = m->next)
		if (!strcmp(m->key, key))
			return m;
	return NULL;
}

const char *json_get_str(const struct json *obj, const char *key)
{
	const struct json *m = json_get(obj, key);

	return m && m->type == JSON_STRING ? m->str : NULL;
}
