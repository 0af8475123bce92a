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

/*
 * An entry lives while its listener holds pins, so a supervisor pinning
 * one call at a time would allocate and free one per PIN_ARGS: the
 * first entries come from a small static pool instead, kmalloc only
 * beyond it. Free pool entries are linked through node.next.
 */
#define SPIN_QUOTA_POOL 16
static struct spin_quota spin_quota_pool[SPIN_QUOTA_POOL];
static struct hlist_head spin_quota_free;
static bool spin_quota_pool_ready;

static struct spin_quota *spin_quota_pool_get(void)
{
	struct spin_quota *q;
	unsigned int i;

	if (!spin_quota_pool_ready) {
		for (i = 0; i < SPIN_QUOTA_POOL; i++)
			hlist_add_head(&spin_quota_pool[i].node,
				       &spin_quota_free);
		spin_quota_pool_ready = true;
	}
	if (hlist_empty(&spin_quota_free))
		return NULL;
	q = hlist_entry(spin_quota_free.first, struct spin_quota, node);
	hlist_del(&q->node);
	return q;
}

/* Called with the lock held; true if @q went back to the pool. */
static bool spin_quota_pool_put(struct spin_quota *q)
{
	if (q < spin_quota_pool || q >= spin_quota_pool + SPIN_QUOTA_POOL)
		return false;
	hlist_add_head(&q->node, &spin_quota_free);
	return true;
}

static struct spin_quota *spin_quota_find(const void *filter)
{
	struct spin_quota *q;

	hash_for_each_possible(spin_quotas, q, node, (unsigned long)filter)
		if (q->filter == filter)
			return q;
	return NULL;
}

/* The entry of @filter, added if missing; NULL if none can be had. */
static struct spin_quota *spin_quota_get(const void *filter,
					 struct spin_quota **fresh)
{
	struct spin_quota *q = spin_quota_find(filter);

	if (q)
		return q;
	q = spin_quota_pool_get();
	if (!q) {
		q = *fresh;
		*fresh = NULL;
	}
	if (!q)
		return NULL;
	q->filter = filter;
	q->bytes = 0;
	hash_add(spin_quotas, &q->node, (unsigned long)filter);
	return q;
}

/* Unhash an entry holding nothing; what the caller kfree()s, or NULL. */
static struct spin_quota *spin_quota_release(struct spin_quota *q)
{
	hash_del(&q->node);
	return spin_quota_pool_put(q) ? NULL : q;
}

int spin_quota_charge(const void *filter, u64 bytes)
{
	struct spin_quota *fresh = NULL, *q, *gone = NULL;
	int ret = 0;

	spin_lock(&spin_quota_lock);
	q = spin_quota_get(filter, &fresh);
	if (!q) {
		/* Pool empty: allocate outside the spinlock, look again. */
		spin_unlock(&spin_quota_lock);
		fresh = kzalloc(sizeof(*fresh), GFP_KERNEL_ACCOUNT);
		if (!fresh)
			return -ENOMEM;
		spin_lock(&spin_quota_lock);
		q = spin_quota_get(filter, &fresh);
	}
	if (q->bytes + bytes > max_listener_bytes ||
	    spin_quota_total + bytes > max_module_bytes) {
		ret = -EDQUOT;
		if (!q->bytes)
			gone = spin_quota_release(q);
	} else {
		q->bytes += bytes;
		spin_quota_total += bytes;
	}
	spin_unlock(&spin_quota_lock);
	kfree(gone);
	kfree(fresh);
	return ret;
}

void spin_quota_uncharge(const void *filter, u64 bytes)
{
	struct spin_quota *q, *gone = NULL;

	if (!bytes)
		return;
	spin_lock(&spin_quota_lock);
	q = spin_quota_find(filter);
	if (!WARN_ON_ONCE(!q || q->bytes < bytes)) {
		q->bytes -= bytes;
		spin_quota_total -= bytes;
		if (!q->bytes)
			gone = spin_quota_release(q);
	}
	spin_unlock(&spin_quota_lock);
	kfree(gone);
}

u64 spin_quota_max_listener_bytes(void)
{
	return max_listener_bytes;
}

u64 spin_quota_max_module_bytes(void)
{
	return max_module_bytes;
}
