// SPDX-License-Identifier: GPL-2.0
/*
 * race-demo - the seccomp user-notification TOCTOU race, with and without
 * seccomp-pin.
 *
 * A supervisor enforces a path allow-list on openat(2) of a target whose
 * second thread keeps rewriting the path buffer between an allowed file
 * and a secret one. Run twice:
 *   plain:  the supervisor reads the path from /proc/<pid>/mem, as
 *           supervisors do today, and answers SECCOMP_USER_NOTIF_FLAG_CONTINUE;
 *           the kernel re-reads the path and sometimes opens the secret.
 *   pinned: the supervisor pins the path (SECCOMP_PIN_IOC_PIN_ARGS), decides
 *           on the pinned bytes and answers CONTINUE | CONTINUE_PINNED;
 *           the kernel opens exactly what was approved.
 *
 * usage: race-demo [ROUNDS] [SECONDS]     (exit 0 iff pinned leaked nothing)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libseccomp_pin.h>

#define DIR_PATH "/tmp/race-demo"
#define ALLOWED DIR_PATH "/allowed.txt"
#define SECRET DIR_PATH "/secrets.txt" /* as long as ALLOWED: clean flips */

struct shared {
	char path[64];
	atomic_int stop;
	atomic_long opened_allowed, opened_secret, denied;
};

static struct shared *sh;

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		die(path);
	close(fd);
}

static int install_filter(void)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_openat, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = 4, .filter = filter };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		die("PR_SET_NO_NEW_PRIVS");
	return syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER,
		       SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
}

/* The memory clobber keeps the compiler from dropping either store. */
static void spin(void)
{
	for (int i = 0; i < 500; i++)
		__asm__ __volatile__("" ::: "memory");
}

/*
 * The attacker: flip the path, holding each value for a moment so that
 * the supervisor's read and the kernel's re-read can see different ones.
 */
static void *flipper(void *arg)
{
	(void)arg;
	while (!atomic_load_explicit(&sh->stop, memory_order_relaxed)) {
		memcpy(sh->path, SECRET, sizeof(SECRET));
		spin();
		memcpy(sh->path, ALLOWED, sizeof(ALLOWED));
		spin();
	}
	return NULL;
}

static void target(int sock, int rounds)
{
	pthread_t thread;
	int listener = install_filter();
	int i;

	if (listener < 0)
		die("seccomp");
	/* send(2), not write(2): nothing else is trapped. */
	if (send(sock, &listener, sizeof(listener), 0) != sizeof(listener))
		die("send");
	pthread_create(&thread, NULL, flipper, NULL);
	for (i = 0; i < rounds && !atomic_load(&sh->stop); i++) {
		char buf[16] = "";
		int fd = openat(AT_FDCWD, sh->path, O_RDONLY);

		if (fd < 0)
			continue;
		if (read(fd, buf, sizeof(buf) - 1) > 0 && buf[0] == 'S')
			atomic_fetch_add(&sh->opened_secret, 1);
		else
			atomic_fetch_add(&sh->opened_allowed, 1);
		close(fd);
	}
	atomic_store(&sh->stop, 1);
	pthread_join(thread, NULL);
	_exit(0);
}

static int fetch_listener(pid_t pid, int sock)
{
	int pidfd, remote, listener;

	if (recv(sock, &remote, sizeof(remote), 0) != sizeof(remote))
		die("recv");
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	listener = syscall(SYS_pidfd_getfd, pidfd, remote, 0);
	if (listener < 0)
		die("pidfd_getfd");
	close(pidfd);
	return listener;
}

/* Today's supervisor: read the path through /proc/<pid>/mem. */
static int read_path_procmem(pid_t pid, unsigned long addr, char *out,
			     size_t len)
{
	char mem[64];
	ssize_t n;
	int fd;

	snprintf(mem, sizeof(mem), "/proc/%d/mem", pid);
	fd = open(mem, O_RDONLY);
	if (fd < 0)
		return -1;
	n = pread(fd, out, len - 1, addr);
	close(fd);
	if (n <= 0)
		return -1;
	out[n] = '\0';
	return 0;
}

static int answer(int dev, int listener, __u64 id, int allow, int pinned)
{
	struct seccomp_notif_resp resp = { .id = id };

	if (allow)
		resp.flags =
			SECCOMP_USER_NOTIF_FLAG_CONTINUE |
			(pinned ? SECCOMP_USER_NOTIF_FLAG_CONTINUE_PINNED : 0);
	else
		resp.error = -EACCES;
	return seccomp_pin_send(dev, listener, &resp);
}

/* Returns once the target has exited, its wait status in *status. */
static void supervise(int dev, int listener, pid_t pid, int pinned,
		      long *approved, int *status)
{
	for (;;) {
		struct pollfd pfd = { .fd = listener, .events = POLLIN };
		struct seccomp_notif req;
		char path[4096];
		int allow;

		/*
		 * Poll with a timeout: RECV blocks forever once the target is
		 * gone, and 6.1 does not report POLLHUP for that.
		 */
		if (poll(&pfd, 1, 200) < 0 || (pfd.revents & POLLHUP))
			return;
		if (!(pfd.revents & POLLIN)) {
			if (waitpid(pid, status, WNOHANG) == pid)
				return;
			continue;
		}
		memset(&req, 0, sizeof(req));
		if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req))
			continue; /* the trapped syscall was interrupted */
		if (pinned) {
			struct seccomp_notif_pin_args pin = {
				.id = req.id,
				.nr_args = 1,
				.buf_size = sizeof(path),
				.buf = (unsigned long)path,
				.args[0] = { .arg_idx = 1,
					     .kind = SECCOMP_PIN_CSTRING,
					     .max_bytes = sizeof(path) },
			};
			if (seccomp_pin_args(dev, listener, &pin) < 0)
				path[0] = '\0';
		} else if (read_path_procmem(pid, req.data.args[1], path,
					     sizeof(path))) {
			path[0] = '\0';
		}
		allow = !strcmp(path, ALLOWED);
		*approved += allow;
		if (!allow)
			atomic_fetch_add(&sh->denied, 1);
		answer(dev, listener, req.id, allow, pinned);
	}
}

static int run(int dev, int pinned, int rounds, int seconds)
{
	long approved = 0;
	int sv[2], listener, status;
	time_t deadline = time(NULL) + seconds;
	pid_t pid;

	memset(sh, 0, sizeof(*sh));
	memcpy(sh->path, ALLOWED, sizeof(ALLOWED));
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv))
		die("socketpair");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		close(sv[0]);
		target(sv[1], rounds);
	}
	close(sv[1]);
	listener = fetch_listener(pid, sv[0]);
	close(sv[0]);
	/* A watchdog so the demo always ends on slow emulated CPUs. */
	if (!fork()) {
		while (time(NULL) < deadline && !kill(pid, 0))
			usleep(100000);
		atomic_store(&sh->stop, 1);
		_exit(0);
	}
	status = -1;
	supervise(dev, listener, pid, pinned, &approved, &status);
	if (status == -1)
		waitpid(pid, &status, 0);
	wait(NULL);
	close(listener);
	printf("  %-28s %6ld opens approved, %6ld denied, secret file opened %ld times%s\n",
	       pinned ? "pinned (CONTINUE_PINNED):" : "plain CONTINUE:",
	       approved, atomic_load(&sh->denied),
	       atomic_load(&sh->opened_secret),
	       atomic_load(&sh->opened_secret) ? "   <-- policy bypassed" : "");
	return atomic_load(&sh->opened_secret) != 0;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 5000;
	int seconds = argc > 2 ? atoi(argv[2]) : 60;
	int dev, plain_leaked, pinned_leaked;

	mkdir(DIR_PATH, 0755);
	write_file(ALLOWED, "public data\n");
	write_file(SECRET, "SECRET data\n");
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		die("mmap");
	dev = seccomp_pin_open();
	if (dev < 0) {
		fprintf(stderr,
			"race-demo: %s: %s (is seccomp_pin.ko loaded?)\n",
			SECCOMP_PIN_DEVICE, strerror(-dev));
		return 2;
	}
	printf("Policy: openat() may open only %s; a second thread keeps\n"
	       "rewriting the path to %s. %d opens per run.\n\n",
	       ALLOWED, SECRET, rounds);
	plain_leaked = run(dev, 0, rounds, seconds);
	pinned_leaked = run(dev, 1, rounds, seconds);
	printf("\n%s\n%s\n",
	       plain_leaked ?
		       "Without pinning the supervisor approved one path and the kernel opened another." :
		       "Without pinning the race was not won this time (it is a race: try more rounds).",
	       pinned_leaked ?
		       "WITH PINNING THE SECRET WAS OPENED: BUG." :
		       "With pinning the kernel opened exactly the bytes the supervisor approved.");
	return pinned_leaked ? 1 : 0;
}
