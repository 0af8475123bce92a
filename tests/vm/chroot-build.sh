#!/bin/bash
# chroot-build.sh: Debian chroots for kernels whose kbuild tools cannot run
# on the host (newer glibc, newer gcc than the host has: trixie's 7.x on a
# bookworm host).
#
#   chroot-build.sh ensure ROOT SUITES MIRROR SECURITY_MIRROR
#       Create ROOT (a debootstrap of the first of the comma-separated
#       SUITES) if it is missing, point its apt at SUITES (-security ones
#       at SECURITY_MIRROR) and refresh its package lists once a day.
#       Cached: a second call costs a few stat()s.
#   chroot-build.sh run ROOT [--bind DIR]... -- COMMAND [ARG]...
#       Run COMMAND in ROOT, in a private mount namespace with /proc, /dev
#       and each DIR (bound at the same path) mounted; nothing stays
#       mounted afterwards, whatever happens.
#
# The chroot holds make, kmod and whatever the kernel's linux-headers
# package pulls in (that package depends on the gcc the kernel was built
# with, e.g. gcc-14-for-host). fetch-kernel.sh installs the headers, with
# the chroot's own apt, so the host's dpkg database never sees a package
# of another release. Needs root and debootstrap (installed from the host's
# own suite if missing).
set -euo pipefail

log() { echo "chroot-build: $*" >&2; }
die() { log "$*"; exit 1; }

# Packages on top of debootstrap's minbase: the build (make, and binutils:
# the gcc the headers pull in, e.g. gcc-14-for-host, does not bring the
# plain "as" it runs), modinfo (kmod).
BASE_PACKAGES=make,binutils,kmod

in_root() {
	local root=$1
	shift
	# shellcheck disable=SC2016 # the script's $1... are its own arguments
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
		DEBIAN_FRONTEND=noninteractive \
		unshare --mount --propagation private -- /bin/sh -euc '
		root=$1; shift
		mount -t proc proc "$root/proc"
		mount --bind /dev "$root/dev"
		while [ "$1" = --bind ]; do
			mkdir -p "$root$2"
			mount --bind "$2" "$root$2"
			shift 2
		done
		[ "$1" = -- ] && shift
		exec chroot "$root" "$@"' in_root "$root" "$@"
}

# unmount_below DIR: undo mounts a killed debootstrap may have left (its
# /proc, /sys), deepest first, so that removing DIR stays inside it.
unmount_below() {
	local mnt
	findmnt -rn -o TARGET | awk -v d="$1/" 'index($0 "/", d) == 1' | sort -r |
		while read -r mnt; do umount -l "$mnt" || true; done
}

write_apt_sources() {
	local root=$1 suites=$2 mirror=$3 security=$4 suite uri list=
	for suite in ${suites//,/ }; do
		uri=$mirror
		[[ $suite == *-security ]] && uri=$security
		list+="deb $uri $suite main"$'\n'
	done
	if [[ ! -f $root/etc/apt/sources.list ]] ||
	   [[ $(cat "$root/etc/apt/sources.list") != "${list%$'\n'}" ]]; then
		printf '%s' "$list" >"$root/etc/apt/sources.list"
		rm -f "$root/var/lib/apt/lists/.updated"
	fi
}

ensure() {
	(($# == 4)) || die "usage: $0 ensure ROOT SUITES MIRROR SECURITY_MIRROR"
	local root=$1 suites=$2 mirror=$3 security=$4 base tmp stamp
	base=${suites%%,*}
	if [[ ! -f $root/.seccomp-pin-chroot ]]; then
		command -v debootstrap >/dev/null || {
			log "installing debootstrap"
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				--no-install-recommends -o DPkg::Lock::Timeout=600 \
				debootstrap >&2
		}
		tmp=$root.tmp
		if [[ -e $tmp ]]; then
			unmount_below "$tmp"
			rm -rf --one-file-system "$tmp"
		fi
		mkdir -p "$(dirname "$root")"
		log "debootstrap $base into $root (first time only; a few minutes)"
		debootstrap --variant=minbase --include="$BASE_PACKAGES" \
			--keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
			"$base" "$tmp" "$mirror" >"$root.debootstrap.log" 2>&1 || {
			unmount_below "$tmp"
			tail -n 20 "$root.debootstrap.log" >&2
			die "debootstrap $base failed (log: $root.debootstrap.log)"
		}
		unmount_below "$tmp"
		# Never start services from package scripts in the chroot.
		printf '#!/bin/sh\nexit 101\n' >"$tmp/usr/sbin/policy-rc.d"
		chmod 755 "$tmp/usr/sbin/policy-rc.d"
		# Headers only: no documentation, no recommends.
		printf 'APT::Install-Recommends "false";\n' \
			>"$tmp/etc/apt/apt.conf.d/90seccomp-pin"
		echo "$BASE_PACKAGES" >"$tmp/.seccomp-pin-chroot"
		if [[ -e $root ]]; then
			unmount_below "$root"
			rm -rf --one-file-system "$root"
		fi
		mv "$tmp" "$root"
	fi
	write_apt_sources "$root" "$suites" "$mirror" "$security"
	stamp=$root/var/lib/apt/lists/.updated
	if [[ ! -f $stamp || -n $(find "$stamp" -mmin +1440) ]]; then
		log "apt-get update in $root"
		if in_root "$root" -- apt-get update -qq --error-on=any >&2; then
			touch "$stamp"
		elif compgen -G "$root/var/lib/apt/lists/*_Packages*" >/dev/null; then
			log "warning: apt-get update failed in $root; using the lists from before"
		else
			die "apt-get update failed in $root and there are no package lists"
		fi
	fi
	# A chroot made when the list above was shorter gets what it lacks.
	if [[ $(<"$root/.seccomp-pin-chroot") != "$BASE_PACKAGES" ]]; then
		log "installing ${BASE_PACKAGES//,/ } in $root"
		in_root "$root" -- apt-get install -y -qq ${BASE_PACKAGES//,/ } >&2
		echo "$BASE_PACKAGES" >"$root/.seccomp-pin-chroot"
	fi
}

run() {
	(($# >= 2)) || die "usage: $0 run ROOT [--bind DIR]... -- COMMAND..."
	local root=$1
	shift
	[[ -f $root/.seccomp-pin-chroot ]] || die "$root is not a chroot made by $0 ensure"
	in_root "$root" "$@"
}

(($# >= 1)) || die "usage: $0 ensure|run ..."
((EUID == 0)) || die "needs root (debootstrap, chroot, mounts)"
cmd=$1
shift
case $cmd in
ensure) ensure "$@" ;;
run) run "$@" ;;
*) die "unknown command $cmd (ensure|run)" ;;
esac
