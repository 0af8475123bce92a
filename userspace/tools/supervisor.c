// SPDX-License-Identifier: GPL-2.0
/*
 * supervisor.c - one notification: pin, decide, answer, log.
 *
 * The rule this file keeps: a syscall whose decision depended on the bytes
 * behind a pointer continues only with CONTINUE_PINNED on exactly the
 * bytes decided on. Plain CONTINUE is used only where the kernel reads no
 * pointer the policy cares about (a NULL sockaddr, a NULL path meaning
 * "this fd", a category without rules). Anything that cannot be pinned is
 * denied.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/audit.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "argfetch.h"
#include "common.h"
#include "pathnorm.h"
#include "supervisor.h"
#include "syscalls.h"
#include "target.h"

#ifndef __X32_SYSCALL_BIT
#define __X32_SYSCALL_BIT 0x40000000
#endif

enum answer {
	ANSWER_PINNED, /* CONTINUE | CONTINUE_PINNED */
	ANSWER_CONTINUE, /* plain CONTINUE: no pointer the policy reads */
	ANSWER_ERROR, /* fail with errno */
	ANSWER_VALUE, /* emulated: return 0 */
};

/* One notification being decided. */
struct call {
	struct supervisor *s;
	const struct seccomp_notif *req;
	const struct sys_desc *desc;
	struct seccomp_notif_pin_args pin;
	int pin_of_arg[2]; /* pin slot of desc->arg[i], -1 if not pinned */
	/* What the fused receive pinned by rule, if it did (s->fused). */
	struct seccomp_notif_pin_args fused;
	bool fused_pinned;
	char name[32];
	struct decision d;
	bool have_root;
	/* Scratch, not cleared between calls. */
	char root[PATH_MAX];
	char path[2][PATHNORM_MAX];
	char addr[PATHNORM_MAX + 64];
	char why[PATH_MAX + 128]; /* a reason built for this call */
	struct addr_desc ad;
};

static const char *const site_names[] = { "path", "sockaddr", "exec_args",
					  "write" };

const char *supervisor_site_name(unsigned int site)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(site_names); i++)
		if (site == 1U << i)
			return site_names[i];
	return "?";
}

void supervisor_warn_sites(const struct seccomp_pin_info *info,
			   unsigned int categories)
{
	if ((categories & POLICY_PATH) &&
	    !(info->sites & SECCOMP_PIN_SITE_PATH))
		tool_err(
			"warning: the module cannot pin paths on this kernel: every path syscall will be denied");
	if ((categories & POLICY_NET) &&
	    !(info->sites & SECCOMP_PIN_SITE_SOCKADDR))
		tool_err(
			"warning: the module cannot pin socket addresses on this kernel: connect, bind and sendto to an address will be denied");
	if ((categories & POLICY_EXEC) &&
	    (info->sites &
	     (SECCOMP_PIN_SITE_PATH | SECCOMP_PIN_SITE_EXEC_ARGS)) !=
		    (SECCOMP_PIN_SITE_PATH | SECCOMP_PIN_SITE_EXEC_ARGS))
		tool_err(
			"warning: the module cannot pin execve arguments on this kernel: every execve will be denied");
}

/* Defined with the pinning helpers below. */
static void set_rules(struct supervisor *s);

/* Ask the module, once, what it pins of each syscall the table models. */
static int ask_pinnable(struct supervisor *s)
{
	size_t n, i;
	const struct sys_desc *t = sys_table(&n);
	int err;

	s->pinnable = calloc(n, sizeof(*s->pinnable));
	if (!s->pinnable)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (t[i].class != SYS_PATH && t[i].class != SYS_SOCKADDR &&
		    t[i].class != SYS_EXEC)
			continue;
		err = seccomp_pin_pinnable(s->dev, t[i].nr, &s->pinnable[i]);
		if (err == -ENOTTY)
			tool_err(
				"the seccomp_pin module is older than this tool (no SECCOMP_PIN_IOC_PINNABLE): update the module");
		if (err)
			return err;
	}
	return 0;
}

int supervisor_init(struct supervisor *s, int dev, int listener,
		    const struct policy *policy, struct logger *log,
		    const struct seccomp_pin_info *info, const char *container)
{
	struct seccomp_notif_sizes sizes;
	int err;

	memset(s, 0, sizeof(*s));
	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0)
		return -errno;
	s->dev = dev;
	s->listener = listener;
	s->policy = policy;
	s->categories = policy_categories(policy);
	s->needs_proto = policy_needs_proto(policy);
	s->log = log;
	s->info = *info;
	s->container = container;
	s->req_size = sizes.seccomp_notif > sizeof(struct seccomp_notif) ?
			      sizes.seccomp_notif :
			      sizeof(struct seccomp_notif);
	s->req = calloc(1, s->req_size);
	/* Room for the largest request plus alignment of each snapshot. */
	s->buf_size = info->max_total_bytes +
		      SECCOMP_PIN_MAX_ARGS * SECCOMP_PIN_BUF_ALIGN;
	s->buf = malloc(s->buf_size);
	s->call = malloc(sizeof(struct call));
	if (!s->req || !s->buf || !s->call) {
		supervisor_fini(s);
		return -ENOMEM;
	}
	err = ask_pinnable(s);
	if (err) {
		supervisor_fini(s);
		return err;
	}
	set_rules(s);
	return 0;
}

void supervisor_fini(struct supervisor *s)
{
	free(s->req);
	free(s->buf);
	free(s->pinnable);
	free(s->call);
	s->req = NULL;
	s->buf = NULL;
	s->call = NULL;
}

/* ---- answering ----------------------------------------------------- */

static int send_resp(struct call *c, enum answer answer, int err)
{
	struct supervisor *s = c->s;
	struct seccomp_notif_resp resp = { .id = c->req->id };

	switch (answer) {
	case ANSWER_PINNED:
		return argfetch_continue(s->dev, s->listener, c->req->id);
	case ANSWER_CONTINUE:
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		break;
	case ANSWER_ERROR:
		resp.error = -err;
		break;
	case ANSWER_VALUE:
		resp.val = 0;
		break;
	}
	return seccomp_pin_send(s->dev, s->listener, &resp);
}

/*
 * Answer and log. An allow is sent only while the notification is still
 * valid, so what was read under /proc/<pid> was read from this task and
 * not from a recycled pid.
 */
static void finish(struct call *c, enum answer answer, int err,
		   const char *reason)
{
	__u64 id = c->req->id;
	int ret;

	if (answer != ANSWER_ERROR &&
	    ioctl(c->s->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) < 0)
		return; /* the task is gone or its syscall was interrupted */
	ret = send_resp(c, answer, err);
	if (ret == -ENOENT || ret == -EINPROGRESS)
		return; /* same, between the check and the answer */
	if (ret && answer != ANSWER_ERROR) {
		/* Never leave the task waiting: fail its syscall instead. */
		snprintf(c->why, sizeof(c->why), "answering failed (%s)",
			 strerror(-ret));
		answer = ANSWER_ERROR;
		err = EACCES;
		reason = c->why;
		if (send_resp(c, answer, err))
			return;
	}
	c->d.allow = answer != ANSWER_ERROR;
	c->d.error = answer == ANSWER_ERROR ? err : 0;
	c->d.reason = reason;
	log_decision(c->s->log, &c->d);
}

static void deny(struct call *c, int err, const char *reason)
{
	finish(c, ANSWER_ERROR, err, reason);
}

/* PIN_ARGS failed with @err (negative). */
static void pin_failed(struct call *c, int err)
{
	switch (err) {
	case -ENOENT:
	case -EINPROGRESS:
		return; /* the notification went away */
	case -EFAULT:
		deny(c, EFAULT, "argument not readable");
		return;
	case -EOPNOTSUPP:
		deny(c, EACCES,
		     "the module cannot pin this argument on this kernel");
		return;
	default:
		snprintf(c->why, sizeof(c->why), "pinning failed: %s",
			 strerror(-err));
		deny(c, EACCES, c->why);
	}
}

/* ---- pinning ------------------------------------------------------- */

static void pin_reset(struct call *c)
{
	memset(&c->pin, 0, sizeof(c->pin));
	c->pin.id = c->req->id;
	c->pin.buf = (__u64)(uintptr_t)c->s->buf;
	c->pin.buf_size = c->s->buf_size;
	c->pin_of_arg[0] = c->pin_of_arg[1] = -1;
}

static int pin_add(struct call *c, int arg_idx, int kind, __u32 max_bytes,
		   __u32 max_entries)
{
	struct seccomp_pin_arg *a = &c->pin.args[c->pin.nr_args];

	a->arg_idx = arg_idx;
	a->kind = kind;
	a->max_bytes = max_bytes;
	a->max_entries = max_entries;
	return c->pin.nr_args++;
}

/*
 * Does the fused receive's pin hold what @c asks for? The rules are
 * built from the same caps as the requests below, so it does whenever
 * the call pins every argument its rule names; a FIXED read stops at the
 * syscall's own length, which the request names as its cap.
 */
static bool fused_matches(const struct call *c)
{
	const struct seccomp_notif_pin_args *f = &c->fused, *p = &c->pin;
	__u32 i;

	if (f->nr_args != p->nr_args)
		return false;
	for (i = 0; i < p->nr_args; i++) {
		const struct seccomp_pin_arg *fa = &f->args[i],
					     *pa = &p->args[i];

		if (fa->arg_idx != pa->arg_idx || fa->kind != pa->kind)
			return false;
		if (pa->kind == SECCOMP_PIN_FIXED ?
			    fa->actual_size != pa->max_bytes :
			    fa->max_bytes != pa->max_bytes ||
				    fa->max_entries != pa->max_entries)
			return false;
	}
	return true;
}

static int pin_run(struct call *c)
{
	struct supervisor *s = c->s;
	int ret;

	if (c->fused_pinned) {
		/*
		 * The notification holds a pin already: another PIN_ARGS
		 * would be EEXIST. One that is not what was asked for is
		 * refused; the reply then discards it.
		 */
		if (!fused_matches(c))
			return -EEXIST;
		c->pin = c->fused;
		c->d.pinned = "receive";
		return 0;
	}
	ret = argfetch_pin(s->dev, s->listener, c->req->pid, &c->req->data,
			   &c->pin);
	if (!ret)
		c->d.pinned = "request";
	return ret;
}

static const char *snapshot(struct call *c, int slot)
{
	return seccomp_pin_snapshot(&c->pin, slot);
}

static __u32 sup_path_max(const struct supervisor *s)
{
	return s->info.max_arg_bytes < PATH_MAX ? s->info.max_arg_bytes :
						  PATH_MAX;
}

static __u32 path_max(struct call *c)
{
	return sup_path_max(c->s);
}

/*
 * The module's cap for pinning argument @arg_idx of this call as @kind:
 * the most the syscall reads there, or 0 when the module does not pin it
 * on this kernel (the call is then denied, never run on re-read bytes).
 */
static __u32 sup_pinnable_max(const struct supervisor *s,
			      const struct sys_desc *desc, int arg_idx,
			      int kind)
{
	size_t n;
	const struct seccomp_pin_pinnable_arg *a = seccomp_pin_pinnable_find(
		&s->pinnable[desc - sys_table(&n)], arg_idx);

	return a && a->kind == kind ? a->max_bytes : 0;
}

static __u32 pinnable_max(struct call *c, int arg_idx, int kind)
{
	return sup_pinnable_max(c->s, c->desc, arg_idx, kind);
}

/* The argv cap of an exec whose filename is pinned with @file_max. */
static __u32 argv_cap(const struct supervisor *s, __u32 file_max,
		      __u32 args_max)
{
	__u32 argv_max;

	if (s->info.max_total_bytes <= file_max)
		return 0;
	argv_max = s->info.max_total_bytes - file_max;
	if (argv_max > s->info.max_arg_bytes)
		argv_max = s->info.max_arg_bytes;
	return argv_max < args_max ? argv_max : args_max;
}

static void rule_add(struct seccomp_pin_rule *r, int arg_idx, int kind,
		     __u32 max_bytes, __u32 max_entries)
{
	struct seccomp_pin_arg *a = &r->args[r->nr_args++];

	a->arg_idx = arg_idx;
	a->kind = kind;
	a->max_bytes = max_bytes;
	a->max_entries = max_entries;
}

/*
 * The rule for @d: what its decide_*() pins when every pointer is set,
 * with the same caps. False if the module pins none of it (those calls
 * are denied, or continue unpinned, without a pin).
 */
static bool rule_for(const struct supervisor *s, const struct sys_desc *d,
		     struct seccomp_pin_rule *r)
{
	__u32 max, file_max, args_max;
	int i;

	memset(r, 0, sizeof(*r));
	r->nr = d->nr;
	switch (d->class) {
	case SYS_PATH:
		for (i = 0; i < 2 && d->arg[i] >= 0; i++) {
			max = sup_pinnable_max(s, d, d->arg[i],
					       SECCOMP_PIN_CSTRING);
			if (!max)
				return false;
			rule_add(r, d->arg[i], SECCOMP_PIN_CSTRING,
				 max < sup_path_max(s) ? max : sup_path_max(s),
				 0);
		}
		break;
	case SYS_SOCKADDR:
		max = sup_pinnable_max(s, d, d->arg[0], SECCOMP_PIN_FIXED);
		if (!max)
			return false;
		rule_add(r, d->arg[0], SECCOMP_PIN_FIXED, max, 0);
		break;
	case SYS_EXEC:
		file_max =
			sup_pinnable_max(s, d, d->arg[0], SECCOMP_PIN_CSTRING);
		args_max = sup_pinnable_max(s, d, d->aux,
					    SECCOMP_PIN_CSTRING_ARRAY);
		if (file_max > sup_path_max(s))
			file_max = sup_path_max(s);
		if (!file_max || !argv_cap(s, file_max, args_max))
			return false;
		rule_add(r, d->arg[0], SECCOMP_PIN_CSTRING, file_max, 0);
		rule_add(r, d->aux, SECCOMP_PIN_CSTRING_ARRAY,
			 argv_cap(s, file_max, args_max), s->info.max_entries);
		break;
	default:
		return false;
	}
	return r->nr_args > 0;
}

/*
 * Rules for every syscall decided on by pinning, so one call receives
 * and pins. They depend on the module and this table only, not on the
 * policy: the agent's supervisors share one device fd, and its table
 * must not change with each container's policy (the filter traps only
 * what the policy needs anyway). Without rules (an older module; the
 * unpinned test build) notifications are received with NOTIF_RECV and
 * pinned after.
 */
static void set_rules(struct supervisor *s)
{
	size_t n, i, nr_rules = 0;
	const struct sys_desc *t = sys_table(&n);
	struct seccomp_pin_rule *rules = calloc(n, sizeof(*rules));

	if (!rules)
		return;
	for (i = 0; i < n; i++)
		if (rule_for(s, &t[i], &rules[nr_rules]))
			nr_rules++;
	s->fused = nr_rules && !argfetch_rules(s->dev, rules, nr_rules);
	free(rules);
}

/* ---- paths --------------------------------------------------------- */

static int arg_int(struct call *c, int idx)
{
	return (int)(__u32)c->req->data.args[idx];
}

static const char *target_root(struct call *c)
{
	if (!c->have_root) {
		if (target_link(c->req->pid, "root", c->root, sizeof(c->root)))
			return NULL;
		c->have_root = true;
	}
	return c->root;
}

/*
 * The base directory of a relative path of arg slot @i: the dirfd's
 * directory or the cwd. 0, or the errno the kernel would give (EBADF,
 * ENOTDIR) or EACCES when it cannot be read.
 */
static int base_dir(struct call *c, int i, char *out, size_t size)
{
	int dirfd = c->desc->dirfd[i] >= 0 ? arg_int(c, c->desc->dirfd[i]) :
					     AT_FDCWD;
	int err;

	if (dirfd == AT_FDCWD)
		err = target_link(c->req->pid, "cwd", out, size);
	else
		err = target_fd_path(c->req->pid, dirfd, out, size);
	if (err == -ENOENT && dirfd != AT_FDCWD)
		return EBADF;
	if (err == -ENOTDIR)
		return ENOTDIR;
	return err ? EACCES : 0;
}

/*
 * Normalise @raw (arg slot @i) into c->path[i]. 0, or an errno to deny
 * with. @link_dir: the directory a symlink's content is relative to.
 */
static int resolve(struct call *c, int i, const char *raw, const char *link_dir)
{
	char base[PATHNORM_MAX];
	const char *root = target_root(c);
	int err;

	if (!root)
		return EACCES;
	if (link_dir) {
		snprintf(base, sizeof(base), "%s", link_dir);
	} else if (raw[0] != '/') {
		err = base_dir(c, i, base, sizeof(base));
		if (err)
			return err;
	}
	err = pathnorm_resolve(root, base, raw, c->path[i], PATHNORM_MAX);
	return err ? -err : 0;
}

/*
 * openat2 is pinned but its open_how is not (a nested pointer, racy):
 * RESOLVE_IN_ROOT may make the kernel look @raw up below the dirfd. The
 * path must be allowed read both ways.
 */
static struct verdict check_in_root(struct call *c, const char *raw, int *err)
{
	char base[PATH_MAX], *alt = c->addr; /* unused by path syscalls */
	struct verdict v;

	*err = base_dir(c, 0, base, sizeof(base));
	if (*err)
		return (struct verdict){ false, "cannot resolve the dirfd" };
	*err = -pathnorm_in_root(base, raw, alt, sizeof(c->addr));
	if (*err)
		return (struct verdict){ false, "path too long" };
	v = policy_path(c->s->policy, alt);
	if (!v.allow) {
		snprintf(c->why, sizeof(c->why),
			 "as RESOLVE_IN_ROOT reads it (%.*s): %.64s", PATH_MAX,
			 alt, v.why);
		v.why = c->why;
	}
	return v;
}

/* fstat() through newfstatat/statx(fd, "", AT_EMPTY_PATH). */
static void emulate_fstat(struct call *c)
{
	const struct seccomp_data *sd = &c->req->data;
	bool is_statx = c->desc->flags & SYS_F_STATX;
	unsigned int flags = is_statx ? sd->args[2] : sd->args[3];
	int dirfd = arg_int(c, 0), fd, err = 0;
	char first;

	if (target_read(c->req->pid, sd->args[1], &first, 1))
		return deny(c, EFAULT, "argument not readable");
	if (first != '\0')
		return deny(
			c, EACCES,
			"the module cannot pin a path with AT_EMPTY_PATH on this kernel");
	if (dirfd == AT_FDCWD)
		fd = target_open_path(c->req->pid, AT_FDCWD);
	else
		fd = target_getfd(c->req->pid, dirfd);
	if (fd == -EBADF || fd == -ENOENT)
		return deny(c, EBADF, "no such fd");
	if (fd < 0)
		return deny(c, EACCES, "cannot reach the fd to emulate fstat");
	if (ioctl(c->s->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &c->req->id)) {
		close(fd);
		return; /* gone: never write into a recycled pid */
	}
	if (is_statx) {
		struct statx stx;

		if (statx(fd, "", AT_EMPTY_PATH | (flags & AT_STATX_SYNC_TYPE),
			  (unsigned int)sd->args[3], &stx))
			err = errno;
		else if (target_write(c->req->pid, sd->args[4], &stx,
				      sizeof(stx)))
			err = EFAULT;
	} else {
		struct stat st;

		if (fstat(fd, &st))
			err = errno;
		else if (target_write(c->req->pid, sd->args[2], &st,
				      sizeof(st)))
			err = EFAULT;
	}
	close(fd);
	c->d.path = "";
	if (err)
		return deny(c, err, "emulated fstat failed");
	finish(c, ANSWER_VALUE, 0,
	       "fd operation, emulated: the module cannot pin AT_EMPTY_PATH here");
}

static void decide_path(struct call *c)
{
	const struct sys_desc *desc = c->desc;
	const struct seccomp_data *sd = &c->req->data;
	const char *raw[2] = { NULL, NULL };
	struct verdict v = { true, "empty path: fd operation" };
	int i, err;

	pin_reset(c);
	for (i = 0; i < 2 && desc->arg[i] >= 0; i++) {
		__u32 max = pinnable_max(c, desc->arg[i], SECCOMP_PIN_CSTRING);

		if (sd->args[desc->arg[i]] && !max)
			return deny(
				c, EACCES,
				"the module cannot pin this syscall's path on this kernel");
		if (sd->args[desc->arg[i]])
			c->pin_of_arg[i] = pin_add(
				c, desc->arg[i], SECCOMP_PIN_CSTRING,
				max < path_max(c) ? max : path_max(c), 0);
		else if (!(desc->flags & SYS_F_NULL_IS_FD))
			return deny(c, EFAULT, "NULL path");
	}
	if (!c->pin.nr_args)
		return finish(c, ANSWER_CONTINUE, 0, "NULL path: fd operation");
	err = pin_run(c);
	if (err == -EOPNOTSUPP && (desc->flags & (SYS_F_STAT | SYS_F_STATX)))
		return emulate_fstat(c);
	if (err)
		return pin_failed(c, err);
	for (i = 0; i < 2; i++) {
		int slot = c->pin_of_arg[i];

		if (slot < 0)
			continue;
		raw[i] = snapshot(c, slot);
		if (!raw[i])
			return deny(c, EACCES, "malformed snapshot");
		if (c->pin.args[slot].truncated)
			return deny(c, ENAMETOOLONG,
				    "path longer than PATH_MAX");
	}
	/* Second argument first: a symlink's content is relative to it. */
	for (i = 1; i >= 0; i--) {
		char dir[PATHNORM_MAX];
		const char *link_dir = NULL;
		struct verdict vi;

		if (!raw[i])
			continue;
		if (!raw[i][0]) {
			/* Names no file: the kernel fails or uses the fd. */
			c->path[i][0] = '\0';
			continue;
		}
		if (i == 0 && (desc->flags & SYS_F_LINK_CONTENT) &&
		    raw[0][0] != '/' && raw[1] && raw[1][0]) {
			pathnorm_dirname(c->path[1], dir, sizeof(dir));
			link_dir = dir;
		}
		err = resolve(c, i, raw[i], link_dir);
		if (err) {
			c->d.path = raw[0];
			c->d.path2 = raw[1];
			return deny(c, err,
				    err == ENAMETOOLONG ?
					    "path too long" :
					    "cannot resolve a relative path");
		}
		vi = policy_path(c->s->policy, c->path[i]);
		if (vi.allow && i == 0 && (desc->flags & SYS_F_IN_ROOT))
			vi = check_in_root(c, raw[0], &err);
		if (!vi.allow || v.allow)
			v = vi;
	}
	c->d.path = raw[0] ? c->path[0] : NULL;
	c->d.path2 = raw[1] ? c->path[1] : NULL;
	if (!v.allow)
		return deny(c, EACCES, v.why);
	finish(c, ANSWER_PINNED, 0, v.why);
}

/* ---- socket addresses ---------------------------------------------- */

static enum addr_proto socket_proto(struct call *c)
{
	int fd = target_getfd(c->req->pid, arg_int(c, 0)), proto;
	socklen_t len = sizeof(proto);
	enum addr_proto ret = PROTO_ANY;

	if (fd < 0)
		return PROTO_ANY; /* matches no tcp:/udp: rule */
	if (!getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &len))
		ret = proto == IPPROTO_TCP ? PROTO_TCP :
		      proto == IPPROTO_UDP ? PROTO_UDP :
					     PROTO_OTHER;
	close(fd);
	return ret;
}

static void decide_sockaddr(struct call *c)
{
	const struct sys_desc *desc = c->desc;
	const struct seccomp_data *sd = &c->req->data;
	__u64 ptr = sd->args[desc->arg[0]];
	int len = arg_int(c, desc->aux), err;
	bool is_connect = c->req->data.nr == __NR_connect;
	struct addr_desc *ad = &c->ad;
	struct verdict v;

	if (!ptr && (desc->flags & SYS_F_NULL_OK))
		return finish(c, ANSWER_CONTINUE, 0, "no address");
	if (len <= 0 || (size_t)len > sizeof(struct sockaddr_storage))
		return deny(c, EINVAL, "bad address length");
	if (!ptr)
		return deny(c, EFAULT, "NULL address");
	if ((__u32)len > pinnable_max(c, desc->arg[0], SECCOMP_PIN_FIXED))
		return deny(
			c, EACCES,
			"the module cannot pin socket addresses on this kernel");
	pin_reset(c);
	pin_add(c, desc->arg[0], SECCOMP_PIN_FIXED, len, 0);
	err = pin_run(c);
	if (err)
		return pin_failed(c, err);
	if (c->pin.args[0].truncated || !snapshot(c, 0))
		return deny(c, EFAULT, "address not readable");
	if (addr_describe(snapshot(c, 0), c->pin.args[0].actual_size, ad))
		return deny(c, EINVAL, "address too short for its family");
	if (ad->kind == ADDR_UNIX_PATH) {
		/* A relative socket path is relative to the cwd. */
		err = resolve(c, 0, ad->path, NULL);
		if (err)
			return deny(c, err, "cannot resolve the socket path");
		snprintf(ad->path, sizeof(ad->path), "%s", c->path[0]);
	}
	if (c->s->needs_proto &&
	    (ad->kind == ADDR_INET || ad->kind == ADDR_UNSPEC))
		ad->proto = socket_proto(c);
	addr_format(ad, c->addr, sizeof(c->addr));
	c->d.addr = c->addr;
	if (ad->kind == ADDR_UNSPEC && is_connect)
		return finish(c, ANSWER_PINNED, 0, "AF_UNSPEC: disconnect");
	if (ad->kind == ADDR_OTHER)
		return deny(c, EACCES,
			    "address family not covered by the policy");
	if (ad->kind == ADDR_UNSPEC && ad->family == -1)
		return deny(c, EACCES, "AF_UNSPEC address");
	v = (desc->flags & SYS_F_BIND) ? policy_bind(c->s->policy, ad) :
					 policy_connect(c->s->policy, ad);
	if (!v.allow)
		return deny(c, EACCES, v.why);
	finish(c, ANSWER_PINNED, 0, v.why);
}

/* ---- exec ---------------------------------------------------------- */

static void decide_exec(struct call *c)
{
	const struct sys_desc *desc = c->desc;
	const struct seccomp_data *sd = &c->req->data;
	const struct seccomp_pin_info *info = &c->s->info;
	__u32 file_max = pinnable_max(c, desc->arg[0], SECCOMP_PIN_CSTRING);
	__u32 args_max = pinnable_max(c, desc->aux, SECCOMP_PIN_CSTRING_ARRAY);
	const char *file;
	struct verdict v;
	__u32 argv_max;
	int err;

	if (!sd->args[desc->arg[0]])
		return deny(c, EFAULT, "NULL filename");
	if (!file_max || !args_max)
		return deny(
			c, EACCES,
			"the module cannot pin execve arguments on this kernel");
	if (file_max > path_max(c))
		file_max = path_max(c);
	argv_max = argv_cap(c->s, file_max, args_max);
	if (!argv_max)
		return deny(c, EACCES,
			    "the module's limits leave no room for argv");
	pin_reset(c);
	pin_add(c, desc->arg[0], SECCOMP_PIN_CSTRING, file_max, 0);
	pin_add(c, desc->aux, SECCOMP_PIN_CSTRING_ARRAY, argv_max,
		info->max_entries);
	err = pin_run(c);
	if (err)
		return pin_failed(c, err);
	file = snapshot(c, 0);
	c->d.argv = snapshot(c, 1);
	c->d.argv_size = c->pin.args[1].actual_size;
	if (!file || !c->d.argv)
		return deny(c, EACCES, "malformed snapshot");
	if (c->pin.args[0].truncated)
		return deny(c, ENAMETOOLONG, "filename longer than PATH_MAX");
	if (c->pin.args[1].truncated)
		return deny(c, E2BIG, "argv larger than the pin limits");
	if (!file[0]) {
		/* execveat(fd, "", AT_EMPTY_PATH): the file behind fd. */
		if (desc->dirfd[0] < 0)
			return deny(c, ENOENT, "empty filename");
		err = base_dir(c, 0, c->path[0], sizeof(c->path[0]));
		if (err == ENOTDIR)
			return deny(c, EACCES, "fd is not a file");
		if (err)
			return deny(c, err, "cannot resolve the fd");
	} else {
		err = resolve(c, 0, file, NULL);
		if (err)
			return deny(c, err, "cannot resolve a relative path");
	}
	c->d.path = c->path[0];
	v = policy_exec(c->s->policy, c->path[0]);
	if (!v.allow)
		return deny(c, EACCES, v.why);
	finish(c, ANSWER_PINNED, 0, v.why);
}

/* ---- dispatch ------------------------------------------------------ */

static void decide(struct call *c)
{
	const struct seccomp_data *sd = &c->req->data;

	if (sd->arch != AUDIT_ARCH_X86_64 || (sd->nr & __X32_SYSCALL_BIT)) {
		snprintf(c->name, sizeof(c->name), "%d", sd->nr);
		c->d.syscall = c->name;
		return deny(c, ENOSYS, "not a native x86_64 syscall");
	}
	c->desc = sys_lookup(sd->nr);
	if (!c->desc) {
		snprintf(c->name, sizeof(c->name), "%d", sd->nr);
		c->d.syscall = c->name;
		return deny(c, EACCES, "syscall not handled by seccomp-pin");
	}
	c->d.syscall = c->desc->name;
	if (c->desc->policy && !(c->desc->policy & c->s->categories))
		return finish(c, ANSWER_CONTINUE, 0, "no rules for it");
	switch (c->desc->class) {
	case SYS_PATH:
		return decide_path(c);
	case SYS_SOCKADDR:
		return decide_sockaddr(c);
	case SYS_EXEC:
		return decide_exec(c);
	case SYS_PATH_UNMODELED:
		return deny(c, EACCES,
			    "the module cannot pin this syscall's path");
	case SYS_MSGHDR:
		return deny(
			c, EACCES,
			"its address is inside a msghdr, which cannot be pinned");
	case SYS_BYPASS:
	default:
		if (!c->s->categories)
			return finish(c, ANSWER_CONTINUE, 0, "no rules");
		return deny(c, EACCES, "it would bypass the policy");
	}
}

int supervisor_handle(struct supervisor *s)
{
	struct call *c = s->call;

	memset(s->req, 0, s->req_size);
	memset(c, 0, offsetof(struct call, root));
	if (s->fused) {
		int pin_error, ret;

		c->fused.buf = (__u64)(uintptr_t)s->buf;
		c->fused.buf_size = s->buf_size;
		ret = argfetch_recv_pin(s->dev, s->listener, s->req, &c->fused,
					&pin_error);
		if (ret < 0)
			return ret;
		/* A failed pin leaves the call unpinned: pinned again below. */
		c->fused_pinned = ret == 1;
	} else if (ioctl(s->listener, SECCOMP_IOCTL_NOTIF_RECV, s->req) < 0) {
		return -errno;
	}
	c->path[0][0] = c->path[1][0] = '\0';
	c->s = s;
	c->req = s->req;
	c->d.pid = s->req->pid;
	c->d.container = s->container;
	decide(c);
	return 0;
}
