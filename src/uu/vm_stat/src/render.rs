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

/// The one-shot lines: label and value, in Apple's order.
pub fn snapshot_lines(c: &VmCounters) -> [(&'static str, u64); 22] {
    [
        ("Pages free:", c.free),
        ("Pages active:", c.active),
        ("Pages inactive:", c.inactive),
        ("Pages speculative:", c.speculative),
        ("Pages throttled:", c.throttled),
        ("Pages wired down:", c.wired),
        ("Pages purgeable:", c.purgeable),
        ("\"Translation faults\":", c.faults),
        ("Pages copy-on-write:", c.cow_faults),
        ("Pages zero filled:", c.zero_filled),
        ("Pages reactivated:", c.reactivated),
        ("Pages purged:", c.purged),
        ("File-backed pages:", c.file_backed),
        ("Anonymous pages:", c.anonymous),
        ("Pages stored in compressor:", c.stored_in_compressor),
        ("Pages occupied by compressor:", c.occupied_by_compressor),
        ("Decompressions:", c.decompressions),
        ("Compressions:", c.compressions),
        ("Pageins:", c.pageins),
        ("Pageouts:", c.pageouts),
        ("Swapins:", c.swapins),
        ("Swapouts:", c.swapouts),
    ]
}

/// One-shot mode: the header and 22 lines of `%-30s %16llu.`.
pub fn render_snapshot(c: &VmCounters, out: &mut String) {
    header(c, out);
    for (label, value) in snapshot_lines(c) {
        let _ = writeln!(out, "{label:<30} {value:>16}.");
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
        let last = &self.last;
        // Deltas are unsigned 64-bit differences as in Apple's vm_stat: a counter that went
        // backwards shows as a huge (G) value there, and wrapping keeps that identical.
        let d = |now: u64, before: u64| now.wrapping_sub(before);
        let cells: [(u64, usize); 22] = [
            (cur.free, 8),
            (cur.active, 8),
            (cur.speculative, 8),
            (cur.inactive, 8),
            (cur.throttled, 8),
            (cur.wired, 8),
            (cur.purgeable, 8),
            (d(cur.faults, last.faults), 8),
            (d(cur.cow_faults, last.cow_faults), 8),
            (d(cur.zero_filled, last.zero_filled), 8),
            (d(cur.reactivated, last.reactivated), 8),
            (d(cur.purged, last.purged), 8),
            (cur.file_backed, 11),
            (cur.anonymous, 9),
            (cur.stored_in_compressor, 8),
            (cur.occupied_by_compressor, 8),
            (d(cur.decompressions, last.decompressions), 8),
            (d(cur.compressions, last.compressions), 8),
            (d(cur.pageins, last.pageins), 8),
            (d(cur.pageouts, last.pageouts), 8),
            (d(cur.swapins, last.swapins), 8),
            (d(cur.swapouts, last.swapouts), 8),
        ];
        for (value, width) in cells {
            pstat(out, value, width);
        }
        out.push('\n');
        self.last = *cur;
    }
}

/// The counters `--json` reports in bytes (page counts times the page size), in Apple's
/// order, with their JSON names.
pub fn json_gauges(c: &VmCounters) -> [(&'static str, u64); 11] {
    [
        ("free", c.free),
        ("active", c.active),
        ("inactive", c.inactive),
        ("speculative", c.speculative),
        ("throttled", c.throttled),
        ("wired", c.wired),
        ("purgeable", c.purgeable),
        ("file_backed", c.file_backed),
        ("anonymous", c.anonymous),
        ("stored_in_compressor", c.stored_in_compressor),
        ("occupied_by_compressor", c.occupied_by_compressor),
    ]
}

/// The event counters `--json` reports as counts (they count faults and page
/// operations, not resident memory), in Apple's order, with their JSON names.
pub fn json_events(c: &VmCounters) -> [(&'static str, u64); 11] {
    [
        ("faults", c.faults),
        ("cow_faults", c.cow_faults),
        ("zero_filled", c.zero_filled),
        ("reactivated", c.reactivated),
        ("purged", c.purged),
        ("decompressions", c.decompressions),
        ("compressions", c.compressions),
        ("pageins", c.pageins),
        ("pageouts", c.pageouts),
        ("swapins", c.swapins),
        ("swapouts", c.swapouts),
    ]
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
        let mut bytes = o.object("bytes");
        for (k, pages) in json_gauges(c) {
            bytes.u64(k, pages.wrapping_mul(c.page_size));
        }
        bytes.end();
        o.str(
            "events_since",
            if prev.is_some() { "previous" } else { "boot" },
        );
        let before = prev.map(json_events);
        let mut ev = o.object("events");
        for (i, (k, n)) in json_events(c).into_iter().enumerate() {
            let d = match &before {
                Some(b) => n.wrapping_sub(b[i].1),
                None => n,
            };
            ev.u64(k, d);
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
