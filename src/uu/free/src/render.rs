//! free's output, as a pure function of the counters and the options.
//!
//! The arithmetic follows procps-ng 4.0.2 exactly, including where it wraps: procps works
//! on C `unsigned long` and then reinterprets `size * 1024` as a signed `long long`, which is
//! how it prints negative `used` and `Comm:` free values. Every wrap here is an explicit
//! `wrapping_*` call (never a panic); this is the one deliberate exception to the project's
//! saturating-subtraction rule, because the oracle's output depends on it.

use memtools_platform::MemInfo;
use std::fmt::Write;

/// Display options that shape the table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct View {
    /// 0 = default (KiB, or kB with `si`), 1 = bytes, 2..=6 = kibi/mebi/gibi/tebi/pebi.
    pub exponent: u32,
    pub si: bool,
    pub human: bool,
    pub lohi: bool,
    pub total: bool,
    pub committed: bool,
    pub wide: bool,
    pub line: bool,
}

/// The derived values procps computes from /proc/meminfo (all in KiB, u64, wrapping).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Derived {
    pub total: u64,
    pub used: u64,
    pub free: u64,
    pub shared: u64,
    pub buffers: u64,
    pub cached: u64,
    pub available: u64,
    pub low_total: u64,
    pub low_used: u64,
    pub low_free: u64,
    pub high_total: u64,
    pub high_used: u64,
    pub high_free: u64,
    pub swap_total: u64,
    pub swap_used: u64,
    pub swap_free: u64,
    pub commit_limit: u64,
    pub committed: u64,
}

fn used_of(total: u64, free: u64) -> u64 {
    total.saturating_sub(free)
}

pub fn derive(m: &MemInfo) -> Derived {
    let mut available = m.mem_available;
    if available == 0 {
        available = m.mem_free;
    }
    let cached = m.cached.wrapping_add(m.s_reclaimable);
    if available > m.mem_total {
        available = m.mem_free;
    }
    let mut used = m.mem_total.wrapping_sub(available) as i64;
    if used < 0 {
        used = m.mem_total.wrapping_sub(m.mem_free) as i64;
    }
    let (low_total, low_free) = if m.low_total == 0 {
        (m.mem_total, m.mem_free)
    } else {
        (m.low_total, m.low_free)
    };
    Derived {
        total: m.mem_total,
        used: used as u64,
        free: m.mem_free,
        shared: m.shmem,
        buffers: m.buffers,
        cached,
        available,
        low_total,
        low_used: used_of(low_total, low_free),
        low_free,
        high_total: m.high_total,
        high_used: used_of(m.high_total, m.high_free),
        high_free: m.high_free,
        swap_total: m.swap_total,
        swap_used: used_of(m.swap_total, m.swap_free),
        swap_free: m.swap_free,
        commit_limit: m.commit_limit,
        committed: m.committed_as,
    }
}

fn power(base: u32, expo: u32) -> f64 {
    let mut p = 1.0f64;
    for _ in 0..expo {
        p *= base as f64;
    }
    p
}

/// C's `(long)d` on x86-64: truncation toward zero; out-of-range and NaN give `LONG_MIN`.
fn c_long(d: f64) -> i64 {
    if !(-9223372036854775808.0..9223372036854775808.0).contains(&d) {
        i64::MIN
    } else {
        d as i64
    }
}

/// procps-ng 4.0.2's `scale_size`: `size` in KiB, printed per exponent / SI / human mode.
pub fn scale_size(size: u64, exponent: u32, si: bool, human: bool, out: &mut String) {
    let base: u32 = if si { 1000 } else { 1024 };
    let bytes = size.wrapping_mul(1024) as i64;
    if !human {
        let _ = match exponent {
            0 => write!(out, "{}", bytes / base as i64),
            1 => write!(out, "{}", bytes),
            e => write!(out, "{}", c_long(bytes as f64 / power(base, e - 1))),
        };
        return;
    }
    let mut buf = format!("{bytes}B");
    if buf.len() <= 4 {
        out.push_str(&buf);
        return;
    }
    let (sfx, lim) = if si { ("", 4) } else { ("i", 5) };
    for (idx, unit) in ['K', 'M', 'G', 'T', 'P'].iter().enumerate() {
        let d = bytes as f64 / power(base, idx as u32 + 1);
        buf.clear();
        // procps narrows to float before printing with "%.1f" (round half to even on the
        // exact binary value, as Rust's formatter does).
        let _ = write!(buf, "{:.1}{}{}", (d as f32) as f64, unit, sfx);
        if buf.len() <= lim {
            out.push_str(&buf);
            return;
        }
        buf.clear();
        let _ = write!(buf, "{}{}{}", c_long(d), unit, sfx);
        if buf.len() <= lim {
            out.push_str(&buf);
            return;
        }
    }
    out.push_str(&buf);
}

const HEADER: &str =
    "               total        used        free      shared  buff/cache   available\n";
const HEADER_WIDE: &str = "               total        used        free      shared     buffers       cache   available\n";

struct Row<'a> {
    out: &'a mut String,
    v: &'a View,
    cell: String,
    /// No cell written yet on this line.
    first: bool,
}

impl Row<'_> {
    fn label(&mut self, label: &str) {
        self.out.push_str(label);
        for _ in label.len()..9 {
            self.out.push(' ');
        }
        self.first = true;
    }
    fn cells(&mut self, values: &[u64]) {
        for &value in values {
            self.cell.clear();
            scale_size(
                value,
                self.v.exponent,
                self.v.si,
                self.v.human,
                &mut self.cell,
            );
            if !self.first {
                self.out.push(' ');
            }
            self.first = false;
            let _ = write!(self.out, "{:>11}", self.cell);
        }
    }
    fn end(&mut self) {
        self.out.push('\n');
    }
    fn row(&mut self, label: &str, cells: &[u64]) {
        self.label(label);
        self.cells(cells);
        self.end();
    }
}

/// The whole table (header and rows), as procps-ng 4.0.2 prints it.
pub fn render_table(m: &MemInfo, v: &View, out: &mut String) {
    let d = derive(m);
    out.push_str(if v.wide { HEADER_WIDE } else { HEADER });
    let mut r = Row {
        out,
        v,
        cell: String::with_capacity(32),
        first: true,
    };
    r.label("Mem:");
    r.cells(&[d.total, d.used, d.free, d.shared]);
    // -w: buffers and cache in columns of their own.
    if v.wide {
        r.cells(&[d.buffers, d.cached]);
    } else {
        r.cells(&[d.buffers.wrapping_add(d.cached)]);
    }
    r.cells(&[d.available]);
    r.end();
    if v.lohi {
        r.row("Low:", &[d.low_total, d.low_used, d.low_free]);
        r.row("High:", &[d.high_total, d.high_used, d.high_free]);
    }
    r.row("Swap:", &[d.swap_total, d.swap_used, d.swap_free]);
    if v.total {
        r.row(
            "Total:",
            &[
                d.total.wrapping_add(d.swap_total),
                d.used.wrapping_add(d.swap_used),
                d.free.wrapping_add(d.swap_free),
            ],
        );
    }
    if v.committed {
        r.row(
            "Comm:",
            &[
                d.commit_limit,
                d.committed,
                d.commit_limit.wrapping_sub(d.committed),
            ],
        );
    }
}

/// The 4.0.4+ `-L` line, including its trailing space and newline.
pub fn render_line(m: &MemInfo, v: &View, out: &mut String) {
    let d = derive(m);
    let items = [
        ("SwapUse", d.swap_used),
        ("CachUse", d.buffers.wrapping_add(d.cached)),
        (" MemUse", d.used),
        ("MemFree", d.free),
    ];
    let mut cell = String::new();
    for (label, value) in items {
        cell.clear();
        scale_size(value, v.exponent, v.si, v.human, &mut cell);
        let _ = write!(out, "{label} {cell:>11} ");
    }
    out.push('\n');
}

/// A KiB counter as the signed byte count `-b` prints (procps' `size * 1024` read as a
/// `long long`), so the JSON view and `free -b` always agree, wraps included.
pub fn json_bytes(kib: u64) -> i64 {
    kib.wrapping_mul(1024) as i64
}

/// `--json`: one object, every value in bytes, every row (docs/json.md, "free").
pub fn render_json(m: &MemInfo, out: &mut Vec<u8>) {
    use memtools_core::json::{line, Json, SCHEMA_VERSION};
    let d = derive(m);
    let b = json_bytes;
    let row3 = |o: &mut Json<'_>, k: &str, t: u64, u: u64, f: u64| {
        let mut r = o.object(k);
        r.i64("total", b(t)).i64("used", b(u)).i64("free", b(f));
        r.end();
    };
    line(out, |o| {
        o.u64("schema_version", u64::from(SCHEMA_VERSION))
            .str("tool", "free");
        let mut mem = o.object("mem");
        mem.i64("total", b(d.total))
            .i64("used", b(d.used))
            .i64("free", b(d.free))
            .i64("shared", b(d.shared))
            .i64("buffers", b(d.buffers))
            .i64("cache", b(d.cached))
            .i64("buff_cache", b(d.buffers.wrapping_add(d.cached)))
            .i64("available", b(d.available));
        mem.end();
        row3(o, "low", d.low_total, d.low_used, d.low_free);
        row3(o, "high", d.high_total, d.high_used, d.high_free);
        row3(o, "swap", d.swap_total, d.swap_used, d.swap_free);
        row3(
            o,
            "total",
            d.total.wrapping_add(d.swap_total),
            d.used.wrapping_add(d.swap_used),
            d.free.wrapping_add(d.swap_free),
        );
        let mut c = o.object("commit");
        c.i64("limit", b(d.commit_limit))
            .i64("committed", b(d.committed))
            .i64("available", b(d.commit_limit.wrapping_sub(d.committed)));
        c.end();
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(kib: u64, si: bool) -> String {
        let mut s = String::new();
        scale_size(kib, 0, si, true, &mut s);
        s
    }

    #[test]
    fn human_boundaries_from_the_spec() {
        assert_eq!(h(0, false), "0B");
        assert_eq!(h(1, false), "1.0Ki");
        assert_eq!(h(1280, false), "1.2Mi");
        assert_eq!(h(1331, false), "1.3Mi");
        assert_eq!(h(10189, false), "9Mi");
        assert_eq!(h(10239, false), "9Mi");
        assert_eq!(h(1023, false), "1.0Mi");
        assert_eq!(h(1048063, false), "1.0Gi");
        assert_eq!(h(9, true), "9.2K");
        assert_eq!(h(976, true), "999K");
        assert_eq!(h(977, true), "1.0M");
        assert_eq!(h(9717, true), "9M");
        assert_eq!(h((-902852i64) as u64, false), "0Gi");
        assert_eq!(h(1125899906842624, false), "1024Pi");
    }

    #[test]
    fn exponents_from_the_spec() {
        let s = |e, si| {
            let mut s = String::new();
            scale_size(8000000, e, si, false, &mut s);
            s
        };
        assert_eq!(s(0, false), "8000000");
        assert_eq!(s(1, false), "8192000000");
        assert_eq!(s(1, true), "8192000000");
        assert_eq!(s(3, false), "7812");
        assert_eq!(s(4, false), "7");
        assert_eq!(s(5, false), "0");
        assert_eq!(s(0, true), "8192000");
        assert_eq!(s(3, true), "8192");
        assert_eq!(s(4, true), "8");
        let mut n = String::new();
        scale_size((-902852i64) as u64, 3, false, false, &mut n);
        assert_eq!(n, "-881");
    }
}
