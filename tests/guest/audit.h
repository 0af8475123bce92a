/* SPDX-License-Identifier: GPL-2.0 */
/*
 * audit.h - the supervisor as a minimal auditd: enable audit, register
 * as the audit daemon, add an exit rule for one task's syscalls, and
 * read back the records the kernel emits for them (text, by type).
 */
#ifndef SECCOMP_PIN_GUEST_AUDIT_H
#define SECCOMP_PIN_GUEST_AUDIT_H

#include <stdbool.h>
#include <sys/types.h>

struct audit_session {
	int sock;
	unsigned int seq;
	pid_t pid; /* the audited task (0: no rule yet) */
	int nrs[4];
	int nnrs;
};

/* Enable audit with us as its daemon; 0, or -errno (skip the test). */
int audit_open(struct audit_session *a);
/* Audit exits of syscalls @nrs of task @pid; 0 or -errno. */
int audit_watch(struct audit_session *a, pid_t pid, const int *nrs, int n);
/*
 * Collect the records of the next audited event (up to its EOE) into
 * @out as "type=N msg\n" lines; 0, or -ETIMEDOUT.
 */
int audit_next_event(struct audit_session *a, char *out, size_t size,
		     int timeout_ms);
/* Remove the rule, unregister and disable audit again. */
void audit_close(struct audit_session *a);

#endif /* SECCOMP_PIN_GUEST_AUDIT_H */
