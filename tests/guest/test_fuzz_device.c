// SPDX-License-Identifier: GPL-2.0
/*
 * test_fuzz_device.c - randomized requests to /dev/seccomp_pin against
 * live notifications.
 *
 * Three trapped processes (4, 3 and 2 threads) loop over syscalls whose
 * pointer arguments are chosen from good and hostile values: valid
 * strings, buffers, sockaddrs and argv arrays, and NULL, unmapped,
 * PROT_NONE, kernel-half, non-canonical, vsyscall, misaligned,
 * read-only, unterminated and over-long ones. The supervisor works in
 * rounds: once every target thread is trapped (and received, except,
 * sometimes, one straggler left pending unreceived), it issues a burst
 * of randomized device calls, then answers some notifications on
 * purpose, so the targets keep moving.
 *
 * Every field of seccomp_pin_request, seccomp_pin_response and the
 * INFO buffer is drawn from interesting values; so are the listener fd
 * (the right one, another process's listener, a dup, a listener whose
 * tasks are gone, non-listener files, closed and absurd numbers), the
 * id (pending, answered, not yet received, another listener's,
 * random), and the pointers to the request itself and to pin.buf.
 *
 * Checked on every call: the errno is one SEMANTICS.md documents for
 * that ioctl; a hostile request pointer gives exactly EFAULT; success
 * only for a received, unanswered notification of that listener (and
 * never twice for a pin); EEXIST only for a pinned one; every output
 * of a successful PIN_ARGS within its limits and equal to the target's
 * memory where the supervisor can see it. Afterwards every target is
 * answered and must exit 0, and INFO live_pins/live_bytes return to
 * their baseline.
 *
 * Length: SPT_FUZZ_CALLS device calls (100000 in `make check`, about
 * 11 s under TCG; 1000000 in `make check-long`). The seed is printed
 * first; with SPT_SEED the same requests are replayed against the same
 * sequence of notifications (see tests/vm/run-long).
 */
#include "hard_common.h"
#include "victim.h"

#include <fcntl.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>

#define NTRACEES 3
#define MAX_THREADS 4
#define NSLOTS 9
#define ROUND_WAIT_MS NOTIF_TIMEOUT_MS
#define FD_LIMIT 1000 /* trapped calls returning [3, FD_LIMIT) are closed */

static const int tracee_threads[NTRACEES] = { 4, 3, 2 };

/* ---- the target's world (set up before fork, valid in children) --- */

#define NNAMES 48
#define NSOCKADDRS 8
#define NARGVS 6
#define NWBUFS 8
#define NBAD 9
#define BIG_ARGC 5000

enum fz_sys {
	S_OPENAT,
	S_OPEN,
	S_WRITE,
	S_PWRITE64,
	S_CONNECT,
	S_BIND,
	S_SENDTO,
	S_EXECVE,
	S_EXECVEAT,
	S_RENAME,
	S_MKDIR,
	S_UNLINK,
	S_NEWFSTATAT,
	S_STATX,
	S_SYMLINK,
	S_WRITEV,
	S_READ,
	S_GETPPID,
	S_NSYS
};

static const long sys_nr[S_NSYS] = {
	__NR_openat,	 __NR_open,   __NR_write,      __NR_pwrite64,
	__NR_connect,	 __NR_bind,   __NR_sendto,     __NR_execve,
	__NR_execveat,	 __NR_rename, __NR_mkdir,      __NR_unlink,
	__NR_newfstatat, __NR_statx,  __NR_symlink,    __NR_writev,
	__NR_read,	 __NR_getppid,
};

struct fz_proc {
	int idx, nthreads;
	volatile pid_t tid[MAX_THREADS];
	volatile unsigned long calls[MAX_THREADS];
};

struct fz_world {
	volatile int stop;
	__u64 seed;
	char dir[64];
	/* fds inherited by every target */
	int fd_ro, fd_wo, fd_rw, fd_null, pipe_r, pipe_w;
	int socks[NTRACEES][MAX_THREADS][4];
	/* pointer pools */
	unsigned long names[NNAMES];
	unsigned long special_paths[4]; /* "", /nonexistent/x, long, misaligned */
	unsigned long sockaddrs[NSOCKADDRS];
	unsigned long argvs[NARGVS];
	unsigned long wbufs[NWBUFS];
	unsigned long iov;
	unsigned long bad[NBAD];
	unsigned long sink; /* output buffers (read, stat) */
	struct fz_proc proc[NTRACEES];
};

/* Regions of the shared area, for the snapshot-content checks. */
#define RW_NAMES 0
#define RW_LONG (64U << 10)
#define RW_SOCK (128U << 10)
#define RW_ARGV (192U << 10)
#define RW_BIGARGV (256U << 10)
#define RW_WBUF (512U << 10)
#define RW_WBUF_SIZE (1U << 20)
#define RW_SINK (3U << 20)
#define RW_SRC_END RW_SINK

static struct hard_mem mem;
static char *argv_edge; /* a page of valid pointers, then a guard */

static void world_init(struct fx *f, struct fz_world *w, __u64 seed)
{
	struct hard_rng r = { seed ^ 0x5eed };
	char *rw = mem.rw;
	char **av;
	unsigned int i, j, k;

	w->seed = seed;
	snprintf(w->dir, sizeof(w->dir), "%s", f->dir);

	/* names: short relative names, never '/' or '.' */
	for (i = 0; i < NNAMES; i++) {
		char *s = rw + RW_NAMES + i * 16;

		s[0] = (char)('a' + i % 26);
		if (i >= 26)
			s[1] = (char)('a' + hard_below(&r, 26));
		w->names[i] = (unsigned long)s;
	}
	strcpy(rw + RW_NAMES + NNAMES * 16, "");
	w->special_paths[0] = (unsigned long)(rw + RW_NAMES + NNAMES * 16);
	strcpy(rw + RW_NAMES + NNAMES * 16 + 16, "/nonexistent/x");
	w->special_paths[1] = (unsigned long)(rw + RW_NAMES + NNAMES * 16 + 16);
	memset(rw + RW_LONG, 'l', 5000);
	w->special_paths[2] = (unsigned long)(rw + RW_LONG);
	strcpy(rw + RW_NAMES + NNAMES * 16 + 49, "mis");
	w->special_paths[3] = (unsigned long)(rw + RW_NAMES + NNAMES * 16 + 49);

	/* sockaddrs */
	for (i = 0; i < NSOCKADDRS; i++) {
		char *p = rw + RW_SOCK + i * 256;
		struct sockaddr_un *un = (void *)p;
		struct sockaddr_in *in = (void *)p;

		w->sockaddrs[i] = (unsigned long)p;
		switch (i) {
		case 0: /* abstract */
		case 1:
			un->sun_family = AF_UNIX;
			snprintf(un->sun_path + 1, 32, "fz-%u-%d", i, getpid());
			break;
		case 2: /* a path in the scratch dir (cwd of the targets) */
			un->sun_family = AF_UNIX;
			strcpy(un->sun_path, "sock");
			break;
		case 3:
			in->sin_family = AF_INET;
			in->sin_port = htons(9);
			in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
			break;
		case 4: /* misaligned copy of an abstract address */
			w->sockaddrs[i] = (unsigned long)(p + 3);
			un = (void *)(p + 3);
			un->sun_family = AF_UNIX;
			strcpy(un->sun_path + 1, "fz-mis");
			break;
		default: /* garbage bytes */
			for (j = 0; j < 256; j++)
				p[j] = (char)hard_next(&r);
			break;
		}
	}

	/* argv arrays */
	av = (char **)(rw + RW_ARGV);
	av[0] = (char *)w->names[0];
	av[1] = (char *)w->names[1];
	av[2] = (char *)w->special_paths[1];
	av[3] = NULL;
	w->argvs[0] = (unsigned long)av;
	av += 8;
	av[0] = NULL; /* empty */
	w->argvs[1] = (unsigned long)av;
	av += 8;
	av[0] = (char *)w->names[2];
	av[1] = mem.unmapped; /* a bad entry */
	av[2] = NULL;
	w->argvs[2] = (unsigned long)av;
	av += 8;
	av[0] = (char *)w->special_paths[2]; /* a 5000-byte string */
	av[1] = NULL;
	w->argvs[3] = (unsigned long)av;
	av = (char **)(rw + RW_BIGARGV); /* more than the default cap */
	for (k = 0; k < BIG_ARGC; k++)
		av[k] = (char *)w->names[k % NNAMES];
	av[BIG_ARGC] = NULL;
	w->argvs[4] = (unsigned long)av;
	/* no terminating NULL before the guard page */
	w->argvs[5] = (unsigned long)(argv_edge + 4096 - 8 * sizeof(char *));

	/* write buffers */
	for (i = 0; i < RW_WBUF_SIZE; i++)
		rw[RW_WBUF + i] = (char)hard_next(&r);
	for (i = 0; i < NWBUFS; i++)
		w->wbufs[i] = (unsigned long)(rw + RW_WBUF + i * 65536 + (i & 3));
	{
		struct iovec *iov = (void *)(rw + RW_SOCK + NSOCKADDRS * 256);

		iov->iov_base = (void *)w->wbufs[0];
		iov->iov_len = 16;
		w->iov = (unsigned long)iov;
	}

	w->bad[0] = 0;
	w->bad[1] = (unsigned long)mem.unmapped;
	w->bad[2] = (unsigned long)mem.prot_none;
	w->bad[3] = HARD_KERNEL_PTR;
	w->bad[4] = HARD_VSYSCALL_PTR;
	w->bad[5] = HARD_NONCANON_PTR;
	w->bad[6] = (unsigned long)mem.ro; /* 4095 bytes + NUL: too long a path */
	w->bad[7] = (unsigned long)mem.ro_nonul; /* unterminated */
	w->bad[8] = (unsigned long)(mem.edge + 4096 - 5); /* runs into a guard */
	w->sink = (unsigned long)(rw + RW_SINK);
}

/* ---- the target threads ------------------------------------------- */

struct fz_thread {
	struct fz_world *w;
	struct fz_proc *p;
	int t;
};

static unsigned long pick_path(struct hard_rng *r, const struct fz_world *w)
{
	unsigned int x = hard_below(r, 100);

	if (x < 55)
		return w->names[hard_below(r, NNAMES)];
	if (x < 70)
		return w->special_paths[hard_below(r, 4)];
	if (x < 97)
		return w->bad[hard_below(r, NBAD)];
	return hard_next(r);
}

static unsigned long pick_buf(struct hard_rng *r, const struct fz_world *w)
{
	unsigned int x = hard_below(r, 100);

	if (x < 70)
		return w->wbufs[hard_below(r, NWBUFS)] + hard_below(r, 4096);
	if (x < 80)
		return w->names[hard_below(r, NNAMES)];
	return w->bad[hard_below(r, NBAD)];
}

static long pick_count(struct hard_rng *r)
{
	static const long counts[] = { 0, 1, 7, 16, 64, 4096, 65536, -1 };

	return hard_chance(r, 80) ? (long)hard_below(r, 512) :
				    HARD_PICK(r, counts);
}

static unsigned long pick_sockaddr(struct hard_rng *r,
				   const struct fz_world *w)
{
	if (hard_chance(r, 80))
		return w->sockaddrs[hard_below(r, NSOCKADDRS)];
	return w->bad[hard_below(r, NBAD)];
}

static long pick_addrlen(struct hard_rng *r)
{
	static const long lens[] = { 0,	  1,   2,   3,	16,	 20, 110,
				     111, 128, 129, 512, -1, 1L << 32 };

	return HARD_PICK(r, lens);
}

static unsigned long pick_argv(struct hard_rng *r, const struct fz_world *w)
{
	if (hard_chance(r, 75))
		return w->argvs[hard_below(r, NARGVS)];
	return w->bad[hard_below(r, NBAD)];
}

static int pick_wfd(struct hard_rng *r, const struct fz_world *w)
{
	/* fd_ro and pipe_r are read-only: pinned writes there must EBADF */
	const int fds[] = { w->fd_ro,	w->fd_wo, w->fd_rw, w->fd_null,
			    w->pipe_w, w->pipe_r, -1,	    9999 };

	return HARD_PICK(r, fds);
}

static bool owned_fd(const struct fz_world *w, long fd)
{
	const int *s = &w->socks[0][0][0];
	size_t i;

	if (fd == w->fd_ro || fd == w->fd_wo || fd == w->fd_rw ||
	    fd == w->fd_null || fd == w->pipe_r || fd == w->pipe_w)
		return true;
	for (i = 0; i < sizeof(w->socks) / sizeof(int); i++)
		if (s[i] == fd)
			return true;
	return false;
}

static long fz_call(struct hard_rng *r, struct fz_world *w, int *socks)
{
	static const long oflags[] = { O_RDONLY,
				       O_WRONLY | O_CREAT,
				       O_RDWR | O_CREAT | O_TRUNC,
				       O_RDONLY | O_DIRECTORY,
				       O_PATH,
				       O_WRONLY | O_CREAT | O_EXCL,
				       O_RDONLY | O_NOFOLLOW };
	static const long atflags[] = { 0, AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH,
					AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW,
					0x7fffffff };
	long a[6] = { 0 };
	int s = (int)hard_below(r, S_NSYS);

	switch (s) {
	case S_OPENAT:
		a[0] = hard_chance(r, 90) ? AT_FDCWD : w->fd_ro;
		a[1] = (long)pick_path(r, w);
		a[2] = HARD_PICK(r, oflags) | O_CLOEXEC | O_NONBLOCK;
		a[3] = 0600;
		break;
	case S_OPEN:
		a[0] = (long)pick_path(r, w);
		a[1] = HARD_PICK(r, oflags) | O_CLOEXEC | O_NONBLOCK;
		a[2] = 0600;
		break;
	case S_WRITE:
	case S_PWRITE64:
		a[0] = pick_wfd(r, w);
		a[1] = (long)pick_buf(r, w);
		a[2] = pick_count(r);
		a[3] = hard_chance(r, 90) ? (long)hard_below(r, 4096) : -1;
		break;
	case S_CONNECT:
	case S_BIND:
		a[0] = socks[hard_below(r, 4)];
		a[1] = (long)pick_sockaddr(r, w);
		a[2] = pick_addrlen(r);
		break;
	case S_SENDTO:
		a[0] = socks[hard_below(r, 4)];
		a[1] = (long)pick_buf(r, w);
		a[2] = hard_below(r, 64);
		a[3] = MSG_DONTWAIT | MSG_NOSIGNAL;
		a[4] = (long)pick_sockaddr(r, w);
		a[5] = pick_addrlen(r);
		break;
	case S_EXECVE:
		a[0] = (long)pick_path(r, w);
		a[1] = (long)pick_argv(r, w);
		a[2] = (long)pick_argv(r, w);
		break;
	case S_EXECVEAT:
		a[0] = hard_chance(r, 80) ? AT_FDCWD : w->fd_ro;
		a[1] = (long)pick_path(r, w);
		a[2] = (long)pick_argv(r, w);
		a[3] = (long)pick_argv(r, w);
		a[4] = HARD_PICK(r, atflags) & (AT_EMPTY_PATH |
						AT_SYMLINK_NOFOLLOW);
		break;
	case S_RENAME:
		a[0] = (long)pick_path(r, w);
		a[1] = hard_chance(r, 20) ? a[0] : (long)pick_path(r, w);
		break;
	case S_MKDIR:
		a[0] = (long)pick_path(r, w);
		a[1] = 0700;
		break;
	case S_UNLINK:
		a[0] = (long)pick_path(r, w);
		break;
	case S_NEWFSTATAT:
		a[0] = hard_chance(r, 80) ? AT_FDCWD : w->fd_ro;
		a[1] = (long)pick_path(r, w);
		a[2] = hard_chance(r, 80) ? (long)w->sink : (long)w->bad[3];
		a[3] = HARD_PICK(r, atflags);
		break;
	case S_STATX:
		a[0] = hard_chance(r, 80) ? AT_FDCWD : w->fd_ro;
		a[1] = (long)pick_path(r, w);
		a[2] = HARD_PICK(r, atflags) & ~0x7ffff000L;
		a[3] = 0x7ff;
		a[4] = hard_chance(r, 80) ? (long)w->sink : (long)w->bad[2];
		break;
	case S_SYMLINK:
		a[0] = (long)pick_path(r, w);
		a[1] = (long)pick_path(r, w);
		break;
	case S_WRITEV:
		a[0] = w->fd_null;
		a[1] = hard_chance(r, 80) ? (long)w->iov : (long)w->bad[1];
		a[2] = 1;
		break;
	case S_READ:
		a[0] = w->fd_ro; /* the only fd whose read is trapped */
		a[1] = hard_chance(r, 80) ? (long)w->sink : (long)w->bad[6];
		a[2] = hard_below(r, 256);
		break;
	default:
		break;
	}
	return syscall(sys_nr[s], a[0], a[1], a[2], a[3], a[4], a[5]);
}

static void *fz_thread_main(void *arg)
{
	struct fz_thread *th = arg;
	struct fz_world *w = th->w;
	struct fz_proc *p = th->p;
	struct hard_rng r = { w->seed ^ ((__u64)(p->idx * 16 + th->t + 1) *
					 0x9e3779b97f4a7c15ULL) };
	int *socks = w->socks[p->idx][th->t];
	char drain[4096];
	long ret;

	p->tid[th->t] = (pid_t)syscall(__NR_gettid);
	while (!w->stop) {
		ret = fz_call(&r, w, socks);
		/* an fd that a (possibly faked) reply handed us */
		if (ret >= 3 && ret < FD_LIMIT && !owned_fd(w, ret))
			close((int)ret);
		while (read(w->pipe_r, drain, sizeof(drain)) > 0)
			;
		/* not fstat(): glibc makes it a (trapped) newfstatat */
		if (lseek(w->fd_rw, 0, SEEK_END) > (1 << 20) &&
		    ftruncate(w->fd_rw, 0))
			break;
		if (lseek(w->fd_wo, 0, SEEK_END) > (1 << 20) &&
		    ftruncate(w->fd_wo, 0))
			break;
		p->calls[th->t]++;
	}
	return NULL;
}

static int fz_target(void *arg)
{
	struct fz_thread *th0 = arg;
	struct fz_thread th[MAX_THREADS];
	pthread_t pt[MAX_THREADS];
	int i;

	signal(SIGPIPE, SIG_IGN);
	alarm(HARD_CHILD_ALARM_S);
	if (chdir(th0->w->dir))
		return 11;
	for (i = 0; i < th0->p->nthreads; i++) {
		th[i] = (struct fz_thread){ th0->w, th0->p, i };
		if (i && pthread_create(&pt[i], NULL, fz_thread_main, &th[i]))
			return 12;
	}
	fz_thread_main(&th[0]);
	for (i = 1; i < th0->p->nthreads; i++)
		pthread_join(pt[i], NULL);
	return 0;
}

/* Every syscall of the table; read only on fd_ro (the drain reads too). */
static unsigned int fz_traps(const struct fz_world *w, struct trap *traps)
{
	unsigned int i, n = 0;

	for (i = 0; i < S_NSYS; i++) {
		if (sys_nr[i] == __NR_read)
			traps[n++] = (struct trap)TRAP64_ARG0(__NR_read,
							      w->fd_ro);
		else
			traps[n++] = (struct trap)TRAP64((int)sys_nr[i]);
	}
	return n;
}

/* ---- the supervisor's view ---------------------------------------- */

struct entry {
	int tr, th; /* tracee, thread */
	struct seccomp_notif n;
	bool pinned;
};

struct stale {
	int tr;
	__u64 id;
};

#define NSTALE 64

/* What a listener-fd choice means. */
enum { FD_LISTENER, FD_DEAD, FD_NOT_LISTENER, FD_BAD };

struct fz {
	struct fx *f;
	struct fz_world *w;
	struct hard_rng r;
	struct tracee *t[NTRACEES];
	int dead_listener, dup_listener; /* dup of t[0]'s */
	int other_fds[12], nother;
	int opath_fd; /* an O_PATH fd */
	int close_fds[32], nclose; /* closed at the end of the run */
	struct entry pool[NSLOTS];
	int npool;
	struct stale stale[NSTALE];
	unsigned int nstale;
	__u64 max_id[NTRACEES];
	int straggler; /* tracee with one unreceived notification, or -1 */
	/* buffers */
	char *req_area; /* 4 pages: misaligned copies; RO page; straddle */
	char *pinbuf; /* 2 MiB + 64 */
	char *self_area; /* 2 MiB: request and buf in one */
	char *ro_buf; /* a read-only page for pin.buf */
	/* figures */
	unsigned long calls, lcalls, rounds, answered, pinned_ok, pinned_sent;
	unsigned long hostile_req, hostile_buf, content_checked;
	struct hard_hist hist[5];
	struct seccomp_pin_info base;
	char last[1024]; /* the last device request, described */
	bool no_addfd_send; /* kernel before 5.14 */
};

static const char *describe_pin(const struct seccomp_pin_request *q, char *out,
				size_t size)
{
	size_t len;
	__u32 i, n = q->pin.nr_args < 6 ? q->pin.nr_args : 6;

	len = (size_t)snprintf(out, size,
			       "{listener_fd %d flags 0x%x pin {id 0x%llx nr_args %u buf_size %u buf 0x%llx",
			       q->listener_fd, q->flags,
			       (unsigned long long)q->pin.id, q->pin.nr_args,
			       q->pin.buf_size, (unsigned long long)q->pin.buf);
	for (i = 0; i < n && len < size; i++) {
		const struct seccomp_pin_arg *a = &q->pin.args[i];

		len += (size_t)snprintf(out + len, size - len,
					" [idx %u kind %u res %u max %u ent %u res2 %u res3 %u]",
					a->arg_idx, a->kind, a->_reserved,
					a->max_bytes, a->max_entries,
					a->_reserved2, a->_reserved3);
	}
	if (len < size)
		snprintf(out + len, size - len, "}}");
	return out;
}

static const char *describe_send(const struct seccomp_pin_response *s,
				 char *out, size_t size)
{
	snprintf(out, size,
		 "{listener_fd %d flags 0x%x resp {id 0x%llx val %lld error %d flags 0x%x}}",
		 s->listener_fd, s->flags, (unsigned long long)s->resp.id,
		 (long long)s->resp.val, s->resp.error, s->resp.flags);
	return out;
}

#define FZ_FAIL(z, fmt, ...)                                              \
	fail_msg("fuzz call %lu (seed 0x%llx): " fmt "\n  last request: %s", \
		 (z)->calls, (unsigned long long)(z)->w->seed, ##__VA_ARGS__,    \
		 (z)->last)

/* ---- the pool of pending notifications ---------------------------- */

static int thread_of(struct fz *z, int tr, __u32 pid)
{
	int i;

	for (i = 0; i < z->w->proc[tr].nthreads; i++)
		if (z->w->proc[tr].tid[i] == (pid_t)pid)
			return i;
	return -1;
}

static void recv_one(struct fz *z, int tr)
{
	struct entry *e = &z->pool[z->npool];

	memset(e, 0, sizeof(*e));
	if (ioctl(z->t[tr]->listener, SECCOMP_IOCTL_NOTIF_RECV, &e->n) < 0)
		FZ_FAIL(z, "NOTIF_RECV on tracee %d: %s", tr, strerror(errno));
	e->tr = tr;
	e->th = thread_of(z, tr, e->n.pid);
	if (e->th < 0)
		FZ_FAIL(z, "notification from unknown thread %u", e->n.pid);
	if (e->n.id > z->max_id[tr] || !z->max_id[tr])
		z->max_id[tr] = e->n.id;
	z->npool++;
}

static int pool_count(struct fz *z, int tr)
{
	int i, n = 0;

	for (i = 0; i < z->npool; i++)
		n += z->pool[i].tr == tr;
	return n;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	return x->tr != y->tr ? x->tr - y->tr : x->th - y->th;
}

/*
 * Receive until every live thread of every tracee is in the pool; the
 * straggler's tracee keeps one notification pending but unreceived.
 */
static void fill_pool(struct fz *z, bool stopping)
{
	long long end = hard_ms() + ROUND_WAIT_MS;
	int tr;

	for (;;) {
		bool full = true;

		for (tr = 0; tr < NTRACEES; tr++) {
			int want = z->w->proc[tr].nthreads;

			if (z->t[tr]->pid <= 0)
				continue;
			if (tr == z->straggler)
				want--;
			while (pool_count(z, tr) < want &&
			       notif_pending(z->t[tr]->listener, 0))
				recv_one(z, tr);
			if (pool_count(z, tr) < want)
				full = false;
		}
		if (full || stopping)
			break;
		if (hard_ms() > end) {
			char what[256];
			size_t len = 0;

			for (tr = 0; tr < NTRACEES; tr++)
				len += (size_t)snprintf(what + len,
							sizeof(what) - len,
							" tracee %d: %d/%d", tr,
							pool_count(z, tr),
							z->w->proc[tr].nthreads);
			FZ_FAIL(z, "targets stopped trapping:%s", what);
		}
		usleep(200);
	}
	/* The straggler must really be pending (trapped, unreceived). */
	if (z->straggler >= 0 && !stopping &&
	    !notif_pending(z->t[z->straggler]->listener, ROUND_WAIT_MS))
		FZ_FAIL(z, "straggler of tracee %d never trapped", z->straggler);
	qsort(z->pool, (size_t)z->npool, sizeof(z->pool[0]), cmp_entry);
}

static void retire(struct fz *z, int i)
{
	z->stale[z->nstale++ % NSTALE] =
		(struct stale){ z->pool[i].tr, z->pool[i].n.id };
	z->pool[i] = z->pool[--z->npool];
	z->answered++;
}

static int find_entry(struct fz *z, int tr, __u64 id)
{
	int i;

	for (i = 0; i < z->npool; i++)
		if (z->pool[i].tr == tr && z->pool[i].n.id == id)
			return i;
	return -1;
}

/* ---- drawing request fields --------------------------------------- */

/* A listener fd for tracee @tr's notification; *what: whose it is. */
static int pick_listener(struct fz *z, int tr, int *what, int *owner)
{
	unsigned int x = hard_below(&z->r, 100);
	static int closed = -1;

	*what = FD_LISTENER;
	if (x < 62) {
		*owner = tr;
		return z->t[tr]->listener;
	}
	if (x < 75) { /* another process's listener (received over a socket) */
		*owner = (tr + 1 + (int)hard_below(&z->r, NTRACEES - 1)) %
			 NTRACEES;
		return z->t[*owner]->listener;
	}
	if (x < 79) {
		*owner = 0;
		return z->dup_listener;
	}
	*owner = -1;
	if (x < 83) {
		*what = FD_DEAD;
		return z->dead_listener;
	}
	if (x < 92) {
		*what = FD_NOT_LISTENER;
		return z->other_fds[hard_below(&z->r, (__u32)z->nother)];
	}
	*what = FD_BAD;
	if (closed < 0) {
		closed = open("/dev/null", O_RDONLY | O_CLOEXEC);
		close(closed);
	}
	{
		const int bad[] = { -1,	     -100,   INT_MIN,	  INT_MAX,
				    1 << 20, closed, z->opath_fd };

		return HARD_PICK(&z->r, bad);
	}
}

/* An id to aim at: mostly @own (the entry's), else a nasty one. */
static __u64 pick_id(struct fz *z, int tr, __u64 own)
{
	unsigned int x = hard_below(&z->r, 100);

	if (x < 10 && z->nstale)
		return z->stale[hard_below(&z->r, z->nstale < NSTALE ?
							  z->nstale :
							  NSTALE)]
			.id;
	if (x < 18)
		return z->max_id[tr] + 1 + hard_below(&z->r, 2);
	if (x < 24)
		return hard_next(&z->r);
	if (x < 27)
		return x & 1 ? 0 : ~0ULL;
	if (x < 32 && z->npool)
		return z->pool[hard_below(&z->r, (__u32)z->npool)].n.id;
	return own;
}

static __u32 pick_max_bytes(struct hard_rng *r)
{
	static const __u32 v[] = { 0,	   1,	  2,	 3,	 4,	 5,
				   7,	   8,	  15,	 16,	 17,	 64,
				   110,	   128,	  4095,	 4096,	 4097,	 65536,
				   1U << 19, (1U << 20) - 1, 1U << 20,
				   (1U << 20) + 1, 0x7fffffff, 0xffffffff };

	if (hard_chance(r, 30))
		return 1 + hard_below(r, 8192);
	return HARD_PICK(r, v);
}

static __u32 pick_max_entries(struct hard_rng *r)
{
	static const __u32 v[] = { 1,
				   2,
				   3,
				   SECCOMP_PIN_DEFAULT_MAX_ENTRIES,
				   SECCOMP_PIN_MAX_ENTRIES,
				   SECCOMP_PIN_MAX_ENTRIES + 1,
				   0xffffffff };

	if (hard_chance(r, 70))
		return 0;
	return hard_chance(r, 20) ? (__u32)hard_next(r) : HARD_PICK(r, v);
}

/* The (arg, kind) pairs a hooked site consumes, per trapped syscall. */
static int plausible_args(long nr, __u8 idx[3], __u8 kind[3])
{
	const __u8 C = SECCOMP_PIN_CSTRING, F = SECCOMP_PIN_FIXED,
		   A = SECCOMP_PIN_CSTRING_ARRAY;

#define SET(n, ...)                                        \
	do {                                               \
		const __u8 _v[] = { __VA_ARGS__ };         \
		int _i;                                    \
		for (_i = 0; _i < (n); _i++) {             \
			idx[_i] = _v[2 * _i];              \
			kind[_i] = _v[2 * _i + 1];         \
		}                                          \
		return (n);                                \
	} while (0)
	switch (nr) {
	case __NR_openat:
	case __NR_newfstatat:
	case __NR_statx:
		SET(1, 1, C);
	case __NR_open:
	case __NR_mkdir:
	case __NR_unlink:
		SET(1, 0, C);
	case __NR_write:
	case __NR_pwrite64:
	case __NR_connect:
	case __NR_bind:
		SET(1, 1, F);
	case __NR_sendto:
		SET(1, 4, F);
	case __NR_execve:
		SET(3, 0, C, 1, A, 2, A);
	case __NR_execveat:
		SET(3, 1, C, 2, A, 3, A);
	case __NR_rename:
	case __NR_symlink:
		SET(2, 0, C, 1, C);
	}
#undef SET
	/* nothing pinnable: something plausible-looking anyway */
	idx[0] = 1;
	kind[0] = SECCOMP_PIN_FIXED;
	return 1;
}

static void gen_pin(struct fz *z, const struct entry *e,
		    struct seccomp_pin_request *q, int *fdwhat, int *owner)
{
	struct hard_rng *r = &z->r;
	__u8 idx[3], kind[3];
	int n, i;

	memset(q, 0, sizeof(*q));
	q->listener_fd = pick_listener(z, e->tr, fdwhat, owner);
	q->pin.id = pick_id(z, e->tr, e->n.id);
	if (hard_chance(r, 4))
		q->flags = hard_chance(r, 50) ? 1 : (__u32)hard_next(r);
	n = plausible_args(e->n.data.nr, idx, kind);
	q->pin.nr_args = 1 + hard_below(r, (__u32)n);
	if (hard_chance(r, 5)) {
		const __u32 v[] = { 0, 7, 8, 255, 0xffffffff };

		q->pin.nr_args = HARD_PICK(r, v);
	}
	for (i = 0; i < SECCOMP_PIN_MAX_ARGS; i++) {
		struct seccomp_pin_arg *a = &q->pin.args[i];
		bool plausible = i < n && hard_chance(r, 85);

		a->arg_idx = plausible ? idx[i] : (__u8)hard_below(r, 8);
		a->kind = plausible ? kind[i] : (__u8)hard_below(r, 4);
		if (hard_chance(r, 2))
			a->arg_idx = (__u8)hard_next(r);
		if (hard_chance(r, 2))
			a->kind = (__u8)hard_next(r);
		a->max_bytes = plausible && hard_chance(r, 60) ?
				       (a->kind == SECCOMP_PIN_FIXED ?
						1 + hard_below(r, 256) :
						PATH_MAX) :
				       pick_max_bytes(r);
		a->max_entries = a->kind == SECCOMP_PIN_CSTRING_ARRAY ||
						 hard_chance(r, 5) ?
					 pick_max_entries(r) :
					 0;
		if (hard_chance(r, 2))
			a->_reserved = (__u16)hard_next(r);
		if (hard_chance(r, 2))
			a->_reserved2 = (__u32)hard_next(r);
		if (hard_chance(r, 2))
			a->_reserved3 = (__u32)hard_next(r);
		if (hard_chance(r, 15)) { /* outputs: ignored on input */
			a->actual_size = (__u32)hard_next(r);
			a->actual_entries = (__u32)hard_next(r);
			a->truncated = (__u32)hard_next(r);
			a->user_addr = hard_next(r);
			a->buf_offset = hard_next(r);
		}
	}
	{
		const __u32 v[] = { 0,	  1,	  4,	   7,	      8,
				    64,	  4096,	  65536,   1U << 20,  2U << 20,
				    (2U << 20) + 64, 0xffffffff };

		q->pin.buf_size = hard_chance(r, 70) ? (2U << 20) :
						       HARD_PICK(r, v);
	}
}

enum buf_kind { B_OK, B_MISALIGNED, B_EDGE, B_SELF, B_RO, B_HOSTILE };

static enum buf_kind place_buf(struct fz *z, struct seccomp_pin_request *q)
{
	unsigned int x = hard_below(&z->r, 100);

	if (x < 75) {
		q->pin.buf = (uintptr_t)z->pinbuf;
		return B_OK;
	}
	if (x < 83) {
		q->pin.buf = (uintptr_t)(z->pinbuf + 1 + hard_below(&z->r, 63));
		return B_MISALIGNED;
	}
	if (x < 87) { /* 8..64 writable bytes, then the guard */
		q->pin.buf = (uintptr_t)(z->req_area + 3 * 4096 - 8 -
					 hard_below(&z->r, 57));
		return B_EDGE;
	}
	if (x < 90)
		return B_SELF;
	if (x < 93) {
		q->pin.buf = (uintptr_t)z->ro_buf;
		return B_RO;
	}
	q->pin.buf = z->w->bad[hard_below(&z->r, 6)];
	if (q->pin.buf == HARD_VSYSCALL_PTR)
		q->pin.buf = HARD_KERNEL_PTR;
	return B_HOSTILE;
}

enum req_kind { RQ_PLAIN, RQ_MISALIGNED, RQ_RO, RQ_HOSTILE };

/*
 * Where the request goes. Hostile: NULL, unmapped, PROT_NONE, kernel,
 * non-canonical, or straddling the end of a mapping.
 */
static enum req_kind pick_req_kind(struct fz *z)
{
	unsigned int x = hard_below(&z->r, 100);

	if (x < 78)
		return RQ_PLAIN;
	if (x < 88)
		return RQ_MISALIGNED;
	if (x < 93)
		return RQ_RO;
	return RQ_HOSTILE;
}

static void *place_req(struct fz *z, enum req_kind k, const void *q,
		       size_t size)
{
	char *p;

	switch (k) {
	case RQ_MISALIGNED:
		p = z->req_area + 1 + hard_below(&z->r, 7);
		memcpy(p, q, size);
		return p;
	case RQ_RO:
		p = z->req_area + 4096;
		assert_int_equal(mprotect(p, 4096, PROT_READ | PROT_WRITE), 0);
		memcpy(p, q, size);
		assert_int_equal(mprotect(p, 4096, PROT_READ), 0);
		return p;
	case RQ_HOSTILE: {
		const unsigned long v[] = {
			0,
			(unsigned long)mem.unmapped,
			(unsigned long)mem.prot_none,
			HARD_KERNEL_PTR,
			HARD_NONCANON_PTR,
			(unsigned long)(z->req_area + 3 * 4096 - size / 2),
		};
		unsigned long a = HARD_PICK(&z->r, v);

		if (a == (unsigned long)(z->req_area + 3 * 4096 - size / 2))
			memcpy((void *)a, q, size / 2);
		return (void *)a;
	}
	default:
		return (void *)q;
	}
}

/* ---- checks of a successful PIN_ARGS ------------------------------ */

static bool in_region(unsigned long a, size_t len, const void *start,
		      size_t size)
{
	unsigned long s = (unsigned long)start;

	return a >= s && a + len >= a && a + len <= s + size;
}

/* May the supervisor read @len bytes at @a (child address, same here)? */
static bool visible(unsigned long a, size_t len)
{
	return in_region(a, len, mem.rw, RW_SRC_END) ||
	       in_region(a, len, mem.ro, 4096) ||
	       in_region(a, len, mem.ro_nonul, 4096) ||
	       in_region(a, len, mem.edge, 4096) ||
	       in_region(a, len, argv_edge, 4096);
}

/* The vsyscall page is readable or not depending on vsyscall=. */
static bool never_readable(unsigned long a)
{
	if (a >= HARD_VSYSCALL_PTR && a < HARD_VSYSCALL_PTR + 4096)
		return false;
	return a < 0x10000 || a >= HARD_NONCANON_PTR ||
	       in_region(a, 1, mem.prot_none, 4096);
}

static void check_array(struct fz *z, const struct seccomp_pin_arg *a,
			const unsigned char *s)
{
	__u32 count, k, off, prev_end;

	if (a->actual_size < 4)
		FZ_FAIL(z, "array snapshot of %u bytes", a->actual_size);
	memcpy(&count, s, 4);
	if (count != a->actual_entries)
		FZ_FAIL(z, "array count %u, actual_entries %u", count,
			a->actual_entries);
	if ((__u64)4 * (count + 1) > a->actual_size)
		FZ_FAIL(z, "array of %u entries in %u bytes", count,
			a->actual_size);
	if (a->max_entries && count > a->max_entries)
		FZ_FAIL(z, "array of %u entries over max_entries %u", count,
			a->max_entries);
	if (!a->max_entries && count > SECCOMP_PIN_DEFAULT_MAX_ENTRIES)
		FZ_FAIL(z, "array of %u entries over the default cap", count);
	prev_end = 4 * (count + 1);
	for (k = 0; k < count; k++) {
		const char *str;
		size_t len;

		memcpy(&off, s + 4 * (k + 1), 4);
		if (off != prev_end || off >= a->actual_size)
			FZ_FAIL(z, "array entry %u at offset %u (expected %u)",
				k, off, prev_end);
		str = (const char *)s + off;
		len = strnlen(str, a->actual_size - off);
		if (len == a->actual_size - off)
			FZ_FAIL(z, "array entry %u not NUL-terminated", k);
		prev_end = off + (__u32)len + 1;
		/* the string the target's array points to, if we see it */
		if (visible(a->user_addr + 8 * k, 8)) {
			unsigned long ptr = *(unsigned long *)(a->user_addr + 8 * k);

			if (visible(ptr, len + 1) && memcmp((void *)ptr, str, len + 1))
				FZ_FAIL(z, "array entry %u differs from target memory",
					k);
			z->content_checked++;
		}
	}
	if (prev_end != a->actual_size)
		FZ_FAIL(z, "array of %u bytes ends at %u", a->actual_size,
			prev_end);
	if (!a->user_addr && (count || a->truncated))
		FZ_FAIL(z, "NULL array gave %u entries", count);
}

/* Snapshot bytes a successful PIN_ARGS copied to its buf. */
static __u64 snapshot_bytes(const struct seccomp_pin_request *q)
{
	__u64 bytes = 0;
	__u32 i;

	for (i = 0; i < q->pin.nr_args && i < SECCOMP_PIN_MAX_ARGS; i++)
		bytes += q->pin.args[i].actual_size;
	return bytes;
}

/*
 * What a FIXED pin of @a reads (docs/SEMANTICS.md): max_bytes, capped by
 * the syscall's own length, a write's count or a sockaddr's addrlen.
 */
static __u64 fixed_want(const struct entry *e, const struct seccomp_pin_arg *a)
{
	const struct seccomp_data *d = &e->n.data;
	__u64 len;

	switch (d->nr) {
	case __NR_write:
	case __NR_pwrite64:
		len = d->args[2];
		break;
	case __NR_bind:
	case __NR_connect:
	case __NR_sendto: {
		int addrlen = (int)d->args[d->nr == __NR_sendto ? 5 : 2];

		len = addrlen < 0 || addrlen > (int)sizeof(struct sockaddr_storage) ?
			      0 :
			      (__u64)addrlen;
		break;
	}
	default:
		len = UINT64_MAX;
	}
	return len < a->max_bytes ? len : a->max_bytes;
}

static void check_pin_outputs(struct fz *z, const struct entry *e,
			      const struct seccomp_pin_request *q,
			      const unsigned char *buf, bool buf_readable)
{
	__u32 i, end = 0;

	for (i = 0; i < q->pin.nr_args; i++) {
		const struct seccomp_pin_arg *a = &q->pin.args[i];
		const unsigned char *s = buf + a->buf_offset;

		if (a->arg_idx >= 6)
			FZ_FAIL(z, "arg %u: arg_idx %u accepted", i, a->arg_idx);
		if (a->actual_size > a->max_bytes)
			FZ_FAIL(z, "arg %u: actual_size %u over max_bytes %u", i,
				a->actual_size, a->max_bytes);
		if (!a->actual_size &&
		    (a->kind != SECCOMP_PIN_FIXED || fixed_want(e, a)))
			FZ_FAIL(z, "arg %u: empty snapshot", i);
		if (a->kind == SECCOMP_PIN_FIXED &&
		    a->actual_size > fixed_want(e, a))
			FZ_FAIL(z, "arg %u: FIXED read %u, more than the syscall's %llu",
				i, a->actual_size,
				(unsigned long long)fixed_want(e, a));
		if (a->buf_offset % SECCOMP_PIN_BUF_ALIGN || a->buf_offset < end)
			FZ_FAIL(z, "arg %u: buf_offset %llu (previous end %u)", i,
				(unsigned long long)a->buf_offset, end);
		end = (__u32)a->buf_offset + a->actual_size;
		if (end > q->pin.buf_size)
			FZ_FAIL(z, "arg %u: ends at %u past buf_size %u", i, end,
				q->pin.buf_size);
		if (a->user_addr != e->n.data.args[a->arg_idx])
			FZ_FAIL(z, "arg %u: user_addr 0x%llx, syscall arg 0x%llx",
				i, (unsigned long long)a->user_addr,
				(unsigned long long)e->n.data.args[a->arg_idx]);
		if (a->truncated & ~(SECCOMP_PIN_TRUNCATED_BYTES |
				     SECCOMP_PIN_TRUNCATED_ENTRIES))
			FZ_FAIL(z, "arg %u: truncated 0x%x", i, a->truncated);
		if (a->kind != SECCOMP_PIN_CSTRING_ARRAY &&
		    (a->actual_entries ||
		     (a->truncated & SECCOMP_PIN_TRUNCATED_ENTRIES)))
			FZ_FAIL(z, "arg %u: entries %u truncated 0x%x on kind %u",
				i, a->actual_entries, a->truncated, a->kind);
		if (a->_reserved || a->_reserved2 || a->_reserved3)
			FZ_FAIL(z, "arg %u: reserved fields accepted", i);
		if (a->kind != SECCOMP_PIN_CSTRING_ARRAY && a->actual_size &&
		    never_readable(a->user_addr))
			FZ_FAIL(z, "arg %u: pinned unreadable 0x%llx", i,
				(unsigned long long)a->user_addr);
		if (!buf_readable)
			continue;
		switch (a->kind) {
		case SECCOMP_PIN_FIXED:
			if ((a->actual_size < fixed_want(e, a)) !=
			    !!(a->truncated & SECCOMP_PIN_TRUNCATED_BYTES))
				FZ_FAIL(z, "arg %u: FIXED %u of %llu (max_bytes %u), truncated 0x%x",
					i, a->actual_size,
					(unsigned long long)fixed_want(e, a),
					a->max_bytes, a->truncated);
			if (visible(a->user_addr, a->actual_size)) {
				if (memcmp(s, (void *)a->user_addr,
					   a->actual_size))
					FZ_FAIL(z, "arg %u: FIXED snapshot differs from target memory",
						i);
				z->content_checked++;
			}
			break;
		case SECCOMP_PIN_CSTRING:
			if (s[a->actual_size - 1] ||
			    strnlen((const char *)s, a->actual_size) !=
				    a->actual_size - 1)
				FZ_FAIL(z, "arg %u: CSTRING of %u bytes not a string",
					i, a->actual_size);
			if ((a->truncated & SECCOMP_PIN_TRUNCATED_BYTES) &&
			    a->actual_size != a->max_bytes)
				FZ_FAIL(z, "arg %u: CSTRING truncated at %u of %u",
					i, a->actual_size, a->max_bytes);
			if (visible(a->user_addr, a->actual_size) &&
			    !((char *)a->user_addr)[a->actual_size - 1] !=
				    !(a->truncated & SECCOMP_PIN_TRUNCATED_BYTES))
				FZ_FAIL(z, "arg %u: CSTRING %u of %u, truncated 0x%x",
					i, a->actual_size, a->max_bytes,
					a->truncated);
			if (visible(a->user_addr, a->actual_size - 1)) {
				if (memcmp(s, (void *)a->user_addr,
					   a->actual_size - 1))
					FZ_FAIL(z, "arg %u: CSTRING snapshot differs from target memory",
						i);
				z->content_checked++;
			}
			break;
		case SECCOMP_PIN_CSTRING_ARRAY:
			check_array(z, a, s);
			break;
		default:
			FZ_FAIL(z, "arg %u: kind %u accepted", i, a->kind);
		}
	}
}

/* ---- one fuzz call of each kind ------------------------------------ */

static int do_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? errno : 0;
}

static void account(struct fz *z, enum hard_op op, int err, const char *what)
{
	hard_hist_add(&z->hist[op], err);
	if (err && !hard_errno_documented(op, err))
		FZ_FAIL(z, "%s returned %s (%d), not a documented errno: %s",
			hard_op_name(op), strerrorname_np(err), err, what);
}

static void fuzz_pin(struct fz *z)
{
	struct entry *e = &z->pool[hard_below(&z->r, (__u32)z->npool)];
	struct seccomp_pin_request q, out;
	enum req_kind rk = pick_req_kind(z);
	enum buf_kind bk;
	int fdwhat, owner, err, ei;
	char desc[1024];
	void *p;

	gen_pin(z, e, &q, &fdwhat, &owner);
	bk = place_buf(z, &q);
	if (bk == B_SELF) {
		/* the snapshots overwrite the request: both in one area */
		q.pin.buf = (uintptr_t)z->self_area;
		memcpy(z->self_area, &q, sizeof(q));
		p = z->self_area;
		rk = RQ_PLAIN;
	} else {
		p = place_req(z, rk, &q, sizeof(q));
	}
	describe_pin(&q, desc, sizeof(desc));
	snprintf(z->last, sizeof(z->last), "PIN_ARGS at %p: %s", p, desc);
	err = do_ioctl(z->f->dev, SECCOMP_PIN_IOC_PIN_ARGS, p);
	z->calls++;
	z->hostile_req += rk == RQ_HOSTILE;
	z->hostile_buf += bk == B_RO || bk == B_HOSTILE;
	account(z, HARD_OP_PIN, err, desc);

	if (rk == RQ_HOSTILE && err != EFAULT)
		FZ_FAIL(z, "PIN_ARGS with request at %p: %s, want EFAULT", p,
			err ? strerrorname_np(err) : "success");
	if (rk == RQ_HOSTILE)
		return;
	/* read in order: request, listener fd, notification, target, buf */
	if (fdwhat == FD_BAD && err != EBADF && err != EINVAL && err != E2BIG)
		FZ_FAIL(z, "PIN_ARGS on a bad fd: %s: %s",
			err ? strerrorname_np(err) : "success", desc);
	if (fdwhat == FD_NOT_LISTENER && err != EINVAL && err != E2BIG)
		FZ_FAIL(z, "PIN_ARGS on a non-listener: %s: %s",
			err ? strerrorname_np(err) : "success", desc);
	if (err == EBUSY)
		FZ_FAIL(z, "EBUSY with no concurrent PIN_ARGS: %s", desc);
	ei = owner >= 0 ? find_entry(z, owner, q.pin.id) : -1;
	if (err == EEXIST && (ei < 0 || !z->pool[ei].pinned))
		FZ_FAIL(z, "EEXIST for an unpinned notification: %s", desc);
	if (err)
		return;

	/* success */
	if (ei < 0)
		FZ_FAIL(z, "PIN_ARGS succeeded on no pending notification of that listener: %s",
			desc);
	if (z->pool[ei].pinned)
		FZ_FAIL(z, "second pin succeeded: %s", desc);
	memcpy(&out, p, sizeof(out));
	if (rk == RQ_RO)
		FZ_FAIL(z, "PIN_ARGS succeeded with unwritable request: %s",
			desc);
	/* An unwritable buf is fine only if nothing was written to it. */
	if ((bk == B_RO || bk == B_HOSTILE) && snapshot_bytes(&out))
		FZ_FAIL(z, "PIN_ARGS succeeded with unwritable buf: %s", desc);
	z->pool[ei].pinned = true;
	z->pinned_ok++;
	if (bk == B_SELF) {
		/* only the outputs' limits: the snapshot bytes were overwritten */
		check_pin_outputs(z, &z->pool[ei], &out, NULL, false);
		return;
	}
	check_pin_outputs(z, &z->pool[ei], &out,
			  (const unsigned char *)(uintptr_t)out.pin.buf, true);
}

static __u32 pick_resp_flags(struct hard_rng *r)
{
	const __u32 v[] = { 0,
			    SECCOMP_USER_NOTIF_FLAG_CONTINUE,
			    SECCOMP_USER_NOTIF_FLAG_CONTINUE_PINNED,
			    SECCOMP_USER_NOTIF_FLAG_CONTINUE |
				    SECCOMP_USER_NOTIF_FLAG_CONTINUE_PINNED,
			    4,
			    SECCOMP_USER_NOTIF_FLAG_CONTINUE | 4,
			    0x80000000 };

	return hard_chance(r, 10) ? (__u32)hard_next(r) : HARD_PICK(r, v);
}

static void fill_resp(struct hard_rng *r, struct seccomp_notif_resp *resp)
{
	const __s32 errs[] = { 0, -EPERM, -EACCES, -ENOSYS, -1, -4095, 1, 0 };
	const __s64 vals[] = { 0, 0, 1 << 20, -1, 12345678, 1LL << 40 };

	resp->flags = pick_resp_flags(r);
	resp->error = hard_chance(r, 10) ? (__s32)hard_next(r) :
					   HARD_PICK(r, errs);
	resp->val = hard_chance(r, 5) ? (__s64)hard_next(r) : HARD_PICK(r, vals);
	if (resp->flags & SECCOMP_USER_NOTIF_FLAG_CONTINUE &&
	    hard_chance(r, 80)) {
		resp->error = 0;
		resp->val = 0;
	}
	/* faked return values must never look like one of the target's fds */
	if (resp->val >= 0 && resp->val < FD_LIMIT && resp->val != 0)
		resp->val = 1 << 20;
	if (resp->error > 0 && resp->error < FD_LIMIT)
		resp->error = -EPERM;
}

/* A reply that reached notification @ei; false if it must not have. */
static bool reply_allowed(struct fz *z, int ei, __u32 flags)
{
	if (ei < 0)
		return false;
	if (flags & SECCOMP_USER_NOTIF_FLAG_CONTINUE_PINNED)
		return z->pool[ei].pinned;
	return true;
}

static void fuzz_send(struct fz *z)
{
	struct entry *e = &z->pool[hard_below(&z->r, (__u32)z->npool)];
	struct seccomp_pin_response s;
	enum req_kind rk = pick_req_kind(z);
	int fdwhat, owner, err, ei;
	char desc[256];
	void *p;

	memset(&s, 0, sizeof(s));
	s.listener_fd = pick_listener(z, e->tr, &fdwhat, &owner);
	if (hard_chance(&z->r, 4))
		s.flags = (__u32)hard_next(&z->r) | 1;
	s.resp.id = pick_id(z, e->tr, e->n.id);
	fill_resp(&z->r, &s.resp);
	p = place_req(z, rk, &s, sizeof(s));
	describe_send(&s, desc, sizeof(desc));
	snprintf(z->last, sizeof(z->last), "SEND at %p: %s", p, desc);
	err = do_ioctl(z->f->dev, SECCOMP_PIN_IOC_SEND, p);
	z->calls++;
	z->hostile_req += rk == RQ_HOSTILE;
	account(z, HARD_OP_SEND, err, desc);
	if (rk == RQ_HOSTILE && err != EFAULT)
		FZ_FAIL(z, "SEND with response at %p: %s, want EFAULT", p,
			err ? strerrorname_np(err) : "success");
	if ((fdwhat == FD_BAD || fdwhat == FD_NOT_LISTENER) && !err)
		FZ_FAIL(z, "SEND succeeded on a non-listener: %s", desc);
	if (err)
		return;
	ei = owner >= 0 ? find_entry(z, owner, s.resp.id) : -1;
	if (!reply_allowed(z, ei, s.resp.flags))
		FZ_FAIL(z, "SEND succeeded for no pending%s notification: %s",
			s.resp.flags & SECCOMP_USER_NOTIF_FLAG_CONTINUE_PINNED ?
				" pinned" :
				"",
			desc);
	z->pinned_sent += !!(s.resp.flags &
			     SECCOMP_USER_NOTIF_FLAG_CONTINUE_PINNED);
	retire(z, ei);
}

static void fuzz_info(struct fz *z)
{
	struct seccomp_pin_info info;
	enum req_kind rk = pick_req_kind(z);
	int err, i, pinned = 0;
	void *p;

	memset(&info, 0xa5, sizeof(info));
	p = place_req(z, rk, &info, sizeof(info));
	snprintf(z->last, sizeof(z->last), "INFO at %p", p);
	err = do_ioctl(z->f->dev, SECCOMP_PIN_IOC_INFO, p);
	z->calls++;
	account(z, HARD_OP_INFO, err, "INFO");
	if ((rk == RQ_HOSTILE || rk == RQ_RO) && err != EFAULT)
		FZ_FAIL(z, "INFO into %p: %s, want EFAULT", p,
			err ? strerrorname_np(err) : "success");
	if (err)
		return;
	memcpy(&info, p, sizeof(info));
	for (i = 0; i < z->npool; i++)
		pinned += z->pool[i].pinned;
	if (info.abi_version != SECCOMP_PIN_ABI_VERSION ||
	    info.kinds != 7 || info.max_args != SECCOMP_PIN_MAX_ARGS ||
	    info.max_arg_bytes != SECCOMP_PIN_MAX_ARG_BYTES ||
	    info.max_total_bytes != SECCOMP_PIN_MAX_TOTAL_BYTES ||
	    info.default_max_entries != SECCOMP_PIN_DEFAULT_MAX_ENTRIES ||
	    info.max_entries != SECCOMP_PIN_MAX_ENTRIES ||
	    info.figures != SECCOMP_PIN_FIGURES_GLOBAL ||
	    info.max_user_bytes > info.max_module_bytes ||
	    info.live_pins < (__u64)pinned)
		FZ_FAIL(z, "INFO: abi %u kinds 0x%x live_pins %llu (pinned here %d) figures %u max_user_bytes %llu",
			info.abi_version, info.kinds,
			(unsigned long long)info.live_pins, pinned,
			info.figures,
			(unsigned long long)info.max_user_bytes);
}

/*
 * PINNABLE with random contents: EINVAL for non-zero flags or reserved
 * words, otherwise an answer of at most SECCOMP_PIN_MAX_ARGS entries.
 */
static void fuzz_pinnable(struct fz *z, char *junk)
{
	struct seccomp_pin_pinnable *p = (struct seccomp_pin_pinnable *)junk;
	bool valid;
	size_t i;
	int err;

	for (i = 0; i < sizeof(*p); i++)
		junk[i] = (char)hard_next(&z->r);
	if (hard_chance(&z->r, 70))
		p->flags = p->_reserved = 0;
	if (hard_chance(&z->r, 50))
		p->nr = (int)hard_below(&z->r, 512);
	valid = !p->flags && !p->_reserved;
	err = do_ioctl(z->f->dev, SECCOMP_PIN_IOC_PINNABLE, p);
	z->calls++;
	if (err != (valid ? 0 : EINVAL) ||
	    (!err && p->nr_args > SECCOMP_PIN_MAX_ARGS))
		FZ_FAIL(z, "PINNABLE nr %d: %s, nr_args %u", p->nr,
			err ? strerrorname_np(err) : "success", p->nr_args);
	hard_hist_add(&z->hist[HARD_OP_OTHER], err);
}

/*
 * SET_RULES with random tables (half of them plausible rules), and
 * RECV_PIN only where it cannot receive: the fuzzer's own notifications
 * must stay where its model expects them.
 */
static void fuzz_rules(struct fz *z, char *junk, size_t junk_size)
{
	struct seccomp_pin_rule *rule = (struct seccomp_pin_rule *)junk;
	const size_t max_rules = junk_size / sizeof(*rule);
	struct seccomp_pin_rules req;
	struct seccomp_pin_recv rv;
	size_t i, j;
	int err;

	for (i = 0; i < junk_size; i++)
		junk[i] = (char)hard_next(&z->r);
	memset(&req, 0, sizeof(req));
	req.nr_rules = (__u32)hard_below(&z->r, max_rules + 1);
	if (hard_chance(&z->r, 5))
		req.nr_rules = (__u32)hard_next(&z->r);
	if (hard_chance(&z->r, 10))
		req.flags = (__u32)hard_next(&z->r);
	req.rules = (__u64)(uintptr_t)junk;
	if (hard_chance(&z->r, 5))
		req.rules = 8; /* unmapped */
	for (i = 0; i < max_rules; i++) {
		if (!hard_chance(&z->r, 50))
			continue;
		memset(&rule[i], 0, sizeof(rule[i]));
		rule[i].nr = (int)hard_below(&z->r, 340);
		rule[i].nr_args = 1 + hard_below(&z->r, 2);
		for (j = 0; j < rule[i].nr_args; j++) {
			rule[i].args[j].arg_idx = (__u8)hard_below(&z->r, 6);
			rule[i].args[j].kind = (__u8)hard_below(&z->r, 3);
			rule[i].args[j].max_bytes = 1 + hard_below(&z->r, 8192);
		}
	}
	snprintf(z->last, sizeof(z->last), "SET_RULES %u", req.nr_rules);
	err = do_ioctl(z->f->dev, SECCOMP_PIN_IOC_SET_RULES, &req);
	z->calls++;
	/* ENOMEM: the failslab pass of make check-debug. */
	if (err && err != EINVAL && err != E2BIG && err != EOPNOTSUPP &&
	    err != EFAULT && err != ENOMEM)
		FZ_FAIL(z, "SET_RULES of %u rules: %s", req.nr_rules,
			strerrorname_np(err));
	hard_hist_add(&z->hist[HARD_OP_OTHER], err);

	memset(&rv, 0, sizeof(rv));
	rv.listener_fd = z->f->dev; /* not a listener */
	rv.flags = hard_chance(&z->r, 50) ? (__u32)hard_next(&z->r) | 2 : 0;
	rv.notif = (__u64)(uintptr_t)junk;
	err = do_ioctl(z->f->dev, SECCOMP_PIN_IOC_RECV_PIN, &rv);
	z->calls++;
	if (err != EINVAL)
		FZ_FAIL(z, "RECV_PIN without a listener: %s, want EINVAL",
			err ? strerrorname_np(err) : "success");
	hard_hist_add(&z->hist[HARD_OP_OTHER], err);
}

/* Another command on the device: never a VFS-generic one. */
static void fuzz_other(struct fz *z)
{
	char junk[1024];
	unsigned long cmd;
	unsigned int type;
	int err;

	do {
		if (hard_chance(&z->r, 60))
			cmd = _IOC(hard_below(&z->r, 4), SECCOMP_PIN_IOC_MAGIC,
				   hard_below(&z->r, 8), hard_below(&z->r, 512));
		else
			cmd = (__u32)hard_next(&z->r);
		type = _IOC_TYPE(cmd);
	} while (cmd == SECCOMP_PIN_IOC_INFO ||
		 cmd == SECCOMP_PIN_IOC_PIN_ARGS ||
		 cmd == SECCOMP_PIN_IOC_SEND || type == 0 || type == 'T' ||
		 type == 'X' || type == 'f' || type == 0x94 || type == 0x15);
	if (cmd == SECCOMP_PIN_IOC_SET_RULES ||
	    cmd == SECCOMP_PIN_IOC_RECV_PIN || hard_chance(&z->r, 10)) {
		fuzz_rules(z, junk, sizeof(junk));
		return;
	}
	/* The table query takes any caller: worth more than chance hits. */
	if (cmd == SECCOMP_PIN_IOC_PINNABLE || hard_chance(&z->r, 20)) {
		fuzz_pinnable(z, junk);
		return;
	}
	memset(junk, 0, sizeof(junk));
	snprintf(z->last, sizeof(z->last), "ioctl 0x%lx", cmd);
	err = do_ioctl(z->f->dev, cmd, junk);
	z->calls++;
	if (err != ENOTTY)
		FZ_FAIL(z, "ioctl 0x%lx on the device: %s, want ENOTTY", cmd,
			err ? strerrorname_np(err) : "success");
	hard_hist_add(&z->hist[HARD_OP_OTHER], err);
}

/* seccomp's own NOTIF_SEND, racing the device's view of the same ids. */
static void fuzz_listener_send(struct fz *z)
{
	struct entry *e = &z->pool[hard_below(&z->r, (__u32)z->npool)];
	struct seccomp_notif_resp resp;
	int fdwhat, owner, fd, err, ei;

	fd = pick_listener(z, e->tr, &fdwhat, &owner);
	if (fdwhat != FD_LISTENER)
		return;
	memset(&resp, 0, sizeof(resp));
	resp.id = pick_id(z, e->tr, e->n.id);
	fill_resp(&z->r, &resp);
	err = do_ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	z->lcalls++;
	account(z, HARD_OP_LSEND, err, "listener NOTIF_SEND");
	if (err)
		return;
	ei = find_entry(z, owner, resp.id);
	if (ei < 0 || resp.flags & ~SECCOMP_USER_NOTIF_FLAG_CONTINUE)
		FZ_FAIL(z, "listener NOTIF_SEND succeeded: id 0x%llx flags 0x%x",
			(unsigned long long)resp.id, resp.flags);
	retire(z, ei);
}

/* Rewrite a letter of a name between calls (never a NUL or a '/'). */
static void flip(struct fz *z)
{
	char *s = (char *)z->w->names[hard_below(&z->r, NNAMES)];

	s[hard_below(&z->r, s[1] ? 2 : 1)] = (char)('a' + hard_below(&z->r, 26));
}

/* ---- answering on purpose ------------------------------------------ */

static void answer(struct fz *z, int i, bool deny_only)
{
	struct entry *e = &z->pool[i];
	struct tracee *t = z->t[e->tr];
	unsigned int x = hard_below(&z->r, 100);
	const char *how;
	int ret;

	if (e->pinned && !deny_only && x < 60) {
		how = "CONTINUE|PINNED";
		ret = seccomp_pin_continue_pinned(z->f->dev, t->listener,
						  e->n.id);
		z->pinned_sent += ret == 0;
	} else if (deny_only || x < 70) {
		how = "deny";
		ret = pin_send(z->f, t, e->n.id, 0, -EPERM, 0);
	} else if (x < 78) {
		how = "listener deny";
		ret = send_resp(t->listener, e->n.id, 0, -EACCES, 0);
	} else if (x < 86) {
		how = "CONTINUE";
		ret = pin_send(z->f, t, e->n.id,
			       SECCOMP_USER_NOTIF_FLAG_CONTINUE, 0, 0);
	} else if (x < 92) {
		how = "listener CONTINUE";
		ret = send_resp(t->listener, e->n.id,
				SECCOMP_USER_NOTIF_FLAG_CONTINUE, 0, 0);
	} else if (x < 96) {
		how = "value";
		ret = pin_send(z->f, t, e->n.id, 0, 0, 1 << 20);
	} else {
		struct seccomp_notif_addfd add = {
			.id = e->n.id,
			.flags = SECCOMP_ADDFD_FLAG_SEND,
			.srcfd = (__u32)z->w->fd_null,
		};

		how = "ADDFD|SEND";
		ret = -EINVAL;
		if (!z->no_addfd_send)
			ret = ioctl(t->listener, SECCOMP_IOCTL_NOTIF_ADDFD,
				    &add) < 0 ?
				      -errno :
				      0;
		if (ret == -EINVAL) {
			/* before 5.14: no ADDFD_FLAG_SEND; deny instead */
			z->no_addfd_send = true;
			how = "deny (no ADDFD|SEND)";
			ret = pin_send(z->f, t, e->n.id, 0, -EPERM, 0);
		}
	}
	z->lcalls++;
	if (ret)
		FZ_FAIL(z, "answering tracee %d thread %d (syscall %d, %spinned) with %s: %s",
			e->tr, e->th, e->n.data.nr, e->pinned ? "" : "not ",
			how, strerror(-ret));
	retire(z, i);
}

static void answer_some(struct fz *z)
{
	int i, before = (int)z->answered;

	for (i = z->npool - 1; i >= 0; i--)
		if (hard_chance(&z->r, 45))
			answer(z, i, false);
	if ((int)z->answered == before && z->npool)
		answer(z, (int)hard_below(&z->r, (__u32)z->npool), false);
}

/* ---- setup and the main loop --------------------------------------- */

static int exit_at_once(void *arg)
{
	(void)arg;
	return 0;
}

static int zfd(struct fz *z, int fd)
{
	assert_true(fd >= 0);
	assert_true(z->nclose < (int)(sizeof(z->close_fds) / sizeof(int)));
	z->close_fds[z->nclose++] = fd;
	return fd;
}

static void make_fds(struct fz *z)
{
	int p[2], i = 0;

	z->other_fds[i++] = zfd(z, open("/dev/null", O_RDWR | O_CLOEXEC));
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	z->other_fds[i++] = zfd(z, p[0]);
	z->other_fds[i++] = zfd(z, p[1]);
	z->other_fds[i++] =
		zfd(z, socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
	z->other_fds[i++] = z->f->dev;
	z->other_fds[i++] = zfd(z, eventfd(0, EFD_CLOEXEC));
	z->other_fds[i++] = zfd(z, memfd_create("fz", MFD_CLOEXEC));
	/* unusable for ioctl, like a closed fd: EBADF */
	z->opath_fd = zfd(z, open("/", O_PATH | O_CLOEXEC));
	z->other_fds[i++] = zfd(z, epoll_create1(EPOLL_CLOEXEC));
	z->other_fds[i++] =
		zfd(z, open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	z->other_fds[i++] =
		zfd(z, (int)syscall(__NR_pidfd_open, z->t[0]->pid, 0));
	z->nother = i;
}

static void world_fds(struct fz *z, struct fz_world *w)
{
	struct fx *f = z->f;
	char path[PATH_MAX];
	int p[2], tr, t, k;
	const int types[4] = { SOCK_DGRAM, SOCK_STREAM, SOCK_DGRAM, SOCK_STREAM };

	snprintf(path, sizeof(path), "%s/F_ro", f->dir);
	write_file(path, "read-only file\n");
	w->fd_ro = zfd(z, open(path, O_RDONLY));
	snprintf(path, sizeof(path), "%s/F_wo", f->dir);
	w->fd_wo = zfd(z, open(path, O_WRONLY | O_CREAT | O_APPEND, 0600));
	snprintf(path, sizeof(path), "%s/F_rw", f->dir);
	w->fd_rw = zfd(z, open(path, O_RDWR | O_CREAT, 0600));
	w->fd_null = zfd(z, open("/dev/null", O_WRONLY));
	assert_int_equal(pipe2(p, O_NONBLOCK), 0);
	w->pipe_r = zfd(z, p[0]);
	w->pipe_w = zfd(z, p[1]);
	/* The targets' sockets: many fds, closed by exiting children. */
	for (tr = 0; tr < NTRACEES; tr++)
		for (t = 0; t < MAX_THREADS; t++)
			for (k = 0; k < 4; k++) {
				w->socks[tr][t][k] = socket(
					k < 2 ? AF_UNIX : AF_INET,
					types[k] | SOCK_NONBLOCK, 0);
				assert_true(w->socks[tr][t][k] >= 0);
			}
}

static void world_fds_close(struct fz_world *w)
{
	const int *s = &w->socks[0][0][0];
	size_t i;

	for (i = 0; i < sizeof(w->socks) / sizeof(int); i++)
		close(s[i]);
}

static void run_fuzz(struct fx *f, long calls_wanted)
{
	struct fz *z = calloc(1, sizeof(*z));
	struct fz_world *w;
	struct fz_thread th0[NTRACEES];
	struct trap traps[S_NSYS];
	unsigned int ntraps;
	long long start, end_ms;
	int tr, i;

	assert_non_null(z);
	z->f = f;
	z->straggler = -1;
	hard_mem_init(&mem);
	argv_edge = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(argv_edge != MAP_FAILED);
	assert_int_equal(mprotect(argv_edge + 4096, 4096, PROT_NONE), 0);
	w = shm_alloc(f, sizeof(*w));
	z->w = w;
	z->r.s = hard_seed("fuzz_device");
	world_init(f, w, z->r.s);
	for (i = 0; i < 512; i++)
		((char **)argv_edge)[i] = (char *)w->names[i % NNAMES];
	world_fds(z, w);
	ntraps = fz_traps(w, traps);

	z->req_area = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(z->req_area != MAP_FAILED);
	assert_int_equal(mprotect(z->req_area + 3 * 4096, 4096, PROT_NONE), 0);
	z->pinbuf = mmap(NULL, (2U << 20) + 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	z->self_area = mmap(NULL, (2U << 20) + 4096, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	z->ro_buf = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
	assert_true(z->pinbuf != MAP_FAILED && z->self_area != MAP_FAILED &&
		    z->ro_buf != MAP_FAILED);

	assert_ret(hard_info(f->dev, &z->base), 0);
	{ /* a listener whose only task is gone */
		struct tracee *dead = spawn_trapped(f, traps, ntraps,
						    exit_at_once, NULL);

		assert_int_equal(reap_exit(dead), 0);
		z->dead_listener = dead->listener;
	}
	for (tr = 0; tr < NTRACEES; tr++) {
		w->proc[tr].idx = tr;
		w->proc[tr].nthreads = tracee_threads[tr];
		th0[tr] = (struct fz_thread){ w, &w->proc[tr], 0 };
		z->t[tr] = spawn_trapped(f, traps, ntraps, fz_target,
					 &th0[tr]);
	}
	world_fds_close(w);
	z->dup_listener = zfd(z, fcntl(z->t[0]->listener, F_DUPFD_CLOEXEC, 0));
	make_fds(z);

	start = hard_ms();
	while ((long)z->calls < calls_wanted) {
		int k, burst;

		/*
		 * Hold back a tracee's one missing notification: only where
		 * exactly one is missing, so which one is known and a seed
		 * replays the same pool.
		 */
		z->straggler = hard_chance(&z->r, 20) ?
				       (int)hard_below(&z->r, NTRACEES) :
				       -1;
		if (z->straggler >= 0 &&
		    pool_count(z, z->straggler) !=
			    w->proc[z->straggler].nthreads - 1)
			z->straggler = -1;
		fill_pool(z, false);
		z->rounds++;
		burst = 5 + (int)hard_below(&z->r, 40);
		for (k = 0; k < burst && z->npool; k++) {
			unsigned int x = hard_below(&z->r, 100);

			if (x < 52)
				fuzz_pin(z);
			else if (x < 78)
				fuzz_send(z);
			else if (x < 85)
				fuzz_info(z);
			else if (x < 90)
				fuzz_other(z);
			else if (x < 95)
				fuzz_listener_send(z);
			else
				flip(z);
		}
		answer_some(z);
	}
	end_ms = hard_ms();

	/* Stop: answer (deny) everything until every target has exited. */
	w->stop = 1;
	z->straggler = -1;
	{
		long long deadline = hard_ms() + 30000;
		int alive;

		do {
			fill_pool(z, true);
			while (z->npool)
				answer(z, z->npool - 1, true);
			alive = 0;
			for (tr = 0; tr < NTRACEES; tr++) {
				int st;

				if (z->t[tr]->pid <= 0)
					continue;
				if (waitpid(z->t[tr]->pid, &st, WNOHANG) ==
				    z->t[tr]->pid) {
					z->t[tr]->pid = 0;
					if (!WIFEXITED(st) || WEXITSTATUS(st))
						FZ_FAIL(z, "tracee %d ended with status 0x%x",
							tr, st);
				} else {
					alive++;
				}
			}
			if (alive && hard_ms() > deadline)
				FZ_FAIL(z, "%d tracees did not finish after stop",
					alive);
			if (alive)
				usleep(500);
		} while (alive);
	}
	hard_assert_counters(f->dev, &z->base, "after the fuzz run");
	{
		unsigned long tcalls = 0;
		int t;

		for (tr = 0; tr < NTRACEES; tr++)
			for (t = 0; t < w->proc[tr].nthreads; t++)
				tcalls += w->proc[tr].calls[t];
		print_message("fuzz_device: %lu device calls (+%lu on listeners) in %lld ms, %lu rounds, %lu trapped calls answered (%lu completed), %lu pins, %lu CONTINUE_PINNED, %lu hostile requests, %lu hostile bufs, %lu snapshots compared\n",
			      z->calls, z->lcalls, end_ms - start, z->rounds,
			      z->answered, tcalls, z->pinned_ok, z->pinned_sent,
			      z->hostile_req, z->hostile_buf, z->content_checked);
	}
	hard_hist_print("fuzz_device PIN_ARGS", &z->hist[HARD_OP_PIN]);
	hard_hist_print("fuzz_device SEND", &z->hist[HARD_OP_SEND]);
	hard_hist_print("fuzz_device INFO", &z->hist[HARD_OP_INFO]);
	hard_hist_print("fuzz_device other ioctls", &z->hist[HARD_OP_OTHER]);
	hard_hist_print("fuzz_device listener NOTIF_SEND",
			&z->hist[HARD_OP_LSEND]);
	print_message("fuzz_device: counters back to baseline (live_pins %llu, live_bytes %llu)\n",
		      (unsigned long long)z->base.live_pins,
		      (unsigned long long)z->base.live_bytes);
	for (i = 0; i < z->nclose; i++)
		close(z->close_fds[i]);
	munmap(z->req_area, 4 * 4096);
	munmap(z->pinbuf, (2U << 20) + 4096);
	munmap(z->self_area, (2U << 20) + 4096);
	munmap(z->ro_buf, 8192);
	munmap(argv_edge, 8192);
	hard_mem_fini(&mem);
	free(z);
}

static void test_fuzz_device_requests(void **state)
{
	long calls = hard_param("SPT_FUZZ_CALLS", 100000);

	hard_alarm((unsigned int)(120 + calls / 200));
	run_fuzz(*state, calls);
}

/* ---- fixed regressions the fuzzer found ----------------------------- */

/*
 * A pinned write on an fd not open for writing: the unpinned syscall
 * fails with EBADF in vfs_write(); the pinned one must too, without
 * reaching kernel_write() (whose WARN_ON_ONCE panics a panic_on_warn
 * kernel).
 */
static void pinned_write_readonly(struct fx *f, long nr)
{
	const char *file = tpath(f, nr == __NR_write ? "ro-w" : "ro-pw");
	struct victim v;
	long a[6] = { 0 };
	char *buf = shm_alloc(f, 16);

	write_file(file, "0123456789abcdef");
	memset(buf, 'x', 16);
	a[0] = fx_fd(f, open(file, O_RDONLY));
	a[1] = (long)buf;
	a[2] = 16;
	victim_raw(f, &v, nr, a);
	assert_ret(pin1(f, v.t, v.n.id, 1, SECCOMP_PIN_FIXED, 16, NULL), 0);
	continue_pinned(f, v.t, v.n.id);
	assert_int_equal(reap_exit(v.t), 0);
	assert_int_equal(v.c->ret[0], -1);
	assert_int_equal(v.c->err[0], EBADF);
}

static void test_pinned_write_on_readonly_fd_is_ebadf(void **state)
{
	pinned_write_readonly(*state, __NR_write);
}

static void test_pinned_pwrite_on_readonly_fd_is_ebadf(void **state)
{
	pinned_write_readonly(*state, __NR_pwrite64);
}

/* A pipe's read end: same rule, a different file type. */
static void test_pinned_write_on_pipe_read_end_is_ebadf(void **state)
{
	struct fx *f = *state;
	struct victim v;
	long a[6] = { 0 };
	char *buf = shm_alloc(f, 16);
	int p[2];

	assert_int_equal(pipe(p), 0);
	fx_fd(f, p[0]);
	fx_fd(f, p[1]);
	a[0] = p[0];
	a[1] = (long)buf;
	a[2] = 16;
	victim_raw(f, &v, __NR_write, a);
	assert_ret(pin1(f, v.t, v.n.id, 1, SECCOMP_PIN_FIXED, 16, NULL), 0);
	continue_pinned(f, v.t, v.n.id);
	assert_int_equal(reap_exit(v.t), 0);
	assert_int_equal(v.c->err[0], EBADF);
}

/*
 * CSTRING_ARRAY with max_bytes < 4: not even the count fits, so no
 * snapshot can respect the cap: EINVAL (never 4 bytes written into a
 * smaller allocation and reported as actual_size > max_bytes).
 */
static void test_array_max_bytes_below_header_is_einval(void **state)
{
	struct fx *f = *state;
	struct seccomp_pin_request req;
	struct victim v;
	__u32 m;

	victim_execve(f, &v);
	for (m = 1; m < 4; m++) {
		victim_request(f, &v, &req);
		req.pin.args[0].max_bytes = m;
		assert_ret(raw_pin(f, &req), -EINVAL);
	}
	/* 4 bytes: the count alone (0, truncated) */
	victim_request(f, &v, &req);
	req.pin.args[0].arg_idx = 2; /* envp */
	req.pin.args[0].max_bytes = 4;
	assert_ret(raw_pin(f, &req), 0);
	assert_int_equal(req.pin.args[0].actual_size, 4);
	victim_deny(f, &v);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_pinned_write_on_readonly_fd_is_ebadf),
		T(test_pinned_pwrite_on_readonly_fd_is_ebadf),
		T(test_pinned_write_on_pipe_read_end_is_ebadf),
		T(test_array_max_bytes_below_header_is_einval),
		T(test_fuzz_device_requests),
	};

	/* the seed must reach the log even if the kernel dies next */
	setvbuf(stdout, NULL, _IOLBF, 0);
	hard_params_to_env();
	apply_test_filter();
	return cmocka_run_group_tests_name("fuzz_device", tests, NULL, NULL);
}
