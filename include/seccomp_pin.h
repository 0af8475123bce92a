/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note OR MIT */
/*
 * seccomp_pin.h - user API of the seccomp-pin module (/dev/seccomp_pin).
 *
 * A seccomp user-notification supervisor pins (snapshots into kernel
 * memory) pointer arguments of a pending notification, decides on the
 * snapshot it gets back, and answers CONTINUE | CONTINUE_PINNED: the
 * continued syscall then consumes the snapshot instead of re-reading
 * user memory that a racing thread may have rewritten.
 *
 * The RFC part (kinds, flags, struct seccomp_pin_arg and
 * struct seccomp_notif_pin_args) matches the upstream RFC
 * "SECCOMP_IOCTL_NOTIF_PIN_ARGS" field for field; it is skipped if a
 * future <linux/seccomp.h> already provides it.
 */
#ifndef _UAPI_SECCOMP_PIN_H
#define _UAPI_SECCOMP_PIN_H

#include <linux/types.h>
#include <linux/ioctl.h>
#include <linux/seccomp.h>

/* ---- RFC constants and structures ---------------------------------- */

#ifndef SECCOMP_USER_NOTIF_FLAG_CONTINUE_PINNED
/* With SECCOMP_USER_NOTIF_FLAG_CONTINUE: run the syscall on the pin. */
#define SECCOMP_USER_NOTIF_FLAG_CONTINUE_PINNED (1UL << 1)
#endif

#ifndef SECCOMP_IOCTL_NOTIF_PIN_ARGS

/* Kinds of pin (struct seccomp_pin_arg.kind). */
#define SECCOMP_PIN_FIXED 0 /* exactly max_bytes */
#define SECCOMP_PIN_CSTRING 1 /* NUL-terminated, capped at max_bytes */
#define SECCOMP_PIN_CSTRING_ARRAY 2 /* NULL-terminated char *[] */

/* Bits of struct seccomp_pin_arg.truncated. */
#define SECCOMP_PIN_TRUNCATED_BYTES (1U << 0)
#define SECCOMP_PIN_TRUNCATED_ENTRIES (1U << 1)

#define SECCOMP_PIN_MAX_ARGS 6
#define SECCOMP_PIN_MAX_ARG_BYTES (1U << 20)
#define SECCOMP_PIN_MAX_TOTAL_BYTES (1U << 20)

struct seccomp_pin_arg {
	__u8 arg_idx; /* in: syscall argument slot, 0..5 */
	__u8 kind; /* in: SECCOMP_PIN_* */
	__u16 _reserved; /* must be 0 */
	__u32 max_bytes; /* in: cap on the snapshot, > 0 */
	__u32 max_entries; /* in: CSTRING_ARRAY cap, 0 = default */
	__u32 _reserved2; /* must be 0 */
	__u32 actual_size; /* out: bytes in the snapshot */
	__u32 actual_entries; /* out: strings in a CSTRING_ARRAY */
	__u32 truncated; /* out: SECCOMP_PIN_TRUNCATED_* */
	__u32 _reserved3; /* must be 0 */
	__u64 user_addr; /* out: the pointer that was read */
	__u64 buf_offset; /* out: where the snapshot starts in buf */
};

struct seccomp_notif_pin_args {
	__u64 id; /* notification id (struct seccomp_notif.id) */
	__u32 nr_args; /* 1..SECCOMP_PIN_MAX_ARGS */
	__u32 buf_size; /* bytes at buf */
	__u64 buf; /* supervisor buffer receiving the snapshots */
	struct seccomp_pin_arg args[SECCOMP_PIN_MAX_ARGS];
};

#endif /* SECCOMP_IOCTL_NOTIF_PIN_ARGS */

/* ---- /dev/seccomp_pin device interface ----------------------------- */

#define SECCOMP_PIN_DEVICE "/dev/seccomp_pin"
#define SECCOMP_PIN_ABI_VERSION 1

/*
 * A CSTRING_ARRAY snapshot is packed as
 *   __u32 count; __u32 offset[count]; NUL-terminated strings
 * with each offset counted from the start of the snapshot.
 */
#define SECCOMP_PIN_DEFAULT_MAX_ENTRIES 4096
#define SECCOMP_PIN_MAX_ENTRIES (1U << 18)
/* Snapshots are placed in buf at offsets aligned to this. */
#define SECCOMP_PIN_BUF_ALIGN 8

/* Fetch sites (struct seccomp_pin_info.sites). */
#define SECCOMP_PIN_SITE_PATH (1U << 0) /* getname(): every path argument */
#define SECCOMP_PIN_SITE_SOCKADDR (1U << 1) /* bind, connect, sendto addr */
#define SECCOMP_PIN_SITE_EXEC_ARGS (1U << 2) /* execve(at) argv, envp */
#define SECCOMP_PIN_SITE_WRITE (1U << 3) /* write, pwrite64 buffer */

struct seccomp_pin_info {
	__u32 abi_version; /* SECCOMP_PIN_ABI_VERSION */
	__u32 kinds; /* bit (1 << SECCOMP_PIN_*) per supported kind */
	__u32 sites; /* SECCOMP_PIN_SITE_* supported on this kernel */
	__u32 max_args; /* SECCOMP_PIN_MAX_ARGS */
	__u32 max_arg_bytes; /* SECCOMP_PIN_MAX_ARG_BYTES */
	__u32 max_total_bytes; /* SECCOMP_PIN_MAX_TOTAL_BYTES */
	__u32 default_max_entries; /* SECCOMP_PIN_DEFAULT_MAX_ENTRIES */
	__u32 max_entries; /* SECCOMP_PIN_MAX_ENTRIES */
	/*
	 * The four figures below are the module's (figures ==
	 * SECCOMP_PIN_FIGURES_GLOBAL, callers with CAP_SYS_ADMIN) or the
	 * calling user's own (SECCOMP_PIN_FIGURES_USER, everyone else).
	 */
	__u64 live_pins; /* pins currently held */
	__u64 live_bytes; /* snapshot bytes currently held */
	__u64 total_pins; /* pins created since load */
	__u64 total_consumed; /* fetches served from a snapshot */
	__u64 max_listener_bytes; /* cap on pinned bytes per listener */
	__u64 max_module_bytes; /* cap on pinned bytes in total */
	/*
	 * SECCOMP_PIN_SITE_* whose hooks are in the kernel text right now:
	 * they are registered on demand (PIN_ARGS) and removed once no pin
	 * has been live for a while (module parameter hook_idle_ms).
	 */
	__u32 registered_sites;
	__u32 figures; /* SECCOMP_PIN_FIGURES_* */
	__u64 max_user_bytes; /* cap on pinned bytes per user */
	__u32 features; /* SECCOMP_PIN_FEATURE_*: requests beyond the RFC's */
	__u32 max_rules; /* SET_RULES: most rules per device fd */
};

/* Bits of struct seccomp_pin_info.features. */
#define SECCOMP_PIN_FEATURE_PINNABLE (1U << 0) /* SECCOMP_PIN_IOC_PINNABLE */
#define SECCOMP_PIN_FEATURE_RECV_PIN (1U << 1) /* SET_RULES and RECV_PIN */

/* Whose figures INFO reports (struct seccomp_pin_info.figures). */
#define SECCOMP_PIN_FIGURES_USER 0
#define SECCOMP_PIN_FIGURES_GLOBAL 1

struct seccomp_pin_request {
	__s32 listener_fd; /* seccomp listener owning the notification */
	__u32 flags; /* must be 0 */
	struct seccomp_notif_pin_args pin;
};

struct seccomp_pin_response {
	__s32 listener_fd;
	__u32 flags; /* must be 0 */
	struct seccomp_notif_resp resp; /* resp.flags may add CONTINUE_PINNED */
};

/*
 * One argument a fetch site of the running module consumes
 * (struct seccomp_pin_pinnable.args): PIN_ARGS accepts exactly these
 * (arg_idx, kind) pairs for the syscall. A FIXED read stops at the
 * syscall's own length argument (len_idx); max_bytes is the most the
 * syscall itself reads there, so a larger cap gains nothing.
 */
struct seccomp_pin_pinnable_arg {
	__u8 arg_idx; /* syscall argument slot, 0..5 */
	__u8 kind; /* SECCOMP_PIN_* to name in struct seccomp_pin_arg */
	__u8 len_idx; /* FIXED: the length argument, or SECCOMP_PIN_NO_LEN */
	__u8 _reserved; /* 0 */
	__u32 site; /* SECCOMP_PIN_SITE_* consuming the snapshot */
	__u32 max_bytes; /* most bytes the syscall reads there */
	__u32 flags; /* SECCOMP_PIN_PINNABLE_* */
};

#define SECCOMP_PIN_NO_LEN 0xff

/*
 * Bits of struct seccomp_pin_pinnable_arg.flags.
 * IF_NOT_EMPTY_PATH: refused (EOPNOTSUPP) when the call's flags hold
 * AT_EMPTY_PATH, where this kernel looks at the path before the fetch
 * site (newfstatat, statx on 6.10 and later).
 */
#define SECCOMP_PIN_PINNABLE_IF_NOT_EMPTY_PATH (1U << 0)

struct seccomp_pin_pinnable {
	__s32 nr; /* in: native x86_64 syscall number */
	__u32 flags; /* in: must be 0 */
	__u32 nr_args; /* out: entries of args[]; 0 = nothing pinnable */
	__u32 _reserved; /* must be 0 */
	struct seccomp_pin_pinnable_arg args[SECCOMP_PIN_MAX_ARGS];
};

/*
 * What SECCOMP_PIN_IOC_RECV_PIN pins for one syscall: the input fields
 * of args[] as in a PIN_ARGS request (outputs must be 0).
 */
struct seccomp_pin_rule {
	__s32 nr; /* native x86_64 syscall number */
	__u32 nr_args; /* 1..SECCOMP_PIN_MAX_ARGS */
	struct seccomp_pin_arg args[SECCOMP_PIN_MAX_ARGS];
};

/*
 * SECCOMP_PIN_IOC_SET_RULES: the rule table of this device fd (its open
 * file description), replacing the one before; nr_rules 0 clears it.
 * Every rule is checked as PIN_ARGS checks a request, and refused
 * (EOPNOTSUPP) where no fetch site consumes an argument.
 */
struct seccomp_pin_rules {
	__u32 nr_rules; /* at most seccomp_pin_info.max_rules */
	__u32 flags; /* must be 0 */
	__u64 rules; /* struct seccomp_pin_rule[nr_rules], one per syscall */
};

/* Bits of struct seccomp_pin_recv.flags. */
#define SECCOMP_PIN_RECV_NONBLOCK (1U << 0) /* EAGAIN if nothing pending */

/*
 * SECCOMP_PIN_IOC_RECV_PIN: SECCOMP_IOCTL_NOTIF_RECV on listener_fd into
 * *notif, then, if this device fd has a rule for the syscall, PIN_ARGS
 * of that rule into pin.buf, in one call. Once a notification is
 * received the call succeeds: a failed pin is reported in pin_error
 * (the notification stays pending and unpinned, to be answered).
 */
struct seccomp_pin_recv {
	__s32 listener_fd;
	__u32 flags; /* SECCOMP_PIN_RECV_* */
	__u64 notif; /* struct seccomp_notif, zeroed, as NOTIF_RECV takes it */
	__s32 pin_error; /* out: 0 or -errno of the pin */
	__u32 pinned; /* out: 1 if a rule matched and pinned */
	/* in: buf, buf_size; out: id, nr_args, args as PIN_ARGS fills them */
	struct seccomp_notif_pin_args pin;
};

#define SECCOMP_PIN_IOC_MAGIC 0xB7
#define SECCOMP_PIN_IOC_INFO \
	_IOR(SECCOMP_PIN_IOC_MAGIC, 0, struct seccomp_pin_info)
#define SECCOMP_PIN_IOC_PIN_ARGS \
	_IOWR(SECCOMP_PIN_IOC_MAGIC, 1, struct seccomp_pin_request)
#define SECCOMP_PIN_IOC_SEND \
	_IOW(SECCOMP_PIN_IOC_MAGIC, 2, struct seccomp_pin_response)
/* Which arguments of a syscall can be pinned, and how (older modules: ENOTTY). */
#define SECCOMP_PIN_IOC_PINNABLE \
	_IOWR(SECCOMP_PIN_IOC_MAGIC, 3, struct seccomp_pin_pinnable)
#define SECCOMP_PIN_IOC_SET_RULES \
	_IOW(SECCOMP_PIN_IOC_MAGIC, 4, struct seccomp_pin_rules)
#define SECCOMP_PIN_IOC_RECV_PIN \
	_IOWR(SECCOMP_PIN_IOC_MAGIC, 5, struct seccomp_pin_recv)

#endif /* _UAPI_SECCOMP_PIN_H */
