/* SPDX-License-Identifier: GPL-2.0 */
/*
 * landlock.h - just enough Landlock to make an LSM decide on a path or
 * a TCP port, so a test can tell which bytes the LSM saw. Defines its
 * own copies of the ABI structs: the build host's headers (6.1) lack
 * the network part. For use inside trapped children (returns -errno).
 */
#ifndef SECCOMP_PIN_GUEST_LANDLOCK_H
#define SECCOMP_PIN_GUEST_LANDLOCK_H

/* Landlock ABI version of the running kernel, or -errno. */
int landlock_abi(void);
/* Restrict the calling thread: files may be read only beneath @dirfd
 * (an O_PATH descriptor, opened before any filter traps openat). */
int landlock_read_only_beneath(int dirfd);
/* Restrict the calling thread: TCP bind() only to @port. */
int landlock_bind_only_port(unsigned short port);

#endif /* SECCOMP_PIN_GUEST_LANDLOCK_H */
