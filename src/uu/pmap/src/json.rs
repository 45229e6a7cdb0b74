//! `pmap --json` (docs/json.md, "pmap"): one JSON object per PID, on one line, written
//! with `memtools_core::json::Json`. The object is opened here ([`begin`]); the formats'
//! renderers (`classic::json`, `columns::json`) stream their rows into it, the same rows
//! as the text, one by one and never collected; it is closed here ([`end_ok`] and the
//! error endings).

use memtools_core::json::{Json, Suspended, SCHEMA_VERSION};
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

/// Opens a process's object with its first fields:
/// `{"schema_version":1,"tool":"pmap","pid":…,"command":…,"format":…`.
pub fn begin<W: Write>(out: &mut Sink<W>, pid: u32, cmd: &[u8], format: &str) -> Suspended {
    let mut o = Json::start_object(&mut out.buf);
    o.u64("schema_version", u64::from(SCHEMA_VERSION))
        .str("tool", "pmap")
        .u64("pid", u64::from(pid))
        .bytes("command", cmd)
        .str("format", format);
    o.suspend()
}

/// Ends an object whose rows are complete (after `totals`): `"error":null`.
pub fn end_ok<W: Write>(out: &mut Sink<W>, top: Suspended) {
    let mut o = Json::resume(&mut out.buf, top);
    o.null("error");
    o.end();
    out.byte(b'\n');
}

/// Ends an object whose rows stopped on an error (the `mappings` array closed, keeping
/// the rows written so far): `totals` is `null` and `error` says why.
pub fn end_with_error<W: Write>(out: &mut Sink<W>, top: Suspended, msg: &str) {
    let mut o = Json::resume(&mut out.buf, top);
    o.null("totals").str("error", msg);
    o.end();
    out.byte(b'\n');
}

/// Ends an object whose maps could not be read at all: `mappings` (and `fields`, the `-X`
/// formats' field list, when `fields`) are `null` too.
pub fn end_unread<W: Write>(out: &mut Sink<W>, top: Suspended, fields: bool, msg: &str) {
    let mut o = Json::resume(&mut out.buf, top);
    if fields {
        o.null("fields");
    }
    o.null("mappings");
    let top = o.suspend();
    end_with_error(out, top, msg);
}

/// A KiB figure in bytes (saturating: a figure above 2^54 KiB cannot be a real one).
pub fn kib(v: u64) -> u64 {
    v.saturating_mul(1024)
}

/// A hex digit string as a number; `None` if empty, not all hex digits, or above
/// 2^64 − 1.
pub fn hex(s: &[u8]) -> Option<u64> {
    digits(s, u8::is_ascii_hexdigit, 16)
}

/// A decimal digit string as a number; `None` if empty, not all digits, or too large.
pub fn dec(s: &[u8]) -> Option<u64> {
    digits(s, u8::is_ascii_digit, 10)
}

fn digits(s: &[u8], is_digit: fn(&u8) -> bool, radix: u32) -> Option<u64> {
    if s.is_empty() || !s.iter().all(is_digit) {
        return None;
    }
    u64::from_str_radix(std::str::from_utf8(s).ok()?, radix).ok()
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
        assert_eq!(hex(b"+1"), None);
        assert_eq!(dec(b"+1"), None);
        assert_eq!(dec(b""), None);
        assert_eq!(dec(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(dec(b"18446744073709551616"), None);
        assert_eq!(dec(b"1a"), None);
        assert_eq!(kib(4), 4096);
        assert_eq!(kib(u64::MAX), u64::MAX);
    }

    #[test]
    fn object_endings() {
        let mut out = Sink::new(Vec::new());
        let top = begin(&mut out, 7, b"caf\xc3\xa9 \xff", "-x");
        end_unread(&mut out, top, true, "Permission denied");
        let top = begin(&mut out, 8, b"", "default");
        let mut o = Json::resume(&mut out.buf, top);
        o.array("mappings").end();
        let top = o.suspend();
        end_with_error(&mut out, top, "Input/output error");
        let top = begin(&mut out, 9, b"x", "-X");
        end_ok(&mut out, top);
        assert_eq!(
            String::from_utf8_lossy(&out.into_inner()),
            "{\"schema_version\":1,\"tool\":\"pmap\",\"pid\":7,\"command\":\"café \u{fffd}\",\"format\":\"-x\",\
             \"fields\":null,\"mappings\":null,\"totals\":null,\"error\":\"Permission denied\"}\n\
             {\"schema_version\":1,\"tool\":\"pmap\",\"pid\":8,\"command\":\"\",\"format\":\"default\",\
             \"mappings\":[],\"totals\":null,\"error\":\"Input/output error\"}\n\
             {\"schema_version\":1,\"tool\":\"pmap\",\"pid\":9,\"command\":\"x\",\"format\":\"-X\",\"error\":null}\n"
        );
    }
}
