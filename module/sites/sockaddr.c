// SPDX-License-Identifier: GPL-2.0
/*
 * sites/sockaddr.c - bind, connect and sendto addresses:
 * move_addr_to_kernel().
 *
 * The caller keeps using its own addrlen, so the snapshot must cover it:
 * addrlen <= actual_size uses the first addrlen snapshot bytes (never a
 * live byte, never an uninitialised one); a longer addrlen fails with
 * EINVAL. The kernel's audit record is made from the same bytes.
 */
#include <linux/audit.h>
#include <linux/ptrace.h>
#include <linux/socket.h>
#include <linux/static_call.h>
#include <linux/string.h>

#include "../hooks.h"
#include "../ksyms.h"
#include "../pin.h"

DEFINE_STATIC_CALL_NULL(spin_orig_move_addr_to_kernel, move_addr_to_kernel);

#ifdef CONFIG_AUDITSYSCALL
/* Not exported: resolved at load, like the hooked function. */
DEFINE_STATIC_CALL_NULL(spin_audit_sockaddr, __audit_sockaddr);
#endif

static int spin_pinned_addr(const struct spin_snap *snap, int ulen,
			    struct sockaddr_storage *kaddr)
{
	/* move_addr_to_kernel()'s own checks, then the snapshot's. */
	if (ulen < 0 || ulen > sizeof(struct sockaddr_storage))
		return -EINVAL;
	if (ulen == 0)
		return 0;
	if (ulen > snap->size)
		return -EINVAL;
	memcpy(kaddr, snap->data, ulen);
#ifdef CONFIG_AUDITSYSCALL
	if (!audit_dummy_context())
		return static_call(spin_audit_sockaddr)(ulen, kaddr);
#endif
	return 0;
}

static int spin_move_addr_to_kernel(void __user *uaddr, int ulen,
				    struct sockaddr_storage *kaddr)
{
	struct spin_pin *pin = spin_pin_current_get();
	const struct spin_snap *snap;
	int ret;

	snap = spin_pin_snap(pin, SECCOMP_PIN_SITE_SOCKADDR,
			     (unsigned long)uaddr);
	if (snap) {
		spin_pin_count_consumed(pin);
		ret = spin_pinned_addr(snap, ulen, kaddr);
	} else {
		ret = static_call(spin_orig_move_addr_to_kernel)(uaddr, ulen,
								 kaddr);
	}
	spin_pin_put(pin);
	return ret;
}

static bool spin_sockaddr_want(const unsigned long *args)
{
	return spin_pin_current_has(SECCOMP_PIN_SITE_SOCKADDR, args[0]);
}

static int spin_sockaddr_set_original(unsigned long addr)
{
#ifdef CONFIG_AUDITSYSCALL
	unsigned long audit = spin_ksym("__audit_sockaddr");

	if (!audit) {
		pr_err("refusing to load: __audit_sockaddr not found\n");
		return -ENOENT;
	}
	static_call_update(spin_audit_sockaddr,
			   (typeof(__audit_sockaddr) *)audit);
#endif
	static_call_update(spin_orig_move_addr_to_kernel,
			   (typeof(move_addr_to_kernel) *)addr);
	return 0;
}

/*
 * On Debian's 5.10 move_addr_to_kernel() only checks ulen and jumps to
 * its clone move_addr_to_kernel.part.0 (same registers: uaddr, ulen,
 * kaddr), which bind, connect and sendto call directly with the check
 * inlined: the clone is the fetch site there.
 */
static const char *const spin_sockaddr_symbols[] = {
	"move_addr_to_kernel.part.0", "move_addr_to_kernel", NULL
};

struct spin_hook spin_site_sockaddr_hook = {
	.site = SECCOMP_PIN_SITE_SOCKADDR,
	.symbols = spin_sockaddr_symbols,
	.replacement = spin_move_addr_to_kernel,
	.want = spin_sockaddr_want,
	.set_original = spin_sockaddr_set_original,
};
