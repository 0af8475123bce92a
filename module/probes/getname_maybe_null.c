// SPDX-License-Identifier: GPL-2.0
/*
 * getname_maybe_null() exists: fstatat/statx with AT_EMPTY_PATH among
 * their flags (any combination) read the first path byte from user
 * memory before getname(), outside any hook.
 */
#include <linux/fs.h>

struct filename *spin_probe(const char __user *p, int flags);
struct filename *spin_probe(const char __user *p, int flags)
{
	return getname_maybe_null(p, flags);
}
