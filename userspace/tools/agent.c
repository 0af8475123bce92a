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
 * the first sendmsg if there are several), and closes the connection.
 * Each connection gets a thread that reads the message, keeps the
 * "seccompFd" listener and supervises it with the policy until no task
 * uses the filter any more (POLLHUP).
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli.h"
#include "common.h"
#include "json.h"
#include "supervisor.h"

#define AGENT_MAX_FDS 16
#define AGENT_MAX_MESSAGE (1 << 20)
#define AGENT_READ_TIMEOUT 10 /* seconds for the runtime to send */

struct agent {
	int dev;
	struct seccomp_pin_info info;
	const struct policy *policy;
	struct logger *log;
};

struct conn {
	struct agent *agent;
	int sock;
	int fds[AGENT_MAX_FDS];
	int nfds;
	char *data;
	size_t len;
	char id[256];
	long long pid;
};

static void close_fds(struct conn *c)
{
	int i;

	for (i = 0; i < c->nfds; i++)
		if (c->fds[i] >= 0)
			close(c->fds[i]);
	c->nfds = 0;
}

static void take_fds(struct conn *c, struct msghdr *msg)
{
	struct cmsghdr *cm;

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
			if (c->nfds < AGENT_MAX_FDS)
				c->fds[c->nfds++] = fd;
			else
				close(fd);
		}
	}
}

/* The whole message: until the runtime closes the connection. */
static const char *receive(struct conn *c)
{
	size_t cap = 4096;

	c->data = malloc(cap);
	if (!c->data)
		return "out of memory";
	for (;;) {
		union {
			char buf[CMSG_SPACE(AGENT_MAX_FDS * sizeof(int))];
			struct cmsghdr align;
		} ctrl;
		struct iovec iov;
		struct msghdr msg = { 0 };
		ssize_t n;

		if (c->len == cap) {
			char *p;

			if (cap >= AGENT_MAX_MESSAGE)
				return "message too large";
			cap *= 2;
			p = realloc(c->data, cap);
			if (!p)
				return "out of memory";
			c->data = p;
		}
		iov.iov_base = c->data + c->len;
		iov.iov_len = cap - c->len;
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = ctrl.buf;
		msg.msg_controllen = sizeof(ctrl.buf);
		n = recvmsg(c->sock, &msg, MSG_CMSG_CLOEXEC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN ?
				       "timed out waiting for the state" :
				       "receive failed";
		take_fds(c, &msg);
		if (msg.msg_flags & MSG_CTRUNC)
			return "too many file descriptors";
		if (n == 0)
			return NULL;
		c->len += n;
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

/*
 * Check the container process state and find the listener. Returns its
 * index in c->fds, or -1 with *why set.
 */
static int parse_state(struct conn *c, const struct json *root,
		       const char **why, const char **metadata)
{
	const struct json *fds, *pid, *state, *e;
	const char *id;
	int i, found = -1;

	if (!root || root->type != JSON_OBJECT)
		return *why = "not a JSON object", -1;
	if (!json_get_str(root, "ociVersion"))
		return *why = "no ociVersion", -1;
	pid = json_get(root, "pid");
	if (!pid || pid->type != JSON_NUMBER || !pid->is_int)
		return *why = "no pid", -1;
	c->pid = pid->inum;
	state = json_get(root, "state");
	if (!state || state->type != JSON_OBJECT)
		return *why = "no state", -1;
	id = json_get_str(state, "id");
	snprintf(c->id, sizeof(c->id), "%s", id ? id : "?");
	*metadata = json_get_str(root, "metadata");
	fds = json_get(root, "fds");
	if (!fds || fds->type != JSON_ARRAY)
		return *why = "no fds array", -1;
	for (e = fds->child, i = 0; e; e = e->next, i++) {
		if (e->type != JSON_STRING)
			return *why = "fds holds a non-string", -1;
		if (!strcmp(e->str, "seccompFd"))
			found = i;
	}
	if (i != c->nfds)
		return *why = "fds names a different number of descriptors than were sent",
		       -1;
	if (found < 0)
		return *why = "no seccompFd in fds", -1;
	if (!is_listener(c->fds[found]))
		return *why = "seccompFd is not a seccomp listener", -1;
	return found;
}

static void serve(struct conn *c, int listener, const char *metadata)
{
	struct agent *a = c->agent;
	struct supervisor sup;
	const char *end = "no task uses the filter any more";
	int err;

	err = supervisor_init(&sup, a->dev, listener, a->policy, a->log,
			      &a->info, c->id);
	if (err) {
		log_event(a->log, "error", c->id, c->pid, strerror(-err));
		return;
	}
	log_event(a->log, "attach", c->id, c->pid, metadata);
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
	log_event(a->log, "detach", c->id, c->pid, end);
	supervisor_fini(&sup);
}

static void *connection(void *arg)
{
	struct conn *c = arg;
	struct timeval tv = { .tv_sec = AGENT_READ_TIMEOUT };
	const char *why, *metadata = NULL;
	struct json *root = NULL;
	int idx = -1, listener;

	setsockopt(c->sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	why = receive(c);
	close(c->sock);
	if (!why) {
		root = json_parse(c->data, c->len, &why);
		if (root)
			idx = parse_state(c, root, &why, &metadata);
	}
	if (idx < 0) {
		log_event(c->agent->log, "error", c->id[0] ? c->id : NULL,
			  c->pid, why);
		close_fds(c);
	} else {
		listener = c->fds[idx];
		c->fds[idx] = -1;
		close_fds(c);
		serve(c, listener, metadata);
		close(listener);
	}
	json_free(root);
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

int cmd_agent(struct agent_opts *o)
{
	struct agent a = { .policy = &o->policy };
	struct logger log;
	pthread_attr_t attr;
	sigset_t set;
	int lfd, sfd, err;

	a.dev = module_open(&a.info);
	if (a.dev < 0)
		return EXIT_TOOL_FAILURE;
	supervisor_warn_sites(&a.info, policy_categories(&o->policy));
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
	lfd = listen_on(o->socket_path);
	if (sfd < 0 || lfd < 0)
		return EXIT_TOOL_FAILURE;
	log_event(&log, "listen", NULL, getpid(), o->socket_path);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (;;) {
		struct pollfd p[2] = { { .fd = lfd, .events = POLLIN },
				       { .fd = sfd, .events = POLLIN } };
		struct conn *c;
		pthread_t t;
		int sock;

		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (p[1].revents)
			break;
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
	unlink(o->socket_path);
	return 0;
}
