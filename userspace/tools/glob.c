// SPDX-License-Identifier: GPL-2.0
/*
 * glob.c - the path pattern matcher of the policy rules.
 *
 * fnmatch(3) has no "**", so paths are matched here: "*" stays inside one
 * path component, "**" crosses components. The path comes from the
 * confined program, so the cost must not depend on how hostile it is: the
 * pattern is compiled into a list of tokens (an NFA whose states are the
 * positions between tokens) and the path is run through all states at
 * once, one byte at a time. Time O(len(path) * len(pattern)), memory
 * O(len(pattern)), no recursion, whatever the path.
 */
#include <stdlib.h>
#include <string.h>

#include "glob.h"

enum tok_kind {
	T_CHAR, /* one given byte */
	T_ANY, /* ?: one byte other than '/' */
	T_SET, /* [...]: one byte of the set, never '/' */
	T_STAR, /* *: bytes other than '/' */
	T_DSTAR, /* **: any bytes */
};

struct tok {
	enum tok_kind kind;
	char c; /* T_CHAR */
	const char *set; /* T_SET: at its '[' */
};

/*
 * Match one [...] set at @p against @c. Returns the pattern position after
 * the set, or NULL if the set is malformed; *@hit tells whether @c is in it.
 */
static const char *match_set(const char *p, char c, bool *hit)
{
	bool negate = false, in = false;
	const char *start;

	p++; /* '[' */
	if (*p == '!' || *p == '^') {
		negate = true;
		p++;
	}
	start = p;
	while (*p && (*p != ']' || p == start)) {
		char lo = *p, hi;

		if (lo == '\\' && p[1])
			lo = *++p;
		hi = lo;
		if (p[1] == '-' && p[2] && p[2] != ']') {
			hi = p[2];
			p += 2;
			if (hi == '\\' && p[1])
				hi = *++p;
		}
		if ((unsigned char)c >= (unsigned char)lo &&
		    (unsigned char)c <= (unsigned char)hi)
			in = true;
		p++;
	}
	if (*p != ']')
		return NULL;
	*hit = in != negate && c != '/';
	return p + 1;
}

/* Tokens of @p into @t (room for strlen(p)); their number, or -1. */
static int compile(const char *p, struct tok *t)
{
	int n = 0;

	while (*p) {
		bool hit;

		switch (*p) {
		case '*':
			if (p[1] == '*') {
				t[n++] = (struct tok){ .kind = T_DSTAR };
				p += 2;
			} else {
				t[n++] = (struct tok){ .kind = T_STAR };
				p++;
			}
			break;
		case '?':
			t[n++] = (struct tok){ .kind = T_ANY };
			p++;
			break;
		case '[':
			t[n++] = (struct tok){ .kind = T_SET, .set = p };
			p = match_set(p, 'a', &hit);
			if (!p)
				return -1;
			break;
		case '\\':
			if (p[1])
				p++;
			/* fall through */
		default:
			t[n++] = (struct tok){ .kind = T_CHAR, .c = *p };
			p++;
			break;
		}
	}
	return n;
}

/*
 * Add state @i and what it reaches without consuming a byte:
 *   before "*" or "**": past it (they match the empty string);
 *   before "**" followed by '/', when entering the "**" (not when it
 *   stays after consuming bytes): also past the slash, so that the
 *   tokens "a", "**", "/", "b" match "a/b": an empty "**" takes its
 *   slash with it.
 */
static void add_state(const struct tok *t, int n, unsigned char *set, int i,
		      bool entering)
{
	while (i <= n) {
		if (!set[i])
			set[i] = 1;
		else if (entering)
			return; /* added before, closure included */
		if (i == n)
			return;
		if (entering && t[i].kind == T_DSTAR && i + 1 < n &&
		    t[i + 1].kind == T_CHAR && t[i + 1].c == '/')
			add_state(t, n, set, i + 2, true); /* depth <= 1 */
		if (t[i].kind != T_STAR && t[i].kind != T_DSTAR)
			return;
		i++;
		entering = true;
	}
}

static bool step_ok(const struct tok *t, char c)
{
	bool hit = false;

	switch (t->kind) {
	case T_CHAR:
		return t->c == c;
	case T_ANY:
	case T_STAR:
		return c != '/';
	case T_SET:
		return match_set(t->set, c, &hit) && hit;
	case T_DSTAR:
		return true;
	}
	return false;
}

bool glob_match(const char *pattern, const char *s)
{
	size_t plen = strlen(pattern);
	unsigned char *cur, *next;
	struct tok *t;
	bool match = false;
	int n, i;

	t = malloc((plen + 1) * sizeof(*t));
	cur = calloc(2 * (plen + 2), 1);
	if (!t || !cur)
		goto out;
	next = cur + plen + 2;
	n = compile(pattern, t);
	if (n < 0)
		goto out;
	add_state(t, n, cur, 0, true);
	for (; *s; s++) {
		bool any = false;

		memset(next, 0, n + 1);
		for (i = 0; i < n; i++) {
			if (!cur[i] || !step_ok(&t[i], *s))
				continue;
			any = true;
			/* "*" and "**" stay; the rest move on. */
			if (t[i].kind == T_STAR || t[i].kind == T_DSTAR)
				add_state(t, n, next, i, false);
			else
				add_state(t, n, next, i + 1, true);
		}
		if (!any)
			goto out;
		memcpy(cur, next, n + 1);
	}
	/* A trailing slash-star-star also matches the directory itself. */
	match = cur[n] || (n >= 2 && cur[n - 2] && t[n - 2].kind == T_CHAR &&
			   t[n - 2].c == '/' && t[n - 1].kind == T_DSTAR);
out:
	free(t);
	free(cur);
	return match;
}

bool glob_valid(const char *p)
{
	for (; *p; p++) {
		bool hit;

		if (*p == '\\') {
			if (!p[1])
				return false;
			p++;
		} else if (*p == '[') {
			const char *end = match_set(p, 'a', &hit);

			if (!end)
				return false;
			p = end - 1;
		}
	}
	return true;
}
