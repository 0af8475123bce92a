// SPDX-License-Identifier: GPL-2.0
/*
 * pin.c - lifecycle of pins.
 *
 * A pin belongs to the trapped task. At most one exists per task: a task
 * waits in at most one notification, and its pin is unlinked by a
 * task_work queued with TWA_RESUME, which runs before the task next
 * reaches user mode (after the resumed syscall, before a signal handler
 * or a restart) or when it exits. So a pin never outlives the trapped
 * syscall, is never seen by another thread or a child, and needs no
 * cleanup on reply, listener close or SIGKILL: the consumers only look
 * at ARMED pins, and only a SECCOMP_PIN_IOC_SEND with CONTINUE_PINNED
 * arms one.
 *
 * task_work can also run inside a syscall: exec cancels the task's
 * io_uring requests (begin_new_exec), which runs pending task_work in
 * the middle of bprm_execve(). So a consumer takes a reference for as
 * long as it uses a snapshot, and the snapshots are freed with the last
 * reference, not by the task_work.
 *
 * Each pin holds a module reference, so rmmod is refused while pins
 * live, and a replacement holding a pin keeps the module text its frame
 * returns to. The trapped task outlives its pin's task_work without a
 * reference of the pin's own; while PIN_ARGS works on a pin it holds the
 * task reference its lookup took.
 */
#include <linux/hash.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/rculist.h>
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
static struct hlist_head spin_pin_table[1 << SPIN_PIN_HASH_BITS];
/* Protects the table and every pin's state. */
static DEFINE_SPINLOCK(spin_pin_lock);

static u32 spin_pin_bucket(const struct task_struct *task)
{
	return hash_ptr(task, SPIN_PIN_HASH_BITS);
}

void spin_pin_init(void)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(spin_pin_table); i++)
		INIT_HLIST_HEAD(&spin_pin_table[i]);
}

/* No pin is left; wait for the kfree_rcu() of the last ones. */
void spin_pin_exit(void)
{
	rcu_barrier();
}

/* Caller holds spin_pin_lock. */
static struct spin_pin *spin_pin_find(struct task_struct *task)
{
	struct spin_pin *pin;

	hlist_for_each_entry(pin, &spin_pin_table[spin_pin_bucket(task)], node)
		if (pin->task == task)
			return pin;
	return NULL;
}

/*
 * Free the snapshots and return the quota. Called by the owner of the
 * data: the PIN_ARGS call while PINNING (a failed pin is returned at
 * once), else the last reference.
 */
static void spin_pin_drop_data(struct spin_pin *pin)
{
	unsigned int i;

	if (pin->data_dropped)
		return;
	pin->data_dropped = true;
	for (i = 0; i < pin->nr_snaps; i++) {
		kvfree(pin->snaps[i].data);
		pin->snaps[i].data = NULL;
	}
	spin_quota_uncharge(pin->filter, pin->user, pin->charged);
	pin->charged = 0;
	spin_stats_pin_freed(pin->user);
}

static void spin_pin_release(struct kref *ref)
{
	struct spin_pin *pin = container_of(ref, struct spin_pin, ref);

	spin_pin_drop_data(pin);
	spin_hooks_put(pin->hooked_sites);
	kfree_rcu(pin, rcu);
	/*
	 * Last: the module may go once this reference is dropped. The few
	 * instructions left to return through are covered by the
	 * synchronize_rcu_tasks() of the module's exit.
	 */
	module_put(THIS_MODULE);
}

void spin_pin_put(struct spin_pin *pin)
{
	if (pin)
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
	if (!hlist_unhashed(&pin->node))
		hlist_del_init_rcu(&pin->node);
	spin_unlock(&spin_pin_lock);
	return was;
}

/*
 * The trapped task is on its way to user mode, exiting, or in exec's
 * io_uring cancellation: the pin is done with; a consumer still using
 * it holds its own reference.
 */
static void spin_pin_task_work(struct callback_head *head)
{
	struct spin_pin *pin = container_of(head, struct spin_pin, twork);

	spin_pin_unlink(pin);
	spin_pin_put(pin);
}

struct spin_pin *spin_pin_alloc(struct task_struct *task, const void *filter,
				struct spin_user *user, u64 id, int syscall_nr,
				u32 sites)
{
	struct spin_pin *pin;
	int ret;

	/* Zeroed: nothing of an earlier object can reach a consumer. */
	pin = kzalloc(sizeof(*pin), GFP_KERNEL_ACCOUNT);
	if (!pin)
		return ERR_PTR(-ENOMEM);
	/* Its sites' hooks stay registered while the pin may be consumed. */
	ret = spin_hooks_get(sites);
	if (ret) {
		kfree(pin);
		return ERR_PTR(ret);
	}
	pin->hooked_sites = sites;
	__module_get(THIS_MODULE);
	kref_init(&pin->ref);
	INIT_HLIST_NODE(&pin->node);
	pin->state = SPIN_PINNING;
	pin->task = task;
	pin->filter = filter;
	pin->user = user;
	pin->id = id;
	pin->syscall_nr = syscall_nr;
	init_task_work(&pin->twork, spin_pin_task_work);
	spin_stats_pin_created(user);
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
	hlist_add_head_rcu(&pin->node,
			   &spin_pin_table[spin_pin_bucket(pin->task)]);
out:
	spin_unlock(&spin_pin_lock);
	return ret;
}

int spin_pin_attach(struct spin_pin *pin)
{
	int ret = 0;

	spin_lock(&spin_pin_lock);
	if (pin->revoked)
		ret = -EAGAIN;
	else if (pin->state == SPIN_PINNING)
		WRITE_ONCE(pin->state, SPIN_ATTACHED);
	else
		ret = -ENOENT;
	spin_unlock(&spin_pin_lock);
	return ret;
}

static atomic_t spin_pins_blockers = ATOMIC_INIT(0);

void spin_pins_block(void)
{
	atomic_inc(&spin_pins_blockers);
}

void spin_pins_unblock(void)
{
	atomic_dec(&spin_pins_blockers);
}

bool spin_pins_blocked(void)
{
	return atomic_read(&spin_pins_blockers) > 0;
}

/*
 * Hashed pins hold the table's reference, so none is released while
 * this walks: the release, which puts hooked_sites, sees the 0.
 */
void spin_pin_revoke_unarmed(void)
{
	struct spin_pin *pin;
	u32 i;

	spin_lock(&spin_pin_lock);
	for (i = 0; i < ARRAY_SIZE(spin_pin_table); i++) {
		hlist_for_each_entry(pin, &spin_pin_table[i], node) {
			if (pin->state != SPIN_PINNING &&
			    pin->state != SPIN_ATTACHED)
				continue;
			pin->revoked = true;
			spin_hooks_put(pin->hooked_sites);
			pin->hooked_sites = 0;
		}
	}
	spin_unlock(&spin_pin_lock);
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
	if (pin && pin->filter == filter && pin->id == id && pin->revoked) {
		ret = -ECANCELED;
	} else if (pin && pin->filter == filter && pin->id == id &&
		   pin->state == SPIN_ATTACHED) {
		WRITE_ONCE(pin->state, SPIN_ARMED);
		atomic_inc(&spin_armed_pins);
		ret = 0;
	}
	spin_unlock(&spin_pin_lock);
	return ret;
}

/*
 * current's armed pin, found without the lock. Only current's own
 * task_work unlinks it, so the pin cannot go while current looks.
 */
static struct spin_pin *spin_pin_find_armed(void)
{
	struct task_struct *task = current;
	struct spin_pin *pin;

	hlist_for_each_entry_rcu(pin, &spin_pin_table[spin_pin_bucket(task)],
				 node)
		if (READ_ONCE(pin->task) == task &&
		    READ_ONCE(pin->state) == SPIN_ARMED)
			return pin;
	return NULL;
}

/*
 * The syscall check keeps a ptrace-rewritten syscall off the pin.
 * Caller is in an RCU read-side section or holds a reference.
 */
static struct spin_pin *spin_pin_current_armed(void)
{
	struct spin_pin *pin;

	if (!spin_pins_armed())
		return NULL;
	pin = spin_pin_find_armed();
	if (pin &&
	    syscall_get_nr(current, task_pt_regs(current)) != pin->syscall_nr)
		pin = NULL;
	return pin;
}

const struct spin_snap *spin_pin_snap(const struct spin_pin *pin, u32 site,
				      unsigned long user_addr)
{
	unsigned int i;

	for (i = 0; pin && i < pin->nr_snaps; i++)
		if (pin->snaps[i].site == site &&
		    pin->snaps[i].user_addr == user_addr)
			return &pin->snaps[i];
	return NULL;
}

const struct spin_snap *spin_pin_snap_of_arg(const struct spin_pin *pin,
					     u32 site, u8 arg_idx)
{
	unsigned int i;

	for (i = 0; pin && i < pin->nr_snaps; i++)
		if (pin->snaps[i].site == site &&
		    pin->snaps[i].arg_idx == arg_idx)
			return &pin->snaps[i];
	return NULL;
}

bool spin_pin_current_has(u32 site, unsigned long user_addr)
{
	bool has;

	if (!spin_pins_armed())
		return false;
	rcu_read_lock();
	has = spin_pin_snap(spin_pin_current_armed(), site, user_addr);
	rcu_read_unlock();
	return has;
}

bool spin_pin_current_has_site(u32 site)
{
	const struct spin_pin *pin;
	bool has = false;
	unsigned int i;

	if (!spin_pins_armed())
		return false;
	rcu_read_lock();
	pin = spin_pin_current_armed();
	for (i = 0; pin && i < pin->nr_snaps && !has; i++)
		has = pin->snaps[i].site == site;
	rcu_read_unlock();
	return has;
}

struct spin_pin *spin_pin_current_get(void)
{
	struct spin_pin *pin;

	rcu_read_lock();
	pin = spin_pin_current_armed();
	/* The table's reference cannot go while current is here. */
	if (pin)
		kref_get(&pin->ref);
	rcu_read_unlock();
	return pin;
}

void spin_pin_count_consumed(struct spin_pin *pin)
{
	spin_stats_consumed(pin->user);
}

int spin_pin_charge(struct spin_pin *pin)
{
	u64 bytes = 0;
	unsigned int i;
	int ret;

	for (i = 0; i < pin->nr_snaps; i++)
		bytes += pin->snaps[i].size;
	ret = spin_quota_charge(pin->filter, pin->user, bytes);
	if (!ret)
		pin->charged = bytes;
	return ret;
}
