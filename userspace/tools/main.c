// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - seccomp-pin's command line: subcommands and their options.
 *
 *   seccomp-pin status [--json]
 *   seccomp-pin run [RULES] [--policy FILE] [--log FILE] [--log-format F] -- CMD ARGS
 *   seccomp-pin agent --socket PATH --policy FILE [--log FILE] [--log-format F]
 *
 * See seccomp-pin(1).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "common.h"

/* The top-level VERSION file, through the Makefile. */
#ifndef SP_VERSION
#error "SP_VERSION (from the top-level VERSION file) is not defined"
#endif
#define VERSION SP_VERSION

enum {
	OPT_ALLOW_PATH = 256,
	OPT_DENY_PATH,
	OPT_ALLOW_CONNECT,
	OPT_ALLOW_BIND,
	OPT_ALLOW_EXEC,
	OPT_POLICY,
	OPT_LOG,
	OPT_LOG_FORMAT,
	OPT_SOCKET,
	OPT_JSON,
	OPT_METADATA,
	OPT_BASE,
	OPT_POLICY_DIR,
};

static const char usage_text[] =
	"usage: seccomp-pin status [--json]\n"
	"       seccomp-pin run [OPTIONS] [--] CMD [ARGS...]\n"
	"       seccomp-pin agent --socket PATH --policy FILE|--policy-dir DIR [RULES]\n"
	"                         [--log FILE] [--log-format text|json]\n"
	"       seccomp-pin oci-config --socket PATH [--policy FILE] [--metadata STRING]\n"
	"                              [--base PROFILE|CONFIG.JSON]\n"
	"\n"
	"run options (each rule option may be repeated):\n"
	"  --allow-path GLOB     allow path syscalls on matching paths (then deny the rest)\n"
	"  --deny-path GLOB      deny path syscalls on matching paths\n"
	"  --allow-connect ADDR  allow connect/sendto to ADDR (then deny the rest)\n"
	"  --allow-bind ADDR     allow bind to ADDR (then deny the rest)\n"
	"  --allow-exec GLOB     allow execve of matching files (then deny the rest)\n"
	"  --policy FILE         read rules from FILE (one \"allow-path GLOB\" per line...)\n"
	"  --log FILE            log every decision to FILE (\"-\": stderr); default:\n"
	"                        denials only, to stderr\n"
	"  --log-format FMT      text (default) or json\n"
	"\n"
	"ADDR: unix:/path, unix:@abstract, [tcp:|udp:]HOST:PORT with HOST an IPv4\n"
	"address, [IPv6], either with /PREFIX, or *; PORT N, LO-HI or *.\n"
	"GLOB: * within a path component, ** across components, ?, [set].\n"
	"See seccomp-pin(1).\n";

static const struct option long_opts[] = {
	{ "allow-path", required_argument, NULL, OPT_ALLOW_PATH },
	{ "deny-path", required_argument, NULL, OPT_DENY_PATH },
	{ "allow-connect", required_argument, NULL, OPT_ALLOW_CONNECT },
	{ "allow-bind", required_argument, NULL, OPT_ALLOW_BIND },
	{ "allow-exec", required_argument, NULL, OPT_ALLOW_EXEC },
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ "log", required_argument, NULL, OPT_LOG },
	{ "log-format", required_argument, NULL, OPT_LOG_FORMAT },
	{ "socket", required_argument, NULL, OPT_SOCKET },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "metadata", required_argument, NULL, OPT_METADATA },
	{ "base", required_argument, NULL, OPT_BASE },
	{ "policy-dir", required_argument, NULL, OPT_POLICY_DIR },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/*
 * Bad usage exits 125, as env(1) does: "run"'s own failures must stay
 * apart from CMD's exit statuses (CMD may well exit 2).
 */
static int usage_error(const char *fmt, const char *arg)
{
	char msg[512];

	snprintf(msg, sizeof(msg), fmt, arg);
	tool_err("%s (see seccomp-pin --help)", msg);
	return EXIT_TOOL_FAILURE;
}

#define MAX_RULE_OPTS 256

/* Options shared by the subcommands; @allowed lists what this one takes. */
struct parsed {
	struct policy policy;
	struct rule_opt rules[MAX_RULE_OPTS]; /* the rule options, in order */
	int nrules;
	const char *log_file, *socket_path, *policy_file, *metadata, *base;
	const char *policy_dir;
	enum log_format log_format;
	bool json;
};

static int parse(int argc, char **argv, struct parsed *o, const char *what,
		 unsigned int allowed)
{
	char err[512];
	int c;

	memset(o, 0, sizeof(*o));
	policy_init(&o->policy);
	o->log_format = LOG_TEXT;
	optind = 1;
	/* "+": stop at CMD, whose own options are not ours. */
	while ((c = getopt_long(argc, argv, "+h", long_opts, NULL)) != -1) {
		const char *key = NULL;

		if (c == 'h') {
			fputs(usage_text, stdout);
			exit(0);
		}
		if (c == '?')
			return EXIT_TOOL_FAILURE;
		if (!(allowed & (1U << (c - OPT_ALLOW_PATH))))
			return usage_error("%s does not take this option",
					   what);
		switch (c) {
		case OPT_ALLOW_PATH:
			key = "allow-path";
			break;
		case OPT_DENY_PATH:
			key = "deny-path";
			break;
		case OPT_ALLOW_CONNECT:
			key = "allow-connect";
			break;
		case OPT_ALLOW_BIND:
			key = "allow-bind";
			break;
		case OPT_ALLOW_EXEC:
			key = "allow-exec";
			break;
		case OPT_POLICY:
			if (policy_load(&o->policy, optarg, err, sizeof(err))) {
				tool_err("%s", err);
				return EXIT_TOOL_FAILURE;
			}
			o->policy_file = optarg;
			break;
		case OPT_LOG:
			o->log_file = optarg;
			break;
		case OPT_LOG_FORMAT:
			if (log_format_parse(optarg, &o->log_format))
				return usage_error(
					"unknown log format \"%s\" (text or json)",
					optarg);
			break;
		case OPT_SOCKET:
			o->socket_path = optarg;
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_METADATA:
			o->metadata = optarg;
			break;
		case OPT_BASE:
			o->base = optarg;
			break;
		case OPT_POLICY_DIR:
			o->policy_dir = optarg;
			break;
		}
		if (key &&
		    policy_add(&o->policy, key, optarg, err, sizeof(err))) {
			tool_err("%s", err);
			return EXIT_TOOL_FAILURE;
		}
		if (key && o->nrules < MAX_RULE_OPTS) {
			o->rules[o->nrules].key = key;
			o->rules[o->nrules++].value = optarg;
		} else if (key) {
			return usage_error("%s", "too many rule options");
		}
	}
	return 0;
}

#define ALLOW(o) (1U << ((o)-OPT_ALLOW_PATH))
#define RULE_OPTS                                                     \
	(ALLOW(OPT_ALLOW_PATH) | ALLOW(OPT_DENY_PATH) |               \
	 ALLOW(OPT_ALLOW_CONNECT) | ALLOW(OPT_ALLOW_BIND) |           \
	 ALLOW(OPT_ALLOW_EXEC) | ALLOW(OPT_POLICY) | ALLOW(OPT_LOG) | \
	 ALLOW(OPT_LOG_FORMAT))

int main(int argc, char **argv)
{
	struct parsed o;
	const char *sub;
	int ret;

	if (argc < 2)
		return usage_error("%s",
				   "missing subcommand: status, run or agent");
	sub = argv[1];
	if (!strcmp(sub, "--help") || !strcmp(sub, "-h") ||
	    !strcmp(sub, "help")) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (!strcmp(sub, "--version")) {
		printf("seccomp-pin %s (module ABI %u)\n", VERSION,
		       SECCOMP_PIN_ABI_VERSION);
		return 0;
	}
	argc--;
	argv++;
	if (!strcmp(sub, "status")) {
		ret = parse(argc, argv, &o, "status", ALLOW(OPT_JSON));
		if (ret)
			return ret;
		if (optind != argc)
			return usage_error("status takes no argument \"%s\"",
					   argv[optind]);
		return cmd_status(o.json);
	}
	if (!strcmp(sub, "run")) {
		struct run_opts r;

		ret = parse(argc, argv, &o, "run", RULE_OPTS);
		if (ret)
			return ret;
		if (optind >= argc)
			return usage_error("%s", "run needs a command");
		r.policy = o.policy;
		r.log_file = o.log_file;
		r.log_format = o.log_format;
		r.cmd = argv + optind;
		return cmd_run(&r);
	}
	if (!strcmp(sub, "agent")) {
		struct agent_opts a = { 0 };

		ret = parse(argc, argv, &o, "agent",
			    RULE_OPTS | ALLOW(OPT_SOCKET) | ALLOW(OPT_POLICY_DIR));
		if (ret)
			return ret;
		if (optind != argc)
			return usage_error("agent takes no argument \"%s\"",
					   argv[optind]);
		if (!o.socket_path)
			return usage_error("%s", "agent needs --socket PATH");
		if (o.policy_dir && o.policy_file)
			return usage_error("%s",
					   "agent takes --policy or --policy-dir, not both");
		if (!o.policy_file && !o.policy_dir &&
		    !policy_categories(&o.policy))
			return usage_error(
				"%s",
				"agent needs --policy FILE, --policy-dir DIR or rule options");
		a.policy = o.policy;
		a.policy_file = o.policy_file;
		a.policy_dir = o.policy_dir;
		a.rules = o.rules;
		a.nrules = o.nrules;
		a.socket_path = o.socket_path;
		a.log_file = o.log_file;
		a.log_format = o.log_format;
		return cmd_agent(&a);
	}
	if (!strcmp(sub, "oci-config")) {
		struct agent_opts a = { 0 };

		ret = parse(argc, argv, &o, "oci-config",
			    RULE_OPTS | ALLOW(OPT_SOCKET) | ALLOW(OPT_METADATA) |
				    ALLOW(OPT_BASE));
		if (ret)
			return ret;
		if (optind != argc)
			return usage_error("oci-config takes no argument \"%s\"",
					   argv[optind]);
		if (!o.socket_path)
			return usage_error("%s", "oci-config needs --socket PATH");
		a.policy = o.policy;
		a.socket_path = o.socket_path;
		return cmd_oci_config(&a, o.metadata, o.base);
	}
	return usage_error(
		"unknown subcommand \"%s\": status, run, agent or oci-config",
		sub);
}
