// SPDX-License-Identifier: GPL-2.0
/*
 * test_pinnable.c - SECCOMP_PIN_IOC_PINNABLE: the module's own table of
 * what PIN_ARGS accepts, exact entries for each kind of fetch site, the
 * errors of a bad request, and agreement with PIN_ARGS itself: every
 * (argument, kind) the answer leaves out is refused, every one it
 * names pins.
 */
#include "common.h"
#include "victim.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/utsname.h>

static struct seccomp_pin_pinnable ask(struct fx *f, int nr)
{
	struct seccomp_pin_pinnable p;

	/* Garbage in the outputs must not survive the answer. */
	memset(&p, 0xa5, sizeof(p));
	assert_ret(seccomp_pin_pinnable(f->dev, nr, &p), 0);
	assert_int_equal(p.nr, nr);
	assert_true(p.nr_args <= SECCOMP_PIN_MAX_ARGS);
	return p;
}

static void assert_entry(const struct seccomp_pin_pinnable *p, __u8 idx,
			 __u8 kind, __u8 len_idx, __u32 site, __u32 max_bytes)
{
	const struct seccomp_pin_pinnable_arg *a =
		seccomp_pin_pinnable_find(p, idx);

	if (!a)
		fail_msg("syscall %d: no entry for argument %u", p->nr, idx);
	assert_int_equal(a->kind, kind);
	assert_int_equal(a->len_idx, len_idx);
	assert_int_equal(a->_reserved, 0);
	assert_int_equal(a->site, site);
	assert_int_equal(a->max_bytes, max_bytes);
}

/* Entries past nr_args are zero, as is every unused field. */
static void assert_rest_zero(const struct seccomp_pin_pinnable *p)
{
	const char *rest = (const char *)&p->args[p->nr_args];
	size_t n = sizeof(p->args) - p->nr_args * sizeof(p->args[0]), i;

	for (i = 0; i < n; i++)
		assert_int_equal(rest[i], 0);
	assert_int_equal(p->flags, 0);
	assert_int_equal(p->_reserved, 0);
}

static void test_openat_pins_its_path(void **state)
{
	struct seccomp_pin_pinnable p = ask(*state, __NR_openat);

	assert_int_equal(p.nr_args, 1);
	assert_entry(&p, 1, SECCOMP_PIN_CSTRING, SECCOMP_PIN_NO_LEN,
		     SECCOMP_PIN_SITE_PATH, PATH_MAX);
	assert_int_equal(p.args[0].flags, 0);
	assert_rest_zero(&p);
}

static void test_two_path_syscalls_name_both(void **state)
{
	struct seccomp_pin_pinnable p = ask(*state, __NR_renameat2);

	assert_int_equal(p.nr_args, 2);
	assert_entry(&p, 1, SECCOMP_PIN_CSTRING, SECCOMP_PIN_NO_LEN,
		     SECCOMP_PIN_SITE_PATH, PATH_MAX);
	assert_entry(&p, 3, SECCOMP_PIN_CSTRING, SECCOMP_PIN_NO_LEN,
		     SECCOMP_PIN_SITE_PATH, PATH_MAX);
	assert_rest_zero(&p);
}

static void test_exec_pins_path_argv_and_envp(void **state)
{
	struct seccomp_pin_pinnable p = ask(*state, __NR_execve);

	assert_int_equal(p.nr_args, 3);
	assert_entry(&p, 0, SECCOMP_PIN_CSTRING, SECCOMP_PIN_NO_LEN,
		     SECCOMP_PIN_SITE_PATH, PATH_MAX);
	assert_entry(&p, 1, SECCOMP_PIN_CSTRING_ARRAY, SECCOMP_PIN_NO_LEN,
		     SECCOMP_PIN_SITE_EXEC_ARGS, SECCOMP_PIN_MAX_ARG_BYTES);
	assert_entry(&p, 2, SECCOMP_PIN_CSTRING_ARRAY, SECCOMP_PIN_NO_LEN,
		     SECCOMP_PIN_SITE_EXEC_ARGS, SECCOMP_PIN_MAX_ARG_BYTES);
	assert_rest_zero(&p);

	p = ask(*state, __NR_execveat);
	assert_int_equal(p.nr_args, 3);
	assert_entry(&p, 1, SECCOMP_PIN_CSTRING, SECCOMP_PIN_NO_LEN,
		     SECCOMP_PIN_SITE_PATH, PATH_MAX);
	assert_entry(&p, 2, SECCOMP_PIN_CSTRING_ARRAY, SECCOMP_PIN_NO_LEN,
		     SECCOMP_PIN_SITE_EXEC_ARGS, SECCOMP_PIN_MAX_ARG_BYTES);
	assert_entry(&p, 3, SECCOMP_PIN_CSTRING_ARRAY, SECCOMP_PIN_NO_LEN,
		     SECCOMP_PIN_SITE_EXEC_ARGS, SECCOMP_PIN_MAX_ARG_BYTES);
}

/* FIXED reads stop at the syscall's own length: the answer names it. */
static void test_fixed_arguments_name_their_length(void **state)
{
	struct seccomp_pin_pinnable p = ask(*state, __NR_connect);

	assert_int_equal(p.nr_args, 1);
	assert_entry(&p, 1, SECCOMP_PIN_FIXED, 2, SECCOMP_PIN_SITE_SOCKADDR,
		     sizeof(struct sockaddr_storage));
	p = ask(*state, __NR_sendto);
	assert_int_equal(p.nr_args, 1);
	assert_entry(&p, 4, SECCOMP_PIN_FIXED, 5, SECCOMP_PIN_SITE_SOCKADDR,
		     sizeof(struct sockaddr_storage));
	p = ask(*state, __NR_write);
	assert_int_equal(p.nr_args, 1);
	assert_entry(&p, 1, SECCOMP_PIN_FIXED, 2, SECCOMP_PIN_SITE_WRITE,
		     SECCOMP_PIN_MAX_ARG_BYTES);
	p = ask(*state, __NR_pwrite64);
	assert_entry(&p, 1, SECCOMP_PIN_FIXED, 2, SECCOMP_PIN_SITE_WRITE,
		     SECCOMP_PIN_MAX_ARG_BYTES);
}

/* 6.10 made fstatat/statx look at an AT_EMPTY_PATH path before getname(). */
static void test_stat_paths_carry_the_empty_path_condition(void **state)
{
	struct utsname u;
	unsigned int major = 0, minor = 0;
	__u32 want;
	struct seccomp_pin_pinnable p;

	assert_int_equal(uname(&u), 0);
	assert_int_equal(sscanf(u.release, "%u.%u", &major, &minor), 2);
	want = major > 6 || (major == 6 && minor >= 10) ?
		       SECCOMP_PIN_PINNABLE_IF_NOT_EMPTY_PATH :
		       0;
	p = ask(*state, __NR_newfstatat);
	assert_non_null(seccomp_pin_pinnable_find(&p, 1));
	assert_int_equal(seccomp_pin_pinnable_find(&p, 1)->flags, want);
	p = ask(*state, __NR_statx);
	assert_int_equal(seccomp_pin_pinnable_find(&p, 1)->flags, want);
	p = ask(*state, __NR_stat);
	assert_int_equal(seccomp_pin_pinnable_find(&p, 0)->flags, 0);
}

static void test_nothing_pinnable_is_an_empty_answer(void **state)
{
	const int nrs[] = { __NR_getpid,
			    __NR_read,
			    __NR_writev,
			    __NR_sendmsg,
			    __NR_openat | 0x40000000,
			    -1,
			    INT32_MIN,
			    100000 };
	size_t i;

	for (i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++) {
		struct seccomp_pin_pinnable p = ask(*state, nrs[i]);

		assert_int_equal(p.nr_args, 0);
		assert_rest_zero(&p);
	}
}

static int raw_pinnable(struct fx *f, void *req)
{
	return ioctl(f->dev, SECCOMP_PIN_IOC_PINNABLE, req) < 0 ? -errno : 0;
}

static void test_bad_requests_are_refused(void **state)
{
	struct fx *f = *state;
	struct seccomp_pin_pinnable p;
	void *page;

	memset(&p, 0, sizeof(p));
	p.nr = __NR_openat;
	p.flags = 1;
	assert_ret(raw_pinnable(f, &p), -EINVAL);
	p.flags = 0;
	p._reserved = 1;
	assert_ret(raw_pinnable(f, &p), -EINVAL);
	page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(page != MAP_FAILED);
	assert_ret(raw_pinnable(f, page), -EFAULT);
	/* Readable but not writable: the answer cannot be copied out. */
	assert_int_equal(mprotect(page, 4096, PROT_READ), 0);
	assert_ret(raw_pinnable(f, page), -EFAULT);
	munmap(page, 4096);
}

/*
 * The answer and PIN_ARGS agree on a trapped call: each (argument, kind)
 * left out is EOPNOTSUPP, and all the named ones pin in one request.
 */
static void assert_agrees_with_pin_args(struct fx *f, long nr, const long a[6])
{
	struct seccomp_pin_pinnable p = ask(f, (int)nr);
	struct seccomp_notif_pin_args pin;
	struct victim v;
	__u8 idx, kind;
	__u32 i;

	assert_true(p.nr_args > 0);
	victim_raw(f, &v, nr, a);
	for (idx = 0; idx < 6; idx++) {
		for (kind = SECCOMP_PIN_FIXED;
		     kind <= SECCOMP_PIN_CSTRING_ARRAY; kind++) {
			const struct seccomp_pin_pinnable_arg *e =
				seccomp_pin_pinnable_find(&p, idx);

			if (e && e->kind == kind)
				continue;
			if (pin1(f, v.t, v.n.id, idx, kind, 64, NULL) !=
			    -EOPNOTSUPP)
				fail_msg(
					"syscall %ld: pin (%u, kind %u) not refused",
					nr, idx, kind);
		}
	}
	pin_init(&pin, v.n.id, f->buf, SNAP_BUF_SIZE);
	for (i = 0; i < p.nr_args; i++)
		pin_add(&pin, p.args[i].arg_idx, p.args[i].kind,
			p.args[i].max_bytes < 4096 ? p.args[i].max_bytes :
						     4096);
	assert_ret(pin_args(f, v.t, &pin), 0);
	victim_deny(f, &v);
}

static void test_answers_agree_with_pin_args(void **state)
{
	struct fx *f = *state;
	struct sockaddr_un *sun = shm_alloc(f, sizeof(*sun));
	char **argv = shm_alloc(f, 3 * sizeof(char *));
	char **envp = shm_alloc(f, 2 * sizeof(char *));
	long open_a[6] = { AT_FDCWD, (long)shm_str(f, "/", 0), O_RDONLY };
	long write_a[6] = { fx_fd(f, open("/dev/null", O_WRONLY)),
			    (long)shm_str(f, "data", 0), 4 };
	long conn_a[6] = { fx_fd(f, socket(AF_UNIX, SOCK_STREAM, 0)), (long)sun,
			   sizeof(*sun) };
	long exec_a[6] = { (long)shm_str(f, "/nonexistent/prog", 0), (long)argv,
			   (long)envp };

	set_sun(sun, "/nonexistent/sock");
	argv[0] = shm_str(f, "prog", 0);
	argv[1] = shm_str(f, "arg", 0);
	envp[0] = shm_str(f, "K=V", 0);
	assert_agrees_with_pin_args(f, __NR_openat, open_a);
	assert_agrees_with_pin_args(f, __NR_write, write_a);
	assert_agrees_with_pin_args(f, __NR_connect, conn_a);
	assert_agrees_with_pin_args(f, __NR_execve, exec_a);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_openat_pins_its_path),
		T(test_two_path_syscalls_name_both),
		T(test_exec_pins_path_argv_and_envp),
		T(test_fixed_arguments_name_their_length),
		T(test_stat_paths_carry_the_empty_path_condition),
		T(test_nothing_pinnable_is_an_empty_answer),
		T(test_bad_requests_are_refused),
		T(test_answers_agree_with_pin_args),
	};

	apply_test_filter();
	return cmocka_run_group_tests_name("pinnable", tests, NULL, NULL);
}
