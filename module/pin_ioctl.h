/* SPDX-License-Identifier: GPL-2.0 */
/* pin_ioctl.h - the pinning ioctls of /dev/seccomp_pin. */
#ifndef SPIN_PIN_IOCTL_H
#define SPIN_PIN_IOCTL_H

#include <seccomp_pin.h>

struct spin_listener;

long spin_ioctl_pin_args(struct seccomp_pin_request __user *ureq);

/*
 * PIN_ARGS of @req on @listener: the outputs are copied to @uout before
 * the pin is attached, so a failed copy leaves nothing pinned. 0 or
 * -errno, as SECCOMP_PIN_IOC_PIN_ARGS.
 */
long spin_pin_request(struct seccomp_pin_request *req,
		      struct spin_listener *listener,
		      struct seccomp_notif_pin_args __user *uout);

/*
 * A rule for RECV_PIN, checked as a PIN_ARGS request of its syscall
 * would be: -EINVAL, -E2BIG, or -EOPNOTSUPP where no site consumes it.
 */
int spin_check_rule(const struct seccomp_pin_rule *rule);
long spin_ioctl_send(struct seccomp_pin_response __user *ursp);

#endif
