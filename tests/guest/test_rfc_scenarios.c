// SPDX-License-Identifier: GPL-2.0
/*
 * test_rfc_scenarios.c - every scenario of the upstream RFC selftest,
 * against /dev/seccomp_pin: the supervisor pins a pointer argument of a
 * trapped child, rewrites the bytes behind it through MAP_SHARED (the
 * racing peer), and checks which bytes the resumed syscall used.
 */
#include "common.h"

#include <fcntl.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>

/* A child about to bind() an AF_UNIX datagram socket to @path. */
static struct tracee *spawn_binder(struct fx *f, const char *path,
				   struct sockaddr_un **sa, struct op_ctx **c)
{
	static const struct trap traps[] = { TRAP64(__NR_bind) };

	*sa = shm_alloc(f, sizeof(**sa));
	set_sun(*sa, path);
	*c = shm_alloc(f, sizeof(**c));
	(*c)->addr = *sa;
	(*c)->addrlen = sizeof(**sa);
	return spawn_trapped(f, traps, 1, child_bind, *c);
}

static void recv_nr(struct tracee *t, struct seccomp_notif *n, int nr)
{
	recv_notif(t, n);
	assert_int_equal(n->data.nr, nr);
	assert_int_equal(n->pid, t->pid);
}

static void pin_sockaddr(struct fx *f, struct tracee *t, __u64 id,
			 const char *want_path)
{
	struct seccomp_notif_pin_args p;
	const struct sockaddr_un *snap;

	assert_ret(pin1(f, t, id, 1, SECCOMP_PIN_FIXED,
			sizeof(struct sockaddr_un), &p),
		   0);
	assert_int_equal(p.args[0].actual_size, sizeof(struct sockaddr_un));
	assert_int_equal(p.args[0].truncated, 0);
	snap = seccomp_pin_snapshot(&p, 0);
	assert_non_null(snap);
	assert_int_equal(snap->sun_family, AF_UNIX);
	assert_string_equal(snap->sun_path, want_path);
}

static void test_bind_pinned_sockaddr_wins_over_mutation(void **state)
{
	struct fx *f = *state;
	const char *a = tpath(f, "A.sock"), *b = tpath(f, "B.sock");
	struct seccomp_notif n;
	struct sockaddr_un *sa;
	struct op_ctx *c;
	struct tracee *t = spawn_binder(f, a, &sa, &c);

	recv_nr(t, &n, __NR_bind);
	pin_sockaddr(f, t, n.id, a);
	strcpy(sa->sun_path, b); /* the racing peer */
	continue_pinned(f, t, n.id);
	assert_int_equal(reap_exit(t), 0);
	assert_int_equal(c->ret[0], 0);
	assert_true(exists(a));
	assert_false(exists(b));
}

static void test_bind_plain_continue_uses_mutated_sockaddr(void **state)
{
	struct fx *f = *state;
	const char *a = tpath(f, "A.sock"), *b = tpath(f, "B.sock");
	struct seccomp_notif n;
	struct sockaddr_un *sa;
	struct op_ctx *c;
	struct tracee *t = spawn_binder(f, a, &sa, &c);

	recv_nr(t, &n, __NR_bind);
	pin_sockaddr(f, t, n.id, a);
	strcpy(sa->sun_path, b);
	assert_ret(pin_send(f, t, n.id, SECCOMP_USER_NOTIF_FLAG_CONTINUE, 0, 0),
		   0);
	assert_int_equal(reap_exit(t), 0);
	assert_int_equal(c->ret[0], 0);
	assert_false(exists(a));
	assert_true(exists(b));
}

static void
test_continue_pinned_alone_is_einval_then_continue_works(void **state)
{
	struct fx *f = *state;
	const char *a = tpath(f, "A.sock");
	struct seccomp_notif n;
	struct sockaddr_un *sa;
	struct op_ctx *c;
	struct tracee *t = spawn_binder(f, a, &sa, &c);

	recv_nr(t, &n, __NR_bind);
	pin_sockaddr(f, t, n.id, a);
	assert_ret(pin_send(f, t, n.id, SECCOMP_USER_NOTIF_FLAG_CONTINUE_PINNED,
			    0, 0),
		   -EINVAL);
	/* Still pending: a plain CONTINUE lets the child finish. */
	assert_ret(pin_send(f, t, n.id, SECCOMP_USER_NOTIF_FLAG_CONTINUE, 0, 0),
		   0);
	assert_int_equal(reap_exit(t), 0);
	assert_int_equal(c->ret[0], 0);
	assert_true(exists(a));
}

static void test_second_pin_is_eexist_and_first_snapshot_stays(void **state)
{
	struct fx *f = *state;
	const char *a = tpath(f, "A.sock"), *b = tpath(f, "B.sock");
	struct seccomp_notif_pin_args p2;
	struct seccomp_notif n;
	struct sockaddr_un *sa;
	struct op_ctx *c;
	struct tracee *t = spawn_binder(f, a, &sa, &c);

	recv_nr(t, &n, __NR_bind);
	pin_sockaddr(f, t, n.id, a);
	strcpy(sa->sun_path, b);
	assert_ret(pin1(f, t, n.id, 1, SECCOMP_PIN_FIXED,
			sizeof(struct sockaddr_un), &p2),
		   -EEXIST);
	continue_pinned(f, t, n.id);
	assert_int_equal(reap_exit(t), 0);
	assert_int_equal(c->ret[0], 0);
	assert_true(exists(a));
	assert_false(exists(b));
}

static void test_openat_pinned_cstring_opens_pinned_file(void **state)
{
	static const struct trap traps[] = { TRAP64(__NR_openat) };
	struct fx *f = *state;
	const char *a = tpath(f, "A"), *b = tpath(f, "B");
	struct seccomp_notif_pin_args p;
	struct op_ctx *c = shm_alloc(f, sizeof(*c));
	struct seccomp_notif n;
	struct tracee *t;
	char *path;

	write_file(a, "A");
	write_file(b, "B");
	path = shm_str(f, a, PATH_MAX);
	c->path = path;
	t = spawn_trapped(f, traps, 1, child_openat, c);

	recv_nr(t, &n, __NR_openat);
	assert_int_equal(n.data.args[1], (uintptr_t)path);
	assert_ret(pin1(f, t, n.id, 1, SECCOMP_PIN_CSTRING, PATH_MAX, &p), 0);
	assert_string_equal(snap_str(&p, 0), a);
	assert_int_equal(p.args[0].actual_size, strlen(a) + 1);
	assert_int_equal(p.args[0].truncated, 0);
	assert_int_equal(p.args[0].actual_entries, 0);
	assert_int_equal(p.args[0].user_addr, (uintptr_t)path);
	strcpy(path, b);
	continue_pinned(f, t, n.id);
	assert_int_equal(reap_exit(t), 0);
	assert_true(c->ret[0] >= 0);
	assert_string_equal(c->got, "A");
}

static void test_cstring_truncated_sets_flag_and_nul(void **state)
{
	static const struct trap traps[] = { TRAP64(__NR_openat) };
	enum { CAP = 16 };
	struct fx *f = *state;
	const char *longp = tpath(f, "a-path-much-longer-than-sixteen-bytes");
	struct seccomp_notif_pin_args p;
	struct op_ctx *c = shm_alloc(f, sizeof(*c));
	struct seccomp_notif n;
	struct tracee *t;
	const char *snap;

	c->path = shm_str(f, longp, 0);
	t = spawn_trapped(f, traps, 1, child_openat, c);
	recv_nr(t, &n, __NR_openat);
	pin_init(&p, n.id, f->buf, CAP);
	pin_add(&p, 1, SECCOMP_PIN_CSTRING, CAP);
	assert_ret(pin_args(f, t, &p), 0);
	assert_int_equal(p.args[0].truncated, SECCOMP_PIN_TRUNCATED_BYTES);
	assert_int_equal(p.args[0].actual_size, CAP);
	snap = seccomp_pin_snapshot(&p, 0);
	assert_non_null(snap);
	assert_int_equal(snap[CAP - 1], '\0');
	assert_memory_equal(snap, longp, CAP - 1);
	reply_continue(t, n.id);
	assert_int_equal(reap_exit(t), 0);
	assert_int_equal(c->err[0], ENOENT);
}

static void test_execve_runs_with_pinned_argv(void **state)
{
	static const struct trap traps[] = { TRAP64(__NR_execve) };
	struct fx *f = *state;
	struct op_ctx *c = shm_alloc(f, sizeof(*c));
	char prog[PATH_MAX], **argv, **envp;
	struct seccomp_notif_pin_args p;
	struct seccomp_notif n;
	struct dump d;
	struct tracee *t;
	const void *arr;

	helper_path("argv_dump", prog, sizeof(prog));
	argv = shm_alloc(f, 8 * sizeof(char *));
	envp = shm_alloc(f, 4 * sizeof(char *));
	argv[0] = shm_str(f, "argv_dump", 64);
	argv[1] = shm_str(f, "pinned-arg", 64);
	envp[0] = shm_str(f, "PIN_ENV=original", 64);
	c->filename = shm_str(f, prog, PATH_MAX);
	c->argv = argv;
	c->envp = envp;
	c->dump_fd = fx_fd(f, dump_memfd());
	t = spawn_trapped(f, traps, 1, child_exec, c);

	recv_nr(t, &n, __NR_execve);
	pin_init(&p, n.id, f->buf, SNAP_BUF_SIZE);
	pin_add(&p, 0, SECCOMP_PIN_CSTRING, PATH_MAX);
	pin_add(&p, 1, SECCOMP_PIN_CSTRING_ARRAY, 4096);
	assert_ret(pin_args(f, t, &p), 0);
	assert_string_equal(snap_str(&p, 0), prog);
	assert_int_equal(p.args[1].actual_entries, 2);
	assert_int_equal(p.args[1].truncated, 0);
	arr = seccomp_pin_snapshot(&p, 1);
	assert_non_null(arr);
	assert_int_equal(seccomp_pin_array_count(arr, p.args[1].actual_size),
			 2);
	assert_string_equal(seccomp_pin_array_entry(arr, p.args[1].actual_size,
						    1),
			    "pinned-arg");

	/* The peer swaps the program, rewrites argv[0] and argv[1]. */
	strcpy((char *)c->filename, "/nonexistent/argv_dump");
	strcpy(argv[0], "mutated0");
	argv[1] = shm_str(f, "mutated-arg", 64);
	continue_pinned(f, t, n.id);
	assert_int_equal(reap_exit(t), 0);
	assert_int_equal(dump_read(c->dump_fd, &d), 0);
	assert_dump(&d, (const char *[]){ "argv_dump", "pinned-arg", NULL },
		    (const char *[]){ "PIN_ENV=original", NULL });
}

static void test_write_puts_pinned_bytes_in_file(void **state)
{
	struct fx *f = *state;
	const char *file = tpath(f, "out");
	struct op_ctx *c = shm_alloc(f, sizeof(*c));
	struct seccomp_notif_pin_args p;
	struct seccomp_notif n;
	struct tracee *t;
	char back[32];
	char *buf;
	int fd;

	fd = fx_fd(f, open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644));
	{
		const struct trap traps[] = { TRAP64_ARG0(__NR_write, fd) };

		buf = shm_str(f, "PINNED", 64);
		c->fd = fd;
		c->buf = buf;
		c->count = 6;
		t = spawn_trapped(f, traps, 1, child_write, c);
	}
	recv_nr(t, &n, __NR_write);
	assert_ret(pin1(f, t, n.id, 1, SECCOMP_PIN_FIXED, 6, &p), 0);
	assert_int_equal(p.args[0].actual_size, 6);
	assert_memory_equal(seccomp_pin_snapshot(&p, 0), "PINNED", 6);
	memcpy(buf, "MUTATE", 6);
	continue_pinned(f, t, n.id);
	assert_int_equal(reap_exit(t), 0);
	assert_int_equal(c->ret[0], 6);
	assert_int_equal(read_file(file, back, sizeof(back)), 6);
	assert_string_equal(back, "PINNED");
}

static void test_consecutive_pins_in_one_child_both_succeed(void **state)
{
	struct fx *f = *state;
	const char *a = tpath(f, "A.sock"), *b = tpath(f, "B.sock");
	struct seccomp_notif n1, n2;
	struct sockaddr_un *sa;
	struct op_ctx *c;
	struct tracee *t;

	/* Two binds of the same sockaddr; the second sees the rewrite. */
	t = spawn_binder(f, a, &sa, &c);
	c->calls = 2;
	recv_nr(t, &n1, __NR_bind);
	pin_sockaddr(f, t, n1.id, a);
	strcpy(sa->sun_path, b);
	continue_pinned(f, t, n1.id);

	recv_nr(t, &n2, __NR_bind);
	assert_int_not_equal(n2.id, n1.id);
	pin_sockaddr(f, t, n2.id, b);
	continue_pinned(f, t, n2.id);
	assert_int_equal(reap_exit(t), 0);
	assert_int_equal(c->ret[0], 0);
	assert_int_equal(c->ret[1], 0);
	assert_true(exists(a));
	assert_true(exists(b));
}

static void test_sigkill_with_pin_leaves_listener_healthy(void **state)
{
	struct fx *f = *state;
	const char *a = tpath(f, "A.sock");
	struct seccomp_notif n;
	struct sockaddr_un *sa;
	struct op_ctx *c;
	struct tracee *t = spawn_binder(f, a, &sa, &c);
	__u64 id;
	int status;

	recv_nr(t, &n, __NR_bind);
	pin_sockaddr(f, t, n.id, a);
	assert_int_equal(live_pins_now(f->dev), f->live_base + 1);
	assert_int_equal(kill(t->pid, SIGKILL), 0);
	status = reap(t);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
	assert_int_equal(wait_live_pins(f->dev, f->live_base), f->live_base);

	/* The listener still answers: the id is simply gone. */
	id = n.id;
	assert_int_equal(ioctl(t->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id),
			 -1);
	assert_int_equal(errno, ENOENT);
	assert_ret(pin1(f, t, n.id, 1, SECCOMP_PIN_FIXED,
			sizeof(struct sockaddr_un), NULL),
		   -ENOENT);
	assert_false(exists(a));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_bind_pinned_sockaddr_wins_over_mutation),
		T(test_bind_plain_continue_uses_mutated_sockaddr),
		T(test_continue_pinned_alone_is_einval_then_continue_works),
		T(test_second_pin_is_eexist_and_first_snapshot_stays),
		T(test_openat_pinned_cstring_opens_pinned_file),
		T(test_cstring_truncated_sets_flag_and_nul),
		T(test_execve_runs_with_pinned_argv),
		T(test_write_puts_pinned_bytes_in_file),
		T(test_consecutive_pins_in_one_child_both_succeed),
		T(test_sigkill_with_pin_leaves_listener_healthy),
	};

	apply_test_filter();
	return cmocka_run_group_tests_name("rfc_scenarios", tests, NULL, NULL);
}
