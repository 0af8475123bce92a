// SPDX-License-Identifier: GPL-2.0

//go:build linux && amd64

// race-supervisor: the openat TOCTOU race, supervised in Go through the
// seccomppin package, with and without pinning.
//
//	race-supervisor [flags] race      plain CONTINUE, then CONTINUE_PINNED
//	                                  (PIN_ARGS, then SET_RULES + RECV_PIN)
//	race-supervisor selftest          INFO, PINNABLE, error paths, execve argv
//
// The target (race_target, a static C helper) runs under a seccomp filter
// this program installs: openat traps to us (SECCOMP_RET_USER_NOTIF). Its
// main thread opens ROOT/allowed/data in a loop while a second thread
// flips the path to ROOT/secret_/data. The policy allows paths under
// ROOT/allowed/ only. A bypass is an openat that opened the secret.
//
//	plain:  decide on the path read from /proc/<pid>/mem, answer plain
//	        CONTINUE; the kernel re-reads the path, so bypasses must
//	        happen (asserted: it proves the race is real here);
//	pinned: decide on the PIN_ARGS snapshot, answer CONTINUE_PINNED;
//	        the kernel uses the snapshot, so bypasses must never happen;
//	recvpin: as pinned, but the notification is received and pinned in
//	        one call (SetRules once, then RecvPin per round).
//
// Exit status 0 when every assertion held, 1 when one failed, 2 on a
// setup error.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unsafe"

	"seccomppin"
)

const (
	sysSeccomp      = 317 // not in Go 1.19's frozen syscall package
	prSetNoNewPrivs = 38
	sysOpenat       = syscall.SYS_OPENAT
	launchArg       = "__launch"
	timeout         = 20 * time.Second // no answer from a live target in this long is a bug
)

var (
	root         = flag.String("root", "", "directory holding allowed/ and secret_/ (length a multiple of 8)")
	target       = flag.String("target", "", "the race_target helper (default: next to this program)")
	mode         = flag.String("mode", "all", "plain, pinned, recvpin, both (plain and pinned) or all")
	pinnedRounds = flag.Int("pinned-rounds", 2000, "rounds of the pinned and recvpin runs")
	plainRounds  = flag.Int("plain-rounds", 2000, "rounds of the plain run, continued (up to -plain-max) until it loses once")
	plainMax     = flag.Int("plain-max", 20000, "most rounds of the plain run")
	plainSecs    = flag.Int("plain-seconds", 60, "most seconds of the plain run past -plain-rounds")
	exact        = flag.Bool("exact-counters", false,
		"pinned and recvpin runs: INFO's total_pins must grow by the rounds and total_consumed by the allowed opens (nothing else may pin meanwhile)")
)

func die(format string, a ...interface{}) {
	fmt.Fprintf(os.Stderr, "race-supervisor: "+format+"\n", a...)
	os.Exit(2)
}

// ---- the target's side: install the filter, exec the helper ----------

// launch runs in the re-executed child (fd 3: socket to the supervisor,
// fd 4: report pipe) with args NR HELPER ARG...: syscall NR traps. The
// filter is installed on this locked thread only,
// which is the thread that execs, so the helper gets it and nothing else
// of this Go process is ever trapped.
func launch(args []string) {
	runtime.LockOSThread()
	if len(args) < 2 {
		die("%s NR HELPER ARG...", launchArg)
	}
	nr, err := strconv.ParseUint(args[0], 10, 32)
	if err != nil {
		die("%s: %v", launchArg, err)
	}
	args = args[1:]
	filter := []syscall.SockFilter{
		{Code: syscall.BPF_LD | syscall.BPF_W | syscall.BPF_ABS, K: 4}, // arch
		{Code: syscall.BPF_JMP | syscall.BPF_JEQ | syscall.BPF_K, Jt: 1, K: seccomppin.AuditArchX86_64},
		{Code: syscall.BPF_RET | syscall.BPF_K, K: seccomppin.SeccompRetKillProcess},
		{Code: syscall.BPF_LD | syscall.BPF_W | syscall.BPF_ABS, K: 0}, // nr
		{Code: syscall.BPF_JMP | syscall.BPF_JEQ | syscall.BPF_K, Jf: 1, K: uint32(nr)},
		{Code: syscall.BPF_RET | syscall.BPF_K, K: seccomppin.SeccompRetUserNotif},
		{Code: syscall.BPF_RET | syscall.BPF_K, K: seccomppin.SeccompRetAllow},
	}
	prog := syscall.SockFprog{Len: uint16(len(filter)), Filter: &filter[0]}

	if _, _, e := syscall.RawSyscall6(syscall.SYS_PRCTL,
		prSetNoNewPrivs, 1, 0, 0, 0, 0); e != 0 {
		die("PR_SET_NO_NEW_PRIVS: %v", e)
	}
	lfd, _, e := syscall.RawSyscall(sysSeccomp, seccomppin.SeccompSetModeFilter,
		seccomppin.SeccompFilterFlagNewListener, uintptr(unsafe.Pointer(&prog)))
	if e != 0 {
		die("seccomp: %v", e)
	}
	if err := syscall.Sendmsg(3, []byte{0}, syscall.UnixRights(int(lfd)), nil, 0); err != nil {
		die("sending the listener: %v", err)
	}
	syscall.Close(int(lfd))
	syscall.Close(3)
	err = syscall.Exec(args[0], append([]string{args[0], "4"}, args[1:]...), nil)
	die("exec %s: %v", args[0], err)
}

// ---- the supervisor's side --------------------------------------------

type tally struct {
	rounds, allowed, denied, bypass int
}

type race struct {
	dev      *seccomppin.Dev
	listener int
	pid      int
	mem      int // /proc/<pid>/mem, plain mode
	report   int // read end of the target's report pipe
	allow    string
	buf      []byte // snapshots land here
	recvPin  bool   // receive and pin in one call (SetRules + RecvPin)
}

// pollIn waits until fd is readable.
func pollIn(fd int) error {
	pfd := struct {
		fd      int32
		events  int16
		revents int16
	}{fd: int32(fd), events: 1} // POLLIN
	deadline := time.Now().Add(timeout)
	for {
		ms := time.Until(deadline).Milliseconds()
		if ms <= 0 {
			return syscall.ETIMEDOUT
		}
		n, _, e := syscall.Syscall(syscall.SYS_POLL, uintptr(unsafe.Pointer(&pfd)), 1, uintptr(ms))
		if e == syscall.EINTR {
			continue
		}
		if e != 0 {
			return e
		}
		if n == 1 {
			return nil
		}
	}
}

// startTarget starts helper with args under a filter trapping syscall nr;
// its argv[1] is the number of the report pipe's write end.
func startTarget(nr int, helper string, args ...string) (*race, error) {
	sp, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_SEQPACKET|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	defer syscall.Close(sp[0])
	var rp [2]int
	if err := syscall.Pipe2(rp[:], syscall.O_CLOEXEC); err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	argv := append([]string{self, launchArg, strconv.Itoa(nr), helper}, args...)
	// Go issues execve as a raw syscall, so the runtime sees a goroutine
	// running for as long as the exec is trapped and preempts it with
	// SIGURG, which interrupts the wait: the notification is withdrawn
	// (PIN_ARGS: ENOENT) and the execve traps again. No async preemption.
	pid, err := syscall.ForkExec(self, argv, &syscall.ProcAttr{
		Env:   []string{"GODEBUG=asyncpreemptoff=1"},
		Files: []uintptr{0, 1, 2, uintptr(sp[1]), uintptr(rp[1])},
	})
	syscall.Close(sp[1])
	syscall.Close(rp[1])
	if err != nil {
		syscall.Close(rp[0])
		return nil, err
	}
	r := &race{pid: pid, report: rp[0], mem: -1, listener: -1}
	oob := make([]byte, syscall.CmsgSpace(4))
	if err := pollIn(sp[0]); err != nil {
		r.stop()
		return nil, fmt.Errorf("no listener from the target: %v", err)
	}
	_, oobn, _, _, err := syscall.Recvmsg(sp[0], make([]byte, 1), oob, 0)
	if err == nil {
		var msgs []syscall.SocketControlMessage
		msgs, err = syscall.ParseSocketControlMessage(oob[:oobn])
		if err == nil && len(msgs) == 1 {
			var fds []int
			fds, err = syscall.ParseUnixRights(&msgs[0])
			if err == nil && len(fds) == 1 {
				r.listener = fds[0]
			}
		}
	}
	if r.listener < 0 {
		r.stop()
		return nil, fmt.Errorf("no listener from the target: %v", err)
	}
	return r, nil
}

// stop kills the target (a pending notification dies with it) and reaps it.
func (r *race) stop() {
	syscall.Kill(r.pid, syscall.SIGKILL)
	var ws syscall.WaitStatus
	syscall.Wait4(r.pid, &ws, 0, nil)
	for _, fd := range []int{r.listener, r.mem, r.report} {
		if fd >= 0 {
			syscall.Close(fd)
		}
	}
}

// cstr is b up to its first NUL.
func cstr(b []byte) string {
	if i := strings.IndexByte(string(b), 0); i >= 0 {
		return string(b[:i])
	}
	return string(b)
}

// decide returns whether the policy allows the path the supervisor sees.
func (r *race) decide(n *seccomppin.Notif, pinned bool) (bool, error) {
	var path string

	if pinned {
		pin := seccomppin.NotifPinArgs{ID: n.ID, NrArgs: 1}
		pin.Args[0] = seccomppin.PinArg{ArgIdx: 1, Kind: seccomppin.PinCString,
			MaxBytes: uint32(len(r.buf))}
		if err := r.dev.PinArgs(r.listener, &pin, r.buf); err != nil {
			return false, fmt.Errorf("PIN_ARGS: %w", err)
		}
		return r.decidePinned(&pin)
	} else {
		// Opened at the first notification, after the exec: the file
		// stays bound to the memory of the image it was opened on.
		if r.mem < 0 {
			fd, err := syscall.Open(fmt.Sprintf("/proc/%d/mem", r.pid),
				syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
			if err != nil {
				return false, err
			}
			r.mem = fd
		}
		b := make([]byte, 256)
		if _, err := syscall.Pread(r.mem, b, int64(n.Data.Args[1])); err != nil {
			return false, fmt.Errorf("reading /proc/%d/mem: %w", r.pid, err)
		}
		path = cstr(b)
	}
	return strings.HasPrefix(path, r.allow), nil
}

// decidePinned decides on the path snapshot pin holds (in r.buf).
func (r *race) decidePinned(pin *seccomppin.NotifPinArgs) (bool, error) {
	snap, err := seccomppin.Snapshot(pin, r.buf, 0)
	if err != nil {
		return false, fmt.Errorf("snapshot: %w", err)
	}
	if pin.Args[0].Truncated != 0 {
		return false, nil
	}
	return strings.HasPrefix(cstr(snap), r.allow), nil
}

// recvPinned receives the notification and pins its path in one call,
// per the rule run() gave the device fd, and decides on the snapshot.
func (r *race) recvPinned(n *seccomppin.Notif) (bool, error) {
	var pin seccomppin.NotifPinArgs

	// Polled readable: NONBLOCK must find it (EAGAIN would be a bug).
	pinned, pinErr, err := r.dev.RecvPin(r.listener, seccomppin.RecvNonblock, n, &pin, r.buf)
	if err != nil {
		return false, fmt.Errorf("RECV_PIN: %w", err)
	}
	if n.Data.Nr != sysOpenat {
		return false, fmt.Errorf("notification for syscall %d", n.Data.Nr)
	}
	if !pinned {
		return false, fmt.Errorf("RECV_PIN: openat %d received, not pinned: %v", n.ID, pinErr)
	}
	if pin.ID != n.ID || pin.NrArgs != 1 || pin.Args[0].UserAddr != n.Data.Args[1] {
		return false, fmt.Errorf("RECV_PIN: pin of id %d, %d args, addr %#x; notification %d, path at %#x",
			pin.ID, pin.NrArgs, pin.Args[0].UserAddr, n.ID, n.Data.Args[1])
	}
	return r.decidePinned(&pin)
}

func (r *race) round(pinned bool, t *tally) error {
	var n seccomppin.Notif
	var allow bool
	var err error

	if err := pollIn(r.listener); err != nil {
		return fmt.Errorf("no notification: %v", err)
	}
	if r.recvPin {
		allow, err = r.recvPinned(&n)
	} else {
		if err := seccomppin.NotifRecv(r.listener, &n); err != nil {
			return fmt.Errorf("NOTIF_RECV: %w", err)
		}
		if n.Data.Nr != sysOpenat {
			return fmt.Errorf("notification for syscall %d", n.Data.Nr)
		}
		allow, err = r.decide(&n, pinned)
	}
	if err != nil {
		return err
	}
	deny := seccomppin.NotifResp{ID: n.ID, Error: -int32(syscall.EACCES)}
	switch {
	case allow && pinned:
		err = r.dev.ContinuePinned(r.listener, n.ID)
	case allow:
		err = seccomppin.NotifSend(r.listener, &seccomppin.NotifResp{ID: n.ID,
			Flags: seccomppin.UserNotifFlagContinue})
	case pinned:
		// Through the module: the reply frees the pin.
		err = r.dev.Send(r.listener, &deny)
	default:
		err = seccomppin.NotifSend(r.listener, &deny)
	}
	if err != nil {
		return fmt.Errorf("answering: %w", err)
	}
	if err := pollIn(r.report); err != nil {
		return fmt.Errorf("no report from the target: %v", err)
	}
	c := make([]byte, 1)
	if k, err := syscall.Read(r.report, c); k != 1 {
		return fmt.Errorf("reading the report: %v", err)
	}
	t.rounds++
	if allow {
		t.allowed++
	} else {
		t.denied++
	}
	switch {
	case c[0] == 'E':
		return fmt.Errorf("round %d: the openat failed unexpectedly", t.rounds)
	case !allow && c[0] != 'D':
		return fmt.Errorf("round %d: denied, but the target reported %q", t.rounds, c[0])
	case allow && c[0] == 'D':
		return fmt.Errorf("round %d: allowed, but the target was denied", t.rounds)
	case c[0] == 'S':
		t.bypass++
	}
	return nil
}

func run(dev *seccomppin.Dev, name string, helper, good, bad, allow string) (tally, error) {
	var t tally
	pinned := name != "plain"

	r, err := startTarget(sysOpenat, helper, good, bad)
	if err != nil {
		return t, err
	}
	defer r.stop()
	r.dev, r.allow = dev, allow
	r.buf = make([]byte, 4096)
	if name == "recvpin" {
		// The rule RecvPin pins openat's path by, on this device fd.
		rule := seccomppin.Rule{Nr: sysOpenat, NrArgs: 1}
		rule.Args[0] = seccomppin.PinArg{ArgIdx: 1, Kind: seccomppin.PinCString,
			MaxBytes: uint32(len(r.buf))}
		if err := dev.SetRules([]seccomppin.Rule{rule}); err != nil {
			return t, fmt.Errorf("SET_RULES: %w", err)
		}
		defer dev.SetRules(nil)
		r.recvPin = true
	}
	end := time.Now().Add(time.Duration(*plainSecs) * time.Second)
	for {
		if pinned && t.rounds >= *pinnedRounds {
			break
		}
		// Plain: the set rounds, then on until it loses once (bounded).
		if !pinned && t.rounds >= *plainRounds &&
			(t.bypass > 0 || t.rounds >= *plainMax || time.Now().After(end)) {
			break
		}
		if err := r.round(pinned, &t); err != nil {
			return t, err
		}
		if !pinned && t.rounds == *plainRounds {
			end = time.Now().Add(time.Duration(*plainSecs) * time.Second)
		}
	}
	return t, nil
}

func writeFile(path, text string) {
	if err := os.MkdirAll(filepath.Dir(path), 0755); err != nil {
		die("%v", err)
	}
	if err := os.WriteFile(path, []byte(text), 0644); err != nil {
		die("%v", err)
	}
}

func helperPath() string {
	if *target != "" {
		return *target
	}
	self, err := os.Executable()
	if err != nil {
		die("%v", err)
	}
	return filepath.Join(filepath.Dir(self), "race_target")
}

func doRace() int {
	if len(*root)%8 != 0 {
		die("-root %q: its length must be a multiple of 8 (the flip is one aligned word)", *root)
	}
	helper := helperPath()
	good := *root + "/allowed/data"
	bad := *root + "/secret_/data"
	writeFile(good, "A")
	writeFile(bad, "S")

	switch *mode {
	case "plain", "pinned", "recvpin", "both", "all":
	default:
		die("-mode %q: plain, pinned, recvpin, both or all", *mode)
	}
	var dev *seccomppin.Dev
	if *mode != "plain" {
		var err error
		if dev, err = seccomppin.Open(); err != nil {
			die("%s: %v (is seccomp_pin.ko loaded?)", seccomppin.Device, err)
		}
		defer dev.Close()
	}
	ok := true
	for _, name := range []string{"plain", "pinned", "recvpin"} {
		pinned := name != "plain"
		if *mode != "all" && *mode != name && (*mode != "both" || name == "recvpin") {
			continue
		}
		var before *seccomppin.Info
		if pinned {
			var err error
			if before, err = dev.Info(); err != nil {
				die("INFO: %v", err)
			}
		}
		start := time.Now()
		t, err := run(dev, name, helper, good, bad, *root+"/allowed/")
		fmt.Printf("go %-7s: %d rounds, %d allowed, %d denied, %d bypasses (%.1f s)\n",
			name, t.rounds, t.allowed, t.denied, t.bypass, time.Since(start).Seconds())
		if err != nil {
			fmt.Printf("FAIL %s: %v\n", name, err)
			ok = false
			continue
		}
		if pinned {
			// The module's own count of fetches served from a snapshot:
			// every allowed open must have used its pin, every denied
			// one must not.
			after, err := dev.Info()
			if err != nil {
				die("INFO: %v", err)
			}
			pins := after.TotalPins - before.TotalPins
			used := after.TotalConsumed - before.TotalConsumed
			fmt.Printf("go %s: INFO: %d pins taken, %d fetches served from a snapshot\n", name, pins, used)
			if *exact && (pins != uint64(t.rounds) || used != uint64(t.allowed)) {
				fmt.Printf("FAIL %s: want %d pins and %d fetches from a snapshot\n", name, t.rounds, t.allowed)
				ok = false
			}
		}
		if !pinned && t.bypass == 0 {
			fmt.Printf("FAIL plain: no bypass in %d rounds: the race did not happen, so the pinned run proves nothing\n", t.rounds)
			ok = false
		}
		if pinned && (t.bypass != 0 || t.allowed == 0 || t.denied == 0) {
			fmt.Printf("FAIL %s: %d bypasses (want 0), %d allowed and %d denied (want both > 0: the flipper ran)\n",
				name, t.bypass, t.allowed, t.denied)
			ok = false
		}
	}
	if !ok {
		return 1
	}
	return 0
}

// execArgv traps the helper's execve, pins its argv (CSTRING_ARRAY), checks
// the snapshot through ArrayCount/ArrayEntry, answers CONTINUE_PINNED and
// checks the program got exactly that argv (the helper echoes it).
func execArgv(dev *seccomppin.Dev, helper string) error {
	want := []string{helper, "4", "--echo", "one", "two words", ""}
	r, err := startTarget(syscall.SYS_EXECVE, helper, want[2:]...)
	if err != nil {
		return err
	}
	defer r.stop()
	var n seccomppin.Notif
	var pin seccomppin.NotifPinArgs
	buf := make([]byte, 4096)
	// A signal interrupting the trapped execve withdraws the notification
	// (ENOENT) and the restarted execve traps again: pin that one. Any
	// supervisor must expect this; a bounded number of times here.
	for withdrawn := 0; ; withdrawn++ {
		if err := pollIn(r.listener); err != nil {
			return fmt.Errorf("no notification: %v", err)
		}
		if err := seccomppin.NotifRecv(r.listener, &n); err != nil {
			return fmt.Errorf("NOTIF_RECV: %w", err)
		}
		if n.Data.Nr != syscall.SYS_EXECVE {
			return fmt.Errorf("notification for syscall %d", n.Data.Nr)
		}
		pin = seccomppin.NotifPinArgs{ID: n.ID, NrArgs: 1}
		pin.Args[0] = seccomppin.PinArg{ArgIdx: 1,
			Kind: seccomppin.PinCStringArray, MaxBytes: uint32(len(buf))}
		err := dev.PinArgs(r.listener, &pin, buf)
		if err == syscall.ENOENT && withdrawn < 10 {
			fmt.Printf("     execve notification %d withdrawn (interrupted), waiting for the next\n", n.ID)
			continue
		}
		if err != nil {
			return fmt.Errorf("PIN_ARGS(argv): %w", err)
		}
		break
	}
	snap, err := seccomppin.Snapshot(&pin, buf, 0)
	if err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	count, err := seccomppin.ArrayCount(snap)
	if err != nil || count != len(want) || pin.Args[0].ActualEntries != uint32(count) {
		return fmt.Errorf("argv snapshot: count %d (%v), actual_entries %d, want %d",
			count, err, pin.Args[0].ActualEntries, len(want))
	}
	for i, w := range want {
		if s, err := seccomppin.ArrayEntry(snap, i); err != nil || s != w {
			return fmt.Errorf("argv snapshot entry %d: %q (%v), want %q", i, s, err, w)
		}
	}
	if _, err := seccomppin.ArrayEntry(snap, count); err != syscall.EINVAL {
		return fmt.Errorf("entry past the count: %v, want EINVAL", err)
	}
	if err := dev.ContinuePinned(r.listener, n.ID); err != nil {
		return fmt.Errorf("CONTINUE_PINNED: %w", err)
	}
	var got []byte
	for {
		if err := pollIn(r.report); err != nil {
			return fmt.Errorf("no echo from the program: %v", err)
		}
		b := make([]byte, 4096)
		k, err := syscall.Read(r.report, b)
		if err != nil {
			return fmt.Errorf("reading the echo: %v", err)
		}
		if k == 0 {
			break
		}
		got = append(got, b[:k]...)
	}
	if w := strings.Join(want, "\x00") + "\x00"; string(got) != w {
		return fmt.Errorf("the program got argv %q, want %q", got, w)
	}
	return nil
}

// ---- selftest: the rest of the surface against the real module -----------

func selftest() int {
	failed := 0
	check := func(ok bool, format string, a ...interface{}) {
		status := "ok  "
		if !ok {
			status = "FAIL"
			failed++
		}
		fmt.Printf("%s "+format+"\n", append([]interface{}{status}, a...)...)
	}
	isErrno := func(err error, want syscall.Errno) bool {
		e, ok := err.(syscall.Errno)
		return ok && e == want
	}

	dev, err := seccomppin.Open()
	if err != nil {
		die("%s: %v", seccomppin.Device, err)
	}
	defer dev.Close()
	info, err := dev.Info()
	check(err == nil, "INFO: %v", err)
	if err != nil {
		return 1
	}
	fmt.Printf("     abi %d, kinds %#x, sites %#x, max_args %d, max_arg_bytes %d\n",
		info.ABIVersion, info.Kinds, info.Sites, info.MaxArgs, info.MaxArgBytes)
	check(info.ABIVersion == seccomppin.ABIVersion, "abi_version %d", info.ABIVersion)
	check(info.MaxArgs == seccomppin.PinMaxArgs, "max_args %d", info.MaxArgs)
	check(info.MaxArgBytes == seccomppin.PinMaxArgBytes, "max_arg_bytes %d", info.MaxArgBytes)
	check(info.Kinds&7 == 7, "kinds %#x has FIXED, CSTRING, CSTRING_ARRAY", info.Kinds)
	check(info.Sites&seccomppin.SitePath != 0, "sites %#x has PATH", info.Sites)
	want := uint32(seccomppin.FeaturePinnable | seccomppin.FeatureRecvPin)
	check(info.Features&want == want, "features %#x has PINNABLE and RECV_PIN", info.Features)
	check(info.MaxRules == 512, "max_rules %d (want 512)", info.MaxRules)

	p, err := dev.Pinnable(sysOpenat)
	check(err == nil, "PINNABLE(openat): %v", err)
	if err == nil {
		a := p.Args[0]
		check(p.NrArgs == 1 && a.ArgIdx == 1 && a.Kind == seccomppin.PinCString &&
			a.MaxBytes == 4096 && a.Site == seccomppin.SitePath && a.LenIdx == seccomppin.PinNoLen,
			"PINNABLE(openat): %d entries, first arg %d kind %d max_bytes %d site %#x len_idx %#x (want 1: arg 1 CSTRING 4096 PATH, no len)",
			p.NrArgs, a.ArgIdx, a.Kind, a.MaxBytes, a.Site, a.LenIdx)
	}
	p, err = dev.Pinnable(syscall.SYS_GETPID)
	check(err == nil && p.NrArgs == 0, "PINNABLE(getpid): %v, %d entries (want none)", err, nrArgs(p))

	// SET_RULES: checked as PIN_ARGS requests are; RECV_PIN's errors.
	openatRule := seccomppin.Rule{Nr: sysOpenat, NrArgs: 1}
	openatRule.Args[0] = seccomppin.PinArg{ArgIdx: 1, Kind: seccomppin.PinCString, MaxBytes: 4096}
	err = dev.SetRules([]seccomppin.Rule{openatRule})
	check(err == nil, "SET_RULES(openat path): %v", err)
	getpidRule := seccomppin.Rule{Nr: syscall.SYS_GETPID, NrArgs: 1}
	getpidRule.Args[0] = openatRule.Args[0]
	err = dev.SetRules([]seccomppin.Rule{openatRule, getpidRule})
	check(isErrno(err, syscall.EOPNOTSUPP), "SET_RULES(getpid arg 1): %v (want EOPNOTSUPP)", err)
	err = dev.SetRules([]seccomppin.Rule{openatRule, openatRule})
	check(isErrno(err, syscall.EINVAL), "SET_RULES(openat twice): %v (want EINVAL)", err)
	err = dev.SetRules(make([]seccomppin.Rule, info.MaxRules+1))
	check(isErrno(err, syscall.E2BIG), "SET_RULES(max_rules + 1): %v (want E2BIG)", err)
	err = dev.SetRules(nil)
	check(err == nil, "SET_RULES(none): %v", err)
	var n seccomppin.Notif
	var rpin seccomppin.NotifPinArgs
	_, _, err = dev.RecvPin(-1, 0, &n, &rpin, buf4k())
	check(isErrno(err, syscall.EBADF), "RECV_PIN on fd -1: %v (want EBADF)", err)
	_, _, err = dev.RecvPin(dev.Fd(), seccomppin.RecvNonblock, &n, &rpin, buf4k())
	check(isErrno(err, syscall.EINVAL), "RECV_PIN on a non-listener: %v (want EINVAL)", err)
	err = recvPinEmpty(dev, helperPath())
	check(err == nil, "RECV_PIN: a notification with no rule, then NONBLOCK on an idle listener: %v", err)
	err = recvPinFailed(dev, helperPath())
	check(err == nil, "RECV_PIN: a failed pin (8-byte buffer) is reported as the pin's errno: %v", err)

	buf := make([]byte, 64)
	pin := seccomppin.NotifPinArgs{ID: 1, NrArgs: 1}
	pin.Args[0] = seccomppin.PinArg{ArgIdx: 1, Kind: seccomppin.PinCString, MaxBytes: 64}
	err = dev.PinArgs(-1, &pin, buf)
	check(isErrno(err, syscall.EBADF), "PIN_ARGS on fd -1: %v (want EBADF)", err)
	err = dev.PinArgs(dev.Fd(), &pin, buf)
	check(isErrno(err, syscall.EINVAL), "PIN_ARGS on a non-listener: %v (want EINVAL)", err)
	err = dev.Send(-1, &seccomppin.NotifResp{ID: 1})
	check(isErrno(err, syscall.EBADF), "SEND on fd -1: %v (want EBADF)", err)
	err = dev.ContinuePinned(dev.Fd(), 1)
	check(isErrno(err, syscall.EINVAL), "CONTINUE_PINNED on a non-listener: %v (want EINVAL)", err)
	var e error = syscall.EINVAL
	check(errors.Is(err, e), "errors are syscall.Errno (errors.Is works)")
	err = execArgv(dev, helperPath())
	check(err == nil, "execve argv pinned as CSTRING_ARRAY, read back, run: %v", err)
	if failed > 0 {
		return 1
	}
	return 0
}

func nrArgs(p *seccomppin.Pinnable) uint32 {
	if p == nil {
		return 0
	}
	return p.NrArgs
}

func buf4k() []byte { return make([]byte, 4096) }

// recvPinEmpty: with no rule on the device fd, RECV_PIN receives the
// helper's trapped execve and pins nothing, without error (the
// notification stays pending); with that one taken, NONBLOCK finds the
// listener idle: EAGAIN. Killing the target ends the pending one.
func recvPinEmpty(dev *seccomppin.Dev, helper string) error {
	r, err := startTarget(syscall.SYS_EXECVE, helper, "--echo", "x")
	if err != nil {
		return err
	}
	defer r.stop()
	if err := pollIn(r.listener); err != nil {
		return fmt.Errorf("no notification: %v", err)
	}
	var n seccomppin.Notif
	var pin seccomppin.NotifPinArgs
	buf := buf4k()
	pinned, pinErr, err := dev.RecvPin(r.listener, seccomppin.RecvNonblock, &n, &pin, buf)
	if err != nil || pinned || pinErr != nil || n.Data.Nr != syscall.SYS_EXECVE || n.ID == 0 {
		return fmt.Errorf("no rule: pinned %v, pin error %v, error %v, syscall %d, id %d (want received execve, not pinned, no error)",
			pinned, pinErr, err, n.Data.Nr, n.ID)
	}
	_, _, err = dev.RecvPin(r.listener, seccomppin.RecvNonblock, &n, &pin, buf)
	if !errors.Is(err, syscall.EAGAIN) {
		return fmt.Errorf("NONBLOCK with nothing pending: %v (want EAGAIN)", err)
	}
	return nil
}

// recvPinFailed: a rule pinning execve's argv, a buffer too small for the
// snapshot: the notification is received, not pinned, and the pin's
// errno (ENOSPC) comes back as pinErr, not as the call's error.
func recvPinFailed(dev *seccomppin.Dev, helper string) error {
	rule := seccomppin.Rule{Nr: syscall.SYS_EXECVE, NrArgs: 1}
	rule.Args[0] = seccomppin.PinArg{ArgIdx: 1, Kind: seccomppin.PinCStringArray, MaxBytes: 4096}
	if err := dev.SetRules([]seccomppin.Rule{rule}); err != nil {
		return fmt.Errorf("SET_RULES(execve argv): %w", err)
	}
	defer dev.SetRules(nil)
	r, err := startTarget(syscall.SYS_EXECVE, helper, "--echo", "x")
	if err != nil {
		return err
	}
	defer r.stop()
	if err := pollIn(r.listener); err != nil {
		return fmt.Errorf("no notification: %v", err)
	}
	var n seccomppin.Notif
	var pin seccomppin.NotifPinArgs
	pinned, pinErr, err := dev.RecvPin(r.listener, 0, &n, &pin, make([]byte, 8))
	if err != nil || pinned || !errors.Is(pinErr, syscall.ENOSPC) ||
		n.Data.Nr != syscall.SYS_EXECVE || pin.ID != n.ID || pin.NrArgs != 0 {
		return fmt.Errorf("pinned %v, pin error %v, error %v, syscall %d, pin id %d of %d, %d args (want received execve, not pinned, ENOSPC)",
			pinned, pinErr, err, n.Data.Nr, pin.ID, n.ID, pin.NrArgs)
	}
	return nil
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == launchArg {
		launch(os.Args[2:])
	}
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: race-supervisor [flags] race|selftest")
		flag.PrintDefaults()
	}
	flag.Parse()
	switch flag.Arg(0) {
	case "race":
		os.Exit(doRace())
	case "selftest":
		os.Exit(selftest())
	default:
		flag.Usage()
		os.Exit(2)
	}
}
