#!/bin/bash
# Install the host packages the VM harness needs. Idempotent: when every
# package is already installed it only asks dpkg, which takes well under a
# second, so run-vm-tests calls it on every run.
set -euo pipefail

# Debian 12 and derivatives only: the harness gets its kernels from
# Debian's archive with apt and dpkg-deb, and its tools from the host's
# apt. Anywhere else say so in one line, before any apt error can.
# SECCOMP_PIN_OS_RELEASE: another os-release file (selftest-harness).
os_release=${SECCOMP_PIN_OS_RELEASE:-/etc/os-release}
for tool in apt-get apt-cache dpkg-query dpkg-deb; do
	command -v "$tool" >/dev/null || {
		echo "setup-host: no $tool on this host: make check and make demo need Debian 12 or a Debian derivative with apt and dpkg (README.md, Prerequisites)" >&2
		exit 1
	}
done
# shellcheck source=/dev/null # the host's
os=$(. "$os_release" 2>/dev/null && echo "${ID:-} ${ID_LIKE:-}|${PRETTY_NAME:-unknown}") || os="|unknown"
case " ${os%%|*} " in
*" debian "*) ;;
*)
	echo "setup-host: this host is ${os#*|} (no debian in ID/ID_LIKE of $os_release): make check and make demo need Debian 12 or a Debian derivative (README.md, Prerequisites)" >&2
	exit 1 ;;
esac

# What each package is for:
#   qemu-system-x86        boots the guest kernels (TCG)
#   busybox-static         the guest's only userland (/bin/busybox, static)
#   libcmocka-dev          guest test suites link cmocka (the .so is copied in)
#   cpio                   packs the initramfs
#   zstd xz-utils          decompress the bzImage payload (6.12: zstd, 6.1: xz)
#   kmod                   modinfo, to name --extra-module modules
#   pkg-config gcc make    building the module and the test programs
#   bc flex bison libelf-dev  what Kbuild for an external module may call
#   pahole                 module BTF: Debian's 6.12 headers ship a vmlinux
#                          (BTF only), so kbuild runs pahole on every .ko
#   libjansson-dev         the seccomp-pin tool's JSON (libjansson.a: it is static)
#   golang-go              bindings/go: Debian's Go (1.19), no module proxy
#   rustc cargo            bindings/rust: Debian's rustc 1.63 / cargo (not rustup's)
#   librust-libc-dev       bindings/rust's only crate, from /usr/share/cargo/registry
#   rustfmt                bindings/rust: make check-bindings-host checks the format
PACKAGES=(qemu-system-x86 busybox-static libcmocka-dev cpio zstd xz-utils
	  kmod pkg-config gcc make bc flex bison libelf-dev pahole libjansson-dev
	  golang-go rustc cargo librust-libc-dev rustfmt)

missing=()
for pkg in "${PACKAGES[@]}"; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
	[[ $status == installed ]] || missing+=("$pkg")
done
((${#missing[@]} == 0)) && exit 0

if ((EUID != 0)); then
	echo "setup-host: missing packages (${missing[*]}); run as root" >&2
	exit 1
fi
echo "setup-host: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# One update is enough: only a stale or empty package list makes install fail.
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 \
	"${missing[@]}" >&2
