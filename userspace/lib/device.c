// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * device.c - the ioctl wrappers of /dev/seccomp_pin.
 *
 * Each wrapper builds the request on its own stack, so callers never
 * see the device structs, and reports failures as -errno.
 */
#include <fcntl.h>
#include <stdint.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "libseccomp_pin.h"
#include "internal.h"

SP_EXPORT int seccomp_pin_open(void)
{
	int fd = open(SECCOMP_PIN_DEVICE, O_RDWR | O_CLOEXEC);

	return fd < 0 ? sp_errno() : fd;
}

SP_EXPORT int seccomp_pin_info(int devfd, struct seccomp_pin_info *info)
{
	struct seccomp_pin_info out;

	if (!info)
		return sp_fail(EINVAL);
	memset(&out, 0, sizeof(out));
	if (ioctl(devfd, SECCOMP_PIN_IOC_INFO, &out) < 0)
		return sp_errno();
	*info = out;
	return 0;
}

SP_EXPORT int seccomp_pin_args(int devfd, int listener_fd,
			       struct seccomp_notif_pin_args *pin)
{
	struct seccomp_pin_request req;

	if (!pin)
		return sp_fail(EINVAL);
	memset(&req, 0, sizeof(req));
	req.listener_fd = listener_fd;
	req.flags = 0;
	req.pin = *pin;
	if (ioctl(devfd, SECCOMP_PIN_IOC_PIN_ARGS, &req) < 0)
		return sp_errno();
	*pin = req.pin;
	return 0;
}

SP_EXPORT int seccomp_pin_send(int devfd, int listener_fd,
			       const struct seccomp_notif_resp *resp)
{
	struct seccomp_pin_response rsp;

	if (!resp)
		return sp_fail(EINVAL);
	memset(&rsp, 0, sizeof(rsp));
	rsp.listener_fd = listener_fd;
	rsp.flags = 0;
	rsp.resp = *resp;
	if (ioctl(devfd, SECCOMP_PIN_IOC_SEND, &rsp) < 0)
		return sp_errno();
	return 0;
}

SP_EXPORT int seccomp_pin_continue_pinned(int devfd, int listener_fd, __u64 id)
{
	struct seccomp_notif_resp resp;

	memset(&resp, 0, sizeof(resp));
	resp.id = id;
	resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE |
		     SECCOMP_USER_NOTIF_FLAG_CONTINUE_PINNED;
	return seccomp_pin_send(devfd, listener_fd, &resp);
}

SP_EXPORT int seccomp_pin_deny(int listener_fd, __u64 id, int err)
{
	struct seccomp_notif_resp resp;

	if (err <= 0 || err > 4095)
		return sp_fail(EINVAL);
	memset(&resp, 0, sizeof(resp));
	resp.id = id;
	resp.error = -err;
	if (ioctl(listener_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0)
		return sp_errno();
	return 0;
}

SP_EXPORT int seccomp_pin_pinnable(int devfd, int nr,
				   struct seccomp_pin_pinnable *out)
{
	struct seccomp_pin_pinnable req;

	if (!out)
		return sp_fail(EINVAL);
	memset(&req, 0, sizeof(req));
	req.nr = nr;
	if (ioctl(devfd, SECCOMP_PIN_IOC_PINNABLE, &req) < 0)
		return sp_errno();
	/* A module never answers more; a wrong one must not overrun args[]. */
	if (req.nr_args > SECCOMP_PIN_MAX_ARGS)
		return sp_fail(EPROTO);
	*out = req;
	return 0;
}

SP_EXPORT int seccomp_pin_set_rules(int devfd,
				    const struct seccomp_pin_rule *rules,
				    unsigned int nr_rules)
{
	struct seccomp_pin_rules req;

	if (!rules && nr_rules)
		return sp_fail(EINVAL);
	memset(&req, 0, sizeof(req));
	req.nr_rules = nr_rules;
	req.rules = (__u64)(uintptr_t)rules;
	if (ioctl(devfd, SECCOMP_PIN_IOC_SET_RULES, &req) < 0)
		return sp_errno();
	return 0;
}

SP_EXPORT int seccomp_pin_recv_pin(int devfd, int listener_fd,
				   unsigned int flags,
				   struct seccomp_notif *notif,
				   struct seccomp_notif_pin_args *pin,
				   int *pin_error)
{
	struct seccomp_pin_recv rv;

	if (!notif || !pin || !pin_error)
		return sp_fail(EINVAL);
	memset(notif, 0, sizeof(*notif));
	memset(&rv, 0, sizeof(rv));
	rv.listener_fd = listener_fd;
	rv.flags = flags;
	rv.notif = (__u64)(uintptr_t)notif;
	rv.pin.buf = pin->buf;
	rv.pin.buf_size = pin->buf_size;
	if (ioctl(devfd, SECCOMP_PIN_IOC_RECV_PIN, &rv) < 0)
		return sp_errno();
	*pin = rv.pin;
	*pin_error = rv.pin_error;
	return rv.pinned ? 1 : 0;
}
