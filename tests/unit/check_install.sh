#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# check_install.sh - the library as a packager sees it: soname and
# symlinks, exported symbol list against the version script, and a
# consumer built from an installed tree through pkg-config.
#
# usage: check_install.sh <userspace dir> <scratch dir>
set -u

src=$(cd "$1" && pwd)
tmp=$2
build=$src/build
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "[       OK ] $1"; }
ko() { fail=$((fail + 1)); echo "[  FAILED  ] $1"; }

rm -rf "$tmp"
mkdir -p "$tmp"

if readelf -d "$build/libseccomp-pin.so.1.0.0" |
	grep -q 'SONAME.*\[libseccomp-pin\.so\.1\]'; then
	ok "soname is libseccomp-pin.so.1"
else
	ko "soname is libseccomp-pin.so.1"
fi

if [ "$(readlink "$build/libseccomp-pin.so.1")" = libseccomp-pin.so.1.0.0 ] &&
	[ "$(readlink "$build/libseccomp-pin.so")" = libseccomp-pin.so.1 ]; then
	ok "versioned symlinks"
else
	ko "versioned symlinks"
fi

nm -D --defined-only "$build/libseccomp-pin.so.1.0.0" |
	awk '$2 == "T" { sub(/@.*/, "", $3); print $3 }' | sort > "$tmp/exported"
sed -n 's/^[[:space:]]*\(seccomp_pin_[a-z_]*\);$/\1/p' \
	"$src/lib/libseccomp-pin.map" | sort > "$tmp/wanted"
grep -o '^[a-z_ ]*\**seccomp_pin_[a-z_]*(' "$src/lib/libseccomp_pin.h" |
	sed 's/.*\(seccomp_pin_[a-z_]*\)(/\1/' | sort > "$tmp/declared"
if cmp -s "$tmp/exported" "$tmp/wanted" && cmp -s "$tmp/wanted" "$tmp/declared"; then
	ok "exports == version script == header ($(wc -l < "$tmp/wanted") symbols)"
else
	ko "exports == version script == header"
	diff "$tmp/exported" "$tmp/wanted"
	diff "$tmp/wanted" "$tmp/declared"
fi

prefix=$tmp/prefix
if make -s -C "$src" install PREFIX="$prefix" > "$tmp/install.log" 2>&1 &&
	grep -q "^prefix=$prefix\$" "$prefix/lib/pkgconfig/seccomp-pin.pc"; then
	ok "install substitutes the prefix"
else
	ko "install substitutes the prefix"
	cat "$tmp/install.log"
fi

cat > "$tmp/consumer.c" <<'EOC'
#include <errno.h>
#include <libseccomp_pin.h>

int main(void)
{
	return seccomp_pin_array_count(0, 0) == -EINVAL ? 0 : 1;
}
EOC
if command -v pkg-config > /dev/null; then
	flags=$(PKG_CONFIG_PATH=$prefix/lib/pkgconfig \
		pkg-config --cflags --libs seccomp-pin) &&
	${CC:-cc} -Wall -Werror -o "$tmp/consumer" "$tmp/consumer.c" $flags &&
	LD_LIBRARY_PATH=$prefix/lib "$tmp/consumer" &&
	ok "pkg-config consumer builds and runs" ||
		ko "pkg-config consumer builds and runs"
else
	echo "[  SKIPPED ] pkg-config consumer (no pkg-config)"
fi

rm -rf "$tmp"
echo "install: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
