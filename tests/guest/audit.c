// SPDX-License-Identifier: GPL-2.0
/*
 * audit.c - see audit.h. Speaks the audit netlink protocol directly,
 * so the VM needs no auditd or auditctl.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "audit.h"

#ifndef AUDIT_EOE
#define AUDIT_EOE 1320
#endif

struct audit_req {
	struct nlmsghdr h;
	union {
		struct audit_status status;
		struct audit_rule_data rule;
	};
};

static int audit_request(struct audit_session *a, int type, const void *body,
			 size_t len)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct audit_req req;
	char reply[8192];
	struct nlmsghdr *h;
	struct pollfd p = { .fd = a->sock, .events = POLLIN };
	ssize_t n;

	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = (__u32)NLMSG_LENGTH(len);
	req.h.nlmsg_type = (__u16)type;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req.h.nlmsg_seq = ++a->seq;
	memcpy(NLMSG_DATA(&req.h), body, len);
	if (sendto(a->sock, &req, req.h.nlmsg_len, 0,
		   (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		return -errno;
	/* Wait for our ACK, skipping any record that arrives meanwhile. */
	for (;;) {
		if (poll(&p, 1, 2000) != 1)
			return -ETIMEDOUT;
		n = recv(a->sock, reply, sizeof(reply), 0);
		if (n < 0)
			return -errno;
		for (h = (struct nlmsghdr *)reply; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			struct nlmsgerr *e = NLMSG_DATA(h);

			if (h->nlmsg_type == NLMSG_ERROR &&
			    h->nlmsg_seq == a->seq)
				return e->error;
		}
	}
}

static int audit_set(struct audit_session *a, __u32 enabled, __u32 pid)
{
	struct audit_status s;

	memset(&s, 0, sizeof(s));
	s.mask = AUDIT_STATUS_ENABLED | AUDIT_STATUS_PID;
	s.enabled = enabled;
	s.pid = pid;
	return audit_request(a, AUDIT_SET, &s, sizeof(s));
}

int audit_open(struct audit_session *a)
{
	int ret;

	memset(a, 0, sizeof(*a));
	a->sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	if (a->sock < 0)
		return -errno;
	ret = audit_set(a, 1, (__u32)getpid());
	if (ret < 0) {
		close(a->sock);
		a->sock = -1;
	}
	return ret;
}

static void rule_for(const struct audit_session *a, struct audit_rule_data *r)
{
	int i;

	memset(r, 0, sizeof(*r));
	r->flags = AUDIT_FILTER_EXIT;
	r->action = AUDIT_ALWAYS;
	r->field_count = 2;
	r->fields[0] = AUDIT_ARCH;
	r->values[0] = AUDIT_ARCH_X86_64;
	r->fieldflags[0] = AUDIT_EQUAL;
	r->fields[1] = AUDIT_PID;
	r->values[1] = (__u32)a->pid;
	r->fieldflags[1] = AUDIT_EQUAL;
	for (i = 0; i < a->nnrs; i++)
		r->mask[a->nrs[i] / 32] |= 1U << (a->nrs[i] % 32);
}

int audit_watch(struct audit_session *a, pid_t pid, const int *nrs, int n)
{
	struct audit_rule_data r;
	int i;

	a->pid = pid;
	a->nnrs = n < 4 ? n : 4;
	for (i = 0; i < a->nnrs; i++)
		a->nrs[i] = nrs[i];
	rule_for(a, &r);
	return audit_request(a, AUDIT_ADD_RULE, &r, sizeof(r));
}

int audit_next_event(struct audit_session *a, char *out, size_t size,
		     int timeout_ms)
{
	struct pollfd p = { .fd = a->sock, .events = POLLIN };
	char buf[9000];
	size_t used = 0;
	struct nlmsghdr *h;
	char want[32];
	ssize_t n;
	int len;

	snprintf(want, sizeof(want), " pid=%d ", (int)a->pid);
	out[0] = '\0';
	for (;;) {
		if (poll(&p, 1, timeout_ms) != 1)
			return -ETIMEDOUT;
		n = recv(a->sock, buf, sizeof(buf) - 1, 0);
		if (n < 0)
			return -errno;
		/*
		 * One record per datagram, unterminated text. Its nlmsg_len
		 * is not trustworthy (some kernels leave out the header), so
		 * the datagram's size bounds the text.
		 */
		h = (struct nlmsghdr *)buf;
		if (n < NLMSG_HDRLEN)
			continue;
		if (h->nlmsg_type == AUDIT_EOE && used) {
			/* Only events of the audited task, e.g. not the
			 * one our own rule change caused. */
			if (strstr(out, want))
				return 0;
			used = 0;
			out[0] = '\0';
			continue;
		}
		if (h->nlmsg_type < AUDIT_SYSCALL ||
		    h->nlmsg_type == AUDIT_CONFIG_CHANGE)
			continue;
		len = (int)strnlen((char *)NLMSG_DATA(h),
				   (size_t)n - NLMSG_HDRLEN);
		if (used < size)
			used += (size_t)snprintf(out + used, size - used,
						 "type=%u %.*s\n",
						 h->nlmsg_type, len,
						 (char *)NLMSG_DATA(h));
		if (used >= size)
			used = size - 1;
	}
}

void audit_close(struct audit_session *a)
{
	struct audit_rule_data r;

	if (a->sock < 0)
		return;
	if (a->pid) {
		rule_for(a, &r);
		audit_request(a, AUDIT_DEL_RULE, &r, sizeof(r));
	}
	audit_set(a, 0, 0);
	close(a->sock);
	a->sock = -1;
}
