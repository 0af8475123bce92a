// SPDX-License-Identifier: GPL-2.0
/*
 * bench_argv - the exec target of the benchmarks: reports its argv[1]
 * through its exit status (bench_argv.h); without an argument it just
 * exits (the exec loop of bench_nopin). Freestanding (no libc, built
 * -nostdlib -static), so an exec costs the kernel's work, not libc's
 * start-up.
 */
#include "bench_argv.h"

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static int classify(long argc, char **argv)
{
	if (argc < 2)
		return ARGV_NO_ARGUMENT;
	if (argc == 2 && streq(argv[1], ARGV_ALLOWED))
		return ARGV_GOT_ALLOWED;
	if (argc == 2 && streq(argv[1], ARGV_FORBIDDEN))
		return ARGV_GOT_FORBIDDEN;
	return ARGV_GOT_OTHER;
}

/* The initial stack: argc, then argv[]. */
__attribute__((noreturn, used)) void bench_argv_main(long *sp)
{
	long code = classify(sp[0], (char **)(sp + 1));

	for (;;)
		__asm__ volatile("syscall" /* exit_group */
				 : : "a"(231L), "D"(code)
				 : "rcx", "r11", "memory");
}

__asm__(".globl _start\n"
	"_start:\n"
	"	mov %rsp, %rdi\n"
	"	and $-16, %rsp\n"
	"	call bench_argv_main\n");
