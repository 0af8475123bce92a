// SPDX-License-Identifier: GPL-2.0
/*
 * notif.c - reach seccomp's notification list without hard-coded layouts.
 *
 * A listener file is recognised by its f_op (seccomp_notify_ops, found
 * through kallsyms); its private_data is the seccomp_filter. The list of
 * pending notifications and each notification's fields are located with
 * the offsets read from BTF (btf_layout.c) and accessed only under the
 * filter's notify_lock, the mutex seccomp's own ioctls take.
 */
#include <linux/completion.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/sched/task.h>
#include <linux/uaccess.h>

#include "btf_layout.h"
#include "ksyms.h"
#include "notif.h"
#include "pin.h"

static const struct file_operations *spin_seccomp_notify_ops;

#define SPIN_FIELD(base, off, type) ((type *)((char *)(base) + (off)))

int spin_notif_init(void)
{
	spin_seccomp_notify_ops = (const void *)spin_ksym("seccomp_notify_ops");
	if (!spin_seccomp_notify_ops) {
		pr_err("refusing to load: seccomp_notify_ops not found (kernel without CONFIG_SECCOMP_FILTER?)\n");
		return -ENOENT;
	}
	return 0;
}

/*
 * fdget() as a syscall does for its fd arguments: the file is used only
 * within this ioctl, by this task, so with an unshared fd table no
 * reference (two atomics) is needed to keep it open.
 */
int spin_listener_get(int fd, struct spin_listener *listener)
{
	struct file *file;

	listener->fd = fdget(fd);
	file = spin_fd_file(listener->fd);
	if (!file)
		return -EBADF;
	if (file->f_op != spin_seccomp_notify_ops) {
		fdput(listener->fd);
		return -EINVAL;
	}
	listener->file = file;
	listener->filter = file->private_data;
	return 0;
}

void spin_listener_put(struct spin_listener *listener)
{
	fdput(listener->fd);
}

static struct mutex *spin_notify_lock(struct spin_listener *listener)
{
	return SPIN_FIELD(listener->filter, spin_layout.filter_notify_lock,
			  struct mutex);
}

/* The knotif with @id, or NULL. Caller holds notify_lock. */
static void *spin_find_knotif(struct spin_listener *listener, u64 id)
{
	const struct spin_seccomp_layout *l = &spin_layout;
	void *notif = *SPIN_FIELD(listener->filter, l->filter_notif, void *);
	struct list_head *head, *pos;

	/* NULL once the listener is being released. */
	if (!notif)
		return NULL;
	head = SPIN_FIELD(notif, l->notification_list, struct list_head);
	list_for_each(pos, head) {
		void *knotif = (char *)pos - l->knotif_list;

		if (*SPIN_FIELD(knotif, l->knotif_id, u64) == id)
			return knotif;
	}
	return NULL;
}

static u32 spin_knotif_state(void *knotif)
{
	return *SPIN_FIELD(knotif, spin_layout.knotif_state, u32);
}

static struct task_struct *spin_knotif_task(void *knotif)
{
	return *SPIN_FIELD(knotif, spin_layout.knotif_task,
			   struct task_struct *);
}

/* Caller holds notify_lock. */
static void *spin_find_sent(struct spin_listener *listener, u64 id, int *err)
{
	void *knotif = spin_find_knotif(listener, id);

	*err = 0;
	if (!knotif)
		*err = -ENOENT;
	else if (spin_knotif_state(knotif) != spin_layout.state_sent)
		*err = -EINPROGRESS;
	return *err ? NULL : knotif;
}

int spin_notif_lookup(struct spin_listener *listener, u64 id,
		      struct task_struct **task, struct seccomp_data *data)
{
	void *knotif;
	int ret;

	ret = mutex_lock_interruptible(spin_notify_lock(listener));
	if (ret)
		return ret;
	knotif = spin_find_sent(listener, id, &ret);
	if (knotif) {
		/* data points into the waiting task's stack frame. */
		*data = **SPIN_FIELD(knotif, spin_layout.knotif_data,
				     struct seccomp_data *);
		*task = spin_knotif_task(knotif);
		get_task_struct(*task);
	}
	mutex_unlock(spin_notify_lock(listener));
	return ret;
}

int spin_notif_attach_pin(struct spin_listener *listener, u64 id,
			  struct spin_pin *pin)
{
	void *knotif;
	int ret;

	mutex_lock(spin_notify_lock(listener));
	knotif = spin_find_sent(listener, id, &ret);
	if (knotif && spin_knotif_task(knotif) != pin->task)
		ret = -ENOENT;
	if (!ret)
		ret = spin_pin_attach(pin);
	mutex_unlock(spin_notify_lock(listener));
	return ret;
}

int spin_notif_continue_pinned(struct spin_listener *listener, u64 id)
{
	const struct spin_seccomp_layout *l = &spin_layout;
	void *knotif;
	int ret;

	ret = mutex_lock_interruptible(spin_notify_lock(listener));
	if (ret)
		return ret;
	knotif = spin_find_sent(listener, id, &ret);
	if (knotif)
		ret = spin_pin_arm(spin_knotif_task(knotif), listener->filter,
				   id);
	if (!ret) {
		struct completion *ready =
			SPIN_FIELD(knotif, l->knotif_ready, struct completion);

		/* What seccomp_notify_send() stores for a CONTINUE reply. */
		*SPIN_FIELD(knotif, l->knotif_state, u32) = l->state_replied;
		*SPIN_FIELD(knotif, l->knotif_error, int) = 0;
		*SPIN_FIELD(knotif, l->knotif_val, long) = 0;
		*SPIN_FIELD(knotif, l->knotif_flags, u32) =
			SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		complete(ready);
	}
	mutex_unlock(spin_notify_lock(listener));
	return ret;
}

long spin_notif_send_plain(struct spin_listener *listener,
			   struct seccomp_notif_resp __user *uresp)
{
	struct file *file = listener->file;

	return file->f_op->unlocked_ioctl(file, SECCOMP_IOCTL_NOTIF_SEND,
					  (unsigned long)uresp);
}
