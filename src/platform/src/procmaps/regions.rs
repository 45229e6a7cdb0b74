//! A process's regions (macOS, [`super::region_from_mach`]) as the records the
//! [`Scanner`](super::scan::Scanner) makes of maps/smaps text, so that pmap's formats read
//! them without any text in between. Each region is a mapping line that converts every
//! value, followed by its detail fields in order (`Size`, `Rss`, `Shared_Dirty`,
//! `Private_Dirty`, `Swap`, all kB); there is no `VmFlags` line.

use super::scan::{
    Detail, KeyLine, MapVars, MappingText, MapsLine, MapsRecord, MapsSource, SmapsRecord,
    SmapsSource,
};
use super::Region;
use memtools_core::sink::{fmt_dec, fmt_hex};
use std::io;

/// The records of a list of regions (see the module comment).
pub struct RegionRecords {
    regions: Vec<Region>,
    /// The region being read, and its record: 0 is its mapping line, `i + 1` its field `i`.
    at: usize,
    step: usize,
    vars: MapVars,
    /// The smaps grammar's strings of the current record: the mapping line's start,
    /// perms, offset, device and inode, or a field's value.
    text: Vec<u8>,
}

impl RegionRecords {
    pub fn new(regions: Vec<Region>) -> Self {
        RegionRecords {
            regions,
            at: 0,
            step: 0,
            vars: MapVars::default(),
            text: Vec::with_capacity(64),
        }
    }

    /// Moves to the next record: its step (0 for the mapping line), `None` after the last
    /// region.
    fn advance(&mut self) -> Option<usize> {
        while let Some(r) = self.regions.get(self.at) {
            if self.step <= r.fields.len() {
                self.step += 1;
                return Some(self.step - 1);
            }
            self.at += 1;
            self.step = 0;
        }
        None
    }
}

/// The `startstack` of macOS regions: the last byte of the first `[stack]` region (only
/// the main thread's stack is named so: [`super::region_from_mach`]), `u64::MAX` when
/// there is none. Its start would be wrong: it is also the end of the guard region below,
/// which the `[ stack ]` rule (`start <= startstack <= end`) would match too.
pub fn stack_address(regions: &[Region]) -> u64 {
    regions
        .iter()
        .find(|r| r.name == b"[stack]")
        .map_or(u64::MAX, |r| r.end.saturating_sub(1))
}

/// Appends `v` in hex, zero-padded to `width` digits (`%0*x`).
fn hex(out: &mut Vec<u8>, v: u64, width: usize) {
    let mut t = [0u8; 16];
    let s = fmt_hex(v, &mut t);
    out.resize(out.len() + width.saturating_sub(s.len()), b'0');
    out.extend_from_slice(s);
}

impl MapsSource for RegionRecords {
    fn next_maps(&mut self) -> io::Result<Option<MapsRecord<'_>>> {
        let Some(step) = self.advance() else {
            return Ok(None);
        };
        let r = &self.regions[self.at];
        if step == 0 {
            self.vars = MapVars::converted(
                r.start,
                r.end,
                r.perms,
                r.offset,
                (r.dev_major, r.dev_minor),
                r.inode,
            );
            return Ok(Some(MapsRecord::Mapping(MapsLine {
                vars: &mut self.vars,
                converted: 7,
                line: &r.name,
                name: Some(&r.name),
            })));
        }
        let (name, value) = &r.fields[step - 1];
        Ok(Some(MapsRecord::Key(KeyLine {
            field: Some((name, *value)),
            vars: &self.vars,
            buffer: b"",
        })))
    }
}

impl SmapsSource for RegionRecords {
    fn next_smaps(&mut self) -> io::Result<Option<SmapsRecord<'_>>> {
        let Some(step) = self.advance() else {
            return Ok(None);
        };
        let r = &self.regions[self.at];
        let t = &mut self.text;
        t.clear();
        if step == 0 {
            // As the kernel prints them: `%08lx`, `%08llx`, `%02x:%02x`, `%lu`.
            let mut ends = [0usize; 5];
            hex(t, r.start, 8);
            ends[0] = t.len();
            t.extend_from_slice(&r.perms);
            ends[1] = t.len();
            hex(t, r.offset, 8);
            ends[2] = t.len();
            hex(t, u64::from(r.dev_major), 2);
            t.push(b':');
            hex(t, u64::from(r.dev_minor), 2);
            ends[3] = t.len();
            t.extend_from_slice(fmt_dec(r.inode, &mut [0u8; 20]));
            ends[4] = t.len();
            let (desc, tail) = r.name.split_at(r.name.len().min(127));
            return Ok(Some(SmapsRecord::Mapping(MappingText {
                converted: if desc.is_empty() { 6 } else { 7 },
                start: &t[..ends[0]],
                perm: &t[ends[0]..ends[1]],
                offset: &t[ends[1]..ends[2]],
                dev: &t[ends[2]..ends[3]],
                inode: &t[ends[3]..ends[4]],
                desc,
                tail,
            })));
        }
        let (name, value) = &r.fields[step - 1];
        t.extend_from_slice(fmt_dec(*value, &mut [0u8; 20]));
        Ok(Some(SmapsRecord::Detail(Detail {
            name,
            value: t,
            kb: true,
            line: name,
        })))
    }

    fn rewind(&mut self) -> io::Result<()> {
        self.at = 0;
        self.step = 0;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::scan::testing::{maps_lines, smaps_lines};
    use super::*;

    fn region() -> Region {
        Region {
            start: 0x1_0000_0000,
            end: 0x1_0000_4000,
            perms: *b"r-xp",
            offset: 0x20,
            dev_major: 1,
            dev_minor: 0x1f,
            inode: 77,
            name: b"/usr/lib/dyld".to_vec(),
            fields: vec![
                (b"Size".to_vec(), 16),
                (b"Rss".to_vec(), 32),
                (b"Swap".to_vec(), 0),
            ],
        }
    }

    #[test]
    fn stack_is_the_last_byte_of_the_first_stack_region() {
        let mut r = vec![region(), region(), region()];
        assert_eq!(stack_address(&r), u64::MAX);
        r[1].name = b"[stack]".to_vec();
        r[2].name = b"[stack]".to_vec();
        r[2].end += 0x1000;
        assert_eq!(stack_address(&r), 0x1_0000_3fff);
    }

    #[test]
    fn regions_as_maps_records() {
        let mut src = RegionRecords::new(vec![region(), Region::default()]);
        assert_eq!(
            maps_lines(&mut src),
            [
                "map 7 100000000-100004000 r-xp \"/usr/lib/dyld\" \"/usr/lib/dyld\"",
                "key Some((\"Size\", 16)) None None",
                "key Some((\"Rss\", 32)) None None",
                "key Some((\"Swap\", 0)) None None",
                "map 7 0-0  \"\" \"\"",
            ]
        );
    }

    #[test]
    fn regions_as_smaps_records() {
        let mut long = region();
        long.name = vec![b'n'; 130];
        let mut src = RegionRecords::new(vec![region(), long]);
        let name = "n".repeat(127);
        let want = [
            "map 7 100000000 r-xp 00000020 01:1f 77 /usr/lib/dyld+0".to_string(),
            "detail Size 16 true".into(),
            "detail Rss 32 true".into(),
            "detail Swap 0 true".into(),
            format!("map 7 100000000 r-xp 00000020 01:1f 77 {name}+3"),
            "detail Size 16 true".into(),
            "detail Rss 32 true".into(),
            "detail Swap 0 true".into(),
        ];
        assert_eq!(smaps_lines(&mut src), want);
        assert_eq!(smaps_lines(&mut src), want);
    }
}
