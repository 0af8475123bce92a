// SPDX-License-Identifier: GPL-2.0
/*
 * quota.c - caps on pinned snapshot memory.
 *
 * Besides the 1 MiB per notification, a listener may hold at most
 * max_listener_bytes of pins and the module at most max_module_bytes, so a
 * supervisor cannot pin kernel memory without bound (every trapped thread
 * is a pending notification). The worst case of a request (the sum of its
 * max_bytes) is charged before any allocation. Over a cap, PIN_ARGS fails
 * with EDQUOT until earlier pins are released. The memory itself is also
 * charged to the supervisor's memory cgroup (GFP_KERNEL_ACCOUNT).
 */
#include <linux/hashtable.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "quota.h"

static ulong max_listener_bytes = 16UL << 20;
module_param(max_listener_bytes, ulong, 0444);
MODULE_PARM_DESC(max_listener_bytes,
		 "Cap on bytes pinned through one listener (default 16 MiB)");

static ulong max_module_bytes = 256UL << 20;
module_param(max_module_bytes, ulong, 0444);
MODULE_PARM_DESC(max_module_bytes,
		 "Cap on snapshot bytes pinned in total (default 256 MiB)");

struct spin_quota {
	struct hlist_node node;
	const void *filter;
	u64 bytes;
};

static DEFINE_HASHTABLE(spin_quotas, 6);
static DEFINE_SPINLOCK(spin_quota_lock);
static u64 spin_quota_total;

static struct spin_quota *spin_quota_find(const void *filter)
{
	struct spin_quota *q;

	hash_for_each_possible(spin_quotas, q, node, (unsigned long)filter)
		if (q->filter == filter)
			return q;
	return NULL;
}

int spin_quota_charge(const void *filter, u64 bytes)
{
	struct spin_quota *fresh, *q;
	int ret = 0;

	/* Allocated up front: the lock is a spinlock. */
	fresh = kzalloc(sizeof(*fresh), GFP_KERNEL_ACCOUNT);
	if (!fresh)
		return -ENOMEM;
	spin_lock(&spin_quota_lock);
	q = spin_quota_find(filter);
	if (!q) {
		q = fresh;
		fresh = NULL;
		q->filter = filter;
		hash_add(spin_quotas, &q->node, (unsigned long)filter);
	}
	if (q->bytes + bytes > max_listener_bytes ||
	    spin_quota_total + bytes > max_module_bytes) {
		ret = -EDQUOT;
		if (!q->bytes) {
			hash_del(&q->node);
			fresh = q;
		}
	} else {
		q->bytes += bytes;
		spin_quota_total += bytes;
	}
	spin_unlock(&spin_quota_lock);
	kfree(fresh);
	return ret;
}

void spin_quota_uncharge(const void *filter, u64 bytes)
{
	struct spin_quota *q;

	if (!bytes)
		return;
	spin_lock(&spin_quota_lock);
	q = spin_quota_find(filter);
	if (!WARN_ON_ONCE(!q || q->bytes < bytes)) {
		q->bytes -= bytes;
		spin_quota_total -= bytes;
		if (!q->bytes)
			hash_del(&q->node);
		else
			q = NULL;
	} else {
		q = NULL;
	}
	spin_unlock(&spin_quota_lock);
	kfree(q);
}

u64 spin_quota_max_listener_bytes(void)
{
	return max_listener_bytes;
}

u64 spin_quota_max_module_bytes(void)
{
	return max_module_bytes;
}
