/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * libseccomp_pin.h - thin wrappers around the /dev/seccomp_pin ioctls.
 *
 * Every call returns 0 (or a file descriptor) on success and -errno on
 * failure; errno itself is left as the failing call set it (or set to
 * EINVAL when an argument is rejected before any call, e.g. NULL).
 * No call allocates memory. On failure the caller's structures are left
 * untouched.
 */
#ifndef LIBSECCOMP_PIN_H
#define LIBSECCOMP_PIN_H

#include <seccomp_pin.h>

/*
 * The library's version (the project's VERSION file) at build time;
 * seccomp_pin_version() gives the one of the library actually loaded.
 */
#define SECCOMP_PIN_VERSION_MAJOR 0
#define SECCOMP_PIN_VERSION_MINOR 1
#define SECCOMP_PIN_VERSION_PATCH 0
#define SECCOMP_PIN_VERSION_NUMBER(major, minor, patch) \
	(((major) << 16) | ((minor) << 8) | (patch))
#define SECCOMP_PIN_VERSION                                   \
	SECCOMP_PIN_VERSION_NUMBER(SECCOMP_PIN_VERSION_MAJOR, \
				   SECCOMP_PIN_VERSION_MINOR, \
				   SECCOMP_PIN_VERSION_PATCH)

#ifdef __cplusplus
extern "C" {
#endif

/* SECCOMP_PIN_VERSION of the library that is loaded. */
unsigned int seccomp_pin_version(void);

/* Open SECCOMP_PIN_DEVICE (O_RDWR | O_CLOEXEC); fd or -errno. */
int seccomp_pin_open(void);

/* SECCOMP_PIN_IOC_INFO. */
int seccomp_pin_info(int devfd, struct seccomp_pin_info *info);

/* SECCOMP_PIN_IOC_PIN_ARGS on (listener_fd, pin->id); outputs land in *pin. */
int seccomp_pin_args(int devfd, int listener_fd,
		     struct seccomp_notif_pin_args *pin);

/* SECCOMP_PIN_IOC_SEND: NOTIF_SEND that also accepts CONTINUE_PINNED. */
int seccomp_pin_send(int devfd, int listener_fd,
		     const struct seccomp_notif_resp *resp);

/* Convenience: send CONTINUE | CONTINUE_PINNED for @id. */
int seccomp_pin_continue_pinned(int devfd, int listener_fd, __u64 id);

/*
 * Deny @id: the trapped syscall fails with @err (a positive errno) and
 * is never run. Sent on the listener itself (SECCOMP_IOCTL_NOTIF_SEND),
 * so it needs no device; @err outside 1..4095 is -EINVAL.
 */
int seccomp_pin_deny(int listener_fd, __u64 id, int err);

/*
 * SECCOMP_PIN_IOC_PINNABLE: which arguments of syscall @nr (native
 * x86_64) the running module pins, as which kind and up to how many
 * bytes. out->nr_args == 0: none. -ENOTTY: the module predates the
 * query.
 */
int seccomp_pin_pinnable(int devfd, int nr, struct seccomp_pin_pinnable *out);

/* The entry of @p for argument @arg_idx, or NULL if it is not pinnable. */
const struct seccomp_pin_pinnable_arg *
seccomp_pin_pinnable_find(const struct seccomp_pin_pinnable *p,
			  unsigned int arg_idx);

/*
 * SECCOMP_PIN_IOC_SET_RULES: what seccomp_pin_recv_pin() on @devfd pins
 * for each syscall (one rule per syscall number; input fields of args[]
 * only). Replaces the rules before; @nr_rules 0 clears them.
 */
int seccomp_pin_set_rules(int devfd, const struct seccomp_pin_rule *rules,
			  unsigned int nr_rules);

/*
 * SECCOMP_PIN_IOC_RECV_PIN: receive the next notification of
 * @listener_fd into *@notif (zeroed here first) and, if @devfd has a
 * rule for its syscall, pin it into @pin (whose buf and buf_size the
 * caller sets), in one system call.
 *   1        received and pinned: @pin as seccomp_pin_args() fills it
 *   0        received, nothing pinned: *@pin_error is 0 (no rule) or the
 *            pin's -errno; the notification is pending either way
 *   -errno   nothing received (-EAGAIN: SECCOMP_PIN_RECV_NONBLOCK in
 *            @flags and nothing pending; -ENOTTY: an older module)
 * @notif must have room for struct seccomp_notif as this kernel's
 * SECCOMP_GET_NOTIF_SIZES gives it.
 */
int seccomp_pin_recv_pin(int devfd, int listener_fd, unsigned int flags,
			 struct seccomp_notif *notif,
			 struct seccomp_notif_pin_args *pin, int *pin_error);

/* Pointer to the snapshot of args[i] inside pin->buf, or NULL if out of range. */
const void *seccomp_pin_snapshot(const struct seccomp_notif_pin_args *pin,
				 unsigned int i);

/*
 * Number of strings in a CSTRING_ARRAY snapshot of @size bytes, or
 * -EINVAL if its header does not fit in @size.
 */
int seccomp_pin_array_count(const void *snapshot, __u32 size);

/*
 * Walk a CSTRING_ARRAY snapshot: the string at @index, or NULL if the
 * snapshot is malformed or @index is past its count.
 */
const char *seccomp_pin_array_entry(const void *snapshot, __u32 size,
				    __u32 index);

#ifdef __cplusplus
}
#endif

#endif /* LIBSECCOMP_PIN_H */
