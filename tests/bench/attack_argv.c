// SPDX-License-Identifier: GPL-2.0
/*
 * attack_argv.c - argv of execve(2): bench_argv with an allowed or a
 * forbidden argument. Each round forks a child that starts the flipper
 * and execs; the helper's exit status says which argv it received.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libseccomp_pin.h>

#include "attack.h"
#include "bench_argv.h"

static char helper[PATH_MAX];
static char arg[16];

static void setup(void)
{
	strcpy(helper, bench_sibling("bench_argv"));
}

static void __attribute__((noreturn)) child(void)
{
	struct attack_flip flip = { arg, ARGV_ALLOWED, ARGV_FORBIDDEN,
				    sizeof(ARGV_ALLOWED) };
	char *argv[] = { helper, arg, NULL };
	char *envp[] = { NULL };

	memcpy(arg, ARGV_ALLOWED, sizeof(ARGV_ALLOWED));
	attack_flip_start(&flip);
	execve(helper, argv, envp);
	_exit(ARGV_EXEC_FAILED);
}

static void target(long rounds, uint64_t deadline)
{
	long i;

	for (i = 0; i < rounds && bench_now_ns() < deadline; i++) {
		int status;
		pid_t pid = fork();

		if (pid < 0)
			bench_die("fork");
		if (!pid)
			child();
		if (waitpid(pid, &status, 0) != pid)
			bench_die("waitpid");
		atomic_fetch_add(&attack_counts->calls, 1);
		if (!WIFEXITED(status) ||
		    WEXITSTATUS(status) == ARGV_EXEC_FAILED)
			continue;
		if (WEXITSTATUS(status) == ARGV_GOT_ALLOWED)
			atomic_fetch_add(&attack_counts->effect_allowed, 1);
		else
			atomic_fetch_add(&attack_counts->bypassed, 1);
	}
}

/* Today's supervisor: the pointer array, then each string. */
static int allow_plain(struct attack_sup *sup, const struct seccomp_notif *req)
{
	uint64_t ptrs[3];
	ssize_t n;

	if (bench_mem_read(&sup->mem, req->pid, req->data.args[1], ptrs,
			   sizeof(ptrs)) != sizeof(ptrs) || ptrs[2])
		return 0;
	n = bench_mem_read(&sup->mem, req->pid, ptrs[1], sup->buf, 64);
	return n > 0 && memchr(sup->buf, '\0', n) &&
	       !strcmp(sup->buf, ARGV_ALLOWED);
}

static int allow(struct attack_sup *sup, const struct seccomp_notif *req)
{
	const char *a1;
	long n;

	if (!sup->pinned)
		return allow_plain(sup, req);
	n = attack_fetch(sup, req, 1, SECCOMP_PIN_CSTRING_ARRAY,
			 sizeof(sup->buf));
	if (n < 0 || seccomp_pin_array_count(sup->buf, n) != 2)
		return 0;
	a1 = seccomp_pin_array_entry(sup->buf, n, 1);
	return a1 && !strcmp(a1, ARGV_ALLOWED);
}

static void teardown(void)
{
}

const struct attack_shape attack_argv = {
	.name = "argv via execve",
	.rewrite = "argv[1] `" ARGV_ALLOWED "` / `" ARGV_FORBIDDEN "`",
	.nr = __NR_execve,
	.setup = setup,
	.target = target,
	.allow = allow,
	.teardown = teardown,
};
