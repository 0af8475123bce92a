/* SPDX-License-Identifier: GPL-2.0 */
/* snapshot.h - copy pointer arguments out of the trapped task's memory. */
#ifndef SPIN_SNAPSHOT_H
#define SPIN_SNAPSHOT_H

#include <seccomp_pin.h>

struct mm_struct;
struct page;
struct spin_pin;
struct spin_snap;
struct task_struct;

/* Reads from one task for one PIN_ARGS call (snapshot.c). */
struct spin_reader {
	struct task_struct *task;
	struct mm_struct *mm; /* NULL: reads fall back, and fail */
	struct page *page; /* pinned and mapped, or NULL */
	unsigned long page_addr;
	const char *map;
};

/* Module load: resolve what the reads need. */
int spin_snapshot_init(void);

/*
 * Read @task's memory: -EACCES unless the caller may (module parameter
 * ptrace_check). Every reader, even a failed one, ends with
 * spin_reader_done().
 */
int spin_reader_init(struct spin_reader *r, struct task_struct *task);
void spin_reader_done(struct spin_reader *r);

/*
 * Fill @snap (kind, arg_idx from @arg; user_addr set by the caller)
 * from the reader's task. FIXED reads at most @read_limit bytes, what
 * the syscall itself would read. -EFAULT if nothing is readable,
 * -ENOMEM; the data allocated so far is in snap->data either way.
 */
int spin_snapshot_take(struct spin_reader *r, const struct seccomp_pin_arg *arg,
		       size_t read_limit, struct spin_snap *snap);

#endif
