/* SPDX-License-Identifier: GPL-2.0 */
/* syscall_table.h - which syscall arguments a hooked fetch site consumes. */
#ifndef SPIN_SYSCALL_TABLE_H
#define SPIN_SYSCALL_TABLE_H

#include <linux/seccomp.h>
#include <linux/types.h>
#include <seccomp_pin.h>

/*
 * The fetch site (SECCOMP_PIN_SITE_*) that consumes argument @arg_idx of
 * the native x86_64 syscall in @sd as kind @kind, or 0 when no hooked
 * site would use a pin of it (the caller refuses with EOPNOTSUPP).
 * *@read_limit: the most bytes the syscall reads there (SIZE_MAX when
 * it has no length argument).
 */
u32 spin_syscall_arg_site(const struct seccomp_data *sd, u8 arg_idx, u8 kind,
			  size_t *read_limit);

/*
 * SECCOMP_PIN_IOC_PINNABLE: the arguments of the syscall @ureq->nr that
 * PIN_ARGS accepts on this kernel, whose supported fetch sites are @sites.
 */
long spin_ioctl_pinnable(struct seccomp_pin_pinnable __user *ureq, u32 sites);

#endif
