// SPDX-License-Identifier: GPL-2.0
/*
 * children.c - bodies of trapped children shared by the suites (see
 * struct op_ctx). They run after fork() under the child's filter and
 * must not use cmocka.
 */
#include "common.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/syscall.h>

static int ncalls(const struct op_ctx *c)
{
	if (c->calls <= 0)
		return 1;
	return c->calls > OP_MAX_CALLS ? OP_MAX_CALLS : c->calls;
}

int child_openat(void *arg)
{
	struct op_ctx *c = arg;
	int i, fd;
	ssize_t n;

	for (i = 0; i < ncalls(c); i++) {
		fd = openat(AT_FDCWD, c->path, c->flags | O_CLOEXEC);
		c->ret[i] = fd;
		c->err[i] = fd < 0 ? errno : 0;
		if (fd < 0) {
			c->done = i + 1;
			continue;
		}
		n = read(fd, c->got, sizeof(c->got) - 1);
		c->got[n > 0 ? n : 0] = '\0';
		if (i < OP_MAX_CALLS)
			c->first[i] = c->got[0];
		close(fd);
		c->done = i + 1;
	}
	return 0;
}

int child_bind(void *arg)
{
	struct op_ctx *c = arg;
	int i, fd;

	for (i = 0; i < ncalls(c); i++) {
		fd = socket(c->family ? c->family : AF_UNIX,
			    c->type ? c->type : SOCK_DGRAM, 0);
		if (fd < 0)
			return 10;
		c->ret[i] = bind(fd, c->addr, c->addrlen);
		c->err[i] = c->ret[i] < 0 ? errno : 0;
		close(fd);
	}
	return 0;
}

int child_write(void *arg)
{
	struct op_ctx *c = arg;
	int i;

	for (i = 0; i < ncalls(c); i++) {
		c->ret[i] = write(c->fd, c->buf, c->count);
		c->err[i] = c->ret[i] < 0 ? errno : 0;
	}
	return 0;
}

int child_exec(void *arg)
{
	struct op_ctx *c = arg;

	if (c->dump_fd > 0 && dup2(c->dump_fd, ARGV_DUMP_FD) < 0)
		return EXEC_FAILED;
	if (c->use_execveat)
		c->ret[0] = syscall(__NR_execveat, c->dirfd, c->filename,
				    c->argv, c->envp, c->at_flags);
	else
		c->ret[0] = syscall(__NR_execve, c->filename, c->argv, c->envp);
	c->err[0] = errno;
	return EXEC_FAILED;
}

int child_raw(void *arg)
{
	struct op_ctx *c = arg;
	long ret;
	int i;

	for (i = 0; c->calls < 0 ? !c->stop : i < ncalls(c); i++) {
		ret = syscall(c->nr, c->a[0], c->a[1], c->a[2], c->a[3],
			      c->a[4], c->a[5]);
		if (i < OP_MAX_CALLS) {
			c->ret[i] = ret;
			c->err[i] = ret < 0 ? errno : 0;
		}
		c->done = i + 1;
	}
	return 0;
}

static void *writer_thread(void *arg)
{
	struct op_ctx *c = arg;

	syscall(__NR_write, c->a[0], c->a[1], c->a[2]);
	return NULL;
}

int child_writers(void *arg)
{
	struct op_ctx *c = arg;
	pthread_t th[CHILD_WRITERS_MAX];
	int i;

	for (i = 0; i < c->calls && i < CHILD_WRITERS_MAX; i++)
		if (pthread_create(&th[i], NULL, writer_thread, c))
			return 10;
	while (i--)
		pthread_join(th[i], NULL);
	return 0;
}
