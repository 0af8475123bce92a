// SPDX-License-Identifier: GPL-2.0
/*
 * tools_common.c - process and file helpers of the tool tests.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <libgen.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tcheck.h"
#include "tools_common.h"

const char *prog(const char *name)
{
	static char path[8][PATH_MAX];
	static int next;
	char self[PATH_MAX];
	char *p = path[next++ % 8];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n < 0)
		tcheck_fail(__FILE__, __LINE__, "readlink /proc/self/exe");
	self[n] = '\0';
	snprintf(p, PATH_MAX, "%s/%s", dirname(self), name);
	return p;
}

static void redirect(int fd, const char *path, int flags)
{
	int f = open(path ? path : "/dev/null", flags, 0644);

	if (f < 0 || dup2(f, fd) < 0)
		_exit(120);
	close(f);
}

pid_t spawn(char *const argv[], const char *out, const char *err)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		tcheck_fail(__FILE__, __LINE__, "fork: %s", strerror(errno));
	if (pid == 0) {
		sigset_t none;
		int sig;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		for (sig = 1; sig < NSIG; sig++)
			signal(sig, SIG_DFL);
		alarm(0);
		redirect(0, NULL, O_RDONLY);
		redirect(1, out, O_WRONLY | O_CREAT | O_APPEND);
		redirect(2, err, O_WRONLY | O_CREAT | O_APPEND);
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

int wait_code(pid_t pid, int seconds)
{
	double end = now() + seconds;
	int status;

	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			break;
		if (r < 0 && errno != EINTR)
			return -2;
		if (now() > end) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -1;
		}
		usleep(10000);
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

int run(char *const argv[], const char *out, const char *err, int seconds)
{
	return wait_code(spawn(argv, out, err), seconds);
}

char *slurp(const char *path)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (!buf)
		abort();
	if (fd < 0) {
		buf[0] = '\0';
		return buf;
	}
	while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += n;
		if (cap - len < 2) {
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf)
				abort();
		}
	}
	close(fd);
	buf[len] = '\0';
	return buf;
}

bool file_contains(const char *path, const char *needle)
{
	char *s = slurp(path);
	bool found = strstr(s, needle) != NULL;

	free(s);
	return found;
}

bool file_wait_contains(const char *path, const char *needle, int seconds)
{
	double end = now() + seconds;

	do {
		if (file_contains(path, needle))
			return true;
		usleep(20000);
	} while (now() < end);
	return false;
}

void wait_agent_listening(const char *sock, const char *err_file)
{
	double end = now() + 10;

	while (access(sock, F_OK) && now() < end)
		usleep(10000);
	if (access(sock, F_OK)) {
		dump_file("agent stderr", err_file);
		tcheck_fail(__FILE__, __LINE__, "the agent never listened");
	}
}

int count_lines_containing(const char *path, const char *needle)
{
	char *s = slurp(path), *line, *save;
	int n = 0;

	for (line = strtok_r(s, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		n += strstr(line, needle) != NULL;
	free(s);
	return n;
}

void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		tcheck_fail(__FILE__, __LINE__, "write %s: %s", path,
			    strerror(errno));
	close(fd);
}

void mkdirs(const char *path)
{
	char tmp[PATH_MAX], *p;

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(tmp, 0755);
		*p = '/';
	}
	mkdir(tmp, 0755);
}

void loopback_up(void)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return;
	strcpy(ifr.ifr_name, "lo");
	if (!ioctl(fd, SIOCGIFFLAGS, &ifr) && !(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
}

void dump_file(const char *title, const char *path)
{
	char *s = slurp(path);
	size_t len = strlen(s);

	printf("----- %s (%s)%s\n%s%s-----\n", title, path,
	       len > 6000 ? ", last 6000 bytes" : "",
	       len > 6000 ? s + len - 6000 : s,
	       len && s[len - 1] != '\n' ? "\n" : "");
	free(s);
}

bool module_present(void)
{
	return !access("/dev/seccomp_pin", F_OK);
}

double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

char scratch_dir[64];

bool scratch_init(const char *tag)
{
	snprintf(scratch_dir, sizeof(scratch_dir), "/tmp/spt-%s-XXXXXX", tag);
	return mkdtemp(scratch_dir) != NULL;
}

char *scratch_path(const char *name)
{
	static char p[16][512];
	static int next;
	char *s = p[next++ % 16];

	snprintf(s, sizeof(p[0]), "%s/%s", scratch_dir, name);
	return s;
}

int tcp_listen(int port, int backlog)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	CHECK_INT(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), ==, 0);
	CHECK_INT(listen(fd, backlog), ==, 0);
	return fd;
}
