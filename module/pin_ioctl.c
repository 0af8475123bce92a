// SPDX-License-Identifier: GPL-2.0
/*
 * pin_ioctl.c - SECCOMP_PIN_IOC_PIN_ARGS and SECCOMP_PIN_IOC_SEND, and the
 * pinning step RECV_PIN shares with PIN_ARGS (recv_pin.c).
 *
 * PIN_ARGS: validate, find the notification, check every argument is
 * consumed by a hooked site, reserve the pin on the task (EEXIST/EBUSY),
 * snapshot, copy the snapshot out, and attach it only if the
 * notification is still unanswered. Any failure leaves nothing pinned.
 */
#include <linux/audit.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/unistd.h>

#include "notif.h"
#include "pin.h"
#include "pin_ioctl.h"
#include "quota.h"
#include "snapshot.h"
#include "syscall_table.h"

static int spin_check_request(const struct seccomp_pin_request *req)
{
	const struct seccomp_notif_pin_args *p = &req->pin;
	u64 total = 0;
	u32 seen = 0, i;

	if (req->flags || !p->nr_args || p->nr_args > SECCOMP_PIN_MAX_ARGS)
		return -EINVAL;
	for (i = 0; i < SECCOMP_PIN_MAX_ARGS; i++) {
		const struct seccomp_pin_arg *a = &p->args[i];

		if (i >= p->nr_args)
			continue;
		if (a->_reserved || a->_reserved2 || a->_reserved3 ||
		    a->arg_idx >= 6 || (seen & BIT(a->arg_idx)) ||
		    a->kind > SECCOMP_PIN_CSTRING_ARRAY || !a->max_bytes ||
		    (a->max_entries && a->kind != SECCOMP_PIN_CSTRING_ARRAY) ||
		    /* an array snapshot holds at least its u32 count */
		    (a->kind == SECCOMP_PIN_CSTRING_ARRAY &&
		     a->max_bytes < sizeof(u32)))
			return -EINVAL;
		seen |= BIT(a->arg_idx);
		if (a->max_bytes > SECCOMP_PIN_MAX_ARG_BYTES ||
		    a->max_entries > SECCOMP_PIN_MAX_ENTRIES)
			return -E2BIG;
		total += a->max_bytes;
	}
	return total > SECCOMP_PIN_MAX_TOTAL_BYTES ? -E2BIG : 0;
}

/* Only native x86_64 syscalls are parsed; ia32 and x32 are refused. */
static int spin_check_sites(const struct seccomp_notif_pin_args *p,
			    const struct seccomp_data *sd, u32 *sites,
			    size_t *read_limits)
{
	u32 i;

	if (sd->arch != AUDIT_ARCH_X86_64 || (sd->nr & __X32_SYSCALL_BIT))
		return -EOPNOTSUPP;
	for (i = 0; i < p->nr_args; i++) {
		sites[i] = spin_syscall_arg_site(sd, p->args[i].arg_idx,
						 p->args[i].kind,
						 &read_limits[i]);
		if (!sites[i])
			return -EOPNOTSUPP;
	}
	return 0;
}

static u32 spin_sites_mask(const u32 *sites, u32 nr)
{
	u32 mask = 0;

	while (nr--)
		mask |= sites[nr];
	return mask;
}

/*
 * Two arguments holding the same pointer (rename(p, p)) get one read, so
 * the kernel cannot consume bytes for one that the supervisor saw under
 * the other. 1 if args[i] was served from an earlier snapshot.
 */
static int spin_snapshot_share(struct spin_pin *pin,
			       const struct seccomp_notif_pin_args *p, u32 i)
{
	struct spin_snap *snap = &pin->snaps[i];
	u32 j;

	for (j = 0; j < i; j++) {
		const struct spin_snap *prev = &pin->snaps[j];

		if (prev->user_addr != snap->user_addr ||
		    prev->site != snap->site)
			continue;
		if (p->args[j].kind != p->args[i].kind ||
		    p->args[j].max_bytes != p->args[i].max_bytes ||
		    p->args[j].max_entries != p->args[i].max_entries)
			return -EINVAL;
		snap->kind = prev->kind;
		snap->arg_idx = p->args[i].arg_idx;
		snap->size = prev->size;
		snap->entries = prev->entries;
		snap->truncated = prev->truncated;
		snap->data = kvmalloc(prev->size ?: 1, SPIN_GFP_CALLER_SIZED);
		if (!snap->data)
			return -ENOMEM;
		memcpy(snap->data, prev->data, prev->size);
		return 1;
	}
	return 0;
}

static int spin_take_snapshots(struct spin_reader *reader, struct spin_pin *pin,
			       struct seccomp_notif_pin_args *p,
			       const struct seccomp_data *sd, const u32 *sites,
			       const size_t *read_limits)
{
	u64 offset = 0;
	u32 i;
	int ret = 0;

	for (i = 0; i < p->nr_args; i++) {
		struct spin_snap *snap = &pin->snaps[i];

		snap->site = sites[i];
		snap->user_addr = sd->args[p->args[i].arg_idx];
		pin->nr_snaps = i + 1;
		ret = spin_snapshot_share(pin, p, i) ?:
			      spin_snapshot_take(reader, &p->args[i],
						 read_limits[i], snap);
		if (ret < 0)
			return ret;
	}
	ret = spin_pin_charge(pin);
	if (ret)
		return ret;
	for (i = 0; i < p->nr_args; i++) {
		offset = ALIGN(offset, SECCOMP_PIN_BUF_ALIGN);
		p->args[i].buf_offset = offset;
		offset += pin->snaps[i].size;
	}
	if (offset > p->buf_size)
		return -ENOSPC;
	for (i = 0; i < p->nr_args; i++) {
		const struct spin_snap *snap = &pin->snaps[i];
		struct seccomp_pin_arg *a = &p->args[i];
		void __user *dst = u64_to_user_ptr(p->buf + a->buf_offset);

		if (copy_to_user(dst, snap->data, snap->size))
			return -EFAULT;
		a->actual_size = snap->size;
		a->actual_entries = snap->entries;
		a->truncated = snap->truncated;
		a->user_addr = snap->user_addr;
	}
	return 0;
}

long spin_pin_request(struct seccomp_pin_request *req,
		      struct spin_listener *listener,
		      struct seccomp_notif_pin_args __user *uout)
{
	u32 sites[SECCOMP_PIN_MAX_ARGS];
	size_t read_limits[SECCOMP_PIN_MAX_ARGS];
	struct spin_reader reader;
	struct task_struct *task;
	struct spin_user *user;
	struct seccomp_data sd;
	struct spin_pin *pin;
	long ret;

	ret = spin_check_request(req);
	if (ret)
		return ret;
	/* A livepatch is being applied: its functions may be ours. */
	if (spin_pins_blocked())
		return -EAGAIN;
	user = spin_user_current();
	if (IS_ERR(user))
		return PTR_ERR(user);
	ret = spin_notif_lookup(listener, req->pin.id, &task, &sd);
	if (ret)
		return ret;
	ret = spin_check_sites(&req->pin, &sd, sites, read_limits);
	if (ret)
		goto out_task;
	/* One reader: the task's mm and the page read last are reused. */
	ret = spin_reader_init(&reader, task);
	if (ret)
		goto out_reader;
	pin = spin_pin_alloc(task, listener->filter, user, req->pin.id, sd.nr,
			     spin_sites_mask(sites, req->pin.nr_args));
	if (IS_ERR(pin)) {
		ret = PTR_ERR(pin);
		goto out_reader;
	}
	ret = spin_pin_reserve(pin);
	if (ret) {
		spin_pin_abandon(pin);
		goto out_pin;
	}
	ret = spin_take_snapshots(&reader, pin, &req->pin, &sd, sites,
				  read_limits);
	if (!ret && copy_to_user(uout, &req->pin, sizeof(req->pin)))
		ret = -EFAULT;
	if (!ret)
		ret = spin_notif_attach_pin(listener, req->pin.id, pin);
	if (ret)
		spin_pin_abandon(pin);
out_pin:
	spin_pin_put(pin);
out_reader:
	spin_reader_done(&reader);
out_task:
	put_task_struct(task);
	return ret;
}

long spin_ioctl_pin_args(struct seccomp_pin_request __user *ureq)
{
	struct seccomp_pin_request req;
	struct spin_listener listener;
	long ret;

	if (copy_from_user(&req, ureq, sizeof(req)))
		return -EFAULT;
	/* Bad requests fail before the listener is looked at. */
	ret = spin_check_request(&req);
	if (ret)
		return ret;
	ret = spin_listener_get(req.listener_fd, &listener);
	if (ret)
		return ret;
	ret = spin_pin_request(&req, &listener, &ureq->pin);
	spin_listener_put(&listener);
	return ret;
}

int spin_check_rule(const struct seccomp_pin_rule *rule)
{
	struct seccomp_pin_request req = { .pin.nr_args = rule->nr_args };
	struct seccomp_data sd = { .nr = rule->nr, .arch = AUDIT_ARCH_X86_64 };
	u32 sites[SECCOMP_PIN_MAX_ARGS];
	size_t read_limits[SECCOMP_PIN_MAX_ARGS];
	u32 i;
	int ret;

	memcpy(req.pin.args, rule->args, sizeof(req.pin.args));
	ret = spin_check_request(&req);
	if (ret)
		return ret;
	for (i = 0; i < SECCOMP_PIN_MAX_ARGS; i++) {
		const struct seccomp_pin_arg *a = &rule->args[i];

		/* Outputs, and entries past nr_args, are kept for later use. */
		if (a->actual_size || a->actual_entries || a->truncated ||
		    a->user_addr || a->buf_offset)
			return -EINVAL;
		if (i >= rule->nr_args && memchr_inv(a, 0, sizeof(*a)))
			return -EINVAL;
	}
	return spin_check_sites(&req.pin, &sd, sites, read_limits);
}

long spin_ioctl_send(struct seccomp_pin_response __user *ursp)
{
	struct seccomp_pin_response rsp;
	struct spin_listener listener;
	u32 flags;
	long ret;

	if (copy_from_user(&rsp, ursp, sizeof(rsp)))
		return -EFAULT;
	flags = rsp.resp.flags;
	if (rsp.flags ||
	    (flags & ~(SECCOMP_USER_NOTIF_FLAG_CONTINUE |
		       SECCOMP_USER_NOTIF_FLAG_CONTINUE_PINNED)) ||
	    ((flags & SECCOMP_USER_NOTIF_FLAG_CONTINUE_PINNED) &&
	     !(flags & SECCOMP_USER_NOTIF_FLAG_CONTINUE)) ||
	    ((flags & SECCOMP_USER_NOTIF_FLAG_CONTINUE) &&
	     (rsp.resp.error || rsp.resp.val)))
		return -EINVAL;
	ret = spin_listener_get(rsp.listener_fd, &listener);
	if (ret)
		return ret;
	if (flags & SECCOMP_USER_NOTIF_FLAG_CONTINUE_PINNED)
		ret = spin_notif_continue_pinned(&listener, rsp.resp.id);
	else
		ret = spin_notif_send_plain(&listener, &ursp->resp);
	spin_listener_put(&listener);
	return ret;
}
