// SPDX-License-Identifier: GPL-2.0
/*
 * FTRACE_OPS_FL_RECURSION (5.11+): ftrace guards a callback against
 * recursion only when asked to; before, it guarded every callback that
 * did not set FTRACE_OPS_FL_RECURSION_SAFE.
 */
#include <linux/ftrace.h>

unsigned long spin_probe(void);
unsigned long spin_probe(void)
{
	return FTRACE_OPS_FL_RECURSION;
}
