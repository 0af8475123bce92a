/* SPDX-License-Identifier: GPL-2.0 */
/*
 * filter.h - the seccomp filter "run" installs in the child.
 */
#ifndef SP_TOOL_FILTER_H
#define SP_TOOL_FILTER_H

/*
 * Install a filter (after PR_SET_NO_NEW_PRIVS) that sends the syscalls the
 * policy categories @categories decide on to a new listener, fails
 * non-native (ia32, x32) syscalls with ENOSYS and allows everything else.
 * Returns the listener fd, or -errno.
 */
int filter_install(unsigned int categories);

#endif /* SP_TOOL_FILTER_H */
