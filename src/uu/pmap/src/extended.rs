//! `-X`, `-XX` and the rc-driven format: columns follow the kernel's smaps fields in kernel
//! order (unknown fields included), widths come from the data. smaps is streamed twice,
//! as procps does: a measuring pass, then a printing pass, so memory stays bounded however
//! many mappings the process has.

use crate::out::{digits, Out};
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
    if let Some(v) = take_set(s, &mut p, 127, |b| b != b'\n') {
        m.desc = v;
        m.n = 7;
    }
    m
}

/// `sscanf(line, "%31[^:]: %20[0-9] kB %c", name, value) == 2`.
fn scan_detail(s: &[u8]) -> Option<(&[u8], &[u8])> {
    let mut p = 0;
    let name = take_set(s, &mut p, 31, |b| b != b':')?;
    if s.get(p) != Some(&b':') {
        return None;
    }
    p += 1;
    skip_ws(s, &mut p);
    let value = take_set(s, &mut p, 20, |b| b.is_ascii_digit())?;
    skip_ws(s, &mut p);
    if s.get(p) == Some(&b'k') && s.get(p + 1) == Some(&b'B') {
        p += 2;
        skip_ws(s, &mut p);
        if p < s.len() {
            return None; // a third conversion (%c) succeeded
        }
    }
    Some((name, value))
}

/// `sscanf(line, "VmFlags: %127[a-z ]", flags)`, with one trailing space removed.
fn scan_vmflags(s: &[u8]) -> Option<&[u8]> {
    let rest = s.strip_prefix(b"VmFlags:")?;
    let mut p = 0;
    skip_ws(rest, &mut p);
    let f = take_set(rest, &mut p, 127, |b| b.is_ascii_lowercase() || b == b' ').unwrap_or(b"");
    Some(f.strip_suffix(b" ").unwrap_or(f))
}

/// Reads one line as procps does: at most 1023 bytes; the rest of a longer line is
/// discarded.
fn next_line<'a, R: Read>(
    src: &'a mut LineReader<R>,
    keep: &'a mut Vec<u8>,
) -> io::Result<Option<&'a [u8]>> {
    keep.clear();
    let Some(l) = src.fgets(LINE_BUF)? else {
        return Ok(None);
    };
    keep.extend_from_slice(l);
    if keep.last() != Some(&b'\n') {
        while let Some(rest) = src.fgets(LINE_BUF)? {
            if rest.last() == Some(&b'\n') {
                break;
            }
        }
    }
    Ok(Some(keep))
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

/// One pass over smaps. In the measuring pass (`out` is `None`) it builds or checks the
/// field list, widths and totals; in the printing pass it writes rows.
struct Pass<'s> {
    st: &'s mut XState,
    cols: &'s Columns,
    on: BaseOn,
    quiet: bool,
    show_path: bool,
}

impl Pass<'_> {
    fn run<R: Read, W: Write>(
        &mut self,
        src: &mut LineReader<R>,
        bw: &mut BaseWidths,
        mut out: Option<&mut Out<W>>,
        header_done: &mut bool,
    ) -> Result<(), Fatal> {
        let mut cur = Vec::with_capacity(LINE_BUF);
        let mut pending = false; // `cur` holds a line still to be handled as a mapping
        let mut desc = Vec::with_capacity(128);
        loop {
            if !pending {
                match next_line(src, &mut cur)? {
                    Some(_) => {}
                    None => return Ok(()),
                }
            }
            pending = false;
            let m = scan_mapping(&cur);
            if m.n < 6 {
                return Err(Fatal::Format);
            }
            desc.clear();
            desc.extend_from_slice(m.desc);
            match out.as_deref_mut() {
                None => {
                    bw.addr = bw.addr.max(m.start.len());
                    bw.perm = bw.perm.max(m.perm.len());
                    bw.off = bw.off.max(m.offset.len());
                    bw.dev = bw.dev.max(m.dev.len());
                    bw.inode = bw.inode.max(m.inode.len());
                }
                Some(o) => {
                    if !*header_done {
                        *header_done = true;
                        if !self.quiet {
                            self.header(bw, o);
                        }
                    }
                    o.right(m.start, bw.addr);
                    if self.on.perm {
                        o.byte(b' ');
                        o.right(m.perm, bw.perm);
                    }
                    if self.on.off {
                        o.byte(b' ');
                        o.right(m.offset, bw.off);
                    }
                    if self.on.dev {
                        o.byte(b' ');
                        o.right(m.dev, bw.dev);
                    }
                    if self.on.inode {
                        o.byte(b' ');
                        o.right(m.inode, bw.inode);
                    }
                }
            }
            // Detail lines.
            let mut idx = 0;
            let mut flags: Option<Vec<u8>> = None;
            let building = !self.st.established;
            loop {
                if next_line(src, &mut cur)?.is_none() {
                    self.end_row(&desc, flags.as_deref(), out.as_deref_mut());
                    self.st.established = true;
                    return Ok(());
                }
                if let Some((name, value)) = scan_detail(&cur) {
                    if !self.cols.enabled(name) {
                        continue;
                    }
                    if building && out.is_none() {
                        self.st.fields.push(Field {
                            name: name.to_vec(),
                            width: 0,
                            total: 0,
                        });
                    } else if self.st.fields.get(idx).map(|f| f.name.as_slice()) != Some(name) {
                        return Err(Fatal::Inconsistent(cur.clone()));
                    }
                    let f = &mut self.st.fields[idx];
                    idx += 1;
                    match out.as_deref_mut() {
                        None => {
                            // C `unsigned long` sum, wrapping as the original's does.
                            let v = memtools_core::cnum::strtoul(value, 10).value;
                            f.total = f.total.wrapping_add(v);
                            if self.quiet {
                                f.width = f.width.max(value.len());
                            }
                        }
                        Some(o) => {
                            o.byte(b' ');
                            o.right(value, f.width);
                        }
                    }
                    continue;
                }
                if let Some(fl) = scan_vmflags(&cur) {
                    if out.is_none() {
                        self.st.has_vmflags = true;
                        self.st.vmflags_width = self.st.vmflags_width.max(fl.len());
                    }
                    flags = Some(fl.to_vec());
                    break;
                }
                pending = true;
                break;
            }
            self.st.established = true;
            self.end_row(&desc, flags.as_deref(), out.as_deref_mut());
        }
    }

    fn end_row<W: Write>(&self, desc: &[u8], flags: Option<&[u8]>, out: Option<&mut Out<W>>) {
        let Some(o) = out else { return };
        if self.on.vmflags && self.st.has_vmflags {
            o.byte(b' ');
            o.right(flags.unwrap_or(b""), self.st.vmflags_width);
        }
        if self.on.mapping {
            o.byte(b' ');
            let shown = if self.show_path {
                desc
            } else {
                match desc.iter().rposition(|&b| b == b'/') {
                    Some(p) => &desc[p + 1..],
                    None => desc,
                }
            };
            o.bytes(shown);
        }
        o.byte(b'\n');
        o.maybe_flush();
    }

    fn header<W: Write>(&mut self, bw: &mut BaseWidths, o: &mut Out<W>) {
        fn item<W: Write>(o: &mut Out<W>, w: &mut usize, word: &[u8]) {
            *w = (*w).max(word.len());
            o.right(word, *w);
            o.byte(b' ');
        }
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
        for f in self.st.fields.iter_mut() {
            item(o, &mut f.width, &f.name.clone());
        }
        if self.on.vmflags && self.st.has_vmflags {
            item(o, &mut self.st.vmflags_width, b"VmFlags");
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
    out: &mut Out<W>,
) -> Result<(), Fatal> {
    let on = BaseOn::from(cols);
    let mut bw = BaseWidths::default();
    let mut header_done = false;
    // Totals are per process (the procps-ng 4.0.4 fix; 4.0.2 accumulated them). The
    // VmFlags column is measured per process too; field widths persist.
    for f in st.fields.iter_mut() {
        f.total = 0;
    }
    st.has_vmflags = false;
    st.vmflags_width = 0;
    let mut pass = Pass {
        st,
        cols,
        on,
        quiet,
        show_path,
    };
    pass.run::<R, W>(src, &mut bw, None, &mut header_done)?;
    if !quiet {
        for f in pass.st.fields.iter_mut() {
            f.width = f.width.max(f.name.len()).max(digits(f.total));
        }
    }
    src.rewind()?;
    pass.run(src, &mut bw, Some(out), &mut header_done)?;
    if !quiet && !pass.st.fields.is_empty() {
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
        for f in &pass.st.fields {
            out.buf.resize(out.buf.len() + f.width, b'=');
            out.byte(b' ');
        }
        out.byte(b'\n');
        out.spaces(g);
        for f in &pass.st.fields {
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
            Some((&b"Size"[..], &b"8"[..]))
        );
        assert_eq!(
            scan_detail(b"THPeligible:           0\n"),
            Some((&b"THPeligible"[..], &b"0"[..]))
        );
        assert_eq!(scan_detail(b"VmFlags: rd mr\n"), None);
        assert_eq!(scan_detail(b"Foo: 12 kB x\n"), None);
        assert_eq!(
            scan_vmflags(b"VmFlags: rd mr mw me \n"),
            Some(&b"rd mr mw me"[..])
        );
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
