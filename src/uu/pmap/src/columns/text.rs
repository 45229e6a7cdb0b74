//! The `-X`/`-XX`/rc text: the header (written before the first row, widening the base
//! columns to their titles) and the rows. The footer is in [`super::footer`].

use super::mapping::{Rec, DESC, DEV, INODE, OFFSET, PERM, START};
use super::passes::{measure, second_pass, Measured};
use super::{footer, shown_name, BaseOn, BaseWidths, Columns, Fatal, XState};
use memtools_core::Sink;
use memtools_platform::procmaps::scan::SmapsSource;
use std::io::Write;

/// Prints one process in the `-X`/`-XX`/rc format.
pub fn render<S: SmapsSource, W: Write>(
    src: &mut S,
    st: &mut XState,
    cols: &Columns,
    out: &mut Sink<W>,
) -> Result<(), Fatal> {
    let on = BaseOn::from(cols);
    let Measured { mut bw, replay } = measure(src, st, cols, cols.quiet)?;
    let mut rows = Rows {
        on,
        show_path: cols.show_path,
        header: !cols.quiet,
        bw: &mut bw,
        slots: st.fields.iter().map(|f| f.last.clone()).collect(),
    };
    second_pass(src, st, cols, replay, |st, rec| rows.row(st, rec, out))?;
    footer::footer(st, &on, &bw, cols.quiet, out);
    Ok(())
}

/// Prints rows (pass 2).
struct Rows<'s> {
    on: BaseOn,
    show_path: bool,
    /// The header is still to be printed (not with `-q`).
    header: bool,
    bw: &'s mut BaseWidths,
    /// Pass 2's value slots (see `Field::last`): they start as pass 1 left them and take
    /// each value a row has; a row without a trailing field prints the slot.
    slots: Vec<Vec<u8>>,
}

impl Rows<'_> {
    fn row<W: Write>(&mut self, st: &mut XState, rec: &Rec, o: &mut Sink<W>) {
        if std::mem::take(&mut self.header) {
            self.header(st, o);
        }
        let bw = &*self.bw;
        let t = &rec.text;
        o.right(&t[START], bw.addr);
        for (on, v, w) in [
            (self.on.perm, &t[PERM], bw.perm),
            (self.on.off, &t[OFFSET], bw.off),
            (self.on.dev, &t[DEV], bw.dev),
            (self.on.inode, &t[INODE], bw.inode),
        ] {
            if on {
                o.byte(b' ');
                o.right(v, w);
            }
        }
        for (i, (f, slot)) in st.fields.iter().zip(self.slots.iter_mut()).enumerate() {
            if i < rec.ends.len() {
                slot.clear();
                slot.extend_from_slice(rec.value(i));
            }
            o.byte(b' ');
            o.right(slot, f.width);
        }
        if self.on.vmflags && st.has_vmflags {
            o.byte(b' ');
            o.right(
                if rec.has_flags { &rec.flags } else { b"" },
                st.vmflags_width,
            );
        }
        if self.on.mapping {
            o.byte(b' ');
            o.bytes(shown_name(&t[DESC], self.show_path));
        }
        o.byte(b'\n');
        o.maybe_flush();
    }

    fn header<W: Write>(&mut self, st: &mut XState, o: &mut Sink<W>) {
        fn item<W: Write>(o: &mut Sink<W>, w: &mut usize, word: &[u8]) {
            *w = (*w).max(word.len());
            o.right(word, *w);
            o.byte(b' ');
        }
        let bw = &mut *self.bw;
        item(o, &mut bw.addr, b"Address");
        for (on, w, word) in [
            (self.on.perm, &mut bw.perm, &b"Perm"[..]),
            (self.on.off, &mut bw.off, b"Offset"),
            (self.on.dev, &mut bw.dev, b"Device"),
            (self.on.inode, &mut bw.inode, b"Inode"),
        ] {
            if on {
                item(o, w, word);
            }
        }
        for f in st.fields.iter_mut() {
            f.width = f.width.max(f.name.len());
            o.right(&f.name, f.width);
            o.byte(b' ');
        }
        if self.on.vmflags && st.has_vmflags {
            item(o, &mut st.vmflags_width, b"VmFlags");
        }
        if self.on.mapping {
            o.bytes(b"Mapping");
        }
        o.byte(b'\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use memtools_platform::procmaps::scan::Scanner;

    /// The replay records and the re-reading second pass print the same bytes.
    #[test]
    fn replay_equals_reread() {
        let smaps = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../tests/fixtures/pmap/basic/smaps"
        ))
        .unwrap_or_default();
        assert!(!smaps.is_empty());
        for (x_level, quiet) in [(1, false), (2, false), (2, true)] {
            let cols = Columns {
                x_level,
                quiet,
                ..Default::default()
            };
            let mut outs = Vec::new();
            for budget in [None, Some(0)] {
                let mut src = Scanner::new(std::io::Cursor::new(smaps.clone()));
                let mut st = XState::default();
                if let Some(b) = budget {
                    st.budget = b;
                }
                let mut out = Sink::new(Vec::new());
                let r = render(&mut src, &mut st, &cols, &mut out);
                assert!(r.is_ok());
                outs.push(out.into_inner());
            }
            assert!(outs[0].len() > 1000);
            assert_eq!(outs[0], outs[1]);
        }
    }
}
