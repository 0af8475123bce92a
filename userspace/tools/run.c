// SPDX-License-Identifier: GPL-2.0
/*
 * run.c - "seccomp-pin run": CMD under a seccomp filter, supervised.
 *
 * The child installs the filter (NO_NEW_PRIVS, NEW_LISTENER), tells the
 * parent its listener fd number over a socketpair, waits until the parent
 * has taken the listener with pidfd_getfd(2), closes its own copy (CMD must
 * never hold the listener that judges it) and execs CMD. The child uses only
 * write/read/close there, which the filter never traps.
 *
 * The parent is a child subreaper: every descendant of CMD that outlives
 * its parent is re-parented to it, so "all descendants that inherited the
 * filter are gone" is "waitpid(-1) says ECHILD". Until then it answers
 * notifications and forwards SIGINT, SIGTERM, SIGHUP and SIGQUIT to CMD.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "common.h"
#include "filter.h"
#include "supervisor.h"
#include "target.h"

static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

/*
 * CMD as execve(2) gets it: itself if it has a '/', else the first
 * executable regular file in $PATH. NULL with *err set if none.
 */
static char *find_cmd(const char *name, int *err)
{
	const char *path = getenv("PATH");
	char *dirs, *dir, *save, *found = NULL;

	*err = ENOENT;
	if (strchr(name, '/'))
		return xstrdup(name);
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	dirs = xstrdup(path);
	for (dir = strtok_r(dirs, ":", &save); dir;
	     dir = strtok_r(NULL, ":", &save)) {
		char *cand = xmalloc(strlen(dir) + strlen(name) + 2);
		struct stat st;

		sprintf(cand, "%s/%s", dir, name);
		if (!stat(cand, &st) && S_ISREG(st.st_mode)) {
			if (!access(cand, X_OK)) {
				found = cand;
				break;
			}
			*err = EACCES;
		}
		free(cand);
	}
	free(dirs);
	return found;
}

static void child(int sock, unsigned int categories, const char *file,
		  char **argv, const sigset_t *mask)
{
	int listener, err;
	char ack;

	listener = filter_install(categories);
	if (listener < 0) {
		tool_err("cannot install the seccomp filter: %s",
			 strerror(-listener));
		_exit(EXIT_TOOL_FAILURE);
	}
	if (write(sock, &listener, sizeof(listener)) != sizeof(listener) ||
	    read(sock, &ack, 1) != 1)
		_exit(EXIT_TOOL_FAILURE); /* the parent is gone */
	close(listener);
	close(sock);
	sigprocmask(SIG_SETMASK, mask, NULL);
	execv(file, argv);
	err = errno;
	tool_err("cannot execute %s: %s", file, strerror(err));
	_exit(err == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC);
}

/* The child's listener, duplicated into this process. */
static int take_listener(pid_t pid, int sock)
{
	int remote, listener;

	if (read(sock, &remote, sizeof(remote)) != sizeof(remote))
		return -EPIPE; /* the child failed and said why */
	listener = target_getfd(pid, remote);
	if (listener >= 0 && write(sock, "", 1) != 1) {
		close(listener);
		return -EPIPE;
	}
	return listener;
}

static int exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return EXIT_TOOL_FAILURE;
}

struct runner {
	pid_t cmd;
	bool cmd_done;
	int cmd_status;
	bool quit; /* a signal after CMD ended: stop waiting for the rest */
};

static void on_signals(int sfd, struct runner *r)
{
	struct signalfd_siginfo si;

	while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGCHLD)
			continue;
		if (r->cmd_done) {
			r->quit = true;
			continue;
		}
		/* A terminal's signal already reached CMD, our process group. */
		if (si.ssi_code != SI_KERNEL)
			kill(r->cmd, si.ssi_signo);
	}
}

/* Reap what has ended. Returns true once no child is left. */
static bool reap(struct runner *r)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid == r->cmd) {
			r->cmd_done = true;
			r->cmd_status = status;
		}
	}
	return pid < 0 && errno == ECHILD;
}

static int supervise(struct supervisor *sup, int sfd, struct runner *r)
{
	int listener = sup->listener;

	for (;;) {
		struct pollfd p[2] = { { .fd = sfd, .events = POLLIN },
				       { .fd = listener, .events = POLLIN } };

		if (poll(p, listener >= 0 ? 2 : 1, 500) < 0 && errno != EINTR) {
			tool_err("poll: %s", strerror(errno));
			return EXIT_TOOL_FAILURE;
		}
		if (p[0].revents & POLLIN)
			on_signals(sfd, r);
		if (listener >= 0 && (p[1].revents & POLLIN)) {
			int err = supervisor_handle(sup);

			if (err && err != -ENOENT && err != -EINTR) {
				/* Fail closed: trapped syscalls get ENOSYS. */
				tool_err(
					"receiving a notification: %s; no longer supervising",
					strerror(-err));
				close(listener);
				listener = -1;
			}
		} else if (listener >= 0 && p[1].revents) {
			/* POLLHUP: no task uses the filter any more. */
			close(listener);
			listener = -1;
		}
		if (reap(r) || r->quit)
			break;
	}
	if (listener >= 0)
		close(listener);
	return r->cmd_done ? exit_code(r->cmd_status) : EXIT_TOOL_FAILURE;
}

int cmd_run(struct run_opts *o)
{
	struct seccomp_pin_info info;
	struct supervisor sup;
	struct runner r = { 0 };
	struct logger log;
	sigset_t set, old;
	unsigned int categories = policy_categories(&o->policy);
	int dev, sfd, sv[2], listener, err, status, ret;
	char *file;
	size_t i;

	dev = module_open(&info);
	if (dev < 0)
		return EXIT_TOOL_FAILURE;
	supervisor_warn_sites(&info, categories);
	file = find_cmd(o->cmd[0], &err);
	if (!file) {
		tool_err("%s: %s", o->cmd[0],
			 err == ENOENT ? "command not found" : strerror(err));
		return err == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC;
	}
	err = logger_open(&log, o->log_file, o->log_format);
	if (err) {
		tool_err("%s: %s", o->log_file, strerror(-err));
		return EXIT_TOOL_FAILURE;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	for (i = 0; i < ARRAY_SIZE(forwarded); i++)
		sigaddset(&set, forwarded[i]);
	sigprocmask(SIG_BLOCK, &set, &old);
	sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0 || prctl(PR_SET_CHILD_SUBREAPER, 1) ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
		tool_err("setting up: %s", strerror(errno));
		return EXIT_TOOL_FAILURE;
	}
	r.cmd = fork();
	if (r.cmd < 0) {
		tool_err("fork: %s", strerror(errno));
		return EXIT_TOOL_FAILURE;
	}
	if (r.cmd == 0) {
		close(sv[0]);
		child(sv[1], categories, file, o->cmd, &old);
	}
	close(sv[1]);
	/* Our own writes to a closed log pipe must not kill the supervisor. */
	signal(SIGPIPE, SIG_IGN);
	listener = take_listener(r.cmd, sv[0]);
	close(sv[0]);
	if (listener < 0) {
		if (listener != -EPIPE)
			tool_err("cannot take the child's seccomp listener: %s",
				 strerror(-listener));
		kill(r.cmd, SIGKILL);
		waitpid(r.cmd, &status, 0);
		return listener == -EPIPE ? exit_code(status) :
					    EXIT_TOOL_FAILURE;
	}
	err = supervisor_init(&sup, dev, listener, &o->policy, &log, &info,
			      NULL);
	if (err) {
		tool_err("supervisor: %s", strerror(-err));
		kill(r.cmd, SIGKILL);
		return EXIT_TOOL_FAILURE;
	}
	ret = supervise(&sup, sfd, &r);
	supervisor_fini(&sup);
	free(file);
	return ret;
}
