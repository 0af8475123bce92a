// SPDX-License-Identifier: GPL-2.0
//! race-supervisor: the openat TOCTOU race, supervised in Rust through the
//! seccomp-pin crate, with and without pinning.
//!
//! ```text
//! race-supervisor [options] race      plain CONTINUE, then CONTINUE_PINNED
//!                                     (PIN_ARGS, then SET_RULES + RECV_PIN)
//! race-supervisor selftest            INFO, PINNABLE, SET_RULES, RECV_PIN,
//!                                     error paths, execve argv
//!   --root DIR --target PATH --mode plain|pinned|recvpin|both|all
//!   --pinned-rounds N
//!   --plain-rounds N --plain-max N --plain-seconds N --exact-counters
//! ```
//!
//! This program forks, installs a seccomp filter in the child (openat
//! traps to us: SECCOMP_RET_USER_NOTIF), and execs the target
//! (race_target, a static C helper). Its main thread opens
//! ROOT/allowed/data in a loop while a second thread flips the path to
//! ROOT/secret_/data. The policy allows paths under ROOT/allowed/ only; a
//! bypass is an openat that opened the secret.
//!
//! - plain: decide on the path read from /proc/<pid>/mem, answer plain
//!   CONTINUE; the kernel re-reads the path, so bypasses must happen
//!   (asserted: it proves the race is real here);
//! - pinned: decide on the PIN_ARGS snapshot, answer CONTINUE_PINNED; the
//!   kernel uses the snapshot, so bypasses must never happen;
//! - recvpin: as pinned, but the notification is received and pinned in
//!   one call (set_rules once, then recv_pin per round).
//!
//! `--mode all` (the default) runs all three; `both` plain and pinned.
//!
//! Exit status 0 when every assertion held, 1 when one failed, 2 on a
//! setup error.

use seccomp_pin::*;
use std::ffi::CString;
use std::os::unix::io::RawFd;
use std::time::{Duration, Instant};

/// No answer from a live target in this long is a bug.
const TIMEOUT_MS: i32 = 20_000;

struct Opts {
    root: String,
    target: String,
    mode: String,
    pinned_rounds: u64,
    plain_rounds: u64,
    plain_max: u64,
    plain_secs: u64,
    /// Pinned and recvpin runs: INFO's total_pins must grow by the rounds and
    /// total_consumed by the allowed opens (nothing else may pin meanwhile).
    exact: bool,
}

fn die(msg: String) -> ! {
    eprintln!("race-supervisor: {}", msg);
    std::process::exit(2);
}

fn errno() -> Errno {
    Errno::last()
}

// ---- the target's side ---------------------------------------------------

struct Launch {
    helper: CString,
    argv: Vec<CString>,
    filter: Vec<libc::sock_filter>,
}

fn stmt(code: u32, k: u32) -> libc::sock_filter {
    libc::sock_filter {
        code: code as u16,
        jt: 0,
        jf: 0,
        k,
    }
}

fn jump(code: u32, k: u32, jt: u8, jf: u8) -> libc::sock_filter {
    libc::sock_filter {
        code: code as u16,
        jt,
        jf,
        k,
    }
}

/// The child between fork and exec: only async-signal-safe calls, on
/// memory prepared before the fork. Never returns.
unsafe fn child(l: &Launch, sock: RawFd, report: RawFd) -> ! {
    let prog = libc::sock_fprog {
        len: l.filter.len() as u16,
        filter: l.filter.as_ptr() as *mut libc::sock_filter,
    };
    if libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 {
        libc::_exit(3);
    }
    let lfd = libc::syscall(
        libc::SYS_seccomp,
        SECCOMP_SET_MODE_FILTER,
        SECCOMP_FILTER_FLAG_NEW_LISTENER,
        &prog as *const libc::sock_fprog,
    ) as RawFd;
    if lfd < 0 {
        libc::_exit(4);
    }
    // Hand the listener over with SCM_RIGHTS.
    let mut cbuf = [0u64; 4];
    let mut byte = 0u8;
    let mut iov = libc::iovec {
        iov_base: &mut byte as *mut u8 as *mut libc::c_void,
        iov_len: 1,
    };
    let mut msg: libc::msghdr = std::mem::zeroed();
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    msg.msg_control = cbuf.as_mut_ptr() as *mut libc::c_void;
    msg.msg_controllen = libc::CMSG_SPACE(4) as usize;
    let c = libc::CMSG_FIRSTHDR(&msg);
    (*c).cmsg_level = libc::SOL_SOCKET;
    (*c).cmsg_type = libc::SCM_RIGHTS;
    (*c).cmsg_len = libc::CMSG_LEN(4) as usize;
    std::ptr::write_unaligned(libc::CMSG_DATA(c) as *mut RawFd, lfd);
    if libc::sendmsg(sock, &msg, 0) != 1 {
        libc::_exit(5);
    }
    libc::close(lfd);
    libc::close(sock);
    // The report pipe stays open across the exec; its number is argv[1].
    libc::fcntl(report, libc::F_SETFD, 0);
    let mut argv: Vec<*const libc::c_char> = l.argv.iter().map(|a| a.as_ptr()).collect();
    argv.push(std::ptr::null());
    libc::execv(l.helper.as_ptr(), argv.as_ptr());
    libc::_exit(6);
}

// ---- the supervisor's side ---------------------------------------------

#[derive(Default)]
struct Tally {
    rounds: u64,
    allowed: u64,
    denied: u64,
    bypass: u64,
}

struct Race<'a> {
    dev: Option<&'a Device>,
    listener: RawFd,
    pid: libc::pid_t,
    mem: RawFd,
    report: RawFd,
    report_w: RawFd, // the report pipe's write end, as numbered in the target
    allow: String,
    buf: Vec<u8>,
    /// Receive and pin in one call (set_rules + recv_pin).
    recv_pin: bool,
}

fn poll_in(fd: RawFd) -> Result<()> {
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    let deadline = Instant::now() + Duration::from_millis(TIMEOUT_MS as u64);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(Errno(libc::ETIMEDOUT));
        }
        let n = unsafe { libc::poll(&mut p, 1, left.as_millis() as i32) };
        if n == 1 {
            return Ok(());
        }
        if n < 0 && errno().0 != libc::EINTR {
            return Err(errno());
        }
    }
}

/// Starts `helper` with `args` under a filter trapping syscall `nr`; its
/// argv[1] is the number of the report pipe's write end.
fn start_target<'a>(
    dev: Option<&'a Device>,
    nr: i64,
    helper: &str,
    args: &[&str],
) -> std::result::Result<Race<'a>, String> {
    let mut sp = [0; 2];
    let mut rp = [0; 2];
    unsafe {
        if libc::socketpair(
            libc::AF_UNIX,
            libc::SOCK_SEQPACKET | libc::SOCK_CLOEXEC,
            0,
            sp.as_mut_ptr(),
        ) != 0
            || libc::pipe2(rp.as_mut_ptr(), libc::O_CLOEXEC) != 0
        {
            return Err(format!("socketpair/pipe: {}", errno()));
        }
    }
    let cs = |s: &str| CString::new(s).unwrap();
    let arch_off = 4; // offsetof(struct seccomp_data, arch)
    let l = Launch {
        helper: cs(helper),
        argv: [helper, &rp[1].to_string()]
            .iter()
            .chain(args.iter())
            .map(|a| cs(a))
            .collect(),
        filter: vec![
            stmt(libc::BPF_LD | libc::BPF_W | libc::BPF_ABS, arch_off),
            jump(
                libc::BPF_JMP | libc::BPF_JEQ | libc::BPF_K,
                AUDIT_ARCH_X86_64,
                1,
                0,
            ),
            stmt(libc::BPF_RET | libc::BPF_K, SECCOMP_RET_KILL_PROCESS),
            stmt(libc::BPF_LD | libc::BPF_W | libc::BPF_ABS, 0),
            jump(libc::BPF_JMP | libc::BPF_JEQ | libc::BPF_K, nr as u32, 0, 1),
            stmt(libc::BPF_RET | libc::BPF_K, SECCOMP_RET_USER_NOTIF),
            stmt(libc::BPF_RET | libc::BPF_K, SECCOMP_RET_ALLOW),
        ],
    };
    // This process has one thread, so the child may run Rust-free code.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        return Err(format!("fork: {}", errno()));
    }
    if pid == 0 {
        unsafe {
            libc::close(sp[0]);
            libc::close(rp[0]);
            child(&l, sp[1], rp[1]);
        }
    }
    unsafe {
        libc::close(sp[1]);
        libc::close(rp[1]);
    }
    let mut r = Race {
        dev,
        listener: -1,
        pid,
        mem: -1,
        report: rp[0],
        report_w: rp[1],
        allow: String::new(),
        buf: vec![0u8; 4096],
        recv_pin: false,
    };
    let got = poll_in(sp[0]).and_then(|_| recv_fd(sp[0]));
    unsafe { libc::close(sp[0]) };
    match got {
        Ok(fd) => r.listener = fd,
        Err(e) => {
            r.stop();
            return Err(format!("no listener from the target: {}", e));
        }
    }
    Ok(r)
}

fn recv_fd(sock: RawFd) -> Result<RawFd> {
    unsafe {
        let mut cbuf = [0u64; 4];
        let mut byte = 0u8;
        let mut iov = libc::iovec {
            iov_base: &mut byte as *mut u8 as *mut libc::c_void,
            iov_len: 1,
        };
        let mut msg: libc::msghdr = std::mem::zeroed();
        msg.msg_iov = &mut iov;
        msg.msg_iovlen = 1;
        msg.msg_control = cbuf.as_mut_ptr() as *mut libc::c_void;
        msg.msg_controllen = std::mem::size_of_val(&cbuf);
        if libc::recvmsg(sock, &mut msg, libc::MSG_CMSG_CLOEXEC) != 1 {
            return Err(errno());
        }
        let c = libc::CMSG_FIRSTHDR(&msg);
        if c.is_null()
            || (*c).cmsg_level != libc::SOL_SOCKET
            || (*c).cmsg_type != libc::SCM_RIGHTS
            || (*c).cmsg_len != libc::CMSG_LEN(4) as usize
        {
            return Err(Errno(libc::EPROTO));
        }
        Ok(std::ptr::read_unaligned(libc::CMSG_DATA(c) as *const RawFd))
    }
}

fn cstr(b: &[u8]) -> &[u8] {
    match b.iter().position(|&c| c == 0) {
        Some(i) => &b[..i],
        None => b,
    }
}

impl<'a> Race<'a> {
    /// Kills the target (a pending notification dies with it), reaps it.
    fn stop(&mut self) {
        unsafe {
            libc::kill(self.pid, libc::SIGKILL);
            libc::waitpid(self.pid, std::ptr::null_mut(), 0);
            for fd in [self.listener, self.mem, self.report] {
                if fd >= 0 {
                    libc::close(fd);
                }
            }
        }
        self.listener = -1;
        self.mem = -1;
        self.report = -1;
    }

    fn decide(&mut self, n: &Notif, pinned: bool) -> std::result::Result<bool, String> {
        let path: Vec<u8> = if pinned {
            let dev = self.dev.unwrap();
            let mut pin = NotifPinArgs {
                id: n.id,
                nr_args: 1,
                ..Default::default()
            };
            pin.args[0].arg_idx = 1;
            pin.args[0].kind = SECCOMP_PIN_CSTRING;
            pin.args[0].max_bytes = self.buf.len() as u32;
            dev.pin_args(self.listener, &mut pin, &mut self.buf)
                .map_err(|e| format!("PIN_ARGS: {}", e))?;
            return self.decide_pinned(&pin);
        } else {
            // Opened at the first notification, after the exec: the file
            // stays bound to the memory of the image it was opened on.
            if self.mem < 0 {
                let p = CString::new(format!("/proc/{}/mem", self.pid)).unwrap();
                self.mem = unsafe { libc::open(p.as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC) };
                if self.mem < 0 {
                    return Err(format!("/proc/{}/mem: {}", self.pid, errno()));
                }
            }
            let mut b = [0u8; 256];
            let got = unsafe {
                libc::pread(
                    self.mem,
                    b.as_mut_ptr() as *mut libc::c_void,
                    b.len(),
                    n.data.args[1] as i64,
                )
            };
            if got <= 0 {
                return Err(format!("reading /proc/{}/mem: {}", self.pid, errno()));
            }
            cstr(&b[..got as usize]).to_vec()
        };
        Ok(path.starts_with(self.allow.as_bytes()))
    }

    /// Decides on the path snapshot `pin` holds (in `self.buf`).
    fn decide_pinned(&self, pin: &NotifPinArgs) -> std::result::Result<bool, String> {
        let snap = snapshot(pin, &self.buf, 0).map_err(|e| format!("snapshot: {}", e))?;
        if pin.args[0].truncated != 0 {
            return Ok(false);
        }
        Ok(cstr(snap).starts_with(self.allow.as_bytes()))
    }

    /// Receives the notification and pins its path in one call, per the
    /// rule `run` gave the device fd, and decides on the snapshot.
    fn recv_pinned(&mut self) -> std::result::Result<(Notif, bool), String> {
        let dev = self.dev.unwrap();
        let mut pin = NotifPinArgs::default();
        // Polled readable: NONBLOCK must find it (EAGAIN would be a bug).
        let (n, outcome) = dev
            .recv_pin(
                self.listener,
                SECCOMP_PIN_RECV_NONBLOCK,
                &mut pin,
                &mut self.buf,
            )
            .map_err(|e| format!("RECV_PIN: {}", e))?;
        if n.data.nr != libc::SYS_openat as i32 {
            return Err(format!("notification for syscall {}", n.data.nr));
        }
        if outcome != PinOutcome::Pinned {
            return Err(format!(
                "RECV_PIN: openat {} received, not pinned: {:?}",
                n.id, outcome
            ));
        }
        if pin.id != n.id || pin.nr_args != 1 || pin.args[0].user_addr != n.data.args[1] {
            return Err(format!(
                "RECV_PIN: pin of id {}, {} args, addr {:#x}; notification {}, path at {:#x}",
                pin.id, pin.nr_args, pin.args[0].user_addr, n.id, n.data.args[1]
            ));
        }
        Ok((n, self.decide_pinned(&pin)?))
    }

    fn round(&mut self, pinned: bool, t: &mut Tally) -> std::result::Result<(), String> {
        poll_in(self.listener).map_err(|e| format!("no notification: {}", e))?;
        let (n, allow) = if self.recv_pin {
            self.recv_pinned()?
        } else {
            let n = notif_recv(self.listener).map_err(|e| format!("NOTIF_RECV: {}", e))?;
            if n.data.nr != libc::SYS_openat as i32 {
                return Err(format!("notification for syscall {}", n.data.nr));
            }
            (n, self.decide(&n, pinned)?)
        };
        let deny = NotifResp {
            id: n.id,
            error: -libc::EACCES,
            ..Default::default()
        };
        let res = match (allow, pinned) {
            (true, true) => self.dev.unwrap().continue_pinned(self.listener, n.id),
            (true, false) => notif_send(
                self.listener,
                &NotifResp {
                    id: n.id,
                    flags: SECCOMP_USER_NOTIF_FLAG_CONTINUE,
                    ..Default::default()
                },
            ),
            // Through the module: the reply frees the pin.
            (false, true) => self.dev.unwrap().send(self.listener, &deny),
            (false, false) => notif_send(self.listener, &deny),
        };
        res.map_err(|e| format!("answering: {}", e))?;
        poll_in(self.report).map_err(|e| format!("no report from the target: {}", e))?;
        let mut c = 0u8;
        if unsafe { libc::read(self.report, &mut c as *mut u8 as *mut libc::c_void, 1) } != 1 {
            return Err(format!("reading the report: {}", errno()));
        }
        t.rounds += 1;
        if allow {
            t.allowed += 1;
        } else {
            t.denied += 1;
        }
        match c {
            b'E' => Err(format!(
                "round {}: the openat failed unexpectedly",
                t.rounds
            )),
            c if !allow && c != b'D' => Err(format!(
                "round {}: denied, but the target reported {:?}",
                t.rounds, c as char
            )),
            b'D' if allow => Err(format!(
                "round {}: allowed, but the target was denied",
                t.rounds
            )),
            b'S' => {
                t.bypass += 1;
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

fn run(
    o: &Opts,
    dev: Option<&Device>,
    name: &str,
    good: &str,
    bad: &str,
) -> (Tally, std::result::Result<(), String>) {
    let mut t = Tally::default();
    let pinned = name != "plain";
    let mut r = match start_target(dev, libc::SYS_openat, &o.target, &[good, bad]) {
        Ok(r) => r,
        Err(e) => return (t, Err(e)),
    };
    r.allow = format!("{}/allowed/", o.root);
    if name == "recvpin" {
        // The rule recv_pin pins openat's path by, on this device fd.
        let mut rule = Rule {
            nr: libc::SYS_openat as i32,
            nr_args: 1,
            ..Default::default()
        };
        rule.args[0].arg_idx = 1;
        rule.args[0].kind = SECCOMP_PIN_CSTRING;
        rule.args[0].max_bytes = r.buf.len() as u32;
        if let Err(e) = dev.unwrap().set_rules(&[rule]) {
            r.stop();
            return (t, Err(format!("SET_RULES: {}", e)));
        }
        r.recv_pin = true;
    }
    let mut end = Instant::now() + Duration::from_secs(o.plain_secs);
    let res = loop {
        if pinned && t.rounds >= o.pinned_rounds {
            break Ok(());
        }
        // Plain: the set rounds, then on until it loses once (bounded).
        if !pinned
            && t.rounds >= o.plain_rounds
            && (t.bypass > 0 || t.rounds >= o.plain_max || Instant::now() > end)
        {
            break Ok(());
        }
        if let Err(e) = r.round(pinned, &mut t) {
            break Err(e);
        }
        if !pinned && t.rounds == o.plain_rounds {
            end = Instant::now() + Duration::from_secs(o.plain_secs);
        }
    };
    r.stop();
    if r.recv_pin {
        let _ = dev.unwrap().set_rules(&[]);
    }
    (t, res)
}

fn write_file(path: &str, text: &str) {
    let p = std::path::Path::new(path);
    std::fs::create_dir_all(p.parent().unwrap())
        .unwrap_or_else(|e| die(format!("{}: {}", path, e)));
    std::fs::write(p, text).unwrap_or_else(|e| die(format!("{}: {}", path, e)));
}

fn do_race(o: &Opts) -> i32 {
    if o.root.len() % 8 != 0 {
        die(format!(
            "--root {:?}: its length must be a multiple of 8 (the flip is one aligned word)",
            o.root
        ));
    }
    let good = format!("{}/allowed/data", o.root);
    let bad = format!("{}/secret_/data", o.root);
    write_file(&good, "A");
    write_file(&bad, "S");
    let dev = if o.mode != "plain" {
        Some(Device::open().unwrap_or_else(|e| {
            die(format!(
                "{}: {} (is seccomp_pin.ko loaded?)",
                SECCOMP_PIN_DEVICE, e
            ))
        }))
    } else {
        None
    };
    let mut ok = true;
    for name in ["plain", "pinned", "recvpin"] {
        let pinned = name != "plain";
        if o.mode != "all" && o.mode != name && (o.mode != "both" || name == "recvpin") {
            continue;
        }
        let info = || {
            dev.as_ref()
                .unwrap()
                .info()
                .unwrap_or_else(|e| die(format!("INFO: {}", e)))
        };
        let before = if pinned { Some(info()) } else { None };
        let start = Instant::now();
        let (t, res) = run(o, dev.as_ref(), name, &good, &bad);
        println!(
            "rust {:<7}: {} rounds, {} allowed, {} denied, {} bypasses ({:.1} s)",
            name,
            t.rounds,
            t.allowed,
            t.denied,
            t.bypass,
            start.elapsed().as_secs_f64()
        );
        if let Err(e) = res {
            println!("FAIL {}: {}", name, e);
            ok = false;
            continue;
        }
        if let Some(before) = before {
            // The module's own count of fetches served from a snapshot:
            // every allowed open must have used its pin, every denied one
            // must not.
            let after = info();
            let pins = after.total_pins - before.total_pins;
            let used = after.total_consumed - before.total_consumed;
            println!(
                "rust {}: INFO: {} pins taken, {} fetches served from a snapshot",
                name, pins, used
            );
            if o.exact && (pins != t.rounds || used != t.allowed) {
                println!(
                    "FAIL {}: want {} pins and {} fetches from a snapshot",
                    name, t.rounds, t.allowed
                );
                ok = false;
            }
        }
        if !pinned && t.bypass == 0 {
            println!(
                "FAIL plain: no bypass in {} rounds: the race did not happen, so the pinned run proves nothing",
                t.rounds
            );
            ok = false;
        }
        if pinned && (t.bypass != 0 || t.allowed == 0 || t.denied == 0) {
            println!(
                "FAIL {}: {} bypasses (want 0), {} allowed and {} denied (want both > 0: the flipper ran)",
                name, t.bypass, t.allowed, t.denied
            );
            ok = false;
        }
    }
    if ok {
        0
    } else {
        1
    }
}

/// Traps the helper's execve, pins its argv (CSTRING_ARRAY), checks the
/// snapshot through array_count/array_entry, answers CONTINUE_PINNED and
/// checks the program got exactly that argv (the helper echoes it).
fn exec_argv(dev: &Device, helper: &str) -> std::result::Result<(), String> {
    let args = ["--echo", "one", "two words", ""];
    let mut r = start_target(Some(dev), libc::SYS_execve, helper, &args)?;
    // argv[1] is the report fd's number in the target.
    let fd = r.report_w.to_string();
    let want: Vec<&str> = [helper, &fd].iter().chain(args.iter()).copied().collect();
    let res = exec_argv_check(dev, &mut r, &want);
    r.stop();
    res
}

fn exec_argv_check(dev: &Device, r: &mut Race, want: &[&str]) -> std::result::Result<(), String> {
    let mut buf = vec![0u8; 4096];
    let mut pin;
    // A signal interrupting the trapped execve withdraws the notification
    // (ENOENT) and the restarted execve traps again: pin that one. Any
    // supervisor must expect this; a bounded number of times here.
    let mut withdrawn = 0;
    let n = loop {
        poll_in(r.listener).map_err(|e| format!("no notification: {}", e))?;
        let n = notif_recv(r.listener).map_err(|e| format!("NOTIF_RECV: {}", e))?;
        if n.data.nr != libc::SYS_execve as i32 {
            return Err(format!("notification for syscall {}", n.data.nr));
        }
        pin = NotifPinArgs {
            id: n.id,
            nr_args: 1,
            ..Default::default()
        };
        pin.args[0].arg_idx = 1;
        pin.args[0].kind = SECCOMP_PIN_CSTRING_ARRAY;
        pin.args[0].max_bytes = buf.len() as u32;
        match dev.pin_args(r.listener, &mut pin, &mut buf) {
            Err(Errno(libc::ENOENT)) if withdrawn < 10 => {
                println!(
                    "     execve notification {} withdrawn (interrupted), waiting for the next",
                    n.id
                );
                withdrawn += 1;
            }
            Err(e) => return Err(format!("PIN_ARGS(argv): {}", e)),
            Ok(()) => break n,
        }
    };
    let snap = snapshot(&pin, &buf, 0).map_err(|e| format!("snapshot: {}", e))?;
    let count = array_count(snap);
    if count != Ok(want.len()) || pin.args[0].actual_entries as usize != want.len() {
        return Err(format!(
            "argv snapshot: count {:?}, actual_entries {}, want {}",
            count,
            pin.args[0].actual_entries,
            want.len()
        ));
    }
    for (i, w) in want.iter().enumerate() {
        match array_entry(snap, i) {
            Ok(s) if s.to_bytes() == w.as_bytes() => {}
            other => {
                return Err(format!(
                    "argv snapshot entry {}: {:?}, want {:?}",
                    i, other, w
                ))
            }
        }
    }
    if array_entry(snap, want.len()) != Err(Errno(libc::EINVAL)) {
        return Err("entry past the count: not EINVAL".into());
    }
    dev.continue_pinned(r.listener, n.id)
        .map_err(|e| format!("CONTINUE_PINNED: {}", e))?;
    let mut got = Vec::new();
    loop {
        poll_in(r.report).map_err(|e| format!("no echo from the program: {}", e))?;
        let mut b = [0u8; 4096];
        let k = unsafe { libc::read(r.report, b.as_mut_ptr() as *mut libc::c_void, b.len()) };
        if k < 0 {
            return Err(format!("reading the echo: {}", errno()));
        }
        if k == 0 {
            break;
        }
        got.extend_from_slice(&b[..k as usize]);
    }
    let mut w = want.join("\0");
    w.push('\0');
    if got != w.as_bytes() {
        return Err(format!(
            "the program got argv {:?}, want {:?}",
            String::from_utf8_lossy(&got),
            w
        ));
    }
    Ok(())
}

/// With no rule on the device fd, RECV_PIN receives the helper's trapped
/// execve and pins nothing, without error (the notification stays
/// pending); with that one taken, NONBLOCK finds the listener idle:
/// EAGAIN. Killing the target ends the pending one.
fn recv_pin_empty(dev: &Device, helper: &str) -> std::result::Result<(), String> {
    let mut r = start_target(Some(dev), libc::SYS_execve, helper, &["--echo", "x"])?;
    let res = (|| {
        poll_in(r.listener).map_err(|e| format!("no notification: {}", e))?;
        let mut buf = vec![0u8; 4096];
        let mut pin = NotifPinArgs::default();
        match dev.recv_pin(r.listener, SECCOMP_PIN_RECV_NONBLOCK, &mut pin, &mut buf) {
            Ok((n, PinOutcome::NoRule)) if n.data.nr == libc::SYS_execve as i32 && n.id != 0 => {}
            other => {
                return Err(format!(
                    "no rule: {:?} (want a received execve, PinOutcome::NoRule)",
                    other
                ))
            }
        }
        match dev.recv_pin(r.listener, SECCOMP_PIN_RECV_NONBLOCK, &mut pin, &mut buf) {
            Err(Errno(libc::EAGAIN)) => Ok(()),
            other => Err(format!(
                "NONBLOCK with nothing pending: {:?} (want EAGAIN)",
                other
            )),
        }
    })();
    r.stop();
    res
}

/// A rule pinning execve's argv, a buffer too small for the snapshot: the
/// notification is received, not pinned, and the pin's errno (ENOSPC)
/// comes back as PinOutcome::Failed, not as the call's error.
fn recv_pin_failed(dev: &Device, helper: &str) -> std::result::Result<(), String> {
    let mut rule = Rule {
        nr: libc::SYS_execve as i32,
        nr_args: 1,
        ..Default::default()
    };
    rule.args[0].arg_idx = 1;
    rule.args[0].kind = SECCOMP_PIN_CSTRING_ARRAY;
    rule.args[0].max_bytes = 4096;
    dev.set_rules(&[rule])
        .map_err(|e| format!("SET_RULES(execve argv): {}", e))?;
    let res =
        start_target(Some(dev), libc::SYS_execve, helper, &["--echo", "x"]).and_then(|mut r| {
            let res = (|| {
                poll_in(r.listener).map_err(|e| format!("no notification: {}", e))?;
                let mut buf = [0u8; 8];
                let mut pin = NotifPinArgs::default();
                match dev.recv_pin(r.listener, 0, &mut pin, &mut buf) {
                    Ok((n, PinOutcome::Failed(Errno(libc::ENOSPC))))
                        if n.data.nr == libc::SYS_execve as i32
                            && pin.id == n.id
                            && pin.nr_args == 0 =>
                    {
                        Ok(())
                    }
                    other => Err(format!(
                        "{:?}, pin id {}, {} args (want a received execve, Failed(ENOSPC))",
                        other, pin.id, pin.nr_args
                    )),
                }
            })();
            r.stop();
            res
        });
    let _ = dev.set_rules(&[]);
    res
}

// ---- selftest: the rest of the surface against the real module ----------

fn selftest(helper: &str) -> i32 {
    let mut failed = 0;
    let mut check = |ok: bool, what: String| {
        println!("{} {}", if ok { "ok  " } else { "FAIL" }, what);
        if !ok {
            failed += 1;
        }
    };
    let dev = Device::open().unwrap_or_else(|e| die(format!("{}: {}", SECCOMP_PIN_DEVICE, e)));
    let info = match dev.info() {
        Ok(i) => i,
        Err(e) => {
            check(false, format!("INFO: {}", e));
            return 1;
        }
    };
    println!(
        "     abi {}, kinds {:#x}, sites {:#x}, max_args {}, max_arg_bytes {}",
        info.abi_version, info.kinds, info.sites, info.max_args, info.max_arg_bytes
    );
    check(
        info.abi_version == SECCOMP_PIN_ABI_VERSION,
        format!("abi_version {}", info.abi_version),
    );
    check(
        info.max_args as usize == SECCOMP_PIN_MAX_ARGS,
        format!("max_args {}", info.max_args),
    );
    check(
        info.max_arg_bytes == SECCOMP_PIN_MAX_ARG_BYTES,
        format!("max_arg_bytes {}", info.max_arg_bytes),
    );
    check(
        info.kinds & 7 == 7,
        format!("kinds {:#x} has FIXED, CSTRING, CSTRING_ARRAY", info.kinds),
    );
    check(
        info.sites & SECCOMP_PIN_SITE_PATH != 0,
        format!("sites {:#x} has PATH", info.sites),
    );

    let want = SECCOMP_PIN_FEATURE_PINNABLE | SECCOMP_PIN_FEATURE_RECV_PIN;
    check(
        info.features & want == want,
        format!("features {:#x} has PINNABLE and RECV_PIN", info.features),
    );
    check(
        info.max_rules == 512,
        format!("max_rules {} (want 512)", info.max_rules),
    );

    match dev.pinnable(libc::SYS_openat as i32) {
        Err(e) => check(false, format!("PINNABLE(openat): {}", e)),
        Ok(p) => {
            let want = PinnableArg {
                arg_idx: 1,
                kind: SECCOMP_PIN_CSTRING,
                len_idx: SECCOMP_PIN_NO_LEN,
                _reserved: 0,
                site: SECCOMP_PIN_SITE_PATH,
                max_bytes: 4096,
                flags: 0,
            };
            check(
                p.entries() == [want],
                format!(
                    "PINNABLE(openat): {:?} (want one: arg 1 CSTRING 4096 PATH, no len)",
                    p.entries()
                ),
            );
        }
    }
    let p = dev.pinnable(libc::SYS_getpid as i32);
    check(
        matches!(p, Ok(ref p) if p.entries().is_empty()),
        format!(
            "PINNABLE(getpid): {:?} (want no entry)",
            p.map(|p| p.nr_args)
        ),
    );

    // SET_RULES: checked as PIN_ARGS requests are; RECV_PIN's errors.
    let mut openat_rule = Rule {
        nr: libc::SYS_openat as i32,
        nr_args: 1,
        ..Default::default()
    };
    openat_rule.args[0].arg_idx = 1;
    openat_rule.args[0].kind = SECCOMP_PIN_CSTRING;
    openat_rule.args[0].max_bytes = 4096;
    let e = dev.set_rules(&[openat_rule]);
    check(e.is_ok(), format!("SET_RULES(openat path): {:?}", e));
    let getpid_rule = Rule {
        nr: libc::SYS_getpid as i32,
        ..openat_rule
    };
    let e = dev.set_rules(&[openat_rule, getpid_rule]);
    check(
        e == Err(Errno(libc::EOPNOTSUPP)),
        format!("SET_RULES(getpid arg 1): {:?} (want EOPNOTSUPP)", e),
    );
    let e = dev.set_rules(&[openat_rule, openat_rule]);
    check(
        e == Err(Errno(libc::EINVAL)),
        format!("SET_RULES(openat twice): {:?} (want EINVAL)", e),
    );
    let e = dev.set_rules(&vec![Rule::default(); info.max_rules as usize + 1]);
    check(
        e == Err(Errno(libc::E2BIG)),
        format!("SET_RULES(max_rules + 1): {:?} (want E2BIG)", e),
    );
    let e = dev.set_rules(&[]);
    check(e.is_ok(), format!("SET_RULES(none): {:?}", e));
    let mut rbuf = vec![0u8; 4096];
    let mut rpin = NotifPinArgs::default();
    let e = dev.recv_pin(-1, 0, &mut rpin, &mut rbuf).map(|r| r.1);
    check(
        e == Err(Errno(libc::EBADF)),
        format!("RECV_PIN on fd -1: {:?} (want EBADF)", e),
    );
    let me = std::os::unix::io::AsRawFd::as_raw_fd(&dev);
    let e = dev
        .recv_pin(me, SECCOMP_PIN_RECV_NONBLOCK, &mut rpin, &mut rbuf)
        .map(|r| r.1);
    check(
        e == Err(Errno(libc::EINVAL)),
        format!("RECV_PIN on a non-listener: {:?} (want EINVAL)", e),
    );
    let e = recv_pin_empty(&dev, helper);
    check(
        e.is_ok(),
        format!(
            "RECV_PIN: a notification with no rule, then NONBLOCK on an idle listener: {:?}",
            e
        ),
    );
    let e = recv_pin_failed(&dev, helper);
    check(
        e.is_ok(),
        format!(
            "RECV_PIN: a failed pin (8-byte buffer) is reported as the pin's errno: {:?}",
            e
        ),
    );

    let mut buf = [0u8; 64];
    let mut pin = NotifPinArgs {
        id: 1,
        nr_args: 1,
        ..Default::default()
    };
    pin.args[0].arg_idx = 1;
    pin.args[0].kind = SECCOMP_PIN_CSTRING;
    pin.args[0].max_bytes = 64;
    let e = dev.pin_args(-1, &mut pin, &mut buf);
    check(
        e == Err(Errno(libc::EBADF)),
        format!("PIN_ARGS on fd -1: {:?} (want EBADF)", e),
    );
    let e = dev.pin_args(me, &mut pin, &mut buf);
    check(
        e == Err(Errno(libc::EINVAL)),
        format!("PIN_ARGS on a non-listener: {:?} (want EINVAL)", e),
    );
    let e = dev.send(
        -1,
        &NotifResp {
            id: 1,
            ..Default::default()
        },
    );
    check(
        e == Err(Errno(libc::EBADF)),
        format!("SEND on fd -1: {:?} (want EBADF)", e),
    );
    let e = dev.continue_pinned(me, 1);
    check(
        e == Err(Errno(libc::EINVAL)),
        format!("CONTINUE_PINNED on a non-listener: {:?} (want EINVAL)", e),
    );
    let e = exec_argv(&dev, helper);
    check(
        e.is_ok(),
        format!(
            "execve argv pinned as CSTRING_ARRAY, read back, run: {:?}",
            e
        ),
    );
    if failed > 0 {
        1
    } else {
        0
    }
}

fn usage() -> ! {
    eprintln!(
        "usage: race-supervisor [--root DIR] [--target PATH] [--mode plain|pinned|recvpin|both|all]\n\
         \x20      [--pinned-rounds N] [--plain-rounds N] [--plain-max N] [--plain-seconds N]\n\
         \x20      [--exact-counters] race|selftest"
    );
    std::process::exit(2);
}

fn main() {
    let exe = std::env::current_exe().unwrap_or_else(|e| die(format!("{}", e)));
    let mut o = Opts {
        root: String::new(),
        target: exe
            .with_file_name("race_target")
            .to_string_lossy()
            .into_owned(),
        mode: "all".into(),
        pinned_rounds: 2000,
        plain_rounds: 2000,
        plain_max: 20000,
        plain_secs: 60,
        exact: false,
    };
    let mut args = std::env::args().skip(1);
    let mut cmd = None;
    while let Some(a) = args.next() {
        let mut val = || args.next().unwrap_or_else(|| usage());
        let num = |s: String| s.parse::<u64>().unwrap_or_else(|_| usage());
        match a.as_str() {
            "--root" => o.root = val(),
            "--target" => o.target = val(),
            "--mode" => o.mode = val(),
            "--pinned-rounds" => o.pinned_rounds = num(val()),
            "--plain-rounds" => o.plain_rounds = num(val()),
            "--plain-max" => o.plain_max = num(val()),
            "--plain-seconds" => o.plain_secs = num(val()),
            "--exact-counters" => o.exact = true,
            "race" | "selftest" if cmd.is_none() => cmd = Some(a),
            _ => usage(),
        }
    }
    if !["plain", "pinned", "recvpin", "both", "all"].contains(&o.mode.as_str()) {
        usage();
    }
    std::process::exit(match cmd.as_deref() {
        Some("race") => do_race(&o),
        Some("selftest") => selftest(&o.target),
        _ => usage(),
    });
}
