// SPDX-License-Identifier: GPL-2.0
/* struct filename records the user pointer it was copied from (gone in 7.x). */
#include <linux/fs.h>

void spin_probe(struct filename *name, const char __user *p);
void spin_probe(struct filename *name, const char __user *p)
{
	name->uptr = p;
}
