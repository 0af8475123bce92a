// SPDX-License-Identifier: GPL-2.0
/* getname_flags() still takes "int *empty" (dropped in 6.8). */
#include <linux/fs.h>

struct filename *spin_probe(const char __user *p);
struct filename *spin_probe(const char __user *p)
{
	int empty;

	return getname_flags(p, 0, &empty);
}
