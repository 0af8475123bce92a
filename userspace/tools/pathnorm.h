/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pathnorm.h - the lexical path normalisation the policy is matched after.
 */
#ifndef SP_TOOL_PATHNORM_H
#define SP_TOOL_PATHNORM_H

#include <stddef.h>

/* Room for a root, a base directory and a PATH_MAX path. */
#define PATHNORM_MAX 12288

/*
 * Make @path absolute and lexically normal, as the kernel would walk it
 * for a task whose root directory is @root and whose base directory (cwd
 * or dirfd) is @base, both absolute paths as the supervisor sees them:
 *   - an absolute @path starts at @root, a relative one at @base;
 *   - empty and "." components are dropped, ".." removes the previous
 *     component but never leaves @root (nor "/" when @base lies outside
 *     @root, where the kernel does not stop ".." either);
 *   - the result has no repeated or trailing '/' ("/" alone for the root).
 * Symbolic links are NOT followed: the file system is never consulted.
 * Returns 0, -ENAMETOOLONG if the result does not fit @size, or -EINVAL
 * if @root, or @base when needed, is not absolute.
 */
int pathnorm_resolve(const char *root, const char *base, const char *path,
		     char *out, size_t size);

/*
 * As openat2(RESOLVE_IN_ROOT) reads @path: below @dir whether or not @path
 * starts with '/', ".." clamped at @dir. Same return values.
 */
int pathnorm_in_root(const char *dir, const char *path, char *out, size_t size);

/* The directory part of the normalised absolute @path ("/" for "/x"). */
void pathnorm_dirname(const char *path, char *out, size_t size);

#endif /* SP_TOOL_PATHNORM_H */
