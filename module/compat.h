/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - the one place where kernel-version differences live.
 * Decisions come from the build-time probes (compat-generated.h).
 */
#ifndef SPIN_COMPAT_H
#define SPIN_COMPAT_H

/* Force-included first in every file: one log prefix for the module. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ftrace.h>

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

#ifndef FTRACE_OPS_FL_RECURSION
/* Before 5.11 the recursion-safe behaviour was the default. */
#define FTRACE_OPS_FL_RECURSION 0
#endif

#endif /* SPIN_COMPAT_H */
