// SPDX-License-Identifier: GPL-2.0
/*
 * sites/path.c - every path argument: getname_flags().
 *
 * getname(), getname_uflags() and the path-walking syscalls all end in
 * getname_flags(); on Debian's 5.10, 6.1 and 6.12 its body is the
 * compiler clone getname_flags.part.0 (same register convention), which
 * several callers enter directly, so that clone is hooked when it
 * exists. On 7.x getname_flags() is a wrapper and the callers enter the
 * static do_getname() directly: that is hooked there (compat.h).
 *
 * A pinned path becomes a kernel-built struct filename (getname_kernel,
 * which also reports it to audit), with getname_flags()'s own rules for
 * empty and over-long names. A truncated snapshot is never a prefix
 * path: the syscall fails with ENAMETOOLONG.
 */
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/ptrace.h>
#include <linux/static_call.h>

#include "../hooks.h"
#include "../ksyms.h"
#include "../pin.h"

/*
 * One prototype for every generation: the third register is the
 * "int *empty" of kernels before 6.8, unused from 6.8, do_getname()'s
 * "bool incomplete" on 7.x; it is passed through untouched.
 */
static struct filename *spin_getname_flags(const char __user *filename,
					   int flags, SPIN_GETNAME_ARG3_T arg3);
DEFINE_STATIC_CALL_NULL(spin_orig_getname_flags, spin_getname_flags);

/* Exported only on newer kernels (6.1 yes, 5.10 no): resolved at load. */
DEFINE_STATIC_CALL_NULL(spin_getname_kernel, getname_kernel);

static struct filename *spin_pinned_filename(const struct spin_snap *snap,
					     const char __user *uptr, int flags,
					     SPIN_GETNAME_ARG3_T arg3)
{
	struct filename *name;

	if (snap->truncated)
		return ERR_PTR(-ENAMETOOLONG);
	if (snap->size <= 1) {
#ifdef SPIN_HAVE_GETNAME_FLAGS_EMPTY_ARG
		if (arg3)
			*arg3 = 1;
#endif
		if (!(flags & LOOKUP_EMPTY))
			return ERR_PTR(-ENOENT);
	}
	name = static_call(spin_getname_kernel)(snap->data);
	if (!IS_ERR(name))
		spin_filename_set_uptr(name, uptr);
	return name;
}

static struct filename *spin_getname_flags(const char __user *filename,
					   int flags, SPIN_GETNAME_ARG3_T arg3)
{
	struct spin_pin *pin = NULL;
	const struct spin_snap *snap;
	struct filename *name;

	if (!spin_getname_foreign(arg3))
		pin = spin_pin_current_get();
	snap = spin_pin_snap(pin, SECCOMP_PIN_SITE_PATH,
			     (unsigned long)filename);
	if (snap) {
		spin_pin_count_consumed(pin);
		name = spin_pinned_filename(snap, filename, flags, arg3);
	} else {
		name = static_call(spin_orig_getname_flags)(filename, flags,
							    arg3);
	}
	spin_pin_put(pin);
	return name;
}

static bool spin_path_want(const unsigned long *args)
{
	return !spin_getname_foreign_arg(args[2]) &&
	       spin_pin_current_has(SECCOMP_PIN_SITE_PATH, args[0]);
}

static int spin_path_set_original(unsigned long addr)
{
	unsigned long getname_kernel_addr = spin_ksym("getname_kernel");

	if (!getname_kernel_addr) {
		pr_err("refusing to load: getname_kernel not found\n");
		return -ENOENT;
	}
	static_call_update(spin_getname_kernel,
			   (typeof(getname_kernel) *)getname_kernel_addr);
	static_call_update(spin_orig_getname_flags,
			   (typeof(spin_getname_flags) *)addr);
	return 0;
}

static const char *const spin_path_symbols[] = { SPIN_GETNAME_SYMBOLS, NULL };

struct spin_hook spin_site_path_hook = {
	.site = SECCOMP_PIN_SITE_PATH,
	.symbols = spin_path_symbols,
	.replacement = spin_getname_flags,
	.want = spin_path_want,
	.set_original = spin_path_set_original,
};
