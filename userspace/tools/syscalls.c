// SPDX-License-Identifier: GPL-2.0
/*
 * syscalls.c - the table of syscalls the policy decides on (x86_64).
 *
 * It says what the arguments mean (which are paths, relative to which
 * dirfd; which is a socket address and its length; argv), not what the
 * module can pin: that the supervisor asks the running module
 * (seccomp_pin_pinnable()), and a modelled argument the module does not
 * pin is denied. SYS_PATH_UNMODELED syscalls take paths this table does
 * not model; they are denied while a path policy is active.
 */
#include <sys/syscall.h>

#include "common.h"
#include "policy.h"
#include "syscalls.h"

/* Newer than the build host's headers. */
#ifndef __NR_fchmodat2
#define __NR_fchmodat2 452
#endif
#ifndef __NR_setxattrat
#define __NR_setxattrat 463
#define __NR_getxattrat 464
#define __NR_listxattrat 465
#define __NR_removexattrat 466
#endif
#ifndef __NR_open_tree_attr
#define __NR_open_tree_attr 467
#endif
#ifndef __NR_file_getattr
#define __NR_file_getattr 468
#define __NR_file_setattr 469
#endif

/* clang-format off */
#define P1(n, a) { __NR_##n, #n, SYS_PATH, POLICY_PATH, 0, { a, -1 }, { -1, -1 }, -1 }
#define PAT(n, d, a, f) { __NR_##n, #n, SYS_PATH, POLICY_PATH, f, { a, -1 }, { d, -1 }, -1 }
#define P2(n, a, b, f) { __NR_##n, #n, SYS_PATH, POLICY_PATH, f, { a, b }, { -1, -1 }, -1 }
#define P2AT(n, da, a, db, b, f) { __NR_##n, #n, SYS_PATH, POLICY_PATH, f, { a, b }, { da, db }, -1 }
#define NOPIN(n) { __NR_##n, #n, SYS_PATH_UNMODELED, POLICY_PATH, 0, { -1, -1 }, { -1, -1 }, -1 }
#define SOCK(n, a, l, f) { __NR_##n, #n, SYS_SOCKADDR, POLICY_NET, f, { a, -1 }, { -1, -1 }, l }
#define MSGHDR(n) { __NR_##n, #n, SYS_MSGHDR, POLICY_NET, 0, { -1, -1 }, { -1, -1 }, -1 }
#define EXEC(n, d, a, v) { __NR_##n, #n, SYS_EXEC, POLICY_EXEC, 0, { a, -1 }, { d, -1 }, v }
#define BYPASS(n, pol) { __NR_##n, #n, SYS_BYPASS, pol, 0, { -1, -1 }, { -1, -1 }, -1 }
/* clang-format on */

static const struct sys_desc table[] = {
	/* paths */
	P1(open, 0),
	P1(creat, 0),
	PAT(openat, 0, 1, 0),
	PAT(openat2, 0, 1, SYS_F_IN_ROOT),
	P1(stat, 0),
	P1(lstat, 0),
	PAT(newfstatat, 0, 1, SYS_F_STAT),
	PAT(statx, 0, 1, SYS_F_STATX),
	P1(access, 0),
	PAT(faccessat, 0, 1, 0),
	PAT(faccessat2, 0, 1, 0),
	P1(mkdir, 0),
	PAT(mkdirat, 0, 1, 0),
	P1(mknod, 0),
	PAT(mknodat, 0, 1, 0),
	P1(rmdir, 0),
	P1(unlink, 0),
	PAT(unlinkat, 0, 1, 0),
	P2(rename, 0, 1, 0),
	P2AT(renameat, 0, 1, 2, 3, 0),
	P2AT(renameat2, 0, 1, 2, 3, 0),
	P2(link, 0, 1, 0),
	P2AT(linkat, 0, 1, 2, 3, 0),
	P2(symlink, 0, 1, SYS_F_LINK_CONTENT),
	P2AT(symlinkat, -1, 0, 1, 2, SYS_F_LINK_CONTENT),
	P1(readlink, 0),
	PAT(readlinkat, 0, 1, 0),
	P1(chdir, 0),
	P1(chroot, 0),
	P1(chmod, 0),
	PAT(fchmodat, 0, 1, 0),
	P1(chown, 0),
	P1(lchown, 0),
	PAT(fchownat, 0, 1, 0),
	P1(truncate, 0),
	PAT(utimensat, 0, 1, SYS_F_NULL_IS_FD),
	P1(statfs, 0),
	P1(setxattr, 0),
	P1(lsetxattr, 0),
	P1(getxattr, 0),
	P1(lgetxattr, 0),
	P1(listxattr, 0),
	P1(llistxattr, 0),
	P1(removexattr, 0),
	P1(lremovexattr, 0),
	/* paths not modelled here */
	NOPIN(utime),
	NOPIN(utimes),
	NOPIN(futimesat),
	NOPIN(fchmodat2),
	NOPIN(inotify_add_watch),
	NOPIN(fanotify_mark),
	NOPIN(name_to_handle_at),
	NOPIN(mount),
	NOPIN(umount2),
	NOPIN(pivot_root),
	NOPIN(swapon),
	NOPIN(swapoff),
	NOPIN(acct),
	NOPIN(quotactl),
	NOPIN(uselib),
	NOPIN(open_tree),
	NOPIN(open_tree_attr),
	NOPIN(move_mount),
	NOPIN(fspick),
	NOPIN(fsconfig),
	NOPIN(mount_setattr),
	NOPIN(setxattrat),
	NOPIN(getxattrat),
	NOPIN(listxattrat),
	NOPIN(removexattrat),
	NOPIN(file_getattr),
	NOPIN(file_setattr),
	BYPASS(open_by_handle_at, POLICY_PATH),
	/* socket addresses */
	SOCK(connect, 1, 2, 0),
	SOCK(bind, 1, 2, SYS_F_BIND),
	SOCK(sendto, 4, 5, SYS_F_NULL_OK),
	MSGHDR(sendmsg),
	MSGHDR(sendmmsg),
	/* exec */
	EXEC(execve, -1, 0, 1),
	EXEC(execveat, 0, 1, 2),
	/* io_uring does file and socket operations without syscalls */
	BYPASS(io_uring_setup, 0),
};

const struct sys_desc *sys_lookup(int nr)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(table); i++)
		if (table[i].nr == nr)
			return &table[i];
	return NULL;
}

const struct sys_desc *sys_table(size_t *n)
{
	*n = ARRAY_SIZE(table);
	return table;
}

int sys_trapped(const struct sys_desc *d, unsigned int categories)
{
	if (!d->policy)
		return categories != 0;
	return (d->policy & categories) != 0;
}
