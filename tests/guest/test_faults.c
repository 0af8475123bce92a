// SPDX-License-Identifier: GPL-2.0
/*
 * test_faults.c - fault injection at every point of a pin's life, and
 * module unload under load.
 *
 * Points: before the pin (notification received), after the pin
 * (ATTACHED), right after CONTINUE_PINNED (ARMED, the target waking),
 * and inside the pinned syscall's body (consumed, then blocked: a
 * pinned openat of a FIFO waits for a writer, a pinned write to a full
 * pipe waits for room; the latter sleeps inside the module's own
 * replacement of vfs_write()).
 *
 * Faults: SIGKILL of the target; exit of a sibling thread; exec from a
 * sibling thread (de_thread() kills the trapped thread); death of the
 * supervisor process holding the only listener; close of the listener.
 *
 * After each: the target ends as it must (killed, completed on the
 * pinned bytes, ENOSYS, or replaced by the exec), INFO live_pins and
 * live_bytes are back to the baseline, and a canary tracee's next
 * notification can be pinned and continued on its pin. Counts per
 * point are printed.
 *
 * Module unload: rmmod is refused while a pin exists (attached, and
 * armed with the target asleep inside the module's replacement), the
 * module stays usable; the caps are module parameters (EDQUOT on the
 * module-wide cap after a reload with small caps); and the module is
 * unloaded and loaded SPT_RELOAD_CYCLES times (100 in check-long) while
 * a background process hammers openat/write/connect/execve and a
 * trapped one is continued without pins, with pinned traffic between
 * cycles. The module is always loaded again when a test ends.
 */
#include "hard_common.h"

#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>

#define WBUF 4096 /* bytes of the pinned write */
#define BODY_WAIT_MS 10000

enum point { P_RECEIVED, P_PINNED, P_ARMED, P_IN_BODY, NPOINTS };
enum fault {
	F_SIGKILL,
	F_SIBLING_EXIT,
	F_SIBLING_EXEC,
	F_SUPERVISOR_DEATH,
	F_LISTENER_CLOSE,
	NFAULTS
};
enum op { OP_FIFO_OPEN, OP_PIPE_WRITE, NOPS };

static const char *const point_name[NPOINTS] = { "before pin", "after pin",
						 "after arm",
						 "in syscall body" };
static const char *const fault_name[NFAULTS] = { "SIGKILL", "sibling exit",
						 "exec from sibling",
						 "supervisor death",
						 "listener close" };

static unsigned long injected[NPOINTS][NFAULTS];

/* ---- fixture: the module must be loaded when a test ends ---------- */

static int ft_setup(void **state)
{
	if (!hard_module_loaded() && hard_insmod(NULL))
		return -1;
	return fx_setup(state);
}

static int ft_teardown(void **state)
{
	struct fx *f = *state;

	if (!hard_module_loaded()) {
		print_message(
			"teardown: module not loaded, loading it again\n");
		if (hard_insmod(NULL))
			return -1;
	}
	if (f->dev < 0)
		f->dev = hard_open_dev();
	if (f->dev < 0)
		return -1;
	return fx_teardown(state);
}

/* Reuse the fixture's last tracee slot (it holds MAX_TRACEES). */
static void release_tracee(struct fx *f, struct tracee *t)
{
	if (t->pid > 0) {
		kill(t->pid, SIGKILL);
		waitpid(t->pid, NULL, 0);
		t->pid = 0;
	}
	close_listener(t);
	if (f->nt && t == &f->t[f->nt - 1])
		f->nt--;
}

/* ---- the target: trapped thread T, sibling S, main thread --------- */

enum { CMD_NONE, CMD_EXIT, CMD_EXEC, CMD_FINISH };

struct ft_target {
	enum op op;
	char path[PATH_MAX]; /* openat path (the FIFO, then rewritten) */
	char buf[WBUF]; /* write buffer ('P', then rewritten to 'M') */
	int pipe_w;
	char exe[PATH_MAX]; /* hard_exit0 */
	volatile int cmd;
	volatile pid_t t_tid, s_tid;
	volatile int s_gone;
	volatile int t_done;
	volatile long t_ret;
	volatile int t_err;
};

static void *target_t(void *arg)
{
	struct ft_target *g = arg;
	long ret;

	g->t_tid = (pid_t)syscall(__NR_gettid);
	if (g->op == OP_FIFO_OPEN)
		ret = syscall(__NR_openat, AT_FDCWD, g->path,
			      O_RDONLY | O_CLOEXEC);
	else
		ret = syscall(__NR_write, g->pipe_w, g->buf, WBUF);
	g->t_ret = ret;
	g->t_err = ret < 0 ? errno : 0;
	g->t_done = 1;
	if (g->op == OP_FIFO_OPEN && ret >= 0)
		close((int)ret);
	return NULL;
}

static void *target_s(void *arg)
{
	struct ft_target *g = arg;

	g->s_tid = (pid_t)syscall(__NR_gettid);
	for (;;) {
		switch (g->cmd) {
		case CMD_EXIT:
			/*
			 * The kernel's thread exit, not pthread_exit(): its
			 * unwinder would dlopen libgcc_s (a trapped openat).
			 */
			g->s_gone = 1;
			syscall(__NR_exit, 0);
			break;
		case CMD_EXEC: {
			char *const argv[] = { g->exe, NULL };
			char *const envp[] = { NULL };

			execve(g->exe, argv, envp);
			return NULL; /* T's result then says what went wrong */
		}
		case CMD_FINISH:
			return NULL;
		}
		usleep(500);
	}
}

static int target_main(void *arg)
{
	struct ft_target *g = arg;
	pthread_t t, s;

	if (pthread_create(&s, NULL, target_s, g) ||
	    pthread_create(&t, NULL, target_t, g))
		return 10;
	pthread_join(t, NULL);
	if (!g->s_gone)
		g->cmd = CMD_FINISH;
	pthread_join(s, NULL);
	return 0;
}

/* ---- shared steps --------------------------------------------------- */

struct ft_ctx {
	struct fx *f;
	struct ft_target *g;
	struct tracee *t;
	struct seccomp_notif n;
	char fifo[PATH_MAX];
	int pipe_r, pipe_w;
	pid_t sup; /* forked supervisor, or 0 */
	__u64 consumed0; /* INFO total_consumed before the arm */
	struct seccomp_pin_info base;
	/* canary */
	struct tracee *canary;
	struct canary *cy;
};

struct canary {
	char path[PATH_MAX];
	volatile int seq;
	volatile long ret;
	volatile int err;
};

static int canary_main(void *arg)
{
	struct canary *cy = arg;

	alarm(HARD_CHILD_ALARM_S);
	for (;;) {
		long fd = syscall(__NR_openat, AT_FDCWD, cy->path,
				  O_RDONLY | O_CLOEXEC);

		cy->ret = fd;
		cy->err = fd < 0 ? errno : 0;
		if (fd >= 0)
			close((int)fd);
		cy->seq++;
	}
	return 0;
}

static void canary_start(struct ft_ctx *c)
{
	const struct trap traps[] = { TRAP64(__NR_openat) };
	const char *file = tpath(c->f, "canary");

	write_file(file, "C");
	c->cy = shm_alloc(c->f, sizeof(*c->cy));
	snprintf(c->cy->path, sizeof(c->cy->path), "%s", file);
	c->canary = spawn_trapped(c->f, traps, 1, canary_main, c->cy);
}

/* The next notification of the canary pins and runs on its pin. */
static void canary_check(struct ft_ctx *c, const char *after)
{
	struct seccomp_notif n;
	char saved[PATH_MAX];
	int seq = c->cy->seq;
	long long end;

	recv_notif(c->canary, &n);
	if (pin1(c->f, c->canary, n.id, 1, SECCOMP_PIN_CSTRING, PATH_MAX, NULL))
		fail_msg("after %s: the canary's next pin failed", after);
	snprintf(saved, sizeof(saved), "%s", c->cy->path);
	strcpy(c->cy->path, "/nonexistent/canary");
	continue_pinned(c->f, c->canary, n.id);
	for (end = hard_ms() + NOTIF_TIMEOUT_MS; c->cy->seq == seq;) {
		if (hard_ms() > end)
			fail_msg("after %s: the canary never returned", after);
		usleep(100);
	}
	if (c->cy->ret < 0)
		fail_msg("after %s: the canary's pinned openat failed: %s",
			 after, strerror(c->cy->err));
	strcpy(c->cy->path, saved);
}

/* State letter of a task from /proc/<pid>/task/<tid>/stat. */
static char task_state(pid_t pid, pid_t tid)
{
	char path[64], buf[512], *p;
	int fd, n;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = (int)read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

static __u64 total_consumed(int dev)
{
	struct seccomp_pin_info info;

	assert_ret(hard_info(dev, &info), 0);
	return info.total_consumed;
}

/* T consumed its pin and sleeps in the syscall body (FIFO / pipe wait). */
static void wait_in_body(struct ft_ctx *c)
{
	long long end = hard_ms() + BODY_WAIT_MS;

	while (total_consumed(c->f->dev) == c->consumed0 ||
	       task_state(c->t->pid, c->g->t_tid) != 'S') {
		if (hard_ms() > end)
			fail_msg(
				"target never blocked in the pinned syscall's body (consumed %llu -> %llu, state %c)",
				(unsigned long long)c->consumed0,
				(unsigned long long)total_consumed(c->f->dev),
				task_state(c->t->pid, c->g->t_tid));
		usleep(200);
	}
	usleep(5000);
}

static void fill_pipe(int fd)
{
	char junk[4096];
	int fl = fcntl(fd, F_GETFL);

	memset(junk, 'F', sizeof(junk));
	assert_int_equal(fcntl(fd, F_SETFL, fl | O_NONBLOCK), 0);
	while (write(fd, junk, sizeof(junk)) > 0)
		;
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(fcntl(fd, F_SETFL, fl), 0);
}

static void target_start(struct ft_ctx *c, enum op op)
{
	const struct trap traps[] = { TRAP64(__NR_openat),
				      TRAP64_ARG0(__NR_write, c->pipe_w) };

	c->g = shm_alloc(c->f, sizeof(*c->g));
	c->g->op = op;
	c->g->pipe_w = c->pipe_w;
	snprintf(c->g->path, sizeof(c->g->path), "%s", c->fifo);
	memset(c->g->buf, 'P', WBUF);
	helper_path("hard_exit0", c->g->exe, sizeof(c->g->exe));
	if (op == OP_PIPE_WRITE)
		fill_pipe(c->pipe_w);
	c->t = spawn_trapped(c->f, traps, 2, target_main, c->g);
	recv_notif(c->t, &c->n);
	assert_int_equal(c->n.data.nr,
			 op == OP_FIFO_OPEN ? __NR_openat : __NR_write);
	while (!c->g->s_tid)
		usleep(100);
}

/* Pin T's pointer argument and rewrite the bytes behind it. */
static int do_pin(struct fx *f, int dev, int listener, struct ft_target *g,
		  __u64 id)
{
	struct seccomp_notif_pin_args p;
	int ret;

	pin_init(&p, id, f->buf, SNAP_BUF_SIZE);
	if (g->op == OP_FIFO_OPEN)
		pin_add(&p, 1, SECCOMP_PIN_CSTRING, PATH_MAX);
	else
		pin_add(&p, 1, SECCOMP_PIN_FIXED, WBUF);
	ret = seccomp_pin_args(dev, listener, &p);
	if (ret)
		return ret;
	/* a re-read would now open nothing / write 'M' */
	strcpy(g->path, "/nonexistent/moved");
	memset(g->buf, 'M', WBUF);
	return 0;
}

/* Steps up to @pt through @dev/@listener (the test or a forked sup). */
static int advance(struct ft_ctx *c, int dev, int listener, enum point from,
		   enum point to)
{
	int ret = 0;

	if (from < P_PINNED && to >= P_PINNED)
		ret = do_pin(c->f, dev, listener, c->g, c->n.id);
	if (!ret && from < P_ARMED && to >= P_ARMED)
		ret = seccomp_pin_continue_pinned(dev, listener, c->n.id);
	return ret;
}

/* A supervisor process that takes over the listener up to @pt. */
static void start_supervisor(struct ft_ctx *c, enum point pt)
{
	int rep[2];
	pid_t pid;
	int ret;

	assert_int_equal(pipe2(rep, O_CLOEXEC), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(rep[0]);
		ret = advance(c, c->f->dev, c->t->listener, P_RECEIVED, pt);
		if (write(rep[1], &ret, sizeof(ret)) != sizeof(ret))
			_exit(1);
		for (;;)
			pause();
	}
	close(rep[1]);
	c->sup = pid;
	/* it alone holds the listener now */
	close_listener(c->t);
	assert_int_equal(read(rep[0], &ret, sizeof(ret)), (ssize_t)sizeof(ret));
	close(rep[0]);
	if (ret)
		fail_msg("supervisor process: %s", strerror(-ret));
}

/* Let T's blocked syscall finish: a FIFO writer, or room in the pipe. */
static void unblock_until_done(struct ft_ctx *c, char *drained, size_t *n)
{
	long long end = hard_ms() + BODY_WAIT_MS;
	char chunk[4096];
	ssize_t got;
	int wfd = -1;

	for (;;) {
		if (c->g->op == OP_FIFO_OPEN && wfd < 0)
			wfd = open(c->fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
		if (c->g->op == OP_PIPE_WRITE)
			while ((got = read(c->pipe_r, chunk, sizeof(chunk))) >
			       0)
				if (*n + (size_t)got <= 2 * 65536 + WBUF) {
					memcpy(drained + *n, chunk,
					       (size_t)got);
					*n += (size_t)got;
				}
		if (c->g->t_done)
			break;
		if (hard_ms() > end)
			fail_msg(
				"pinned syscall still blocked after unblocking");
		usleep(200);
	}
	if (c->g->op == OP_PIPE_WRITE)
		while ((got = read(c->pipe_r, chunk, sizeof(chunk))) > 0)
			if (*n + (size_t)got <= 2 * 65536 + WBUF) {
				memcpy(drained + *n, chunk, (size_t)got);
				*n += (size_t)got;
			}
	if (wfd >= 0)
		close(wfd);
}

/* T completed on its pin: the FIFO was opened / 'P' bytes were written. */
static void assert_completed_pinned(struct ft_ctx *c, const char *drained,
				    size_t n)
{
	size_t i;

	if (c->g->t_ret < 0)
		fail_msg("pinned syscall failed: %s", strerror(c->g->t_err));
	if (c->g->op == OP_FIFO_OPEN)
		return;
	assert_int_equal(c->g->t_ret, WBUF);
	assert_true(n >= WBUF);
	for (i = n - WBUF; i < n; i++)
		if (drained[i] != 'P')
			fail_msg(
				"byte %zu of the pinned write is '%c', not the pinned 'P'",
				i - (n - WBUF), drained[i]);
}

/* The read end is non-blocking. */
static void drain_pipe(struct ft_ctx *c)
{
	char chunk[4096];

	while (read(c->pipe_r, chunk, sizeof(chunk)) > 0)
		;
}

static void one_fault(struct ft_ctx *c, enum op op, enum point pt,
		      enum fault ft)
{
	char *drained = malloc(2 * 65536 + WBUF);
	size_t n = 0;
	int status;
	char what[96];

	assert_non_null(drained);
	snprintf(what, sizeof(what), "%s %s (%s)", fault_name[ft],
		 point_name[pt],
		 op == OP_FIFO_OPEN ? "FIFO openat" : "pipe write");
	drain_pipe(c);
	target_start(c, op);
	c->consumed0 = total_consumed(c->f->dev);
	if (ft == F_SUPERVISOR_DEATH) {
		start_supervisor(c, pt);
	} else {
		int ret = advance(c, c->f->dev, c->t->listener, P_RECEIVED, pt);

		if (ret)
			fail_msg("%s: %s", what, strerror(-ret));
	}
	if (pt == P_IN_BODY)
		wait_in_body(c);

	switch (ft) {
	case F_SIGKILL:
		assert_int_equal(kill(c->t->pid, SIGKILL), 0);
		status = reap(c->t);
		if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
			fail_msg("%s: status 0x%x", what, status);
		break;
	case F_SIBLING_EXIT:
		c->g->cmd = CMD_EXIT;
		while (task_state(c->t->pid, c->g->s_tid))
			usleep(200);
		/* T lives on: take it to the end of its pinned syscall */
		status = advance(c, c->f->dev, c->t->listener, pt, P_ARMED);
		if (status)
			fail_msg("%s: pinning after the sibling's exit: %s",
				 what, strerror(-status));
		unblock_until_done(c, drained, &n);
		assert_int_equal(reap_exit(c->t), 0);
		assert_completed_pinned(c, drained, n);
		break;
	case F_SIBLING_EXEC:
		c->g->cmd = CMD_EXEC;
		status = reap(c->t);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			fail_msg("%s: status 0x%x (exec failed: T %s)", what,
				 status, c->g->t_done ? "finished" : "killed");
		if (c->g->t_done)
			fail_msg("%s: the trapped thread survived the exec",
				 what);
		break;
	case F_SUPERVISOR_DEATH:
	case F_LISTENER_CLOSE:
		if (ft == F_SUPERVISOR_DEATH) {
			assert_int_equal(kill(c->sup, SIGKILL), 0);
			assert_int_equal(waitpid(c->sup, NULL, 0), c->sup);
			c->sup = 0;
		} else {
			close_listener(c->t);
		}
		if (pt < P_ARMED) {
			/* no reply was sent: the listener's end says ENOSYS */
			assert_int_equal(reap_exit(c->t), 0);
			if (c->g->t_ret != -1 || c->g->t_err != ENOSYS)
				fail_msg(
					"%s: trapped call returned %ld (%s), want ENOSYS",
					what, c->g->t_ret,
					strerror(c->g->t_err));
		} else {
			unblock_until_done(c, drained, &n);
			assert_int_equal(reap_exit(c->t), 0);
			assert_completed_pinned(c, drained, n);
		}
		break;
	default:
		break;
	}
	hard_assert_counters(c->f->dev, &c->base, what);
	canary_check(c, what);
	injected[pt][ft]++;
	release_tracee(c->f, c->t);
	free(drained);
}

static void run_fault(void **state, enum fault ft)
{
	struct fx *f = *state;
	struct ft_ctx c;
	long rounds = hard_param("SPT_FAULT_ROUNDS", 2);
	int p[2], pt, op;
	size_t mark;
	long r;

	memset(&c, 0, sizeof(c));
	c.f = f;
	hard_alarm((unsigned int)(120 + rounds * 30));
	assert_ret(hard_info(f->dev, &c.base), 0);
	snprintf(c.fifo, sizeof(c.fifo), "%s", tpath(f, "fifo"));
	assert_int_equal(mkfifo(c.fifo, 0600), 0);
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	c.pipe_r = fx_fd(f, p[0]);
	c.pipe_w = fx_fd(f, p[1]);
	assert_int_equal(fcntl(c.pipe_r, F_SETFL, O_NONBLOCK), 0);
	canary_start(&c);
	mark = f->shm_used;
	for (r = 0; r < rounds; r++)
		for (pt = 0; pt < NPOINTS; pt++)
			for (op = 0; op < NOPS; op++) {
				/* the last target is gone: reuse its area */
				f->shm_used = mark;
				one_fault(&c, op, pt, ft);
			}
	print_message(
		"faults: %s injected %lu/%lu/%lu/%lu times (before pin / after pin / after arm / in body)\n",
		fault_name[ft], injected[P_RECEIVED][ft],
		injected[P_PINNED][ft], injected[P_ARMED][ft],
		injected[P_IN_BODY][ft]);
}

static void test_fault_sigkill(void **state)
{
	run_fault(state, F_SIGKILL);
}

static void test_fault_sibling_exit(void **state)
{
	run_fault(state, F_SIBLING_EXIT);
}

static void test_fault_exec_from_sibling(void **state)
{
	run_fault(state, F_SIBLING_EXEC);
}

static void test_fault_supervisor_death(void **state)
{
	run_fault(state, F_SUPERVISOR_DEATH);
}

static void test_fault_listener_close(void **state)
{
	run_fault(state, F_LISTENER_CLOSE);
}

static void test_fault_summary(void **state)
{
	unsigned long total = 0;
	int pt, ft;

	(void)state;
	for (pt = 0; pt < NPOINTS; pt++) {
		unsigned long sum = 0;

		for (ft = 0; ft < NFAULTS; ft++)
			sum += injected[pt][ft];
		print_message(
			"faults at %-16s %4lu (kill %lu, sibling exit %lu, exec %lu, supervisor death %lu, listener close %lu)\n",
			point_name[pt], sum, injected[pt][F_SIGKILL],
			injected[pt][F_SIBLING_EXIT],
			injected[pt][F_SIBLING_EXEC],
			injected[pt][F_SUPERVISOR_DEATH],
			injected[pt][F_LISTENER_CLOSE]);
		total += sum;
	}
	print_message(
		"faults: %lu injected in total, counters at baseline after each\n",
		total);
	assert_true(total > 0);
}

/* ---- hostile target memory ------------------------------------------ */

struct uffd_ctx {
	volatile int ready; /* 1: registered, -errno: no userfaultfd */
	long ret;
	int err;
};

/*
 * The path lies on a page registered for userfaultfd MISSING faults that
 * nobody resolves: a fault on it would wait for this process forever.
 */
static int child_uffd_openat(void *arg)
{
	struct uffd_ctx *u = arg;
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg;
	char *page;
	int uffd;

	uffd = (int)syscall(__NR_userfaultfd, O_CLOEXEC);
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api)) {
		u->ready = -errno;
		return 0;
	}
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(&reg, 0, sizeof(reg));
	reg.range.start = (unsigned long)page;
	reg.range.len = 4096;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	if (page == MAP_FAILED || ioctl(uffd, UFFDIO_REGISTER, &reg)) {
		u->ready = -errno;
		return 0;
	}
	u->ready = 1;
	u->ret = syscall(__NR_openat, AT_FDCWD, page, O_RDONLY | O_CLOEXEC);
	u->err = u->ret < 0 ? errno : 0;
	return 0;
}

/*
 * A target cannot stall the supervisor through userfaultfd: the module
 * reads target memory like access_process_vm() (a remote fault that
 * may not wait), so the pin fails with EFAULT at once.
 */
static void test_userfaultfd_target_page_is_efault(void **state)
{
	struct fx *f = *state;
	const struct trap traps[] = { TRAP64(__NR_openat) };
	struct uffd_ctx *u = shm_alloc(f, sizeof(*u));
	struct seccomp_notif n;
	struct tracee *t;
	long long t0;
	int ret;

	t = spawn_trapped(f, traps, 1, child_uffd_openat, u);
	for (t0 = hard_ms(); !u->ready && hard_ms() - t0 < NOTIF_TIMEOUT_MS;)
		usleep(1000);
	if (u->ready < 0) {
		assert_int_equal(reap_exit(t), 0);
		print_message("no userfaultfd here (%s)\n",
			      strerror(-u->ready));
		skip();
	}
	recv_notif(t, &n);
	assert_int_equal(u->ready, 1);
	t0 = hard_ms();
	ret = pin1(f, t, n.id, 1, SECCOMP_PIN_CSTRING, PATH_MAX, NULL);
	assert_ret(ret, -EFAULT);
	assert_int_equal(live_pins_now(f->dev), f->live_base);
	reply_errno(t, n.id, EPERM);
	assert_int_equal(reap_exit(t), 0);
	assert_int_equal(u->err, EPERM);
	print_message("userfaultfd page: PIN_ARGS EFAULT after %lld ms\n",
		      hard_ms() - t0);
}

/* ---- module unload ------------------------------------------------- */

static void close_dev(struct fx *f)
{
	close(f->dev);
	f->dev = -1;
}

static void reopen_dev(struct fx *f)
{
	f->dev = hard_open_dev();
	if (f->dev < 0)
		fail_msg("cannot open %s: %s", SECCOMP_PIN_DEVICE,
			 strerror(-f->dev));
}

static int module_refcnt(void)
{
	char buf[32];

	if (read_file("/sys/module/seccomp_pin/refcnt", buf, sizeof(buf)) <= 0)
		return -1;
	return atoi(buf);
}

/* The last pin's module reference goes just after its counters. */
static void wait_refcnt_zero(void)
{
	long long end = hard_ms() + LEAK_TIMEOUT_MS;

	while (module_refcnt() != 0) {
		if (hard_ms() > end)
			fail_msg(
				"module refcnt %d with no pin and no open device",
				module_refcnt());
		usleep(1000);
	}
}

static void assert_rmmod_refused(struct fx *f, const char *while_what)
{
	int rc;

	close_dev(f);
	rc = hard_rmmod();
	if (!rc)
		fail_msg("rmmod succeeded while %s", while_what);
	if (!hard_module_loaded())
		fail_msg("module gone after a refused rmmod (%s)", while_what);
	reopen_dev(f);
	print_message("rmmod refused (exit %d) while %s\n", rc, while_what);
}

static void reload(struct fx *f, const char *params)
{
	int rc;

	close_dev(f);
	wait_refcnt_zero();
	rc = hard_rmmod();
	if (rc)
		fail_msg("rmmod failed (exit %d) with no pin left", rc);
	rc = hard_insmod(params);
	if (rc)
		fail_msg("insmod %s failed (exit %d)", params ? params : "",
			 rc);
	reopen_dev(f);
}

static void test_rmmod_refused_while_pins_exist(void **state)
{
	struct fx *f = *state;
	struct ft_ctx c;
	char *drained = malloc(2 * 65536 + WBUF);
	size_t n = 0;
	int p[2];

	assert_non_null(drained);
	if (module_refcnt() != 1)
		skip(); /* someone else holds the module: not ours to judge */
	memset(&c, 0, sizeof(c));
	c.f = f;
	assert_ret(hard_info(f->dev, &c.base), 0);
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	c.pipe_r = fx_fd(f, p[0]);
	c.pipe_w = fx_fd(f, p[1]);
	assert_int_equal(fcntl(c.pipe_r, F_SETFL, O_NONBLOCK), 0);
	snprintf(c.fifo, sizeof(c.fifo), "%s", tpath(f, "fifo"));

	/* attached */
	target_start(&c, OP_PIPE_WRITE);
	assert_ret(advance(&c, f->dev, c.t->listener, P_RECEIVED, P_PINNED), 0);
	assert_rmmod_refused(f, "a pin is attached");
	assert_int_equal(live_pins_now(f->dev), c.base.live_pins + 1);

	/* armed, the target asleep in the module's vfs_write replacement */
	c.consumed0 = total_consumed(f->dev);
	assert_ret(advance(&c, f->dev, c.t->listener, P_PINNED, P_ARMED), 0);
	wait_in_body(&c);
	assert_rmmod_refused(f, "the pinned write sleeps in the module's code");

	unblock_until_done(&c, drained, &n);
	assert_int_equal(reap_exit(c.t), 0);
	assert_completed_pinned(&c, drained, n);
	hard_assert_counters(f->dev, &c.base, "after the pinned write");
	free(drained);

	/* and now it goes, and comes back */
	reload(f, NULL);
	assert_ret(hard_info(f->dev, &c.base), 0);
	assert_int_equal(c.base.live_pins, 0);
}

/* ---- the caps are module parameters -------------------------------- */

static void test_module_cap_is_a_parameter(void **state)
{
	const __u64 mib = SECCOMP_PIN_MAX_ARG_BYTES;
	struct fx *f = *state;
	char *big = shm_alloc(f, mib);
	struct op_ctx *c = shm_alloc(f, sizeof(*c));
	struct op_ctx *c2 = shm_alloc(f, sizeof(*c2));
	struct seccomp_pin_info info;
	struct seccomp_notif a[3], b[2];
	struct tracee *ta, *tb;
	int i;

	if (module_refcnt() != 1)
		skip();
	reload(f, "max_listener_bytes=2097152 max_module_bytes=3145728");
	assert_ret(hard_info(f->dev, &info), 0);
	assert_int_equal(info.max_listener_bytes, 2 * mib);
	assert_int_equal(info.max_module_bytes, 3 * mib);

	memset(big, 'q', mib);
	c->a[0] = fx_fd(f, open("/dev/null", O_WRONLY));
	c->a[1] = (long)big;
	c->a[2] = (long)mib;
	c->calls = 3;
	*c2 = *c;
	c2->calls = 2;
	{
		const struct trap tr[] = { TRAP64_ARG0(__NR_write, c->a[0]) };

		ta = spawn_trapped(f, tr, 1, child_writers, c);
		tb = spawn_trapped(f, tr, 1, child_writers, c2);
	}
	for (i = 0; i < 3; i++)
		recv_notif(ta, &a[i]);
	for (i = 0; i < 2; i++)
		recv_notif(tb, &b[i]);
	assert_ret(pin1(f, ta, a[0].id, 1, SECCOMP_PIN_FIXED, mib, NULL), 0);
	assert_ret(pin1(f, ta, a[1].id, 1, SECCOMP_PIN_FIXED, mib, NULL), 0);
	/* listener A is at its cap */
	assert_ret(pin1(f, ta, a[2].id, 1, SECCOMP_PIN_FIXED, mib, NULL),
		   -EDQUOT);
	assert_ret(pin1(f, tb, b[0].id, 1, SECCOMP_PIN_FIXED, mib, NULL), 0);
	/* B has room, the module has not */
	assert_ret(pin1(f, tb, b[1].id, 1, SECCOMP_PIN_FIXED, mib, NULL),
		   -EDQUOT);
	assert_ret(hard_info(f->dev, &info), 0);
	assert_int_equal(info.live_pins, 3);
	/* releasing one of A's makes room for B */
	reply_errno(ta, a[0].id, EPERM);
	assert_int_equal(wait_live_pins(f->dev, 2), 2);
	assert_ret(pin1(f, tb, b[1].id, 1, SECCOMP_PIN_FIXED, mib, NULL), 0);
	for (i = 1; i < 3; i++)
		reply_errno(ta, a[i].id, EPERM);
	for (i = 0; i < 2; i++)
		reply_errno(tb, b[i].id, EPERM);
	assert_int_equal(reap_exit(ta), 0);
	assert_int_equal(reap_exit(tb), 0);
	assert_int_equal(wait_live_pins(f->dev, 0), 0);
	print_message(
		"module cap: EDQUOT at 3 MiB across two listeners of 2 MiB each\n");

	reload(f, NULL);
	assert_ret(hard_info(f->dev, &info), 0);
	assert_int_equal(info.max_listener_bytes, 16 * mib);
	assert_int_equal(info.max_module_bytes, 256 * mib);
	f->live_base = 0;
}

/* ---- reload under load ---------------------------------------------- */

/* Untrapped: hammers the hooked functions, never pins. */
static int hammer(int dev_to_close, volatile int *stop, const char *dir,
		  const char *exe)
{
	char path[PATH_MAX], buf[64];
	struct sockaddr_un sa;
	socklen_t len;
	int s, fd, n = 0;

	close(dev_to_close);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	snprintf(path, sizeof(path), "%s/hammer", dir);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path + 1, sizeof(sa.sun_path) - 1, "hammer-%d",
		 getpid());
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
			  strlen(sa.sun_path + 1));
	s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&sa, len))
		return 1;
	while (!*stop) {
		fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0 || write(fd, "hammer", 6) != 6)
			return 2;
		close(fd);
		fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (fd < 0 || connect(fd, (struct sockaddr *)&sa, len) ||
		    send(fd, "x", 1, 0) != 1)
			return 3;
		close(fd);
		while (recv(s, buf, sizeof(buf), MSG_DONTWAIT) > 0)
			;
		if (++n % 8 == 0) {
			pid_t pid = fork();
			int st;

			if (pid == 0) {
				char *const argv[] = { (char *)exe, NULL };
				char *const envp[] = { NULL };

				execve(exe, argv, envp);
				_exit(127);
			}
			if (pid < 0 || waitpid(pid, &st, 0) != pid ||
			    !WIFEXITED(st) || WEXITSTATUS(st))
				return 4;
		}
	}
	return 0;
}

static int plain_child(void *arg)
{
	alarm(HARD_CHILD_ALARM_S);
	return child_raw(arg);
}

struct answerer {
	struct tracee *t;
	volatile int stop;
	unsigned long answered;
};

/* Plain CONTINUE through the listener only: never the device. */
static void *answer_plain(void *arg)
{
	struct answerer *a = arg;
	struct seccomp_notif n;

	while (!a->stop) {
		if (!notif_pending(a->t->listener, 50))
			continue;
		memset(&n, 0, sizeof(n));
		if (ioctl(a->t->listener, SECCOMP_IOCTL_NOTIF_RECV, &n))
			continue;
		if (!send_resp(a->t->listener, n.id,
			       SECCOMP_USER_NOTIF_FLAG_CONTINUE, 0, 0))
			a->answered++;
	}
	return NULL;
}

/*
 * One vCPU for everything this test starts (threads, children, insmod):
 * under QEMU's multi-threaded TCG, live kernel text patching (ftrace's
 * int3-based text_poke_bp()) while another vCPU executes the patched
 * function crashes the guest on a stale int3 even with the stock
 * function tracer and no module loaded (6.12: "Oops: int3" in
 * getname_flags.part.0; 6.1: soft lockup there); single-threaded TCG
 * does not. The load still interleaves with the patching on that vCPU.
 */
static void test_reload_cycles_under_load(void **state)
{
	struct fx *f = *state;
	long cycles = hard_param("SPT_RELOAD_CYCLES", 5);
	volatile int *stop = shm_alloc(f, sizeof(int));
	char exe[PATH_MAX];
	struct ft_ctx c;
	struct answerer ans;
	struct op_ctx *plain;
	pthread_t th;
	pid_t ham;
	long i, k, pinned = 0;
	long long start, slowest = 0;
	cpu_set_t saved;
	int st;

	if (module_refcnt() != 1)
		skip();
	assert_true(run_on_cpu0(&saved));
	hard_alarm((unsigned int)(120 + cycles * 10));
	memset(&c, 0, sizeof(c));
	c.f = f;
	helper_path("hard_exit0", exe, sizeof(exe));
	ham = fork();
	assert_true(ham >= 0);
	if (ham == 0)
		_exit(hammer(f->dev, stop, f->dir, exe));

	/* trapped, continued without pins by a listener-only thread */
	plain = shm_alloc(f, sizeof(*plain));
	plain->nr = __NR_openat;
	plain->a[0] = AT_FDCWD;
	plain->a[1] = (long)shm_str(f, "/nonexistent/plain", 0);
	plain->calls = -1;
	{
		const struct trap tr[] = { TRAP64(__NR_openat) };

		memset(&ans, 0, sizeof(ans));
		ans.t = spawn_trapped(f, tr, 1, plain_child, plain);
	}
	assert_int_equal(pthread_create(&th, NULL, answer_plain, &ans), 0);

	/* pinned traffic: the canary */
	canary_start(&c);

	start = hard_ms();
	for (i = 0; i < cycles; i++) {
		long long t0 = hard_ms();

		for (k = 0; k < 3; k++, pinned++)
			canary_check(&c, "a reload");
		reload(f, NULL);
		if (hard_ms() - t0 > slowest)
			slowest = hard_ms() - t0;
	}
	*stop = 1;
	plain->stop = 1;
	canary_check(&c, "the last reload");
	assert_int_equal(reap_exit(ans.t), 0); /* still being answered */
	ans.stop = 1;
	pthread_join(th, NULL);
	assert_int_equal(waitpid(ham, &st, 0), ham);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		fail_msg("the background hammer failed (status 0x%x)", st);
	print_message(
		"reload: %ld unload/load cycles under load in %lld ms (slowest cycle %lld ms), %ld pinned calls between them, %lu plain continues, hammer ok\n",
		cycles, hard_ms() - start, slowest, pinned + 1, ans.answered);
	sched_setaffinity(0, sizeof(saved), &saved);
	f->live_base = 0;
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, ft_setup, ft_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_fault_sigkill),
		T(test_fault_sibling_exit),
		T(test_fault_exec_from_sibling),
		T(test_fault_supervisor_death),
		T(test_fault_listener_close),
		T(test_fault_summary),
		T(test_userfaultfd_target_page_is_efault),
		T(test_rmmod_refused_while_pins_exist),
		T(test_module_cap_is_a_parameter),
		T(test_reload_cycles_under_load),
	};

	setvbuf(stdout, NULL, _IOLBF, 0);
	hard_params_to_env();
	apply_test_filter();
	return cmocka_run_group_tests_name("faults", tests, NULL, NULL);
}
