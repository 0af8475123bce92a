#!/bin/bash
# build-initramfs.sh --out CPIO --module KO [--extra-module KO]...
#                    [--guest-module KO]... --suite-dir DIR [--suite-timeout SEC]
#                    [--conf NAME=VALUE]...
#
# Pack the guest's whole root file system as an uncompressed newc cpio
# (the kernel unpacks it faster than a compressed one and it is only a few
# MB): static busybox and its applet links, guest-init.sh as /init, the
# module as /seccomp_pin.ko, extra modules under /extra/, test modules
# that suites load themselves under /kmod/ (never loaded by /init), every
# executable of the suite dir under /tests/ with the shared libraries they
# need at the paths ldd finds them on the host, and /etc/spt.conf for /init
# (--conf adds settings to it, e.g. SPT_KMEMLEAK=1; guest-init.sh says
# which).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out='' module='' suite_dir='' suite_timeout=300
extras=() guest_modules=() confs=()
while (($#)); do
	case $1 in
	--out) out=$2; shift 2 ;;
	--module) module=$2; shift 2 ;;
	--extra-module) extras+=("$2"); shift 2 ;;
	--guest-module) guest_modules+=("$2"); shift 2 ;;
	--suite-dir) suite_dir=$2; shift 2 ;;
	--suite-timeout) suite_timeout=$2; shift 2 ;;
	--conf) confs+=("$2"); shift 2 ;;
	*) echo "build-initramfs: unknown argument $1" >&2; exit 2 ;;
	esac
done
[[ -n $out && -n $module && -n $suite_dir ]] || {
	echo "usage: $0 --out CPIO --module KO [--extra-module KO]... --suite-dir DIR" >&2
	exit 2
}
die() { echo "build-initramfs: $*" >&2; exit 1; }
[[ -f $module ]] || die "no module $module"
[[ -d $suite_dir ]] || die "no suite dir $suite_dir"

root=$out.d
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,etc,tests,extra,kmod}

# Busybox: the static binary plus one symlink per applet where it belongs.
busybox=/bin/busybox
[[ -x $busybox ]] || die "$busybox missing (package busybox-static)"
cp "$busybox" "$root/bin/busybox"
while read -r applet; do
	[[ -e $root/$applet ]] || ln -s /bin/busybox "$root/$applet"
done < <("$busybox" --list-full)

# The kernel opens /dev/console for PID 1 before anything can mount
# devtmpfs (Debian: DEVTMPFS_MOUNT=n); without the node /init has no stdout.
mknod -m 600 "$root/dev/console" c 5 1
cp "$here/guest-init.sh" "$root/init"
chmod 755 "$root/init"
printf 'root:x:0:0:root:/tmp:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' \
	>"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"

cp "$module" "$root/seccomp_pin.ko"
extra_names=()
for ko in "${extras[@]}"; do
	[[ -f $ko ]] || die "no module $ko"
	# The name rmmod wants is the module's, not the file's.
	name=$(modinfo -F name "$ko" 2>/dev/null || true)
	[[ -n $name ]] || { name=$(basename "$ko" .ko); name=${name//-/_}; }
	cp "$ko" "$root/extra/$name.ko"
	extra_names+=("$name")
done
for ko in "${guest_modules[@]}"; do
	[[ -f $ko ]] || die "no module $ko"
	cp "$ko" "$root/kmod/"
done

# copy_libs FILE: put FILE's shared libraries into the image. The loader is
# listed by ldd as a plain path, the others as "name => path".
declare -A lib_dirs=()
copy_libs() {
	local line path guest
	while read -r line; do
		case $line in
		*"not found"*) die "$1: unresolved library: $line" ;;
		*" => "/*) path=${line#* => }; path=${path%% (*} ;;
		/*) path=${line%% (*} ;;
		*) continue ;;	# linux-vdso.so.1, or not dynamic
		esac
		guest=$path
		case $path in
		/lib/* | /lib64/* | /usr/lib/* | /usr/lib64/*) ;;
		# Anywhere else (a build tree, maybe under /tmp, which the
		# guest mounts a tmpfs over): under /opt/spt-libs.
		*) guest=/opt/spt-libs$path ;;
		esac
		if [[ ! -e $root$guest ]]; then
			mkdir -p "$root$(dirname "$guest")"
			cp -L "$path" "$root$guest"
		fi
		lib_dirs[$(dirname "$guest")]=1
	done < <(ldd "$1" 2>/dev/null || true)
}

nsuites=0
while IFS= read -r -d '' exe; do
	cp "$exe" "$root/tests/"
	copy_libs "$exe"
	[[ $(basename "$exe") == test_* ]] && nsuites=$((nsuites + 1))
done < <(find "$suite_dir" -maxdepth 1 -type f -perm -u+x \
	! -name '*.so' ! -name '*.so.*' -print0)
((nsuites > 0)) || die "no executable test_* in $suite_dir"

# Libraries found through the host's rpath or LD_LIBRARY_PATH need the same
# search path in the guest, where /tests/ is not the build directory.
ld_path=$(printf '%s\n' "${!lib_dirs[@]}" | sort | paste -sd:)
cat >"$root/etc/spt.conf" <<CONF
SPT_SUITE_TIMEOUT=$suite_timeout
SPT_EXTRA_MODULES="${extra_names[*]}"
LD_LIBRARY_PATH=$ld_path
CONF
for c in "${confs[@]}"; do
	[[ $c =~ ^(SPT_[A-Z0-9_]+)=([A-Za-z0-9_.,\ /-]*)$ ]] ||
		die "--conf '$c': want SPT_NAME=value (letters, digits, space, _.,/-)"
	printf '%s="%s"\n' "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" >>"$root/etc/spt.conf"
done

(cd "$root" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc -R 0:0 --quiet) >"$out.tmp"
mv "$out.tmp" "$out"
