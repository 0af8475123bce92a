// SPDX-License-Identifier: GPL-2.0
/*
 * test_run_policy - what "seccomp-pin run" allows and denies, and what it
 * logs: path rules after normalisation (cwd, dirfd, "..", openat2's two
 * readings, symlink contents, both paths of rename/link), address rules
 * (tcp/udp/unix, connect/sendto/bind, msghdr refused), exec rules, the
 * JSON log, policy files.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "tcheck.h"
#include "tools_common.h"

static void setup(void)
{
	CHECK(scratch_init("policy"));
	mkdirs(scratch_path("pub/etc"));
	mkdirs(scratch_path("priv"));
	write_file(scratch_path("pub/a.txt"), "public\n");
	write_file(scratch_path("pub/etc/passwd"), "fake passwd\n");
	write_file(scratch_path("priv/secret.txt"), "SECRET\n");
}

/*
 * seccomp-pin run RULES... -- probe OP ARGS...; RULES and the probe's
 * arguments are one list split at "--". Returns the probe's exit code and
 * leaves its output in "out" (truncated first).
 */
static int probe_under(const char *const *args)
{
	char *argv[64];
	int n = 0, i;

	argv[n++] = (char *)prog("seccomp-pin");
	argv[n++] = "run";
	argv[n++] = "--log";
	argv[n++] = scratch_path("log");
	argv[n++] = "--log-format";
	argv[n++] = "json";
	for (i = 0; args[i] && strcmp(args[i], "--"); i++)
		argv[n++] = (char *)args[i];
	argv[n++] = "--";
	argv[n++] = (char *)prog("probe");
	for (i++; args[i]; i++)
		argv[n++] = (char *)args[i];
	argv[n] = NULL;
	unlink(scratch_path("out"));
	return run(argv, scratch_path("out"), scratch_path("err"), 60);
}

#define PROBE(...) probe_under((const char *const[]){ __VA_ARGS__, NULL })

static void expect_out(const char *want)
{
	char *out = slurp(scratch_path("out"));
	bool ok = strstr(out, want) != NULL;

	if (!ok) {
		dump_file("probe output", scratch_path("out"));
		dump_file("stderr", scratch_path("err"));
		dump_file("log", scratch_path("log"));
	}
	free(out);
	CHECK_MSG(ok, "expected \"%s\"", want);
}

static void expect_log(const char *want)
{
	if (!file_contains(scratch_path("log"), want)) {
		dump_file("log", scratch_path("log"));
		tcheck_fail(__FILE__, __LINE__, "log lacks %s", want);
	}
}

static char rule_priv[600], rule_pub[600];

static void rules(void)
{
	snprintf(rule_priv, sizeof(rule_priv), "%s/priv/**", scratch_dir);
	snprintf(rule_pub, sizeof(rule_pub), "%s/pub/**", scratch_dir);
}

static void deny_path_denies_and_logs_json(void)
{
	char line[1200];

	rules();
	CHECK_INT(PROBE("--deny-path", rule_priv, "--", "open",
			scratch_path("priv/secret.txt")),
		  ==, 1);
	expect_out("errno=EACCES");
	snprintf(
		line, sizeof(line),
		"\"syscall\":\"openat\",\"path\":\"%s\",\"decision\":\"deny\",\"errno\":\"EACCES\"",
		scratch_path("priv/secret.txt"));
	expect_log(line);
	expect_log("{\"pid\":");
	CHECK_INT(PROBE("--deny-path", rule_priv, "--", "open",
			scratch_path("pub/a.txt")),
		  ==, 0);
	snprintf(
		line, sizeof(line),
		"\"syscall\":\"openat\",\"path\":\"%s\",\"decision\":\"allow\"",
		scratch_path("pub/a.txt"));
	expect_log(line);
	/* Received and pinned in one call (SECCOMP_PIN_IOC_RECV_PIN). */
	expect_log("\"pinned\":\"receive\"}");
}

static void allow_path_denies_the_rest(void)
{
	rules();
	CHECK_INT(PROBE("--allow-path", rule_pub, "--", "open",
			scratch_path("pub/a.txt")),
		  ==, 0);
	CHECK_INT(PROBE("--allow-path", rule_pub, "--", "open", "/etc/passwd"),
		  ==, 1);
	expect_out("errno=EACCES");
	expect_log("\"reason\":\"no allow-path matches\"");
	/* deny beats allow */
	CHECK_INT(PROBE("--allow-path", rule_pub, "--deny-path",
			scratch_path("pub/a.txt"), "--", "open", scratch_path("pub/a.txt")),
		  ==, 1);
}

static void relative_path_resolved_against_cwd(void)
{
	char line[800];

	rules();
	CHECK_INT(PROBE("--deny-path", rule_priv, "--", "chdir", scratch_path("pub"),
			"../priv/secret.txt"),
		  ==, 1);
	expect_out("errno=EACCES");
	snprintf(line, sizeof(line), "\"path\":\"%s\"",
		 scratch_path("priv/secret.txt"));
	expect_log(line);
	CHECK_INT(PROBE("--deny-path", rule_priv, "--", "chdir", scratch_path("pub"),
			"a.txt"),
		  ==, 0);
}

static void relative_path_resolved_against_dirfd(void)
{
	char rule[600];

	rules();
	snprintf(rule, sizeof(rule), "%s/priv/*.txt", scratch_dir);
	CHECK_INT(PROBE("--deny-path", rule, "--", "openat", scratch_path("priv"),
			"secret.txt"),
		  ==, 1);
	expect_out("errno=EACCES");
	CHECK_INT(PROBE("--deny-path", rule, "--", "openat", scratch_path("pub"),
			"../priv/secret.txt"),
		  ==, 1);
	CHECK_INT(PROBE("--deny-path", rule, "--", "openat", scratch_path("priv"),
			"../pub/a.txt"),
		  ==, 0);
}

static void dots_and_slashes_are_normalised(void)
{
	char p1[600], p2[600];

	rules();
	snprintf(p1, sizeof(p1), "%s/pub/../priv//./secret.txt", scratch_dir);
	snprintf(p2, sizeof(p2), "/../..%s/pub/etc/../../priv/secret.txt", scratch_dir);
	CHECK_INT(PROBE("--deny-path", rule_priv, "--", "open", p1), ==, 1);
	CHECK_INT(PROBE("--deny-path", rule_priv, "--", "open", p2), ==, 1);
	expect_out("errno=EACCES");
}

/* open_how is not pinned: the path must be allowed both ways. */
static void openat2_checked_both_ways(void)
{
	char rule[600];

	rules();
	snprintf(rule, sizeof(rule), "%s/pub/etc/**", scratch_dir);
	CHECK_INT(PROBE("--deny-path", rule, "--", "openat2", scratch_path("pub"),
			"/etc/passwd", "inroot"),
		  ==, 1);
	expect_out("errno=EACCES");
	expect_log("RESOLVE_IN_ROOT");
	CHECK_INT(PROBE("--deny-path", rule, "--", "openat2", scratch_path("pub"),
			"a.txt", "beneath"),
		  ==, 0);
}

static void symlink_content_is_checked(void)
{
	rules();
	CHECK_INT(PROBE("--deny-path", rule_priv, "--", "symlink",
			scratch_path("priv/secret.txt"), scratch_path("pub/l1")),
		  ==, 1);
	CHECK_INT(PROBE("--deny-path", rule_priv, "--", "symlink",
			"../priv/secret.txt", scratch_path("pub/l2")),
		  ==, 1);
	expect_out("errno=EACCES");
	CHECK_INT(PROBE("--deny-path", rule_priv, "--", "symlink", "a.txt",
			scratch_path("pub/l3")),
		  ==, 0);
}

static void rename_and_link_check_both_paths(void)
{
	char line[800];

	rules();
	CHECK_INT(PROBE("--deny-path", rule_priv, "--", "rename",
			scratch_path("priv/secret.txt"), scratch_path("pub/x")),
		  ==, 1);
	snprintf(line, sizeof(line), "\"path2\":\"%s\"", scratch_path("pub/x"));
	expect_log(line);
	CHECK_INT(PROBE("--deny-path", rule_priv, "--", "link",
			scratch_path("priv/secret.txt"), scratch_path("pub/y")),
		  ==, 1);
	CHECK_INT(PROBE("--deny-path", rule_priv, "--", "rename",
			scratch_path("pub/a.txt"), scratch_path("priv/a.txt")),
		  ==, 1);
	CHECK(!access(scratch_path("priv/secret.txt"), F_OK));
	CHECK(access(scratch_path("pub/x"), F_OK));
}

/*
 * glibc's fstat is newfstatat(fd, "", AT_EMPTY_PATH): an fd, not a path.
 * 6.1 pins the empty path; 6.10+ cannot (the kernel peeks at it before
 * getname), so seccomp-pin does the fstat itself and writes the result.
 */
static void fstat_works_under_a_path_policy(void)
{
	char want[64];
	struct stat st;

	rules();
	CHECK_INT(stat(scratch_path("pub/a.txt"), &st), ==, 0);
	snprintf(want, sizeof(want), "size=7 ino=%llu\nok",
		 (unsigned long long)st.st_ino);
	CHECK_INT(PROBE("--allow-path", rule_pub, "--", "fstat",
			scratch_path("pub/a.txt")),
		  ==, 0);
	expect_out(want);
	expect_log("\"syscall\":\"newfstatat\",\"path\":\"\",\"decision\":\"allow\"");
	CHECK_INT(PROBE("--allow-path", rule_pub, "--", "fstatx",
			scratch_path("pub/a.txt")),
		  ==, 0);
	expect_out(want);
	expect_log("\"syscall\":\"statx\",\"path\":\"\",\"decision\":\"allow\"");
}

struct server {
	int fd[4];
	int n;
};

static void *acceptor(void *arg)
{
	struct server *s = arg;

	for (;;) {
		int i;

		for (i = 0; i < s->n; i++) {
			int c = accept4(s->fd[i], NULL, NULL, SOCK_NONBLOCK);

			if (c >= 0)
				close(c);
		}
		usleep(5000);
	}
	return NULL;
}

static void start_servers(struct server *s, int p1, int p2)
{
	pthread_t t;

	loopback_up();
	s->fd[0] = tcp_listen(p1, 64);
	s->fd[1] = tcp_listen(p2, 64);
	s->n = 2;
	pthread_create(&t, NULL, acceptor, s);
}

static void connect_allowed_only_to_listed_addresses(void)
{
	struct server s;

	start_servers(&s, 41001, 41002);
	CHECK_INT(PROBE("--allow-connect", "tcp:127.0.0.1:41001", "--",
			"connect", "127.0.0.1", "41001"),
		  ==, 0);
	CHECK_INT(PROBE("--allow-connect", "tcp:127.0.0.1:41001", "--",
			"connect", "127.0.0.1", "41002"),
		  ==, 1);
	expect_out("errno=EACCES");
	expect_log("\"addr\":\"tcp:127.0.0.1:41002\",\"decision\":\"deny\"");
	/* the protocol is part of the rule */
	CHECK_INT(PROBE("--allow-connect", "udp:127.0.0.1:41001", "--",
			"connect", "127.0.0.1", "41001"),
		  ==, 1);
	/* ranges, prefixes, any protocol */
	CHECK_INT(PROBE("--allow-connect", "127.0.0.0/8:41000-41001", "--",
			"connect", "127.0.0.1", "41001"),
		  ==, 0);
	CHECK_INT(PROBE("--allow-connect", "10.0.0.0/8:*", "--", "connect",
			"127.0.0.1", "41001"),
		  ==, 1);
}

static void unix_connect_allowed_only_to_listed_paths(void)
{
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	char rule[600];
	int fd;

	snprintf(un.sun_path, sizeof(un.sun_path), "%s", scratch_path("pub/s.sock"));
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_INT(bind(fd, (struct sockaddr *)&un, sizeof(un)), ==, 0);
	CHECK_INT(listen(fd, 16), ==, 0);
	snprintf(un.sun_path, sizeof(un.sun_path), "%s", scratch_path("pub/t.sck"));
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_INT(bind(fd, (struct sockaddr *)&un, sizeof(un)), ==, 0);
	CHECK_INT(listen(fd, 16), ==, 0);
	snprintf(rule, sizeof(rule), "unix:%s/pub/*.sock", scratch_dir);
	CHECK_INT(PROBE("--allow-connect", rule, "--", "connect_unix",
			scratch_path("pub/s.sock")),
		  ==, 0);
	CHECK_INT(PROBE("--allow-connect", rule, "--", "connect_unix",
			scratch_path("pub/t.sck")),
		  ==, 1);
	expect_out("errno=EACCES");
}

static void sendto_checked_sendmsg_refused(void)
{
	loopback_up();
	CHECK_INT(PROBE("--allow-connect", "udp:127.0.0.1:41003", "--",
			"sendto", "127.0.0.1", "41003"),
		  ==, 0);
	CHECK_INT(PROBE("--allow-connect", "udp:127.0.0.1:41003", "--",
			"sendto", "127.0.0.1", "41004"),
		  ==, 1);
	expect_out("errno=EACCES");
	CHECK_INT(PROBE("--allow-connect", "udp:127.0.0.1:41003", "--",
			"sendmsg", "127.0.0.1", "41003"),
		  ==, 1);
	expect_out("errno=EACCES");
	expect_log("msghdr");
}

static void bind_allowed_only_to_listed_addresses(void)
{
	loopback_up();
	CHECK_INT(PROBE("--allow-bind", "tcp:127.0.0.1:41005", "--", "bind",
			"127.0.0.1", "41005"),
		  ==, 0);
	CHECK_INT(PROBE("--allow-bind", "tcp:127.0.0.1:41005", "--", "bind",
			"127.0.0.1", "41006"),
		  ==, 1);
	expect_out("errno=EACCES");
}

static void io_uring_refused_under_a_policy(void)
{
	CHECK_INT(PROBE("--deny-path", "/nonexistent", "--", "io_uring"), ==,
		  1);
	expect_out("errno=EACCES");
}

static void exec_policy_logs_argv(void)
{
	CHECK_INT(PROBE("--allow-exec", prog("probe"), "--", "exec",
			"/bin/true", "argument one"),
		  ==, 1);
	expect_out("errno=EACCES");
	expect_log(
		"\"syscall\":\"execve\",\"path\":\"/bin/true\",\"argv\":[\"/bin/true\",\"argument one\"],\"decision\":\"deny\"");
	CHECK_INT(PROBE("--allow-exec", prog("probe"), "--allow-exec", "/bin/*",
			"--", "exec", "/bin/true"),
		  ==, 0);
}

static void policy_file_rules_apply(void)
{
	char text[1024], badfile[600];
	char *bad[] = { (char *)prog("seccomp-pin"),
			"run",
			"--policy",
			badfile,
			"--",
			"/bin/true",
			NULL };

	snprintf(
		text, sizeof(text),
		"# comment\n\nallow-path %s/pub/**\n  deny-path   %s/pub/etc/*\n",
		scratch_dir, scratch_dir);
	write_file(scratch_path("p.policy"), text);
	CHECK_INT(PROBE("--policy", scratch_path("p.policy"), "--", "open",
			scratch_path("pub/a.txt")),
		  ==, 0);
	CHECK_INT(PROBE("--policy", scratch_path("p.policy"), "--", "open",
			scratch_path("pub/etc/passwd")),
		  ==, 1);
	CHECK_INT(PROBE("--policy", scratch_path("p.policy"), "--", "open",
			scratch_path("priv/secret.txt")),
		  ==, 1);
	snprintf(badfile, sizeof(badfile), "%s", scratch_path("bad.policy"));
	write_file(badfile, "allow-path /x\nallow-connect nowhere\n");
	CHECK_INT(run(bad, NULL, scratch_path("err"), 30), ==, 125);
	CHECK(file_contains(scratch_path("err"), "bad.policy:2:"));
}

int main(void)
{
	static const struct tcase cases[] = {
		TCASE(deny_path_denies_and_logs_json),
		TCASE(allow_path_denies_the_rest),
		TCASE(relative_path_resolved_against_cwd),
		TCASE(relative_path_resolved_against_dirfd),
		TCASE(dots_and_slashes_are_normalised),
		TCASE(openat2_checked_both_ways),
		TCASE(symlink_content_is_checked),
		TCASE(rename_and_link_check_both_paths),
		TCASE(fstat_works_under_a_path_policy),
		TCASE(connect_allowed_only_to_listed_addresses),
		TCASE(unix_connect_allowed_only_to_listed_paths),
		TCASE(sendto_checked_sendmsg_refused),
		TCASE(bind_allowed_only_to_listed_addresses),
		TCASE(io_uring_refused_under_a_policy),
		TCASE(exec_policy_logs_argv),
		TCASE(policy_file_rules_apply),
	};

	tcheck_before_each = setup;
	return tcheck_run(cases, sizeof(cases) / sizeof(cases[0])) ? 1 : 0;
}
