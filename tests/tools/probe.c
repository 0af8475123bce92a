// SPDX-License-Identifier: GPL-2.0
/*
 * probe - one syscall, run under seccomp-pin by the policy tests; prints
 * "ok" or "errno=NAME" and exits 0 or 1.
 *
 *   probe open PATH | creat PATH | stat PATH | mkdir PATH | unlink PATH
 *   probe openat DIR REL         openat(open(DIR, O_PATH), REL)
 *   probe openat2 DIR REL MODE   MODE: none, inroot, beneath
 *   probe chdir DIR REL          chdir(DIR), then open(REL)
 *   probe symlink TARGET LINK | rename OLD NEW | link OLD NEW
 *   probe fstat PATH             open(PATH), fstat on the fd, print its size
 *   probe fstatx PATH            the same with statx(fd, "", AT_EMPTY_PATH)
 *   probe connect IP PORT | connect_unix PATH | bind IP PORT
 *   probe sendto IP PORT         UDP datagram to IP:PORT
 *   probe sendmsg IP PORT        the same through sendmsg
 *   probe io_uring               io_uring_setup
 *   probe exec PATH ARGS...      execv
 *   probe fchmodat2 PATH         fchmodat2(AT_FDCWD, PATH, 0666, 0) by number
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <linux/openat2.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

static int report(long ret)
{
	if (ret >= 0) {
		printf("ok\n");
		return 0;
	}
	printf("errno=%s\n", strerrorname_np(errno));
	return 1;
}

static struct sockaddr_in inet(const char *ip, const char *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };

	inet_pton(AF_INET, ip, &sa.sin_addr);
	sa.sin_port = htons(atoi(port));
	return sa;
}

int main(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "";
	const char *a = argc > 2 ? argv[2] : "", *b = argc > 3 ? argv[3] : "";
	struct sockaddr_in sa;
	struct stat st;
	int fd;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (!strcmp(op, "open"))
		return report(open(a, O_RDONLY));
	if (!strcmp(op, "creat"))
		return report(open(a, O_WRONLY | O_CREAT | O_TRUNC, 0644));
	if (!strcmp(op, "fchmodat2")) /* 452, Linux 6.6 */
		return report(syscall(452, AT_FDCWD, a, 0666, 0));
	if (!strcmp(op, "stat"))
		return report(stat(a, &st));
	if (!strcmp(op, "mkdir"))
		return report(mkdir(a, 0755));
	if (!strcmp(op, "unlink"))
		return report(unlink(a));
	if (!strcmp(op, "symlink"))
		return report(symlink(a, b));
	if (!strcmp(op, "rename"))
		return report(rename(a, b));
	if (!strcmp(op, "link"))
		return report(link(a, b));
	if (!strcmp(op, "fstat") || !strcmp(op, "fstatx")) {
		struct statx stx;
		long ret;

		fd = open(a, O_RDONLY);
		if (fd < 0)
			return report(fd);
		if (!strcmp(op, "fstat")) {
			ret = fstat(fd, &st);
			if (!ret)
				printf("size=%lld ino=%llu\n",
				       (long long)st.st_size,
				       (unsigned long long)st.st_ino);
		} else {
			ret = statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS,
				    &stx);
			if (!ret)
				printf("size=%lld ino=%llu\n",
				       (long long)stx.stx_size,
				       (unsigned long long)stx.stx_ino);
		}
		return report(ret);
	}
	if (!strcmp(op, "openat") || !strcmp(op, "openat2")) {
		int dfd = open(a, O_PATH | O_DIRECTORY);
		struct open_how how = { .flags = O_RDONLY };
		const char *mode = argc > 4 ? argv[4] : "none";

		if (dfd < 0) {
			printf("dirfd: ");
			return report(dfd);
		}
		if (!strcmp(op, "openat"))
			return report(openat(dfd, b, O_RDONLY));
		if (!strcmp(mode, "inroot"))
			how.resolve = RESOLVE_IN_ROOT;
		else if (!strcmp(mode, "beneath"))
			how.resolve = RESOLVE_BENEATH;
		return report(syscall(SYS_openat2, dfd, b, &how, sizeof(how)));
	}
	if (!strcmp(op, "chdir")) {
		if (chdir(a)) {
			printf("chdir: ");
			return report(-1);
		}
		return report(open(b, O_RDONLY));
	}
	if (!strcmp(op, "connect")) {
		sa = inet(a, b);
		fd = socket(AF_INET, SOCK_STREAM, 0);
		return report(connect(fd, (struct sockaddr *)&sa, sizeof(sa)));
	}
	if (!strcmp(op, "bind")) {
		sa = inet(a, b);
		fd = socket(AF_INET, SOCK_STREAM, 0);
		return report(bind(fd, (struct sockaddr *)&sa, sizeof(sa)));
	}
	if (!strcmp(op, "connect_unix")) {
		struct sockaddr_un un = { .sun_family = AF_UNIX };

		snprintf(un.sun_path, sizeof(un.sun_path), "%s", a);
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		return report(connect(fd, (struct sockaddr *)&un, sizeof(un)));
	}
	if (!strcmp(op, "sendto") || !strcmp(op, "sendmsg")) {
		struct iovec iov = { "x", 1 };
		struct msghdr msg = { .msg_name = &sa,
				      .msg_namelen = sizeof(sa),
				      .msg_iov = &iov,
				      .msg_iovlen = 1 };

		sa = inet(a, b);
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		if (!strcmp(op, "sendto"))
			return report(sendto(fd, "x", 1, 0,
					     (struct sockaddr *)&sa,
					     sizeof(sa)));
		return report(sendmsg(fd, &msg, 0));
	}
	if (!strcmp(op, "io_uring")) {
		struct io_uring_params p = { 0 };

		return report(syscall(SYS_io_uring_setup, 4, &p));
	}
	if (!strcmp(op, "exec") && argc > 2) {
		execv(a, argv + 2);
		return report(-1);
	}
	fprintf(stderr, "probe: unknown operation %s\n", op);
	return 2;
}
