// SPDX-License-Identifier: GPL-2.0
/*
 * gen-layout - print what include/seccomp_pin.h says, for the Go and Rust
 * bindings' layout tests to compare against.
 *
 * Every struct the bindings mirror (size, and offset and size of every
 * field), every ioctl number and every constant, one per line:
 *
 *   struct NAME SIZE
 *   field NAME.FIELD OFFSET SIZE
 *   ioctl NAME VALUE
 *   const NAME VALUE
 *
 * The tests require both sides to list the same entries, so a field added
 * to the header without the bindings following fails too.
 */
#include <stddef.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <linux/audit.h>

#include "seccomp_pin.h"

#define S(t) printf("struct %s %zu\n", #t, sizeof(struct t))
#define F(t, f)                                                        \
	printf("field %s.%s %zu %zu\n", #t, #f, offsetof(struct t, f), \
	       sizeof(((struct t *)0)->f))
#define IOC(n) printf("ioctl %s %lu\n", #n, (unsigned long)(n))
#define C(n) printf("const %s %llu\n", #n, (unsigned long long)(n))

int main(void)
{
	S(seccomp_pin_arg);
	F(seccomp_pin_arg, arg_idx);
	F(seccomp_pin_arg, kind);
	F(seccomp_pin_arg, _reserved);
	F(seccomp_pin_arg, max_bytes);
	F(seccomp_pin_arg, max_entries);
	F(seccomp_pin_arg, _reserved2);
	F(seccomp_pin_arg, actual_size);
	F(seccomp_pin_arg, actual_entries);
	F(seccomp_pin_arg, truncated);
	F(seccomp_pin_arg, _reserved3);
	F(seccomp_pin_arg, user_addr);
	F(seccomp_pin_arg, buf_offset);

	S(seccomp_notif_pin_args);
	F(seccomp_notif_pin_args, id);
	F(seccomp_notif_pin_args, nr_args);
	F(seccomp_notif_pin_args, buf_size);
	F(seccomp_notif_pin_args, buf);
	F(seccomp_notif_pin_args, args);

	S(seccomp_pin_info);
	F(seccomp_pin_info, abi_version);
	F(seccomp_pin_info, kinds);
	F(seccomp_pin_info, sites);
	F(seccomp_pin_info, max_args);
	F(seccomp_pin_info, max_arg_bytes);
	F(seccomp_pin_info, max_total_bytes);
	F(seccomp_pin_info, default_max_entries);
	F(seccomp_pin_info, max_entries);
	F(seccomp_pin_info, live_pins);
	F(seccomp_pin_info, live_bytes);
	F(seccomp_pin_info, total_pins);
	F(seccomp_pin_info, total_consumed);
	F(seccomp_pin_info, max_listener_bytes);
	F(seccomp_pin_info, max_module_bytes);
	F(seccomp_pin_info, registered_sites);
	F(seccomp_pin_info, figures);
	F(seccomp_pin_info, max_user_bytes);
	F(seccomp_pin_info, features);
	F(seccomp_pin_info, max_rules);

	S(seccomp_pin_request);
	F(seccomp_pin_request, listener_fd);
	F(seccomp_pin_request, flags);
	F(seccomp_pin_request, pin);

	S(seccomp_pin_response);
	F(seccomp_pin_response, listener_fd);
	F(seccomp_pin_response, flags);
	F(seccomp_pin_response, resp);

	S(seccomp_pin_pinnable_arg);
	F(seccomp_pin_pinnable_arg, arg_idx);
	F(seccomp_pin_pinnable_arg, kind);
	F(seccomp_pin_pinnable_arg, len_idx);
	F(seccomp_pin_pinnable_arg, _reserved);
	F(seccomp_pin_pinnable_arg, site);
	F(seccomp_pin_pinnable_arg, max_bytes);
	F(seccomp_pin_pinnable_arg, flags);

	S(seccomp_pin_pinnable);
	F(seccomp_pin_pinnable, nr);
	F(seccomp_pin_pinnable, flags);
	F(seccomp_pin_pinnable, nr_args);
	F(seccomp_pin_pinnable, _reserved);
	F(seccomp_pin_pinnable, args);

	S(seccomp_pin_rule);
	F(seccomp_pin_rule, nr);
	F(seccomp_pin_rule, nr_args);
	F(seccomp_pin_rule, args);

	S(seccomp_pin_rules);
	F(seccomp_pin_rules, nr_rules);
	F(seccomp_pin_rules, flags);
	F(seccomp_pin_rules, rules);

	S(seccomp_pin_recv);
	F(seccomp_pin_recv, listener_fd);
	F(seccomp_pin_recv, flags);
	F(seccomp_pin_recv, notif);
	F(seccomp_pin_recv, pin_error);
	F(seccomp_pin_recv, pinned);
	F(seccomp_pin_recv, pin);

	/* <linux/seccomp.h>: what a supervisor needs beside the device. */
	S(seccomp_data);
	F(seccomp_data, nr);
	F(seccomp_data, arch);
	F(seccomp_data, instruction_pointer);
	F(seccomp_data, args);

	S(seccomp_notif);
	F(seccomp_notif, id);
	F(seccomp_notif, pid);
	F(seccomp_notif, flags);
	F(seccomp_notif, data);

	S(seccomp_notif_resp);
	F(seccomp_notif_resp, id);
	F(seccomp_notif_resp, val);
	F(seccomp_notif_resp, error);
	F(seccomp_notif_resp, flags);

	IOC(SECCOMP_PIN_IOC_INFO);
	IOC(SECCOMP_PIN_IOC_PIN_ARGS);
	IOC(SECCOMP_PIN_IOC_SEND);
	IOC(SECCOMP_PIN_IOC_PINNABLE);
	IOC(SECCOMP_PIN_IOC_SET_RULES);
	IOC(SECCOMP_PIN_IOC_RECV_PIN);
	IOC(SECCOMP_IOCTL_NOTIF_RECV);
	IOC(SECCOMP_IOCTL_NOTIF_SEND);
	IOC(SECCOMP_IOCTL_NOTIF_ID_VALID);

	C(SECCOMP_USER_NOTIF_FLAG_CONTINUE);
	C(SECCOMP_USER_NOTIF_FLAG_CONTINUE_PINNED);
	C(SECCOMP_PIN_FIXED);
	C(SECCOMP_PIN_CSTRING);
	C(SECCOMP_PIN_CSTRING_ARRAY);
	C(SECCOMP_PIN_TRUNCATED_BYTES);
	C(SECCOMP_PIN_TRUNCATED_ENTRIES);
	C(SECCOMP_PIN_MAX_ARGS);
	C(SECCOMP_PIN_MAX_ARG_BYTES);
	C(SECCOMP_PIN_MAX_TOTAL_BYTES);
	C(SECCOMP_PIN_ABI_VERSION);
	C(SECCOMP_PIN_DEFAULT_MAX_ENTRIES);
	C(SECCOMP_PIN_MAX_ENTRIES);
	C(SECCOMP_PIN_BUF_ALIGN);
	C(SECCOMP_PIN_SITE_PATH);
	C(SECCOMP_PIN_SITE_SOCKADDR);
	C(SECCOMP_PIN_SITE_EXEC_ARGS);
	C(SECCOMP_PIN_SITE_WRITE);
	C(SECCOMP_PIN_FIGURES_USER);
	C(SECCOMP_PIN_FIGURES_GLOBAL);
	C(SECCOMP_PIN_FEATURE_PINNABLE);
	C(SECCOMP_PIN_FEATURE_RECV_PIN);
	C(SECCOMP_PIN_RECV_NONBLOCK);
	C(SECCOMP_PIN_NO_LEN);
	C(SECCOMP_PIN_PINNABLE_IF_NOT_EMPTY_PATH);
	C(SECCOMP_PIN_IOC_MAGIC);
	/* What the example supervisors' filters use. */
	C(SECCOMP_SET_MODE_FILTER);
	C(SECCOMP_FILTER_FLAG_NEW_LISTENER);
	C(SECCOMP_RET_USER_NOTIF);
	C(SECCOMP_RET_ALLOW);
	C(SECCOMP_RET_KILL_PROCESS);
	C(AUDIT_ARCH_X86_64);
	printf("string SECCOMP_PIN_DEVICE %s\n", SECCOMP_PIN_DEVICE);
	return 0;
}
