// SPDX-License-Identifier: GPL-2.0
/*
 * livepatch.c - step aside when a livepatch comes.
 *
 * ftrace lets a livepatch share a function with neither kind of hook (an
 * IPMODIFY ops: one per function; a direct call without an ops_func): while
 * a hook is registered, klp_enable_patch() of that function fails with
 * EBUSY. Any user can keep a hook registered by
 * holding a pin unanswered, so without this an unprivileged user could
 * block a security livepatch. When a livepatch module comes (before its
 * init enables the patch), new pins are refused with EAGAIN, pins not
 * armed yet are revoked (CONTINUE_PINNED on them fails with ECANCELED;
 * the supervisor can still answer them otherwise) and every unused hook
 * is unregistered, keep_hooks or not. Armed pins are being consumed by
 * their syscalls: they get SPIN_YIELD_MS to finish. Once the livepatch
 * is live (or failed), pins work again; a site whose function the patch
 * took then fails to register, and its pins fail with EOPNOTSUPP.
 */
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/notifier.h>

#include "hooks.h"
#include "livepatch.h"
#include "pin.h"

#define SPIN_YIELD_MS 2000

/* Livepatch modules between COMING and LIVE or GOING. */
#define SPIN_MAX_COMING 8
static struct module *spin_coming[SPIN_MAX_COMING];
static DEFINE_MUTEX(spin_coming_lock);

static void spin_yield_hooks(struct module *mod)
{
	unsigned long end = jiffies + msecs_to_jiffies(SPIN_YIELD_MS);
	u32 left;

	for (;;) {
		spin_pin_revoke_unarmed();
		left = spin_hooks_yield();
		if (!left || time_after(jiffies, end))
			break;
		msleep(20);
	}
	if (left)
		pr_warn("livepatch %s: hooks of fetch sites 0x%x still in use by armed pins; enabling it may fail\n",
			mod->name, left);
	else
		pr_info("livepatch %s: pins refused until it is live, hooks removed\n",
			mod->name);
}

static bool spin_coming_add(struct module *mod)
{
	size_t i;

	for (i = 0; i < SPIN_MAX_COMING; i++) {
		if (!spin_coming[i]) {
			spin_coming[i] = mod;
			return true;
		}
	}
	return false;
}

static bool spin_coming_del(struct module *mod)
{
	size_t i;

	for (i = 0; i < SPIN_MAX_COMING; i++) {
		if (spin_coming[i] == mod) {
			spin_coming[i] = NULL;
			return true;
		}
	}
	return false;
}

static int spin_module_notify(struct notifier_block *nb, unsigned long action,
			      void *data)
{
	struct module *mod = data;

	if (!is_livepatch_module(mod))
		return NOTIFY_DONE;
	mutex_lock(&spin_coming_lock);
	if (action == MODULE_STATE_COMING) {
		/* More at once than slots: still yield, just never block. */
		if (spin_coming_add(mod))
			spin_pins_block();
		spin_yield_hooks(mod);
	} else if (action == MODULE_STATE_LIVE ||
		   action == MODULE_STATE_GOING) {
		if (spin_coming_del(mod))
			spin_pins_unblock();
	}
	mutex_unlock(&spin_coming_lock);
	return NOTIFY_OK;
}

static struct notifier_block spin_module_nb = {
	.notifier_call = spin_module_notify,
};

int spin_livepatch_init(void)
{
	return register_module_notifier(&spin_module_nb);
}

void spin_livepatch_exit(void)
{
	size_t i;

	unregister_module_notifier(&spin_module_nb);
	for (i = 0; i < SPIN_MAX_COMING; i++) {
		if (spin_coming[i])
			spin_pins_unblock();
		spin_coming[i] = NULL;
	}
}
