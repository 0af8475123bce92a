// SPDX-License-Identifier: GPL-2.0
/*
 * test_run_basics - "seccomp-pin run" as a process wrapper: CMD's exit
 * status and death by signal pass through, SIGINT/SIGTERM/SIGHUP reach
 * CMD, the supervisor outlives CMD while descendants that inherited the
 * filter still run, and failures to start have their own statuses.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tcheck.h"
#include "tools_common.h"

static void setup(void)
{
	CHECK(scratch_init("basics"));
}

static int sp_run_sh(const char *script)
{
	char *argv[] = { (char *)prog("seccomp-pin"),
			 "run",
			 "--",
			 "/bin/sh",
			 "-c",
			 (char *)script,
			 NULL };

	return run(argv, scratch_path("out"), scratch_path("err"), 60);
}

static void exit_status_is_passed_through(void)
{
	CHECK_INT(sp_run_sh("exit 0"), ==, 0);
	CHECK_INT(sp_run_sh("exit 7"), ==, 7);
	/* 2 is CMD's: seccomp-pin's own usage errors are 125. */
	CHECK_INT(sp_run_sh("exit 2"), ==, 2);
	CHECK_INT(sp_run_sh("exit 255"), ==, 255);
}

static void death_by_signal_is_128_plus_signal(void)
{
	CHECK_INT(sp_run_sh("kill -KILL $$"), ==, 128 + SIGKILL);
	CHECK_INT(sp_run_sh("kill -SEGV $$"), ==, 128 + SIGSEGV);
	CHECK_INT(sp_run_sh("kill -TERM $$"), ==, 128 + SIGTERM);
}

/* Start "sleep" as CMD, wait until it runs, signal seccomp-pin. */
static void forwarded(int sig)
{
	char script[512];
	char *argv[] = { (char *)prog("seccomp-pin"),
			 "run",
			 "--",
			 "/bin/sh",
			 "-c",
			 script,
			 NULL };
	double start;
	pid_t pid;
	int code;

	snprintf(script, sizeof(script), "echo > %s; exec /bin/sleep 30",
		 scratch_path("started"));
	unlink(scratch_path("started"));
	pid = spawn(argv, scratch_path("out"), scratch_path("err"));
	start = now();
	while (access(scratch_path("started"), F_OK) && now() - start < 20)
		usleep(20000);
	CHECK_MSG(!access(scratch_path("started"), F_OK), "CMD never started");
	usleep(200000); /* let the shell exec sleep */
	CHECK_INT(kill(pid, sig), ==, 0);
	code = wait_code(pid, 20);
	if (code != 128 + sig)
		dump_file("stderr", scratch_path("err"));
	CHECK_INT(code, ==, 128 + sig);
	CHECK_MSG(now() - start < 20, "CMD was not signalled, it ran out");
}

static void sigterm_sigint_sighup_reach_cmd(void)
{
	forwarded(SIGTERM);
	forwarded(SIGINT);
	forwarded(SIGHUP);
}

/*
 * CMD exits at once; its background child keeps making trapped syscalls
 * for a second. They must still be decided (the denied one denied), and
 * seccomp-pin must return only then, with CMD's status.
 */
static void supervisor_waits_for_descendants(void)
{
	char rule[300], script[1024];
	char *argv[] = { (char *)prog("seccomp-pin"),
			 "run",
			 "--deny-path",
			 rule,
			 "--log",
			 scratch_path("log"),
			 "--",
			 "/bin/sh",
			 "-c",
			 script,
			 NULL };
	double start;
	int code;

	mkdirs(scratch_path("denied"));
	snprintf(rule, sizeof(rule), "%s/denied/**", scratch_dir);
	snprintf(script, sizeof(script),
		 "(/bin/sleep 1; echo x > %s; echo y > %s) & exit 5",
		 scratch_path("ok"), scratch_path("denied/f"));
	start = now();
	code = run(argv, scratch_path("out"), scratch_path("err"), 60);
	if (code != 5)
		dump_file("stderr", scratch_path("err"));
	CHECK_INT(code, ==, 5);
	CHECK_MSG(now() - start >= 0.9, "returned before the descendant ended");
	CHECK_MSG(!access(scratch_path("ok"), F_OK),
		  "allowed write of the descendant missing");
	CHECK_MSG(access(scratch_path("denied/f"), F_OK),
		  "denied write of the descendant happened");
	if (!file_contains(scratch_path("log"), "decision=deny"))
		dump_file("log", scratch_path("log"));
	CHECK(file_contains(scratch_path("log"), "decision=deny"));
}

static void command_not_found_is_127(void)
{
	char *a1[] = { (char *)prog("seccomp-pin"), "run", "--",
		       "no-such-command-anywhere", NULL };
	char *a2[] = { (char *)prog("seccomp-pin"), "run", "--",
		       "/no/such/file", NULL };

	CHECK_INT(run(a1, NULL, scratch_path("err"), 30), ==, 127);
	CHECK(file_contains(scratch_path("err"), "command not found"));
	CHECK_INT(run(a2, NULL, scratch_path("err"), 30), ==, 127);
}

static void not_executable_is_126(void)
{
	char *argv[] = { (char *)prog("seccomp-pin"), "run", "--",
			 scratch_path("plain"), NULL };

	write_file(scratch_path("plain"), "not a program\n");
	chmod(scratch_path("plain"), 0644);
	CHECK_INT(run(argv, NULL, scratch_path("err"), 30), ==, 126);
}

/* The exec of CMD itself obeys --allow-exec. */
static void exec_denied_by_policy_is_126(void)
{
	char *deny[] = { (char *)prog("seccomp-pin"),
			 "run",
			 "--allow-exec",
			 "/bin/true",
			 "--",
			 "/bin/false",
			 NULL };
	char *allow[] = { (char *)prog("seccomp-pin"),
			  "run",
			  "--allow-exec",
			  "/bin/true",
			  "--",
			  "/bin/true",
			  NULL };

	CHECK_INT(run(deny, NULL, scratch_path("err"), 30), ==, 126);
	CHECK(file_contains(scratch_path("err"), "syscall=execve path=/bin/false"));
	CHECK(file_contains(scratch_path("err"), "decision=deny"));
	CHECK_INT(run(allow, NULL, scratch_path("err2"), 30), ==, 0);
}

static void usage_errors_are_2(void)
{
	char *nocmd[] = { (char *)prog("seccomp-pin"), "run", NULL };
	char *badaddr[] = { (char *)prog("seccomp-pin"),
			    "run",
			    "--allow-connect",
			    "tcp:localhost:80",
			    "--",
			    "/bin/true",
			    NULL };
	char *badfmt[] = { (char *)prog("seccomp-pin"),
			   "run",
			   "--log-format",
			   "xml",
			   "--",
			   "/bin/true",
			   NULL };
	char *badglob[] = { (char *)prog("seccomp-pin"),
			    "run",
			    "--deny-path",
			    "relative/path",
			    "--",
			    "/bin/true",
			    NULL };

	/* Usage errors exit 125, as env(1) does (CMD's 2 stays CMD's). */
	CHECK_INT(run(nocmd, NULL, scratch_path("err"), 30), ==, 125);
	CHECK_INT(run(badaddr, NULL, scratch_path("err"), 30), ==, 125);
	CHECK(file_contains(scratch_path("err"), "addresses only"));
	CHECK_INT(run(badfmt, NULL, scratch_path("err"), 30), ==, 125);
	CHECK_INT(run(badglob, NULL, scratch_path("err"), 30), ==, 125);
}

int main(void)
{
	static const struct tcase cases[] = {
		TCASE(exit_status_is_passed_through),
		TCASE(death_by_signal_is_128_plus_signal),
		TCASE(sigterm_sigint_sighup_reach_cmd),
		TCASE(supervisor_waits_for_descendants),
		TCASE(command_not_found_is_127),
		TCASE(not_executable_is_126),
		TCASE(exec_denied_by_policy_is_126),
		TCASE(usage_errors_are_2),
	};

	tcheck_before_each = setup;
	return tcheck_run(cases, sizeof(cases) / sizeof(cases[0])) ? 1 : 0;
}
