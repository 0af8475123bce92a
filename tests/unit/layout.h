/* SPDX-License-Identifier: GPL-2.0 */
/*
 * layout.h - the UAPI layout, written down once and checked at compile
 * time from both C (C11 <assert.h>) and C++ (C++11).
 *
 * The RFC structs must match the upstream RFC byte for byte; the
 * device structs are this project's ABI and must never move either.
 */
#ifndef SECCOMP_PIN_TEST_LAYOUT_H
#define SECCOMP_PIN_TEST_LAYOUT_H

#include <stddef.h>
#ifndef __cplusplus
#include <assert.h>
#endif

#include <seccomp_pin.h>

/* X(struct, field, offset, size) */
#define SP_FIELDS(X)                                    \
	X(seccomp_pin_arg, arg_idx, 0, 1)               \
	X(seccomp_pin_arg, kind, 1, 1)                  \
	X(seccomp_pin_arg, _reserved, 2, 2)             \
	X(seccomp_pin_arg, max_bytes, 4, 4)             \
	X(seccomp_pin_arg, max_entries, 8, 4)           \
	X(seccomp_pin_arg, _reserved2, 12, 4)           \
	X(seccomp_pin_arg, actual_size, 16, 4)          \
	X(seccomp_pin_arg, actual_entries, 20, 4)       \
	X(seccomp_pin_arg, truncated, 24, 4)            \
	X(seccomp_pin_arg, _reserved3, 28, 4)           \
	X(seccomp_pin_arg, user_addr, 32, 8)            \
	X(seccomp_pin_arg, buf_offset, 40, 8)           \
	X(seccomp_notif_pin_args, id, 0, 8)             \
	X(seccomp_notif_pin_args, nr_args, 8, 4)        \
	X(seccomp_notif_pin_args, buf_size, 12, 4)      \
	X(seccomp_notif_pin_args, buf, 16, 8)           \
	X(seccomp_notif_pin_args, args, 24, 288)        \
	X(seccomp_pin_request, listener_fd, 0, 4)       \
	X(seccomp_pin_request, flags, 4, 4)             \
	X(seccomp_pin_request, pin, 8, 312)             \
	X(seccomp_pin_response, listener_fd, 0, 4)      \
	X(seccomp_pin_response, flags, 4, 4)            \
	X(seccomp_pin_response, resp, 8, 24)            \
	X(seccomp_pin_info, abi_version, 0, 4)          \
	X(seccomp_pin_info, kinds, 4, 4)                \
	X(seccomp_pin_info, sites, 8, 4)                \
	X(seccomp_pin_info, max_args, 12, 4)            \
	X(seccomp_pin_info, max_arg_bytes, 16, 4)       \
	X(seccomp_pin_info, max_total_bytes, 20, 4)     \
	X(seccomp_pin_info, default_max_entries, 24, 4) \
	X(seccomp_pin_info, max_entries, 28, 4)         \
	X(seccomp_pin_info, live_pins, 32, 8)           \
	X(seccomp_pin_info, live_bytes, 40, 8)          \
	X(seccomp_pin_info, total_pins, 48, 8)          \
	X(seccomp_pin_info, total_consumed, 56, 8)      \
	X(seccomp_pin_info, max_listener_bytes, 64, 8)  \
	X(seccomp_pin_info, max_module_bytes, 72, 8)    \
	X(seccomp_pin_info, registered_sites, 80, 4)    \
	X(seccomp_pin_info, figures, 84, 4)             \
	X(seccomp_pin_info, max_user_bytes, 88, 8)     \
	X(seccomp_pin_info, features, 96, 4)           \
	X(seccomp_pin_info, max_rules, 100, 4)         \
	X(seccomp_pin_rule, nr, 0, 4)                  \
	X(seccomp_pin_rule, nr_args, 4, 4)             \
	X(seccomp_pin_rule, args, 8, 288)              \
	X(seccomp_pin_rules, nr_rules, 0, 4)           \
	X(seccomp_pin_rules, flags, 4, 4)              \
	X(seccomp_pin_rules, rules, 8, 8)              \
	X(seccomp_pin_recv, listener_fd, 0, 4)         \
	X(seccomp_pin_recv, flags, 4, 4)               \
	X(seccomp_pin_recv, notif, 8, 8)               \
	X(seccomp_pin_recv, pin_error, 16, 4)          \
	X(seccomp_pin_recv, pinned, 20, 4)             \
	X(seccomp_pin_recv, pin, 24, 312)              \
	X(seccomp_pin_pinnable_arg, arg_idx, 0, 1)     \
	X(seccomp_pin_pinnable_arg, kind, 1, 1)        \
	X(seccomp_pin_pinnable_arg, len_idx, 2, 1)     \
	X(seccomp_pin_pinnable_arg, _reserved, 3, 1)   \
	X(seccomp_pin_pinnable_arg, site, 4, 4)        \
	X(seccomp_pin_pinnable_arg, max_bytes, 8, 4)   \
	X(seccomp_pin_pinnable_arg, flags, 12, 4)      \
	X(seccomp_pin_pinnable, nr, 0, 4)              \
	X(seccomp_pin_pinnable, flags, 4, 4)           \
	X(seccomp_pin_pinnable, nr_args, 8, 4)         \
	X(seccomp_pin_pinnable, _reserved, 12, 4)      \
	X(seccomp_pin_pinnable, args, 16, 96)

/* X(struct, size, alignment) */
#define SP_STRUCTS(X)                     \
	X(seccomp_pin_arg, 48, 8)         \
	X(seccomp_notif_pin_args, 312, 8) \
	X(seccomp_pin_request, 320, 8)    \
	X(seccomp_pin_response, 32, 8)    \
	X(seccomp_pin_info, 104, 8)       \
	X(seccomp_pin_rule, 296, 8)       \
	X(seccomp_pin_rules, 16, 8)       \
	X(seccomp_pin_recv, 336, 8)       \
	X(seccomp_pin_pinnable_arg, 16, 4) \
	X(seccomp_pin_pinnable, 112, 4)

#define SP_ASSERT_FIELD(T, F, OFF, SZ)                                      \
	static_assert(offsetof(struct T, F) == (OFF), #T "." #F " offset"); \
	static_assert(sizeof(((struct T *)0)->F) == (SZ), #T "." #F " size");
#define SP_ASSERT_STRUCT(T, SZ, AL)                          \
	static_assert(sizeof(struct T) == (SZ), #T " size"); \
	static_assert(SP_ALIGNOF(struct T) == (AL), #T " alignment");

#ifdef __cplusplus
#define SP_ALIGNOF(T) alignof(T)
#else
#define SP_ALIGNOF(T) _Alignof(T)
#endif

SP_FIELDS(SP_ASSERT_FIELD)
SP_STRUCTS(SP_ASSERT_STRUCT)

#endif /* SECCOMP_PIN_TEST_LAYOUT_H */
