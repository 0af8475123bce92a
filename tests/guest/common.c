// SPDX-License-Identifier: GPL-2.0
/*
 * common.c - the per-test fixture and its scratch area: a MAP_SHARED
 * region for talking to children, a snapshot buffer, a scratch
 * directory, the per-test timeout and the end-of-test leak check.
 */
#include "common.h"

#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

static struct fx the_fx;
static unsigned int test_seq;

static void on_timeout(int sig)
{
	static const char msg[] = "\n*** test timed out (SIGALRM) ***\n";

	(void)sig;
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(124);
	_exit(124);
}

void apply_test_filter(void)
{
	const char *only = getenv("SPT_TEST_FILTER");
	const char *skip = getenv("SPT_TEST_SKIP");

	if (only && *only)
		cmocka_set_test_filter(only);
	if (skip && *skip)
		cmocka_set_skip_filter(skip);
}

int fx_setup(void **state)
{
	struct fx *f = &the_fx;
	int i;

	memset(f, 0, sizeof(*f));
	f->prestate = *state;
	for (i = 0; i < MAX_TRACEES; i++)
		f->t[i].listener = -1;
	signal(SIGALRM, on_timeout);
	alarm(TEST_TIMEOUT_S);

	f->dev = seccomp_pin_open();
	/*
	 * Plumbing check on a host without the module: every pin then
	 * fails with ENOTTY, but spawning, filters and notifications run.
	 */
	if (f->dev == -ENOENT && getenv("SECCOMP_PIN_GUEST_NO_MODULE"))
		f->dev = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (f->dev < 0) {
		print_error("cannot open %s: %s\n", SECCOMP_PIN_DEVICE,
			    strerror(-f->dev));
		return -1;
	}
	f->live_base = live_pins_now(f->dev);
	f->shm = mmap(NULL, SHM_SIZE, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	f->buf = mmap(NULL, SNAP_BUF_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (f->shm == MAP_FAILED || f->buf == MAP_FAILED)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/sp-%d-%u", getpid(), ++test_seq);
	if (mkdir(f->dir, 0755) < 0)
		return -1;
	*state = f;
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int type,
		  struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_DP)
		return rmdir(path);
	return unlink(path);
}

int fx_teardown(void **state)
{
	struct fx *f = *state;
	__u64 live;
	int i;

	for (i = 0; i < f->nfds; i++)
		close(f->fds[i]);
	for (i = 0; i < f->nt; i++) {
		if (f->t[i].pid > 0) {
			kill(f->t[i].pid, SIGKILL);
			waitpid(f->t[i].pid, NULL, 0);
			f->t[i].pid = 0;
		}
		close_listener(&f->t[i]);
	}
	live = wait_live_pins(f->dev, f->live_base);
	if (f->dir[0])
		nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	munmap(f->shm, SHM_SIZE);
	munmap(f->buf, SNAP_BUF_SIZE);
	close(f->dev);
	alarm(0);
	if (live != f->live_base) {
		print_error("pin leak: live_pins %llu, was %llu at start\n",
			    (unsigned long long)live,
			    (unsigned long long)f->live_base);
		return -1;
	}
	return 0;
}

void *shm_alloc(struct fx *f, size_t size)
{
	void *p;

	size = (size + 63) & ~(size_t)63;
	assert_true(f->shm_used + size <= SHM_SIZE);
	p = f->shm + f->shm_used;
	f->shm_used += size;
	memset(p, 0, size);
	return p;
}

const char *tpath(struct fx *f, const char *name)
{
	char *p;

	assert_true(f->npaths < MAX_PATHS);
	p = f->paths[f->npaths++];
	snprintf(p, PATH_MAX, "%s/%s", f->dir, name);
	return p;
}

void write_file(const char *path, const char *content)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	size_t len = strlen(content);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, len), (ssize_t)len);
	close(fd);
}

int put_file(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, value, strlen(value)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

bool run_on_cpu0(cpu_set_t *saved)
{
	cpu_set_t one;

	if (sched_getaffinity(0, sizeof(*saved), saved))
		return false;
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	return sched_setaffinity(0, sizeof(one), &one) == 0;
}

int read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return (int)n;
}

bool exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* Helpers live next to the test binary (/tests in the VM). */
void helper_path(const char *name, char *out, size_t size)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	assert_true(n > 0);
	self[n] = '\0';
	slash = strrchr(self, '/');
	assert_non_null(slash);
	*slash = '\0';
	snprintf(out, size, "%s/%s", self, name);
}

int fx_fd(struct fx *f, int fd)
{
	assert_true(fd >= 0);
	assert_true(f->nfds < (int)(sizeof(f->fds) / sizeof(f->fds[0])));
	f->fds[f->nfds++] = fd;
	return fd;
}

char *shm_str(struct fx *f, const char *s, size_t cap)
{
	size_t len = strlen(s) + 1;
	char *p = shm_alloc(f, len > cap ? len : cap);

	memcpy(p, s, len);
	return p;
}

void set_sun(void *sun, const char *path)
{
	struct sockaddr_un *sa = sun;

	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	assert_true(strlen(path) < sizeof(sa->sun_path));
	strcpy(sa->sun_path, path);
}

const char *snap_str(const struct seccomp_notif_pin_args *p, unsigned int i)
{
	const char *s = seccomp_pin_snapshot(p, i);

	assert_non_null(s);
	assert_int_equal(p->args[i].buf_offset % SECCOMP_PIN_BUF_ALIGN, 0);
	assert_true(p->args[i].actual_size > 0);
	assert_int_equal(s[p->args[i].actual_size - 1], '\0');
	return s;
}
