/* SPDX-License-Identifier: GPL-2.0 */
/*
 * btf_layout.h - offsets of the private seccomp structures this module
 * reads, taken from the running kernel's BTF at load time.
 */
#ifndef SPIN_BTF_LAYOUT_H
#define SPIN_BTF_LAYOUT_H

#include <linux/types.h>

struct spin_seccomp_layout {
	/* struct seccomp_filter */
	u32 filter_notif; /* struct notification * */
	u32 filter_notify_lock; /* struct mutex */
	/* struct notification */
	u32 notification_list; /* struct list_head notifications */
	/* struct seccomp_knotif */
	u32 knotif_task;
	u32 knotif_id;
	u32 knotif_data;
	u32 knotif_state;
	u32 knotif_error;
	u32 knotif_val;
	u32 knotif_flags;
	u32 knotif_ready;
	u32 knotif_list;
	/* enum notify_state */
	u32 state_sent;
	u32 state_replied;
};

extern struct spin_seccomp_layout spin_layout;

/* Fill spin_layout; refuses (with one log line) anything unexpected. */
int spin_btf_layout_init(void);

#endif
