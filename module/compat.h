/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - the one place where kernel-version differences live.
 * Decisions come from the build-time probes (compat-generated.h); no
 * LINUX_VERSION_CODE, because distributions backport API changes.
 *
 * Kernels covered (tests/vm/kernels.conf): Debian's 5.10, 6.1, 6.1-rt,
 * 6.12 and 7.x. What cannot be decided from headers (symbol names,
 * compiler clones, private structure layouts) is resolved and checked
 * at load time by hooks.c and btf_layout.c, which refuse to load with a
 * log line naming what is missing.
 */
#ifndef SPIN_COMPAT_H
#define SPIN_COMPAT_H

/* Force-included first in every file: one log prefix for the module. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/ftrace.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/ptrace.h>

/*
 * The hook callback reads the hooked function's arguments and redirects
 * it by changing the instruction pointer. Every call of a hooked function
 * pays ftrace's trampoline, so the cheaper one is used where it exists:
 * with DYNAMIC_FTRACE_WITH_ARGS (x86 since 5.11) the argument registers
 * and ip are valid in struct ftrace_regs without saving a full pt_regs.
 * Before (5.10) the callback takes a pt_regs, saved on request
 * (FTRACE_OPS_FL_SAVE_REGS).
 */
#if defined(CONFIG_HAVE_DYNAMIC_FTRACE_WITH_ARGS) && \
	defined(SPIN_HAVE_FTRACE_REGS_GET_ARGUMENT)
#define SPIN_FTRACE_REGS_T struct ftrace_regs
#define SPIN_FTRACE_OPS_FL_REGS 0
static __always_inline unsigned long spin_hook_arg(struct ftrace_regs *fregs,
						   unsigned int n)
{
	return ftrace_regs_get_argument(fregs, n);
}

static __always_inline void spin_hook_set_ip(struct ftrace_regs *fregs,
					     unsigned long ip)
{
	ftrace_regs_set_instruction_pointer(fregs, ip);
}
#elif defined(CONFIG_HAVE_DYNAMIC_FTRACE_WITH_ARGS) && \
	defined(SPIN_HAVE_FTRACE_INSTRUCTION_POINTER_SET)
#define SPIN_FTRACE_REGS_T struct ftrace_regs
#define SPIN_FTRACE_OPS_FL_REGS 0
static __always_inline unsigned long spin_hook_arg(struct ftrace_regs *fregs,
						   unsigned int n)
{
	return regs_get_kernel_argument(&fregs->regs, n);
}

static __always_inline void spin_hook_set_ip(struct ftrace_regs *fregs,
					     unsigned long ip)
{
	ftrace_instruction_pointer_set(fregs, ip);
}
#elif defined(SPIN_HAVE_FTRACE_REGS_CALLBACK)
/* ftrace_regs without WITH_ARGS: only a full pt_regs is usable. */
#define SPIN_FTRACE_REGS_T struct ftrace_regs
#define SPIN_FTRACE_OPS_FL_REGS FTRACE_OPS_FL_SAVE_REGS
static __always_inline unsigned long spin_hook_arg(struct ftrace_regs *fregs,
						   unsigned int n)
{
	return regs_get_kernel_argument(ftrace_get_regs(fregs), n);
}

static __always_inline void spin_hook_set_ip(struct ftrace_regs *fregs,
					     unsigned long ip)
{
	ftrace_get_regs(fregs)->ip = ip;
}
#else
#define SPIN_FTRACE_REGS_T struct pt_regs
#define SPIN_FTRACE_OPS_FL_REGS FTRACE_OPS_FL_SAVE_REGS
static __always_inline unsigned long spin_hook_arg(struct pt_regs *regs,
						   unsigned int n)
{
	return regs_get_kernel_argument(regs, n);
}

static __always_inline void spin_hook_set_ip(struct pt_regs *regs,
					     unsigned long ip)
{
	regs->ip = ip;
}
#endif

/*
 * Direct-call hooks (hook_direct.c): a trampoline of this module's own
 * registered on an ftrace_ops. The API took an ip up to 6.4 (one
 * function per call); the ftrace_ops form was register_ftrace_direct_multi
 * from 5.16 to 6.4 and is register_ftrace_direct since 6.5. Older kernels
 * (5.10) use the classic hooks only.
 */
#if defined(SPIN_HAVE_FTRACE_DIRECT_OPS)
#define SPIN_HAVE_DIRECT_HOOKS 1
static inline int spin_register_ftrace_direct(struct ftrace_ops *ops,
					      unsigned long addr)
{
	return register_ftrace_direct(ops, addr);
}

/* The filter stays: the hook registers again on the same ops. */
static inline int spin_unregister_ftrace_direct(struct ftrace_ops *ops,
						unsigned long addr)
{
	return unregister_ftrace_direct(ops, addr, false);
}
#elif defined(SPIN_HAVE_FTRACE_DIRECT_MULTI)
#define SPIN_HAVE_DIRECT_HOOKS 1
static inline int spin_register_ftrace_direct(struct ftrace_ops *ops,
					      unsigned long addr)
{
	int ret = register_ftrace_direct_multi(ops, addr);

	/*
	 * A failed register leaves func and trampoline set here, and every
	 * later one would fail with EINVAL (6.5's reset_direct() clears them).
	 */
	if (ret) {
		ops->func = NULL;
		ops->trampoline = 0;
	}
	return ret;
}

static inline int spin_unregister_ftrace_direct(struct ftrace_ops *ops,
						unsigned long addr)
{
	return unregister_ftrace_direct_multi(ops, addr);
}
#endif

/*
 * No ftrace recursion guard around the hook callback. The callback calls
 * nothing the hooks trace, so it cannot recurse; and a guard that
 * skipped it (ftrace's trylock fails in some nested contexts) would let
 * a pinned syscall read user memory again without anyone noticing.
 * Since 5.11 ftrace adds the guard only on FTRACE_OPS_FL_RECURSION;
 * before, on every ops without FTRACE_OPS_FL_RECURSION_SAFE.
 */
#ifdef SPIN_HAVE_FTRACE_OPS_FL_RECURSION
#define SPIN_FTRACE_OPS_FL_UNGUARDED 0
#else
#define SPIN_FTRACE_OPS_FL_UNGUARDED FTRACE_OPS_FL_RECURSION_SAFE
#endif

/*
 * The path fetch site (sites/path.c). Up to 6.x the path copy is
 * getname_flags(filename, flags[, int *empty]) (its .part.0 body on
 * Debian's builds). Since delayed filenames (7.x) getname_flags() is a
 * two-line wrapper and the copy is the static
 * do_getname(filename, flags, bool incomplete), which the kernel's own
 * callers enter directly; "incomplete" names are io_uring's, never a
 * pinned syscall's, and are left alone.
 */
#ifdef SPIN_HAVE_DELAYED_FILENAME
#define SPIN_GETNAME_SYMBOLS "do_getname"
#define SPIN_GETNAME_ARG3_T bool
static inline bool spin_getname_foreign(bool incomplete)
{
	return incomplete;
}

/* A bool argument is defined in the low byte of its register only. */
static inline bool spin_getname_foreign_arg(unsigned long arg2)
{
	return (u8)arg2;
}
#else
#define SPIN_GETNAME_SYMBOLS "getname_flags.part.0", "getname_flags"
#define SPIN_GETNAME_ARG3_T int *
static inline bool spin_getname_foreign(int *empty)
{
	return false;
}

static inline bool spin_getname_foreign_arg(unsigned long arg2)
{
	return false;
}
#endif

/* struct filename lost its uptr (audit's name reuse) in 7.x. */
static inline void spin_filename_set_uptr(struct filename *name,
					  const char __user *uptr)
{
#ifdef SPIN_HAVE_FILENAME_UPTR
	name->uptr = uptr;
#endif
}

/*
 * The file of a struct fd: a member until 6.12 made struct fd one
 * tagged word read through fd_file().
 */
#ifdef SPIN_HAVE_FD_FILE
#define spin_fd_file(f) fd_file(f)
#else
#define spin_fd_file(f) ((f).file)
#endif

/*
 * vmas whose missing pages a read fault would wait for from the target's
 * userfaultfd handler (minor faults since 5.13).
 */
#ifdef VM_UFFD_MINOR
#define SPIN_VM_UFFD_WAIT (VM_UFFD_MISSING | VM_UFFD_MINOR)
#else
#define SPIN_VM_UFFD_WAIT VM_UFFD_MISSING
#endif

/*
 * One page of another mm, for reading (gup_flags 0, as
 * access_process_vm() passes). The caller holds its mmap_lock and sets
 * *locked = 1. Faults are killable and may drop the lock to wait
 * (@locked: FAULT_FLAG_KILLABLE | FAULT_FLAG_ALLOW_RETRY), so a page
 * that does not come (a FUSE server that does not answer) cannot hold
 * the reader unkillably with the target's mmap_lock taken. *locked is 0
 * when gup returned with the lock dropped; the caller must then not
 * unlock. 1 if the page was got; 0 if gup cannot map it, -errno if it
 * failed (-EINTR: a fatal signal).
 *
 * Except on userfaultfd-registered vmas: there gup gets no @locked, so
 * the fault fails at once (EFAULT) instead of waiting for the target's
 * handler. Such vmas are anonymous, shmem or hugetlbfs, never FUSE.
 *
 * The vmas argument went away in 6.5, the release where gup stopped
 * growing stacks and began to warn when asked to (an address just
 * below a stack): such an address is not passed to gup. Before, a
 * mapped page is taken without the vma walk, about a tenth of a short
 * PIN_ARGS (FOLL_NOFAULT, 5.16).
 */
static inline long spin_gup_remote_page(struct mm_struct *mm,
					unsigned long addr, struct page **page,
					int *locked)
{
	struct vm_area_struct *vma;

#if defined(SPIN_HAVE_GUP_REMOTE_VMAS) && defined(FOLL_NOFAULT)
	if (get_user_pages_remote(mm, addr, 1, FOLL_NOFAULT, page, NULL,
				  NULL) == 1)
		return 1;
#endif
	vma = find_vma(mm, addr);
	if (!vma || vma->vm_start > addr)
		return 0;
	if (vma->vm_flags & SPIN_VM_UFFD_WAIT)
		locked = NULL;
#ifdef SPIN_HAVE_GUP_REMOTE_VMAS
	return get_user_pages_remote(mm, addr, 1, 0, page, NULL, locked);
#else
	return get_user_pages_remote(mm, addr, 1, 0, page, locked);
#endif
}

/*
 * Map a page of another mm while reading it, across sleeps. Before
 * kmap_local_page() (5.11) page_address() does: x86_64 has no highmem.
 */
#ifdef SPIN_HAVE_KMAP_LOCAL_PAGE
static inline const char *spin_map_page(struct page *page)
{
	return kmap_local_page(page);
}

static inline void spin_unmap_page(const char *map)
{
	kunmap_local(map);
}
#else
static inline const char *spin_map_page(struct page *page)
{
	return page_address(page);
}

static inline void spin_unmap_page(const char *map)
{
}
#endif

/*
 * BTF kinds newer than the oldest supported headers (5.10 stops at
 * DATASEC). The values are UAPI, fixed by the BTF format.
 */
#define SPIN_BTF_KIND_FLOAT 16
#define SPIN_BTF_KIND_DECL_TAG 17
#define SPIN_BTF_KIND_TYPE_TAG 18
#define SPIN_BTF_KIND_ENUM64 19

#endif /* SPIN_COMPAT_H */
