// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT

//go:build linux && amd64

package seccomppin

import (
	"runtime"
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
// that ioctl fail with syscall.ENOTTY (Info.Features lacks FeaturePinnable).
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

// SetRules gives this device fd (its open file description) the rule
// table RecvPin pins by, one rule per syscall, replacing the one before;
// an empty rules clears it (SECCOMP_PIN_IOC_SET_RULES). Every rule is
// checked as PinArgs checks a request: EOPNOTSUPP where no fetch site
// consumes an argument, EINVAL on a bad field; at most Info.MaxRules.
// Older modules: syscall.ENOTTY.
func (d *Dev) SetRules(rules []Rule) error {
	if uint64(len(rules)) > 1<<32-1 {
		return syscall.EINVAL
	}
	req := Rules{NrRules: uint32(len(rules))}
	if len(rules) > 0 {
		escapeRules(rules)
		req.Rules = uint64(uintptr(unsafe.Pointer(&rules[0])))
	}
	err := ioctl(d.fd, IocSetRules, unsafe.Pointer(&req))
	runtime.KeepAlive(rules)
	return err
}

// RecvPin receives the next notification of listener into n (zeroed
// first, as the kernel requires) and, if this device fd has a rule
// (SetRules) for its syscall, pins that rule's arguments into buf, in one
// system call (SECCOMP_PIN_IOC_RECV_PIN). flags: RecvNonblock or 0.
// The contract is libseccomp-pin's seccomp_pin_recv_pin():
//
//	pinned, err == nil       received and pinned: pin is filled as PinArgs
//	                         fills it (ID, NrArgs, Args; Buf and BufSize
//	                         from buf); read it with Snapshot(pin, buf, i)
//	!pinned, err == nil      received, nothing pinned: pinErr is nil (no
//	                         rule for the syscall) or the pin's
//	                         syscall.Errno; the notification is pending
//	                         either way and must be answered
//	err != nil               nothing received: a syscall.Errno (EAGAIN:
//	                         RecvNonblock and nothing pending; ENOTTY: an
//	                         older module)
func (d *Dev) RecvPin(listener int, flags uint32, n *Notif, pin *NotifPinArgs,
	buf []byte) (pinned bool, pinErr error, err error) {
	if n == nil || pin == nil || len(buf) == 0 || uint64(len(buf)) > 1<<32-1 {
		return false, nil, syscall.EINVAL
	}
	escape(buf)
	escapeNotif(n)
	*n = Notif{}
	rv := Recv{ListenerFd: int32(listener), Flags: flags,
		Notif: uint64(uintptr(unsafe.Pointer(n)))}
	rv.Pin.Buf = uint64(uintptr(unsafe.Pointer(&buf[0])))
	rv.Pin.BufSize = uint32(len(buf))
	err = ioctl(d.fd, IocRecvPin, unsafe.Pointer(&rv))
	runtime.KeepAlive(n)
	runtime.KeepAlive(buf)
	if err != nil {
		return false, nil, err
	}
	*pin = rv.Pin
	if rv.PinError != 0 {
		pinErr = syscall.Errno(-rv.PinError)
	}
	return rv.Pinned != 0, pinErr, nil
}

// escapeRules and escapeNotif: as escape, for the addresses SetRules and
// RecvPin hand the kernel inside their structs.
var (
	rulesSink []Rule
	notifSink *Notif
)

func escapeRules(r []Rule) {
	if alwaysFalse {
		rulesSink = r
	}
}

func escapeNotif(n *Notif) {
	if alwaysFalse {
		notifSink = n
	}
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
