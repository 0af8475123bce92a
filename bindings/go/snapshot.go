// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT

//go:build linux && amd64

package seccomppin

import (
	"bytes"
	"encoding/binary"
	"syscall"
	"unsafe"
)

// Nothing here trusts what it is handed: a CSTRING_ARRAY snapshot holds
// whatever the (possibly hostile) target had in memory, so every count and
// offset is checked against the bytes it claims to live in, and a
// malformed snapshot yields EINVAL, never a panic or an out-of-range slice.

// Snapshot returns snapshot i of pin, whose snapshots PinArgs put in buf
// (EINVAL if buf is not that buffer).
func Snapshot(pin *NotifPinArgs, buf []byte, i int) ([]byte, error) {
	if pin == nil || pin.NrArgs > PinMaxArgs || i < 0 ||
		i >= int(pin.NrArgs) || len(buf) == 0 ||
		pin.Buf != uint64(uintptr(unsafe.Pointer(&buf[0]))) ||
		uint64(pin.BufSize) > uint64(len(buf)) {
		return nil, syscall.EINVAL
	}
	a := &pin.Args[i]
	size := uint64(pin.BufSize)
	if a.BufOffset >= size || uint64(a.ActualSize) > size-a.BufOffset {
		return nil, syscall.EINVAL
	}
	return buf[a.BufOffset : a.BufOffset+uint64(a.ActualSize)], nil
}

// ArrayCount returns the number of strings in a CSTRING_ARRAY snapshot
// (packed as u32 count, u32 offset[count], NUL-terminated strings).
func ArrayCount(snap []byte) (int, error) {
	if len(snap) < 4 {
		return 0, syscall.EINVAL
	}
	count := uint64(binary.LittleEndian.Uint32(snap))
	// The header (count and one offset per entry) must fit.
	if count > uint64(len(snap)-4)/4 {
		return 0, syscall.EINVAL
	}
	return int(count), nil
}

// ArrayEntry returns string index of a CSTRING_ARRAY snapshot, without
// its NUL.
func ArrayEntry(snap []byte, index int) (string, error) {
	count, err := ArrayCount(snap)
	if err != nil {
		return "", err
	}
	if index < 0 || index >= count {
		return "", syscall.EINVAL
	}
	strings := 4 * uint64(count+1)
	off := uint64(binary.LittleEndian.Uint32(snap[4*(index+1):]))
	// Strings live after the header and end with a NUL inside snap.
	if off < strings || off >= uint64(len(snap)) {
		return "", syscall.EINVAL
	}
	end := bytes.IndexByte(snap[off:], 0)
	if end < 0 {
		return "", syscall.EINVAL
	}
	return string(snap[off : off+uint64(end)]), nil
}
