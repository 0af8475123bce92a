// SPDX-License-Identifier: GPL-2.0
/*
 * guard_compat.c - compile-only: a future <linux/seccomp.h> that
 * already defines the RFC names must not clash with seccomp_pin.h.
 * The definitions below stand in for that future header.
 */
#include <linux/types.h>

#define SECCOMP_USER_NOTIF_FLAG_CONTINUE_PINNED (1UL << 1)
#define SECCOMP_PIN_FIXED 0
#define SECCOMP_PIN_CSTRING 1
#define SECCOMP_PIN_CSTRING_ARRAY 2
#define SECCOMP_PIN_TRUNCATED_BYTES (1U << 0)
#define SECCOMP_PIN_TRUNCATED_ENTRIES (1U << 1)
#define SECCOMP_PIN_MAX_ARGS 6
#define SECCOMP_PIN_MAX_ARG_BYTES (1U << 20)
#define SECCOMP_PIN_MAX_TOTAL_BYTES (1U << 20)

struct seccomp_pin_arg {
	__u8 arg_idx;
	__u8 kind;
	__u16 _reserved;
	__u32 max_bytes;
	__u32 max_entries;
	__u32 _reserved2;
	__u32 actual_size;
	__u32 actual_entries;
	__u32 truncated;
	__u32 _reserved3;
	__u64 user_addr;
	__u64 buf_offset;
};

struct seccomp_notif_pin_args {
	__u64 id;
	__u32 nr_args;
	__u32 buf_size;
	__u64 buf;
	struct seccomp_pin_arg args[SECCOMP_PIN_MAX_ARGS];
};

#define SECCOMP_IOCTL_NOTIF_PIN_ARGS 0x4242

#include <seccomp_pin.h>
#include "layout.h"

int guard_compat_dummy(void);
int guard_compat_dummy(void)
{
	return (int)sizeof(struct seccomp_pin_request);
}
