/* SPDX-License-Identifier: GPL-2.0 */
/* ksyms.h - resolve kernel symbols that are not exported. */
#ifndef SPIN_KSYMS_H
#define SPIN_KSYMS_H

int spin_ksyms_init(void);

/* Address of @name on the running kernel, 0 if absent. */
unsigned long spin_ksym(const char *name);

#endif
