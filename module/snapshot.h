/* SPDX-License-Identifier: GPL-2.0 */
/* snapshot.h - copy pointer arguments out of the trapped task's memory. */
#ifndef SPIN_SNAPSHOT_H
#define SPIN_SNAPSHOT_H

#include <seccomp_pin.h>

struct spin_snap;
struct task_struct;

/*
 * Fill @snap (kind, max_bytes, max_entries from @arg; user_addr set by
 * the caller) from @task's memory. The data buffer is charged to the
 * caller's memory cgroup. -EFAULT if nothing is readable, -ENOMEM.
 */
int spin_snapshot_take(struct task_struct *task,
		       const struct seccomp_pin_arg *arg,
		       struct spin_snap *snap);

#endif
