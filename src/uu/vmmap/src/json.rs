//! `vmmap --json`: the same report as data (docs/json.md, "vmmap"). Regions are coalesced
//! as in the text unless `-noCoalesce`; the summary is built from the same regions as the
//! text's; sizes are always bytes (`-pages`, `-w`, `-interleaved` and `-summary` shape only
//! the text).

use crate::model::{prot_text, Region, Zone};
use crate::render::{coalesce, Options, Report};
use crate::summary::{Summary, TypeRow};
use memtools_core::json::{line, Json, SCHEMA_VERSION};

fn prot(p: u8) -> String {
    String::from_utf8_lossy(&prot_text(p)).into_owned()
}

fn region(o: &mut Json<'_>, r: &Region) {
    let mut e = o.element();
    e.u64("start", r.start)
        .u64("end", r.end)
        .str("type", &r.kind)
        .str("detail", &r.detail)
        .str("protection", &prot(r.prot))
        .str("max_protection", &prot(r.max_prot))
        .str("share_mode", r.share.code())
        .opt_str("purge", r.purge.map(|p| p.code()))
        .bool("writable", r.writable())
        .u64("virtual", r.vsize())
        .u64("resident", r.sizes.resident)
        .u64("dirty", r.sizes.dirty)
        .u64("swapped", r.sizes.swapped);
    e.end();
}

fn type_row(o: &mut Json<'_>, r: &TypeRow, name: &str) {
    o.str("type", name)
        .u64("virtual", r.virtual_size)
        .u64("resident", r.sizes.resident)
        .u64("dirty", r.sizes.dirty)
        .u64("swapped", r.sizes.swapped)
        .u64("volatile", r.sizes.volatile)
        .u64("nonvolatile", r.sizes.nonvolatile)
        .u64("empty", r.sizes.empty)
        .u64("region_count", r.count);
}

fn zone(o: &mut Json<'_>, z: &Zone) {
    let mut e = o.element();
    e.str("name", &z.name)
        .u64("virtual", z.virtual_size)
        .u64("resident", z.resident)
        .u64("dirty", z.dirty)
        .u64("swapped", z.swapped)
        .u64("allocation_count", z.allocation_count)
        .u64("bytes_allocated", z.bytes_allocated)
        .u64("region_count", z.region_count);
    e.end();
}

/// The whole report as one JSON object on one line.
pub fn render_json(rep: &Report, o: &Options, out: &mut Vec<u8>) {
    let h = &rep.header;
    let shown = if o.no_coalesce {
        rep.regions.clone()
    } else {
        coalesce(&rep.regions)
    };
    let s = Summary::from_regions(&rep.regions, rep.zones.clone(), o.sort_by_size);
    let mut total = TypeRow::default();
    for r in &s.rows {
        total.add(r);
    }
    line(out, |top| {
        top.u64("schema_version", u64::from(SCHEMA_VERSION))
            .str("tool", "vmmap");
        let mut p = top.object("process");
        p.str("name", &h.process)
            .u64("pid", u64::from(h.pid))
            .str("path", &h.path)
            .opt_u64("load_address", h.load_address)
            .str("identifier", &h.identifier)
            .str("version", &h.version)
            .str("code_type", &h.code_type)
            .str("platform", &h.platform)
            .str("parent_name", &h.parent)
            .u64("parent_pid", u64::from(h.ppid))
            .str("date_time", &h.date_time)
            .str("launch_time", &h.launch_time)
            .str("os_version", &h.os_version)
            .u64("physical_footprint", h.footprint)
            .u64("physical_footprint_peak", h.footprint_peak)
            .u64("bits", u64::from(h.bits))
            .u64("page_size", h.page_size);
        p.end();
        top.bool("coalesced", !o.no_coalesce);
        let mut regions = top.array("regions");
        for r in &shown {
            region(&mut regions, r);
        }
        regions.end();
        let mut sm = top.object("summary");
        sm.u64("readonly_libraries_total", s.readonly_total)
            .u64("readonly_libraries_resident", s.readonly_resident)
            .u64("writable_total", s.writable_total)
            .u64("writable_written", s.writable_written)
            .u64("writable_resident", s.writable_resident)
            .u64("writable_swapped", s.writable_swapped);
        let mut types = sm.array("types");
        for r in &s.rows {
            let mut e = types.element();
            type_row(&mut e, r, &r.name);
            e.end();
        }
        types.end();
        let mut t = sm.object("total");
        type_row(&mut t, &total, "TOTAL");
        t.end();
        let mut zones = sm.array("malloc_zones");
        for z in &s.zones {
            zone(&mut zones, z);
        }
        zones.end();
        sm.end();
    });
}
