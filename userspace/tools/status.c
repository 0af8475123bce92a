// SPDX-License-Identifier: GPL-2.0
/*
 * status.c - "seccomp-pin status": is the module there, and what can it
 * pin on this kernel (SECCOMP_PIN_IOC_INFO).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <jansson.h>
#include <libseccomp_pin.h>

#include "cli.h"
#include "common.h"
#include "modwhy.h"
#include "supervisor.h"

static const char *const kind_names[] = { "fixed", "cstring", "cstring_array" };

static const char *bit_name(unsigned int i, bool kinds)
{
	if (kinds)
		return i < 3 ? kind_names[i] : "?";
	return supervisor_site_name(1U << i);
}

static void list(FILE *out, unsigned int bits, bool kinds)
{
	bool first = true;
	unsigned int i;

	for (i = 0; i < 32; i++) {
		if (!(bits & (1U << i)))
			continue;
		fprintf(out, "%s%s", first ? "" : " ", bit_name(i, kinds));
		first = false;
	}
	if (first)
		fputs("none", out);
}

static json_t *json_list(unsigned int bits, bool kinds)
{
	json_t *a = json_array();
	unsigned int i;

	for (i = 0; i < 32; i++)
		if (bits & (1U << i))
			json_array_append_new(a, json_string(bit_name(i, kinds)));
	return a;
}

/* @j on stdout, one line; consumes @j. */
static void print_json(json_t *j)
{
	char *text = json_dumps(j, JSON_COMPACT);

	if (text)
		puts(text);
	free(text);
	json_decref(j);
}

/* The module's absence explained (modwhy.c). SECCOMP_PIN_STATUS_ROOT and
 * SECCOMP_PIN_STATUS_RELEASE stand in a fake root directory and kernel
 * release: the host tests' way in (tests/tools). */
static int missing(bool json, int err)
{
	const char *root = getenv("SECCOMP_PIN_STATUS_ROOT");
	const char *release = getenv("SECCOMP_PIN_STATUS_RELEASE");
	char path[PATH_MAX];
	struct modwhy w;
	struct stat st;
	bool loaded;
	const char *why;

	snprintf(path, sizeof(path), "%s/sys/module/seccomp_pin",
		 root ? root : "");
	loaded = !stat(path, &st);
	if (!loaded) {
		modwhy_diagnose(root, release, &w);
		if (json) {
			print_json(json_pack(
				"{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:{s:b,s:b,s:b}}",
				"module", "missing", "error", strerror(-err),
				"reason", modwhy_reason_name(w.reason), "detail",
				w.detail, "kernel", w.release, "module_file",
				w.module_file, "dkms_version", w.dkms_version,
				"dkms_log", w.dkms_log, "kernel_log", w.log_line,
				"enforcing", "secure_boot",
				!!(w.enforcing & MODWHY_SECURE_BOOT), "lockdown",
				!!(w.enforcing & MODWHY_LOCKDOWN), "sig_enforce",
				!!(w.enforcing & MODWHY_SIG_ENFORCE)));
		} else {
			printf("module:         the seccomp_pin module is not loaded (%s: %s)\n",
			       SECCOMP_PIN_DEVICE, strerror(-err));
			printf("reason:         %s\n", modwhy_reason_name(w.reason));
			printf("detail:         %s\n", w.detail);
		}
		return 1;
	}
	if (err == -ENOENT)
		why = "the module is loaded but " SECCOMP_PIN_DEVICE
		      " does not exist (udev?)";
	else
		why = "the module is loaded but " SECCOMP_PIN_DEVICE
		      " cannot be opened";
	if (json)
		print_json(json_pack("{s:s,s:s,s:s}", "module", "loaded",
				     "error", strerror(-err), "detail", why));
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
		const char *figures = info.figures == SECCOMP_PIN_FIGURES_GLOBAL ?
					      "module" :
					      "user";

		print_json(json_pack(
			"{s:s,s:s,s:I,s:I,s:s,s:o,s:o,s:o,"
			"s:{s:I,s:I,s:I,s:I,s:I},s:I,s:I,s:I,s:I,s:s,"
			"s:{s:I,s:I,s:I},s:{s:b,s:b,s:b}}",
			"module", "loaded", "device", SECCOMP_PIN_DEVICE,
			"abi_version", (json_int_t)info.abi_version,
			"tool_abi_version", (json_int_t)SECCOMP_PIN_ABI_VERSION,
			"kernel", uts.release,
			"kinds", json_list(info.kinds, true),
			"sites", json_list(info.sites, false),
			"registered_sites", json_list(info.registered_sites, false),
			"limits",
			"max_args", (json_int_t)info.max_args,
			"max_arg_bytes", (json_int_t)info.max_arg_bytes,
			"max_total_bytes", (json_int_t)info.max_total_bytes,
			"default_max_entries", (json_int_t)info.default_max_entries,
			"max_entries", (json_int_t)info.max_entries,
			"live_pins", (json_int_t)info.live_pins,
			"live_bytes", (json_int_t)info.live_bytes,
			"total_pins", (json_int_t)info.total_pins,
			"total_consumed", (json_int_t)info.total_consumed,
			"figures", figures,
			"caps",
			"listener_bytes", (json_int_t)info.max_listener_bytes,
			"user_bytes", (json_int_t)info.max_user_bytes,
			"module_bytes", (json_int_t)info.max_module_bytes,
			"policy",
			"paths", !!(info.sites & SECCOMP_PIN_SITE_PATH),
			"network", !!(info.sites & SECCOMP_PIN_SITE_SOCKADDR),
			"exec", (info.sites & exec) == exec));
	} else {
		printf("module:         loaded (%s)\n", SECCOMP_PIN_DEVICE);
		printf("abi version:    %u (this tool: %u)\n", info.abi_version,
		       SECCOMP_PIN_ABI_VERSION);
		printf("kernel:         %s\n", uts.release);
		printf("pin kinds:      ");
		list(stdout, info.kinds, true);
		printf("\nfetch sites:    ");
		list(stdout, info.sites, false);
		/* Hooks come and go with pins (hook_idle_ms). */
		printf("\nhooked now:     ");
		list(stdout, info.registered_sites, false);
		printf("\nlimits:         %u args, %u bytes per argument, %u bytes per notification,\n"
		       "                %u array entries by default, %u at most\n",
		       info.max_args, info.max_arg_bytes, info.max_total_bytes,
		       info.default_max_entries, info.max_entries);
		printf("caps:           %llu bytes per listener, %llu per user, %llu in all\n",
		       (unsigned long long)info.max_listener_bytes,
		       (unsigned long long)info.max_user_bytes,
		       (unsigned long long)info.max_module_bytes);
		/* The module shows other users' figures to admins only. */
		printf("figures of:     %s\n",
		       info.figures == SECCOMP_PIN_FIGURES_GLOBAL ?
			       "every user" :
			       "your user only");
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
