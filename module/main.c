// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - seccomp_pin module: load/unload and the /dev/seccomp_pin device.
 *
 * The device is world-accessible (0666): the intended users are
 * unprivileged supervisors, and authority comes from holding a seccomp
 * listener fd, which every request names.
 */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/uaccess.h>

#include "btf_layout.h"
#include "hooks.h"
#include "ksyms.h"
#include "livepatch.h"
#include "notif.h"
#include "pin.h"
#include "pin_ioctl.h"
#include "quota.h"
#include "recv_pin.h"
#include "snapshot.h"
#include "syscall_table.h"

static long spin_ioctl_info(struct seccomp_pin_info __user *uinfo)
{
	struct seccomp_pin_info info = {
		.abi_version = SECCOMP_PIN_ABI_VERSION,
		.kinds = BIT(SECCOMP_PIN_FIXED) | BIT(SECCOMP_PIN_CSTRING) |
			 BIT(SECCOMP_PIN_CSTRING_ARRAY),
		.sites = spin_hooks_sites(),
		.registered_sites = spin_hooks_registered_sites(),
		.max_args = SECCOMP_PIN_MAX_ARGS,
		.max_arg_bytes = SECCOMP_PIN_MAX_ARG_BYTES,
		.max_total_bytes = SECCOMP_PIN_MAX_TOTAL_BYTES,
		.default_max_entries = SECCOMP_PIN_DEFAULT_MAX_ENTRIES,
		.max_entries = SECCOMP_PIN_MAX_ENTRIES,
		.max_listener_bytes = spin_quota_max_listener_bytes(),
		.max_module_bytes = spin_quota_max_module_bytes(),
		.max_user_bytes = spin_quota_max_user_bytes(),
		.features = SECCOMP_PIN_FEATURE_PINNABLE |
			    SECCOMP_PIN_FEATURE_RECV_PIN,
		.max_rules = SPIN_MAX_RULES,
	};
	struct spin_pin_stats stats;

	/*
	 * The device is open to every user: the module's figures would
	 * tell one tenant about another's activity. Only an administrator
	 * sees them; everyone else sees their own.
	 */
	if (capable(CAP_SYS_ADMIN)) {
		info.figures = SECCOMP_PIN_FIGURES_GLOBAL;
		spin_stats_global(&stats);
	} else {
		info.figures = SECCOMP_PIN_FIGURES_USER;
		spin_stats_current_user(&stats);
	}
	info.live_pins = stats.live_pins;
	info.live_bytes = stats.live_bytes;
	info.total_pins = stats.total_pins;
	info.total_consumed = stats.total_consumed;
	return copy_to_user(uinfo, &info, sizeof(info)) ? -EFAULT : 0;
}

static long spin_dev_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case SECCOMP_PIN_IOC_INFO:
		return spin_ioctl_info(uarg);
	case SECCOMP_PIN_IOC_PIN_ARGS:
		return spin_ioctl_pin_args(uarg);
	case SECCOMP_PIN_IOC_SEND:
		return spin_ioctl_send(uarg);
	case SECCOMP_PIN_IOC_PINNABLE:
		return spin_ioctl_pinnable(uarg, spin_hooks_sites());
	case SECCOMP_PIN_IOC_SET_RULES:
		return spin_ioctl_set_rules(file, uarg);
	case SECCOMP_PIN_IOC_RECV_PIN:
		return spin_ioctl_recv_pin(file, uarg);
	}
	return -ENOTTY;
}

/* private_data holds the fd's RECV_PIN rules (recv_pin.c), none at first. */
static int spin_dev_open(struct inode *inode, struct file *file)
{
	file->private_data = NULL;
	return 0;
}

static int spin_dev_release(struct inode *inode, struct file *file)
{
	spin_rules_release(file);
	return 0;
}

static const struct file_operations spin_dev_fops = {
	.owner = THIS_MODULE,
	.open = spin_dev_open,
	.release = spin_dev_release,
	.unlocked_ioctl = spin_dev_ioctl,
	/* Every struct has the same layout for 32-bit callers. */
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice spin_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "seccomp_pin",
	.fops = &spin_dev_fops,
	.mode = 0666,
};

static int __init spin_init(void)
{
	int ret;

	ret = spin_ksyms_init();
	if (ret)
		return ret;
	ret = spin_btf_layout_init();
	if (ret)
		return ret;
	ret = spin_notif_init();
	if (ret)
		return ret;
	ret = spin_snapshot_init();
	if (ret)
		return ret;
	spin_pin_init();
	ret = spin_hooks_init();
	if (ret)
		return ret;
	ret = spin_livepatch_init();
	if (ret) {
		spin_hooks_exit();
		return ret;
	}
	ret = misc_register(&spin_dev);
	if (ret) {
		pr_err("cannot register /dev/seccomp_pin: %d\n", ret);
		spin_livepatch_exit();
		spin_hooks_exit();
		return ret;
	}
	pr_info("loaded: ABI %d, fetch sites 0x%x\n", SECCOMP_PIN_ABI_VERSION,
		spin_hooks_sites());
	return 0;
}

/* Runs only once no pin is left: every pin holds a module reference. */
static void __exit spin_exit(void)
{
	misc_deregister(&spin_dev);
	spin_livepatch_exit();
	spin_hooks_exit();
	/*
	 * The last pin's put (module_put) runs in this module's text, and
	 * so does the rest of the replacement that dropped it: wait until
	 * every task has left such a frame. Tasks RCU waits for preempted
	 * tasks too, which plain RCU would not.
	 */
	synchronize_rcu_tasks();
	spin_pin_exit();
	spin_quota_exit();
}

module_init(spin_init);
module_exit(spin_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Race-free pointer arguments for seccomp user notification");
MODULE_AUTHOR("seccomp-pin developers");
MODULE_VERSION("0.1.0");
