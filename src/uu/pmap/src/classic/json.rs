//! The default, `-x` and `-d` formats as `--json` (docs/json.md, "pmap"): the same rows
//! as the text, streamed into the output one by one.

use super::rows::{rows, Plan, Row, Totals};
use crate::json::{end_ok, end_with_error, kib};
use crate::Format;
use memtools_core::json::{Json, Suspended};
use memtools_core::Sink;
use memtools_platform::procmaps::scan::MapsSource;
use std::io::{self, Write};

/// Writes the `mappings` and `totals` of one process into its object (`top`, opened by
/// `json::begin`) and ends it. An I/O error ends the rows: the object then has
/// `"totals":null` and the error, which is also returned (exit status 1).
pub fn render<S: MapsSource, W: Write>(
    src: &mut S,
    plan: &Plan,
    top: Suspended,
    out: &mut Sink<W>,
) -> io::Result<()> {
    let mut o = Json::resume(&mut out.buf, top);
    let mut list = o.array("mappings").suspend();
    let top = o.suspend();
    let r = rows(src, plan, |r| {
        let mut a = Json::resume(&mut out.buf, list);
        let mut e = a.element();
        row(plan.format, r, &mut e);
        e.end();
        list = a.suspend();
        out.maybe_flush();
    });
    Json::resume(&mut out.buf, list).end();
    match r {
        Ok(t) => {
            let mut o = Json::resume(&mut out.buf, top);
            let mut tot = o.object("totals");
            totals(plan.format, &t, &mut tot);
            tot.end();
            let top = o.suspend();
            end_ok(out, top);
            Ok(())
        }
        Err(e) => {
            end_with_error(out, top, &memtools_core::out::io_strerror(&e));
            Err(e)
        }
    }
}

fn row(fmt: Format, r: &Row<'_>, o: &mut Json<'_>) {
    o.u64("address", r.start).u64("size", r.size);
    if let Some((rss, dirty)) = r.rss_dirty {
        o.u64("rss", kib(rss)).u64("dirty", kib(dirty));
    }
    if fmt == Format::Device {
        o.u64("offset", r.offset)
            .u64("device_major", u64::from(r.major))
            .u64("device_minor", u64::from(r.minor));
    }
    o.bytes("perms", r.perms)
        .bytes("mode", r.mode)
        .bytes("mapping", r.mapping)
        .bytes("name", r.name);
}

fn totals(fmt: Format, t: &Totals, o: &mut Json<'_>) {
    o.u64("size", t.mapped());
    match fmt {
        Format::Extended => {
            o.u64("rss", kib(t.rss)).u64("dirty", kib(t.dirty));
        }
        Format::Device => {
            o.u64("writeable_private", t.writeable_private)
                .u64("shared", t.shared);
        }
        _ => {}
    }
}
