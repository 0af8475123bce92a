// SPDX-License-Identifier: GPL-2.0
/*
 * oci_config.c - "seccomp-pin oci-config": the "linux.seccomp" object of
 * an OCI config.json that sends to "seccomp-pin agent" exactly the
 * syscalls the policy decides on (the table in syscalls.c, which "run"
 * traps as well), so that the two cannot drift apart.
 *
 * Nothing may stay silently untrapped. A runtime resolves syscall names
 * with the libseccomp it links, and drops the names it does not know
 * (libseccomp 2.5.4, in Debian 12's runc and crun, does not know
 * fchmodat2 or the *xattrat calls): under a profile whose default allows,
 * such a syscall would run unchecked. So the default is never to allow:
 *   - without --base, a complete profile: default SCMP_ACT_ERRNO(ENOSYS),
 *     the policy's syscalls SCMP_ACT_NOTIFY, every other x86_64 syscall
 *     (sysnames.h) SCMP_ACT_ALLOW. A name the runtime drops falls to
 *     ENOSYS: a governed one is refused, never let through; a new
 *     ungoverned one fails as on an older kernel. (runc refuses NOTIFY as
 *     the default action, so the default cannot be to notify.)
 *   - with --base FILE (a seccomp profile, or a whole config.json whose
 *     linux.seccomp is used), the base's rules stay: governed syscalls it
 *     allows are notified instead (its argument conditions kept), those
 *     it refuses stay refused; a default that allows is turned into
 *     ENOSYS plus an explicit allow (with the base's action) of every
 *     syscall the base does not name. A base that allows by default and
 *     has conditional rules cannot be turned so without changing what it
 *     means: it is refused, with the reason.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "common.h"
#include "syscalls.h"
#include "sysnames.h"

#define NSYSNAMES (sizeof(x86_64_syscall_names) / sizeof(x86_64_syscall_names[0]))

struct build {
	const struct sys_desc *table;
	size_t ntable;
	unsigned int categories;
	/* Per name of sysnames.h: named by a base rule; decided by it. */
	unsigned char named[NSYSNAMES], decided[NSYSNAMES];
};

static int name_index(const char *name)
{
	size_t i;

	for (i = 0; i < NSYSNAMES; i++)
		if (!strcmp(x86_64_syscall_names[i], name))
			return i;
	return -1;
}

/* The table entry of @name if the policy governs it, else NULL. */
static const struct sys_desc *governed(const struct build *b, const char *name)
{
	size_t i;

	for (i = 0; i < b->ntable; i++)
		if (!strcmp(b->table[i].name, name))
			return sys_trapped(&b->table[i], b->categories) ?
				       &b->table[i] :
				       NULL;
	return NULL;
}

static bool allows(const char *action)
{
	return action && (!strcmp(action, "SCMP_ACT_ALLOW") ||
			  !strcmp(action, "SCMP_ACT_LOG"));
}

static json_t *rule(json_t *names, const char *action)
{
	return json_pack("{s:o,s:s}", "names", names, "action", action);
}

/* sendto(fd, buf, len, flags, NULL, 0) names nothing to decide on. */
static void add_null_ok(json_t *rules, const struct sys_desc *d,
			const char *allow_action)
{
	json_t *r = rule(json_pack("[s]", d->name), "SCMP_ACT_NOTIFY");

	json_object_set_new(r, "args",
			    json_pack("[{s:i,s:i,s:s}]", "index", d->arg[0],
				      "value", 0, "op", "SCMP_CMP_NE"));
	json_array_append_new(rules, r);
	if (!allow_action)
		return;
	r = rule(json_pack("[s]", d->name), allow_action);
	json_object_set_new(r, "args",
			    json_pack("[{s:i,s:i,s:s}]", "index", d->arg[0],
				      "value", 0, "op", "SCMP_CMP_EQ"));
	json_array_append_new(rules, r);
}

/*
 * The base's rules, governed names taken out of those that allow (moved
 * to a NOTIFY copy if the rule has conditions). -1 on a malformed base.
 */
static int merge_base_rules(struct build *b, json_t *base_rules, json_t *out,
			    bool *conditional)
{
	json_t *r;
	size_t i;

	if (!base_rules)
		return 0;
	if (!json_is_array(base_rules))
		return -1;
	json_array_foreach(base_rules, i, r) {
		json_t *names = json_object_get(r, "names"), *args, *n, *keep,
		       *moved;
		const char *action = json_string_value(json_object_get(r, "action"));
		bool has_args;
		size_t k;

		if (!json_is_object(r) || !json_is_array(names) || !action)
			return -1;
		args = json_object_get(r, "args");
		has_args = json_is_array(args) && json_array_size(args);
		*conditional = *conditional || has_args;
		keep = json_array();
		moved = json_array();
		json_array_foreach(names, k, n) {
			const char *name = json_string_value(n);
			int idx;

			if (!name) {
				json_decref(keep);
				json_decref(moved);
				return -1;
			}
			idx = name_index(name);
			if (idx >= 0)
				b->named[idx] = 1;
			if (!governed(b, name)) {
				json_array_append(keep, n);
				continue;
			}
			if (!allows(action)) {
				/* refused (or notified) by the base: stays so */
				json_array_append(keep, n);
			} else if (has_args) {
				/* allowed on conditions: notified on them */
				json_array_append(moved, n);
			} else {
				/* allowed: notified instead, below */
				continue;
			}
			if (idx >= 0)
				b->decided[idx] = 1;
		}
		if (json_array_size(keep)) {
			json_t *copy = json_deep_copy(r);

			json_object_set(copy, "names", keep);
			json_array_append_new(out, copy);
		}
		if (json_array_size(moved)) {
			json_t *copy = json_deep_copy(r);

			json_object_set(copy, "names", moved);
			json_object_set_new(copy, "action",
					    json_string("SCMP_ACT_NOTIFY"));
			json_array_append_new(out, copy);
		}
		json_decref(keep);
		json_decref(moved);
	}
	return 0;
}

/* The profile; NULL with *why set if @base cannot be made safe. */
static json_t *profile(struct build *b, json_t *base, const char *socket,
		       const char *metadata, const char **why)
{
	const char *def = base ? json_string_value(json_object_get(base, "defaultAction")) :
				 "SCMP_ACT_ALLOW";
	json_t *out = base ? json_deep_copy(base) : json_object();
	json_t *rules = json_array(), *notify = json_array(), *allow;
	bool conditional = false, allow_default;
	size_t i;

	if (!def) {
		*why = "the base profile has no defaultAction";
		goto bad;
	}
	allow_default = allows(def);
	if (merge_base_rules(b, base ? json_object_get(base, "syscalls") : NULL,
			     rules, &conditional)) {
		*why = "the base profile's syscalls are malformed";
		goto bad;
	}
	if (allow_default && conditional) {
		*why = "the base profile allows by default and has conditional rules: "
		       "unknown syscalls cannot be refused without changing what it "
		       "means; give it a default that refuses (SCMP_ACT_ERRNO)";
		goto bad;
	}
	/* Governed syscalls the base leaves to its default, or allows. */
	for (i = 0; i < b->ntable; i++) {
		const struct sys_desc *d = &b->table[i];
		int idx = name_index(d->name);

		if (!sys_trapped(d, b->categories) || (idx >= 0 && b->decided[idx]))
			continue;
		/* Named only in rules that allowed it unconditionally, or not
		 * named at all under a default that allows: notify. */
		if (!allow_default && (idx < 0 || !b->named[idx]))
			continue; /* the base refuses it: so do we */
		if (d->flags & SYS_F_NULL_OK)
			add_null_ok(rules, d, allow_default || (idx >= 0 && b->named[idx]) ?
						      (allow_default ? def : "SCMP_ACT_ALLOW") :
						      NULL);
		else
			json_array_append_new(notify, json_string(d->name));
	}
	json_array_insert_new(rules, 0, rule(notify, "SCMP_ACT_NOTIFY"));
	if (allow_default) {
		/* Refuse what nobody names, allow by name what the base allowed. */
		allow = json_array();
		for (i = 0; i < NSYSNAMES; i++)
			if (!b->named[i] && !governed(b, x86_64_syscall_names[i]))
				json_array_append_new(
					allow, json_string(x86_64_syscall_names[i]));
		json_array_append_new(rules, rule(allow, def));
		json_object_set_new(out, "defaultAction",
				    json_string("SCMP_ACT_ERRNO"));
		json_object_set_new(out, "defaultErrnoRet", json_integer(ENOSYS));
	}
	if (!json_object_get(out, "architectures"))
		json_object_set_new(out, "architectures",
				    json_pack("[s]", "SCMP_ARCH_X86_64"));
	json_object_set_new(out, "listenerPath", json_string(socket));
	if (metadata)
		json_object_set_new(out, "listenerMetadata", json_string(metadata));
	json_object_set_new(out, "syscalls", rules);
	return out;
bad:
	json_decref(out);
	json_decref(rules);
	json_decref(notify);
	return NULL;
}

int cmd_oci_config(struct agent_opts *o, const char *metadata,
		   const char *base_file)
{
	struct build b = { .categories = policy_categories(&o->policy) };
	json_t *base = NULL, *doc = NULL, *linux_obj = NULL, *out;
	const char *why = NULL;
	json_error_t jerr;
	char *text;

	/* No rules given: everything the agent can decide on. */
	if (!b.categories)
		b.categories = POLICY_PATH | POLICY_NET | POLICY_EXEC;
	b.table = sys_table(&b.ntable);
	if (base_file) {
		doc = json_load_file(base_file, JSON_REJECT_DUPLICATES, &jerr);
		if (!doc) {
			tool_err("%s:%d: %s", base_file, jerr.line, jerr.text);
			return EXIT_TOOL_FAILURE;
		}
		if (json_object_get(doc, "ociVersion")) {
			/* A whole config.json: its linux.seccomp, if any. */
			linux_obj = json_object_get(doc, "linux");
			if (!json_is_object(linux_obj)) {
				linux_obj = json_object();
				json_object_set_new(doc, "linux", linux_obj);
			}
			base = json_object_get(linux_obj, "seccomp");
		} else {
			base = doc;
		}
		if (base && !json_is_object(base)) {
			tool_err("%s: the seccomp profile is not a JSON object",
				 base_file);
			json_decref(doc);
			return EXIT_TOOL_FAILURE;
		}
	}
	if (!base)
		tool_err("oci-config: %s: a complete profile (the policy's "
			 "syscalls to the agent, every other x86_64 syscall "
			 "allowed, unknown ones ENOSYS); --base FILE adds to "
			 "an existing one",
			 base_file ? "no linux.seccomp in the base" : "no --base");
	out = profile(&b, base, o->socket_path, metadata, &why);
	if (!out) {
		tool_err("%s: %s", base_file, why);
		json_decref(doc);
		return EXIT_TOOL_FAILURE;
	}
	if (linux_obj) {
		json_object_set_new(linux_obj, "seccomp", out);
		out = json_incref(doc);
	}
	text = json_dumps(out, JSON_INDENT(1));
	json_decref(out);
	json_decref(doc);
	if (!text)
		return EXIT_TOOL_FAILURE;
	puts(text);
	free(text);
	return 0;
}
