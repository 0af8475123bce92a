/* SPDX-License-Identifier: GPL-2.0 */
/*
 * common.h - shared setup of the guest suites: a per-test fixture, a
 * trapped child under a USER_NOTIF filter, notification and pin
 * helpers, and the INFO-based leak check.
 *
 * Every helper that runs in the supervisor (the cmocka process) fails
 * the current test with a cmocka assertion; code that runs in a trapped
 * child never touches cmocka and reports through its exit code or the
 * fixture's MAP_SHARED area.
 */
#ifndef SECCOMP_PIN_GUEST_COMMON_H
#define SECCOMP_PIN_GUEST_COMMON_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <sched.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include <cmocka.h>
#include <linux/audit.h>

#include "libseccomp_pin.h"

#define TEST_TIMEOUT_S 120 /* a hung test ends the suite instead */
#define CHILD_TIMEOUT_S 120 /* a hung child dies by SIGALRM */
#define NOTIF_TIMEOUT_MS 10000 /* a trapped syscall that never shows up */
#define LEAK_TIMEOUT_MS 3000 /* time allowed for a pin to be freed */
#define REAP_TIMEOUT_S 30 /* a child that does not exit is stuck */

#define SHM_SIZE (8U << 20) /* MAP_SHARED area shared with the children */
#define SNAP_BUF_SIZE (2U << 20) /* supervisor buffer for snapshots */
#define MAX_TRACEES 4
#define MAX_PATHS 32

/* Exit codes of a trapped child that failed before its body ran. */
#define CHILD_SETUP_FAILED 200

/* One syscall to trap. */
struct trap {
	__u32 arch; /* AUDIT_ARCH_X86_64 or AUDIT_ARCH_I386 */
	int nr;
	int match_arg0; /* trap only when the low 32 bits of arg 0 match */
	__u32 arg0;
};

#define TRAP64(n)                            \
	{                                    \
		AUDIT_ARCH_X86_64, (n), 0, 0 \
	}
#define TRAP64_ARG0(n, v)                             \
	{                                             \
		AUDIT_ARCH_X86_64, (n), 1, (__u32)(v) \
	}
#define TRAP32(n)                          \
	{                                  \
		AUDIT_ARCH_I386, (n), 0, 0 \
	}

/* A child running under its own filter and the listener we hold for it. */
struct tracee {
	pid_t pid; /* 0 once reaped */
	int listener; /* -1 once closed */
};

struct fx {
	void *prestate; /* the test's initial_state, if any */
	int dev; /* /dev/seccomp_pin */
	__u64 live_base; /* INFO live_pins when the test started */
	struct tracee t[MAX_TRACEES];
	int nt;
	char *shm; /* SHM_SIZE bytes, MAP_SHARED, inherited by children */
	size_t shm_used;
	void *buf; /* SNAP_BUF_SIZE bytes for PIN_ARGS */
	char dir[64]; /* scratch directory, removed with its contents */
	char paths[MAX_PATHS][PATH_MAX];
	int npaths;
	int fds[16]; /* closed at teardown */
	int nfds;
};

/* Body of a trapped child: its return value is the child's exit code. */
typedef int (*child_fn)(void *arg);

/* cmocka group and per-test fixtures. */
int fx_setup(void **state);
/* Honour SPT_TEST_FILTER / SPT_TEST_SKIP (cmocka glob patterns). */
void apply_test_filter(void);
int fx_teardown(void **state);

/* Scratch-area helpers (supervisor). */
void *shm_alloc(struct fx *f, size_t size);
const char *tpath(struct fx *f, const char *name);
void write_file(const char *path, const char *content);
/*
 * Write @value to an existing file (sysfs, procfs, debugfs, cgroupfs):
 * 0 or -errno, no assertion (children may call it).
 */
int put_file(const char *path, const char *value);
/*
 * Move the caller (and the children it forks from now on) to CPU 0,
 * keeping its affinity in @saved for sched_setaffinity() to restore.
 * For tests that patch kernel text (QEMU's multi-threaded TCG runs stale
 * code on the other vCPU) or need one CPU's per-CPU state.
 */
bool run_on_cpu0(cpu_set_t *saved);
int read_file(const char *path, char *buf, size_t size);
bool exists(const char *path);
void helper_path(const char *name, char *out, size_t size);
/* Remember @fd for closing at teardown; returns it. */
int fx_fd(struct fx *f, int fd);
/* A copy of @s in the shared area, in a buffer of at least @cap bytes. */
char *shm_str(struct fx *f, const char *s, size_t cap);
/* Fill a struct sockaddr_un (zeroed) with @path. */
void set_sun(void *sun, const char *path);
/* The string snapshot of args[@i], checked to lie inside the buffer. */
const char *snap_str(const struct seccomp_notif_pin_args *p, unsigned int i);

/* Fork a child that sets NO_NEW_PRIVS, installs a USER_NOTIF filter for
 * @traps and runs @fn(@arg). */
struct tracee *spawn_trapped(struct fx *f, const struct trap *traps,
			     unsigned int n, child_fn fn, void *arg);
/* waitpid() the child; returns the raw wait status. */
int reap(struct tracee *t);
/* Exit code of a child that must exit normally. */
int reap_exit(struct tracee *t);
/* Close our listener of @t (the child's pending syscalls get ENOSYS). */
void close_listener(struct tracee *t);

/* Notifications. */
bool notif_pending(int listener, int timeout_ms);
void recv_notif(struct tracee *t, struct seccomp_notif *n);
int send_resp(int listener, __u64 id, __u32 flags, int error, __s64 val);
void reply_continue(struct tracee *t, __u64 id);
void reply_errno(struct tracee *t, __u64 id, int err);

/* Pins. */
void pin_init(struct seccomp_notif_pin_args *p, __u64 id, void *buf,
	      __u32 buf_size);
struct seccomp_pin_arg *pin_add(struct seccomp_notif_pin_args *p, __u8 arg_idx,
				__u8 kind, __u32 max_bytes);
int pin_args(struct fx *f, struct tracee *t, struct seccomp_notif_pin_args *p);
/* Pin one argument into f->buf; returns 0 or -errno. */
int pin1(struct fx *f, struct tracee *t, __u64 id, __u8 arg_idx, __u8 kind,
	 __u32 max_bytes, struct seccomp_notif_pin_args *out);
void continue_pinned(struct fx *f, struct tracee *t, __u64 id);
int pin_send(struct fx *f, struct tracee *t, __u64 id, __u32 flags, int error,
	     __s64 val);

/* Module state. */
__u64 live_pins_now(int dev);
/* Poll INFO until live_pins == @want or LEAK_TIMEOUT_MS; returns the last. */
__u64 wait_live_pins(int dev, __u64 want);

/* A record written by the argv_dump helper. */
#define ARGV_DUMP_FD 9
#define DUMP_MAX 64
struct dump {
	int argc, envc;
	const char *argv[DUMP_MAX];
	const char *envp[DUMP_MAX];
	char raw[16384];
};
/* Parse what argv_dump wrote to @fd (rewound first); 0 or -1. */
int dump_read(int fd, struct dump *d);
/* Assert that @d holds exactly the NULL-terminated @argv and @envp. */
void assert_dump(const struct dump *d, const char *const *argv,
		 const char *const *envp);

/* A memfd for argv_dump, 0 or -errno. */
int dump_memfd(void);

/*
 * Bodies of trapped children shared by the suites. Their context lives
 * in the fixture's MAP_SHARED area, so the supervisor can rewrite the
 * bytes behind the pointers while the child is trapped, and read the
 * results (ret/err of each call) after reaping it. Each returns 0 once
 * the calls were made (results in the context); child_exec returns
 * EXEC_FAILED only when the exec itself failed.
 */
#define EXEC_FAILED 99
#define OP_MAX_CALLS 256

struct op_ctx {
	int calls; /* how many times to issue the syscall (0 = once) */
	/* openat(AT_FDCWD, path, flags); reads the opened file into got */
	const char *path;
	int flags;
	char got[64];
	char first[OP_MAX_CALLS]; /* first byte read by each call */
	/* bind(fd, addr, addrlen) on a fresh AF_UNIX/family socket */
	const void *addr;
	socklen_t addrlen;
	int family, type;
	/* write(fd, buf, count) */
	int fd;
	const void *buf;
	size_t count;
	/* execve(filename, argv, envp) or execveat(dirfd, ...) */
	const char *filename;
	char **argv, **envp;
	int dirfd, at_flags, use_execveat;
	int dump_fd; /* > 0: dup2'ed to ARGV_DUMP_FD before the exec */
	/* syscall(nr, a[0..5]); calls < 0: repeat until stop is set */
	long nr;
	long a[6];
	volatile int stop;
	volatile int done; /* calls completed so far */
	/* results */
	long ret[OP_MAX_CALLS];
	int err[OP_MAX_CALLS];
};

int child_openat(void *arg);
int child_bind(void *arg);
int child_write(void *arg);
int child_exec(void *arg);
int child_raw(void *arg);
/*
 * @calls threads (at most CHILD_WRITERS_MAX), each making the raw
 * syscall(__NR_write, a[0], a[1], a[2]): many trapped writes at once.
 */
#define CHILD_WRITERS_MAX 64
int child_writers(void *arg);

/* Compare a 0/-errno result and name both sides on failure. */
#define assert_ret(expr, want)                                              \
	do {                                                                \
		long _r = (long)(expr), _w = (long)(want);                  \
		if (_r != _w)                                               \
			fail_msg("%s = %ld (%s), want %ld (%s)", #expr, _r, \
				 _r < 0 ? strerror((int)-_r) : "ok", _w,    \
				 _w < 0 ? strerror((int)-_w) : "ok");       \
	} while (0)

#endif /* SECCOMP_PIN_GUEST_COMMON_H */
