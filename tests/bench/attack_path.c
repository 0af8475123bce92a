// SPDX-License-Identifier: GPL-2.0
/*
 * attack_path.c - the path of openat(2): allowed file vs forbidden file.
 * The target reads the first byte of what it opened to tell them apart.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <seccomp_pin.h>

#include "attack.h"

/* Same length: each flip is a clean swap. */
#define ALLOWED BENCH_DIR "/allowed-file"
#define FORBIDDEN BENCH_DIR "/secret--file"

static char path[64];

static void setup(void)
{
	bench_write_file(ALLOWED, "A", 1);
	bench_write_file(FORBIDDEN, "S", 1);
}

static void target(long rounds, uint64_t deadline)
{
	struct attack_flip flip = { path, ALLOWED, FORBIDDEN, sizeof(ALLOWED) };
	long i;

	memcpy(path, ALLOWED, sizeof(ALLOWED));
	attack_flip_start(&flip);
	for (i = 0; i < rounds && bench_now_ns() < deadline; i++) {
		int fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
		char c = 0;

		atomic_fetch_add(&attack_counts->calls, 1);
		if (fd < 0)
			continue;
		if (read(fd, &c, 1) == 1 && c == 'A')
			atomic_fetch_add(&attack_counts->effect_allowed, 1);
		else
			atomic_fetch_add(&attack_counts->bypassed, 1);
		close(fd);
	}
	attack_flip_stop();
}

static int allow(struct attack_sup *sup, const struct seccomp_notif *req)
{
	long n = attack_fetch(sup, req, 1, SECCOMP_PIN_CSTRING,
			      sizeof(sup->buf));

	return n > 0 && memchr(sup->buf, '\0', n) && !strcmp(sup->buf, ALLOWED);
}

static void teardown(void)
{
}

const struct attack_shape attack_path = {
	.name = "path via openat",
	.rewrite = "`" ALLOWED "` / `" FORBIDDEN "`",
	.nr = __NR_openat,
	.setup = setup,
	.target = target,
	.allow = allow,
	.teardown = teardown,
};
