// SPDX-License-Identifier: GPL-2.0
/*
 * bench_attack - how often a second thread that rewrites a pointer
 * argument gets a syscall past an allow policy: with plain CONTINUE
 * (the supervisor reads /proc/<pid>/mem, the kernel re-reads later) and
 * with pinning (the supervisor decides on the pinned bytes and answers
 * CONTINUE | CONTINUE_PINNED).
 *
 * usage: bench_attack [-p PLAIN_ROUNDS] [-n PINNED_ROUNDS] [-t SECONDS]
 *                     [path|sockaddr|argv|write]...
 * (-t: a run that has not made its rounds after SECONDS stops there.)
 * Exit status 0 when every run completed; the figures are not judged.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libseccomp_pin.h>

#include "attack.h"

struct attack_counts *attack_counts;

static const struct {
	const char *key;
	const struct attack_shape *shape;
} shapes[] = {
	{ "path", &attack_path },
	{ "sockaddr", &attack_sockaddr },
	{ "argv", &attack_argv },
	{ "write", &attack_write },
};

long attack_fetch(struct attack_sup *sup, const struct seccomp_notif *req,
		  int idx, int kind, size_t max)
{
	struct seccomp_notif_pin_args pin = {
		.id = req->id,
		.nr_args = 1,
		.buf_size = sizeof(sup->buf),
		.buf = (uintptr_t)sup->buf,
		.args[0] = { .arg_idx = idx, .kind = kind, .max_bytes = max },
	};
	const void *snap;
	ssize_t n;

	if (max > sizeof(sup->buf))
		return -1;
	if (!sup->pinned) {
		n = bench_mem_read(&sup->mem, req->pid, req->data.args[idx],
				   sup->buf, max);
		return n > 0 ? n : -1;
	}
	if (seccomp_pin_args(sup->dev, sup->listener, &pin) < 0)
		return -1;
	snap = seccomp_pin_snapshot(&pin, 0);
	if (!snap)
		return -1;
	memmove(sup->buf, snap, pin.args[0].actual_size);
	return pin.args[0].actual_size;
}

static atomic_int flip_stop;
static pthread_t flip_thread;

/* Hold each value for a moment, so that two reads can see different ones. */
static void *flipper(void *arg)
{
	struct attack_flip *f = arg;

	while (!atomic_load_explicit(&flip_stop, memory_order_relaxed)) {
		memcpy(f->dst, f->b, f->len);
		bench_spin(500);
		memcpy(f->dst, f->a, f->len);
		bench_spin(500);
	}
	return NULL;
}

void attack_flip_start(struct attack_flip *f)
{
	pthread_attr_t attr;

	/* A small stack: the exec shape starts one thread per round. */
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	atomic_store(&flip_stop, 0);
	if (pthread_create(&flip_thread, &attr, flipper, f))
		bench_die("pthread_create");
	pthread_attr_destroy(&attr);
}

void attack_flip_stop(void)
{
	atomic_store(&flip_stop, 1);
	pthread_join(flip_thread, NULL);
}

struct target_arg {
	const struct attack_shape *shape;
	long rounds;
	uint64_t deadline;
};

static void run_target(void *p)
{
	struct target_arg *t = p;

	t->shape->target(t->rounds, t->deadline);
}

static int reply(struct attack_sup *sup, uint64_t id, int allow)
{
	if (!allow)
		return bench_send(sup->listener, id, -EACCES, 0);
	if (sup->pinned)
		return seccomp_pin_continue_pinned(sup->dev, sup->listener, id);
	return bench_send(sup->listener, id, 0,
			  SECCOMP_USER_NOTIF_FLAG_CONTINUE);
}

static void run(const struct attack_shape *shape, int dev, int pinned,
		long rounds, int seconds)
{
	struct target_arg t = { shape, rounds, 0 };
	struct attack_sup sup = { .pinned = pinned, .dev = dev };
	long approved = 0, denied = 0, bypassed;
	uint64_t start;
	int status;
	pid_t pid;

	memset(attack_counts, 0, sizeof(*attack_counts));
	bench_mem_init(&sup.mem);
	shape->setup();
	start = bench_now_ns();
	t.deadline = start + (uint64_t)seconds * 1000000000ull;
	pid = bench_fork_target(shape->nr, run_target, &t, &sup.listener);
	for (;;) {
		struct seccomp_notif req;
		int allow;

		if (!bench_wait_notif(sup.listener, 50)) {
			if (waitpid(pid, &status, WNOHANG) == pid)
				break;
			continue;
		}
		memset(&req, 0, sizeof(req));
		if (ioctl(sup.listener, SECCOMP_IOCTL_NOTIF_RECV, &req))
			continue; /* the trapped call was interrupted */
		allow = shape->allow(&sup, &req);
		approved += allow;
		denied += !allow;
		reply(&sup, req.id, allow);
	}
	close(sup.listener);
	bench_mem_close(&sup.mem);
	shape->teardown();
	bypassed = atomic_load(&attack_counts->bypassed);
	printf("| %s | %s | %s | %ld | %ld | %ld | **%ld** | %ld | %.1f |\n",
	       shape->name, shape->rewrite,
	       pinned ? "PIN_ARGS + CONTINUE_PINNED" :
			"/proc/pid/mem + CONTINUE",
	       approved + denied, approved, denied, bypassed,
	       atomic_load(&attack_counts->effect_allowed),
	       (bench_now_ns() - start) / 1e9);
	if (!WIFEXITED(status) || WEXITSTATUS(status) ||
	    atomic_load(&attack_counts->calls) < rounds)
		printf("diag: %s target ended early (status 0x%x, %ld of %ld rounds)\n",
		       shape->name, status, atomic_load(&attack_counts->calls),
		       rounds);
	printf("goal|%s, %s|%ld bypasses in %ld rounds|%s\n",
	       pinned ? "0 bypasses under pinning" :
			"unpinned control shows the bypass",
	       shape->name, bypassed, approved + denied,
	       (pinned ? bypassed == 0 : bypassed > 0) ? "met" : "MISSED");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	long plain_rounds = 2000, pinned_rounds = 10000;
	int seconds = 300, opt, dev;
	size_t i;

	while ((opt = getopt(argc, argv, "p:n:t:")) != -1) {
		switch (opt) {
		case 'p':
			plain_rounds = atol(optarg);
			break;
		case 'n':
			pinned_rounds = atol(optarg);
			break;
		case 't':
			seconds = atoi(optarg);
			break;
		default:
			fprintf(stderr, "diag: usage: %s [-p N] [-n N] [-t S] [shape]...\n",
				argv[0]);
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	mkdir(BENCH_DIR, 0755);
	attack_counts = bench_shared(sizeof(*attack_counts));
	dev = seccomp_pin_open();
	if (dev < 0) {
		fprintf(stderr, "diag: %s: %s\n", SECCOMP_PIN_DEVICE,
			strerror(-dev));
		return 2;
	}
	printf("### Attack: a second thread rewrites the argument\n\n");
	printf("The supervisor allows only the allowed value. Plain: it reads the argument\n"
	       "from /proc/<pid>/mem and answers CONTINUE (the kernel re-reads it later).\n"
	       "Pinned: it decides on the PIN_ARGS snapshot and answers CONTINUE_PINNED.\n"
	       "A bypass is a call that took effect with bytes other than the allowed ones.\n\n");
	printf("| shape | the second thread flips | supervisor | rounds | approved | denied | bypasses | allowed effects | s |\n");
	printf("|---|---|---|---:|---:|---:|---:|---:|---:|\n");
	for (i = 0; i < ARRAY_SIZE(shapes); i++) {
		int wanted = optind == argc, a;

		for (a = optind; a < argc; a++)
			wanted |= !strcmp(argv[a], shapes[i].key);
		if (!wanted)
			continue;
		run(shapes[i].shape, dev, 0, plain_rounds, seconds);
		run(shapes[i].shape, dev, 1, pinned_rounds, seconds);
	}
	printf("\n");
	close(dev);
	return 0;
}
