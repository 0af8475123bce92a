// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT

//go:build linux && amd64

package seccomppin

import (
	"encoding/binary"
	"errors"
	"syscall"
	"testing"
	"unsafe"
)

// packArray builds a CSTRING_ARRAY snapshot as the module lays it out.
func packArray(strs ...string) []byte {
	hdr := 4 * (len(strs) + 1)
	b := make([]byte, hdr)
	binary.LittleEndian.PutUint32(b, uint32(len(strs)))
	for i, s := range strs {
		binary.LittleEndian.PutUint32(b[4*(i+1):], uint32(len(b)))
		b = append(append(b, s...), 0)
	}
	return b
}

func TestArrayGood(t *testing.T) {
	snap := packArray("/bin/sh", "-c", "")
	n, err := ArrayCount(snap)
	if err != nil || n != 3 {
		t.Fatalf("count %d, %v", n, err)
	}
	for i, want := range []string{"/bin/sh", "-c", ""} {
		s, err := ArrayEntry(snap, i)
		if err != nil || s != want {
			t.Errorf("entry %d: %q, %v", i, s, err)
		}
	}
	if _, err := ArrayEntry(snap, 3); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("entry past count: %v", err)
	}
	if _, err := ArrayEntry(snap, -1); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("negative entry: %v", err)
	}
	empty := packArray()
	if n, err := ArrayCount(empty); n != 0 || err != nil {
		t.Errorf("empty array: %d, %v", n, err)
	}
}

// Hostile snapshots: each must give EINVAL, none may panic.
func TestArrayHostile(t *testing.T) {
	good := packArray("ab", "cd")
	le := binary.LittleEndian
	cases := map[string]func() []byte{
		"short":      func() []byte { return []byte{1, 0} },
		"nil":        func() []byte { return nil },
		"huge count": func() []byte { b := clone(good); le.PutUint32(b, 0xffffffff); return b },
		"count past header": func() []byte {
			b := clone(good)
			le.PutUint32(b, uint32(len(b)/4))
			return b
		},
		"offset into header": func() []byte { b := clone(good); le.PutUint32(b[4:], 4); return b },
		"offset past end": func() []byte {
			b := clone(good)
			le.PutUint32(b[4:], uint32(len(b)))
			return b
		},
		"offset wraps":  func() []byte { b := clone(good); le.PutUint32(b[4:], 0xfffffffc); return b },
		"no NUL":        func() []byte { return good[:len(good)-1] },
		"no NUL at all": func() []byte { b := clone(good); b[len(b)-1] = 'x'; b[len(b)-4] = 'x'; return b },
	}
	for name, mk := range cases {
		snap := mk()
		if name == "short" || name == "nil" || name == "huge count" ||
			name == "count past header" {
			if _, err := ArrayCount(snap); !errors.Is(err, syscall.EINVAL) {
				t.Errorf("%s: ArrayCount gave %v", name, err)
			}
		}
		bad := false
		for i := 0; i < 2; i++ {
			if _, err := ArrayEntry(snap, i); errors.Is(err, syscall.EINVAL) {
				bad = true
			}
		}
		if !bad {
			t.Errorf("%s: every entry accepted", name)
		}
	}
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }

func TestSnapshotBounds(t *testing.T) {
	buf := make([]byte, 64)
	pin := NotifPinArgs{NrArgs: 2, BufSize: 64,
		Buf: uint64(uintptr(unsafe.Pointer(&buf[0])))}
	pin.Args[0] = PinArg{ActualSize: 8, BufOffset: 0}
	pin.Args[1] = PinArg{ActualSize: 16, BufOffset: 48}
	if s, err := Snapshot(&pin, buf, 1); err != nil || len(s) != 16 {
		t.Fatalf("in bounds: %d bytes, %v", len(s), err)
	}
	bad := []struct {
		name string
		edit func(p *NotifPinArgs)
		buf  []byte
		i    int
	}{
		{"index past nr_args", func(p *NotifPinArgs) {}, buf, 2},
		{"negative index", func(p *NotifPinArgs) {}, buf, -1},
		{"nr_args > 6", func(p *NotifPinArgs) { p.NrArgs = 7 }, buf, 0},
		{"size past buf_size", func(p *NotifPinArgs) { p.Args[1].ActualSize = 17 }, buf, 1},
		{"offset past buf_size", func(p *NotifPinArgs) { p.Args[0].BufOffset = 64 }, buf, 0},
		{"offset wraps", func(p *NotifPinArgs) { p.Args[0].BufOffset = ^uint64(0) }, buf, 0},
		{"buf_size past slice", func(p *NotifPinArgs) {}, buf[:32], 0},
		{"another buffer", func(p *NotifPinArgs) {}, make([]byte, 64), 0},
		{"empty buffer", func(p *NotifPinArgs) {}, nil, 0},
	}
	for _, c := range bad {
		p := pin
		c.edit(&p)
		if _, err := Snapshot(&p, c.buf, c.i); !errors.Is(err, syscall.EINVAL) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}
