// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT

//go:build linux && amd64

// Package seccomppin binds /dev/seccomp_pin (include/seccomp_pin.h) without
// cgo: a seccomp user-notification supervisor pins (snapshots) pointer
// arguments of a pending notification, decides on the snapshot, and answers
// CONTINUE | CONTINUE_PINNED so the kernel runs the syscall on those bytes.
//
// The structs mirror the UAPI field for field; layout_test.go checks every
// size, offset and ioctl number against the C header. The module supports
// x86_64 only, hence the build constraint.
package seccomppin

import "unsafe"

// Constants of include/seccomp_pin.h and <linux/seccomp.h>.
const (
	UserNotifFlagContinue       = 1      // SECCOMP_USER_NOTIF_FLAG_CONTINUE
	UserNotifFlagContinuePinned = 1 << 1 // SECCOMP_USER_NOTIF_FLAG_CONTINUE_PINNED

	PinFixed        = 0 // SECCOMP_PIN_FIXED: exactly MaxBytes
	PinCString      = 1 // SECCOMP_PIN_CSTRING: NUL-terminated, capped
	PinCStringArray = 2 // SECCOMP_PIN_CSTRING_ARRAY: NULL-terminated char *[]

	PinTruncatedBytes   = 1 << 0 // SECCOMP_PIN_TRUNCATED_BYTES
	PinTruncatedEntries = 1 << 1 // SECCOMP_PIN_TRUNCATED_ENTRIES

	PinMaxArgs       = 6       // SECCOMP_PIN_MAX_ARGS
	PinMaxArgBytes   = 1 << 20 // SECCOMP_PIN_MAX_ARG_BYTES
	PinMaxTotalBytes = 1 << 20 // SECCOMP_PIN_MAX_TOTAL_BYTES

	Device     = "/dev/seccomp_pin" // SECCOMP_PIN_DEVICE
	ABIVersion = 1                  // SECCOMP_PIN_ABI_VERSION

	PinDefaultMaxEntries = 4096    // SECCOMP_PIN_DEFAULT_MAX_ENTRIES
	PinMaxEntries        = 1 << 18 // SECCOMP_PIN_MAX_ENTRIES
	PinBufAlign          = 8       // SECCOMP_PIN_BUF_ALIGN

	SitePath      = 1 << 0 // SECCOMP_PIN_SITE_PATH
	SiteSockaddr  = 1 << 1 // SECCOMP_PIN_SITE_SOCKADDR
	SiteExecArgs  = 1 << 2 // SECCOMP_PIN_SITE_EXEC_ARGS
	SiteWrite     = 1 << 3 // SECCOMP_PIN_SITE_WRITE
	FiguresUser   = 0      // SECCOMP_PIN_FIGURES_USER
	FiguresGlobal = 1      // SECCOMP_PIN_FIGURES_GLOBAL

	FeaturePinnable = 1 << 0 // SECCOMP_PIN_FEATURE_PINNABLE: Dev.Pinnable
	FeatureRecvPin  = 1 << 1 // SECCOMP_PIN_FEATURE_RECV_PIN: Dev.SetRules, Dev.RecvPin
	RecvNonblock    = 1 << 0 // SECCOMP_PIN_RECV_NONBLOCK: EAGAIN if nothing is pending

	PinNoLen                     = 0xff   // SECCOMP_PIN_NO_LEN
	PinnableIfNotEmptyPath       = 1 << 0 // SECCOMP_PIN_PINNABLE_IF_NOT_EMPTY_PATH
	IocMagic                     = 0xB7   // SECCOMP_PIN_IOC_MAGIC
	SeccompSetModeFilter         = 1      // SECCOMP_SET_MODE_FILTER
	SeccompFilterFlagNewListener = 1 << 3 // SECCOMP_FILTER_FLAG_NEW_LISTENER
	SeccompRetUserNotif          = 0x7fc00000
	SeccompRetAllow              = 0x7fff0000
	SeccompRetKillProcess        = 0x80000000
	AuditArchX86_64              = 0xc000003e
)

// PinArg is struct seccomp_pin_arg (48 bytes).
type PinArg struct {
	ArgIdx        uint8  // in: syscall argument slot, 0..5
	Kind          uint8  // in: Pin*
	Reserved      uint16 // must be 0
	MaxBytes      uint32 // in: cap on the snapshot, > 0
	MaxEntries    uint32 // in: CSTRING_ARRAY cap, 0 = default
	Reserved2     uint32 // must be 0
	ActualSize    uint32 // out: bytes in the snapshot
	ActualEntries uint32 // out: strings in a CSTRING_ARRAY
	Truncated     uint32 // out: PinTruncated*
	Reserved3     uint32 // must be 0
	UserAddr      uint64 // out: the pointer that was read
	BufOffset     uint64 // out: where the snapshot starts in buf
}

// NotifPinArgs is struct seccomp_notif_pin_args (312 bytes). Buf and
// BufSize are filled in by Device.PinArgs from the slice it is given.
type NotifPinArgs struct {
	ID      uint64
	NrArgs  uint32
	BufSize uint32
	Buf     uint64
	Args    [PinMaxArgs]PinArg
}

// Info is struct seccomp_pin_info.
type Info struct {
	ABIVersion        uint32
	Kinds             uint32 // bit (1 << Pin*) per supported kind
	Sites             uint32 // Site* supported on this kernel
	MaxArgs           uint32
	MaxArgBytes       uint32
	MaxTotalBytes     uint32
	DefaultMaxEntries uint32
	MaxEntries        uint32
	LivePins          uint64
	LiveBytes         uint64
	TotalPins         uint64
	TotalConsumed     uint64
	MaxListenerBytes  uint64
	MaxModuleBytes    uint64
	RegisteredSites   uint32
	Figures           uint32 // Figures*
	MaxUserBytes      uint64
	Features          uint32 // Feature*: requests beyond the RFC's
	MaxRules          uint32 // most rules Dev.SetRules takes
}

// Request is struct seccomp_pin_request.
type Request struct {
	ListenerFd int32
	Flags      uint32
	Pin        NotifPinArgs
}

// NotifResp is struct seccomp_notif_resp (<linux/seccomp.h>).
type NotifResp struct {
	ID    uint64
	Val   int64
	Error int32
	Flags uint32
}

// Response is struct seccomp_pin_response.
type Response struct {
	ListenerFd int32
	Flags      uint32
	Resp       NotifResp
}

// PinnableArg is struct seccomp_pin_pinnable_arg.
type PinnableArg struct {
	ArgIdx   uint8
	Kind     uint8
	LenIdx   uint8 // FIXED: the length argument, or PinNoLen
	Reserved uint8
	Site     uint32
	MaxBytes uint32
	Flags    uint32 // Pinnable*
}

// Pinnable is struct seccomp_pin_pinnable.
type Pinnable struct {
	Nr       int32
	Flags    uint32
	NrArgs   uint32
	Reserved uint32
	Args     [PinMaxArgs]PinnableArg
}

// Rule is struct seccomp_pin_rule: what Dev.RecvPin pins for syscall Nr,
// the input fields of Args[:NrArgs] as in a PIN_ARGS request (outputs 0).
type Rule struct {
	Nr     int32 // native x86_64 syscall number
	NrArgs uint32
	Args   [PinMaxArgs]PinArg
}

// Rules is struct seccomp_pin_rules (SECCOMP_PIN_IOC_SET_RULES).
type Rules struct {
	NrRules uint32
	Flags   uint32 // must be 0
	Rules   uint64 // address of Rule[NrRules]
}

// Recv is struct seccomp_pin_recv (SECCOMP_PIN_IOC_RECV_PIN).
type Recv struct {
	ListenerFd int32
	Flags      uint32 // RecvNonblock
	Notif      uint64 // address of a zeroed Notif
	PinError   int32  // out: 0 or -errno of the pin
	Pinned     uint32 // out: 1 if a rule matched and pinned
	Pin        NotifPinArgs
}

// SeccompData is struct seccomp_data (<linux/seccomp.h>).
type SeccompData struct {
	Nr                 int32
	Arch               uint32
	InstructionPointer uint64
	Args               [6]uint64
}

// Notif is struct seccomp_notif (<linux/seccomp.h>).
type Notif struct {
	ID    uint64
	Pid   uint32
	Flags uint32
	Data  SeccompData
}

// Linux _IOC encoding (asm-generic/ioctl.h, which x86_64 uses).
const (
	iocWrite = 1
	iocRead  = 2
)

// The ioctl numbers, built like the C macros (from the structs' sizes).
const (
	IocInfo     = iocRead<<30 | unsafe.Sizeof(Info{})<<16 | IocMagic<<8 | 0
	IocPinArgs  = (iocRead|iocWrite)<<30 | unsafe.Sizeof(Request{})<<16 | IocMagic<<8 | 1
	IocSend     = iocWrite<<30 | unsafe.Sizeof(Response{})<<16 | IocMagic<<8 | 2
	IocPinnable = (iocRead|iocWrite)<<30 | unsafe.Sizeof(Pinnable{})<<16 | IocMagic<<8 | 3
	IocSetRules = iocWrite<<30 | unsafe.Sizeof(Rules{})<<16 | IocMagic<<8 | 4
	IocRecvPin  = (iocRead|iocWrite)<<30 | unsafe.Sizeof(Recv{})<<16 | IocMagic<<8 | 5

	IoctlNotifRecv    = (iocRead|iocWrite)<<30 | unsafe.Sizeof(Notif{})<<16 | '!'<<8 | 0
	IoctlNotifSend    = (iocRead|iocWrite)<<30 | unsafe.Sizeof(NotifResp{})<<16 | '!'<<8 | 1
	IoctlNotifIDValid = iocWrite<<30 | unsafe.Sizeof(uint64(0))<<16 | '!'<<8 | 2
)
