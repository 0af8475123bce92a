/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * internal.h - private helpers of libseccomp-pin (never installed).
 */
#ifndef LIBSECCOMP_PIN_INTERNAL_H
#define LIBSECCOMP_PIN_INTERNAL_H

#include <errno.h>

/* Only symbols marked with this leave the shared object. */
#define SP_EXPORT __attribute__((visibility("default")))

/* Fail a call that never reached the kernel: errno and -errno agree. */
static inline int sp_fail(int err)
{
	errno = err;
	return -err;
}

/* Turn a failed libc call into -errno, keeping errno as it set it. */
static inline int sp_errno(void)
{
	return errno > 0 ? -errno : -EIO;
}

#endif /* LIBSECCOMP_PIN_INTERNAL_H */
