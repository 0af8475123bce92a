// SPDX-License-Identifier: GPL-2.0
/*
 * hard_exit0.c - builds hard_exit0: a libc-free static program whose
 * only syscall is exit_group(0). test_faults execs it from a sibling of
 * a trapped thread: it must make no syscall the inherited filter traps.
 */
void _start(void);

void __attribute__((noreturn)) _start(void)
{
	__asm__ volatile("mov $231, %%eax\n\t"
			 "xor %%edi, %%edi\n\t"
			 "syscall" ::: "rax", "rdi", "rcx", "r11", "memory");
	__builtin_unreachable();
}
