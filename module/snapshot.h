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
	char *inline_next; /* the pin's unused inline bytes */
	size_t inline_room;
};

/*
 * Read @pin's task and store into @pin's inline bytes while they last;
 * take its mm; every reader is finished with spin_reader_done().
 */
void spin_reader_init(struct spin_reader *r, struct spin_pin *pin);
void spin_reader_done(struct spin_reader *r);

/* Where a snapshot's data lives (struct spin_snap.store). */
enum { SPIN_STORE_KVMALLOC, SPIN_STORE_INLINE, SPIN_STORE_CACHE };

/* The cache for page-sized snapshots (module load and unload). */
int spin_snapshot_init(void);
void spin_snapshot_exit(void);

/*
 * Room for @snap's data, @size bytes: the pin's inline bytes if they
 * fit, else allocated and charged to the caller's memory cgroup.
 */
void *spin_snap_alloc(struct spin_reader *r, struct spin_snap *snap,
		      size_t size);
void spin_snapshot_free(struct spin_snap *snap);

/*
 * Fill @snap (kind, max_bytes, max_entries from @arg; user_addr set by
 * the caller) from the reader's task, the data in spin_snap_alloc()
 * room. -EFAULT if nothing is readable, -ENOMEM.
 */
int spin_snapshot_take(struct spin_reader *r,
		       const struct seccomp_pin_arg *arg,
		       struct spin_snap *snap);

#endif
