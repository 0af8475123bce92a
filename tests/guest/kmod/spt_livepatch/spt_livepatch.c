// SPDX-License-Identifier: GPL-2.0
/*
 * spt_livepatch - a livepatch of move_addr_to_kernel(), the function
 * seccomp_pin hooks for sockaddrs, as an administrator's security
 * livepatch would take it. The replacement is the original without the
 * audit record (__audit_sockaddr is not exported): a test patch only.
 */
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/socket.h>
#include <linux/uaccess.h>

static int spt_move_addr_to_kernel(void __user *uaddr, int ulen,
				   struct sockaddr_storage *kaddr)
{
	if (ulen < 0 || ulen > sizeof(struct sockaddr_storage))
		return -EINVAL;
	if (ulen == 0)
		return 0;
	if (copy_from_user(kaddr, uaddr, ulen))
		return -EFAULT;
	return 0;
}

static struct klp_func spt_funcs[] = {
	{
		.old_name = "move_addr_to_kernel",
		.new_func = spt_move_addr_to_kernel,
	},
	{}
};

static struct klp_object spt_objs[] = {
	{
		/* name NULL: vmlinux */
		.funcs = spt_funcs,
	},
	{}
};

static struct klp_patch spt_patch = {
	.mod = THIS_MODULE,
	.objs = spt_objs,
};

static int __init spt_livepatch_init(void)
{
	return klp_enable_patch(&spt_patch);
}

static void __exit spt_livepatch_exit(void)
{
}

module_init(spt_livepatch_init);
module_exit(spt_livepatch_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("test livepatch of move_addr_to_kernel");
