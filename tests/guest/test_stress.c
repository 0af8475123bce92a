// SPDX-License-Identifier: GPL-2.0
/*
 * test_stress.c - concurrency stress.
 *
 * Eight target processes of four threads each loop over openat, write
 * and connect; a flipper thread in each keeps rewriting the bytes behind
 * every pointer (the path's last letter, the write buffer's payload, the
 * abstract socket name), so a syscall that re-read user memory after the
 * supervisor's decision would show it. Three supervisor threads per
 * listener race on the same notification ids: the one that receives a
 * notification publishes it, pins it or answers it plainly; the others
 * pick published ids and throw PIN_ARGS, CONTINUE_PINNED through SEND,
 * plain CONTINUE or a deny through SEND, and the listener's own
 * NOTIF_SEND at them.
 *
 * Invariants: every errno is one that SEMANTICS.md gives for that race
 * (any other fails the test); every CONTINUE_PINNED that won consumed
 * exactly the bytes of the one snapshot taken for that notification
 * (the opened file's contents are its path, the received datagram is
 * the written buffer, getpeername() is the connected address); INFO
 * live_pins and live_bytes are back to the baseline at the end.
 *
 * Second test: the per-listener cap (max_listener_bytes) under
 * concurrency: four supervisor threads pin 48 pending 0.5-1 MiB writes
 * of two listeners at once; each listener's successful reservations stay
 * within its cap, every EDQUOT was a request that could not fit.
 *
 * Length: SPT_STRESS_SECONDS (6 here, 60 in `make check-long`).
 */
#include "hard_common.h"

#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>

#define NPROC 8
#define NTH 4
#define NSLOT (NPROC * NTH)
#define NSUP 3 /* supervisor threads per listener */
#define MAXSEQ 65536 /* calls per thread; about 4 min alone under TCG */
#define PATHLEN 128
#define WLEN 64
#define NRECENT 8

enum kind { K_OPENAT, K_WRITE, K_CONNECT, NKINDS };

/* ---- shared with the targets ---------------------------------------- */

struct slot {
	volatile pid_t tid;
	volatile __u32 seq; /* the call in flight */
	volatile int kind;
	char path[PATHLEN]; /* ".../fA" or ".../fB" */
	unsigned char wbuf[WLEN]; /* [slot][seq] then payload */
	struct sockaddr_un addr; /* "\0st-<pid>-A" or "-B" */
	socklen_t addrlen;
	int sv[2]; /* datagram socketpair: write side, read side */
};

struct st_shared {
	volatile int stop;
	__u64 seed;
	struct slot slot[NSLOT];
	__u64 got[NSLOT][MAXSEQ]; /* what the call consumed (hash | 1) */
	unsigned char kind[NSLOT][MAXSEQ]; /* which syscall it was */
};

static __u64 fnv(const void *p, size_t n)
{
	const unsigned char *b = p;
	__u64 h = 0xcbf29ce484222325ULL;

	while (n--)
		h = (h ^ *b++) * 0x100000001b3ULL;
	return h | 1; /* never 0: 0 means "nothing recorded" */
}

#define GOT_FAILED 2ULL /* even: never a hash */

struct tgt {
	struct st_shared *sh;
	int proc;
	int t; /* thread index, or -1 for the flipper */
	volatile int *done; /* this process's threads are finished */
};

static void *target_thread(void *arg)
{
	struct tgt *a = arg;
	struct st_shared *sh = a->sh;
	int si = a->proc * NTH + a->t;
	struct slot *s = &sh->slot[si];
	struct hard_rng r = { sh->seed ^ ((__u64)(si + 1) << 32) };
	unsigned char buf[PATHLEN * 2];
	__u32 seq;

	s->tid = (pid_t)syscall(__NR_gettid);
	for (seq = 1; !sh->stop && seq < MAXSEQ; seq++) {
		int kind = (int)hard_below(&r, NKINDS);
		__u64 got = GOT_FAILED;
		long ret;

		s->kind = kind;
		s->seq = seq;
		sh->kind[si][seq] = (unsigned char)kind;
		if (kind == K_OPENAT) {
			ret = syscall(__NR_openat, AT_FDCWD, s->path,
				      O_RDONLY | O_CLOEXEC);
			if (ret >= 0) {
				ssize_t n = read((int)ret, buf, sizeof(buf));

				if (n > 0)
					got = fnv(buf, (size_t)n);
				close((int)ret);
			}
		} else if (kind == K_WRITE) {
			memcpy(s->wbuf, &si, 4);
			memcpy(s->wbuf + 4, &seq, 4);
			ret = syscall(__NR_write, s->sv[0], s->wbuf, WLEN);
			if (ret > 0) {
				ssize_t n = recv(s->sv[1], buf, sizeof(buf),
						 MSG_DONTWAIT);

				if (n > 0)
					got = fnv(buf, (size_t)n);
			}
		} else {
			int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
			struct sockaddr_un peer;
			socklen_t len = sizeof(peer);

			ret = syscall(__NR_connect, fd, &s->addr, s->addrlen);
			if (!ret && !getpeername(fd, (struct sockaddr *)&peer,
						 &len))
				got = fnv(&peer, len);
			close(fd);
		}
		sh->got[si][seq] = got;
	}
	return NULL;
}

/* Keeps rewriting what every slot of this process points at. */
static void *flipper(void *arg)
{
	struct tgt *a = arg;
	struct st_shared *sh = a->sh;
	unsigned int i = 0;

	while (!sh->stop && !*a->done) {
		struct slot *s = &sh->slot[a->proc * NTH + (i % NTH)];
		char c = (i / NTH) & 1 ? 'A' : 'B';
		size_t plen = strlen(s->path);

		s->path[plen - 1] = c;
		memset(s->wbuf + 8, c, WLEN - 8);
		s->addr.sun_path[s->addrlen - offsetof(struct sockaddr_un,
						       sun_path) - 1] = c;
		if (++i % 64 == 0)
			sched_yield();
	}
	return NULL;
}

static int target_main(void *arg)
{
	struct tgt *a0 = arg;
	struct tgt a[NTH + 1];
	pthread_t th[NTH + 1];
	volatile int done = 0;
	int rx[2], i;

	alarm(HARD_CHILD_ALARM_S);
	/* the two connect targets, bound by this process */
	for (i = 0; i < 2; i++) {
		struct sockaddr_un sa = a0->sh->slot[a0->proc * NTH].addr;
		socklen_t len = a0->sh->slot[a0->proc * NTH].addrlen;

		sa.sun_path[len - offsetof(struct sockaddr_un, sun_path) - 1] =
			i ? 'B' : 'A';
		rx[i] = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (rx[i] < 0 || bind(rx[i], (struct sockaddr *)&sa, len))
			return 20;
	}
	for (i = 0; i <= NTH; i++) {
		a[i] = (struct tgt){ a0->sh, a0->proc, i < NTH ? i : -1,
				     &done };
		if (pthread_create(&th[i], NULL,
				   i < NTH ? target_thread : flipper, &a[i]))
			return 21;
	}
	for (i = 0; i < NTH; i++)
		pthread_join(th[i], NULL);
	done = 1; /* also when its threads ran out of seq numbers */
	pthread_join(th[NTH], NULL);
	return 0;
}

/* ---- supervisors ---------------------------------------------------- */

struct rec {
	__u64 id;
	int slot, kind;
	__u32 seq;
	__u64 arg2; /* connect's addrlen */
};

struct lst {
	struct tracee *t;
	int proc;
	pthread_mutex_t m;
	struct rec recent[NRECENT];
	unsigned int nrecent;
};

enum act { A_PIN, A_PINNED, A_CONT, A_LCONT, A_DENY, A_LDENY, A_INFO, NACTS };

static const char *const act_name[NACTS] = {
	"PIN_ARGS", "SEND CONTINUE|PINNED", "SEND CONTINUE", "NOTIF_SEND CONTINUE",
	"SEND deny", "NOTIF_SEND deny", "INFO"
};

struct st {
	struct fx *f;
	struct st_shared *sh;
	struct tracee tr[NPROC]; /* reaped here, not by the fixture */
	struct lst l[NPROC];
	volatile int sup_stop;
	__u64 *expect; /* [NSLOT][MAXSEQ]: hash of the pinned snapshot */
	unsigned char *won; /* [NSLOT][MAXSEQ]: a CONTINUE_PINNED was delivered */
	pthread_mutex_t err_m;
	char err[512];
	atomic_ulong hist[NACTS][134];
	atomic_ulong received;
	atomic_ulong efault_gone; /* EFAULT for a notification since gone */
};

struct sup {
	struct st *st;
	struct lst *l;
	int idx;
	pthread_t th;
	char buf[4096];
};

static void record_error(struct st *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void record_error(struct st *st, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&st->err_m);
	if (!st->err[0]) {
		va_start(ap, fmt);
		vsnprintf(st->err, sizeof(st->err), fmt, ap);
		va_end(ap);
	}
	pthread_mutex_unlock(&st->err_m);
	st->sup_stop = 1;
}

/* The errnos a race on a received notification may give, per action. */
static bool race_errno_ok(enum act a, int err)
{
	switch (a) {
	case A_PIN:
		return err == EEXIST || err == EBUSY || err == ENOENT ||
		       err == EINPROGRESS;
	case A_PINNED: /* EINVAL: no pin attached (yet, or any more) */
		return err == EINVAL || err == ENOENT || err == EINPROGRESS;
	case A_INFO:
		return false;
	default:
		return err == ENOENT || err == EINPROGRESS;
	}
}

static int do_act(struct sup *s, const struct rec *r, enum act a)
{
	struct st *st = s->st;
	struct fx *f = st->f;
	int lfd = s->l->t->listener, err = 0;
	size_t at = (size_t)r->slot * MAXSEQ + r->seq;

	switch (a) {
	case A_PIN: {
		struct seccomp_notif_pin_args p;

		pin_init(&p, r->id, s->buf, sizeof(s->buf));
		if (r->kind == K_OPENAT)
			pin_add(&p, 1, SECCOMP_PIN_CSTRING, PATHLEN);
		else if (r->kind == K_WRITE)
			pin_add(&p, 1, SECCOMP_PIN_FIXED, WLEN);
		else
			pin_add(&p, 1, SECCOMP_PIN_FIXED, (__u32)r->arg2);
		err = -seccomp_pin_args(f->dev, lfd, &p);
		/*
		 * The snapshot is taken after the lookup: if the notification
		 * was answered meanwhile and its thread exited (the targets
		 * stop at the end), there is no memory left to read. Fine
		 * only if the notification is indeed gone.
		 */
		if (err == EFAULT &&
		    ioctl(lfd, SECCOMP_IOCTL_NOTIF_ID_VALID, &r->id) < 0) {
			atomic_fetch_add(&st->efault_gone, 1);
			err = ENOENT;
		}
		if (!err) {
			/* the bytes the syscall must consume */
			size_t n = p.args[0].actual_size;

			if (r->kind == K_OPENAT)
				n--; /* the file holds the path, no NUL */
			st->expect[at] = fnv(s->buf, n);
		}
		break;
	}
	case A_PINNED:
		err = -seccomp_pin_continue_pinned(f->dev, lfd, r->id);
		if (!err)
			st->won[at] = 1;
		break;
	case A_CONT:
		err = -pin_send(f, s->l->t, r->id,
				SECCOMP_USER_NOTIF_FLAG_CONTINUE, 0, 0);
		break;
	case A_LCONT:
		err = -send_resp(lfd, r->id, SECCOMP_USER_NOTIF_FLAG_CONTINUE,
				 0, 0);
		break;
	case A_DENY:
		err = -pin_send(f, s->l->t, r->id, 0, -EPERM, 0);
		break;
	case A_LDENY:
		err = -send_resp(lfd, r->id, 0, -EACCES, 0);
		break;
	case A_INFO: {
		struct seccomp_pin_info info;

		err = -hard_info(f->dev, &info);
		break;
	}
	default:
		break;
	}
	atomic_fetch_add(&st->hist[a][err > 0 && err < 134 ? err : 0], 1);
	if (err && (!hard_errno_documented(a == A_PIN ? HARD_OP_PIN :
					   a == A_INFO	 ? HARD_OP_INFO :
					   a == A_LCONT || a == A_LDENY ?
							   HARD_OP_LSEND :
							   HARD_OP_SEND,
					   err) ||
		    !race_errno_ok(a, err)))
		record_error(st, "%s on id 0x%llx (slot %d seq %u): %s", act_name[a],
			     (unsigned long long)r->id, r->slot, r->seq,
			     strerrorname_np(err));
	return err;
}

static int slot_of(struct st *st, int proc, __u32 pid)
{
	int i;

	for (i = 0; i < NTH; i++)
		if (st->sh->slot[proc * NTH + i].tid == (pid_t)pid)
			return proc * NTH + i;
	return -1;
}

static const long kind_nr[NKINDS] = { __NR_openat, __NR_write, __NR_connect };

/* Received: publish it, then handle it as its owner until answered. */
static void own(struct sup *s, struct hard_rng *r, const struct seccomp_notif *n)
{
	struct st *st = s->st;
	struct lst *l = s->l;
	struct rec rec;
	unsigned int x;
	int err;

	rec.id = n->id;
	rec.slot = slot_of(st, l->proc, n->pid);
	if (rec.slot < 0) {
		record_error(st, "notification from unknown thread %u", n->pid);
		return;
	}
	rec.seq = st->sh->slot[rec.slot].seq;
	rec.kind = st->sh->slot[rec.slot].kind;
	rec.arg2 = n->data.args[2];
	if (kind_nr[rec.kind] != n->data.nr || rec.seq >= MAXSEQ) {
		record_error(st, "slot %d: syscall %d, expected %ld", rec.slot,
			     n->data.nr, kind_nr[rec.kind]);
		return;
	}
	pthread_mutex_lock(&l->m);
	l->recent[l->nrecent++ % NRECENT] = rec;
	pthread_mutex_unlock(&l->m);
	atomic_fetch_add(&st->received, 1);

	x = hard_below(r, 100);
	if (x < 75) {
		if (!do_act(s, &rec, A_PIN) || hard_chance(r, 50))
			do_act(s, &rec, A_PINNED);
	} else if (x < 85) {
		do_act(s, &rec, hard_chance(r, 50) ? A_CONT : A_LCONT);
	} else {
		do_act(s, &rec, hard_chance(r, 50) ? A_DENY : A_LDENY);
	}
	/* whatever happened, it is answered now */
	err = -send_resp(l->t->listener, rec.id,
			 SECCOMP_USER_NOTIF_FLAG_CONTINUE, 0, 0);
	if (err && err != ENOENT && err != EINPROGRESS)
		record_error(st, "final NOTIF_SEND: %s", strerrorname_np(err));
}

static void *sup_main(void *arg)
{
	struct sup *s = arg;
	struct st *st = s->st;
	struct lst *l = s->l;
	struct hard_rng r = { st->sh->seed ^ ((__u64)(l->proc * NSUP + s->idx + 1)
					      << 40) };
	struct seccomp_notif n;

	while (!st->sup_stop) {
		if (!l->nrecent || hard_chance(&r, 45)) {
			if (!notif_pending(l->t->listener, 20))
				continue;
			memset(&n, 0, sizeof(n));
			/* may block if a sibling took it: SIGUSR1 ends it */
			if (ioctl(l->t->listener, SECCOMP_IOCTL_NOTIF_RECV, &n)) {
				if (errno != EINTR && errno != ENOENT)
					record_error(st, "NOTIF_RECV: %s",
						     strerrorname_np(errno));
				continue;
			}
			own(s, &r, &n);
		} else {
			struct rec rec;
			unsigned int x = hard_below(&r, 100);

			pthread_mutex_lock(&l->m);
			rec = l->recent[hard_below(&r, l->nrecent < NRECENT ?
								l->nrecent :
								NRECENT)];
			pthread_mutex_unlock(&l->m);
			do_act(s, &rec,
			       x < 35 ? A_PIN :
			       x < 65 ? A_PINNED :
			       x < 73 ? A_CONT :
			       x < 81 ? A_LCONT :
			       x < 87 ? A_DENY :
			       x < 93 ? A_LDENY :
					A_INFO);
		}
	}
	return NULL;
}

static void on_usr1(int sig)
{
	(void)sig;
}

static void stop_threads(struct sup *sups, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		while (pthread_tryjoin_np(sups[i].th, NULL)) {
			pthread_kill(sups[i].th, SIGUSR1);
			usleep(2000);
		}
	}
}

static void test_stress_racing_supervisors(void **state)
{
	struct fx *f = *state;
	long seconds = hard_param("SPT_STRESS_SECONDS", 6);
	struct st *st = calloc(1, sizeof(*st));
	struct sup *sups = calloc(NPROC * NSUP, sizeof(*sups));
	struct seccomp_pin_info base;
	struct tgt a0[NPROC];
	struct sigaction sa;
	unsigned long wins = 0, checked_calls = 0, exhausted = 0;
	long long start, ran;
	int p, i, k;

	assert_non_null(st);
	assert_non_null(sups);
	hard_alarm((unsigned int)(180 + seconds * 2));
	st->f = f;
	pthread_mutex_init(&st->err_m, NULL);
	st->sh = mmap(NULL, sizeof(*st->sh), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	st->expect = calloc((size_t)NSLOT * MAXSEQ, sizeof(*st->expect));
	st->won = calloc((size_t)NSLOT * MAXSEQ, 1);
	assert_true(st->sh != MAP_FAILED && st->expect && st->won);
	st->sh->seed = hard_seed("stress");
	assert_ret(hard_info(f->dev, &base), 0);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1; /* no SA_RESTART: a blocked RECV returns */
	sigaction(SIGUSR1, &sa, NULL);

	/* files whose contents are their own paths */
	for (k = 0; k < 2; k++) {
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s/f%c", f->dir, k ? 'B' : 'A');
		write_file(path, path);
	}
	for (i = 0; i < NSLOT; i++) {
		struct slot *s = &st->sh->slot[i];

		snprintf(s->path, sizeof(s->path), "%s/fA", f->dir);
		s->addr.sun_family = AF_UNIX;
		snprintf(s->addr.sun_path + 1, sizeof(s->addr.sun_path) - 1,
			 "st-%d-%d-A", getpid(), i / NTH);
		s->addrlen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
					 1 + strlen(s->addr.sun_path + 1));
		assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, s->sv), 0);
	}

	{
		const struct trap traps[] = { TRAP64(__NR_openat),
					      TRAP64(__NR_write),
					      TRAP64(__NR_connect) };

		for (p = 0; p < NPROC; p++) {
			a0[p] = (struct tgt){ st->sh, p, 0, NULL };
			st->l[p].proc = p;
			pthread_mutex_init(&st->l[p].m, NULL);
			/* the fixture holds 4 tracees; these are reaped here */
			st->tr[p] = *spawn_trapped(f, traps, 3, target_main,
						   &a0[p]);
			st->l[p].t = &st->tr[p];
			f->nt--;
		}
	}
	for (i = 0; i < NSLOT; i++) {
		close(st->sh->slot[i].sv[0]);
		close(st->sh->slot[i].sv[1]);
	}

	start = hard_ms();
	for (p = 0; p < NPROC; p++)
		for (i = 0; i < NSUP; i++) {
			struct sup *s = &sups[p * NSUP + i];

			*s = (struct sup){ .st = st, .l = &st->l[p], .idx = i };
			assert_int_equal(pthread_create(&s->th, NULL, sup_main, s),
					 0);
		}
	while (hard_ms() - start < seconds * 1000 && !st->sup_stop)
		usleep(50 * 1000);
	ran = hard_ms() - start;

	/* stop the targets while the supervisors still answer */
	st->sh->stop = 1;
	{
		long long end = hard_ms() + 30000;
		int alive;

		do {
			alive = 0;
			for (p = 0; p < NPROC; p++) {
				int stt;

				if (st->l[p].t->pid <= 0)
					continue;
				if (waitpid(st->l[p].t->pid, &stt, WNOHANG) ==
				    st->l[p].t->pid) {
					st->l[p].t->pid = 0;
					if (!WIFEXITED(stt) || WEXITSTATUS(stt))
						record_error(st, "target %d ended with 0x%x",
							     p, stt);
				} else {
					alive++;
				}
			}
			if (alive)
				usleep(2000);
		} while (alive && hard_ms() < end && !st->err[0]);
		if (alive && !st->err[0])
			record_error(st, "%d targets did not finish", alive);
	}
	st->sup_stop = 1;
	stop_threads(sups, NPROC * NSUP);
	for (p = 0; p < NPROC; p++) {
		if (st->l[p].t->pid > 0) {
			kill(st->l[p].t->pid, SIGKILL);
			waitpid(st->l[p].t->pid, NULL, 0);
		}
		close(st->l[p].t->listener);
	}
	if (st->err[0])
		fail_msg("stress (seed 0x%llx): %s",
			 (unsigned long long)st->sh->seed, st->err);

	/* every pinned CONTINUE consumed exactly the pinned bytes */
	for (i = 0; i < NSLOT; i++) {
		__u32 seq;

		for (seq = 1; seq < MAXSEQ; seq++) {
			size_t at = (size_t)i * MAXSEQ + seq;
			__u64 got = st->sh->got[i][seq];

			if (!st->won[at])
				continue;
			if (!st->expect[at])
				fail_msg("slot %d seq %u: CONTINUE_PINNED delivered but no pin recorded",
					 i, seq);
			if (got != st->expect[at])
				fail_msg("slot %d seq %u (%s): consumed bytes %s the pinned snapshot (seed 0x%llx)",
					 i, seq,
					 st->sh->kind[i][seq] == K_OPENAT ? "openat" :
					 st->sh->kind[i][seq] == K_WRITE ? "write" :
									   "connect",
					 got == GOT_FAILED ? "missing: the call failed, not" :
							     "differ from",
					 (unsigned long long)st->sh->seed);
			wins++;
		}
		for (seq = 1; seq < MAXSEQ; seq++)
			checked_calls += st->sh->got[i][seq] != 0;
		exhausted += st->sh->got[i][MAXSEQ - 1] != 0;
	}
	hard_assert_counters(f->dev, &base, "after the stress run");
	print_message("stress: %lld ms, %d targets x %d threads, %d supervisor threads per listener, %lu notifications, %lu calls completed, %lu pinned CONTINUEs checked byte for byte, %lu EFAULT for notifications gone meanwhile\n",
		      ran, NPROC, NTH, NSUP, (unsigned long)st->received,
		      checked_calls, wins, (unsigned long)st->efault_gone);
	if (exhausted)
		print_message("stress: %lu target threads ran out of sequence numbers (%d calls) before the end\n",
			      exhausted, MAXSEQ - 1);
	for (k = 0; k < NACTS; k++) {
		struct hard_hist h;
		int e;

		memset(&h, 0, sizeof(h));
		h.ok = st->hist[k][0];
		for (e = 1; e < 134; e++)
			h.err[e] = st->hist[k][e];
		{
			char what[64];

			snprintf(what, sizeof(what), "stress %s", act_name[k]);
			hard_hist_print(what, &h);
		}
	}
	assert_true(wins > 0);
	signal(SIGUSR1, SIG_DFL);
	munmap(st->sh, sizeof(*st->sh));
	free(st->expect);
	free(st->won);
	free(st);
	free(sups);
}

/* ---- the per-listener cap under concurrency ------------------------ */

#define CAP_THREADS 24
#define CAP_SUPS 4

static void *cap_writer(void *arg)
{
	struct op_ctx *c = arg;
	int i;

	for (i = 0; i < c->calls; i++)
		syscall(__NR_write, c->a[0], c->a[1], c->a[2]);
	return NULL;
}

static int cap_target(void *arg)
{
	pthread_t th[CAP_THREADS];
	int i;

	alarm(HARD_CHILD_ALARM_S);
	for (i = 0; i < CAP_THREADS; i++)
		if (pthread_create(&th[i], NULL, cap_writer, arg))
			return 10;
	for (i = 0; i < CAP_THREADS; i++)
		pthread_join(th[i], NULL);
	return 0;
}

struct cap_job {
	struct tracee *t;
	__u64 id;
	__u32 bytes;
	int ret;
};

struct cap_ctx {
	struct fx *f;
	struct cap_job jobs[2 * CAP_THREADS];
	atomic_int next;
	pthread_barrier_t go;
	char *bufs[CAP_SUPS];
};

struct cap_sup {
	struct cap_ctx *c;
	int idx;
};

static void *cap_sup_main(void *arg)
{
	struct cap_sup *s = arg;
	struct cap_ctx *c = s->c;
	int j;

	pthread_barrier_wait(&c->go);
	while ((j = atomic_fetch_add(&c->next, 1)) < 2 * CAP_THREADS) {
		struct cap_job *job = &c->jobs[j];
		struct seccomp_notif_pin_args p;

		pin_init(&p, job->id, c->bufs[s->idx], SECCOMP_PIN_MAX_ARG_BYTES);
		pin_add(&p, 1, SECCOMP_PIN_FIXED, job->bytes);
		job->ret = seccomp_pin_args(c->f->dev, job->t->listener, &p);
	}
	return NULL;
}

static void test_listener_cap_under_concurrency(void **state)
{
	static const __u32 sizes[] = { 512U << 10, 768U << 10, 1U << 20,
				       1U << 20 };
	struct fx *f = *state;
	long rounds = hard_param("SPT_CAP_ROUNDS", 3);
	struct cap_ctx *c = calloc(1, sizeof(*c));
	struct op_ctx *oc = shm_alloc(f, sizeof(*oc));
	char *big = shm_alloc(f, SECCOMP_PIN_MAX_ARG_BYTES);
	struct hard_rng r = { hard_seed("listener cap") };
	struct seccomp_pin_info info, base;
	struct tracee *t[2];
	unsigned long edquot = 0, ok = 0;
	long round;
	int i, k;

	assert_non_null(c);
	hard_alarm((unsigned int)(120 + rounds * 40));
	c->f = f;
	assert_ret(hard_info(f->dev, &base), 0);
	assert_ret(hard_info(f->dev, &info), 0);
	memset(big, 'c', SECCOMP_PIN_MAX_ARG_BYTES);
	oc->a[0] = fx_fd(f, open("/dev/null", O_WRONLY));
	oc->a[1] = (long)big;
	oc->a[2] = SECCOMP_PIN_MAX_ARG_BYTES;
	oc->calls = (int)rounds;
	for (i = 0; i < CAP_SUPS; i++) {
		c->bufs[i] = mmap(NULL, SECCOMP_PIN_MAX_ARG_BYTES,
				  PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		assert_true(c->bufs[i] != MAP_FAILED);
	}
	{
		const struct trap tr[] = { TRAP64_ARG0(__NR_write, oc->a[0]) };

		for (k = 0; k < 2; k++)
			t[k] = spawn_trapped(f, tr, 1, cap_target, oc);
	}
	for (round = 0; round < rounds; round++) {
		struct cap_sup sups[CAP_SUPS];
		pthread_t th[CAP_SUPS];
		struct seccomp_notif n;
		__u64 held[2] = { 0, 0 };
		unsigned long round_ok = 0;

		/* every thread of both targets trapped and received */
		for (k = 0; k < 2; k++)
			for (i = 0; i < CAP_THREADS; i++) {
				struct cap_job *job = &c->jobs[k * CAP_THREADS + i];

				recv_notif(t[k], &n);
				*job = (struct cap_job){ t[k], n.id,
							 HARD_PICK(&r, sizes), 0 };
			}
		/* interleave the listeners' jobs */
		for (i = 0; i < 2 * CAP_THREADS; i++) {
			int j = (int)hard_below(&r, 2 * CAP_THREADS);
			struct cap_job tmp = c->jobs[i];

			c->jobs[i] = c->jobs[j];
			c->jobs[j] = tmp;
		}
		atomic_store(&c->next, 0);
		pthread_barrier_init(&c->go, NULL, CAP_SUPS);
		for (i = 0; i < CAP_SUPS; i++) {
			sups[i] = (struct cap_sup){ c, i };
			assert_int_equal(pthread_create(&th[i], NULL,
							cap_sup_main, &sups[i]),
					 0);
		}
		for (i = 0; i < CAP_SUPS; i++)
			pthread_join(th[i], NULL);
		pthread_barrier_destroy(&c->go);

		for (i = 0; i < 2 * CAP_THREADS; i++) {
			struct cap_job *job = &c->jobs[i];

			k = job->t == t[1];
			if (!job->ret) {
				held[k] += job->bytes;
				round_ok++;
				ok++;
			} else if (job->ret == -EDQUOT) {
				edquot++;
			} else {
				fail_msg("round %ld: PIN_ARGS of %u bytes: %s", round,
					 job->bytes, strerror(-job->ret));
			}
		}
		for (k = 0; k < 2; k++)
			if (held[k] > info.max_listener_bytes)
				fail_msg("round %ld: listener %d holds %llu bytes over its cap %llu",
					 round, k, (unsigned long long)held[k],
					 (unsigned long long)info.max_listener_bytes);
		/* a refused request could not have fitted even at the end */
		for (i = 0; i < 2 * CAP_THREADS; i++) {
			struct cap_job *job = &c->jobs[i];

			k = job->t == t[1];
			if (job->ret == -EDQUOT &&
			    held[k] + job->bytes <= info.max_listener_bytes)
				fail_msg("round %ld: EDQUOT for %u bytes with %llu held of %llu",
					 round, job->bytes,
					 (unsigned long long)held[k],
					 (unsigned long long)info.max_listener_bytes);
		}
		{
			struct seccomp_pin_info now;

			assert_ret(hard_info(f->dev, &now), 0);
			assert_true(now.live_bytes - base.live_bytes <=
				    held[0] + held[1]);
			assert_int_equal(now.live_pins - base.live_pins,
					 round_ok);
		}
		/* answer all: the pins go, the next round starts empty */
		for (i = 0; i < 2 * CAP_THREADS; i++)
			reply_errno(c->jobs[i].t, c->jobs[i].id, EPERM);
		hard_assert_counters(f->dev, &base, "after a cap round");
	}
	for (k = 0; k < 2; k++)
		assert_int_equal(reap_exit(t[k]), 0);
	for (i = 0; i < CAP_SUPS; i++)
		munmap(c->bufs[i], SECCOMP_PIN_MAX_ARG_BYTES);
	print_message("listener cap: %ld rounds, 4 threads pinning 48 pending writes of 2 listeners at once: %lu pinned, %lu EDQUOT, never over %llu bytes per listener\n",
		      rounds, ok, edquot,
		      (unsigned long long)info.max_listener_bytes);
	assert_true(edquot > 0);
	free(c);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_stress_racing_supervisors),
		T(test_listener_cap_under_concurrency),
	};

	setvbuf(stdout, NULL, _IOLBF, 0);
	hard_params_to_env();
	apply_test_filter();
	return cmocka_run_group_tests_name("stress", tests, NULL, NULL);
}
