/* SPDX-License-Identifier: GPL-2.0 */
/*
 * modwhy.h - why seccomp_pin is not loaded: not installed, DKMS build
 * failed, refused by signature enforcement, or refused by the module
 * itself. Read from files only (under a root directory, "" for the real
 * system), so that the host tests can fake every case.
 */
#ifndef SP_MODWHY_H
#define SP_MODWHY_H

#include <limits.h>
#include <stdbool.h>

enum modwhy_reason {
	MODWHY_NOT_INSTALLED, /* no module file, no DKMS entry */
	MODWHY_DKMS_FAILED, /* DKMS has it, no module for this kernel */
	MODWHY_SIGNATURE, /* refused (or refusable) by signature checks */
	MODWHY_REFUSED, /* its init refused: its own log line */
	MODWHY_NOT_LOADED, /* installed, nothing says why: modprobe it */
};

/* Bits of struct modwhy.enforcing. */
#define MODWHY_SIG_ENFORCE 0x1 /* module.sig_enforce=Y */
#define MODWHY_LOCKDOWN 0x2 /* lockdown integrity or confidentiality */
#define MODWHY_SECURE_BOOT 0x4 /* the SecureBoot EFI variable is 1 */

struct modwhy {
	enum modwhy_reason reason;
	char release[128]; /* the kernel looked at */
	char module_file[PATH_MAX]; /* its seccomp_pin.ko*, or "" */
	int module_signed; /* 1, 0, -1 unknown (compressed) */
	char dkms_version[64]; /* DKMS's seccomp-pin version, or "" */
	char dkms_log[PATH_MAX]; /* make.log of its build, or "" */
	bool log_readable; /* the kernel log could be read */
	char log_line[512]; /* the kernel log line that decided */
	unsigned int enforcing; /* MODWHY_* bits */
	char detail[3 * PATH_MAX]; /* one paragraph for a human */
};

/*
 * Diagnose seccomp_pin on kernel @release (NULL: the running one), reading
 * @root/lib/modules, @root/sys, @root/dev/kmsg, @root/var/lib/dkms
 * (@root NULL or "": the real ones). Call it only when the module is not
 * loaded. Returns 0 and fills @w.
 */
int modwhy_diagnose(const char *root, const char *release, struct modwhy *w);

/* "not_installed", "dkms_build_failed", "signature", "module_refused",
 * "not_loaded". */
const char *modwhy_reason_name(enum modwhy_reason r);

#endif
