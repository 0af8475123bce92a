#!/bin/bash
# fetch-runtimes.sh: Debian's runc and crun (and libyajl2, which crun links
# and a host rarely has) unpacked into the cache, never installed on the
# host: apt-get download + dpkg-deb -x, as tests/vm/fetch-kernel.sh does
# for kernels. Prints the directory they were unpacked into; a second run
# only checks that it is there.
#
#   tests/runtimes/fetch-runtimes.sh      -> $cache/runtimes/root
#
# runc and crun link libseccomp2, libcap2 and libsystemd0, which every
# Debian 12 host has (the VM harness copies them in with ldd).
set -euo pipefail

cache=${SECCOMP_PIN_CACHE:-/var/cache/seccomp-pin}
dir=$cache/runtimes
root=$dir/root
PACKAGES=(runc crun libyajl2)

if [[ -x $root/usr/sbin/runc && -x $root/usr/bin/crun &&
	-e $root/usr/lib/x86_64-linux-gnu/libyajl.so.2 ]]; then
	echo "$root"
	exit 0
fi
mkdir -p "$dir/debs"
rm -rf "$root.tmp"
mkdir -p "$root.tmp"
(
	cd "$dir/debs"
	# apt-get download as root warns that _apt cannot write here; harmless.
	if ! apt-get download "${PACKAGES[@]}" >/dev/null 2>"$dir/download.log"; then
		apt-get update -qq >&2 || true
		apt-get download "${PACKAGES[@]}" >/dev/null 2>"$dir/download.log" || {
			cat "$dir/download.log" >&2
			echo "fetch-runtimes: apt-get download ${PACKAGES[*]} failed" >&2
			exit 1
		}
	fi
)
for pkg in "${PACKAGES[@]}"; do
	deb=$(ls -t "$dir/debs/${pkg}"_*.deb | head -n 1)
	dpkg-deb -x "$deb" "$root.tmp"
done
rm -rf "$root"
mv "$root.tmp" "$root"
echo "$root"
