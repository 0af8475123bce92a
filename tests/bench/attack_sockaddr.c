// SPDX-License-Identifier: GPL-2.0
/*
 * attack_sockaddr.c - the sockaddr of connect(2): two AF_UNIX stream
 * listeners, an allowed and a forbidden socket path. A thread of the
 * supervisor process accepts on both and counts per listener.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include <seccomp_pin.h>

#include "attack.h"

#define ALLOWED BENCH_DIR "/allowed.sock"
#define FORBIDDEN BENCH_DIR "/secret--.sock"

static struct sockaddr_un addr;
static int listeners[2]; /* allowed, forbidden */
static pthread_t acceptor;
static atomic_int acceptor_stop;

static int listen_on(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	strcpy(a.sun_path, path);
	unlink(path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(fd, 4096))
		bench_die(path);
	return fd;
}

/* Accept whatever is queued; returns when both queues are empty. */
static void drain(void)
{
	int i, fd, more = 1;

	while (more) {
		more = 0;
		for (i = 0; i < 2; i++) {
			fd = accept4(listeners[i], NULL, NULL, SOCK_CLOEXEC);
			if (fd < 0)
				continue;
			more = 1;
			close(fd);
			atomic_fetch_add(i ? &attack_counts->bypassed :
					     &attack_counts->effect_allowed, 1);
		}
	}
}

static void *accept_loop(void *arg)
{
	struct pollfd pfd[2] = {
		{ .fd = listeners[0], .events = POLLIN },
		{ .fd = listeners[1], .events = POLLIN },
	};

	(void)arg;
	while (!atomic_load(&acceptor_stop))
		if (poll(pfd, 2, 50) > 0)
			drain();
	return NULL;
}

static void setup(void)
{
	listeners[0] = listen_on(ALLOWED);
	listeners[1] = listen_on(FORBIDDEN);
	atomic_store(&acceptor_stop, 0);
	if (pthread_create(&acceptor, NULL, accept_loop, NULL))
		bench_die("pthread_create");
}

static void target(long rounds, uint64_t deadline)
{
	struct attack_flip flip = { addr.sun_path, ALLOWED, FORBIDDEN,
				    sizeof(ALLOWED) };
	socklen_t len = offsetof(struct sockaddr_un, sun_path) + sizeof(ALLOWED);
	long i;

	addr.sun_family = AF_UNIX;
	memcpy(addr.sun_path, ALLOWED, sizeof(ALLOWED));
	attack_flip_start(&flip);
	for (i = 0; i < rounds && bench_now_ns() < deadline; i++) {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (fd < 0)
			bench_die("socket");
		connect(fd, (struct sockaddr *)&addr, len);
		atomic_fetch_add(&attack_counts->calls, 1);
		close(fd);
	}
	attack_flip_stop();
}

static int allow(struct attack_sup *sup, const struct seccomp_notif *req)
{
	const struct sockaddr_un *a = (const void *)sup->buf;
	size_t len = req->data.args[2];
	long n;

	if (len <= offsetof(struct sockaddr_un, sun_path) || len > sizeof(*a))
		return 0;
	n = attack_fetch(sup, req, 1, SECCOMP_PIN_FIXED, len);
	return n == (long)len && a->sun_family == AF_UNIX &&
	       len == offsetof(struct sockaddr_un, sun_path) + sizeof(ALLOWED) &&
	       !memcmp(a->sun_path, ALLOWED, sizeof(ALLOWED));
}

/* The target has exited: every connection it made is queued by now. */
static void teardown(void)
{
	atomic_store(&acceptor_stop, 1);
	pthread_join(acceptor, NULL);
	drain();
	close(listeners[0]);
	close(listeners[1]);
	unlink(ALLOWED);
	unlink(FORBIDDEN);
}

const struct attack_shape attack_sockaddr = {
	.name = "sockaddr via connect",
	.rewrite = "`" ALLOWED "` / `" FORBIDDEN "`",
	.nr = __NR_connect,
	.setup = setup,
	.target = target,
	.allow = allow,
	.teardown = teardown,
};
