/* SPDX-License-Identifier: GPL-2.0 */
/*
 * policy.h - what a confined program may do: the rules and the decisions.
 *
 * Rules come from the command line (--allow-path GLOB, ...) or from a
 * policy file with one rule per line: the option name without "--", blanks,
 * the value. Blank lines and lines starting with '#' are skipped:
 *
 *   # comment
 *   allow-path GLOB
 *   deny-path GLOB
 *   allow-connect ADDR
 *   allow-bind ADDR
 *   allow-exec GLOB
 *
 * (seccomp-pin.1 has a complete example; GLOB syntax is in glob.h, ADDR
 * syntax in addr.h.)
 *
 * Categories: a category with no rule is not policed at all (run does not
 * even trap its syscalls). Within a category:
 *   paths    a deny-path match denies; otherwise an allow-path match allows;
 *            otherwise deny if any allow-path exists, else allow.
 *   network  any allow-connect or allow-bind turns it on; then connect and
 *            sendto addresses must match an allow-connect, bind addresses
 *            an allow-bind.
 *   exec     any allow-exec turns it on; the file executed must match one.
 */
#ifndef SP_TOOL_POLICY_H
#define SP_TOOL_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "addr.h"

#define POLICY_PATH (1U << 0)
#define POLICY_NET (1U << 1)
#define POLICY_EXEC (1U << 2)

struct path_rule {
	char *glob;
	char *text; /* "deny-path GLOB", for the log */
};

struct rule_list {
	struct path_rule *items;
	size_t n;
};

struct addr_list {
	struct addr_rule *items;
	size_t n;
};

struct policy {
	struct rule_list allow_path, deny_path, allow_exec;
	struct addr_list allow_connect, allow_bind;
};

/* A decision and the rule (or default) that made it, for the log. */
struct verdict {
	bool allow;
	const char *why; /* points into the policy or at a static string */
};

void policy_init(struct policy *p);
void policy_free(struct policy *p);

/*
 * Add the rule KEY VALUE (KEY without "--"). 0, or -1 with a message in
 * @err (unknown key, malformed pattern or address).
 */
int policy_add(struct policy *p, const char *key, const char *value, char *err,
	       size_t errlen);

/* Add every rule of @file. 0, or -1 with "FILE:LINE: message" in @err. */
int policy_load(struct policy *p, const char *file, char *err, size_t errlen);

/* POLICY_* bits of the categories that have rules. */
unsigned int policy_categories(const struct policy *p);

/* Does any address rule need the socket's protocol (tcp:/udp:)? */
bool policy_needs_proto(const struct policy *p);

struct verdict policy_path(const struct policy *p, const char *path);
struct verdict policy_exec(const struct policy *p, const char *path);
struct verdict policy_connect(const struct policy *p,
			      const struct addr_desc *addr);
struct verdict policy_bind(const struct policy *p,
			   const struct addr_desc *addr);

#endif /* SP_TOOL_POLICY_H */
