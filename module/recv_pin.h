/* SPDX-License-Identifier: GPL-2.0 */
/* recv_pin.h - receive a notification and pin by rule, in one ioctl. */
#ifndef SPIN_RECV_PIN_H
#define SPIN_RECV_PIN_H

#include <linux/fs.h>
#include <seccomp_pin.h>

/* Most rules a device fd holds: one per syscall is far fewer. */
#define SPIN_MAX_RULES 512

long spin_ioctl_set_rules(struct file *dev,
			  struct seccomp_pin_rules __user *ureq);
long spin_ioctl_recv_pin(struct file *dev, struct seccomp_pin_recv __user *urv);
/* The device fd is being closed: free its rules. */
void spin_rules_release(struct file *dev);

#endif
