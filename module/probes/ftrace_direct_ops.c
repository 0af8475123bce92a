// SPDX-License-Identifier: GPL-2.0
/* Direct-call trampolines registered on an ftrace_ops (6.5+). */
#include <linux/ftrace.h>

#if !defined(CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS) || !defined(CONFIG_X86_64)
#error no direct calls
#endif

int (*spin_probe_reg)(struct ftrace_ops *ops,
		      unsigned long addr) = register_ftrace_direct;
int (*spin_probe_unreg)(struct ftrace_ops *ops, unsigned long addr,
			bool free_filters) = unregister_ftrace_direct;
