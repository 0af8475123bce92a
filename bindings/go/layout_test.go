// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT

//go:build linux && amd64

package seccomppin

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"unsafe"
)

// The expected layout is what bindings/layout/gen-layout.c, compiled
// against include/seccomp_pin.h, prints; "make check-bindings-host" writes
// it and names it in SECCOMP_PIN_LAYOUT.
func expectedLayout(t *testing.T) map[string]string {
	path := os.Getenv("SECCOMP_PIN_LAYOUT")
	if path == "" {
		t.Fatal("SECCOMP_PIN_LAYOUT is not set: run make check-bindings-host")
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		w := strings.SplitN(sc.Text(), " ", 3)
		if len(w) != 3 {
			t.Fatalf("%s: bad line %q", path, sc.Text())
		}
		want[w[0]+" "+w[1]] = w[2]
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(want) < 50 {
		t.Fatalf("%s: only %d entries", path, len(want))
	}
	return want
}

// bindingLayout states the same facts about this package's types.
func bindingLayout() map[string]string {
	got := map[string]string{}
	st := func(name string, size uintptr) {
		got["struct "+name] = fmt.Sprint(size)
	}
	fl := func(name string, off, size uintptr) {
		got["field "+name] = fmt.Sprint(off, " ", size)
	}
	num := func(kind, name string, v uint64) {
		got[kind+" "+name] = fmt.Sprint(v)
	}

	var a PinArg
	st("seccomp_pin_arg", unsafe.Sizeof(a))
	fl("seccomp_pin_arg.arg_idx", unsafe.Offsetof(a.ArgIdx), unsafe.Sizeof(a.ArgIdx))
	fl("seccomp_pin_arg.kind", unsafe.Offsetof(a.Kind), unsafe.Sizeof(a.Kind))
	fl("seccomp_pin_arg._reserved", unsafe.Offsetof(a.Reserved), unsafe.Sizeof(a.Reserved))
	fl("seccomp_pin_arg.max_bytes", unsafe.Offsetof(a.MaxBytes), unsafe.Sizeof(a.MaxBytes))
	fl("seccomp_pin_arg.max_entries", unsafe.Offsetof(a.MaxEntries), unsafe.Sizeof(a.MaxEntries))
	fl("seccomp_pin_arg._reserved2", unsafe.Offsetof(a.Reserved2), unsafe.Sizeof(a.Reserved2))
	fl("seccomp_pin_arg.actual_size", unsafe.Offsetof(a.ActualSize), unsafe.Sizeof(a.ActualSize))
	fl("seccomp_pin_arg.actual_entries", unsafe.Offsetof(a.ActualEntries), unsafe.Sizeof(a.ActualEntries))
	fl("seccomp_pin_arg.truncated", unsafe.Offsetof(a.Truncated), unsafe.Sizeof(a.Truncated))
	fl("seccomp_pin_arg._reserved3", unsafe.Offsetof(a.Reserved3), unsafe.Sizeof(a.Reserved3))
	fl("seccomp_pin_arg.user_addr", unsafe.Offsetof(a.UserAddr), unsafe.Sizeof(a.UserAddr))
	fl("seccomp_pin_arg.buf_offset", unsafe.Offsetof(a.BufOffset), unsafe.Sizeof(a.BufOffset))

	var p NotifPinArgs
	st("seccomp_notif_pin_args", unsafe.Sizeof(p))
	fl("seccomp_notif_pin_args.id", unsafe.Offsetof(p.ID), unsafe.Sizeof(p.ID))
	fl("seccomp_notif_pin_args.nr_args", unsafe.Offsetof(p.NrArgs), unsafe.Sizeof(p.NrArgs))
	fl("seccomp_notif_pin_args.buf_size", unsafe.Offsetof(p.BufSize), unsafe.Sizeof(p.BufSize))
	fl("seccomp_notif_pin_args.buf", unsafe.Offsetof(p.Buf), unsafe.Sizeof(p.Buf))
	fl("seccomp_notif_pin_args.args", unsafe.Offsetof(p.Args), unsafe.Sizeof(p.Args))

	var i Info
	st("seccomp_pin_info", unsafe.Sizeof(i))
	fl("seccomp_pin_info.abi_version", unsafe.Offsetof(i.ABIVersion), unsafe.Sizeof(i.ABIVersion))
	fl("seccomp_pin_info.kinds", unsafe.Offsetof(i.Kinds), unsafe.Sizeof(i.Kinds))
	fl("seccomp_pin_info.sites", unsafe.Offsetof(i.Sites), unsafe.Sizeof(i.Sites))
	fl("seccomp_pin_info.max_args", unsafe.Offsetof(i.MaxArgs), unsafe.Sizeof(i.MaxArgs))
	fl("seccomp_pin_info.max_arg_bytes", unsafe.Offsetof(i.MaxArgBytes), unsafe.Sizeof(i.MaxArgBytes))
	fl("seccomp_pin_info.max_total_bytes", unsafe.Offsetof(i.MaxTotalBytes), unsafe.Sizeof(i.MaxTotalBytes))
	fl("seccomp_pin_info.default_max_entries", unsafe.Offsetof(i.DefaultMaxEntries), unsafe.Sizeof(i.DefaultMaxEntries))
	fl("seccomp_pin_info.max_entries", unsafe.Offsetof(i.MaxEntries), unsafe.Sizeof(i.MaxEntries))
	fl("seccomp_pin_info.live_pins", unsafe.Offsetof(i.LivePins), unsafe.Sizeof(i.LivePins))
	fl("seccomp_pin_info.live_bytes", unsafe.Offsetof(i.LiveBytes), unsafe.Sizeof(i.LiveBytes))
	fl("seccomp_pin_info.total_pins", unsafe.Offsetof(i.TotalPins), unsafe.Sizeof(i.TotalPins))
	fl("seccomp_pin_info.total_consumed", unsafe.Offsetof(i.TotalConsumed), unsafe.Sizeof(i.TotalConsumed))
	fl("seccomp_pin_info.max_listener_bytes", unsafe.Offsetof(i.MaxListenerBytes), unsafe.Sizeof(i.MaxListenerBytes))
	fl("seccomp_pin_info.max_module_bytes", unsafe.Offsetof(i.MaxModuleBytes), unsafe.Sizeof(i.MaxModuleBytes))
	fl("seccomp_pin_info.registered_sites", unsafe.Offsetof(i.RegisteredSites), unsafe.Sizeof(i.RegisteredSites))
	fl("seccomp_pin_info.figures", unsafe.Offsetof(i.Figures), unsafe.Sizeof(i.Figures))
	fl("seccomp_pin_info.max_user_bytes", unsafe.Offsetof(i.MaxUserBytes), unsafe.Sizeof(i.MaxUserBytes))
	fl("seccomp_pin_info.features", unsafe.Offsetof(i.Features), unsafe.Sizeof(i.Features))
	fl("seccomp_pin_info.max_rules", unsafe.Offsetof(i.MaxRules), unsafe.Sizeof(i.MaxRules))

	var rq Request
	st("seccomp_pin_request", unsafe.Sizeof(rq))
	fl("seccomp_pin_request.listener_fd", unsafe.Offsetof(rq.ListenerFd), unsafe.Sizeof(rq.ListenerFd))
	fl("seccomp_pin_request.flags", unsafe.Offsetof(rq.Flags), unsafe.Sizeof(rq.Flags))
	fl("seccomp_pin_request.pin", unsafe.Offsetof(rq.Pin), unsafe.Sizeof(rq.Pin))

	var rs Response
	st("seccomp_pin_response", unsafe.Sizeof(rs))
	fl("seccomp_pin_response.listener_fd", unsafe.Offsetof(rs.ListenerFd), unsafe.Sizeof(rs.ListenerFd))
	fl("seccomp_pin_response.flags", unsafe.Offsetof(rs.Flags), unsafe.Sizeof(rs.Flags))
	fl("seccomp_pin_response.resp", unsafe.Offsetof(rs.Resp), unsafe.Sizeof(rs.Resp))

	var pa PinnableArg
	st("seccomp_pin_pinnable_arg", unsafe.Sizeof(pa))
	fl("seccomp_pin_pinnable_arg.arg_idx", unsafe.Offsetof(pa.ArgIdx), unsafe.Sizeof(pa.ArgIdx))
	fl("seccomp_pin_pinnable_arg.kind", unsafe.Offsetof(pa.Kind), unsafe.Sizeof(pa.Kind))
	fl("seccomp_pin_pinnable_arg.len_idx", unsafe.Offsetof(pa.LenIdx), unsafe.Sizeof(pa.LenIdx))
	fl("seccomp_pin_pinnable_arg._reserved", unsafe.Offsetof(pa.Reserved), unsafe.Sizeof(pa.Reserved))
	fl("seccomp_pin_pinnable_arg.site", unsafe.Offsetof(pa.Site), unsafe.Sizeof(pa.Site))
	fl("seccomp_pin_pinnable_arg.max_bytes", unsafe.Offsetof(pa.MaxBytes), unsafe.Sizeof(pa.MaxBytes))
	fl("seccomp_pin_pinnable_arg.flags", unsafe.Offsetof(pa.Flags), unsafe.Sizeof(pa.Flags))

	var pn Pinnable
	st("seccomp_pin_pinnable", unsafe.Sizeof(pn))
	fl("seccomp_pin_pinnable.nr", unsafe.Offsetof(pn.Nr), unsafe.Sizeof(pn.Nr))
	fl("seccomp_pin_pinnable.flags", unsafe.Offsetof(pn.Flags), unsafe.Sizeof(pn.Flags))
	fl("seccomp_pin_pinnable.nr_args", unsafe.Offsetof(pn.NrArgs), unsafe.Sizeof(pn.NrArgs))
	fl("seccomp_pin_pinnable._reserved", unsafe.Offsetof(pn.Reserved), unsafe.Sizeof(pn.Reserved))
	fl("seccomp_pin_pinnable.args", unsafe.Offsetof(pn.Args), unsafe.Sizeof(pn.Args))

	var ru Rule
	st("seccomp_pin_rule", unsafe.Sizeof(ru))
	fl("seccomp_pin_rule.nr", unsafe.Offsetof(ru.Nr), unsafe.Sizeof(ru.Nr))
	fl("seccomp_pin_rule.nr_args", unsafe.Offsetof(ru.NrArgs), unsafe.Sizeof(ru.NrArgs))
	fl("seccomp_pin_rule.args", unsafe.Offsetof(ru.Args), unsafe.Sizeof(ru.Args))

	var rl Rules
	st("seccomp_pin_rules", unsafe.Sizeof(rl))
	fl("seccomp_pin_rules.nr_rules", unsafe.Offsetof(rl.NrRules), unsafe.Sizeof(rl.NrRules))
	fl("seccomp_pin_rules.flags", unsafe.Offsetof(rl.Flags), unsafe.Sizeof(rl.Flags))
	fl("seccomp_pin_rules.rules", unsafe.Offsetof(rl.Rules), unsafe.Sizeof(rl.Rules))

	var rv Recv
	st("seccomp_pin_recv", unsafe.Sizeof(rv))
	fl("seccomp_pin_recv.listener_fd", unsafe.Offsetof(rv.ListenerFd), unsafe.Sizeof(rv.ListenerFd))
	fl("seccomp_pin_recv.flags", unsafe.Offsetof(rv.Flags), unsafe.Sizeof(rv.Flags))
	fl("seccomp_pin_recv.notif", unsafe.Offsetof(rv.Notif), unsafe.Sizeof(rv.Notif))
	fl("seccomp_pin_recv.pin_error", unsafe.Offsetof(rv.PinError), unsafe.Sizeof(rv.PinError))
	fl("seccomp_pin_recv.pinned", unsafe.Offsetof(rv.Pinned), unsafe.Sizeof(rv.Pinned))
	fl("seccomp_pin_recv.pin", unsafe.Offsetof(rv.Pin), unsafe.Sizeof(rv.Pin))

	var sd SeccompData
	st("seccomp_data", unsafe.Sizeof(sd))
	fl("seccomp_data.nr", unsafe.Offsetof(sd.Nr), unsafe.Sizeof(sd.Nr))
	fl("seccomp_data.arch", unsafe.Offsetof(sd.Arch), unsafe.Sizeof(sd.Arch))
	fl("seccomp_data.instruction_pointer", unsafe.Offsetof(sd.InstructionPointer), unsafe.Sizeof(sd.InstructionPointer))
	fl("seccomp_data.args", unsafe.Offsetof(sd.Args), unsafe.Sizeof(sd.Args))

	var n Notif
	st("seccomp_notif", unsafe.Sizeof(n))
	fl("seccomp_notif.id", unsafe.Offsetof(n.ID), unsafe.Sizeof(n.ID))
	fl("seccomp_notif.pid", unsafe.Offsetof(n.Pid), unsafe.Sizeof(n.Pid))
	fl("seccomp_notif.flags", unsafe.Offsetof(n.Flags), unsafe.Sizeof(n.Flags))
	fl("seccomp_notif.data", unsafe.Offsetof(n.Data), unsafe.Sizeof(n.Data))

	var r NotifResp
	st("seccomp_notif_resp", unsafe.Sizeof(r))
	fl("seccomp_notif_resp.id", unsafe.Offsetof(r.ID), unsafe.Sizeof(r.ID))
	fl("seccomp_notif_resp.val", unsafe.Offsetof(r.Val), unsafe.Sizeof(r.Val))
	fl("seccomp_notif_resp.error", unsafe.Offsetof(r.Error), unsafe.Sizeof(r.Error))
	fl("seccomp_notif_resp.flags", unsafe.Offsetof(r.Flags), unsafe.Sizeof(r.Flags))

	num("ioctl", "SECCOMP_PIN_IOC_INFO", uint64(IocInfo))
	num("ioctl", "SECCOMP_PIN_IOC_PIN_ARGS", uint64(IocPinArgs))
	num("ioctl", "SECCOMP_PIN_IOC_SEND", uint64(IocSend))
	num("ioctl", "SECCOMP_PIN_IOC_PINNABLE", uint64(IocPinnable))
	num("ioctl", "SECCOMP_PIN_IOC_SET_RULES", uint64(IocSetRules))
	num("ioctl", "SECCOMP_PIN_IOC_RECV_PIN", uint64(IocRecvPin))
	num("ioctl", "SECCOMP_IOCTL_NOTIF_RECV", uint64(IoctlNotifRecv))
	num("ioctl", "SECCOMP_IOCTL_NOTIF_SEND", uint64(IoctlNotifSend))
	num("ioctl", "SECCOMP_IOCTL_NOTIF_ID_VALID", uint64(IoctlNotifIDValid))

	for name, v := range map[string]uint64{
		"SECCOMP_USER_NOTIF_FLAG_CONTINUE":        UserNotifFlagContinue,
		"SECCOMP_USER_NOTIF_FLAG_CONTINUE_PINNED": UserNotifFlagContinuePinned,
		"SECCOMP_PIN_FIXED":                       PinFixed,
		"SECCOMP_PIN_CSTRING":                     PinCString,
		"SECCOMP_PIN_CSTRING_ARRAY":               PinCStringArray,
		"SECCOMP_PIN_TRUNCATED_BYTES":             PinTruncatedBytes,
		"SECCOMP_PIN_TRUNCATED_ENTRIES":           PinTruncatedEntries,
		"SECCOMP_PIN_MAX_ARGS":                    PinMaxArgs,
		"SECCOMP_PIN_MAX_ARG_BYTES":               PinMaxArgBytes,
		"SECCOMP_PIN_MAX_TOTAL_BYTES":             PinMaxTotalBytes,
		"SECCOMP_PIN_ABI_VERSION":                 ABIVersion,
		"SECCOMP_PIN_DEFAULT_MAX_ENTRIES":         PinDefaultMaxEntries,
		"SECCOMP_PIN_MAX_ENTRIES":                 PinMaxEntries,
		"SECCOMP_PIN_BUF_ALIGN":                   PinBufAlign,
		"SECCOMP_PIN_SITE_PATH":                   SitePath,
		"SECCOMP_PIN_SITE_SOCKADDR":               SiteSockaddr,
		"SECCOMP_PIN_SITE_EXEC_ARGS":              SiteExecArgs,
		"SECCOMP_PIN_SITE_WRITE":                  SiteWrite,
		"SECCOMP_PIN_FIGURES_USER":                FiguresUser,
		"SECCOMP_PIN_FIGURES_GLOBAL":              FiguresGlobal,
		"SECCOMP_PIN_FEATURE_PINNABLE":            FeaturePinnable,
		"SECCOMP_PIN_FEATURE_RECV_PIN":            FeatureRecvPin,
		"SECCOMP_PIN_RECV_NONBLOCK":               RecvNonblock,
		"SECCOMP_PIN_NO_LEN":                      PinNoLen,
		"SECCOMP_PIN_PINNABLE_IF_NOT_EMPTY_PATH":  PinnableIfNotEmptyPath,
		"SECCOMP_PIN_IOC_MAGIC":                   IocMagic,
		"SECCOMP_SET_MODE_FILTER":                 SeccompSetModeFilter,
		"SECCOMP_FILTER_FLAG_NEW_LISTENER":        SeccompFilterFlagNewListener,
		"SECCOMP_RET_USER_NOTIF":                  SeccompRetUserNotif,
		"SECCOMP_RET_ALLOW":                       SeccompRetAllow,
		"SECCOMP_RET_KILL_PROCESS":                SeccompRetKillProcess,
		"AUDIT_ARCH_X86_64":                       AuditArchX86_64,
	} {
		num("const", name, v)
	}
	got["string SECCOMP_PIN_DEVICE"] = Device
	return got
}

// TestLayout: every struct size, field offset and size, ioctl number and
// constant equals the C header's, and neither side has one the other lacks.
func TestLayout(t *testing.T) {
	want := expectedLayout(t)
	got := bindingLayout()
	keys := []string{}
	for k := range want {
		keys = append(keys, k)
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		w, inC := want[k]
		g, inGo := got[k]
		switch {
		case !inGo:
			t.Errorf("%s: in the C header (%s), not in the Go binding", k, w)
		case !inC:
			t.Errorf("%s: in the Go binding (%s), not in the C header", k, g)
		case w != g:
			t.Errorf("%s: C header %s, Go binding %s", k, w, g)
		}
	}
}
