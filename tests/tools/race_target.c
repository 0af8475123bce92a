// SPDX-License-Identifier: GPL-2.0
/*
 * race_target - the attacker, run under seccomp-pin by test_run_race and
 * test_agent. A second thread keeps rewriting the argument memory of the
 * main thread's syscalls between an allowed and a denied value; the main
 * thread reports what the kernel actually did.
 *
 *   race_target open DIR ROUNDS SECONDS STOP
 *       openat(DIR/allowed.txt <-> DIR/secrets.txt); a file starting with
 *       'S' is the secret. Prints "allowed=A secret=S denied=D".
 *   race_target connect PORT_OK PORT_BAD ROUNDS SECONDS STOP
 *       connect(127.0.0.1:PORT_OK <-> PORT_BAD); getpeername() tells
 *       where the kernel connected. Prints "allowed=A secret=S denied=D".
 *
 * STOP > 0 ends the run after that many secret successes (for the
 * unpinned control run, which only has to show the attack works).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static char path_ok[256], path_bad[256];
static char path[256];
static struct sockaddr_in sa_ok, sa_bad, sa;
static atomic_int stop;
static int mode_connect;

/* The memory clobber keeps the compiler from dropping either store. */
static void spin(void)
{
	for (int i = 0; i < 500; i++)
		__asm__ __volatile__("" ::: "memory");
}

static void *flipper(void *arg)
{
	(void)arg;
	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		if (mode_connect)
			memcpy(&sa, &sa_bad, sizeof(sa));
		else
			memcpy(path, path_bad, sizeof(path));
		spin();
		if (mode_connect)
			memcpy(&sa, &sa_ok, sizeof(sa));
		else
			memcpy(path, path_ok, sizeof(path));
		spin();
	}
	return NULL;
}

/* 1: allowed value used, 2: denied value used, 0: refused. */
static int attempt(void)
{
	if (mode_connect) {
		struct sockaddr_in peer;
		socklen_t len = sizeof(peer);
		int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), r = 0;

		if (s < 0)
			return 0;
		if (!connect(s, (struct sockaddr *)&sa, sizeof(sa)) &&
		    !getpeername(s, (struct sockaddr *)&peer, &len))
			r = peer.sin_port == sa_bad.sin_port ? 2 : 1;
		close(s);
		return r;
	} else {
		char buf[4] = "";
		int fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC), r;

		if (fd < 0)
			return 0;
		r = read(fd, buf, 1) == 1 && buf[0] == 'S' ? 2 : 1;
		close(fd);
		return r;
	}
}

int main(int argc, char **argv)
{
	long counts[3] = { 0, 0, 0 }, rounds, stop_after, i;
	time_t deadline;
	pthread_t t;

	if (argc != 7) {
		fprintf(stderr,
			"usage: race_target open|connect A B ROUNDS SECONDS STOP\n");
		return 2;
	}
	mode_connect = !strcmp(argv[1], "connect");
	if (mode_connect) {
		sa_ok.sin_family = sa_bad.sin_family = AF_INET;
		sa_ok.sin_addr.s_addr = sa_bad.sin_addr.s_addr =
			htonl(INADDR_LOOPBACK);
		sa_ok.sin_port = htons(atoi(argv[2]));
		sa_bad.sin_port = htons(atoi(argv[3]));
		sa = sa_ok;
	} else {
		snprintf(path_ok, sizeof(path_ok), "%s/allowed.txt", argv[2]);
		snprintf(path_bad, sizeof(path_bad), "%s/secrets.txt", argv[2]);
		memcpy(path, path_ok, sizeof(path));
	}
	rounds = atol(argv[4]);
	deadline = time(NULL) + atoi(argv[5]);
	stop_after = atol(argv[6]);
	pthread_create(&t, NULL, flipper, NULL);
	for (i = 0; i < rounds && time(NULL) < deadline; i++) {
		counts[attempt()]++;
		if (stop_after && counts[2] >= stop_after)
			break;
	}
	atomic_store(&stop, 1);
	pthread_join(t, NULL);
	printf("allowed=%ld secret=%ld denied=%ld\n", counts[1], counts[2],
	       counts[0]);
	return 0;
}
