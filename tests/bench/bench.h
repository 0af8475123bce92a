/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench.h - what the benchmark programs share: clocks, shared memory,
 * the seccomp filter of a trapped target, reading its memory, loading
 * and unloading the module, and order statistics.
 *
 * Output convention (tests/bench/report reads it): "goal|text|measured|met"
 * lines make the goals table, "info|key|value" lines the setup section,
 * "diag: ..." lines the notes; everything else is Markdown, copied as
 * printed.
 */
#ifndef BENCH_H
#define BENCH_H

#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define BENCH_DIR "/tmp/bench"
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void bench_die(const char *what) __attribute__((noreturn));
uint64_t bench_now_ns(void);

/* Zeroed MAP_SHARED memory: survives fork for both sides. */
void *bench_shared(size_t size);

/* A busy wait whose stores the compiler must keep (memory clobber). */
void bench_spin(int loops);

void bench_write_file(const char *path, const void *data, size_t len);

/* Absolute path of a file next to this program (e.g. a helper). */
const char *bench_sibling(const char *name);

/*
 * Fork a target that traps syscall @nr (SECCOMP_RET_USER_NOTIF) and then
 * runs @fn(@arg) and _exit(0)s. Returns its pid; its listener is put in
 * *listener (the target keeps no copy).
 */
pid_t bench_fork_target(int nr, void (*fn)(void *), void *arg, int *listener);

/* Wait up to @ms for a notification; 1 ready, 0 timeout or target gone. */
int bench_wait_notif(int listener, int ms);

/* Reply to a notification through the listener itself (no module). */
int bench_send(int listener, uint64_t id, int error, unsigned int flags);

/* Read a trapped task's memory through /proc/<pid>/mem (fd cached). */
struct bench_mem {
	pid_t pid;
	int fd;
};

void bench_mem_init(struct bench_mem *m);
ssize_t bench_mem_read(struct bench_mem *m, pid_t pid, uint64_t addr, void *buf,
		       size_t len);
void bench_mem_close(struct bench_mem *m);

/*
 * Load (1, with the harness's parameters) or unload (0) seccomp_pin.ko
 * unless it already is; 0 on success.
 */
#define BENCH_HARNESS_PARAMS "keep_hooks=1" /* as tests/vm/guest-init.sh */
int bench_module(int load);
/* (Re)load it with @params; 0 on success. */
int bench_module_reload(const char *params);
/* system(3); the exit status, or -1. */
int bench_system(const char *cmd);
/* SECCOMP_PIN_IOC_INFO; 0 or -1. */
struct seccomp_pin_info;
int bench_info(struct seccomp_pin_info *info);

/* Order statistics of v[0..n-1] (v is sorted in place). */
struct bench_stats {
	double min, median, max;
};

struct bench_stats bench_stats(double *v, int n);

/* The @q quantile (0..1, nearest rank) of v[0..n-1] (sorted in place). */
double bench_quantile(double *v, int n, double q);

#endif /* BENCH_H */
