#!/bin/bash
# Install the host packages the seccomp-pin tool needs to build, beyond
# tests/vm/setup-host.sh's: libjansson-dev (the tool parses and emits JSON
# with jansson and links its libjansson.a, since it is static). Idempotent:
# when everything is installed it only asks dpkg.
set -euo pipefail

PACKAGES=(libjansson-dev)

missing=()
for pkg in "${PACKAGES[@]}"; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
	[[ $status == installed ]] || missing+=("$pkg")
done
((${#missing[@]} == 0)) && exit 0

if ((EUID != 0)); then
	echo "tools setup-host: missing packages (${missing[*]}); run as root" >&2
	exit 1
fi
echo "tools setup-host: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 \
	"${missing[@]}" >&2
