// SPDX-License-Identifier: GPL-2.0
/*
 * test_killable_read.c - PIN_ARGS reads the target's memory killably,
 * whatever backs it (issue #12 item 6).
 *
 * The trapped openat's path points into the target's mapping of a file
 * on a FUSE mount served by this suite: a minimal server on /dev/fuse
 * (no libfuse) that answers INIT, LOOKUP, GETATTR, OPEN and, per test,
 * holds READ unanswered, answers it late or fails it. Seccomp passes
 * only the pointer, so the supervisor's read is the page's first
 * toucher: it sends the READ (readahead, FUSE_ASYNC_READ) and waits for
 * the locked page. PIN_ARGS runs in a child so that a hang is a child
 * to kill, not the suite: SIGKILL must end it within KILL_WAIT_MS.
 *
 * Needs /dev/fuse: built in on Debian's 6.12, loaded by the harness
 * (fuse.ko from the image package) on 6.1; skipped without it.
 */
#include "common.h"

#include <fcntl.h>
#include <linux/fuse.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>

#include "victim.h"

#define FILE_INO 2
#define FILE_SIZE 4096
#define PATH_OFF 256 /* the path's offset in the file */
#define READ_DELAY_MS 300
#define HELD_MS 500 /* how long the pin waits on the held READ */
#define KILL_WAIT_MS 2000
#define PIN_WAIT_MS 10000

enum read_mode { READ_HOLD, READ_LATE, READ_EIO };

/* Shared with the server and the pinning child (f->shm). */
struct fuse_area {
	volatile int reads; /* READ requests the server got */
	int pin_ret; /* PIN_ARGS result in the child */
	struct seccomp_notif_pin_args pin;
	char file[FILE_SIZE];
	char snap[PATH_MAX + 64] __attribute__((aligned(64))); /* PIN_ARGS buffer */
};

static struct {
	pid_t server, pinner;
	char mnt[PATH_MAX];
	bool mounted;
	char *map;
	struct fuse_area *a;
} fz;

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* ---- the FUSE server ------------------------------------------------ */

static void fuse_reply(int fd, __u64 unique, int error, const void *arg,
		       size_t len)
{
	struct fuse_out_header h = {
		.len = (__u32)(sizeof(h) + len),
		.error = error,
		.unique = unique,
	};
	struct iovec iov[2] = { { &h, sizeof(h) }, { (void *)arg, len } };

	/* ENOENT: the request was interrupted meanwhile; nothing to do. */
	if (writev(fd, iov, len ? 2 : 1) < 0 && errno != ENOENT)
		_exit(3);
}

static void fill_attr(struct fuse_attr *attr, __u64 ino)
{
	memset(attr, 0, sizeof(*attr));
	attr->ino = ino;
	attr->blksize = 4096;
	if (ino == FUSE_ROOT_ID) {
		attr->mode = S_IFDIR | 0755;
		attr->nlink = 2;
	} else {
		attr->mode = S_IFREG | 0444;
		attr->nlink = 1;
		attr->size = FILE_SIZE;
		attr->blocks = FILE_SIZE / 512;
	}
}

static void __attribute__((noreturn))
fuse_serve(int fd, enum read_mode mode, struct fuse_area *a)
{
	static char buf[FUSE_MIN_READ_BUFFER + FILE_SIZE];
	struct fuse_in_header *in = (void *)buf;
	void *arg = in + 1;

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && (errno == EINTR || errno == ENOENT))
			continue;
		if (n < (ssize_t)sizeof(*in))
			_exit(0); /* ENODEV: unmounted or aborted */
		switch (in->opcode) {
		case FUSE_INIT: {
			const struct fuse_init_in *ii = arg;
			struct fuse_init_out o;

			memset(&o, 0, sizeof(o));
			o.major = FUSE_KERNEL_VERSION;
			o.minor = 31;
			o.max_readahead = ii->max_readahead;
			/* READ in the background: the reader waits on the page. */
			o.flags = FUSE_ASYNC_READ;
			o.max_background = 16;
			o.congestion_threshold = 12;
			o.max_write = 4096;
			o.time_gran = 1;
			fuse_reply(fd, in->unique, 0, &o, sizeof(o));
			break;
		}
		case FUSE_LOOKUP: {
			struct fuse_entry_out e;

			if (in->nodeid != FUSE_ROOT_ID || strcmp(arg, "f")) {
				fuse_reply(fd, in->unique, -ENOENT, NULL, 0);
				break;
			}
			memset(&e, 0, sizeof(e));
			e.nodeid = FILE_INO;
			e.generation = 1;
			e.entry_valid = e.attr_valid = 3600;
			fill_attr(&e.attr, FILE_INO);
			fuse_reply(fd, in->unique, 0, &e, sizeof(e));
			break;
		}
		case FUSE_GETATTR: {
			struct fuse_attr_out o;

			memset(&o, 0, sizeof(o));
			o.attr_valid = 3600;
			fill_attr(&o.attr, in->nodeid);
			fuse_reply(fd, in->unique, 0, &o, sizeof(o));
			break;
		}
		case FUSE_OPEN: {
			struct fuse_open_out o;

			memset(&o, 0, sizeof(o));
			o.fh = 1;
			fuse_reply(fd, in->unique, 0, &o, sizeof(o));
			break;
		}
		case FUSE_READ: {
			const struct fuse_read_in *r = arg;
			size_t len = 0;

			a->reads++;
			if (mode == READ_HOLD)
				break; /* never answered: the page stays locked */
			if (mode == READ_EIO) {
				fuse_reply(fd, in->unique, -EIO, NULL, 0);
				break;
			}
			sleep_ms(READ_DELAY_MS);
			if (r->offset < FILE_SIZE)
				len = FILE_SIZE - r->offset;
			if (len > r->size)
				len = r->size;
			fuse_reply(fd, in->unique, 0, a->file + r->offset, len);
			break;
		}
		case FUSE_FORGET:
		case FUSE_BATCH_FORGET:
		case FUSE_INTERRUPT:
			break; /* no reply */
		case FUSE_FLUSH:
		case FUSE_RELEASE:
			fuse_reply(fd, in->unique, 0, NULL, 0);
			break;
		default:
			fuse_reply(fd, in->unique, -ENOSYS, NULL, 0);
			break;
		}
	}
}

/*
 * Mount the server's file system on f->dir/mnt and map its one file,
 * /mnt/f, FILE_SIZE bytes holding @path at PATH_OFF. The mapping is
 * only created, never touched: the trapped child inherits it.
 */
static void fuse_start(struct fx *f, enum read_mode mode, const char *path)
{
	char opts[128], file[PATH_MAX + 2];
	int fd, ffd;

	if (access("/dev/fuse", F_OK) < 0) {
		print_message("no /dev/fuse (FUSE not in this kernel)\n");
		skip();
	}
	fz.a = shm_alloc(f, sizeof(*fz.a));
	memcpy(fz.a->file + PATH_OFF, path, strlen(path) + 1);
	fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
	assert_true(fd >= 0);
	snprintf(fz.mnt, sizeof(fz.mnt), "%s/mnt", f->dir);
	assert_int_equal(mkdir(fz.mnt, 0755), 0);
	snprintf(opts, sizeof(opts),
		 "fd=%d,rootmode=40000,user_id=0,group_id=0", fd);
	if (mount("spt-fuse", fz.mnt, "fuse", MS_NOSUID | MS_NODEV, opts) < 0)
		fail_msg("mount fuse: %s", strerror(errno));
	fz.mounted = true;
	fz.server = fork();
	assert_true(fz.server >= 0);
	if (fz.server == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		fuse_serve(fd, mode, fz.a);
	}
	/*
	 * The server holds the only /dev/fuse fd: its death aborts the
	 * connection, ending every request still held.
	 */
	close(fd);
	snprintf(file, sizeof(file), "%s/f", fz.mnt);
	ffd = open(file, O_RDONLY | O_CLOEXEC);
	if (ffd < 0)
		fail_msg("open %s: %s", file, strerror(errno));
	fz.map = mmap(NULL, FILE_SIZE, PROT_READ, MAP_SHARED, ffd, 0);
	close(ffd);
	assert_true(fz.map != MAP_FAILED);
}

/* ---- pinning from a child ------------------------------------------- */

/* PIN_ARGS of the openat path (CSTRING, arg 1) in a child. */
static void pin_in_child(struct fx *f, struct victim *v)
{
	struct fuse_area *a = fz.a;

	pin_init(&a->pin, v->n.id, a->snap, sizeof(a->snap));
	pin_add(&a->pin, 1, SECCOMP_PIN_CSTRING, PATH_MAX);
	a->pin_ret = 1;
	fz.pinner = fork();
	assert_true(fz.pinner >= 0);
	if (fz.pinner == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		a->pin_ret = seccomp_pin_args(f->dev, v->t->listener, &a->pin);
		_exit(0);
	}
}

/* Wait up to @ms for the pinning child; its status, or -1 if alive. */
static int wait_pinner(long ms)
{
	long long t0 = now_ms();
	int status;

	for (;;) {
		pid_t r = waitpid(fz.pinner, &status, WNOHANG);

		if (r == fz.pinner) {
			fz.pinner = 0;
			return status;
		}
		assert_int_equal(r, 0);
		if (now_ms() - t0 >= ms)
			return -1;
		sleep_ms(10);
	}
}

static char task_state(pid_t pid)
{
	char path[64], buf[512], *p;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (read_file(path, buf, sizeof(buf)) < 0)
		return '?';
	p = strrchr(buf, ')');
	return p && p[1] ? p[2] : '?';
}

/* The trapped openat(AT_FDCWD, <mapping + PATH_OFF>, O_RDONLY). */
static void trap_openat_on_mapping(struct fx *f, struct victim *v)
{
	long a[6] = { AT_FDCWD, (long)(fz.map + PATH_OFF),
		      O_RDONLY | O_CLOEXEC };

	victim_raw(f, v, __NR_openat, a);
}

static void wait_first_read(void)
{
	long long t0 = now_ms();

	while (!fz.a->reads) {
		if (now_ms() - t0 > PIN_WAIT_MS)
			fail_msg("no FUSE READ %d ms into PIN_ARGS (child %s)",
				 PIN_WAIT_MS,
				 wait_pinner(0) == -1 ? "waiting" : "done");
		sleep_ms(5);
	}
}

/* ---- tests ---------------------------------------------------------- */

/*
 * The server never answers the READ the pin's fault sent: PIN_ARGS
 * waits for the page, and SIGKILL must end it at once. Unfixed, it sat
 * in D state (uninterruptible page lock, target's mmap_lock held) until
 * the connection went.
 */
static void test_pin_waiting_on_unanswered_fuse_read_is_killable(void **state)
{
	struct fx *f = *state;
	struct victim v;
	long long t0;
	char st;
	int status;

	fuse_start(f, READ_HOLD, "/nonexistent/held");
	trap_openat_on_mapping(f, &v);
	pin_in_child(f, &v);
	wait_first_read();
	sleep_ms(HELD_MS);
	st = task_state(fz.pinner);
	status = wait_pinner(0);
	if (status != -1)
		fail_msg("PIN_ARGS ended (%d) with the READ unanswered",
			 fz.a->pin_ret);
	t0 = now_ms();
	assert_int_equal(kill(fz.pinner, SIGKILL), 0);
	status = wait_pinner(KILL_WAIT_MS);
	if (status == -1)
		fail_msg("PIN_ARGS child %d still there %d ms after SIGKILL "
			 "(state %c, was %c)",
			 fz.pinner, KILL_WAIT_MS, task_state(fz.pinner), st);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	print_message("PIN_ARGS on a held FUSE page: state %c, dead %lld ms "
		      "after SIGKILL\n",
		      st, now_ms() - t0);
	victim_deny(f, &v);
}

/* A READ answered late: PIN_ARGS waits for it and pins the file's bytes. */
static void test_pin_waits_for_late_fuse_read(void **state)
{
	struct fx *f = *state;
	const char *real = tpath(f, "real");
	struct victim v;
	long long t0;
	int status;

	write_file(real, "R");
	fuse_start(f, READ_LATE, real);
	trap_openat_on_mapping(f, &v);
	t0 = now_ms();
	pin_in_child(f, &v);
	status = wait_pinner(PIN_WAIT_MS);
	assert_int_not_equal(status, -1);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_ret(fz.a->pin_ret, 0);
	assert_true(fz.a->reads >= 1);
	assert_true(now_ms() - t0 >= READ_DELAY_MS);
	assert_string_equal(snap_str(&fz.a->pin, 0), real);
	/* The pinned path is the one opened. */
	continue_pinned(f, v.t, v.n.id);
	assert_int_equal(reap_exit(v.t), 0);
	assert_true(v.c->ret[0] >= 0);
}

/* A failed READ: EFAULT, promptly, and the notification still usable. */
static void test_pin_on_failing_fuse_read_is_efault(void **state)
{
	struct fx *f = *state;
	struct victim v;
	int status;

	fuse_start(f, READ_EIO, "/nonexistent/eio");
	trap_openat_on_mapping(f, &v);
	pin_in_child(f, &v);
	status = wait_pinner(PIN_WAIT_MS);
	assert_int_not_equal(status, -1);
	assert_ret(fz.a->pin_ret, -EFAULT);
	assert_true(fz.a->reads >= 1);
	victim_deny(f, &v);
}

/* ---- fixture -------------------------------------------------------- */

static int kr_setup(void **state)
{
	memset(&fz, 0, sizeof(fz));
	return fx_setup(state);
}

/*
 * Kill the server first: that aborts the connection and so ends a
 * pinning child still waiting on the page; then unmount before
 * fx_teardown() removes the scratch directory.
 */
static int kr_teardown(void **state)
{
	if (fz.pinner > 0)
		kill(fz.pinner, SIGKILL);
	if (fz.server > 0) {
		kill(fz.server, SIGKILL);
		waitpid(fz.server, NULL, 0);
	}
	if (fz.pinner > 0)
		waitpid(fz.pinner, NULL, 0);
	if (fz.map && fz.map != MAP_FAILED)
		munmap(fz.map, FILE_SIZE);
	if (fz.mounted)
		umount2(fz.mnt, MNT_DETACH);
	memset(&fz, 0, sizeof(fz));
	return fx_teardown(state);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, kr_setup, kr_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_pin_waiting_on_unanswered_fuse_read_is_killable),
		T(test_pin_waits_for_late_fuse_read),
		T(test_pin_on_failing_fuse_read_is_efault),
	};

	apply_test_filter();
	return cmocka_run_group_tests_name("killable_read", tests, NULL, NULL);
}
