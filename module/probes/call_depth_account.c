// SPDX-License-Identifier: GPL-2.0
/*
 * Call depth tracking (6.2+): a trampoline entered by an unaccounted
 * call must account it before its RET (CALL_DEPTH_ACCOUNT, C and asm).
 */
#include <linux/linkage.h>
#include <asm/nospec-branch.h>

#ifndef CALL_DEPTH_ACCOUNT
#error no call depth accounting
#endif
