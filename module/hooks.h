/* SPDX-License-Identifier: GPL-2.0 */
/* hooks.h - ftrace redirection of kernel functions to replacements. */
#ifndef SPIN_HOOKS_H
#define SPIN_HOOKS_H

#include <linux/ftrace.h>
#include <linux/types.h>

/**
 * struct spin_hook - one hooked kernel function (one fetch site).
 * @site:         SECCOMP_PIN_SITE_* bit this hook serves
 * @symbols:      candidate symbols, most preferred first, NULL-terminated;
 *                clones are listed explicitly because their calling
 *                convention is only known to match for the ones named
 * @replacement:  function the call is redirected to
 * @want:         called on entry to the hooked function, from the direct
 *                trampoline or the ftrace callback (must not sleep; may be
 *                preemptible), when some pin is armed: redirect this call,
 *                whose first SPIN_HOOK_ARGS arguments are given?
 * @set_original: store the resolved address for the replacement's calls
 */
struct spin_hook {
	u32 site;
	const char *const *symbols;
	void *replacement;
	bool (*want)(const unsigned long *args);
	int (*set_original)(unsigned long addr);
	/* filled at install time */
	const char *symbol;
	unsigned long addr;
	struct ftrace_ops ops;
	bool prepared; /* filter set on ops */
	bool direct; /* ops is a direct call to spin_direct_tramp */
	bool installed; /* registered: in the kernel text */
	atomic_t users; /* -1: not registered; else live pins using its site */
};

/* Register arguments the sites' want() may read. */
#define SPIN_HOOK_ARGS 6

extern struct spin_hook spin_site_path_hook;
extern struct spin_hook spin_site_sockaddr_hook;
extern struct spin_hook spin_site_exec_args_hook;
extern struct spin_hook spin_site_write_hook;

/*
 * Load: resolve and register every hook (refusing a kernel where one
 * fails), then unregister them once idle. Unload: remove everything.
 */
int spin_hooks_init(void);
void spin_hooks_exit(void);
/*
 * A reference that keeps the hooks of @sites (SECCOMP_PIN_SITE_* bits)
 * registered, registering them first if needed (may sleep; fails, taking
 * nothing, with ENOMEM, or EOPNOTSUPP if ftrace now refuses one). The put may run in any context;
 * hook_idle_ms after a hook's last put it goes.
 */
int spin_hooks_get(u32 sites);
void spin_hooks_put(u32 sites);
/*
 * Unregister every hook no pin uses, now, even with keep_hooks (a
 * livepatch wants the functions). Returns the sites still registered.
 */
u32 spin_hooks_yield(void);
/*
 * Direct-call hooks (hook_direct.c), where the kernel has them: whether
 * they are used, and registering one hook's ops as a direct call.
 */
bool spin_hooks_direct_supported(void);
int spin_hook_direct_register(struct spin_hook *hook);
void spin_hook_direct_unregister(struct spin_hook *hook);
/* The trampoline (hook_tramp.S) and the C it calls when a pin is armed. */
void spin_direct_tramp(void);
unsigned long spin_direct_enter(const unsigned long *args, unsigned long ret_ip,
				unsigned long parent_ip);
/*
 * The hook of the function whose entry called the trampoline (@ret_ip is
 * that call's return address), or NULL.
 */
struct spin_hook *spin_hook_entered(unsigned long ret_ip);

/* SECCOMP_PIN_SITE_* bits this kernel supports (all hooks resolved). */
u32 spin_hooks_sites(void);
/* SECCOMP_PIN_SITE_* bits whose hooks are registered right now. */
u32 spin_hooks_registered_sites(void);

#endif
