// SPDX-License-Identifier: GPL-2.0
/*
 * test_kernel_safety.c - the defects an adversarial review reproduced
 * (issue #12), each as the attacker would set it up: an unprivileged
 * user supervising its own process. Every test here failed on the
 * module before its fix.
 *
 *  1. exec: a racing sibling makes the kernel's copy of an unpinned
 *     envp hold more or fewer strings than it counted; the module must
 *     never push bytes from outside that copy (heap over-read into the
 *     new program's environment).
 *  2. a failed snapshot allocation (memory cgroup at its limit) is
 *     ENOMEM, not an oops.
 *  3. one user's cheap pins (a 1 MiB cap on "/") must not exhaust the
 *     caps every other user shares; one user at its own cap does not
 *     deny another.
 *  4. FIXED reads no more than the syscall would (a write's count), and
 *     only a caller that may read the task's memory (/proc/PID/mem
 *     rules) may pin.
 *  5. exec runs the pin's task_work in the middle of the syscall
 *     (io_uring cancellation): the module must stay loaded while the
 *     exec still runs in its replacement.
 *  7. a livepatch of a hooked function loads although a pin is held:
 *     the module revokes unarmed pins and steps aside.
 *  9. INFO tells an unprivileged caller only its own figures.
 * 10. snapshot memory carries nothing of another user's snapshot.
 */
#include "hard_common.h"
#include "victim.h"

#include <fcntl.h>
#include <grp.h>
#include <linux/io_uring.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define NOBODY 65534

/* ---- helpers ------------------------------------------------------- */

/*
 * Run as @uid like a plain process of that user: changing uid made the
 * task non-dumpable, which a freshly started process is not. Yama's
 * relational ptrace scope (Debian's default) lets only ancestors read
 * a task's memory; these tests' supervisors are its siblings, so the
 * target names any process as its ptracer, as a sandbox can.
 */
static int become(uid_t uid)
{
	if (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
	    setresuid(uid, uid, uid))
		return -1;
	if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0))
		return -1;
	prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
	return 0;
}

/* Run @fn(@arg) in a child as @uid; its exit code (or 128 + signal). */
static int run_as(uid_t uid, int (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	int status;

	assert_true(pid >= 0);
	if (!pid) {
		alarm(60);
		_exit(become(uid) ? 120 : fn(arg));
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* Set a module parameter: 0 or -errno. */
static int param_write(const char *name, const char *value)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/module/seccomp_pin/parameters/%s",
		 name);
	return put_file(path, value);
}

static int module_refcnt(void)
{
	char buf[32];

	if (read_file("/sys/module/seccomp_pin/refcnt", buf, sizeof(buf)) <= 0)
		return -1;
	return atoi(buf);
}

static void reload(struct fx *f, const char *params)
{
	long long end = hard_ms() + LEAK_TIMEOUT_MS;

	close(f->dev);
	f->dev = -1;
	while (module_refcnt() != 0 && hard_ms() < end)
		usleep(1000);
	if (hard_rmmod())
		fail_msg("rmmod failed with no pin left (refcnt %d)",
			 module_refcnt());
	if (hard_insmod(params))
		fail_msg("insmod %s failed", params ? params : "");
	f->dev = hard_open_dev();
	if (f->dev < 0)
		fail_msg("cannot reopen %s", SECCOMP_PIN_DEVICE);
	f->live_base = live_pins_now(f->dev);
}

static int ks_setup(void **state)
{
	if (!hard_module_loaded() && hard_insmod(NULL))
		return -1;
	return fx_setup(state);
}

/* Tests reload the module with other caps: leave it as it was loaded. */
static int ks_teardown(void **state)
{
	struct fx *f = *state;
	struct seccomp_pin_info info;

	if (!hard_module_loaded() && hard_insmod(NULL))
		return -1;
	if (f->dev < 0)
		f->dev = hard_open_dev();
	if (f->dev < 0)
		return -1;
	if (!hard_info(f->dev, &info) &&
	    (info.max_module_bytes != 256ULL << 20 ||
	     info.max_user_bytes != 64ULL << 20 ||
	     info.max_listener_bytes != 16ULL << 20)) {
		int ret = fx_teardown(state);

		if (hard_rmmod() || hard_insmod(NULL))
			return -1;
		return ret;
	}
	return fx_teardown(state);
}

/* A thread per call, each making syscall(c->nr, c->a[0..5]). */
static void *raw_thread(void *arg)
{
	struct op_ctx *c = arg;

	syscall(c->nr, c->a[0], c->a[1], c->a[2], c->a[3], c->a[4], c->a[5]);
	return NULL;
}

static int child_raw_threads(void *arg)
{
	struct op_ctx *c = arg;
	pthread_t th[CHILD_WRITERS_MAX];
	int i;

	for (i = 0; i < c->calls && i < CHILD_WRITERS_MAX; i++)
		if (pthread_create(&th[i], NULL, raw_thread, c))
			return 10;
	while (i--)
		pthread_join(th[i], NULL);
	return 0;
}

/* ---- 1. exec: unpinned envp copied under a racing writer ----------- */

/*
 * envp is one long string and a short one. A byte near the start of the
 * long one flips between '\0' and 'B': copy_strings() measures the
 * string front to back, then copies it back to front, so that byte is
 * measured first and copied last, and a flip in between leaves the
 * kernel's copy with one NUL more or one less than the strings it
 * counted. (Flipping a NUL at the end gives a window of a few
 * instructions, which a loaded host's vCPUs rarely hit.)
 */
#define LONG_ENV 60000
#define FLIP_AT 16
#define RACE_MS 20000
#define RACE_ROUNDS 400

struct exec_race {
	char prog[PATH_MAX];
	char *argv[2];
	char *envp[3];
	char env[LONG_ENV + 1 + 2];
	int foreign_fd; /* envp_check writes a foreign byte there */
	volatile int stop;
	long ret;
	int err;
};

static void env_reset(struct exec_race *r)
{
	memset(r->env, 'A', sizeof(r->env));
	r->env[FLIP_AT] = 'B'; /* flips between 'B' and '\0' */
	r->env[LONG_ENV] = 0;
	r->env[LONG_ENV + 2] = 0;
	r->envp[0] = r->env;
	r->envp[1] = &r->env[LONG_ENV + 1];
	r->envp[2] = NULL;
}

/* Keep the calling thread on @cpu (when the VM has it). */
static void stay_on_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void *byte_flipper(void *arg)
{
	struct exec_race *r = arg;
	/* volatile: every flip is a store the kernel can see */
	volatile char *flip = &r->env[FLIP_AT];

	/* beside the exec, not taking turns with it on one CPU */
	stay_on_cpu(1);
	while (!r->stop)
		*flip ^= 'B';
	return NULL;
}

static int child_exec_racing_envp(void *arg)
{
	struct exec_race *r = arg;
	pthread_t th;

	if (dup2(r->foreign_fd, ARGV_DUMP_FD) < 0)
		return EXEC_FAILED;
	stay_on_cpu(0);
	if (pthread_create(&th, NULL, byte_flipper, r))
		return EXEC_FAILED;
	r->ret = syscall(__NR_execve, r->prog, r->argv, r->envp);
	r->err = errno;
	return EXEC_FAILED;
}

static void
test_exec_racing_unpinned_envp_pushes_only_target_bytes(void **state)
{
	struct fx *f = *state;
	struct exec_race *r = shm_alloc(f, sizeof(*r));
	const struct trap tr[] = { TRAP64(__NR_execve) };
	unsigned long rounds = 0, clean = 0, refused = 0;
	long long end = hard_ms() + RACE_MS;

	hard_alarm(RACE_MS / 1000 + 60);
	helper_path("envp_check", r->prog, sizeof(r->prog));
	r->argv[0] = r->prog;
	env_reset(r);
	r->foreign_fd = fx_fd(f, dump_memfd());
	assert_true(r->foreign_fd > 0);
	while (rounds < RACE_ROUNDS && hard_ms() < end) {
		struct seccomp_notif n;
		struct tracee *t;
		unsigned char bad = 0;
		int status;

		r->stop = 0;
		t = spawn_trapped(f, tr, 1, child_exec_racing_envp, r);
		recv_notif(t, &n);
		/* argv pinned, envp not: the module keeps the kernel's envp */
		assert_ret(pin1(f, t, n.id, 1, SECCOMP_PIN_CSTRING_ARRAY, 4096,
				NULL),
			   0);
		continue_pinned(f, t, n.id);
		status = reap_exit(t);
		close_listener(t);
		f->nt--;
		rounds++;
		if (status == 5) {
			pread(r->foreign_fd, &bad, 1, 0);
			fail_msg(
				"round %lu: the new program's envp holds byte 0x%02x, which the target never wrote",
				rounds, bad);
		} else if (status == 0) {
			clean++;
		} else if (status == EXEC_FAILED && r->err == EFAULT) {
			refused++;
		} else {
			fail_msg(
				"round %lu: exec ended with status %d, errno %d (%s)",
				rounds, status, r->err, strerror(r->err));
		}
		env_reset(r); /* the flipper leaves its byte either way */
	}
	print_message(
		"exec with a racing envp: %lu rounds, %lu ran with the target's bytes, %lu refused (EFAULT: the kernel's copy lost or gained a NUL)\n",
		rounds, clean, refused);
	/* Without a single lost race the test proved nothing. */
	assert_true(refused > 0);
}

/* ---- 2. snapshot allocation fails: ENOMEM ------------------------- */

#define MEMCG "/tmp/spt-memcg"
#define MEMCG_WALK (64 * 1024)
#define LONG_PATH_LEN 3000

struct alloc_fail {
	int dev, listener;
	__u64 id;
	char *snap; /* pre-faulted, SNAP_BUF_SIZE */
	int ret;
};

/* No cmocka here: also called from a forked child. 0 or -errno. */
static int memcg_write(const char *file, const char *value)
{
	char path[128];

	snprintf(path, sizeof(path), MEMCG "/spt/%s", file);
	return put_file(path, value);
}

/* Fault in stack below the caller, where the next frames will be. */
static __attribute__((noinline)) int prefault_stack(void)
{
	volatile char stack[128 * 1024];
	size_t i;

	for (i = 0; i < sizeof(stack); i += 4096)
		stack[i] = 1;
	return stack[0] - 1;
}

/*
 * In the limited group a page fault (even a page table for code not run
 * yet) waits for memory the group will not get: everything is run once
 * before joining (@dry: an id that does not exist, ENOENT).
 */
static int pin_in_memcg(struct alloc_fail *a, bool dry)
{
	struct seccomp_notif_pin_args p;

	memset(&p, 0, sizeof(p));
	p.id = dry ? ~a->id : a->id;
	p.nr_args = 1;
	p.buf = (uintptr_t)a->snap;
	p.buf_size = 8192;
	p.args[0].arg_idx = 1;
	p.args[0].kind = SECCOMP_PIN_CSTRING;
	p.args[0].max_bytes = 4096;
	a->ret = seccomp_pin_args(a->dev, a->listener, &p);
	if (dry)
		return 0;
	if (!a->ret &&
	    (p.args[0].actual_size != LONG_PATH_LEN + 1 || p.args[0].truncated))
		a->ret = -EBADMSG;
	return 0;
}

/* waitpid() with a deadline; false if @pid still runs. */
static bool wait_child_ms(pid_t pid, int *status, int ms)
{
	long long end = hard_ms() + ms;

	while (waitpid(pid, status, WNOHANG) == 0) {
		if (hard_ms() > end)
			return false;
		usleep(2000);
	}
	return true;
}

static void test_snapshot_allocation_failure_is_enomem(void **state)
{
	struct fx *f = *state;
	struct alloc_fail *a = shm_alloc(f, sizeof(*a));
	char *path = shm_alloc(f, LONG_PATH_LEN + 1);
	unsigned long enomem = 0, ok = 0, stalled = 0;
	struct victim v;
	cpu_set_t cpus;
	long a6[6];
	int limit;

	/*
	 * memcg keeps charges precharged per CPU. A limit write below the
	 * usage drains them, synchronously only on the writer's own CPU (on
	 * others through a work item that may run late); a child pinning on
	 * another CPU could spend that stock and never meet the limit. So
	 * the writer and the child share CPU 0.
	 */
	assert_true(run_on_cpu0(&cpus));
	mkdir(MEMCG, 0755);
	if (mount("cgroup", MEMCG, "cgroup", 0, "memory")) {
		print_message(
			"no cgroup v1 memory controller here (%s): covered by test_alloc_faults on the debug kernel\n",
			strerror(errno));
		rmdir(MEMCG);
		sched_setaffinity(0, sizeof(cpus), &cpus);
		skip();
	}
	mkdir(MEMCG "/spt", 0755);
	/* The allocation fails instead of waiting for an OOM kill. */
	assert_ret(memcg_write("memory.oom_control", "1"), 0);

	memset(path, 'p', LONG_PATH_LEN);
	path[0] = '/';
	a6[0] = AT_FDCWD;
	a6[1] = (long)path;
	a6[2] = O_RDONLY;
	a6[3] = a6[4] = a6[5] = 0;
	victim_raw(f, &v, __NR_openat, a6);
	a->dev = f->dev;
	a->listener = v.t->listener;
	a->id = v.n.id;
	a->snap = f->buf;
	memset(a->snap, 0, SNAP_BUF_SIZE);

	/*
	 * Each limit fails a different allocation of PIN_ARGS, or none;
	 * past MEMCG_WALK the limit is lifted (-1), where it must pin.
	 */
	for (limit = 0;; limit = limit < MEMCG_WALK ? limit + 512 : -1) {
		char value[32];
		pid_t pid;
		int status;

		assert_ret(memcg_write("memory.limit_in_bytes", "-1"), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (!pid) {
			char self[32];

			/* fault in all it will touch before joining */
			memset(a->snap, 0, 8192);
			if (prefault_stack() || pin_in_memcg(a, true))
				_exit(1);
			snprintf(self, sizeof(self), "%d", getpid());
			if (memcg_write("cgroup.procs", self))
				_exit(2);
			kill(getpid(), SIGSTOP);
			_exit(pin_in_memcg(a, false));
		}
		assert_int_equal(waitpid(pid, &status, WUNTRACED), pid);
		assert_true(WIFSTOPPED(status));
		snprintf(value, sizeof(value), "%d", limit);
		if (limit < 0)
			strcpy(value, "-1");
		if (memcg_write("memory.limit_in_bytes", value)) {
			/* below what the group already holds: try higher */
			assert_true(limit >= 0);
			kill(pid, SIGKILL);
			assert_int_equal(waitpid(pid, &status, 0), pid);
			continue;
		}
		a->ret = 1;
		kill(pid, SIGCONT);
		if (!wait_child_ms(pid, &status, 10000)) {
			/* a fault of its own waits for memory: let it go */
			memcg_write("memory.limit_in_bytes", "-1");
			assert_int_equal(waitpid(pid, &status, 0), pid);
			stalled++;
		}
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		if (a->ret == -ENOMEM) {
			enomem++;
		} else if (a->ret == 0) {
			ok++;
			/* pinned: answer nothing, the pin stays; start over */
			break;
		} else {
			fail_msg(
				"PIN_ARGS under a %d-byte memory limit: %d (%s)",
				limit, a->ret, strerror(-a->ret));
		}
		if (limit < 0)
			fail_msg("PIN_ARGS failed with no memory limit: %d",
				 a->ret);
		assert_int_equal(wait_live_pins(f->dev, f->live_base),
				 f->live_base);
	}
	assert_ret(memcg_write("memory.limit_in_bytes", "-1"), 0);
	print_message(
		"PIN_ARGS of a %d-byte path under memory limits from 0 (last %d, -1 = none): %lu ENOMEM, then pinned\n",
		LONG_PATH_LEN, limit, enomem);
	assert_true(enomem > 0);
	assert_int_equal(ok, 1);
	victim_deny(f, &v);
	rmdir(MEMCG "/spt");
	umount(MEMCG);
	rmdir(MEMCG);
	assert_int_equal(sched_setaffinity(0, sizeof(cpus), &cpus), 0);
}

/* ---- 3. quotas: one user's pins do not deny another user ----------- */

struct user_pin {
	int dev, listener;
	__u64 id;
	__u8 kind;
	__u32 max_bytes;
	char snap[8192];
	__u32 actual_size;
	char first;
	int ret;
};

static int pin_as_user(void *arg)
{
	struct user_pin *u = arg;
	struct seccomp_notif_pin_args p;

	memset(&p, 0, sizeof(p));
	p.id = u->id;
	p.nr_args = 1;
	p.buf = (uintptr_t)u->snap;
	p.buf_size = sizeof(u->snap);
	p.args[0].arg_idx = 1;
	p.args[0].kind = u->kind;
	p.args[0].max_bytes = u->max_bytes;
	u->ret = seccomp_pin_args(u->dev, u->listener, &p);
	u->actual_size = p.args[0].actual_size;
	u->first = u->snap[0];
	return 0;
}

/*
 * PIN_ARGS of argument 1 of notification @id on @t's listener, by a
 * supervisor process running as @uid; the result in @u.
 */
static void pin_arg1_as(struct fx *f, uid_t uid, struct tracee *t, __u64 id,
			__u8 kind, __u32 max_bytes, struct user_pin *u)
{
	memset(u, 0, sizeof(*u));
	memset(u->snap, 'x', sizeof(u->snap));
	u->dev = f->dev;
	u->listener = t->listener;
	u->id = id;
	u->kind = kind;
	u->max_bytes = max_bytes;
	assert_int_equal(run_as(uid, pin_as_user, u), 0);
}

/* A trapped openat of a short path, as @uid (dumpable). */
static int child_openat_as(void *arg)
{
	struct op_ctx *c = arg;

	if (c->nr && become((uid_t)c->nr))
		return 121;
	return child_openat(arg);
}

static struct tracee *spawn_openat_as(struct fx *f, uid_t uid, struct op_ctx *c,
				      const char *path)
{
	const struct trap tr[] = { TRAP64(__NR_openat) };

	memset(c, 0, sizeof(*c));
	c->nr = uid;
	c->path = shm_str(f, path, 64);
	c->flags = O_RDONLY;
	return spawn_trapped(f, tr, 1, child_openat_as, c);
}

static void test_cheap_pins_do_not_exhaust_the_module_cap(void **state)
{
	const __u32 mib = SECCOMP_PIN_MAX_ARG_BYTES;
	struct fx *f = *state;
	struct op_ctx *c = shm_alloc(f, sizeof(*c));
	struct op_ctx *cn = shm_alloc(f, sizeof(*cn));
	struct user_pin *u = shm_alloc(f, sizeof(*u));
	struct seccomp_notif n[8], nn;
	struct tracee *t, *tn;
	int i;

	if (module_refcnt() != 1)
		skip();
	/* The review's 16 x 16 pins against 256 MiB, scaled to 4 MiB. */
	reload(f, "max_module_bytes=4194304");
	memset(c, 0, sizeof(*c));
	c->nr = __NR_openat;
	c->a[0] = AT_FDCWD;
	c->a[1] = (long)shm_str(f, "/", 8);
	c->a[2] = O_RDONLY;
	c->calls = 8;
	{
		const struct trap tr[] = { TRAP64(__NR_openat) };

		t = spawn_trapped(f, tr, 1, child_raw_threads, c);
	}
	for (i = 0; i < 8; i++) {
		recv_notif(t, &n[i]);
		assert_ret(pin1(f, t, n[i].id, 1, SECCOMP_PIN_CSTRING, mib,
				NULL),
			   0);
	}
	/* Another user's supervisor, its own target. */
	tn = spawn_openat_as(f, NOBODY, cn, "/tmp");
	recv_notif(tn, &nn);
	pin_arg1_as(f, NOBODY, tn, nn.id, SECCOMP_PIN_CSTRING, 4096, u);
	assert_ret(u->ret, 0);
	assert_int_equal(u->actual_size, 5);
	reply_errno(tn, nn.id, EPERM);
	for (i = 0; i < 8; i++)
		reply_errno(t, n[i].id, EPERM);
	assert_int_equal(reap_exit(t), 0);
	assert_int_equal(reap_exit(tn), 0);
	assert_int_equal(wait_live_pins(f->dev, f->live_base), f->live_base);
}

static void test_user_at_its_cap_does_not_deny_another(void **state)
{
	const __u32 mib = SECCOMP_PIN_MAX_ARG_BYTES;
	struct fx *f = *state;
	char *big = shm_alloc(f, mib);
	struct op_ctx *c = shm_alloc(f, sizeof(*c));
	struct op_ctx *cn = shm_alloc(f, sizeof(*cn));
	struct user_pin *u = shm_alloc(f, sizeof(*u));
	struct seccomp_pin_info info;
	struct seccomp_notif n[3], nn;
	struct tracee *t, *tn;
	int i;

	if (module_refcnt() != 1)
		skip();
	reload(f, "max_user_bytes=2097152");
	assert_ret(hard_info(f->dev, &info), 0);
	assert_int_equal(info.max_user_bytes, 2 * mib);
	memset(big, 'q', mib);
	memset(c, 0, sizeof(*c));
	c->a[0] = fx_fd(f, open("/dev/null", O_WRONLY));
	c->a[1] = (long)big;
	c->a[2] = mib;
	c->calls = 3;
	{
		const struct trap tr[] = { TRAP64_ARG0(__NR_write, c->a[0]) };

		t = spawn_trapped(f, tr, 1, child_writers, c);
	}
	for (i = 0; i < 3; i++)
		recv_notif(t, &n[i]);
	assert_ret(pin1(f, t, n[0].id, 1, SECCOMP_PIN_FIXED, mib, NULL), 0);
	assert_ret(pin1(f, t, n[1].id, 1, SECCOMP_PIN_FIXED, mib, NULL), 0);
	/* root is at its 2 MiB; the module (256 MiB) is not */
	assert_ret(pin1(f, t, n[2].id, 1, SECCOMP_PIN_FIXED, mib, NULL),
		   -EDQUOT);
	tn = spawn_openat_as(f, NOBODY, cn, "/tmp");
	recv_notif(tn, &nn);
	pin_arg1_as(f, NOBODY, tn, nn.id, SECCOMP_PIN_CSTRING, 4096, u);
	assert_ret(u->ret, 0);
	reply_errno(tn, nn.id, EPERM);
	for (i = 0; i < 3; i++)
		reply_errno(t, n[i].id, EPERM);
	assert_int_equal(reap_exit(t), 0);
	assert_int_equal(reap_exit(tn), 0);
	assert_int_equal(wait_live_pins(f->dev, f->live_base), f->live_base);
}

/* ---- 4. reads: no more than the syscall, only with the right ------- */

static void test_fixed_read_stops_at_the_write_count(void **state)
{
	struct fx *f = *state;
	struct seccomp_notif_pin_args p;
	char *buf = shm_alloc(f, 4096);
	long a[6] = { fx_fd(f, open("/dev/null", O_WRONLY)), (long)buf, 1 };
	struct seccomp_pin_info before, held;
	struct victim v;

	memset(buf, 's', 4096); /* a secret beyond the one byte written */
	buf[0] = 'w';
	victim_raw(f, &v, __NR_write, a);
	assert_ret(seccomp_pin_info(f->dev, &before), 0);
	memset(f->buf, 0, 4096);
	assert_ret(pin1(f, v.t, v.n.id, 1, SECCOMP_PIN_FIXED, 4096, &p), 0);
	assert_int_equal(p.args[0].actual_size, 1);
	assert_int_equal(p.args[0].truncated, 0);
	assert_int_equal(((char *)f->buf)[0], 'w');
	assert_int_equal(((char *)f->buf)[1], 0);
	assert_ret(seccomp_pin_info(f->dev, &held), 0);
	assert_int_equal(held.live_bytes - before.live_bytes, 1);
	victim_deny(f, &v);
}

static void test_sockaddr_read_stops_at_addrlen(void **state)
{
	struct fx *f = *state;
	struct seccomp_notif_pin_args p;
	char *addr = shm_alloc(f, 4096);
	long a[6] = { -1, (long)addr, 2 };
	struct victim v;

	memset(addr, 's', 4096);
	addr[0] = 1; /* AF_UNIX */
	addr[1] = 0;
	a[0] = fx_fd(f, socket(AF_UNIX, SOCK_STREAM, 0));
	victim_raw(f, &v, __NR_connect, a);
	assert_ret(pin1(f, v.t, v.n.id, 1, SECCOMP_PIN_FIXED, 110, &p), 0);
	assert_int_equal(p.args[0].actual_size, 2);
	assert_int_equal(p.args[0].truncated, 0);
	victim_deny(f, &v);
}

static void set_ptrace_check(const char *value)
{
	assert_ret(param_write("ptrace_check", value), 0);
}

/* A target as nobody that made itself non-dumpable. */
static int child_openat_undumpable(void *arg)
{
	if (become(NOBODY) || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0))
		return 121;
	return child_openat(arg);
}

static void test_pin_needs_the_right_to_read_the_task(void **state)
{
	struct fx *f = *state;
	struct op_ctx *c = shm_alloc(f, sizeof(*c));
	struct user_pin *u = shm_alloc(f, sizeof(*u));
	const struct trap tr[] = { TRAP64(__NR_openat) };
	struct seccomp_notif n;
	struct tracee *t;

	memset(c, 0, sizeof(*c));
	c->path = shm_str(f, "/tmp", 64);
	c->flags = O_RDONLY;
	t = spawn_trapped(f, tr, 1, child_openat_undumpable, c);
	recv_notif(t, &n);
	/* Same uid, but the target is not dumpable: /proc/PID/mem says no. */
	pin_arg1_as(f, NOBODY, t, n.id, SECCOMP_PIN_CSTRING, 4096, u);
	assert_ret(u->ret, -EACCES);
	assert_int_equal(live_pins_now(f->dev), f->live_base);
	/* With ptrace_check=N the listener is enough. */
	set_ptrace_check("N");
	pin_arg1_as(f, NOBODY, t, n.id, SECCOMP_PIN_CSTRING, 4096, u);
	set_ptrace_check("Y");
	assert_ret(u->ret, 0);
	assert_int_equal(u->first, '/');
	reply_errno(t, n.id, EPERM);
	assert_int_equal(reap_exit(t), 0);
	assert_int_equal(c->err[0], EPERM);
}

/* ---- 5. task_work inside exec: the module stays ------------------- */

struct exec_uring {
	char prog[PATH_MAX];
	char *argv[3];
	char *envp[1];
	char arg1[16];
	int pipe_r;
	volatile int uring_ok;
	int dump_fd;
};

/* One poll on an empty pipe in flight, so exec has io_uring to cancel. */
static int uring_poll_pending(int fd)
{
	struct io_uring_params params;
	struct io_uring_sqe *sqes;
	unsigned int *sq_tail, *sq_array, *sq_mask;
	char *sq;
	int ring;

	memset(&params, 0, sizeof(params));
	ring = (int)syscall(__NR_io_uring_setup, 4, &params);
	if (ring < 0)
		return -1;
	sq = mmap(NULL, params.sq_off.array + params.sq_entries * 4,
		  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring,
		  IORING_OFF_SQ_RING);
	sqes = mmap(NULL, params.sq_entries * sizeof(*sqes),
		    PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring,
		    IORING_OFF_SQES);
	if (sq == MAP_FAILED || sqes == MAP_FAILED)
		return -1;
	sq_tail = (unsigned int *)(sq + params.sq_off.tail);
	sq_mask = (unsigned int *)(sq + params.sq_off.ring_mask);
	sq_array = (unsigned int *)(sq + params.sq_off.array);
	memset(&sqes[0], 0, sizeof(sqes[0]));
	sqes[0].opcode = IORING_OP_POLL_ADD;
	sqes[0].fd = fd;
	sqes[0].poll32_events = POLLIN;
	sq_array[*sq_tail & *sq_mask] = 0;
	__atomic_store_n(sq_tail, *sq_tail + 1, __ATOMIC_RELEASE);
	return syscall(__NR_io_uring_enter, ring, 1, 0, 0, NULL, 0) == 1 ? 0 :
									   -1;
}

static int child_exec_with_uring(void *arg)
{
	struct exec_uring *e = arg;

	if (dup2(e->dump_fd, ARGV_DUMP_FD) < 0)
		return EXEC_FAILED;
	e->uring_ok = !uring_poll_pending(e->pipe_r);
	syscall(__NR_execve, e->prog, e->argv, e->envp);
	return EXEC_FAILED;
}

static void test_module_stays_while_exec_runs_its_replacement(void **state)
{
	struct fx *f = *state;
	struct exec_uring *e = shm_alloc(f, sizeof(*e));
	const struct trap tr[] = { TRAP64(__NR_execve) };
	struct seccomp_pin_info info;
	struct seccomp_notif n;
	struct tracee *t;
	int p[2], status, refcnt, rc;
	struct dump d;

	if (module_refcnt() != 1)
		skip(); /* only our device fd may hold it */
	helper_path("argv_dump", e->prog, sizeof(e->prog));
	strcpy(e->arg1, "pinned");
	e->argv[0] = e->prog;
	e->argv[1] = e->arg1;
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	e->pipe_r = fx_fd(f, p[0]);
	fx_fd(f, p[1]);
	e->dump_fd = fx_fd(f, dump_memfd());
	t = spawn_trapped(f, tr, 1, child_exec_with_uring, e);
	recv_notif(t, &n);
	if (!e->uring_ok)
		skip(); /* no io_uring on this kernel: nothing runs task_work */
	assert_int_equal(ptrace(PTRACE_SEIZE, t->pid, 0, PTRACE_O_TRACEEXEC),
			 0);
	assert_ret(pin1(f, t, n.id, 1, SECCOMP_PIN_CSTRING_ARRAY, 4096, NULL),
		   0);
	continue_pinned(f, t, n.id);
	/* Stopped at PTRACE_EVENT_EXEC: inside bprm_execve, after the
	 * io_uring cancellation ran the pin's task_work. */
	assert_int_equal(waitpid(t->pid, &status, 0), t->pid);
	assert_true(WIFSTOPPED(status) &&
		    status >> 8 == (SIGTRAP | (PTRACE_EVENT_EXEC << 8)));
	close(f->dev);
	f->dev = -1;
	refcnt = module_refcnt();
	rc = refcnt == 0 ? 0 :
			   (int)syscall(__NR_delete_module, "seccomp_pin",
					O_NONBLOCK);
	if (refcnt == 0) {
		/* Unloading now would return the exec into freed text. */
		ptrace(PTRACE_CONT, t->pid, 0, 0);
		fail_msg(
			"module refcnt 0 while an exec runs inside its bprm_execve replacement");
	}
	assert_int_equal(rc, -1);
	assert_true(errno == EWOULDBLOCK || errno == EBUSY);
	assert_true(hard_module_loaded());
	f->dev = hard_open_dev();
	assert_true(f->dev >= 0);
	assert_int_equal(ptrace(PTRACE_CONT, t->pid, 0, 0), 0);
	assert_int_equal(reap_exit(t), 0);
	assert_int_equal(dump_read(e->dump_fd, &d), 0);
	assert_dump(&d, (const char *[]){ e->prog, "pinned", NULL },
		    (const char *[]){ NULL });
	assert_ret(hard_info(f->dev, &info), 0);
	assert_true(hard_wait_counters(f->dev, f->live_base, 0, LEAK_TIMEOUT_MS,
				       &info));
}

/* ---- 7. a livepatch of a hooked function wins --------------------- */

#define LIVEPATCH_KO "/kmod/spt_livepatch.ko"
#define LIVEPATCH_SYS "/sys/kernel/livepatch/spt_livepatch"

/* Disable and unload the test livepatch; 0 once it is gone. */
static int livepatch_remove(void)
{
	long long end = hard_ms() + 30000;
	char buf[8];

	if (!exists(LIVEPATCH_SYS))
		return system("rmmod spt_livepatch 2>/dev/null"), 0;
	write_file(LIVEPATCH_SYS "/enabled", "0");
	/* the transition ends once every task left the patched code */
	while (exists(LIVEPATCH_SYS) &&
	       read_file(LIVEPATCH_SYS "/transition", buf, sizeof(buf)) > 0 &&
	       buf[0] == '1') {
		if (hard_ms() > end)
			return -1;
		usleep(10000);
	}
	return system("rmmod spt_livepatch") ? -1 : 0;
}

/* A trapped connect() on an AF_UNIX socket: FIXED sockaddr at arg 1. */
static void victim_connect(struct fx *f, struct victim *v)
{
	char *addr = shm_alloc(f, 16);
	long a[6] = { fx_fd(f, socket(AF_UNIX, SOCK_STREAM, 0)), (long)addr,
		      4 };

	memcpy(addr, "\1\0/x", 4);
	victim_raw(f, v, __NR_connect, a);
}

static void victim_done(struct fx *f, struct victim *v)
{
	victim_deny(f, v);
	close_listener(v->t);
	f->nt--;
}

/* Is the sockaddr site hooked on a clone the livepatch leaves alone? */
static bool sockaddr_hook_on_clone(void)
{
	return system("grep -q ' move_addr_to_kernel\\.part\\.' /proc/kallsyms") ==
	       0;
}

static void test_livepatch_takes_a_hooked_function(void **state)
{
	struct fx *f = *state;
	struct seccomp_pin_info info;
	struct victim held, v;
	cpu_set_t cpus;
	int rc;

	if (!exists(LIVEPATCH_KO) || !exists("/sys/kernel/livepatch"))
		skip();
	/*
	 * Text patching while another vCPU runs the patched code is unsafe
	 * under QEMU's multi-threaded TCG (test_hook_registration.c): keep
	 * this test and its children on CPU 0.
	 */
	assert_true(run_on_cpu0(&cpus));

	/* An unanswered pin keeps the sockaddr hook (keep_hooks too). */
	victim_connect(f, &held);
	assert_ret(pin1(f, held.t, held.n.id, 1, SECCOMP_PIN_FIXED, 16, NULL),
		   0);
	rc = system("insmod " LIVEPATCH_KO " 2>&1");
	if (rc) {
		victim_done(f, &held);
		sched_setaffinity(0, sizeof(cpus), &cpus);
		fail_msg(
			"the livepatch did not load while a pin was held (insmod exit %d)",
			rc);
	}
	/* The held pin was revoked: the supervisor answers otherwise. */
	assert_ret(seccomp_pin_continue_pinned(f->dev, held.t->listener,
					       held.n.id),
		   -ECANCELED);
	victim_done(f, &held);
	/* Now the function is the livepatch's: no pin of it (5.10 hooks
	 * a clone the patch does not take). */
	victim_connect(f, &v);
	assert_ret(pin1(f, v.t, v.n.id, 1, SECCOMP_PIN_FIXED, 16, NULL),
		   sockaddr_hook_on_clone() ? 0 : -EOPNOTSUPP);
	victim_done(f, &v);
	/* Other sites come back on demand. */
	victim_openat(f, &v);
	assert_ret(pin1(f, v.t, v.n.id, 1, SECCOMP_PIN_CSTRING, 4096, NULL), 0);
	victim_done(f, &v);
	assert_int_equal(livepatch_remove(), 0);
	/* The function back, its pins too. */
	victim_connect(f, &v);
	assert_ret(pin1(f, v.t, v.n.id, 1, SECCOMP_PIN_FIXED, 16, NULL), 0);
	victim_done(f, &v);
	/* Every hook back, as the harness loaded the module. */
	assert_ret(param_write("keep_hooks", "1"), 0);
	assert_ret(hard_info(f->dev, &info), 0);
	assert_int_equal(info.registered_sites, info.sites);
	assert_int_equal(sched_setaffinity(0, sizeof(cpus), &cpus), 0);
}

/* ---- 9. INFO: an unprivileged caller sees its own figures ---------- */

struct info_as {
	int dev;
	struct seccomp_pin_info info;
	int ret;
};

static int info_as_user(void *arg)
{
	struct info_as *ia = arg;

	ia->ret = seccomp_pin_info(ia->dev, &ia->info);
	return 0;
}

static void test_info_shows_other_users_nothing(void **state)
{
	struct fx *f = *state;
	struct info_as *ia = shm_alloc(f, sizeof(*ia));
	struct seccomp_pin_info root, before;
	struct victim v;

	ia->dev = f->dev;
	assert_int_equal(run_as(NOBODY, info_as_user, ia), 0);
	assert_ret(ia->ret, 0);
	before = ia->info;
	/* root pins and consumes: nobody's figures must not move */
	victim_write(f, &v);
	assert_ret(pin1(f, v.t, v.n.id, 1, SECCOMP_PIN_FIXED, 64, NULL), 0);
	assert_ret(seccomp_pin_info(f->dev, &root), 0);
	assert_int_equal(root.figures, SECCOMP_PIN_FIGURES_GLOBAL);
	assert_true(root.live_pins >= 1);
	assert_true(root.live_bytes >= 64);
	assert_int_equal(run_as(NOBODY, info_as_user, ia), 0);
	assert_ret(ia->ret, 0);
	assert_int_equal(ia->info.figures, SECCOMP_PIN_FIGURES_USER);
	assert_int_equal(ia->info.live_pins, 0);
	assert_int_equal(ia->info.live_bytes, 0);
	assert_int_equal(ia->info.total_pins, before.total_pins);
	assert_int_equal(ia->info.total_consumed, before.total_consumed);
	assert_true(ia->info.total_pins < root.total_pins);
	/* what everyone may know: the interface and the caps */
	assert_int_equal(ia->info.sites, root.sites);
	assert_int_equal(ia->info.max_user_bytes, root.max_user_bytes);
	victim_deny(f, &v);
}

static void test_info_counts_a_users_own_pins(void **state)
{
	struct fx *f = *state;
	struct op_ctx *c = shm_alloc(f, sizeof(*c));
	struct user_pin *u = shm_alloc(f, sizeof(*u));
	struct info_as *ia = shm_alloc(f, sizeof(*ia));
	struct seccomp_notif n;
	struct tracee *t;

	t = spawn_openat_as(f, NOBODY, c, "/tmp");
	recv_notif(t, &n);
	pin_arg1_as(f, NOBODY, t, n.id, SECCOMP_PIN_CSTRING, 64, u);
	assert_ret(u->ret, 0);
	ia->dev = f->dev;
	assert_int_equal(run_as(NOBODY, info_as_user, ia), 0);
	assert_int_equal(ia->info.figures, SECCOMP_PIN_FIGURES_USER);
	assert_int_equal(ia->info.live_pins, 1);
	assert_int_equal(ia->info.live_bytes, 5);
	assert_true(ia->info.total_pins >= 1);
	reply_errno(t, n.id, EPERM);
	assert_int_equal(reap_exit(t), 0);
	assert_int_equal(wait_live_pins(f->dev, f->live_base), f->live_base);
}

/* ---- 10. snapshot memory is never another user's ------------------- */

static void test_snapshot_holds_no_earlier_snapshot_bytes(void **state)
{
	struct fx *f = *state;
	char *secret = shm_alloc(f, 4096);
	long a[6] = { fx_fd(f, open("/dev/null", O_WRONLY)), (long)secret,
		      4096 };
	struct op_ctx *c = shm_alloc(f, sizeof(*c));
	struct user_pin *u = shm_alloc(f, sizeof(*u));
	char path[4000];
	struct seccomp_notif n;
	struct tracee *t;
	struct victim v;
	int round;

	/* Page-sized snapshots, freed, then a shorter one of another user. */
	memset(secret, 'S', 4096);
	for (round = 0; round < 16; round++) {
		victim_raw(f, &v, __NR_write, a);
		assert_ret(pin1(f, v.t, v.n.id, 1, SECCOMP_PIN_FIXED, 4096,
				NULL),
			   0);
		victim_deny(f, &v);
		close_listener(v.t);
		f->nt--;
		assert_int_equal(wait_live_pins(f->dev, f->live_base),
				 f->live_base);
	}
	memset(path, 'p', sizeof(path));
	path[0] = '/';
	path[3000] = 0;
	/* a 3000-byte path: read in a 4 KiB buffer, kept exactly */
	t = spawn_openat_as(f, NOBODY, c, path);
	recv_notif(t, &n);
	pin_arg1_as(f, NOBODY, t, n.id, SECCOMP_PIN_CSTRING, 4096, u);
	assert_ret(u->ret, 0);
	assert_int_equal(u->actual_size, 3001);
	assert_memory_equal(u->snap, path, 3001);
	/* nothing past the snapshot was written to the buffer */
	assert_int_equal(u->snap[3001], 'x');
	assert_null(memchr(u->snap, 'S', sizeof(u->snap)));
	reply_errno(t, n.id, EPERM);
	assert_int_equal(reap_exit(t), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, ks_setup, ks_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_exec_racing_unpinned_envp_pushes_only_target_bytes),
		T(test_snapshot_allocation_failure_is_enomem),
		T(test_cheap_pins_do_not_exhaust_the_module_cap),
		T(test_user_at_its_cap_does_not_deny_another),
		T(test_fixed_read_stops_at_the_write_count),
		T(test_sockaddr_read_stops_at_addrlen),
		T(test_pin_needs_the_right_to_read_the_task),
		T(test_module_stays_while_exec_runs_its_replacement),
		T(test_livepatch_takes_a_hooked_function),
		T(test_info_shows_other_users_nothing),
		T(test_info_counts_a_users_own_pins),
		T(test_snapshot_holds_no_earlier_snapshot_bytes),
	};

	hard_params_to_env();
	apply_test_filter();
	return cmocka_run_group_tests_name("kernel_safety", tests, NULL, NULL);
}
