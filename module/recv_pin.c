// SPDX-License-Identifier: GPL-2.0
/*
 * recv_pin.c - SECCOMP_PIN_IOC_SET_RULES and SECCOMP_PIN_IOC_RECV_PIN:
 * receive a notification and pin what a rule names for its syscall in
 * one system call instead of two.
 *
 * The rules belong to the device fd (its open file description): set
 * once by the supervisor, replaced whole, read under RCU by RECV_PIN.
 * The receive itself is seccomp's own SECCOMP_IOCTL_NOTIF_RECV on the
 * listener, into the caller's buffer; the pin is PIN_ARGS' own code.
 */
#include <linux/audit.h>
#include <linux/bsearch.h>
#include <linux/file.h>
#include <linux/poll.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/uaccess.h>

#include "notif.h"
#include "pin.h"
#include "pin_ioctl.h"
#include "recv_pin.h"

struct spin_rules {
	struct rcu_head rcu;
	u32 nr_rules;
	struct seccomp_pin_rule rule[]; /* sorted by nr */
};

static int spin_rule_cmp(const void *a, const void *b)
{
	const struct seccomp_pin_rule *x = a, *y = b;

	return x->nr < y->nr ? -1 : x->nr > y->nr;
}

static int spin_rule_key_cmp(const void *key, const void *elt)
{
	int nr = *(const int *)key;
	const struct seccomp_pin_rule *r = elt;

	return nr < r->nr ? -1 : nr > r->nr;
}

static struct spin_rules *spin_rules_of(struct file *dev)
{
	return (struct spin_rules *)READ_ONCE(dev->private_data);
}

long spin_ioctl_set_rules(struct file *dev,
			  struct seccomp_pin_rules __user *ureq)
{
	struct seccomp_pin_rules req;
	struct spin_rules *rules = NULL, *old;
	u32 i;
	int ret;

	if (copy_from_user(&req, ureq, sizeof(req)))
		return -EFAULT;
	if (req.flags)
		return -EINVAL;
	if (req.nr_rules > SPIN_MAX_RULES)
		return -E2BIG;
	if (req.nr_rules) {
		rules = kvmalloc(struct_size(rules, rule, req.nr_rules),
				 SPIN_GFP_CALLER_SIZED);
		if (!rules)
			return -ENOMEM;
		rules->nr_rules = req.nr_rules;
		if (copy_from_user(rules->rule, u64_to_user_ptr(req.rules),
				   array_size(req.nr_rules,
					      sizeof(rules->rule[0])))) {
			ret = -EFAULT;
			goto fail;
		}
		for (i = 0; i < req.nr_rules; i++) {
			ret = spin_check_rule(&rules->rule[i]);
			if (ret)
				goto fail;
		}
		sort(rules->rule, req.nr_rules, sizeof(rules->rule[0]),
		     spin_rule_cmp, NULL);
		/* One rule per syscall: which of two would apply is unclear. */
		for (i = 1; i < req.nr_rules; i++) {
			if (rules->rule[i].nr == rules->rule[i - 1].nr) {
				ret = -EINVAL;
				goto fail;
			}
		}
	}
	old = xchg((struct spin_rules **)&dev->private_data, rules);
	if (old)
		kvfree_rcu(old, rcu);
	return 0;
fail:
	kvfree(rules);
	return ret;
}

/* The rule of @dev for syscall @nr, copied to @out: false if none. */
static bool spin_rule_find(struct file *dev, int nr,
			   struct seccomp_pin_rule *out)
{
	const struct seccomp_pin_rule *r = NULL;
	struct spin_rules *rules;

	rcu_read_lock();
	rules = spin_rules_of(dev);
	if (rules)
		r = bsearch(&nr, rules->rule, rules->nr_rules,
			    sizeof(rules->rule[0]), spin_rule_key_cmp);
	if (r)
		*out = *r;
	rcu_read_unlock();
	return r;
}

/*
 * After the receive: pin what @dev's rule for the notification at
 * @unotif names. Only a failure to reach the caller's memory is
 * returned; the pin's own result goes to @rv.
 */
static long spin_recv_then_pin(struct file *dev, struct spin_listener *l,
			       struct seccomp_pin_recv *rv,
			       struct seccomp_pin_recv __user *urv)
{
	struct seccomp_notif __user *unotif = u64_to_user_ptr(rv->notif);
	struct seccomp_pin_request req = { .listener_fd = rv->listener_fd };
	struct seccomp_pin_rule rule;
	struct seccomp_notif n;

	/* The caller's copy: altering it only misleads the caller itself. */
	if (copy_from_user(&n, unotif, sizeof(n)))
		return -EFAULT;
	rv->pin_error = 0;
	rv->pinned = 0;
	rv->pin.id = n.id;
	rv->pin.nr_args = 0;
	memset(rv->pin.args, 0, sizeof(rv->pin.args));
	if (spin_rule_find(dev, n.data.nr, &rule)) {
		req.pin = rv->pin;
		req.pin.nr_args = rule.nr_args;
		memcpy(req.pin.args, rule.args, sizeof(req.pin.args));
		rv->pin_error = spin_pin_request(&req, l, &urv->pin);
		rv->pinned = !rv->pin_error;
	}
	/* Pinned: urv->pin already holds the outputs. */
	if (rv->pinned) {
		if (put_user(rv->pin_error, &urv->pin_error) ||
		    put_user(rv->pinned, &urv->pinned))
			return -EFAULT;
		return 0;
	}
	return copy_to_user(urv, rv, sizeof(*rv)) ? -EFAULT : 0;
}

long spin_ioctl_recv_pin(struct file *dev, struct seccomp_pin_recv __user *urv)
{
	struct seccomp_pin_recv rv;
	struct spin_listener listener;
	struct file *lf;
	long ret;

	if (copy_from_user(&rv, urv, sizeof(rv)))
		return -EFAULT;
	if (rv.flags & ~SECCOMP_PIN_RECV_NONBLOCK)
		return -EINVAL;
	ret = spin_listener_get(rv.listener_fd, &listener);
	if (ret)
		return ret;
	lf = listener.file;
	/*
	 * seccomp's RECV always waits. Another receiver may take the one
	 * pending between this check and the receive: then this waits too,
	 * as two threads calling NOTIF_RECV after one poll would.
	 */
	if ((rv.flags & SECCOMP_PIN_RECV_NONBLOCK) &&
	    !(vfs_poll(lf, NULL) & EPOLLIN)) {
		ret = -EAGAIN;
		goto out;
	}
	ret = lf->f_op->unlocked_ioctl(lf, SECCOMP_IOCTL_NOTIF_RECV,
				       (unsigned long)rv.notif);
	if (!ret)
		ret = spin_recv_then_pin(dev, &listener, &rv, urv);
out:
	spin_listener_put(&listener);
	return ret;
}

void spin_rules_release(struct file *dev)
{
	/* No ioctl runs on a file being released: nobody reads them. */
	kvfree(spin_rules_of(dev));
}
