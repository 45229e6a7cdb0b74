//! The "==== Summary" part of the report: the two totals lines, the per-type table and the
//! MALLOC ZONE table (docs/vmmap.md, "Summary" and "Layout choices"). Aggregation ([`Summary::from_regions`]) is separate from
//! rendering, so the renderer can be checked against real captures from their figures.

use crate::format::{percent, size, size_string};
use crate::model::{Region, ShareMode, Sizes, Zone};
use std::fmt::Write;

/// One row of the per-type table. Sizes in bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TypeRow {
    pub name: String,
    pub virtual_size: u64,
    /// The regions' sizes, summed.
    pub sizes: Sizes,
    /// Regions before coalescing.
    pub count: u64,
}

impl TypeRow {
    /// Adds another row's figures (the name stays).
    pub fn add(&mut self, o: &TypeRow) {
        self.virtual_size = self.virtual_size.saturating_add(o.virtual_size);
        self.sizes = self.sizes.saturating_add(o.sizes);
        self.count = self.count.saturating_add(o.count);
    }

    /// This row's figures less another's, saturating at 0 (unnamed).
    fn sub(&self, o: &TypeRow) -> TypeRow {
        TypeRow {
            name: String::new(),
            virtual_size: self.virtual_size.saturating_sub(o.virtual_size),
            sizes: self.sizes.saturating_sub(o.sizes),
            count: self.count.saturating_sub(o.count),
        }
    }
}

/// Everything the summary prints.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub readonly_total: u64,
    pub readonly_resident: u64,
    pub writable_total: u64,
    pub writable_written: u64,
    pub writable_resident: u64,
    pub writable_swapped: u64,
    pub rows: Vec<TypeRow>,
    pub zones: Vec<Zone>,
}

const RESERVED: &str = " (reserved)";

impl Summary {
    /// Aggregates regions (before coalescing). `by_size` is `-s`: rows by dirty+swapped,
    /// largest first, instead of by name.
    pub fn from_regions(regions: &[Region], zones: Vec<Zone>, by_size: bool) -> Summary {
        let mut s = Summary {
            zones,
            ..Default::default()
        };
        let mut rows: std::collections::BTreeMap<&[u8], TypeRow> = Default::default();
        for r in regions {
            let row = rows.entry(r.kind.as_bytes()).or_insert_with(|| TypeRow {
                name: r.kind.clone(),
                ..Default::default()
            });
            row.add(&TypeRow {
                name: String::new(),
                virtual_size: r.vsize(),
                sizes: r.sizes,
                count: 1,
            });
            let sz = &r.sizes;
            if r.kind == "__TEXT" || r.kind == "__LINKEDIT" {
                s.readonly_total = s.readonly_total.saturating_add(r.vsize());
                s.readonly_resident = s.readonly_resident.saturating_add(sz.resident);
            }
            if r.writable() && !r.exclude_from_writable {
                s.writable_total = s.writable_total.saturating_add(r.vsize());
                s.writable_resident = s.writable_resident.saturating_add(sz.resident);
                s.writable_swapped = s.writable_swapped.saturating_add(sz.swapped);
                if r.share != ShareMode::Shared {
                    s.writable_written = s.writable_written.saturating_add(sz.dirty);
                }
            }
        }
        // BTreeMap on bytes = strcmp order.
        s.rows = rows.into_values().collect();
        if by_size {
            s.rows.sort_by(|a, b| {
                let ka = a.sizes.dirty.saturating_add(a.sizes.swapped);
                let kb = b.sizes.dirty.saturating_add(b.sizes.swapped);
                kb.cmp(&ka)
                    .then_with(|| a.name.as_bytes().cmp(b.name.as_bytes()))
            });
        }
        s
    }
}

/// The two totals lines ("ReadOnly portion of Libraries", "Writable regions").
pub fn render_totals(s: &Summary, out: &mut String) {
    let ro_rest = s.readonly_total.saturating_sub(s.readonly_resident);
    let _ = writeln!(
        out,
        "ReadOnly portion of Libraries: Total={} resident={}({}%) swapped_out_or_unallocated={}({}%)",
        size_string(s.readonly_total),
        size_string(s.readonly_resident),
        percent(s.readonly_resident, s.readonly_total),
        size_string(ro_rest),
        percent(ro_rest, s.readonly_total),
    );
    let t = s.writable_total;
    let unalloc = t
        .saturating_sub(s.writable_resident)
        .saturating_sub(s.writable_swapped);
    let _ = writeln!(
        out,
        "Writable regions: Total={} written={}({}%) resident={}({}%) swapped_out={}({}%) unallocated={}({}%)",
        size_string(t),
        size_string(s.writable_written),
        percent(s.writable_written, t),
        size_string(s.writable_resident),
        percent(s.writable_resident, t),
        size_string(s.writable_swapped),
        percent(s.writable_swapped, t),
        size_string(unalloc),
        percent(unalloc, t),
    );
}

/// How the size columns are shown: bytes (formatted) or page counts (`-pages`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Units {
    Bytes,
    Pages(u64),
}

impl Units {
    fn cell(self, bytes: u64, out: &mut String) {
        match self {
            Units::Bytes => size(bytes, out),
            Units::Pages(p) => {
                let _ = write!(out, "{}", bytes / p.max(1));
            }
        }
    }
}

fn name_cell(name: &str) -> String {
    // Names over 30 characters were never observed; truncate (on a char boundary).
    let mut end = name.len().min(30);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    format!("{:<31}", &name[..end])
}

/// The per-type table with its TOTAL row(s), and a "TOTAL, minus reserved VM space" row
/// when reserved regions exist.
pub fn render_type_table(s: &Summary, units: Units, out: &mut String) {
    let w = match units {
        Units::Bytes => 8,
        Units::Pages(_) => 10,
    };
    let unit_word = match units {
        Units::Bytes => "SIZE",
        Units::Pages(_) => "PAGES",
    };
    let line = |out: &mut String, name: &str, cols: &[&str], last: &str, tail: &str| {
        out.push_str(&name_cell(name));
        for c in cols {
            let _ = write!(out, "{c:>w$} ");
        }
        let _ = write!(out, "{last:>8} ");
        out.push_str(tail);
        out.push('\n');
    };
    let titles = [
        "VIRTUAL", "RESIDENT", "DIRTY", "SWAPPED", "VOLATILE", "NONVOL", "EMPTY",
    ];
    line(out, "", &titles, "REGION", "");
    line(
        out,
        "REGION TYPE",
        &[unit_word; 7],
        "COUNT",
        "(non-coalesced) ",
    );
    let seps = [
        "=======", "========", "=====", "=======", "========", "======", "=====",
    ];
    let sep = |out: &mut String| line(out, "===========", &seps, "=======", "");
    sep(out);
    let mut total = TypeRow::default();
    let mut reserved = TypeRow::default();
    let mut any_reserved = false;
    let mut cells: Vec<String> = Vec::with_capacity(7);
    let mut row = |out: &mut String, r: &TypeRow, name: &str, tail: &str| {
        cells.clear();
        let z = &r.sizes;
        for v in [
            r.virtual_size,
            z.resident,
            z.dirty,
            z.swapped,
            z.volatile,
            z.nonvolatile,
            z.empty,
        ] {
            let mut c = String::new();
            units.cell(v, &mut c);
            cells.push(c);
        }
        let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
        line(out, name, &refs, &r.count.to_string(), tail);
    };
    for r in &s.rows {
        let tail = if r.name.starts_with("MALLOC_") {
            "        see MALLOC ZONE table below"
        } else if r.name.ends_with(RESERVED) {
            "        reserved VM address space (unallocated)"
        } else {
            ""
        };
        if !r.name.starts_with("MALLOC_") && r.name.ends_with(RESERVED) {
            any_reserved = true;
            reserved.add(r);
        }
        total.add(r);
        // The suffix lines have no trailing space after the count's field separator
        // beyond the one the format always prints.
        row(out, r, &r.name, tail);
    }
    sep(out);
    row(out, &total, "TOTAL", "");
    if any_reserved {
        row(
            out,
            &total.sub(&reserved),
            "TOTAL, minus reserved VM space",
            "",
        );
    }
}

/// The MALLOC ZONE table. With no zones only the three header lines are printed.
pub fn render_zone_table(zones: &[Zone], units: Units, out: &mut String) {
    let w = zones.iter().map(|z| z.name.len()).max().unwrap_or(0);
    let unit_word = match units {
        Units::Bytes => "SIZE",
        Units::Pages(_) => "PAGES",
    };
    let _ = writeln!(
        out,
        "{:<w$} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>7} {:>7}",
        "",
        "VIRTUAL",
        "RESIDENT",
        "DIRTY",
        "SWAPPED",
        "ALLOCATION",
        "BYTES",
        "DIRTY+SWAP",
        "",
        "REGION"
    );
    let _ = writeln!(
        out,
        "{:<w$} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>7} {:>7}",
        "MALLOC ZONE",
        unit_word,
        unit_word,
        unit_word,
        unit_word,
        "COUNT",
        "ALLOCATED",
        "FRAG SIZE",
        "% FRAG",
        "COUNT"
    );
    let sep = |out: &mut String| {
        let _ = writeln!(
            out,
            "{:<w$} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>7} {:>7}",
            "===========",
            "=======",
            "=========",
            "=========",
            "=========",
            "=========",
            "=========",
            "=========",
            "======",
            "======"
        );
    };
    sep(out);
    if zones.is_empty() {
        return;
    }
    let row = |out: &mut String, z: &Zone| {
        let used = z.dirty.saturating_add(z.swapped);
        let frag = used.saturating_sub(z.bytes_allocated);
        let pct = if used == 0 || frag == 0 {
            0
        } else {
            // ceil(100 * frag / used), in integers.
            (100u128 * frag as u128).div_ceil(used as u128) as u64
        };
        let c = |v: u64| {
            let mut s = String::new();
            units.cell(v, &mut s);
            s
        };
        let _ = writeln!(
            out,
            "{:<w$} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>7} {:>7}",
            z.name,
            c(z.virtual_size),
            c(z.resident),
            c(z.dirty),
            c(z.swapped),
            z.allocation_count,
            size_string(z.bytes_allocated),
            size_string(frag),
            format!("{pct}%"),
            z.region_count
        );
    };
    let mut total = Zone {
        name: "TOTAL".into(),
        ..Default::default()
    };
    for z in zones {
        row(out, z);
        total.virtual_size = total.virtual_size.saturating_add(z.virtual_size);
        total.resident = total.resident.saturating_add(z.resident);
        total.dirty = total.dirty.saturating_add(z.dirty);
        total.swapped = total.swapped.saturating_add(z.swapped);
        total.allocation_count = total.allocation_count.saturating_add(z.allocation_count);
        total.bytes_allocated = total.bytes_allocated.saturating_add(z.bytes_allocated);
        total.region_count = total.region_count.saturating_add(z.region_count);
    }
    sep(out);
    row(out, &total);
}
