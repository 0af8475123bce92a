/* SPDX-License-Identifier: GPL-2.0 */
/* pin_ioctl.h - the pinning ioctls of /dev/seccomp_pin. */
#ifndef SPIN_PIN_IOCTL_H
#define SPIN_PIN_IOCTL_H

#include <seccomp_pin.h>

long spin_ioctl_pin_args(struct seccomp_pin_request __user *ureq);
long spin_ioctl_send(struct seccomp_pin_response __user *ursp);

#endif
