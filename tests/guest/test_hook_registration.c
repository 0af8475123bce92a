// SPDX-License-Identifier: GPL-2.0
/*
 * test_hook_registration.c - the ftrace hooks are in the kernel text only
 * while pins need them: a PIN_ARGS registers the hooks of its sites (and
 * only those), the pinned syscall is served from the snapshot through
 * the freshly registered hook, and hook_idle_ms after the last pin the
 * hooks are gone again (INFO registered_sites). keep_hooks=1 registers
 * every hook at once and keeps them.
 *
 * The harness loads the module with keep_hooks=1 (tests/vm/guest-init.sh):
 * live text patching while another vCPU runs the patched function is
 * unsafe under QEMU's multi-threaded TCG. This suite switches to the
 * on-demand mode with everything it starts on CPU 0, so the patching
 * never meets the other vCPU inside a hooked function, and restores
 * keep_hooks=1 (every hook registered) whatever the outcome.
 */
#include "common.h"

#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>

#define PARAMS "/sys/module/seccomp_pin/parameters/"
#define IDLE_MS 100
#define IDLE_WAIT_MS 5000 /* removal runs from a workqueue: allow slack */

static const struct trap openat_trap[] = { TRAP64(__NR_openat) };

struct hook_state {
	cpu_set_t cpus; /* affinity before the test */
	char idle_ms[32]; /* hook_idle_ms before the test */
};

static int write_param(const char *name, const char *value)
{
	char path[128];
	ssize_t n;
	int fd, err;

	snprintf(path, sizeof(path), PARAMS "%s", name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, value, strlen(value));
	err = n < 0 ? errno : EIO;
	close(fd);
	return n == (ssize_t)strlen(value) ? 0 : -err;
}

static __u32 registered_sites(int dev)
{
	struct seccomp_pin_info info;

	assert_ret(seccomp_pin_info(dev, &info), 0);
	return info.registered_sites;
}

static __u32 supported_sites(int dev)
{
	struct seccomp_pin_info info;

	assert_ret(seccomp_pin_info(dev, &info), 0);
	return info.sites;
}

/* Poll INFO until registered_sites == @want or IDLE_WAIT_MS; the last. */
static __u32 wait_registered(int dev, __u32 want)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	__u32 now = registered_sites(dev);
	int i;

	for (i = 0; now != want && i < IDLE_WAIT_MS / 10; i++) {
		nanosleep(&ts, NULL);
		now = registered_sites(dev);
	}
	return now;
}

static int setup(void **state)
{
	struct hook_state *hs = calloc(1, sizeof(*hs));
	cpu_set_t one;
	int fd, ret;
	ssize_t n;

	if (!hs)
		return -1;
	fd = open(PARAMS "hook_idle_ms", O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : read(fd, hs->idle_ms, sizeof(hs->idle_ms) - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0 || sched_getaffinity(0, sizeof(hs->cpus), &hs->cpus)) {
		free(hs);
		return -1;
	}
	/* Children inherit it: nothing of this test runs on another vCPU. */
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	if (sched_setaffinity(0, sizeof(one), &one)) {
		free(hs);
		return -1;
	}
	ret = fx_setup(state);
	if (ret)
		return ret;
	((struct fx *)*state)->prestate = hs;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	struct hook_state *hs = f->prestate;
	int ret = 0;

	/* Every hook back, as the harness loaded it, before other suites. */
	if (write_param("keep_hooks", "1") ||
	    write_param("hook_idle_ms", hs->idle_ms) ||
	    registered_sites(f->dev) != supported_sites(f->dev))
		ret = -1;
	if (sched_setaffinity(0, sizeof(hs->cpus), &hs->cpus))
		ret = -1;
	free(hs);
	return fx_teardown(state) ?: ret;
}

/* On-demand mode, and wait until every hook has left the kernel text. */
static void go_idle(struct fx *f)
{
	char ms[16];

	snprintf(ms, sizeof(ms), "%d", IDLE_MS);
	assert_ret(write_param("hook_idle_ms", ms), 0);
	assert_ret(write_param("keep_hooks", "0"), 0);
	assert_int_equal(wait_registered(f->dev, 0), 0);
}

static void test_pin_registers_its_site_and_idle_removes_it(void **state)
{
	struct fx *f = *state;
	struct op_ctx *c = shm_alloc(f, sizeof(*c));
	struct seccomp_notif n;
	struct tracee *t;

	go_idle(f);
	write_file(tpath(f, "A"), "A");
	write_file(tpath(f, "B"), "B");
	c->path = shm_str(f, tpath(f, "A"), PATH_MAX);
	t = spawn_trapped(f, openat_trap, 1, child_openat, c);
	recv_notif(t, &n);
	/* Unpinned notifications register nothing. */
	assert_int_equal(registered_sites(f->dev), 0);
	assert_ret(pin1(f, t, n.id, 1, SECCOMP_PIN_CSTRING, PATH_MAX, NULL), 0);
	assert_int_equal(registered_sites(f->dev), SECCOMP_PIN_SITE_PATH);
	/* The hook registered just now must serve the snapshot. */
	strcpy(strrchr(c->path, '/'), "/B");
	continue_pinned(f, t, n.id);
	assert_int_equal(reap_exit(t), 0);
	assert_int_equal(c->ret[0] >= 0, 1);
	assert_string_equal(c->got, "A");
	assert_int_equal(wait_live_pins(f->dev, f->live_base), f->live_base);
	assert_int_equal(wait_registered(f->dev, 0), 0);
}

static void test_write_pin_registers_only_the_write_site(void **state)
{
	struct fx *f = *state;
	const char *file = tpath(f, "out");
	struct op_ctx *c = shm_alloc(f, sizeof(*c));
	struct seccomp_notif n;
	struct tracee *t;
	char back[32];
	int fd;

	go_idle(f);
	fd = fx_fd(f, open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644));
	{
		const struct trap traps[] = { TRAP64_ARG0(__NR_write, fd) };

		c->fd = fd;
		c->buf = shm_str(f, "PINNED", 64);
		c->count = 6;
		t = spawn_trapped(f, traps, 1, child_write, c);
	}
	recv_notif(t, &n);
	assert_ret(pin1(f, t, n.id, 1, SECCOMP_PIN_FIXED, 6, NULL), 0);
	assert_int_equal(registered_sites(f->dev), SECCOMP_PIN_SITE_WRITE);
	memcpy((char *)c->buf, "MUTATE", 6);
	continue_pinned(f, t, n.id);
	assert_int_equal(reap_exit(t), 0);
	assert_int_equal(c->ret[0], 6);
	assert_int_equal(read_file(file, back, sizeof(back)), 6);
	assert_string_equal(back, "PINNED");
	assert_int_equal(wait_registered(f->dev, 0), 0);
}

/*
 * Hooks removed and registered again between consecutive pins (a 1 ms
 * idle delay): every pinned open must still be served from its snapshot,
 * however a removal and the next PIN_ARGS interleave. A third of the
 * rounds wait until the hook is gone, a third pin while a removal may be
 * under way, a third at once.
 */
static void test_pins_across_removals_always_use_the_snapshot(void **state)
{
	struct fx *f = *state;
	struct op_ctx *c = shm_alloc(f, sizeof(*c));
	int i, rounds = 60, removed = 0;
	struct seccomp_notif n;
	struct tracee *t;
	char *leaf;

	go_idle(f);
	assert_ret(write_param("hook_idle_ms", "1"), 0);
	write_file(tpath(f, "A"), "A");
	write_file(tpath(f, "B"), "B");
	c->path = shm_str(f, tpath(f, "A"), PATH_MAX);
	c->calls = rounds;
	leaf = strrchr(c->path, '/') + 1;
	t = spawn_trapped(f, openat_trap, 1, child_openat, c);
	for (i = 0; i < rounds; i++) {
		recv_notif(t, &n);
		if (i % 3 == 1)
			removed += wait_registered(f->dev, 0) == 0;
		else if (i % 3 == 2)
			usleep(1000 * (i % 8));
		assert_ret(pin1(f, t, n.id, 1, SECCOMP_PIN_CSTRING, PATH_MAX,
				NULL),
			   0);
		*leaf = 'B';
		continue_pinned(f, t, n.id);
		while (c->done <= i)
			usleep(100);
		if (c->first[i] != 'A')
			fail_msg("round %d: the open read %c, not the snapshot",
				 i, c->first[i]);
		*leaf = 'A';
	}
	assert_int_equal(reap_exit(t), 0);
	print_message("hooks gone before %d of %d pins\n", removed, rounds);
	assert_int_equal(removed, rounds / 3);
}

static void test_keep_hooks_registers_every_site_at_once(void **state)
{
	struct fx *f = *state;
	__u32 all = supported_sites(f->dev);

	assert_int_equal(all, SECCOMP_PIN_SITE_PATH |
				      SECCOMP_PIN_SITE_SOCKADDR |
				      SECCOMP_PIN_SITE_EXEC_ARGS |
				      SECCOMP_PIN_SITE_WRITE);
	go_idle(f);
	assert_ret(write_param("keep_hooks", "1"), 0);
	assert_int_equal(registered_sites(f->dev), all);
	/* Kept: the idle delay passes and nothing is removed. */
	usleep(IDLE_MS * 3 * 1000);
	assert_int_equal(registered_sites(f->dev), all);
	assert_ret(write_param("keep_hooks", "maybe"), -EINVAL);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_pin_registers_its_site_and_idle_removes_it),
		T(test_write_pin_registers_only_the_write_site),
		T(test_pins_across_removals_always_use_the_snapshot),
		T(test_keep_hooks_registers_every_site_at_once),
	};

	apply_test_filter();
	return cmocka_run_group_tests_name("hook_registration", tests, NULL,
					   NULL);
}
