// SPDX-License-Identifier: GPL-2.0
/*
 * sites/write.c - write(2) and pwrite64(2) buffers: vfs_write().
 *
 * A pinned buffer is written with kernel_write() from the snapshot:
 * min(count, actual_size) bytes, so a shorter snapshot is a short write
 * and no byte is ever taken from user memory. kernel_write() needs
 * ->write_iter; a file with only ->write fails with EINVAL.
 */
#include <linux/fs.h>
#include <linux/minmax.h>
#include <linux/ptrace.h>
#include <linux/static_call.h>

#include "../hooks.h"
#include "../pin.h"

DEFINE_STATIC_CALL_NULL(spin_orig_vfs_write, vfs_write);

static ssize_t spin_vfs_write(struct file *file, const char __user *buf,
			      size_t count, loff_t *pos)
{
	struct spin_pin *pin = spin_pin_current_get();
	const struct spin_snap *snap;
	ssize_t ret;

	snap = spin_pin_snap(pin, SECCOMP_PIN_SITE_WRITE, (unsigned long)buf);
	if (!snap) {
		ret = static_call(spin_orig_vfs_write)(file, buf, count, pos);
	} else if (!(file->f_mode & FMODE_WRITE)) {
		/*
		 * vfs_write()'s own first check: kernel_write() treats a
		 * file not open for writing as a kernel bug (WARN_ON_ONCE).
		 */
		ret = -EBADF;
	} else {
		spin_pin_count_consumed(pin);
		ret = kernel_write(file, snap->data,
				   min_t(size_t, count, snap->size), pos);
	}
	spin_pin_put(pin);
	return ret;
}

static bool spin_write_want(const unsigned long *args)
{
	return spin_pin_current_has(SECCOMP_PIN_SITE_WRITE, args[1]);
}

static int spin_write_set_original(unsigned long addr)
{
	static_call_update(spin_orig_vfs_write, (typeof(vfs_write) *)addr);
	return 0;
}

static const char *const spin_write_symbols[] = { "vfs_write", NULL };

struct spin_hook spin_site_write_hook = {
	.site = SECCOMP_PIN_SITE_WRITE,
	.symbols = spin_write_symbols,
	.replacement = spin_vfs_write,
	.want = spin_write_want,
	.set_original = spin_write_set_original,
};
