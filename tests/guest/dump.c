// SPDX-License-Identifier: GPL-2.0
/*
 * dump.c - reading back what the argv_dump helper recorded: its argc,
 * argv and environment exactly as the exec'd program received them.
 *
 * Record format (written to ARGV_DUMP_FD): "<argc>\0", argc strings
 * each followed by NUL, "<envc>\0", envc strings each followed by NUL.
 */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

int dump_memfd(void)
{
	int fd = memfd_create("argv_dump", 0);

	return fd < 0 ? -errno : fd;
}

static const char *next_str(const struct dump *d, size_t *pos, size_t len)
{
	const char *s = d->raw + *pos;
	const char *nul;

	if (*pos >= len)
		return NULL;
	nul = memchr(s, '\0', len - *pos);
	if (!nul)
		return NULL;
	*pos += (size_t)(nul - s) + 1;
	return s;
}

static int read_list(struct dump *d, size_t *pos, size_t len, int *count,
		     const char **out)
{
	const char *s = next_str(d, pos, len);
	int i;

	if (!s)
		return -1;
	*count = atoi(s);
	if (*count < 0 || *count > DUMP_MAX)
		return -1;
	for (i = 0; i < *count; i++) {
		out[i] = next_str(d, pos, len);
		if (!out[i])
			return -1;
	}
	return 0;
}

int dump_read(int fd, struct dump *d)
{
	ssize_t n;
	size_t pos = 0;

	memset(d, 0, sizeof(*d));
	n = pread(fd, d->raw, sizeof(d->raw) - 1, 0);
	if (n <= 0)
		return -1;
	if (read_list(d, &pos, (size_t)n, &d->argc, d->argv) < 0 ||
	    read_list(d, &pos, (size_t)n, &d->envc, d->envp) < 0)
		return -1;
	return 0;
}

static int count(const char *const *v)
{
	int n = 0;

	while (v[n])
		n++;
	return n;
}

void assert_dump(const struct dump *d, const char *const *argv,
		 const char *const *envp)
{
	int i;

	for (i = 0; i < d->argc; i++)
		print_message("  argv[%d] = \"%s\"\n", i, d->argv[i]);
	for (i = 0; i < d->envc; i++)
		print_message("  envp[%d] = \"%s\"\n", i, d->envp[i]);
	assert_int_equal(d->argc, count(argv));
	for (i = 0; i < d->argc; i++)
		assert_string_equal(d->argv[i], argv[i]);
	assert_int_equal(d->envc, count(envp));
	for (i = 0; i < d->envc; i++)
		assert_string_equal(d->envp[i], envp[i]);
}
