//! The two passes procps makes over smaps for these formats: pass 1 measures (widths,
//! totals, the field list), pass 2 prints. Pass 2 prints from pass 1's replay records
//! when they fit in [`REPLAY_BUDGET`], and reads the file again otherwise, so memory stays
//! bounded for any number of mappings.

use super::mapping::{dec_saturating, read_mappings, Rec, DEV, INODE, OFFSET, PERM, START};
use super::replay::Replay;
use super::{BaseWidths, Columns, Fatal, XState};
use memtools_core::sink::digits;
use memtools_platform::procmaps::scan::SmapsSource;

/// How many bytes of replay records pass 1 may keep.
pub(super) const REPLAY_BUDGET: usize = 6 * 1024 * 1024;

/// What pass 1 found besides the run's [`XState`].
pub(super) struct Measured {
    pub bw: BaseWidths,
    pub replay: Replay,
}

/// Pass 1: the field list (on the run's first mapping), this process's totals, the field
/// widths (from the values with `quiet`, else from names and totals; they persist across
/// processes), the VmFlags width and the base column widths (per process).
pub(super) fn measure<S: SmapsSource>(
    src: &mut S,
    st: &mut XState,
    cols: &Columns,
    quiet: bool,
) -> Result<Measured, Fatal> {
    // Totals are per process (the procps-ng 4.0.4 fix; 4.0.2 accumulated them). The
    // VmFlags column is measured per process too.
    for f in st.fields.iter_mut() {
        f.total = 0;
    }
    st.has_vmflags = false;
    st.vmflags_width = 0;
    let mut bw = BaseWidths::default();
    let mut replay = Replay::new(st.budget);
    let mut rec = Rec::default();
    let mut scratch = Vec::with_capacity(512);
    read_mappings(src, st, cols, true, &mut rec, |st, rec| {
        let t = &rec.text;
        bw.addr = bw.addr.max(t[START].len());
        bw.perm = bw.perm.max(t[PERM].len());
        bw.off = bw.off.max(t[OFFSET].len());
        bw.dev = bw.dev.max(t[DEV].len());
        bw.inode = bw.inode.max(t[INODE].len());
        for (i, f) in st.fields.iter_mut().enumerate().take(rec.ends.len()) {
            let v = rec.value(i);
            // C `unsigned long` sum, wrapping as the original's does.
            f.total = f.total.wrapping_add(dec_saturating(v));
            if quiet {
                f.width = f.width.max(v.len());
            }
        }
        if rec.has_flags {
            st.has_vmflags = true;
            st.vmflags_width = st.vmflags_width.max(rec.flags.len());
        }
        if !replay.overflow {
            scratch.clear();
            rec.encode(&mut scratch);
            replay.push(&scratch);
        }
    })?;
    if !quiet {
        for f in st.fields.iter_mut() {
            f.width = f.width.max(f.name.len()).max(digits(f.total));
        }
    }
    Ok(Measured { bw, replay })
}

/// Pass 2: every mapping again, from the replay records or by reading `src` again.
pub(super) fn second_pass<S: SmapsSource>(
    src: &mut S,
    st: &mut XState,
    cols: &Columns,
    replay: Replay,
    mut each: impl FnMut(&mut XState, &Rec),
) -> Result<(), Fatal> {
    let mut rec = Rec::default();
    if replay.overflow {
        drop(replay);
        src.rewind()?;
        return read_mappings(src, st, cols, false, &mut rec, each);
    }
    for chunk in &replay.chunks {
        let mut p = 0;
        while p < chunk.len() {
            rec.decode(chunk, &mut p);
            each(st, &rec);
        }
    }
    Ok(())
}
