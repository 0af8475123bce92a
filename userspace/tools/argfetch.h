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

/*
 * Tell @dev what argfetch_recv_pin() pins per syscall. 0, or -errno when
 * receiving and pinning in one call is not available (an older module,
 * or no module at all): the caller then receives with NOTIF_RECV.
 */
int argfetch_rules(int dev, const struct seccomp_pin_rule *rules,
		   unsigned int nr_rules);

/*
 * Receive the next notification of @listener into @req (zeroed by the
 * caller) and pin by rule into @pin (buf, buf_size set): 1 pinned, 0
 * received and not pinned (*@pin_error), -errno nothing received.
 */
int argfetch_recv_pin(int dev, int listener, struct seccomp_notif *req,
		      struct seccomp_notif_pin_args *pin, int *pin_error);

#endif /* SP_TOOL_ARGFETCH_H */
