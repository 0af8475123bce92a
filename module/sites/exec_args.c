// SPDX-License-Identifier: GPL-2.0
/*
 * sites/exec_args.c - execve/execveat argv and envp: bprm_execve().
 *
 * do_execveat_common() counts argv/envp and pushes the strings with
 * copy_strings() (a compiler clone with an unknown calling convention)
 * onto the new stack, then calls bprm_execve(): a plain static function,
 * entered once per exec, with the strings already in place. Its entry is
 * hooked: a pinned array replaces the strings that were read from user
 * memory, and argc/envc come from the pinned array, not from the count
 * of user memory.
 *
 * Layout of the string area at entry (it grows down from bprm->exec):
 *   bprm->p: argv[0] ... argv[argc-1] envp[0] ... envp[envc-1] :bprm->exec
 * The area is rebuilt from bprm->exec: envp, then argv, each last-first
 * (copy_strings' order), keeping the kernel's own copy of an array that
 * was not pinned. The argv+envp pointer budget of bprm_stack_limits() is
 * recomputed for the new counts.
 *
 * The kernel's copy of an unpinned array is what copy_strings() made of
 * user memory that a sibling may have changed while it was copied: it
 * measures each string, then copies that many bytes, so a flipped byte
 * leaves a string without its NUL or with an extra one. The stock kernel
 * copes (create_elf_tables() measures again in the new stack); a copy
 * that does not hold exactly the counted strings fails the exec with
 * EFAULT here, before anything is pushed from it.
 */
#include <linux/binfmts.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/ptrace.h>
#include <linux/slab.h>
#include <linux/static_call.h>
#include <linux/string.h>
#include <asm/unistd.h>

#include "../hooks.h"
#include "../ksyms.h"
#include "../pin.h"

/*
 * bprm_execve() takes (bprm, fd, filename, flags) before 6.6 and (bprm)
 * after; the three extra registers are passed through unchanged.
 */
static int spin_bprm_execve(struct linux_binprm *bprm, int fd,
			    struct filename *filename, int flags);
DEFINE_STATIC_CALL_NULL(spin_orig_bprm_execve, spin_bprm_execve);

DEFINE_STATIC_CALL_NULL(spin_access_remote_vm, access_remote_vm);

/* One array as it will be pushed: NUL-terminated strings back to back. */
struct spin_exec_array {
	const char *strings;
	size_t len;
	u32 count;
	char *owned; /* kernel copy taken from the bprm stack, or NULL */
};

static void spin_array_from_snap(const struct spin_snap *snap,
				 struct spin_exec_array *a)
{
	const u32 *header = snap->data;
	size_t table = sizeof(u32) * (1 + (size_t)header[0]);

	a->count = header[0];
	a->strings = (const char *)snap->data + table;
	a->len = snap->size - table;
	a->owned = NULL;
}

static bool spin_read_bprm(struct linux_binprm *bprm, unsigned long addr,
			   void *buf, size_t len)
{
	return static_call(spin_access_remote_vm)(bprm->mm, addr, buf, len,
						  0) == len;
}

/* Exactly @count NUL-terminated strings, back to back, fill @a? */
static bool spin_array_well_formed(const struct spin_exec_array *a)
{
	const char *p = a->strings, *end = a->strings + a->len;
	u32 seen = 0;

	if (a->len && end[-1])
		return false;
	while (p < end) {
		const char *nul = memchr(p, '\0', end - p);

		/* a->len && end[-1] == 0: every string has its NUL */
		p = nul + 1;
		seen++;
	}
	return seen == a->count;
}

/* Copy [start, start + len) of the new stack into a kernel buffer. */
static int spin_array_from_bprm(struct linux_binprm *bprm, unsigned long start,
				size_t len, u32 count,
				struct spin_exec_array *a)
{
	a->count = count;
	a->len = len;
	a->owned = kvmalloc(len ?: 1, SPIN_GFP_CALLER_SIZED);
	a->strings = a->owned;
	if (!a->owned)
		return -ENOMEM;
	if (len && !spin_read_bprm(bprm, start, a->owned, len))
		return -EFAULT;
	return spin_array_well_formed(a) ? 0 : -EFAULT;
}

/* Bytes taken by the first @count strings at bprm->p. */
static long spin_bprm_strings_len(struct linux_binprm *bprm, u32 count)
{
	unsigned long pos = bprm->p;
	char chunk[64];

	while (count) {
		size_t room = min_t(size_t, sizeof(chunk), bprm->exec - pos);
		size_t i;

		if (!room || !spin_read_bprm(bprm, pos, chunk, room))
			return -EFAULT;
		for (i = 0; i < room && count; i++)
			if (!chunk[i])
				count--;
		pos += i;
	}
	return pos - bprm->p;
}

/*
 * Push the strings of @a last-first, as copy_strings() does. @a holds
 * exactly a->count NUL-terminated strings (a snapshot, or a kernel copy
 * checked by spin_array_well_formed()).
 */
static int spin_push_array(struct linux_binprm *bprm,
			   const struct spin_exec_array *a)
{
	const char *end = a->strings + a->len;
	u32 left = a->count;

	while (left--) {
		const char *s = end - 1;
		int ret;

		if (WARN_ON_ONCE(s < a->strings))
			return -EFAULT;
		/* end[-1] is the NUL of the string to push; find its start. */
		while (s > a->strings && s[-1])
			s--;
		ret = copy_string_kernel(s, bprm);
		if (ret)
			return ret;
		end = s;
	}
	return 0;
}

static unsigned long spin_ptr_budget(u32 argc, u32 envc)
{
	return (max_t(u32, argc, 1) + (unsigned long)envc) * sizeof(void *);
}

static int spin_exec_rewrite(struct linux_binprm *bprm,
			     const struct spin_snap *argv_snap,
			     const struct spin_snap *envp_snap)
{
	struct spin_exec_array argv = {}, envp = {};
	u32 old_argc = bprm->argc, old_envc = bprm->envc;
	long argv_len;
	int ret;

	if ((argv_snap && argv_snap->truncated) ||
	    (envp_snap && envp_snap->truncated))
		return -E2BIG;

	argv_len = spin_bprm_strings_len(bprm, bprm->argc);
	if (argv_len < 0)
		return argv_len;
	ret = 0;
	if (argv_snap)
		spin_array_from_snap(argv_snap, &argv);
	else
		ret = spin_array_from_bprm(bprm, bprm->p, argv_len, bprm->argc,
					   &argv);
	if (!ret && envp_snap)
		spin_array_from_snap(envp_snap, &envp);
	else if (!ret)
		ret = spin_array_from_bprm(bprm, bprm->p + argv_len,
					   bprm->exec - bprm->p - argv_len,
					   bprm->envc, &envp);
	if (ret)
		goto out;

#ifdef SPIN_HAVE_BPRM_ARGMIN
	{
		unsigned long old_budget = spin_ptr_budget(old_argc, old_envc);
		unsigned long new_budget =
			spin_ptr_budget(argv.count, envp.count);
		/* bprm_stack_limits(): argmin = start - (limit - budget). */
		unsigned long start = bprm->exec + strlen(bprm->filename) + 1;
		unsigned long limit = start - bprm->argmin + old_budget;

		ret = -E2BIG;
		if (limit <= new_budget)
			goto out;
		bprm->argmin = start - (limit - new_budget);
	}
#endif
	bprm->p = bprm->exec;
	ret = spin_push_array(bprm, &envp);
	if (ret)
		goto out;
	ret = spin_push_array(bprm, &argv);
	if (ret)
		goto out;
	bprm->envc = envp.count;
	bprm->argc = argv.count;
	/* As do_execveat_common(): never start a program with argc == 0. */
	if (!bprm->argc) {
		ret = copy_string_kernel("", bprm);
		if (ret)
			goto out;
		bprm->argc = 1;
	}
out:
	kvfree(argv.owned);
	kvfree(envp.owned);
	return ret;
}

static bool spin_is_exec(const struct spin_pin *pin)
{
	return pin->syscall_nr == __NR_execve ||
	       pin->syscall_nr == __NR_execveat;
}

/*
 * The pin's reference is held across the original bprm_execve(): exec
 * runs the pin's task_work there (io_uring cancellation in
 * begin_new_exec()), and this frame must keep the module until it
 * returns.
 */
static int spin_bprm_execve(struct linux_binprm *bprm, int fd,
			    struct filename *filename, int flags)
{
	struct spin_pin *pin = spin_pin_current_get();
	const struct spin_snap *argv_snap = NULL, *envp_snap = NULL;
	int ret = 0;

	if (pin && spin_is_exec(pin)) {
		u8 argv_idx = pin->syscall_nr == __NR_execve ? 1 : 2;

		argv_snap = spin_pin_snap_of_arg(
			pin, SECCOMP_PIN_SITE_EXEC_ARGS, argv_idx);
		envp_snap = spin_pin_snap_of_arg(
			pin, SECCOMP_PIN_SITE_EXEC_ARGS, argv_idx + 1);
	}
	if (argv_snap || envp_snap) {
		ret = spin_exec_rewrite(bprm, argv_snap, envp_snap);
		spin_pin_count_consumed(pin);
	}
	if (!ret)
		ret = static_call(spin_orig_bprm_execve)(bprm, fd, filename,
							 flags);
	spin_pin_put(pin);
	return ret;
}

/* Only execve/execveat pins have snapshots of this site. */
static bool spin_exec_args_want(const unsigned long *args)
{
	return spin_pin_current_has_site(SECCOMP_PIN_SITE_EXEC_ARGS);
}

static int spin_exec_args_set_original(unsigned long addr)
{
	/* Not exported; reads the kernel's copy of an unpinned array. */
	unsigned long access = spin_ksym("access_remote_vm");

	if (!access) {
		pr_err("refusing to load: access_remote_vm not found\n");
		return -ENOENT;
	}
	static_call_update(spin_access_remote_vm,
			   (typeof(access_remote_vm) *)access);
	static_call_update(spin_orig_bprm_execve,
			   (typeof(spin_bprm_execve) *)addr);
	return 0;
}

static const char *const spin_exec_args_symbols[] = { "bprm_execve", NULL };

struct spin_hook spin_site_exec_args_hook = {
	.site = SECCOMP_PIN_SITE_EXEC_ARGS,
	.symbols = spin_exec_args_symbols,
	.replacement = spin_bprm_execve,
	.want = spin_exec_args_want,
	.set_original = spin_exec_args_set_original,
};
