// SPDX-License-Identifier: GPL-2.0
/*
 * Harness self-test for the debug kernel: a module whose init reads one
 * byte past a 24-byte kmalloc() buffer. KASAN must report it (with
 * kasan.fault=panic the guest panics) and the harness must turn red.
 * On a kernel without KASAN the read is harmless (same slab object).
 */
#include <linux/compiler.h>
#include <linux/module.h>
#include <linux/slab.h>

/* Out of line, with the index from a volatile: no compile-time bounds. */
static noinline char spt_read_byte(const char *p, size_t i)
{
	return READ_ONCE(p[i]);
}

static int __init spt_kasan_oob_init(void)
{
	volatile size_t len = 24;
	char *p = kmalloc(len, GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	pr_info("spt_kasan_oob: read past the end: %d\n", spt_read_byte(p, len));
	kfree(p);
	return 0;
}

static void __exit spt_kasan_oob_exit(void)
{
}

module_init(spt_kasan_oob_init);
module_exit(spt_kasan_oob_exit);
MODULE_DESCRIPTION("seccomp-pin VM harness self-test: KASAN out-of-bounds read at init");
MODULE_LICENSE("GPL");
