//! `pmap --json` (docs/json.md, "pmap"): one JSON object per PID, on one line. The rows come
//! from the same renderers as the text (classic.rs, extended.rs), so the JSON holds exactly
//! the text's rows; they are streamed into the output buffer one by one, never collected.

use memtools_core::json::{push_str_lit, Json, SCHEMA_VERSION};
use memtools_core::Sink;
use std::io::Write;

/// The `"format"` value of the chosen output format.
pub fn format_name(format: crate::Format, x_level: u32) -> &'static str {
    match format {
        crate::Format::Default => "default",
        crate::Format::Extended => "-x",
        crate::Format::Device => "-d",
        crate::Format::Smaps => match x_level {
            0 => "rc",
            1 => "-X",
            _ => "-XX",
        },
    }
}

/// The object's opening fields, without the closing brace:
/// `{"schema_version":1,"tool":"pmap","pid":…,"command":…,"format":…`.
pub fn head(pid: u32, cmd: &[u8], format: &str) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut o = Json::start_object(&mut buf);
    o.u64("schema_version", u64::from(SCHEMA_VERSION))
        .str("tool", "pmap")
        .u64("pid", u64::from(pid))
        .bytes("command", cmd)
        .str("format", format);
    let _ = o.suspend(); // more fields follow
    buf
}

/// Appends a JSON string of `b` (invalid UTF-8 becomes U+FFFD).
pub fn str_lit<W: Write>(out: &mut Sink<W>, b: &[u8]) {
    push_str_lit(&mut out.buf, b);
}

/// Ends an object whose mappings could not be read (or stopped part-way): the remaining
/// fields are `null` and `error` says why. `in_mappings`: the `mappings` array is open (it
/// is closed, keeping the rows written so far); otherwise only the head was written and
/// `fields` (the `-X` formats' field list) and `mappings` are `null` too.
pub fn error_tail<W: Write>(out: &mut Sink<W>, in_mappings: bool, fields: bool, msg: &str) {
    if in_mappings {
        out.bytes(b"]");
    } else {
        if fields {
            out.bytes(b",\"fields\":null");
        }
        out.bytes(b",\"mappings\":null");
    }
    out.bytes(b",\"totals\":null,\"error\":");
    push_str_lit(&mut out.buf, msg.as_bytes());
    out.bytes(b"}\n");
}

/// Ends a complete object (after `totals`).
pub fn ok_tail<W: Write>(out: &mut Sink<W>) {
    out.bytes(b",\"error\":null}\n");
}

/// A KiB figure in bytes (saturating: a figure above 2^54 KiB cannot be a real one).
pub fn kib(v: u64) -> u64 {
    v.saturating_mul(1024)
}

/// A hex digit string as a number; `None` if empty or above 2^64 − 1.
pub fn hex(s: &[u8]) -> Option<u64> {
    if s.is_empty() || s.len() > 16 && s.iter().take(s.len() - 16).any(|&b| b != b'0') {
        return None;
    }
    let mut v: u64 = 0;
    for &b in s {
        let d = (b as char).to_digit(16)?;
        v = v.checked_mul(16)?.checked_add(u64::from(d))?;
    }
    Some(v)
}

/// A decimal digit string as a number; `None` if not all digits or too large.
pub fn dec(s: &[u8]) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let mut v: u64 = 0;
    for &b in s {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
    }
    Some(v)
}

/// Appends a number, or `null`.
pub fn opt_num<W: Write>(out: &mut Sink<W>, v: Option<u64>) {
    match v {
        Some(n) => out.dec(n, 0),
        None => out.bytes(b"null"),
    }
}

/// The kernel's pathname column of a `maps` line: what follows the inode field, leading
/// blanks skipped, without the newline. Empty for an anonymous mapping.
pub fn maps_name(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let ws = |b: u8| memtools_core::cnum::c_isspace(b);
    let mut p = 0;
    for _ in 0..5 {
        while p < line.len() && ws(line[p]) {
            p += 1;
        }
        while p < line.len() && !ws(line[p]) {
            p += 1;
        }
    }
    while p < line.len() && ws(line[p]) {
        p += 1;
    }
    &line[p..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(hex(b"7fff0000"), Some(0x7fff_0000));
        assert_eq!(hex(b"ffffffffff600000"), Some(0xffff_ffff_ff60_0000));
        assert_eq!(hex(b"0000ffffffffffffffff"), Some(u64::MAX));
        assert_eq!(hex(b"10000000000000000"), None);
        assert_eq!(hex(b""), None);
        assert_eq!(hex(b"xy"), None);
        assert_eq!(dec(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(dec(b"18446744073709551616"), None);
        assert_eq!(dec(b"1a"), None);
        assert_eq!(kib(4), 4096);
        assert_eq!(kib(u64::MAX), u64::MAX);
        assert_eq!(
            maps_name(b"55-56 r-xp 00000000 08:01 123    /usr/bin/a b\n"),
            b"/usr/bin/a b"
        );
        assert_eq!(maps_name(b"55-56 rw-p 00000000 00:00 0 \n"), b"");
        assert_eq!(maps_name(b"55-56 rw-p"), b"");
        let h = head(7, b"caf\xc3\xa9 \xff", "-x");
        let mut s = String::from_utf8(h).unwrap_or_default();
        s.push('}');
        assert_eq!(
            s,
            "{\"schema_version\":1,\"tool\":\"pmap\",\"pid\":7,\"command\":\"café \u{fffd}\",\"format\":\"-x\"}"
        );
        let mut out = Sink::new(Vec::new());
        str_lit(&mut out, b"a b/c");
        str_lit(&mut out, b"q\"\\\t\xff");
        assert_eq!(out.buf, b"\"a b/c\"\"q\\\"\\\\\\t\xef\xbf\xbd\"");
        let mut out = Sink::new(Vec::new());
        out.bytes(b"{\"a\":1");
        error_tail(&mut out, false, true, "Permission denied");
        assert_eq!(
            String::from_utf8_lossy(&out.into_inner()),
            "{\"a\":1,\"fields\":null,\"mappings\":null,\"totals\":null,\"error\":\"Permission denied\"}\n"
        );
    }
}
