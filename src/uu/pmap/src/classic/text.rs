//! The default, `-x` and `-d` formats as text (docs/pmap.md, "Formats").

use super::rows::{rows, Plan, Row, Totals};
use crate::Format;
use memtools_core::Sink;
use memtools_platform::procmaps::scan::MapsSource;
use std::io::{self, Write};

/// Prints one process's header, rows and footer (with `-q`: rows only). An I/O error ends
/// the rows without a footer.
pub fn render<S: MapsSource, W: Write>(
    src: &mut S,
    plan: &Plan,
    out: &mut Sink<W>,
) -> io::Result<()> {
    if !plan.quiet {
        match plan.format {
            Format::Extended => {
                out.bytes(b"Address           Kbytes     RSS   Dirty Mode  Mapping\n")
            }
            Format::Device => {
                out.bytes(b"Address           Kbytes Mode  Offset           Device    Mapping\n")
            }
            _ => {}
        }
    }
    let t = rows(src, plan, |r| row(plan.format, r, out))?;
    if !plan.quiet {
        footer(plan.format, &t, out);
    }
    Ok(())
}

fn row<W: Write>(fmt: Format, r: &Row<'_>, out: &mut Sink<W>) {
    out.hex0(r.start, 16);
    out.byte(b' ');
    match fmt {
        Format::Extended => {
            let (rss, dirty) = r.rss_dirty.unwrap_or_default();
            out.dec(r.size >> 10, 7);
            out.byte(b' ');
            out.dec(rss, 7);
            out.byte(b' ');
            out.dec(dirty, 7);
            out.byte(b' ');
            out.right(r.mode, 5);
        }
        Format::Device => {
            out.dec(r.size >> 10, 7);
            out.byte(b' ');
            out.right(r.mode, 5);
            out.byte(b' ');
            out.hex0(r.offset, 16);
            out.byte(b' ');
            out.hex0(u64::from(r.major), 3);
            out.byte(b':');
            out.hex0(u64::from(r.minor), 5);
        }
        _ => {
            out.dec(r.size >> 10, 6);
            out.bytes(b"K ");
            out.bytes(r.mode);
        }
    }
    out.byte(b' ');
    out.bytes(r.mapping);
    out.byte(b'\n');
    out.maybe_flush();
}

/// The footer; sizes are printed as C's `%ld` of the unsigned sums shifted to KiB.
fn footer<W: Write>(fmt: Format, t: &Totals, out: &mut Sink<W>) {
    let kib = |v: u64| (v >> 10) as i64;
    match fmt {
        Format::Extended => {
            out.bytes(b"---------------- ------- ------- ------- \n");
            out.bytes(b"total kB         ");
            out.sdec(kib(t.mapped()), 7);
            out.byte(b' ');
            out.dec(t.rss, 7);
            out.byte(b' ');
            out.dec(t.dirty, 7);
            out.byte(b'\n');
        }
        Format::Device => {
            out.bytes(b"mapped: ");
            out.sdec(kib(t.mapped()), 0);
            out.bytes(b"K    writeable/private: ");
            out.sdec(kib(t.writeable_private), 0);
            out.bytes(b"K    shared: ");
            out.sdec(kib(t.shared), 0);
            out.bytes(b"K\n");
        }
        _ => {
            out.bytes(b" total ");
            out.sdec(kib(t.mapped()), 16);
            out.bytes(b"K\n");
        }
    }
}
