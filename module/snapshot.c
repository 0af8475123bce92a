// SPDX-License-Identifier: GPL-2.0
/*
 * snapshot.c - the three kinds of pin, read from the trapped task.
 *
 * The trapped task sleeps in seccomp while this runs, but its memory is
 * shared with whoever races it, so every byte is read exactly once, into
 * the snapshot, and everything later (the supervisor's copy, the
 * syscall) uses that one read.
 *
 * One PIN_ARGS call reads through one spin_reader: the target's mm is
 * taken once and the page read last stays pinned and mapped, so the
 * next read in that page (the rest of a string, the next argv slot)
 * costs no page-table walk under mmap_lock, which is most of what an
 * access_process_vm() costs. Whatever gup cannot map (no vma yet, a
 * stack to grow, VM_IO/VM_PFNMAP) is read by access_process_vm() as
 * before, so what is readable does not change.
 */
#include <linux/highmem.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/moduleparam.h>
#include <linux/ptrace.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/static_call.h>
#include <linux/string.h>
#include <asm/word-at-a-time.h>

#include "ksyms.h"
#include "pin.h"
#include "snapshot.h"

/* Strings up to this long are read on the stack, then stored exactly. */
#define SPIN_SHORT_STRING 256

static bool ptrace_check = true;
module_param(ptrace_check, bool, 0644);
MODULE_PARM_DESC(
	ptrace_check,
	"Read a trapped task's memory only if the supervisor may, as for /proc/PID/mem (default Y)");

/* Not exported: the check /proc/PID/mem makes, resolved at load. */
DEFINE_STATIC_CALL_NULL(spin_mm_access, mm_access);

int spin_snapshot_init(void)
{
	unsigned long addr = spin_ksym("mm_access");

	if (!addr) {
		pr_err("refusing to load: mm_access not found\n");
		return -ENOENT;
	}
	static_call_update(spin_mm_access, (typeof(mm_access) *)addr);
	return 0;
}

/*
 * Holding the listener says the caller may answer the task's syscalls,
 * not that it may read the task's memory: a task can make itself
 * non-dumpable, or run as another user than its supervisor. So by
 * default the caller needs what reading /proc/PID/mem needs
 * (PTRACE_MODE_ATTACH_FSCREDS, Yama included), which every supervisor
 * that reads pointer arguments without this module needs anyway.
 */
int spin_reader_init(struct spin_reader *r, struct task_struct *task)
{
	struct mm_struct *mm;

	r->task = task;
	r->page = NULL;
	r->map = NULL;
	r->page_addr = 0;
	if (!READ_ONCE(ptrace_check)) {
		r->mm = get_task_mm(task);
		return 0;
	}
	mm = static_call(spin_mm_access)(task, PTRACE_MODE_ATTACH_FSCREDS);
	if (IS_ERR(mm)) {
		r->mm = NULL;
		return PTR_ERR(mm);
	}
	r->mm = mm;
	return 0;
}

static void spin_reader_unmap(struct spin_reader *r)
{
	if (!r->page)
		return;
	spin_unmap_page(r->map);
	put_page(r->page);
	r->page = NULL;
	r->map = NULL;
}

void spin_reader_done(struct spin_reader *r)
{
	spin_reader_unmap(r);
	if (r->mm)
		mmput(r->mm);
	r->mm = NULL;
}

/*
 * The target's page holding @addr, mapped, or NULL: gup failed, or was
 * killed (see spin_gup_remote_page()).
 */
static const char *spin_reader_page(struct spin_reader *r, unsigned long addr)
{
	unsigned long page_addr = addr & PAGE_MASK;
	struct page *page;
	int locked = 1;
	long got;

	if (r->page && r->page_addr == page_addr)
		return r->map;
	spin_reader_unmap(r);
	if (!r->mm || mmap_read_lock_killable(r->mm))
		return NULL;
	got = spin_gup_remote_page(r->mm, page_addr, &page, &locked);
	if (locked)
		mmap_read_unlock(r->mm);
	if (got != 1)
		return NULL;
	r->page = page;
	r->page_addr = page_addr;
	r->map = spin_map_page(page);
	return r->map;
}

/* Bytes from @addr to the end of its page: reads never cross a fault. */
static size_t spin_page_room(unsigned long addr)
{
	return PAGE_SIZE - offset_in_page(addr);
}

/*
 * Whether access_process_vm() may read @addr after gup failed: only
 * where gup cannot map at all, just below a stack (it alone grows one)
 * or in a VM_IO/VM_PFNMAP vma (vm_ops->access). Elsewhere gup already
 * faulted, killably; access_process_vm() would fault again without
 * FAULT_FLAG_KILLABLE, in D state with the mmap_lock held for as long
 * as, say, a FUSE server leaves the page unread. A peer remapping
 * @addr between this check and access_process_vm() escapes it, as a
 * FUSE mapping read synchronously (no readahead) escapes any reader.
 */
static bool spin_reader_fallback(struct spin_reader *r, unsigned long addr)
{
	struct vm_area_struct *vma;
	bool ok;

	if (!r->mm || fatal_signal_pending(current) ||
	    mmap_read_lock_killable(r->mm))
		return false;
	vma = find_vma(r->mm, addr);
	if (!vma)
		ok = false;
	else if (vma->vm_start > addr)
		ok = vma->vm_flags & VM_GROWSDOWN;
	else
		ok = vma->vm_flags & (VM_IO | VM_PFNMAP);
	mmap_read_unlock(r->mm);
	return ok;
}

/* Read up to @len bytes at @addr; the count read (stops at a fault). */
static size_t spin_read_target(struct spin_reader *r, unsigned long addr,
			       void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		size_t chunk = min(len - done, spin_page_room(addr + done));
		const char *map = spin_reader_page(r, addr + done);
		int n;

		if (map) {
			memcpy(buf + done, map + offset_in_page(addr + done),
			       chunk);
			done += chunk;
			continue;
		}
		if (!spin_reader_fallback(r, addr + done))
			break;
		n = access_process_vm(r->task, addr + done, buf + done, chunk,
				      0);
		if (n <= 0)
			break;
		done += n;
		if (n < chunk)
			break;
	}
	return done;
}

/*
 * Copy a string from @src (the target's mapped page) to @dst, at most
 * @n bytes: the length before its NUL, or @n if there is none. Every
 * source byte is loaded once and the NUL is looked for in the loaded
 * value, never in the page again; a word at a time once @src is
 * aligned (a byte loop costs 8 times the instructions, and emulated
 * ones are slow). The copy may run past the NUL within @n.
 */
static size_t spin_copy_string(char *dst, const char *src, size_t n)
{
	const struct word_at_a_time zero = WORD_AT_A_TIME_CONSTANTS;
	size_t i = 0;
	char c;

	for (; i < n && !IS_ALIGNED((unsigned long)src + i, sizeof(long));
	     i++) {
		c = READ_ONCE(src[i]);
		dst[i] = c;
		if (!c)
			return i;
	}
	for (; i + sizeof(long) <= n; i += sizeof(long)) {
		unsigned long w = READ_ONCE(*(const unsigned long *)(src + i));
		unsigned long bits;

		memcpy(dst + i, &w, sizeof(w));
		if (has_zero(w, &bits, &zero)) {
			bits = prep_zero_mask(w, bits, &zero);
			return i + find_zero(create_zero_mask(bits));
		}
	}
	for (; i < n; i++) {
		c = READ_ONCE(src[i]);
		dst[i] = c;
		if (!c)
			return i;
	}
	return n;
}

/*
 * Read a string at @addr into @dst, at most @n bytes and within one
 * page. *got: the length before the NUL if there is one (returns true),
 * else the bytes read (fewer than @n on a fault).
 */
static bool spin_read_string(struct spin_reader *r, unsigned long addr,
			     char *dst, size_t n, size_t *got)
{
	const char *map = spin_reader_page(r, addr);
	char *nul;

	if (map) {
		*got = spin_copy_string(dst, map + offset_in_page(addr), n);
		return *got < n;
	}
	*got = spin_read_target(r, addr, dst, n);
	nul = memchr(dst, '\0', *got);
	if (nul)
		*got = nul - dst;
	return nul != NULL;
}

/*
 * Read a NUL-terminated string at @addr into @dst (room @room, >= 1),
 * whose first @len bytes (no NUL) are already there. Returns its length
 * without NUL (dst[len] == 0) and sets *truncated if string and NUL did
 * not fit (then len == room - 1, the last byte replaced by NUL);
 * -EFAULT on a fault before the NUL.
 */
static long spin_read_cstring(struct spin_reader *r, unsigned long addr,
			      char *dst, size_t len, size_t room,
			      bool *truncated)
{
	*truncated = false;
	while (len < room) {
		size_t chunk = min(room - len, spin_page_room(addr + len));
		size_t got;

		if (spin_read_string(r, addr + len, dst + len, chunk, &got))
			return len + got;
		len += got;
		if (got < chunk)
			return -EFAULT;
	}
	dst[room - 1] = '\0';
	*truncated = true;
	return room - 1;
}

/* Room for @size snapshot bytes, charged to the caller's memory cgroup. */
static void *spin_snap_alloc(struct spin_snap *snap, size_t size)
{
	snap->data = kvmalloc(size ?: 1, SPIN_GFP_CALLER_SIZED);
	return snap->data;
}

/*
 * Keep only the @used bytes of a @size buffer when that frees at least
 * half of it: a 300-byte string pinned with a 1 MiB cap must not hold
 * 1 MiB for as long as the notification waits.
 */
static void spin_snap_shrink(struct spin_snap *snap, size_t size, size_t used)
{
	void *exact;

	if (used > size / 2)
		return;
	exact = kvmalloc(used ?: 1, SPIN_GFP_CALLER_SIZED);
	if (!exact)
		return; /* the larger buffer serves as well */
	memcpy(exact, snap->data, used);
	kvfree(snap->data);
	snap->data = exact;
}

/*
 * @want bytes: max_bytes, clamped by the caller to what the syscall
 * itself reads (a write's count, a sockaddr's addrlen), so a pin never
 * reads more of the task than the syscall would.
 */
static int spin_snap_fixed(struct spin_reader *r, struct spin_snap *snap,
			   size_t want)
{
	size_t got;

	if (!want)
		return 0;
	if (!spin_snap_alloc(snap, want))
		return -ENOMEM;
	got = spin_read_target(r, snap->user_addr, snap->data, want);
	if (!got)
		return -EFAULT;
	snap->size = got;
	if (got < want)
		snap->truncated = SECCOMP_PIN_TRUNCATED_BYTES;
	spin_snap_shrink(snap, want, got);
	return 0;
}

/*
 * A short string is read on the stack first and stored exactly:
 * allocating max_bytes (a whole PATH_MAX) for it, zeroed by
 * init_on_alloc, costs more than the read. Longer ones continue in a
 * max_bytes buffer, shrunk to the string once it is read.
 */
static int spin_snap_cstring(struct spin_reader *r, struct spin_snap *snap,
			     u32 max_bytes)
{
	char head[SPIN_SHORT_STRING];
	size_t n = min3((size_t)max_bytes, sizeof(head),
			spin_page_room(snap->user_addr));
	bool truncated;
	size_t got;
	char *data;
	long len;

	if (spin_read_string(r, snap->user_addr, head, n, &got)) {
		data = spin_snap_alloc(snap, got + 1);
		if (!data)
			return -ENOMEM;
		memcpy(data, head, got + 1);
		snap->size = got + 1;
		return 0;
	}
	if (got < n)
		return -EFAULT;
	data = spin_snap_alloc(snap, max_bytes);
	if (!data)
		return -ENOMEM;
	memcpy(data, head, got);
	len = spin_read_cstring(r, snap->user_addr, data, got, max_bytes,
				&truncated);
	if (len < 0)
		return len;
	snap->size = len + 1;
	if (truncated)
		snap->truncated = SECCOMP_PIN_TRUNCATED_BYTES;
	spin_snap_shrink(snap, max_bytes, snap->size);
	return 0;
}

/*
 * [u32 count][u32 offset[count]][strings]. The table is sized for
 * max_entries up front and compacted once the count is known.
 */
static int spin_snap_cstring_array(struct spin_reader *r,
				   struct spin_snap *snap, u32 max_bytes,
				   u32 max_entries)
{
	u32 *offsets, count = 0, i;
	size_t pos, table;
	char *buf, *strings;

	if (!max_entries)
		max_entries = SECCOMP_PIN_DEFAULT_MAX_ENTRIES;
	buf = kvmalloc(max_bytes, SPIN_GFP_CALLER_SIZED);
	if (!buf)
		return -ENOMEM;
	snap->data = buf;
	/* Strings and offsets are gathered apart, then packed into buf. */
	strings = kvmalloc(max_bytes, SPIN_GFP_CALLER_SIZED);
	offsets =
		kvmalloc_array(max_entries, sizeof(u32), SPIN_GFP_CALLER_SIZED);
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
			if (spin_read_target(r, slot, &ptr, sizeof(ptr)) !=
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
			len = spin_read_cstring(r, ptr, strings + pos, 0, room,
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
	spin_snap_shrink(snap, max_bytes, snap->size);
	return 0;
}

int spin_snapshot_take(struct spin_reader *r, const struct seccomp_pin_arg *arg,
		       size_t read_limit, struct spin_snap *snap)
{
	snap->kind = arg->kind;
	snap->arg_idx = arg->arg_idx;
	switch (arg->kind) {
	case SECCOMP_PIN_FIXED:
		if (!snap->user_addr)
			return -EFAULT;
		return spin_snap_fixed(
			r, snap, min_t(size_t, arg->max_bytes, read_limit));
	case SECCOMP_PIN_CSTRING:
		if (!snap->user_addr)
			return -EFAULT;
		return spin_snap_cstring(r, snap, arg->max_bytes);
	case SECCOMP_PIN_CSTRING_ARRAY:
		return spin_snap_cstring_array(r, snap, arg->max_bytes,
					       arg->max_entries);
	}
	return -EINVAL;
}
