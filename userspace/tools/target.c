// SPDX-License-Identifier: GPL-2.0
/*
 * target.c - reading the trapped task's root, cwd, fds and memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "target.h"

#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif

int target_link(pid_t tid, const char *what, char *out, size_t size)
{
	char proc[64];
	ssize_t n;

	snprintf(proc, sizeof(proc), "/proc/%d/%s", tid, what);
	n = readlink(proc, out, size);
	if (n < 0)
		return -errno;
	if ((size_t)n >= size)
		return -ENAMETOOLONG;
	out[n] = '\0';
	if (out[0] != '/')
		return -ENOTDIR;
	return 0;
}

int target_fd_path(pid_t tid, int fd, char *out, size_t size)
{
	char what[32];

	snprintf(what, sizeof(what), "fd/%d", fd);
	return target_link(tid, what, out, size);
}

int target_read(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { buf, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };
	ssize_t n = process_vm_readv(tid, &local, 1, &remote, 1, 0);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EFAULT;
}

int target_write(pid_t tid, uint64_t addr, const void *buf, size_t len)
{
	struct iovec local = { (void *)buf, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };
	ssize_t n = process_vm_writev(tid, &local, 1, &remote, 1, 0);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EFAULT;
}

/* The thread group of @tid, from /proc/@tid/status. */
static pid_t tgid_of(pid_t tid)
{
	char path[64], line[128];
	pid_t tgid = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "Tgid:", 5)) {
			tgid = atoi(line + 5);
			break;
		}
	fclose(f);
	return tgid;
}

int target_getfd(pid_t tid, int fd)
{
	int pidfd, ret;

	/* A pidfd for a thread needs PIDFD_THREAD (6.9+); else the leader. */
	pidfd = syscall(SYS_pidfd_open, tid, PIDFD_THREAD);
	if (pidfd < 0 && errno == EINVAL) {
		pid_t tgid = tgid_of(tid);

		if (tgid < 0)
			return -ESRCH;
		pidfd = syscall(SYS_pidfd_open, tgid, 0);
	}
	if (pidfd < 0)
		return -errno;
	ret = syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	if (ret < 0)
		ret = -errno;
	close(pidfd);
	return ret;
}

int target_open_path(pid_t tid, int fd)
{
	char proc[64];
	int ret;

	if (fd == AT_FDCWD)
		snprintf(proc, sizeof(proc), "/proc/%d/cwd", tid);
	else
		snprintf(proc, sizeof(proc), "/proc/%d/fd/%d", tid, fd);
	ret = open(proc, O_PATH | O_CLOEXEC);
	return ret < 0 ? -errno : ret;
}
