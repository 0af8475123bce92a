// SPDX-License-Identifier: GPL-2.0
/*
 * test_clone_refusal.c - the module refuses to load while a compiler
 * clone of a hooked function exists (module/hooks.c): callers could
 * enter the clone and bypass the hook. The clone here is fake: the test
 * module /kmod/spt_fake_clone.ko (tests/guest/kmod/spt_fake_clone)
 * defines vfs_write.isra.0.part.0, a combined suffix with a non-zero
 * index that a fixed list of suffixes misses.
 *
 * With it loaded, insmod must fail with the precise log line naming the
 * clone and leave nothing behind (no device node, no hook in ftrace's
 * enabled_functions); once it is unloaded, insmod must succeed again.
 * The suite leaves the module loaded as the harness does (keep_hooks=1).
 * It also times a few reloads: the load-time cost of the symbol walk.
 */
#include "hard_common.h"

#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>

#define FAKE_KO "/kmod/spt_fake_clone.ko"
#define FAKE_NAME "spt_fake_clone"
#define FAKE_CLONE "vfs_write.isra.0.part.0"
#define TRACEFS "/sys/kernel/tracing"
#define KMSG_MAX (64 * 1024)

struct clone_state {
	cpu_set_t cpus; /* affinity before the test */
};

static bool fake_loaded(void)
{
	return exists("/sys/module/" FAKE_NAME);
}

static int run_cmd(const char *cmd)
{
	int st = system(cmd);

	if (st < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/*
 * Everything on CPU 0: insmod registers the hooks (keep_hooks=1), live
 * text patching that multi-threaded TCG gets wrong when another vCPU
 * runs the patched function (see run_on_cpu0() in common.h).
 */
static int cl_setup(void **state)
{
	struct clone_state *s = calloc(1, sizeof(*s));
	cpu_set_t one;

	if (!s || sched_getaffinity(0, sizeof(s->cpus), &s->cpus))
		return -1;
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	if (sched_setaffinity(0, sizeof(one), &one))
		return -1;
	*state = s;
	return 0;
}

/* Whatever happened: fake module gone, ours loaded as the harness has it. */
static int cl_teardown(void **state)
{
	struct clone_state *s = *state;
	int ret = 0;

	if (fake_loaded() && run_cmd("rmmod " FAKE_NAME " 2>&1"))
		ret = -1;
	if (!hard_module_loaded() && hard_insmod(NULL))
		ret = -1;
	if (!ret) {
		int fd = hard_open_dev();

		if (fd < 0)
			ret = -1;
		else
			close(fd);
	}
	sched_setaffinity(0, sizeof(s->cpus), &s->cpus);
	free(s);
	return ret;
}

/* /dev/kmsg positioned at the end: reading it yields what comes next. */
static int kmsg_open_at_end(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	assert_true(fd >= 0);
	assert_true(lseek(fd, 0, SEEK_END) >= 0);
	return fd;
}

/* The messages logged since kmsg_open_at_end(), one per line. */
static void kmsg_read(int fd, char *out, size_t size)
{
	char rec[8192];
	size_t used = 0;
	ssize_t n;

	out[0] = '\0';
	for (;;) {
		const char *msg;
		size_t len;

		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue; /* overwritten records: go on */
		if (n <= 0)
			break;
		rec[n] = '\0';
		/* "prio,seq,usec,flags;message\n" then " KEY=value" lines */
		msg = strchr(rec, ';');
		if (!msg)
			continue;
		msg++;
		len = strcspn(msg, "\n");
		if (used + len + 2 > size)
			break;
		memcpy(out + used, msg, len);
		used += len;
		out[used++] = '\n';
		out[used] = '\0';
	}
}

static bool kallsyms_has(const char *name)
{
	char line[512], sym[256];
	bool found = false;
	FILE *f = fopen("/proc/kallsyms", "re");

	assert_non_null(f);
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%*s %*s %255s", sym) == 1 &&
			!strcmp(sym, name);
	fclose(f);
	return found;
}

/* Lines of ftrace's enabled_functions naming one of the hooked functions. */
static int hooked_functions(char *which, size_t size)
{
	static const char *const hooked[] = { "getname_flags", "do_getname",
					      "move_addr_to_kernel",
					      "bprm_execve", "vfs_write" };
	char line[512];
	int n = 0;
	size_t i;
	FILE *f;

	if (!exists(TRACEFS "/enabled_functions"))
		mount("tracefs", TRACEFS, "tracefs", 0, NULL);
	f = fopen(TRACEFS "/enabled_functions", "re");
	assert_non_null(f);
	which[0] = '\0';
	while (fgets(line, sizeof(line), f))
		for (i = 0; i < sizeof(hooked) / sizeof(hooked[0]); i++) {
			size_t len = strlen(hooked[i]);

			/* "vfs_write (1) R I ..." or "getname_flags.part.0 ..." */
			if (strncmp(line, hooked[i], len) ||
			    (line[len] != '.' && line[len] != ' '))
				continue;
			strncat(which, line, size - strlen(which) - 1);
			n++;
		}
	fclose(f);
	return n;
}

static void test_clone_in_a_module_refuses_the_load(void **state)
{
	char expect[256], which[1024];
	char *log = malloc(KMSG_MAX);
	int kmsg, rc;

	(void)state;
	assert_non_null(log);
	assert_true(hard_module_loaded());
	if (!exists(FAKE_KO))
		fail_msg("%s missing: tests/vm/run-vm-tests builds it",
			 FAKE_KO);
	assert_int_equal(hard_rmmod(), 0);
	assert_int_equal(hooked_functions(which, sizeof(which)), 0);

	assert_int_equal(run_cmd("insmod " FAKE_KO " 2>&1"), 0);
	if (!kallsyms_has(FAKE_CLONE))
		fail_msg("%s loaded but %s is not in /proc/kallsyms", FAKE_KO,
			 FAKE_CLONE);

	kmsg = kmsg_open_at_end();
	rc = hard_insmod(NULL);
	kmsg_read(kmsg, log, KMSG_MAX);
	close(kmsg);
	print_message("insmod with %s loaded: exit %d, kernel log:\n%s",
		      FAKE_NAME, rc, log);
	if (rc == 0)
		fail_msg("seccomp_pin loaded despite the clone %s", FAKE_CLONE);

	snprintf(
		expect, sizeof(expect),
		"seccomp_pin: cannot hook fetch site 0x%x: vfs_write has a compiler clone %s (module symbol) that callers may enter directly\n",
		SECCOMP_PIN_SITE_WRITE, FAKE_CLONE);
	if (!strstr(log, expect))
		fail_msg("no refusal line naming the clone; expected: %s",
			 expect);
	/* Refused as a whole: nothing left registered. */
	assert_false(hard_module_loaded());
	assert_false(exists(SECCOMP_PIN_DEVICE));
	if (hooked_functions(which, sizeof(which)))
		fail_msg("hooks left after the refused load:\n%s", which);

	assert_int_equal(run_cmd("rmmod " FAKE_NAME " 2>&1"), 0);
	kmsg = kmsg_open_at_end();
	rc = hard_insmod(NULL);
	kmsg_read(kmsg, log, KMSG_MAX);
	close(kmsg);
	if (rc)
		fail_msg(
			"insmod failed (exit %d) with the fake clone gone:\n%s",
			rc, log);
	if (strstr(log, "compiler clone"))
		fail_msg("clone reported on the stock kernel:\n%s", log);
	assert_true(hard_module_loaded());
	free(log);
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/* The load-time cost of resolving the hooks, the clone scan included. */
static void test_insmod_time(void **state)
{
	long cycles = hard_param("SPT_CLONE_RELOADS", 5);
	long long ms[64];
	long i;

	(void)state;
	if (cycles < 1 || cycles > 64)
		cycles = 5;
	for (i = 0; i < cycles; i++) {
		long long t;

		assert_int_equal(hard_rmmod(), 0);
		t = hard_ms();
		assert_int_equal(hard_insmod(NULL), 0);
		ms[i] = hard_ms() - t;
	}
	qsort(ms, cycles, sizeof(ms[0]), cmp_ll);
	print_message(
		"insmod time over %ld loads: min %lld ms, median %lld ms, max %lld ms\n",
		cycles, ms[0], ms[cycles / 2], ms[cycles - 1]);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, cl_setup, cl_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_clone_in_a_module_refuses_the_load),
		T(test_insmod_time),
	};

	setvbuf(stdout, NULL, _IOLBF, 0);
	hard_params_to_env();
	apply_test_filter();
	return cmocka_run_group_tests_name("clone_refusal", tests, NULL, NULL);
}
