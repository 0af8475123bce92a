// SPDX-License-Identifier: GPL-2.0
/*
 * pathnorm.c - lexical path normalisation.
 *
 * The policy matches the path a syscall names, made absolute and lexically
 * normal, so that "/tmp/../etc/passwd", "//etc/./passwd" and "passwd" in
 * /etc all match rules about "/etc/passwd". The file system is never
 * consulted: the pin freezes the string, not the tree it is looked up in.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "pathnorm.h"

/*
 * Append the components of @path to the normalised absolute path held in
 * @out[0..*len) (no trailing '/'; "" stands for "/"). ".." never removes
 * bytes below @floor.
 */
static int append(char *out, size_t size, size_t *len, size_t floor,
		  const char *path)
{
	while (*path) {
		const char *end;
		size_t n;

		while (*path == '/')
			path++;
		if (!*path)
			break;
		end = strchrnul(path, '/');
		n = end - path;
		if (n == 1 && path[0] == '.') {
			/* nothing */
		} else if (n == 2 && path[0] == '.' && path[1] == '.') {
			while (*len > floor && out[*len - 1] != '/')
				(*len)--;
			if (*len > floor)
				(*len)--; /* the '/' */
		} else {
			if (*len + 1 + n + 1 > size)
				return -ENAMETOOLONG;
			out[(*len)++] = '/';
			memcpy(out + *len, path, n);
			*len += n;
		}
		path = end;
	}
	return 0;
}

static int finish(char *out, size_t size, size_t len)
{
	if (len == 0) {
		if (size < 2)
			return -ENAMETOOLONG;
		out[len++] = '/';
	}
	out[len] = '\0';
	return 0;
}

/* Is @path equal to @dir or below it ("" is the root)? */
static bool below(const char *path, const char *dir, size_t dirlen)
{
	return !strncmp(path, dir, dirlen) &&
	       (path[dirlen] == '\0' || path[dirlen] == '/');
}

int pathnorm_resolve(const char *root, const char *base, const char *path,
		     char *out, size_t size)
{
	size_t len = 0, rootlen, floor;
	int err;

	if (!size)
		return -ENAMETOOLONG;
	if (!root || root[0] != '/')
		return -EINVAL;
	/* The normalised root, as a floor for "..". */
	err = append(out, size, &len, 0, root);
	if (err)
		return err;
	rootlen = len;
	if (path[0] == '/') {
		floor = rootlen;
	} else {
		char rootbuf[PATHNORM_MAX];

		if (!base || base[0] != '/')
			return -EINVAL;
		if (rootlen >= sizeof(rootbuf))
			return -ENAMETOOLONG;
		memcpy(rootbuf, out, rootlen);
		rootbuf[rootlen] = '\0';
		len = 0;
		err = append(out, size, &len, 0, base);
		if (err)
			return err;
		out[len] = '\0';
		floor = below(out, rootbuf, rootlen) ? rootlen : 0;
	}
	err = append(out, size, &len, floor, path);
	return err ? err : finish(out, size, len);
}

int pathnorm_in_root(const char *dir, const char *path, char *out, size_t size)
{
	size_t len = 0;
	int err;

	if (!size)
		return -ENAMETOOLONG;
	if (!dir || dir[0] != '/')
		return -EINVAL;
	err = append(out, size, &len, 0, dir);
	if (err)
		return err;
	err = append(out, size, &len, len, path);
	return err ? err : finish(out, size, len);
}

void pathnorm_dirname(const char *path, char *out, size_t size)
{
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 0;

	if (!size)
		return;
	if (n == 0) {
		snprintf(out, size, "/");
		return;
	}
	if (n >= size)
		n = size - 1;
	memcpy(out, path, n);
	out[n] = '\0';
}
