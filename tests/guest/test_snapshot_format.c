// SPDX-License-Identifier: GPL-2.0
/*
 * test_snapshot_format.c - what PIN_ARGS writes back (SEMANTICS.md,
 * "Snapshot contents"): sizes, flags, offsets and the packed
 * CSTRING_ARRAY layout, byte for byte; and what INFO reports.
 */
#include "victim.h"

#include <fcntl.h>
#include <sys/syscall.h>

/* execve victim with the given argv (NULL: a NULL argv pointer). */
static void victim_argv(struct fx *f, struct victim *v, const char *const *argv,
			int n)
{
	char **tab = NULL;
	long a[6] = { 0 };
	int i;

	if (argv) {
		tab = shm_alloc(f, (size_t)(n + 1) * sizeof(char *));
		for (i = 0; i < n; i++)
			tab[i] = (char *)argv[i];
	}
	a[0] = (long)shm_str(f, "/nonexistent/prog", 0);
	a[1] = (long)tab;
	victim_raw(f, v, __NR_execve, a);
}

/* Check the packed layout against @want (first @n strings). */
static void assert_packed(const struct seccomp_notif_pin_args *p,
			  unsigned int i, const char *const *want, __u32 n)
{
	const unsigned char *snap = seccomp_pin_snapshot(p, i);
	__u32 size = p->args[i].actual_size, count, off, k;
	__u32 expect = sizeof(__u32) * (n + 1);

	assert_non_null(snap);
	memcpy(&count, snap, sizeof(count));
	assert_int_equal(count, n);
	assert_int_equal(p->args[i].actual_entries, n);
	for (k = 0; k < n; k++) {
		memcpy(&off, snap + sizeof(__u32) * (k + 1), sizeof(off));
		assert_int_equal(off, expect); /* packed, in order */
		assert_string_equal(seccomp_pin_array_entry(snap, size, k),
				    want[k]);
		expect += (__u32)strlen(want[k]) + 1;
	}
	assert_int_equal(size, expect);
}

static void test_array_is_packed_count_offsets_strings(void **state)
{
	static const char *const argv[] = { "prog", "", "third arg" };
	struct fx *f = *state;
	struct seccomp_notif_pin_args p;
	struct victim v;

	victim_argv(f, &v, argv, 3);
	assert_ret(pin1(f, v.t, v.n.id, 1, SECCOMP_PIN_CSTRING_ARRAY, 4096, &p),
		   0);
	assert_int_equal(p.args[0].truncated, 0);
	assert_int_equal(p.args[0].user_addr, v.n.data.args[1]);
	assert_packed(&p, 0, argv, 3);
	victim_deny(f, &v);
}

static void test_array_over_max_entries_keeps_first(void **state)
{
	static const char *const argv[] = { "a", "b", "c", "d", "e" };
	struct fx *f = *state;
	struct seccomp_notif_pin_args p;
	struct victim v;

	victim_argv(f, &v, argv, 5);
	pin_init(&p, v.n.id, f->buf, SNAP_BUF_SIZE);
	pin_add(&p, 1, SECCOMP_PIN_CSTRING_ARRAY, 4096)->max_entries = 3;
	assert_ret(pin_args(f, v.t, &p), 0);
	assert_int_equal(p.args[0].truncated, SECCOMP_PIN_TRUNCATED_ENTRIES);
	assert_packed(&p, 0, argv, 3);
	victim_deny(f, &v);
}

static void test_array_default_max_entries_applies(void **state)
{
	enum { N = SECCOMP_PIN_DEFAULT_MAX_ENTRIES + 10 };
	struct fx *f = *state;
	const char **argv = calloc(N, sizeof(char *));
	struct seccomp_notif_pin_args p;
	struct victim v;
	int i;

	assert_non_null(argv);
	for (i = 0; i < N; i++)
		argv[i] = "";
	argv[0] = shm_str(f, "x", 0);
	for (i = 1; i < N; i++)
		argv[i] = argv[0] + 1; /* "" */
	victim_argv(f, &v, argv, N);
	assert_ret(pin1(f, v.t, v.n.id, 1, SECCOMP_PIN_CSTRING_ARRAY,
			SECCOMP_PIN_MAX_ARG_BYTES, &p),
		   0);
	assert_int_equal(p.args[0].truncated, SECCOMP_PIN_TRUNCATED_ENTRIES);
	assert_int_equal(p.args[0].actual_entries,
			 SECCOMP_PIN_DEFAULT_MAX_ENTRIES);
	free(argv);
	victim_deny(f, &v);
}

static void test_array_string_not_fitting_stops_before_it(void **state)
{
	static const char *const argv[] = { "short", "a-much-longer-string",
					    "z" };
	struct fx *f = *state;
	struct seccomp_notif_pin_args p;
	struct victim v;
	/* room for the header of 3, "short" and part of the second */
	__u32 cap = 4 * 4 + 6 + 8;

	victim_argv(f, &v, argv, 3);
	assert_ret(pin1(f, v.t, v.n.id, 1, SECCOMP_PIN_CSTRING_ARRAY, cap, &p),
		   0);
	assert_true(p.args[0].truncated & SECCOMP_PIN_TRUNCATED_BYTES);
	assert_true(p.args[0].actual_size <= cap);
	assert_packed(&p, 0, argv, 1);
	victim_deny(f, &v);
}

static void test_null_array_pointer_is_empty_snapshot(void **state)
{
	struct fx *f = *state;
	struct seccomp_notif_pin_args p;
	struct victim v;

	victim_argv(f, &v, NULL, 0);
	assert_ret(pin1(f, v.t, v.n.id, 1, SECCOMP_PIN_CSTRING_ARRAY, 4096, &p),
		   0);
	assert_int_equal(p.args[0].truncated, 0);
	assert_int_equal(p.args[0].user_addr, 0);
	assert_packed(&p, 0, NULL, 0);
	victim_deny(f, &v);
}

static void test_fixed_reads_exactly_max_bytes(void **state)
{
	struct fx *f = *state;
	struct seccomp_notif_pin_args p;
	unsigned char *buf = shm_alloc(f, 64);
	long a[6] = { fx_fd(f, open("/dev/null", O_WRONLY)), (long)buf, 64 };
	struct victim v;
	int i;

	for (i = 0; i < 64; i++)
		buf[i] = (unsigned char)(i * 7); /* includes NULs */
	victim_raw(f, &v, __NR_write, a);
	assert_ret(pin1(f, v.t, v.n.id, 1, SECCOMP_PIN_FIXED, 40, &p), 0);
	assert_int_equal(p.args[0].actual_size, 40);
	assert_int_equal(p.args[0].truncated, 0);
	assert_int_equal(p.args[0].actual_entries, 0);
	assert_int_equal(p.args[0].user_addr, (uintptr_t)buf);
	assert_memory_equal(seccomp_pin_snapshot(&p, 0), buf, 40);
	victim_deny(f, &v);
}

/* strlen + 1 == max_bytes fits; strlen == max_bytes is truncated. */
static void test_cstring_exact_fit_is_not_truncated(void **state)
{
	struct fx *f = *state;
	struct seccomp_notif_pin_args p;
	struct victim v;
	__u32 len;

	victim_openat(f, &v);
	len = (__u32)strlen((const char *)v.c->a[1]);
	assert_ret(pin1(f, v.t, v.n.id, 1, SECCOMP_PIN_CSTRING, len + 1, &p),
		   0);
	assert_int_equal(p.args[0].truncated, 0);
	assert_int_equal(p.args[0].actual_size, len + 1);
	assert_string_equal(snap_str(&p, 0), (const char *)v.c->a[1]);
	victim_deny(f, &v);

	victim_openat(f, &v);
	assert_ret(pin1(f, v.t, v.n.id, 1, SECCOMP_PIN_CSTRING, len, &p), 0);
	assert_int_equal(p.args[0].truncated, SECCOMP_PIN_TRUNCATED_BYTES);
	assert_int_equal(p.args[0].actual_size, len);
	victim_deny(f, &v);
}

/* execve: filename, argv, envp in one request, in request order. */
static void test_several_args_are_aligned_and_ordered(void **state)
{
	struct fx *f = *state;
	struct seccomp_notif_pin_args p;
	struct victim v;
	__u64 end = 0;
	unsigned int i;

	victim_execve(f, &v);
	pin_init(&p, v.n.id, f->buf, SNAP_BUF_SIZE);
	pin_add(&p, 2, SECCOMP_PIN_CSTRING_ARRAY, 512);
	pin_add(&p, 0, SECCOMP_PIN_CSTRING, 100);
	pin_add(&p, 1, SECCOMP_PIN_CSTRING_ARRAY, 512);
	assert_ret(pin_args(f, v.t, &p), 0);
	for (i = 0; i < p.nr_args; i++) {
		assert_int_equal(p.args[i].buf_offset % SECCOMP_PIN_BUF_ALIGN,
				 0);
		assert_true(p.args[i].buf_offset >= end);
		end = p.args[i].buf_offset + p.args[i].actual_size;
		assert_int_equal(p.args[i].user_addr,
				 v.n.data.args[p.args[i].arg_idx]);
	}
	assert_string_equal(snap_str(&p, 1), "/nonexistent/victim");
	assert_packed(&p, 0, (const char *[]){ "K=V" }, 1);
	assert_packed(&p, 2, (const char *[]){ "victim", "arg" }, 2);
	victim_deny(f, &v);
}

/* An empty pinned path behaves as the kernel's empty path: ENOENT. */
static void test_empty_pinned_path_is_enoent(void **state)
{
	struct fx *f = *state;
	struct seccomp_notif_pin_args p;
	struct victim v;
	char *path;

	victim_openat(f, &v);
	path = (char *)v.c->a[1];
	memmove(path + 1, path, strlen(path) + 1);
	path[0] = '\0';
	assert_ret(pin1(f, v.t, v.n.id, 1, SECCOMP_PIN_CSTRING, PATH_MAX, &p),
		   0);
	assert_int_equal(p.args[0].actual_size, 1);
	path[0] = '/';
	continue_pinned(f, v.t, v.n.id);
	assert_int_equal(reap_exit(v.t), 0);
	assert_int_equal(v.c->ret[0], -1);
	assert_int_equal(v.c->err[0], ENOENT);
}

static void test_info_reports_abi_and_limits(void **state)
{
	struct fx *f = *state;
	struct seccomp_pin_info info;

	assert_ret(seccomp_pin_info(f->dev, &info), 0);
	assert_int_equal(info.abi_version, SECCOMP_PIN_ABI_VERSION);
	assert_int_equal(info.kinds, (1U << SECCOMP_PIN_FIXED) |
					     (1U << SECCOMP_PIN_CSTRING) |
					     (1U << SECCOMP_PIN_CSTRING_ARRAY));
	assert_int_equal(info.sites, SECCOMP_PIN_SITE_PATH |
					     SECCOMP_PIN_SITE_SOCKADDR |
					     SECCOMP_PIN_SITE_EXEC_ARGS |
					     SECCOMP_PIN_SITE_WRITE);
	assert_int_equal(info.max_args, SECCOMP_PIN_MAX_ARGS);
	assert_int_equal(info.max_arg_bytes, SECCOMP_PIN_MAX_ARG_BYTES);
	assert_int_equal(info.max_total_bytes, SECCOMP_PIN_MAX_TOTAL_BYTES);
	assert_int_equal(info.default_max_entries,
			 SECCOMP_PIN_DEFAULT_MAX_ENTRIES);
	assert_int_equal(info.max_entries, SECCOMP_PIN_MAX_ENTRIES);
	assert_true(info.max_listener_bytes >= SECCOMP_PIN_MAX_TOTAL_BYTES);
	assert_true(info.max_module_bytes >= info.max_listener_bytes);
	/* Harness VMs load with keep_hooks=1: registered since the load. */
	assert_int_equal(info.registered_sites, info.sites);
	/* The suites run as root: the module's own figures. */
	assert_int_equal(info.figures, SECCOMP_PIN_FIGURES_GLOBAL);
	assert_true(info.max_user_bytes >= SECCOMP_PIN_MAX_TOTAL_BYTES);
	assert_true(info.max_user_bytes < info.max_module_bytes);
}

static void test_info_counts_a_held_pin(void **state)
{
	struct fx *f = *state;
	struct seccomp_pin_info before, held;
	struct victim v;

	assert_ret(seccomp_pin_info(f->dev, &before), 0);
	victim_write(f, &v);
	assert_ret(pin1(f, v.t, v.n.id, 1, SECCOMP_PIN_FIXED, 64, NULL), 0);
	assert_ret(seccomp_pin_info(f->dev, &held), 0);
	assert_int_equal(held.live_pins, before.live_pins + 1);
	assert_true(held.live_bytes >= before.live_bytes + 64);
	assert_int_equal(held.total_pins, before.total_pins + 1);
	victim_deny(f, &v);
	assert_int_equal(wait_live_pins(f->dev, before.live_pins),
			 before.live_pins);
	assert_ret(seccomp_pin_info(f->dev, &held), 0);
	assert_int_equal(held.live_bytes, before.live_bytes);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_array_is_packed_count_offsets_strings),
		T(test_array_over_max_entries_keeps_first),
		T(test_array_default_max_entries_applies),
		T(test_array_string_not_fitting_stops_before_it),
		T(test_null_array_pointer_is_empty_snapshot),
		T(test_fixed_reads_exactly_max_bytes),
		T(test_cstring_exact_fit_is_not_truncated),
		T(test_several_args_are_aligned_and_ordered),
		T(test_empty_pinned_path_is_enoent),
		T(test_info_reports_abi_and_limits),
		T(test_info_counts_a_held_pin),
	};

	apply_test_filter();
	return cmocka_run_group_tests_name("snapshot_format", tests, NULL,
					   NULL);
}
