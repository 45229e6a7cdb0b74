//! One mapping as the `-X` formats print it ([`Rec`]), assembled from the scanner's smaps
//! records ([`read_mappings`]).

use super::{Columns, Fatal, Field, XState};
use memtools_platform::procmaps::scan::{MappingText, SmapsRecord, SmapsSource};

/// Where each string of the mapping line is in [`Rec::text`].
pub(super) const START: usize = 0;
pub(super) const PERM: usize = 1;
pub(super) const OFFSET: usize = 2;
pub(super) const DEV: usize = 3;
pub(super) const INODE: usize = 4;
/// The name (at most 127 bytes: procps's `%127[^\n]`).
pub(super) const DESC: usize = 5;
/// The rest of the name when it is longer (`--json` shows the whole name).
pub(super) const TAIL: usize = 6;

/// One mapping: the mapping line's strings, the enabled fields' original digit strings,
/// and the VmFlags text.
#[derive(Default)]
pub(super) struct Rec {
    /// The mapping line's strings ([`START`] to [`TAIL`]).
    pub text: [Vec<u8>; 7],
    /// Concatenated value strings; `ends[i]` is where value `i` ends.
    pub vals: Vec<u8>,
    pub ends: Vec<usize>,
    pub flags: Vec<u8>,
    pub has_flags: bool,
}

impl Rec {
    pub fn clear(&mut self) {
        for v in &mut self.text {
            v.clear();
        }
        self.vals.clear();
        self.ends.clear();
        self.flags.clear();
        self.has_flags = false;
    }

    fn set_mapping(&mut self, m: &MappingText<'_>) {
        self.clear();
        let parts = [m.start, m.perm, m.offset, m.dev, m.inode, m.desc, m.tail];
        for (dst, src) in self.text.iter_mut().zip(parts) {
            dst.extend_from_slice(src);
        }
    }

    /// Value `i`'s digit string.
    pub fn value(&self, i: usize) -> &[u8] {
        let s = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.vals[s..self.ends[i]]
    }
}

/// A digit string as C `strtoul` reads it (saturating at `u64::MAX`).
pub(super) fn dec_saturating(s: &[u8]) -> u64 {
    let mut v: u64 = 0;
    for &b in s {
        match v
            .checked_mul(10)
            .and_then(|x| x.checked_add(u64::from(b.wrapping_sub(b'0'))))
        {
            Some(x) => v = x,
            None => return u64::MAX,
        }
    }
    v
}

/// Reads every mapping of `src` into `rec` and calls `each` after each one. `measuring`
/// (pass 1) builds the field list on the run's first mapping and keeps each column's last
/// value; otherwise (pass 2 reading the file again) names are only checked. Fatal: a
/// mapping line that does not convert six strings (`Unknown format`), and a field that is
/// not the list's next one (`inconsistent detail field`).
pub(super) fn read_mappings<S: SmapsSource>(
    src: &mut S,
    st: &mut XState,
    cols: &Columns,
    measuring: bool,
    rec: &mut Rec,
    mut each: impl FnMut(&mut XState, &Rec),
) -> Result<(), Fatal> {
    // The detail-field sequence seen so far, with each field's enabled state: the kernel
    // repeats one sequence, so this saves looking names up.
    let mut seq: Vec<(Vec<u8>, bool)> = Vec::new();
    let mut open = false;
    let mut building = false;
    let mut k = 0;
    while let Some(r) = src.next_smaps()? {
        match r {
            SmapsRecord::Mapping(m) => {
                if open {
                    st.established = true;
                    each(st, rec);
                }
                if m.converted < 6 {
                    return Err(Fatal::Format);
                }
                rec.set_mapping(&m);
                building = measuring && !st.established;
                k = 0;
                open = true;
            }
            SmapsRecord::Detail(d) if open => {
                let enabled = match seq.get(k) {
                    Some((n, e)) if n.as_slice() == d.name => *e,
                    _ => {
                        let e = cols.enabled(d.name);
                        if k == seq.len() {
                            seq.push((d.name.to_vec(), e));
                        }
                        e
                    }
                };
                k += 1;
                if !enabled {
                    continue;
                }
                let idx = rec.ends.len();
                if building {
                    st.fields.push(Field::new(d.name, d.kb));
                } else if st.fields.get(idx).map(|f| f.name.as_slice()) != Some(d.name) {
                    return Err(Fatal::Inconsistent(d.line.to_vec()));
                }
                if measuring {
                    if let Some(f) = st.fields.get_mut(idx) {
                        f.last.clear();
                        f.last.extend_from_slice(d.value);
                    }
                }
                rec.vals.extend_from_slice(d.value);
                rec.ends.push(rec.vals.len());
            }
            SmapsRecord::VmFlags(f) if open => {
                rec.flags.extend_from_slice(f);
                rec.has_flags = true;
                open = false;
                st.established = true;
                each(st, rec);
            }
            // (Never: the scanner's first record is a mapping line, and so is the one
            // after VmFlags.)
            SmapsRecord::Detail(_) | SmapsRecord::VmFlags(_) => {}
        }
    }
    if open {
        st.established = true;
        each(st, rec);
    }
    Ok(())
}
