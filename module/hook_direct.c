// SPDX-License-Identifier: GPL-2.0
/*
 * hook_direct.c - the fetch-site hooks as ftrace direct calls.
 *
 * With a classic ftrace_ops, every call of a hooked function, by every
 * task, runs ftrace's trampoline: it saves the argument registers, calls
 * the callback and restores them (15% on a 1-byte write to /dev/null
 * under TCG). A direct call enters spin_direct_tramp (hook_tramp.S)
 * instead, which tests spin_armed_pins and returns: a compare and a
 * branch while no pin is armed anywhere. Only then does it save the
 * arguments and ask the site in C. A redirect overwrites the return address into the hooked
 * function with the replacement, as ftrace's IPMODIFY does with regs->ip:
 * the replacement runs with the caller's arguments and returns to the
 * caller.
 *
 * ftrace allows one direct call per function: while a hook is
 * registered, attaching a BPF trampoline (fentry, fexit, fmod_ret
 * programs) to the same function fails with EBUSY, and a hook cannot
 * register while one is attached (PIN_ARGS on that site then fails).
 * direct_hooks=0 selects the classic IPMODIFY hooks, which ftrace lets
 * BPF trampolines share. A livepatch of a hooked function fails with
 * EBUSY in both modes (this ops has no ops_func to share it); livepatch.c
 * unregisters idle hooks before a livepatch enables.
 */
#include <linux/ftrace.h>
#include <linux/kernel.h>
#include <linux/module.h>

#include "hooks.h"
#include "pin.h"

#ifdef SPIN_HAVE_DIRECT_HOOKS
/*
 * Some pin is armed: where should this call of a hooked function go?
 * 0 lets it run. The replacement's own call of the original comes from
 * this module and runs it (see hooks.c).
 */
unsigned long notrace spin_direct_enter(const unsigned long *args,
					unsigned long ret_ip,
					unsigned long parent_ip)
{
	struct spin_hook *hook;

	if (within_module(parent_ip, THIS_MODULE))
		return 0;
	hook = spin_hook_entered(ret_ip);
	if (!hook || !hook->want(args))
		return 0;
	return (unsigned long)hook->replacement;
}

bool spin_hooks_direct_supported(void)
{
	return true;
}

int spin_hook_direct_register(struct spin_hook *hook)
{
	return spin_register_ftrace_direct(&hook->ops,
					   (unsigned long)spin_direct_tramp);
}

void spin_hook_direct_unregister(struct spin_hook *hook)
{
	int ret = spin_unregister_ftrace_direct(
		&hook->ops, (unsigned long)spin_direct_tramp);

	WARN_ONCE(ret, "unregistering the direct call of %s: %d\n",
		  hook->symbol, ret);
}
#else
bool spin_hooks_direct_supported(void)
{
	return false;
}

int spin_hook_direct_register(struct spin_hook *hook)
{
	return -EOPNOTSUPP;
}

void spin_hook_direct_unregister(struct spin_hook *hook)
{
}
#endif
