// SPDX-License-Identifier: GPL-2.0
/*
 * argfetch.c - pinned arguments: the only way seccomp-pin lets a syscall
 * whose pointer arguments it decided on continue.
 */
#include "argfetch.h"

int argfetch_pin(int dev, int listener, pid_t pid,
		 const struct seccomp_data *data,
		 struct seccomp_notif_pin_args *pin)
{
	(void)pid;
	(void)data;
	return seccomp_pin_args(dev, listener, pin);
}

int argfetch_continue(int dev, int listener, __u64 id)
{
	return seccomp_pin_continue_pinned(dev, listener, id);
}

int argfetch_rules(int dev, const struct seccomp_pin_rule *rules,
		   unsigned int nr_rules)
{
	return seccomp_pin_set_rules(dev, rules, nr_rules);
}

int argfetch_recv_pin(int dev, int listener, struct seccomp_notif *req,
		      struct seccomp_notif_pin_args *pin, int *pin_error)
{
	/* @req is zeroed to the kernel's size; the library zeroes its own. */
	return seccomp_pin_recv_pin(dev, listener, 0, req, pin, pin_error);
}
