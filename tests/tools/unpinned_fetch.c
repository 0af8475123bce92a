// SPDX-License-Identifier: GPL-2.0
/*
 * unpinned_fetch.c - TEST ONLY: argfetch.h without the module.
 *
 * Linked into seccomp-pin-unpinned in place of userspace/tools/argfetch.c:
 * reads the arguments from target memory (process_vm_readv), in the layout
 * PIN_ARGS would give, and answers plain SECCOMP_USER_NOTIF_FLAG_CONTINUE,
 * as every supervisor without seccomp-pin must. The kernel then re-reads
 * the arguments: the same policy racing the same attacker shows what the
 * pin changes. Never install this.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>

#include "argfetch.h"

static int peek(pid_t pid, __u64 addr, void *out, size_t len)
{
	struct iovec local = { out, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };
	ssize_t n = process_vm_readv(pid, &local, 1, &remote, 1, 0);

	return n < 0 ? -errno : (int)n;
}

/* A NUL-terminated string of at most @max bytes (NUL included). */
static int peek_string(pid_t pid, __u64 addr, char *out, __u32 max, __u32 *size,
		       __u32 *truncated)
{
	__u32 got = 0;

	while (got < max) {
		__u32 chunk = 4096 - ((addr + got) & 4095);
		char *nul;
		int n;

		if (chunk > max - got)
			chunk = max - got;
		n = peek(pid, addr + got, out + got, chunk);
		if (n <= 0)
			return got ? -EFAULT : (n ? n : -EFAULT);
		nul = memchr(out + got, '\0', n);
		if (nul) {
			*size = nul - out + 1;
			return 0;
		}
		got += n;
	}
	out[max - 1] = '\0';
	*size = max;
	*truncated = SECCOMP_PIN_TRUNCATED_BYTES;
	return 0;
}

static int peek_array(pid_t pid, __u64 addr, char *out,
		      struct seccomp_pin_arg *a)
{
	__u32 max_entries = a->max_entries ? a->max_entries :
					     SECCOMP_PIN_DEFAULT_MAX_ENTRIES;
	__u32 count = 0, used, i;
	__u64 ptr;

	/* Count first: the header size depends on it. */
	while (addr && count < max_entries) {
		if (peek(pid, addr + 8 * count, &ptr, 8) != 8)
			return -EFAULT;
		if (!ptr)
			break;
		count++;
	}
	if (addr && count == max_entries) {
		if (peek(pid, addr + 8 * count, &ptr, 8) == 8 && ptr)
			a->truncated |= SECCOMP_PIN_TRUNCATED_ENTRIES;
	}
	used = 4 * (count + 1);
	if (used > a->max_bytes)
		return -E2BIG;
	for (i = 0; i < count; i++) {
		__u32 size = 0, trunc = 0;
		int err;

		if (peek(pid, addr + 8 * i, &ptr, 8) != 8)
			return -EFAULT;
		err = peek_string(pid, ptr, out + used, a->max_bytes - used,
				  &size, &trunc);
		if (err)
			return err;
		if (trunc) {
			a->truncated |= SECCOMP_PIN_TRUNCATED_BYTES;
			break;
		}
		memcpy(out + 4 * (i + 1), &used, 4);
		used += size;
	}
	memcpy(out, &i, 4);
	a->actual_entries = i;
	a->actual_size = used;
	return 0;
}

int argfetch_pin(int dev, int listener, pid_t pid,
		 const struct seccomp_data *data,
		 struct seccomp_notif_pin_args *pin)
{
	char *buf = (char *)(uintptr_t)pin->buf;
	__u64 off = 0;
	__u32 i;

	(void)dev;
	(void)listener;
	for (i = 0; i < pin->nr_args; i++) {
		struct seccomp_pin_arg *a = &pin->args[i];
		__u64 addr = data->args[a->arg_idx];
		int err = 0, n;

		off = (off + SECCOMP_PIN_BUF_ALIGN - 1) &
		      ~(__u64)(SECCOMP_PIN_BUF_ALIGN - 1);
		if (off + a->max_bytes > pin->buf_size)
			return -ENOSPC;
		a->user_addr = addr;
		a->buf_offset = off;
		switch (a->kind) {
		case SECCOMP_PIN_FIXED:
			n = peek(pid, addr, buf + off, a->max_bytes);
			if (n <= 0)
				return n ? n : -EFAULT;
			a->actual_size = n;
			if ((__u32)n < a->max_bytes)
				a->truncated = SECCOMP_PIN_TRUNCATED_BYTES;
			break;
		case SECCOMP_PIN_CSTRING:
			err = peek_string(pid, addr, buf + off, a->max_bytes,
					  &a->actual_size, &a->truncated);
			break;
		default:
			err = peek_array(pid, addr, buf + off, a);
			break;
		}
		if (err)
			return err;
		off += a->actual_size;
	}
	return 0;
}

int argfetch_continue(int dev, int listener, __u64 id)
{
	struct seccomp_notif_resp resp = {
		.id = id,
		.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE,
	};

	(void)dev;
	return ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp) ? -errno : 0;
}

/* No fused receive: the supervisor receives with NOTIF_RECV. */
int argfetch_rules(int dev, const struct seccomp_pin_rule *rules,
		   unsigned int nr_rules)
{
	(void)dev;
	(void)rules;
	(void)nr_rules;
	return -EOPNOTSUPP;
}

int argfetch_recv_pin(int dev, int listener, struct seccomp_notif *req,
		      struct seccomp_notif_pin_args *pin, int *pin_error)
{
	(void)dev;
	(void)listener;
	(void)req;
	(void)pin;
	(void)pin_error;
	return -EOPNOTSUPP;
}
