// SPDX-License-Identifier: GPL-2.0
/*
 * glob.c - the path pattern matcher of the policy rules.
 *
 * fnmatch(3) has no "**", so paths are matched here: "*" stays inside one
 * path component, "**" crosses components. Recursion depth is bounded by
 * the number of stars in the pattern; patterns come from the operator.
 */
#include <stddef.h>
#include <string.h>

#include "glob.h"

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

bool glob_match(const char *p, const char *s)
{
	while (*p) {
		bool hit;

		switch (*p) {
		case '*':
			if (p[1] == '*') {
				p += 2;
				/* "**" followed by '/' may also match no component. */
				if (*p == '/' && glob_match(p + 1, s))
					return true;
				for (;; s++) {
					if (glob_match(p, s))
						return true;
					if (!*s)
						return false;
				}
			}
			p++;
			for (;; s++) {
				if (glob_match(p, s))
					return true;
				if (!*s || *s == '/')
					return false;
			}
		case '?':
			if (!*s || *s == '/')
				return false;
			p++;
			s++;
			break;
		case '[':
			if (!*s)
				return false;
			p = match_set(p, *s, &hit);
			if (!p || !hit)
				return false;
			s++;
			break;
		case '/':
			/* A trailing slash-star-star also matches the directory. */
			if (!*s && !strcmp(p, "/**"))
				return true;
			if (*s != '/')
				return false;
			p++;
			s++;
			break;
		case '\\':
			if (p[1])
				p++;
			/* fall through */
		default:
			if (*p != *s)
				return false;
			p++;
			s++;
			break;
		}
	}
	return !*s;
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
