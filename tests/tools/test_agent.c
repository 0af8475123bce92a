// SPDX-License-Identifier: GPL-2.0
/*
 * test_agent - "seccomp-pin agent" driven the way an OCI runtime drives a
 * seccomp agent (runtime-spec config-linux.md, "listenerPath"): for each
 * container process, the runtime installs a filter with a listener in it,
 * connects to the agent's unix stream socket, sends the container process
 * state JSON with the listener attached by SCM_RIGHTS (named "seccompFd"
 * in "fds"), and lets the process run. Real runtimes (runc 1.1.x, crun
 * 1.8.x) keep the connection open meanwhile; the spec's reading closes
 * it. Both are played here, byte for byte; tests/runtimes runs the real
 * runc and crun against the agent.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tcheck.h"
#include "tools_common.h"

#define AGENT_TEST_FDS 17 /* one more than the agent takes */

static char sock_path[100], log_path[600];

static void setup(void)
{
	CHECK(scratch_init("agent"));
	mkdirs(scratch_path("pub"));
	mkdirs(scratch_path("priv"));
	write_file(scratch_path("pub/a.txt"), "public\n");
	write_file(scratch_path("priv/secret.txt"), "SECRET\n");
	snprintf(sock_path, sizeof(sock_path), "%s", scratch_path("agent.sock"));
	snprintf(log_path, sizeof(log_path), "%s", scratch_path("agent.log"));
}

/* The agent @tool, with @policy as its policy file; returns its pid. */
static pid_t start_tool_agent(const char *tool, const char *policy)
{
	char policy_file[600];
	char *argv[] = { (char *)prog(tool),
			 "agent",
			 "--socket",
			 sock_path,
			 "--policy",
			 policy_file,
			 "--log",
			 log_path,
			 "--log-format",
			 "json",
			 NULL };
	pid_t pid;

	snprintf(policy_file, sizeof(policy_file), "%s", scratch_path("policy"));
	write_file(policy_file, policy);
	pid = spawn(argv, scratch_path("agent.out"), scratch_path("agent.err"));
	wait_agent_listening(sock_path, scratch_path("agent.err"));
	return pid;
}

static pid_t start_agent(const char *policy)
{
	return start_tool_agent("seccomp-pin", policy);
}

/* What a runtime's config.json would give SCMP_ACT_NOTIFY. */
static int install_filter(void)
{
	static const int trapped[] = { __NR_open,    __NR_openat,
				       __NR_openat2, __NR_newfstatat,
				       __NR_statx,   __NR_execve,
				       __NR_connect, __NR_getppid };
	struct sock_filter f[64];
	struct sock_fprog prog;
	size_t n = 0, i;

	f[n++] = (struct sock_filter)BPF_STMT(
		BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
					      AUDIT_ARCH_X86_64, 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
					      SECCOMP_RET_KILL_PROCESS);
	f[n++] = (struct sock_filter)BPF_STMT(
		BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	for (i = 0; i < sizeof(trapped) / sizeof(trapped[0]); i++) {
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
						      trapped[i], 0, 1);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
						      SECCOMP_RET_USER_NOTIF);
	}
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
					      SECCOMP_RET_ALLOW);
	prog.len = n;
	prog.filter = f;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER,
		       SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
}

/* create(): time the first trapped call, before the exec. */
static bool time_first_call;

struct container {
	pid_t pid;
	int listener; /* the runtime's copy */
	int go; /* write end: let the process exec */
};

/*
 * Fork the container process: it installs the filter, hands its listener
 * to us (as runc's init does to runc), waits for "go", execs @argv.
 */
static void create(struct container *c, char *const argv[], const char *out)
{
	int sv[2], remote = -1, pidfd;
	char b;

	CHECK_INT(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==,
		  0);
	c->pid = fork();
	CHECK(c->pid >= 0);
	if (c->pid == 0) {
		int listener,
			fd = open(out, O_WRONLY | O_CREAT | O_APPEND, 0644);

		dup2(fd, 1);
		dup2(fd, 2);
		close(sv[0]);
		listener = install_filter();
		if (listener < 0)
			_exit(121);
		if (write(sv[1], &listener, sizeof(listener)) !=
			    sizeof(listener) ||
		    read(sv[1], &b, 1) != 1)
			_exit(122);
		close(listener);
		if (time_first_call) {
			/* The answer latency, as the container sees it. */
			struct timespec t0, t1;

			clock_gettime(CLOCK_MONOTONIC, &t0);
			syscall(__NR_getppid); /* trapped */
			clock_gettime(CLOCK_MONOTONIC, &t1);
			dprintf(1, "first trapped call answered in %.6f s\n",
				(t1.tv_sec - t0.tv_sec) +
					(t1.tv_nsec - t0.tv_nsec) / 1e9);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	close(sv[1]);
	CHECK_INT(read(sv[0], &remote, sizeof(remote)), ==, sizeof(remote));
	pidfd = syscall(SYS_pidfd_open, c->pid, 0);
	c->listener = syscall(SYS_pidfd_getfd, pidfd, remote, 0);
	CHECK(c->listener >= 0);
	close(pidfd);
	c->go = sv[0];
}

static void go(struct container *c)
{
	CHECK_INT(write(c->go, "g", 1), ==, 1);
	close(c->go);
}

static int agent_connect(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", sock_path);
	CHECK_INT(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), ==, 0);
	return fd;
}

/* One sendmsg: @len bytes of @data, and @nfds fds by SCM_RIGHTS if any. */
static void send_part(int sock, const char *data, size_t len, const int *fds,
		      int nfds)
{
	union {
		char buf[CMSG_SPACE(32 * sizeof(int))];
		struct cmsghdr align;
	} ctrl;
	struct iovec iov = { (void *)data, len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	CHECK(nfds <= 32);
	if (nfds) {
		struct cmsghdr *cm;

		memset(&ctrl, 0, sizeof(ctrl));
		msg.msg_control = ctrl.buf;
		msg.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(nfds * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, nfds * sizeof(int));
	}
	CHECK_INT(sendmsg(sock, &msg, MSG_NOSIGNAL), ==, (long)len);
}

static const char *metadata = "MKNOD=/dev/null,/dev/net/tun;BPF_MAP_TYPES=hash,array";

/* The container process state of runtime-spec config-linux.md. */
static void state_json(char *buf, size_t size, const char *id, pid_t pid,
		       const char *fds)
{
	snprintf(
		buf, size,
		"{\"ociVersion\":\"1.0.2\",\"fds\":%s,\"pid\":%d,"
		"\"metadata\":\"%s\","
		"\"state\":{\"ociVersion\":\"1.0.2\",\"id\":\"%s\","
		"\"status\":\"creating\",\"pid\":%d,"
		"\"bundle\":\"/containers/%s\",\"annotations\":{\"myKey\":\"myValue\"}}}",
		fds, pid, metadata, id, pid, id);
}

/*
 * Hand @c's listener to the agent; @parts: number of sendmsg calls.
 * Returns the connection, still open, if @keep_open (as runc 1.1 and
 * crun 1.8 do), else -1 (closed, as the spec reads).
 */
static int hand_over_conn(struct container *c, const char *id, int parts,
			  bool keep_open)
{
	char json[2048];
	int sock = agent_connect();
	size_t len, first;

	state_json(json, sizeof(json), id, c->pid, "[\"seccompFd\"]");
	len = strlen(json);
	first = parts > 1 ? len / 3 : len;
	/* The fds travel with the first part, as the spec requires. */
	send_part(sock, json, first, &c->listener, 1);
	if (first < len)
		send_part(sock, json + first, len - first, NULL, 0);
	close(c->listener); /* the runtime keeps no copy */
	if (keep_open)
		return sock;
	close(sock);
	return -1;
}

static void hand_over(struct container *c, const char *id, int parts)
{
	hand_over_conn(c, id, parts, false);
}

static int finish(struct container *c, int seconds)
{
	return wait_code(c->pid, seconds);
}

static bool log_has(const char *needle, int seconds)
{
	return file_wait_contains(log_path, needle, seconds);
}

#define CHECK_LOG(needle, seconds)                                      \
	do {                                                            \
		if (!log_has(needle, seconds)) {                        \
			dump_file("agent log", log_path);               \
			dump_file("agent stderr", scratch_path("agent.err"));   \
			tcheck_fail(__FILE__, __LINE__, "log lacks %s", \
				    needle);                            \
		}                                                       \
	} while (0)

static char policy[2048], policy_file[600];

static void deny_priv_policy(void)
{
	snprintf(policy, sizeof(policy),
		 "# the agent's policy file\ndeny-path %s/priv/**\n", scratch_dir);
}

static void agent_applies_policy_to_a_container(void)
{
	char *denied[] = { (char *)prog("probe"), "open",
			   scratch_path("priv/secret.txt"), NULL };
	char *allowed[] = { (char *)prog("probe"), "open", scratch_path("pub/a.txt"),
			    NULL };
	struct container c1, c2;
	char want[1024];
	pid_t agent;

	deny_priv_policy();
	agent = start_agent(policy);
	create(&c1, denied, scratch_path("c1.out"));
	hand_over(&c1, "c1", 1);
	go(&c1);
	CHECK_INT(finish(&c1, 30), ==, 1);
	CHECK(file_contains(scratch_path("c1.out"), "errno=EACCES"));
	CHECK_LOG("{\"event\":\"attach\",\"container\":\"c1\"", 5);
	CHECK_LOG(
		"\"detail\":\"MKNOD=/dev/null,/dev/net/tun;BPF_MAP_TYPES=hash,array\"",
		5);
	snprintf(
		want, sizeof(want),
		"\"syscall\":\"openat\",\"path\":\"%s\",\"decision\":\"deny\",\"errno\":\"EACCES\",\"reason\":\"deny-path %s/priv/**\",\"container\":\"c1\"",
		scratch_path("priv/secret.txt"), scratch_dir);
	CHECK_LOG(want, 5);
	/* The process is gone and reaped: no task uses the filter. */
	CHECK_LOG("{\"event\":\"detach\",\"container\":\"c1\"", 10);

	create(&c2, allowed, scratch_path("c2.out"));
	hand_over(&c2, "c2", 1);
	go(&c2);
	CHECK_INT(finish(&c2, 30), ==, 0);
	CHECK(file_contains(scratch_path("c2.out"), "ok"));
	CHECK_LOG(
		"\"decision\":\"allow\",\"reason\":\"no path rule matches\",\"container\":\"c2\"",
		5);

	CHECK_INT(kill(agent, SIGTERM), ==, 0);
	CHECK_INT(wait_code(agent, 10), ==, 0);
	CHECK_MSG(access(sock_path, F_OK), "the agent left its socket behind");
}

/*
 * Container A blocks between two trapped syscalls; B must be served in the
 * meantime (one thread per listener, not one listener at a time).
 */
static void agent_serves_containers_concurrently(void)
{
	char script[1024];
	char *slow[] = { "/bin/sh", "-c", script, NULL };
	char *fast[] = { (char *)prog("probe"), "open", scratch_path("priv/secret.txt"),
			 NULL };
	struct container a, b;
	int status;

	deny_priv_policy();
	start_agent(policy);
	snprintf(script, sizeof(script),
		 "/bin/cat %s; /bin/sleep 5; /bin/cat %s", scratch_path("pub/a.txt"),
		 scratch_path("priv/secret.txt"));
	create(&a, slow, scratch_path("a.out"));
	hand_over(&a, "slow", 1);
	go(&a);
	CHECK_LOG("{\"event\":\"attach\",\"container\":\"slow\"", 5);
	create(&b, fast, scratch_path("b.out"));
	hand_over(&b, "fast", 2); /* state in two sendmsg calls */
	go(&b);
	CHECK_INT(finish(&b, 30), ==, 1);
	/* A is still between its two syscalls: B did not wait for it. */
	CHECK_MSG(waitpid(a.pid, &status, WNOHANG) == 0,
		  "container B was served only after container A ended");
	CHECK(file_contains(scratch_path("b.out"), "errno=EACCES"));
	CHECK_INT(finish(&a, 30), ==, 1);
	CHECK(file_contains(scratch_path("a.out"), "public"));
	CHECK(file_contains(scratch_path("a.out"), "Permission denied"));
	CHECK_LOG("\"container\":\"fast\"", 5);
}

/*
 * What runc 1.1 and crun 1.8 do: send the state and the listener in one
 * sendmsg and keep the connection open while the container runs. The
 * container's trapped calls must be answered at once (within a second),
 * not after the agent gives up waiting for an EOF. A second process of
 * the same container (runc exec) attaches on its own connection, also
 * kept open, while the first still runs.
 */
static void agent_answers_runtime_that_keeps_connection_open(void)
{
	char script[1024];
	char *first[] = { "/bin/sh", "-c", script, NULL };
	char *exec[] = { (char *)prog("probe"), "open",
			 scratch_path("priv/secret.txt"), NULL };
	struct container c, e;
	double t0, took;
	int s1, s2, code;
	char b, *text;

	deny_priv_policy();
	start_agent(policy);
	snprintf(script, sizeof(script), "/bin/cat %s; /bin/sleep 3",
		 scratch_path("pub/a.txt"));
	time_first_call = true;
	create(&c, first, scratch_path("c.out"));
	time_first_call = false;
	s1 = hand_over_conn(&c, "kept", 1, true);
	go(&c);
	/* The container's own clock around its first trapped call (the
	 * old agent: 10 s, then ENOSYS when it gave up waiting for EOF). */
	for (t0 = now(); now() < t0 + 15;) {
		if (file_contains(scratch_path("c.out"), "answered in"))
			break;
		usleep(20000);
	}
	text = slurp(scratch_path("c.out"));
	CHECK_MSG(sscanf(text, "first trapped call answered in %lf", &took) == 1,
		  "%s", text);
	free(text);
	printf("  first trapped call answered in %.6f s\n", took);
	CHECK_MSG(took < 1.0, "answered after %.3f s with the connection open",
		  took);
	CHECK_LOG("\"syscall\":\"openat\",\"path\":\"", 5);
	/* The exec'd process: a second attach, same container. */
	time_first_call = true;
	create(&e, exec, scratch_path("e.out"));
	time_first_call = false;
	s2 = hand_over_conn(&e, "kept", 1, true);
	go(&e);
	code = finish(&e, 30);
	CHECK_INT(code, ==, 1);
	CHECK(file_contains(scratch_path("e.out"), "errno=EACCES"));
	text = slurp(scratch_path("e.out"));
	CHECK_MSG(sscanf(text, "first trapped call answered in %lf", &took) == 1,
		  "%s", text);
	free(text);
	printf("  exec'd process: first trapped call answered in %.6f s\n", took);
	CHECK_MSG(took < 1.0, "exec'd process answered after %.3f s", took);
	CHECK_INT(finish(&c, 30), ==, 0);
	CHECK(file_contains(scratch_path("c.out"), "public"));
	CHECK_INT(count_lines_containing(log_path,
					 "{\"event\":\"attach\",\"container\":\"kept\""),
		  ==, 2);
	for (t0 = now(); now() < t0 + 10;) {
		if (count_lines_containing(log_path,
					   "{\"event\":\"detach\",\"container\":\"kept\"") == 2)
			break;
		usleep(20000);
	}
	CHECK_INT(count_lines_containing(log_path,
					 "{\"event\":\"detach\",\"container\":\"kept\""),
		  ==, 2);
	/* The agent closed both connections after reading the state. */
	CHECK_INT(read(s1, &b, 1), ==, 0);
	CHECK_INT(read(s2, &b, 1), ==, 0);
	close(s1);
	close(s2);
}

/* The agent @tool with @args after "agent --socket S --log L --log-format json". */
static pid_t start_agent_args(char *const extra[])
{
	char *argv[32] = { (char *)prog("seccomp-pin"), "agent", "--socket",
			   sock_path, "--log", log_path, "--log-format", "json" };
	int n = 8, i;
	pid_t pid;

	for (i = 0; extra[i] && n < 31; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	pid = spawn(argv, scratch_path("agent.out"), scratch_path("agent.err"));
	wait_agent_listening(sock_path, scratch_path("agent.err"));
	return pid;
}

/* probe open @path in a container with listenerMetadata @md; its exit. */
static int probe_with_metadata(const char *md, const char *id,
			       const char *path)
{
	char *argv[] = { (char *)prog("probe"), "open", (char *)path, NULL };
	char out[64];
	struct container c;

	snprintf(out, sizeof(out), "%s.out", id);
	metadata = md;
	create(&c, argv, scratch_path(out));
	hand_over(&c, id, 1);
	go(&c);
	return finish(&c, 30);
}

/*
 * --policy-dir: each container gets DIR/NAME.policy, NAME its
 * listenerMetadata, "default" without one; a name that is not a plain
 * file name, or a missing file, refuses the container (its listener is
 * closed: its trapped calls fail with ENOSYS, its exec 127).
 */
static void agent_policy_per_container(void)
{
	char dir[600], text[1024];
	char *args[] = { "--policy-dir", dir, NULL };
	pid_t agent;

	snprintf(dir, sizeof(dir), "%s", scratch_path("policies"));
	mkdirs(dir);
	snprintf(text, sizeof(text), "deny-path %s/priv/**\n", scratch_dir);
	write_file(scratch_path("policies/web.policy"), text);
	snprintf(text, sizeof(text), "deny-path %s/pub/**\n", scratch_dir);
	write_file(scratch_path("policies/default.policy"), text);
	agent = start_agent_args(args);
	CHECK_INT(probe_with_metadata("web", "w1", scratch_path("priv/secret.txt")),
		  ==, 1);
	CHECK(file_contains(scratch_path("w1.out"), "errno=EACCES"));
	CHECK_INT(probe_with_metadata("web", "w2", scratch_path("pub/a.txt")), ==,
		  0);
	CHECK_INT(probe_with_metadata("", "d1", scratch_path("priv/secret.txt")),
		  ==, 0);
	CHECK_INT(probe_with_metadata("", "d2", scratch_path("pub/a.txt")), ==, 1);
	CHECK_LOG("\"reason\":\"deny-path", 5);
	CHECK_INT(probe_with_metadata("../policies/web", "evil",
				      scratch_path("pub/a.txt")),
		  ==, 127);
	CHECK_LOG("listenerMetadata is not a policy name", 5);
	CHECK_INT(probe_with_metadata("nosuch", "none", scratch_path("pub/a.txt")),
		  ==, 127);
	CHECK_LOG("nosuch.policy: No such file or directory", 5);
	/* A changed file applies to the next container. */
	write_file(scratch_path("policies/web.policy"), "deny-path /nothing\n");
	CHECK_INT(probe_with_metadata("web", "w3", scratch_path("priv/secret.txt")),
		  ==, 0);
	CHECK_INT(kill(agent, SIGTERM), ==, 0);
	CHECK_INT(wait_code(agent, 10), ==, 0);
}

/*
 * SIGHUP re-reads --policy FILE for containers attaching afterwards (the
 * running ones keep theirs); a broken file is logged and the old policy
 * kept. The agent keeps running.
 */
static void agent_reloads_on_sighup(void)
{
	static char script[1024];
	char *argv[] = { "/bin/sh", "-c", script, NULL };
	char *args[] = { "--policy", policy_file, NULL };
	struct container slow;
	pid_t agent;

	snprintf(policy_file, sizeof(policy_file), "%s", scratch_path("policy"));
	deny_priv_policy();
	write_file(policy_file, policy);
	agent = start_agent_args(args);
	metadata = "m";
	/* Attached before the reload: keeps denying priv/. */
	snprintf(script, sizeof(script),
		 "/bin/sleep 3; /bin/cat %s", scratch_path("priv/secret.txt"));
	create(&slow, argv, scratch_path("slow.out"));
	hand_over(&slow, "slow", 1);
	go(&slow);
	CHECK_LOG("{\"event\":\"attach\",\"container\":\"slow\"", 5);
	CHECK_INT(probe_with_metadata("m", "before",
				      scratch_path("priv/secret.txt")),
		  ==, 1);
	write_file(policy_file, "deny-path /nothing\n");
	CHECK_INT(kill(agent, SIGHUP), ==, 0);
	CHECK_LOG("{\"event\":\"reload\"", 5);
	CHECK_INT(probe_with_metadata("m", "after",
				      scratch_path("priv/secret.txt")),
		  ==, 0);
	CHECK_INT(finish(&slow, 30), ==, 1);
	CHECK(file_contains(scratch_path("slow.out"), "Permission denied"));
	/* A broken file: logged, the last good policy stays. */
	write_file(policy_file, "deny-path relative\n");
	CHECK_INT(kill(agent, SIGHUP), ==, 0);
	CHECK_LOG("policy:1:", 5);
	CHECK_INT(probe_with_metadata("m", "kept",
				      scratch_path("priv/secret.txt")),
		  ==, 0);
	CHECK_INT(kill(agent, 0), ==, 0);
	CHECK_INT(kill(agent, SIGTERM), ==, 0);
	CHECK_INT(wait_code(agent, 10), ==, 0);
}

/*
 * systemd socket activation: the listening socket as fd 3, LISTEN_PID and
 * LISTEN_FDS set; the agent serves it and leaves the socket file alone.
 */
static void agent_socket_activation(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char policy_arg[600];
	pid_t agent;
	int lfd;

	snprintf(policy_arg, sizeof(policy_arg), "%s", scratch_path("policy"));
	deny_priv_policy();
	write_file(policy_arg, policy);
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", sock_path);
	CHECK_INT(bind(lfd, (struct sockaddr *)&sun, sizeof(sun)), ==, 0);
	CHECK_INT(listen(lfd, 16), ==, 0);
	agent = fork();
	CHECK(agent >= 0);
	if (agent == 0) {
		char pid[32];
		int err = open(scratch_path("agent.err"),
			       O_WRONLY | O_CREAT | O_APPEND, 0644);

		dup2(err, 2);
		dup2(lfd, 3);
		snprintf(pid, sizeof(pid), "%d", getpid());
		setenv("LISTEN_PID", pid, 1);
		setenv("LISTEN_FDS", "1", 1);
		execl(prog("seccomp-pin"), "seccomp-pin", "agent", "--socket",
		      sock_path, "--policy", policy_arg, "--log", log_path,
		      "--log-format", "json", (char *)NULL);
		_exit(127);
	}
	close(lfd);
	metadata = "m";
	CHECK_INT(probe_with_metadata("m", "act", scratch_path("priv/secret.txt")),
		  ==, 1);
	CHECK(file_contains(scratch_path("act.out"), "errno=EACCES"));
	CHECK_INT(kill(agent, SIGTERM), ==, 0);
	CHECK_INT(wait_code(agent, 10), ==, 0);
	CHECK_MSG(!access(sock_path, F_OK),
		  "the agent removed systemd's socket");
}

/* race_target under the agent @tool; its counts. */
static void attack(const char *tool, const char *stop, long counts[3])
{
	char *argv[] = { (char *)prog("race_target"),
			 "open",
			 scratch_dir,
			 "-",
			 "1500",
			 "90",
			 (char *)stop,
			 NULL };
	struct container c;
	pid_t agent;
	char *out;

	unlink(scratch_path("race.out"));
	unlink(sock_path);
	agent = start_tool_agent(tool, policy);
	create(&c, argv, scratch_path("race.out"));
	hand_over(&c, "race", 1);
	go(&c);
	CHECK_INT(finish(&c, 150), ==, 0);
	out = slurp(scratch_path("race.out"));
	CHECK_INT(sscanf(out, "allowed=%ld secret=%ld denied=%ld", &counts[0],
			 &counts[1], &counts[2]),
		  ==, 3);
	printf("  %-22s allowed %6ld, denied %6ld, denied value used %ld times\n",
	       tool, counts[0], counts[2], counts[1]);
	free(out);
	kill(agent, SIGTERM);
	wait_code(agent, 10);
}

/*
 * The openat race through the agent. The same tool answering plain
 * CONTINUE (seccomp-pin-unpinned) is the control: the attack must win
 * there, or this test could not fail.
 */
static void agent_pins_under_attack(void)
{
	long counts[3];

	write_file(scratch_path("allowed.txt"), "public\n");
	write_file(scratch_path("secrets.txt"), "SECRET\n");
	snprintf(policy, sizeof(policy), "allow-path %s/allowed.txt\n", scratch_dir);
	attack("seccomp-pin-unpinned", "3", counts);
	CHECK_MSG(
		counts[1] > 0,
		"control: the attack never won against plain CONTINUE, so this test cannot fail");
	attack("seccomp-pin", "0", counts);
	CHECK_INT(counts[1], ==, 0);
	CHECK_INT(counts[0], >, 0);
	CHECK_INT(counts[2], >, 0);
}

/* Send @json with @fds; the agent must log an error and keep going. */
static void bad_message(const char *json, const int *fds, int nfds)
{
	int sock = agent_connect();

	send_part(sock, json, strlen(json), fds, nfds);
	close(sock);
}

/* Does the agent close @sock (EOF) within @seconds? */
static bool closed_within(int sock, double seconds)
{
	struct timeval tv = { .tv_sec = (long)seconds + 1 };
	double t0 = now();
	char b[64];
	ssize_t n;

	setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	do
		n = read(sock, b, sizeof(b));
	while (n > 0 || (n < 0 && errno == EINTR));
	return n == 0 && now() - t0 <= seconds;
}

/*
 * Malformed input on connections the client keeps open: each gets a log
 * line and a closed connection, at once when the bytes already say it
 * is bad, after the agent's 10 s limit when they never complete; other
 * containers are served meanwhile.
 */
static void bad_kept_open(int p[2])
{
	char *argv[] = { (char *)prog("probe"), "open",
			 scratch_path("priv/secret.txt"), NULL };
	int fds[AGENT_TEST_FDS], i, silent, half, sock;
	struct container c;
	char json[2048];
	double t0;

	sock = agent_connect();
	send_part(sock, "[1]", 3, p, 1);
	CHECK_MSG(closed_within(sock, 2), "a non-object was not refused at once");
	close(sock);
	CHECK_LOG("not a JSON object", 5);

	state_json(json, sizeof(json), "after", getpid(), "[\"seccompFd\"]");
	strcat(json, " x");
	sock = agent_connect();
	send_part(sock, json, strlen(json), p, 1);
	CHECK_MSG(closed_within(sock, 2), "trailing bytes were not refused");
	close(sock);
	CHECK_LOG("bytes after the state", 5);

	for (i = 0; i < AGENT_TEST_FDS; i++)
		fds[i] = p[0];
	state_json(json, sizeof(json), "many", getpid(), "[\"seccompFd\"]");
	sock = agent_connect();
	send_part(sock, json, strlen(json), fds, AGENT_TEST_FDS);
	CHECK_MSG(closed_within(sock, 2), "too many fds were not refused");
	close(sock);
	CHECK_LOG("too many file descriptors", 5);

	/* Nothing at all, and half a state: both kept open. */
	silent = agent_connect();
	half = agent_connect();
	send_part(half, json, strlen(json) / 2, p, 1);
	/* Served meanwhile. */
	create(&c, argv, scratch_path("mid.out"));
	hand_over(&c, "mid", 1);
	go(&c);
	CHECK_INT(finish(&c, 30), ==, 1);
	CHECK(file_contains(scratch_path("mid.out"), "errno=EACCES"));
	CHECK_MSG(closed_within(silent, 15), "a silent connection stayed open");
	CHECK_MSG(closed_within(half, 5), "half a state kept its connection");
	close(silent);
	close(half);
	/* The agent closes the connection, then logs: wait for the line. */
	for (t0 = now(); now() < t0 + 5;) {
		if (count_lines_containing(log_path,
					   "timed out waiting for the state") >= 2)
			break;
		usleep(20000);
	}
	CHECK_INT(count_lines_containing(log_path,
					 "timed out waiting for the state"),
		  ==, 2);
}

/*
 * 300 connections with mangled states (cut, bytes flipped, bytes
 * inserted, with and without fds, closed or kept open a moment): the
 * agent must answer each with a closed connection and keep running.
 */
static void fuzz_connections(int p[2])
{
	unsigned int seed = 13;
	int i, socks[300];
	char json[2048];
	size_t len;

	for (i = 0; i < 300; i++) {
		int k, edits = 1 + rand_r(&seed) % 4;

		state_json(json, sizeof(json), "fuzz", getpid(),
			   "[\"seccompFd\"]");
		len = strlen(json);
		for (k = 0; k < edits; k++) {
			size_t at = rand_r(&seed) % len;

			switch (rand_r(&seed) % 3) {
			case 0:
				len = at ? at : 1;
				break;
			case 1:
				json[at] = "{}[]\",:\\ 0a\x80\xff"[rand_r(&seed) % 14];
				break;
			default:
				if (len + 1 < sizeof(json)) {
					memmove(json + at + 1, json + at, len - at);
					json[at] = "{[\"\\"[rand_r(&seed) % 4];
					len++;
				}
			}
		}
		socks[i] = agent_connect();
		send_part(socks[i], json, len, p, rand_r(&seed) % 2);
		if (i % 2) {
			close(socks[i]);
			socks[i] = -1;
		}
	}
	for (i = 0; i < 300; i++) {
		if (socks[i] < 0)
			continue;
		/* Kept open: the agent closes it, at the latest on its timeout. */
		CHECK_MSG(closed_within(socks[i], 15),
			  "fuzz connection %d stayed open", i);
		close(socks[i]);
	}
}

static void agent_rejects_bad_messages(void)
{
	char *argv[] = { (char *)prog("probe"), "open", scratch_path("priv/secret.txt"),
			 NULL };
	struct container c, spare;
	char json[2048];
	int p[2];

	deny_priv_policy();
	start_agent(policy);
	CHECK_INT(pipe(p), ==, 0);
	bad_message("{\"ociVersion\":\"1.0.2\",\"fds\":[\"seccompFd\"]", p, 1);
	CHECK_LOG("\"event\":\"error\"", 5);
	CHECK_LOG("malformed JSON at byte", 5);
	CHECK_LOG("end of file", 5);
	state_json(json, sizeof(json), "pipe", getpid(), "[\"seccompFd\"]");
	bad_message(json, p, 1);
	CHECK_LOG("seccompFd is not a seccomp listener", 5);
	state_json(json, sizeof(json), "nofd", getpid(), "[\"other\"]");
	bad_message(json, p, 1);
	CHECK_LOG("no seccompFd in fds", 5);
	state_json(json, sizeof(json), "count", getpid(),
		   "[\"seccompFd\",\"extra\"]");
	bad_message(json, p, 1);
	CHECK_LOG("different number of descriptors", 5);
	/* A listener it refused is closed, not served: that process fails. */
	create(&spare, argv, scratch_path("spare.out"));
	state_json(json, sizeof(json), "spare", spare.pid, "[]");
	bad_message(json, &spare.listener, 1);
	close(spare.listener);
	CHECK_LOG("different number of descriptors", 5);
	go(&spare);
	/* No listener left: its trapped execve fails (ENOSYS). */
	CHECK_INT(finish(&spare, 30), ==, 127);
	bad_kept_open(p);
	fuzz_connections(p);
	/* Still serving. */
	create(&c, argv, scratch_path("c.out"));
	hand_over(&c, "after", 1);
	go(&c);
	CHECK_INT(finish(&c, 30), ==, 1);
	CHECK(file_contains(scratch_path("c.out"), "errno=EACCES"));
}

int main(void)
{
	static const struct tcase cases[] = {
		TCASE(agent_applies_policy_to_a_container),
		TCASE(agent_serves_containers_concurrently),
		TCASE_T(agent_pins_under_attack, 300),
		TCASE(agent_answers_runtime_that_keeps_connection_open),
		TCASE_T(agent_rejects_bad_messages, 240),
		TCASE(agent_policy_per_container),
		TCASE(agent_reloads_on_sighup),
		TCASE(agent_socket_activation),
	};

	tcheck_before_each = setup;
	return tcheck_run(cases, sizeof(cases) / sizeof(cases[0])) ? 1 : 0;
}
