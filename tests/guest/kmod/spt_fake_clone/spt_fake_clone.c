// SPDX-License-Identifier: GPL-2.0
/*
 * spt_fake_clone - a test module whose one function is named like a
 * compiler clone of a function seccomp_pin hooks, with combined suffixes
 * (vfs_write.isra.0.part.0). While it is loaded, seccomp_pin must refuse
 * to load (tests/guest/test_clone_refusal.c).
 */
#include <linux/compiler.h>
#include <linux/init.h>
#include <linux/module.h>

/*
 * The asm label gives the symbol a name no C identifier can have. Global
 * and called, so neither the compiler nor the module loader drops it
 * from the module's symbol table, which kallsyms lists.
 */
noinline void spt_fake_clone(void) __asm__("vfs_write.isra.0.part.0");
noinline void spt_fake_clone(void)
{
	barrier();
}

static int __init spt_fake_clone_init(void)
{
	spt_fake_clone();
	return 0;
}

static void __exit spt_fake_clone_exit(void)
{
}

module_init(spt_fake_clone_init);
module_exit(spt_fake_clone_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("seccomp-pin test: a symbol named like a clone of vfs_write");
