// SPDX-License-Identifier: GPL-2.0
/*
 * test_pin_errors.c - every error of PIN_ARGS and SEND in SEMANTICS.md,
 * one per test, each with its exact errno and, afterwards, proof that
 * the notification is untouched: nothing was pinned (a valid pin still
 * succeeds, where one exists) and a reply still reaches the child.
 */
#include "victim.h"

#include <fcntl.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>

/* Tweak one field of a valid request on an openat victim. */
#define PIN_TWEAK_TEST(name, victim_fn, want, tweak) \
	static void name(void **state)               \
	{                                            \
		struct fx *f = *state;               \
		struct seccomp_pin_request req;      \
		struct victim v;                     \
                                                     \
		victim_fn(f, &v);                    \
		victim_request(f, &v, &req);         \
		tweak;                               \
		assert_ret(raw_pin(f, &req), want);  \
		victim_still_answerable(f, &v);      \
	}

/* ---- EINVAL: malformed request ----------------------------------- */

PIN_TWEAK_TEST(test_request_flags_nonzero_is_einval, victim_openat, -EINVAL,
	       req.flags = 1)
PIN_TWEAK_TEST(test_nr_args_zero_is_einval, victim_openat, -EINVAL,
	       req.pin.nr_args = 0)
PIN_TWEAK_TEST(test_nr_args_seven_is_einval, victim_openat, -EINVAL,
	       req.pin.nr_args = SECCOMP_PIN_MAX_ARGS + 1)
PIN_TWEAK_TEST(test_arg_idx_six_is_einval, victim_openat, -EINVAL,
	       req.pin.args[0].arg_idx = 6)
PIN_TWEAK_TEST(test_same_arg_idx_twice_is_einval, victim_openat, -EINVAL,
	       (req.pin.args[1] = req.pin.args[0], req.pin.nr_args = 2))
PIN_TWEAK_TEST(test_unknown_kind_is_einval, victim_openat, -EINVAL,
	       req.pin.args[0].kind = 3)
PIN_TWEAK_TEST(test_max_bytes_zero_is_einval, victim_openat, -EINVAL,
	       req.pin.args[0].max_bytes = 0)
PIN_TWEAK_TEST(test_reserved_nonzero_is_einval, victim_openat, -EINVAL,
	       req.pin.args[0]._reserved = 1)
PIN_TWEAK_TEST(test_reserved2_nonzero_is_einval, victim_openat, -EINVAL,
	       req.pin.args[0]._reserved2 = 1)
PIN_TWEAK_TEST(test_reserved3_nonzero_is_einval, victim_openat, -EINVAL,
	       req.pin.args[0]._reserved3 = 1)
PIN_TWEAK_TEST(test_max_entries_on_cstring_is_einval, victim_openat, -EINVAL,
	       req.pin.args[0].max_entries = 4)
PIN_TWEAK_TEST(test_max_entries_on_fixed_is_einval, victim_write, -EINVAL,
	       req.pin.args[0].max_entries = 4)

/* ---- E2BIG: over the limits -------------------------------------- */

PIN_TWEAK_TEST(test_max_bytes_over_1mib_is_e2big, victim_openat, -E2BIG,
	       req.pin.args[0].max_bytes = SECCOMP_PIN_MAX_ARG_BYTES + 1)
PIN_TWEAK_TEST(test_max_entries_over_limit_is_e2big, victim_execve, -E2BIG,
	       req.pin.args[0].max_entries = SECCOMP_PIN_MAX_ENTRIES + 1)
PIN_TWEAK_TEST(test_total_over_1mib_is_e2big, victim_execve, -E2BIG,
	       (req.pin.args[0].max_bytes = 768 << 10,
		pin_add(&req.pin, 2, SECCOMP_PIN_CSTRING_ARRAY, 768 << 10)))

/* ---- the listener fd --------------------------------------------- */

static int closed_fd(void)
{
	int fd = open("/dev/null", O_RDONLY);

	assert_true(fd >= 0);
	close(fd);
	return fd;
}

PIN_TWEAK_TEST(test_closed_listener_fd_is_ebadf, victim_openat, -EBADF,
	       req.listener_fd = closed_fd())
PIN_TWEAK_TEST(test_negative_listener_fd_is_ebadf, victim_openat, -EBADF,
	       req.listener_fd = -1)
PIN_TWEAK_TEST(test_devnull_as_listener_is_einval, victim_openat, -EINVAL,
	       req.listener_fd = fx_fd(f, open("/dev/null", O_RDONLY)))
PIN_TWEAK_TEST(test_device_as_listener_is_einval, victim_openat, -EINVAL,
	       req.listener_fd = f->dev)

static void test_pipe_as_listener_is_einval(void **state)
{
	struct fx *f = *state;
	struct seccomp_pin_request req;
	struct victim v;
	int p[2];

	assert_int_equal(pipe(p), 0);
	fx_fd(f, p[0]);
	fx_fd(f, p[1]);
	victim_openat(f, &v);
	victim_request(f, &v, &req);
	req.listener_fd = p[0];
	assert_ret(raw_pin(f, &req), -EINVAL);
	victim_still_answerable(f, &v);
}

/* ---- ENOENT / EINPROGRESS: which notification -------------------- */

PIN_TWEAK_TEST(test_unknown_id_is_enoent, victim_openat, -ENOENT,
	       req.pin.id = v.n.id + 1000)

static void test_id_of_another_listener_is_enoent(void **state)
{
	struct fx *f = *state;
	struct seccomp_pin_request req;
	struct victim v, w;

	victim_openat(f, &v);
	victim_openat(f, &w);
	assert_int_not_equal(v.n.id, w.n.id);
	victim_request(f, &v, &req);
	req.listener_fd = w.t->listener;
	assert_ret(raw_pin(f, &req), -ENOENT);
	victim_still_answerable(f, &v);
	victim_still_answerable(f, &w);
}

/*
 * Notification ids of one filter are sequential: after answering one,
 * the child's next trapped call gets id + 1. Pin that id while it is
 * pending but before NOTIF_RECV.
 */
static void test_not_yet_received_id_is_einprogress(void **state)
{
	struct fx *f = *state;
	struct seccomp_pin_request req;
	struct victim v;
	__u64 next;

	victim_openat(f, &v);
	v.c->calls = 2;
	reply_continue(v.t, v.n.id);
	next = v.n.id + 1;
	assert_true(notif_pending(v.t->listener, NOTIF_TIMEOUT_MS));
	victim_request(f, &v, &req);
	req.pin.id = next;
	assert_ret(raw_pin(f, &req), -EINPROGRESS);

	recv_notif(v.t, &v.n);
	assert_int_equal(v.n.id, next); /* the prediction held */
	victim_request(f, &v, &req);
	assert_ret(raw_pin(f, &req), 0);
	assert_ret(pin_send(f, v.t, v.n.id, 0, -EPERM, 0), 0);
	assert_int_equal(reap_exit(v.t), 0);
	assert_true(v.c->ret[0] >= 0);
	assert_int_equal(v.c->err[1], EPERM);
}

/* Once answered, the id is on its way out: ENOENT, or EINPROGRESS if
 * the woken child has not yet unlinked it. Never success. */
static void test_already_answered_id_is_refused(void **state)
{
	struct fx *f = *state;
	struct seccomp_pin_request req;
	struct victim v;
	int ret;

	victim_openat(f, &v);
	reply_errno(v.t, v.n.id, EPERM);
	victim_request(f, &v, &req);
	ret = raw_pin(f, &req);
	if (ret != -ENOENT)
		assert_ret(ret, -EINPROGRESS);
	assert_int_equal(reap_exit(v.t), 0);
	assert_int_equal(v.c->err[0], EPERM);
	assert_ret(raw_pin(f, &req), -ENOENT);
}

/* ---- EEXIST / EBUSY: one pin per notification -------------------- */

static void test_second_pin_is_eexist(void **state)
{
	struct fx *f = *state;
	struct seccomp_pin_request req;
	struct victim v;

	victim_openat(f, &v);
	victim_request(f, &v, &req);
	assert_ret(raw_pin(f, &req), 0);
	victim_request(f, &v, &req);
	assert_ret(raw_pin(f, &req), -EEXIST);
	assert_int_equal(live_pins_now(f->dev), f->live_base + 1);
	victim_deny(f, &v);
}

struct racer {
	struct fx *f;
	struct tracee *t;
	pthread_barrier_t *go;
	__u64 id;
	void *buf;
	int ret;
};

static void *racer_pin(void *arg)
{
	struct racer *r = arg;
	struct seccomp_notif_pin_args p;

	pin_init(&p, r->id, r->buf, SECCOMP_PIN_MAX_ARG_BYTES);
	pin_add(&p, 1, SECCOMP_PIN_FIXED, SECCOMP_PIN_MAX_ARG_BYTES);
	pthread_barrier_wait(r->go);
	r->ret = seccomp_pin_args(r->f->dev, r->t->listener, &p);
	return NULL;
}

/* Two threads pin the same id with 1 MiB each, until they overlap. */
static void test_concurrent_pin_of_same_id_is_ebusy(void **state)
{
	enum { MAX_ROUNDS = 3000, MAX_SECONDS = 45 };
	struct fx *f = *state;
	char *big = shm_alloc(f, SECCOMP_PIN_MAX_ARG_BYTES);
	long a[6] = { fx_fd(f, open("/dev/null", O_WRONLY)), (long)big,
		      SECCOMP_PIN_MAX_ARG_BYTES };
	pthread_barrier_t go;
	struct racer r[2];
	struct victim v;
	time_t end = time(NULL) + MAX_SECONDS;
	int round, i, ok, busy = 0, exist = 0;

	memset(big, 'b', SECCOMP_PIN_MAX_ARG_BYTES);
	pthread_barrier_init(&go, NULL, 2);
	memset(r, 0, sizeof(r));
	victim_raw(f, &v, __NR_write, a);
	v.c->calls = -1;
	for (round = 0; round < MAX_ROUNDS && !busy && time(NULL) < end;
	     round++) {
		pthread_t th[2];

		if (round)
			recv_notif(v.t, &v.n);
		for (i = 0; i < 2; i++) {
			r[i] = (struct racer){ f, v.t, &go, v.n.id, NULL, 0 };
			r[i].buf =
				(char *)f->buf + i * SECCOMP_PIN_MAX_ARG_BYTES;
			assert_int_equal(pthread_create(&th[i], NULL, racer_pin,
							&r[i]),
					 0);
		}
		for (i = 0; i < 2; i++)
			pthread_join(th[i], NULL);
		ok = (r[0].ret == 0) + (r[1].ret == 0);
		if (ok != 1)
			fail_msg("round %d: pins returned %d and %d", round,
				 r[0].ret, r[1].ret);
		for (i = 0; i < 2; i++) {
			busy += r[i].ret == -EBUSY;
			exist += r[i].ret == -EEXIST;
			if (r[i].ret && r[i].ret != -EBUSY &&
			    r[i].ret != -EEXIST)
				fail_msg("round %d: unexpected %s", round,
					 strerror(-r[i].ret));
		}
		if (busy)
			v.c->stop = 1;
		assert_ret(pin_send(f, v.t, v.n.id, 0, -EPERM, 0), 0);
	}
	print_message("EBUSY after %d rounds (%d EEXIST before)\n", round,
		      exist);
	v.c->stop = 1;
	while (notif_pending(v.t->listener, 200)) {
		recv_notif(v.t, &v.n);
		reply_errno(v.t, v.n.id, EPERM);
	}
	assert_int_equal(reap_exit(v.t), 0);
	pthread_barrier_destroy(&go);
	assert_true(busy > 0);
}

/* ---- ENOSPC: snapshots do not fit buf ---------------------------- */

PIN_TWEAK_TEST(test_snapshot_larger_than_buf_is_enospc, victim_openat, -ENOSPC,
	       req.pin.buf_size = 4)

/* Two snapshots that fit only without the alignment of the second. */
static void test_second_aligned_snapshot_not_fitting_is_enospc(void **state)
{
	struct fx *f = *state;
	struct seccomp_pin_request req;
	struct victim v;
	__u32 need, first;

	victim_execve(f, &v);
	victim_request(f, &v, &req);
	req.pin.args[0].arg_idx = 0;
	req.pin.args[0].kind = SECCOMP_PIN_CSTRING;
	pin_add(&req.pin, 1, SECCOMP_PIN_CSTRING_ARRAY, 4096);
	assert_ret(raw_pin(f, &req), 0); /* learn the sizes ... */
	first = req.pin.args[0].actual_size;
	need = req.pin.args[1].buf_offset + req.pin.args[1].actual_size;
	assert_true(req.pin.args[1].buf_offset >= first);
	assert_ret(pin_send(f, v.t, v.n.id, 0, -EPERM, 0), 0);
	assert_int_equal(reap_exit(v.t), 0);

	victim_execve(f, &v); /* ... then pin one byte short */
	victim_request(f, &v, &req);
	req.pin.args[0].arg_idx = 0;
	req.pin.args[0].kind = SECCOMP_PIN_CSTRING;
	pin_add(&req.pin, 1, SECCOMP_PIN_CSTRING_ARRAY, 4096);
	req.pin.buf_size = need - 1;
	assert_ret(raw_pin(f, &req), -ENOSPC);
	assert_int_equal(live_pins_now(f->dev), f->live_base);
	victim_still_answerable(f, &v);
}

/* ---- EDQUOT: per-listener memory cap ----------------------------- */

static void test_listener_over_byte_cap_is_edquot(void **state)
{
	struct fx *f = *state;
	char *big = shm_alloc(f, SECCOMP_PIN_MAX_ARG_BYTES);
	struct op_ctx *c = shm_alloc(f, sizeof(*c));
	struct seccomp_notif n[65];
	struct seccomp_pin_info info;
	struct tracee *t;
	int cap, i;

	assert_ret(seccomp_pin_info(f->dev, &info), 0);
	cap = (int)(info.max_listener_bytes / SECCOMP_PIN_MAX_ARG_BYTES);
	if (cap + 1 > 64)
		skip(); /* too many threads for this test */
	memset(big, 'q', SECCOMP_PIN_MAX_ARG_BYTES);
	c->a[0] = fx_fd(f, open("/dev/null", O_WRONLY));
	c->a[1] = (long)big;
	c->a[2] = SECCOMP_PIN_MAX_ARG_BYTES;
	c->calls = cap + 1;
	{
		const struct trap tr[] = { TRAP64_ARG0(__NR_write, c->a[0]) };

		t = spawn_trapped(f, tr, 1, child_writers, c);
	}
	for (i = 0; i <= cap; i++) {
		recv_notif(t, &n[i]);
		assert_ret(pin1(f, t, n[i].id, 1, SECCOMP_PIN_FIXED,
				SECCOMP_PIN_MAX_ARG_BYTES, NULL),
			   i < cap ? 0 : -EDQUOT);
	}
	assert_int_equal(live_pins_now(f->dev), f->live_base + (__u64)cap);
	/* Releasing one pin makes room again. */
	reply_errno(t, n[0].id, EPERM);
	assert_int_equal(wait_live_pins(f->dev, f->live_base + cap - 1),
			 f->live_base + cap - 1);
	assert_ret(pin1(f, t, n[cap].id, 1, SECCOMP_PIN_FIXED,
			SECCOMP_PIN_MAX_ARG_BYTES, NULL),
		   0);
	for (i = 1; i <= cap; i++)
		reply_errno(t, n[i].id, EPERM);
	assert_int_equal(reap_exit(t), 0);
}

/* ---- EFAULT: unreadable memory ----------------------------------- */

static void *unmapped_page(void)
{
	void *p =
		mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	assert_true(p != MAP_FAILED);
	munmap(p, 4096);
	return p;
}

static void test_null_target_path_is_efault(void **state)
{
	struct fx *f = *state;
	long a[6] = { AT_FDCWD, 0, O_RDONLY };
	struct victim v;

	victim_raw(f, &v, __NR_openat, a);
	assert_ret(pin1(f, v.t, v.n.id, 1, SECCOMP_PIN_CSTRING, PATH_MAX, NULL),
		   -EFAULT);
	victim_still_answerable(f, &v);
}

static void test_unmapped_target_path_is_efault(void **state)
{
	struct fx *f = *state;
	long a[6] = { AT_FDCWD, (long)unmapped_page(), O_RDONLY };
	struct victim v;

	victim_raw(f, &v, __NR_openat, a);
	assert_ret(pin1(f, v.t, v.n.id, 1, SECCOMP_PIN_CSTRING, PATH_MAX, NULL),
		   -EFAULT);
	victim_still_answerable(f, &v);
}

static void test_unmapped_target_buffer_is_efault(void **state)
{
	struct fx *f = *state;
	long a[6] = { fx_fd(f, open("/dev/null", O_WRONLY)),
		      (long)unmapped_page(), 64 };
	struct victim v;

	victim_raw(f, &v, __NR_write, a);
	assert_ret(pin1(f, v.t, v.n.id, 1, SECCOMP_PIN_FIXED, 64, NULL),
		   -EFAULT);
	victim_still_answerable(f, &v);
}

/* A path whose NUL lies past the end of its mapping. */
static void test_unterminated_target_path_is_efault(void **state)
{
	struct fx *f = *state;
	char *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	long a[6] = { AT_FDCWD, 0, O_RDONLY };
	struct victim v;

	assert_true(page != MAP_FAILED);
	munmap(page + 4096, 4096);
	memset(page, 'x', 4096);
	a[1] = (long)(page + 4096 - 8);
	victim_raw(f, &v, __NR_openat, a);
	assert_ret(pin1(f, v.t, v.n.id, 1, SECCOMP_PIN_CSTRING, 64, NULL),
		   -EFAULT);
	victim_still_answerable(f, &v);
	munmap(page, 4096);
}

PIN_TWEAK_TEST(test_unmapped_supervisor_buf_is_efault, victim_openat, -EFAULT,
	       req.pin.buf = (uintptr_t)unmapped_page())

static void test_readonly_supervisor_buf_is_efault(void **state)
{
	struct fx *f = *state;
	struct seccomp_pin_request req;
	struct victim v;
	void *ro =
		mmap(NULL, 8192, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	assert_true(ro != MAP_FAILED);
	victim_openat(f, &v);
	victim_request(f, &v, &req);
	req.pin.buf = (uintptr_t)ro;
	req.pin.buf_size = 8192;
	assert_ret(raw_pin(f, &req), -EFAULT);
	munmap(ro, 8192);
	victim_still_answerable(f, &v);
}

static void test_unreadable_request_is_efault(void **state)
{
	struct fx *f = *state;
	struct victim v;

	victim_openat(f, &v);
	assert_int_equal(
		ioctl(f->dev, SECCOMP_PIN_IOC_PIN_ARGS, unmapped_page()), -1);
	assert_int_equal(errno, EFAULT);
	victim_still_answerable(f, &v);
}

/* ---- EOPNOTSUPP: nothing the kernel would consume ---------------- */

/* Trap syscall(@nr, @a), pin (@idx, @kind), expect EOPNOTSUPP. */
static void refused(struct fx *f, long nr, const long a[6], __u8 idx, __u8 kind,
		    __u32 max)
{
	struct victim v;

	victim_raw(f, &v, nr, a);
	assert_ret(pin1(f, v.t, v.n.id, idx, kind, max, NULL), -EOPNOTSUPP);
	assert_int_equal(live_pins_now(f->dev), f->live_base);
	victim_deny(f, &v);
}

static void test_writev_iovec_is_eopnotsupp(void **state)
{
	struct fx *f = *state;
	struct iovec *iov = shm_alloc(f, sizeof(*iov));
	long a[6] = { fx_fd(f, open("/dev/null", O_WRONLY)), (long)iov, 1 };

	iov->iov_base = shm_str(f, "data", 0);
	iov->iov_len = 4;
	refused(f, __NR_writev, a, 1, SECCOMP_PIN_FIXED, sizeof(*iov));
}

static void test_openat2_open_how_is_eopnotsupp(void **state)
{
	struct fx *f = *state;
	__u64 *how = shm_alloc(f, 24); /* struct open_how */
	long a[6] = { AT_FDCWD, (long)shm_str(f, "/", 0), (long)how, 24 };

	refused(f, __NR_openat2, a, 2, SECCOMP_PIN_FIXED, 24);
}

static void test_read_output_buffer_is_eopnotsupp(void **state)
{
	struct fx *f = *state;
	long a[6] = { fx_fd(f, open("/dev/zero", O_RDONLY)),
		      (long)shm_alloc(f, 64), 64 };

	refused(f, __NR_read, a, 1, SECCOMP_PIN_FIXED, 64);
}

static void test_fixed_on_openat_path_is_eopnotsupp(void **state)
{
	struct fx *f = *state;
	long a[6] = { AT_FDCWD, (long)shm_str(f, "/etc/passwd", 64), 0 };

	refused(f, __NR_openat, a, 1, SECCOMP_PIN_FIXED, 16);
}

static void test_array_on_openat_path_is_eopnotsupp(void **state)
{
	struct fx *f = *state;
	long a[6] = { AT_FDCWD, (long)shm_str(f, "/etc/passwd", 64), 0 };

	refused(f, __NR_openat, a, 1, SECCOMP_PIN_CSTRING_ARRAY, 64);
}

static void test_cstring_on_write_buffer_is_eopnotsupp(void **state)
{
	struct fx *f = *state;
	long a[6] = { fx_fd(f, open("/dev/null", O_WRONLY)),
		      (long)shm_str(f, "text", 0), 4 };

	refused(f, __NR_write, a, 1, SECCOMP_PIN_CSTRING, 64);
}

static void test_non_pointer_slot_is_eopnotsupp(void **state)
{
	struct fx *f = *state;
	long a[6] = { AT_FDCWD, (long)shm_str(f, "/etc/passwd", 0),
		      (long)shm_str(f, "flags", 0) };

	/* openat's arg 2 is the flags, never fetched from memory. */
	refused(f, __NR_openat, a, 2, SECCOMP_PIN_CSTRING, 64);
}

static void test_pointerless_syscall_is_eopnotsupp(void **state)
{
	struct fx *f = *state;
	long a[6] = { (long)shm_str(f, "not-an-arg", 0) };

	refused(f, __NR_getppid, a, 0, SECCOMP_PIN_CSTRING, 64);
}

/* ---- SEND -------------------------------------------------------- */

static void response(struct victim *v, struct seccomp_pin_response *rsp,
		     __u32 flags)
{
	memset(rsp, 0, sizeof(*rsp));
	rsp->listener_fd = v->t->listener;
	rsp->resp.id = v->n.id;
	rsp->resp.flags = flags;
}

#define SEND_TWEAK_TEST(name, want, tweak)                            \
	static void name(void **state)                                \
	{                                                             \
		struct fx *f = *state;                                \
		struct seccomp_pin_response rsp;                      \
		struct victim v;                                      \
                                                                      \
		victim_openat(f, &v);                                 \
		response(&v, &rsp, SECCOMP_USER_NOTIF_FLAG_CONTINUE); \
		tweak;                                                \
		assert_ret(raw_send(f, &rsp), want);                  \
		victim_still_answerable(f, &v);                       \
	}

SEND_TWEAK_TEST(test_send_flags_nonzero_is_einval, -EINVAL, rsp.flags = 1)
SEND_TWEAK_TEST(test_send_unknown_resp_flag_is_einval, -EINVAL,
		rsp.resp.flags |= 1U << 2)
SEND_TWEAK_TEST(test_send_pinned_without_pin_is_einval, -EINVAL,
		rsp.resp.flags |= SECCOMP_USER_NOTIF_FLAG_CONTINUE_PINNED)
SEND_TWEAK_TEST(test_send_continue_with_error_is_einval, -EINVAL,
		rsp.resp.error = -EPERM)
SEND_TWEAK_TEST(test_send_continue_with_val_is_einval, -EINVAL,
		rsp.resp.val = 1)
SEND_TWEAK_TEST(test_send_unknown_id_is_enoent, -ENOENT,
		rsp.resp.id = v.n.id + 1000)
SEND_TWEAK_TEST(test_send_closed_listener_fd_is_ebadf, -EBADF,
		rsp.listener_fd = closed_fd())

/* PINNED alone is refused and leaves pin and notification as they
 * were: CONTINUE | PINNED then runs on the snapshot. */
static void test_send_pinned_alone_is_einval_and_keeps_pin(void **state)
{
	struct fx *f = *state;
	struct seccomp_pin_response rsp;
	struct seccomp_pin_request req;
	struct victim v;

	victim_openat(f, &v);
	victim_request(f, &v, &req);
	assert_ret(raw_pin(f, &req), 0);
	response(&v, &rsp, SECCOMP_USER_NOTIF_FLAG_CONTINUE_PINNED);
	assert_ret(raw_send(f, &rsp), -EINVAL);
	strcpy((char *)v.c->a[1], "/nonexistent");
	continue_pinned(f, v.t, v.n.id);
	assert_int_equal(reap_exit(v.t), 0);
	assert_true(v.c->ret[0] >= 0); /* opened the pinned path */
}

static void test_send_not_yet_received_id_is_einprogress(void **state)
{
	struct fx *f = *state;
	struct victim v;

	victim_openat(f, &v);
	v.c->calls = 2;
	reply_continue(v.t, v.n.id);
	assert_true(notif_pending(v.t->listener, NOTIF_TIMEOUT_MS));
	assert_ret(pin_send(f, v.t, v.n.id + 1, 0, -EPERM, 0), -EINPROGRESS);
	recv_notif(v.t, &v.n);
	assert_ret(pin_send(f, v.t, v.n.id, 0, -EPERM, 0), 0);
	assert_int_equal(reap_exit(v.t), 0);
	assert_int_equal(v.c->err[1], EPERM);
}

/* ---- ENOTTY ------------------------------------------------------ */

static void test_unknown_device_ioctls_are_enotty(void **state)
{
	struct fx *f = *state;
	char junk[512] = { 0 };

	assert_int_equal(ioctl(f->dev, _IO(SECCOMP_PIN_IOC_MAGIC, 99)), -1);
	assert_int_equal(errno, ENOTTY);
	/* A known number with the wrong size is another command. */
	assert_int_equal(
		ioctl(f->dev, _IOWR(SECCOMP_PIN_IOC_MAGIC, 1, int), junk), -1);
	assert_int_equal(errno, ENOTTY);
	assert_int_equal(ioctl(f->dev, SECCOMP_IOCTL_NOTIF_RECV, junk), -1);
	assert_int_equal(errno, ENOTTY);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_request_flags_nonzero_is_einval),
		T(test_nr_args_zero_is_einval),
		T(test_nr_args_seven_is_einval),
		T(test_arg_idx_six_is_einval),
		T(test_same_arg_idx_twice_is_einval),
		T(test_unknown_kind_is_einval),
		T(test_max_bytes_zero_is_einval),
		T(test_reserved_nonzero_is_einval),
		T(test_reserved2_nonzero_is_einval),
		T(test_reserved3_nonzero_is_einval),
		T(test_max_entries_on_cstring_is_einval),
		T(test_max_entries_on_fixed_is_einval),
		T(test_max_bytes_over_1mib_is_e2big),
		T(test_max_entries_over_limit_is_e2big),
		T(test_total_over_1mib_is_e2big),
		T(test_closed_listener_fd_is_ebadf),
		T(test_negative_listener_fd_is_ebadf),
		T(test_devnull_as_listener_is_einval),
		T(test_device_as_listener_is_einval),
		T(test_pipe_as_listener_is_einval),
		T(test_unknown_id_is_enoent),
		T(test_id_of_another_listener_is_enoent),
		T(test_not_yet_received_id_is_einprogress),
		T(test_already_answered_id_is_refused),
		T(test_second_pin_is_eexist),
		T(test_concurrent_pin_of_same_id_is_ebusy),
		T(test_snapshot_larger_than_buf_is_enospc),
		T(test_second_aligned_snapshot_not_fitting_is_enospc),
		T(test_listener_over_byte_cap_is_edquot),
		T(test_null_target_path_is_efault),
		T(test_unmapped_target_path_is_efault),
		T(test_unmapped_target_buffer_is_efault),
		T(test_unterminated_target_path_is_efault),
		T(test_unmapped_supervisor_buf_is_efault),
		T(test_readonly_supervisor_buf_is_efault),
		T(test_unreadable_request_is_efault),
		T(test_writev_iovec_is_eopnotsupp),
		T(test_openat2_open_how_is_eopnotsupp),
		T(test_read_output_buffer_is_eopnotsupp),
		T(test_fixed_on_openat_path_is_eopnotsupp),
		T(test_array_on_openat_path_is_eopnotsupp),
		T(test_cstring_on_write_buffer_is_eopnotsupp),
		T(test_non_pointer_slot_is_eopnotsupp),
		T(test_pointerless_syscall_is_eopnotsupp),
		T(test_send_flags_nonzero_is_einval),
		T(test_send_unknown_resp_flag_is_einval),
		T(test_send_pinned_without_pin_is_einval),
		T(test_send_continue_with_error_is_einval),
		T(test_send_continue_with_val_is_einval),
		T(test_send_unknown_id_is_enoent),
		T(test_send_closed_listener_fd_is_ebadf),
		T(test_send_pinned_alone_is_einval_and_keeps_pin),
		T(test_send_not_yet_received_id_is_einprogress),
		T(test_unknown_device_ioctls_are_enotty),
	};

	apply_test_filter();
	return cmocka_run_group_tests_name("pin_errors", tests, NULL, NULL);
}
