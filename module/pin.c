// SPDX-License-Identifier: GPL-2.0
/*
 * pin.c - lifecycle of pins.
 *
 * A pin belongs to the trapped task. At most one exists per task: a task
 * waits in at most one notification, and its pin is freed by a task_work
 * queued with TWA_RESUME, which runs before the task next reaches user
 * mode (after the resumed syscall, before a signal handler or a restart)
 * or when it exits. So a pin never outlives the trapped syscall, is never
 * seen by another thread or a child, and needs no cleanup on reply,
 * listener close or SIGKILL: the consumers only look at ARMED pins, and
 * only a SECCOMP_PIN_IOC_SEND with CONTINUE_PINNED arms one.
 *
 * Each pin holds a module reference, so rmmod is refused while pins live.
 *
 * The trapped task outlives its pin without a reference of the pin's
 * own: a hashed pin is freed by the task's task_work, which runs before
 * the task is gone, and while PIN_ARGS works on a pin it holds the
 * task reference its lookup took.
 *
 * Freed pins are kept on a small free list and reused at once, so a
 * PIN_ARGS of a short path allocates nothing: a zeroed allocation and a
 * kfree_rcu() per pin cost as much as reading the path. The only
 * lockless readers, spin_pin_current(), search for their own task's
 * armed pin; a pin reused under them is handled as SLAB_TYPESAFE_BY_RCU
 * objects are (Documentation/RCU/rculist_nulls.rst).
 */
#include <linux/hash.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/rculist_nulls.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/task_work.h>
#include <asm/syscall.h>

#include "hooks.h"
#include "pin.h"
#include "quota.h"
#include "snapshot.h"

atomic_t spin_armed_pins = ATOMIC_INIT(0);

#define SPIN_PIN_HASH_BITS 8
static struct hlist_nulls_head spin_pin_table[1 << SPIN_PIN_HASH_BITS];
/* Protects the table, every pin's state and the free list. */
static DEFINE_SPINLOCK(spin_pin_lock);

/* Up to SPIN_PIN_CACHE free pins, linked through next_free. */
#define SPIN_PIN_CACHE 64
static struct spin_pin *spin_pin_cache;
static unsigned int spin_pin_cached;

static atomic64_t spin_live_pins = ATOMIC64_INIT(0);
static atomic64_t spin_live_bytes = ATOMIC64_INIT(0);
static atomic64_t spin_total_pins = ATOMIC64_INIT(0);
static atomic64_t spin_total_consumed = ATOMIC64_INIT(0);

static u32 spin_pin_bucket(const struct task_struct *task)
{
	return hash_ptr(task, SPIN_PIN_HASH_BITS);
}

void spin_pin_init(void)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(spin_pin_table); i++)
		INIT_HLIST_NULLS_HEAD(&spin_pin_table[i], i);
}

/* No pin is left; a reader may still stand on a free one. */
void spin_pin_exit(void)
{
	struct spin_pin *pin;

	synchronize_rcu();
	while ((pin = spin_pin_cache)) {
		spin_pin_cache = pin->next_free;
		kfree(pin);
	}
}

/* Caller holds spin_pin_lock. */
static struct spin_pin *spin_pin_find(struct task_struct *task)
{
	struct hlist_nulls_node *pos;
	struct spin_pin *pin;

	hlist_nulls_for_each_entry(pin, pos,
				   &spin_pin_table[spin_pin_bucket(task)], node)
		if (pin->task == task)
			return pin;
	return NULL;
}

/*
 * Free the snapshots and return the quota as soon as a pin is unlinked,
 * so the counters and caps see a failed or finished pin at once; the
 * small struct itself lives until its task_work has run. Only the owner
 * of the data calls this: the PIN_ARGS caller while PINNING, the table
 * afterwards.
 */
static void spin_pin_drop_data(struct spin_pin *pin)
{
	unsigned int i;

	if (pin->data_dropped)
		return;
	pin->data_dropped = true;
	for (i = 0; i < pin->nr_snaps; i++)
		spin_snapshot_free(&pin->snaps[i]);
	atomic64_sub(pin->bytes, &spin_live_bytes);
	spin_quota_uncharge(pin->filter, pin->charged);
	atomic64_dec(&spin_live_pins);
}

static void spin_pin_release(struct kref *ref)
{
	struct spin_pin *pin = container_of(ref, struct spin_pin, ref);
	u32 sites = pin->hooked_sites; /* a cached pin may be reused at once */
	bool cached = false;

	spin_pin_drop_data(pin);
	spin_lock(&spin_pin_lock);
	if (spin_pin_cached < SPIN_PIN_CACHE) {
		pin->next_free = spin_pin_cache;
		spin_pin_cache = pin;
		spin_pin_cached++;
		cached = true;
	}
	spin_unlock(&spin_pin_lock);
	if (!cached)
		kfree_rcu(pin, rcu);
	spin_hooks_put(sites);
	/* Last: the module may go once this reference is dropped. */
	module_put(THIS_MODULE);
}

void spin_pin_put(struct spin_pin *pin)
{
	kref_put(&pin->ref, spin_pin_release);
}

/* Unlink; returns the state the pin was in. */
static enum spin_pin_state spin_pin_unlink(struct spin_pin *pin)
{
	enum spin_pin_state was;

	spin_lock(&spin_pin_lock);
	was = pin->state;
	if (was == SPIN_ARMED)
		atomic_dec(&spin_armed_pins);
	WRITE_ONCE(pin->state, SPIN_DEAD);
	if (!hlist_nulls_unhashed(&pin->node))
		hlist_nulls_del_init_rcu(&pin->node);
	spin_unlock(&spin_pin_lock);
	return was;
}

/* The trapped task is on its way to user mode (or exiting). */
static void spin_pin_task_work(struct callback_head *head)
{
	struct spin_pin *pin = container_of(head, struct spin_pin, twork);
	enum spin_pin_state was = spin_pin_unlink(pin);

	/* A PINNING pin's data belongs to its PIN_ARGS call. */
	if (was == SPIN_ATTACHED || was == SPIN_ARMED)
		spin_pin_drop_data(pin);
	spin_pin_put(pin);
}

/* A free pin; its node is left as it is for readers still on it. */
static struct spin_pin *spin_pin_get_free(void)
{
	struct spin_pin *pin;

	spin_lock(&spin_pin_lock);
	pin = spin_pin_cache;
	if (pin) {
		spin_pin_cache = pin->next_free;
		spin_pin_cached--;
	}
	spin_unlock(&spin_pin_lock);
	if (pin)
		return pin;
	/*
	 * Not charged to the memory cgroup (its snapshots beyond the
	 * inline bytes are): at most one per trapped task, bounded by the
	 * task, and reused.
	 */
	pin = kmalloc(sizeof(*pin), GFP_KERNEL);
	if (pin) {
		pin->node.pprev = NULL;
		pin->node.next = NULL;
	}
	return pin;
}

struct spin_pin *spin_pin_alloc(struct task_struct *task, const void *filter,
				u64 id, int syscall_nr, u32 sites)
{
	struct spin_pin *pin;
	int ret;

	pin = spin_pin_get_free();
	if (!pin)
		return ERR_PTR(-ENOMEM);
	/* Its sites' hooks stay registered while the pin may be consumed. */
	ret = spin_hooks_get(sites);
	if (ret) {
		kfree_rcu(pin, rcu);
		return ERR_PTR(-EOPNOTSUPP);
	}
	pin->hooked_sites = sites;
	__module_get(THIS_MODULE);
	kref_init(&pin->ref);
	/* Not hashed yet: only a reader on a stale node can see these. */
	WRITE_ONCE(pin->state, SPIN_PINNING);
	smp_wmb(); /* the state before the task a reader compares */
	WRITE_ONCE(pin->task, task);
	pin->filter = filter;
	pin->id = id;
	pin->syscall_nr = syscall_nr;
	pin->nr_snaps = 0; /* each snapshot is cleared as it is taken */
	pin->bytes = 0;
	pin->charged = 0;
	pin->data_dropped = false;
	init_task_work(&pin->twork, spin_pin_task_work);
	atomic64_inc(&spin_live_pins);
	atomic64_inc(&spin_total_pins);
	return pin;
}

int spin_pin_reserve(struct spin_pin *pin)
{
	struct spin_pin *old;
	int ret = 0;

	spin_lock(&spin_pin_lock);
	old = spin_pin_find(pin->task);
	if (old) {
		if (old->id == pin->id && old->filter == pin->filter &&
		    old->state != SPIN_PINNING)
			ret = -EEXIST;
		else
			ret = -EBUSY;
		goto out;
	}
	/* The table's reference, dropped by the task_work. */
	kref_get(&pin->ref);
	ret = task_work_add(pin->task, &pin->twork, TWA_RESUME);
	if (ret) {
		/* The task is exiting: its notification is going away. */
		kref_put(&pin->ref, spin_pin_release);
		ret = -ENOENT;
		goto out;
	}
	hlist_nulls_add_head_rcu(&pin->node,
				 &spin_pin_table[spin_pin_bucket(pin->task)]);
out:
	spin_unlock(&spin_pin_lock);
	return ret;
}

int spin_pin_attach(struct spin_pin *pin)
{
	int ret = 0;

	spin_lock(&spin_pin_lock);
	if (pin->state == SPIN_PINNING)
		WRITE_ONCE(pin->state, SPIN_ATTACHED);
	else
		ret = -ENOENT;
	spin_unlock(&spin_pin_lock);
	return ret;
}

void spin_pin_abandon(struct spin_pin *pin)
{
	spin_pin_unlink(pin);
	spin_pin_drop_data(pin);
}

int spin_pin_arm(struct task_struct *task, const void *filter, u64 id)
{
	struct spin_pin *pin;
	int ret = -EINVAL;

	spin_lock(&spin_pin_lock);
	pin = spin_pin_find(task);
	if (pin && pin->filter == filter && pin->id == id &&
	    pin->state == SPIN_ATTACHED) {
		WRITE_ONCE(pin->state, SPIN_ARMED);
		atomic_inc(&spin_armed_pins);
		ret = 0;
	}
	spin_unlock(&spin_pin_lock);
	return ret;
}

/*
 * current's armed pin, found without the lock. A pin may be freed and
 * reused (even hashed in another bucket) while this walks over it, so
 * a match is taken only from what cannot be stale for current: only
 * current's own task_work frees its pin, and a pin's state is ARMED
 * only while it is hashed for the task it names (state read before
 * task, in the opposite order they are written). A walk diverted to
 * another chain ends on a foreign nulls marker and starts again.
 */
static struct spin_pin *spin_pin_find_armed(void)
{
	struct task_struct *task = current;
	u32 bucket = spin_pin_bucket(task);
	struct hlist_nulls_node *pos;
	struct spin_pin *pin;

again:
	hlist_nulls_for_each_entry_rcu(pin, pos, &spin_pin_table[bucket],
				       node) {
		if (READ_ONCE(pin->state) != SPIN_ARMED)
			continue;
		smp_rmb(); /* pairs with spin_pin_alloc(), spin_pin_arm() */
		if (READ_ONCE(pin->task) == task)
			return pin;
	}
	if (get_nulls_value(pos) != bucket)
		goto again;
	return NULL;
}

const struct spin_pin *spin_pin_current(void)
{
	struct spin_pin *pin;

	if (!spin_pins_armed())
		return NULL;
	rcu_read_lock();
	pin = spin_pin_find_armed();
	rcu_read_unlock();
	/*
	 * Only current's own task_work frees its pin, and that cannot run
	 * while current is inside a syscall, so the pointer stays valid.
	 * The syscall check keeps a ptrace-rewritten syscall off the pin.
	 */
	if (pin &&
	    syscall_get_nr(current, task_pt_regs(current)) != pin->syscall_nr)
		pin = NULL;
	return pin;
}

const struct spin_snap *spin_pin_current_snap(u32 site, unsigned long user_addr)
{
	const struct spin_pin *pin = spin_pin_current();
	unsigned int i;

	if (!pin)
		return NULL;
	for (i = 0; i < pin->nr_snaps; i++)
		if (pin->snaps[i].site == site &&
		    pin->snaps[i].user_addr == user_addr)
			return &pin->snaps[i];
	return NULL;
}

void spin_pin_count_consumed(void)
{
	atomic64_inc(&spin_total_consumed);
}

int spin_pin_charge(struct spin_pin *pin, u64 bytes)
{
	int ret = spin_quota_charge(pin->filter, bytes);

	if (!ret)
		pin->charged = bytes;
	return ret;
}

void spin_pin_account_bytes(struct spin_pin *pin, size_t bytes)
{
	pin->bytes += bytes;
	atomic64_add(bytes, &spin_live_bytes);
}

void spin_pin_stats(struct spin_pin_stats *stats)
{
	stats->live_pins = atomic64_read(&spin_live_pins);
	stats->live_bytes = atomic64_read(&spin_live_bytes);
	stats->total_pins = atomic64_read(&spin_total_pins);
	stats->total_consumed = atomic64_read(&spin_total_consumed);
}
