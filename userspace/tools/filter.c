// SPDX-License-Identifier: GPL-2.0
/*
 * filter.c - build and install the child's seccomp filter.
 *
 *   arch != x86_64            -> ERRNO(ENOSYS)  (the module pins native
 *   nr & __X32_SYSCALL_BIT    -> ERRNO(ENOSYS)   syscalls only)
 *   sendto(..., addr == NULL) -> ALLOW          (no address to decide on)
 *   a trapped syscall         -> USER_NOTIF
 *   anything else             -> ALLOW
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common.h"
#include "filter.h"
#include "syscalls.h"

#ifndef __X32_SYSCALL_BIT
#define __X32_SYSCALL_BIT 0x40000000
#endif

#define MAX_INSNS 512

#define LD_ABS(off) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (off))
#define RET(v) BPF_STMT(BPF_RET | BPF_K, (v))
#define JEQ(k, t, f) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (k), (t), (f))
#define JSET(k, t, f) BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, (k), (t), (f))

/* Lower and upper half of args[i] (little endian). */
#define ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i))
#define ARG_HI(i) (ARG_LO(i) + 4)

static int build(unsigned int categories, struct sock_filter *f)
{
	size_t n = 0, i, count;
	const struct sys_desc *t = sys_table(&count);

	f[n++] =
		(struct sock_filter)LD_ABS(offsetof(struct seccomp_data, arch));
	f[n++] = (struct sock_filter)JEQ(AUDIT_ARCH_X86_64, 1, 0);
	f[n++] = (struct sock_filter)RET(SECCOMP_RET_ERRNO | ENOSYS);
	f[n++] = (struct sock_filter)LD_ABS(offsetof(struct seccomp_data, nr));
	f[n++] = (struct sock_filter)JSET(__X32_SYSCALL_BIT, 0, 1);
	f[n++] = (struct sock_filter)RET(SECCOMP_RET_ERRNO | ENOSYS);
	for (i = 0; i < count; i++) {
		if (!sys_trapped(&t[i], categories))
			continue;
		if (n + 8 > MAX_INSNS)
			return -E2BIG;
		if (t[i].flags & SYS_F_NULL_OK) {
			int a = t[i].arg[0];

			/* nr matches: notify unless the pointer is NULL. */
			f[n++] = (struct sock_filter)JEQ(t[i].nr, 0, 6);
			f[n++] = (struct sock_filter)LD_ABS(ARG_LO(a));
			f[n++] = (struct sock_filter)JEQ(0, 0, 2);
			f[n++] = (struct sock_filter)LD_ABS(ARG_HI(a));
			f[n++] = (struct sock_filter)JEQ(0, 1, 0);
			f[n++] =
				(struct sock_filter)RET(SECCOMP_RET_USER_NOTIF);
			f[n++] = (struct sock_filter)RET(SECCOMP_RET_ALLOW);
		} else {
			f[n++] = (struct sock_filter)JEQ(t[i].nr, 0, 1);
			f[n++] =
				(struct sock_filter)RET(SECCOMP_RET_USER_NOTIF);
		}
	}
	f[n++] = (struct sock_filter)RET(SECCOMP_RET_ALLOW);
	return n;
}

int filter_install(unsigned int categories)
{
	struct sock_filter insns[MAX_INSNS];
	struct sock_fprog prog;
	int n = build(categories, insns), fd;

	if (n < 0)
		return n;
	prog.len = n;
	prog.filter = insns;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		     SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	return fd < 0 ? -errno : fd;
}
