// SPDX-License-Identifier: GPL-2.0
/*
 * bench.c - helpers shared by the benchmark programs (see bench.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/filter.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <seccomp_pin.h>

#include "bench.h"

/* In the guest the harness puts the module at the root. */
#define MODULE_KO "/seccomp_pin.ko"
#define MODULE_NAME "seccomp_pin"

void bench_die(const char *what)
{
	fprintf(stderr, "diag: %s: %s\n", what, strerror(errno));
	exit(2);
}

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

void *bench_shared(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		bench_die("mmap");
	return p;
}

void bench_spin(int loops)
{
	for (int i = 0; i < loops; i++)
		__asm__ __volatile__("" ::: "memory");
}

void bench_write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0644);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		bench_die(path);
	close(fd);
}

const char *bench_sibling(const char *name)
{
	static char path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	char *slash;

	if (n < 0)
		bench_die("readlink /proc/self/exe");
	path[n] = '\0';
	slash = strrchr(path, '/');
	if (!slash || strlen(name) + 1 > sizeof(path) - (slash + 1 - path))
		bench_die("bench_sibling");
	strcpy(slash + 1, name);
	return path;
}

static int install_filter(int nr)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = 4, .filter = filter };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		bench_die("PR_SET_NO_NEW_PRIVS");
	return syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER,
		       SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
}

/*
 * The target sends its listener's number over a socket pair (send(2):
 * write(2) may be the trapped syscall); the parent takes a copy with
 * pidfd_getfd() and acknowledges, then the target closes its own.
 */
pid_t bench_fork_target(int nr, void (*fn)(void *), void *arg, int *listener)
{
	int sv[2], remote, pidfd;
	char ack = 0;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		bench_die("socketpair");
	pid = fork();
	if (pid < 0)
		bench_die("fork");
	if (!pid) {
		close(sv[0]);
		remote = install_filter(nr);
		if (remote < 0)
			bench_die("seccomp");
		if (send(sv[1], &remote, sizeof(remote), 0) != sizeof(remote) ||
		    recv(sv[1], &ack, 1, 0) != 1)
			bench_die("target handshake");
		close(remote);
		close(sv[1]);
		fn(arg);
		_exit(0);
	}
	close(sv[1]);
	if (recv(sv[0], &remote, sizeof(remote), 0) != sizeof(remote))
		bench_die("recv listener");
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	*listener = syscall(SYS_pidfd_getfd, pidfd, remote, 0);
	if (pidfd < 0 || *listener < 0)
		bench_die("pidfd_getfd");
	close(pidfd);
	if (send(sv[0], &ack, 1, 0) != 1)
		bench_die("send ack");
	close(sv[0]);
	return pid;
}

/*
 * RECV blocks forever once the target is gone and 6.1 reports no
 * POLLHUP for that: callers poll with a timeout and check waitpid().
 */
int bench_wait_notif(int listener, int ms)
{
	struct pollfd pfd = { .fd = listener, .events = POLLIN };

	if (poll(&pfd, 1, ms) < 0 && errno != EINTR)
		bench_die("poll");
	if (pfd.revents & POLLHUP)
		return 0;
	return !!(pfd.revents & POLLIN);
}

int bench_send(int listener, uint64_t id, int error, unsigned int flags)
{
	struct seccomp_notif_resp resp = {
		.id = id,
		.error = error,
		.flags = flags,
	};

	return ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

void bench_mem_init(struct bench_mem *m)
{
	m->pid = 0;
	m->fd = -1;
}

ssize_t bench_mem_read(struct bench_mem *m, pid_t pid, uint64_t addr, void *buf,
		       size_t len)
{
	char name[32];

	if (m->pid != pid || m->fd < 0) {
		bench_mem_close(m);
		snprintf(name, sizeof(name), "/proc/%d/mem", pid);
		m->fd = open(name, O_RDONLY | O_CLOEXEC);
		if (m->fd < 0)
			return -1;
		m->pid = pid;
	}
	return pread(m->fd, buf, len, addr);
}

void bench_mem_close(struct bench_mem *m)
{
	if (m->fd >= 0)
		close(m->fd);
	bench_mem_init(m);
}

int bench_module(int load)
{
	if (!access("/sys/module/" MODULE_NAME, F_OK) == !!load)
		return 0;
	return load ? bench_module_reload(BENCH_HARNESS_PARAMS) :
		      bench_system("rmmod " MODULE_NAME " >/dev/null 2>&1");
}

int bench_module_reload(const char *params)
{
	char cmd[256];

	if (!access("/sys/module/" MODULE_NAME, F_OK) &&
	    bench_system("rmmod " MODULE_NAME " >/dev/null 2>&1"))
		return -1;
	snprintf(cmd, sizeof(cmd), "insmod " MODULE_KO " %s >/dev/null 2>&1",
		 params);
	return bench_system(cmd);
}

int bench_system(const char *cmd)
{
	int status = system(cmd);

	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int bench_info(struct seccomp_pin_info *info)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int fd = -1, i, ret;

	/* The device node may trail insmod by a moment. */
	for (i = 0; fd < 0 && i < 200; i++) {
		fd = open("/dev/seccomp_pin", O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			nanosleep(&ts, NULL);
	}
	if (fd < 0)
		return -1;
	ret = ioctl(fd, SECCOMP_PIN_IOC_INFO, info);
	close(fd);
	return ret;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct bench_stats bench_stats(double *v, int n)
{
	struct bench_stats s = { 0, 0, 0 };

	if (n <= 0)
		return s;
	qsort(v, n, sizeof(*v), cmp_double);
	s.min = v[0];
	s.max = v[n - 1];
	s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	return s;
}

double bench_quantile(double *v, int n, double q)
{
	if (n <= 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	return v[(int)(q * (n - 1) + 0.5)];
}
