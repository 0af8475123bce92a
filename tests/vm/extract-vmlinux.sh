#!/bin/bash
# extract-vmlinux.sh BZIMAGE OUT
#
# Write the uncompressed ELF vmlinux inside an x86 bzImage to OUT. QEMU boots
# that ELF directly through its PVH entry note, which halves boot time under
# TCG compared with the bzImage's own decompressor. Debian's headers do not
# ship the kernel's scripts/extract-vmlinux, hence this one.
#
# The boot protocol header says exactly where the compressed payload is
# (payload_offset/payload_length, protocol >= 2.08); the payload's first bytes
# name the compressor. Every x86 payload ends with the uncompressed size as a
# little-endian u32 (gzip's ISIZE, or the size Kbuild appends for the other
# formats), which checks the result. Images without a usable header fall back
# to scanning for compression magics, as the kernel's own script does.
set -euo pipefail
export LC_ALL=C	# byte semantics for grep -P on binary data

(($# == 2)) || { echo "usage: $0 BZIMAGE OUT" >&2; exit 2; }
img=$1 out=$2
tmp=$(mktemp "$out.XXXXXX")
trap 'rm -f "$tmp"' EXIT

# u32le FILE OFFSET [BYTES]: unsigned little-endian integer at OFFSET.
u32le() { od -A n -t "u${3:-4}" -j "$2" -N "${3:-4}" "$1" | tr -d ' '; }

# hexat FILE OFFSET N: N bytes at OFFSET as one lowercase hex string.
hexat() { od -A n -t x1 -j "$2" -N "$3" "$1" | tr -d ' \n'; }

# decompressor_for HEX: command reading the format that starts with HEX.
decompressor_for() {
	case $1 in
	1f8b*) echo "gzip -dc" ;;
	fd377a585a00*) echo "xz -dc --single-stream" ;;
	28b52ffd*) echo "zstd -dcq" ;;
	425a68*) echo "bzip2 -dc" ;;
	5d0000*) echo "xz -dc --format=lzma" ;;
	02214c18*) echo "lz4 -dc" ;;
	894c5a*) echo "lzop -dc" ;;
	*) return 1 ;;
	esac
}

is_elf() { [[ $(hexat "$1" 0 4) == 7f454c46 ]]; }

# try OFFSET [LENGTH]: decompress from OFFSET into $tmp; succeed on an ELF of
# the expected size. Trailing bytes make some tools exit non-zero after
# writing the whole stream, so their status is ignored and the output judged.
try() {
	local off=$1 len=${2:-} cmd want
	cmd=$(decompressor_for "$(hexat "$img" "$off" 6)") || return 1
	if [[ -n $len ]]; then
		want=$(u32le "$img" $((off + len - 4)))
		tail -c +$((off + 1)) "$img" | head -c "$len" | $cmd >"$tmp" 2>/dev/null || true
		is_elf "$tmp" && (($(stat -c %s "$tmp") == want))
	else
		tail -c +$((off + 1)) "$img" | $cmd >"$tmp" 2>/dev/null || true
		is_elf "$tmp"
	fi
}

found=
if [[ $(hexat "$img" $((0x202)) 4) == 48647253 ]] &&	# "HdrS"
   (($(u32le "$img" $((0x206)) 2) >= 0x208)); then
	setup_sects=$(u32le "$img" $((0x1f1)) 1)
	((setup_sects == 0)) && setup_sects=4
	start=$(((setup_sects + 1) * 512 + $(u32le "$img" $((0x248)))))
	try "$start" "$(u32le "$img" $((0x24c)))" && found=1
fi
if [[ -z $found ]]; then
	for magic in '\x1f\x8b\x08' '\xfd7zXZ\x00' '\x28\xb5\x2f\xfd' 'BZh' \
		     '\x5d\x00\x00' '\x02!L\x18' '\x89LZ'; do
		# cut: the matched bytes must not reach read, which would take a
		# UTF-8 lead byte such as 0xfd as swallowing the newline.
		while read -r off; do
			try "$off" && { found=1; break 2; }
		done < <(grep -obUaP "$magic" "$img" | cut -d: -f1 | head -n 20)
	done
fi
[[ -n $found ]] || { echo "extract-vmlinux: no vmlinux found in $img" >&2; exit 1; }

# QEMU needs the PVH entry (XEN_ELFNOTE_PHYS32_ENTRY, CONFIG_PVH=y) to boot it.
# binutils 2.40 prints that note type as "Unknown note type: (0x00000012)".
if ! readelf -n "$tmp" | grep -q 'Xen.*(0x00000012)'; then
	echo "extract-vmlinux: warning: no PVH entry note found in $img" >&2
fi
mv "$tmp" "$out"
trap - EXIT
