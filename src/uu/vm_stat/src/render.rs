//! vm_stat's two output formats, as pure functions of [`VmCounters`]: the one-shot list and
//! the interval table (banner every 21 rows, deltas for counters, K/M/G overflow).

use memtools_platform::vmstat::VmCounters;
use std::fmt::Write;

/// The header both formats start with.
fn header(c: &VmCounters, out: &mut String) {
    let _ = writeln!(
        out,
        "Mach Virtual Memory Statistics: (page size of {} bytes)",
        c.page_size
    );
}

/// What a counter counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Pages now (`--json` shows them in bytes).
    Pages,
    /// Events since boot (the table and `--json` show the change since the previous
    /// sample).
    Events,
}

/// One of vm_stat's counters: the one-shot list's label, `--json`'s name, the interval
/// table's column width, what it counts, and its value.
pub struct Counter {
    pub label: &'static str,
    pub json: &'static str,
    pub width: usize,
    pub kind: Kind,
    pub get: fn(&VmCounters) -> u64,
}

/// A [`Counter`] for the [`VmCounters`] field of that name, which is also its `--json`
/// name.
macro_rules! counter {
    ($label:literal, $field:ident, $width:literal, $kind:ident) => {
        Counter {
            label: $label,
            json: stringify!($field),
            width: $width,
            kind: Kind::$kind,
            get: |c| c.$field,
        }
    };
}

/// The counters in Apple's order (the one-shot list's; the table swaps two columns, see
/// [`Table::row`]). One row a line, as a table.
#[rustfmt::skip]
pub const COUNTERS: [Counter; 22] = [
    counter!("Pages free:", free, 8, Pages),
    counter!("Pages active:", active, 8, Pages),
    counter!("Pages inactive:", inactive, 8, Pages),
    counter!("Pages speculative:", speculative, 8, Pages),
    counter!("Pages throttled:", throttled, 8, Pages),
    counter!("Pages wired down:", wired, 8, Pages),
    counter!("Pages purgeable:", purgeable, 8, Pages),
    counter!("\"Translation faults\":", faults, 8, Events),
    counter!("Pages copy-on-write:", cow_faults, 8, Events),
    counter!("Pages zero filled:", zero_filled, 8, Events),
    counter!("Pages reactivated:", reactivated, 8, Events),
    counter!("Pages purged:", purged, 8, Events),
    counter!("File-backed pages:", file_backed, 11, Pages),
    counter!("Anonymous pages:", anonymous, 9, Pages),
    counter!("Pages stored in compressor:", stored_in_compressor, 8, Pages),
    counter!("Pages occupied by compressor:", occupied_by_compressor, 8, Pages),
    counter!("Decompressions:", decompressions, 8, Events),
    counter!("Compressions:", compressions, 8, Events),
    counter!("Pageins:", pageins, 8, Events),
    counter!("Pageouts:", pageouts, 8, Events),
    counter!("Swapins:", swapins, 8, Events),
    counter!("Swapouts:", swapouts, 8, Events),
];

/// One-shot mode: the header and 22 lines of `%-30s %16llu.`.
pub fn render_snapshot(c: &VmCounters, out: &mut String) {
    header(c, out);
    for k in &COUNTERS {
        let _ = writeln!(out, "{:<30} {:>16}.", k.label, (k.get)(c));
    }
}

/// The interval table's column titles (exactly Apple's, no trailing space).
pub const TITLES: &str = "    free   active   specul inactive throttle    wired  prgable   faults     copy    0fill reactive   purged file-backed anonymous cmprssed cmprssor  dcomprs   comprs  pageins  pageout  swapins swapouts";

/// Rows between banners.
pub const BANNER_EVERY: u64 = 21;

/// One table cell: `n` right-aligned in `width`, then one space. A number too wide is shown
/// in thousands (`K`, in `width - 1`), then millions (`M`), then billions (`G`, however wide);
/// the divisors are decimal and the division truncates.
pub fn pstat(out: &mut String, n: u64, width: usize) {
    let start = out.len();
    let _ = write!(out, "{n:>width$}");
    if out.len() - start > width {
        let w = width.saturating_sub(1);
        for (div, suffix) in [(1_000u64, 'K'), (1_000_000, 'M'), (1_000_000_000, 'G')] {
            out.truncate(start);
            let _ = write!(out, "{:>w$}{suffix}", n / div);
            if out.len() - start <= width {
                break;
            }
        }
    }
    out.push(' ');
}

/// The interval table's state: rows printed so far and the previous sample, which the
/// counters' deltas are taken against.
#[derive(Debug, Default)]
pub struct Table {
    rows: u64,
    last: VmCounters,
}

impl Table {
    pub fn new() -> Self {
        Table::default()
    }

    /// Appends one row for `cur` to `out`, preceded by the banner on rows 1, 22, 43, …
    /// The banner forgets the previous sample, so the row after it shows totals since boot.
    pub fn row(&mut self, cur: &VmCounters, out: &mut String) {
        if self.rows.is_multiple_of(BANNER_EVERY) {
            header(cur, out);
            out.push_str(TITLES);
            out.push('\n');
            self.last = VmCounters::default();
        }
        self.rows = self.rows.wrapping_add(1);
        let mut cells = COUNTERS
            .each_ref()
            .map(|k| (k, delta(k, cur, Some(&self.last))));
        // The table's columns put speculative before inactive (TITLES).
        cells.swap(2, 3);
        for (k, value) in cells {
            pstat(out, value, k.width);
        }
        out.push('\n');
        self.last = *cur;
    }
}

/// A counter's value in a row: a page count as it is; an event count as the change since
/// `prev`, when there is one. Deltas are unsigned 64-bit differences as in Apple's vm_stat:
/// a counter that went backwards shows as a huge (G) value there, and wrapping keeps that
/// identical.
fn delta(k: &Counter, cur: &VmCounters, prev: Option<&VmCounters>) -> u64 {
    let now = (k.get)(cur);
    match prev {
        Some(p) if k.kind == Kind::Events => now.wrapping_sub((k.get)(p)),
        _ => now,
    }
}

/// `--json`: one object on one line (docs/json.md, "vm_stat"). `prev` is the previous
/// sample in interval mode: the events are then deltas against it (wrapping, as the table's),
/// and `events_since` says "previous"; without it they are totals since boot.
pub fn render_json(c: &VmCounters, sample: Option<(u64, Option<&VmCounters>)>, out: &mut Vec<u8>) {
    use memtools_core::json::{line, SCHEMA_VERSION};
    let prev = sample.and_then(|(_, p)| p);
    line(out, |o| {
        o.u64("schema_version", u64::from(SCHEMA_VERSION))
            .str("tool", "vm_stat")
            .str(
                "mode",
                if sample.is_some() {
                    "interval"
                } else {
                    "snapshot"
                },
            );
        if let Some((n, _)) = sample {
            o.u64("sample", n);
        }
        o.u64("page_size", c.page_size);
        // Page counts in bytes; event counts as they are (they count faults and page
        // operations, not memory).
        let mut bytes = o.object("bytes");
        for k in COUNTERS.iter().filter(|k| k.kind == Kind::Pages) {
            bytes.u64(k.json, (k.get)(c).wrapping_mul(c.page_size));
        }
        bytes.end();
        o.str(
            "events_since",
            if prev.is_some() { "previous" } else { "boot" },
        );
        let mut ev = o.object("events");
        for k in COUNTERS.iter().filter(|k| k.kind == Kind::Events) {
            ev.u64(k.json, delta(k, c, prev));
        }
        ev.end();
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(n: u64, width: usize) -> String {
        let mut s = String::new();
        pstat(&mut s, n, width);
        s
    }

    #[test]
    fn overflow_rule() {
        assert_eq!(cell(0, 8), "       0 ");
        assert_eq!(cell(99_999_999, 8), "99999999 ");
        assert_eq!(cell(123_456_789, 8), " 123456K ");
        assert_eq!(cell(9_999_999_999, 8), "9999999K ");
        assert_eq!(cell(10_000_000_000, 8), "  10000M ");
        assert_eq!(cell(12_345_678_901_234, 8), "  12345G ");
        assert_eq!(cell(u64::MAX, 8), "18446744073G ");
        assert_eq!(cell(12_345_678_901, 11), "12345678901 ");
        assert_eq!(cell(123_456_789_012, 11), " 123456789K ");
        assert_eq!(cell(1_234_567_890, 9), " 1234567K ");
    }

    #[test]
    fn titles_fit_the_column_widths() {
        let widths = [
            8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 11, 9, 8, 8, 8, 8, 8, 8, 8, 8,
        ];
        let mut expect = String::new();
        for (i, t) in TITLES.split_whitespace().enumerate() {
            if i > 0 {
                expect.push(' ');
            }
            let _ = write!(expect, "{t:>w$}", w = widths[i]);
        }
        assert_eq!(expect, TITLES);
    }
}
