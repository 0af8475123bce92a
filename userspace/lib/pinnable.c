// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * pinnable.c - lookups in the module's answer to SECCOMP_PIN_IOC_PINNABLE.
 */
#include <stddef.h>

#include "libseccomp_pin.h"
#include "internal.h"

SP_EXPORT const struct seccomp_pin_pinnable_arg *
seccomp_pin_pinnable_find(const struct seccomp_pin_pinnable *p,
			  unsigned int arg_idx)
{
	__u32 i;

	if (!p || p->nr_args > SECCOMP_PIN_MAX_ARGS)
		return NULL;
	for (i = 0; i < p->nr_args; i++)
		if (p->args[i].arg_idx == arg_idx)
			return &p->args[i];
	return NULL;
}
