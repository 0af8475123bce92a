// SPDX-License-Identifier: GPL-2.0
/*
 * test_snapshot.c - seccomp_pin_snapshot() and the CSTRING_ARRAY walkers
 * on crafted buffers, good and malformed. The buffers sit at the very
 * end of a page followed by PROT_NONE, so any read past the claimed
 * size crashes the test instead of passing by luck.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

#include "libseccomp_pin.h"

struct arena {
	unsigned char *page; /* two pages: data, then a PROT_NONE guard */
	size_t pagesz;
};

static struct arena arena;

static int arena_setup(void **state)
{
	(void)state;
	arena.pagesz = (size_t)sysconf(_SC_PAGESIZE);
	arena.page = mmap(NULL, 2 * arena.pagesz, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (arena.page == MAP_FAILED)
		return -1;
	return mprotect(arena.page + arena.pagesz, arena.pagesz, PROT_NONE);
}

static int arena_teardown(void **state)
{
	(void)state;
	munmap(arena.page, 2 * arena.pagesz);
	return 0;
}

/* Place @len bytes so that the last one is the last byte before the guard. */
static unsigned char *at_guard(const void *bytes, size_t len)
{
	unsigned char *p = arena.page + arena.pagesz - len;

	memcpy(p, bytes, len);
	return p;
}

/* Pack a CSTRING_ARRAY snapshot like the module does. */
static size_t pack(unsigned char *out, const char *const *strs, __u32 n)
{
	__u32 off = sizeof(__u32) * (n + 1), i;

	memcpy(out, &n, sizeof(n));
	for (i = 0; i < n; i++) {
		size_t len = strlen(strs[i]) + 1;

		memcpy(out + sizeof(__u32) * (i + 1), &off, sizeof(off));
		memcpy(out + off, strs[i], len);
		off += (__u32)len;
	}
	return off;
}

static void put_u32(unsigned char *p, __u32 v)
{
	memcpy(p, &v, sizeof(v));
}

static void test_array_good_snapshot_walks_every_entry(void **state)
{
	static const char *const strs[] = { "/bin/prog", "-x", "" };
	unsigned char tmp[64];
	size_t len = pack(tmp, strs, 3);
	unsigned char *s = at_guard(tmp, len);

	(void)state;
	assert_int_equal(seccomp_pin_array_count(s, (__u32)len), 3);
	assert_string_equal(seccomp_pin_array_entry(s, (__u32)len, 0),
			    "/bin/prog");
	assert_string_equal(seccomp_pin_array_entry(s, (__u32)len, 1), "-x");
	assert_string_equal(seccomp_pin_array_entry(s, (__u32)len, 2), "");
	assert_null(seccomp_pin_array_entry(s, (__u32)len, 3));
	assert_null(seccomp_pin_array_entry(s, (__u32)len, UINT32_MAX));
}

static void test_array_empty_snapshot_has_no_entries(void **state)
{
	unsigned char tmp[4];
	unsigned char *s;

	(void)state;
	put_u32(tmp, 0);
	s = at_guard(tmp, sizeof(tmp));
	assert_int_equal(seccomp_pin_array_count(s, 4), 0);
	assert_null(seccomp_pin_array_entry(s, 4, 0));
}

static void test_array_too_short_for_count_is_rejected(void **state)
{
	unsigned char tmp[3] = { 1, 0, 0 };
	unsigned char *s = at_guard(tmp, sizeof(tmp));

	(void)state;
	assert_int_equal(seccomp_pin_array_count(s, 3), -EINVAL);
	assert_int_equal(seccomp_pin_array_count(s, 0), -EINVAL);
	assert_null(seccomp_pin_array_entry(s, 3, 0));
	assert_int_equal(seccomp_pin_array_count(NULL, 64), -EINVAL);
	assert_null(seccomp_pin_array_entry(NULL, 64, 0));
}

static void test_array_count_too_big_for_size_is_rejected(void **state)
{
	static const char *const strs[] = { "a", "b" };
	unsigned char tmp[64];
	size_t len = pack(tmp, strs, 2);
	unsigned char *s;

	(void)state;
	put_u32(tmp, 1000);
	s = at_guard(tmp, len);
	assert_int_equal(seccomp_pin_array_count(s, (__u32)len), -EINVAL);
	assert_null(seccomp_pin_array_entry(s, (__u32)len, 0));

	put_u32(tmp, UINT32_MAX);
	s = at_guard(tmp, len);
	assert_int_equal(seccomp_pin_array_count(s, (__u32)len), -EINVAL);
	assert_null(seccomp_pin_array_entry(s, (__u32)len, 1));
}

static void test_array_offset_past_end_is_rejected(void **state)
{
	static const char *const strs[] = { "abc", "de" };
	unsigned char tmp[64];
	size_t len = pack(tmp, strs, 2);
	unsigned char *s;

	(void)state;
	put_u32(tmp + 8, (__u32)len); /* entry 1 starts at the end */
	s = at_guard(tmp, len);
	assert_string_equal(seccomp_pin_array_entry(s, (__u32)len, 0), "abc");
	assert_null(seccomp_pin_array_entry(s, (__u32)len, 1));

	put_u32(tmp + 8, UINT32_MAX);
	s = at_guard(tmp, len);
	assert_null(seccomp_pin_array_entry(s, (__u32)len, 1));
}

static void test_array_offset_into_header_is_rejected(void **state)
{
	static const char *const strs[] = { "abc", "de" };
	unsigned char tmp[64];
	size_t len = pack(tmp, strs, 2);
	unsigned char *s;

	(void)state;
	put_u32(tmp + 4, 4); /* entry 0 points at the offset table */
	s = at_guard(tmp, len);
	assert_null(seccomp_pin_array_entry(s, (__u32)len, 0));
	assert_string_equal(seccomp_pin_array_entry(s, (__u32)len, 1), "de");
}

static void test_array_missing_final_nul_is_rejected(void **state)
{
	static const char *const strs[] = { "abc", "defg" };
	unsigned char tmp[64];
	size_t len = pack(tmp, strs, 2);
	unsigned char *s;

	(void)state;
	tmp[len - 1] = 'X'; /* last string runs into the guard page */
	s = at_guard(tmp, len);
	assert_string_equal(seccomp_pin_array_entry(s, (__u32)len, 0), "abc");
	assert_null(seccomp_pin_array_entry(s, (__u32)len, 1));
	/* A size that cuts the last string short is the same thing. */
	s = at_guard(tmp, len - 2);
	assert_null(seccomp_pin_array_entry(s, (__u32)(len - 2), 1));
}

static struct seccomp_notif_pin_args two_args(void *buf, __u32 buf_size)
{
	struct seccomp_notif_pin_args pin;

	memset(&pin, 0, sizeof(pin));
	pin.nr_args = 2;
	pin.buf = (uintptr_t)buf;
	pin.buf_size = buf_size;
	pin.args[0].actual_size = 10;
	pin.args[0].buf_offset = 0;
	pin.args[1].actual_size = 6;
	pin.args[1].buf_offset = 16;
	return pin;
}

static void test_snapshot_good_request_points_into_buf(void **state)
{
	unsigned char *buf = arena.page + arena.pagesz - 22;
	struct seccomp_notif_pin_args pin = two_args(buf, 22);

	(void)state;
	assert_ptr_equal(seccomp_pin_snapshot(&pin, 0), buf);
	assert_ptr_equal(seccomp_pin_snapshot(&pin, 1), buf + 16);
}

static void test_snapshot_index_past_nr_args_is_null(void **state)
{
	unsigned char buf[32];
	struct seccomp_notif_pin_args pin = two_args(buf, sizeof(buf));

	(void)state;
	assert_null(seccomp_pin_snapshot(&pin, 2));
	assert_null(seccomp_pin_snapshot(&pin, SECCOMP_PIN_MAX_ARGS));
	assert_null(seccomp_pin_snapshot(&pin, UINT32_MAX));
	pin.nr_args = SECCOMP_PIN_MAX_ARGS + 1;
	assert_null(seccomp_pin_snapshot(&pin, 0));
	assert_null(seccomp_pin_snapshot(NULL, 0));
}

static void test_snapshot_past_buf_size_is_null(void **state)
{
	unsigned char buf[32];
	struct seccomp_notif_pin_args pin = two_args(buf, 21);

	(void)state;
	assert_non_null(seccomp_pin_snapshot(&pin, 0));
	assert_null(seccomp_pin_snapshot(&pin, 1)); /* 16 + 6 > 21 */
	pin.args[0].buf_offset = 21; /* offset == size */
	pin.args[0].actual_size = 0;
	assert_null(seccomp_pin_snapshot(&pin, 0));
}

static void test_snapshot_overflowing_offset_is_null(void **state)
{
	unsigned char buf[32];
	struct seccomp_notif_pin_args pin = two_args(buf, sizeof(buf));

	(void)state;
	pin.args[0].buf_offset = UINT64_MAX - 4;
	assert_null(seccomp_pin_snapshot(&pin, 0));
	pin.args[0].buf_offset = 8;
	pin.args[0].actual_size = UINT32_MAX;
	assert_null(seccomp_pin_snapshot(&pin, 0));
}

static void test_snapshot_without_buf_is_null(void **state)
{
	struct seccomp_notif_pin_args pin = two_args(NULL, 32);

	(void)state;
	assert_null(seccomp_pin_snapshot(&pin, 0));
	pin.buf = UINT64_MAX - 8; /* buf + buf_size wraps */
	assert_null(seccomp_pin_snapshot(&pin, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_array_good_snapshot_walks_every_entry),
		cmocka_unit_test(test_array_empty_snapshot_has_no_entries),
		cmocka_unit_test(test_array_too_short_for_count_is_rejected),
		cmocka_unit_test(test_array_count_too_big_for_size_is_rejected),
		cmocka_unit_test(test_array_offset_past_end_is_rejected),
		cmocka_unit_test(test_array_offset_into_header_is_rejected),
		cmocka_unit_test(test_array_missing_final_nul_is_rejected),
		cmocka_unit_test(test_snapshot_good_request_points_into_buf),
		cmocka_unit_test(test_snapshot_index_past_nr_args_is_null),
		cmocka_unit_test(test_snapshot_past_buf_size_is_null),
		cmocka_unit_test(test_snapshot_overflowing_offset_is_null),
		cmocka_unit_test(test_snapshot_without_buf_is_null),
	};

	return cmocka_run_group_tests_name("snapshot", tests, arena_setup,
					   arena_teardown);
}
