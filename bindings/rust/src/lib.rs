// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
//! Bindings for `/dev/seccomp_pin` (`include/seccomp_pin.h`).
//!
//! A seccomp user-notification supervisor pins (snapshots) pointer
//! arguments of a pending notification, decides on the snapshot, and
//! answers `CONTINUE | CONTINUE_PINNED` so the kernel runs the syscall on
//! exactly those bytes.
//!
//! The structs mirror the UAPI field for field (same names); the
//! `layout` test checks every size, offset and ioctl number against the C
//! header. The module supports x86_64 only.
#![cfg(all(target_os = "linux", target_arch = "x86_64"))]

use std::ffi::CStr;
use std::fmt;
use std::io;
use std::mem::size_of;
use std::os::unix::io::{AsRawFd, FromRawFd, OwnedFd, RawFd};

// ---- constants of include/seccomp_pin.h and <linux/seccomp.h> ----------

pub const SECCOMP_USER_NOTIF_FLAG_CONTINUE: u32 = 1;
/// With CONTINUE: run the syscall on the pin.
pub const SECCOMP_USER_NOTIF_FLAG_CONTINUE_PINNED: u32 = 1 << 1;

pub const SECCOMP_PIN_FIXED: u8 = 0;
pub const SECCOMP_PIN_CSTRING: u8 = 1;
pub const SECCOMP_PIN_CSTRING_ARRAY: u8 = 2;

pub const SECCOMP_PIN_TRUNCATED_BYTES: u32 = 1 << 0;
pub const SECCOMP_PIN_TRUNCATED_ENTRIES: u32 = 1 << 1;

pub const SECCOMP_PIN_MAX_ARGS: usize = 6;
pub const SECCOMP_PIN_MAX_ARG_BYTES: u32 = 1 << 20;
pub const SECCOMP_PIN_MAX_TOTAL_BYTES: u32 = 1 << 20;

pub const SECCOMP_PIN_DEVICE: &str = "/dev/seccomp_pin";
pub const SECCOMP_PIN_ABI_VERSION: u32 = 1;

pub const SECCOMP_PIN_DEFAULT_MAX_ENTRIES: u32 = 4096;
pub const SECCOMP_PIN_MAX_ENTRIES: u32 = 1 << 18;
pub const SECCOMP_PIN_BUF_ALIGN: u32 = 8;

pub const SECCOMP_PIN_SITE_PATH: u32 = 1 << 0;
pub const SECCOMP_PIN_SITE_SOCKADDR: u32 = 1 << 1;
pub const SECCOMP_PIN_SITE_EXEC_ARGS: u32 = 1 << 2;
pub const SECCOMP_PIN_SITE_WRITE: u32 = 1 << 3;

pub const SECCOMP_PIN_FIGURES_USER: u32 = 0;
pub const SECCOMP_PIN_FIGURES_GLOBAL: u32 = 1;

/// `Info::features`: [`Device::pinnable`] is implemented.
pub const SECCOMP_PIN_FEATURE_PINNABLE: u32 = 1 << 0;
/// `Info::features`: [`Device::set_rules`] and [`Device::recv_pin`] are.
pub const SECCOMP_PIN_FEATURE_RECV_PIN: u32 = 1 << 1;

/// [`Device::recv_pin`] flag: `Errno(EAGAIN)` if nothing is pending.
pub const SECCOMP_PIN_RECV_NONBLOCK: u32 = 1 << 0;

pub const SECCOMP_PIN_NO_LEN: u8 = 0xff;
pub const SECCOMP_PIN_PINNABLE_IF_NOT_EMPTY_PATH: u32 = 1 << 0;

pub const SECCOMP_PIN_IOC_MAGIC: u32 = 0xB7;

pub const SECCOMP_SET_MODE_FILTER: u32 = 1;
pub const SECCOMP_FILTER_FLAG_NEW_LISTENER: u32 = 1 << 3;
pub const SECCOMP_RET_USER_NOTIF: u32 = 0x7fc0_0000;
pub const SECCOMP_RET_ALLOW: u32 = 0x7fff_0000;
pub const SECCOMP_RET_KILL_PROCESS: u32 = 0x8000_0000;
pub const AUDIT_ARCH_X86_64: u32 = 0xc000_003e;

// ---- structures ------------------------------------------------------

/// `struct seccomp_pin_arg` (48 bytes).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PinArg {
    pub arg_idx: u8,
    pub kind: u8,
    pub _reserved: u16,
    pub max_bytes: u32,
    pub max_entries: u32,
    pub _reserved2: u32,
    pub actual_size: u32,
    pub actual_entries: u32,
    pub truncated: u32,
    pub _reserved3: u32,
    pub user_addr: u64,
    pub buf_offset: u64,
}

/// `struct seccomp_notif_pin_args` (312 bytes). `buf` and `buf_size` are
/// filled in by [`Device::pin_args`] from the slice it is given.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NotifPinArgs {
    pub id: u64,
    pub nr_args: u32,
    pub buf_size: u32,
    pub buf: u64,
    pub args: [PinArg; SECCOMP_PIN_MAX_ARGS],
}

/// `struct seccomp_pin_info`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Info {
    pub abi_version: u32,
    pub kinds: u32,
    pub sites: u32,
    pub max_args: u32,
    pub max_arg_bytes: u32,
    pub max_total_bytes: u32,
    pub default_max_entries: u32,
    pub max_entries: u32,
    pub live_pins: u64,
    pub live_bytes: u64,
    pub total_pins: u64,
    pub total_consumed: u64,
    pub max_listener_bytes: u64,
    pub max_module_bytes: u64,
    pub registered_sites: u32,
    pub figures: u32,
    pub max_user_bytes: u64,
    /// SECCOMP_PIN_FEATURE_*: requests beyond the RFC's.
    pub features: u32,
    /// Most rules [`Device::set_rules`] takes.
    pub max_rules: u32,
}

/// `struct seccomp_pin_request`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Request {
    pub listener_fd: i32,
    pub flags: u32,
    pub pin: NotifPinArgs,
}

/// `struct seccomp_notif_resp` (`<linux/seccomp.h>`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NotifResp {
    pub id: u64,
    pub val: i64,
    pub error: i32,
    pub flags: u32,
}

/// `struct seccomp_pin_response`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Response {
    pub listener_fd: i32,
    pub flags: u32,
    pub resp: NotifResp,
}

/// `struct seccomp_pin_pinnable_arg`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PinnableArg {
    pub arg_idx: u8,
    pub kind: u8,
    pub len_idx: u8,
    pub _reserved: u8,
    pub site: u32,
    pub max_bytes: u32,
    pub flags: u32,
}

/// `struct seccomp_pin_pinnable`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pinnable {
    pub nr: i32,
    pub flags: u32,
    pub nr_args: u32,
    pub _reserved: u32,
    pub args: [PinnableArg; SECCOMP_PIN_MAX_ARGS],
}

impl Pinnable {
    /// The valid entries of `args`.
    pub fn entries(&self) -> &[PinnableArg] {
        &self.args[..(self.nr_args as usize).min(SECCOMP_PIN_MAX_ARGS)]
    }
}

/// `struct seccomp_pin_rule`: what [`Device::recv_pin`] pins for syscall
/// `nr`, the input fields of `args[..nr_args]` as in a PIN_ARGS request
/// (outputs 0).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rule {
    pub nr: i32,
    pub nr_args: u32,
    pub args: [PinArg; SECCOMP_PIN_MAX_ARGS],
}

/// `struct seccomp_pin_rules` (SECCOMP_PIN_IOC_SET_RULES).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rules {
    pub nr_rules: u32,
    pub flags: u32,
    /// Address of `struct seccomp_pin_rule[nr_rules]`.
    pub rules: u64,
}

/// `struct seccomp_pin_recv` (SECCOMP_PIN_IOC_RECV_PIN).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Recv {
    pub listener_fd: i32,
    pub flags: u32,
    /// Address of a zeroed `struct seccomp_notif`.
    pub notif: u64,
    /// Out: 0 or -errno of the pin.
    pub pin_error: i32,
    /// Out: 1 if a rule matched and pinned.
    pub pinned: u32,
    pub pin: NotifPinArgs,
}

/// What [`Device::recv_pin`] did with the notification it received.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PinOutcome {
    /// A rule matched and its arguments are pinned.
    Pinned,
    /// The device fd has no rule for the syscall: nothing pinned.
    NoRule,
    /// The rule's pin failed with this errno: nothing pinned.
    Failed(Errno),
}

/// `struct seccomp_data` (`<linux/seccomp.h>`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SeccompData {
    pub nr: i32,
    pub arch: u32,
    pub instruction_pointer: u64,
    pub args: [u64; 6],
}

/// `struct seccomp_notif` (`<linux/seccomp.h>`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Notif {
    pub id: u64,
    pub pid: u32,
    pub flags: u32,
    pub data: SeccompData,
}

// ---- ioctl numbers (asm-generic/ioctl.h encoding, as x86_64 uses) ----

const IOC_WRITE: u32 = 1;
const IOC_READ: u32 = 2;

const fn ioc(dir: u32, ty: u32, nr: u32, size: usize) -> u32 {
    dir << 30 | (size as u32) << 16 | ty << 8 | nr
}

pub const SECCOMP_PIN_IOC_INFO: u32 = ioc(IOC_READ, SECCOMP_PIN_IOC_MAGIC, 0, size_of::<Info>());
pub const SECCOMP_PIN_IOC_PIN_ARGS: u32 = ioc(
    IOC_READ | IOC_WRITE,
    SECCOMP_PIN_IOC_MAGIC,
    1,
    size_of::<Request>(),
);
pub const SECCOMP_PIN_IOC_SEND: u32 =
    ioc(IOC_WRITE, SECCOMP_PIN_IOC_MAGIC, 2, size_of::<Response>());
pub const SECCOMP_PIN_IOC_PINNABLE: u32 = ioc(
    IOC_READ | IOC_WRITE,
    SECCOMP_PIN_IOC_MAGIC,
    3,
    size_of::<Pinnable>(),
);
pub const SECCOMP_PIN_IOC_SET_RULES: u32 =
    ioc(IOC_WRITE, SECCOMP_PIN_IOC_MAGIC, 4, size_of::<Rules>());
pub const SECCOMP_PIN_IOC_RECV_PIN: u32 = ioc(
    IOC_READ | IOC_WRITE,
    SECCOMP_PIN_IOC_MAGIC,
    5,
    size_of::<Recv>(),
);
pub const SECCOMP_IOCTL_NOTIF_RECV: u32 =
    ioc(IOC_READ | IOC_WRITE, b'!' as u32, 0, size_of::<Notif>());
pub const SECCOMP_IOCTL_NOTIF_SEND: u32 =
    ioc(IOC_READ | IOC_WRITE, b'!' as u32, 1, size_of::<NotifResp>());
pub const SECCOMP_IOCTL_NOTIF_ID_VALID: u32 = ioc(IOC_WRITE, b'!' as u32, 2, size_of::<u64>());

// ---- errors -------------------------------------------------------------

/// An errno value, as the ioctls report it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Errno(pub i32);

impl Errno {
    /// The calling thread's errno.
    pub fn last() -> Errno {
        Errno(
            io::Error::last_os_error()
                .raw_os_error()
                .unwrap_or(libc::EIO),
        )
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", io::Error::from_raw_os_error(self.0))
    }
}

impl std::error::Error for Errno {}

impl From<Errno> for io::Error {
    fn from(e: Errno) -> io::Error {
        io::Error::from_raw_os_error(e.0)
    }
}

pub type Result<T> = std::result::Result<T, Errno>;

/// ioctl, retried on EINTR: every ioctl here is safe to repeat, since
/// one interrupted before the module acted did nothing.
///
/// # Safety
/// `arg` must point to the struct `req` names, valid for its size.
unsafe fn ioctl<T>(fd: RawFd, req: u32, arg: *mut T) -> Result<()> {
    loop {
        if libc::ioctl(fd, req as libc::c_ulong, arg) == 0 {
            return Ok(());
        }
        let e = Errno::last();
        if e.0 != libc::EINTR {
            return Err(e);
        }
    }
}

// ---- the device -------------------------------------------------------

/// An open `/dev/seccomp_pin`.
#[derive(Debug)]
pub struct Device {
    fd: OwnedFd,
}

impl AsRawFd for Device {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

impl Device {
    /// Opens `/dev/seccomp_pin` (mode 0666: authority comes from holding
    /// the listener fd).
    pub fn open() -> Result<Device> {
        let fd = unsafe {
            libc::open(
                b"/dev/seccomp_pin\0".as_ptr() as *const libc::c_char,
                libc::O_RDWR | libc::O_CLOEXEC,
            )
        };
        if fd < 0 {
            return Err(Errno::last());
        }
        Ok(Device {
            fd: unsafe { OwnedFd::from_raw_fd(fd) },
        })
    }

    /// SECCOMP_PIN_IOC_INFO: ABI version, kinds and fetch sites active on
    /// this kernel, limits and counters.
    pub fn info(&self) -> Result<Info> {
        let mut info = Info::default();
        unsafe { ioctl(self.as_raw_fd(), SECCOMP_PIN_IOC_INFO, &mut info) }?;
        Ok(info)
    }

    /// SECCOMP_PIN_IOC_PIN_ARGS: snapshots the arguments
    /// `pin.args[..pin.nr_args]` describe of pending notification `pin.id`
    /// on `listener`. The snapshots land in `buf`, whose address and
    /// length replace `pin.buf` and `pin.buf_size`; outputs are written
    /// back into `pin`. Read a snapshot with [`snapshot`].
    pub fn pin_args(&self, listener: RawFd, pin: &mut NotifPinArgs, buf: &mut [u8]) -> Result<()> {
        if buf.is_empty() || buf.len() > u32::MAX as usize {
            return Err(Errno(libc::EINVAL));
        }
        let mut req = Request {
            listener_fd: listener,
            flags: 0,
            pin: *pin,
        };
        req.pin.buf = buf.as_mut_ptr() as u64;
        req.pin.buf_size = buf.len() as u32;
        unsafe { ioctl(self.as_raw_fd(), SECCOMP_PIN_IOC_PIN_ARGS, &mut req) }?;
        *pin = req.pin;
        Ok(())
    }

    /// SECCOMP_PIN_IOC_SEND: what SECCOMP_IOCTL_NOTIF_SEND does, and
    /// `resp.flags` may add CONTINUE_PINNED to CONTINUE.
    pub fn send(&self, listener: RawFd, resp: &NotifResp) -> Result<()> {
        let mut rsp = Response {
            listener_fd: listener,
            flags: 0,
            resp: *resp,
        };
        unsafe { ioctl(self.as_raw_fd(), SECCOMP_PIN_IOC_SEND, &mut rsp) }
    }

    /// Answers CONTINUE | CONTINUE_PINNED: the syscall runs on the
    /// snapshots `pin_args` took for this id.
    pub fn continue_pinned(&self, listener: RawFd, id: u64) -> Result<()> {
        self.send(
            listener,
            &NotifResp {
                id,
                flags: SECCOMP_USER_NOTIF_FLAG_CONTINUE | SECCOMP_USER_NOTIF_FLAG_CONTINUE_PINNED,
                ..Default::default()
            },
        )
    }

    /// SECCOMP_PIN_IOC_PINNABLE: which arguments of native x86_64 syscall
    /// `nr` the module can pin, and how. Older modules (`Info::features`
    /// without SECCOMP_PIN_FEATURE_PINNABLE): `Errno(ENOTTY)`.
    pub fn pinnable(&self, nr: i32) -> Result<Pinnable> {
        let mut p = Pinnable {
            nr,
            ..Default::default()
        };
        unsafe { ioctl(self.as_raw_fd(), SECCOMP_PIN_IOC_PINNABLE, &mut p) }?;
        if p.nr_args as usize > SECCOMP_PIN_MAX_ARGS {
            return Err(Errno(libc::EPROTO));
        }
        Ok(p)
    }

    /// SECCOMP_PIN_IOC_SET_RULES: the rule table [`Device::recv_pin`] on
    /// this device fd (its open file description) pins by, one rule per
    /// syscall, replacing the one before; an empty slice clears it. Every
    /// rule is checked as `pin_args` checks a request: `EOPNOTSUPP` where
    /// no fetch site consumes an argument, `EINVAL` on a bad field; at most
    /// `Info::max_rules`. Older modules: `Errno(ENOTTY)`.
    pub fn set_rules(&self, rules: &[Rule]) -> Result<()> {
        if rules.len() > u32::MAX as usize {
            return Err(Errno(libc::EINVAL));
        }
        let mut req = Rules {
            nr_rules: rules.len() as u32,
            flags: 0,
            rules: if rules.is_empty() {
                0
            } else {
                rules.as_ptr() as u64
            },
        };
        unsafe { ioctl(self.as_raw_fd(), SECCOMP_PIN_IOC_SET_RULES, &mut req) }
    }

    /// SECCOMP_PIN_IOC_RECV_PIN: receives the next notification of
    /// `listener` and, if this device fd has a rule ([`Device::set_rules`])
    /// for its syscall, pins that rule's arguments into `buf`, in one
    /// system call. `flags`: SECCOMP_PIN_RECV_NONBLOCK or 0. The contract
    /// is libseccomp-pin's `seccomp_pin_recv_pin()`:
    ///
    /// - `Ok((notif, PinOutcome::Pinned))`: received and pinned; `pin` is
    ///   filled as `pin_args` fills it (`buf`, `buf_size` from `buf`), read
    ///   it with [`snapshot`];
    /// - `Ok((notif, NoRule | Failed(errno)))`: received, nothing pinned;
    ///   the notification is pending either way and must be answered;
    /// - `Err(errno)`: nothing received (`EAGAIN`: NONBLOCK and nothing
    ///   pending; `ENOTTY`: an older module).
    pub fn recv_pin(
        &self,
        listener: RawFd,
        flags: u32,
        pin: &mut NotifPinArgs,
        buf: &mut [u8],
    ) -> Result<(Notif, PinOutcome)> {
        if buf.is_empty() || buf.len() > u32::MAX as usize {
            return Err(Errno(libc::EINVAL));
        }
        // Zeroed, as the kernel requires.
        let mut notif = Notif::default();
        let mut rv = Recv {
            listener_fd: listener,
            flags,
            notif: &mut notif as *mut Notif as u64,
            ..Default::default()
        };
        rv.pin.buf = buf.as_mut_ptr() as u64;
        rv.pin.buf_size = buf.len() as u32;
        unsafe { ioctl(self.as_raw_fd(), SECCOMP_PIN_IOC_RECV_PIN, &mut rv) }?;
        *pin = rv.pin;
        let outcome = if rv.pinned != 0 {
            PinOutcome::Pinned
        } else if rv.pin_error != 0 {
            PinOutcome::Failed(Errno(-rv.pin_error))
        } else {
            PinOutcome::NoRule
        };
        Ok((notif, outcome))
    }
}

// ---- the listener's own ioctls -----------------------------------------

/// SECCOMP_IOCTL_NOTIF_RECV on a seccomp listener.
pub fn notif_recv(listener: RawFd) -> Result<Notif> {
    // Zeroed, as the kernel requires.
    let mut n = Notif::default();
    unsafe { ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &mut n) }?;
    Ok(n)
}

/// SECCOMP_IOCTL_NOTIF_SEND on the listener itself (no CONTINUE_PINNED).
pub fn notif_send(listener: RawFd, resp: &NotifResp) -> Result<()> {
    let mut r = *resp;
    unsafe { ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &mut r) }
}

/// SECCOMP_IOCTL_NOTIF_ID_VALID: Ok if notification `id` is still pending.
pub fn notif_id_valid(listener: RawFd, id: u64) -> Result<()> {
    let mut id = id;
    unsafe { ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &mut id) }
}

// ---- snapshots ----------------------------------------------------------
//
// Nothing here trusts what it is handed: a CSTRING_ARRAY snapshot holds
// whatever the (possibly hostile) target had in memory, so every count and
// offset is checked against the bytes it claims to live in; a malformed
// snapshot yields EINVAL, never a panic or an out-of-bounds read.

/// Snapshot `i` of `pin`, whose snapshots `pin_args` put in `buf`
/// (EINVAL if `buf` is not that buffer).
pub fn snapshot<'a>(pin: &NotifPinArgs, buf: &'a [u8], i: usize) -> Result<&'a [u8]> {
    let inval = Err(Errno(libc::EINVAL));
    if pin.nr_args as usize > SECCOMP_PIN_MAX_ARGS
        || i >= pin.nr_args as usize
        || pin.buf != buf.as_ptr() as u64
        || pin.buf_size as usize > buf.len()
    {
        return inval;
    }
    let a = &pin.args[i];
    let size = u64::from(pin.buf_size);
    if a.buf_offset >= size || u64::from(a.actual_size) > size - a.buf_offset {
        return inval;
    }
    let off = a.buf_offset as usize;
    Ok(&buf[off..off + a.actual_size as usize])
}

fn load_u32(b: &[u8], at: usize) -> u32 {
    u32::from_ne_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// The number of strings in a CSTRING_ARRAY snapshot (packed as
/// `u32 count; u32 offset[count]; NUL-terminated strings`).
pub fn array_count(snap: &[u8]) -> Result<usize> {
    if snap.len() < 4 {
        return Err(Errno(libc::EINVAL));
    }
    let count = load_u32(snap, 0) as usize;
    // The header (count and one offset per entry) must fit.
    if count > (snap.len() - 4) / 4 {
        return Err(Errno(libc::EINVAL));
    }
    Ok(count)
}

/// String `index` of a CSTRING_ARRAY snapshot.
pub fn array_entry(snap: &[u8], index: usize) -> Result<&CStr> {
    let count = array_count(snap)?;
    if index >= count {
        return Err(Errno(libc::EINVAL));
    }
    let strings = 4 * (count + 1);
    let off = load_u32(snap, 4 * (index + 1)) as usize;
    // Strings live after the header and end with a NUL inside snap.
    if off < strings || off >= snap.len() {
        return Err(Errno(libc::EINVAL));
    }
    let end = snap[off..]
        .iter()
        .position(|&c| c == 0)
        .ok_or(Errno(libc::EINVAL))?;
    CStr::from_bytes_with_nul(&snap[off..off + end + 1]).map_err(|_| Errno(libc::EINVAL))
}
