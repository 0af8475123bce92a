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
 * @want:         called from the ftrace callback (must not sleep; may be
 *                preemptible, see compat.h) when some pin is armed:
 *                redirect this call?
 * @set_original: store the resolved address for the replacement's calls
 */
struct spin_hook {
	u32 site;
	const char *const *symbols;
	void *replacement;
	bool (*want)(SPIN_FTRACE_REGS_T *fregs);
	int (*set_original)(unsigned long addr);
	/* filled at install time */
	const char *symbol;
	unsigned long addr;
	struct ftrace_ops ops;
	bool prepared; /* filter set on ops */
	bool installed; /* registered: in the kernel text */
	atomic_t users; /* -1: not registered; else live pins using its site */
};

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
 * nothing, if ftrace now refuses one). The put may run in any context;
 * hook_idle_ms after a hook's last put it goes.
 */
int spin_hooks_get(u32 sites);
void spin_hooks_put(u32 sites);
/*
 * Unregister every hook no pin uses, now, even with keep_hooks (a
 * livepatch wants the functions). Returns the sites still registered.
 */
u32 spin_hooks_yield(void);
/* SECCOMP_PIN_SITE_* bits this kernel supports (all hooks resolved). */
u32 spin_hooks_sites(void);
/* SECCOMP_PIN_SITE_* bits whose hooks are registered right now. */
u32 spin_hooks_registered_sites(void);

#endif
