/* SPDX-License-Identifier: GPL-2.0 */
/*
 * target.h - what the supervisor reads about a trapped task besides its
 * pinned arguments: its root, cwd and fds (through /proc), and memory it
 * writes results into when it emulates a call.
 *
 * None of this is frozen by a pin: another thread of the target can chdir,
 * dup2 or close while the supervisor decides. seccomp-pin.1 says so.
 */
#ifndef SP_TOOL_TARGET_H
#define SP_TOOL_TARGET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * The absolute path /proc/@tid/@what ("cwd", "root", "fd/3") links to.
 * 0; -ENOTDIR if it is not a path (a pipe, a socket); -errno otherwise.
 */
int target_link(pid_t tid, const char *what, char *out, size_t size);

/* The same for fd @fd. */
int target_fd_path(pid_t tid, int fd, char *out, size_t size);

/* Copy target memory (process_vm_readv/writev): 0 or -errno. */
int target_read(pid_t tid, uint64_t addr, void *buf, size_t len);
int target_write(pid_t tid, uint64_t addr, const void *buf, size_t len);

/* A duplicate of the target's fd @fd (pidfd_getfd): an fd or -errno. */
int target_getfd(pid_t tid, int fd);

/* Reopen the target's fd @fd (or its cwd if @fd is AT_FDCWD) as O_PATH. */
int target_open_path(pid_t tid, int fd);

#endif /* SP_TOOL_TARGET_H */
