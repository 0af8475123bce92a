// SPDX-License-Identifier: GPL-2.0
/*
 * hooks.c - resolve, install and remove the fetch-site hooks.
 *
 * Each hook is an ftrace_ops with IPMODIFY on one kernel function. Its
 * callback costs one load for tasks when no pin is armed anywhere; only
 * a call made by a task holding an armed pin is redirected (by
 * rewriting the saved ip) to the site's replacement. The replacement calls
 * the original back; that nested call comes from this module's text, so
 * the callback lets it through (the Kbuild flag -fno-optimize-sibling-calls
 * keeps that call from becoming a jump that would hide its origin).
 */
#include <linux/ftrace.h>
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/string.h>

#include "hooks.h"
#include "ksyms.h"
#include "pin.h"

static struct spin_hook *const spin_hooks[] = {
	&spin_site_path_hook,
	&spin_site_sockaddr_hook,
	&spin_site_exec_args_hook,
	&spin_site_write_hook,
};

static void notrace spin_hook_callback(unsigned long ip,
				       unsigned long parent_ip,
				       struct ftrace_ops *ops,
				       SPIN_FTRACE_REGS_T *fregs)
{
	struct spin_hook *hook = container_of(ops, struct spin_hook, ops);

	if (likely(!spin_pins_armed()))
		return;
	if (within_module(parent_ip, THIS_MODULE))
		return;
	if (hook->want(fregs))
		spin_hook_set_ip(fregs, (unsigned long)hook->replacement);
}

/*
 * Callers may enter a compiler clone of the hooked function directly
 * (getname_flags.part.0 on Debian's 6.1). A clone other than the hooked
 * symbol would let them bypass the hook, and its calling convention is
 * unknown: refuse to load rather than half-work.
 */
static int spin_hook_check_clones(const struct spin_hook *hook)
{
	static const char *const suffixes[] = {
		".part.0", ".isra.0", ".constprop.0",
		".part.1", ".isra.1", ".constprop.1",
	};
	int base = strcspn(hook->symbol, ".");
	char name[KSYM_NAME_LEN];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(suffixes); i++) {
		snprintf(name, sizeof(name), "%.*s%s", base, hook->symbol,
			 suffixes[i]);
		if (strcmp(name, hook->symbol) && spin_ksym(name)) {
			pr_err("cannot hook fetch site 0x%x: %s has a compiler clone %s that callers may enter directly\n",
			       hook->site, hook->symbol, name);
			return -EINVAL;
		}
	}
	return 0;
}

static int spin_hook_resolve(struct spin_hook *hook)
{
	const char *const *name;

	for (name = hook->symbols; *name; name++) {
		hook->addr = spin_ksym(*name);
		if (hook->addr) {
			hook->symbol = *name;
			return spin_hook_check_clones(hook);
		}
	}
	pr_err("cannot hook fetch site 0x%x: none of its symbols exists on this kernel (first choice %s)\n",
	       hook->site, hook->symbols[0]);
	return -ENOENT;
}

static int spin_hook_install(struct spin_hook *hook)
{
	int ret;

	ret = spin_hook_resolve(hook);
	if (ret)
		return ret;
	ret = hook->set_original(hook->addr);
	if (ret)
		return ret;
	hook->ops.func = spin_hook_callback;
	hook->ops.flags = SPIN_FTRACE_OPS_FL_REGS | FTRACE_OPS_FL_IPMODIFY |
			  SPIN_FTRACE_OPS_FL_UNGUARDED;
	ret = ftrace_set_filter_ip(&hook->ops, hook->addr, 0, 0);
	if (ret) {
		pr_err("cannot hook %s: not traceable by ftrace (%d)\n",
		       hook->symbol, ret);
		return ret;
	}
	ret = register_ftrace_function(&hook->ops);
	if (ret) {
		pr_err("cannot hook %s: ftrace refused it (%d%s)\n",
		       hook->symbol, ret,
		       ret == -EBUSY ?
			       ", another IPMODIFY user such as a livepatch owns it" :
			       "");
		ftrace_set_filter_ip(&hook->ops, hook->addr, 1, 0);
		return ret;
	}
	hook->installed = true;
	pr_debug("hooked %s at %pS\n", hook->symbol, (void *)hook->addr);
	return 0;
}

static void spin_hook_remove(struct spin_hook *hook)
{
	if (!hook->installed)
		return;
	unregister_ftrace_function(&hook->ops);
	ftrace_set_filter_ip(&hook->ops, hook->addr, 1, 0);
	hook->installed = false;
}

int spin_hooks_install(void)
{
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(spin_hooks); i++) {
		ret = spin_hook_install(spin_hooks[i]);
		if (ret) {
			spin_hooks_remove();
			return ret;
		}
	}
	return 0;
}

void spin_hooks_remove(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(spin_hooks); i++)
		spin_hook_remove(spin_hooks[i]);
}

u32 spin_hooks_live_sites(void)
{
	u32 sites = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(spin_hooks); i++)
		if (spin_hooks[i]->installed)
			sites |= spin_hooks[i]->site;
	return sites;
}
