// SPDX-License-Identifier: GPL-2.0
/*
 * modwhy.c - why seccomp_pin is not loaded (see modwhy.h).
 *
 * The evidence, in the order it is weighed:
 *  - the module file for the kernel, anywhere under /lib/modules/<release>
 *    (DKMS puts it in updates/dkms/, a manual install in extra/);
 *  - without one, DKMS's tree (/var/lib/dkms/seccomp-pin/<version>/): an
 *    entry there means DKMS was asked to build it and did not for this
 *    kernel; its build/make.log says why;
 *  - with one, the kernel log (/dev/kmsg: needs root or
 *    kernel.dmesg_restrict=0): the last of the kernel's signature refusals
 *    ("Loading of unsigned module is rejected", lockdown's "unsigned module
 *    loading is restricted", modprobe's "Key was rejected by service"),
 *    the module's own error line ("seccomp_pin: refusing to load: ...",
 *    priority err or worse) and its "seccomp_pin: loaded:" line decides;
 *  - else signature enforcement being on (module.sig_enforce, lockdown,
 *    the SecureBoot EFI variable that "mokutil --sb-state" reads) is the
 *    likely reason; else nothing has tried to load it yet.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "modwhy.h"

#define DKMS_NAME "seccomp-pin"
#define SIG_MAGIC "~Module signature appended~\n"
#define EFI_SECURE_BOOT \
	"/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c"
#define KMSG_MAX (8U << 20)

const char *modwhy_reason_name(enum modwhy_reason r)
{
	switch (r) {
	case MODWHY_NOT_INSTALLED:
		return "not_installed";
	case MODWHY_DKMS_FAILED:
		return "dkms_build_failed";
	case MODWHY_SIGNATURE:
		return "signature";
	case MODWHY_REFUSED:
		return "module_refused";
	case MODWHY_NOT_LOADED:
		return "not_loaded";
	}
	return "?";
}

/* @root + @path into @buf. */
static const char *at(char *buf, size_t len, const char *root, const char *path)
{
	snprintf(buf, len, "%s%s", root, path);
	return buf;
}

/* The first line of @path into @buf ("" if unreadable). */
static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");

	buf[0] = 0;
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = 0;
	fclose(f);
}

static bool is_module_name(const char *n)
{
	return !strcmp(n, "seccomp_pin.ko") ||
	       !strcmp(n, "seccomp_pin.ko.xz") ||
	       !strcmp(n, "seccomp_pin.ko.zst") ||
	       !strcmp(n, "seccomp_pin.ko.gz");
}

/* Depth-first search of @dir for the module file, into @out. */
static bool find_module(const char *dir, int depth, char *out, size_t len)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool found = false;
	char sub[PATH_MAX];

	if (!d)
		return false;
	while (!found && (e = readdir(d))) {
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", dir,
				     e->d_name) >= sizeof(sub))
			continue;
		/* build and source are links into the headers: not modules. */
		if (lstat(sub, &st))
			continue;
		if (S_ISDIR(st.st_mode) && depth < 8)
			found = find_module(sub, depth + 1, out, len);
		else if (S_ISREG(st.st_mode) && is_module_name(e->d_name)) {
			snprintf(out, len, "%s", sub);
			found = true;
		}
	}
	closedir(d);
	return found;
}

/* 1 if an uncompressed .ko ends with the signature trailer, 0 if not, -1
 * if compressed or unreadable. */
static int module_signed(const char *path)
{
	char tail[sizeof(SIG_MAGIC) - 1];
	size_t n = strlen(path);
	int fd, ret = -1;
	off_t size;

	if (n < 3 || strcmp(path + n - 3, ".ko"))
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size = lseek(fd, 0, SEEK_END);
	if (size >= 0 && size < (off_t)sizeof(tail))
		ret = 0;
	else if (size >= 0 &&
		 pread(fd, tail, sizeof(tail), size - (off_t)sizeof(tail)) ==
			 (ssize_t)sizeof(tail))
		ret = !memcmp(tail, SIG_MAGIC, sizeof(tail));
	close(fd);
	return ret;
}

/* DKMS's seccomp-pin entry: a version directory, and its make.log. */
static void dkms_entry(const char *root, struct modwhy *w)
{
	char dir[PATH_MAX], p[PATH_MAX + 64];
	struct dirent *e;
	DIR *d;

	at(dir, sizeof(dir), root, "/var/lib/dkms/" DKMS_NAME);
	d = opendir(dir);
	if (!d)
		return;
	while ((e = readdir(d))) {
		struct stat st;

		/* <version>/ directories; kernel-* and source are links. */
		if (e->d_name[0] == '.' || !strncmp(e->d_name, "kernel-", 7))
			continue;
		if ((size_t)snprintf(p, sizeof(p), "%s/%s", dir, e->d_name) >=
			    sizeof(p) ||
		    lstat(p, &st) || !S_ISDIR(st.st_mode))
			continue;
		if ((size_t)snprintf(w->dkms_version, sizeof(w->dkms_version),
				     "%s",
				     e->d_name) >= sizeof(w->dkms_version))
			continue;
		if ((size_t)snprintf(p, sizeof(p), "%s/%s/build/make.log", dir,
				     e->d_name) < sizeof(p) &&
		    !access(p, R_OK) &&
		    (size_t)snprintf(w->dkms_log, sizeof(w->dkms_log), "%s",
				     p) >= sizeof(w->dkms_log))
			w->dkms_log[0] = 0;
		break;
	}
	closedir(d);
}

static unsigned int enforcement(const char *root)
{
	char p[PATH_MAX], line[256];
	unsigned int bits = 0;
	unsigned char var[5];
	int fd;

	read_line(at(p, sizeof(p), root,
		     "/sys/module/module/parameters/sig_enforce"),
		  line, sizeof(line));
	if (line[0] == 'Y')
		bits |= MODWHY_SIG_ENFORCE;
	/* "none [integrity] confidentiality": the selected one is bracketed. */
	read_line(at(p, sizeof(p), root, "/sys/kernel/security/lockdown"), line,
		  sizeof(line));
	if (strstr(line, "[integrity]") || strstr(line, "[confidentiality]"))
		bits |= MODWHY_LOCKDOWN;
	/* efivarfs: 4 bytes of attributes, then the value. */
	fd = open(at(p, sizeof(p), root, EFI_SECURE_BOOT),
		  O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (read(fd, var, sizeof(var)) == (ssize_t)sizeof(var) &&
		    var[4] == 1)
			bits |= MODWHY_SECURE_BOOT;
		close(fd);
	}
	return bits;
}

enum event { EV_NONE, EV_SIGNATURE, EV_REFUSED, EV_LOADED };

static bool signature_refusal(const char *text)
{
	return strstr(text, "Key was rejected by service") ||
	       strstr(text, "Loading of unsigned module is rejected") ||
	       strstr(text,
		      "Loading of module with unavailable key is rejected") ||
	       strstr(text, "unsigned module loading is restricted") ||
	       strstr(text, "module with unavailable key is rejected") ||
	       strstr(text, "Required key not available");
}

/*
 * One kernel log line, in /dev/kmsg's form ("<prio>,<seq>,<usec>,<flags>;
 * <text>"; continuation lines start with a space) or dmesg's ("[ 1.2]
 * <text>", priority unknown).
 */
static enum event classify(char *line, const char **text)
{
	char *semi = strchr(line, ';');
	int prio = -1;

	if (line[0] == ' ' || !line[0])
		return EV_NONE;
	if (semi && line[0] >= '0' && line[0] <= '9' &&
	    memchr(line, ',', (size_t)(semi - line))) {
		prio = atoi(line) & 7;
		*text = semi + 1;
	} else if (line[0] == '[' && strchr(line, ']')) {
		*text = strchr(line, ']') + 1;
		while (**text == ' ')
			(*text)++;
	} else {
		*text = line;
	}
	if (signature_refusal(*text))
		return EV_SIGNATURE;
	if (!strncmp(*text, "seccomp_pin: loaded:", 20))
		return EV_LOADED;
	/* The module's own refusals are pr_err; the kernel's notices about it
	 * (taint, unsigned module) are warnings or notices. Without a
	 * priority, its own words decide. */
	if (!strncmp(*text, "seccomp_pin: ", 13) &&
	    (prio >= 0 ? prio <= 3 :
			 strstr(*text, "refusing to load") ||
				 strstr(*text, ": cannot ")))
		return EV_REFUSED;
	return EV_NONE;
}

/* The last decisive kernel log event, its line into w->log_line. */
static enum event kernel_log(const char *root, struct modwhy *w)
{
	char p[PATH_MAX], *buf, *line, *save = NULL;
	size_t len = 0, cap = 1 << 16;
	enum event last = EV_NONE;
	int fd;

	fd = open(at(p, sizeof(p), root, "/dev/kmsg"),
		  O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return EV_NONE;
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return EV_NONE;
	}
	/* /dev/kmsg gives one record per read (EAGAIN at the end, EPIPE when
	 * records were overwritten meanwhile); a file gives chunks. */
	for (;;) {
		ssize_t n;

		if (cap - len < 8192 + 1) {
			char *nb;

			if (cap >= KMSG_MAX)
				break;
			nb = realloc(buf, cap * 2);
			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EPIPE)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = 0;
	w->log_readable = len > 0;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		const char *text = line;
		enum event ev = classify(line, &text);

		if (ev == EV_NONE)
			continue;
		last = ev;
		snprintf(w->log_line, sizeof(w->log_line), "%s", text);
	}
	free(buf);
	if (last == EV_LOADED)
		w->log_line[0] = 0;
	return last;
}

static void enforcing_words(unsigned int bits, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s",
		 bits & MODWHY_SECURE_BOOT ? "Secure Boot on; " : "",
		 bits & MODWHY_LOCKDOWN ? "lockdown on; " : "",
		 bits & MODWHY_SIG_ENFORCE ? "module.sig_enforce=Y; " : "");
	if (strlen(buf) >= 2)
		buf[strlen(buf) - 2] = 0;
}

int modwhy_diagnose(const char *root, const char *release, struct modwhy *w)
{
	char p[PATH_MAX], words[128];
	struct utsname uts;
	enum event ev;
	const char *fix;

	memset(w, 0, sizeof(*w));
	w->module_signed = -1;
	if (!root)
		root = "";
	if (!release) {
		uname(&uts);
		release = uts.release;
	}
	snprintf(w->release, sizeof(w->release), "%s", release);

	snprintf(p, sizeof(p), "%s/lib/modules/%s", root, release);
	if (!find_module(p, 0, w->module_file, sizeof(w->module_file))) {
		dkms_entry(root, w);
		if (!w->dkms_version[0]) {
			w->reason = MODWHY_NOT_INSTALLED;
			snprintf(
				w->detail, sizeof(w->detail),
				"seccomp_pin is not installed for kernel %s: no module in %s and no DKMS entry (install seccomp-pin-dkms, see seccomp_pin(4))",
				release, p);
		} else if (w->dkms_log[0]) {
			w->reason = MODWHY_DKMS_FAILED;
			snprintf(
				w->detail, sizeof(w->detail),
				"DKMS has seccomp-pin %s but did not install it for kernel %s: the build failed, see %s",
				w->dkms_version, release, w->dkms_log);
		} else {
			w->reason = MODWHY_DKMS_FAILED;
			snprintf(
				w->detail, sizeof(w->detail),
				"DKMS has seccomp-pin %s but did not build it for kernel %s (are linux-headers-%s installed? \"dkms install seccomp-pin/%s -k %s\" says why)",
				w->dkms_version, release, release,
				w->dkms_version, release);
		}
		return 0;
	}

	w->module_signed = module_signed(w->module_file);
	w->enforcing = enforcement(root);
	enforcing_words(w->enforcing, words, sizeof(words));
	ev = kernel_log(root, w);
	/* DKMS signs with its own key; the firmware must trust it. */
	fix = w->module_signed == 0 ?
		      "the module file is not signed: rebuild it with DKMS and openssl installed, then enroll DKMS's key: mokutil --import /var/lib/dkms/mok.pub, reboot, enroll it in MokManager" :
		      "enroll the key it is signed with (DKMS's: mokutil --import /var/lib/dkms/mok.pub), reboot, enroll it in MokManager";
	if (ev == EV_SIGNATURE) {
		w->reason = MODWHY_SIGNATURE;
		snprintf(
			w->detail, sizeof(w->detail),
			"%s is installed but the kernel refused its signature (kernel log: \"%s\"%s%s): %s",
			w->module_file, w->log_line, words[0] ? "; " : "",
			words, fix);
	} else if (ev == EV_REFUSED) {
		w->reason = MODWHY_REFUSED;
		snprintf(
			w->detail, sizeof(w->detail),
			"%s is installed but the module refused to load on this kernel: \"%s\"",
			w->module_file, w->log_line);
	} else if (w->enforcing & (MODWHY_SIG_ENFORCE | MODWHY_LOCKDOWN)) {
		w->reason = MODWHY_SIGNATURE;
		snprintf(
			w->detail, sizeof(w->detail),
			"%s is installed but not loaded, and the kernel enforces module signatures (%s): unless its key is enrolled the kernel refuses it; %s",
			w->module_file, words, fix);
	} else {
		w->reason = MODWHY_NOT_LOADED;
		snprintf(
			w->detail, sizeof(w->detail),
			"%s is installed but not loaded: modprobe seccomp_pin%s",
			w->module_file,
			w->log_readable ?
				"" :
				" (run as root to see the kernel log's reasons)");
	}
	return 0;
}
