// SPDX-License-Identifier: GPL-2.0
/*
 * sites/path.c - every path argument: getname_flags().
 *
 * getname(), getname_uflags() and the path-walking syscalls all end in
 * getname_flags(); on Debian's 6.1 and 6.12 its body is the compiler
 * clone getname_flags.part.0 (same register convention), which several
 * callers enter directly, so that clone is hooked when it exists.
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
#include "../pin.h"

/*
 * One prototype for both generations: the third register is the
 * "int *empty" of kernels before 6.8 and unused after; it is passed
 * through untouched.
 */
static struct filename *spin_getname_flags(const char __user *filename,
					   int flags, int *empty);
DEFINE_STATIC_CALL_NULL(spin_orig_getname_flags, spin_getname_flags);

static struct filename *spin_pinned_filename(const struct spin_snap *snap,
					     const char __user *uptr, int flags,
					     int *empty)
{
	struct filename *name;

	if (snap->truncated)
		return ERR_PTR(-ENAMETOOLONG);
	if (snap->size <= 1) {
#ifdef SPIN_HAVE_GETNAME_FLAGS_EMPTY_ARG
		if (empty)
			*empty = 1;
#endif
		if (!(flags & LOOKUP_EMPTY))
			return ERR_PTR(-ENOENT);
	}
	name = getname_kernel(snap->data);
	if (!IS_ERR(name))
		name->uptr = uptr;
	return name;
}

static struct filename *spin_getname_flags(const char __user *filename,
					   int flags, int *empty)
{
	const struct spin_snap *snap;

	snap = spin_pin_current_snap(SECCOMP_PIN_SITE_PATH,
				     (unsigned long)filename);
	if (!snap)
		return static_call(spin_orig_getname_flags)(filename, flags,
							    empty);
	spin_pin_count_consumed();
	return spin_pinned_filename(snap, filename, flags, empty);
}

static bool spin_path_want(const struct pt_regs *regs)
{
	return spin_pin_current_snap(SECCOMP_PIN_SITE_PATH, regs->di);
}

static int spin_path_set_original(unsigned long addr)
{
	static_call_update(spin_orig_getname_flags,
			   (typeof(spin_getname_flags) *)addr);
	return 0;
}

static const char *const spin_path_symbols[] = { "getname_flags.part.0",
						 "getname_flags", NULL };

struct spin_hook spin_site_path_hook = {
	.site = SECCOMP_PIN_SITE_PATH,
	.symbols = spin_path_symbols,
	.replacement = spin_getname_flags,
	.want = spin_path_want,
	.set_original = spin_path_set_original,
};
