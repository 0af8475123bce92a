/* SPDX-License-Identifier: GPL-2.0 */
/*
 * notif.h - find a pending seccomp notification from (listener fd, id).
 * The only code that touches private seccomp state.
 */
#ifndef SPIN_NOTIF_H
#define SPIN_NOTIF_H

#include <linux/file.h>
#include <linux/seccomp.h>
#include <linux/types.h>

struct spin_pin;
struct task_struct;

struct spin_listener {
	struct fd fd;
	struct file *file;
	void *filter; /* struct seccomp_filter, kept alive by the file */
};

int spin_notif_init(void);

/*
 * Borrow the listener fd for the rest of this ioctl: -EBADF, or -EINVAL
 * if it is no seccomp listener.
 */
int spin_listener_get(int fd, struct spin_listener *listener);
void spin_listener_put(struct spin_listener *listener);

/*
 * The received, unanswered notification @id: its task (a reference the
 * caller puts) and a copy of its seccomp_data. -ENOENT if no such id,
 * -EINPROGRESS if not received yet or already answered.
 */
int spin_notif_lookup(struct spin_listener *listener, u64 id,
		      struct task_struct **task, struct seccomp_data *data);

/* Attach @pin if notification @id of its task is still unanswered. */
int spin_notif_attach_pin(struct spin_listener *listener, u64 id,
			  struct spin_pin *pin);

/*
 * Reply CONTINUE to @id and arm its pin in one step under the listener's
 * lock, so the task wakes with its pin armed or, if another reply won,
 * never armed.
 */
int spin_notif_continue_pinned(struct spin_listener *listener, u64 id);

/* Forward a plain reply to SECCOMP_IOCTL_NOTIF_SEND on the listener. */
long spin_notif_send_plain(struct spin_listener *listener,
			   struct seccomp_notif_resp __user *uresp);

#endif
