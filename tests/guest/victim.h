/* SPDX-License-Identifier: GPL-2.0 */
/*
 * victim.h - a received, pending notification to aim error cases at,
 * and the check that an error left it intact: nothing was pinned (a
 * valid pin still succeeds) and a reply still reaches the child.
 */
#ifndef SECCOMP_PIN_GUEST_VICTIM_H
#define SECCOMP_PIN_GUEST_VICTIM_H

#include "common.h"

struct victim {
	struct tracee *t;
	struct seccomp_notif n;
	struct op_ctx *c;
	/* A pin this notification accepts (valid_kind < 0: none). */
	int valid_kind;
	__u8 valid_idx;
	__u32 valid_max;
};

/* A child trapped in syscall(@nr, @a...), received by the supervisor. */
void victim_raw(struct fx *f, struct victim *v, long nr, const long a[6]);
/* openat(AT_FDCWD, <readable file>, O_RDONLY); valid pin: CSTRING arg 1. */
void victim_openat(struct fx *f, struct victim *v);
/* write(fd, 64 bytes); valid pin: FIXED arg 1. */
void victim_write(struct fx *f, struct victim *v);
/* execve(prog, argv, envp); valid pin: CSTRING_ARRAY arg 1. */
void victim_execve(struct fx *f, struct victim *v);

/* A device request that would pin the valid argument of @v. */
void victim_request(struct fx *f, const struct victim *v,
		    struct seccomp_pin_request *req);
int raw_pin(struct fx *f, struct seccomp_pin_request *req);
int raw_send(struct fx *f, struct seccomp_pin_response *rsp);

/* Nothing pinned: a valid pin succeeds; then a deny reaches the child. */
void victim_still_answerable(struct fx *f, struct victim *v);
/* A deny (EPERM) through the device reaches the child. */
void victim_deny(struct fx *f, struct victim *v);

#endif /* SECCOMP_PIN_GUEST_VICTIM_H */
