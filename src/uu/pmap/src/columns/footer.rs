//! The `-X`/`-XX`/rc footer: a rule of `=` under each field column and the field totals,
//! then `KB ` (not with `-q`, nor when there are no fields).

use super::{BaseOn, BaseWidths, XState};
use memtools_core::Sink;
use std::io::Write;

pub(super) fn footer<W: Write>(
    st: &XState,
    on: &BaseOn,
    bw: &BaseWidths,
    quiet: bool,
    out: &mut Sink<W>,
) {
    if quiet || st.fields.is_empty() {
        return;
    }
    // The field columns start after the address and the enabled base columns.
    let mut g = bw.addr + 1;
    for (on, w) in [
        (on.perm, bw.perm),
        (on.off, bw.off),
        (on.dev, bw.dev),
        (on.inode, bw.inode),
    ] {
        if on {
            g += w + 1;
        }
    }
    out.spaces(g);
    for f in &st.fields {
        out.buf.resize(out.buf.len() + f.width, b'=');
        out.byte(b' ');
    }
    out.byte(b'\n');
    out.spaces(g);
    for f in &st.fields {
        out.dec(f.total, f.width);
        out.byte(b' ');
    }
    out.bytes(b"KB \n");
}
