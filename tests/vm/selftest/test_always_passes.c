// SPDX-License-Identifier: GPL-2.0
/*
 * Harness self-test: a passing cmocka suite that also checks what the
 * harness promises the real suites: the device node exists for everyone,
 * helpers are found under /tests/, the working directory is /tmp.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

static void device_node_is_world_rw(void **state)
{
	struct stat st;
	int fd;

	(void)state;
	assert_int_equal(stat("/dev/seccomp_pin", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0666);
	fd = open("/dev/seccomp_pin", O_RDWR);
	assert_true(fd >= 0);
	close(fd);
}

static void helper_runs_from_tests_dir(void **state)
{
	int status;
	pid_t pid;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		execl("/tests/helper_exit42", "helper_exit42", (char *)NULL);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 42);
}

static void cwd_is_tmp(void **state)
{
	char buf[64];

	(void)state;
	assert_non_null(getcwd(buf, sizeof(buf)));
	assert_string_equal(buf, "/tmp");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(device_node_is_world_rw),
		cmocka_unit_test(helper_runs_from_tests_dir),
		cmocka_unit_test(cwd_is_tmp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
