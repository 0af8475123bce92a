/* SPDX-License-Identifier: GPL-2.0 */
/* pin.h - pinned snapshots: ownership, lifecycle, lookup by consumers. */
#ifndef SPIN_PIN_H
#define SPIN_PIN_H

#include <linux/atomic.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <seccomp_pin.h>

struct task_struct;

/* One pinned argument. */
struct spin_snap {
	u8 arg_idx;
	u8 kind;
	u32 site; /* SECCOMP_PIN_SITE_* consuming it */
	u32 size; /* bytes at data, every one written by the read */
	u32 entries; /* CSTRING_ARRAY count */
	u32 truncated; /* SECCOMP_PIN_TRUNCATED_* */
	unsigned long user_addr;
	void *data; /* kvmalloc'ed, charged to the memory cgroup */
};

/*
 * PINNING:  a PIN_ARGS call is taking the snapshot (a second one: EBUSY)
 * ATTACHED: snapshot taken, notification still pending (another: EEXIST)
 * ARMED:    CONTINUE_PINNED delivered; the trapped syscall consumes it
 * DEAD:     unlinked; freed when the last reference goes
 */
enum spin_pin_state { SPIN_PINNING, SPIN_ATTACHED, SPIN_ARMED, SPIN_DEAD };

struct spin_user;

struct spin_pin {
	struct hlist_node node; /* spin_pin_table, keyed by task */
	/*
	 * Held by the table (until the task_work), by the PIN_ARGS call
	 * making it, and by a consumer using its snapshot: the data lives
	 * until the last one goes, whenever the task_work runs.
	 */
	struct kref ref;
	struct task_struct *task;
	const void *filter; /* identity of the listener's filter */
	struct spin_user *user; /* the supervisor's quota and figures */
	u64 id;
	int syscall_nr;
	enum spin_pin_state state;
	unsigned int nr_snaps;
	struct spin_snap snaps[SECCOMP_PIN_MAX_ARGS];
	size_t bytes; /* snapshot bytes held */
	u64 charged; /* counted against the quotas */
	u32 hooked_sites; /* sites whose hooks this pin keeps registered */
	bool revoked; /* a livepatch needed its hooks: never armed */
	bool data_dropped; /* snapshots freed, counters returned */
	struct callback_head twork; /* unlinks the pin on return to user */
	struct rcu_head rcu;
};

/*
 * Allocations whose size the caller chose (snapshots, argv copies, rule
 * tables): charged to its memory cgroup, and a failure is its ENOMEM, not
 * a warning with a stack trace in the kernel log.
 */
#define SPIN_GFP_CALLER_SIZED (GFP_KERNEL_ACCOUNT | __GFP_NOWARN)

extern atomic_t spin_armed_pins;

/* Is any pin armed anywhere? The one check tasks without pins pay. */
static __always_inline bool spin_pins_armed(void)
{
	return atomic_read(&spin_armed_pins) != 0;
}

/*
 * A new PINNING pin for @user holding a reference on the module and the
 * hooks of @sites (registering them if idle). ERR_PTR: -ENOMEM, or
 * -EOPNOTSUPP if ftrace refuses a hook now.
 */
struct spin_pin *spin_pin_alloc(struct task_struct *task, const void *filter,
				struct spin_user *user, u64 id, int syscall_nr,
				u32 sites);
/* Link a new pin to its task (EBUSY, EEXIST, ESRCH for an exiting task). */
int spin_pin_reserve(struct spin_pin *pin);
/* PINNING -> ATTACHED; -ENOENT if the task already moved on. */
int spin_pin_attach(struct spin_pin *pin);
/*
 * Unlink a PINNING pin whose PIN_ARGS failed and free its snapshots, so
 * the id can be pinned again and nothing stays counted.
 */
void spin_pin_abandon(struct spin_pin *pin);
/* ATTACHED -> ARMED for (task, filter, id); -EINVAL if no such pin. */
int spin_pin_arm(struct task_struct *task, const void *filter, u64 id);
/*
 * A livepatch is coming (livepatch.c): refuse new pins (EAGAIN) and
 * revoke every pin not armed yet, dropping its hook references:
 * CONTINUE_PINNED on it fails with ECANCELED, a PIN_ARGS still taking
 * it with EAGAIN. Armed pins are being consumed and keep their hooks.
 */
void spin_pins_block(void);
void spin_pins_unblock(void);
bool spin_pins_blocked(void);
void spin_pin_revoke_unarmed(void);
/* Drop a reference; NULL is ignored. */
void spin_pin_put(struct spin_pin *pin);

/*
 * For the ftrace callbacks (atomic, no reference): does current hold an
 * armed pin with a snapshot of @site read from @user_addr?
 */
bool spin_pin_current_has(u32 site, unsigned long user_addr);
/* ... with any snapshot of @site? */
bool spin_pin_current_has_site(u32 site);
/*
 * For the replacements (the trapped task inside its resumed syscall):
 * current's armed pin with a reference, dropped with spin_pin_put()
 * once the replacement is done with it, or NULL. The reference keeps
 * the snapshot and the module (a pin holds a module reference) even if
 * the pin's task_work runs inside the syscall (exec runs io_uring's
 * task_work), so a replacement's frame never outlives the module text.
 */
struct spin_pin *spin_pin_current_get(void);
/* @pin's snapshot for @site read from @user_addr; NULL-safe. */
const struct spin_snap *spin_pin_snap(const struct spin_pin *pin, u32 site,
				      unsigned long user_addr);
/* @pin's snapshot of argument @arg_idx for @site; NULL-safe. */
const struct spin_snap *spin_pin_snap_of_arg(const struct spin_pin *pin,
					     u32 site, u8 arg_idx);
void spin_pin_count_consumed(struct spin_pin *pin);
/*
 * Count the snapshot bytes taken so far against the quotas (-EDQUOT
 * over a cap) and in the live figures.
 */
int spin_pin_charge(struct spin_pin *pin);

/* Module load and unload (after every pin is gone). */
void spin_pin_init(void);
void spin_pin_exit(void);

#endif
