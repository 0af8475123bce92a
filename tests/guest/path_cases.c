// SPDX-License-Identifier: GPL-2.0
/*
 * path_cases.c - see path_cases.h.
 */
#include "path_cases.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

static mode_t mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	return st.st_mode;
}

static off_t size_of(const char *path)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	return st.st_size;
}

static void ok(const struct op_ctx *c)
{
	if (c->ret[0] < 0)
		fail_msg("syscall failed: %s", strerror(c->err[0]));
}

/* ---- prepare ----------------------------------------------------- */

static void nothing(const char *const *g, const char *const *b)
{
	(void)g;
	(void)b;
}

static void files0(const char *const *g, const char *const *b)
{
	write_file(g[0], "good");
	write_file(b[0], "bad");
}

static void good_file0_only(const char *const *g, const char *const *b)
{
	(void)b;
	write_file(g[0], "good");
}

static void dirs0(const char *const *g, const char *const *b)
{
	assert_int_equal(mkdir(g[0], 0700), 0);
	assert_int_equal(mkdir(b[0], 0700), 0);
}

static void private_files0(const char *const *g, const char *const *b)
{
	files0(g, b);
	assert_int_equal(chmod(g[0], 0600), 0);
	assert_int_equal(chmod(b[0], 0600), 0);
}

static void links0(const char *const *g, const char *const *b)
{
	assert_int_equal(symlink("target-good", g[0]), 0);
	assert_int_equal(symlink("target-bad", b[0]), 0);
}

/* ---- check ------------------------------------------------------- */

static void created0(const char *const *g, const char *const *b,
		     const struct op_ctx *c, const void *out)
{
	(void)out;
	ok(c);
	assert_true(exists(g[0]));
	assert_false(exists(b[0]));
}

static void fifo0(const char *const *g, const char *const *b,
		  const struct op_ctx *c, const void *out)
{
	created0(g, b, c, out);
	assert_true(S_ISFIFO(mode_of(g[0])));
}

static void dir0(const char *const *g, const char *const *b,
		 const struct op_ctx *c, const void *out)
{
	created0(g, b, c, out);
	assert_true(S_ISDIR(mode_of(g[0])));
}

static void removed0(const char *const *g, const char *const *b,
		     const struct op_ctx *c, const void *out)
{
	(void)out;
	ok(c);
	assert_false(exists(g[0]));
	assert_true(exists(b[0]));
}

static void succeeded(const char *const *g, const char *const *b,
		      const struct op_ctx *c, const void *out)
{
	(void)g;
	(void)b;
	(void)out;
	ok(c); /* the bad path does not exist: ENOENT if it were used */
}

static void stat_good(const char *const *g, const char *const *b,
		      const struct op_ctx *c, const void *out)
{
	const struct stat *st = out;

	(void)b;
	ok(c);
	assert_int_equal(st->st_size, size_of(g[0]));
}

static void statx_good(const char *const *g, const char *const *b,
		       const struct op_ctx *c, const void *out)
{
	const struct statx *stx = out;

	(void)b;
	ok(c);
	assert_int_equal(stx->stx_size, size_of(g[0]));
}

static void chmod0(const char *const *g, const char *const *b,
		   const struct op_ctx *c, const void *out)
{
	(void)out;
	ok(c);
	assert_int_equal(mode_of(g[0]) & 07777, 0604);
	assert_int_equal(mode_of(b[0]) & 07777, 0600);
}

static void chown0(const char *const *g, const char *const *b,
		   const struct op_ctx *c, const void *out)
{
	struct stat st;

	(void)out;
	ok(c);
	assert_int_equal(lstat(g[0], &st), 0);
	assert_int_equal(st.st_uid, 4242);
	assert_int_equal(lstat(b[0], &st), 0);
	assert_int_equal(st.st_uid, getuid());
}

static void truncated0(const char *const *g, const char *const *b,
		       const struct op_ctx *c, const void *out)
{
	(void)out;
	ok(c);
	assert_int_equal(size_of(g[0]), 1);
	assert_int_equal(size_of(b[0]), 3);
}

static void readlink0(const char *const *g, const char *const *b,
		      const struct op_ctx *c, const void *out)
{
	(void)g;
	(void)b;
	assert_int_equal(c->ret[0], strlen("target-good"));
	assert_memory_equal(out, "target-good", strlen("target-good"));
}

static void moved(const char *const *g, const char *const *b,
		  const struct op_ctx *c, const void *out)
{
	(void)out;
	ok(c);
	assert_false(exists(g[0]));
	assert_true(exists(g[1]));
	assert_true(exists(b[0]));
	assert_false(exists(b[1]));
}

static void linked(const char *const *g, const char *const *b,
		   const struct op_ctx *c, const void *out)
{
	char buf[16];

	(void)out;
	ok(c);
	assert_int_equal(read_file(g[1], buf, sizeof(buf)), 4);
	assert_string_equal(buf, "good");
	assert_false(exists(b[1]));
}

static void symlinked(const char *const *g, const char *const *b,
		      const struct op_ctx *c, const void *out)
{
	char buf[PATH_MAX];
	ssize_t n;

	(void)out;
	ok(c);
	n = readlink(g[1], buf, sizeof(buf) - 1);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_string_equal(buf, g[0]); /* the pinned target string */
	assert_false(exists(b[1]));
}

/* Only the new path pinned: the old one comes from user memory. */
static void moved_bad_to_good(const char *const *g, const char *const *b,
			      const struct op_ctx *c, const void *out)
{
	(void)out;
	ok(c);
	assert_true(exists(g[0]));
	assert_false(exists(b[0]));
	assert_true(exists(g[1]));
	assert_false(exists(b[1]));
}

#define AT AT_FDCWD
#define P 0 /* a path slot, filled in */

/* One case per entry reads better than one field per line. */
/* clang-format off */
const struct path_case path_cases[] = {
	{ "path_open_creat", __NR_open, { P, O_CREAT | O_WRONLY, 0600 },
	  { 0, -1 }, 0, -1, nothing, created0 },
	{ "path_creat", __NR_creat, { P, 0600 }, { 0, -1 }, 0, -1, nothing,
	  created0 },
	{ "path_openat_creat", __NR_openat, { AT, P, O_CREAT | O_WRONLY, 0600 },
	  { 1, -1 }, 0, -1, nothing, created0 },
	{ "path_mkdir", __NR_mkdir, { P, 0700 }, { 0, -1 }, 0, -1, nothing,
	  dir0 },
	{ "path_mkdirat", __NR_mkdirat, { AT, P, 0700 }, { 1, -1 }, 0, -1,
	  nothing, dir0 },
	{ "path_mknodat_fifo", __NR_mknodat, { AT, P, S_IFIFO | 0600, 0 },
	  { 1, -1 }, 0, -1, nothing, fifo0 },
	{ "path_unlink", __NR_unlink, { P }, { 0, -1 }, 0, -1, files0,
	  removed0 },
	{ "path_unlinkat", __NR_unlinkat, { AT, P, 0 }, { 1, -1 }, 0, -1,
	  files0, removed0 },
	{ "path_rmdir", __NR_rmdir, { P }, { 0, -1 }, 0, -1, dirs0, removed0 },
	{ "path_newfstatat", __NR_newfstatat, { AT, P, 0, 0 }, { 1, -1 }, 0, 2,
	  good_file0_only, stat_good },
	{ "path_statx", __NR_statx, { AT, P, 0, STATX_SIZE, 0 }, { 1, -1 }, 0,
	  4, good_file0_only, statx_good },
	{ "path_faccessat", __NR_faccessat, { AT, P, F_OK }, { 1, -1 }, 0, -1,
	  good_file0_only, succeeded },
	{ "path_fchmodat", __NR_fchmodat, { AT, P, 0604 }, { 1, -1 }, 0, -1,
	  private_files0, chmod0 },
	{ "path_fchownat", __NR_fchownat, { AT, P, 4242, 4242, 0 }, { 1, -1 },
	  0, -1, files0, chown0 },
	{ "path_truncate", __NR_truncate, { P, 1 }, { 0, -1 }, 0, -1, files0,
	  truncated0 },
	{ "path_readlinkat", __NR_readlinkat, { AT, P, 0, 64 }, { 1, -1 }, 0, 2,
	  links0, readlink0 },
	{ "path_rename_both_pinned", __NR_rename, { P, P }, { 0, 1 }, 0, -1,
	  files0, moved },
	{ "path_renameat2_both_pinned", __NR_renameat2, { AT, P, AT, P, 0 },
	  { 1, 3 }, 0, -1, files0, moved },
	{ "path_rename_only_new_pinned", __NR_rename, { P, P }, { 0, 1 }, 2, -1,
	  files0, moved_bad_to_good },
	{ "path_link_both_pinned", __NR_link, { P, P }, { 0, 1 }, 0, -1, files0,
	  linked },
	{ "path_linkat_both_pinned", __NR_linkat, { AT, P, AT, P, 0 }, { 1, 3 },
	  0, -1, files0, linked },
	{ "path_symlink_both_pinned", __NR_symlink, { P, P }, { 0, 1 }, 0, -1,
	  nothing, symlinked },
	{ "path_symlinkat_both_pinned", __NR_symlinkat, { P, AT, P }, { 0, 2 },
	  0, -1, nothing, symlinked },
};
/* clang-format on */

const unsigned int n_path_cases = sizeof(path_cases) / sizeof(path_cases[0]);

void run_path_case(struct fx *f, const struct path_case *pc)
{
	const struct trap traps[] = { TRAP64((int)pc->nr) };
	const char *g[2] = { tpath(f, "g0"), tpath(f, "g1") };
	const char *b[2] = { tpath(f, "b0"), tpath(f, "b1") };
	struct op_ctx *c = shm_alloc(f, sizeof(*c));
	unsigned int mask = pc->pin_mask ? pc->pin_mask : 3;
	struct seccomp_notif_pin_args p;
	struct seccomp_notif n;
	char *shared[2] = { NULL, NULL };
	void *out = NULL;
	struct tracee *t;
	int i;

	pc->prepare(g, b);
	c->nr = pc->nr;
	memcpy(c->a, pc->a, sizeof(c->a));
	for (i = 0; i < 2; i++) {
		if (pc->slot[i] < 0)
			continue;
		shared[i] = shm_str(f, g[i], PATH_MAX);
		c->a[pc->slot[i]] = (long)shared[i];
	}
	if (pc->out_slot >= 0) {
		out = shm_alloc(f, 4096);
		c->a[pc->out_slot] = (long)out;
	}
	t = spawn_trapped(f, traps, 1, child_raw, c);
	recv_notif(t, &n);
	assert_int_equal(n.data.nr, pc->nr);

	pin_init(&p, n.id, f->buf, SNAP_BUF_SIZE);
	for (i = 0; i < 2; i++)
		if (shared[i] && (mask & (1U << i)))
			pin_add(&p, (__u8)pc->slot[i], SECCOMP_PIN_CSTRING,
				PATH_MAX);
	assert_ret(pin_args(f, t, &p), 0);
	for (i = 0; i < (int)p.nr_args; i++)
		print_message("  pinned arg %u: %s\n", p.args[i].arg_idx,
			      snap_str(&p, (unsigned int)i));
	for (i = 0; i < 2; i++)
		if (shared[i])
			strcpy(shared[i], b[i]); /* same length */
	continue_pinned(f, t, n.id);
	assert_int_equal(reap_exit(t), 0);
	pc->check(g, b, c, out);
}
