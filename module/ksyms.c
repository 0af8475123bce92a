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
