#!/bin/bash
# build-debug-kernel.sh [--cached-only]
#
# Build (once) the debug kernel of make check-debug and print, on stdout:
#   release=<kernel release>  kdir=<kbuild dir>  image=<bzImage>
#   mem=<guest MiB>  append=<kernel arguments>  conf=<guest /init setting>
# one per line (run-vm-tests --kernel debug reads them); progress goes to
# stderr.
#
# The kernel is Debian's own source of the stock 6.12 test kernel
# (linux-source-6.12 at the version of the linux-image package that
# tests/vm/kernels.conf's "6.12" line selects), configured for the QEMU guest
# with KASAN, KFENCE, lockdep, UBSAN, kmemleak, debug objects and fault
# injection (debug.config beside this script, merged over x86_64_defconfig +
# kvm_guest.config). Every value the fragment sets is checked in the final
# .config: a missing dependency fails the build here instead of silently
# testing less.
#
# The source package comes through fetch-kernel.sh's private apt
# configuration (never installed, never touching /etc/apt). The result is
# cached in $cache/debug-kernel/<source version>-<fragment hash>/; once
# built, a run costs one fetch-kernel.sh call and an apt-cache query.
# The build tree doubles as the kbuild dir of the out-of-tree module
# (Module.symvers, scripts, generated headers).
#
# A fragment edit need not cost a cold build: when a complete build of the
# same source version exists (another fragment hash), its tree is copied
# and configured afresh, and kbuild rebuilds only what the changed options
# touch (it tracks dependencies per option, include/config/).
#
# --cached-only: print the same if the build is cached, else exit 3 without
# building (CI runs check-debug only from a cached kernel).
#
# Environment: SECCOMP_PIN_CACHE (default /var/cache/seccomp-pin),
# DEBUG_KERNEL_JOBS (make -j, default nproc), DEBUG_KERNEL_NICE (the
# build's niceness, default 10).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
vm=$(cd "$here/.." && pwd)
cache=${SECCOMP_PIN_CACHE:-/var/cache/seccomp-pin}
fragment=$here/debug.config
jobs=${DEBUG_KERNEL_JOBS:-$(nproc)}
niceness=${DEBUG_KERNEL_NICE:-10}

cached_only=0
case ${1:-} in
--cached-only) cached_only=1 ;;
'') ;;
*) echo "usage: $0 [--cached-only]" >&2; exit 2 ;;
esac

log() { echo "build-debug-kernel: $*" >&2; }
die() { log "$*"; exit 1; }

# The same private apt configuration as fetch-kernel.sh (its sources list
# and lists, which that script keeps up to date).
apt_dir=$cache/apt
APT=(-o "Dir::Etc::SourceList=$apt_dir/etc/sources.list"
     -o "Dir::Etc::SourceParts=/dev/null"
     -o "Dir::State::Lists=$apt_dir/lists"
     -o "Dir::Cache=$apt_dir"
     -o "APT::Sandbox::User=root"
     -o "DPkg::Lock::Timeout=600")

# The stock 6.12 kernel: its release, hence its package version.
stock=$("$vm/fetch-kernel.sh" 6.12 | sed -n 's/^release=//p')
[[ -n $stock ]] || die "fetch-kernel.sh 6.12 gave no release"
version=$(apt-cache "${APT[@]}" show "linux-image-$stock" 2>/dev/null |
	sed -n 's/^Version: //p' | sort -V | tail -n 1)
[[ -n $version ]] || die "no package version for linux-image-$stock"
series=$(echo "$stock" | grep -oE '^[0-9]+\.[0-9]+')
hash=$(sha256sum "$fragment" | cut -c1-12)
dir=$cache/debug-kernel/$version-$hash
src=$dir/linux

report() {
	echo "release=$(<"$dir/release")"
	echo "kdir=$src"
	echo "image=$src/arch/x86/boot/bzImage"
	# How run-vm-tests boots it: KASAN's shadow and kmemleak's metadata
	# want memory; under TCG's -cpu max (LA57) KASAN dies at boot with
	# 5-level paging; a KASAN report panics at once (it is a bug found,
	# not a log line to scan for later); kmemleak is there to be checked.
	echo "mem=2048"
	echo "append=no5lvl kasan.fault=panic"
	echo "conf=SPT_KMEMLEAK=1"
}

if [[ -f $dir/complete ]]; then
	report
	exit 0
fi

if ((cached_only)); then
	log "not cached: $dir"
	exit 3
fi

mkdir -p "$cache/debug-kernel" "$cache/src"
# One build at a time; a second caller waits and then finds it complete.
exec 8>"$cache/debug-kernel/.lock"
flock 8
if [[ -f $dir/complete ]]; then
	report
	exit 0
fi

# --- Source ------------------------------------------------------------------
pkg=linux-source-$series
deb=$cache/src/${pkg}_${version//:/%3a}_all.deb
if [[ ! -s $deb ]]; then
	log "downloading $pkg=$version"
	# fetch-kernel.sh's lock: apt's lists and cache are shared.
	(
		flock 9
		cd "$cache/src" && apt-get "${APT[@]}" download -qq "$pkg=$version"
	) 9>"$cache/.lock" >&2
	[[ -s $deb ]] || die "apt-get download left no $deb"
fi

# A build stopped part way (killed, machine rebooted) resumes: its tree
# passed the configuration check below, and make redoes only what is missing.
if [[ -f $dir/configured && -f $src/.config ]]; then
	log "resuming the stopped build in $dir"
	resume=1
else
	resume=0
	rm -rf "$dir"
	mkdir -p "$dir"
fi
seed=
((resume)) || seed=$(find "$cache/debug-kernel" -mindepth 2 -maxdepth 2 -name complete \
	-path "$cache/debug-kernel/$version-*" -printf '%h\n' | head -n 1)
if ((resume)); then
	:
elif [[ -n $seed ]]; then
	log "copying the tree of $(basename "$seed") (same source, other fragment)"
	cp -a "$seed/linux" "$src"
else
	log "unpacking $(basename "$deb") into $dir"
	tarball=$(dpkg-deb -c "$deb" | awk '{ print $NF }' |
		grep -E "^\./usr/src/linux-source-$series\.tar\.(xz|bz2|gz)$" || true)
	[[ -n $tarball ]] || die "no source tarball in $deb"
	dpkg-deb --fsys-tarfile "$deb" | tar -xOf - "$tarball" | tar -xJf - -C "$dir"
	mv "$dir/linux-source-$series" "$src"
fi

# --- Configuration -------------------------------------------------------------
if ((!resume)); then
	log "configuring: x86_64_defconfig + kvm_guest.config + $(basename "$fragment")"
	make -s -C "$src" x86_64_defconfig >&2
	make -s -C "$src" kvm_guest.config >&2
	(cd "$src" && scripts/kconfig/merge_config.sh -m .config "$fragment") >"$dir/merge.log" 2>&1 ||
		{ cat "$dir/merge.log" >&2; die "merge_config.sh failed"; }
	make -s -C "$src" olddefconfig >&2

	# Every value the fragment sets must have survived olddefconfig.
	missing=0
	while IFS= read -r line; do
		if ! grep -qxF -- "$line" "$src/.config"; then
			opt=${line%%=*}
			log "REQUIRED $line, but .config has: $(grep -E "^(# )?${opt}[= ]" "$src/.config" || echo 'nothing (no such option, or its dependencies are unmet)')"
			missing=$((missing + 1))
		fi
	done < <(grep -E '^CONFIG_[A-Z0-9_]+=' "$fragment")
	((missing == 0)) || die "$missing required option(s) not set; see above (fix $fragment)"
	log "all $(grep -cE '^CONFIG_[A-Z0-9_]+=' "$fragment") required options are set"
	touch "$dir/configured"
fi

# --- Build ---------------------------------------------------------------------
# nice: VMs of other harness runs on the same host keep their vCPUs.
if [[ -n $seed ]]; then
	log "make -j$jobs bzImage modules (incremental: what the changed options touch)"
else
	log "make -j$jobs bzImage modules (long: 30 min or more on 2 cores)"
fi
start=$(date +%s)
if ! nice -n "$niceness" make -C "$src" -j"$jobs" bzImage modules >"$dir/build.log" 2>&1; then
	tail -n 40 "$dir/build.log" >&2
	die "kernel build failed (log: $dir/build.log)"
fi
end=$(date +%s)
how=${seed:+ incremental}
((resume)) && how=" resumed"
echo "$((end - start))$how" >"$dir/build-seconds"
log "built in $((end - start)) s"

make -s -C "$src" kernelrelease >"$dir/release"
[[ $(<"$dir/release") != "$stock" ]] || die "debug release equals the stock one"
[[ -s $src/Module.symvers && -s $src/arch/x86/boot/bzImage ]] ||
	die "build left no Module.symvers or bzImage"
touch "$dir/complete"
# Older trees stay: another checkout may still boot or build against one.
old=$(find "$cache/debug-kernel" -mindepth 1 -maxdepth 1 -type d ! -path "$dir" | wc -l)
((old == 0)) || log "$old older build(s) in $cache/debug-kernel (4-5 GB each; delete unused ones by hand)"
report
