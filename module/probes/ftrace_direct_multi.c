// SPDX-License-Identifier: GPL-2.0
/* Direct-call trampolines on an ftrace_ops, 5.16 to 6.4's name. */
#include <linux/ftrace.h>

#if !defined(CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS) || !defined(CONFIG_X86_64)
#error no direct calls
#endif

int (*spin_probe_reg)(struct ftrace_ops *ops,
		      unsigned long addr) = register_ftrace_direct_multi;
int (*spin_probe_unreg)(struct ftrace_ops *ops,
			unsigned long addr) = unregister_ftrace_direct_multi;
