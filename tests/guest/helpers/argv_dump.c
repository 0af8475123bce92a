// SPDX-License-Identifier: GPL-2.0
/*
 * argv_dump - exec target of the guest tests (built -static). Records
 * its argc, argv and environment on fd 9, in the format dump.c reads,
 * so a test can check exactly what an exec delivered. Exits 0 when the
 * record was written, 3 when fd 9 is not open or the write failed.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define OUT_FD 9

static char rec[16384];
static size_t len;

static int put(const char *s)
{
	size_t n = strlen(s) + 1;

	if (len + n > sizeof(rec))
		return -1;
	memcpy(rec + len, s, n);
	len += n;
	return 0;
}

static int put_list(int count, char **v)
{
	char num[16];
	int i;

	snprintf(num, sizeof(num), "%d", count);
	if (put(num) < 0)
		return -1;
	for (i = 0; i < count; i++)
		if (put(v[i]) < 0)
			return -1;
	return 0;
}

int main(int argc, char **argv, char **envp)
{
	int envc = 0;

	while (envp[envc])
		envc++;
	if (put_list(argc, argv) < 0 || put_list(envc, envp) < 0)
		return 3;
	return write(OUT_FD, rec, len) == (ssize_t)len ? 0 : 3;
}
