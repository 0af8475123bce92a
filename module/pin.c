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
 */
#include <linux/hashtable.h>
#include <linux/mm.h>
#include <linux/module.h>
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

atomic_t spin_armed_pins = ATOMIC_INIT(0);

static DEFINE_HASHTABLE(spin_pin_table, 8);
static DEFINE_SPINLOCK(spin_pin_lock);

static atomic64_t spin_live_pins = ATOMIC64_INIT(0);
static atomic64_t spin_live_bytes = ATOMIC64_INIT(0);
static atomic64_t spin_total_pins = ATOMIC64_INIT(0);
static atomic64_t spin_total_consumed = ATOMIC64_INIT(0);

static struct spin_pin *spin_pin_find(struct task_struct *task)
{
	struct spin_pin *pin;

	hash_for_each_possible_rcu(spin_pin_table, pin, node,
				   (unsigned long)task)
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
	for (i = 0; i < pin->nr_snaps; i++) {
		kvfree(pin->snaps[i].data);
		pin->snaps[i].data = NULL;
	}
	atomic64_sub(pin->bytes, &spin_live_bytes);
	spin_quota_uncharge(pin->filter, pin->charged);
	atomic64_dec(&spin_live_pins);
}

static void spin_pin_release(struct kref *ref)
{
	struct spin_pin *pin = container_of(ref, struct spin_pin, ref);

	spin_pin_drop_data(pin);
	put_task_struct(pin->task);
	kfree_rcu(pin, rcu);
	spin_hooks_put(pin->hooked_sites);
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
	pin->state = SPIN_DEAD;
	if (hash_hashed(&pin->node))
		hash_del_rcu(&pin->node);
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

struct spin_pin *spin_pin_alloc(struct task_struct *task, const void *filter,
				u64 id, int syscall_nr, u32 sites)
{
	struct spin_pin *pin;
	int ret;

	/*
	 * Not charged to the memory cgroup (its snapshots are): at most one
	 * per trapped task, and the charge was a tenth of a PIN_ARGS.
	 */
	pin = kzalloc(sizeof(*pin), GFP_KERNEL);
	if (!pin)
		return ERR_PTR(-ENOMEM);
	/* Its sites' hooks stay registered while the pin may be consumed. */
	ret = spin_hooks_get(sites);
	if (ret) {
		kfree(pin);
		return ERR_PTR(-EOPNOTSUPP);
	}
	pin->hooked_sites = sites;
	__module_get(THIS_MODULE);
	kref_init(&pin->ref);
	get_task_struct(task);
	pin->task = task;
	pin->filter = filter;
	pin->id = id;
	pin->syscall_nr = syscall_nr;
	pin->state = SPIN_PINNING;
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
	hash_add_rcu(spin_pin_table, &pin->node, (unsigned long)pin->task);
out:
	spin_unlock(&spin_pin_lock);
	return ret;
}

int spin_pin_attach(struct spin_pin *pin)
{
	int ret = 0;

	spin_lock(&spin_pin_lock);
	if (pin->state == SPIN_PINNING)
		pin->state = SPIN_ATTACHED;
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
		pin->state = SPIN_ARMED;
		atomic_inc(&spin_armed_pins);
		ret = 0;
	}
	spin_unlock(&spin_pin_lock);
	return ret;
}

const struct spin_pin *spin_pin_current(void)
{
	struct spin_pin *pin;

	if (!spin_pins_armed())
		return NULL;
	rcu_read_lock();
	pin = spin_pin_find(current);
	if (pin && READ_ONCE(pin->state) != SPIN_ARMED)
		pin = NULL;
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
