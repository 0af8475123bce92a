// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
//! Every struct size, field offset and size, ioctl number and constant of
//! the crate equals what bindings/layout/gen-layout.c prints from the C
//! header (the file SECCOMP_PIN_LAYOUT names; make check-bindings-host
//! writes it), and neither side has an entry the other lacks.

use seccomp_pin::*;
use std::collections::BTreeMap;
use std::mem::{size_of, MaybeUninit};

fn pointee_size<T>(_: *const T) -> usize {
    size_of::<T>()
}

/// Adds "field C_STRUCT.FIELD" -> "OFFSET SIZE" for each field (offsets
/// from addr_of!, as offset_of! is newer than Rust 1.63).
macro_rules! fields {
    ($map:expr, $c:literal, $t:ty, $($f:ident),+) => {{
        let u = MaybeUninit::<$t>::uninit();
        let base = u.as_ptr();
        $map.insert(format!("struct {}", $c), size_of::<$t>().to_string());
        $(
            // SAFETY: addr_of! on an uninit struct only computes an address.
            let p = unsafe { std::ptr::addr_of!((*base).$f) };
            $map.insert(
                format!("field {}.{}", $c, stringify!($f)),
                format!("{} {}", p as usize - base as usize, pointee_size(p)),
            );
        )+
    }};
}

fn binding_layout() -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    fields!(
        m,
        "seccomp_pin_arg",
        PinArg,
        arg_idx,
        kind,
        _reserved,
        max_bytes,
        max_entries,
        _reserved2,
        actual_size,
        actual_entries,
        truncated,
        _reserved3,
        user_addr,
        buf_offset
    );
    fields!(
        m,
        "seccomp_notif_pin_args",
        NotifPinArgs,
        id,
        nr_args,
        buf_size,
        buf,
        args
    );
    fields!(
        m,
        "seccomp_pin_info",
        Info,
        abi_version,
        kinds,
        sites,
        max_args,
        max_arg_bytes,
        max_total_bytes,
        default_max_entries,
        max_entries,
        live_pins,
        live_bytes,
        total_pins,
        total_consumed,
        max_listener_bytes,
        max_module_bytes,
        registered_sites,
        figures,
        max_user_bytes,
        features,
        max_rules
    );
    fields!(m, "seccomp_pin_request", Request, listener_fd, flags, pin);
    fields!(
        m,
        "seccomp_pin_response",
        Response,
        listener_fd,
        flags,
        resp
    );
    fields!(
        m,
        "seccomp_pin_pinnable_arg",
        PinnableArg,
        arg_idx,
        kind,
        len_idx,
        _reserved,
        site,
        max_bytes,
        flags
    );
    fields!(
        m,
        "seccomp_pin_pinnable",
        Pinnable,
        nr,
        flags,
        nr_args,
        _reserved,
        args
    );
    fields!(m, "seccomp_pin_rule", Rule, nr, nr_args, args);
    fields!(m, "seccomp_pin_rules", Rules, nr_rules, flags, rules);
    fields!(
        m,
        "seccomp_pin_recv",
        Recv,
        listener_fd,
        flags,
        notif,
        pin_error,
        pinned,
        pin
    );
    fields!(
        m,
        "seccomp_data",
        SeccompData,
        nr,
        arch,
        instruction_pointer,
        args
    );
    fields!(m, "seccomp_notif", Notif, id, pid, flags, data);
    fields!(m, "seccomp_notif_resp", NotifResp, id, val, error, flags);

    macro_rules! num {
        ($kind:literal, $($n:ident),+) => {
            $( m.insert(format!("{} {}", $kind, stringify!($n)), ($n as u64).to_string()); )+
        };
    }
    num!(
        "ioctl",
        SECCOMP_PIN_IOC_INFO,
        SECCOMP_PIN_IOC_PIN_ARGS,
        SECCOMP_PIN_IOC_SEND,
        SECCOMP_PIN_IOC_PINNABLE,
        SECCOMP_PIN_IOC_SET_RULES,
        SECCOMP_PIN_IOC_RECV_PIN,
        SECCOMP_IOCTL_NOTIF_RECV,
        SECCOMP_IOCTL_NOTIF_SEND,
        SECCOMP_IOCTL_NOTIF_ID_VALID
    );
    num!(
        "const",
        SECCOMP_USER_NOTIF_FLAG_CONTINUE,
        SECCOMP_USER_NOTIF_FLAG_CONTINUE_PINNED,
        SECCOMP_PIN_FIXED,
        SECCOMP_PIN_CSTRING,
        SECCOMP_PIN_CSTRING_ARRAY,
        SECCOMP_PIN_TRUNCATED_BYTES,
        SECCOMP_PIN_TRUNCATED_ENTRIES,
        SECCOMP_PIN_MAX_ARGS,
        SECCOMP_PIN_MAX_ARG_BYTES,
        SECCOMP_PIN_MAX_TOTAL_BYTES,
        SECCOMP_PIN_ABI_VERSION,
        SECCOMP_PIN_DEFAULT_MAX_ENTRIES,
        SECCOMP_PIN_MAX_ENTRIES,
        SECCOMP_PIN_BUF_ALIGN,
        SECCOMP_PIN_SITE_PATH,
        SECCOMP_PIN_SITE_SOCKADDR,
        SECCOMP_PIN_SITE_EXEC_ARGS,
        SECCOMP_PIN_SITE_WRITE,
        SECCOMP_PIN_FIGURES_USER,
        SECCOMP_PIN_FIGURES_GLOBAL,
        SECCOMP_PIN_FEATURE_PINNABLE,
        SECCOMP_PIN_FEATURE_RECV_PIN,
        SECCOMP_PIN_RECV_NONBLOCK,
        SECCOMP_PIN_NO_LEN,
        SECCOMP_PIN_PINNABLE_IF_NOT_EMPTY_PATH,
        SECCOMP_PIN_IOC_MAGIC,
        SECCOMP_SET_MODE_FILTER,
        SECCOMP_FILTER_FLAG_NEW_LISTENER,
        SECCOMP_RET_USER_NOTIF,
        SECCOMP_RET_ALLOW,
        SECCOMP_RET_KILL_PROCESS,
        AUDIT_ARCH_X86_64
    );
    m.insert(
        "string SECCOMP_PIN_DEVICE".into(),
        SECCOMP_PIN_DEVICE.into(),
    );
    m
}

fn expected_layout() -> BTreeMap<String, String> {
    let path = std::env::var("SECCOMP_PIN_LAYOUT")
        .expect("SECCOMP_PIN_LAYOUT is not set: run make check-bindings-host");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {}", path, e));
    let mut m = BTreeMap::new();
    for line in text.lines() {
        let w: Vec<&str> = line.splitn(3, ' ').collect();
        assert_eq!(w.len(), 3, "{}: bad line {:?}", path, line);
        m.insert(format!("{} {}", w[0], w[1]), w[2].to_string());
    }
    assert!(m.len() >= 50, "{}: only {} entries", path, m.len());
    m
}

#[test]
fn layout_matches_c_header() {
    let want = expected_layout();
    let got = binding_layout();
    let mut errors = Vec::new();
    for (k, w) in &want {
        match got.get(k) {
            None => errors.push(format!(
                "{}: in the C header ({}), not in the Rust binding",
                k, w
            )),
            Some(g) if g != w => errors.push(format!("{}: C header {}, Rust binding {}", k, w, g)),
            _ => {}
        }
    }
    for (k, g) in &got {
        if !want.contains_key(k) {
            errors.push(format!(
                "{}: in the Rust binding ({}), not in the C header",
                k, g
            ));
        }
    }
    assert!(
        errors.is_empty(),
        "layout drift:\n  {}",
        errors.join("\n  ")
    );
}
