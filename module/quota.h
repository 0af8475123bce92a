/* SPDX-License-Identifier: GPL-2.0 */
/* quota.h - caps on pinned snapshot memory, per listener and in total. */
#ifndef SPIN_QUOTA_H
#define SPIN_QUOTA_H

#include <linux/types.h>

/* Reserve @bytes for a pin on @filter's listener; -EDQUOT over a cap. */
int spin_quota_charge(const void *filter, u64 bytes);
void spin_quota_uncharge(const void *filter, u64 bytes);

u64 spin_quota_max_listener_bytes(void);
u64 spin_quota_max_module_bytes(void);

#endif
