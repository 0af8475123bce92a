#!/bin/bash
# fetch-kernel.sh NAME
#
# Make the Debian kernel NAME (a line of kernels.conf) ready for the VM
# harness: its headers installed (the module builds against them) and its
# uncompressed vmlinux extracted (QEMU boots it). Prints, on stdout:
#   release=<kernel release>  kdir=<kbuild dir>  vmlinux=<path>
# one per line; progress goes to stderr.
#
# Packages come through a private apt configuration under the cache dir, so
# the host's /etc/apt is never edited; the mirrors are the ones the host's
# own apt already uses. Everything is cached: once a kernel is fetched, a run
# costs a few dpkg/apt-cache queries.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${SECCOMP_PIN_CACHE:-/var/cache/seccomp-pin}
table=$here/kernels.conf

(($# == 1)) || { echo "usage: $0 NAME" >&2; exit 2; }
name=$1

log() { echo "fetch-kernel: $*" >&2; }
die() { log "$*"; exit 1; }

# table_field COLUMN [NAME]: COLUMN (2 = suites, 3 = image regex) of NAME's
# line, or of every line without NAME.
table_field() {
	awk -v col="$1" -v name="${2:-}" \
		'!/^[[:space:]]*(#|$)/ && (name == "" || $1 == name) { print $col }' "$table"
}

image_re=$(table_field 3 "$name")
[[ -n $image_re ]] ||
	die "unknown kernel '$name' (known: $(table_field 1 | tr '\n' ' '))"

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

write_sources() {
	local main=${SECCOMP_PIN_DEBIAN_MIRROR:-} sec=${SECCOMP_PIN_SECURITY_MIRROR:-}
	local host_targets codename suite list=
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
	for suite in $(table_field 2 | tr ',' '\n' | sort -u); do
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

# newest_release: kernel release of the newest image package matching the
# table's regex that also has a headers package.
newest_release() {
	local pkg rel
	while read -r pkg; do
		rel=${pkg#linux-image-}
		if apt-cache "${APT[@]}" show "linux-headers-$rel" >/dev/null 2>&1; then
			echo "$rel"
			return
		fi
	done < <(apt-cache "${APT[@]}" pkgnames linux-image- | grep -E "$image_re" | sort -rV)
	die "no package matches '$image_re' in $(table_field 2 "$name")"
}

install_headers() {
	local rel=$1 status
	status=$(dpkg-query -W -f='${db:Status-Status}' "linux-headers-$rel" 2>/dev/null || true)
	if [[ $status != installed || ! -f /usr/src/linux-headers-$rel/Makefile ]]; then
		log "installing linux-headers-$rel"
		DEBIAN_FRONTEND=noninteractive apt-get "${APT[@]}" install -y -qq \
			--no-install-recommends "linux-headers-$rel" >&2
	fi
}

# fetch_vmlinux REL: download the image package (never installed: that would
# run update-initramfs and DKMS on the host), take its bzImage, and extract
# the ELF vmlinux once.
fetch_vmlinux() {
	local rel=$1 dir=$cache/kernels/$1 deb
	if [[ -s $dir/vmlinux ]]; then
		return
	fi
	deb=$(find "$cache/src" -maxdepth 1 -name "linux-image-${rel}_*.deb" | sort -V | tail -n 1)
	if [[ -z $deb ]]; then
		log "downloading linux-image-$rel"
		(cd "$cache/src" && apt-get "${APT[@]}" download -qq "linux-image-$rel" >&2)
		deb=$(find "$cache/src" -maxdepth 1 -name "linux-image-${rel}_*.deb" | sort -V | tail -n 1)
		[[ -n $deb ]] || die "apt-get download left no linux-image-$rel .deb"
	fi
	log "extracting vmlinux from $(basename "$deb")"
	mkdir -p "$dir"
	# Only ./boot: the modules in the package are not needed (the guest has
	# no disk) and are most of its 400 MB.
	dpkg-deb --fsys-tarfile "$deb" | tar -xf - -C "$dir" ./boot
	"$here/extract-vmlinux.sh" "$dir/boot/vmlinuz-$rel" "$dir/vmlinux"
}

write_sources
update_lists_if_stale
# The answer only changes when the lists do: remember it until the next update.
resolved=$cache/kernels/$name.release
if [[ -s $resolved && $resolved -nt $apt_dir/lists/.updated ]]; then
	release=$(<"$resolved")
else
	release=$(newest_release)
	echo "$release" >"$resolved"
fi
install_headers "$release"
fetch_vmlinux "$release"

echo "release=$release"
echo "kdir=/usr/src/linux-headers-$release"
echo "vmlinux=$cache/kernels/$release/vmlinux"
