/* SPDX-License-Identifier: GPL-2.0 */
/* pin.h - pinned snapshots: ownership, lifecycle, lookup by consumers. */
#ifndef SPIN_PIN_H
#define SPIN_PIN_H

#include <linux/atomic.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/list_nulls.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <seccomp_pin.h>

struct task_struct;

/* One pinned argument. */
struct spin_snap {
	u8 arg_idx;
	u8 kind;
	u8 store; /* SPIN_STORE_*: where data lives, how it is freed */
	u32 site; /* SECCOMP_PIN_SITE_* consuming it */
	u32 size; /* bytes at data */
	u32 entries; /* CSTRING_ARRAY count */
	u32 truncated; /* SECCOMP_PIN_TRUNCATED_* */
	unsigned long user_addr;
	void *data;
};

/*
 * PINNING:  a PIN_ARGS call is taking the snapshot (a second one: EBUSY)
 * ATTACHED: snapshot taken, notification still pending (another: EEXIST)
 * ARMED:    CONTINUE_PINNED delivered; the trapped syscall consumes it
 * DEAD:     unlinked; freed when the last reference goes
 */
enum spin_pin_state { SPIN_PINNING, SPIN_ATTACHED, SPIN_ARMED, SPIN_DEAD };

/*
 * Snapshots up to this size (in total, each rounded up to 8 bytes) are
 * stored in the pin itself: a path or a sockaddr needs no allocation.
 */
#define SPIN_PIN_INLINE 256

struct spin_pin {
	/*
	 * spin_pin_table, keyed by task. Pins are recycled without waiting
	 * for RCU readers, so a lookup may walk a stale node: the chain
	 * ends in a nulls marker naming its bucket, and the node stays a
	 * valid list node while the pin is free.
	 */
	struct hlist_nulls_node node;
	struct kref ref;
	struct task_struct *task;
	const void *filter; /* identity of the listener's filter */
	u64 id;
	int syscall_nr;
	enum spin_pin_state state;
	unsigned int nr_snaps;
	struct spin_snap snaps[SECCOMP_PIN_MAX_ARGS];
	size_t bytes; /* snapshot bytes held */
	u64 charged; /* reserved against the quotas */
	u32 hooked_sites; /* sites whose hooks this pin keeps registered */
	bool data_dropped; /* snapshots freed, counters returned */
	struct callback_head twork; /* frees the pin on return to user */
	struct spin_pin *next_free; /* spin_pin_cache */
	struct rcu_head rcu;
	u64 inline_data[SPIN_PIN_INLINE / sizeof(u64)];
};

extern atomic_t spin_armed_pins;

/* Is any pin armed anywhere? The one check tasks without pins pay. */
static __always_inline bool spin_pins_armed(void)
{
	return atomic_read(&spin_armed_pins) != 0;
}

/*
 * A new PINNING pin holding a reference on the task, the module and the
 * hooks of @sites (registering them if idle). ERR_PTR: -ENOMEM, or
 * -EOPNOTSUPP if ftrace refuses a hook now.
 */
struct spin_pin *spin_pin_alloc(struct task_struct *task, const void *filter,
				u64 id, int syscall_nr, u32 sites);
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
void spin_pin_put(struct spin_pin *pin);

/*
 * Consumers (the trapped task itself, inside its resumed syscall): the
 * armed pin of current, or its snapshot for @site read from @user_addr.
 * Valid until current returns to user mode.
 */
const struct spin_pin *spin_pin_current(void);
const struct spin_snap *spin_pin_current_snap(u32 site,
					      unsigned long user_addr);
void spin_pin_count_consumed(void);
/* Reserve @bytes against the quotas for this pin (-EDQUOT). */
int spin_pin_charge(struct spin_pin *pin, u64 bytes);
/* Charge snapshot bytes to the pin (live_bytes accounting). */
void spin_pin_account_bytes(struct spin_pin *pin, size_t bytes);

/* Module load and unload (after every pin is gone). */
void spin_pin_init(void);
void spin_pin_exit(void);

struct spin_pin_stats {
	u64 live_pins;
	u64 live_bytes;
	u64 total_pins;
	u64 total_consumed;
};

void spin_pin_stats(struct spin_pin_stats *stats);

#endif
