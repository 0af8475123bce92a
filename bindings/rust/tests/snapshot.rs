// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
//! The snapshot accessors on good and hostile input: hostile input must
//! give EINVAL, never a panic or an out-of-bounds read.

use seccomp_pin::*;

fn pack(strs: &[&str]) -> Vec<u8> {
    let mut b = vec![0u8; 4 * (strs.len() + 1)];
    b[..4].copy_from_slice(&(strs.len() as u32).to_ne_bytes());
    for (i, s) in strs.iter().enumerate() {
        let off = b.len() as u32;
        b[4 * (i + 1)..4 * (i + 2)].copy_from_slice(&off.to_ne_bytes());
        b.extend_from_slice(s.as_bytes());
        b.push(0);
    }
    b
}

fn put(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_ne_bytes());
}

const EINVAL: Errno = Errno(libc::EINVAL);

#[test]
fn array_good() {
    let snap = pack(&["/bin/sh", "-c", ""]);
    assert_eq!(array_count(&snap), Ok(3));
    for (i, want) in ["/bin/sh", "-c", ""].iter().enumerate() {
        assert_eq!(array_entry(&snap, i).unwrap().to_str().unwrap(), *want);
    }
    assert_eq!(array_entry(&snap, 3), Err(EINVAL));
    assert_eq!(array_count(&pack(&[])), Ok(0));
}

#[test]
fn array_hostile() {
    let good = pack(&["ab", "cd"]);
    let n = good.len();
    let mut cases: Vec<(&str, Vec<u8>)> = Vec::new();
    cases.push(("short", vec![1, 0]));
    cases.push(("empty", vec![]));
    let mut b = good.clone();
    put(&mut b, 0, u32::MAX);
    cases.push(("huge count", b));
    let mut b = good.clone();
    put(&mut b, 0, (n / 4) as u32);
    cases.push(("count past header", b));
    let mut b = good.clone();
    put(&mut b, 4, 4);
    cases.push(("offset into header", b));
    let mut b = good.clone();
    put(&mut b, 4, n as u32);
    cases.push(("offset past end", b));
    let mut b = good.clone();
    put(&mut b, 4, 0xffff_fffc);
    cases.push(("offset wraps", b));
    cases.push(("no NUL", good[..n - 1].to_vec()));
    for (name, snap) in &cases {
        let bad = (0..2).any(|i| array_entry(snap, i) == Err(EINVAL));
        assert!(bad, "{}: every entry accepted", name);
        if ["short", "empty", "huge count", "count past header"].contains(name) {
            assert_eq!(array_count(snap), Err(EINVAL), "{}", name);
        }
    }
}

#[test]
fn snapshot_bounds() {
    let buf = [0u8; 64];
    let mut pin = NotifPinArgs {
        nr_args: 2,
        buf_size: 64,
        buf: buf.as_ptr() as u64,
        ..Default::default()
    };
    pin.args[0].actual_size = 8;
    pin.args[1].actual_size = 16;
    pin.args[1].buf_offset = 48;
    assert_eq!(snapshot(&pin, &buf, 1).map(|s| s.len()), Ok(16));
    assert_eq!(snapshot(&pin, &buf, 2), Err(EINVAL));
    assert_eq!(snapshot(&pin, &buf[..32], 0), Err(EINVAL));
    assert_eq!(snapshot(&pin, &[0u8; 64], 0), Err(EINVAL)); // another buffer
    let edits: [(&str, fn(&mut NotifPinArgs)); 4] = [
        ("nr_args > 6", |p| p.nr_args = 7),
        ("size past buf_size", |p| p.args[1].actual_size = 17),
        ("offset past buf_size", |p| p.args[1].buf_offset = 64),
        ("offset wraps", |p| p.args[1].buf_offset = u64::MAX),
    ];
    for (name, edit) in edits.iter() {
        let mut p = pin;
        edit(&mut p);
        assert_eq!(snapshot(&p, &buf, 1), Err(EINVAL), "{}", name);
    }
}
