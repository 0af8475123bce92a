/* SPDX-License-Identifier: GPL-2.0 */
/*
 * quota.h - caps on pinned snapshot memory (per listener, per user, in
 * total) and the figures INFO reports.
 */
#ifndef SPIN_QUOTA_H
#define SPIN_QUOTA_H

#include <linux/types.h>

/* One user's quota and figures; lives until the module is unloaded. */
struct spin_user;

/*
 * The user the calling supervisor's pins are charged to: its euid, or,
 * inside user namespaces, the owner of the outermost one below the
 * initial namespace, so making namespaces does not make new users.
 * ERR_PTR(-ENOMEM).
 */
struct spin_user *spin_user_current(void);

/*
 * Count @bytes of snapshots against @filter's listener, @user and the
 * module: -EDQUOT over a cap, nothing counted.
 */
int spin_quota_charge(const void *filter, struct spin_user *user, u64 bytes);
void spin_quota_uncharge(const void *filter, struct spin_user *user, u64 bytes);

/* Figures: a pin was made or freed, a fetch was served from one. */
void spin_stats_pin_created(struct spin_user *user);
void spin_stats_pin_freed(struct spin_user *user);
void spin_stats_consumed(struct spin_user *user);

struct spin_pin_stats {
	u64 live_pins;
	u64 live_bytes;
	u64 total_pins;
	u64 total_consumed;
};

/* The whole module's figures, or only the calling user's. */
void spin_stats_global(struct spin_pin_stats *stats);
void spin_stats_current_user(struct spin_pin_stats *stats);

u64 spin_quota_max_listener_bytes(void);
u64 spin_quota_max_user_bytes(void);
u64 spin_quota_max_module_bytes(void);

/* Module unload, once no pin is left. */
void spin_quota_exit(void);

#endif
