/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cli.h - the subcommands of seccomp-pin and their options.
 */
#ifndef SP_TOOL_CLI_H
#define SP_TOOL_CLI_H

#include <stdbool.h>

#include <libseccomp_pin.h>

#include "log.h"
#include "policy.h"

struct run_opts {
	struct policy policy;
	const char *log_file; /* NULL: denials to stderr */
	enum log_format log_format;
	char **cmd; /* NULL-terminated */
};

/* A rule option as given: key "allow-path", value "/usr/bin/ls". */
struct rule_opt {
	const char *key, *value;
};

struct agent_opts {
	struct policy policy; /* the rule options and --policy FILE */
	const char *policy_file; /* --policy: re-read on SIGHUP */
	const char *policy_dir; /* --policy-dir: NAME.policy per container */
	const struct rule_opt *rules; /* the rule options, for re-reading */
	int nrules;
	const char *socket_path;
	const char *log_file; /* NULL: everything to stderr */
	enum log_format log_format;
};

int cmd_status(bool json);
int cmd_run(struct run_opts *opts);
int cmd_agent(struct agent_opts *opts);
int cmd_oci_config(struct agent_opts *opts, const char *metadata,
		   const char *base_file);

/*
 * Open /dev/seccomp_pin and read its INFO; on any failure (module
 * missing, ABI mismatch) print why and return -1.
 */
int module_open(struct seccomp_pin_info *info);

#endif /* SP_TOOL_CLI_H */
