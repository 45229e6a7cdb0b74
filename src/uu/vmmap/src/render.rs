//! The whole vmmap report as a pure function of [`Report`] data (the layout: docs/vmmap.md,
//! "Layout choices").

use crate::format::size;
use crate::model::{prot_text, Header, Region, Zone};
use crate::summary::{render_totals, render_type_table, render_zone_table, Summary, Units};
use std::fmt::Write;

/// Everything needed to print a report.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub header: Header,
    /// All regions, sorted by start address, not coalesced.
    pub regions: Vec<Region>,
    pub zones: Vec<Zone>,
}

/// Output options (the flags).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    pub wide: bool,
    pub summary_only: bool,
    pub interleaved: bool,
    pub pages: bool,
    pub no_coalesce: bool,
    pub sort_by_size: bool,
    /// Terminal width for left-truncating REGION DETAIL (None: never truncate).
    pub width: Option<usize>,
}

const LEGEND: &str = "==== Legend\nSM=sharing mode:  \n\tCOW=copy_on_write PRV=private NUL=empty ALI=aliased \n\tSHM=shared ZER=zero_filled S/A=shared_alias\nPURGE=purgeable mode:  \n\tV=volatile N=nonvolatile E=empty   otherwise is unpurgeable\n\n";

/// Merges adjacent identical regions (same type, protections, sharing, purge state and
/// detail, contiguous addresses), summing their sizes.
pub fn coalesce(regions: &[Region]) -> Vec<Region> {
    let mut out: Vec<Region> = Vec::with_capacity(regions.len());
    for r in regions {
        if let Some(last) = out.last_mut() {
            if last.end == r.start
                && last.kind == r.kind
                && last.prot == r.prot
                && last.max_prot == r.max_prot
                && last.share == r.share
                && last.purge == r.purge
                && last.detail == r.detail
            {
                last.end = r.end;
                last.sizes = last.sizes.saturating_add(r.sizes);
                continue;
            }
        }
        out.push(r.clone());
    }
    out
}

/// Address column width. Apple's modern layout keeps 12 hex digits for START (right
/// aligned) and END (left aligned) on every line, whatever the addresses: shorter ones are
/// padded (Intel captures mix 9- and 12-digit addresses with `[` in the same column) and a
/// longer one (Linux's `[vsyscall]` at ffffffffff600000) overflows on its own line only,
/// as printf's `%12s` does. The header never changes.
const ADDR: usize = 12;

fn table_header(out: &mut String) {
    let a = ADDR;
    let _ = writeln!(
        out,
        "{:<24} {:>a$}-{:<a$} [{:>6}{:>7}{:>7}{:>7}] {:<7} {:<6} {:<8} REGION DETAIL",
        "REGION TYPE",
        "START ",
        " END",
        "VSIZE",
        "RSDNT",
        "DIRTY",
        "SWAP",
        "PRT/MAX",
        "SHRMOD",
        "PURGE",
    );
}

fn truncate24(s: &str) -> &str {
    let mut end = s.len().min(24);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Reusable cell buffers, so that printing a region allocates nothing.
#[derive(Default)]
struct Cells([String; 4]);

/// One region line, with its newline (the text of the region tables).
pub fn region_text(r: &Region, units: Units, width: Option<usize>) -> String {
    let mut out = String::new();
    region_line(r, units, width, &mut Cells::default(), &mut out);
    out
}

fn region_line(
    r: &Region,
    units: Units,
    width: Option<usize>,
    cells: &mut Cells,
    out: &mut String,
) {
    for (c, v) in
        cells
            .0
            .iter_mut()
            .zip([r.vsize(), r.sizes.resident, r.sizes.dirty, r.sizes.swapped])
    {
        c.clear();
        match units {
            Units::Bytes => size(v, c),
            Units::Pages(p) => {
                let _ = write!(c, "{}", v / p.max(1));
            }
        }
    }
    let (prt, max) = (prot_text(r.prot), prot_text(r.max_prot));
    let mut prot_bytes = [b'/'; 7];
    prot_bytes[..3].copy_from_slice(&prt);
    prot_bytes[4..].copy_from_slice(&max);
    let prot = std::str::from_utf8(&prot_bytes).unwrap_or("???/???");
    let [vsize, rsdnt, dirty, swap] = &cells.0;
    let a = ADDR;
    let start_len = out.len();
    let _ = write!(
        out,
        "{:<24} {:>a$x}-{:<a$x} [{:>6}{:>7}{:>7}{:>7}] {:<7} SM={:<3} {:<8} ",
        truncate24(&r.kind),
        r.start,
        r.end,
        vsize,
        rsdnt,
        dirty,
        swap,
        prot,
        r.share.code(),
        r.purge.map(|p| p.column()).unwrap_or(""),
    );
    let used = out.len() - start_len;
    match width {
        Some(w) if used + r.detail.len() > w && !r.detail.is_empty() => {
            // Keep the right end of the detail, marked with "...".
            let room = w.saturating_sub(used).saturating_sub(3);
            let mut cut = r.detail.len().saturating_sub(room);
            while !r.detail.is_char_boundary(cut) {
                cut += 1;
            }
            out.push_str("...");
            out.push_str(&r.detail[cut..]);
        }
        _ => out.push_str(&r.detail),
    }
    out.push('\n');
}

fn write_header(h: &Header, out: &mut String) {
    let l = |out: &mut String, label: &str, value: &str| {
        let _ = writeln!(out, "{label:<17}{value}");
    };
    l(out, "Process:", &format!("{} [{}]", h.process, h.pid));
    l(out, "Path:", &h.path);
    match h.load_address {
        Some(a) => l(out, "Load Address:", &format!("{a:#x}")),
        None => l(out, "Load Address:", "???"),
    }
    l(out, "Identifier:", &h.identifier);
    l(out, "Version:", &h.version);
    l(out, "Code Type:", &h.code_type);
    l(out, "Platform:", &h.platform);
    l(
        out,
        "Parent Process:",
        &format!("{} [{}]", h.parent, h.ppid),
    );
    // macOS 15.5 and later print this line (vmmap, leaks and sample alike); memtools
    // follows that modern header and always examines a live task.
    l(out, "Target Type:", "live task");
    out.push('\n');
    l(out, "Date/Time:", &h.date_time);
    l(out, "Launch Time:", &h.launch_time);
    l(out, "OS Version:", &h.os_version);
    l(out, "Report Version:", "7");
    l(out, "Analysis Tool:", &h.analysis_tool);
    out.push('\n');
    let f = |out: &mut String, label: &str, value: &str| {
        let _ = writeln!(out, "{label:<28}{value}");
    };
    let mut s = String::new();
    size(h.footprint, &mut s);
    f(out, "Physical footprint:", &s);
    s.clear();
    size(h.footprint_peak, &mut s);
    f(out, "Physical footprint (peak):", &s);
    f(out, "Idle exit:", "untracked");
    out.push_str("----\n\n");
}

/// Renders the report.
pub fn render(rep: &Report, o: &Options, out: &mut String) {
    let h = &rep.header;
    let units = if o.pages {
        Units::Pages(h.page_size.max(1))
    } else {
        Units::Bytes
    };
    write_header(h, out);
    if !o.summary_only {
        let _ = writeln!(
            out,
            "Virtual Memory Map of process {} ({})",
            h.pid, h.process
        );
        let _ = writeln!(out, "Output report format:  2.4  -- {}-bit process", h.bits);
        let _ = writeln!(out, "VM page size:  {} bytes", h.page_size);
        out.push('\n');
        let shown: std::borrow::Cow<[Region]> = if o.no_coalesce {
            std::borrow::Cow::Borrowed(&rep.regions)
        } else {
            std::borrow::Cow::Owned(coalesce(&rep.regions))
        };
        let mut cells = Cells::default();
        let width = if o.wide { None } else { o.width };
        if o.interleaved {
            let _ = writeln!(
                out,
                "==== regions for process {}  (non-writable and writable regions are interleaved)",
                h.pid
            );
            table_header(out);
            for r in shown.iter() {
                region_line(r, units, width, &mut cells, out);
            }
            out.push('\n');
        } else {
            for (title, writable) in [("Non-writable", false), ("Writable", true)] {
                let _ = writeln!(out, "==== {title} regions for process {}", h.pid);
                table_header(out);
                for r in shown.iter().filter(|r| r.writable() == writable) {
                    region_line(r, units, width, &mut cells, out);
                }
                out.push('\n');
            }
        }
        out.push_str(LEGEND);
        let _ = writeln!(out, "==== Summary for process {}", h.pid);
    }
    let summary = Summary::from_regions(&rep.regions, rep.zones.clone(), o.sort_by_size);
    render_totals(&summary, out);
    out.push('\n');
    render_type_table(&summary, units, out);
    out.push('\n');
    render_zone_table(&summary.zones, units, out);
    out.push('\n');
}
