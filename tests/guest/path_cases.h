/* SPDX-License-Identifier: GPL-2.0 */
/*
 * path_cases.h - path syscalls, table-driven: each case issues one
 * syscall on pinned "good" paths, the racing peer rewrites them to
 * "bad" paths of the same length, and the effect must follow the good.
 */
#ifndef SECCOMP_PIN_GUEST_PATH_CASES_H
#define SECCOMP_PIN_GUEST_PATH_CASES_H

#include "common.h"

struct path_case {
	const char *name;
	long nr;
	long a[6]; /* template; the path slots are filled in */
	int slot[2]; /* argument index of each path, -1: none */
	unsigned int pin_mask; /* which of the slots to pin (0: all) */
	int out_slot; /* argument that gets a 4 KiB output buffer, -1 */
	/* g[i]/b[i]: good and bad path of slot i, same length */
	void (*prepare)(const char *const *g, const char *const *b);
	void (*check)(const char *const *g, const char *const *b,
		      const struct op_ctx *c, const void *out);
};

extern const struct path_case path_cases[];
extern const unsigned int n_path_cases;

void run_path_case(struct fx *f, const struct path_case *pc);

#endif /* SECCOMP_PIN_GUEST_PATH_CASES_H */
