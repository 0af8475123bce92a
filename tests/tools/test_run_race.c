// SPDX-License-Identifier: GPL-2.0
/*
 * test_run_race - a target whose second thread keeps rewriting the path
 * (or sockaddr) of the main thread's syscalls between an allowed and a
 * denied value never gets the denied one through "seccomp-pin run".
 *
 * Each test first runs the same attack against seccomp-pin-unpinned, the
 * same tool linked with an argfetch that reads target memory and answers
 * plain CONTINUE (tests/tools/unpinned_fetch.c): the attack must succeed
 * there, or the test proves nothing and fails.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tcheck.h"
#include "tools_common.h"

#define PINNED_ROUNDS "3000"
#define CONTROL_ROUNDS "20000"

static void setup(void)
{
	CHECK(scratch_init("race"));
}

struct counts {
	long allowed, secret, denied;
};

/* Run race_target under @tool with one rule; parse what it reports. */
static struct counts attack(const char *tool, const char *opt, const char *rule,
			    const char *mode, const char *a, const char *b,
			    const char *rounds, const char *stop)
{
	char out[512], err[512];
	char *argv[] = { (char *)prog(tool),
			 "run",
			 (char *)opt,
			 (char *)rule,
			 "--",
			 (char *)prog("race_target"),
			 (char *)mode,
			 (char *)a,
			 (char *)b,
			 (char *)rounds,
			 "90",
			 (char *)stop,
			 NULL };
	struct counts c = { -1, -1, -1 };
	char *text;
	int code;

	snprintf(out, sizeof(out), "%s", scratch_path("out"));
	snprintf(err, sizeof(err), "%s", scratch_path("err"));
	unlink(out);
	unlink(err);
	code = run(argv, out, err, 150);
	text = slurp(out);
	if (code != 0 || sscanf(text, "allowed=%ld secret=%ld denied=%ld",
				&c.allowed, &c.secret, &c.denied) != 3) {
		dump_file("target output", out);
		dump_file("stderr", err);
		tcheck_fail(__FILE__, __LINE__, "%s: exit %d, no counts", tool,
			    code);
	}
	free(text);
	printf("  %-22s allowed %6ld, denied %6ld, denied value used %ld times\n",
	       tool, c.allowed, c.denied, c.secret);
	return c;
}

static void openat_race_never_opens_the_denied_path(void)
{
	struct counts c;

	write_file(scratch_path("allowed.txt"), "public\n");
	write_file(scratch_path("secrets.txt"), "SECRET\n");
	c = attack("seccomp-pin-unpinned", "--allow-path", scratch_path("allowed.txt"),
		   "open", scratch_dir, "-", CONTROL_ROUNDS, "3");
	CHECK_MSG(
		c.secret > 0,
		"control: the attack never won against plain CONTINUE, so this test cannot fail");
	c = attack("seccomp-pin", "--allow-path", scratch_path("allowed.txt"), "open",
		   scratch_dir, "-", PINNED_ROUNDS, "0");
	CHECK_INT(c.secret, ==, 0);
	CHECK_INT(c.allowed, >, 0);
	CHECK_INT(c.denied, >, 0);
}

static atomic_long accepted[2];

static void *acceptor(void *arg)
{
	int *fds = arg;

	for (;;) {
		int i;

		for (i = 0; i < 2; i++) {
			int c = accept4(fds[i], NULL, NULL, 0);

			if (c >= 0) {
				atomic_fetch_add(&accepted[i], 1);
				close(c);
			}
		}
		usleep(1000);
	}
	return NULL;
}

static void connect_race_never_reaches_the_denied_address(void)
{
	static int fds[2];
	struct counts c;
	long before;
	pthread_t t;

	loopback_up();
	fds[0] = tcp_listen(42001, 4096);
	fds[1] = tcp_listen(42002, 4096);
	pthread_create(&t, NULL, acceptor, fds);
	c = attack("seccomp-pin-unpinned", "--allow-connect",
		   "tcp:127.0.0.1:42001", "connect", "42001", "42002",
		   CONTROL_ROUNDS, "3");
	CHECK_MSG(
		c.secret > 0,
		"control: the attack never won against plain CONTINUE, so this test cannot fail");
	usleep(200000);
	before = atomic_load(&accepted[1]);
	c = attack("seccomp-pin", "--allow-connect", "tcp:127.0.0.1:42001",
		   "connect", "42001", "42002", PINNED_ROUNDS, "0");
	CHECK_INT(c.secret, ==, 0);
	CHECK_INT(c.allowed, >, 0);
	CHECK_INT(c.denied, >, 0);
	usleep(200000);
	/* The server's view agrees: nothing reached the denied port. */
	CHECK_INT(atomic_load(&accepted[1]), ==, before);
}

int main(void)
{
	static const struct tcase cases[] = {
		TCASE_T(openat_race_never_opens_the_denied_path, 300),
		TCASE_T(connect_race_never_reaches_the_denied_address, 300),
	};

	tcheck_before_each = setup;
	return tcheck_run(cases, sizeof(cases) / sizeof(cases[0])) ? 1 : 0;
}
