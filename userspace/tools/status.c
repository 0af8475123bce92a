// SPDX-License-Identifier: GPL-2.0
/*
 * status.c - "seccomp-pin status": is the module there, and what can it
 * pin on this kernel (SECCOMP_PIN_IOC_INFO).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <libseccomp_pin.h>

#include "cli.h"
#include "common.h"
#include "supervisor.h"

static const char *const kind_names[] = { "fixed", "cstring", "cstring_array" };

static void list(FILE *out, unsigned int bits, bool json, bool kinds)
{
	bool first = true;
	unsigned int i;

	for (i = 0; i < 32; i++) {
		const char *name;

		if (!(bits & (1U << i)))
			continue;
		if (kinds)
			name = i < 3 ? kind_names[i] : "?";
		else
			name = supervisor_site_name(1U << i);
		fprintf(out, json ? "%s\"%s\"" : "%s%s",
			first ? "" :
			json  ? "," :
				" ",
			name);
		first = false;
	}
	if (first && !json)
		fputs("none", out);
}

static int missing(bool json, int err)
{
	struct stat st;
	bool loaded = !stat("/sys/module/seccomp_pin", &st);
	const char *why;

	if (loaded)
		why = "the module is loaded but " SECCOMP_PIN_DEVICE
		      " cannot be opened";
	else if (err == -ENOENT)
		why = "the seccomp_pin module is not loaded (modprobe seccomp_pin)";
	else
		why = SECCOMP_PIN_DEVICE " cannot be opened";
	if (json)
		printf("{\"module\":\"%s\",\"error\":\"%s\",\"detail\":\"%s\"}\n",
		       loaded ? "loaded" : "missing", strerror(-err), why);
	else
		printf("module:         %s (%s: %s)\n", why, SECCOMP_PIN_DEVICE,
		       strerror(-err));
	return 1;
}

int cmd_status(bool json)
{
	struct seccomp_pin_info info;
	struct utsname uts;
	int dev = seccomp_pin_open(), err;
	const unsigned int exec = SECCOMP_PIN_SITE_PATH |
				  SECCOMP_PIN_SITE_EXEC_ARGS;

	if (dev < 0)
		return missing(json, dev);
	err = seccomp_pin_info(dev, &info);
	close(dev);
	if (err)
		return missing(json, err);
	uname(&uts);
	if (json) {
		printf("{\"module\":\"loaded\",\"device\":\"%s\",\"abi_version\":%u,"
		       "\"tool_abi_version\":%u,\"kernel\":\"%s\",\"kinds\":[",
		       SECCOMP_PIN_DEVICE, info.abi_version,
		       SECCOMP_PIN_ABI_VERSION, uts.release);
		list(stdout, info.kinds, true, true);
		printf("],\"sites\":[");
		list(stdout, info.sites, true, false);
		printf("],\"registered_sites\":[");
		list(stdout, info.registered_sites, true, false);
		printf("],\"limits\":{\"max_args\":%u,\"max_arg_bytes\":%u,"
		       "\"max_total_bytes\":%u,\"default_max_entries\":%u,"
		       "\"max_entries\":%u},\"live_pins\":%llu,\"live_bytes\":%llu,"
		       "\"total_pins\":%llu,\"total_consumed\":%llu,"
		       "\"policy\":{\"paths\":%s,\"network\":%s,\"exec\":%s}}\n",
		       info.max_args, info.max_arg_bytes, info.max_total_bytes,
		       info.default_max_entries, info.max_entries,
		       (unsigned long long)info.live_pins,
		       (unsigned long long)info.live_bytes,
		       (unsigned long long)info.total_pins,
		       (unsigned long long)info.total_consumed,
		       info.sites & SECCOMP_PIN_SITE_PATH ? "true" : "false",
		       info.sites & SECCOMP_PIN_SITE_SOCKADDR ? "true" :
								"false",
		       (info.sites & exec) == exec ? "true" : "false");
	} else {
		printf("module:         loaded (%s)\n", SECCOMP_PIN_DEVICE);
		printf("abi version:    %u (this tool: %u)\n", info.abi_version,
		       SECCOMP_PIN_ABI_VERSION);
		printf("kernel:         %s\n", uts.release);
		printf("pin kinds:      ");
		list(stdout, info.kinds, false, true);
		printf("\nfetch sites:    ");
		list(stdout, info.sites, false, false);
		/* Hooks come and go with pins (hook_idle_ms). */
		printf("\nhooked now:     ");
		list(stdout, info.registered_sites, false, false);
		printf("\nlimits:         %u args, %u bytes per argument, %u bytes per notification,\n"
		       "                %u array entries by default, %u at most\n",
		       info.max_args, info.max_arg_bytes, info.max_total_bytes,
		       info.default_max_entries, info.max_entries);
		printf("live pins:      %llu (%llu bytes)\n",
		       (unsigned long long)info.live_pins,
		       (unsigned long long)info.live_bytes);
		printf("pins created:   %llu\n",
		       (unsigned long long)info.total_pins);
		printf("fetches served: %llu\n",
		       (unsigned long long)info.total_consumed);
		printf("run can police: paths %s, network %s, exec %s\n",
		       info.sites & SECCOMP_PIN_SITE_PATH ? "yes" : "no",
		       info.sites & SECCOMP_PIN_SITE_SOCKADDR ? "yes" : "no",
		       (info.sites & exec) == exec ? "yes" : "no");
	}
	if (info.abi_version != SECCOMP_PIN_ABI_VERSION) {
		tool_err("the module speaks ABI %u, this tool ABI %u",
			 info.abi_version, SECCOMP_PIN_ABI_VERSION);
		return 1;
	}
	return 0;
}

int module_open(struct seccomp_pin_info *info)
{
	int dev = seccomp_pin_open(), err;

	if (dev < 0) {
		if (dev == -ENOENT)
			tool_err(
				"%s: %s: the seccomp_pin module is not loaded (modprobe seccomp_pin); refusing to run without it",
				SECCOMP_PIN_DEVICE, strerror(-dev));
		else
			tool_err("%s: %s; refusing to run without it",
				 SECCOMP_PIN_DEVICE, strerror(-dev));
		return -1;
	}
	err = seccomp_pin_info(dev, info);
	if (err) {
		tool_err("%s: SECCOMP_PIN_IOC_INFO: %s", SECCOMP_PIN_DEVICE,
			 strerror(-err));
		close(dev);
		return -1;
	}
	if (info->abi_version != SECCOMP_PIN_ABI_VERSION) {
		tool_err(
			"the module speaks ABI %u, this tool ABI %u: refusing to run",
			info->abi_version, SECCOMP_PIN_ABI_VERSION);
		close(dev);
		return -1;
	}
	return dev;
}
