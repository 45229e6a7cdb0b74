//! The rows of the default, `-x` and `-d` formats, made from maps records as procps-ng
//! 4.0.2 makes them (docs/pmap.md, "Formats"):
//!
//! * a row per mapping line (`-x`: printed at the mapping's `Swap:` line, one per mapping
//!   line however many Swap lines follow), within the `-A` range;
//! * the mapping column from the whole line ([`mapping_name`]), sanitized with 4.0.5's
//!   rule; a `-x` row's name as procps's line buffer holds it at the Swap line;
//! * `-x`: a row's `Rss`/`Shared_Dirty`/`Private_Dirty` are assigned (the last repeated
//!   line counts), the totals sum every line, also those of mappings below the range;
//! * the mode column made in the perms variable itself (see `MapVars::edit_mode`).

use crate::text::sanitize_name;
use crate::{Format, Opts};
use memtools_platform::procmaps::scan::{MapVars, MapsRecord, MapsSource, LINE_BUF};
use std::io;

/// What decides the rows besides the records.
#[derive(Clone, Debug)]
pub struct Plan {
    pub format: Format,
    /// `-q`: no header and footer.
    pub quiet: bool,
    pub show_path: bool,
    pub kernel_names: bool,
    /// `-A low,high`.
    pub range: (u64, u64),
    /// The SysV shared memory device minor of this system (its mappings are named by
    /// shmid).
    pub shm_minor: Option<u32>,
    /// The process's `startstack`: the mapping holding it is `[ stack ]`.
    pub startstack: u64,
    /// Rows carry `perms` and `name` (`--json`).
    pub json: bool,
}

impl Plan {
    pub fn new(o: &Opts, shm_minor: Option<u32>, startstack: u64) -> Plan {
        Plan {
            format: o.format,
            quiet: o.quiet,
            show_path: o.show_path,
            kernel_names: o.kernel_names,
            range: o.range,
            shm_minor,
            startstack,
            json: o.json,
        }
    }
}

/// One row, as the text shows it (and `--json` adds `perms` and `name`).
pub struct Row<'a> {
    pub start: u64,
    /// `end - start` in bytes, wrapping as C's unsigned arithmetic does for a bogus line.
    pub size: u64,
    /// `-x`: RSS and Dirty, kB.
    pub rss_dirty: Option<(u64, u64)>,
    pub offset: u64,
    pub major: u32,
    pub minor: u32,
    /// The perms text as read (with `Plan::json`; empty otherwise).
    pub perms: &'a [u8],
    /// The mode column (`r-x--`).
    pub mode: &'a [u8],
    /// The mapping column.
    pub mapping: &'a [u8],
    /// The kernel's pathname column (with `Plan::json`; empty otherwise).
    pub name: &'a [u8],
}

impl<'a> Row<'a> {
    /// The row of the mapping the variables describe.
    fn new(
        v: &'a MapVars,
        size: u64,
        rss_dirty: Option<(u64, u64)>,
        perms: &'a [u8],
        mapping: &'a [u8],
        name: &'a [u8],
    ) -> Row<'a> {
        Row {
            start: v.start,
            size,
            rss_dirty,
            offset: v.offset,
            major: v.major,
            minor: v.minor,
            perms,
            mode: v.perms(),
            mapping,
            name,
        }
    }
}

/// The footer's figures. Sums wrap as the original's C `unsigned long` sums do.
#[derive(Clone, Copy, Debug, Default)]
pub struct Totals {
    /// Bytes of shared mappings.
    pub shared: u64,
    /// Bytes of writeable private mappings.
    pub writeable_private: u64,
    /// Bytes of read-only private mappings.
    pub readonly_private: u64,
    /// `-x`: kB.
    pub rss: u64,
    pub dirty: u64,
}

impl Totals {
    /// All mapped bytes (shared and private; a mapping whose perms say neither is not
    /// counted).
    pub fn mapped(&self) -> u64 {
        self.shared
            .wrapping_add(self.writeable_private)
            .wrapping_add(self.readonly_private)
    }
}

/// Derives the mapping column from the whole (sanitized) line. Returns where the name
/// starts in the line when it is a part of it (a path or a `-k` label; `None` for the
/// `[ anon ]`/`[ stack ]`/shmid labels): procps keeps a pointer into its line buffer.
fn mapping_name(line: &[u8], v: &MapVars, plan: &Plan, name: &mut Vec<u8>) -> Option<usize> {
    name.clear();
    if v.major == 0 && Some(v.minor) == plan.shm_minor && contains(line, b"/SYSV") {
        name.extend_from_slice(b"  [ shmid=0x");
        let mut tmp = [0u8; 16];
        name.extend_from_slice(memtools_core::sink::fmt_hex(v.inode, &mut tmp));
        name.extend_from_slice(b" ]");
        return None;
    }
    if let Some(first) = line.iter().position(|&b| b == b'/') {
        if plan.show_path {
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
    if plan.kernel_names && line.last() == Some(&b']') {
        if let Some(b) = line.iter().position(|&c| c == b'[') {
            name.extend_from_slice(&line[b..]);
            return Some(b);
        }
    }
    if v.start <= plan.startstack && plan.startstack <= v.end {
        name.extend_from_slice(b"  [ stack ]");
    } else {
        name.extend_from_slice(b"  [ anon ]");
    }
    None
}

fn contains(h: &[u8], n: &[u8]) -> bool {
    h.windows(n.len()).any(|w| w == n)
}

/// Reads every record of `src` and hands each row to `emit`; the totals at the end (an
/// I/O error ends the rows without them).
pub fn rows<S: MapsSource>(
    src: &mut S,
    plan: &Plan,
    mut emit: impl FnMut(&Row<'_>),
) -> io::Result<Totals> {
    let fmt = plan.format;
    let (low, high) = plan.range;
    let mut t = Totals::default();
    // The pending `-x` row's values are assigned, not summed: a repeated key counts once,
    // its last value (the totals sum every line); Swap sets them back to 0 (observed with
    // 4.0.2).
    let (mut rss, mut shared_dirty, mut private_dirty) = (0u64, 0u64, 0u64);
    let mut have_row = false;
    // The sanitized line (when it is not ASCII), the mapping column, and for `--json` the
    // perms before the mode edit and (`-x`) the pending row's pathname.
    let mut sane = Vec::with_capacity(LINE_BUF);
    let mut name = Vec::with_capacity(LINE_BUF);
    let mut perms = [0u8; 32];
    let mut perms_len = 0;
    let mut raw_name = Vec::new();
    // `-x`: where the pending row's name starts in procps's line buffer.
    let mut name_at: Option<usize> = None;
    while let Some(rec) = src.next_maps()? {
        match rec {
            MapsRecord::Key(k) => {
                // procps prints a `-x` row's name at its Swap line from its line buffer,
                // which every later piece has overwritten up to the piece's length (and
                // its NUL): a piece reaching the name's start replaces it. Real smaps never
                // do (names start at column 73); observed with 4.0.2 on hostile smaps.
                if let Some(s) = name_at.and_then(|at| k.buffer_at(at)) {
                    name.clear();
                    name.extend_from_slice(s);
                    if !name.is_ascii() {
                        sanitize_name(&mut name);
                    }
                }
                // A key line whose number does not convert is ignored (`Rss: abc` neither
                // sets the row's RSS nor adds to the total, as the oracle shows).
                let Some((key, value)) = k.field else {
                    continue;
                };
                match key {
                    b"Rss" => {
                        rss = value;
                        t.rss = t.rss.wrapping_add(value);
                    }
                    b"Shared_Dirty" => {
                        shared_dirty = value;
                        t.dirty = t.dirty.wrapping_add(value);
                    }
                    b"Private_Dirty" => {
                        private_dirty = value;
                        t.dirty = t.dirty.wrapping_add(value);
                    }
                    b"Swap" => {
                        if have_row {
                            let v = k.vars;
                            let dirty = shared_dirty.wrapping_add(private_dirty);
                            emit(&Row::new(
                                v,
                                v.end.wrapping_sub(v.start),
                                Some((rss, dirty)),
                                &perms[..perms_len],
                                &name,
                                &raw_name,
                            ));
                            // One row per mapping line, however many Swap lines follow.
                            have_row = false;
                        }
                        rss = 0;
                        shared_dirty = 0;
                        private_dirty = 0;
                    }
                    _ => {}
                }
            }
            MapsRecord::Mapping(m) => {
                let pathname = if plan.json { m.name() } else { b"" };
                let line: &[u8] = if m.line.is_ascii() {
                    m.line
                } else {
                    sane.clear();
                    sane.extend_from_slice(m.line);
                    sanitize_name(&mut sane);
                    &sane
                };
                let v = m.vars;
                if v.end.wrapping_sub(1) < low {
                    have_row = false;
                    continue;
                }
                if v.start > high {
                    break;
                }
                let size = v.end.wrapping_sub(v.start);
                match v.perm(3) {
                    b's' => t.shared = t.shared.wrapping_add(size),
                    b'p' if v.perm(1) == b'w' => {
                        t.writeable_private = t.writeable_private.wrapping_add(size)
                    }
                    b'p' => t.readonly_private = t.readonly_private.wrapping_add(size),
                    _ => {}
                }
                name_at = mapping_name(line, v, plan, &mut name);
                if plan.json {
                    let p = v.perms();
                    perms[..p.len()].copy_from_slice(p);
                    perms_len = p.len();
                }
                v.edit_mode();
                if fmt == Format::Extended {
                    have_row = true;
                    raw_name.clear();
                    raw_name.extend_from_slice(pathname);
                    continue;
                }
                emit(&Row::new(
                    v,
                    size,
                    None,
                    &perms[..perms_len],
                    &name,
                    pathname,
                ));
            }
        }
    }
    Ok(t)
}
