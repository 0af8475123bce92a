// SPDX-License-Identifier: GPL-2.0
/*
 * test_status - "seccomp-pin status" reports the module (text and JSON)
 * and its counters move; without the module, status, run and agent
 * refuse with a clear message (the module is removed and loaded again).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tcheck.h"
#include "tools_common.h"

#define MODULE_KO "/seccomp_pin.ko"

static void setup(void)
{
	CHECK(scratch_init("status"));
}

static int status(const char *flag, const char *out)
{
	char *argv[] = { (char *)prog("seccomp-pin"), "status", (char *)flag,
			 NULL };

	unlink(out);
	return run(argv, out, scratch_path("err"), 30);
}

static void expect(const char *file, const char *want)
{
	if (!file_contains(file, want)) {
		dump_file("output", file);
		tcheck_fail(__FILE__, __LINE__, "no \"%s\"", want);
	}
}

static void status_reports_module_and_sites(void)
{
	CHECK_INT(status(NULL, scratch_path("out")), ==, 0);
	expect(scratch_path("out"), "module:         loaded (/dev/seccomp_pin)");
	expect(scratch_path("out"), "abi version:    1 (this tool: 1)");
	expect(scratch_path("out"), "pin kinds:      fixed cstring cstring_array");
	expect(scratch_path("out"), "fetch sites:    path sockaddr exec_args");
	/* The harness loads the module with keep_hooks=1. */
	expect(scratch_path("out"), "hooked now:     path sockaddr exec_args write");
	expect(scratch_path("out"), "run can police: paths yes, network yes, exec yes");
	expect(scratch_path("out"),
	       "limits:         6 args, 1048576 bytes per argument");
}

static long long json_number(const char *file, const char *key)
{
	char *s = slurp(file), *p = strstr(s, key);
	long long v = -1;

	if (p)
		v = atoll(p + strlen(key));
	free(s);
	return v;
}

static void status_json_and_counters(void)
{
	char *argv[] = { (char *)prog("seccomp-pin"),
			 "run",
			 "--deny-path",
			 "/nonexistent/**",
			 "--",
			 "/bin/cat",
			 "/dev/null",
			 NULL };
	long long before, after;

	CHECK_INT(status("--json", scratch_path("j1")), ==, 0);
	expect(scratch_path("j1"),
	       "{\"module\":\"loaded\",\"device\":\"/dev/seccomp_pin\",\"abi_version\":1,");
	expect(scratch_path("j1"), "\"sites\":[\"path\",\"sockaddr\",\"exec_args\"");
	expect(scratch_path("j1"), "\"live_pins\":0,");
	/* root in the VM: the module's own figures, and the three caps */
	expect(scratch_path("j1"), "\"figures\":\"module\",");
	expect(scratch_path("j1"),
	       "\"caps\":{\"listener_bytes\":16777216,\"user_bytes\":67108864,\"module_bytes\":268435456}");
	before = json_number(scratch_path("j1"), "\"total_pins\":");
	CHECK_INT(before, >=, 0);
	CHECK_INT(run(argv, NULL, NULL, 30), ==, 0);
	CHECK_INT(status("--json", scratch_path("j2")), ==, 0);
	after = json_number(scratch_path("j2"), "\"total_pins\":");
	CHECK_INT(after, >, before);
	expect(scratch_path("j2"), "\"live_pins\":0,");
}

static int load_module(void)
{
	int fd = open(MODULE_KO, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	/* As the harness loads it (tests/vm/guest-init.sh). */
	ret = syscall(SYS_finit_module, fd, "keep_hooks=1", 0);
	ret = ret ? -errno : 0;
	close(fd);
	return ret;
}

static void wait_for_device(bool present)
{
	double end = now() + 10;

	while (module_present() != present && now() < end)
		usleep(20000);
}

static void refuses_without_module(void)
{
	char *runv[] = {
		(char *)prog("seccomp-pin"),	  "run", "--", "/bin/sh", "-c",
		"echo ran > /tmp/spt-status-ran", NULL
	};
	char *agentv[] = { (char *)prog("seccomp-pin"),
			   "agent",
			   "--socket",
			   scratch_path("sock"),
			   "--deny-path",
			   "/x",
			   NULL };
	int err;

	if (access(MODULE_KO, F_OK))
		tcheck_skip("not in the test VM (no " MODULE_KO ")");
	unlink("/tmp/spt-status-ran");
	CHECK_MSG(syscall(SYS_delete_module, "seccomp_pin", O_NONBLOCK) == 0,
		  "rmmod seccomp_pin: %s", strerror(errno));
	wait_for_device(false);

	CHECK_INT(status(NULL, scratch_path("out")), ==, 1);
	expect(scratch_path("out"), "the seccomp_pin module is not loaded");
	/* The guest has no /lib/modules and no DKMS (insmod of /seccomp_pin.ko):
	 * the real-system side of modwhy.c, whose every case the host's
	 * unit_tool covers. */
	expect(scratch_path("out"), "reason:         not_installed");
	CHECK_INT(status("--json", scratch_path("j")), ==, 1);
	expect(scratch_path("j"), "{\"module\":\"missing\"");
	expect(scratch_path("j"), "\"reason\":\"not_installed\"");
	CHECK_INT(run(runv, NULL, scratch_path("run.err"), 30), ==, 125);
	expect(scratch_path("run.err"), "the seccomp_pin module is not loaded");
	expect(scratch_path("run.err"), "refusing to run without it");
	CHECK_MSG(access("/tmp/spt-status-ran", F_OK),
		  "CMD ran without the module");
	CHECK_INT(run(agentv, NULL, scratch_path("agent.err"), 30), ==, 125);
	expect(scratch_path("agent.err"), "refusing to run without it");
	CHECK_MSG(access(scratch_path("sock"), F_OK), "agent listened anyway");

	err = load_module();
	CHECK_MSG(err == 0, "insmod: %s", strerror(-err));
	wait_for_device(true);
	CHECK_INT(status(NULL, scratch_path("out")), ==, 0);
}

int main(void)
{
	static const struct tcase cases[] = {
		TCASE(status_reports_module_and_sites),
		TCASE(status_json_and_counters),
		TCASE(refuses_without_module),
	};
	int failed;

	tcheck_before_each = setup;
	failed = tcheck_run(cases, sizeof(cases) / sizeof(cases[0]));
	/* Whatever happened above, leave the module loaded for what follows. */
	if (!access(MODULE_KO, F_OK) && !module_present()) {
		load_module();
		wait_for_device(true);
	}
	return failed ? 1 : 0;
}
