// SPDX-License-Identifier: GPL-2.0
/*
 * policy.c - the rules and the decisions made from them.
 *
 * Everything here works on bytes the supervisor already holds (pinned
 * snapshots, normalised); nothing reads the target.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "glob.h"
#include "policy.h"

void policy_init(struct policy *p)
{
	memset(p, 0, sizeof(*p));
}

static void rules_free(struct rule_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->items[i].glob);
		free(l->items[i].text);
	}
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

static void addrs_free(struct addr_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		addr_rule_free(&l->items[i]);
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

void policy_free(struct policy *p)
{
	rules_free(&p->allow_path);
	rules_free(&p->deny_path);
	rules_free(&p->allow_exec);
	addrs_free(&p->allow_connect);
	addrs_free(&p->allow_bind);
}

static void *grow(void *items, size_t n, size_t size)
{
	void *p = realloc(items, (n + 1) * size);

	if (!p) {
		tool_err("out of memory");
		exit(EXIT_TOOL_FAILURE);
	}
	return p;
}

static int add_glob(struct rule_list *l, const char *key, const char *value,
		    char *err, size_t errlen)
{
	char *text;

	if (value[0] != '/') {
		snprintf(err, errlen, "%s \"%s\": patterns are absolute paths",
			 key, value);
		return -1;
	}
	if (!glob_valid(value)) {
		snprintf(err, errlen, "%s \"%s\": malformed pattern", key,
			 value);
		return -1;
	}
	text = xmalloc(strlen(key) + strlen(value) + 2);
	sprintf(text, "%s %s", key, value);
	l->items = grow(l->items, l->n, sizeof(*l->items));
	l->items[l->n].glob = xstrdup(value);
	l->items[l->n++].text = text;
	return 0;
}

static int add_addr(struct addr_list *l, const char *key, const char *value,
		    char *err, size_t errlen)
{
	struct addr_rule r;
	char *text;

	if (addr_rule_parse(&r, value, err, errlen))
		return -1;
	text = xmalloc(strlen(key) + strlen(value) + 2);
	sprintf(text, "%s %s", key, value);
	free(r.text);
	r.text = text;
	l->items = grow(l->items, l->n, sizeof(*l->items));
	l->items[l->n++] = r;
	return 0;
}

int policy_add(struct policy *p, const char *key, const char *value, char *err,
	       size_t errlen)
{
	if (!strcmp(key, "allow-path"))
		return add_glob(&p->allow_path, key, value, err, errlen);
	if (!strcmp(key, "deny-path"))
		return add_glob(&p->deny_path, key, value, err, errlen);
	if (!strcmp(key, "allow-exec"))
		return add_glob(&p->allow_exec, key, value, err, errlen);
	if (!strcmp(key, "allow-connect"))
		return add_addr(&p->allow_connect, key, value, err, errlen);
	if (!strcmp(key, "allow-bind"))
		return add_addr(&p->allow_bind, key, value, err, errlen);
	snprintf(err, errlen, "unknown rule \"%s\"", key);
	return -1;
}

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
			   end[-1] == '\n' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

int policy_load(struct policy *p, const char *file, char *err, size_t errlen)
{
	char *line = NULL, msg[512];
	size_t cap = 0;
	unsigned int lineno = 0;
	int ret = 0;
	FILE *f;

	f = fopen(file, "re");
	if (!f) {
		snprintf(err, errlen, "%s: %s", file, strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, f) >= 0) {
		char *s = trim(line), *value;

		lineno++;
		if (!*s || *s == '#')
			continue;
		value = s + strcspn(s, " \t");
		if (*value)
			*value++ = '\0';
		value = trim(value);
		if (!*value) {
			snprintf(err, errlen, "%s:%u: \"%s\" needs a value",
				 file, lineno, s);
			ret = -1;
			break;
		}
		if (policy_add(p, s, value, msg, sizeof(msg))) {
			snprintf(err, errlen, "%s:%u: %s", file, lineno, msg);
			ret = -1;
			break;
		}
	}
	if (!ret && ferror(f)) {
		snprintf(err, errlen, "%s: read error", file);
		ret = -1;
	}
	free(line);
	fclose(f);
	return ret;
}

unsigned int policy_categories(const struct policy *p)
{
	unsigned int c = 0;

	if (p->allow_path.n || p->deny_path.n)
		c |= POLICY_PATH;
	if (p->allow_connect.n || p->allow_bind.n)
		c |= POLICY_NET;
	if (p->allow_exec.n)
		c |= POLICY_EXEC;
	return c;
}

bool policy_needs_proto(const struct policy *p)
{
	size_t i;

	for (i = 0; i < p->allow_connect.n; i++)
		if (p->allow_connect.items[i].proto != PROTO_ANY)
			return true;
	for (i = 0; i < p->allow_bind.n; i++)
		if (p->allow_bind.items[i].proto != PROTO_ANY)
			return true;
	return false;
}

static const char *first_match(const struct rule_list *l, const char *path)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (glob_match(l->items[i].glob, path))
			return l->items[i].text;
	return NULL;
}

struct verdict policy_path(const struct policy *p, const char *path)
{
	const char *rule = first_match(&p->deny_path, path);

	if (rule)
		return (struct verdict){ false, rule };
	rule = first_match(&p->allow_path, path);
	if (rule)
		return (struct verdict){ true, rule };
	if (p->allow_path.n)
		return (struct verdict){ false, "no allow-path matches" };
	return (struct verdict){ true, "no path rule matches" };
}

struct verdict policy_exec(const struct policy *p, const char *path)
{
	const char *rule;

	if (!p->allow_exec.n)
		return (struct verdict){ true, "no exec rules" };
	rule = first_match(&p->allow_exec, path);
	if (rule)
		return (struct verdict){ true, rule };
	return (struct verdict){ false, "no allow-exec matches" };
}

static struct verdict match_addrs(const struct addr_list *l,
				  const struct addr_desc *d, bool active,
				  const char *none)
{
	size_t i;

	if (!active)
		return (struct verdict){ true, "no network rules" };
	for (i = 0; i < l->n; i++)
		if (addr_rule_match(&l->items[i], d))
			return (struct verdict){ true, l->items[i].text };
	return (struct verdict){ false, none };
}

struct verdict policy_connect(const struct policy *p, const struct addr_desc *d)
{
	return match_addrs(&p->allow_connect, d,
			   policy_categories(p) & POLICY_NET,
			   "no allow-connect matches");
}

struct verdict policy_bind(const struct policy *p, const struct addr_desc *d)
{
	return match_addrs(&p->allow_bind, d, policy_categories(p) & POLICY_NET,
			   "no allow-bind matches");
}
