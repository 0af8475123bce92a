#!/bin/bash
# fetch-kernel.sh NAME
#
# Make the Debian kernel NAME (a line of kernels.conf) ready for the VM
# harness: its headers unpacked into the cache (the module builds against
# them) and its uncompressed vmlinux extracted (QEMU boots it). Prints, on
# stdout:
#   release=<kernel release>  kdir=<kbuild dir>  vmlinux=<path>
#   fuse=<fuse.ko path, empty if FUSE is built in>
# one per line; progress goes to stderr.
#
# The host is never changed beyond the build tools setup-host.sh installs:
# no kernel package goes through the host's dpkg (installing headers pulls
# in the image, initramfs-tools and an initrd, and repoints /vmlinuz).
# Packages come through a private apt configuration under the cache dir, so
# the host's /etc/apt is never edited; the mirrors are the ones the host's
# own apt already uses. "host" kernels (kernels.conf) have their headers,
# their -common tree and linux-kbuild fetched with "apt-get download" and
# unpacked with "dpkg-deb -x" into $cache/headers/<release>, their absolute
# paths (symlinks, the include of the -common Makefile) rewritten into
# that root: kdir is $cache/headers/<release>/usr/src/linux-headers-<release>.
# Everything is cached: once a kernel is fetched, a run costs a few
# apt-cache queries.
#
# Kernels whose kbuild tools or compiler the host lacks (kernels.conf
# column "build" = chroot: trixie's 7.x needs a newer glibc and gcc-14,
# bullseye's 5.10 gcc-10) are fetched with the apt of a debootstrap chroot
# of their first suite, cached in $cache/chroots/<suite>
# (tests/vm/chroot-build.sh); their headers are installed there, never on
# the host. Their kdir is a stand-in directory whose Makefile runs the same
# make inside the chroot, with the module directory bound at the same path:
# "make -C <kdir> M=<abs dir> modules" works as with any other kernel.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${SECCOMP_PIN_CACHE:-/var/cache/seccomp-pin}
table=$here/kernels.conf

(($# == 1)) || { echo "usage: $0 NAME" >&2; exit 2; }
name=$1

log() { echo "fetch-kernel: $*" >&2; }
die() { log "$*"; exit 1; }

# table_field COLUMN [NAME] [BUILD]: COLUMN (2 = suites, 3 = image regex,
# 4 = build) of NAME's line, or of every line without NAME; with BUILD,
# only lines of that build kind (column 4, "host" when missing).
table_field() {
	awk -v col="$1" -v name="${2:-}" -v build="${3:-}" '
		!/^[[:space:]]*(#|$)/ && (name == "" || $1 == name) &&
		(build == "" || build == ($4 == "" ? "host" : $4)) { print $col }' "$table"
}

image_re=$(table_field 3 "$name")
[[ -n $image_re ]] ||
	die "unknown kernel '$name' (known: $(table_field 1 | tr '\n' ' '))"
build=$(table_field 4 "$name")
build=${build:-host}
[[ $build == host || $build == chroot ]] ||
	die "kernels.conf: build of '$name' is '$build', not host or chroot"

apt_dir=$cache/apt
APT=(-o "Dir::Etc::SourceList=$apt_dir/etc/sources.list"
     -o "Dir::Etc::SourceParts=/dev/null"
     -o "Dir::State::Lists=$apt_dir/lists"
     -o "Dir::Cache=$apt_dir"
     -o "APT::Sandbox::User=root"
     -o "DPkg::Lock::Timeout=600")

mkdir -p "$apt_dir/etc" "$apt_dir/lists/partial" "$apt_dir/archives/partial" \
	"$cache/src" "$cache/kernels"

# Concurrent harness runs would race on the lists and on dpkg.
exec 9>"$cache/.lock"
flock 9

# host_mirror SUITE: the archive URI the host's apt uses for SUITE (its own
# release or release-security; other repositories it has, e.g. vendors',
# serve other suites), from $host_targets.
host_mirror() {
	awk -v suite="$1" '$2 == suite { sub(/\/$/, "", $1); print $1; exit }' <<<"$host_targets"
}

# find_mirrors: set $main and $sec, the Debian and Debian security archives.
find_mirrors() {
	local host_targets codename
	main=${SECCOMP_PIN_DEBIAN_MIRROR:-} sec=${SECCOMP_PIN_SECURITY_MIRROR:-}
	if [[ -z $main || -z $sec ]]; then
		# shellcheck disable=SC2016 # $(...) is apt's format syntax
		host_targets=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)')
		# shellcheck source=/dev/null # the host's, read for VERSION_CODENAME
		codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
		[[ -n $main ]] || main=$(host_mirror "$codename")
		[[ -n $sec ]] || sec=$(host_mirror "$codename-security")
	fi
	[[ -n $main && -n $sec ]] || die "cannot find the host's Debian mirrors" \
		"in its apt config; set SECCOMP_PIN_DEBIAN_MIRROR and SECCOMP_PIN_SECURITY_MIRROR"
}

# The host's private sources list: the suites of every host-built kernel
# (never a chroot kernel's: their packages need a newer libc than the host's).
write_sources() {
	local suite list=
	for suite in $(table_field 2 "" host | tr ',' '\n' | sort -u); do
		local uri=$main
		[[ $suite == *-security ]] && uri=$sec
		list+="deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $suite main"$'\n'
	done
	# Rewrite only on change: the mtime says whether the lists are stale.
	if [[ ! -f $apt_dir/etc/sources.list ]] ||
	   [[ $(cat "$apt_dir/etc/sources.list") != "${list%$'\n'}" ]]; then
		printf '%s' "$list" >"$apt_dir/etc/sources.list"
	fi
}

update_lists_if_stale() {
	local stamp=$apt_dir/lists/.updated
	if [[ -f $stamp && $stamp -nt $apt_dir/etc/sources.list &&
	      -z $(find "$stamp" -mmin +1440) ]]; then
		return
	fi
	log "apt-get update (private lists in $apt_dir)"
	if apt-get "${APT[@]}" update -qq --error-on=any >&2; then
		touch "$stamp"
	elif compgen -G "$apt_dir/lists/*_Packages*" >/dev/null; then
		# A mirror hiccup must not fail a run whose kernels are cached.
		log "warning: apt-get update failed; using the lists from before"
	else
		die "apt-get update failed and there are no package lists"
	fi
}

# The package tools of the kernel's build environment: the host's private
# apt configuration (queries and downloads only: nothing is ever installed
# on the host), or the chroot's own apt and dpkg.
in_chroot() { "$here/chroot-build.sh" run "$root" "$@"; }
kapt_cache() {
	if [[ $build == host ]]; then
		apt-cache "${APT[@]}" "$@"
	else
		in_chroot -- apt-cache "$@"
	fi
}
# kapt_download PKG: PKG's .deb into $cache/src.
kapt_download() {
	if [[ $build == host ]]; then
		(cd "$cache/src" && apt-get "${APT[@]}" download -qq "$1")
	else
		# shellcheck disable=SC2016 # expanded by the chroot's sh
		in_chroot --bind "$cache/src" -- \
			/bin/sh -c 'cd "$1" && apt-get -o APT::Sandbox::User=root download -qq "$2"' sh "$cache/src" "$1"
	fi
}
# chroot_install PKG... / chroot_status PKG: the chroot's dpkg.
chroot_install() {
	in_chroot -- apt-get install -y -qq --no-install-recommends "$@"
}
chroot_status() {
	# shellcheck disable=SC2016 # ${...} is dpkg-query's format syntax
	in_chroot -- dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true
}

# newest_release: kernel release of the newest image package matching the
# table's regex that also has a headers package.
newest_release() {
	local pkg rel
	while read -r pkg; do
		rel=${pkg#linux-image-}
		if kapt_cache show "linux-headers-$rel" >/dev/null 2>&1; then
			echo "$rel"
			return
		fi
	done < <(kapt_cache pkgnames linux-image- | grep -E "$image_re" | sort -rV)
	die "no package matches '$image_re' in $(table_field 2 "$name")"
}

# chroot_headers REL: REL's headers installed in the chroot (its own dpkg).
chroot_headers() {
	local rel=$1 status
	status=$(chroot_status "linux-headers-$rel")
	if [[ $status != installed || ! -f $root/usr/src/linux-headers-$rel/Makefile ]]; then
		log "installing linux-headers-$rel in $root"
		chroot_install "linux-headers-$rel" >&2
	fi
}

# header_debs REL: the packages whose files make REL's kbuild tree:
# linux-headers-REL and, recursively, the linux-headers-* (the -common
# tree) and linux-kbuild-* packages it depends on. Its other dependencies
# are the kernel image (fetch_vmlinux takes what the VM needs from it; it
# is never installed), the compiler (linux-compiler-gcc-N-x86, gcc-N:
# checked against the tree's CC in host_headers) and host libraries and
# tools the kbuild binaries use: those must be on the host already (a
# warning names any that is not, since a module build needs few of them).
header_debs() {
	local queue=("linux-headers-$1") pkg dep
	local -A queued=(["linux-headers-$1"]=1)
	while ((${#queue[@]})); do
		pkg=${queue[0]}
		queue=("${queue[@]:1}")
		echo "$pkg"
		# "Depends: a" and, for alternatives, "|Depends: a" then
		# "Depends: b"; <virtual> names are provided by the image.
		while read -r dep; do
			case $dep in
			\<*) ;;
			linux-headers-*|linux-kbuild-*)
				[[ -n ${queued[$dep]:-} ]] || { queued[$dep]=1; queue+=("$dep"); } ;;
			# linux-base: scripts for installed kernels (the
			# 6.12 headers depend on it), nothing kbuild runs.
			linux-image-*|linux-compiler-gcc-*|gcc-*|linux-base) ;;
			*)
				[[ $(dpkg-query -W -f='${db:Status-Status}' "$dep" 2>/dev/null) == installed ]] ||
					log "warning: $pkg depends on $dep, which the host does not have" ;;
			esac
		done < <(apt-cache "${APT[@]}" depends --no-recommends --no-suggests \
			--no-conflicts --no-breaks --no-replaces --no-enhances "$pkg" |
			awk '$1 ~ /^\|?(Pre)?Depends:$/ { print $2 }')
	done
}

# host_headers REL: REL's kbuild tree unpacked into $cache/headers/REL
# (never through dpkg: see the top), relocated there, and checked. Prints
# the kdir.
host_headers() {
	local rel=$1 dst=$cache/headers/$1 tmp debs pkg link target cc
	local kdir=$cache/headers/$1/usr/src/linux-headers-$1
	# The include below is absolute: a cache that moved is unpacked again.
	if [[ -f $dst/.seccomp-pin-headers && -f $kdir/Makefile ]] &&
	   grep -q "^include $dst/usr/src/" "$kdir/Makefile"; then
		echo "$kdir"
		return
	fi
	tmp=$dst.tmp
	rm -rf "$tmp"
	mkdir -p "$tmp/.debs"
	mapfile -t debs < <(header_debs "$rel")
	log "unpacking ${debs[*]} into $dst"
	(cd "$tmp/.debs" && apt-get "${APT[@]}" download -qq "${debs[@]}") >&2
	for pkg in "$tmp"/.debs/*.deb; do
		dpkg-deb -x "$pkg" "$tmp"
	done
	basename -a "$tmp"/.debs/*.deb >"$tmp/.seccomp-pin-headers.tmp"
	rm -rf "$tmp/.debs"
	# /lib/modules/REL/{build,source}: links for an installed kernel,
	# meaningless here.
	rm -rf "${tmp:?}/lib"
	# Absolute symlinks (none in the trees of 5.10 to 6.12, but a tree
	# that has one must not reach into the host's /usr) point into the
	# root instead, relative so that they keep working when the root moves.
	while IFS= read -r -d '' link; do
		target=$(readlink "$link")
		ln -sfn "$(realpath -m --relative-to="$(dirname "$link")" "$tmp$target")" "$link"
	done < <(find "$tmp" -type l -lname '/*' -print0)
	# The flavour's Makefile is one line, "include /usr/src/<common>/Makefile":
	# point it into the root. The -common Makefile finds its own tree from
	# its path (abs_srctree), so nothing else names /usr/src.
	sed -i -E "s#^include /usr/src/#include $dst/usr/src/#" "$tmp/usr/src/linux-headers-$rel/Makefile"
	if grep -nE '(^|[^[:alnum:]_/])/usr/(src|lib/linux-kbuild)' "$tmp/usr/src/linux-headers-$rel/Makefile" >&2; then
		die "linux-headers-$rel: an absolute path is left in its Makefile (above)"
	fi
	# The compiler the kernel was built with (.kernelvariables: CC = ...gcc-N)
	# is the host's: Debian's linux-compiler-gcc-N-x86 asks for gcc-N. A
	# kernel of another compiler is a "chroot" kernel (kernels.conf).
	cc=$(sed -n -E 's/^CC = .*\)(gcc-[0-9]+)$/\1/p' "$tmp/usr/src/linux-headers-$rel/.kernelvariables" 2>/dev/null || true)
	if [[ -n $cc ]] && ! command -v "$cc" >/dev/null; then
		die "linux-headers-$rel is built with $cc, which the host lacks: make it a chroot kernel in kernels.conf"
	fi
	# A tree with a vmlinux (6.12) makes module BTF with pahole: without
	# it every module build fails late and obscurely.
	if [[ -f $tmp/usr/src/linux-headers-$rel/vmlinux ]] &&
	   grep -qx 'CONFIG_DEBUG_INFO_BTF_MODULES=y' "$tmp/usr/src/linux-headers-$rel/.config" &&
	   ! command -v pahole >/dev/null; then
		die "linux-headers-$rel makes module BTF with pahole, which the host lacks (tests/vm/setup-host.sh installs it)"
	fi
	mv "$tmp/.seccomp-pin-headers.tmp" "$tmp/.seccomp-pin-headers"
	rm -rf "$dst"
	mv "$tmp" "$dst"
	echo "$kdir"
}

# image_member DEB REL: the path of the kernel image inside DEB, if any.
# Debian had it in linux-image-REL as /boot/vmlinuz-REL; since 2026 the
# image package is a stub depending on linux-binary-REL, which has
# /usr/lib/modules/REL/vmlinuz.
image_member() {
	dpkg-deb --fsys-tarfile "$1" | tar -tf - |
		awk -v a="./boot/vmlinuz-$2" -v b="./usr/lib/modules/$2/vmlinuz" \
			'($0 == a || $0 == b) && !found { print; found = 1 }'
}

# fetch_vmlinux REL: download the package with the kernel image (never
# installed: that would run update-initramfs and DKMS), take its bzImage,
# and extract the ELF vmlinux once.
fetch_vmlinux() {
	local rel=$1 dir=$cache/kernels/$1 deb pkg member=''
	if [[ -s $dir/vmlinux ]]; then
		return
	fi
	for pkg in "linux-image-$rel" "linux-binary-$rel"; do
		deb=$(find "$cache/src" -maxdepth 1 -name "${pkg}_*.deb" | sort -V | tail -n 1)
		if [[ -z $deb ]]; then
			log "downloading $pkg"
			kapt_download "$pkg" >&2 || continue
			deb=$(find "$cache/src" -maxdepth 1 -name "${pkg}_*.deb" | sort -V | tail -n 1)
			[[ -n $deb ]] || die "apt-get download left no $pkg .deb"
		fi
		member=$(image_member "$deb" "$rel")
		[[ -z $member ]] || break
	done
	[[ -n $member ]] || die "no kernel image for $rel in linux-image-$rel or linux-binary-$rel"
	log "extracting vmlinux from $(basename "$deb")"
	mkdir -p "$dir"
	# Only the image: the modules in the package are not needed (the guest
	# has no disk) and are most of its size.
	dpkg-deb --fsys-tarfile "$deb" | tar -xf - -C "$dir" "$member"
	"$here/extract-vmlinux.sh" "$dir/$member" "$dir/vmlinux"
}

# fetch_fuse REL: print the path of REL's fuse.ko, uncompressed (busybox
# insmod takes no .ko.xz), taken once from the image package fetch_vmlinux
# downloaded; nothing if FUSE is built in (6.12) or there is no package.
# test_killable_read needs FUSE; run-vm-tests loads it as an extra module.
fetch_fuse() {
	local dir=$cache/kernels/$1 deb member='' seen=0
	if [[ ! -e $dir/fuse.ko && ! -e $dir/fuse.none ]]; then
		for deb in "$cache/src/linux-image-$1"_*.deb "$cache/src/linux-binary-$1"_*.deb; do
			[[ -f $deb ]] || continue
			seen=1
			member=$(dpkg-deb --fsys-tarfile "$deb" | tar -tf - |
				awk '/\/kernel\/fs\/fuse\/fuse\.ko(\.xz|\.zst)?$/ && !f { print; f = 1 }')
			[[ -n $member ]] || continue
			log "extracting $(basename "$member") from $(basename "$deb")"
			if dpkg-deb --fsys-tarfile "$deb" | tar -xOf - "$member" |
				case $member in
				*.xz) xz -dc ;;
				*.zst) zstd -dc ;;
				*) cat ;;
				esac >"$dir/fuse.ko.tmp"; then
				mv "$dir/fuse.ko.tmp" "$dir/fuse.ko"
			else
				rm -f "$dir/fuse.ko.tmp"
			fi
			break
		done
		[[ $seen == 0 || -n $member ]] || touch "$dir/fuse.none"
	fi
	[[ ! -e $dir/fuse.ko ]] || echo "$dir/fuse.ko"
}

# chroot_kdir REL: the stand-in kbuild directory of a chroot kernel. Its
# Makefile forwards every goal to the headers' own Makefile inside the
# chroot, with M's parent directory (the module and its sibling include/)
# bound at the same path. M must be absolute. The outer -j is not passed
# through (jobserver fds do not cross the chroot): -j$(nproc) inside.
chroot_kdir() {
	local rel=$1 dir=$cache/kbuild/$1 mk
	mkdir -p "$dir"
	mk="# Generated by tests/vm/fetch-kernel.sh: kbuild of $rel runs in $root.
# make -C $dir M=/absolute/module/dir [targets]
Makefile: ;
%: FORCE
	@case '\$(M)' in /*) ;; *) echo 'M=<absolute module dir> is required' >&2; exit 2 ;; esac
	@$here/chroot-build.sh run $root --bind \$(dir \$(M:%/=%)) -- \\
		make -C /usr/src/linux-headers-$rel M=\$(M:%/=%) -j\$(shell nproc) \\
		\$(if \$(V),V=\$(V)) \$@
FORCE: ;
.PHONY: FORCE"
	if [[ ! -f $dir/Makefile || $(cat "$dir/Makefile") != "$mk" ]]; then
		printf '%s\n' "$mk" >"$dir/Makefile"
	fi
	echo "$dir"
}

find_mirrors
root='' stamp=$apt_dir/lists/.updated
if [[ $build == host ]]; then
	write_sources
	update_lists_if_stale
else
	suites=$(table_field 2 "$name")
	root=$cache/chroots/${suites%%,*}
	stamp=$root/var/lib/apt/lists/.updated
	"$here/chroot-build.sh" ensure "$root" "$suites" "$main" "$sec"
fi
# The answer only changes when the lists do: remember it until the next update.
resolved=$cache/kernels/$name.release
if [[ -s $resolved && -f $stamp && $resolved -nt $stamp ]]; then
	release=$(<"$resolved")
else
	release=$(newest_release)
	echo "$release" >"$resolved"
fi
if [[ $build == host ]]; then
	kdir=$(host_headers "$release")
else
	chroot_headers "$release"
	kdir=$(chroot_kdir "$release")
fi
fetch_vmlinux "$release"

echo "release=$release"
echo "kdir=$kdir"
echo "vmlinux=$cache/kernels/$release/vmlinux"
fuse=$(fetch_fuse "$release")
echo "fuse=$fuse"
