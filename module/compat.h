/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - the one place where kernel-version differences live.
 * Decisions come from the build-time probes (compat-generated.h); no
 * LINUX_VERSION_CODE, because distributions backport API changes.
 *
 * Kernels covered (tests/vm/kernels.conf): Debian's 5.10, 6.1, 6.1-rt,
 * 6.12 and 7.x. What cannot be decided from headers (symbol names,
 * compiler clones, private structure layouts) is resolved and checked
 * at load time by hooks.c and btf_layout.c, which refuse to load with a
 * log line naming what is missing.
 */
#ifndef SPIN_COMPAT_H
#define SPIN_COMPAT_H

/* Force-included first in every file: one log prefix for the module. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/ftrace.h>
#include <linux/ptrace.h>

/*
 * ftrace callbacks take struct ftrace_regs since 5.11, struct pt_regs
 * before. The ops are registered with FTRACE_OPS_FL_SAVE_REGS, which
 * register_ftrace_function() refuses where full registers cannot be
 * saved, so once a hook is installed ftrace_get_regs() is never NULL.
 */
#ifdef SPIN_HAVE_FTRACE_REGS_CALLBACK
#define SPIN_FTRACE_REGS_T struct ftrace_regs
static inline struct pt_regs *spin_ftrace_get_regs(struct ftrace_regs *fregs)
{
	return ftrace_get_regs(fregs);
}
#else
#define SPIN_FTRACE_REGS_T struct pt_regs
static inline struct pt_regs *spin_ftrace_get_regs(struct pt_regs *regs)
{
	return regs;
}
#endif

/*
 * No ftrace recursion guard around the hook callback. The callback calls
 * nothing the hooks trace, so it cannot recurse; and a guard that
 * skipped it (ftrace's trylock fails in some nested contexts) would let
 * a pinned syscall read user memory again without anyone noticing.
 * Since 5.11 ftrace adds the guard only on FTRACE_OPS_FL_RECURSION;
 * before, on every ops without FTRACE_OPS_FL_RECURSION_SAFE.
 */
#ifdef SPIN_HAVE_FTRACE_OPS_FL_RECURSION
#define SPIN_FTRACE_OPS_FL_UNGUARDED 0
#else
#define SPIN_FTRACE_OPS_FL_UNGUARDED FTRACE_OPS_FL_RECURSION_SAFE
#endif

/*
 * The path fetch site (sites/path.c). Up to 6.x the path copy is
 * getname_flags(filename, flags[, int *empty]) (its .part.0 body on
 * Debian's builds). Since delayed filenames (7.x) getname_flags() is a
 * two-line wrapper and the copy is the static
 * do_getname(filename, flags, bool incomplete), which the kernel's own
 * callers enter directly; "incomplete" names are io_uring's, never a
 * pinned syscall's, and are left alone.
 */
#ifdef SPIN_HAVE_DELAYED_FILENAME
#define SPIN_GETNAME_SYMBOLS "do_getname"
#define SPIN_GETNAME_ARG3_T bool
static inline bool spin_getname_foreign(bool incomplete)
{
	return incomplete;
}

/* A bool argument is defined in the low byte of its register only. */
static inline bool spin_getname_foreign_regs(const struct pt_regs *regs)
{
	return (u8)regs->dx;
}
#else
#define SPIN_GETNAME_SYMBOLS "getname_flags.part.0", "getname_flags"
#define SPIN_GETNAME_ARG3_T int *
static inline bool spin_getname_foreign(int *empty)
{
	return false;
}

static inline bool spin_getname_foreign_regs(const struct pt_regs *regs)
{
	return false;
}
#endif

/* struct filename lost its uptr (audit's name reuse) in 7.x. */
static inline void spin_filename_set_uptr(struct filename *name,
					  const char __user *uptr)
{
#ifdef SPIN_HAVE_FILENAME_UPTR
	name->uptr = uptr;
#endif
}

/*
 * BTF kinds newer than the oldest supported headers (5.10 stops at
 * DATASEC). The values are UAPI, fixed by the BTF format.
 */
#define SPIN_BTF_KIND_FLOAT 16
#define SPIN_BTF_KIND_DECL_TAG 17
#define SPIN_BTF_KIND_TYPE_TAG 18
#define SPIN_BTF_KIND_ENUM64 19

#endif /* SPIN_COMPAT_H */
