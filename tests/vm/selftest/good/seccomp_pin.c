// SPDX-License-Identifier: GPL-2.0
/*
 * Stand-in for the real module in the harness self-test: registers
 * /dev/seccomp_pin (mode 0666) and nothing else, so a passing harness run
 * depends only on the harness.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

static const struct file_operations spt_fops = {
	.owner = THIS_MODULE,
};

static struct miscdevice spt_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "seccomp_pin",
	.fops = &spt_fops,
	.mode = 0666,
};

static int __init spt_init(void)
{
	return misc_register(&spt_dev);
}

static void __exit spt_exit(void)
{
	misc_deregister(&spt_dev);
}

module_init(spt_init);
module_exit(spt_exit);
MODULE_DESCRIPTION("seccomp-pin VM harness self-test: good stand-in module");
MODULE_LICENSE("GPL");
