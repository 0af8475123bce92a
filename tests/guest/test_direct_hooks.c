// SPDX-License-Identifier: GPL-2.0
/*
 * test_direct_hooks.c - how the fetch-site hooks sit in ftrace, read from
 * the kernel's own account of them (tracefs enabled_functions):
 * - where the kernel has ftrace direct calls on an ftrace_ops (5.16+),
 *   each hooked function calls the module's trampoline directly, and the
 *   classic ftrace_ops callback is nowhere; on older kernels (5.10) the
 *   callback serves every function;
 * - a direct hook keeps serving snapshots while the function tracer
 *   traces the same function (ftrace then reaches the trampoline through
 *   ftrace_regs_caller, with the stack laid out differently);
 * - direct_hooks=0 gives the classic hooks on any kernel, and they serve
 *   snapshots.
 *
 * Like test_hook_registration, everything runs on CPU 0: the text
 * patching of tracer switches and reloads must not meet the other vCPU
 * inside a patched function (QEMU's multi-threaded TCG).
 */
#include "common.h"
#include "hard_common.h"

#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

#define TRACEFS "/sys/kernel/tracing"
#define PARAMS "/sys/module/seccomp_pin/parameters/"
#define HOOKED_FUNCTIONS 4
#define DIRECT_MARK "direct-->spin_direct_tramp"
#define CALLBACK_MARK "spin_hook_callback"

/* What enabled_functions says of the hooked functions. */
struct hook_view {
	int functions; /* lines naming one of them */
	int direct; /* ... followed by a direct call to our trampoline */
	int callback; /* ... served by the classic ftrace_ops callback */
	char text[2048]; /* those lines, for failure messages */
};

static bool is_hooked_line(const char *line)
{
	static const char *const hooked[] = { "getname_flags", "do_getname",
					      "move_addr_to_kernel",
					      "bprm_execve", "vfs_write" };
	size_t i;

	for (i = 0; i < sizeof(hooked) / sizeof(hooked[0]); i++) {
		size_t len = strlen(hooked[i]);

		/* "vfs_write (1) R I ..." or "getname_flags.part.0 ..." */
		if (!strncmp(line, hooked[i], len) &&
		    (line[len] == '.' || line[len] == ' '))
			return true;
	}
	return false;
}

/*
 * One function per line; a direct call is a continuation line
 * ("\tdirect-->sym+off/size [mod]") after its function's.
 */
static void read_hook_view(struct hook_view *v)
{
	char line[512];
	bool in_hooked = false;
	FILE *f;

	memset(v, 0, sizeof(*v));
	if (!exists(TRACEFS "/enabled_functions"))
		mount("tracefs", TRACEFS, "tracefs", 0, NULL);
	f = fopen(TRACEFS "/enabled_functions", "re");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		if (line[0] != '\t') {
			in_hooked = is_hooked_line(line);
			if (!in_hooked)
				continue;
			v->functions++;
			v->callback += strstr(line, CALLBACK_MARK) != NULL;
		} else if (!in_hooked) {
			continue;
		} else {
			v->direct += strstr(line, DIRECT_MARK) != NULL;
		}
		strncat(v->text, line, sizeof(v->text) - strlen(v->text) - 1);
	}
	fclose(f);
}

static bool param_is(const char *name, char want)
{
	char path[128], val[8] = "";

	snprintf(path, sizeof(path), PARAMS "%s", name);
	return read_file(path, val, sizeof(val)) > 0 && val[0] == want;
}

/* Direct calls on an ftrace_ops came in 5.16. */
static bool kernel_has_direct_ops(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	assert_int_equal(uname(&u), 0);
	assert_int_equal(sscanf(u.release, "%d.%d", &major, &minor), 2);
	return major > 5 || (major == 5 && minor >= 16);
}

static void expect_direct(const struct hook_view *v)
{
	if (v->functions != HOOKED_FUNCTIONS || v->direct != HOOKED_FUNCTIONS ||
	    v->callback != 0)
		fail_msg(
			"want %d hooked functions, all direct calls; got %d, %d direct, %d callbacks:\n%s",
			HOOKED_FUNCTIONS, v->functions, v->direct, v->callback,
			v->text);
}

static void expect_callbacks(const struct hook_view *v)
{
	if (v->functions != HOOKED_FUNCTIONS || v->direct != 0 ||
	    v->callback != HOOKED_FUNCTIONS)
		fail_msg(
			"want %d hooked functions, all on the ftrace_ops callback; got %d, %d direct, %d callbacks:\n%s",
			HOOKED_FUNCTIONS, v->functions, v->direct, v->callback,
			v->text);
}

/*
 * A write pinned as "PINNED", the buffer rewritten before CONTINUE: the
 * file must hold the snapshot. Through whatever hook is installed.
 */
static void pinned_write_uses_snapshot(const char *tag)
{
	void *st = NULL;
	struct fx *f;
	struct op_ctx *c;
	struct seccomp_notif n;
	struct tracee *t;
	char back[32] = "";
	const char *file;
	int fd;

	assert_int_equal(fx_setup(&st), 0);
	f = st;
	file = tpath(f, tag);
	c = shm_alloc(f, sizeof(*c));
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
	memcpy((char *)c->buf, "MUTATE", 6);
	continue_pinned(f, t, n.id);
	assert_int_equal(reap_exit(t), 0);
	assert_int_equal(c->ret[0], 6);
	assert_int_equal(read_file(file, back, sizeof(back)), 6);
	assert_string_equal(back, "PINNED");
	assert_int_equal(fx_teardown(&st), 0);
}

static void test_hooks_are_direct_calls_where_the_kernel_has_them(void **state)
{
	struct hook_view v;

	(void)state;
	/* The harness loads the module with keep_hooks=1: all registered. */
	read_hook_view(&v);
	if (kernel_has_direct_ops()) {
		assert_true(param_is("direct_hooks", 'Y'));
		expect_direct(&v);
	} else {
		assert_true(param_is("direct_hooks", 'N'));
		expect_callbacks(&v);
	}
}

/* O_TRUNC: set_ftrace_filter would append, trace would keep its lines. */
static int tracefs_set(const char *name, const char *value)
{
	char path[128];
	int fd, ret = 0;

	snprintf(path, sizeof(path), TRACEFS "/%s", name);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, value, strlen(value)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* Never the function tracer without a filter: it would trace everything. */
static int trace_only(const char *function)
{
	return tracefs_set("set_ftrace_filter", function) ?:
		       tracefs_set("current_tracer", "function");
}

static int trace_nothing(void)
{
	return tracefs_set("current_tracer", "nop") ?:
		       tracefs_set("set_ftrace_filter", "");
}

static void test_direct_hook_shares_its_function_with_the_tracer(void **state)
{
	struct hook_view v;
	char trace[256];
	int fd;
	ssize_t n;

	(void)state;
	if (!param_is("direct_hooks", 'Y'))
		skip();
	read_hook_view(&v);
	assert_ret(trace_only("vfs_write"), 0);
	assert_ret(tracefs_set("trace", ""), 0);
	pinned_write_uses_snapshot("traced");
	/* The tracer saw the calls the hook let through or redirected. */
	fd = open(TRACEFS "/trace_pipe", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	assert_true(fd >= 0);
	n = read(fd, trace, sizeof(trace) - 1);
	close(fd);
	assert_ret(trace_nothing(), 0);
	assert_true(n > 0);
	trace[n] = '\0';
	if (!strstr(trace, "vfs_write"))
		fail_msg("the function tracer saw no vfs_write:\n%s", trace);
	/* And the hooks are as they were. */
	read_hook_view(&v);
	expect_direct(&v);
}

static void test_classic_hooks_when_direct_hooks_is_off(void **state)
{
	struct hook_view v;

	(void)state;
	assert_int_equal(hard_rmmod(), 0);
	assert_int_equal(hard_insmod("direct_hooks=0"), 0);
	assert_true(param_is("direct_hooks", 'N'));
	read_hook_view(&v);
	expect_callbacks(&v);
	pinned_write_uses_snapshot("classic");
	assert_int_equal(hard_rmmod(), 0);
	assert_int_equal(hard_insmod(NULL), 0);
	read_hook_view(&v);
	if (kernel_has_direct_ops())
		expect_direct(&v);
	else
		expect_callbacks(&v);
}

static cpu_set_t saved_cpus;

static int setup(void **state)
{
	(void)state;
	return run_on_cpu0(&saved_cpus) ? 0 : -1;
}

/* Whatever happened: no tracer, the module loaded as the harness has it. */
static int teardown(void **state)
{
	int ret = 0;

	(void)state;
	if (exists(TRACEFS "/current_tracer"))
		ret |= trace_nothing();
	if (!hard_module_loaded())
		ret |= hard_insmod(NULL);
	ret |= sched_setaffinity(0, sizeof(saved_cpus), &saved_cpus);
	return ret ? -1 : 0;
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_hooks_are_direct_calls_where_the_kernel_has_them),
		T(test_direct_hook_shares_its_function_with_the_tracer),
		T(test_classic_hooks_when_direct_hooks_is_off),
	};

	apply_test_filter();
	return cmocka_run_group_tests_name("direct_hooks", tests, NULL, NULL);
}
