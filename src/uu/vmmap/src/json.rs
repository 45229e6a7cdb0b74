//! `vmmap --json`: the same report as data (docs/json.md, "vmmap"). Regions are coalesced
//! as in the text unless `-noCoalesce`; the summary is built from the same regions as the
//! text's; sizes are always bytes (`-pages`, `-w`, `-interleaved` and `-summary` shape only
//! the text).

use crate::model::{prot_text, Region, Zone};
use crate::render::{coalesce, Options, Report};
use crate::summary::{Summary, TypeRow};
use memtools_core::json::{array, Obj, SCHEMA_VERSION};

fn prot(p: u8) -> String {
    String::from_utf8_lossy(&prot_text(p)).into_owned()
}

fn region(r: &Region) -> String {
    Obj::new()
        .u64("start", r.start)
        .u64("end", r.end)
        .str("type", &r.kind)
        .str("detail", &r.detail)
        .str("protection", &prot(r.prot))
        .str("max_protection", &prot(r.max_prot))
        .str("share_mode", r.share.code())
        .opt_str("purge", r.purge.map(|p| p.code()))
        .bool("writable", r.writable())
        .u64("virtual", r.vsize())
        .u64("resident", r.resident)
        .u64("dirty", r.dirty)
        .u64("swapped", r.swapped)
        .finish()
}

fn type_row(r: &TypeRow, name: &str) -> String {
    Obj::new()
        .str("type", name)
        .u64("virtual", r.virtual_size)
        .u64("resident", r.resident)
        .u64("dirty", r.dirty)
        .u64("swapped", r.swapped)
        .u64("volatile", r.volatile)
        .u64("nonvolatile", r.nonvolatile)
        .u64("empty", r.empty)
        .u64("region_count", r.count)
        .finish()
}

fn zone(z: &Zone) -> String {
    Obj::new()
        .str("name", &z.name)
        .u64("virtual", z.virtual_size)
        .u64("resident", z.resident)
        .u64("dirty", z.dirty)
        .u64("swapped", z.swapped)
        .u64("allocation_count", z.allocation_count)
        .u64("bytes_allocated", z.bytes_allocated)
        .u64("region_count", z.region_count)
        .finish()
}

/// The whole report as one JSON object on one line.
pub fn render_json(rep: &Report, o: &Options, out: &mut String) {
    let h = &rep.header;
    let process = Obj::new()
        .str("name", &h.process)
        .u64("pid", h.pid as u64)
        .str("path", &h.path)
        .opt_u64("load_address", h.load_address)
        .str("identifier", &h.identifier)
        .str("version", &h.version)
        .str("code_type", &h.code_type)
        .str("platform", &h.platform)
        .str("parent_name", &h.parent)
        .u64("parent_pid", h.ppid as u64)
        .str("date_time", &h.date_time)
        .str("launch_time", &h.launch_time)
        .str("os_version", &h.os_version)
        .u64("physical_footprint", h.footprint)
        .u64("physical_footprint_peak", h.footprint_peak)
        .u64("bits", h.bits as u64)
        .u64("page_size", h.page_size)
        .finish();
    let shown = if o.no_coalesce {
        rep.regions.clone()
    } else {
        coalesce(&rep.regions)
    };
    let s = Summary::from_regions(&rep.regions, rep.zones.clone(), o.sort_by_size);
    let mut total = TypeRow::default();
    for r in &s.rows {
        total = sum(&total, r);
    }
    let summary = Obj::new()
        .u64("readonly_libraries_total", s.readonly_total)
        .u64("readonly_libraries_resident", s.readonly_resident)
        .u64("writable_total", s.writable_total)
        .u64("writable_written", s.writable_written)
        .u64("writable_resident", s.writable_resident)
        .u64("writable_swapped", s.writable_swapped)
        .raw("types", &array(s.rows.iter().map(|r| type_row(r, &r.name))))
        .raw("total", &type_row(&total, "TOTAL"))
        .raw("malloc_zones", &array(s.zones.iter().map(zone)))
        .finish();
    let mut top = Obj::new();
    top.u64("schema_version", SCHEMA_VERSION as u64)
        .str("tool", "vmmap")
        .raw("process", &process)
        .bool("coalesced", !o.no_coalesce)
        .raw("regions", &array(shown.iter().map(region)))
        .raw("summary", &summary);
    out.push_str(&top.finish());
    out.push('\n');
}

fn sum(a: &TypeRow, b: &TypeRow) -> TypeRow {
    TypeRow {
        name: String::new(),
        virtual_size: a.virtual_size.saturating_add(b.virtual_size),
        resident: a.resident.saturating_add(b.resident),
        dirty: a.dirty.saturating_add(b.dirty),
        swapped: a.swapped.saturating_add(b.swapped),
        volatile: a.volatile.saturating_add(b.volatile),
        nonvolatile: a.nonvolatile.saturating_add(b.nonvolatile),
        empty: a.empty.saturating_add(b.empty),
        count: a.count.saturating_add(b.count),
    }
}
