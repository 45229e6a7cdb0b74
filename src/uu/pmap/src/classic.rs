//! The default, `-x` and `-d` formats: procps-ng reads `maps` (or `smaps` for `-x`) with
//! `fgets` into a 1024-byte buffer and `sscanf`s every line. Both quirks are reproduced:
//! lines longer than 1023 bytes are processed in pieces, and values a failed conversion
//! did not assign keep what the previous line left in them.

use crate::json;
use crate::text::sanitize_name;
use crate::{Format, Opts};
use memtools_core::cnum::{c_isspace, strtoul};
use memtools_core::Sink;
use memtools_platform::procmaps::LineReader;
use std::io::{self, Read, Write};

/// procps's `fgets` buffer.
const LINE_BUF: usize = 1024;

/// The variables one `sscanf("%lx-%lx %31s %llx %x:%x %llu")` call assigns. They live for
/// the whole process, so an incomplete conversion leaves earlier values in place.
#[derive(Default)]
struct MapVars {
    start: u64,
    end: u64,
    /// NUL-terminated, as C's `char perms[32]`.
    perms: [u8; 32],
    offset: u64,
    major: u32,
    minor: u32,
    inode: u64,
}

struct Scan<'a> {
    s: &'a [u8],
    p: usize,
}

impl Scan<'_> {
    fn skip_ws(&mut self) {
        while self.p < self.s.len() && c_isspace(self.s[self.p]) {
            self.p += 1;
        }
    }
    fn num(&mut self, base: u32) -> Option<u64> {
        let r = strtoul(&self.s[self.p..], base);
        if r.end == 0 {
            return None;
        }
        self.p += r.end;
        Some(r.value)
    }
    fn lit(&mut self, c: u8) -> bool {
        if self.s.get(self.p) == Some(&c) {
            self.p += 1;
            true
        } else {
            false
        }
    }
    fn word(&mut self, max: usize, dst: &mut [u8; 32]) -> bool {
        self.skip_ws();
        let st = self.p;
        while self.p < self.s.len() && self.p - st < max && !c_isspace(self.s[self.p]) {
            self.p += 1;
        }
        if self.p == st {
            return false;
        }
        let n = self.p - st;
        dst[..n].copy_from_slice(&self.s[st..self.p]);
        dst[n] = 0;
        true
    }
}

impl MapVars {
    /// `sscanf(line, "%lx-%lx %31s %llx %x:%x %llu", ...)`, assigning in order until the
    /// first failure.
    fn scan(&mut self, line: &[u8]) {
        let mut s = Scan { s: line, p: 0 };
        let Some(v) = s.num(16) else { return };
        self.start = v;
        if !s.lit(b'-') {
            return;
        }
        let Some(v) = s.num(16) else { return };
        self.end = v;
        if !s.word(31, &mut self.perms) {
            return;
        }
        let Some(v) = s.num(16) else { return };
        self.offset = v;
        let Some(v) = s.num(16) else { return };
        self.major = v as u32;
        if !s.lit(b':') {
            return;
        }
        let Some(v) = s.num(16) else { return };
        self.minor = v as u32;
        if let Some(v) = s.num(10) {
            self.inode = v;
        }
    }

    fn perm(&self, i: usize) -> u8 {
        self.perms[i]
    }

    /// The mode text: perms[3] `p` becomes `-`, a fifth `-` is appended. procps edits the
    /// perms buffer in place, which matters for lines that fail to convert later.
    fn make_mode(&mut self) {
        if self.perms[3] == b'p' {
            self.perms[3] = b'-';
        }
        self.perms[4] = b'-';
        self.perms[5] = 0;
    }

    fn mode(&self) -> &[u8] {
        let n = self.perms.iter().position(|&b| b == 0).unwrap_or(32);
        &self.perms[..n]
    }
}

/// Derives the mapping column from the whole (sanitized) line. Returns where the name
/// starts in the line when it is a part of it (a path or a `-k` label; `None` for the
/// `[ anon ]`/`[ stack ]`/shmid labels): procps keeps a pointer into its line buffer.
fn mapping_name(
    line: &[u8],
    v: &MapVars,
    o: &Opts,
    shm_minor: Option<u32>,
    startstack: u64,
    name: &mut Vec<u8>,
) -> Option<usize> {
    name.clear();
    if v.major == 0 && Some(v.minor) == shm_minor && contains(line, b"/SYSV") {
        name.extend_from_slice(b"  [ shmid=0x");
        let mut tmp = [0u8; 16];
        let mut i = 16;
        let mut x = v.inode;
        loop {
            i -= 1;
            tmp[i] = b"0123456789abcdef"[(x & 15) as usize];
            x >>= 4;
            if x == 0 {
                break;
            }
        }
        name.extend_from_slice(&tmp[i..]);
        name.extend_from_slice(b" ]");
        return None;
    }
    if let Some(first) = line.iter().position(|&b| b == b'/') {
        if o.show_path {
            name.extend_from_slice(&line[first..]);
            return Some(first);
        }
        let last = line.iter().rposition(|&b| b == b'/').unwrap_or(first);
        if last + 1 == line.len() {
            name.push(b'/');
            return None;
        }
        name.extend_from_slice(&line[last + 1..]);
        return Some(last + 1);
    }
    if o.kernel_names && line.last() == Some(&b']') {
        if let Some(b) = line.iter().position(|&c| c == b'[') {
            name.extend_from_slice(&line[b..]);
            return Some(b);
        }
    }
    if v.start <= startstack && startstack <= v.end {
        name.extend_from_slice(b"  [ stack ]");
    } else {
        name.extend_from_slice(b"  [ anon ]");
    }
    None
}

fn contains(h: &[u8], n: &[u8]) -> bool {
    h.windows(n.len()).any(|w| w == n)
}

/// `sscanf(line, "%20[^:]: %llu", key, &value) == 2` for the `-x` key lines: the key and
/// the value, or `None` when the number does not convert (procps-ng then ignores the line:
/// `Rss: abc` neither sets the row's RSS nor adds to the total, as the oracle shows).
fn scan_key(line: &[u8]) -> Option<(&[u8], u64)> {
    let mut n = 0;
    while n < line.len() && n < 20 && line[n] != b':' {
        n += 1;
    }
    if line.get(n) != Some(&b':') {
        return None;
    }
    let r = strtoul(&line[n + 1..], 10);
    // `%llu` needs at least one digit (after optional blanks and sign).
    (r.end > 0).then_some((&line[..n], r.value))
}

/// One `--json` row: the same mapping the text row shows (docs/json.md, "pmap").
struct JsonRow<'a> {
    v: &'a MapVars,
    size: u64,
    /// `-x`: RSS and Dirty, KiB.
    rss_dirty: Option<(u64, u64)>,
    perms: &'a [u8],
    mapping: &'a [u8],
    name: &'a [u8],
}

impl JsonRow<'_> {
    fn write<W: Write>(&self, fmt: Format, first: &mut bool, out: &mut Sink<W>) {
        if !*first {
            out.byte(b',');
        }
        *first = false;
        out.bytes(b"{\"address\":");
        out.dec(self.v.start, 0);
        out.bytes(b",\"size\":");
        out.dec(self.size, 0);
        if let Some((rss, dirty)) = self.rss_dirty {
            out.bytes(b",\"rss\":");
            out.dec(json::kib(rss), 0);
            out.bytes(b",\"dirty\":");
            out.dec(json::kib(dirty), 0);
        }
        if fmt == Format::Device {
            out.bytes(b",\"offset\":");
            out.dec(self.v.offset, 0);
            out.bytes(b",\"device_major\":");
            out.dec(u64::from(self.v.major), 0);
            out.bytes(b",\"device_minor\":");
            out.dec(u64::from(self.v.minor), 0);
        }
        out.bytes(b",\"perms\":");
        json::str_lit(out, self.perms);
        out.bytes(b",\"mode\":");
        json::str_lit(out, self.v.mode());
        out.bytes(b",\"mapping\":");
        json::str_lit(out, self.mapping);
        out.bytes(b",\"name\":");
        json::str_lit(out, self.name);
        out.byte(b'}');
        out.maybe_flush();
    }
}

/// Prints one process's rows and footer in the default, `-x` or `-d` format. With
/// `json_head` (`--json`), the rows and totals are one JSON object instead, streamed as
/// the text is; the caller ends it (`json::ok_tail`, or `json::error_tail` inside the
/// mappings array on an error).
pub fn render<R: Read, W: Write>(
    src: &mut LineReader<R>,
    o: &Opts,
    shm_minor: Option<u32>,
    startstack: u64,
    json_head: Option<&[u8]>,
    out: &mut Sink<W>,
) -> io::Result<()> {
    let fmt = o.format;
    let json = json_head.is_some();
    let mut first = true;
    let mut perms = Vec::new();
    let mut raw_name = Vec::new();
    if let Some(h) = json_head {
        out.bytes(h);
        out.bytes(b",\"mappings\":[");
    } else if !o.quiet {
        match fmt {
            Format::Extended => {
                out.bytes(b"Address           Kbytes     RSS   Dirty Mode  Mapping\n")
            }
            Format::Device => {
                out.bytes(b"Address           Kbytes Mode  Offset           Device    Mapping\n")
            }
            _ => {}
        }
    }
    let mut v = MapVars::default();
    let (mut shared, mut pw, mut pr) = (0u64, 0u64, 0u64);
    let (mut total_rss, mut total_dirty) = (0u64, 0u64);
    // The row's values are assigned, not summed: a repeated key counts once, its last
    // value (the totals sum every line); Swap sets them back to 0 (observed with 4.0.2).
    let (mut rss, mut shared_dirty, mut private_dirty) = (0u64, 0u64, 0u64);
    let mut have_row = false;
    let mut line = Vec::with_capacity(LINE_BUF);
    let mut name = Vec::with_capacity(LINE_BUF);
    let (low, high) = o.range;
    // Each piece is a C string to procps: the text before a NUL byte is all it sees, and a
    // piece starting with NUL is empty (it converts nothing).
    // `-x`: where the pending row's name starts in procps's line buffer (see below).
    let mut name_at: Option<usize> = None;
    while let Some((piece, raw)) = src.fgets_both(LINE_BUF)? {
        // A line starting with an upper-case letter is a "Key: value" line, in every
        // format (it matters for a long line's second piece).
        if raw.first().is_some_and(u8::is_ascii_uppercase) {
            // procps prints a `-x` row's name at its Swap line from its line buffer, which
            // every later piece has overwritten up to the piece's length (and its NUL): a
            // piece reaching the name's start replaces it. Real smaps never do (names
            // start at column 73); observed with 4.0.2 on hostile smaps.
            if let Some(at) = name_at.filter(|&at| piece.len() >= at) {
                name.clear();
                name.extend_from_slice(memtools_platform::procmaps::c_str(&piece[at..]));
                if !name.is_ascii() {
                    sanitize_name(&mut name);
                }
            }
            let Some((key, value)) = scan_key(raw) else {
                continue;
            };
            match key {
                b"Rss" => {
                    rss = value;
                    total_rss = total_rss.wrapping_add(value);
                }
                b"Shared_Dirty" | b"Private_Dirty" => {
                    if key == b"Shared_Dirty" {
                        shared_dirty = value;
                    } else {
                        private_dirty = value;
                    }
                    total_dirty = total_dirty.wrapping_add(value);
                }
                b"Swap" => {
                    let dirty = shared_dirty.wrapping_add(private_dirty);
                    if have_row && json {
                        JsonRow {
                            v: &v,
                            size: v.end.wrapping_sub(v.start),
                            rss_dirty: Some((rss, dirty)),
                            perms: &perms,
                            mapping: &name,
                            name: &raw_name,
                        }
                        .write(fmt, &mut first, out);
                        have_row = false;
                    } else if have_row {
                        out.hex0(v.start, 16);
                        out.byte(b' ');
                        // C unsigned arithmetic, reproduced: a bogus row can wrap.
                        out.dec(v.end.wrapping_sub(v.start) >> 10, 7);
                        out.byte(b' ');
                        out.dec(rss, 7);
                        out.byte(b' ');
                        out.dec(dirty, 7);
                        out.byte(b' ');
                        out.right(v.mode(), 5);
                        out.byte(b' ');
                        out.bytes(&name);
                        out.byte(b'\n');
                        out.maybe_flush();
                        // One row per mapping line, however many Swap lines follow.
                        have_row = false;
                    }
                    rss = 0;
                    shared_dirty = 0;
                    private_dirty = 0;
                    // Observed with procps-ng 4.0.2 (all formats): after a Swap line the
                    // end address and the perms are gone (0 and empty) for a following
                    // mapping line that does not convert them; start, offset and device
                    // are kept.
                    v.end = 0;
                    v.perms = [0; 32];
                }
                _ => {}
            }
            continue;
        }
        v.scan(raw);
        line.clear();
        line.extend_from_slice(raw.strip_suffix(b"\n").unwrap_or(raw));
        if !line.is_ascii() {
            sanitize_name(&mut line);
        }
        if v.end.wrapping_sub(1) < low {
            have_row = false;
            continue;
        }
        if v.start > high {
            break;
        }
        let size = v.end.wrapping_sub(v.start);
        match v.perm(3) {
            b's' => shared = shared.wrapping_add(size),
            b'p' => {
                if v.perm(1) == b'w' {
                    pw = pw.wrapping_add(size)
                } else {
                    pr = pr.wrapping_add(size)
                }
            }
            _ => {}
        }
        name_at = mapping_name(&line, &v, o, shm_minor, startstack, &mut name);
        if json {
            perms.clear();
            perms.extend_from_slice(v.mode());
            raw_name.clear();
            raw_name.extend_from_slice(crate::json::maps_name(raw));
        }
        v.make_mode();
        if json && fmt != Format::Extended {
            JsonRow {
                v: &v,
                size,
                rss_dirty: None,
                perms: &perms,
                mapping: &name,
                name: &raw_name,
            }
            .write(fmt, &mut first, out);
            continue;
        }
        match fmt {
            Format::Extended => have_row = true,
            Format::Device => {
                out.hex0(v.start, 16);
                out.byte(b' ');
                out.dec(size >> 10, 7);
                out.byte(b' ');
                out.right(v.mode(), 5);
                out.byte(b' ');
                out.hex0(v.offset, 16);
                out.byte(b' ');
                out.hex0(v.major as u64, 3);
                out.byte(b':');
                out.hex0(v.minor as u64, 5);
                out.byte(b' ');
                out.bytes(&name);
                out.byte(b'\n');
                out.maybe_flush();
            }
            _ => {
                out.hex0(v.start, 16);
                out.byte(b' ');
                out.dec(size >> 10, 6);
                out.bytes(b"K ");
                out.bytes(v.mode());
                out.byte(b' ');
                out.bytes(&name);
                out.byte(b'\n');
                out.maybe_flush();
            }
        }
    }
    if json {
        let total = shared.wrapping_add(pw).wrapping_add(pr);
        out.bytes(b"],\"totals\":{\"size\":");
        out.dec(total, 0);
        match fmt {
            Format::Extended => {
                out.bytes(b",\"rss\":");
                out.dec(json::kib(total_rss), 0);
                out.bytes(b",\"dirty\":");
                out.dec(json::kib(total_dirty), 0);
            }
            Format::Device => {
                out.bytes(b",\"writeable_private\":");
                out.dec(pw, 0);
                out.bytes(b",\"shared\":");
                out.dec(shared, 0);
            }
            _ => {}
        }
        out.byte(b'}');
    } else if !o.quiet {
        let total = shared.wrapping_add(pw).wrapping_add(pr);
        match fmt {
            Format::Extended => {
                out.bytes(b"---------------- ------- ------- ------- \n");
                out.bytes(b"total kB         ");
                out.sdec((total >> 10) as i64, 7);
                out.byte(b' ');
                out.dec(total_rss, 7);
                out.byte(b' ');
                out.dec(total_dirty, 7);
                out.byte(b'\n');
            }
            Format::Device => {
                out.bytes(b"mapped: ");
                out.sdec((total >> 10) as i64, 0);
                out.bytes(b"K    writeable/private: ");
                out.sdec((pw >> 10) as i64, 0);
                out.bytes(b"K    shared: ");
                out.sdec((shared >> 10) as i64, 0);
                out.bytes(b"K\n");
            }
            _ => {
                out.bytes(b" total ");
                out.sdec((total >> 10) as i64, 16);
                out.bytes(b"K\n");
            }
        }
    }
    Ok(())
}
