// SPDX-License-Identifier: GPL-2.0
/*
 * Harness self-test: a module whose init triggers a kernel WARNING, which
 * the harness must report (with panic_on_warn=1 the guest panics).
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init spt_warn_init(void)
{
	WARN_ON(1);
	return 0;
}

static void __exit spt_warn_exit(void)
{
}

module_init(spt_warn_init);
module_exit(spt_warn_exit);
MODULE_DESCRIPTION("seccomp-pin VM harness self-test: WARN_ON at init");
MODULE_LICENSE("GPL");
