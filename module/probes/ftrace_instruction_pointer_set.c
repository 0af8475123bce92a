// SPDX-License-Identifier: GPL-2.0
/*
 * x86's struct ftrace_regs wraps a pt_regs whose argument registers and
 * ip are valid without FTRACE_OPS_FL_SAVE_REGS (5.11 to 6.1).
 */
#include <linux/ftrace.h>

unsigned long spin_probe(struct ftrace_regs *fregs);
unsigned long spin_probe(struct ftrace_regs *fregs)
{
	ftrace_instruction_pointer_set(fregs, 0);
	return regs_get_kernel_argument(&fregs->regs, 0);
}
