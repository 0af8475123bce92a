// SPDX-License-Identifier: GPL-2.0
/*
 * test_runtimes - "seccomp-pin agent" supervising containers of the real
 * runtimes, Debian 12's runc 1.1.5 and crun 1.8.1 (both linked with
 * libseccomp 2.5.4), inside the test VM (tests/runtimes/run-runtime-tests).
 *
 * Each case makes a bundle: a rootfs of the static busybox and the static
 * test programs, a config.json from "runc spec" (terminal off, no network,
 * user or cgroup namespace, no resources) given to "seccomp-pin oci-config
 * --base", which adds the agent's profile. The runtimes are run with
 * --no-pivot (the initramfs root cannot be pivoted away from), with
 * cgroup2 on /sys/fs/cgroup and a tmpfs on /run. The runtimes keep the
 * agent connection open while a foreground container runs.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "tcheck.h"
#include "tools_common.h"

#define SOCK "/run/seccomp-pin-agent.sock"

static char log_path[600], policy_path[600];
static pid_t agent_pid;

/*
 * A child cgroup with the cpuset and memory controllers, for the whole
 * boot. The first such cgroup turns static keys on (cpusets_enabled_key,
 * memcg_sockets_enabled_key), and each container's own cgroup would turn
 * them on and off again, patching get_page_from_freelist() and the
 * socket paths while the other vCPU runs them. Multi-vCPU TCG can take
 * such a patch's int3 after it completed: "Oops: int3" in
 * get_page_from_freelist during runc_race_pinned on 6.12, the emulator
 * artefact of kernel-and-vm-facts.md. Held on, the keys never change
 * while the tests run. A controller the kernel lacks flips no key.
 */
static void hold_cgroup_keys(void)
{
	static const char *const controllers[] = { "+cpuset", "+memory" };
	const char *ctl = "/sys/fs/cgroup/cgroup.subtree_control";
	struct stat st;
	size_t i;

	if (!stat("/sys/fs/cgroup/spt-keys", &st))
		return;
	for (i = 0; i < sizeof(controllers) / sizeof(controllers[0]); i++) {
		int fd = open(ctl, O_WRONLY | O_CLOEXEC);

		if (fd < 0)
			break;
		if (write(fd, controllers[i], strlen(controllers[i])) < 0)
			fprintf(stderr, "# %s: %s: %s\n", ctl, controllers[i],
				strerror(errno));
		close(fd);
	}
	CHECK_INT(mkdir("/sys/fs/cgroup/spt-keys", 0755), ==, 0);
}

/* cgroup2 and /run, as a host has them; once per VM boot. */
static void host_mounts(void)
{
	struct stat st;

	if (stat("/sys/fs/cgroup/cgroup.controllers", &st))
		CHECK_INT(mount("cgroup2", "/sys/fs/cgroup", "cgroup2", 0, NULL),
			  ==, 0);
	hold_cgroup_keys();
	if (stat("/run/.spt-tmpfs", &st)) {
		mkdirs("/run");
		CHECK_INT(mount("tmpfs", "/run", "tmpfs", 0, "mode=0755"), ==, 0);
		write_file("/run/.spt-tmpfs", "");
	}
}

static void setup(void)
{
	CHECK(scratch_init("rt"));
	host_mounts();
	snprintf(log_path, sizeof(log_path), "%s", scratch_path("agent.log"));
	snprintf(policy_path, sizeof(policy_path), "%s", scratch_path("policy"));
	if (!module_present())
		tcheck_fail(__FILE__, __LINE__, "the module is not loaded");
}

static void copy_file(const char *from, const char *to, mode_t mode)
{
	char *argv[] = { "/bin/cp", (char *)from, (char *)to, NULL };

	CHECK_INT(run(argv, NULL, NULL, 30), ==, 0);
	CHECK_INT(chmod(to, mode), ==, 0);
}

/* @dir/rootfs: busybox, the test programs, /allowed and /denied. */
static void make_rootfs(const char *dir)
{
	static const char *const applets[] = { "sh", "cat", "sleep", "echo",
					       "ls", "true", "test" };
	char p[700], q[700];
	size_t i;

	snprintf(p, sizeof(p), "%s/rootfs/bin", dir);
	mkdirs(p);
	for (i = 0; i < 4; i++) {
		static const char *const d[] = { "proc", "dev", "sys", "tmp" };

		snprintf(p, sizeof(p), "%s/rootfs/%s", dir, d[i]);
		mkdirs(p);
	}
	snprintf(p, sizeof(p), "%s/rootfs/bin/busybox", dir);
	copy_file("/bin/busybox", p, 0755);
	for (i = 0; i < sizeof(applets) / sizeof(applets[0]); i++) {
		snprintf(q, sizeof(q), "%s/rootfs/bin/%s", dir, applets[i]);
		unlink(q);
		CHECK_INT(symlink("busybox", q), ==, 0);
	}
	snprintf(p, sizeof(p), "%s/rootfs/bin/probe", dir);
	copy_file(prog("probe"), p, 0755);
	snprintf(p, sizeof(p), "%s/rootfs/bin/race_target", dir);
	copy_file(prog("race_target"), p, 0755);
	snprintf(p, sizeof(p), "%s/rootfs/allowed", dir);
	write_file(p, "public\n");
	snprintf(p, sizeof(p), "%s/rootfs/denied", dir);
	write_file(p, "SECRET\n");
	CHECK_INT(chmod(p, 0600), ==, 0);
	snprintf(p, sizeof(p), "%s/rootfs/allowed.txt", dir);
	write_file(p, "public\n");
	snprintf(p, sizeof(p), "%s/rootfs/secrets.txt", dir);
	write_file(p, "SECRET\n");
}

static void remove_namespace(json_t *linux_obj, const char *type)
{
	json_t *ns = json_object_get(linux_obj, "namespaces"), *e;
	size_t i;

	json_array_foreach(ns, i, e) {
		if (!strcmp(json_string_value(json_object_get(e, "type")), type)) {
			json_array_remove(ns, i);
			return;
		}
	}
}

enum profile {
	AS_PRINTED, /* oci-config's profile */
	/* ... without "fchmodat2", as a runtime whose libseccomp does not
	 * know the name (upstream 2.5.4; Debian's 2.5.4-1+deb12u1 knows it,
	 * not the *xattrat calls) drops it */
	NAME_DROPPED,
	/* ... and, as oci-config used to print it, allowing by default: the
	 * control, which lets the dropped syscall through */
	DROPPED_DEFAULT_ALLOW,
};

/* Remove @name from every rule of @seccomp. */
static void drop_name(json_t *seccomp, const char *name)
{
	json_t *r, *names;
	size_t i, k;

	json_array_foreach(json_object_get(seccomp, "syscalls"), i, r) {
		names = json_object_get(r, "names");
		for (k = json_array_size(names); k-- > 0;)
			if (!strcmp(json_string_value(json_array_get(names, k)),
				    name))
				json_array_remove(names, k);
	}
}

/*
 * A bundle in @dir running @args (NULL-terminated), its config.json from
 * "runc spec" and "seccomp-pin oci-config --base" with the policy file
 * and @metadata, changed as @how says.
 */
static void make_bundle_as(const char *dir, const char *const args[],
			   const char *metadata, enum profile how)
{
	char *spec[] = { (char *)prog("runc"), "spec", "--bundle", (char *)dir,
			 NULL };
	char cfg[700], base[700], out[700], err[700];
	json_t *c, *proc, *linux_obj, *a, *seccomp;
	json_error_t jerr;
	size_t i;

	mkdirs(dir);
	make_rootfs(dir);
	snprintf(cfg, sizeof(cfg), "%s/config.json", dir);
	snprintf(base, sizeof(base), "%s/config.base.json", dir);
	unlink(cfg);
	CHECK_INT(run(spec, NULL, NULL, 60), ==, 0);
	c = json_load_file(cfg, 0, &jerr);
	CHECK_MSG(c, "%s: %s", cfg, jerr.text);
	proc = json_object_get(c, "process");
	json_object_set_new(proc, "terminal", json_false());
	a = json_array();
	for (i = 0; args[i]; i++)
		json_array_append_new(a, json_string(args[i]));
	json_object_set_new(proc, "args", a);
	json_object_set_new(json_object_get(c, "root"), "readonly",
			    json_false());
	linux_obj = json_object_get(c, "linux");
	remove_namespace(linux_obj, "network");
	remove_namespace(linux_obj, "user");
	remove_namespace(linux_obj, "cgroup");
	json_object_del(linux_obj, "resources");
	CHECK_INT(json_dump_file(c, base, JSON_INDENT(1)), ==, 0);
	json_decref(c);
	{
		char *argv[] = { (char *)prog("seccomp-pin"), "oci-config",
				 "--socket", SOCK, "--policy", policy_path,
				 "--metadata", (char *)metadata, "--base", base,
				 NULL };

		snprintf(out, sizeof(out), "%s/config.json", dir);
		snprintf(err, sizeof(err), "%s/oci-config.err", dir);
		unlink(out); /* spawn() appends */
		if (run(argv, out, err, 30)) {
			dump_file("oci-config stderr", err);
			tcheck_fail(__FILE__, __LINE__, "oci-config failed");
		}
	}
	if (how == AS_PRINTED)
		return;
	c = json_load_file(cfg, 0, &jerr);
	CHECK(c);
	seccomp = json_object_get(json_object_get(c, "linux"), "seccomp");
	drop_name(seccomp, "fchmodat2");
	if (how == DROPPED_DEFAULT_ALLOW) {
		json_object_set_new(seccomp, "defaultAction",
				    json_string("SCMP_ACT_ALLOW"));
		json_object_del(seccomp, "defaultErrnoRet");
		a = json_object_get(seccomp, "syscalls");
		for (i = json_array_size(a); i-- > 0;) {
			const char *act = json_string_value(
				json_object_get(json_array_get(a, i), "action"));

			if (strcmp(act, "SCMP_ACT_NOTIFY"))
				json_array_remove(a, i);
		}
	}
	CHECK_INT(json_dump_file(c, cfg, JSON_INDENT(1)), ==, 0);
	json_decref(c);
}

static void make_bundle(const char *dir, const char *const args[],
			const char *metadata)
{
	make_bundle_as(dir, args, metadata, AS_PRINTED);
}

static void start_agent_tool(const char *tool, const char *policy)
{
	char *argv[] = { (char *)prog(tool), "agent", "--socket", SOCK,
			 "--policy", policy_path, "--log", log_path,
			 "--log-format", "json", NULL };

	write_file(policy_path, policy);
	unlink(SOCK);
	agent_pid = spawn(argv, scratch_path("agent.out"),
			  scratch_path("agent.err"));
	wait_agent_listening(SOCK, scratch_path("agent.err"));
}

static void start_agent(const char *policy)
{
	start_agent_tool("seccomp-pin", policy);
}

static void stop_agent(void)
{
	CHECK_INT(kill(agent_pid, SIGTERM), ==, 0);
	CHECK_INT(wait_code(agent_pid, 10), ==, 0);
}

static bool log_has(const char *needle, int seconds)
{
	return file_wait_contains(log_path, needle, seconds);
}

static void diagnose(const char *out)
{
	dump_file("container/runtime output", out);
	dump_file("agent log", log_path);
	dump_file("agent stderr", scratch_path("agent.err"));
}

#define CHECK_LOG(needle, seconds)                                      \
	do {                                                            \
		if (!log_has(needle, seconds)) {                        \
			diagnose(scratch_path("none"));                 \
			tcheck_fail(__FILE__, __LINE__, "log lacks %s", \
				    needle);                            \
		}                                                       \
	} while (0)

/* Start @rt (runc|crun) @sub...; its pid. */
static pid_t runtime_start(const char *rt, const char *const sub[],
			   const char *out)
{
	char *argv[16];
	int n = 0, i;

	argv[n++] = (char *)prog(rt);
	for (i = 0; sub[i] && n < 15; i++)
		argv[n++] = (char *)sub[i];
	argv[n] = NULL;
	return spawn(argv, out, out);
}

/* Run @rt (runc|crun) @sub...; its exit code. */
static int runtime(const char *rt, const char *const sub[], const char *out,
		   int seconds)
{
	return wait_code(runtime_start(rt, sub, out), seconds);
}

static const char deny_policy[] =
	"# paths as the container sees them\n"
	"deny-path /denied\n"
	"deny-path /secrets.txt\n";

/*
 * The documented policy for allow-lists (seccomp-pin(1)): runc's init
 * lists /proc/self/fd (to mark its fds close-on-exec) and opens
 * /proc/self/fd/N (its exec fifo) after installing the filter when
 * noNewPrivileges is set, so both must be allowed for the container to
 * start at all.
 */
static const char allow_policy[] =
	"allow-path /proc/self/fd/**\n"
	"allow-path /bin/**\n"
	"allow-path /allowed\n";

/*
 * A foreground container: "cat /allowed; cat /denied" under @rt. The first
 * cat works, the second is refused by the agent, through a connection the
 * runtime keeps open.
 */
static void foreground(const char *rt, const char *policy)
{
	const char *const args[] = { "/bin/sh", "-c",
				     "cat /allowed; cat /denied; echo end", NULL };
	char dir[700], id[64], want[256];
	const char *sub[] = { "run", "--no-pivot", "-b", dir, id, NULL };
	const char *out = scratch_path("run.out");
	int code;

	snprintf(dir, sizeof(dir), "%s", scratch_path("bundle"));
	snprintf(id, sizeof(id), "fg-%s", rt);
	start_agent(policy);
	make_bundle(dir, args, "fg");
	code = runtime(rt, sub, out, 60);
	if (code != 0 || !file_contains(out, "public") ||
	    !file_contains(out, "Permission denied") ||
	    file_contains(out, "SECRET") || !file_contains(out, "end")) {
		diagnose(out);
		tcheck_fail(__FILE__, __LINE__, "%s run: exit %d", rt, code);
	}
	snprintf(want, sizeof(want),
		 "\"path\":\"/denied\",\"decision\":\"deny\",\"errno\":\"EACCES\"");
	CHECK_LOG(want, 5);
	snprintf(want, sizeof(want), "{\"event\":\"attach\",\"container\":\"%s\"",
		 id);
	CHECK_LOG(want, 5);
	CHECK_LOG("\"detail\":\"fg\"", 5);
	snprintf(want, sizeof(want), "{\"event\":\"detach\",\"container\":\"%s\"",
		 id);
	CHECK_LOG(want, 10);
	CHECK(!file_contains(log_path, "timed out waiting for the state"));
	stop_agent();
}

static void crun_run_foreground(void)
{
	foreground("crun", deny_policy);
}

static void runc_run_foreground(void)
{
	foreground("runc", deny_policy);
}

/* The documented allow-list policy lets runc's and crun's containers start. */
static void runc_run_allow_list_policy(void)
{
	foreground("runc", allow_policy);
}

static void crun_run_allow_list_policy(void)
{
	foreground("crun", allow_policy);
}

static int count_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static int agent_count(const char *what)
{
	char p[64];

	snprintf(p, sizeof(p), "/proc/%d/%s", agent_pid, what);
	return count_dir(p);
}

/*
 * runc create + start, then runc exec (a second attach) while the
 * container runs; then the container exits: both listeners detach and
 * the agent is back to the threads and fds it had before.
 */
static void exec_attach(const char *rt)
{
	/* Runs until the test has exec'd into it (creates /go). */
	const char *const args[] = {
		"/bin/sh", "-c",
		"cat /allowed; while ! test -e /go; do sleep 1; done; cat /denied",
		NULL
	};
	char dir[700], id[64], want[256], go[720];
	const char *create[] = { "create", "--no-pivot", "-b", dir, id, NULL };
	const char *crun_run[] = { "run", "--no-pivot", "--detach", "-b", dir,
				   id, NULL };
	const char *start[] = { "start", id, NULL };
	const char *exec[] = { "--debug", "exec", id, "/bin/probe", "open",
			       "/denied", NULL };
	const char **execp = strcmp(rt, "runc") ? exec + 1 : exec;
	const char *del[] = { "delete", "-f", id, NULL };
	const char *out = scratch_path("c.out"), *xout = scratch_path("x.out");
	int threads, fds, code;
	double end;

	snprintf(dir, sizeof(dir), "%s", scratch_path("bundle"));
	snprintf(id, sizeof(id), "x-%s", rt);
	start_agent(deny_policy);
	make_bundle(dir, args, "x");
	usleep(200000);
	threads = agent_count("task");
	fds = agent_count("fd");
	if (!strcmp(rt, "runc")) {
		/* create leaves the init waiting on its exec fifo; start opens
		 * it (/proc/self/fd/N, after the filter is in place). */
		code = runtime(rt, create, out, 60);
		if (code) {
			diagnose(out);
			tcheck_fail(__FILE__, __LINE__, "runc create: %d", code);
		}
		snprintf(want, sizeof(want),
			 "{\"event\":\"attach\",\"container\":\"%s\"", id);
		CHECK_LOG(want, 10);
		CHECK_INT(runtime(rt, start, out, 60), ==, 0);
	} else {
		code = runtime(rt, crun_run, out, 60);
		if (code) {
			diagnose(out);
			tcheck_fail(__FILE__, __LINE__, "crun run -d: %d", code);
		}
	}
	code = runtime(rt, execp, xout, 60);
	if (code != 1 || !file_contains(xout, "errno=EACCES")) {
		diagnose(xout);
		tcheck_fail(__FILE__, __LINE__, "%s exec: exit %d", rt, code);
	}
	snprintf(want, sizeof(want), "{\"event\":\"attach\",\"container\":\"%s\"",
		 id);
	end = now() + 10;
	while (count_lines_containing(log_path, want) < 2 && now() < end)
		usleep(20000);
	CHECK_INT(count_lines_containing(log_path, want), ==, 2);
	/* The container process goes on, its own listener still served. */
	snprintf(go, sizeof(go), "%s/rootfs/go", dir);
	write_file(go, "");
	snprintf(want, sizeof(want), "{\"event\":\"detach\",\"container\":\"%s\"",
		 id);
	end = now() + 30;
	while (count_lines_containing(log_path, want) < 2 && now() < end)
		usleep(50000);
	if (count_lines_containing(log_path, want) != 2) {
		diagnose(out);
		tcheck_fail(__FILE__, __LINE__, "not two detaches");
	}
	CHECK(file_contains(out, "public"));
	CHECK(file_contains(out, "Permission denied"));
	CHECK(!file_contains(out, "SECRET"));
	runtime(rt, del, scratch_path("del.out"), 30);
	/* Detached: threads and fds back to what they were. */
	end = now() + 5;
	while ((agent_count("task") != threads || agent_count("fd") != fds) &&
	       now() < end)
		usleep(50000);
	CHECK_INT(agent_count("task"), ==, threads);
	CHECK_INT(agent_count("fd"), ==, fds);
	stop_agent();
}

static void runc_create_start_exec(void)
{
	exec_attach("runc");
}

static void crun_exec(void)
{
	exec_attach("crun");
}

/*
 * Two containers at once, one of each runtime: a crun container waits
 * (its connection kept open by crun) while a runc container runs to its
 * end; both are served, each with its own listener.
 */
static void both_runtimes_at_once(void)
{
	const char *const wait_args[] = {
		"/bin/sh", "-c",
		"cat /allowed; while ! test -e /go; do sleep 1; done; cat /denied",
		NULL
	};
	const char *const run_args[] = { "/bin/sh", "-c",
					 "cat /allowed; cat /denied; echo end",
					 NULL };
	char da[700], db[700], go[720];
	const char *suba[] = { "run", "--no-pivot", "-b", da, "both-a", NULL };
	const char *subb[] = { "run", "--no-pivot", "-b", db, "both-b", NULL };
	const char *outa = scratch_path("a.out"), *outb = scratch_path("b.out");
	pid_t a;
	int code;

	snprintf(da, sizeof(da), "%s", scratch_path("ba"));
	snprintf(db, sizeof(db), "%s", scratch_path("bb"));
	start_agent(deny_policy);
	make_bundle(da, wait_args, "a");
	make_bundle(db, run_args, "b");
	a = runtime_start("crun", suba, outa);
	CHECK_LOG("{\"event\":\"attach\",\"container\":\"both-a\"", 30);
	code = runtime("runc", subb, outb, 60);
	if (code || !file_contains(outb, "public") ||
	    !file_contains(outb, "Permission denied") ||
	    file_contains(outb, "SECRET")) {
		diagnose(outb);
		tcheck_fail(__FILE__, __LINE__, "runc run beside crun: %d", code);
	}
	CHECK_MSG(waitpid(a, NULL, WNOHANG) == 0,
		  "the crun container ended before it was told to");
	snprintf(go, sizeof(go), "%s/rootfs/go", da);
	write_file(go, "");
	code = wait_code(a, 60);
	if (code != 1 || !file_contains(outa, "public") ||
	    !file_contains(outa, "Permission denied") ||
	    file_contains(outa, "SECRET")) {
		diagnose(outa);
		tcheck_fail(__FILE__, __LINE__, "crun run: %d", code);
	}
	CHECK_LOG("{\"event\":\"detach\",\"container\":\"both-a\"", 10);
	CHECK_LOG("{\"event\":\"detach\",\"container\":\"both-b\"", 10);
	stop_agent();
}

/* race_target in a @rt container under the agent @tool; its counts. */
static void attack(const char *rt, const char *tool, const char *stop,
		   long counts[3])
{
	const char *const args[] = { "/bin/race_target", "open", "/", "-",
				     "1500", "60", stop, NULL };
	char dir[700], id[64];
	const char *sub[] = { "run", "--no-pivot", "-b", dir, id, NULL };
	const char *out = scratch_path("race.out");
	char *text;
	int code;

	snprintf(dir, sizeof(dir), "%s", scratch_path("race-bundle"));
	snprintf(id, sizeof(id), "race-%s", tool);
	unlink(out);
	start_agent_tool(tool, deny_policy);
	make_bundle(dir, args, "race");
	code = runtime(rt, sub, out, 150);
	text = slurp(out);
	if (code || sscanf(text, "allowed=%ld secret=%ld denied=%ld",
			   &counts[0], &counts[1], &counts[2]) != 3) {
		diagnose(out);
		tcheck_fail(__FILE__, __LINE__, "race container: exit %d", code);
	}
	printf("  %s %-22s allowed %6ld, denied %6ld, denied value used %ld times\n",
	       rt, tool, counts[0], counts[2], counts[1]);
	free(text);
	stop_agent();
}

/*
 * The openat race inside a real container: under the agent the racing
 * process never opens the denied file; under the same agent answering
 * plain CONTINUE (seccomp-pin-unpinned) it does, or this test could not
 * fail.
 */
static void race(const char *rt)
{
	long counts[3];

	attack(rt, "seccomp-pin-unpinned", "3", counts);
	CHECK_MSG(counts[1] > 0,
		  "control: the attack never won against plain CONTINUE");
	attack(rt, "seccomp-pin", "0", counts);
	CHECK_INT(counts[1], ==, 0);
	CHECK_INT(counts[0], >, 0);
	CHECK_INT(counts[2], >, 0);
}

static void runc_race_pinned(void)
{
	race("runc");
}

static void crun_race_pinned(void)
{
	race("crun");
}

static bool kernel_has_fchmodat2(void)
{
	struct utsname u;
	int major, minor;

	uname(&u);
	return sscanf(u.release, "%d.%d", &major, &minor) == 2 &&
	       (major > 6 || (major == 6 && minor >= 6));
}

/*
 * fchmodat2(/denied) in a @rt container under the profile @how; the mode
 * /denied has afterwards (0600 before).
 */
static mode_t fchmodat2_through(const char *rt, enum profile how, char *out_text,
				size_t size)
{
	static const char *const names[] = { "as printed", "name dropped",
					     "name dropped, default allow" };
	const char *const args[] = { "/bin/probe", "fchmodat2", "/denied",
				     NULL };
	char dir[700], id[64], denied[760], b[16];
	const char *sub[] = { "run", "--no-pivot", "-b", dir, id, NULL };
	const char *out = scratch_path("chmod.out");
	struct stat st;
	char *text;
	int code;

	snprintf(b, sizeof(b), "b%d", how);
	snprintf(dir, sizeof(dir), "%s", scratch_path(b));
	snprintf(id, sizeof(id), "chmod-%s-%d", rt, how);
	snprintf(denied, sizeof(denied), "%s/rootfs/denied", dir);
	unlink(out);
	start_agent(deny_policy);
	make_bundle_as(dir, args, "chmod", how);
	code = runtime(rt, sub, out, 60);
	CHECK_INT(stat(denied, &st), ==, 0);
	text = slurp(out);
	snprintf(out_text, size, "%s", text);
	printf("  %s, profile %s: exit %d, /denied mode %o, %s", rt,
	       names[how], code, st.st_mode & 0777, text);
	free(text);
	stop_agent();
	return st.st_mode & 0777;
}

/*
 * fchmodat2 (Linux 6.6) through real runtimes: under oci-config's profile
 * the agent polices it (it cannot pin its path: EACCES); with the name
 * dropped, as a runtime whose libseccomp does not know it does, the
 * profile's default refuses it (ENOSYS). The control: the same dropped
 * name under a default that allows (oci-config's old profile) lets it
 * change /denied, so the test can fail.
 */
static void fchmodat2_is_trapped(void)
{
	static const char *const rts[] = { "runc", "crun" };
	char text[256];
	size_t i;

	if (!kernel_has_fchmodat2())
		tcheck_skip("fchmodat2 needs Linux 6.6");
	for (i = 0; i < 2; i++) {
		CHECK_MSG(fchmodat2_through(rts[i], DROPPED_DEFAULT_ALLOW, text,
					    sizeof(text)) == 0666 &&
				  strstr(text, "ok"),
			  "control: %s let no fchmodat2 through a default-allow profile, so this test cannot fail",
			  rts[i]);
		CHECK_INT(fchmodat2_through(rts[i], AS_PRINTED, text,
					    sizeof(text)),
			  ==, 0600);
		CHECK_MSG(strstr(text, "errno=EACCES"), "%s", text);
		CHECK(log_has("\"syscall\":\"fchmodat2\"", 1));
		CHECK_INT(fchmodat2_through(rts[i], NAME_DROPPED, text,
					    sizeof(text)),
			  ==, 0600);
		CHECK_MSG(strstr(text, "errno=ENOSYS"), "%s", text);
	}
}

int main(void)
{
	static const struct tcase cases[] = {
		TCASE_T(crun_run_foreground, 180),
		TCASE_T(runc_run_foreground, 180),
		TCASE_T(runc_run_allow_list_policy, 180),
		TCASE_T(crun_run_allow_list_policy, 180),
		TCASE_T(runc_create_start_exec, 240),
		TCASE_T(crun_exec, 240),
		TCASE_T(both_runtimes_at_once, 240),
		TCASE_T(runc_race_pinned, 400),
		TCASE_T(crun_race_pinned, 400),
		TCASE_T(fchmodat2_is_trapped, 300),
	};

	tcheck_before_each = setup;
	return tcheck_run(cases, sizeof(cases) / sizeof(cases[0])) ? 1 : 0;
}
