/* SPDX-License-Identifier: GPL-2.0 */
/*
 * argfetch.h - how the supervisor gets the argument bytes it decides on,
 * and how it lets the syscall run on exactly those bytes.
 *
 * argfetch.c pins through /dev/seccomp_pin and answers CONTINUE_PINNED.
 * The VM tests link a second implementation (tests/tools/unpinned_fetch.c)
 * that reads target memory and answers plain CONTINUE, as supervisors
 * without the module must: the same policy, racing the same attacker,
 * shows what the pin changes.
 */
#ifndef SP_TOOL_ARGFETCH_H
#define SP_TOOL_ARGFETCH_H

#include <linux/seccomp.h>
#include <sys/types.h>

#include <libseccomp_pin.h>

/*
 * Snapshot the arguments described in @pin (id, nr_args, buf, args[].in)
 * of notification @id from task @pid whose syscall is @data: outputs as
 * SECCOMP_PIN_IOC_PIN_ARGS gives them. 0 or -errno (as PIN_ARGS).
 */
int argfetch_pin(int dev, int listener, pid_t pid,
		 const struct seccomp_data *data,
		 struct seccomp_notif_pin_args *pin);

/* Let notification @id run on the bytes argfetch_pin() returned. */
int argfetch_continue(int dev, int listener, __u64 id);

#endif /* SP_TOOL_ARGFETCH_H */
