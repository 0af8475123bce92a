/* SPDX-License-Identifier: GPL-2.0 */
/*
 * supervisor.h - answer the notifications of one seccomp listener.
 *
 * For each trapped syscall: pin its pointer arguments, decide on the
 * pinned bytes (policy.h), answer CONTINUE | CONTINUE_PINNED or an errno,
 * log the decision. Used by "run" (one listener, its child's) and by
 * "agent" (one per container, each in its own thread).
 */
#ifndef SP_TOOL_SUPERVISOR_H
#define SP_TOOL_SUPERVISOR_H

#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>

#include <libseccomp_pin.h>

#include "log.h"
#include "policy.h"

struct call;

struct supervisor {
	int dev; /* /dev/seccomp_pin */
	int listener;
	const struct policy *policy;
	unsigned int categories; /* policy_categories(policy) */
	bool needs_proto;
	struct logger *log;
	struct seccomp_pin_info info;
	/* The module's answer for each entry of sys_table(), same index. */
	struct seccomp_pin_pinnable *pinnable;
	/* The device pins by rule as it receives (argfetch_recv_pin()). */
	bool fused;
	const char *container; /* agent: the container id, for the log */
	struct seccomp_notif *req;
	size_t req_size;
	void *buf; /* snapshots */
	size_t buf_size;
	struct call *call; /* the notification being decided */
};

/*
 * 0, or -errno (out of memory, SECCOMP_GET_NOTIF_SIZES failed; -ENOTTY:
 * the module predates SECCOMP_PIN_IOC_PINNABLE, with a message).
 */
int supervisor_init(struct supervisor *s, int dev, int listener,
		    const struct policy *policy, struct logger *log,
		    const struct seccomp_pin_info *info, const char *container);
void supervisor_fini(struct supervisor *s);

/*
 * Receive one notification and answer it. Call when the listener polls
 * readable (SECCOMP_IOCTL_NOTIF_RECV blocks otherwise). 0, or -errno of
 * the RECV (-ENOENT: the trapped syscall went away before it was read).
 */
int supervisor_handle(struct supervisor *s);

/* Human-readable names of the SECCOMP_PIN_SITE_* bits in @sites. */
const char *supervisor_site_name(unsigned int site);

/*
 * Print a warning for each category of @categories that needs a fetch
 * site @info lacks (its syscalls will be denied).
 */
void supervisor_warn_sites(const struct seccomp_pin_info *info,
			   unsigned int categories);

#endif /* SP_TOOL_SUPERVISOR_H */
