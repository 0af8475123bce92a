// SPDX-License-Identifier: GPL-2.0
/*
 * bench_nopin - what the loaded module costs a task that holds no pin.
 * Syscall loops run in four module states in turn, in the same boot:
 * not loaded; loaded with its defaults and no pin anywhere (the hooks
 * leave the kernel text hook_idle_ms after the load); loaded with
 * keep_hooks=1, i.e. every hook registered, as while pins of every site
 * are live in some other sandbox; the same with direct_hooks=0 (the
 * classic ftrace_ops hooks, for comparison). Each repetition times every
 * loop in each state (rotating the order) and gives the ratios to not
 * loaded.
 * No seccomp filter anywhere.
 *
 * usage: bench_nopin [-r REPS] [-s SECONDS_PER_REP] [-c SECONDS_PER_CHUNK]
 *                    [-w SETTLE_SECONDS] [-m WORKLOAD_BITMASK]
 * Leaves the module loaded. Exit status 0 when every run completed.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <seccomp_pin.h>

#include "bench.h"

#define MAX_REPS 32
#define MAX_CHUNKS 1000 /* per repetition */
#define CHUNK_QUANTILE 0.1
/*
 * A chunk of one or two calls of a slow loop (fork + exec: about 1 ms)
 * is all noise: at least this many calls per chunk.
 */
#define MIN_CHUNK_CALLS 16L
#define FILE_PATH BENCH_DIR "/nopin-file"
#define SOCK_PATH BENCH_DIR "/nopin.sock"

static int devnull, wfd, lfd;
static double target_s = 0.7, chunk_s = 0.002, settle_s = 0.2, toggle_s;
static char page[4096];
static char helper[4096];

static void loop_open(long n)
{
	while (n--)
		close(open(FILE_PATH, O_RDONLY | O_CLOEXEC));
}

static void loop_stat(long n)
{
	struct stat st;

	while (n--)
		stat(FILE_PATH, &st);
}

/* The client connects; the same thread accepts and closes both ends. */
static void loop_connect(long n)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX, .sun_path = SOCK_PATH };

	while (n--) {
		int c = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (connect(c, (struct sockaddr *)&a, sizeof(a)))
			bench_die("connect");
		close(accept4(lfd, NULL, NULL, SOCK_CLOEXEC));
		close(c);
	}
}

static void loop_pwrite(long n)
{
	while (n--)
		if (pwrite(wfd, page, sizeof(page), 0) != sizeof(page))
			bench_die("pwrite");
}

static void loop_exec(long n)
{
	char *argv[] = { helper, NULL }, *envp[] = { NULL };

	while (n--) {
		pid_t pid = fork();
		int status;

		if (!pid) {
			execve(helper, argv, envp);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid ||
		    !WIFEXITED(status) || WEXITSTATUS(status))
			bench_die("fork + exec + wait");
	}
}

static void loop_devnull(long n)
{
	while (n--)
		if (write(devnull, page, 1) != 1)
			bench_die("write /dev/null");
}

static void loop_getppid(long n)
{
	while (n--)
		syscall(SYS_getppid);
}

static struct workload {
	const char *name;
	const char *hooked; /* hooked functions entered per iteration */
	int nr_hooked; /* how many hooked calls per iteration */
	double goal; /* most ratio allowed with hooks registered; 0: none */
	void (*run)(long n);
	long iters; /* calibrated calls per target_s */
	double ns[4][MAX_REPS]; /* [state][rep], per call */
	double calls[4][MAX_REPS]; /* calls made in each repetition */
} loads[] = {
#define LOAD(n, h, k, g, f)                                                 \
	{                                                                   \
		.name = n, .hooked = h, .nr_hooked = k, .goal = g, .run = f \
	}
	LOAD("openat + close", "getname_flags", 1, 1.01, loop_open),
	LOAD("stat", "getname_flags", 1, 1.01, loop_stat),
	LOAD("AF_UNIX socket + connect + accept + close", "move_addr_to_kernel",
	     1, 1.01, loop_connect),
	LOAD("pwrite 4 KiB (tmpfs file, offset 0)", "vfs_write", 1, 1.01,
	     loop_pwrite),
	LOAD("fork + execve (static helper) + wait",
	     "getname_flags, bprm_execve", 2, 1.01, loop_exec),
	LOAD("write 1 B to /dev/null (one hooked call)", "vfs_write", 1, 1.03,
	     loop_devnull),
	LOAD("getppid (reference, nothing hooked)", "none", 0, 0, loop_getppid),
#undef LOAD
};

/* The reference that isolates the cost of one hooked call. */
#define ONE_HOOK (&loads[5])

static void setup(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX, .sun_path = SOCK_PATH };

	mkdir(BENCH_DIR, 0755);
	bench_write_file(FILE_PATH, "x", 1);
	strcpy(helper, bench_sibling("bench_argv"));
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	wfd = open(BENCH_DIR "/nopin-write", O_RDWR | O_CREAT | O_CLOEXEC,
		   0644);
	unlink(SOCK_PATH);
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (devnull < 0 || wfd < 0 || lfd < 0 ||
	    bind(lfd, (struct sockaddr *)&a, sizeof(a)) || listen(lfd, 16))
		bench_die("setup");
	memset(page, 'x', sizeof(page));
}

static double seconds(void (*run)(long), long n)
{
	uint64_t t = bench_now_ns();

	run(n);
	return (bench_now_ns() - t) / 1e9;
}

/*
 * Calls per repetition so that one takes about @target seconds, from the
 * fastest of five short runs (one run may have met a host stall).
 */
static long calibrate(void (*run)(long), double target)
{
	double s, best = 1e9;
	long n = 1;
	int i;

	while (seconds(run, n) < 0.02)
		n *= 2;
	for (i = 0; i < 5; i++) {
		s = seconds(run, n);
		if (s < best)
			best = s;
	}
	return (long)(n * target / best) + 1;
}

/*
 * One repetition: calls for target_s seconds, in chunks of about chunk_s
 * (sized by the calibration), each timed; the repetition's figure is a
 * low quantile of the chunks' ns/call, which discounts chunks during
 * which the host descheduled the vCPU (other VMs and builds share the
 * host's cores).
 */
static double timed(struct workload *w, long *calls)
{
	long chunk = w->iters * chunk_s / target_s + 1;
	uint64_t end = bench_now_ns() + target_s * 1e9;
	double v[MAX_CHUNKS];
	int n = 0;

	if (chunk < MIN_CHUNK_CALLS)
		chunk = MIN_CHUNK_CALLS;
	w->run(chunk); /* warm up */
	while (n < MAX_CHUNKS && (!n || bench_now_ns() < end))
		v[n++] = seconds(w->run, chunk) * 1e9 / chunk;
	*calls = n * chunk;
	return bench_quantile(v, n, CHUNK_QUANTILE);
}

enum module_state {
	NOT_LOADED,
	HOOKS_IDLE,
	HOOKS_REGISTERED,
	HOOKS_CLASSIC,
	NR_STATES
};

static const char *const state_name[NR_STATES] = {
	"not loaded", "loaded, no pins", "loaded, hooks registered",
	"loaded, classic hooks registered"
};

static const char *const state_params[NR_STATES] = {
	NULL, "", "keep_hooks=1", "keep_hooks=1 direct_hooks=0"
};

/*
 * Reach @state and check it through INFO: the figures must describe the
 * state they are labelled with.
 */
static int enter_state(enum module_state state)
{
	struct seccomp_pin_info info;
	int i;

	if (state == NOT_LOADED)
		return bench_module(0);
	if (bench_module_reload(state_params[state]) || bench_info(&info))
		return -1;
	if (state != HOOKS_IDLE)
		return info.registered_sites == info.sites ? 0 : -1;
	/* The defaults: registered at load, gone after hook_idle_ms. */
	for (i = 0; info.registered_sites && i < 1000; i++) {
		usleep(10000);
		if (bench_info(&info))
			return -1;
	}
	return info.registered_sites ? -1 : 0;
}

/* Put the module in @state, let the guest settle, time them all. */
static int measure(enum module_state state, int rep, unsigned long mask)
{
	uint64_t t = bench_now_ns();
	size_t i;

	if (enter_state(state)) {
		printf("diag: cannot reach module state \"%s\"\n",
		       state_name[state]);
		return -1;
	}
	toggle_s += (bench_now_ns() - t) / 1e9;
	usleep(settle_s * 1e6);
	for (i = 0; i < ARRAY_SIZE(loads); i++)
		if (mask & (1ul << i)) {
			long calls;

			loads[i].ns[state][rep] = timed(&loads[i], &calls);
			loads[i].calls[state][rep] = calls;
		}
	return 0;
}

/* Median over the repetitions of @reps values of @x. */
static double median_of(const double *x, int reps)
{
	double v[MAX_REPS];

	memcpy(v, x, sizeof(v[0]) * reps);
	return bench_stats(v, reps).median;
}

/* Ratio of @state to not loaded, per repetition. */
static struct bench_stats ratio_stats(const struct workload *w,
				      enum module_state state, int reps)
{
	double ratio[MAX_REPS];
	int r;

	for (r = 0; r < reps; r++)
		ratio[r] = w->ns[state][r] / w->ns[NOT_LOADED][r];
	return bench_stats(ratio, reps);
}

/* Extra ns of one hooked call in @state: the /dev/null write's. */
static double one_hook_ns(enum module_state state, int reps)
{
	return median_of(ONE_HOOK->ns[state], reps) -
	       median_of(ONE_HOOK->ns[NOT_LOADED], reps);
}

static void report(int reps, unsigned long mask)
{
	double hook_ns = one_hook_ns(HOOKS_REGISTERED, reps);
	size_t i;

	printf("| workload | hooked calls per iteration | calls/rep | not loaded ns/call | loaded, no pins ns/call | ratio min | ratio median | ratio max | hooks registered ns/call | ratio min | ratio median | ratio max | classic hooks ns/call | ratio median | hooked calls x one hook's cost |\n");
	printf("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	for (i = 0; i < ARRAY_SIZE(loads); i++) {
		struct workload *w = &loads[i];
		struct bench_stats idle, reg, classic;
		double u;

		if (!(mask & (1ul << i)))
			continue;
		idle = ratio_stats(w, HOOKS_IDLE, reps);
		reg = ratio_stats(w, HOOKS_REGISTERED, reps);
		classic = ratio_stats(w, HOOKS_CLASSIC, reps);
		u = median_of(w->ns[NOT_LOADED], reps);
		printf("| %s | %d (`%s`) | %.0f | %.0f | %.0f | %.3f | **%.3f** | %.3f | %.0f | %.3f | **%.3f** | %.3f | %.0f | %.3f | %+.2f%% |\n",
		       w->name, w->nr_hooked, w->hooked,
		       median_of(w->calls[NOT_LOADED], reps), u,
		       median_of(w->ns[HOOKS_IDLE], reps), idle.min,
		       idle.median, idle.max,
		       median_of(w->ns[HOOKS_REGISTERED], reps), reg.min,
		       reg.median, reg.max,
		       median_of(w->ns[HOOKS_CLASSIC], reps), classic.median,
		       100.0 * w->nr_hooked * hook_ns / u);
		if (!w->goal)
			continue;
		if (w->goal <= 1.01)
			printf("goal|tasks with no pin at most 1%% slower, %s, module loaded, no pins (hooks unregistered)|median ratio %.3f (%.3f..%.3f)|%s\n",
			       w->name, idle.median, idle.min, idle.max,
			       idle.median <= 1.01 ? "met" : "MISSED");
		printf("goal|tasks with no pin at most %.0f%% slower, %s, hooks registered (pins live elsewhere)|median ratio %.3f (%.3f..%.3f)|%s\n",
		       (w->goal - 1) * 100, w->name, reg.median, reg.min,
		       reg.max, reg.median <= w->goal ? "met" : "MISSED");
	}
	printf("\nns/call: medians over the repetitions; ratio: the state's figure / not\n"
	       "loaded, within each repetition (min, median, max over the\n"
	       "repetitions). The reference rows isolate one hooked call (`/dev/null`,\n"
	       "hooks registered: %+.0f ns per hooked call here, classic hooks %+.0f ns)\n"
	       "and show the noise floor (nothing hooked); the last column is what\n"
	       "that per-call cost predicts for each workload while the hooks are\n"
	       "registered.\n\n",
	       hook_ns, one_hook_ns(HOOKS_CLASSIC, reps));
}

int main(int argc, char **argv)
{
	unsigned long mask = ~0ul;
	int reps = 7, opt, r, k;
	cpu_set_t cpu0;
	size_t i;

	while ((opt = getopt(argc, argv, "r:s:c:w:m:")) != -1) {
		switch (opt) {
		case 'r':
			reps = atoi(optarg);
			break;
		case 's':
			target_s = atof(optarg);
			break;
		case 'c':
			chunk_s = atof(optarg);
			break;
		case 'w':
			settle_s = atof(optarg);
			break;
		case 'm':
			mask = strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr,
				"diag: usage: %s [-r REPS] [-s SECONDS] [-c CHUNK_SECONDS] [-w SETTLE_SECONDS] [-m MASK]\n",
				argv[0]);
			return 2;
		}
	}
	if (reps < 1 || reps > MAX_REPS)
		reps = 7;
	setvbuf(stdout, NULL, _IOLBF, 0);
	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	if (sched_setaffinity(0, sizeof(cpu0), &cpu0))
		bench_die("sched_setaffinity");
	setup();
	for (i = 0; i < ARRAY_SIZE(loads); i++)
		if (mask & (1ul << i))
			loads[i].iters = calibrate(loads[i].run, target_s);
	/* Rotate the order so that drift within a repetition cancels. */
	for (r = 0; r < reps; r++)
		for (k = 0; k < NR_STATES; k++)
			if (measure((r + k) % NR_STATES, r, mask))
				return 1;
	if (bench_module(1)) {
		printf("diag: insmod failed\n");
		return 1;
	}
	printf("### Cost to tasks with no pin: module loaded vs not loaded\n\n");
	printf("%d repetitions; each times every loop for about %.1f s in each of\n"
	       "four states, in a rotating order, after a %.1f s pause: not loaded\n"
	       "(rmmod); loaded with its defaults and no pin anywhere (insmod, then\n"
	       "INFO polled until registered_sites is 0: the hooks left the kernel\n"
	       "text hook_idle_ms after the load); loaded with keep_hooks=1 (every\n"
	       "hook registered, which is what pins of every site live in another\n"
	       "sandbox cause; INFO checked), with the direct-call hooks where the\n"
	       "kernel has them; the same with direct_hooks=0 (the classic\n"
	       "ftrace_ops hooks). One boot, on CPU 0, no seccomp filter.\n"
	       "A loop's run is timed in chunks of about %.0f ms (at least %ld\n"
	       "calls) and its figure is the %.0fth percentile of the chunks'\n"
	       "ns/call, which discounts chunks during which the host (2 cores,\n"
	       "shared with other VMs and builds) descheduled the vCPU.\n\n",
	       reps, target_s, settle_s, chunk_s * 1e3, MIN_CHUNK_CALLS,
	       CHUNK_QUANTILE * 100);
	report(reps, mask);
	printf("diag: %.2f s per repetition's module state changes\n",
	       toggle_s / reps);
	return 0;
}
