// SPDX-License-Identifier: GPL-2.0
/*
 * agent.c - "seccomp-pin agent": an OCI seccomp agent (runtime-spec
 * config-linux.md, "listenerPath").
 *
 * The runtime connects to the agent's unix stream socket once per
 * container process, sends the container process state as JSON
 *   {"ociVersion":"1.0.2","fds":["seccompFd"],"pid":4422,
 *    "metadata":"...","state":{"ociVersion":"1.0.2","id":"c1",...}}
 * with the fds named in "fds" attached, in that order, by SCM_RIGHTS (in
 * the first sendmsg if there are several). Real runtimes (runc 1.1.x,
 * crun 1.8.x) keep the connection open afterwards, so the message ends
 * with its JSON value (agent_msg.h), not at EOF; then the agent closes
 * the connection. Each connection gets a thread that reads the message,
 * keeps the "seccompFd" listener and supervises it with the policy until
 * no task uses the filter any more (POLLHUP). A runtime attaches once per
 * container process (run/create, then each exec), each independently.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli.h"
#include "common.h"
#include "agent_msg.h"
#include "supervisor.h"

#define AGENT_READ_TIMEOUT_MS 10000 /* for the runtime to send the state */

/* A policy and the listeners using it (SIGHUP replaces the current one). */
struct shared_policy {
	struct policy p;
	unsigned int refs; /* under agent.lock */
};

struct agent {
	int dev;
	struct seccomp_pin_info info;
	struct logger *log;
	const struct agent_opts *o;
	pthread_mutex_t lock;
	struct shared_policy *current; /* NULL with --policy-dir */
};

static void policy_put(struct agent *a, struct shared_policy *sp)
{
	bool last;

	if (!sp)
		return;
	pthread_mutex_lock(&a->lock);
	last = !--sp->refs;
	pthread_mutex_unlock(&a->lock);
	if (last) {
		policy_free(&sp->p);
		free(sp);
	}
}

/* The rule options, then @file. NULL with the reason in @err. */
static struct shared_policy *policy_read(const struct agent_opts *o,
					 const char *file, char *err,
					 size_t errlen)
{
	struct shared_policy *sp = xcalloc(1, sizeof(*sp));
	int i;

	sp->refs = 1;
	policy_init(&sp->p);
	for (i = 0; i < o->nrules; i++)
		if (policy_add(&sp->p, o->rules[i].key, o->rules[i].value, err,
			       errlen))
			goto bad;
	if (file && policy_load(&sp->p, file, err, errlen))
		goto bad;
	return sp;
bad:
	policy_free(&sp->p);
	free(sp);
	return NULL;
}

/*
 * The policy of a container: with --policy-dir, DIR/NAME.policy, NAME
 * being its listenerMetadata ("default" without one), read now; else the
 * current one. NULL with the reason in @err.
 */
static struct shared_policy *policy_for(struct agent *a, const char *metadata,
					char *err, size_t errlen)
{
	const char *name = metadata && *metadata ? metadata : "default";
	struct shared_policy *sp;
	char file[4096];
	size_t i;

	if (!a->o->policy_dir) {
		pthread_mutex_lock(&a->lock);
		sp = a->current;
		sp->refs++;
		pthread_mutex_unlock(&a->lock);
		return sp;
	}
	/* The runtime's metadata names a file: no way out of the directory. */
	for (i = 0; name[i]; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		      (name[i] >= 'A' && name[i] <= 'Z') ||
		      (name[i] >= '0' && name[i] <= '9') || name[i] == '_' ||
		      name[i] == '-' || (name[i] == '.' && i)))
			break;
	if (name[i] || i > 64) {
		snprintf(err, errlen,
			 "listenerMetadata is not a policy name ([A-Za-z0-9_.-], 1-64, no leading dot)");
		return NULL;
	}
	snprintf(file, sizeof(file), "%s/%s.policy", a->o->policy_dir, name);
	if (access(file, R_OK)) {
		snprintf(err, errlen, "%s: %s", file, strerror(errno));
		return NULL;
	}
	return policy_read(a->o, file, err, errlen);
}

struct conn {
	struct agent *agent;
	int sock;
	int fds[AGENT_MAX_FDS];
	int nfds;
	char *data;
	size_t len;
	struct agent_msg m;
};

static void close_fds(struct conn *c)
{
	int i;

	for (i = 0; i < c->nfds; i++)
		if (c->fds[i] >= 0)
			close(c->fds[i]);
	c->nfds = 0;
}

/* Keep the SCM_RIGHTS fds of @msg; false if there were too many. */
static bool take_fds(struct conn *c, struct msghdr *msg)
{
	struct cmsghdr *cm;
	bool ok = true;

	for (cm = CMSG_FIRSTHDR(msg); cm; cm = CMSG_NXTHDR(msg, cm)) {
		size_t n, i;
		int *fds;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		fds = (int *)CMSG_DATA(cm);
		for (i = 0; i < n; i++) {
			int fd;

			memcpy(&fd, fds + i, sizeof(fd));
			if (c->nfds < AGENT_MAX_FDS) {
				c->fds[c->nfds++] = fd;
			} else {
				close(fd);
				ok = false;
			}
		}
	}
	return ok;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * The message: bytes until one whole JSON value has arrived (runtimes
 * keep the connection open), with the fds that came along. The runtime
 * gets AGENT_READ_TIMEOUT_MS in all, however it spreads its bytes. An
 * EOF before the value is complete is an error (whose reason the parser
 * gives). NULL when c->data/c->len hold the complete value.
 */
static const char *receive(struct conn *c)
{
	long long deadline = now_ms() + AGENT_READ_TIMEOUT_MS;
	struct agent_scan scan = { 0 };
	const char *why = NULL;
	size_t cap = 4096;

	c->data = malloc(cap);
	if (!c->data)
		return "out of memory";
	for (;;) {
		union {
			char buf[CMSG_SPACE(AGENT_MAX_FDS * sizeof(int))];
			struct cmsghdr align;
		} ctrl;
		struct pollfd p = { .fd = c->sock, .events = POLLIN };
		struct iovec iov;
		struct msghdr msg = { 0 };
		long long left = deadline - now_ms();
		enum agent_scan_result r;
		ssize_t n;

		if (left <= 0)
			return "timed out waiting for the state";
		n = poll(&p, 1, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return "receive failed";
		if (n == 0)
			return "timed out waiting for the state";
		if (c->len == cap) {
			char *q;

			if (cap >= AGENT_MAX_MESSAGE)
				return "message too large";
			cap *= 2;
			q = realloc(c->data, cap);
			if (!q)
				return "out of memory";
			c->data = q;
		}
		iov.iov_base = c->data + c->len;
		iov.iov_len = cap - c->len;
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = ctrl.buf;
		msg.msg_controllen = sizeof(ctrl.buf);
		n = recvmsg(c->sock, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return "receive failed";
		if (!take_fds(c, &msg) || (msg.msg_flags & MSG_CTRUNC))
			return "too many file descriptors";
		if (n == 0) {
			/* EOF: the fallback; the parser says what is missing. */
			if (!c->len)
				return "connection closed without a state";
			if (!agent_msg_parse(c->data, c->len, c->nfds, &c->m,
					     &why)) {
				/* cannot be: the scanner saw no end */
				free(c->m.metadata);
				memset(&c->m, 0, sizeof(c->m));
				why = NULL;
			}
			return why ? why : "connection closed before the state was complete";
		}
		r = agent_scan_feed(&scan, c->data + c->len, n, &why);
		c->len += n;
		if (r == AGENT_SCAN_BAD)
			return why;
		if (r == AGENT_SCAN_DONE) {
			c->len = scan.end;
			return NULL;
		}
	}
}

static bool is_listener(int fd)
{
	char proc[64], link[64];
	ssize_t n;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, link, sizeof(link) - 1);
	if (n < 0)
		return false;
	link[n] = '\0';
	return !strcmp(link, "anon_inode:seccomp notify");
}

static void serve(struct agent *a, int listener, const char *id, pid_t pid,
		  const char *metadata)
{
	struct supervisor sup;
	const char *end = "no task uses the filter any more";
	struct shared_policy *sp;
	char why[4200];
	int err;

	sp = policy_for(a, metadata, why, sizeof(why));
	if (!sp) {
		/* Refused: the listener is closed, trapped calls get ENOSYS. */
		log_event(a->log, "error", id, pid, why);
		return;
	}
	err = supervisor_init(&sup, a->dev, listener, &sp->p, a->log,
			      &a->info, id);
	if (err) {
		log_event(a->log, "error", id, pid, strerror(-err));
		policy_put(a, sp);
		return;
	}
	log_event(a->log, "attach", id, pid, metadata);
	for (;;) {
		struct pollfd p = { .fd = listener, .events = POLLIN };

		if (poll(&p, 1, 1000) < 0) {
			if (errno == EINTR)
				continue;
			end = "poll failed";
			break;
		}
		if (p.revents & POLLIN) {
			err = supervisor_handle(&sup);
			if (err && err != -ENOENT && err != -EINTR) {
				end = "receiving a notification failed";
				break;
			}
		} else if (p.revents) {
			break; /* POLLHUP */
		}
	}
	log_event(a->log, "detach", id, pid, end);
	supervisor_fini(&sup);
	policy_put(a, sp);
}

static void *connection(void *arg)
{
	struct conn *c = arg;
	struct agent_msg *m = &c->m;
	const char *why;
	int listener;

	why = receive(c);
	if (!why && !agent_msg_parse(c->data, c->len, c->nfds, m, &why) &&
	    !is_listener(c->fds[m->listener])) {
		why = "seccompFd is not a seccomp listener";
	}
	/* Whether the runtime keeps its end open or not, we are done with it. */
	close(c->sock);
	if (why) {
		log_event(c->agent->log, "error", m->id[0] ? m->id : NULL,
			  m->pid, why);
		close_fds(c);
	} else {
		listener = c->fds[m->listener];
		c->fds[m->listener] = -1;
		close_fds(c);
		serve(c->agent, listener, m->id, m->pid, m->metadata);
		close(listener);
	}
	free(m->metadata);
	free(c->data);
	free(c);
	return NULL;
}

static int listen_on(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct stat st;
	mode_t old;
	int fd, ret;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		tool_err("%s: socket path too long", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	if (!lstat(path, &st)) {
		if (!S_ISSOCK(st.st_mode)) {
			tool_err("%s exists and is not a socket", path);
			return -1;
		}
		unlink(path); /* a previous agent's */
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		tool_err("socket: %s", strerror(errno));
		return -1;
	}
	/* Only the owner (the runtime, as root) may hand us containers. */
	old = umask(0177);
	ret = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (ret || listen(fd, 64)) {
		tool_err("%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * The socket systemd passed (socket activation: LISTEN_PID, LISTEN_FDS,
 * fd 3), or -1 if there is none.
 */
static int activated_socket(void)
{
	const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	int yes = 0;
	socklen_t len = sizeof(yes);

	if (!pid || !fds || atol(pid) != getpid() || atoi(fds) != 1)
		return -1;
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	if (getsockopt(3, SOL_SOCKET, SO_ACCEPTCONN, &yes, &len) || !yes)
		return -1;
	fcntl(3, F_SETFD, FD_CLOEXEC);
	return 3;
}

/* SIGHUP: read --policy FILE again, for the listeners attaching later. */
static void reload(struct agent *a)
{
	struct shared_policy *sp, *old;
	char err[4200];

	if (a->o->policy_dir) {
		log_event(a->log, "reload", NULL, getpid(),
			  "policies are read from the directory at each attach");
		return;
	}
	sp = policy_read(a->o, a->o->policy_file, err, sizeof(err));
	if (!sp) {
		log_event(a->log, "error", NULL, getpid(), err);
		return;
	}
	pthread_mutex_lock(&a->lock);
	old = a->current;
	a->current = sp;
	pthread_mutex_unlock(&a->lock);
	policy_put(a, old);
	log_event(a->log, "reload", NULL, getpid(),
		  a->o->policy_file ? a->o->policy_file : "rule options");
}

int cmd_agent(struct agent_opts *o)
{
	struct agent a = { .o = o, .lock = PTHREAD_MUTEX_INITIALIZER };
	struct logger log;
	pthread_attr_t attr;
	bool activated;
	sigset_t set;
	int lfd, sfd, err;

	a.dev = module_open(&a.info);
	if (a.dev < 0)
		return EXIT_TOOL_FAILURE;
	if (!o->policy_dir) {
		a.current = xcalloc(1, sizeof(*a.current));
		a.current->p = o->policy;
		a.current->refs = 1;
		supervisor_warn_sites(&a.info, policy_categories(&o->policy));
	}
	err = logger_open(&log, o->log_file ? o->log_file : "-", o->log_format);
	if (err) {
		tool_err("%s: %s", o->log_file, strerror(-err));
		return EXIT_TOOL_FAILURE;
	}
	a.log = &log;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	lfd = activated_socket();
	activated = lfd >= 0;
	if (!activated)
		lfd = listen_on(o->socket_path);
	if (sfd < 0 || lfd < 0)
		return EXIT_TOOL_FAILURE;
	log_event(&log, "listen", NULL, getpid(), o->socket_path);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (;;) {
		struct pollfd p[2] = { { .fd = lfd, .events = POLLIN },
				       { .fd = sfd, .events = POLLIN } };
		struct signalfd_siginfo si;
		struct conn *c;
		pthread_t t;
		int sock;

		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (p[1].revents) {
			if (read(sfd, &si, sizeof(si)) != sizeof(si))
				continue;
			if (si.ssi_signo != SIGHUP)
				break;
			reload(&a);
			continue;
		}
		if (!(p[0].revents & POLLIN))
			continue;
		sock = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (sock < 0)
			continue;
		c = xcalloc(1, sizeof(*c));
		c->agent = &a;
		c->sock = sock;
		if (pthread_create(&t, &attr, connection, c)) {
			log_event(&log, "error", NULL, 0,
				  "cannot start a thread");
			close(sock);
			free(c);
		}
	}
	log_event(&log, "stop", NULL, getpid(), o->socket_path);
	/* systemd's socket stays systemd's. */
	if (!activated)
		unlink(o->socket_path);
	return 0;
}
