// SPDX-License-Identifier: GPL-2.0
/*
 * race_target - the attacker the Go and Rust example supervisors run
 * under their seccomp filter (they install it, then exec this).
 *
 *   race_target REPORT_FD GOOD_PATH BAD_PATH
 *
 * The main thread calls openat(path) in a loop and writes one byte per
 * call to REPORT_FD: the first byte of the file it got (the supervisors'
 * files hold 'A' for allowed, 'S' for the secret), 'D' for EACCES (denied),
 * 'E' for any other failure. A second thread keeps flipping the path
 * between GOOD_PATH and BAD_PATH, holding each for a random while.
 *
 *   race_target REPORT_FD --echo ARG...
 *
 * writes its whole argv, each string with its NUL, to REPORT_FD and exits:
 * the supervisors' execve test checks the program got the pinned argv.
 *
 * The two paths must differ only inside one 8-byte word of the (aligned)
 * buffer: the flip is one aligned 64-bit store, so the kernel's word-wise
 * copy never sees half of each path (a torn read would be an ENOENT, which
 * the supervisors count as a failed test, not as a win for either side).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static _Alignas(64) char path[256], bad[256];
static uint64_t word_good, word_bad;
static uint64_t *word;

static void *flipper(void *arg)
{
	unsigned int seed = 1, i, n;

	(void)arg;
	/* A random value held for a random while, both independent. */
	for (;;) {
		seed = seed * 1103515245 + 12345;
		__atomic_store_n(word, (seed >> 24) & 1 ? word_good : word_bad,
				 __ATOMIC_RELAXED);
		for (n = (seed >> 12) & 1023, i = 0; i < n; i++)
			__asm__ volatile("" ::: "memory");
	}
	return NULL;
}

int main(int argc, char **argv)
{
	size_t len, w, i;
	pthread_t th;
	int report;

	if (argc >= 3 && !strcmp(argv[2], "--echo")) {
		report = atoi(argv[1]);
		for (i = 0; i < (size_t)argc; i++) {
			len = strlen(argv[i]) + 1;
			if (write(report, argv[i], len) != (ssize_t)len)
				return 1;
		}
		return 0;
	}
	if (argc != 4)
		goto usage;
	report = atoi(argv[1]);
	len = strlen(argv[2]);
	if (len != strlen(argv[3]) || len >= sizeof(path) - 8)
		goto usage;
	for (i = 0; i < len && argv[2][i] == argv[3][i]; i++)
		;
	if (i == len)
		goto usage;
	w = i / 8 * 8;
	for (i = 0; i < len; i++)
		if (argv[2][i] != argv[3][i] && (i < w || i >= w + 8))
			goto usage;
	memcpy(path, argv[2], len + 1);
	memcpy(bad, argv[3], len + 1);
	word = (uint64_t *)(path + w);
	/* Whole words of the zeroed buffers: a NUL inside stays in both. */
	memcpy(&word_good, path + w, 8);
	memcpy(&word_bad, bad + w, 8);
	if (pthread_create(&th, NULL, flipper, NULL))
		return 2;
	for (;;) {
		char c = 'E';
		int fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);

		if (fd < 0) {
			c = errno == EACCES ? 'D' : 'E';
		} else {
			if (read(fd, &c, 1) != 1)
				c = 'E';
			close(fd);
		}
		if (write(report, &c, 1) != 1)
			return 0;
	}
usage:
	fprintf(stderr,
		"usage: race_target REPORT_FD GOOD_PATH BAD_PATH (same length, differing in one aligned 8-byte word)\n");
	return 2;
}
