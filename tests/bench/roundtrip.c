// SPDX-License-Identifier: GPL-2.0
/*
 * bench_roundtrip - the round trip of one trapped openat(2) answered by a
 * supervisor in another process, per way of answering it:
 *   CONTINUE, no read   the bare notification round trip (reference)
 *   the same through SECCOMP_PIN_IOC_SEND (reference: the device's forward)
 *   PIN_ARGS, then plain CONTINUE (reference: a pin taken, never used)
 *   CONTINUE            the path read from /proc/<pid>/mem, checked, CONTINUE
 *   PIN + CONTINUE_PINNED  the path pinned (CSTRING), checked, CONTINUE_PINNED
 *   RECV_PIN + CONTINUE_PINNED  received and pinned in one call (a rule
 *                       for openat set once), checked, CONTINUE_PINNED
 *   ADDFD emulation     the path read from /proc/<pid>/mem, checked, opened
 *                       by the supervisor (openat2 RESOLVE_IN_ROOT below
 *                       /proc/<pid>/root), the fd injected with
 *                       SECCOMP_IOCTL_NOTIF_ADDFD + SECCOMP_ADDFD_FLAG_SEND
 * for a short path at the start of a page, the same path 64 bytes before
 * a page end, and a ~4 KiB path through real nested directories. Target
 * and supervisor share one CPU, so a round trip is two context switches
 * on one vCPU rather than an emulated IPI to a halted one. The modes are
 * interleaved, in a rotating order, in every repetition.
 *
 * usage: bench_roundtrip [-r REPS] [-s SECONDS_PER_BATCH]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libseccomp_pin.h>

#include "bench.h"

#define MAX_REPS 32
#define PAGE 4096
#define PATH_BYTES 4096
#define CHUNK_S 0.005 /* seconds per timed chunk */
#define MAX_CHUNKS 1000
#define CHUNK_QUANTILE 0.1

enum mode {
	BARE,
	DEV_SEND,
	PIN_ONLY,
	CONTINUE,
	PINNED,
	ADDFD,
	FUSED,
	NR_MODES
};

static const char *const mode_names[NR_MODES] = {
	"CONTINUE, no read (reference)",
	"CONTINUE through SECCOMP_PIN_IOC_SEND, no read (reference)",
	"PIN_ARGS, then plain CONTINUE (pin discarded; reference)",
	"CONTINUE (path from /proc/pid/mem)",
	"PIN_ARGS + CONTINUE_PINNED",
	"ADDFD emulation (supervisor opens)",
	"RECV_PIN + CONTINUE_PINNED (fused receive and pin)",
};

enum { SHORT_START, SHORT_END, LONG, NR_PATHS };

static const char *const path_names[NR_PATHS] = {
	"short path at a page start",
	"short path 64 B before a page end",
	"long path",
};

/* The paths, at the same addresses in the target and the supervisor. */
static char area[NR_PATHS][2 * PAGE] __attribute__((aligned(PAGE)));
static char *paths[NR_PATHS];
static int long_dirs; /* directories below BENCH_DIR/long */

struct shared {
	atomic_int mode; /* how the supervisor answers the next call */
	int reps;
	double batch_s;
	long iters[NR_PATHS];
	double us[NR_PATHS][NR_MODES][MAX_REPS]; /* per openat + close */
};

static struct shared *sh;

/* The long one: ~4000 bytes, nested 255-byte directories. */
static void make_paths(void)
{
	char *p = paths[LONG] = area[LONG];
	size_t len, n;

	paths[SHORT_START] = area[SHORT_START];
	paths[SHORT_END] = area[SHORT_END] + PAGE - 64;
	strcpy(paths[SHORT_START], BENCH_DIR "/f");
	strcpy(paths[SHORT_END], BENCH_DIR "/f");
	mkdir(BENCH_DIR, 0755);
	bench_write_file(paths[SHORT_START], "x", 1);
	strcpy(p, BENCH_DIR "/long");
	mkdir(p, 0755);
	while ((len = strlen(p)) < 4000 - 3) {
		n = 4000 - 3 - len - 1;
		if (n > 255)
			n = 255;
		p[len] = '/';
		memset(p + len + 1, 'd', n);
		p[len + 1 + n] = '\0';
		if (mkdir(p, 0755) && errno != EEXIST)
			bench_die("mkdir long path");
		long_dirs++;
	}
	strcat(p, "/f");
	bench_write_file(p, "x", 1);
}

/* Microseconds per openat + close, over @n calls. */
static double batch(int path, long n)
{
	uint64_t t = bench_now_ns();
	long i;

	for (i = 0; i < n; i++) {
		int fd = openat(AT_FDCWD, paths[path], O_RDONLY | O_CLOEXEC);

		if (fd < 0)
			bench_die("trapped openat");
		close(fd);
	}
	return (bench_now_ns() - t) / 1e3 / n;
}

/*
 * Calls for batch_s seconds in chunks of about CHUNK_S (@n calls take
 * batch_s by the calibration), each timed; the figure is a low
 * quantile of the chunks' us/call, which discounts chunks during which
 * the host descheduled the vCPU (other VMs and builds share its cores).
 */
static double timed(int path, long n)
{
	long chunk = n * CHUNK_S / sh->batch_s + 1;
	uint64_t end = bench_now_ns() + sh->batch_s * 1e9;
	double v[MAX_CHUNKS];
	int k = 0;

	batch(path, chunk); /* warm up */
	while (k < MAX_CHUNKS && (!k || bench_now_ns() < end))
		v[k++] = batch(path, chunk);
	return bench_quantile(v, k, CHUNK_QUANTILE);
}

/* The trapped target times its own calls. */
static void target(void *arg)
{
	int p, r, k;
	long n;

	(void)arg;
	/* Calls per batch, from the fastest of five short runs. */
	atomic_store(&sh->mode, CONTINUE);
	for (p = 0; p < NR_PATHS; p++) {
		double us, best = 1e9;

		for (n = 1; batch(p, n) * n < 20e3; n *= 2)
			;
		for (k = 0; k < 5; k++) {
			us = batch(p, n);
			if (us < best)
				best = us;
		}
		sh->iters[p] = (long)(sh->batch_s * 1e6 / best) + 1;
	}
	for (r = 0; r < sh->reps; r++)
		for (p = 0; p < NR_PATHS; p++)
			for (k = 0; k < NR_MODES; k++) {
				int m = (r + k) % NR_MODES;

				atomic_store(&sh->mode, m);
				sh->us[p][m][r] = timed(p, sh->iters[p]);
			}
}

/*
 * A careful supervisor's string read: a 256-byte first chunk, then up
 * to each page end, until the NUL. Returns the length or -1.
 */
static long read_path(struct bench_mem *mem, pid_t pid, uint64_t addr,
		      char *buf)
{
	size_t got = 0, chunk;
	ssize_t n;

	while (got < PATH_BYTES) {
		chunk = PAGE - ((addr + got) & (PAGE - 1));
		if (!got && chunk > 256)
			chunk = 256;
		if (chunk > PATH_BYTES - got)
			chunk = PATH_BYTES - got;
		n = bench_mem_read(mem, pid, addr + got, buf + got, chunk);
		if (n <= 0)
			return -1;
		if (memchr(buf + got, '\0', n))
			return got + strlen(buf + got);
		got += n;
	}
	return -1;
}

static int allowed(const char *path)
{
	return !strcmp(path, paths[SHORT_START]) || !strcmp(path, paths[LONG]);
}

static void emulate(int listener, int rootfd, const struct seccomp_notif *req,
		    const char *path)
{
	struct open_how how = { .flags = req->data.args[2],
				.resolve = RESOLVE_IN_ROOT };
	struct seccomp_notif_addfd addfd = {
		.id = req->id,
		.flags = SECCOMP_ADDFD_FLAG_SEND,
		.newfd_flags = req->data.args[2] & O_CLOEXEC,
	};
	int fd = syscall(SYS_openat2, rootfd, path, &how, sizeof(how));

	if (fd < 0) {
		bench_send(listener, req->id, -errno, 0);
		return;
	}
	addfd.srcfd = fd;
	ioctl(listener, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd);
	close(fd);
}

static void answer(int dev, int listener, int rootfd, struct bench_mem *mem,
		   const struct seccomp_notif *req)
{
	static char buf[PATH_BYTES];
	struct seccomp_notif_pin_args pin = {
		.id = req->id,
		.nr_args = 1,
		.buf_size = sizeof(buf),
		.buf = (uintptr_t)buf,
		.args[0] = { .arg_idx = 1, .kind = SECCOMP_PIN_CSTRING,
			     .max_bytes = PATH_BYTES },
	};
	struct seccomp_notif_resp cont = {
		.id = req->id, .flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE,
	};
	int m = atomic_load(&sh->mode);
	uint64_t addr = req->data.args[1];

	if (m == BARE) {
		bench_send(listener, req->id, 0, SECCOMP_USER_NOTIF_FLAG_CONTINUE);
	} else if (m == DEV_SEND) {
		seccomp_pin_send(dev, listener, &cont);
	} else if (m == PINNED || m == PIN_ONLY) {
		if (seccomp_pin_args(dev, listener, &pin) || !allowed(buf))
			bench_send(listener, req->id, -EACCES, 0);
		else if (m == PINNED)
			seccomp_pin_continue_pinned(dev, listener, req->id);
		else
			bench_send(listener, req->id, 0,
				   SECCOMP_USER_NOTIF_FLAG_CONTINUE);
	} else if (read_path(mem, req->pid, addr, buf) < 0 || !allowed(buf)) {
		bench_send(listener, req->id, -EACCES, 0);
	} else if (m == CONTINUE) {
		bench_send(listener, req->id, 0, SECCOMP_USER_NOTIF_FLAG_CONTINUE);
	} else {
		emulate(listener, rootfd, req, buf);
	}
}

/* FUSED: the receive pins what the rule set in supervise() names. */
static void receive_pinned(int dev, int listener)
{
	static char buf[PATH_BYTES];
	struct seccomp_notif_pin_args pin = {
		.buf = (uintptr_t)buf,
		.buf_size = sizeof(buf),
	};
	struct seccomp_notif req;
	const char *path;
	int pin_error, r;

	r = seccomp_pin_recv_pin(dev, listener, 0, &req, &pin, &pin_error);
	if (r < 0)
		return;
	path = r == 1 && !pin.args[0].truncated ?
		       seccomp_pin_snapshot(&pin, 0) :
		       NULL;
	if (path && allowed(path))
		seccomp_pin_continue_pinned(dev, listener, req.id);
	else
		bench_send(listener, req.id, -EACCES, 0);
}

static void supervise(int dev, pid_t pid, int listener)
{
	struct seccomp_pin_rule rule = {
		.nr = __NR_openat,
		.nr_args = 1,
		.args[0] = { .arg_idx = 1, .kind = SECCOMP_PIN_CSTRING,
			     .max_bytes = PATH_BYTES },
	};
	struct bench_mem mem;
	int rootfd, status;
	char root[64];

	snprintf(root, sizeof(root), "/proc/%d/root", pid);
	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		bench_die(root);
	bench_mem_init(&mem);
	if (seccomp_pin_set_rules(dev, &rule, 1))
		bench_die("SECCOMP_PIN_IOC_SET_RULES");
	for (;;) {
		struct seccomp_notif req;

		if (!bench_wait_notif(listener, 50)) {
			if (waitpid(pid, &status, WNOHANG) == pid)
				break;
			continue;
		}
		/* The target set the mode before the call now pending. */
		if (atomic_load(&sh->mode) == FUSED) {
			receive_pinned(dev, listener);
			continue;
		}
		memset(&req, 0, sizeof(req));
		if (!ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req))
			answer(dev, listener, rootfd, &mem, &req);
	}
	bench_mem_close(&mem);
	close(rootfd);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		printf("diag: the target failed (status 0x%x)\n", status);
		exit(1);
	}
}

static void report_goals(int p, double *pin_cont, double *pin_addfd,
			 double *fused_cont, double *fused_addfd)
{
	struct bench_stats c = bench_stats(pin_cont, sh->reps);
	struct bench_stats a = bench_stats(pin_addfd, sh->reps);
	struct bench_stats fc = bench_stats(fused_cont, sh->reps);
	struct bench_stats fa = bench_stats(fused_addfd, sh->reps);

	printf("goal|fused round trip at most 0.85x of RECV + /proc/pid/mem + CONTINUE, %s|median ratio %.3f (%.3f..%.3f)|%s\n",
	       path_names[p], fc.median, fc.min, fc.max,
	       fc.median <= 0.85 ? "met" : "MISSED");
	printf("goal|fused round trip at most 0.85x of ADDFD emulation, %s|median ratio %.3f (%.3f..%.3f)|%s\n",
	       path_names[p], fa.median, fa.min, fa.max,
	       fa.median <= 0.85 ? "met" : "MISSED");

	if (p != LONG)
		printf("goal|pinned round trip within 1.25x of plain CONTINUE, %s|median ratio %.3f (%.3f..%.3f)|%s\n",
		       path_names[p], c.median, c.min, c.max,
		       c.median <= 1.25 ? "met" : "MISSED");
	printf("goal|pinned round trip faster than ADDFD emulation, %s|pinned / ADDFD median %.3f (%.3f..%.3f)|%s\n",
	       path_names[p], a.median, a.min, a.max,
	       a.median < 1 ? "met" : "MISSED");
}

static void report(void)
{
	int p, m, r;

	printf("| path | supervisor | calls/batch (calibrated) | us per openat + close | min | max | ratio to CONTINUE min | median | max |\n");
	printf("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
	for (p = 0; p < NR_PATHS; p++) {
		double ratio[NR_MODES][MAX_REPS], pin_addfd[MAX_REPS];
		double fused_addfd[MAX_REPS];

		for (r = 0; r < sh->reps; r++) {
			pin_addfd[r] = sh->us[p][PINNED][r] / sh->us[p][ADDFD][r];
			fused_addfd[r] =
				sh->us[p][FUSED][r] / sh->us[p][ADDFD][r];
		}
		for (m = 0; m < NR_MODES; m++) {
			double v[MAX_REPS];
			struct bench_stats s, rs;

			for (r = 0; r < sh->reps; r++) {
				v[r] = sh->us[p][m][r];
				ratio[m][r] = v[r] / sh->us[p][CONTINUE][r];
			}
			s = bench_stats(v, sh->reps);
			rs = bench_stats(ratio[m], sh->reps);
			printf("| %s (%zu B) | %s | %ld | **%.1f** | %.1f | %.1f | %.3f | **%.3f** | %.3f |\n",
			       path_names[p], strlen(paths[p]), mode_names[m],
			       sh->iters[p], s.median, s.min, s.max, rs.min,
			       rs.median, rs.max);
		}
		report_goals(p, ratio[PINNED], pin_addfd, ratio[FUSED],
			     fused_addfd);
	}
}

int main(int argc, char **argv)
{
	int opt, dev, listener;
	cpu_set_t cpu0;
	pid_t pid;

	sh = bench_shared(sizeof(*sh));
	sh->reps = 7;
	sh->batch_s = 0.3;
	while ((opt = getopt(argc, argv, "r:s:")) != -1) {
		switch (opt) {
		case 'r':
			sh->reps = atoi(optarg);
			break;
		case 's':
			sh->batch_s = atof(optarg);
			break;
		default:
			fprintf(stderr, "diag: usage: %s [-r REPS] [-s SECONDS]\n",
				argv[0]);
			return 2;
		}
	}
	if (sh->reps < 1 || sh->reps > MAX_REPS)
		sh->reps = 7;
	setvbuf(stdout, NULL, _IOLBF, 0);
	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	if (sched_setaffinity(0, sizeof(cpu0), &cpu0))
		bench_die("sched_setaffinity");
	make_paths();
	dev = seccomp_pin_open();
	if (dev < 0) {
		fprintf(stderr, "diag: %s: %s\n", SECCOMP_PIN_DEVICE,
			strerror(-dev));
		return 2;
	}
	pid = bench_fork_target(__NR_openat, target, NULL, &listener);
	supervise(dev, pid, listener);
	printf("### Round trip of one trapped openat\n\n");
	printf("The supervisor is a separate process (the target's parent); both run on\n"
	       "CPU 0, so a round trip is two context switches on one vCPU, not an\n"
	       "emulated wake-up of a halted one. %d repetitions of about %.1f s per\n"
	       "(path, mode), the modes interleaved in a rotating order. Each batch is\n"
	       "timed in chunks of about %.0f ms; its figure is the %.0fth percentile of\n"
	       "the chunks' us/call. Paths: `%s`, at a page start and 64 bytes before a\n"
	       "page end (what a string read up to the page end costs), and one of %zu\n"
	       "bytes through %d real nested directories below `%s/long`. Times\n"
	       "include the close(2). Plain CONTINUE and ADDFD read the path as a\n"
	       "careful supervisor does: pread(2) on a cached /proc/<pid>/mem fd, 256\n"
	       "bytes first, then up to each page end until the NUL.\n\n",
	       sh->reps, sh->batch_s, CHUNK_S * 1e3, CHUNK_QUANTILE * 100,
	       paths[SHORT_START], strlen(paths[LONG]), long_dirs, BENCH_DIR);
	report();
	printf("\n");
	return 0;
}
