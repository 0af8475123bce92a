// SPDX-License-Identifier: GPL-2.0
/*
 * test_race_threads.c - the stochastic TOCTOU race with real threads.
 *
 * The trapped process has a flipper thread that keeps rewriting one byte
 * of a shared argument (a path, or an abstract socket address) between
 * an allowed and a forbidden value, while its main thread issues the
 * syscall in a loop. The supervisor allows only the allowed value:
 *
 *   control: decides on bytes read from /proc/<pid>/mem, plain CONTINUE
 *            (the kernel re-reads user memory: bypasses must happen);
 *   pinned:  decides on the snapshot from PIN_ARGS, CONTINUE_PINNED
 *            (the kernel uses the snapshot: bypasses must never happen).
 *
 * A bypass is the forbidden object actually used: the forbidden file's
 * contents read through the returned fd, or a datagram arriving at the
 * forbidden socket.
 */
#include "common.h"

#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>

#define CONTROL_MAX_ROUNDS 20000
#define CONTROL_MAX_SECONDS 60
#define PINNED_ROUNDS 2000

enum race_kind { RACE_OPENAT, RACE_SENDTO };

struct race_shm {
	enum race_kind kind;
	char path[128]; /* openat */
	struct sockaddr_un addr; /* sendto, abstract */
	socklen_t addrlen;
	char *flip; /* the byte the flipper rewrites */
	char good, bad;
	int report_fd; /* one byte per call: A/F/D/E, S/D/E */
	volatile int stop;
};

/* ---- the trapped process ----------------------------------------- */

static void *flipper(void *arg)
{
	struct race_shm *r = arg;
	volatile char *b = r->flip;
	unsigned int seed = 1, i, n;

	/* A random value held for a random while, both independent. */
	while (!r->stop) {
		seed = seed * 1103515245 + 12345;
		*b = (seed >> 24) & 1 ? r->good : r->bad;
		for (n = (seed >> 12) & 1023, i = 0; i < n; i++)
			__asm__ volatile("" ::: "memory");
	}
	return NULL;
}

static char do_openat(struct race_shm *r)
{
	char c = 'E';
	int fd = openat(AT_FDCWD, r->path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return errno == EACCES ? 'D' : 'E';
	if (read(fd, &c, 1) != 1)
		c = 'E';
	close(fd);
	return c;
}

static char do_sendto(struct race_shm *r, int sock)
{
	if (sendto(sock, "x", 1, 0, (struct sockaddr *)&r->addr, r->addrlen) ==
	    1)
		return 'S';
	return errno == EACCES ? 'D' : 'E';
}

static int child_race(void *arg)
{
	struct race_shm *r = arg;
	int sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	pthread_t th;
	char c;

	if (sock < 0 || pthread_create(&th, NULL, flipper, r))
		return 10;
	while (!r->stop) {
		c = r->kind == RACE_OPENAT ? do_openat(r) : do_sendto(r, sock);
		if (write(r->report_fd, &c, 1) != 1)
			break;
	}
	r->stop = 1;
	pthread_join(th, NULL);
	return 0;
}

/* ---- the supervisor ---------------------------------------------- */

struct race {
	struct fx *f;
	struct race_shm *r;
	struct tracee *t;
	int mem; /* /proc/<pid>/mem */
	int report; /* read end */
	int rx[2]; /* sendto receivers: allowed, forbidden */
	const void *want; /* the allowed argument bytes */
	size_t want_len;
	__u8 arg_idx, kind;
	__u32 pin_max; /* max_bytes of the pin */
};

struct tally {
	unsigned long rounds, allowed, denied, bypass;
};

static bool decide(struct race *x, const struct seccomp_notif *n, bool pinned)
{
	struct seccomp_notif_pin_args p;
	char bytes[sizeof(struct sockaddr_un)];
	const void *seen = bytes;

	if (pinned) {
		assert_ret(pin1(x->f, x->t, n->id, x->arg_idx, x->kind,
				x->pin_max, &p),
			   0);
		seen = seccomp_pin_snapshot(&p, 0);
		assert_non_null(seen);
		if (p.args[0].truncated || p.args[0].actual_size != x->want_len)
			return false;
	} else if (pread(x->mem, bytes, x->want_len,
			 (off_t)n->data.args[x->arg_idx]) !=
		   (ssize_t)x->want_len) {
		fail_msg("reading /proc/pid/mem: %s", strerror(errno));
	}
	return memcmp(seen, x->want, x->want_len) == 0;
}

static char read_report(struct race *x)
{
	struct pollfd p = { .fd = x->report, .events = POLLIN };
	char c;

	if (poll(&p, 1, NOTIF_TIMEOUT_MS) != 1 || read(x->report, &c, 1) != 1)
		fail_msg("no report from the trapped process");
	return c;
}

static bool forbidden_used(struct race *x, char report)
{
	char buf[4];

	if (x->r->kind == RACE_OPENAT)
		return report == x->r->bad;
	recv(x->rx[0], buf, sizeof(buf), MSG_DONTWAIT);
	return recv(x->rx[1], buf, sizeof(buf), MSG_DONTWAIT) == 1;
}

static void round_once(struct race *x, bool pinned, struct tally *tl)
{
	struct seccomp_notif n;
	bool allow;
	char report;

	recv_notif(x->t, &n);
	allow = decide(x, &n, pinned);
	if (allow && pinned)
		continue_pinned(x->f, x->t, n.id);
	else if (allow)
		reply_continue(x->t, n.id);
	else if (pinned)
		assert_ret(pin_send(x->f, x->t, n.id, 0, -EACCES, 0), 0);
	else
		reply_errno(x->t, n.id, EACCES);
	report = read_report(x);
	tl->rounds++;
	tl->allowed += allow;
	tl->denied += !allow;
	if (report == 'E')
		fail_msg("round %lu: the syscall failed unexpectedly",
			 tl->rounds);
	if (!allow && report != 'D')
		fail_msg("round %lu: denied but reported '%c'", tl->rounds,
			 report);
	tl->bypass += forbidden_used(x, report);
}

static void race_stop(struct race *x)
{
	struct seccomp_notif n;

	x->r->stop = 1;
	while (notif_pending(x->t->listener, 500)) {
		recv_notif(x->t, &n);
		reply_errno(x->t, n.id, EACCES);
	}
	assert_int_equal(reap_exit(x->t), 0);
}

static void race_start(struct race *x)
{
	const struct trap traps[] = { TRAP64(
		x->r->kind == RACE_OPENAT ? __NR_openat : __NR_sendto) };
	char mem[64];
	int p[2];

	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	x->r->report_fd = p[1];
	x->report = fx_fd(x->f, p[0]);
	x->t = spawn_trapped(x->f, traps, 1, child_race, x->r);
	close(p[1]);
	snprintf(mem, sizeof(mem), "/proc/%d/mem", x->t->pid);
	x->mem = fx_fd(x->f, open(mem, O_RDONLY | O_CLOEXEC));
}

/* Control first (must bypass), then pinned (must not), fresh processes. */
static void race_both_modes(struct race *x)
{
	struct tally ctl = { 0 }, pin = { 0 };
	time_t end = time(NULL) + CONTROL_MAX_SECONDS;

	race_start(x);
	while (!ctl.bypass && ctl.rounds < CONTROL_MAX_ROUNDS &&
	       time(NULL) < end)
		round_once(x, false, &ctl);
	race_stop(x);
	print_message("control: %lu rounds, %lu allowed, %lu denied, "
		      "%lu bypasses\n",
		      ctl.rounds, ctl.allowed, ctl.denied, ctl.bypass);

	x->r->stop = 0;
	race_start(x);
	while (pin.rounds < PINNED_ROUNDS)
		round_once(x, true, &pin);
	race_stop(x);
	print_message("pinned:  %lu rounds, %lu allowed, %lu denied, "
		      "%lu bypasses\n",
		      pin.rounds, pin.allowed, pin.denied, pin.bypass);

	assert_true(ctl.bypass > 0); /* the race is real here ... */
	assert_int_equal(pin.bypass, 0); /* ... and pinning closes it */
	assert_true(pin.allowed > 0);
	assert_true(pin.denied > 0); /* the flipper ran during it */
}

static void test_openat_race_pinned_never_bypasses(void **state)
{
	struct fx *f = *state;
	const char *a = tpath(f, "race-A"), *b = tpath(f, "race-F");
	struct race_shm *r = shm_alloc(f, sizeof(*r));
	struct race x = { .f = f, .r = r };

	write_file(a, "A");
	write_file(b, "F");
	r->kind = RACE_OPENAT;
	strcpy(r->path, a);
	r->flip = r->path + strlen(a) - 1;
	r->good = 'A';
	r->bad = 'F';
	x.want = a;
	x.want_len = strlen(a) + 1;
	x.arg_idx = 1;
	x.kind = SECCOMP_PIN_CSTRING;
	x.pin_max = PATH_MAX;
	race_both_modes(&x);
}

static void test_sendto_race_pinned_never_bypasses(void **state)
{
	struct fx *f = *state;
	struct race_shm *r = shm_alloc(f, sizeof(*r));
	struct race x = { .f = f, .r = r };
	struct sockaddr_un good;
	char name[64];
	int i, len;

	len = snprintf(name, sizeof(name), "seccomp-pin-race-%d-A", getpid());
	memset(&good, 0, sizeof(good));
	good.sun_family = AF_UNIX;
	memcpy(good.sun_path + 1, name, (size_t)len); /* abstract */
	r->kind = RACE_SENDTO;
	r->addr = good;
	r->addrlen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
				 (size_t)len);
	r->flip = r->addr.sun_path + len;
	r->good = 'A';
	r->bad = 'F';
	for (i = 0; i < 2; i++) {
		struct sockaddr_un sa = good;

		sa.sun_path[len] = i ? 'F' : 'A';
		x.rx[i] =
			fx_fd(f, socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
		assert_int_equal(
			bind(x.rx[i], (struct sockaddr *)&sa, r->addrlen), 0);
	}
	x.want = &good;
	x.want_len = r->addrlen;
	x.arg_idx = 4;
	x.kind = SECCOMP_PIN_FIXED;
	x.pin_max = r->addrlen;
	race_both_modes(&x);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_openat_race_pinned_never_bypasses),
		T(test_sendto_race_pinned_never_bypasses),
	};

	apply_test_filter();
	return cmocka_run_group_tests_name("race_threads", tests, NULL, NULL);
}
