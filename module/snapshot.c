// SPDX-License-Identifier: GPL-2.0
/*
 * snapshot.c - the three kinds of pin, read from the trapped task.
 *
 * The trapped task sleeps in seccomp while this runs, but its memory is
 * shared with whoever races it, so every byte is read exactly once, into
 * the snapshot, and everything later (the supervisor's copy, the
 * syscall) uses that one read.
 */
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "pin.h"
#include "snapshot.h"

/* Read up to @len bytes at @addr; the count read (stops at a fault). */
static size_t spin_read_target(struct task_struct *task, unsigned long addr,
			       void *buf, size_t len)
{
	int n;

	if (!len)
		return 0;
	n = access_process_vm(task, addr, buf, len, 0);
	return n > 0 ? n : 0;
}

/* Bytes from @addr to the end of its page: reads never cross a fault. */
static size_t spin_page_room(unsigned long addr)
{
	return PAGE_SIZE - (addr & ~PAGE_MASK);
}

static int spin_snap_fixed(struct task_struct *task, struct spin_snap *snap,
			   u32 max_bytes)
{
	size_t got;

	snap->data = kvmalloc(max_bytes, GFP_KERNEL_ACCOUNT);
	if (!snap->data)
		return -ENOMEM;
	got = spin_read_target(task, snap->user_addr, snap->data, max_bytes);
	if (!got)
		return -EFAULT;
	snap->size = got;
	if (got < max_bytes)
		snap->truncated = SECCOMP_PIN_TRUNCATED_BYTES;
	return 0;
}

/*
 * Read a NUL-terminated string at @addr into @dst (room @room, >= 1).
 * Returns its length without NUL (dst[len] == 0) and sets *truncated if
 * string and NUL did not fit (then len == room - 1, the last byte
 * replaced by NUL); -EFAULT on a fault before the NUL.
 */
static long spin_read_cstring(struct task_struct *task, unsigned long addr,
			      char *dst, size_t room, bool *truncated)
{
	/*
	 * Most strings are short: read 256 bytes first, then to each page
	 * end (every read is a page lookup in the target's mm).
	 */
	size_t len = 0, step = 256;

	*truncated = false;
	while (len < room) {
		size_t chunk =
			min3(room - len, spin_page_room(addr + len), step);
		size_t got =
			spin_read_target(task, addr + len, dst + len, chunk);
		char *nul = memchr(dst + len, '\0', got);

		if (nul)
			return nul - dst;
		len += got;
		if (got < chunk)
			return -EFAULT;
		step = PAGE_SIZE;
	}
	dst[room - 1] = '\0';
	*truncated = true;
	return room - 1;
}

static int spin_snap_cstring(struct task_struct *task, struct spin_snap *snap,
			     u32 max_bytes)
{
	bool truncated;
	long len;

	snap->data = kvmalloc(max_bytes, GFP_KERNEL_ACCOUNT);
	if (!snap->data)
		return -ENOMEM;
	len = spin_read_cstring(task, snap->user_addr, snap->data, max_bytes,
				&truncated);
	if (len < 0)
		return len;
	snap->size = len + 1;
	if (truncated)
		snap->truncated = SECCOMP_PIN_TRUNCATED_BYTES;
	return 0;
}

/*
 * [u32 count][u32 offset[count]][strings]. The table is sized for
 * max_entries up front and compacted once the count is known.
 */
static int spin_snap_cstring_array(struct task_struct *task,
				   struct spin_snap *snap, u32 max_bytes,
				   u32 max_entries)
{
	u32 *offsets, count = 0, i;
	size_t pos, table;
	char *buf, *strings;

	if (!max_entries)
		max_entries = SECCOMP_PIN_DEFAULT_MAX_ENTRIES;
	buf = kvmalloc(max_bytes, GFP_KERNEL_ACCOUNT);
	if (!buf)
		return -ENOMEM;
	snap->data = buf;
	/* Strings and offsets are gathered apart, then packed into buf. */
	strings = kvmalloc(max_bytes, GFP_KERNEL_ACCOUNT);
	offsets = kvmalloc_array(max_entries, sizeof(u32), GFP_KERNEL_ACCOUNT);
	if (!strings || !offsets) {
		kvfree(strings);
		kvfree(offsets);
		return -ENOMEM;
	}
	pos = 0;
	if (snap->user_addr) {
		for (;;) {
			unsigned long ptr, slot;
			size_t header, room;
			bool truncated;
			long len;

			slot = snap->user_addr +
			       (unsigned long)count * sizeof(ptr);
			if (spin_read_target(task, slot, &ptr, sizeof(ptr)) !=
			    sizeof(ptr)) {
				count = U32_MAX;
				break;
			}
			if (!ptr)
				break;
			if (count == max_entries) {
				snap->truncated |=
					SECCOMP_PIN_TRUNCATED_ENTRIES;
				break;
			}
			header = sizeof(u32) * (2 + (size_t)count);
			if (header + pos + 1 > max_bytes) {
				snap->truncated |= SECCOMP_PIN_TRUNCATED_BYTES;
				break;
			}
			room = max_bytes - header - pos;
			len = spin_read_cstring(task, ptr, strings + pos, room,
						&truncated);
			if (len < 0) {
				count = U32_MAX;
				break;
			}
			if (truncated) {
				snap->truncated |= SECCOMP_PIN_TRUNCATED_BYTES;
				break;
			}
			offsets[count++] = pos;
			pos += len + 1;
		}
	}
	if (count == U32_MAX) {
		kvfree(strings);
		kvfree(offsets);
		return -EFAULT;
	}
	/* Fits: every entry was taken only with room for its offset. */
	table = sizeof(u32) * (1 + (size_t)count);
	((u32 *)buf)[0] = count;
	for (i = 0; i < count; i++)
		((u32 *)buf)[1 + i] = table + offsets[i];
	memcpy(buf + table, strings, pos);
	snap->size = table + pos;
	snap->entries = count;
	kvfree(strings);
	kvfree(offsets);
	return 0;
}

int spin_snapshot_take(struct task_struct *task,
		       const struct seccomp_pin_arg *arg,
		       struct spin_snap *snap)
{
	snap->kind = arg->kind;
	snap->arg_idx = arg->arg_idx;
	switch (arg->kind) {
	case SECCOMP_PIN_FIXED:
		if (!snap->user_addr)
			return -EFAULT;
		return spin_snap_fixed(task, snap, arg->max_bytes);
	case SECCOMP_PIN_CSTRING:
		if (!snap->user_addr)
			return -EFAULT;
		return spin_snap_cstring(task, snap, arg->max_bytes);
	case SECCOMP_PIN_CSTRING_ARRAY:
		return spin_snap_cstring_array(task, snap, arg->max_bytes,
					       arg->max_entries);
	}
	return -EINVAL;
}
