// SPDX-License-Identifier: GPL-2.0
/*
 * syscall_table.c - the (syscall, argument, kind) triples a pin may name.
 *
 * A pin is accepted only where a hooked fetch site will read it, so a
 * supervisor can never believe it pinned something the kernel re-reads.
 * Path arguments are every argument the syscall passes to getname();
 * sockaddrs are those passed to move_addr_to_kernel(); argv/envp those
 * passed to copy_strings(); buffers those vfs_write() receives whole.
 * SECCOMP_PIN_IOC_PINNABLE hands the same table to user space, so no
 * supervisor has to keep its own copy.
 */
#include <linux/fcntl.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/unistd.h>
#include <seccomp_pin.h>

#include "syscall_table.h"

#define SPIN_NO_LEN 0xff

/* clang-format off */
#define PATH(a) { SECCOMP_PIN_SITE_PATH, SECCOMP_PIN_CSTRING, (a), SPIN_NO_LEN }
#define SOCKADDR(a, len) { SECCOMP_PIN_SITE_SOCKADDR, SECCOMP_PIN_FIXED, (a), (len) }
#define EXEC_ARGS(a) { SECCOMP_PIN_SITE_EXEC_ARGS, SECCOMP_PIN_CSTRING_ARRAY, (a), SPIN_NO_LEN }
#define WRITE_BUF(a, len) { SECCOMP_PIN_SITE_WRITE, SECCOMP_PIN_FIXED, (a), (len) }
/* clang-format on */

struct spin_arg_use {
	u32 site;
	u8 kind;
	u8 arg_idx;
	u8 len_idx; /* the syscall's own length of a FIXED argument */
};

struct spin_syscall_uses {
	int nr;
	struct spin_arg_use uses[2];
};

static const struct spin_syscall_uses spin_syscalls[] = {
	/* paths, via getname() */
	{ __NR_open, { PATH(0) } },
	{ __NR_creat, { PATH(0) } },
	{ __NR_openat, { PATH(1) } },
	{ __NR_openat2, { PATH(1) } },
	{ __NR_stat, { PATH(0) } },
	{ __NR_lstat, { PATH(0) } },
	{ __NR_newfstatat, { PATH(1) } },
	{ __NR_statx, { PATH(1) } },
	{ __NR_access, { PATH(0) } },
	{ __NR_faccessat, { PATH(1) } },
	{ __NR_faccessat2, { PATH(1) } },
	{ __NR_mkdir, { PATH(0) } },
	{ __NR_mkdirat, { PATH(1) } },
	{ __NR_mknod, { PATH(0) } },
	{ __NR_mknodat, { PATH(1) } },
	{ __NR_rmdir, { PATH(0) } },
	{ __NR_unlink, { PATH(0) } },
	{ __NR_unlinkat, { PATH(1) } },
	{ __NR_rename, { PATH(0), PATH(1) } },
	{ __NR_renameat, { PATH(1), PATH(3) } },
	{ __NR_renameat2, { PATH(1), PATH(3) } },
	{ __NR_link, { PATH(0), PATH(1) } },
	{ __NR_linkat, { PATH(1), PATH(3) } },
	{ __NR_symlink, { PATH(0), PATH(1) } },
	{ __NR_symlinkat, { PATH(0), PATH(2) } },
	{ __NR_readlink, { PATH(0) } },
	{ __NR_readlinkat, { PATH(1) } },
	{ __NR_chdir, { PATH(0) } },
	{ __NR_chroot, { PATH(0) } },
	{ __NR_chmod, { PATH(0) } },
	{ __NR_fchmodat, { PATH(1) } },
	{ __NR_chown, { PATH(0) } },
	{ __NR_lchown, { PATH(0) } },
	{ __NR_fchownat, { PATH(1) } },
	{ __NR_truncate, { PATH(0) } },
	{ __NR_utimensat, { PATH(1) } },
	{ __NR_statfs, { PATH(0) } },
	{ __NR_setxattr, { PATH(0) } },
	{ __NR_lsetxattr, { PATH(0) } },
	{ __NR_getxattr, { PATH(0) } },
	{ __NR_lgetxattr, { PATH(0) } },
	{ __NR_listxattr, { PATH(0) } },
	{ __NR_llistxattr, { PATH(0) } },
	{ __NR_removexattr, { PATH(0) } },
	{ __NR_lremovexattr, { PATH(0) } },
	/* sockaddrs, via move_addr_to_kernel() */
	{ __NR_bind, { SOCKADDR(1, 2) } },
	{ __NR_connect, { SOCKADDR(1, 2) } },
	{ __NR_sendto, { SOCKADDR(4, 5) } },
	/* exec: filename via getname(), argv/envp via copy_strings() */
	{ __NR_execve, { PATH(0), EXEC_ARGS(1) } },
	{ __NR_execveat, { PATH(1), EXEC_ARGS(2) } },
	/* whole write buffers, via vfs_write() */
	{ __NR_write, { WRITE_BUF(1, 2) } },
	{ __NR_pwrite64, { WRITE_BUF(1, 2) } },
};

/* execve's envp and execveat's envp sit right after argv. */
static bool spin_is_exec_envp(int nr, u8 arg_idx)
{
	return (nr == __NR_execve && arg_idx == 2) ||
	       (nr == __NR_execveat && arg_idx == 3);
}

/*
 * Where the kernel peeks at the first path byte before getname()
 * (fstatat/statx with exactly AT_EMPTY_PATH on 6.10+; with AT_EMPTY_PATH
 * among any flags where getname_maybe_null() exists, 7.x), a racing
 * thread could turn the pinned path into "operate on the dirfd": refuse.
 */
static bool spin_peeks_before_getname(const struct seccomp_data *sd)
{
#if defined(SPIN_HAVE_GETNAME_MAYBE_NULL)
	if (sd->nr == __NR_newfstatat)
		return sd->args[3] & AT_EMPTY_PATH;
	if (sd->nr == __NR_statx)
		return sd->args[2] & AT_EMPTY_PATH;
	return false;
#elif defined(SPIN_HAVE_VFS_EMPTY_PATH)
	unsigned int flags;

	if (sd->nr == __NR_newfstatat)
		flags = sd->args[3];
	else if (sd->nr == __NR_statx)
		flags = sd->args[2] & ~(AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE);
	else
		return false;
	return flags == AT_EMPTY_PATH;
#else
	return false;
#endif
}

/*
 * The most the syscall reads at a FIXED argument: a write's count; a
 * sockaddr's addrlen, which move_addr_to_kernel() refuses beyond a
 * sockaddr_storage (and below 0), reading nothing.
 */
static size_t spin_read_limit(const struct spin_arg_use *u,
			      const struct seccomp_data *sd)
{
	u64 len;

	if (u->len_idx == SPIN_NO_LEN)
		return SIZE_MAX;
	len = sd->args[u->len_idx];
	if (u->site == SECCOMP_PIN_SITE_SOCKADDR) {
		int addrlen = (int)len;

		if (addrlen < 0 || addrlen > sizeof(struct sockaddr_storage))
			return 0;
		return addrlen;
	}
	return len;
}

u32 spin_syscall_arg_site(const struct seccomp_data *sd, u8 arg_idx, u8 kind,
			  size_t *read_limit)
{
	size_t i, j;

	*read_limit = SIZE_MAX;
	if (spin_is_exec_envp(sd->nr, arg_idx))
		return kind == SECCOMP_PIN_CSTRING_ARRAY ?
			       SECCOMP_PIN_SITE_EXEC_ARGS :
			       0;
	for (i = 0; i < ARRAY_SIZE(spin_syscalls); i++) {
		const struct spin_syscall_uses *s = &spin_syscalls[i];

		if (s->nr != sd->nr)
			continue;
		for (j = 0; j < ARRAY_SIZE(s->uses); j++) {
			const struct spin_arg_use *u = &s->uses[j];

			if (!u->site || u->arg_idx != arg_idx ||
			    u->kind != kind)
				continue;
			if (u->site == SECCOMP_PIN_SITE_PATH &&
			    spin_peeks_before_getname(sd))
				return 0;
			*read_limit = spin_read_limit(u, sd);
			return u->site;
		}
	}
	return 0;
}

/* The most bytes the syscall itself reads at an argument of @site. */
static u32 spin_site_read_max(u32 site)
{
	switch (site) {
	case SECCOMP_PIN_SITE_PATH:
		return PATH_MAX;
	case SECCOMP_PIN_SITE_SOCKADDR:
		return sizeof(struct sockaddr_storage);
	default:
		return SECCOMP_PIN_MAX_ARG_BYTES;
	}
}

static bool spin_may_peek_before_getname(int nr)
{
#if defined(SPIN_HAVE_GETNAME_MAYBE_NULL) || defined(SPIN_HAVE_VFS_EMPTY_PATH)
	return nr == __NR_newfstatat || nr == __NR_statx;
#else
	return false;
#endif
}

static void spin_pinnable_add(struct seccomp_pin_pinnable *out,
			      const struct spin_arg_use *u, u8 arg_idx)
{
	struct seccomp_pin_pinnable_arg *a = &out->args[out->nr_args++];

	a->arg_idx = arg_idx;
	a->kind = u->kind;
	a->len_idx = u->len_idx == SPIN_NO_LEN ? SECCOMP_PIN_NO_LEN :
						 u->len_idx;
	a->site = u->site;
	a->max_bytes = spin_site_read_max(u->site);
	if (u->site == SECCOMP_PIN_SITE_PATH &&
	    spin_may_peek_before_getname(out->nr))
		a->flags |= SECCOMP_PIN_PINNABLE_IF_NOT_EMPTY_PATH;
}

/* The arguments of @out->nr that PIN_ARGS accepts, among @sites. */
static void spin_syscall_pinnable(struct seccomp_pin_pinnable *out, u32 sites)
{
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(spin_syscalls); i++) {
		const struct spin_syscall_uses *s = &spin_syscalls[i];

		if (s->nr != out->nr)
			continue;
		for (j = 0; j < ARRAY_SIZE(s->uses); j++) {
			const struct spin_arg_use *u = &s->uses[j];

			if (!u->site || !(u->site & sites))
				continue;
			spin_pinnable_add(out, u, u->arg_idx);
			/* envp is consumed where argv is (copy_strings()). */
			if (u->site == SECCOMP_PIN_SITE_EXEC_ARGS &&
			    spin_is_exec_envp(out->nr, u->arg_idx + 1))
				spin_pinnable_add(out, u, u->arg_idx + 1);
		}
	}
}

long spin_ioctl_pinnable(struct seccomp_pin_pinnable __user *ureq, u32 sites)
{
	struct seccomp_pin_pinnable req;

	if (copy_from_user(&req, ureq, sizeof(req)))
		return -EFAULT;
	if (req.flags || req._reserved)
		return -EINVAL;
	memset(&req.args, 0, sizeof(req.args));
	req.nr_args = 0;
	/* Negative and x32 numbers match no entry: nothing pinnable. */
	spin_syscall_pinnable(&req, sites);
	return copy_to_user(ureq, &req, sizeof(req)) ? -EFAULT : 0;
}
