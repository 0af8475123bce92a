// SPDX-License-Identifier: GPL-2.0
/*
 * test_beyond_rfc.c - SPEC.md's "beyond the RFC" list:
 *   (2) execve argc/envc from the pinned arrays
 *   (3) snapshot size vs the syscall's own length argument
 *   (4) a pin applies to the trapped syscall only
 *   (5) ia32 tasks are refused with EOPNOTSUPP
 *   (6) the LSM (Landlock) decides on, and audit records, the pinned bytes
 *   (7) path syscalls, including two-path ones (table in path_cases.c)
 */
#include "common.h"
#include "audit.h"
#include "landlock.h"
#include "path_cases.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>

/* ==== (2) execve ==================================================== */

#define TABLE 16

struct exec_run {
	struct op_ctx *c;
	char **argv, **envp; /* shared tables of TABLE slots */
	char prog[PATH_MAX];
	struct tracee *t;
	struct seccomp_notif n;
};

static char **shared_table(struct fx *f, const char *const *v)
{
	char **tab = shm_alloc(f, TABLE * sizeof(char *));
	int i;

	for (i = 0; v && v[i]; i++)
		tab[i] = shm_str(f, v[i], 64);
	return tab;
}

/* A child about to execve(argv_dump, argv, envp) (or execveat). */
static void exec_spawn(struct fx *f, struct exec_run *e,
		       const char *const *argv, const char *const *envp,
		       bool at)
{
	static const struct trap traps[] = { TRAP64(__NR_execve),
					     TRAP64(__NR_execveat) };

	memset(e, 0, sizeof(*e));
	helper_path("argv_dump", e->prog, sizeof(e->prog));
	e->c = shm_alloc(f, sizeof(*e->c));
	e->argv = shared_table(f, argv);
	e->envp = shared_table(f, envp);
	e->c->argv = e->argv;
	e->c->envp = e->envp;
	e->c->dump_fd = fx_fd(f, dump_memfd());
	if (at) {
		*strrchr(e->prog, '/') = '\0';
		e->c->use_execveat = 1;
		e->c->dirfd = fx_fd(f, open(e->prog, O_PATH | O_DIRECTORY));
		e->c->filename = shm_str(f, "argv_dump", PATH_MAX);
	} else {
		e->c->filename = shm_str(f, e->prog, PATH_MAX);
	}
	e->t = spawn_trapped(f, traps, 2, child_exec, e->c);
	recv_notif(e->t, &e->n);
	assert_int_equal(e->n.data.nr, at ? __NR_execveat : __NR_execve);
}

/* Pin filename (CSTRING) plus argv and/or envp (CSTRING_ARRAY). */
static void exec_pin(struct fx *f, struct exec_run *e, bool argv, bool envp,
		     struct seccomp_notif_pin_args *p)
{
	int base = e->c->use_execveat ? 1 : 0;

	pin_init(p, e->n.id, f->buf, SNAP_BUF_SIZE);
	pin_add(p, (__u8)base, SECCOMP_PIN_CSTRING, PATH_MAX);
	if (argv)
		pin_add(p, (__u8)(base + 1), SECCOMP_PIN_CSTRING_ARRAY, 8192);
	if (envp)
		pin_add(p, (__u8)(base + 2), SECCOMP_PIN_CSTRING_ARRAY, 8192);
	assert_ret(pin_args(f, e->t, p), 0);
}

static void exec_finish(struct fx *f, struct exec_run *e,
			const char *const *argv, const char *const *envp)
{
	struct dump d;

	continue_pinned(f, e->t, e->n.id);
	assert_int_equal(reap_exit(e->t), 0);
	assert_int_equal(dump_read(e->c->dump_fd, &d), 0);
	assert_dump(&d, argv, envp);
}

static void test_execve_argc_envc_come_from_pinned_arrays(void **state)
{
	struct fx *f = *state;
	struct seccomp_notif_pin_args p;
	struct exec_run e;

	exec_spawn(f, &e, (const char *[]){ "prog", "one", NULL },
		   (const char *[]){ "A=1", NULL }, false);
	exec_pin(f, &e, true, true, &p);
	assert_int_equal(p.args[1].actual_entries, 2);
	assert_int_equal(p.args[2].actual_entries, 1);
	/* Grow both tables and rewrite every string after the pin. */
	strcpy(e.argv[1], "ONE");
	e.argv[2] = shm_str(f, "two", 0);
	e.argv[3] = shm_str(f, "three", 0);
	strcpy(e.envp[0], "A=2");
	e.envp[1] = shm_str(f, "B=1", 0);
	exec_finish(f, &e, (const char *[]){ "prog", "one", NULL },
		    (const char *[]){ "A=1", NULL });
}

static void test_execve_argv_shrunk_after_pin_keeps_pinned_count(void **state)
{
	struct fx *f = *state;
	struct seccomp_notif_pin_args p;
	struct exec_run e;

	exec_spawn(f, &e, (const char *[]){ "prog", "a", "b", "c", NULL },
		   (const char *[]){ "E=1", "F=2", NULL }, false);
	exec_pin(f, &e, true, true, &p);
	e.argv[1] = NULL;
	e.envp[0] = NULL;
	exec_finish(f, &e, (const char *[]){ "prog", "a", "b", "c", NULL },
		    (const char *[]){ "E=1", "F=2", NULL });
}

static void test_execve_only_envp_pinned(void **state)
{
	struct fx *f = *state;
	struct seccomp_notif_pin_args p;
	struct exec_run e;

	exec_spawn(f, &e, (const char *[]){ "prog", "x", NULL },
		   (const char *[]){ "E=pinned", NULL }, false);
	exec_pin(f, &e, false, true, &p);
	e.argv[2] = shm_str(f, "added", 0);
	strcpy(e.envp[0], "E=mutated");
	exec_finish(f, &e, (const char *[]){ "prog", "x", "added", NULL },
		    (const char *[]){ "E=pinned", NULL });
}

static void test_execve_only_argv_pinned(void **state)
{
	struct fx *f = *state;
	struct seccomp_notif_pin_args p;
	struct exec_run e;

	exec_spawn(f, &e, (const char *[]){ "prog", "x", NULL },
		   (const char *[]){ "E=orig", NULL }, false);
	exec_pin(f, &e, true, false, &p);
	e.argv[2] = shm_str(f, "added", 0);
	strcpy(e.envp[0], "E=mutated");
	e.envp[1] = shm_str(f, "G=new", 0);
	exec_finish(f, &e, (const char *[]){ "prog", "x", NULL },
		    (const char *[]){ "E=mutated", "G=new", NULL });
}

static void test_execveat_dirfd_uses_pinned_path_and_arrays(void **state)
{
	struct fx *f = *state;
	struct seccomp_notif_pin_args p;
	struct exec_run e;

	exec_spawn(f, &e, (const char *[]){ "at", "1", NULL },
		   (const char *[]){ "AT=1", NULL }, true);
	exec_pin(f, &e, true, true, &p);
	assert_string_equal(snap_str(&p, 0), "argv_dump");
	strcpy((char *)e.c->filename, "argv_dumX");
	strcpy(e.argv[1], "2");
	e.envp[0] = NULL;
	exec_finish(f, &e, (const char *[]){ "at", "1", NULL },
		    (const char *[]){ "AT=1", NULL });
}

static void test_execve_empty_pinned_argv_gets_empty_argv0(void **state)
{
	struct fx *f = *state;
	struct seccomp_notif_pin_args p;
	struct exec_run e;

	exec_spawn(f, &e, (const char *[]){ NULL }, (const char *[]){ NULL },
		   false);
	exec_pin(f, &e, true, true, &p);
	assert_int_equal(p.args[1].actual_entries, 0);
	assert_int_equal(seccomp_pin_array_count(seccomp_pin_snapshot(&p, 1),
						 p.args[1].actual_size),
			 0);
	e.argv[0] = shm_str(f, "late", 0);
	e.envp[0] = shm_str(f, "LATE=1", 0);
	exec_finish(f, &e, (const char *[]){ "", NULL },
		    (const char *[]){ NULL });
}

/* A truncated array snapshot makes the exec fail with E2BIG. */
static void exec_truncated(struct fx *f, __u32 max_bytes, __u32 max_entries,
			   __u32 want_flag)
{
	struct seccomp_notif_pin_args p;
	struct exec_run e;

	exec_spawn(f, &e,
		   (const char *[]){ "prog", "first-argument", "second", NULL },
		   (const char *[]){ NULL }, false);
	pin_init(&p, e.n.id, f->buf, SNAP_BUF_SIZE);
	pin_add(&p, 1, SECCOMP_PIN_CSTRING_ARRAY, max_bytes)->max_entries =
		max_entries;
	assert_ret(pin_args(f, e.t, &p), 0);
	assert_int_equal(p.args[0].truncated & want_flag, want_flag);
	continue_pinned(f, e.t, e.n.id);
	assert_int_equal(reap_exit(e.t), EXEC_FAILED);
	assert_int_equal(e.c->err[0], E2BIG);
}

static void test_execve_truncated_entries_fails_e2big(void **state)
{
	exec_truncated(*state, 4096, 2, SECCOMP_PIN_TRUNCATED_ENTRIES);
}

static void test_execve_truncated_bytes_fails_e2big(void **state)
{
	exec_truncated(*state, 32, 0, SECCOMP_PIN_TRUNCATED_BYTES);
}

/* ==== (3) sizes ===================================================== */

static struct tracee *spawn_bind(struct fx *f, const char *path, socklen_t len,
				 struct sockaddr_un **sa, struct op_ctx **c,
				 struct seccomp_notif *n)
{
	static const struct trap traps[] = { TRAP64(__NR_bind) };
	struct tracee *t;

	*sa = shm_alloc(f, sizeof(**sa));
	set_sun(*sa, path);
	*c = shm_alloc(f, sizeof(**c));
	(*c)->addr = *sa;
	(*c)->addrlen = len;
	t = spawn_trapped(f, traps, 1, child_bind, *c);
	recv_notif(t, n);
	return t;
}

static void test_bind_addrlen_above_pinned_size_is_einval(void **state)
{
	struct fx *f = *state;
	const char *a = tpath(f, "A.sock");
	struct seccomp_notif_pin_args p;
	struct seccomp_notif n;
	struct sockaddr_un *sa;
	struct op_ctx *c;
	struct tracee *t = spawn_bind(f, a, sizeof(*sa), &sa, &c, &n);
	__u32 pinned = offsetof(struct sockaddr_un, sun_path) + 8;

	assert_ret(pin1(f, t, n.id, 1, SECCOMP_PIN_FIXED, pinned, &p), 0);
	assert_int_equal(p.args[0].actual_size, pinned);
	continue_pinned(f, t, n.id);
	assert_int_equal(reap_exit(t), 0);
	assert_int_equal(c->ret[0], -1);
	assert_int_equal(c->err[0], EINVAL);
	assert_false(exists(a));
}

static void test_bind_addrlen_below_pinned_size_uses_prefix(void **state)
{
	struct fx *f = *state;
	const char *full = tpath(f, "short-LONGER.sock");
	const char *other = tpath(f, "other-OTHERS.sock");
	const char *prefix = tpath(f, "short");
	socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
				    strlen(prefix));
	struct seccomp_notif n;
	struct sockaddr_un *sa;
	struct op_ctx *c;
	struct tracee *t = spawn_bind(f, full, len, &sa, &c, &n);

	assert_ret(pin1(f, t, n.id, 1, SECCOMP_PIN_FIXED, sizeof(*sa), NULL),
		   0);
	strcpy(sa->sun_path, other);
	continue_pinned(f, t, n.id);
	assert_int_equal(reap_exit(t), 0);
	assert_int_equal(c->ret[0], 0);
	assert_true(exists(prefix));
	assert_false(exists(full));
	assert_false(exists(other));
}

/* Two datagram receivers the child may address; returns their fds. */
static void receivers(struct fx *f, const char *a, const char *b, int fd[2])
{
	struct sockaddr_un sa;
	int i;

	for (i = 0; i < 2; i++) {
		fd[i] = fx_fd(f,
			      socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0));
		set_sun(&sa, i ? b : a);
		assert_int_equal(
			bind(fd[i], (struct sockaddr *)&sa, sizeof(sa)), 0);
	}
}

static void assert_received_only_by(int got, int not )
{
	char buf[16] = { 0 };

	assert_int_equal(recv(got, buf, sizeof(buf), 0), 5);
	assert_string_equal(buf, "hello");
	assert_int_equal(recv(not, buf, sizeof(buf), 0), -1);
	assert_int_equal(errno, EAGAIN);
}

static int child_connect_send(void *arg)
{
	struct op_ctx *c = arg;
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	c->ret[0] = connect(fd, c->addr, c->addrlen);
	c->err[0] = errno;
	c->ret[1] = send(fd, "hello", 5, 0);
	return 0;
}

static int child_sendto(void *arg)
{
	struct op_ctx *c = arg;
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	c->ret[0] = sendto(fd, "hello", 5, 0, c->addr, c->addrlen);
	c->err[0] = errno;
	return 0;
}

static void sockaddr_peer(struct fx *f, int nr, child_fn fn, __u8 idx)
{
	const char *a = tpath(f, "ra.sock"), *b = tpath(f, "rb.sock");
	const struct trap traps[] = { TRAP64(nr) };
	struct op_ctx *c = shm_alloc(f, sizeof(*c));
	struct sockaddr_un *sa = shm_alloc(f, sizeof(*sa));
	struct seccomp_notif n;
	struct tracee *t;
	int fd[2];

	receivers(f, a, b, fd);
	set_sun(sa, a);
	c->addr = sa;
	c->addrlen = sizeof(*sa);
	t = spawn_trapped(f, traps, 1, fn, c);
	recv_notif(t, &n);
	assert_ret(pin1(f, t, n.id, idx, SECCOMP_PIN_FIXED, sizeof(*sa), NULL),
		   0);
	strcpy(sa->sun_path, b);
	continue_pinned(f, t, n.id);
	assert_int_equal(reap_exit(t), 0);
	assert_int_equal(c->ret[0], nr == __NR_connect ? 0 : 5);
	assert_received_only_by(fd[0], fd[1]);
}

static void test_connect_uses_pinned_sockaddr(void **state)
{
	sockaddr_peer(*state, __NR_connect, child_connect_send, 1);
}

static void test_sendto_uses_pinned_sockaddr(void **state)
{
	sockaddr_peer(*state, __NR_sendto, child_sendto, 4);
}

/* write(@count) of a shared buffer, pinned @pinned bytes, then mutated. */
static void write_sized(struct fx *f, long nr, size_t count, __u32 pinned,
			long want_ret, const char *want_file)
{
	const char *file = tpath(f, "out");
	int fd = fx_fd(f, open(file, O_RDWR | O_CREAT | O_TRUNC, 0644));
	const struct trap traps[] = { TRAP64_ARG0(nr, fd) };
	struct op_ctx *c = shm_alloc(f, sizeof(*c));
	char *buf = shm_str(f, "0123456789", 64);
	struct seccomp_notif n;
	struct tracee *t;
	char back[64];

	c->nr = nr;
	c->a[0] = fd;
	c->a[1] = (long)buf;
	c->a[2] = (long)count;
	c->a[3] = 0; /* pwrite64 offset */
	t = spawn_trapped(f, traps, 1, child_raw, c);
	recv_notif(t, &n);
	assert_ret(pin1(f, t, n.id, 1, SECCOMP_PIN_FIXED, pinned, NULL), 0);
	memset(buf, 'm', 10);
	continue_pinned(f, t, n.id);
	assert_int_equal(reap_exit(t), 0);
	assert_int_equal(c->ret[0], want_ret);
	assert_int_equal(read_file(file, back, sizeof(back)),
			 (int)strlen(want_file));
	assert_string_equal(back, want_file);
}

static void test_write_count_above_pinned_size_is_short_write(void **state)
{
	write_sized(*state, __NR_write, 10, 6, 6, "012345");
}

static void test_write_count_below_pinned_size_writes_count(void **state)
{
	write_sized(*state, __NR_write, 4, 10, 4, "0123");
}

static void test_pwrite64_uses_pinned_bytes(void **state)
{
	write_sized(*state, __NR_pwrite64, 10, 10, 10, "0123456789");
}

/*
 * FIXED over a mapping end: the readable prefix is the snapshot, and
 * the pinned write is that prefix (a short write).
 */
static void test_fixed_partially_readable_pins_prefix(void **state)
{
	struct fx *f = *state;
	const char *file = tpath(f, "out");
	int fd = fx_fd(f, open(file, O_RDWR | O_CREAT | O_TRUNC, 0644));
	const struct trap traps[] = { TRAP64_ARG0(__NR_write, fd) };
	struct op_ctx *c = shm_alloc(f, sizeof(*c));
	char *map = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct seccomp_notif_pin_args p;
	struct seccomp_notif n;
	struct tracee *t;
	char back[64];

	assert_true(map != MAP_FAILED);
	munmap(map + 4096, 4096);
	memcpy(map + 4096 - 8, "ABCDEFGH", 8);
	c->nr = __NR_write;
	c->a[0] = fd;
	c->a[1] = (long)(map + 4096 - 8);
	c->a[2] = 64; /* more than is readable: the read stops at the end */
	t = spawn_trapped(f, traps, 1, child_raw, c);
	recv_notif(t, &n);
	assert_ret(pin1(f, t, n.id, 1, SECCOMP_PIN_FIXED, 64, &p), 0);
	assert_int_equal(p.args[0].actual_size, 8);
	assert_int_equal(p.args[0].truncated, SECCOMP_PIN_TRUNCATED_BYTES);
	memcpy(map + 4096 - 8, "mutated!", 8);
	continue_pinned(f, t, n.id);
	assert_int_equal(reap_exit(t), 0);
	munmap(map, 4096);
	assert_int_equal(c->ret[0], 8);
	assert_int_equal(read_file(file, back, sizeof(back)), 8);
	assert_string_equal(back, "ABCDEFGH");
}

static void test_truncated_pinned_path_fails_enametoolong(void **state)
{
	static const struct trap traps[] = { TRAP64(__NR_openat) };
	struct fx *f = *state;
	const char *file = tpath(f, "a-file-with-a-long-name");
	struct op_ctx *c = shm_alloc(f, sizeof(*c));
	struct seccomp_notif_pin_args p;
	struct seccomp_notif n;
	struct tracee *t;

	write_file(file, "x");
	c->path = shm_str(f, file, 0);
	t = spawn_trapped(f, traps, 1, child_openat, c);
	recv_notif(t, &n);
	assert_ret(pin1(f, t, n.id, 1, SECCOMP_PIN_CSTRING, 16, &p), 0);
	assert_int_equal(p.args[0].truncated, SECCOMP_PIN_TRUNCATED_BYTES);
	continue_pinned(f, t, n.id);
	assert_int_equal(reap_exit(t), 0);
	assert_int_equal(c->ret[0], -1);
	assert_int_equal(c->err[0], ENAMETOOLONG);
}

/* ==== (4) scope ===================================================== */

/*
 * Thread 1 of the child opens a shared path; the supervisor pins it (a
 * FIFO), arms it, and thread 1 then blocks in the FIFO open with the
 * pin live. Meanwhile the path is rewritten to a regular file and a
 * second opener (a sibling thread, a forked child, or a signal handler
 * of thread 1) opens the same pointer: it must get the rewritten path.
 */
enum scope { SCOPE_THREAD, SCOPE_FORK, SCOPE_HANDLER };

struct scope_ctx {
	char *path;
	enum scope scope;
	volatile int go; /* second opener may start */
	volatile int second_done;
	long first_ret;
	long second_ret;
	int second_err;
	char second_got[16];
};

static struct scope_ctx *scope_child;

static void second_open(struct scope_ctx *s)
{
	int fd = openat(AT_FDCWD, s->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ssize_t n;

	s->second_ret = fd;
	s->second_err = fd < 0 ? errno : 0;
	if (fd >= 0) {
		n = read(fd, s->second_got, sizeof(s->second_got) - 1);
		s->second_got[n > 0 ? n : 0] = '\0';
		close(fd);
	}
	s->second_done = 1;
}

static void *second_thread(void *arg)
{
	struct scope_ctx *s = arg;
	pid_t pid;

	while (!s->go)
		usleep(1000);
	if (s->scope == SCOPE_THREAD) {
		second_open(s);
		return NULL;
	}
	pid = fork();
	if (pid == 0) {
		second_open(s);
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return NULL;
}

static void on_usr1(int sig)
{
	(void)sig;
	second_open(scope_child);
}

static int child_scope(void *arg)
{
	struct scope_ctx *s = arg;
	struct sigaction sa;
	pthread_t th;
	int fd;

	scope_child = s;
	if (s->scope == SCOPE_HANDLER) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_usr1;
		sa.sa_flags = SA_RESTART;
		sigaction(SIGUSR1, &sa, NULL);
	} else if (pthread_create(&th, NULL, second_thread, s)) {
		return 10;
	}
	fd = openat(AT_FDCWD, s->path, O_RDONLY | O_CLOEXEC);
	s->first_ret = fd;
	if (s->scope != SCOPE_HANDLER)
		pthread_join(th, NULL);
	return 0;
}

/* Open @fifo for writing once its reader is there (releases thread 1). */
static void release_fifo_reader(const char *fifo)
{
	int i, fd = -1;

	for (i = 0; i < 1000 && fd < 0; i++) {
		fd = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			usleep(10 * 1000);
	}
	assert_true(fd >= 0);
	close(fd);
}

static void scope_run(struct fx *f, enum scope scope)
{
	static const struct trap traps[] = { TRAP64(__NR_openat) };
	const char *fifo = tpath(f, "fifo"), *b = tpath(f, "file");
	struct scope_ctx *s = shm_alloc(f, sizeof(*s));
	struct seccomp_notif n1, n2, n3;
	struct tracee *t;

	assert_int_equal(mkfifo(fifo, 0600), 0);
	write_file(b, "B");
	s->path = shm_str(f, fifo, PATH_MAX);
	s->scope = scope;
	t = spawn_trapped(f, traps, 1, child_scope, s);

	recv_notif(t, &n1);
	assert_int_equal(n1.pid, t->pid);
	assert_ret(pin1(f, t, n1.id, 1, SECCOMP_PIN_CSTRING, PATH_MAX, NULL),
		   0);
	continue_pinned(f, t, n1.id);
	usleep(100 * 1000); /* thread 1 now waits for a FIFO writer */
	assert_int_equal(live_pins_now(f->dev), f->live_base + 1);
	strcpy(s->path, b); /* same length as the FIFO path */

	if (scope == SCOPE_HANDLER)
		assert_int_equal(kill(t->pid, SIGUSR1), 0);
	else
		s->go = 1;
	recv_notif(t, &n2); /* the second opener */
	if (scope == SCOPE_HANDLER) {
		assert_int_equal(n2.pid, t->pid);
		/* Signal delivery ended the pinned syscall: pin freed. */
		assert_int_equal(live_pins_now(f->dev), f->live_base);
	} else {
		assert_int_not_equal(n2.pid, t->pid);
	}
	assert_int_equal(n2.data.args[1], (uintptr_t)s->path);
	reply_continue(t, n2.id);

	if (scope == SCOPE_HANDLER) {
		recv_notif(t, &n3); /* thread 1's restarted openat */
		assert_int_not_equal(n3.id, n1.id);
		reply_continue(t, n3.id);
	} else {
		while (!s->second_done)
			usleep(1000);
		release_fifo_reader(fifo);
	}
	assert_int_equal(reap_exit(t), 0);
	assert_true(s->first_ret >= 0);
	if (s->second_ret < 0)
		fail_msg("second open failed: %s", strerror(s->second_err));
	assert_string_equal(s->second_got, "B");
}

static void test_pin_not_used_by_sibling_thread(void **state)
{
	scope_run(*state, SCOPE_THREAD);
}

static void test_pin_not_inherited_by_forked_child(void **state)
{
	scope_run(*state, SCOPE_FORK);
}

static void test_pin_not_used_by_signal_handler(void **state)
{
	scope_run(*state, SCOPE_HANDLER);
}

/* ==== (5) ia32 ====================================================== */

#define IA32_NR_OPEN 5
#define IA32_NR_OPENAT 295

static void ia32_run(struct fx *f, const char *how, int nr, __u8 idx, bool deny)
{
	static const struct trap traps[] = { TRAP32(IA32_NR_OPEN),
					     TRAP32(IA32_NR_OPENAT) };
	const char *file = tpath(f, "ia32-target");
	struct op_ctx *c = shm_alloc(f, sizeof(*c));
	char prog[PATH_MAX];
	struct seccomp_notif n;
	struct tracee *t;

	write_file(file, "x");
	helper_path("ia32_open", prog, sizeof(prog));
	c->filename = shm_str(f, prog, 0);
	c->argv = shared_table(f, (const char *[]){ "ia32_open", how, file,
						    NULL });
	c->envp = shared_table(f, NULL);
	t = spawn_trapped(f, traps, 2, child_exec, c);
	recv_notif(t, &n);
	assert_int_equal(n.data.arch, AUDIT_ARCH_I386);
	assert_int_equal(n.data.nr, nr);
	assert_ret(pin1(f, t, n.id, idx, SECCOMP_PIN_CSTRING, PATH_MAX, NULL),
		   -EOPNOTSUPP);
	assert_int_equal(live_pins_now(f->dev), f->live_base);
	if (deny)
		reply_errno(t, n.id, EACCES);
	else
		reply_continue(t, n.id);
	assert_int_equal(reap_exit(t), deny ? EACCES : 0);
}

static void test_ia32_open_pin_is_eopnotsupp_then_denied(void **state)
{
	ia32_run(*state, "open", IA32_NR_OPEN, 0, true);
}

static void test_ia32_openat_pin_is_eopnotsupp_then_continued(void **state)
{
	ia32_run(*state, "openat", IA32_NR_OPENAT, 1, false);
}

/* ==== (6) LSM ======================================================= */

struct ll_ctx {
	struct op_ctx op;
	int allowed_dir; /* O_PATH fd */
	unsigned short port;
	int setup_err;
	unsigned short bound_port;
};

static int child_landlocked_open(void *arg)
{
	struct ll_ctx *l = arg;

	l->setup_err = -landlock_read_only_beneath(l->allowed_dir);
	if (l->setup_err)
		return 10;
	return child_openat(&l->op);
}

static void test_landlock_decides_on_pinned_path(void **state)
{
	static const struct trap traps[] = { TRAP64(__NR_openat) };
	struct fx *f = *state;
	const char *ok_dir = tpath(f, "ok"), *no_dir = tpath(f, "no");
	const char *a = tpath(f, "ok/A"), *b = tpath(f, "no/B");
	struct ll_ctx *l = shm_alloc(f, sizeof(*l));
	struct seccomp_notif n;
	struct tracee *t;
	char *path;

	if (landlock_abi() < 1)
		skip();
	assert_int_equal(mkdir(ok_dir, 0755), 0);
	assert_int_equal(mkdir(no_dir, 0755), 0);
	write_file(a, "A");
	write_file(b, "B");
	path = shm_str(f, a, PATH_MAX);
	l->op.path = path;
	l->op.calls = 2;
	l->allowed_dir = fx_fd(f, open(ok_dir, O_PATH | O_DIRECTORY));
	t = spawn_trapped(f, traps, 1, child_landlocked_open, l);

	/* Pinned: Landlock allows the pinned path, the open reads A. */
	recv_notif(t, &n);
	assert_int_equal(n.data.args[1], (uintptr_t)path);
	print_message("pinning %s\n", path);
	assert_ret(pin1(f, t, n.id, 1, SECCOMP_PIN_CSTRING, PATH_MAX, NULL), 0);
	strcpy(path, b);
	continue_pinned(f, t, n.id);
	print_message("continued on the pin, rewritten to %s\n", path);
	/* Control: the same pointer, not pinned, is denied by Landlock. */
	recv_notif(t, &n);
	assert_int_equal(n.data.args[1], (uintptr_t)path);
	reply_continue(t, n.id);
	print_message("control continued\n");
	assert_int_equal(reap_exit(t), 0);
	assert_true(l->op.ret[0] >= 0);
	assert_int_equal(l->op.ret[1], -1);
	assert_int_equal(l->op.err[1], EACCES);
	assert_string_equal(l->op.got, "A");
}

static int child_landlocked_bind(void *arg)
{
	struct ll_ctx *l = arg;
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int i, fd;

	l->setup_err = -landlock_bind_only_port(l->port);
	if (l->setup_err)
		return 10;
	for (i = 0; i < 2; i++) {
		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		l->op.ret[i] = bind(fd, l->op.addr, l->op.addrlen);
		l->op.err[i] = errno;
		if (i == 0 &&
		    getsockname(fd, (struct sockaddr *)&sin, &len) == 0)
			l->bound_port = ntohs(sin.sin_port);
		close(fd);
	}
	return 0;
}

static void test_landlock_net_decides_on_pinned_port(void **state)
{
	static const struct trap traps[] = { TRAP64(__NR_bind) };
	enum { PORT_OK = 40123, PORT_NO = 40124 };
	struct fx *f = *state;
	struct ll_ctx *l = shm_alloc(f, sizeof(*l));
	struct sockaddr_in *sin = shm_alloc(f, sizeof(*sin));
	struct seccomp_notif n;
	struct tracee *t;

	if (landlock_abi() < 4)
		skip(); /* Landlock network rules arrived in 6.7 */
	sin->sin_family = AF_INET;
	sin->sin_port = htons(PORT_OK);
	sin->sin_addr.s_addr = htonl(INADDR_ANY);
	l->op.addr = sin;
	l->op.addrlen = sizeof(*sin);
	l->port = PORT_OK;
	t = spawn_trapped(f, traps, 1, child_landlocked_bind, l);

	recv_notif(t, &n);
	assert_ret(pin1(f, t, n.id, 1, SECCOMP_PIN_FIXED, sizeof(*sin), NULL),
		   0);
	sin->sin_port = htons(PORT_NO);
	continue_pinned(f, t, n.id);
	recv_notif(t, &n); /* control: unpinned, sees PORT_NO */
	reply_continue(t, n.id);
	assert_int_equal(reap_exit(t), 0);
	assert_int_equal(l->setup_err, 0);
	assert_int_equal(l->op.ret[0], 0);
	assert_int_equal(l->bound_port, PORT_OK);
	assert_int_equal(l->op.ret[1], -1);
	assert_int_equal(l->op.err[1], EACCES);
}

/*
 * Audit: the supervisor acts as the audit daemon and audits the child's
 * syscall exits; the records must carry the pinned bytes. Each test
 * then repeats the syscall unpinned on the mutated bytes as a control
 * (the records do follow what the syscall used).
 */
static struct audit_session audit;

static int audit_teardown(void **state)
{
	audit_close(&audit);
	return fx_teardown(state);
}

static void audit_start(void)
{
	int ret = audit_open(&audit);

	if (ret < 0) {
		print_message("audit unavailable: %s\n", strerror(-ret));
		skip();
	}
}

static void audit_event(char *out, size_t size)
{
	assert_ret(audit_next_event(&audit, out, size, NOTIF_TIMEOUT_MS), 0);
	print_message("%s", out);
}

static void test_audit_path_record_has_pinned_path(void **state)
{
	static const struct trap traps[] = { TRAP64(__NR_openat) };
	struct fx *f = *state;
	const char *a = tpath(f, "A"), *b = tpath(f, "B");
	struct op_ctx *c = shm_alloc(f, sizeof(*c));
	char rec[8192], want[PATH_MAX + 16], bad[PATH_MAX + 16];
	struct seccomp_notif n;
	struct tracee *t;
	char *path;

	audit_start();
	write_file(a, "A");
	write_file(b, "B");
	path = shm_str(f, a, PATH_MAX);
	c->path = path;
	c->calls = 2;
	t = spawn_trapped(f, traps, 1, child_openat, c);
	recv_notif(t, &n);
	assert_ret(audit_watch(&audit, t->pid, (int[]){ __NR_openat }, 1), 0);
	assert_ret(pin1(f, t, n.id, 1, SECCOMP_PIN_CSTRING, PATH_MAX, NULL), 0);
	strcpy(path, b);
	continue_pinned(f, t, n.id);
	snprintf(want, sizeof(want), "name=\"%s\"", a);
	snprintf(bad, sizeof(bad), "name=\"%s\"", b);
	audit_event(rec, sizeof(rec));
	assert_non_null(strstr(rec, want));
	assert_null(strstr(rec, bad));

	recv_notif(t, &n); /* control */
	reply_continue(t, n.id);
	audit_event(rec, sizeof(rec));
	assert_non_null(strstr(rec, bad));
	assert_int_equal(reap_exit(t), 0);
}

static void hex_upper(const void *p, size_t len, char *out)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		sprintf(out + 2 * i, "%02X", b[i]);
}

static void test_audit_sockaddr_record_has_pinned_bytes(void **state)
{
	static const struct trap traps[] = { TRAP64(__NR_bind) };
	struct fx *f = *state;
	const char *a = tpath(f, "A.sock"), *b = tpath(f, "B.sock");
	struct op_ctx *c = shm_alloc(f, sizeof(*c));
	struct sockaddr_un *sa = shm_alloc(f, sizeof(*sa));
	char rec[8192], want[300], bad[300], hex[240];
	struct seccomp_notif n;
	struct tracee *t;

	audit_start();
	set_sun(sa, a);
	c->addr = sa;
	c->addrlen = sizeof(*sa);
	c->calls = 2;
	t = spawn_trapped(f, traps, 1, child_bind, c);
	recv_notif(t, &n);
	assert_ret(audit_watch(&audit, t->pid, (int[]){ __NR_bind }, 1), 0);
	assert_ret(pin1(f, t, n.id, 1, SECCOMP_PIN_FIXED, sizeof(*sa), NULL),
		   0);
	hex_upper(sa, sizeof(*sa), hex);
	snprintf(want, sizeof(want), "saddr=%s", hex);
	strcpy(sa->sun_path, b);
	hex_upper(sa, sizeof(*sa), hex);
	snprintf(bad, sizeof(bad), "saddr=%s", hex);
	continue_pinned(f, t, n.id);
	audit_event(rec, sizeof(rec));
	assert_non_null(strstr(rec, want));
	assert_null(strstr(rec, bad));

	recv_notif(t, &n); /* control */
	reply_continue(t, n.id);
	audit_event(rec, sizeof(rec));
	assert_non_null(strstr(rec, bad));
	assert_int_equal(reap_exit(t), 0);
	assert_int_equal(c->ret[0], 0);
}

static void test_audit_execve_record_has_pinned_argv(void **state)
{
	struct fx *f = *state;
	struct seccomp_notif_pin_args p;
	struct exec_run e;
	char rec[8192];

	audit_start();
	exec_spawn(f, &e, (const char *[]){ "prog", "pinned", NULL },
		   (const char *[]){ NULL }, false);
	assert_ret(audit_watch(&audit, e.t->pid, (int[]){ __NR_execve }, 1), 0);
	exec_pin(f, &e, true, false, &p);
	strcpy(e.argv[1], "MUTATD");
	e.argv[2] = shm_str(f, "extra", 0);
	exec_finish(f, &e, (const char *[]){ "prog", "pinned", NULL },
		    (const char *[]){ NULL });
	audit_event(rec, sizeof(rec));
	assert_non_null(strstr(rec, "argc=2 a0=\"prog\" a1=\"pinned\""));
	assert_null(strstr(rec, "MUTATD"));
}

/* ==== (7) path syscalls ============================================= */

static void test_path_case(void **state)
{
	struct fx *f = *state;

	run_path_case(f, f->prestate);
}

/* ==== main ========================================================== */

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)
#define TA(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, audit_teardown)

static const struct CMUnitTest fixed_tests[] = {
	T(test_execve_argc_envc_come_from_pinned_arrays),
	T(test_execve_argv_shrunk_after_pin_keeps_pinned_count),
	T(test_execve_only_envp_pinned),
	T(test_execve_only_argv_pinned),
	T(test_execveat_dirfd_uses_pinned_path_and_arrays),
	T(test_execve_empty_pinned_argv_gets_empty_argv0),
	T(test_execve_truncated_entries_fails_e2big),
	T(test_execve_truncated_bytes_fails_e2big),
	T(test_bind_addrlen_above_pinned_size_is_einval),
	T(test_bind_addrlen_below_pinned_size_uses_prefix),
	T(test_connect_uses_pinned_sockaddr),
	T(test_sendto_uses_pinned_sockaddr),
	T(test_write_count_above_pinned_size_is_short_write),
	T(test_write_count_below_pinned_size_writes_count),
	T(test_pwrite64_uses_pinned_bytes),
	T(test_fixed_partially_readable_pins_prefix),
	T(test_truncated_pinned_path_fails_enametoolong),
	T(test_pin_not_used_by_sibling_thread),
	T(test_pin_not_inherited_by_forked_child),
	T(test_pin_not_used_by_signal_handler),
	T(test_ia32_open_pin_is_eopnotsupp_then_denied),
	T(test_ia32_openat_pin_is_eopnotsupp_then_continued),
	T(test_landlock_decides_on_pinned_path),
	T(test_landlock_net_decides_on_pinned_port),
	TA(test_audit_path_record_has_pinned_path),
	TA(test_audit_sockaddr_record_has_pinned_bytes),
	TA(test_audit_execve_record_has_pinned_argv),
};

int main(void)
{
	size_t nfixed = sizeof(fixed_tests) / sizeof(fixed_tests[0]);
	struct CMUnitTest *tests;
	size_t i;

	tests = calloc(nfixed + n_path_cases, sizeof(*tests));
	if (!tests)
		return 1;
	memcpy(tests, fixed_tests, sizeof(fixed_tests));
	for (i = 0; i < n_path_cases; i++)
		tests[nfixed + i] =
			(struct CMUnitTest){ path_cases[i].name, test_path_case,
					     fx_setup, fx_teardown,
					     (void *)&path_cases[i] };
	apply_test_filter();
	return _cmocka_run_group_tests("beyond_rfc", tests,
				       nfixed + n_path_cases, NULL, NULL);
}
