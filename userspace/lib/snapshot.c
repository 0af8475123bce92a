// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * snapshot.c - bounds-checked access to the snapshots PIN_ARGS returns.
 *
 * Nothing here trusts the structures it is handed: every offset and
 * count is checked against the size it claims to live in, so a
 * malformed or hostile snapshot yields NULL, never an out-of-bounds read.
 */
#include <stdint.h>
#include <string.h>

#include "libseccomp_pin.h"
#include "internal.h"

SP_EXPORT const void *
seccomp_pin_snapshot(const struct seccomp_notif_pin_args *pin, unsigned int i)
{
	const struct seccomp_pin_arg *arg;

	if (!pin || !pin->buf || pin->nr_args > SECCOMP_PIN_MAX_ARGS ||
	    i >= pin->nr_args)
		return NULL;
	if (pin->buf > (__u64)UINTPTR_MAX - pin->buf_size)
		return NULL;
	arg = &pin->args[i];
	if (arg->buf_offset >= pin->buf_size ||
	    arg->actual_size > pin->buf_size - arg->buf_offset)
		return NULL;
	return (const char *)(uintptr_t)pin->buf + arg->buf_offset;
}

static __u32 load_u32(const unsigned char *p)
{
	__u32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

SP_EXPORT int seccomp_pin_array_count(const void *snapshot, __u32 size)
{
	__u32 count;

	if (!snapshot || size < sizeof(__u32))
		return sp_fail(EINVAL);
	count = load_u32(snapshot);
	/* The header (count and one offset per entry) must fit. */
	if (count > (size - sizeof(__u32)) / sizeof(__u32))
		return sp_fail(EINVAL);
	return (int)count;
}

SP_EXPORT const char *seccomp_pin_array_entry(const void *snapshot, __u32 size,
					      __u32 index)
{
	const unsigned char *base = snapshot;
	__u32 count, strings, off;
	int n;

	n = seccomp_pin_array_count(snapshot, size);
	if (n < 0)
		return NULL;
	count = (__u32)n;
	if (index >= count)
		return NULL;
	strings = sizeof(__u32) * (count + 1);
	off = load_u32(base + sizeof(__u32) * (index + 1));
	/* Strings live after the header and end with a NUL inside size. */
	if (off < strings || off >= size)
		return NULL;
	if (!memchr(base + off, '\0', size - off))
		return NULL;
	return (const char *)base + off;
}
