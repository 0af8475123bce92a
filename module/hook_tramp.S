/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hook_tramp.S - the direct-call trampoline of the fetch-site hooks
 * (hook_direct.c says why and how it is registered).
 *
 * Entered by the call at a hooked function's ftrace site, or by the RET
 * of ftrace_regs_caller when other ftrace users share the function: the
 * top of the stack is the return address into the hooked function, under
 * it the hooked function's own return address. Every argument register
 * and rax (varargs) is preserved, as __fentry__ must. SYM_FUNC_START
 * gives the ENDBR (ftrace takes the address).
 */
#include <linux/linkage.h>
#include <asm/nospec-branch.h>

#if defined(SPIN_HAVE_FTRACE_DIRECT_OPS) || defined(SPIN_HAVE_FTRACE_DIRECT_MULTI)

/* spin_direct_enter()'s argument array: rdi..r9, then rax. */
#define SPIN_TRAMP_FRAME 64

	.text
SYM_FUNC_START(spin_direct_tramp)
#ifdef SPIN_HAVE_CALL_DEPTH_ACCOUNT
	/* The call that entered was not accounted; the RET is. */
	CALL_DEPTH_ACCOUNT
#endif
	/* No pin armed anywhere: all that a task pays. */
	cmpl	$0, spin_armed_pins(%rip)
	jne	.Lspin_armed
	RET

.Lspin_armed:
	pushq	%rbp
	movq	%rsp, %rbp
	subq	$SPIN_TRAMP_FRAME, %rsp
	movq	%rdi, 0(%rsp)
	movq	%rsi, 8(%rsp)
	movq	%rdx, 16(%rsp)
	movq	%rcx, 24(%rsp)
	movq	%r8, 32(%rsp)
	movq	%r9, 40(%rsp)
	movq	%rax, 48(%rsp)

	/* spin_direct_enter(args, return address into it, its caller) */
	movq	%rsp, %rdi
	movq	8(%rbp), %rsi
	movq	16(%rbp), %rdx
	call	spin_direct_enter
	movq	%rax, %r11

	movq	0(%rsp), %rdi
	movq	8(%rsp), %rsi
	movq	16(%rsp), %rdx
	movq	24(%rsp), %rcx
	movq	32(%rsp), %r8
	movq	40(%rsp), %r9
	movq	48(%rsp), %rax
	leave

	/* A replacement: return into it instead, as IPMODIFY does. */
	testq	%r11, %r11
	jz	.Lspin_run
	movq	%r11, (%rsp)
.Lspin_run:
	RET
SYM_FUNC_END(spin_direct_tramp)

#endif
