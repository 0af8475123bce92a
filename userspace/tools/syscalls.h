/* SPDX-License-Identifier: GPL-2.0 */
/*
 * syscalls.h - the x86_64 syscalls seccomp-pin decides on, and how.
 */
#ifndef SP_TOOL_SYSCALLS_H
#define SP_TOOL_SYSCALLS_H

#include <stddef.h>

enum sys_class {
	SYS_PATH, /* path arguments, pinned as CSTRING */
	SYS_PATH_UNMODELED, /* paths whose meaning is not modelled: denied */
	SYS_SOCKADDR, /* a sockaddr, pinned FIXED */
	SYS_MSGHDR, /* a sockaddr inside a msghdr, cannot be pinned: denied */
	SYS_EXEC, /* execve, execveat: filename and argv pinned */
	SYS_BYPASS, /* reaches files or sockets around the policy: denied */
};

/* sys_desc.flags */
#define SYS_F_LINK_CONTENT (1U << 0) /* path[0] is a symlink's content */
#define SYS_F_IN_ROOT (1U << 1) /* openat2: also check as RESOLVE_IN_ROOT */
#define SYS_F_NULL_IS_FD (1U << 2) /* NULL path: operate on the dirfd */
#define SYS_F_STAT (1U << 3) /* newfstatat(dfd, path, statbuf, flags) */
#define SYS_F_STATX (1U << 4) /* statx(dfd, path, flags, mask, statxbuf) */
#define SYS_F_BIND (1U << 5) /* the sockaddr is a local address */
#define SYS_F_NULL_OK (1U << 6) /* NULL sockaddr: nothing to decide */

struct sys_desc {
	int nr;
	const char *name;
	unsigned char class; /* enum sys_class */
	unsigned char policy; /* POLICY_* category; 0: any category */
	unsigned char flags; /* SYS_F_* */
	signed char arg[2]; /* path / sockaddr / filename argument, -1: none */
	signed char dirfd[2]; /* dirfd of each arg[], -1: none */
	signed char aux; /* SOCKADDR: its length; EXEC: argv; else -1 */
};

/* The entry for @nr, or NULL. */
const struct sys_desc *sys_lookup(int nr);

/* The whole table. */
const struct sys_desc *sys_table(size_t *n);

/* Is @d trapped when the policy has rules in @categories? */
int sys_trapped(const struct sys_desc *d, unsigned int categories);

#endif /* SP_TOOL_SYSCALLS_H */
