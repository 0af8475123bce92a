// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT

//go:build linux && amd64

package seccomppin

import (
	"syscall"
	"unsafe"
)

// Dev is an open /dev/seccomp_pin. Errors of its methods are the
// ioctl's errno as a syscall.Errno (errors.Is(err, syscall.ENOTTY) works).
type Dev struct {
	fd int
}

// Open opens /dev/seccomp_pin (mode 0666: no privilege needed; authority
// comes from holding the listener fd).
func Open() (*Dev, error) {
	fd, err := syscall.Open(Device, syscall.O_RDWR|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	return &Dev{fd: fd}, nil
}

// Fd returns the device's file descriptor.
func (d *Dev) Fd() int { return d.fd }

// Close closes the device.
func (d *Dev) Close() error {
	if d.fd < 0 {
		return syscall.EBADF
	}
	err := syscall.Close(d.fd)
	d.fd = -1
	return err
}

// ioctl retries on EINTR: every ioctl here is safe to repeat, since
// one interrupted before the module acted did nothing.
func ioctl(fd int, req uintptr, arg unsafe.Pointer) error {
	for {
		_, _, e := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), req,
			uintptr(arg))
		if e == syscall.EINTR {
			continue
		}
		if e != 0 {
			return e
		}
		return nil
	}
}

// Info returns SECCOMP_PIN_IOC_INFO: ABI version, kinds and fetch sites
// active on this kernel, limits and counters.
func (d *Dev) Info() (*Info, error) {
	var info Info

	if err := ioctl(d.fd, IocInfo, unsafe.Pointer(&info)); err != nil {
		return nil, err
	}
	return &info, nil
}

// escapeSink and alwaysFalse make escape() move its argument to the heap
// (escape analysis is flow-insensitive): the kernel gets the buffer's
// address inside a struct, where a goroutine stack copy would not update it.
var (
	escapeSink  []byte
	alwaysFalse bool
)

func escape(b []byte) {
	if alwaysFalse {
		escapeSink = b
	}
}

// PinArgs snapshots the arguments pin.Args[:pin.NrArgs] describe of the
// pending notification pin.ID on listener (SECCOMP_PIN_IOC_PIN_ARGS). The
// snapshots land in buf, whose address and length replace pin.Buf and
// pin.BufSize; the outputs are written back into pin. Read a snapshot
// with Snapshot(pin, buf, i).
func (d *Dev) PinArgs(listener int, pin *NotifPinArgs, buf []byte) error {
	if pin == nil || len(buf) == 0 || uint64(len(buf)) > 1<<32-1 {
		return syscall.EINVAL
	}
	escape(buf)
	req := Request{ListenerFd: int32(listener), Pin: *pin}
	req.Pin.Buf = uint64(uintptr(unsafe.Pointer(&buf[0])))
	req.Pin.BufSize = uint32(len(buf))
	err := ioctl(d.fd, IocPinArgs, unsafe.Pointer(&req))
	if err != nil {
		return err
	}
	*pin = req.Pin
	return nil
}

// Send answers a notification (SECCOMP_PIN_IOC_SEND): what
// SECCOMP_IOCTL_NOTIF_SEND does, and resp.Flags may add
// UserNotifFlagContinuePinned to CONTINUE.
func (d *Dev) Send(listener int, resp *NotifResp) error {
	if resp == nil {
		return syscall.EINVAL
	}
	rsp := Response{ListenerFd: int32(listener), Resp: *resp}
	return ioctl(d.fd, IocSend, unsafe.Pointer(&rsp))
}

// ContinuePinned answers CONTINUE | CONTINUE_PINNED: the syscall runs on
// the snapshots taken by PinArgs for this id.
func (d *Dev) ContinuePinned(listener int, id uint64) error {
	return d.Send(listener, &NotifResp{
		ID:    id,
		Flags: UserNotifFlagContinue | UserNotifFlagContinuePinned,
	})
}

// Pinnable returns which arguments of the native x86_64 syscall nr the
// module can pin, and how (SECCOMP_PIN_IOC_PINNABLE). Modules older than
// that ioctl fail with syscall.ENOTTY.
func (d *Dev) Pinnable(nr int32) (*Pinnable, error) {
	p := Pinnable{Nr: nr}

	if err := ioctl(d.fd, IocPinnable, unsafe.Pointer(&p)); err != nil {
		return nil, err
	}
	if p.NrArgs > PinMaxArgs {
		return nil, syscall.EPROTO
	}
	return &p, nil
}

// NotifRecv receives a notification from a seccomp listener
// (SECCOMP_IOCTL_NOTIF_RECV). n is zeroed first, as the kernel requires.
func NotifRecv(listener int, n *Notif) error {
	*n = Notif{}
	return ioctl(listener, IoctlNotifRecv, unsafe.Pointer(n))
}

// NotifSend answers on the listener itself (SECCOMP_IOCTL_NOTIF_SEND),
// without the module: no CONTINUE_PINNED there.
func NotifSend(listener int, resp *NotifResp) error {
	return ioctl(listener, IoctlNotifSend, unsafe.Pointer(resp))
}

// NotifIDValid tells whether notification id is still pending
// (SECCOMP_IOCTL_NOTIF_ID_VALID): nil if so, else ENOENT.
func NotifIDValid(listener int, id uint64) error {
	return ioctl(listener, IoctlNotifIDValid, unsafe.Pointer(&id))
}
