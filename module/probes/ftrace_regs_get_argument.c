// SPDX-License-Identifier: GPL-2.0
/* ftrace_regs_get_argument() and ftrace_regs_set_instruction_pointer() (6.2+). */
#include <linux/ftrace.h>

unsigned long spin_probe(struct ftrace_regs *fregs);
unsigned long spin_probe(struct ftrace_regs *fregs)
{
	ftrace_regs_set_instruction_pointer(fregs, 0);
	return ftrace_regs_get_argument(fregs, 0);
}
