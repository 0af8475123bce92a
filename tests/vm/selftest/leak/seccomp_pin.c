// SPDX-License-Identifier: GPL-2.0
/*
 * Harness self-test for the debug kernel: the good stand-in module
 * (/dev/seccomp_pin, mode 0666), except that every open() of the device
 * allocates 64 bytes and drops the only pointer to them. kmemleak must
 * find the objects, the harness must name them as seccomp_pin's and turn
 * red. (The passing self-test suite opens the device once.)
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/slab.h>

static noinline void spt_leak(void)
{
	void *p = kmalloc(64, GFP_KERNEL);

	/* Used, so the allocation is kept; forgotten, so it leaks. */
	pr_info("seccomp_pin (leak self-test): leaking %s object\n",
		p ? "one" : "no");
}

static int spt_open(struct inode *inode, struct file *file)
{
	spt_leak();
	return 0;
}

static const struct file_operations spt_fops = {
	.owner = THIS_MODULE,
	.open = spt_open,
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
MODULE_DESCRIPTION("seccomp-pin VM harness self-test: stand-in module that leaks");
MODULE_LICENSE("GPL");
