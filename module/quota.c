// SPDX-License-Identifier: GPL-2.0
/*
 * quota.c - caps on pinned snapshot memory, and the figures INFO shows.
 *
 * Besides the 1 MiB per notification, snapshot bytes are capped per
 * listener (max_listener_bytes), per user (max_user_bytes) and in total
 * (max_module_bytes), so a supervisor cannot pin kernel memory without
 * bound: every trapped thread is a pending notification. What is
 * counted is what a pin holds, the bytes of its snapshots, charged once
 * they are taken: a reservation of max_bytes would let a few bytes of
 * "/" count as 1 MiB, and one user's cheap pins exhaust the caps every
 * other user shares. The per-user cap is below the total one, so one
 * user cannot deny the others. The memory itself (snapshots, pins, the
 * buffers a read goes through) is also charged to the supervisor's
 * memory cgroup (GFP_KERNEL_ACCOUNT).
 */
#include <linux/cred.h>
#include <linux/hashtable.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>

#include "quota.h"

static ulong max_listener_bytes = 16UL << 20;
module_param(max_listener_bytes, ulong, 0444);
MODULE_PARM_DESC(max_listener_bytes,
		 "Cap on bytes pinned through one listener (default 16 MiB)");

static ulong max_user_bytes = 64UL << 20;
module_param(max_user_bytes, ulong, 0444);
MODULE_PARM_DESC(
	max_user_bytes,
	"Cap on bytes pinned by one user's supervisors (default 64 MiB)");

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
/* Protects the listener and user tables and every byte count. */
static DEFINE_SPINLOCK(spin_quota_lock);
static u64 spin_quota_total;

struct spin_user {
	struct hlist_node node;
	kuid_t uid;
	u64 bytes; /* under spin_quota_lock */
	atomic64_t live_pins;
	atomic64_t total_pins;
	atomic64_t total_consumed;
};

/*
 * Users are kept until unload: there are as many as distinct owners
 * that ever pinned (an unprivileged user is one, whatever namespaces
 * it makes), and INFO's totals per user must survive idle periods.
 */
static DEFINE_HASHTABLE(spin_users, 6);
static struct spin_user spin_all; /* the module's figures */

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

static kuid_t spin_owner_uid(const struct cred *cred)
{
	const struct user_namespace *ns = cred->user_ns;

	if (ns == &init_user_ns)
		return cred->euid;
	while (ns->parent != &init_user_ns)
		ns = ns->parent;
	return ns->owner;
}

static struct spin_user *spin_user_find(kuid_t uid)
{
	struct spin_user *u;

	hash_for_each_possible(spin_users, u, node, __kuid_val(uid))
		if (uid_eq(u->uid, uid))
			return u;
	return NULL;
}

struct spin_user *spin_user_current(void)
{
	kuid_t uid = spin_owner_uid(current_cred());
	struct spin_user *u, *fresh;

	spin_lock(&spin_quota_lock);
	u = spin_user_find(uid);
	spin_unlock(&spin_quota_lock);
	if (u)
		return u;
	fresh = kzalloc(sizeof(*fresh), GFP_KERNEL_ACCOUNT);
	if (!fresh)
		return ERR_PTR(-ENOMEM);
	fresh->uid = uid;
	spin_lock(&spin_quota_lock);
	u = spin_user_find(uid);
	if (!u) {
		hash_add(spin_users, &fresh->node, __kuid_val(uid));
		u = fresh;
		fresh = NULL;
	}
	spin_unlock(&spin_quota_lock);
	kfree(fresh);
	return u;
}

int spin_quota_charge(const void *filter, struct spin_user *user, u64 bytes)
{
	struct spin_quota *fresh = NULL, *q, *gone = NULL;
	int ret = 0;

	if (!bytes)
		return 0;
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
	    user->bytes + bytes > max_user_bytes ||
	    spin_quota_total + bytes > max_module_bytes) {
		ret = -EDQUOT;
		if (!q->bytes)
			gone = spin_quota_release(q);
	} else {
		q->bytes += bytes;
		user->bytes += bytes;
		spin_quota_total += bytes;
	}
	spin_unlock(&spin_quota_lock);
	kfree(gone);
	kfree(fresh);
	return ret;
}

void spin_quota_uncharge(const void *filter, struct spin_user *user, u64 bytes)
{
	struct spin_quota *q, *gone = NULL;

	if (!bytes)
		return;
	spin_lock(&spin_quota_lock);
	q = spin_quota_find(filter);
	if (!WARN_ON_ONCE(!q || q->bytes < bytes || user->bytes < bytes)) {
		q->bytes -= bytes;
		user->bytes -= bytes;
		spin_quota_total -= bytes;
		if (!q->bytes)
			gone = spin_quota_release(q);
	}
	spin_unlock(&spin_quota_lock);
	kfree(gone);
}

void spin_stats_pin_created(struct spin_user *user)
{
	atomic64_inc(&user->live_pins);
	atomic64_inc(&user->total_pins);
	atomic64_inc(&spin_all.live_pins);
	atomic64_inc(&spin_all.total_pins);
}

void spin_stats_pin_freed(struct spin_user *user)
{
	atomic64_dec(&user->live_pins);
	atomic64_dec(&spin_all.live_pins);
}

void spin_stats_consumed(struct spin_user *user)
{
	atomic64_inc(&user->total_consumed);
	atomic64_inc(&spin_all.total_consumed);
}

static void spin_stats_of(struct spin_user *u, u64 bytes,
			  struct spin_pin_stats *stats)
{
	stats->live_pins = atomic64_read(&u->live_pins);
	stats->live_bytes = bytes;
	stats->total_pins = atomic64_read(&u->total_pins);
	stats->total_consumed = atomic64_read(&u->total_consumed);
}

void spin_stats_global(struct spin_pin_stats *stats)
{
	spin_stats_of(&spin_all, READ_ONCE(spin_quota_total), stats);
}

void spin_stats_current_user(struct spin_pin_stats *stats)
{
	kuid_t uid = spin_owner_uid(current_cred());
	struct spin_user *u;

	memset(stats, 0, sizeof(*stats));
	spin_lock(&spin_quota_lock);
	u = spin_user_find(uid);
	spin_unlock(&spin_quota_lock);
	if (u)
		spin_stats_of(u, READ_ONCE(u->bytes), stats);
}

u64 spin_quota_max_listener_bytes(void)
{
	return max_listener_bytes;
}

u64 spin_quota_max_user_bytes(void)
{
	return max_user_bytes;
}

u64 spin_quota_max_module_bytes(void)
{
	return max_module_bytes;
}

void spin_quota_exit(void)
{
	struct spin_user *u;
	struct hlist_node *tmp;
	int bkt;

	hash_for_each_safe(spin_users, bkt, tmp, u, node) {
		hash_del(&u->node);
		kfree(u);
	}
}
