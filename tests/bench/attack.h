/* SPDX-License-Identifier: GPL-2.0 */
/*
 * attack.h - one shape of the argument-rewriting attack.
 *
 * A target traps one syscall whose pointer argument a second thread keeps
 * rewriting between an allowed and a forbidden value. The supervisor
 * allows only the allowed value; the target reports what the syscall
 * actually did. A bypass is a syscall that took effect with bytes other
 * than the allowed ones.
 */
#ifndef ATTACK_H
#define ATTACK_H

#include <linux/seccomp.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "bench.h"

/* Shared between the supervisor, the target and its helpers. */
struct attack_counts {
	atomic_long calls; /* trapped syscalls the target made */
	atomic_long effect_allowed; /* took effect with the allowed bytes */
	atomic_long bypassed; /* took effect with other bytes */
};

extern struct attack_counts *attack_counts;

/* What a supervisor's inspection needs. */
struct attack_sup {
	int pinned; /* PIN_ARGS + CONTINUE_PINNED, else /proc/pid/mem */
	int dev; /* /dev/seccomp_pin */
	int listener;
	struct bench_mem mem;
	char buf[4096];
};

/*
 * Copy argument @idx of @req into sup->buf: pinned, a PIN_ARGS snapshot
 * of @kind capped at @max; plain, @max bytes of the target's memory.
 * Returns the bytes obtained, -1 when nothing could be read.
 */
long attack_fetch(struct attack_sup *sup, const struct seccomp_notif *req,
		  int idx, int kind, size_t max);

/* The second thread: rewrite @len bytes at @dst between @a and @b. */
struct attack_flip {
	void *dst;
	const void *a, *b;
	size_t len;
};

void attack_flip_start(struct attack_flip *f);
void attack_flip_stop(void);

struct attack_shape {
	const char *name; /* "path via openat" */
	const char *rewrite; /* what the attacker flips, for the table */
	int nr; /* the trapped syscall */
	void (*setup)(void); /* in the supervisor, before the target */
	/* In the trapped target: make @rounds calls, stop at @deadline. */
	void (*target)(long rounds, uint64_t deadline);
	/* In the supervisor: fetch the argument, 1 to allow, 0 to deny. */
	int (*allow)(struct attack_sup *sup, const struct seccomp_notif *req);
	void (*teardown)(void); /* in the supervisor, after the target */
};

extern const struct attack_shape attack_path, attack_sockaddr, attack_argv,
	attack_write;

#endif /* ATTACK_H */
