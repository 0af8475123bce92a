// SPDX-License-Identifier: GPL-2.0
/*
 * test_lifecycle.c - a pin is single-shot and always freed: after every
 * kind of reply that is not CONTINUE_PINNED, on SIGKILL at each stage,
 * on an interrupted wait, when the listener closes, and across many
 * consecutive pinned syscalls. "Freed" means INFO live_pins is back to
 * its value before the pin and the task's next notification can be
 * pinned (no stale EEXIST).
 */
#include "common.h"

#include <fcntl.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static const struct trap openat_trap[] = { TRAP64(__NR_openat) };

/* A child that opens a shared path (initially file "A") @calls times. */
static struct tracee *spawn_opener(struct fx *f, int calls, struct op_ctx **c,
				   char **path)
{
	const char *a = tpath(f, "A"), *b = tpath(f, "B");

	write_file(a, "A");
	write_file(b, "B");
	*c = shm_alloc(f, sizeof(**c));
	*path = shm_str(f, a, PATH_MAX);
	(*c)->path = *path;
	(*c)->calls = calls;
	return spawn_trapped(f, openat_trap, 1, child_openat, *c);
}

static void pin_path(struct fx *f, struct tracee *t, __u64 id)
{
	assert_ret(pin1(f, t, id, 1, SECCOMP_PIN_CSTRING, PATH_MAX, NULL), 0);
	assert_int_equal(live_pins_now(f->dev), f->live_base + 1);
}

/* After the first reply: pin gone, and the second call pins fine. */
static void assert_freed_then_next_pins(struct fx *f, struct tracee *t)
{
	struct seccomp_notif n;

	assert_int_equal(wait_live_pins(f->dev, f->live_base), f->live_base);
	recv_notif(t, &n);
	pin_path(f, t, n.id);
	continue_pinned(f, t, n.id);
	assert_int_equal(reap_exit(t), 0);
}

static void test_deny_through_send_frees_pin(void **state)
{
	struct fx *f = *state;
	struct seccomp_notif n;
	struct op_ctx *c;
	char *path;
	struct tracee *t = spawn_opener(f, 2, &c, &path);

	recv_notif(t, &n);
	pin_path(f, t, n.id);
	assert_ret(pin_send(f, t, n.id, 0, -EACCES, 0), 0);
	assert_freed_then_next_pins(f, t);
	assert_int_equal(c->err[0], EACCES);
	assert_true(c->ret[1] >= 0);
}

static void test_deny_through_listener_frees_pin(void **state)
{
	struct fx *f = *state;
	struct seccomp_notif n;
	struct op_ctx *c;
	char *path;
	struct tracee *t = spawn_opener(f, 2, &c, &path);

	recv_notif(t, &n);
	pin_path(f, t, n.id);
	reply_errno(t, n.id, EACCES);
	assert_freed_then_next_pins(f, t);
	assert_int_equal(c->err[0], EACCES);
}

static void test_value_reply_frees_pin(void **state)
{
	struct fx *f = *state;
	struct seccomp_notif n;
	struct op_ctx *c;
	char *path;
	struct tracee *t = spawn_opener(f, 2, &c, &path);

	recv_notif(t, &n);
	pin_path(f, t, n.id);
	assert_ret(pin_send(f, t, n.id, 0, 0, 1000), 0);
	assert_freed_then_next_pins(f, t);
	assert_int_equal(c->ret[0], 1000);
}

static void test_plain_continue_through_send_frees_pin(void **state)
{
	struct fx *f = *state;
	struct seccomp_notif n;
	struct op_ctx *c;
	char *path;
	struct tracee *t = spawn_opener(f, 2, &c, &path);

	recv_notif(t, &n);
	pin_path(f, t, n.id);
	strcpy(strrchr(path, '/'), "/B");
	assert_ret(pin_send(f, t, n.id, SECCOMP_USER_NOTIF_FLAG_CONTINUE, 0, 0),
		   0);
	assert_int_equal(wait_live_pins(f->dev, f->live_base), f->live_base);
	recv_notif(t, &n); /* the first open is done: it read B */
	assert_string_equal(c->got, "B");
	pin_path(f, t, n.id);
	continue_pinned(f, t, n.id);
	assert_int_equal(reap_exit(t), 0);
}

static void test_plain_continue_through_listener_frees_pin(void **state)
{
	struct fx *f = *state;
	struct seccomp_notif n;
	struct op_ctx *c;
	char *path;
	struct tracee *t = spawn_opener(f, 2, &c, &path);

	recv_notif(t, &n);
	pin_path(f, t, n.id);
	strcpy(strrchr(path, '/'), "/B");
	reply_continue(t, n.id);
	assert_freed_then_next_pins(f, t);
	assert_true(c->ret[0] >= 0);
}

/* SECCOMP_ADDFD_FLAG_SEND exists (5.14+): an unknown id gives ENOENT, not EINVAL. */
static int addfd_send_supported(int listener)
{
	struct seccomp_notif_addfd add = {
		.id = ~0ULL,
		.flags = SECCOMP_ADDFD_FLAG_SEND,
		.srcfd = 0,
	};

	return ioctl(listener, SECCOMP_IOCTL_NOTIF_ADDFD, &add) < 0 &&
	       errno != EINVAL;
}

static void test_addfd_with_send_frees_pin(void **state)
{
	struct fx *f = *state;
	const char *cfile = tpath(f, "C");
	struct seccomp_notif_addfd add;
	struct seccomp_notif n;
	struct op_ctx *c;
	char *path;
	struct tracee *t = spawn_opener(f, 2, &c, &path);
	int fd;

	write_file(cfile, "C");
	fd = fx_fd(f, open(cfile, O_RDONLY));
	recv_notif(t, &n);
	if (!addfd_send_supported(t->listener)) {
		kill(t->pid, SIGKILL);
		reap(t);
		skip();
	}
	pin_path(f, t, n.id);
	memset(&add, 0, sizeof(add));
	add.id = n.id;
	add.flags = SECCOMP_ADDFD_FLAG_SEND;
	add.srcfd = (__u32)fd;
	assert_true(ioctl(t->listener, SECCOMP_IOCTL_NOTIF_ADDFD, &add) >= 0);
	assert_freed_then_next_pins(f, t);
	assert_true(c->ret[0] >= 0);
}

static void test_sigkill_before_pin_pins_nothing(void **state)
{
	struct fx *f = *state;
	struct seccomp_notif n;
	struct op_ctx *c;
	char *path;
	struct tracee *t = spawn_opener(f, 1, &c, &path);

	recv_notif(t, &n);
	assert_int_equal(kill(t->pid, SIGKILL), 0);
	assert_true(WIFSIGNALED(reap(t)));
	assert_ret(pin1(f, t, n.id, 1, SECCOMP_PIN_CSTRING, PATH_MAX, NULL),
		   -ENOENT);
	assert_int_equal(live_pins_now(f->dev), f->live_base);
}

static void test_sigkill_after_pin_frees_pin(void **state)
{
	struct fx *f = *state;
	struct seccomp_notif n;
	struct op_ctx *c;
	char *path;
	struct tracee *t = spawn_opener(f, 1, &c, &path);

	recv_notif(t, &n);
	pin_path(f, t, n.id);
	assert_int_equal(kill(t->pid, SIGKILL), 0);
	assert_true(WIFSIGNALED(reap(t)));
	assert_int_equal(wait_live_pins(f->dev, f->live_base), f->live_base);
}

/*
 * Armed and consumed, but the syscall blocks afterwards (opening a FIFO
 * with no writer): the pin lives until the thread returns to user
 * mode, which SIGKILL turns into exit.
 */
static void test_sigkill_after_arm_frees_pin(void **state)
{
	struct fx *f = *state;
	const char *fifo = tpath(f, "fifo");
	struct seccomp_notif n;
	struct op_ctx *c;
	char *path;
	struct tracee *t;

	assert_int_equal(mkfifo(fifo, 0600), 0);
	t = spawn_opener(f, 1, &c, &path);
	recv_notif(t, &n);
	strcpy(path, fifo);
	pin_path(f, t, n.id);
	continue_pinned(f, t, n.id);
	usleep(100 * 1000); /* let it reach the FIFO wait */
	assert_int_equal(live_pins_now(f->dev), f->live_base + 1);
	assert_int_equal(c->done, 0);
	assert_int_equal(kill(t->pid, SIGKILL), 0);
	assert_true(WIFSIGNALED(reap(t)));
	assert_int_equal(wait_live_pins(f->dev, f->live_base), f->live_base);
}

/* ---- interrupted wait -------------------------------------------- */

struct sig_ctx {
	struct op_ctx op; /* main openat, results in op.ret[0]/op.got */
	long handler_ret;
	int handler_err;
	char handler_got[16];
};

static struct sig_ctx *sig_ctx_child;

static void read_into(int fd, char *buf, size_t size)
{
	ssize_t n = read(fd, buf, size - 1);

	buf[n > 0 ? n : 0] = '\0';
	close(fd);
}

/* The handler repeats the trapped syscall on the very same pointer. */
static void on_usr1(int sig)
{
	struct sig_ctx *s = sig_ctx_child;
	int fd;

	(void)sig;
	fd = openat(AT_FDCWD, s->op.path, O_RDONLY | O_CLOEXEC);
	s->handler_ret = fd;
	s->handler_err = fd < 0 ? errno : 0;
	if (fd >= 0)
		read_into(fd, s->handler_got, sizeof(s->handler_got));
}

static int child_openat_with_handler(void *arg)
{
	struct sigaction sa;

	sig_ctx_child = arg;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESTART;
	if (sigaction(SIGUSR1, &sa, NULL) < 0)
		return 10;
	return child_openat(&sig_ctx_child->op);
}

static void
test_interrupted_wait_frees_pin_and_handler_sees_user_bytes(void **state)
{
	struct fx *f = *state;
	const char *a = tpath(f, "A"), *b = tpath(f, "B");
	struct sig_ctx *s = shm_alloc(f, sizeof(*s));
	struct seccomp_notif n1, n2, n3;
	struct tracee *t;
	char *path;

	write_file(a, "A");
	write_file(b, "B");
	path = shm_str(f, a, PATH_MAX);
	s->op.path = path;
	t = spawn_trapped(f, openat_trap, 1, child_openat_with_handler, s);

	recv_notif(t, &n1);
	pin_path(f, t, n1.id);
	strcpy(path, b);
	assert_int_equal(kill(t->pid, SIGUSR1), 0);

	recv_notif(t, &n2); /* the handler's own openat */
	assert_int_not_equal(n2.id, n1.id);
	assert_int_equal(n2.data.args[1], (uintptr_t)path);
	assert_int_equal(live_pins_now(f->dev), f->live_base);
	assert_ret(pin1(f, t, n1.id, 1, SECCOMP_PIN_CSTRING, PATH_MAX, NULL),
		   -ENOENT);
	reply_continue(t, n2.id);

	recv_notif(t, &n3); /* the restarted openat */
	assert_int_not_equal(n3.id, n1.id);
	assert_int_not_equal(n3.id, n2.id);
	reply_continue(t, n3.id);
	assert_int_equal(reap_exit(t), 0);
	assert_true(s->handler_ret >= 0);
	assert_string_equal(s->handler_got, "B");
	assert_true(s->op.ret[0] >= 0);
	assert_string_equal(s->op.got, "B");
}

/* ---- listener close, many pins ----------------------------------- */

static void test_listener_close_with_pin_gives_enosys(void **state)
{
	struct fx *f = *state;
	struct seccomp_notif n;
	struct op_ctx *c;
	char *path;
	struct tracee *t = spawn_opener(f, 1, &c, &path);

	recv_notif(t, &n);
	pin_path(f, t, n.id);
	close_listener(t);
	assert_int_equal(reap_exit(t), 0);
	assert_int_equal(c->ret[0], -1);
	assert_int_equal(c->err[0], ENOSYS);
	assert_int_equal(wait_live_pins(f->dev, f->live_base), f->live_base);
}

static void test_many_consecutive_pins_return_to_baseline(void **state)
{
	enum { CALLS = 200 };
	struct fx *f = *state;
	struct seccomp_pin_info before, after;
	struct seccomp_notif n;
	struct op_ctx *c;
	char *path;
	struct tracee *t = spawn_opener(f, CALLS, &c, &path);
	__u64 last = 0;
	int i;

	assert_ret(seccomp_pin_info(f->dev, &before), 0);
	for (i = 0; i < CALLS; i++) {
		recv_notif(t, &n);
		assert_true(i == 0 || n.id != last);
		last = n.id;
		pin_path(f, t, n.id);
		continue_pinned(f, t, n.id);
	}
	assert_int_equal(reap_exit(t), 0);
	for (i = 0; i < CALLS; i++)
		assert_true(c->ret[i] >= 0);
	assert_int_equal(wait_live_pins(f->dev, f->live_base), f->live_base);
	assert_ret(seccomp_pin_info(f->dev, &after), 0);
	assert_int_equal(after.total_pins - before.total_pins, CALLS);
	assert_true(after.total_consumed - before.total_consumed >= CALLS);
	assert_int_equal(after.live_bytes, before.live_bytes);
}

/*
 * CONTINUE|PINNED through the device and a plain CONTINUE through the
 * listener race for the same id: exactly one is delivered, and the
 * syscall uses the snapshot if and only if the pinned reply won.
 */
struct replier {
	struct fx *f;
	struct tracee *t;
	pthread_barrier_t *go;
	__u64 id;
	bool pinned;
	int ret;
};

static void *reply_thread(void *arg)
{
	struct replier *r = arg;

	pthread_barrier_wait(r->go);
	if (r->pinned)
		r->ret = seccomp_pin_continue_pinned(r->f->dev, r->t->listener,
						     r->id);
	else
		r->ret = send_resp(r->t->listener, r->id,
				   SECCOMP_USER_NOTIF_FLAG_CONTINUE, 0, 0);
	return NULL;
}

static void test_racing_replies_use_pin_only_if_pinned_reply_won(void **state)
{
	enum { ROUNDS = 100 };
	struct fx *f = *state;
	struct seccomp_notif n;
	pthread_barrier_t go;
	struct op_ctx *c;
	char *path, *leaf, snap;
	struct tracee *t = spawn_opener(f, ROUNDS, &c, &path);
	int i, k, won[2] = { 0, 0 };

	pthread_barrier_init(&go, NULL, 2);
	leaf = strrchr(path, '/') + 1;
	for (i = 0; i < ROUNDS; i++) {
		struct replier r[2];
		pthread_t th[2];

		recv_notif(t, &n);
		assert_int_equal(live_pins_now(f->dev), f->live_base);
		pin_path(f, t, n.id);
		snap = *leaf;
		*leaf = snap == 'A' ? 'B' : 'A'; /* the racing peer */
		for (k = 0; k < 2; k++) {
			r[k] = (struct replier){ f, t, &go, n.id, k == 0, 0 };
			assert_int_equal(pthread_create(&th[k], NULL,
							reply_thread, &r[k]),
					 0);
		}
		for (k = 0; k < 2; k++)
			pthread_join(th[k], NULL);
		if ((r[0].ret == 0) == (r[1].ret == 0))
			fail_msg("round %d: replies returned %d and %d", i,
				 r[0].ret, r[1].ret);
		for (k = 0; k < 2; k++)
			if (r[k].ret && r[k].ret != -ENOENT &&
			    r[k].ret != -EINPROGRESS)
				fail_msg("round %d: reply %d: %s", i, k,
					 strerror(-r[k].ret));
		won[r[0].ret == 0]++;
		while (c->done <= i)
			usleep(100);
		if (c->first[i] != (r[0].ret == 0 ? snap : *leaf))
			fail_msg("round %d: %s reply won, file %c was opened",
				 i, r[0].ret == 0 ? "pinned" : "plain",
				 c->first[i]);
	}
	pthread_barrier_destroy(&go);
	print_message("pinned reply won %d, plain reply won %d\n", won[1],
		      won[0]);
	assert_int_equal(reap_exit(t), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_deny_through_send_frees_pin),
		T(test_deny_through_listener_frees_pin),
		T(test_value_reply_frees_pin),
		T(test_plain_continue_through_send_frees_pin),
		T(test_plain_continue_through_listener_frees_pin),
		T(test_addfd_with_send_frees_pin),
		T(test_sigkill_before_pin_pins_nothing),
		T(test_sigkill_after_pin_frees_pin),
		T(test_sigkill_after_arm_frees_pin),
		T(test_interrupted_wait_frees_pin_and_handler_sees_user_bytes),
		T(test_listener_close_with_pin_gives_enosys),
		T(test_many_consecutive_pins_return_to_baseline),
		T(test_racing_replies_use_pin_only_if_pinned_reply_won),
	};

	apply_test_filter();
	return cmocka_run_group_tests_name("lifecycle", tests, NULL, NULL);
}
