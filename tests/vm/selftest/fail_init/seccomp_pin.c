// SPDX-License-Identifier: GPL-2.0
/*
 * Harness self-test: a module named seccomp_pin whose init fails, which
 * the harness must report as an insmod failure.
 */
#include <linux/errno.h>
#include <linux/module.h>

static int __init spt_init(void)
{
	pr_info("seccomp_pin self-test: init fails on purpose\n");
	return -ENODEV;
}

module_init(spt_init);
MODULE_DESCRIPTION("seccomp-pin VM harness self-test: failing init");
MODULE_LICENSE("GPL");
