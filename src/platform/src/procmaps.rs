//! Process memory maps: the Linux readers for `/proc/PID/{maps,smaps,stat,status,cmdline}`
//! below [`crate::proc_root`], and the plain region model of macOS.
//!
//! * [`scan`]: the one reader of maps/smaps text, with procps-ng's C line rules, turning
//!   lines into records (pmap's formats and vmmap consume the records);
//! * [`fgets`]: C `fgets` over a large buffer, no allocation per line ([`LineReader`]);
//! * [`Region`]: one mapping as plain data, what macOS's region walk gives
//!   ([`region_from_mach`], called from `sys/macos.rs`); [`regions::RegionRecords`] turns
//!   regions into the same records as the scanner, so one renderer serves both platforms
//!   without text in between;
//! * [`PidMaps`] and [`MapRecords`]: what `sys::process_maps` gives pmap on each OS.

pub mod fgets;
pub mod regions;
pub mod scan;

pub use fgets::{c_str, CStdio, LineReader, LINE_READER_BUF};

use scan::Scanner;
use std::io::{self, Read};
use std::path::PathBuf;

/// One mapping of a process's address space.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Region {
    pub start: u64,
    pub end: u64,
    /// `rwxp` / `rwxs` as the kernel prints them.
    pub perms: [u8; 4],
    pub offset: u64,
    pub dev_major: u32,
    pub dev_minor: u32,
    pub inode: u64,
    /// The path or kernel label (`[heap]`, `[stack]`), empty for unnamed mappings.
    pub name: Vec<u8>,
    /// smaps detail fields in order: (name, value; kB for most fields).
    pub fields: Vec<(Vec<u8>, u64)>,
}

impl Region {
    /// Size in bytes.
    pub fn size(&self) -> u64 {
        self.end.saturating_sub(self.start)
    }

    /// The value of a detail field (kB).
    pub fn field(&self, name: &str) -> Option<u64> {
        self.fields
            .iter()
            .find(|(n, _)| n.as_slice() == name.as_bytes())
            .map(|&(_, v)| v)
    }
}

/// A process as pmap shows it, from the OS that describes it ([`crate::sys::process_maps`]).
pub struct PidMaps {
    /// The pid whose map this is (Linux: a thread shows its thread-group leader's, `Tgid:`).
    pub tgid: u32,
    /// Linux: `stat`. macOS: the name, state `S`, and as `startstack` the last byte of the
    /// `[stack]` region (`u64::MAX` when unknown).
    pub stat: ProcStat,
    /// A kernel thread (Linux: pid 2 or a child of it), hidden under `LIBPROC_HIDE_KERNEL`.
    pub kernel_thread: bool,
    /// The argument vector, NUL-terminated strings.
    pub cmdline: Vec<u8>,
    /// The map as records, or why it cannot be read.
    pub records: io::Result<MapRecords>,
}

/// A process's map as records: `maps`/`smaps` through the scanner (Linux), or its regions
/// (macOS). Both are `scan::MapsSource` and `scan::SmapsSource`; a reader matches once
/// and runs its loop on the one it has (pmap's `with_records!`), not per record.
pub enum MapRecords {
    Text(Scanner<CStdio<std::fs::File>>),
    Regions(regions::RegionRecords),
}

/// Parses a kernel `maps` line (`start-end perms offset maj:min inode [name]`), with or
/// without its newline, with the scanner's conversions ([`scan::MapsLine::region`]).
/// `None` when it is not in that format.
pub fn parse_maps_line(line: &[u8]) -> Option<Region> {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let mut vars = scan::MapVars::default();
    let converted = vars.scan(line);
    scan::MapsLine {
        vars: &mut vars,
        converted,
        line,
        name: None,
    }
    .region()
}

/// `PROC_ROOT/PID`.
pub fn pid_dir(pid: u32) -> PathBuf {
    crate::proc_root().join(pid.to_string())
}

/// The fields of `/proc/PID/stat` that process tools need.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProcStat {
    /// Text between the first `(` and the last `)`.
    pub comm: Vec<u8>,
    pub state: u8,
    pub ppid: i64,
    /// Field 28, the start of the main thread's stack.
    pub startstack: u64,
}

/// Parses `/proc/PID/stat` the way procps's library does (comm between the first `(` and
/// the last `)`, the rest split on spaces, numbers read as C `strtoul`/`strtol`).
pub fn parse_stat(data: &[u8]) -> ProcStat {
    let mut st = ProcStat::default();
    let open = data.iter().position(|&b| b == b'(');
    let close = data.iter().rposition(|&b| b == b')');
    let rest = match (open, close) {
        (Some(o), Some(c)) if c > o => {
            st.comm = data[o + 1..c].to_vec();
            &data[c + 1..]
        }
        _ => return st,
    };
    // Fields from 3 (state) on.
    let mut fields = rest
        .split(|&b| b == b' ' || b == b'\n')
        .filter(|f| !f.is_empty());
    if let Some(s) = fields.next() {
        st.state = s[0];
    }
    if let Some(p) = fields.next() {
        st.ppid = memtools_core::cnum::strtol(p, 10).value;
    }
    // Fields 5..=28: 28 - 5 = 23 more, the last of which is startstack.
    if let Some(ss) = fields.nth(23) {
        st.startstack = memtools_core::cnum::strtoul(ss, 10).value;
    }
    st
}

/// Reads a file below `PROC_ROOT/PID` with a size cap.
pub fn read_pid_file(pid: u32, name: &str, limit: usize) -> io::Result<Vec<u8>> {
    let f = std::fs::File::open(pid_dir(pid).join(name))?;
    let mut v = Vec::new();
    f.take(limit as u64).read_to_end(&mut v)?;
    Ok(v)
}

/// True when `PROC_ROOT/PID` exists (C `stat` succeeds).
pub fn pid_dir_exists(pid: u32) -> bool {
    std::fs::metadata(pid_dir(pid)).is_ok()
}

/// `/proc/PID/stat`, parsed; `None` when it cannot be read or is empty (procps-ng's
/// library then reports no such process; any other content, even garbage, is parsed).
pub fn read_stat(pid: u32) -> Option<ProcStat> {
    read_pid_file(pid, "stat", 4096)
        .ok()
        .filter(|d| !d.is_empty())
        .map(|d| parse_stat(&d))
}

/// The `Tgid:` of `/proc/PID/status` read as C `atoi`; `None` when the file or line is
/// missing.
pub fn read_tgid(pid: u32) -> Option<i64> {
    let d = read_pid_file(pid, "status", 64 * 1024).ok()?;
    parse_status_tgid(&d)
}

/// The `Tgid:` value of a status text (C `atoi` of what follows the colon).
pub fn parse_status_tgid(d: &[u8]) -> Option<i64> {
    for line in d.split(|&b| b == b'\n') {
        if let Some(v) = line.strip_prefix(b"Tgid:") {
            return Some(atoi(v));
        }
    }
    None
}

/// C `atoi`: `strtol(s, NULL, 10)` truncated to `int`.
pub fn atoi(s: &[u8]) -> i64 {
    memtools_core::cnum::strtol(s, 10).value as i32 as i64
}

/// `/proc/PID/cmdline`, at most `limit` bytes; empty when unreadable.
pub fn read_cmdline(pid: u32, limit: usize) -> Vec<u8> {
    read_pid_file(pid, "cmdline", limit).unwrap_or_default()
}

/// Opens `/proc/PID/maps` or `/proc/PID/smaps` for streaming.
pub fn open_pid_file(pid: u32, name: &str) -> io::Result<std::fs::File> {
    std::fs::File::open(pid_dir(pid).join(name))
}

/// What `mach_vm_region_recurse` reports for one (non-submap) region, in plain numbers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MachRegionInfo {
    pub start: u64,
    pub size: u64,
    /// `VM_PROT_*` bits: 1 read, 2 write, 4 execute.
    pub protection: i32,
    /// The maximum protection, same bits.
    pub max_protection: i32,
    /// True when a vnode pager backs the region (a mapped file).
    pub external_pager: bool,
    /// `SM_*` share mode.
    pub share_mode: u8,
    pub offset: u64,
    pub pages_resident: u32,
    pub pages_dirtied: u32,
    pub pages_swapped_out: u32,
    /// `VM_MEMORY_*` tag; 30 (`VM_MEMORY_STACK`) marks thread stacks and their guards.
    pub user_tag: u32,
    /// The page size the three page counts are in ([`crate::darwin::region_page_size`]).
    pub page_size: u64,
    /// The path of the file mapped here, empty when there is none (only kept when the
    /// kernel's answer is about this region: [`crate::darwin::region_path_valid`]).
    pub filename: Vec<u8>,
    /// The main thread's stack ([`crate::darwin::is_main_stack`]).
    pub main_stack: bool,
}

/// Converts a macOS region into the shared model: shared modes (`SM_SHARED`,
/// `SM_TRUESHARED`, `SM_SHARED_ALIASED`) become `s`, the rest `p`; the detail fields are
/// the ones mach can supply (Size, Rss, Private_Dirty from dirtied pages, Swap), in kB.
/// The main thread's stack, when it has no file, is named `[stack]` as Linux names it;
/// guard regions and other threads' stacks keep an empty name.
pub fn region_from_mach(m: &MachRegionInfo) -> Region {
    let kb = |pages: u32| (pages as u64).saturating_mul(m.page_size) >> 10;
    let shared = matches!(m.share_mode, 4 | 5 | 7);
    let perms = [
        if m.protection & 1 != 0 { b'r' } else { b'-' },
        if m.protection & 2 != 0 { b'w' } else { b'-' },
        if m.protection & 4 != 0 { b'x' } else { b'-' },
        if shared { b's' } else { b'p' },
    ];
    let dirty = kb(m.pages_dirtied);
    let (shared_dirty, private_dirty) = if shared { (dirty, 0) } else { (0, dirty) };
    Region {
        start: m.start,
        end: m.start.saturating_add(m.size),
        perms,
        offset: m.offset,
        dev_major: 0,
        dev_minor: 0,
        inode: 0,
        name: if m.filename.is_empty() && m.main_stack {
            b"[stack]".to_vec()
        } else {
            m.filename.clone()
        },
        fields: vec![
            (b"Size".to_vec(), m.size >> 10),
            (b"Rss".to_vec(), kb(m.pages_resident)),
            (b"Shared_Dirty".to_vec(), shared_dirty),
            (b"Private_Dirty".to_vec(), private_dirty),
            (b"Swap".to_vec(), kb(m.pages_swapped_out)),
        ],
    }
}

#[cfg(test)]
mod mach_tests {
    use super::*;

    #[test]
    fn mach_region_to_smaps() {
        let r = region_from_mach(&MachRegionInfo {
            start: 0x1000_0000,
            size: 0x4000,
            protection: 5,
            max_protection: 7,
            external_pager: true,
            share_mode: 2,
            offset: 0,
            pages_resident: 2,
            pages_dirtied: 1,
            pages_swapped_out: 0,
            user_tag: 0,
            page_size: 16384,
            filename: b"/usr/lib/dyld".to_vec(),
            main_stack: false,
        });
        assert_eq!(&r.perms, b"r-xp");
        assert_eq!(r.field("Rss"), Some(32));
        assert_eq!(r.field("Private_Dirty"), Some(16));
        let names: Vec<&[u8]> = r.fields.iter().map(|(n, _)| n.as_slice()).collect();
        assert_eq!(
            names,
            [
                &b"Size"[..],
                b"Rss",
                b"Shared_Dirty",
                b"Private_Dirty",
                b"Swap"
            ]
        );
        assert_eq!(r.name, b"/usr/lib/dyld");
    }

    /// Counts are in the page size the walk reports them in: 3 resident pages of a 4 KiB
    /// (Rosetta) map are 12 kB, not 48.
    #[test]
    fn page_counts_use_the_given_page_size() {
        let r = region_from_mach(&MachRegionInfo {
            size: 0x4000,
            pages_resident: 3,
            pages_swapped_out: 1,
            page_size: crate::darwin::region_page_size(16384, 4096),
            ..Default::default()
        });
        assert_eq!(r.field("Rss"), Some(12));
        assert_eq!(r.field("Swap"), Some(4));
    }

    /// Only the main thread's stack is `[stack]`: not its guard, not another thread's
    /// stack, all three tagged VM_MEMORY_STACK without a file (macOS 14.0 arm64 capture).
    #[test]
    fn only_the_main_stack_is_named_stack() {
        let top = 0x16af68000;
        let region = |start: u64, end: u64, prot: i32| {
            let mut m = MachRegionInfo {
                start,
                size: end - start,
                protection: prot,
                user_tag: 30,
                page_size: 16384,
                ..Default::default()
            };
            m.main_stack =
                crate::darwin::is_main_stack(m.start, m.size, m.user_tag, m.protection, top);
            region_from_mach(&m)
        };
        assert_eq!(region(0x166f68000, 0x16a76c000, 0).name, b"");
        assert_eq!(region(0x16a76c000, 0x16af68000, 3).name, b"[stack]");
        assert_eq!(region(0x16aff8000, 0x16b078000, 3).name, b"");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_lines() {
        let r = parse_maps_line(
            b"555555554000-555555556000 r--p 00000000 fe:01 1048602                    /usr/bin/demo\n",
        );
        let Some(r) = r else { panic!("not parsed") };
        assert_eq!(
            (r.start, r.end, &r.perms),
            (0x555555554000, 0x555555556000, b"r--p")
        );
        assert_eq!((r.dev_major, r.dev_minor, r.inode), (0xfe, 1, 1048602));
        assert_eq!(r.name, b"/usr/bin/demo");
        let r = parse_maps_line(b"7ffff7f56000-7ffff7f63000 rw-p 00000000 00:00 0 ");
        assert_eq!(r.map(|r| r.name), Some(Vec::new()));
        assert_eq!(
            parse_maps_line(b"7ffff7f56000-7ffff7f63000 rw-p 00000000 00:00"),
            None
        );
        assert_eq!(parse_maps_line(b"1000-2000 rw-pp 0 00:00 0"), None);
        assert_eq!(parse_maps_line(b"Size: 4 kB"), None);
    }

    #[test]
    fn stat_fields() {
        let mut s = b"1234 (a) b) c) S 1 1234 1234 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 100 1000 10 18446744073709551615 1 1 ".to_vec();
        s.extend_from_slice(b"140737488348064 0 0\n");
        let st = parse_stat(&s);
        assert_eq!(st.comm, b"a) b) c");
        assert_eq!(st.state, b'S');
        assert_eq!(st.ppid, 1);
        assert_eq!(st.startstack, 140737488348064);
        assert_eq!(parse_status_tgid(b"Name:\tx\nTgid:\t1234\n"), Some(1234));
    }
}
