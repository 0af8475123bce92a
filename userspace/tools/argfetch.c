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
