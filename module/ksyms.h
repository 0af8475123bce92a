/* SPDX-License-Identifier: GPL-2.0 */
/* ksyms.h - resolve kernel symbols that are not exported. */
#ifndef SPIN_KSYMS_H
#define SPIN_KSYMS_H

#include <linux/types.h>

int spin_ksyms_init(void);

/* Address of @name on the running kernel, 0 if absent. */
unsigned long spin_ksym(const char *name);

/*
 * Call @fn for every symbol of vmlinux, then of every loaded module
 * (@in_module), until it returns non-zero; returns that value, or
 * -ENOENT if this kernel has no symbol walker. May sleep; the module
 * walk holds module_mutex.
 */
typedef int (*spin_ksym_fn)(void *data, const char *name, unsigned long addr,
			    bool in_module);
int spin_ksym_for_each(spin_ksym_fn fn, void *data);

#endif
