// SPDX-License-Identifier: GPL-2.0
/*
 * ksyms.c - symbol resolution on the running kernel.
 *
 * kallsyms_lookup_name() is not exported since 5.7; a kprobe on it tells
 * its address. With IBT the kprobe sits past the ENDBR (symbol+4), so the
 * offset reported by sprint_symbol() is subtracted to get the entry.
 * The resolved function is called through a static call: a direct call
 * instruction, so an IBT-sealed entry (ENDBR poisoned) never matters.
 */
#include <linux/kernel.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/static_call.h>
#include <linux/string.h>

#include "ksyms.h"

DEFINE_STATIC_CALL_NULL(spin_kallsyms_lookup_name, kallsyms_lookup_name);

static unsigned long symbol_entry(unsigned long addr)
{
	char buf[KSYM_SYMBOL_LEN];
	unsigned long offset;
	char *plus;

	sprint_symbol(buf, addr);
	plus = strchr(buf, '+');
	if (!plus || sscanf(plus, "+%lx", &offset) != 1)
		return addr;
	return addr - offset;
}

int spin_ksyms_init(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	unsigned long addr;
	int ret;

	ret = register_kprobe(&kp);
	if (ret) {
		pr_err("cannot resolve kallsyms_lookup_name through a kprobe: %d\n",
		       ret);
		return ret;
	}
	addr = symbol_entry((unsigned long)kp.addr);
	unregister_kprobe(&kp);
	static_call_update(spin_kallsyms_lookup_name,
			   (typeof(kallsyms_lookup_name) *)addr);
	return 0;
}

unsigned long spin_ksym(const char *name)
{
	return static_call(spin_kallsyms_lookup_name)(name);
}

/*
 * The symbol walkers are not exported either, so they are resolved and
 * called like kallsyms_lookup_name(). kallsyms_on_each_symbol() covers
 * vmlinux only (since 5.12, and 5.10.220 stable), so modules take the
 * second walker. Their callbacks lost the struct module * argument in
 * 6.4, and the module walker gained a module-name filter in 6.2: see
 * the probes.
 */
DEFINE_STATIC_CALL_NULL(spin_walk_vmlinux, kallsyms_on_each_symbol);
DEFINE_STATIC_CALL_NULL(spin_walk_modules, module_kallsyms_on_each_symbol);

struct spin_ksym_walk {
	spin_ksym_fn fn;
	void *data;
	bool in_module;
};

#ifdef SPIN_HAVE_KALLSYMS_CALLBACK_NO_MODULE
static int spin_ksym_one(void *data, const char *name, unsigned long addr)
#else
static int spin_ksym_one(void *data, const char *name, struct module *mod,
			 unsigned long addr)
#endif
{
	struct spin_ksym_walk *walk = data;

	return walk->fn(walk->data, name, addr, walk->in_module);
}

int spin_ksym_for_each(spin_ksym_fn fn, void *data)
{
	static const char *const walkers[] = {
		"kallsyms_on_each_symbol", "module_kallsyms_on_each_symbol"
	};
	struct spin_ksym_walk walk = { .fn = fn, .data = data };
	unsigned long addr[ARRAY_SIZE(walkers)];
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(walkers); i++) {
		addr[i] = spin_ksym(walkers[i]);
		if (!addr[i]) {
			pr_err("cannot walk the kernel's symbols: no %s on this kernel\n",
			       walkers[i]);
			return -ENOENT;
		}
	}
	static_call_update(spin_walk_vmlinux,
			   (typeof(kallsyms_on_each_symbol) *)addr[0]);
	static_call_update(spin_walk_modules,
			   (typeof(module_kallsyms_on_each_symbol) *)addr[1]);

	ret = static_call(spin_walk_vmlinux)(spin_ksym_one, &walk);
	if (ret)
		return ret;
	walk.in_module = true;
#ifdef SPIN_HAVE_MODULE_KALLSYMS_MODNAME
	return static_call(spin_walk_modules)(NULL, spin_ksym_one, &walk);
#else
	return static_call(spin_walk_modules)(spin_ksym_one, &walk);
#endif
}
