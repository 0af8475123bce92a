// SPDX-License-Identifier: GPL-2.0
/*
 * notif.c - seccomp notifications, pins and the module's INFO counters,
 * from the supervisor's side.
 */
#include "common.h"

#include <linux/seccomp.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <time.h>

bool notif_pending(int listener, int timeout_ms)
{
	struct pollfd p = { .fd = listener, .events = POLLIN };
	int n;

	do
		n = poll(&p, 1, timeout_ms);
	while (n < 0 && errno == EINTR);
	return n == 1 && (p.revents & POLLIN);
}

void recv_notif(struct tracee *t, struct seccomp_notif *n)
{
	if (!notif_pending(t->listener, NOTIF_TIMEOUT_MS))
		fail_msg("no notification from child %d within %d ms", t->pid,
			 NOTIF_TIMEOUT_MS);
	memset(n, 0, sizeof(*n));
	if (ioctl(t->listener, SECCOMP_IOCTL_NOTIF_RECV, n) < 0)
		fail_msg("NOTIF_RECV: %s", strerror(errno));
}

int send_resp(int listener, __u64 id, __u32 flags, int error, __s64 val)
{
	struct seccomp_notif_resp resp;

	memset(&resp, 0, sizeof(resp));
	resp.id = id;
	resp.flags = flags;
	resp.error = error;
	resp.val = val;
	return ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0 ? -errno :
								      0;
}

void reply_continue(struct tracee *t, __u64 id)
{
	assert_int_equal(send_resp(t->listener, id,
				   SECCOMP_USER_NOTIF_FLAG_CONTINUE, 0, 0),
			 0);
}

void reply_errno(struct tracee *t, __u64 id, int err)
{
	assert_int_equal(send_resp(t->listener, id, 0, -err, 0), 0);
}

void pin_init(struct seccomp_notif_pin_args *p, __u64 id, void *buf,
	      __u32 buf_size)
{
	memset(p, 0, sizeof(*p));
	p->id = id;
	p->buf = (uintptr_t)buf;
	p->buf_size = buf_size;
}

struct seccomp_pin_arg *pin_add(struct seccomp_notif_pin_args *p, __u8 arg_idx,
				__u8 kind, __u32 max_bytes)
{
	struct seccomp_pin_arg *a;

	assert_true(p->nr_args < SECCOMP_PIN_MAX_ARGS);
	a = &p->args[p->nr_args++];
	a->arg_idx = arg_idx;
	a->kind = kind;
	a->max_bytes = max_bytes;
	return a;
}

int pin_args(struct fx *f, struct tracee *t, struct seccomp_notif_pin_args *p)
{
	return seccomp_pin_args(f->dev, t->listener, p);
}

int pin1(struct fx *f, struct tracee *t, __u64 id, __u8 arg_idx, __u8 kind,
	 __u32 max_bytes, struct seccomp_notif_pin_args *out)
{
	struct seccomp_notif_pin_args local;
	struct seccomp_notif_pin_args *p = out ? out : &local;

	pin_init(p, id, f->buf, SNAP_BUF_SIZE);
	pin_add(p, arg_idx, kind, max_bytes);
	return pin_args(f, t, p);
}

void continue_pinned(struct fx *f, struct tracee *t, __u64 id)
{
	assert_ret(seccomp_pin_continue_pinned(f->dev, t->listener, id), 0);
}

int pin_send(struct fx *f, struct tracee *t, __u64 id, __u32 flags, int error,
	     __s64 val)
{
	struct seccomp_notif_resp resp;

	memset(&resp, 0, sizeof(resp));
	resp.id = id;
	resp.flags = flags;
	resp.error = error;
	resp.val = val;
	return seccomp_pin_send(f->dev, t->listener, &resp);
}

__u64 live_pins_now(int dev)
{
	struct seccomp_pin_info info;
	int ret = seccomp_pin_info(dev, &info);

	if (ret == -ENOTTY && getenv("SECCOMP_PIN_GUEST_NO_MODULE"))
		return 0;
	assert_int_equal(ret, 0);
	return info.live_pins;
}

__u64 wait_live_pins(int dev, __u64 want)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	struct seccomp_pin_info info;
	int waited;

	for (waited = 0;; waited += 10) {
		if (seccomp_pin_info(dev, &info) < 0)
			return live_pins_now(dev);
		if (info.live_pins == want || waited >= LEAK_TIMEOUT_MS)
			return info.live_pins;
		nanosleep(&ts, NULL);
	}
}
