// SPDX-License-Identifier: GPL-2.0
/*
 * hard_common.c - see hard_common.h.
 */
#include "hard_common.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#define PARAMS_FILE "hard_long_params"

long long hard_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void hard_alarm(unsigned int seconds)
{
	alarm(seconds);
}

/* NAME=value from the parameter file next to the test binary. */
static bool param_from_file(const char *name, char *out, size_t size)
{
	char path[PATH_MAX], line[256];
	size_t len = strlen(name);
	bool found = false;
	FILE *fp;

	helper_path(PARAMS_FILE, path, sizeof(path));
	fp = fopen(path, "re");
	if (!fp)
		return false;
	while (!found && fgets(line, sizeof(line), fp)) {
		if (strncmp(line, name, len) || line[len] != '=')
			continue;
		snprintf(out, size, "%s", line + len + 1);
		out[strcspn(out, "\r\n")] = '\0';
		found = true;
	}
	fclose(fp);
	return found;
}

static bool param_string(const char *name, char *out, size_t size)
{
	const char *env = getenv(name);

	if (env && *env) {
		snprintf(out, size, "%s", env);
		return true;
	}
	return param_from_file(name, out, size);
}

long hard_param(const char *name, long short_default)
{
	char buf[64];

	if (!param_string(name, buf, sizeof(buf)))
		return short_default;
	return strtol(buf, NULL, 0);
}

void hard_params_to_env(void)
{
	char path[PATH_MAX], line[256];
	FILE *fp;

	helper_path(PARAMS_FILE, path, sizeof(path));
	fp = fopen(path, "re");
	if (!fp)
		return;
	while (fgets(line, sizeof(line), fp)) {
		char *eq = strchr(line, '=');

		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || !eq || eq == line)
			continue;
		*eq = '\0';
		setenv(line, eq + 1, 0);
	}
	fclose(fp);
	/* Diagnostics for long runs: every CPU's stack on a soft lockup. */
	if (getenv("SPT_LOCKUP_BACKTRACE")) {
		int fd = open("/proc/sys/kernel/softlockup_all_cpu_backtrace",
			      O_WRONLY | O_CLOEXEC);

		if (fd >= 0) {
			if (write(fd, "1", 1) != 1)
				print_message("softlockup_all_cpu_backtrace: %s\n",
					      strerror(errno));
			close(fd);
		}
	}
}

__u64 hard_seed(const char *what)
{
	char buf[64];
	__u64 seed;

	if (param_string("SPT_SEED", buf, sizeof(buf)))
		seed = strtoull(buf, NULL, 0);
	else
		seed = ((__u64)time(NULL) << 20) ^ (__u64)hard_ms() ^
		       ((__u64)getpid() << 40);
	print_message("%s: seed 0x%llx (replay with SPT_SEED=0x%llx)\n", what,
		      (unsigned long long)seed, (unsigned long long)seed);
	/*
	 * Also into the kernel log: it reaches the console synchronously,
	 * so the seed survives a panic that loses the suite's own output.
	 */
	{
		int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
		char line[128];
		int n = snprintf(line, sizeof(line),
				 "seccomp-pin test %s: seed 0x%llx\n", what,
				 (unsigned long long)seed);

		/* one write() per record; no stdio (it would lseek) */
		if (fd >= 0 && write(fd, line, (size_t)n) != n)
			print_message("(seed not logged to /dev/kmsg: %s)\n",
				      strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	return seed;
}

/* ---- errnos ------------------------------------------------------- */

static const int pin_errnos[] = { EINVAL,	EBADF,	   ENOENT, EINPROGRESS,
				  EEXIST,	EBUSY,	   E2BIG,  EOPNOTSUPP,
				  EFAULT,	ENOSPC,	   EDQUOT, ENOMEM };
/* SEND is seccomp's NOTIF_SEND plus its own EINVAL/EBADF checks. */
static const int send_errnos[] = { EINVAL, EBADF, ENOENT, EINPROGRESS, EFAULT };
static const int info_errnos[] = { EFAULT };
static const int other_errnos[] = { ENOTTY };
static const int lsend_errnos[] = { EINVAL, ENOENT, EINPROGRESS, EFAULT };

static bool in_set(const int *set, size_t n, int err)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (set[i] == err)
			return true;
	return false;
}

#define IN(set, e) in_set(set, sizeof(set) / sizeof(set[0]), e)

bool hard_errno_documented(enum hard_op op, int err)
{
	switch (op) {
	case HARD_OP_PIN:
		return IN(pin_errnos, err);
	case HARD_OP_SEND:
		return IN(send_errnos, err);
	case HARD_OP_INFO:
		return IN(info_errnos, err);
	case HARD_OP_OTHER:
		return IN(other_errnos, err);
	case HARD_OP_LSEND:
		return IN(lsend_errnos, err);
	}
	return false;
}

const char *hard_op_name(enum hard_op op)
{
	static const char *const names[] = { "PIN_ARGS", "SEND", "INFO",
					     "other-ioctl", "NOTIF_SEND" };

	return names[op];
}

void hard_hist_add(struct hard_hist *h, int err)
{
	if (!err)
		h->ok++;
	else if (err > 0 && err < (int)(sizeof(h->err) / sizeof(h->err[0])))
		h->err[err]++;
}

void hard_hist_print(const char *what, const struct hard_hist *h)
{
	char line[1024];
	size_t len, i;

	len = (size_t)snprintf(line, sizeof(line), "%s: ok %lu", what, h->ok);
	for (i = 1; i < sizeof(h->err) / sizeof(h->err[0]); i++)
		if (h->err[i] && len < sizeof(line))
			len += (size_t)snprintf(line + len, sizeof(line) - len,
						", %s %lu", strerrorname_np((int)i),
						h->err[i]);
	print_message("%s\n", line);
}

/* ---- module state ------------------------------------------------- */

int hard_info(int dev, struct seccomp_pin_info *info)
{
	memset(info, 0, sizeof(*info));
	return ioctl(dev, SECCOMP_PIN_IOC_INFO, info) < 0 ? -errno : 0;
}

bool hard_wait_counters(int dev, __u64 pins, __u64 bytes, int timeout_ms,
			struct seccomp_pin_info *now)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	long long end = hard_ms() + timeout_ms;

	for (;;) {
		if (hard_info(dev, now))
			return false;
		if (now->live_pins == pins && now->live_bytes == bytes)
			return true;
		if (hard_ms() >= end)
			return false;
		nanosleep(&ts, NULL);
	}
}

void hard_assert_counters(int dev, const struct seccomp_pin_info *base,
			  const char *when)
{
	struct seccomp_pin_info now;

	if (!hard_wait_counters(dev, base->live_pins, base->live_bytes,
				LEAK_TIMEOUT_MS, &now))
		fail_msg("%s: live_pins %llu live_bytes %llu, baseline %llu %llu",
			 when, (unsigned long long)now.live_pins,
			 (unsigned long long)now.live_bytes,
			 (unsigned long long)base->live_pins,
			 (unsigned long long)base->live_bytes);
}

/* ---- memory ------------------------------------------------------- */

void hard_mem_init(struct hard_mem *m)
{
	char *p;

	m->rw = mmap(NULL, HARD_RW_SIZE, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(m->rw != MAP_FAILED);
	/*
	 * ro, guard, ro_nonul, guard, edge, guard: PROT_NONE guards rather
	 * than holes, so that no later mapping (a thread stack) can land
	 * right after a page whose string runs off its end.
	 */
	p = mmap(NULL, 6 * 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(p != MAP_FAILED);
	m->ro = p;
	memset(m->ro, 'r', 4095);
	m->ro[4095] = '\0';
	m->ro_nonul = p + 2 * 4096;
	memset(m->ro_nonul, 'R', 4096);
	m->edge = p + 4 * 4096;
	memset(m->edge, 'e', 4096);
	m->prot_none = p + 5 * 4096;
	assert_int_equal(mprotect(m->ro, 4096, PROT_READ), 0);
	assert_int_equal(mprotect(m->ro_nonul, 4096, PROT_READ), 0);
	assert_int_equal(mprotect(p + 1 * 4096, 4096, PROT_NONE), 0);
	assert_int_equal(mprotect(p + 3 * 4096, 4096, PROT_NONE), 0);
	assert_int_equal(mprotect(m->prot_none, 4096, PROT_NONE), 0);
	/* Below vm.mmap_min_addr: never mapped. */
	m->unmapped = (char *)0x4000;
}

void hard_mem_fini(struct hard_mem *m)
{
	munmap(m->rw, HARD_RW_SIZE);
	munmap(m->ro, 6 * 4096);
}

/* ---- module reload ------------------------------------------------ */

bool hard_module_loaded(void)
{
	struct stat st;

	return stat("/sys/module/seccomp_pin", &st) == 0;
}

static int run_status(const char *cmd)
{
	int st = system(cmd);

	if (st < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int hard_rmmod(void)
{
	return run_status("rmmod seccomp_pin 2>&1");
}

int hard_insmod(const char *params)
{
	char cmd[512];

	/* As the harness loads it (guest-init.sh): see keep_hooks there. */
	snprintf(cmd, sizeof(cmd), "insmod %s keep_hooks=1 %s 2>&1",
		 HARD_MODULE_PATH, params ? params : "");
	return run_status(cmd);
}

int hard_open_dev(void)
{
	struct timespec ts = { 0, 5 * 1000 * 1000 };
	int i, fd = -ENOENT;

	for (i = 0; i < 400; i++) {
		fd = open(SECCOMP_PIN_DEVICE, O_RDWR | O_CLOEXEC);
		if (fd >= 0)
			return fd;
		fd = -errno;
		if (fd != -ENOENT && fd != -ENXIO && fd != -ENODEV)
			return fd;
		nanosleep(&ts, NULL);
	}
	return fd;
}
