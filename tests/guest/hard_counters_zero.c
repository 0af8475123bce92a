// SPDX-License-Identifier: GPL-2.0
/*
 * hard_counters_zero.c - builds spin_counters_zero: the VM's init runs
 * it after every suite. It reads SECCOMP_PIN_IOC_INFO and exits 0 only
 * if live_pins and live_bytes are both zero (pins of a suite's last,
 * killed children are freed asynchronously, so it polls for up to
 * 3 s first). Otherwise it prints the counters and exits 1; 2 if the
 * device cannot be queried at all. Static, no cmocka, no library.
 *
 *   spin_counters_zero [TIMEOUT_MS]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <seccomp_pin.h>

int main(int argc, char **argv)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	long timeout_ms = argc > 1 ? strtol(argv[1], NULL, 0) : 3000, waited;
	struct seccomp_pin_info info;
	int fd = open(SECCOMP_PIN_DEVICE, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		printf("spin_counters_zero: cannot open %s: %s\n",
		       SECCOMP_PIN_DEVICE, strerror(errno));
		return 2;
	}
	for (waited = 0;; waited += 10) {
		memset(&info, 0, sizeof(info));
		if (ioctl(fd, SECCOMP_PIN_IOC_INFO, &info) < 0) {
			printf("spin_counters_zero: INFO: %s\n",
			       strerror(errno));
			return 2;
		}
		if ((!info.live_pins && !info.live_bytes) ||
		    waited >= timeout_ms)
			break;
		nanosleep(&ts, NULL);
	}
	close(fd);
	printf("spin_counters_zero: live_pins %llu live_bytes %llu (total_pins %llu total_consumed %llu)%s\n",
	       (unsigned long long)info.live_pins,
	       (unsigned long long)info.live_bytes,
	       (unsigned long long)info.total_pins,
	       (unsigned long long)info.total_consumed,
	       info.live_pins || info.live_bytes ? ": LEAK" : "");
	return info.live_pins || info.live_bytes ? 1 : 0;
}
