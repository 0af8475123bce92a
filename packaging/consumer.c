// SPDX-License-Identifier: GPL-2.0
/*
 * consumer.c - the smallest program an installed libseccomp-pin-dev must
 * build with nothing but "pkg-config --cflags --libs seccomp-pin":
 * open /dev/seccomp_pin, ask SECCOMP_PIN_IOC_INFO, print what the module
 * offers on this kernel.
 *
 *   consumer [ABI SITES]
 *
 * Exit status: 0 when the device answered (and, given ABI and SITES,
 * reported exactly those), 1 on a mismatch, 2 when the device cannot be
 * opened, 3 when INFO fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libseccomp_pin.h>

int main(int argc, char **argv)
{
	struct seccomp_pin_info info;
	int dev, ret;

	dev = seccomp_pin_open();
	if (dev < 0) {
		printf("consumer: cannot open %s: %s\n", SECCOMP_PIN_DEVICE,
		       strerror(-dev));
		return 2;
	}
	ret = seccomp_pin_info(dev, &info);
	close(dev);
	if (ret < 0) {
		printf("consumer: SECCOMP_PIN_IOC_INFO: %s\n", strerror(-ret));
		return 3;
	}
	printf("consumer: ABI %u, sites 0x%x, kinds 0x%x, max_args %u, "
	       "max_arg_bytes %u, live_pins %llu\n",
	       info.abi_version, info.sites, info.kinds, info.max_args,
	       info.max_arg_bytes, (unsigned long long)info.live_pins);
	if (argc == 3) {
		unsigned long abi = strtoul(argv[1], NULL, 0);
		unsigned long sites = strtoul(argv[2], NULL, 0);

		if (info.abi_version != abi || info.sites != sites) {
			printf("consumer: expected ABI %lu, sites 0x%lx\n", abi,
			       sites);
			return 1;
		}
	}
	return 0;
}
