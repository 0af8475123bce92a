// SPDX-License-Identifier: GPL-2.0
/*
 * tracee.c - trapped children. The child, not the supervisor, installs
 * the filter (so the cmocka process is never filtered) and hands the
 * listener back over a socketpair with SCM_RIGHTS.
 */
#include "common.h"

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#define MAX_INSNS 250

static void emit(struct sock_filter *prog, unsigned int *len,
		 struct sock_filter insn)
{
	if (*len < MAX_INSNS)
		prog[*len] = insn;
	(*len)++;
}

/* One arch section: if arch matches, test each trap; else skip it all. */
static void emit_arch(struct sock_filter *prog, unsigned int *len, __u32 arch,
		      const struct trap *traps, unsigned int n)
{
	unsigned int i, body = 0;

	for (i = 0; i < n; i++)
		if (traps[i].arch == arch)
			body += traps[i].match_arg0 ? 5 : 3;
	if (!body)
		return;
	emit(prog, len,
	     (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					  offsetof(struct seccomp_data, arch)));
	emit(prog, len,
	     (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, arch, 0,
					  body + 1));
	for (i = 0; i < n; i++) {
		if (traps[i].arch != arch)
			continue;
		emit(prog, len,
		     (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						  offsetof(struct seccomp_data,
							   nr)));
		emit(prog, len,
		     (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
						  (__u32)traps[i].nr, 0,
						  traps[i].match_arg0 ? 3 : 1));
		if (traps[i].match_arg0) {
			emit(prog, len,
			     (struct sock_filter)BPF_STMT(
				     BPF_LD | BPF_W | BPF_ABS,
				     offsetof(struct seccomp_data, args[0])));
			emit(prog, len,
			     (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ |
								  BPF_K,
							  traps[i].arg0, 0, 1));
		}
		emit(prog, len,
		     (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
						  SECCOMP_RET_USER_NOTIF));
	}
	emit(prog, len,
	     (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
}

static int install_filter(const struct trap *traps, unsigned int n)
{
	struct sock_filter prog[MAX_INSNS];
	struct sock_fprog fprog;
	unsigned int len = 0;

	emit_arch(prog, &len, AUDIT_ARCH_X86_64, traps, n);
	emit_arch(prog, &len, AUDIT_ARCH_I386, traps, n);
	emit(prog, &len,
	     (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
	if (len > MAX_INSNS)
		return -1;
	fprog.len = (unsigned short)len;
	fprog.filter = prog;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return (int)syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER,
			    SECCOMP_FILTER_FLAG_NEW_LISTENER, &fprog);
}

static int send_fd(int sock, int fd)
{
	char data = 'L';
	struct iovec iov = { .iov_base = &data, .iov_len = 1 };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = u.buf,
		.msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char data;
	struct iovec iov = { .iov_base = &data, .iov_len = 1 };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = u.buf,
		.msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *c;
	int fd;

	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

static void __attribute__((noreturn))
child_main(struct fx *f, int sock, const struct trap *traps, unsigned int n,
	   child_fn fn, void *arg)
{
	int i, listener;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	alarm(CHILD_TIMEOUT_S);
	signal(SIGALRM, SIG_DFL);
	/* Do not keep the supervisor's listeners or device alive. */
	close(f->dev);
	for (i = 0; i < f->nt; i++)
		if (f->t[i].listener >= 0)
			close(f->t[i].listener);
	listener = install_filter(traps, n);
	if (listener < 0 || send_fd(sock, listener) < 0)
		_exit(CHILD_SETUP_FAILED);
	close(listener);
	close(sock);
	_exit(fn(arg));
}

struct tracee *spawn_trapped(struct fx *f, const struct trap *traps,
			     unsigned int n, child_fn fn, void *arg)
{
	struct tracee *t;
	int sv[2];
	pid_t pid;

	assert_true(f->nt < MAX_TRACEES);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv),
			 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(sv[0]);
		child_main(f, sv[1], traps, n, fn, arg);
	}
	close(sv[1]);
	t = &f->t[f->nt++];
	t->pid = pid;
	t->listener = recv_fd(sv[0]);
	close(sv[0]);
	if (t->listener < 0)
		fail_msg("child %d could not install its filter (status %d)",
			 pid, reap(t));
	return t;
}

/* A child that does not exit is usually trapped in a syscall nobody
 * expected: say which, instead of hanging until the suite times out. */
static void stuck(struct tracee *t)
{
	struct seccomp_notif n;

	memset(&n, 0, sizeof(n));
	if (t->listener >= 0 && notif_pending(t->listener, 0) &&
	    ioctl(t->listener, SECCOMP_IOCTL_NOTIF_RECV, &n) == 0)
		fail_msg("child %d did not exit: trapped again in syscall %d "
			 "(args 0x%llx 0x%llx)",
			 t->pid, n.data.nr, (unsigned long long)n.data.args[0],
			 (unsigned long long)n.data.args[1]);
	fail_msg("child %d did not exit within %d s", t->pid, REAP_TIMEOUT_S);
}

int reap(struct tracee *t)
{
	struct timespec ts = { 0, 5 * 1000 * 1000 };
	int status, waited;
	pid_t r;

	assert_true(t->pid > 0);
	for (waited = 0;; waited += 5) {
		r = waitpid(t->pid, &status, WNOHANG);
		if (r == t->pid)
			break;
		assert_int_equal(r, 0);
		if (waited >= REAP_TIMEOUT_S * 1000)
			stuck(t);
		nanosleep(&ts, NULL);
	}
	t->pid = 0;
	return status;
}

int reap_exit(struct tracee *t)
{
	int status = reap(t);

	if (!WIFEXITED(status))
		fail_msg("child did not exit normally (status 0x%x)", status);
	return WEXITSTATUS(status);
}

void close_listener(struct tracee *t)
{
	if (t->listener >= 0)
		close(t->listener);
	t->listener = -1;
}
