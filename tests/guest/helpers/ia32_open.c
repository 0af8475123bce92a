// SPDX-License-Identifier: GPL-2.0
/*
 * ia32_open - a 32-bit (int $0x80) process for the ia32 tests; no libc,
 * built with -m32 -nostdlib -static so it needs no multilib.
 *
 *   ia32_open open|openat PATH
 *
 * Issues the i386 open(2) (nr 5) or openat(2) (nr 295) on PATH and
 * exits 0 if it returned an fd, else with the errno (1..125).
 */
#define NR_EXIT 1
#define NR_OPEN 5
#define NR_OPENAT 295
#define AT_FDCWD_32 (-100)

static long sys3(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(nr), "b"(a), "c"(b), "d"(c)
			 : "memory");
	return ret;
}

static long sys4(long nr, long a, long b, long c, long d)
{
	long ret;

	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d)
			 : "memory");
	return ret;
}

static __attribute__((noreturn)) void die(long code)
{
	for (;;)
		sys3(NR_EXIT, code, 0, 0);
}

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

__attribute__((used, noreturn)) void ia32_main(long *sp)
{
	long argc = sp[0];
	char **argv = (char **)(sp + 1);
	long ret;

	if (argc != 3)
		die(126);
	if (streq(argv[1], "open"))
		ret = sys3(NR_OPEN, (long)argv[2], 0, 0);
	else if (streq(argv[1], "openat"))
		ret = sys4(NR_OPENAT, AT_FDCWD_32, (long)argv[2], 0, 0);
	else
		die(126);
	die(ret >= 0 ? 0 : (-ret > 125 ? 125 : -ret));
}

/* Entry: pass the initial stack (argc, argv...) to ia32_main. */
__asm__(".globl _start\n"
	"_start:\n"
	"	xorl %ebp, %ebp\n"
	"	movl %esp, %eax\n"
	"	andl $-16, %esp\n"
	"	subl $12, %esp\n"
	"	pushl %eax\n"
	"	call ia32_main\n"
	"	hlt\n");
