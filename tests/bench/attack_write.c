// SPDX-License-Identifier: GPL-2.0
/*
 * attack_write.c - the buffer of write(2): allowed vs forbidden content
 * written to a file. Before each write the target zeroes the file with
 * pwrite64 (not trapped); afterwards it reads back what landed.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <seccomp_pin.h>

#include "attack.h"

#define OUT BENCH_DIR "/write-out"
#define LEN 16
static const char allowed[LEN] = "public-content-0";
static const char forbidden[LEN] = "SECRET-CONTENT-1";

static char data[LEN] __attribute__((aligned(16)));

static void setup(void)
{
}

static void target(long rounds, uint64_t deadline)
{
	struct attack_flip flip = { data, allowed, forbidden, LEN };
	static const char zero[LEN];
	char back[LEN];
	long i;
	int fd;

	fd = open(OUT, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		bench_die(OUT);
	memcpy(data, allowed, LEN);
	attack_flip_start(&flip);
	for (i = 0; i < rounds && bench_now_ns() < deadline; i++) {
		ssize_t n;

		if (pwrite(fd, zero, LEN, 0) != LEN || lseek(fd, 0, SEEK_SET))
			bench_die("reset " OUT);
		n = write(fd, data, LEN);
		atomic_fetch_add(&attack_counts->calls, 1);
		if (n <= 0)
			continue;
		if (pread(fd, back, LEN, 0) != LEN)
			bench_die("read back " OUT);
		if (!memcmp(back, allowed, LEN))
			atomic_fetch_add(&attack_counts->effect_allowed, 1);
		else
			atomic_fetch_add(&attack_counts->bypassed, 1);
	}
	attack_flip_stop();
	close(fd);
}

static int allow(struct attack_sup *sup, const struct seccomp_notif *req)
{
	if (req->data.args[2] != LEN)
		return 0;
	return attack_fetch(sup, req, 1, SECCOMP_PIN_FIXED, LEN) == LEN &&
	       !memcmp(sup->buf, allowed, LEN);
}

static void teardown(void)
{
	unlink(OUT);
}

const struct attack_shape attack_write = {
	.name = "buffer via write",
	.rewrite = "`public-content-0` / `SECRET-CONTENT-1`",
	.nr = __NR_write,
	.setup = setup,
	.target = target,
	.allow = allow,
	.teardown = teardown,
};
