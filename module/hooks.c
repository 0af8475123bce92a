// SPDX-License-Identifier: GPL-2.0
/*
 * hooks.c - resolve, install and remove the fetch-site hooks.
 *
 * Each hook is an ftrace_ops on one kernel function: a direct call to
 * this module's trampoline where the kernel has direct calls
 * (hook_direct.c), else a classic IPMODIFY ops whose callback is below. A
 * hook is in the kernel text only while pins may need it: every pin
 * holds a reference on the hooks of its snapshots' sites from PIN_ARGS
 * until it is freed, and hook_idle_ms after a hook's last user goes it is
 * unregistered, so a loaded but unused module costs other tasks nothing,
 * and pinning paths costs nothing to writes. While installed, a hook
 * costs tasks one load when no pin is armed anywhere; only a call made
 * by a task holding an armed pin is redirected to the site's
 * replacement. The replacement calls the original back; that nested call
 * comes from this module's text, so the hook lets it through (the Kbuild
 * flag -fno-optimize-sibling-calls keeps that call from becoming a jump
 * that would hide its origin).
 */
#include <linux/ftrace.h>
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "hooks.h"
#include "ksyms.h"
#include "pin.h"

static uint hook_idle_ms = 2000;
module_param(hook_idle_ms, uint, 0644);
MODULE_PARM_DESC(
	hook_idle_ms,
	"Unregister the ftrace hooks this long after the last pin is freed (default 2000)");

static bool direct_hooks = true;
module_param(direct_hooks, bool, 0444);
MODULE_PARM_DESC(
	direct_hooks,
	"Hook by ftrace direct calls where the kernel has them (default Y); N: classic ftrace_ops hooks, which BPF trampolines can share");

static struct spin_hook *const spin_hooks[] = {
	&spin_site_path_hook,
	&spin_site_sockaddr_hook,
	&spin_site_exec_args_hook,
	&spin_site_write_hook,
};

static void notrace spin_hook_callback(unsigned long ip,
				       unsigned long parent_ip,
				       struct ftrace_ops *ops,
				       SPIN_FTRACE_REGS_T *fregs)
{
	struct spin_hook *hook = container_of(ops, struct spin_hook, ops);
	unsigned long args[SPIN_HOOK_ARGS];
	unsigned int i;

	if (likely(!spin_pins_armed()))
		return;
	if (within_module(parent_ip, THIS_MODULE))
		return;
	for (i = 0; i < SPIN_HOOK_ARGS; i++)
		args[i] = spin_hook_arg(fregs, i);
	if (hook->want(args))
		spin_hook_set_ip(fregs, (unsigned long)hook->replacement);
}

/*
 * The ftrace site is the function's first instruction, or the second
 * after an ENDBR; the call there is MCOUNT_INSN_SIZE bytes.
 */
#define SPIN_FENTRY_MAX_OFFSET (4 + MCOUNT_INSN_SIZE)

struct spin_hook *spin_hook_entered(unsigned long ret_ip)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(spin_hooks); i++) {
		struct spin_hook *hook = spin_hooks[i];

		if (ret_ip > hook->addr &&
		    ret_ip - hook->addr <= SPIN_FENTRY_MAX_OFFSET)
			return hook;
	}
	return NULL;
}

static int spin_hook_resolve(struct spin_hook *hook)
{
	const char *const *name;

	for (name = hook->symbols; *name; name++) {
		hook->addr = spin_ksym(*name);
		if (hook->addr) {
			hook->symbol = *name;
			return 0;
		}
	}
	pr_err("cannot hook fetch site 0x%x: none of its symbols exists on this kernel (first choice %s)\n",
	       hook->site, hook->symbols[0]);
	return -ENOENT;
}

/*
 * Compiler clones: gcc may emit copies of a function named after it with
 * suffixes (.part.N, .isra.N, .constprop.N, combined as in
 * .isra.0.part.0), and callers may call a copy instead of the function
 * (getname_flags.part.0 on Debian's 6.1). A copy other than the hooked
 * symbol would let them bypass the hook, and its calling convention is
 * unknown: refuse to load rather than half-work. So every symbol named
 * <base>.<anything>, base being the hooked symbol's name up to its first
 * '.', is a clone, except:
 * - the hooked symbol itself, whose convention was checked per kernel
 *   (the sites' symbol lists), and any alias at its address, which the
 *   hook covers;
 * - .cold parts (a ".cold" component): the unlikely blocks gcc moves out
 *   of a function are only jumped to from inside it, never called.
 * Modules are scanned too: the lookup that resolved the hook searches
 * them. One walk over every symbol serves all hooks.
 */
struct spin_clone_scan {
	size_t base[ARRAY_SIZE(spin_hooks)];
	unsigned int clones;
};

static bool spin_clone_is_cold(const char *suffix)
{
	const char *p = suffix;

	while ((p = strstr(p, ".cold"))) {
		p += strlen(".cold");
		if (*p == '\0' || *p == '.')
			return true;
	}
	return false;
}

static int spin_clone_seen(void *data, const char *name, unsigned long addr,
			   bool in_module)
{
	struct spin_clone_scan *scan = data;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(spin_hooks); i++) {
		const struct spin_hook *hook = spin_hooks[i];
		size_t base = scan->base[i];

		/*
		 * The first byte alone rejects nearly every symbol, cheaply
		 * (over 100k of them per load); strncmp() before name[base],
		 * which may lie past a shorter name.
		 */
		if (name[0] != hook->symbol[0] ||
		    strncmp(name, hook->symbol, base) || name[base] != '.' ||
		    addr == hook->addr || !strcmp(name, hook->symbol) ||
		    spin_clone_is_cold(name + base))
			continue;
		pr_err("cannot hook fetch site 0x%x: %s has a compiler clone %s%s that callers may enter directly\n",
		       hook->site, hook->symbol, name,
		       in_module ? " (module symbol)" : "");
		scan->clones++;
	}
	return 0;
}

static int spin_hooks_check_clones(void)
{
	struct spin_clone_scan scan = { .clones = 0 };
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(spin_hooks); i++)
		scan.base[i] = strcspn(spin_hooks[i]->symbol, ".");
	ret = spin_ksym_for_each(spin_clone_seen, &scan);
	if (ret)
		return ret;
	return scan.clones ? -EINVAL : 0;
}

/* Every hook's address, checked against clones before any is used. */
static int spin_hooks_resolve(void)
{
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(spin_hooks); i++) {
		ret = spin_hook_resolve(spin_hooks[i]);
		if (ret)
			return ret;
	}
	return spin_hooks_check_clones();
}

static int spin_hook_prepare(struct spin_hook *hook)
{
	int ret;

	ret = hook->set_original(hook->addr);
	if (ret)
		return ret;
	/* A direct ops gets its func and flags from ftrace. */
	hook->direct = direct_hooks;
	if (!hook->direct) {
		hook->ops.func = spin_hook_callback;
		hook->ops.flags = SPIN_FTRACE_OPS_FL_REGS |
				  FTRACE_OPS_FL_IPMODIFY |
				  SPIN_FTRACE_OPS_FL_UNGUARDED;
	}
	ret = ftrace_set_filter_ip(&hook->ops, hook->addr, 0, 0);
	if (ret) {
		pr_err("cannot hook %s: not traceable by ftrace (%d)\n",
		       hook->symbol, ret);
		return ret;
	}
	hook->prepared = true;
	return 0;
}

static void spin_hook_unprepare(struct spin_hook *hook)
{
	if (!hook->prepared)
		return;
	ftrace_set_filter_ip(&hook->ops, hook->addr, 1, 0);
	hook->prepared = false;
}

/* Who may own a function ftrace refuses with EBUSY. */
static const char *spin_hook_busy_why(const struct spin_hook *hook, int ret)
{
	if (ret != -EBUSY)
		return "";
	if (hook->direct)
		return ", a livepatch or a BPF trampoline owns it; direct_hooks=0 shares it with BPF trampolines";
	return ", another IPMODIFY user such as a livepatch owns it";
}

static int spin_hook_register(struct spin_hook *hook)
{
	int ret;

	if (hook->direct)
		ret = spin_hook_direct_register(hook);
	else
		ret = register_ftrace_function(&hook->ops);
	if (ret) {
		pr_err_ratelimited("cannot hook %s: ftrace refused it (%d%s)\n",
				   hook->symbol, ret,
				   spin_hook_busy_why(hook, ret));
		return ret;
	}
	WRITE_ONCE(hook->installed, true);
	pr_debug("hooked %s at %pS (%s)\n", hook->symbol, (void *)hook->addr,
		 hook->direct ? "direct call" : "ftrace_ops");
	return 0;
}

static void spin_hook_unregister(struct spin_hook *hook)
{
	if (!hook->installed)
		return;
	if (hook->direct)
		spin_hook_direct_unregister(hook);
	else
		unregister_ftrace_function(&hook->ops);
	WRITE_ONCE(hook->installed, false);
}

/*
 * A hook's users: -1 while it is not registered, else the number of live
 * pins with a snapshot for its site. A get counts itself with
 * atomic_inc_unless_negative(), so a registered hook costs no lock; the
 * idle work claims an unused hook with cmpxchg(0, -1) before removing
 * it, so a get and a removal never both win. Registering, publishing
 * users >= 0 and removing happen under spin_hooks_mutex.
 */
static DEFINE_MUTEX(spin_hooks_mutex);
static u32 spin_hooks_sites_ok;
static bool spin_hooks_ready; /* between init and exit */

/*
 * Live kernel text patching is unsafe under QEMU's multi-threaded TCG
 * (another vCPU may run a stale int3): test VMs keep the hooks.
 */
static bool keep_hooks;

static void spin_hooks_unregister(u32 sites)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(spin_hooks); i++)
		if (sites & spin_hooks[i]->site)
			spin_hook_unregister(spin_hooks[i]);
}

/*
 * All or nothing; users stay -1 for the caller to publish. Called with
 * spin_hooks_mutex held.
 */
static int spin_hooks_register(u32 sites)
{
	u32 done = 0;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(spin_hooks); i++) {
		struct spin_hook *hook = spin_hooks[i];

		if (!(sites & hook->site) || hook->installed)
			continue;
		ret = spin_hook_register(hook);
		if (ret) {
			spin_hooks_unregister(done);
			return ret;
		}
		done |= hook->site;
	}
	return 0;
}

/* Unregistered hooks of @sites just registered: users -1 -> @users. */
static void spin_hooks_publish(u32 sites, int users)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(spin_hooks); i++)
		if (sites & spin_hooks[i]->site)
			atomic_cmpxchg(&spin_hooks[i]->users, -1, users);
}

/*
 * When some hook last lost its last user. A pinned round trip ends in a
 * put on every call, so the put only stamps the time and queues the work
 * if it is not pending (re-arming a timer each time cost more than the
 * rest of the put); the work waits until the newest stamp is old enough.
 */
static unsigned long spin_hooks_idle_since;

static void spin_hooks_idle(struct work_struct *work);
static DECLARE_DELAYED_WORK(spin_hooks_idle_work, spin_hooks_idle);

static void spin_hooks_idle(struct work_struct *work)
{
	unsigned long delay = msecs_to_jiffies(READ_ONCE(hook_idle_ms));
	unsigned long idle = jiffies - READ_ONCE(spin_hooks_idle_since);
	size_t i;

	if (idle < delay) {
		queue_delayed_work(system_long_wq, &spin_hooks_idle_work,
				   delay - idle);
		return;
	}
	mutex_lock(&spin_hooks_mutex);
	for (i = 0; i < ARRAY_SIZE(spin_hooks); i++)
		if (!READ_ONCE(keep_hooks) &&
		    atomic_cmpxchg(&spin_hooks[i]->users, 0, -1) == 0)
			spin_hook_unregister(spin_hooks[i]);
	mutex_unlock(&spin_hooks_mutex);
}

static void spin_hooks_schedule_idle(void)
{
	WRITE_ONCE(spin_hooks_idle_since, jiffies);
	if (!delayed_work_pending(&spin_hooks_idle_work))
		queue_delayed_work(system_long_wq, &spin_hooks_idle_work,
				   msecs_to_jiffies(READ_ONCE(hook_idle_ms)));
}

/* Setting keep_hooks registers every hook at once; clearing lets them go. */
static int spin_keep_hooks_set(const char *val, const struct kernel_param *kp)
{
	bool keep;
	int ret;

	ret = kstrtobool(val, &keep);
	if (ret)
		return ret;
	mutex_lock(&spin_hooks_mutex);
	if (spin_hooks_ready && keep) {
		ret = spin_hooks_register(spin_hooks_sites_ok);
		spin_hooks_publish(ret ? 0 : spin_hooks_sites_ok, 0);
	}
	if (!ret)
		WRITE_ONCE(keep_hooks, keep);
	if (spin_hooks_ready && !keep) {
		/* Re-armed: a pending run may have an older, longer delay. */
		WRITE_ONCE(spin_hooks_idle_since, jiffies);
		mod_delayed_work(system_long_wq, &spin_hooks_idle_work,
				 msecs_to_jiffies(READ_ONCE(hook_idle_ms)));
	}
	mutex_unlock(&spin_hooks_mutex);
	return ret;
}

static const struct kernel_param_ops spin_keep_hooks_ops = {
	.set = spin_keep_hooks_set,
	.get = param_get_bool,
};

module_param_cb(keep_hooks, &spin_keep_hooks_ops, &keep_hooks, 0644);
MODULE_PARM_DESC(
	keep_hooks,
	"Keep the ftrace hooks registered while the module is loaded (default N)");

int spin_hooks_get(u32 sites)
{
	u32 counted = 0, missing;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(spin_hooks); i++)
		if ((sites & spin_hooks[i]->site) &&
		    atomic_inc_unless_negative(&spin_hooks[i]->users))
			counted |= spin_hooks[i]->site;
	missing = sites & ~counted;
	if (!missing)
		return 0;
	mutex_lock(&spin_hooks_mutex);
	/* Registered meanwhile by another get? */
	for (i = 0; i < ARRAY_SIZE(spin_hooks); i++)
		if ((missing & spin_hooks[i]->site) &&
		    atomic_inc_unless_negative(&spin_hooks[i]->users))
			counted |= spin_hooks[i]->site;
	missing = sites & ~counted;
	ret = spin_hooks_register(missing);
	spin_hooks_publish(ret ? 0 : missing, 1);
	mutex_unlock(&spin_hooks_mutex);
	if (ret)
		spin_hooks_put(counted);
	/* Out of memory is worth a retry; a function ftrace refused is not. */
	if (ret && ret != -ENOMEM)
		ret = -EOPNOTSUPP;
	return ret;
}

void spin_hooks_put(u32 sites)
{
	bool idle = false;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(spin_hooks); i++)
		if ((sites & spin_hooks[i]->site) &&
		    atomic_dec_and_test(&spin_hooks[i]->users))
			idle = true;
	if (idle)
		spin_hooks_schedule_idle();
}

/*
 * Resolve and register every hook once, so a kernel the module cannot
 * hook refuses the load; then let them go if nothing pins.
 */
int spin_hooks_init(void)
{
	size_t i;
	int ret;

	if (direct_hooks && !spin_hooks_direct_supported()) {
		pr_info("direct_hooks: this kernel has no ftrace direct calls; using ftrace_ops hooks\n");
		direct_hooks = false;
	}
	ret = spin_hooks_resolve();
	if (ret)
		return ret;
	for (i = 0; i < ARRAY_SIZE(spin_hooks); i++) {
		ret = spin_hook_prepare(spin_hooks[i]);
		if (ret)
			goto fail;
	}
	for (i = 0; i < ARRAY_SIZE(spin_hooks); i++) {
		spin_hooks_sites_ok |= spin_hooks[i]->site;
		atomic_set(&spin_hooks[i]->users, -1);
	}
	mutex_lock(&spin_hooks_mutex);
	ret = spin_hooks_register(spin_hooks_sites_ok);
	spin_hooks_publish(ret ? 0 : spin_hooks_sites_ok, 0);
	spin_hooks_ready = !ret;
	mutex_unlock(&spin_hooks_mutex);
	if (ret) {
		spin_hooks_sites_ok = 0;
		goto fail;
	}
	spin_hooks_schedule_idle();
	return 0;
fail:
	for (i = 0; i < ARRAY_SIZE(spin_hooks); i++)
		spin_hook_unprepare(spin_hooks[i]);
	return ret;
}

/* No pin is left (each holds a module reference): nobody can get. */
void spin_hooks_exit(void)
{
	size_t i;

	/* A late write to keep_hooks must not register or queue anything. */
	mutex_lock(&spin_hooks_mutex);
	spin_hooks_ready = false;
	mutex_unlock(&spin_hooks_mutex);
	cancel_delayed_work_sync(&spin_hooks_idle_work);
	spin_hooks_unregister(spin_hooks_sites_ok);
	for (i = 0; i < ARRAY_SIZE(spin_hooks); i++)
		spin_hook_unprepare(spin_hooks[i]);
}

u32 spin_hooks_yield(void)
{
	size_t i;

	mutex_lock(&spin_hooks_mutex);
	for (i = 0; spin_hooks_ready && i < ARRAY_SIZE(spin_hooks); i++)
		if (atomic_cmpxchg(&spin_hooks[i]->users, 0, -1) == 0)
			spin_hook_unregister(spin_hooks[i]);
	mutex_unlock(&spin_hooks_mutex);
	return spin_hooks_registered_sites();
}

u32 spin_hooks_sites(void)
{
	return spin_hooks_sites_ok;
}

u32 spin_hooks_registered_sites(void)
{
	u32 sites = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(spin_hooks); i++)
		if (READ_ONCE(spin_hooks[i]->installed))
			sites |= spin_hooks[i]->site;
	return sites;
}
