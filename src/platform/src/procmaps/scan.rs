//! The one reader of `maps`/`smaps` text. It reproduces how procps-ng reads those files
//! and turns every line into a record; the renderers (pmap's formats, vmmap) consume the
//! records and never look at the text.
//!
//! The C rules (docs/pmap.md, "Formats"):
//! * **Pieces**: procps reads with `fgets` into a 1024-byte buffer, so a line is processed
//!   in pieces of at most 1023 bytes ([`LINE_BUF`]); [`Scanner::whole_lines`] reads whole
//!   lines instead (vmmap).
//! * **C strings**: each piece is seen as a C string: text after a NUL byte is invisible,
//!   and a piece starting with NUL is empty.
//! * **`sscanf` conversions**, emulated exactly: a conversion that fails leaves its
//!   variable (and every later one) as it was.
//!
//! Two line grammars exist, because procps reads smaps two ways; each is one method of the
//! [`Scanner`]:
//! * [`MapsSource::next_maps`] (pmap's default, `-x` and `-d`; vmmap): a piece whose C
//!   string starts with an upper-case letter is a `Key: value` line ([`KeyLine`]:
//!   `%20[^:]: %llu`, and `VmFlags: %127[a-z ]`), any other piece a mapping line
//!   ([`MapsLine`]: `%lx-%lx %31s %llx %x:%x %llu` into variables that live for the whole
//!   file, [`MapVars`]).
//! * [`SmapsSource::next_smaps`] (pmap's `-X`, `-XX` and rc formats): the file's first
//!   piece, and the piece after a `VmFlags` line, are mapping lines ([`MappingText`]:
//!   `%20[0-9a-f]-%20[0-9a-f] %31s %20[0-9a-f] %63[0-9a-f:] %20s %127[^\n]`, kept as the
//!   kernel's strings); after a mapping line, a piece is a detail line if
//!   `%31[^:]: %20[0-9] kB %c` converts two values ([`Detail`]), the `VmFlags` line if
//!   `VmFlags: %127[a-z ]` matches, else the next mapping line. A mapping line whose C string
//!   lacks its newline (over 1023 bytes, or a NUL byte) makes procps drop the following
//!   pieces up to one whose C string ends with a newline; the rest of a long detail line is
//!   read as a line of its own.
//!
//! macOS regions become the same records without any text ([`super::regions`]).

use super::fgets::LineReader;
use memtools_core::cnum::{c_isspace, strtoul};
use std::io::{self, Read, Seek};
use std::ops::Range;

/// procps's `fgets` buffer: lines are read in pieces of at most 1023 bytes.
pub const LINE_BUF: usize = 1024;

// ---------------------------------------------------------------------------------------
// sscanf primitives

/// `%N[set]` (`%Ns` with "not a space" as the set): the longest run of at most `max` bytes
/// of the set at `*p`, or `None` (the conversion fails) when there is none.
fn take(s: &[u8], p: &mut usize, max: usize, ok: impl Fn(u8) -> bool) -> Option<Range<usize>> {
    let st = *p;
    while *p < s.len() && *p - st < max && ok(s[*p]) {
        *p += 1;
    }
    (*p > st).then_some(st..*p)
}

/// `%lx`, `%llx`, `%x` (base 16) or `%llu` (base 10) at `*p`: C `strtoul` (leading
/// white space and a sign accepted, `0x` in base 16, overflow saturating), `None` when no
/// digit converts. The plain digit runs the kernel writes take a short path.
#[inline(always)]
fn num(s: &[u8], p: &mut usize, base: u32) -> Option<u64> {
    let rest = &s[*p..];
    // At most this many digits cannot overflow.
    let max = if base == 16 { 16 } else { 19 };
    let prefixed =
        base == 16 && rest.first() == Some(&b'0') && matches!(rest.get(1), Some(b'x' | b'X'));
    if !prefixed {
        let (mut v, mut n) = (0u64, 0);
        while let Some(&b) = rest.get(n) {
            let d = match b {
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' if base == 16 => b - b'a' + 10,
                b'A'..=b'F' if base == 16 => b - b'A' + 10,
                _ => break,
            };
            v = v.wrapping_mul(u64::from(base)).wrapping_add(u64::from(d));
            n += 1;
        }
        if n > 0 && n <= max {
            *p += n;
            return Some(v);
        }
    }
    let r = strtoul(rest, base);
    *p += r.end;
    (r.end > 0).then_some(r.value)
}

/// A blank in a format: skips any white space (runs of eight spaces, the kernel's padding
/// in smaps, at a time).
#[inline(always)]
fn skip_ws(s: &[u8], p: &mut usize) {
    while s.get(*p..*p + 8) == Some(b"        ") {
        *p += 8;
    }
    while *p < s.len() && c_isspace(s[*p]) {
        *p += 1;
    }
}

/// A `%[...]` set.
type ByteSet = fn(u8) -> bool;

fn hexdig(b: u8) -> bool {
    b.is_ascii_digit() || (b'a'..=b'f').contains(&b)
}

fn not_ws(b: u8) -> bool {
    !c_isspace(b)
}

// ---------------------------------------------------------------------------------------
// The maps grammar: default, -x, -d (and vmmap)

/// The variables `sscanf(line, "%lx-%lx %31s %llx %x:%x %llu", ...)` assigns. procps keeps
/// them for the whole file, so a line that does not convert a value shows the previous
/// line's (the "stale values" the formats reproduce); two things change them besides a
/// conversion: a `Swap:` line (see [`KeyLine`]) and pmap's in-place mode edit
/// ([`MapVars::edit_mode`]).
#[derive(Clone, Debug, Default)]
pub struct MapVars {
    pub start: u64,
    pub end: u64,
    /// NUL-terminated, as C's `char perms[32]`.
    perms: [u8; 32],
    pub offset: u64,
    pub major: u32,
    pub minor: u32,
    pub inode: u64,
}

impl MapVars {
    /// The variables of a line that converts all seven values (a macOS region).
    pub fn converted(
        start: u64,
        end: u64,
        perms: [u8; 4],
        offset: u64,
        dev: (u32, u32),
        inode: u64,
    ) -> Self {
        let mut v = MapVars {
            start,
            end,
            offset,
            major: dev.0,
            minor: dev.1,
            inode,
            ..Default::default()
        };
        v.perms[..4].copy_from_slice(&perms);
        v
    }

    /// `sscanf(line, "%lx-%lx %31s %llx %x:%x %llu", ...)`, assigning in order until the
    /// first failure; returns how many values were converted (0 to 7).
    pub fn scan(&mut self, line: &[u8]) -> u8 {
        let mut p = 0;
        let num = |p: &mut usize, base: u32| num(line, p, base);
        let Some(v) = num(&mut p, 16) else { return 0 };
        self.start = v;
        if line.get(p) != Some(&b'-') {
            return 1;
        }
        p += 1;
        let Some(v) = num(&mut p, 16) else { return 1 };
        self.end = v;
        skip_ws(line, &mut p);
        let Some(w) = take(line, &mut p, 31, not_ws) else {
            return 2;
        };
        self.perms[..w.len()].copy_from_slice(&line[w.clone()]);
        self.perms[w.len()] = 0;
        let Some(v) = num(&mut p, 16) else { return 3 };
        self.offset = v;
        let Some(v) = num(&mut p, 16) else { return 4 };
        self.major = v as u32;
        if line.get(p) != Some(&b':') {
            return 5;
        }
        p += 1;
        let Some(v) = num(&mut p, 16) else { return 5 };
        self.minor = v as u32;
        let Some(v) = num(&mut p, 10) else { return 6 };
        self.inode = v;
        7
    }

    /// The perms text (the C string in `perms`).
    pub fn perms(&self) -> &[u8] {
        let n = self.perms.iter().position(|&b| b == 0).unwrap_or(32);
        &self.perms[..n]
    }

    /// Byte `i` of the perms buffer (0 past the text).
    pub fn perm(&self, i: usize) -> u8 {
        self.perms.get(i).copied().unwrap_or(0)
    }

    /// pmap's mode text, made in the perms buffer itself as procps does: `p` in the fourth
    /// place becomes `-`, and a fifth `-` is added. A later line that does not convert its
    /// perms shows this edited text.
    pub fn edit_mode(&mut self) {
        if self.perms[3] == b'p' {
            self.perms[3] = b'-';
        }
        self.perms[4] = b'-';
        self.perms[5] = 0;
    }

    /// After a `Swap:` line, the end address and the perms are gone (0 and empty) for a
    /// following mapping line that does not convert them; start, offset and device stay
    /// (observed with procps-ng 4.0.2 in every maps format).
    fn after_swap(&mut self) {
        self.end = 0;
        self.perms = [0; 32];
    }
}

/// `%N[^:]: `: a name of at most `max` bytes up to a colon, then the colon and any blanks.
/// The name's place and where the value starts.
#[inline(always)]
fn name_colon(s: &[u8], max: usize) -> Option<(Range<usize>, usize)> {
    let mut p = 0;
    let name = take(s, &mut p, max, |b| b != b':')?;
    if s.get(p) != Some(&b':') {
        return None;
    }
    p += 1;
    skip_ws(s, &mut p);
    Some((name, p))
}

/// `sscanf(line, "%20[^:]: %llu", key, &value) == 2`: the key and the value, or `None`
/// when the number does not convert.
#[inline(always)]
pub fn scan_key(line: &[u8]) -> Option<(&[u8], u64)> {
    // (`%llu` skips blanks itself; skipping them first is only faster.)
    let (key, mut p) = name_colon(line, 20)?;
    num(line, &mut p, 10).map(|v| (&line[key], v))
}

/// `sscanf(line, "VmFlags: %127[a-z ]", flags)`, with one trailing space removed (an
/// empty list when no flag letter follows).
pub fn scan_vmflags(line: &[u8]) -> Option<&[u8]> {
    vmflags_at(line).map(|r| &line[r])
}

fn vmflags_at(line: &[u8]) -> Option<Range<usize>> {
    if !line.starts_with(b"VmFlags:") {
        return None;
    }
    let mut p = 8;
    skip_ws(line, &mut p);
    let mut r = take(line, &mut p, 127, |b| b.is_ascii_lowercase() || b == b' ').unwrap_or(p..p);
    if r.end > r.start && line[r.end - 1] == b' ' {
        r.end -= 1;
    }
    Some(r)
}

/// The kernel's pathname column of a mapping line: what follows the fifth blank-separated
/// word, leading blanks skipped, without the newline. Empty for an anonymous mapping.
pub fn pathname(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let mut p = 0;
    for _ in 0..5 {
        skip_ws(line, &mut p);
        while p < line.len() && !c_isspace(line[p]) {
            p += 1;
        }
    }
    skip_ws(line, &mut p);
    &line[p..]
}

/// A mapping line in the maps grammar.
pub struct MapsLine<'a> {
    /// The variables after this line's conversions (stale where it did not convert).
    pub vars: &'a mut MapVars,
    /// How many of the seven values this line converted.
    pub converted: u8,
    /// The line's C string without its newline: procps's naming rules read the whole
    /// line. (For a macOS region: its name, the only part those rules look at.)
    pub line: &'a [u8],
    /// The pathname column, when known without looking at the line (a macOS region).
    pub(crate) name: Option<&'a [u8]>,
}

impl<'a> MapsLine<'a> {
    /// The kernel's pathname column ([`pathname`]): `--json`'s `name`, vmmap's names.
    pub fn name(&self) -> &'a [u8] {
        match self.name {
            Some(n) => n,
            None => pathname(self.line),
        }
    }

    /// The mapping as plain data (no fields yet), for readers that want values rather
    /// than procps's quirks: `None` unless all seven values converted and the perms are
    /// four letters.
    pub fn region(&self) -> Option<super::Region> {
        let p = self.vars.perms();
        if self.converted < 7 || p.len() != 4 {
            return None;
        }
        let v = &self.vars;
        Some(super::Region {
            start: v.start,
            end: v.end,
            perms: [p[0], p[1], p[2], p[3]],
            offset: v.offset,
            dev_major: v.major,
            dev_minor: v.minor,
            inode: v.inode,
            name: self.name().to_vec(),
            fields: Vec::new(),
        })
    }
}

/// A `Key: value` line in the maps grammar (its C string starts with an upper-case letter).
pub struct KeyLine<'a> {
    /// `%20[^:]: %llu`, when it converts. A converted `Swap:` line clears the end address
    /// and the perms for the next mapping line ([`MapVars`]).
    pub field: Option<(&'a [u8], u64)>,
    /// The variables as the last mapping line left them.
    pub vars: &'a MapVars,
    /// The whole piece, as `fgets` wrote it into procps's line buffer; empty for a record
    /// made without text (a macOS region).
    pub(crate) buffer: &'a [u8],
}

impl<'a> KeyLine<'a> {
    /// What procps's line buffer holds at `at` after this piece, as a C string, when the
    /// piece reached that far (it overwrote the buffer up to its length and a NUL).
    /// pmap `-x` prints a row's name from the buffer at its `Swap:` line, so a key line
    /// long enough to reach the name's start replaces it. `None` when the piece was
    /// shorter (the buffer at `at` is unchanged) or the record has no text.
    pub fn buffer_at(&self, at: usize) -> Option<&'a [u8]> {
        let b = self.buffer;
        (!b.is_empty() && b.len() >= at).then(|| super::fgets::c_str(&b[at..]))
    }

    /// The `VmFlags:` text, when this is that line ([`scan_vmflags`]).
    pub fn vmflags(&self) -> Option<&'a [u8]> {
        if !self.buffer.starts_with(b"VmFlags:") {
            return None;
        }
        scan_vmflags(super::fgets::c_str(self.buffer))
    }
}

/// One record of the maps grammar.
pub enum MapsRecord<'a> {
    Mapping(MapsLine<'a>),
    Key(KeyLine<'a>),
}

// ---------------------------------------------------------------------------------------
// The smaps grammar: -X, -XX, rc

/// A mapping line in the smaps grammar: the strings of
/// `sscanf(line, "%20[0-9a-f]-%20[0-9a-f] %31s %20[0-9a-f] %63[0-9a-f:] %20s %127[^\n]")`,
/// printed as the kernel wrote them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MappingText<'a> {
    /// How many strings converted (pmap needs six; the name is the seventh).
    pub converted: u8,
    pub start: &'a [u8],
    pub perm: &'a [u8],
    pub offset: &'a [u8],
    pub dev: &'a [u8],
    pub inode: &'a [u8],
    /// The name, at most 127 bytes.
    pub desc: &'a [u8],
    /// The rest of the piece when the name is longer than `desc` (`--json` shows the whole
    /// name), without the newline.
    pub tail: &'a [u8],
}

/// Scans a mapping line of the smaps grammar.
pub fn scan_mapping(s: &[u8]) -> MappingText<'_> {
    let mut m = MappingText::default();
    let mut p = 0;
    let Some(v) = take(s, &mut p, 20, hexdig) else {
        return m;
    };
    m.start = &s[v];
    m.converted = 1;
    if s.get(p) != Some(&b'-') {
        return m;
    }
    p += 1;
    if take(s, &mut p, 20, hexdig).is_none() {
        return m;
    }
    m.converted = 2;
    let sets: [(usize, ByteSet); 4] = [
        (31, not_ws),
        (20, hexdig),
        (63, |b| hexdig(b) || b == b':'),
        (20, not_ws),
    ];
    let mut got: [&[u8]; 4] = [b""; 4];
    for (i, (max, set)) in sets.into_iter().enumerate() {
        skip_ws(s, &mut p);
        match take(s, &mut p, max, set) {
            Some(v) => got[i] = &s[v],
            None => break,
        }
        m.converted += 1;
    }
    [m.perm, m.offset, m.dev, m.inode] = got;
    if m.converted < 6 {
        return m;
    }
    skip_ws(s, &mut p);
    if let Some(v) = take(s, &mut p, 127, |b| b != b'\n') {
        m.desc = &s[v.clone()];
        m.converted = 7;
        if v.len() == 127 {
            let rest = &s[v.end..];
            m.tail = rest.strip_suffix(b"\n").unwrap_or(rest);
        }
    }
    m
}

/// A detail line of the smaps grammar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detail<'a> {
    pub name: &'a [u8],
    /// The digit string, as the kernel wrote it.
    pub value: &'a [u8],
    /// The value's unit was `kB`.
    pub kb: bool,
    /// The whole C string (for the "inconsistent detail field" message).
    pub line: &'a [u8],
}

struct DetailAt {
    name: Range<usize>,
    value: Range<usize>,
    kb: bool,
}

/// `sscanf(line, "%31[^:]: %20[0-9] kB %c", name, value) == 2`, and whether the value's
/// unit was `kB`.
pub fn scan_detail(line: &[u8]) -> Option<Detail<'_>> {
    detail_at(line).map(|d| Detail {
        name: &line[d.name],
        value: &line[d.value],
        kb: d.kb,
        line,
    })
}

fn detail_at(s: &[u8]) -> Option<DetailAt> {
    let (name, mut p) = name_colon(s, 31)?;
    let value = take(s, &mut p, 20, |b| b.is_ascii_digit())?;
    skip_ws(s, &mut p);
    let mut kb = false;
    if s.get(p) == Some(&b'k') && s.get(p + 1) == Some(&b'B') {
        p += 2;
        skip_ws(s, &mut p);
        if p < s.len() {
            return None; // a third conversion (%c) succeeded
        }
        kb = true;
    }
    Some(DetailAt { name, value, kb })
}

/// One record of the smaps grammar.
pub enum SmapsRecord<'a> {
    Mapping(MappingText<'a>),
    Detail(Detail<'a>),
    /// The `VmFlags:` text ([`scan_vmflags`]); the mapping's last line.
    VmFlags(&'a [u8]),
}

// ---------------------------------------------------------------------------------------
// The scanner

/// Where the default, `-x` and `-d` formats (and vmmap) get their records: the
/// [`Scanner`] over maps/smaps text, or a process's regions ([`super::regions`]).
pub trait MapsSource {
    /// The next record of the maps grammar; `None` at the end.
    fn next_maps(&mut self) -> io::Result<Option<MapsRecord<'_>>>;
}

/// Where the `-X`, `-XX` and rc formats get their records.
pub trait SmapsSource {
    /// The next record of the smaps grammar; `None` at the end.
    fn next_smaps(&mut self) -> io::Result<Option<SmapsRecord<'_>>>;
    /// Back to the start (the second pass).
    fn rewind(&mut self) -> io::Result<()>;
}

/// Reads maps/smaps text as procps does (see the module comment), with one large buffer
/// and no allocation per line.
pub struct Scanner<R> {
    src: LineReader<R>,
    /// The `fgets` size: [`LINE_BUF`], or whole lines.
    size: usize,
    vars: MapVars,
    /// A `Swap:` line was the last record: clear end and perms before the next line.
    swap: bool,
    /// The smaps grammar's current mapping line (its C string). A copy: dropping the rest
    /// of the line reads over the buffer.
    line: Vec<u8>,
    /// The smaps grammar: the next piece is a mapping line.
    at_mapping: bool,
}

impl<R: Read> Scanner<R> {
    /// A scanner with procps's 1023-byte pieces.
    pub fn new(inner: R) -> Self {
        Scanner {
            src: LineReader::new(inner),
            size: LINE_BUF,
            vars: MapVars::default(),
            swap: false,
            line: Vec::with_capacity(LINE_BUF),
            at_mapping: true,
        }
    }

    /// A scanner that reads whole lines (cut only at the 256 KiB buffer size): for readers
    /// that want plain values rather than procps's piece rules (vmmap).
    pub fn whole_lines(inner: R) -> Self {
        let mut s = Scanner::new(inner);
        s.size = s.src.whole_line();
        s
    }

    /// After a mapping line whose C string does not end with `\n`: drops pieces up to one
    /// whose C string ends with `\n` (a NUL there hides that newline too, and the next
    /// line goes as well).
    fn discard_rest(&mut self) -> io::Result<()> {
        while let Some(r) = self.src.fgets_range(self.size)? {
            if self.src.piece_c(r).last() == Some(&b'\n') {
                break;
            }
        }
        Ok(())
    }
}

impl<R: Read> MapsSource for Scanner<R> {
    #[inline(always)]
    fn next_maps(&mut self) -> io::Result<Option<MapsRecord<'_>>> {
        if std::mem::take(&mut self.swap) {
            self.vars.after_swap();
        }
        let Some(r) = self.src.fgets_range(self.size)? else {
            return Ok(None);
        };
        let c = self.src.piece_c(r.clone());
        if c.first().is_some_and(u8::is_ascii_uppercase) {
            let field = scan_key(c);
            self.swap = matches!(field, Some((b"Swap", _)));
            return Ok(Some(MapsRecord::Key(KeyLine {
                field,
                vars: &self.vars,
                buffer: self.src.piece(r),
            })));
        }
        let line = c.strip_suffix(b"\n").unwrap_or(c);
        let converted = self.vars.scan(line);
        Ok(Some(MapsRecord::Mapping(MapsLine {
            vars: &mut self.vars,
            converted,
            line,
            name: None,
        })))
    }
}

/// How the smaps grammar reads a piece that follows a mapping line.
enum Kind {
    Detail(DetailAt),
    VmFlags(Range<usize>),
    Mapping,
}

impl<R: Read + Seek> SmapsSource for Scanner<R> {
    #[inline(always)]
    fn next_smaps(&mut self) -> io::Result<Option<SmapsRecord<'_>>> {
        let Some(r) = self.src.fgets_range(self.size)? else {
            return Ok(None);
        };
        let kind = if self.at_mapping {
            Kind::Mapping
        } else {
            let c = self.src.piece_c(r.clone());
            match detail_at(c) {
                Some(d) => Kind::Detail(d),
                None => vmflags_at(c).map_or(Kind::Mapping, Kind::VmFlags),
            }
        };
        match kind {
            Kind::Detail(d) => {
                let c = self.src.piece_c(r);
                Ok(Some(SmapsRecord::Detail(Detail {
                    name: &c[d.name],
                    value: &c[d.value],
                    kb: d.kb,
                    line: c,
                })))
            }
            Kind::VmFlags(f) => {
                self.at_mapping = true;
                Ok(Some(SmapsRecord::VmFlags(&self.src.piece_c(r)[f])))
            }
            Kind::Mapping => {
                self.at_mapping = false;
                self.line.clear();
                self.line.extend_from_slice(self.src.piece_c(r));
                if self.line.last() != Some(&b'\n') {
                    self.discard_rest()?;
                }
                Ok(Some(SmapsRecord::Mapping(scan_mapping(&self.line))))
            }
        }
    }

    fn rewind(&mut self) -> io::Result<()> {
        self.src.rewind()?;
        self.vars = MapVars::default();
        self.swap = false;
        self.at_mapping = true;
        Ok(())
    }
}

/// Test helpers: every record of a source as a line of text.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    fn t(b: &[u8]) -> String {
        String::from_utf8_lossy(b).into_owned()
    }

    pub(crate) fn maps_lines(src: &mut impl MapsSource) -> Vec<String> {
        std::iter::from_fn(|| {
            Some(match src.next_maps().ok()?? {
                MapsRecord::Mapping(m) => format!(
                    "map {} {:x}-{:x} {} {:?} {:?}",
                    m.converted,
                    m.vars.start,
                    m.vars.end,
                    t(m.vars.perms()),
                    t(m.line),
                    t(m.name())
                ),
                MapsRecord::Key(k) => format!(
                    "key {:?} {:?} {:?}",
                    k.field.map(|(n, v)| (t(n), v)),
                    k.vmflags().map(t),
                    k.buffer_at(11).map(t)
                ),
            })
        })
        .collect()
    }

    /// The smaps records (to the end, then rewound).
    pub(crate) fn smaps_lines(src: &mut impl SmapsSource) -> Vec<String> {
        let seen = std::iter::from_fn(|| {
            Some(match src.next_smaps().ok()?? {
                SmapsRecord::Mapping(m) => {
                    let s = [m.start, m.perm, m.offset, m.dev, m.inode, m.desc].map(t);
                    format!("map {} {}+{}", m.converted, s.join(" "), m.tail.len())
                }
                SmapsRecord::Detail(d) => {
                    format!("detail {} {} {}", t(d.name), t(d.value), d.kb)
                }
                SmapsRecord::VmFlags(f) => format!("flags {}", t(f)),
            })
        })
        .collect();
        let _ = src.rewind();
        seen
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{maps_lines, smaps_lines};
    use super::*;
    use std::io::Cursor;

    #[test]
    fn detail_lines() {
        let d = |s: &'static [u8]| scan_detail(s).map(|d| (d.name, d.value, d.kb));
        assert_eq!(
            d(b"Size:                  8 kB\n"),
            Some((&b"Size"[..], &b"8"[..], true))
        );
        assert_eq!(
            d(b"THPeligible:           0\n"),
            Some((&b"THPeligible"[..], &b"0"[..], false))
        );
        assert_eq!(d(b"VmFlags: rd mr\n"), None);
        assert_eq!(d(b"Foo: 12 kB x\n"), None);
        assert_eq!(
            scan_vmflags(b"VmFlags: rd mr mw me \n"),
            Some(&b"rd mr mw me"[..])
        );
        assert_eq!(scan_vmflags(b"VmFlags:\n"), Some(&b""[..]));
        assert_eq!(scan_vmflags(b"VmFlag: rd\n"), None);
    }

    #[test]
    fn mapping_lines() {
        let m = scan_mapping(b"7ffff7f56000-7ffff7f63000 rw-p 00000000 00:00 0 \n");
        assert_eq!(m.converted, 6);
        assert_eq!(m.desc, b"");
        let m = scan_mapping(b"08048000-08050000 r-xp 00000000 03:01 12345      /bin/old\n");
        assert_eq!(m.converted, 7);
        assert_eq!(m.desc, b"/bin/old");
        assert_eq!(
            (m.start, m.dev, m.inode),
            (&b"08048000"[..], &b"03:01"[..], &b"12345"[..])
        );
        assert_eq!(scan_mapping(b"Rss: 4 kB\n").converted, 0);
        let long = [b"1-2 r 0 0:0 1 ".to_vec(), vec![b'n'; 130], b"\n".to_vec()].concat();
        let m = scan_mapping(&long);
        assert_eq!((m.desc.len(), m.tail), (127, &b"nnn"[..]));
    }

    #[test]
    fn maps_variables_keep_stale_values() {
        let mut v = MapVars::default();
        assert_eq!(v.scan(b"1000-2000 rw-p 00003000 fe:01 42 /x"), 7);
        assert_eq!(
            (
                v.start,
                v.end,
                v.perms(),
                v.offset,
                v.major,
                v.minor,
                v.inode
            ),
            (0x1000, 0x2000, &b"rw-p"[..], 0x3000, 0xfe, 1, 42)
        );
        assert_eq!(v.scan(b"0x5000-zz"), 1);
        assert_eq!((v.start, v.end, v.perms()), (0x5000, 0x2000, &b"rw-p"[..]));
        v.edit_mode();
        assert_eq!(v.perms(), b"rw---");
        assert_eq!(scan_key(b"Rss:     8 kB\n"), Some((&b"Rss"[..], 8)));
        assert_eq!(scan_key(b"Rss: abc\n"), None);
        assert_eq!(scan_key(b"Rss: -1\n"), Some((&b"Rss"[..], u64::MAX)));
        assert_eq!(
            scan_key(b"Rss: 99999999999999999999999\n"),
            Some((&b"Rss"[..], u64::MAX))
        );
        assert_eq!(scan_key(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ: 1\n"), None);
        assert_eq!(
            pathname(b"55-56 r-xp 00000000 08:01 123    /usr/bin/a b\n"),
            b"/usr/bin/a b"
        );
        assert_eq!(pathname(b"55-56 rw-p 00000000 00:00 0 \n"), b"");
        assert_eq!(pathname(b"55-56 rw-p"), b"");
    }

    /// The short path of the number conversions agrees with `strtoul`.
    #[test]
    fn numbers_as_strtoul_reads_them() {
        for (t, base) in [
            (&b"7ffff7f56000-"[..], 16),
            (b"FFFFFFFFFFFFFFFF ", 16),
            (b"1ffffffffffffffff", 16),
            (b"0x1f", 16),
            (b"0xg", 16),
            (b" +12", 16),
            (b"-1", 10),
            (b"0009", 10),
            (b"18446744073709551615", 10),
            (b"18446744073709551616", 10),
            (b"9999999999999999999", 10),
            (b"12ab", 10),
            (b"", 10),
            (b"x", 16),
        ] {
            let r = strtoul(t, base);
            let mut p = 0;
            assert_eq!(
                num(t, &mut p, base),
                (r.end > 0).then_some(r.value),
                "{t:?}"
            );
            assert_eq!(p, r.end, "{t:?}");
        }
    }

    /// Key lines by their first letter, Swap clearing end and perms after it is read, the
    /// line buffer a key line overwrites, and the C-string rule.
    #[test]
    fn maps_records() {
        let text = b"1000-2000 rw-p 0 00:00 0      /lib/a.so\nRss: 4 kB\nSwap: 0 kB\nVmFlags: rd wr \n3000-\0zz\nlowercase\n";
        let mut s = Scanner::new(Cursor::new(text.to_vec()));
        assert_eq!(
            maps_lines(&mut s),
            [
                "map 7 1000-2000 rw-p \"1000-2000 rw-p 0 00:00 0      /lib/a.so\" \"/lib/a.so\"",
                "key Some((\"Rss\", 4)) None None",
                "key Some((\"Swap\", 0)) None Some(\"\")",
                "key None Some(\"rd wr\") Some(\" wr \\n\")",
                "map 1 3000-0  \"3000-\" \"\"",
                "map 0 3000-0  \"lowercase\" \"\"",
            ]
        );
    }

    /// The smaps grammar: pieces after a mapping line without its newline are dropped;
    /// VmFlags ends a mapping; the piece after it is a mapping line whatever it holds.
    #[test]
    fn smaps_records() {
        let mut text = b"1000-2000 r--p 00000000 08:01 5   /x\0junk\nstill dropped\nSize: 4 kB\nTHP: 0\nVmFlags: rd \nSize: 4 kB\n".to_vec();
        // (A short mapping line whose first 31 bytes reach the device's colon would be a detail
        // line: real ones are longer.)
        text.extend_from_slice(b"00003000-00004000 rw-p 00000000 00:00 0\nRss: 1 kB x\n");
        let mut s = Scanner::new(Cursor::new(text));
        let once = [
            "map 7 1000 r--p 00000000 08:01 5 /x+0",
            "detail Size 4 true",
            "detail THP 0 false",
            "flags rd",
            "map 0      +0",
            "map 6 00003000 rw-p 00000000 00:00 0 +0",
            "map 0      +0",
        ];
        assert_eq!(smaps_lines(&mut s), once);
        assert_eq!(smaps_lines(&mut s), once);
    }
}
