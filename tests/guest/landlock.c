// SPDX-License-Identifier: GPL-2.0
/*
 * landlock.c - see landlock.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/types.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "landlock.h"

#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444
#define __NR_landlock_add_rule 445
#define __NR_landlock_restrict_self 446
#endif

#define LL_CREATE_RULESET_VERSION (1U << 0)
#define LL_RULE_PATH_BENEATH 1
#define LL_RULE_NET_PORT 2
#define LL_ACCESS_FS_READ_FILE (1ULL << 2)
#define LL_ACCESS_NET_BIND_TCP (1ULL << 0)

struct ll_ruleset_attr {
	__u64 handled_access_fs;
	__u64 handled_access_net;
};

struct ll_path_beneath {
	__u64 allowed_access;
	__s32 parent_fd;
} __attribute__((packed));

struct ll_net_port {
	__u64 allowed_access;
	__u64 port;
};

static int fail(void)
{
	return errno ? -errno : -EIO;
}

int landlock_abi(void)
{
	long v = syscall(__NR_landlock_create_ruleset, NULL, 0,
			 LL_CREATE_RULESET_VERSION);

	return v < 0 ? fail() : (int)v;
}

static int restrict_with(int ruleset)
{
	int ret = 0;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(__NR_landlock_restrict_self, ruleset, 0) < 0)
		ret = fail();
	close(ruleset);
	return ret;
}

int landlock_read_only_beneath(int dirfd)
{
	struct ll_ruleset_attr attr = {
		.handled_access_fs = LL_ACCESS_FS_READ_FILE,
	};
	struct ll_path_beneath rule = {
		.allowed_access = LL_ACCESS_FS_READ_FILE,
	};
	int rs, ret;

	rs = (int)syscall(__NR_landlock_create_ruleset, &attr,
			  sizeof(attr.handled_access_fs), 0);
	if (rs < 0)
		return fail();
	rule.parent_fd = dirfd;
	if (syscall(__NR_landlock_add_rule, rs, LL_RULE_PATH_BENEATH, &rule,
		    0) < 0) {
		ret = fail();
		close(rs);
		return ret;
	}
	return restrict_with(rs);
}

int landlock_bind_only_port(unsigned short port)
{
	struct ll_ruleset_attr attr = {
		.handled_access_net = LL_ACCESS_NET_BIND_TCP,
	};
	struct ll_net_port rule = {
		.allowed_access = LL_ACCESS_NET_BIND_TCP,
		.port = port,
	};
	int rs, ret;

	rs = (int)syscall(__NR_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (rs < 0)
		return fail();
	if (syscall(__NR_landlock_add_rule, rs, LL_RULE_NET_PORT, &rule, 0) <
	    0) {
		ret = fail();
		close(rs);
		return ret;
	}
	return restrict_with(rs);
}
