// SPDX-License-Identifier: GPL-2.0
/*
 * fake_module.c - HOST TEST ONLY: the device calls of libseccomp-pin
 * without /dev/seccomp_pin, for exercising seccomp-pin's command line,
 * policy and process handling on a host that cannot load the module.
 * Linked with unpinned_fetch.c: nothing here pins anything; the pin
 * itself is tested only in the VMs. SECCOMP_PIN_FAKE_MISSING=1 plays a
 * host without the module. Its pinnable table is the tool's own model of
 * each syscall: here the fake only has to agree with the tool.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <libseccomp_pin.h>
#include <linux/limits.h>
#include <sys/socket.h>

#include "syscalls.h"

int seccomp_pin_open(void)
{
	int fd;

	if (getenv("SECCOMP_PIN_FAKE_MISSING"))
		return -ENOENT;
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int seccomp_pin_info(int devfd, struct seccomp_pin_info *info)
{
	(void)devfd;
	memset(info, 0, sizeof(*info));
	info->abi_version = SECCOMP_PIN_ABI_VERSION;
	info->kinds = 7;
	info->sites = SECCOMP_PIN_SITE_PATH | SECCOMP_PIN_SITE_SOCKADDR |
		      SECCOMP_PIN_SITE_EXEC_ARGS | SECCOMP_PIN_SITE_WRITE;
	info->max_args = SECCOMP_PIN_MAX_ARGS;
	info->max_arg_bytes = SECCOMP_PIN_MAX_ARG_BYTES;
	info->max_total_bytes = SECCOMP_PIN_MAX_TOTAL_BYTES;
	info->default_max_entries = SECCOMP_PIN_DEFAULT_MAX_ENTRIES;
	info->max_entries = SECCOMP_PIN_MAX_ENTRIES;
	return 0;
}

int seccomp_pin_args(int devfd, int listener_fd,
		     struct seccomp_notif_pin_args *pin)
{
	(void)devfd;
	(void)listener_fd;
	(void)pin;
	return -EOPNOTSUPP;
}

int seccomp_pin_send(int devfd, int listener_fd,
		     const struct seccomp_notif_resp *resp)
{
	struct seccomp_notif_resp r = *resp;

	(void)devfd;
	r.flags &= ~SECCOMP_USER_NOTIF_FLAG_CONTINUE_PINNED;
	return ioctl(listener_fd, SECCOMP_IOCTL_NOTIF_SEND, &r) ? -errno : 0;
}

int seccomp_pin_continue_pinned(int devfd, int listener_fd, __u64 id)
{
	struct seccomp_notif_resp r = {
		.id = id,
		.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE,
	};

	return seccomp_pin_send(devfd, listener_fd, &r);
}

static void fake_arg(struct seccomp_pin_pinnable *out, int arg_idx, int kind,
		     int len_idx, __u32 site, __u32 max_bytes)
{
	struct seccomp_pin_pinnable_arg *a = &out->args[out->nr_args++];

	a->arg_idx = arg_idx;
	a->kind = kind;
	a->len_idx = len_idx < 0 ? SECCOMP_PIN_NO_LEN : len_idx;
	a->site = site;
	a->max_bytes = max_bytes;
}

int seccomp_pin_pinnable(int devfd, int nr, struct seccomp_pin_pinnable *out)
{
	const struct sys_desc *d = sys_lookup(nr);
	int i;

	(void)devfd;
	memset(out, 0, sizeof(*out));
	out->nr = nr;
	if (!d)
		return 0;
	switch (d->class) {
	case SYS_PATH:
		for (i = 0; i < 2 && d->arg[i] >= 0; i++)
			fake_arg(out, d->arg[i], SECCOMP_PIN_CSTRING, -1,
				 SECCOMP_PIN_SITE_PATH, PATH_MAX);
		break;
	case SYS_SOCKADDR:
		fake_arg(out, d->arg[0], SECCOMP_PIN_FIXED, d->aux,
			 SECCOMP_PIN_SITE_SOCKADDR,
			 sizeof(struct sockaddr_storage));
		break;
	case SYS_EXEC:
		fake_arg(out, d->arg[0], SECCOMP_PIN_CSTRING, -1,
			 SECCOMP_PIN_SITE_PATH, PATH_MAX);
		for (i = d->aux; i <= d->aux + 1; i++)
			fake_arg(out, i, SECCOMP_PIN_CSTRING_ARRAY, -1,
				 SECCOMP_PIN_SITE_EXEC_ARGS,
				 SECCOMP_PIN_MAX_ARG_BYTES);
		break;
	}
	return 0;
}
