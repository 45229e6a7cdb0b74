//! `-X`, `-XX` and the rc-driven format: columns follow the kernel's smaps fields in kernel
//! order (unknown fields included), widths come from the data. smaps is streamed twice,
//! as procps does: a measuring pass, then a printing pass, so memory stays bounded however
//! many mappings the process has.

use crate::json;
use memtools_core::sink::{digits, Sink};
use memtools_platform::procmaps::LineReader;
use std::io::{self, Read, Seek, Write};

const LINE_BUF: usize = 1024;

/// Which columns are enabled.
#[derive(Clone, Debug, Default)]
pub struct Columns {
    /// `-X` count (1 = `-X`, 2+ = `-XX`); 0 in rc mode.
    pub x_level: u32,
    /// rc mode: the names listed in `[Fields Display]`.
    pub rc_names: Vec<Vec<u8>>,
}

/// Fields `-X` (one X) leaves out.
const X_HIDDEN: &[&[u8]] = &[
    b"AnonHugePages",
    b"KernelPageSize",
    b"MMUPageSize",
    b"Shared_Dirty",
    b"Private_Dirty",
    b"Shared_Clean",
    b"Private_Clean",
    b"VmFlags",
];

impl Columns {
    pub fn enabled(&self, name: &[u8]) -> bool {
        match self.x_level {
            0 => self.rc_names.iter().any(|n| n.as_slice() == name),
            1 => !X_HIDDEN.contains(&name),
            _ => true,
        }
    }
}

struct Field {
    name: Vec<u8>,
    width: usize,
    total: u64,
    /// The kernel gives it in kB (`--json` shows it in bytes).
    kb: bool,
    /// `--json`: the name as an object key, `"Name":`.
    json_key: Vec<u8>,
    /// The value string last read for this column in pass 1, this PID or an earlier one.
    /// procps keeps one value slot per column for the whole run, so a mapping that lacks
    /// trailing fields of the list shows, in those columns, whatever the slot held: the
    /// value of the last mapping that had the field (observed with 4.0.2).
    last: Vec<u8>,
}

/// What persists from one PID to the next in one run: the field list and field widths.
#[derive(Default)]
pub struct XState {
    fields: Vec<Field>,
    established: bool,
    has_vmflags: bool,
    vmflags_width: usize,
}

/// A fatal smaps format error (exit status 1).
pub enum Fatal {
    Io(io::Error),
    /// `Unknown format in smaps file!`
    Format,
    /// `ERROR: inconsistent detail field in smaps file, line:\n <line>`
    Inconsistent(Vec<u8>),
}

impl From<io::Error> for Fatal {
    fn from(e: io::Error) -> Self {
        Fatal::Io(e)
    }
}

/// The string conversions of one mapping line.
#[derive(Default)]
struct MapLine<'a> {
    start: &'a [u8],
    end_ok: bool,
    perm: &'a [u8],
    offset: &'a [u8],
    dev: &'a [u8],
    inode: &'a [u8],
    desc: &'a [u8],
    /// Where `desc` starts in the line.
    desc_at: usize,
    n: usize,
}

fn is_ws(b: u8) -> bool {
    memtools_core::cnum::c_isspace(b)
}

fn take_set<'a>(
    s: &'a [u8],
    p: &mut usize,
    max: usize,
    ok: impl Fn(u8) -> bool,
) -> Option<&'a [u8]> {
    let st = *p;
    while *p < s.len() && *p - st < max && ok(s[*p]) {
        *p += 1;
    }
    if *p == st {
        None
    } else {
        Some(&s[st..*p])
    }
}

fn skip_ws(s: &[u8], p: &mut usize) {
    while *p < s.len() && is_ws(s[*p]) {
        *p += 1;
    }
}

fn hexdig(b: u8) -> bool {
    b.is_ascii_digit() || (b'a'..=b'f').contains(&b)
}

/// `sscanf(line, "%20[0-9a-f]-%20[0-9a-f] %31s %20[0-9a-f] %63[0-9a-f:] %20s %127[^\n]")`.
fn scan_mapping(s: &[u8]) -> MapLine<'_> {
    let mut m = MapLine::default();
    let mut p = 0;
    let Some(v) = take_set(s, &mut p, 20, hexdig) else {
        return m;
    };
    m.start = v;
    m.n = 1;
    if s.get(p) != Some(&b'-') {
        return m;
    }
    p += 1;
    if take_set(s, &mut p, 20, hexdig).is_none() {
        return m;
    }
    m.end_ok = true;
    m.n = 2;
    skip_ws(s, &mut p);
    let Some(v) = take_set(s, &mut p, 31, |b| !is_ws(b)) else {
        return m;
    };
    m.perm = v;
    m.n = 3;
    skip_ws(s, &mut p);
    let Some(v) = take_set(s, &mut p, 20, hexdig) else {
        return m;
    };
    m.offset = v;
    m.n = 4;
    skip_ws(s, &mut p);
    let Some(v) = take_set(s, &mut p, 63, |b| hexdig(b) || b == b':') else {
        return m;
    };
    m.dev = v;
    m.n = 5;
    skip_ws(s, &mut p);
    let Some(v) = take_set(s, &mut p, 20, |b| !is_ws(b)) else {
        return m;
    };
    m.inode = v;
    m.n = 6;
    skip_ws(s, &mut p);
    m.desc_at = p;
    if let Some(v) = take_set(s, &mut p, 127, |b| b != b'\n') {
        m.desc = v;
        m.n = 7;
    }
    m
}

/// `sscanf(line, "%31[^:]: %20[0-9] kB %c", name, value) == 2`; also tells whether the
/// value's unit was `kB`.
fn scan_detail(s: &[u8]) -> Option<(&[u8], &[u8], bool)> {
    let mut p = 0;
    let name = take_set(s, &mut p, 31, |b| b != b':')?;
    if s.get(p) != Some(&b':') {
        return None;
    }
    p += 1;
    skip_ws(s, &mut p);
    let value = take_set(s, &mut p, 20, |b| b.is_ascii_digit())?;
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
    Some((name, value, kb))
}

/// `sscanf(line, "VmFlags: %127[a-z ]", flags)`, with one trailing space removed.
fn scan_vmflags(s: &[u8]) -> Option<&[u8]> {
    let rest = s.strip_prefix(b"VmFlags:")?;
    let mut p = 0;
    skip_ws(rest, &mut p);
    let f = take_set(rest, &mut p, 127, |b| b.is_ascii_lowercase() || b == b' ').unwrap_or(b"");
    Some(f.strip_suffix(b" ").unwrap_or(f))
}

/// Reads a mapping line as procps does: one `fgets` piece of at most 1023 bytes, seen as a
/// C string (the text before a NUL byte), rest dropped (see [`discard_rest`]).
fn next_line<'a, R: Read>(
    src: &'a mut LineReader<R>,
    keep: &'a mut Vec<u8>,
) -> io::Result<Option<&'a [u8]>> {
    keep.clear();
    let Some(l) = src.fgets_c(LINE_BUF)? else {
        return Ok(None);
    };
    keep.extend_from_slice(l);
    if keep.last() != Some(&b'\n') {
        discard_rest(src)?;
    }
    Ok(Some(keep))
}

/// After a mapping line whose C string does not end with `\n` (a line over 1023 bytes, or
/// a NUL byte before the newline), procps reads and drops pieces up to one whose C string
/// ends with `\n`: a NUL there hides that newline too, and the next line goes as well.
/// (Detail lines are not followed by this: the rest of a long one is read as a new line.)
fn discard_rest<R: Read>(src: &mut LineReader<R>) -> io::Result<()> {
    while let Some(rest) = src.fgets_c(LINE_BUF)? {
        if rest.last() == Some(&b'\n') {
            break;
        }
    }
    Ok(())
}

/// A digit string as C `strtoul` reads it (saturating at `u64::MAX`).
fn dec_saturating(s: &[u8]) -> u64 {
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

#[derive(Default, Clone, Copy)]
struct BaseWidths {
    addr: usize,
    perm: usize,
    off: usize,
    dev: usize,
    inode: usize,
}

/// Which base columns are on.
#[derive(Clone, Copy)]
struct BaseOn {
    perm: bool,
    off: bool,
    dev: bool,
    inode: bool,
    mapping: bool,
    vmflags: bool,
}

impl BaseOn {
    fn from(c: &Columns) -> Self {
        BaseOn {
            perm: c.enabled(b"Perm") || c.x_level > 0,
            off: c.enabled(b"Offset") || c.x_level > 0,
            dev: c.enabled(b"Device") || c.x_level > 0,
            inode: c.enabled(b"Inode") || c.x_level > 0,
            mapping: c.enabled(b"Mapping") || c.x_level > 0,
            vmflags: c.enabled(b"VmFlags"),
        }
    }
}

/// One mapping as pass 2 prints it: the mapping line's strings, the enabled fields'
/// original digit strings, and the VmFlags text.
#[derive(Default)]
struct Rec {
    start: Vec<u8>,
    perm: Vec<u8>,
    offset: Vec<u8>,
    dev: Vec<u8>,
    inode: Vec<u8>,
    desc: Vec<u8>,
    /// The rest of the name when it is longer than `desc` (procps's 127 bytes): `--json`
    /// shows the whole name.
    tail: Vec<u8>,
    /// Concatenated value strings; `ends[i]` is where value `i` ends.
    vals: Vec<u8>,
    ends: Vec<usize>,
    flags: Vec<u8>,
    has_flags: bool,
}

impl Rec {
    fn clear(&mut self) {
        for v in [
            &mut self.start,
            &mut self.perm,
            &mut self.offset,
            &mut self.dev,
            &mut self.inode,
            &mut self.desc,
            &mut self.tail,
            &mut self.vals,
            &mut self.flags,
        ] {
            v.clear();
        }
        self.ends.clear();
        self.has_flags = false;
    }

    fn value(&self, i: usize) -> &[u8] {
        let s = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.vals[s..self.ends[i]]
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(b: &[u8], p: &mut usize) -> u64 {
    let mut v = 0u64;
    let mut shift = 0;
    while let Some(&x) = b.get(*p) {
        *p += 1;
        if shift < 64 {
            v |= u64::from(x & 0x7f) << shift;
        }
        shift += 7;
        if x & 0x80 == 0 {
            break;
        }
    }
    v
}

fn put_bytes(out: &mut Vec<u8>, s: &[u8]) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s);
}

fn get_bytes<'a>(b: &'a [u8], p: &mut usize) -> &'a [u8] {
    let n = get_varint(b, p) as usize;
    let s = (*p).min(b.len());
    let e = s.saturating_add(n).min(b.len());
    *p = e;
    &b[s..e]
}

impl Rec {
    /// Appends a compact encoding: strings length-prefixed; a value in canonical decimal
    /// form below 2^63 as a varint (`v << 1`), any other digit string verbatim.
    fn encode(&self, out: &mut Vec<u8>) {
        for v in [
            &self.start,
            &self.perm,
            &self.offset,
            &self.dev,
            &self.inode,
            &self.desc,
            &self.tail,
        ] {
            put_bytes(out, v);
        }
        if self.has_flags {
            put_varint(out, self.flags.len() as u64 + 1);
            out.extend_from_slice(&self.flags);
        } else {
            put_varint(out, 0);
        }
        put_varint(out, self.ends.len() as u64);
        for i in 0..self.ends.len() {
            let v = self.value(i);
            let canonical = !v.is_empty() && v.len() <= 18 && (v[0] != b'0' || v.len() == 1);
            if canonical {
                put_varint(out, dec_saturating(v) << 1);
            } else {
                put_varint(out, ((v.len() as u64) << 1) | 1);
                out.extend_from_slice(v);
            }
        }
    }

    fn decode(&mut self, b: &[u8], p: &mut usize) {
        self.clear();
        for i in 0..7 {
            let s = get_bytes(b, p);
            let dst = match i {
                0 => &mut self.start,
                1 => &mut self.perm,
                2 => &mut self.offset,
                3 => &mut self.dev,
                4 => &mut self.inode,
                5 => &mut self.desc,
                _ => &mut self.tail,
            };
            dst.extend_from_slice(s);
        }
        let f = get_varint(b, p);
        if f > 0 {
            self.has_flags = true;
            let n = (f - 1) as usize;
            let s = (*p).min(b.len());
            let e = s.saturating_add(n).min(b.len());
            self.flags.extend_from_slice(&b[s..e]);
            *p = e;
        }
        let n = get_varint(b, p);
        for _ in 0..n {
            let v = get_varint(b, p);
            if v & 1 == 0 {
                let mut tmp = [0u8; 20];
                self.vals
                    .extend_from_slice(memtools_core::sink::fmt_dec(v >> 1, &mut tmp));
            } else {
                let len = (v >> 1) as usize;
                let s = (*p).min(b.len());
                let e = s.saturating_add(len).min(b.len());
                self.vals.extend_from_slice(&b[s..e]);
                *p = e;
            }
            self.ends.push(self.vals.len());
        }
    }
}

/// Pass 1 keeps compact records of what pass 2 prints, so smaps is read only once, as long
/// as they fit in this budget; past it they are dropped and pass 2 re-reads the file, as
/// procps does. This bounds memory for any number of mappings.
const REPLAY_BUDGET: usize = 6 * 1024 * 1024;
const CHUNK: usize = 256 * 1024;

/// The records of pass 1, in fixed-size chunks (no reallocation peaks).
struct Replay {
    chunks: Vec<Vec<u8>>,
    size: usize,
    budget: usize,
    overflow: bool,
}

impl Replay {
    fn push(&mut self, rec: &[u8]) {
        if self.overflow {
            return;
        }
        self.size += rec.len();
        if self.size > self.budget {
            self.overflow = true;
            self.chunks = Vec::new();
            return;
        }
        match self.chunks.last_mut() {
            Some(c) if c.capacity() - c.len() >= rec.len() => c.extend_from_slice(rec),
            _ => {
                let mut c = Vec::with_capacity(CHUNK.max(rec.len()));
                c.extend_from_slice(rec);
                self.chunks.push(c);
            }
        }
    }
}

/// Reads smaps mapping by mapping, building or checking the field list.
struct Reader<'s> {
    st: &'s mut XState,
    cols: &'s Columns,
    /// The detail-field sequence seen so far, with each field's enabled state.
    seq: Vec<(Vec<u8>, bool)>,
    cur: Vec<u8>,
    /// `cur` holds a line still to be handled as a mapping line.
    pending: bool,
}

impl Reader<'_> {
    /// The next mapping into `rec`; `false` at end of file. `measuring` builds the field
    /// list on the first mapping (pass 1); otherwise names are only checked.
    fn next<R: Read>(
        &mut self,
        src: &mut LineReader<R>,
        rec: &mut Rec,
        measuring: bool,
    ) -> Result<bool, Fatal> {
        if !self.pending && next_line(src, &mut self.cur)?.is_none() {
            return Ok(false);
        }
        self.pending = false;
        rec.clear();
        let m = scan_mapping(&self.cur);
        if m.n < 6 {
            return Err(Fatal::Format);
        }
        rec.start.extend_from_slice(m.start);
        rec.perm.extend_from_slice(m.perm);
        rec.offset.extend_from_slice(m.offset);
        rec.dev.extend_from_slice(m.dev);
        rec.inode.extend_from_slice(m.inode);
        rec.desc.extend_from_slice(m.desc);
        if m.desc.len() == 127 {
            let rest = &self.cur[(m.desc_at + 127).min(self.cur.len())..];
            rec.tail
                .extend_from_slice(rest.strip_suffix(b"\n").unwrap_or(rest));
        }
        let building = measuring && !self.st.established;
        let mut k = 0;
        // Each piece is a C string to procps (the text before a NUL byte); the rest of a
        // detail line over 1023 bytes is the next piece, read as a line of its own.
        while let Some(line) = src.fgets_c(LINE_BUF)? {
            if let Some((name, value, kb)) = scan_detail(line) {
                // The kernel repeats one field sequence; remember it to skip lookups.
                let enabled = match self.seq.get(k) {
                    Some((n, e)) if n.as_slice() == name => *e,
                    _ => {
                        let e = self.cols.enabled(name);
                        if k == self.seq.len() {
                            self.seq.push((name.to_vec(), e));
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
                    self.st.fields.push(Field {
                        name: name.to_vec(),
                        width: 0,
                        total: 0,
                        kb,
                        last: Vec::new(),
                        json_key: {
                            let mut o = Sink::new(Vec::new());
                            json::str_lit(&mut o, name);
                            o.byte(b':');
                            std::mem::take(&mut o.buf)
                        },
                    });
                } else if self.st.fields.get(idx).map(|f| f.name.as_slice()) != Some(name) {
                    return Err(Fatal::Inconsistent(line.to_vec()));
                }
                if measuring {
                    if let Some(f) = self.st.fields.get_mut(idx) {
                        f.last.clear();
                        f.last.extend_from_slice(value);
                    }
                }
                rec.vals.extend_from_slice(value);
                rec.ends.push(rec.vals.len());
                continue;
            }
            if let Some(fl) = scan_vmflags(line) {
                rec.flags.extend_from_slice(fl);
                rec.has_flags = true;
                break;
            }
            // Not a detail line: the next mapping line.
            self.cur.clear();
            self.cur.extend_from_slice(line);
            if self.cur.last() != Some(&b'\n') {
                discard_rest(src)?;
            }
            self.pending = true;
            break;
        }
        self.st.established = true;
        Ok(true)
    }
}

/// Prints rows (pass 2).
struct Printer<'s> {
    on: BaseOn,
    quiet: bool,
    show_path: bool,
    header_done: bool,
    bw: &'s mut BaseWidths,
    /// `--json`: rows are JSON objects.
    json: bool,
    /// Pass 2's value slots (see `Field::last`): they start as pass 1 left them and take
    /// each value a row has; a row without a trailing field prints the slot.
    slots: Vec<Vec<u8>>,
}

/// The mapping column's text: the name, or its basename without `-p`.
fn shown_name(desc: &[u8], show_path: bool) -> &[u8] {
    if show_path {
        desc
    } else {
        match desc.iter().rposition(|&b| b == b'/') {
            Some(p) => &desc[p + 1..],
            None => desc,
        }
    }
}

impl Printer<'_> {
    /// One `--json` row: the text row's columns as data (docs/json.md, "pmap").
    fn json_row<W: Write>(&mut self, st: &XState, rec: &Rec, o: &mut Sink<W>) {
        if self.header_done {
            o.byte(b',');
        }
        self.header_done = true;
        o.bytes(b"{\"address\":");
        json::opt_num(o, json::hex(&rec.start));
        if self.on.perm {
            o.bytes(b",\"perms\":");
            json::str_lit(o, &rec.perm);
        }
        if self.on.off {
            o.bytes(b",\"offset\":");
            json::opt_num(o, json::hex(&rec.offset));
        }
        if self.on.dev {
            let (major, minor) = match rec.dev.iter().position(|&b| b == b':') {
                Some(c) => (json::hex(&rec.dev[..c]), json::hex(&rec.dev[c + 1..])),
                None => (None, None),
            };
            o.bytes(b",\"device_major\":");
            json::opt_num(o, major);
            o.bytes(b",\"device_minor\":");
            json::opt_num(o, minor);
        }
        if self.on.inode {
            o.bytes(b",\"inode\":");
            json::opt_num(o, json::dec(&rec.inode));
        }
        o.bytes(b",\"smaps\":{");
        for (i, f) in st.fields.iter().enumerate().take(rec.ends.len()) {
            if i > 0 {
                o.byte(b',');
            }
            o.bytes(&f.json_key);
            let v = dec_saturating(rec.value(i));
            o.dec(if f.kb { json::kib(v) } else { v }, 0);
        }
        o.byte(b'}');
        if self.on.vmflags {
            o.bytes(b",\"vm_flags\":");
            if rec.has_flags {
                o.byte(b'[');
                for (i, fl) in rec
                    .flags
                    .split(|&b| b == b' ')
                    .filter(|f| !f.is_empty())
                    .enumerate()
                {
                    if i > 0 {
                        o.byte(b',');
                    }
                    json::str_lit(o, fl);
                }
                o.byte(b']');
            } else {
                o.bytes(b"null");
            }
        }
        if self.on.mapping {
            o.bytes(b",\"mapping\":");
            json::str_lit(o, shown_name(&rec.desc, self.show_path));
            o.bytes(b",\"name\":");
            if rec.tail.is_empty() {
                json::str_lit(o, &rec.desc);
            } else {
                let mut whole = rec.desc.clone();
                whole.extend_from_slice(&rec.tail);
                json::str_lit(o, &whole);
            }
        }
        o.byte(b'}');
        o.maybe_flush();
    }

    fn row<W: Write>(&mut self, st: &mut XState, rec: &Rec, o: &mut Sink<W>) {
        if self.json {
            return self.json_row(st, rec, o);
        }
        if !self.header_done {
            self.header_done = true;
            if !self.quiet {
                self.header(st, o);
            }
        }
        let bw = &*self.bw;
        o.right(&rec.start, bw.addr);
        for (on, v, w) in [
            (self.on.perm, &rec.perm, bw.perm),
            (self.on.off, &rec.offset, bw.off),
            (self.on.dev, &rec.dev, bw.dev),
            (self.on.inode, &rec.inode, bw.inode),
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
            o.bytes(shown_name(&rec.desc, self.show_path));
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
        if self.on.perm {
            item(o, &mut bw.perm, b"Perm");
        }
        if self.on.off {
            item(o, &mut bw.off, b"Offset");
        }
        if self.on.dev {
            item(o, &mut bw.dev, b"Device");
        }
        if self.on.inode {
            item(o, &mut bw.inode, b"Inode");
        }
        for f in st.fields.iter_mut() {
            let w = f.width.max(f.name.len());
            f.width = w;
            o.right(&f.name, w);
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

/// Prints one process in the `-X`/`-XX`/rc format.
pub fn render<R: Read + Seek, W: Write>(
    src: &mut LineReader<R>,
    st: &mut XState,
    cols: &Columns,
    quiet: bool,
    show_path: bool,
    out: &mut Sink<W>,
) -> Result<(), Fatal> {
    let mut started = false;
    render_budget(
        src,
        st,
        cols,
        quiet,
        show_path,
        (None, &mut started),
        out,
        REPLAY_BUDGET,
    )
}

/// The text of a fatal error, as the `error` field of `--json` (stderr has pmap's message).
pub fn fatal_text(e: &Fatal) -> String {
    match e {
        Fatal::Io(e) => memtools_core::out::io_strerror(e),
        Fatal::Format => "Unknown format in smaps file!".to_string(),
        Fatal::Inconsistent(line) => format!(
            "ERROR: inconsistent detail field in smaps file, line: {}",
            String::from_utf8_lossy(line.strip_suffix(b"\n").unwrap_or(line))
        ),
    }
}

/// `--json` in the `-X`/`-XX`/rc formats: one complete object per process, `head` first
/// (json::head). Pass 1 runs first, so a format error found there gives an object without
/// rows; an error while re-reading in pass 2 closes the rows written so far. Either way the
/// object ends with `error`, and the error is returned for the caller's message and status.
pub fn render_json<R: Read + Seek, W: Write>(
    src: &mut LineReader<R>,
    st: &mut XState,
    cols: &Columns,
    show_path: bool,
    head: &[u8],
    out: &mut Sink<W>,
) -> Result<(), Fatal> {
    render_json_budget(src, st, cols, show_path, head, out, REPLAY_BUDGET)
}

fn render_json_budget<R: Read + Seek, W: Write>(
    src: &mut LineReader<R>,
    st: &mut XState,
    cols: &Columns,
    show_path: bool,
    head: &[u8],
    out: &mut Sink<W>,
    budget: usize,
) -> Result<(), Fatal> {
    let mut started = false;
    let r = render_budget(
        src,
        st,
        cols,
        false,
        show_path,
        (Some(head), &mut started),
        out,
        budget,
    );
    match &r {
        Ok(()) => json::ok_tail(out),
        Err(e) => {
            if !started {
                out.bytes(head);
            }
            json::error_tail(out, started, true, &fatal_text(e));
        }
    }
    r
}

/// Pass 1, then pass 2 (text rows, or `--json` rows after `json.0`, the object's head;
/// `json.1` is set once the head is written).
#[allow(clippy::too_many_arguments)]
fn render_budget<R: Read + Seek, W: Write>(
    src: &mut LineReader<R>,
    st: &mut XState,
    cols: &Columns,
    quiet: bool,
    show_path: bool,
    json: (Option<&[u8]>, &mut bool),
    out: &mut Sink<W>,
    budget: usize,
) -> Result<(), Fatal> {
    let (json_head, started) = json;
    let on = BaseOn::from(cols);
    let mut bw = BaseWidths::default();
    // Totals are per process (the procps-ng 4.0.4 fix; 4.0.2 accumulated them). The
    // VmFlags column is measured per process too; field widths persist.
    for f in st.fields.iter_mut() {
        f.total = 0;
    }
    st.has_vmflags = false;
    st.vmflags_width = 0;
    let mut reader = Reader {
        st,
        cols,
        seq: Vec::new(),
        cur: Vec::with_capacity(LINE_BUF),
        pending: false,
    };
    let mut rec = Rec::default();
    let mut replay = Replay {
        chunks: Vec::new(),
        size: 0,
        budget,
        overflow: false,
    };
    let mut scratch = Vec::with_capacity(512);
    // Pass 1: widths, totals, and the replay records.
    while reader.next(src, &mut rec, true)? {
        bw.addr = bw.addr.max(rec.start.len());
        bw.perm = bw.perm.max(rec.perm.len());
        bw.off = bw.off.max(rec.offset.len());
        bw.dev = bw.dev.max(rec.dev.len());
        bw.inode = bw.inode.max(rec.inode.len());
        let st = &mut *reader.st;
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
    }
    let st = reader.st;
    if !quiet {
        for f in st.fields.iter_mut() {
            f.width = f.width.max(f.name.len()).max(digits(f.total));
        }
    }
    if let Some(h) = json_head {
        out.bytes(h);
        out.bytes(b",\"fields\":[");
        for (i, f) in st.fields.iter().enumerate() {
            if i > 0 {
                out.byte(b',');
            }
            out.bytes(b"{\"name\":");
            json::str_lit(out, &f.name);
            out.bytes(if f.kb {
                b",\"bytes\":true}"
            } else {
                b",\"bytes\":false}"
            });
        }
        out.bytes(b"],\"mappings\":[");
        *started = true;
    }
    let json_on = json_head.is_some();
    let mut printer = Printer {
        on,
        quiet,
        show_path,
        header_done: false,
        bw: &mut bw,
        json: json_on,
        slots: st.fields.iter().map(|f| f.last.clone()).collect(),
    };
    // Pass 2: print, from the records or by reading the file again.
    if replay.overflow {
        drop(replay);
        src.rewind()?;
        let mut reader = Reader {
            st,
            cols,
            seq: Vec::new(),
            cur: Vec::with_capacity(LINE_BUF),
            pending: false,
        };
        while reader.next(src, &mut rec, false)? {
            printer.row(reader.st, &rec, out);
        }
        if json_on {
            return json_totals(reader.st, out);
        }
        return footer(reader.st, &on, &bw, quiet, out);
    }
    for chunk in &replay.chunks {
        let mut p = 0;
        while p < chunk.len() {
            rec.decode(chunk, &mut p);
            printer.row(st, &rec, out);
        }
    }
    if json_on {
        return json_totals(st, out);
    }
    footer(st, &on, &bw, quiet, out)
}

/// `--json`: closes the rows and writes the footer's totals (kB fields in bytes).
fn json_totals<W: Write>(st: &XState, out: &mut Sink<W>) -> Result<(), Fatal> {
    out.bytes(b"],\"totals\":{");
    for (i, f) in st.fields.iter().enumerate() {
        if i > 0 {
            out.byte(b',');
        }
        out.bytes(&f.json_key);
        out.dec(if f.kb { json::kib(f.total) } else { f.total }, 0);
    }
    out.byte(b'}');
    Ok(())
}

fn footer<W: Write>(
    st: &XState,
    on: &BaseOn,
    bw: &BaseWidths,
    quiet: bool,
    out: &mut Sink<W>,
) -> Result<(), Fatal> {
    if !quiet && !st.fields.is_empty() {
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
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detail_lines() {
        assert_eq!(
            scan_detail(b"Size:                  8 kB\n"),
            Some((&b"Size"[..], &b"8"[..], true))
        );
        assert_eq!(
            scan_detail(b"THPeligible:           0\n"),
            Some((&b"THPeligible"[..], &b"0"[..], false))
        );
        assert_eq!(scan_detail(b"VmFlags: rd mr\n"), None);
        assert_eq!(scan_detail(b"Foo: 12 kB x\n"), None);
        assert_eq!(
            scan_vmflags(b"VmFlags: rd mr mw me \n"),
            Some(&b"rd mr mw me"[..])
        );
    }

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
                rc_names: Vec::new(),
            };
            let mut outs = Vec::new();
            for budget in [REPLAY_BUDGET, 0] {
                let mut src = LineReader::new(std::io::Cursor::new(smaps.clone()));
                let mut st = XState::default();
                let mut out = Sink::new(Vec::new());
                assert!(render_budget(
                    &mut src,
                    &mut st,
                    &cols,
                    quiet,
                    false,
                    (None, &mut false),
                    &mut out,
                    budget
                )
                .is_ok());
                outs.push(out.into_inner());
            }
            assert!(outs[0].len() > 1000);
            assert_eq!(outs[0], outs[1]);
            let mut big = Vec::new();
            let mut rec = Rec::default();
            rec.vals.extend_from_slice(b"0070018446744073709551615");
            rec.ends.extend([3, 4, 25]);
            rec.encode(&mut big);
            let mut back = Rec::default();
            let mut p = 0;
            back.decode(&big, &mut p);
            assert_eq!(back.vals, rec.vals);
            assert_eq!(back.ends, rec.ends);
        }
    }

    #[test]
    fn mapping_lines() {
        let m = scan_mapping(b"7ffff7f56000-7ffff7f63000 rw-p 00000000 00:00 0 \n");
        assert_eq!(m.n, 6);
        assert_eq!(m.desc, b"");
        let m = scan_mapping(b"08048000-08050000 r-xp 00000000 03:01 12345      /bin/old\n");
        assert_eq!(m.n, 7);
        assert_eq!(m.desc, b"/bin/old");
        assert_eq!(scan_mapping(b"Rss: 4 kB\n").n, 0);
    }
}
