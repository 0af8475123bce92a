/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tools_common.h - running seccomp-pin and its helpers from the tests.
 *
 * In the VM every file of build/tools/suite is at /tests/<name>; the
 * programs are found next to the running test (/proc/self/exe).
 */
#ifndef TOOLS_COMMON_H
#define TOOLS_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* This suite's scratch directory: /tmp/spt-<tag>-XXXXXX, made fresh. */
extern char scratch_dir[64];
bool scratch_init(const char *tag);
/* @name below scratch_dir; the last 16 results stay valid. */
char *scratch_path(const char *name);

/* A non-blocking TCP listener on 127.0.0.1:@port (SO_REUSEADDR). */
int tcp_listen(int port, int backlog);

/* Absolute path of a program next to this test ("seccomp-pin", ...). */
const char *prog(const char *name);

/*
 * Start argv[0] (a path) with stdout and stderr appended to @out and
 * @err (NULL: /dev/null), stdin from /dev/null, default signal handling.
 */
pid_t spawn(char *const argv[], const char *out, const char *err);

/*
 * Wait for @pid at most @seconds; its exit code as a shell reports it
 * (N, or 128+S when killed by S); -1 on timeout (it is then killed).
 */
int wait_code(pid_t pid, int seconds);

/* spawn() + wait_code(). */
int run(char *const argv[], const char *out, const char *err, int seconds);

/* Whole file, NUL-terminated, malloc'ed ("" if it does not exist). */
char *slurp(const char *path);
bool file_contains(const char *path, const char *needle);
/* Poll @path for @needle for up to @seconds. */
bool file_wait_contains(const char *path, const char *needle, int seconds);
/*
 * Wait up to 10 s for the agent's socket @sock; fail the test (with
 * @err_file, the agent's stderr) if it never appears.
 */
void wait_agent_listening(const char *sock, const char *err_file);
int count_lines_containing(const char *path, const char *needle);
void write_file(const char *path, const char *text);
void mkdirs(const char *path);

/* Bring the loopback interface up (the VM's init does not). */
void loopback_up(void);

/* Print a file's contents, for failing tests' diagnostics. */
void dump_file(const char *title, const char *path);

/* Is the module loaded (/dev/seccomp_pin present)? */
bool module_present(void);

/* Seconds since an arbitrary start, as a double. */
double now(void);

#endif /* TOOLS_COMMON_H */
