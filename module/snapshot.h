/* SPDX-License-Identifier: GPL-2.0 */
/* snapshot.h - copy pointer arguments out of the trapped task's memory. */
#ifndef SPIN_SNAPSHOT_H
#define SPIN_SNAPSHOT_H

#include <seccomp_pin.h>

struct mm_struct;
struct page;
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

/* Take @task's mm; every reader is finished with spin_reader_done(). */
void spin_reader_init(struct spin_reader *r, struct task_struct *task);
void spin_reader_done(struct spin_reader *r);

/*
 * Fill @snap (kind, max_bytes, max_entries from @arg; user_addr set by
 * the caller) from the reader's task. The data buffer is charged to the
 * caller's memory cgroup. -EFAULT if nothing is readable, -ENOMEM.
 */
int spin_snapshot_take(struct spin_reader *r,
		       const struct seccomp_pin_arg *arg,
		       struct spin_snap *snap);

#endif
