// SPDX-License-Identifier: GPL-2.0
/*
 * Delayed filenames (7.x): getname_flags() became a wrapper, and the path
 * copy is the static do_getname(filename, flags, incomplete), which the
 * kernel's own callers (getname() inlined) and io_uring's
 * delayed_getname() enter directly.
 */
#include <linux/fs.h>

int spin_probe(struct delayed_filename *v, const char __user *p);
int spin_probe(struct delayed_filename *v, const char __user *p)
{
	return delayed_getname(v, p);
}
