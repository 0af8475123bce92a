// SPDX-License-Identifier: GPL-2.0
/*
 * The callbacks of kallsyms_on_each_symbol() and
 * module_kallsyms_on_each_symbol() have no struct module * argument
 * (6.4; one change dropped it from both).
 */
#include <linux/kallsyms.h>

static int spin_probe_cb(void *data, const char *name, unsigned long addr)
{
	return 0;
}

int spin_probe(void);
int spin_probe(void)
{
	return kallsyms_on_each_symbol(spin_probe_cb, NULL);
}
