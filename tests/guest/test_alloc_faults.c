// SPDX-License-Identifier: GPL-2.0
/*
 * test_alloc_faults.c - every allocation of a pin's life made to fail,
 * through the kernel's fault injection (failslab, fail_page_alloc).
 *
 * Kernels built with CONFIG_FAILSLAB (the debug kernel of make
 * check-debug) run it; on others it skips. The task filter limits the
 * failures to one thread for the length of one call: the supervisor
 * around PIN_ARGS, or the trapped thread for its resumed syscall, so
 * nothing else of the test fails. failslab's "space" budget lets the
 * first allocations through and fails the one that crosses it: walking
 * the budget up fails each allocation of the call in turn, until the
 * call needs no more than the budget.
 *
 * Every failure must surface as a documented errno (ENOMEM), never an
 * oops, and leave the module's counters where they were.
 */
#include "hard_common.h"
#include "victim.h"

#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define DEBUGFS "/sys/kernel/debug"
/* Budgets: every 16 bytes up to 1 KiB, then 8 steps per doubling. */
#define BUDGET_FINE 1024
#define BUDGET_MAX (4UL << 20)

static unsigned long injected_total;
static bool have_failslab;

static unsigned long next_budget(unsigned long budget)
{
	if (budget < BUDGET_FINE)
		return budget + 16;
	return budget + budget / 8;
}

static int fi_write(const char *attr, const char *value)
{
	return put_file(attr, value);
}

static long fi_read(const char *attr)
{
	char buf[32];

	if (read_file(attr, buf, sizeof(buf)) <= 0)
		return -1;
	return atol(buf);
}

/* Both injectors: GFP_KERNEL too, quietly (a stack dump is a report). */
static void fi_configure(const char *dir)
{
	char attr[128];

	snprintf(attr, sizeof(attr), DEBUGFS "/%s/task-filter", dir);
	assert_ret(fi_write(attr, "Y"), 0);
	snprintf(attr, sizeof(attr), DEBUGFS "/%s/ignore-gfp-wait", dir);
	assert_ret(fi_write(attr, "N"), 0);
	snprintf(attr, sizeof(attr), DEBUGFS "/%s/probability", dir);
	assert_ret(fi_write(attr, "100"), 0);
	snprintf(attr, sizeof(attr), DEBUGFS "/%s/interval", dir);
	assert_ret(fi_write(attr, "1"), 0);
	snprintf(attr, sizeof(attr), DEBUGFS "/%s/verbose", dir);
	assert_ret(fi_write(attr, "0"), 0);
	snprintf(attr, sizeof(attr), DEBUGFS "/%s/times", dir);
	assert_ret(fi_write(attr, "0"), 0);
}

/* Arm one failure past @budget bytes in each injector. */
static void fi_arm(unsigned long budget)
{
	char v[32];

	snprintf(v, sizeof(v), "%lu", budget);
	fi_write(DEBUGFS "/failslab/space", v);
	fi_write(DEBUGFS "/fail_page_alloc/space", v);
	fi_write(DEBUGFS "/failslab/times", "1");
	fi_write(DEBUGFS "/fail_page_alloc/times", "1");
}

/* Disarm; how many failures were injected since fi_arm(). */
static int fi_disarm(void)
{
	int n = (fi_read(DEBUGFS "/failslab/times") == 0) +
		(fi_read(DEBUGFS "/fail_page_alloc/times") == 0);

	fi_write(DEBUGFS "/failslab/times", "0");
	fi_write(DEBUGFS "/fail_page_alloc/times", "0");
	injected_total += n;
	return n;
}

/*
 * PIN_ARGS made by a thread of its own, which the task filter fails
 * alone: the main thread, which arms and disarms the injectors, never
 * has make-it-fail set (its own writes would be failed too).
 */
enum job_op { JOB_PIN_ARGS, JOB_RECV_PIN, JOB_SET_RULES };

struct pin_job {
	struct fx *f;
	struct tracee *t;
	enum job_op op;
	__u64 id;
	__u8 kind;
	__u32 max;
	pid_t tid;
	int ret;
	int pin_error; /* JOB_RECV_PIN */
	struct seccomp_notif n; /* JOB_RECV_PIN: what was received */
	sem_t ready, go, done, finish;
};

/* The job's call, in the thread that make-it-fail covers. */
static int job_call(struct pin_job *j, struct seccomp_notif_pin_args *p)
{
	struct seccomp_pin_rule rules[3];
	int i;

	switch (j->op) {
	case JOB_RECV_PIN:
		return seccomp_pin_recv_pin(j->f->dev, j->t->listener, 0, &j->n,
					    p, &j->pin_error);
	case JOB_SET_RULES:
		memset(rules, 0, sizeof(rules));
		for (i = 0; i < 3; i++) {
			rules[i].nr = i == 0 ? __NR_openat :
				      i == 1 ? __NR_unlink :
					       __NR_connect;
			rules[i].nr_args = 1;
			rules[i].args[0].arg_idx = i == 1 ? 0 : 1;
			rules[i].args[0].kind = i == 2 ? SECCOMP_PIN_FIXED :
							 SECCOMP_PIN_CSTRING;
			rules[i].args[0].max_bytes = i == 2 ? 128 : 4096;
		}
		return seccomp_pin_set_rules(j->f->dev, rules, 3);
	case JOB_PIN_ARGS:
	default:
		return seccomp_pin_args(j->f->dev, j->t->listener, p);
	}
}

static void *pin_worker(void *arg)
{
	struct pin_job *j = arg;
	struct seccomp_notif_pin_args p;

	memset(&p, 0, sizeof(p));
	p.id = j->id;
	p.nr_args = 1;
	p.buf = (uintptr_t)j->f->buf;
	p.buf_size = SNAP_BUF_SIZE;
	p.args[0].arg_idx = 1;
	p.args[0].kind = j->kind;
	p.args[0].max_bytes = j->max;
	j->tid = (pid_t)syscall(__NR_gettid);
	sem_post(&j->ready);
	sem_wait(&j->go);
	j->ret = job_call(j, &p);
	sem_post(&j->done);
	/* no syscall of its exit while it may still be failed */
	sem_wait(&j->finish);
	return NULL;
}

static int set_make_it_fail(pid_t tid, int on)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/task/%d/make-it-fail", tid);
	return fi_write(path, on ? "1" : "0");
}

/* The trapped thread (its process's only one) fails from now on. */
static int set_target_make_it_fail(pid_t pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/make-it-fail", pid);
	return fi_write(path, "1");
}

static int af_setup(void **state)
{
	struct stat st;

	if (stat(DEBUGFS "/failslab", &st))
		mount("debugfs", DEBUGFS, "debugfs", 0, NULL);
	have_failslab = !stat(DEBUGFS "/failslab", &st) &&
			!stat(DEBUGFS "/fail_page_alloc", &st);
	return fx_setup(state);
}

static void require_failslab(void)
{
	if (have_failslab)
		return;
	print_message(
		"no failslab/fail_page_alloc on this kernel: this suite runs on the debug kernel (make check-debug)\n");
	skip();
}

/* One PIN_ARGS shape: its victim, its request. */
enum shape {
	SH_PATH,
	SH_LONG_PATH,
	SH_WRITE_PAGE,
	SH_WRITE_MIB,
	SH_ARGV,
	NSHAPES
};

static const char *const shape_name[NSHAPES] = { "short path", "3000-byte path",
						 "4 KiB write", "1 MiB write",
						 "argv" };

/* Target memory, allocated once per test. */
struct bufs {
	int devnull; /* the write victims' fd, one for all */
	char *short_path;
	char *long_path;
	char *mib;
};

static void bufs_init(struct fx *f, struct bufs *b)
{
	b->short_path = shm_str(f, "/tests", 0);
	b->devnull = fx_fd(f, open("/dev/null", O_WRONLY));
	b->long_path = shm_alloc(f, 3001);
	memset(b->long_path, 'p', 3000);
	b->long_path[0] = '/';
	b->mib = shm_alloc(f, SECCOMP_PIN_MAX_ARG_BYTES);
	memset(b->mib, 'w', SECCOMP_PIN_MAX_ARG_BYTES);
}

static void victim_of(struct fx *f, const struct bufs *b, enum shape sh,
		      struct victim *v, __u8 *kind, __u32 *max)
{
	long a[6] = { 0 };

	switch (sh) {
	case SH_PATH:
		a[0] = AT_FDCWD;
		a[1] = (long)b->short_path;
		victim_raw(f, v, __NR_openat, a);
		*kind = SECCOMP_PIN_CSTRING;
		*max = 4096;
		return;
	case SH_LONG_PATH:
		a[0] = AT_FDCWD;
		a[1] = (long)b->long_path;
		victim_raw(f, v, __NR_openat, a);
		*kind = SECCOMP_PIN_CSTRING;
		*max = 4096;
		return;
	case SH_WRITE_PAGE:
	case SH_WRITE_MIB:
		a[0] = b->devnull;
		a[1] = (long)b->mib;
		a[2] = sh == SH_WRITE_PAGE ? 4096 : SECCOMP_PIN_MAX_ARG_BYTES;
		victim_raw(f, v, __NR_write, a);
		*kind = SECCOMP_PIN_FIXED;
		*max = (__u32)a[2];
		return;
	case SH_ARGV:
	default:
		victim_execve(f, v);
		*kind = SECCOMP_PIN_CSTRING_ARRAY;
		*max = 65536;
		return;
	}
}

/* @j's call with one allocation past @budget failed; its result. */
static int job_failing(struct pin_job *j, unsigned long budget, int *injected);

/* PIN_ARGS with one allocation past @budget failed; its result. */
static int pin_failing(struct fx *f, struct victim *v, __u8 kind, __u32 max,
		       unsigned long budget, int *injected)
{
	struct pin_job j = { .f = f,
			     .t = v->t,
			     .op = JOB_PIN_ARGS,
			     .id = v->n.id,
			     .kind = kind,
			     .max = max };

	return job_failing(&j, budget, injected);
}

static int job_failing(struct pin_job *jp, unsigned long budget, int *injected)
{
	struct pin_job j = *jp;
	pthread_t th;

	sem_init(&j.ready, 0, 0);
	sem_init(&j.go, 0, 0);
	sem_init(&j.done, 0, 0);
	sem_init(&j.finish, 0, 0);
	assert_int_equal(pthread_create(&th, NULL, pin_worker, &j), 0);
	sem_wait(&j.ready);
	assert_ret(set_make_it_fail(j.tid, 1), 0);
	fi_arm(budget);
	sem_post(&j.go);
	sem_wait(&j.done);
	assert_ret(set_make_it_fail(j.tid, 0), 0);
	*injected = fi_disarm();
	sem_post(&j.finish);
	pthread_join(th, NULL);
	jp->pin_error = j.pin_error;
	jp->n = j.n;
	return j.ret;
}

/*
 * An injected failure does not always fail the call: slab and kvmalloc
 * fall back (a smaller slab order, vmalloc), so a PIN_ARGS that
 * succeeds is fine; one that fails must fail with ENOMEM. The walk ends
 * at the first budget where nothing was failed, i.e. past every
 * allocation of the call. Each budget gets a fresh notification, as a
 * successful pin is only dropped with its reply.
 */
static void test_pin_args_allocation_failures(void **state)
{
	struct fx *f = *state;
	struct bufs b;
	enum shape sh;

	require_failslab();
	hard_alarm(1800);
	bufs_init(f, &b);
	fi_configure("failslab");
	fi_configure("fail_page_alloc");
	for (sh = 0; sh < NSHAPES; sh++) {
		unsigned long budget, failures = 0, absorbed = 0;
		struct seccomp_pin_info base;
		bool clean = false;

		assert_ret(hard_info(f->dev, &base), 0);
		for (budget = 0; budget < BUDGET_MAX && !clean;
		     budget = next_budget(budget)) {
			struct victim v;
			int ret, injected;
			__u8 kind;
			__u32 max;

			victim_of(f, &b, sh, &v, &kind, &max);
			ret = pin_failing(f, &v, kind, max, budget, &injected);
			if (ret && ret != -ENOMEM)
				fail_msg(
					"%s, budget %lu: PIN_ARGS = %d (%s), want ENOMEM",
					shape_name[sh], budget, ret,
					strerror(-ret));
			if (ret && !injected)
				fail_msg(
					"%s, budget %lu: ENOMEM with no failure injected",
					shape_name[sh], budget);
			failures += ret != 0;
			absorbed += !ret && injected;
			clean = !injected;
			/* pinned or not, the reply frees everything */
			victim_deny(f, &v);
			close_listener(v.t);
			f->nt--;
			hard_assert_counters(f->dev, &base,
					     "PIN_ARGS under faults");
		}
		assert_true(clean);
		print_message(
			"%s: %lu PIN_ARGS failed with ENOMEM, %lu injected failures absorbed by a fallback, up to a budget of %lu bytes\n",
			shape_name[sh], failures, absorbed, budget);
		assert_true(failures > 0);
	}
	print_message("injected %lu failures in all\n", injected_total);
}

/* The resumed syscall consumes its pin while its own allocations fail. */
static void test_consumer_allocation_failures(void **state)
{
	struct fx *f = *state;
	struct bufs b;
	enum shape sh;

	require_failslab();
	hard_alarm(1200);
	bufs_init(f, &b);
	fi_configure("failslab");
	fi_configure("fail_page_alloc");
	for (sh = 0; sh < NSHAPES; sh++) {
		unsigned long budget, failures = 0;
		struct seccomp_pin_info base;
		bool done = false;

		assert_ret(hard_info(f->dev, &base), 0);
		for (budget = 0; budget < BUDGET_MAX && !done;
		     budget = next_budget(budget)) {
			struct victim v;
			__u8 kind;
			__u32 max;
			int status;

			victim_of(f, &b, sh, &v, &kind, &max);
			assert_ret(pin1(f, v.t, v.n.id, 1, kind, max, NULL), 0);
			/* the trapped thread is the child's only thread */
			fi_arm(budget);
			assert_ret(set_target_make_it_fail(v.t->pid), 0);
			continue_pinned(f, v.t, v.n.id);
			status = reap(v.t);
			if (fi_disarm())
				failures++;
			else
				done = true;
			/* an errno result is fine; a signal is not */
			if (!WIFEXITED(status))
				fail_msg(
					"%s, budget %lu: target ended with status 0x%x",
					shape_name[sh], budget, status);
			close_listener(v.t);
			f->nt--;
			hard_assert_counters(f->dev, &base,
					     "the consumed pin to be freed");
		}
		assert_true(done);
		print_message(
			"%s: %lu allocation failures in or after the resumed syscall, no oops, counters back\n",
			shape_name[sh], failures);
		assert_true(failures > 0);
	}
	print_message("injected %lu failures in all\n", injected_total);
}

/*
 * SET_RULES and the fused RECV_PIN: a failed rule table is ENOMEM and
 * leaves the old one; a RECV_PIN whose pin fails still hands over the
 * notification (pin_error ENOMEM), which a reply then answers.
 */
static void test_fused_receive_allocation_failures(void **state)
{
	static const struct trap traps[] = { TRAP64(__NR_openat) };
	struct fx *f = *state;
	unsigned long budget, rule_failures = 0, pin_failures = 0;
	struct seccomp_pin_info base;
	struct bufs b;
	bool clean = false;

	require_failslab();
	hard_alarm(1200);
	bufs_init(f, &b);
	fi_configure("failslab");
	fi_configure("fail_page_alloc");
	assert_ret(hard_info(f->dev, &base), 0);
	for (budget = 0; budget < BUDGET_MAX && !clean;
	     budget = next_budget(budget)) {
		struct pin_job j = { .f = f, .op = JOB_SET_RULES };
		int ret, injected;

		ret = job_failing(&j, budget, &injected);
		if (ret && (ret != -ENOMEM || !injected))
			fail_msg("SET_RULES, budget %lu: %d (%s), want ENOMEM",
				 budget, ret, strerror(-ret));
		rule_failures += ret != 0;
		clean = !injected;
	}
	assert_true(clean);
	/* The rules of the last, clean call: openat's path among them. */
	clean = false;
	for (budget = 0; budget < BUDGET_MAX && !clean;
	     budget = next_budget(budget)) {
		struct op_ctx *c = shm_alloc(f, sizeof(*c));
		struct pin_job j = { .f = f, .op = JOB_RECV_PIN };
		int ret, injected;

		c->nr = __NR_openat;
		c->a[0] = AT_FDCWD;
		c->a[1] = (long)b.long_path;
		j.t = spawn_trapped(f, traps, 1, child_raw, c);
		assert_true(notif_pending(j.t->listener, NOTIF_TIMEOUT_MS));
		ret = job_failing(&j, budget, &injected);
		if (ret < 0)
			fail_msg(
				"RECV_PIN, budget %lu: %d (%s): nothing received",
				budget, ret, strerror(-ret));
		if (!ret && (j.pin_error != -ENOMEM || !injected))
			fail_msg(
				"RECV_PIN, budget %lu: not pinned, pin_error %d, want ENOMEM",
				budget, j.pin_error);
		pin_failures += ret == 0;
		clean = !injected;
		/* pinned or not, received: the reply frees everything */
		assert_ret(pin_send(f, j.t, j.n.id, 0, -EPERM, 0), 0);
		assert_int_equal(reap_exit(j.t), 0);
		assert_int_equal(c->err[0], EPERM);
		close_listener(j.t);
		f->nt--;
		hard_assert_counters(f->dev, &base, "RECV_PIN under faults");
	}
	assert_true(clean);
	print_message(
		"SET_RULES failed %lu times with ENOMEM; RECV_PIN received every notification, its pin failing %lu times with ENOMEM\n",
		rule_failures, pin_failures);
	assert_true(rule_failures > 0);
	assert_true(pin_failures > 0);
}

#define PARAMS "/sys/module/seccomp_pin/parameters/"

static __u32 registered_sites(int dev)
{
	struct seccomp_pin_info info;

	assert_ret(hard_info(dev, &info), 0);
	return info.registered_sites;
}

/* Poll INFO until no hook is registered (the idle work removes them). */
static bool wait_unregistered(int dev)
{
	int i;

	for (i = 0; i < 1000 && registered_sites(dev); i++)
		usleep(10 * 1000);
	return registered_sites(dev) == 0;
}

/*
 * A pin whose hook is not registered registers it (on demand, as without
 * keep_hooks): ftrace's allocations for the direct call or the ops fail
 * in turn. Such a PIN_ARGS fails with ENOMEM, not with the EOPNOTSUPP of
 * a function ftrace refuses, and the next one registers the hook. On CPU 0:
 * registering patches kernel text (test_hook_registration.c).
 */
static void test_hook_registration_allocation_failures(void **state)
{
	struct fx *f = *state;
	unsigned long budget, failures = 0;
	struct seccomp_pin_info base;
	cpu_set_t cpus;
	struct bufs b;
	bool clean = false;

	require_failslab();
	hard_alarm(1800);
	assert_true(run_on_cpu0(&cpus));
	bufs_init(f, &b);
	fi_configure("failslab");
	fi_configure("fail_page_alloc");
	assert_ret(put_file(PARAMS "hook_idle_ms", "20"), 0);
	assert_ret(put_file(PARAMS "keep_hooks", "0"), 0);
	assert_true(wait_unregistered(f->dev));
	assert_ret(hard_info(f->dev, &base), 0);
	for (budget = 0; budget < BUDGET_MAX && !clean;
	     budget = next_budget(budget)) {
		struct victim v;
		int ret, injected;
		__u8 kind;
		__u32 max;

		victim_of(f, &b, SH_WRITE_PAGE, &v, &kind, &max);
		ret = pin_failing(f, &v, kind, max, budget, &injected);
		if (ret && (ret != -ENOMEM || !injected))
			fail_msg(
				"hook registration, budget %lu: PIN_ARGS = %d (%s), want ENOMEM",
				budget, ret, strerror(-ret));
		failures += ret != 0;
		clean = !injected;
		victim_deny(f, &v);
		close_listener(v.t);
		f->nt--;
		hard_assert_counters(f->dev, &base, "hook registration");
		assert_true(wait_unregistered(f->dev));
	}
	assert_true(clean);
	/* As the harness loaded the module: every hook registered. */
	assert_ret(put_file(PARAMS "keep_hooks", "1"), 0);
	assert_ret(put_file(PARAMS "hook_idle_ms", "2000"), 0);
	assert_int_equal(registered_sites(f->dev), base.sites);
	assert_int_equal(sched_setaffinity(0, sizeof(cpus), &cpus), 0);
	print_message(
		"hook registration: %lu PIN_ARGS failed with ENOMEM, up to a budget of %lu bytes\n",
		failures, budget);
	assert_true(failures > 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, af_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_pin_args_allocation_failures),
		T(test_consumer_allocation_failures),
		T(test_fused_receive_allocation_failures),
		T(test_hook_registration_allocation_failures),
	};

	hard_params_to_env();
	apply_test_filter();
	return cmocka_run_group_tests_name("alloc_faults", tests, NULL, NULL);
}
