#!/bin/bash
# check-versions.sh: one version everywhere. The top-level VERSION file
# against the tool's --version, the pkg-config file, the man pages, the
# Debian changelog, dkms.conf and the module's MODULE_VERSION; and one
# minimum kernel in debian/control and README.md. Prints what differs;
# exit status 1 if anything does. Run by run-tools-tests (host part).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
v=$(cat VERSION)
bad=0
check() { # WHAT FOUND
	if [[ $2 != "$v" ]]; then
		echo "check-versions: $1 says '$2', VERSION says '$v'"
		bad=1
	fi
}

make -s -C userspace lib tools build/seccomp-pin.pc >/dev/null
check "seccomp-pin --version" "$(userspace/build/tools/seccomp-pin --version | awk '{print $2}')"
check "seccomp-pin.pc" "$(sed -n 's/^Version: //p' userspace/build/seccomp-pin.pc)"
check "dkms.conf" "$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)"
check "debian/changelog" "$(sed -n '1s/^[^(]*(\([^-)]*\)-[^)]*).*/\1/p' debian/changelog)"
check "module/main.c MODULE_VERSION" "$(sed -n 's/^MODULE_VERSION("\(.*\)");$/\1/p' module/main.c)"
for page in man/man*/*.[0-9]; do
	th=$(sed -n 's/^\.TH .*"seccomp-pin \([^"]*\)".*/\1/p' "$page")
	[[ -z $th ]] || check "$page" "$th"
done
while read -r found; do
	check "README.md ($found)" "${found##*[-_/]}"
done < <(grep -oE 'seccomp-pin(-dkms)?[_/-][0-9]+\.[0-9]+\.[0-9]+' README.md | sort -u)
if ! grep -q 'Linux 5.10 or later' debian/control ||
	! grep -q 'Linux 5.10 or newer' README.md; then
	echo "check-versions: debian/control and README.md disagree on the minimum kernel (5.10)"
	bad=1
fi
((bad == 0)) && echo "check-versions: $v everywhere, minimum kernel 5.10"
exit $bad
