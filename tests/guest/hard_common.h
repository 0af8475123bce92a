/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hard_common.h - shared parts of the hardening suites (test_fuzz_device,
 * test_faults, test_stress): a seeded PRNG, run-length parameters
 * (short in `make check`, long in `make check-long`), the documented
 * errno sets of docs/SEMANTICS.md, INFO counters, nasty pointers, and
 * module reload from inside the guest.
 */
#ifndef SECCOMP_PIN_GUEST_HARD_H
#define SECCOMP_PIN_GUEST_HARD_H

#include "common.h"

#include <stdio.h>

/* ---- seeded PRNG (splitmix64: tiny, good enough, replayable) ------- */

struct hard_rng {
	__u64 s;
};

static inline __u64 hard_next(struct hard_rng *r)
{
	__u64 z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n); n > 0. */
static inline __u32 hard_below(struct hard_rng *r, __u32 n)
{
	return (__u32)(hard_next(r) % n);
}

/* true with probability pct / 100. */
static inline bool hard_chance(struct hard_rng *r, unsigned int pct)
{
	return hard_below(r, 100) < pct;
}

#define HARD_PICK(r, arr) ((arr)[hard_below((r), sizeof(arr) / sizeof((arr)[0]))])

/*
 * The run's seed: SPT_SEED from the environment or the parameter file,
 * else the clock. Printed as "<suite>: seed 0x... (replay with
 * SPT_SEED=0x...)".
 */
__u64 hard_seed(const char *what);

/*
 * A run-length parameter: the environment, then the parameter file
 * /tests/hard_long_params (present only in `make check-long` VMs, lines
 * "NAME=value"), then @short_default.
 */
long hard_param(const char *name, long short_default);
/*
 * Export every NAME=value of the parameter file that the environment
 * does not set (so SPT_TEST_FILTER / SPT_TEST_SKIP there work too).
 * SPT_LOCKUP_BACKTRACE set: also turn on softlockup_all_cpu_backtrace.
 */
void hard_params_to_env(void);

/* ---- documented errnos (docs/SEMANTICS.md) ------------------------ */

enum hard_op {
	HARD_OP_PIN, /* SECCOMP_PIN_IOC_PIN_ARGS */
	HARD_OP_SEND, /* SECCOMP_PIN_IOC_SEND */
	HARD_OP_INFO, /* SECCOMP_PIN_IOC_INFO */
	HARD_OP_OTHER, /* any other command on the device */
	HARD_OP_LSEND, /* SECCOMP_IOCTL_NOTIF_SEND on the listener */
};

/* Is @err (positive) a documented result of @op? */
bool hard_errno_documented(enum hard_op op, int err);
const char *hard_op_name(enum hard_op op);

/* Counts of results per errno, for the summary lines. */
struct hard_hist {
	unsigned long ok;
	unsigned long err[134];
};

void hard_hist_add(struct hard_hist *h, int err);
void hard_hist_print(const char *what, const struct hard_hist *h);

/* ---- module state ------------------------------------------------- */

/* INFO through ioctl (no library), 0 or -errno. */
int hard_info(int dev, struct seccomp_pin_info *info);
/*
 * Poll INFO until live_pins and live_bytes are back to the given values
 * (or @timeout_ms passed); true if they are. *now gets the last INFO.
 */
bool hard_wait_counters(int dev, __u64 pins, __u64 bytes, int timeout_ms,
			struct seccomp_pin_info *now);
/* Fail the test unless the counters return to @base within LEAK_TIMEOUT_MS. */
void hard_assert_counters(int dev, const struct seccomp_pin_info *base,
			  const char *when);

/* ---- memory with every interesting property ----------------------- */

struct hard_mem {
	char *rw; /* HARD_RW_SIZE read-write bytes, MAP_SHARED */
	char *ro; /* one read-only page of 'r' bytes, NUL-terminated */
	char *ro_nonul; /* one read-only page of 'R', no NUL */
	char *edge; /* a writable page of 'e' (no NUL) before a guard */
	char *prot_none; /* a PROT_NONE page */
	char *unmapped; /* an address below mmap_min_addr */
};

#define HARD_RW_SIZE (4U << 20)
#define HARD_KERNEL_PTR 0xffff888000000000ULL /* direct map */
#define HARD_VSYSCALL_PTR 0xffffffffff600000ULL
#define HARD_NONCANON_PTR 0x0000800000000000ULL

void hard_mem_init(struct hard_mem *m);
void hard_mem_fini(struct hard_mem *m);

/* ---- module reload (test_faults) --------------------------------- */

#define HARD_MODULE_PATH "/seccomp_pin.ko"

bool hard_module_loaded(void);
/* system("rmmod seccomp_pin"): its exit status (0 = unloaded). */
int hard_rmmod(void);
/* system("insmod /seccomp_pin.ko @params"): its exit status. */
int hard_insmod(const char *params);
/* Open /dev/seccomp_pin, retrying while devtmpfs creates it; fd or -errno. */
int hard_open_dev(void);

/* ---- misc --------------------------------------------------------- */

/* Monotonic milliseconds. */
long long hard_ms(void);
/* Extend the fixture's per-test alarm (common.c sets 120 s). */
void hard_alarm(unsigned int seconds);
/*
 * In a trapped child that may outlive CHILD_TIMEOUT_S (tracee.c arms a
 * 120 s SIGALRM in every child): the long runs take longer. The child
 * still dies with the suite (PR_SET_PDEATHSIG).
 */
#define HARD_CHILD_ALARM_S 7200

#endif /* SECCOMP_PIN_GUEST_HARD_H */
