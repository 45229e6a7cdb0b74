//! `/proc/PID/smaps` read the way smem 1.5 reads it (learned by running smem on crafted
//! files; docs/smem.md, "How smaps is read"):
//!
//! * the text is strict UTF-8, split with Python's `splitlines()`; every line is split on
//!   whitespace into words `f` (an empty or blank line is an error);
//! * a line whose first word has a `-` and no `:` starts a mapping: `START-END MODE OFFSET
//!   DEV INODE [NAME]`; START, END and OFFSET are hexadecimal, NAME is the sixth word only
//!   (`<anonymous>` without one); mappings are keyed by START, so a later mapping with the
//!   same START replaces the earlier one;
//! * any other line whose last word is `kB` is a field: its key is the first word minus its
//!   last character, lower-cased, its value `int(f[1])`; a repeated key overwrites;
//! * every other line is ignored (VmFlags, THPeligible, ...).
//!
//! A line that breaks these rules (bad hex, a missing word, a non-number before `kB`, a
//! field before the first mapping, invalid UTF-8) is an error for the whole file: smem's
//! process view then skips the process, its other views stop with a traceback.
//!
//! Allocation-free after warm-up: one reused vector of mapping records per run.

use crate::pytext::{int10, py_int, split, splitlines};
use std::collections::HashMap;

/// Why smem would have raised an exception on this file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmapsError {
    /// Not UTF-8 (Python's UnicodeDecodeError).
    Decode,
    /// A line with a missing word, a bad number, or a field before any mapping.
    Line(&'static str),
}

impl SmapsError {
    pub fn describe(&self) -> &'static str {
        match self {
            SmapsError::Decode => "text is not valid UTF-8",
            SmapsError::Line(why) => why,
        }
    }
}

/// One mapping's values (kB), each the last one given (0 when absent).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MapRec {
    pub start: i128,
    /// Byte range of the name in the parsed text; `None` for `<anonymous>`.
    pub name: Option<(u32, u32)>,
    pub pss: i128,
    pub rss: i128,
    pub private_clean: i128,
    pub private_dirty: i128,
    pub swap: i128,
    pub size: i128,
}

impl MapRec {
    pub fn uss(&self) -> i128 {
        self.private_clean.saturating_add(self.private_dirty)
    }
}

/// The mappings of one smaps text.
#[derive(Default)]
pub struct Smaps {
    pub maps: Vec<MapRec>,
    /// Some field line's first word starts with `Pss` (smem warns when a process has
    /// mappings but no such line).
    pub has_pss: bool,
    /// START -> index, built only once STARTs stop increasing.
    index: HashMap<i128, usize>,
    sorted: bool,
}

pub const ANONYMOUS: &str = "<anonymous>";

impl Smaps {
    /// The name of a mapping of the text last parsed into `self`.
    pub fn name<'t>(&self, text: &'t str, m: &MapRec) -> &'t str {
        match m.name {
            Some((s, l)) => text.get(s as usize..(s + l) as usize).unwrap_or(ANONYMOUS),
            None => ANONYMOUS,
        }
    }

    fn clear(&mut self) {
        self.maps.clear();
        self.index.clear();
        self.has_pss = false;
        self.sorted = true;
    }

    /// Adds a mapping, or replaces the one with the same START (a Python dict assignment:
    /// the entry keeps its place).
    fn put(&mut self, rec: MapRec) -> usize {
        if self.sorted {
            match self.maps.last() {
                Some(last) if rec.start <= last.start => {
                    // STARTs stopped increasing: index what we have.
                    self.sorted = false;
                    for (i, m) in self.maps.iter().enumerate() {
                        self.index.insert(m.start, i);
                    }
                }
                _ => {
                    self.maps.push(rec);
                    return self.maps.len() - 1;
                }
            }
        }
        match self.index.get(&rec.start) {
            Some(&i) => {
                self.maps[i] = rec;
                i
            }
            None => {
                self.maps.push(rec);
                let i = self.maps.len() - 1;
                self.index.insert(rec.start, i);
                i
            }
        }
    }
}

/// The words of one line that smem looks at: the first six, how many there are (counting
/// stops at 7), and the last one. Byte ranges into the text.
#[derive(Default)]
struct LineWords {
    w: [(usize, usize); 6],
    n: usize,
    last: (usize, usize),
}

impl LineWords {
    #[inline]
    fn push(&mut self, s: usize, e: usize) {
        if self.n < 6 {
            self.w[self.n] = (s, e);
        }
        if self.n < 7 {
            self.n += 1;
        }
        self.last = (s, e);
    }
}

/// Byte classes of ASCII text: 1 = Python whitespace, 2 = also a `splitlines` boundary.
const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b' ' as usize] = 1;
    t[b'\t' as usize] = 1;
    t[0x1f] = 1;
    t[b'\n' as usize] = 2;
    t[b'\r' as usize] = 2;
    t[0x0b] = 2;
    t[0x0c] = 2;
    t[0x1c] = 2;
    t[0x1d] = 2;
    t[0x1e] = 2;
    t
};

/// Calls `f` with the words of each line of ASCII text (one pass, a table lookup a byte).
#[inline]
fn ascii_lines(
    b: &[u8],
    f: &mut dyn FnMut(&LineWords) -> Result<(), SmapsError>,
) -> Result<(), SmapsError> {
    let mut i = 0;
    while i < b.len() {
        let mut lw = LineWords::default();
        let mut word_start = usize::MAX;
        let mut j = i;
        let mut next = b.len();
        while j < b.len() {
            let c = CLASS[b[j] as usize];
            if c == 0 {
                if word_start == usize::MAX {
                    word_start = j;
                }
            } else {
                if word_start != usize::MAX {
                    lw.push(word_start, j);
                    word_start = usize::MAX;
                }
                if c == 2 {
                    next = if b[j] == b'\r' && b.get(j + 1) == Some(&b'\n') {
                        j + 2
                    } else {
                        j + 1
                    };
                    break;
                }
            }
            j += 1;
        }
        if word_start != usize::MAX {
            lw.push(word_start, j);
        }
        f(&lw)?;
        i = next;
    }
    Ok(())
}

/// The same for any text, with Python's Unicode rules.
fn unicode_lines(
    text: &str,
    f: &mut dyn FnMut(&LineWords) -> Result<(), SmapsError>,
) -> Result<(), SmapsError> {
    let base = text.as_ptr() as usize;
    for line in splitlines(text) {
        let mut lw = LineWords::default();
        for w in split(line) {
            let s = w.as_ptr() as usize - base;
            lw.push(s, s + w.len());
        }
        f(&lw)?;
    }
    Ok(())
}

/// Parses smaps bytes into `out` (cleared first) and returns them as text, which the
/// mapping names point into.
pub fn parse<'t>(data: &'t [u8], out: &mut Smaps) -> Result<&'t str, SmapsError> {
    out.clear();
    let text = std::str::from_utf8(data).map_err(|_| SmapsError::Decode)?;
    let mut cur: Option<usize> = None;
    let mut line = |lw: &LineWords| -> Result<(), SmapsError> {
        let word = |k: usize| &text[lw.w[k].0..lw.w[k].1];
        if lw.n == 0 {
            return Err(SmapsError::Line("an empty line"));
        }
        let f0 = word(0);
        let f0b = f0.as_bytes();
        if memchr::memchr(b'-', f0b).is_some() && memchr::memchr(b':', f0b).is_none() {
            let (a, b) = f0
                .split_once('-')
                .filter(|(_, b)| !b.contains('-'))
                .ok_or(SmapsError::Line("an address range without exactly one '-'"))?;
            let start = py_int(a, 16).ok_or(SmapsError::Line("a bad start address"))?;
            py_int(b, 16).ok_or(SmapsError::Line("a bad end address"))?;
            if lw.n < 5 {
                return Err(SmapsError::Line("a mapping line with fewer than 5 words"));
            }
            py_int(word(2), 16).ok_or(SmapsError::Line("a bad mapping offset"))?;
            let name = (lw.n > 5).then(|| (lw.w[5].0 as u32, (lw.w[5].1 - lw.w[5].0) as u32));
            cur = Some(out.put(MapRec {
                start,
                name,
                ..MapRec::default()
            }));
        } else if &text[lw.last.0..lw.last.1] == "kB" {
            if lw.n < 2 {
                return Err(SmapsError::Line("a 'kB' line without a value"));
            }
            let v =
                int10(word(1)).ok_or(SmapsError::Line("a 'kB' line whose value is no integer"))?;
            let i = cur.ok_or(SmapsError::Line("a field line before the first mapping"))?;
            if f0.starts_with("Pss") {
                out.has_pss = true;
            }
            // The key is the first word without its last character.
            let key = match f0.char_indices().next_back() {
                Some((k, _)) => &f0.as_bytes()[..k],
                None => f0b,
            };
            let m = &mut out.maps[i];
            let slot = match key.len() {
                3 if key.eq_ignore_ascii_case(b"pss") => &mut m.pss,
                3 if key.eq_ignore_ascii_case(b"rss") => &mut m.rss,
                13 if key.eq_ignore_ascii_case(b"private_clean") => &mut m.private_clean,
                13 if key.eq_ignore_ascii_case(b"private_dirty") => &mut m.private_dirty,
                4 if key.eq_ignore_ascii_case(b"swap") => &mut m.swap,
                4 if key.eq_ignore_ascii_case(b"size") => &mut m.size,
                _ => return Ok(()),
            };
            *slot = v;
        }
        Ok(())
    };
    if text.is_ascii() {
        ascii_lines(text.as_bytes(), &mut line)?;
    } else {
        unicode_lines(text, &mut line)?;
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<(Vec<MapRec>, bool, Vec<String>), SmapsError> {
        let mut sm = Smaps::default();
        let text = parse(s.as_bytes(), &mut sm)?;
        let names = sm
            .maps
            .iter()
            .map(|m| sm.name(text, m).to_string())
            .collect();
        Ok((sm.maps.clone(), sm.has_pss, names))
    }

    #[test]
    fn kernel_format() {
        let (maps, has_pss, names) = p("00400000-00500000 r-xp 00000000 08:01 1234     /usr/bin/my prog (deleted)\n\
             Size:               1024 kB\nRss:                 100 kB\nPss:                  50 kB\n\
             Private_Clean:         4 kB\nPrivate_Dirty:         8 kB\nSwap:                 64 kB\n\
             VmFlags: rd ex mr\nTHPeligible:    0\n\
             7f00-7f01 rw-p 00000000 00:00 0 \nPss: 1 kB\n")
        .unwrap();
        assert!(has_pss);
        assert_eq!(names, ["/usr/bin/my", ANONYMOUS]);
        assert_eq!(
            (
                maps[0].size,
                maps[0].rss,
                maps[0].pss,
                maps[0].uss(),
                maps[0].swap
            ),
            (1024, 100, 50, 12, 64)
        );
        assert_eq!(maps[1].pss, 1);
    }

    #[test]
    fn smem_quirks() {
        // Key = first word minus its last character, any case; last value wins.
        let (maps, has_pss, _) =
            p("0-1 r 0 0 0 /x\nPssx 5 kB\nRSS: 3 kB\nrss: 4 kB\nPss: 5 6 kB\nPss: 5 MB\n").unwrap();
        assert_eq!((maps[0].pss, maps[0].rss), (5, 4));
        assert!(has_pss);
        // Same START: the later mapping replaces the earlier one.
        let (maps, _, names) =
            p("10-20 r 0 0 0 /a\nPss: 1 kB\n5-6 r 0 0 0 /b\n10-30 r 0 0 0 /c\nRss: 2 kB\n")
                .unwrap();
        assert_eq!(names, ["/c", "/b"]);
        assert_eq!((maps[0].pss, maps[0].rss), (0, 2));
        // Lowercase key counts, but is no "Pss" line for the warning.
        let (maps, has_pss, _) = p("0-1 r 0 0 0\npss: 7 kB\n").unwrap();
        assert_eq!((maps[0].pss, has_pss), (7, false));
        // Empty and blank lines are errors (Python's f[0] on an empty split).
        assert!(p("0-1 r 0 0 0\n\nPss: 1 kB\n").is_err());
        assert!(p("0-1 r 0 0 0\n  \nPss: 1 kB\n").is_err());
        // Form feed splits lines: "kB" alone has no value.
        assert!(p("0-1 r 0 0 0\nPss:\x0c5\x0ckB\n").is_err());
        assert!(p("Pss: 1 kB\n0-1 r 0 0 0\n").is_err());
        assert!(p("zz-1 r 0 0 0\n").is_err());
        assert!(p("0-1-2 r 0 0 0\n").is_err());
        assert!(p("0-1 r 0 0\n").is_err());
        assert!(p("0-1 r 0 0 0\nFoo: abc kB\n").is_err());
        assert!(p("0-1 r 0 0 0\nFoo: 1.5 kB\n").is_err());
        assert_eq!(
            parse(b"0-1 r 0 0 0 /\xff\n", &mut Smaps::default()),
            Err(SmapsError::Decode)
        );
        // 0x prefixes and underscores are Python hex.
        assert!(p("0x10-0x_20 r 0_0 0 0\n").is_ok());
    }
}
