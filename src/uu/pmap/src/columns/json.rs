//! The `-X`/`-XX`/rc formats as `--json` (docs/json.md, "pmap"): the field list, then the
//! text's rows as objects, then the footer's totals (kB fields in bytes).

use super::mapping::{dec_saturating, Rec, DESC, DEV, INODE, OFFSET, PERM, START, TAIL};
use super::passes::{measure, second_pass};
use super::{fatal_text, shown_name, BaseOn, Columns, Fatal, XState};
use crate::json::{dec, end_ok, end_unread, end_with_error, hex, kib};
use memtools_core::json::{Json, Suspended};
use memtools_core::Sink;
use memtools_platform::procmaps::scan::SmapsSource;
use std::io::Write;

/// Writes one process's `fields`, `mappings` and `totals` into its object (`top`, opened
/// by `json::begin`) and ends it. Pass 1 runs first, so a format error found there gives
/// an object without rows; an error while reading again in pass 2 closes the rows written
/// so far. Either way the object ends with `error`, and the error is returned for the
/// caller's message and status.
pub fn render<S: SmapsSource, W: Write>(
    src: &mut S,
    st: &mut XState,
    cols: &Columns,
    top: Suspended,
    out: &mut Sink<W>,
) -> Result<(), Fatal> {
    let measured = match measure(src, st, cols, false) {
        Ok(m) => m,
        Err(e) => {
            end_unread(out, top, true, &fatal_text(&e));
            return Err(e);
        }
    };
    let mut o = Json::resume(&mut out.buf, top);
    let mut fields = o.array("fields");
    for f in &st.fields {
        let mut e = fields.element();
        e.bytes("name", &f.name).bool("bytes", f.kb);
        e.end();
    }
    fields.end();
    let mut list = o.array("mappings").suspend();
    let top = o.suspend();
    let on = BaseOn::from(cols);
    let r = second_pass(src, st, cols, measured.replay, |st, rec| {
        let mut a = Json::resume(&mut out.buf, list);
        let mut e = a.element();
        row(st, rec, on, cols.show_path, &mut e);
        e.end();
        list = a.suspend();
        out.maybe_flush();
    });
    Json::resume(&mut out.buf, list).end();
    if let Err(e) = r {
        end_with_error(out, top, &fatal_text(&e));
        return Err(e);
    }
    let mut o = Json::resume(&mut out.buf, top);
    let mut totals = o.object("totals");
    for f in &st.fields {
        totals.u64_key(&f.key, if f.kb { kib(f.total) } else { f.total });
    }
    totals.end();
    let top = o.suspend();
    end_ok(out, top);
    Ok(())
}

/// One row: the text row's columns as data.
fn row(st: &XState, rec: &Rec, on: BaseOn, show_path: bool, o: &mut Json<'_>) {
    let t = &rec.text;
    o.opt_u64("address", hex(&t[START]));
    if on.perm {
        o.bytes("perms", &t[PERM]);
    }
    if on.off {
        o.opt_u64("offset", hex(&t[OFFSET]));
    }
    if on.dev {
        let dev = &t[DEV];
        let (major, minor) = match dev.iter().position(|&b| b == b':') {
            Some(c) => (hex(&dev[..c]), hex(&dev[c + 1..])),
            None => (None, None),
        };
        o.opt_u64("device_major", major)
            .opt_u64("device_minor", minor);
    }
    if on.inode {
        o.opt_u64("inode", dec(&t[INODE]));
    }
    let mut smaps = o.object("smaps");
    for (i, f) in st.fields.iter().enumerate().take(rec.ends.len()) {
        let v = dec_saturating(rec.value(i));
        smaps.u64_key(&f.key, if f.kb { kib(v) } else { v });
    }
    smaps.end();
    if on.vmflags {
        if rec.has_flags {
            let mut a = o.array("vm_flags");
            for fl in rec.flags.split(|&b| b == b' ').filter(|f| !f.is_empty()) {
                a.element_str(fl);
            }
            a.end();
        } else {
            o.null("vm_flags");
        }
    }
    if on.mapping {
        o.bytes("mapping", shown_name(&t[DESC], show_path));
        if t[TAIL].is_empty() {
            o.bytes("name", &t[DESC]);
        } else {
            o.bytes("name", &[&t[DESC][..], &t[TAIL]].concat());
        }
    }
}
