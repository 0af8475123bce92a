// SPDX-License-Identifier: GPL-2.0
/* struct linux_binprm has argmin, the lowest address argument strings may use. */
#include <linux/binfmts.h>

unsigned long spin_probe(struct linux_binprm *bprm);
unsigned long spin_probe(struct linux_binprm *bprm)
{
	return bprm->argmin;
}
