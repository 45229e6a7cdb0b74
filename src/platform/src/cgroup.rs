//! A memory cgroup's figures, and the `/proc/meminfo` text LXCFS would serve for it.
//!
//! Inside a container `/proc/meminfo` is the host's, so `free` shows the host's memory.
//! LXCFS (a FUSE filesystem used by LXD/Incus and many Kubernetes setups) serves a
//! per-container meminfo instead. This module computes that text itself, from the cgroup
//! files, with the semantics of LXCFS 5.0.3 as observed on this project's machines
//! (docs/containers.md has the formulas, the file of each line and every difference):
//!
//! * [`meminfo`]`(&Select)` → [`CgroupMeminfo`]: the meminfo **text** (host lines in the
//!   host's order, the cgroup's lines replaced, LXCFS's format) plus the structured
//!   [`Reading`]. `free --cgroup` parses the text with its procps parser
//!   ([`crate::MemInfo::parse_procps`]); `meminfo --cgroup` can parse it with its psutil
//!   parser; memory-user uses the [`Reading`] and [`Reading::budget`].
//! * [`lxcfs_meminfo`]: the pure text function (host meminfo + reading → text), tested on
//!   fixtures whose expected text was served by real LXCFS.
//!
//! Where the files are (Linux):
//! * [`Select::Own`]: the calling process's memory cgroup, from `PROC/self/cgroup` (the v1
//!   line whose controller list has `memory`, else the v2 `0::` line) and
//!   `PROC/self/mountinfo` (a `cgroup` mount with the `memory` option, or a `cgroup2`
//!   mount), where PROC is the snapshot root ([`crate::proc_root`]). When
//!   `MEMTOOLS_SYS_ROOT` is set, a mount point `/sys/X` is read as `$MEMTOOLS_SYS_ROOT/X`
//!   (fixture trees); a snapshot root without `MEMTOOLS_SYS_ROOT` is refused
//!   ([`CgroupError::SnapshotWithoutSys`]), so a copied `/proc` is never mixed with this
//!   machine's live cgroups.
//! * [`Select::Dir`]: that directory, v1 when it has `memory.limit_in_bytes`, v2 when it
//!   has `memory.current`.
//!
//! The host's meminfo (for MemTotal, SwapTotal and the lines LXCFS passes through) is
//! `PROC/meminfo`.

use crate::meminfo::MemInfo;
use std::fmt;
use std::path::{Path, PathBuf};

/// cgroup v1 (the `memory` controller's own hierarchy) or v2 (the unified hierarchy).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    V1,
    V2,
}

/// Which cgroup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Select {
    /// The calling process's memory cgroup.
    Own,
    /// This cgroup directory (for example a container's scope under /sys/fs/cgroup).
    Dir(PathBuf),
}

impl Select {
    /// The value of `--cgroup[=DIR]` ([`option`]): none, the own cgroup; `=DIR`, that
    /// directory; `=` alone is `NAME: --cgroup=: the cgroup directory name is empty`, 1.
    pub fn from_option(name: &str, arg: Option<Vec<u8>>) -> Result<Select, memtools_core::Failure> {
        match arg {
            None => Ok(Select::Own),
            Some(d) if d.is_empty() => Err(memtools_core::Failure::line(
                1,
                name,
                "--cgroup=: the cgroup directory name is empty",
            )),
            Some(d) => Ok(Select::Dir(memtools_core::getopt::os_string(d).into())),
        }
    }
}

/// `--cgroup[=DIR]`, the option of the applets that show a memory cgroup's memory as
/// their original shows it under LXCFS (free, meminfo); `doc` is the man page's text.
pub const fn option(doc: &'static str) -> memtools_core::opts::Opt {
    memtools_core::opts::Opt::long("cgroup", "show a memory cgroup's memory (memtools)")
        .optional("DIR", "     --cgroup[=DIR]")
        .hint(memtools_core::opts::Hint::Dir)
        .doc(doc)
}

/// The `memory.stat` figures LXCFS uses, in bytes (v1: the `total_*` keys, which include
/// the descendants; v2: the keys of the same meaning, which always do). A missing key is 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stat {
    /// v1 `total_cache`, v2 `file` (page cache including tmpfs and shared memory).
    pub cache: u64,
    pub active_anon: u64,
    pub inactive_anon: u64,
    pub active_file: u64,
    pub inactive_file: u64,
    pub unevictable: u64,
    /// v1 `total_shmem`, v2 `shmem`.
    pub shmem: u64,
    /// v1 `total_dirty` (v2: not read, as LXCFS 5.0.3 does not).
    pub dirty: u64,
    /// v1 `total_writeback` (v2: not read).
    pub writeback: u64,
    /// v1 `total_mapped_file` (v2: not read).
    pub mapped_file: u64,
    /// v1 `hierarchical_memory_limit` (the kernel's smallest limit on the path to the
    /// root, ancestors this process cannot see included); v2: none.
    pub hierarchical_limit: Option<u64>,
    /// v1 `hierarchical_memsw_limit`.
    pub hierarchical_memsw_limit: Option<u64>,
}

/// Swap accounting of the cgroup.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Swap {
    /// Whether the kernel accounts swap for cgroups (v1: `memory.memsw.*` exist; v2:
    /// `memory.swap.max` exists). Without it LXCFS shows SwapTotal and SwapFree as 0.
    pub accounted: bool,
    /// v1: the smallest `memory.memsw.limit_in_bytes` on the path (memory **plus** swap);
    /// v2: the smallest `memory.swap.max` (swap alone). `None`: no limit.
    pub limit: Option<u64>,
    /// Swap in use: v1 `memsw.usage_in_bytes − usage_in_bytes` (0 when negative); v2
    /// `memory.swap.current` (0 when missing).
    pub usage: u64,
    /// v1 `memory.swappiness` of the cgroup itself; v2: `None` (no such file).
    pub swappiness: Option<u64>,
}

/// What was read from a memory cgroup. Sizes in bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reading {
    pub version: Version,
    /// The directory read.
    pub dir: PathBuf,
    /// The cgroup's name: its path as `/proc/self/cgroup` has it (`/user.slice/x`), or
    /// the directory's canonical path for [`Select::Dir`].
    pub name: String,
    /// The effective memory limit: the smallest limit on the path to the root (`None`: no
    /// limit). When that smallest limit is 0, `None` too: LXCFS reads a 0 as "no limit".
    pub limit: Option<u64>,
    /// The cgroup whose limit file holds [`Reading::limit`], named as [`Reading::name`]
    /// is (`/box` for a limit on the parent of `/box/leaf`); `None` when the limit came
    /// from v1's `hierarchical_memory_limit` (an ancestor not visible here).
    pub limit_from: Option<String>,
    /// v1 `memory.usage_in_bytes`, v2 `memory.current`.
    pub usage: u64,
    pub swap: Swap,
    pub stat: Stat,
}

/// The cgroup's meminfo text and what it was computed from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CgroupMeminfo {
    /// `/proc/meminfo` as LXCFS would serve it for this cgroup.
    pub text: Vec<u8>,
    pub reading: Reading,
}

/// Why a cgroup could not be read. [`fmt::Display`] gives the message (no program name).
#[derive(Debug)]
pub enum CgroupError {
    /// Not Linux: there are no cgroups.
    Unsupported,
    /// `/proc/self/cgroup` names no memory cgroup (no v1 `memory` line, and no v2 line
    /// with a cgroup2 mount).
    NoMemoryCgroup,
    /// The process's hierarchy is not mounted (or its cgroup is outside the mount's root)
    /// in this mount namespace.
    NotMounted { version: Version, cgroup: String },
    /// A cgroup2 directory without `memory.current`: the root cgroup, or the memory
    /// controller is not enabled for it.
    NoAccounting(PathBuf),
    /// `--cgroup=DIR` that is not a memory cgroup directory (`why` says what it is).
    NotACgroup { dir: PathBuf, why: String },
    /// A file that cannot be read.
    Read { path: PathBuf, err: std::io::Error },
    /// A file whose content is not what the kernel writes there.
    Damaged { path: PathBuf, what: String },
    /// `MEMTOOLS_SYS_ROOT` is set and the mount point is not under `/sys`.
    OutsideSysRoot(PathBuf),
    /// `MEMTOOLS_PROC_ROOT` is set without `MEMTOOLS_SYS_ROOT`.
    SnapshotWithoutSys,
    /// The host's meminfo is missing or unreadable.
    Host(crate::MemInfoError),
}

fn show(p: &Path) -> String {
    p.display().to_string()
}

impl fmt::Display for CgroupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CgroupError::Unsupported => write!(f, "cgroups exist on Linux only"),
            CgroupError::NoMemoryCgroup => write!(
                f,
                "this process is in no memory cgroup (no memory controller in /proc/self/cgroup)"
            ),
            CgroupError::NotMounted { version, cgroup } => write!(
                f,
                "memory cgroup {cgroup} ({}) is not visible: its hierarchy is not mounted here",
                match version {
                    Version::V1 => "cgroup v1",
                    Version::V2 => "cgroup v2",
                }
            ),
            CgroupError::NoAccounting(d) => write!(
                f,
                "{}: no memory accounting (no memory.current: the root cgroup, or the memory \
                 controller is not enabled for this cgroup)",
                show(d)
            ),
            CgroupError::NotACgroup { dir, why } => {
                write!(f, "{}: not a memory cgroup directory ({why})", show(dir))
            }
            CgroupError::Read { path, err } => write!(
                f,
                "cannot read {}: {}",
                show(path),
                memtools_core::out::io_strerror(err)
            ),
            CgroupError::Damaged { path, what } => {
                write!(f, "{}: damaged ({what})", show(path))
            }
            CgroupError::OutsideSysRoot(p) => write!(
                f,
                "cgroup mount point {} is not under /sys, so MEMTOOLS_SYS_ROOT cannot stand for it",
                show(p)
            ),
            CgroupError::SnapshotWithoutSys => write!(
                f,
                "MEMTOOLS_PROC_ROOT is set without MEMTOOLS_SYS_ROOT: the cgroup files would be \
                 this machine's, not the snapshot's"
            ),
            CgroupError::Host(e) => match e {
                crate::MemInfoError::NotFound(p) => {
                    write!(f, "memory information file {} does not exist", show(p))
                }
                crate::MemInfoError::Unreadable(err) => write!(
                    f,
                    "cannot read the host's meminfo: {}",
                    memtools_core::out::io_strerror(err)
                ),
                crate::MemInfoError::Unsupported => write!(f, "no meminfo on this platform"),
            },
        }
    }
}

// ---------------------------------------------------------------------------------------
// Pure parsing.

/// A v1 limit at or above this is "no limit" (the kernel writes `PAGE_COUNTER_MAX` pages,
/// 9223372036854771712 with 4 KiB pages; no real limit comes near 2^62 bytes).
pub const V1_UNLIMITED: u64 = 1 << 62;

/// The cgroup path of the memory controller in `/proc/self/cgroup` text: the v1 line
/// whose controller list holds `memory`, else the v2 `0::` line.
pub fn parse_proc_cgroup(data: &[u8]) -> Option<(Version, Vec<u8>)> {
    let mut v2 = None;
    for line in data.split(|&b| b == b'\n') {
        let mut parts = line.splitn(3, |&b| b == b':');
        let (Some(id), Some(ctrls), Some(path)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        if ctrls.split(|&b| b == b',').any(|c| c == b"memory") {
            return Some((Version::V1, path.to_vec()));
        }
        if id == b"0" && ctrls.is_empty() {
            v2 = Some((Version::V2, path.to_vec()));
        }
    }
    v2
}

/// One cgroup mount from mountinfo: the hierarchy's root as mounted, and the mount point.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CgroupMount {
    pub root: Vec<u8>,
    pub point: Vec<u8>,
}

/// mountinfo escapes blanks, newlines and backslashes as `\NNN` (octal).
fn unescape(field: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(field.len());
    let mut i = 0;
    while i < field.len() {
        if field[i] == b'\\'
            && i + 3 < field.len()
            && field[i + 1..i + 4]
                .iter()
                .all(|c| (b'0'..=b'7').contains(c))
        {
            let v = field[i + 1..i + 4]
                .iter()
                .fold(0u32, |a, &c| a * 8 + (c - b'0') as u32);
            out.push(v as u8);
            i += 4;
        } else {
            out.push(field[i]);
            i += 1;
        }
    }
    out
}

/// The mounts of `version`'s memory hierarchy in `/proc/self/mountinfo` text: v1, type
/// `cgroup` with the `memory` super option; v2, type `cgroup2`. In mountinfo order.
pub fn parse_mountinfo(data: &[u8], version: Version) -> Vec<CgroupMount> {
    let mut out = Vec::new();
    for line in data.split(|&b| b == b'\n') {
        let fields: Vec<&[u8]> = line
            .split(|&b| b == b' ')
            .filter(|f| !f.is_empty())
            .collect();
        let Some(sep) = fields.iter().position(|f| *f == b"-") else {
            continue;
        };
        if sep < 5 || fields.len() < sep + 3 {
            continue;
        }
        let fstype = fields[sep + 1];
        let superopts = fields.get(sep + 3).copied().unwrap_or(b"");
        let wanted = match version {
            Version::V1 => {
                fstype == b"cgroup" && superopts.split(|&b| b == b',').any(|o| o == b"memory")
            }
            Version::V2 => fstype == b"cgroup2",
        };
        if wanted {
            out.push(CgroupMount {
                root: unescape(fields[3]),
                point: unescape(fields[4]),
            });
        }
    }
    out
}

/// The cgroup's path below a mount of its hierarchy: `path` minus the mount's root, or
/// `None` when the cgroup is not below it.
pub fn relative_to_mount<'a>(path: &'a [u8], root: &[u8]) -> Option<&'a [u8]> {
    let root = if root.len() > 1 && root.ends_with(b"/") {
        &root[..root.len() - 1]
    } else {
        root
    };
    if root == b"/" {
        return Some(path.strip_prefix(b"/").unwrap_or(path));
    }
    let rest = path.strip_prefix(root)?;
    if rest.is_empty() {
        Some(rest)
    } else {
        rest.strip_prefix(b"/")
    }
}

/// A single-number cgroup file (`268435456\n`, v2 also `max\n`): `Ok(None)` for `max`.
pub fn parse_value(data: &[u8]) -> Result<Option<u64>, String> {
    let text = match data.strip_suffix(b"\n") {
        Some(t) => t,
        None => data,
    };
    if text == b"max" {
        return Ok(None);
    }
    if text.is_empty() {
        return Err("empty".to_string());
    }
    if !text.iter().all(u8::is_ascii_digit) {
        return Err(format!(
            "'{}' is not a number",
            String::from_utf8_lossy(&text[..text.len().min(40)])
        ));
    }
    std::str::from_utf8(text)
        .ok()
        .and_then(|t| t.parse::<u64>().ok())
        .map(Some)
        .ok_or_else(|| "number out of range".to_string())
}

/// `memory.stat` text: the keys this module uses. A key whose line does not read as
/// `KEY NUMBER` is an error (named); unknown keys and their lines are ignored; a missing
/// key is 0.
pub fn parse_stat(data: &[u8], version: Version) -> Result<Stat, String> {
    let mut s = Stat::default();
    for line in data.split(|&b| b == b'\n') {
        if line.is_empty() {
            continue;
        }
        let (key, value) = match line.iter().position(|&b| b == b' ') {
            Some(sp) => (&line[..sp], &line[sp + 1..]),
            None => (line, &b""[..]),
        };
        let slot: &mut u64 = match (version, key) {
            (Version::V1, b"total_cache") | (Version::V2, b"file") => &mut s.cache,
            (Version::V1, b"total_active_anon") | (Version::V2, b"active_anon") => {
                &mut s.active_anon
            }
            (Version::V1, b"total_inactive_anon") | (Version::V2, b"inactive_anon") => {
                &mut s.inactive_anon
            }
            (Version::V1, b"total_active_file") | (Version::V2, b"active_file") => {
                &mut s.active_file
            }
            (Version::V1, b"total_inactive_file") | (Version::V2, b"inactive_file") => {
                &mut s.inactive_file
            }
            (Version::V1, b"total_unevictable") | (Version::V2, b"unevictable") => {
                &mut s.unevictable
            }
            (Version::V1, b"total_shmem") | (Version::V2, b"shmem") => &mut s.shmem,
            (Version::V1, b"total_dirty") => &mut s.dirty,
            (Version::V1, b"total_writeback") => &mut s.writeback,
            (Version::V1, b"total_mapped_file") => &mut s.mapped_file,
            (Version::V1, b"hierarchical_memory_limit") => {
                s.hierarchical_limit = Some(stat_number(key, value)?);
                continue;
            }
            (Version::V1, b"hierarchical_memsw_limit") => {
                s.hierarchical_memsw_limit = Some(stat_number(key, value)?);
                continue;
            }
            _ => continue,
        };
        *slot = stat_number(key, value)?;
    }
    Ok(s)
}

fn stat_number(key: &[u8], value: &[u8]) -> Result<u64, String> {
    match parse_value(value) {
        Ok(Some(v)) => Ok(v),
        _ => Err(format!(
            "{}: '{}' is not a number",
            String::from_utf8_lossy(key),
            String::from_utf8_lossy(&value[..value.len().min(40)])
        )),
    }
}

/// The smaller of two optional limits (`None` = no limit). A limit of 0 counts as none,
/// as LXCFS reads it.
pub fn min_limit(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    match (a.filter(|&v| v > 0), b.filter(|&v| v > 0)) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

// ---------------------------------------------------------------------------------------
// The meminfo text (pure).

/// The figures LXCFS computes, in KiB, from the host's MemTotal/SwapTotal and a reading.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    pub mem_total: u64,
    pub mem_free: u64,
    pub mem_available: u64,
    pub cached: u64,
    pub active: u64,
    pub inactive: u64,
    pub active_anon: u64,
    pub inactive_anon: u64,
    pub active_file: u64,
    pub inactive_file: u64,
    pub unevictable: u64,
    pub swap_total: u64,
    pub swap_free: u64,
    pub dirty: u64,
    pub writeback: u64,
    pub anon_pages: u64,
    pub mapped: u64,
    pub shmem: u64,
}

/// LXCFS 5.0.3's arithmetic (docs/containers.md, "The formulas"). Each byte count is
/// divided by 1024 (truncating) where LXCFS divides it: sums of stat keys are added in
/// bytes first; MemFree is MemTotal minus usage/1024. Where LXCFS wraps around (usage
/// above the limit, shmem above the anonymous LRU, swap in use above SwapTotal), this
/// saturates at 0.
pub fn figures(host_mem_total: u64, host_swap_total: u64, r: &Reading) -> Figures {
    let kib = |b: u64| b / 1024;
    let s = &r.stat;
    let mem_total = match r.limit {
        Some(l) => host_mem_total.min(kib(l)),
        None => host_mem_total,
    };
    let mem_free = mem_total.saturating_sub(kib(r.usage));
    let cached = kib(s.cache);
    let (swap_total, swap_free) = if !r.swap.accounted {
        (0, 0)
    } else if r.swap.swappiness == Some(0) {
        // v1 with swappiness 0: the swap already in use is all there is.
        (kib(r.swap.usage), 0)
    } else {
        let total = match r.swap.limit {
            Some(l) => host_swap_total.min(kib(l)),
            None => host_swap_total,
        };
        (total, total.saturating_sub(kib(r.swap.usage)))
    };
    Figures {
        mem_total,
        mem_free,
        mem_available: mem_free.saturating_add(cached),
        cached,
        active: kib(s.active_anon.saturating_add(s.active_file)),
        inactive: kib(s.inactive_anon.saturating_add(s.inactive_file)),
        active_anon: kib(s.active_anon),
        inactive_anon: kib(s.inactive_anon),
        active_file: kib(s.active_file),
        inactive_file: kib(s.inactive_file),
        unevictable: kib(s.unevictable),
        swap_total,
        swap_free,
        dirty: kib(s.dirty),
        writeback: kib(s.writeback),
        anon_pages: kib(s
            .active_anon
            .saturating_add(s.inactive_anon)
            .saturating_sub(s.shmem)),
        mapped: kib(s.mapped_file),
        shmem: kib(s.shmem),
    }
}

/// The host meminfo line's replacement value, or `None` to pass the line through.
fn replacement(key: &[u8], f: &Figures) -> Option<u64> {
    Some(match key {
        b"MemTotal:" => f.mem_total,
        b"MemFree:" => f.mem_free,
        b"MemAvailable:" => f.mem_available,
        b"Buffers:" => 0,
        b"Cached:" => f.cached,
        b"SwapCached:" => 0,
        b"Active:" => f.active,
        b"Inactive:" => f.inactive,
        b"Active(anon):" => f.active_anon,
        b"Inactive(anon):" => f.inactive_anon,
        b"Active(file):" => f.active_file,
        b"Inactive(file):" => f.inactive_file,
        b"Unevictable:" => f.unevictable,
        b"SwapTotal:" => f.swap_total,
        b"SwapFree:" => f.swap_free,
        b"Dirty:" => f.dirty,
        b"Writeback:" => f.writeback,
        b"AnonPages:" => f.anon_pages,
        b"Mapped:" => f.mapped,
        b"Shmem:" => f.shmem,
        b"Slab:" | b"SReclaimable:" | b"SUnreclaim:" => 0,
        b"AnonHugePages:" | b"ShmemHugePages:" | b"ShmemPmdMapped:" => 0,
        _ => return None,
    })
}

/// `/proc/meminfo` as LXCFS 5.0.3 serves it for the cgroup of `r`: the host's lines in
/// the host's order; the lines of [`figures`] (and the ones LXCFS shows as 0) rewritten as
/// `KEY:` padded to 16 columns and the value right-aligned in 8, then ` kB`; every other
/// line passed through byte for byte.
pub fn lxcfs_meminfo(host: &[u8], r: &Reading) -> Vec<u8> {
    let hm = MemInfo::parse_procps(host);
    let f = figures(hm.mem_total, hm.swap_total, r);
    let mut out = Vec::with_capacity(host.len() + 64);
    for line in host.split_inclusive(|&b| b == b'\n') {
        let key = line
            .iter()
            .position(|&b| b == b':')
            .map(|c| &line[..=c])
            .unwrap_or(b"");
        match replacement(key, &f) {
            Some(v) => {
                let k = String::from_utf8_lossy(key);
                out.extend_from_slice(format!("{k:<16}{v:>8} kB\n").as_bytes());
            }
            None => out.extend_from_slice(line),
        }
    }
    out
}

/// What a process in the cgroup can have, for memory-user (bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// The effective memory limit.
    pub limit: u64,
    /// How much the cgroup may push to swap beyond the limit: v1 the memsw limit minus
    /// the memory limit, v2 `memory.swap.max`; at most the host's SwapTotal; the host's
    /// SwapTotal without swap accounting; 0 with v1 swappiness 0.
    pub swap: u64,
    /// What the cgroup has available now: limit − usage + the page cache on the file LRU
    /// (`active_file + inactive_file`), which the kernel can drop to make room. Unlike
    /// LXCFS's MemAvailable (which adds all of Cached), shmem is not counted: it can only
    /// go to swap. Measured: in a 512 MiB cgroup holding 100 MiB of anonymous memory,
    /// 64 MiB of page cache and 16 MiB of shmem, LXCFS's MemAvailable said 408 MiB, this
    /// says 392 MiB, and 400 MiB was OOM-killed.
    pub available: u64,
}

impl Reading {
    /// The budget, when the cgroup's limit is below the host's memory (`None`: the cgroup
    /// does not limit more than the host does). `host` holds KiB, as meminfo does.
    pub fn budget(&self, host: &MemInfo) -> Option<Budget> {
        let limit = self.limit?;
        if limit / 1024 >= host.mem_total && host.mem_total > 0 {
            return None;
        }
        let host_swap = host.swap_total.saturating_mul(1024);
        let swap = if !self.swap.accounted {
            host_swap
        } else if self.swap.swappiness == Some(0) {
            0
        } else {
            let allowance = match (self.version, self.swap.limit) {
                (_, None) => host_swap,
                (Version::V1, Some(memsw)) => memsw.saturating_sub(limit),
                (Version::V2, Some(s)) => s,
            };
            allowance.min(host_swap)
        };
        let file_lru = self
            .stat
            .active_file
            .saturating_add(self.stat.inactive_file);
        Some(Budget {
            limit,
            swap,
            available: limit.saturating_sub(self.usage).saturating_add(file_lru),
        })
    }
}

// ---------------------------------------------------------------------------------------
// Reading the files is the OS's part ([`crate::sys`]): on Linux `sys/linux/cgroup.rs`;
// other systems have no cgroups and answer [`CgroupError::Unsupported`] (or `None`).

/// The name of the `up`-th ancestor of the cgroup (or directory) called `name`.
pub fn ancestor_name(name: &str, up: usize) -> String {
    let mut n = name.trim_end_matches('/');
    for _ in 0..up {
        n = match n.rfind('/') {
            Some(p) => &n[..p],
            None => "",
        };
    }
    if n.is_empty() {
        "/".to_string()
    } else {
        n.to_string()
    }
}

/// Reads the cgroup.
pub fn read(sel: &Select) -> Result<Reading, CgroupError> {
    crate::sys::cgroup_read(sel)
}

/// The usage now (v1 `memory.usage_in_bytes`, v2 `memory.current`) of a cgroup read
/// before, for a live report. `None` when it cannot be read.
pub fn usage_now(r: &Reading) -> Option<u64> {
    crate::sys::cgroup_usage_now(r)
}

/// The cgroup's meminfo text (as LXCFS would serve it) and the reading behind it. This is
/// the one call `free --cgroup` and `meminfo --cgroup` need.
pub fn meminfo(sel: &Select) -> Result<CgroupMeminfo, CgroupError> {
    crate::sys::cgroup_meminfo(sel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_self_cgroup() {
        let hybrid = b"9:name=systemd:/\n4:memory:/a/b\n0::/\n";
        assert_eq!(
            parse_proc_cgroup(hybrid),
            Some((Version::V1, b"/a/b".to_vec()))
        );
        let joined = b"5:cpu,memory:/x\n";
        assert_eq!(
            parse_proc_cgroup(joined),
            Some((Version::V1, b"/x".to_vec()))
        );
        assert_eq!(
            parse_proc_cgroup(b"0::/user.slice/u.scope\n"),
            Some((Version::V2, b"/user.slice/u.scope".to_vec()))
        );
        // A path may hold colons.
        assert_eq!(
            parse_proc_cgroup(b"0::/a:b\n"),
            Some((Version::V2, b"/a:b".to_vec()))
        );
        assert_eq!(parse_proc_cgroup(b"3:cpuset:/\n"), None);
        assert_eq!(parse_proc_cgroup(b""), None);
        assert_eq!(parse_proc_cgroup(b"garbage\n\0\n"), None);
    }

    #[test]
    fn mountinfo() {
        let mi =
            b"35 31 0:32 / /sys/fs/cgroup/memory rw,relatime shared:9 - cgroup cgroup rw,memory\n\
                   36 31 0:33 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n\
                   41 31 0:38 /x /sys/fs/cgroup/uni\\040fied rw - cgroup2 cgroup2 rw\n\
                   bad line\n";
        assert_eq!(
            parse_mountinfo(mi, Version::V1),
            vec![CgroupMount {
                root: b"/".to_vec(),
                point: b"/sys/fs/cgroup/memory".to_vec()
            }]
        );
        assert_eq!(
            parse_mountinfo(mi, Version::V2),
            vec![CgroupMount {
                root: b"/x".to_vec(),
                point: b"/sys/fs/cgroup/uni fied".to_vec()
            }]
        );
        assert_eq!(unescape(b"a\\134b\\"), b"a\\b\\".to_vec());
    }

    #[test]
    fn relative() {
        assert_eq!(relative_to_mount(b"/a/b", b"/"), Some(&b"a/b"[..]));
        assert_eq!(relative_to_mount(b"/", b"/"), Some(&b""[..]));
        assert_eq!(
            relative_to_mount(b"/docker/x/y", b"/docker/x"),
            Some(&b"y"[..])
        );
        assert_eq!(
            relative_to_mount(b"/docker/x", b"/docker/x"),
            Some(&b""[..])
        );
        assert_eq!(relative_to_mount(b"/docker/xy", b"/docker/x"), None);
        assert_eq!(relative_to_mount(b"/other", b"/docker/x"), None);
    }

    #[test]
    fn ancestors() {
        assert_eq!(ancestor_name("/a/b/c", 0), "/a/b/c");
        assert_eq!(ancestor_name("/a/b/c", 1), "/a/b");
        assert_eq!(ancestor_name("/a/b/c", 3), "/");
        assert_eq!(ancestor_name("/a", 5), "/");
        assert_eq!(ancestor_name("/", 1), "/");
    }

    #[test]
    fn values() {
        assert_eq!(parse_value(b"268435456\n"), Ok(Some(268435456)));
        assert_eq!(parse_value(b"max\n"), Ok(None));
        assert_eq!(parse_value(b"0"), Ok(Some(0)));
        assert!(parse_value(b"").is_err());
        assert!(parse_value(b"\n").is_err());
        assert!(parse_value(b"-1\n").is_err());
        assert!(parse_value(b"12 kB\n").is_err());
        assert!(parse_value(b"99999999999999999999999\n").is_err());
    }

    #[test]
    fn stat_keys() {
        let v1 = b"cache 4096\ntotal_cache 8192\ntotal_shmem 4096\nhierarchical_memory_limit 9223372036854771712\nweird\nfoo bar\n";
        let s = parse_stat(v1, Version::V1).unwrap();
        assert_eq!((s.cache, s.shmem), (8192, 4096));
        assert_eq!(s.hierarchical_limit, Some(9223372036854771712));
        assert!(parse_stat(b"total_cache x\n", Version::V1).is_err());
        let v2 = b"anon 1\nfile 2048\nfile_dirty 7\nshmem 1024\n";
        let s = parse_stat(v2, Version::V2).unwrap();
        assert_eq!((s.cache, s.shmem, s.dirty), (2048, 1024, 0));
    }

    fn reading(version: Version) -> Reading {
        Reading {
            version,
            dir: PathBuf::from("/x"),
            name: "/x".to_string(),
            limit: None,
            limit_from: None,
            usage: 0,
            swap: Swap::default(),
            stat: Stat::default(),
        }
    }

    /// The arithmetic on odd byte counts, where LXCFS's order of division shows (values
    /// observed from LXCFS 5.0.3 on a fake v1 cgroup, docs/containers.md).
    #[test]
    fn truncation_as_lxcfs() {
        let mut r = reading(Version::V1);
        r.limit = Some(150_000_000);
        r.usage = 1000;
        r.stat.cache = 1500;
        r.stat.active_anon = 1800;
        r.stat.inactive_anon = 1800;
        r.stat.active_file = 1800;
        r.stat.inactive_file = 1500;
        r.stat.shmem = 1100;
        r.swap = Swap {
            accounted: true,
            limit: Some(300_001_000),
            usage: 2000,
            swappiness: Some(60),
        };
        let f = figures(7_001_001, 5_000_000, &r);
        assert_eq!(
            (f.mem_total, f.mem_free, f.mem_available),
            (146484, 146484, 146485)
        );
        assert_eq!((f.active, f.inactive, f.anon_pages, f.shmem), (3, 3, 2, 1));
        assert_eq!((f.swap_total, f.swap_free), (292969, 292968));
    }

    #[test]
    fn swap_rules() {
        let mut r = reading(Version::V1);
        r.limit = Some(256 << 20);
        r.swap = Swap {
            accounted: true,
            limit: None,
            usage: 19451904,
            swappiness: Some(60),
        };
        let f = figures(24683656, 2097148, &r);
        assert_eq!((f.swap_total, f.swap_free), (2097148, 2078152));
        r.swap.swappiness = Some(0);
        let f = figures(24683656, 2097148, &r);
        assert_eq!((f.swap_total, f.swap_free), (18996, 0));
        r.swap.accounted = false;
        let f = figures(24683656, 2097148, &r);
        assert_eq!((f.swap_total, f.swap_free), (0, 0));
    }

    /// Where LXCFS wraps around, memtools stops at 0 (docs/containers.md, differences).
    #[test]
    fn saturates_where_lxcfs_wraps() {
        let mut r = reading(Version::V2);
        r.limit = Some(512 << 20);
        r.usage = 600_000_000;
        r.stat.cache = 20 << 20;
        r.stat.shmem = 5000;
        r.stat.active_anon = 3600;
        r.swap = Swap {
            accounted: true,
            limit: Some(200 << 20),
            usage: 10 << 20,
            swappiness: None,
        };
        let f = figures(24683656, 0, &r);
        assert_eq!((f.mem_free, f.mem_available), (0, 20480));
        assert_eq!(f.anon_pages, 0);
        assert_eq!((f.swap_total, f.swap_free), (0, 0));
    }

    #[test]
    fn text_format() {
        let host = b"MemTotal:       24683656 kB\nMemFree:        19817308 kB\nNoColon\nHugePages_Total:       0\nBuffers:            4308 kB\nAnonPages:  1 kB\nShmemHugePages:        7 kB\nVmallocTotal:   34359738367 kB";
        let mut r = reading(Version::V1);
        r.limit = Some(256 << 20);
        r.usage = 64 << 20;
        r.stat.inactive_anon = 1 << 40;
        let t = lxcfs_meminfo(host, &r);
        assert_eq!(
            String::from_utf8(t).unwrap(),
            "MemTotal:         262144 kB\nMemFree:          196608 kB\nNoColon\nHugePages_Total:       0\nBuffers:               0 kB\nAnonPages:      1073741824 kB\nShmemHugePages:        0 kB\nVmallocTotal:   34359738367 kB"
        );
    }

    #[test]
    fn budgets() {
        let host = MemInfo {
            mem_total: 24683656,
            swap_total: 1048572,
            ..MemInfo::default()
        };
        let mut r = reading(Version::V1);
        assert_eq!(r.budget(&host), None);
        r.limit = Some(256 << 20);
        r.usage = 56 << 20;
        r.stat.cache = 12 << 20;
        r.stat.shmem = 2 << 20;
        r.stat.active_file = 4 << 20;
        r.stat.inactive_file = 6 << 20;
        r.swap = Swap {
            accounted: true,
            limit: Some(300 << 20),
            usage: 0,
            swappiness: Some(60),
        };
        assert_eq!(
            r.budget(&host),
            Some(Budget {
                limit: 256 << 20,
                swap: 44 << 20,
                available: 210 << 20
            })
        );
        r.swap.swappiness = Some(0);
        assert_eq!(r.budget(&host).map(|b| b.swap), Some(0));
        r.swap.accounted = false;
        assert_eq!(r.budget(&host).map(|b| b.swap), Some(1048572 << 10));
        // A limit above the host's memory is no limit here.
        r.limit = Some(100 << 30);
        assert_eq!(r.budget(&host), None);
        let mut v2 = reading(Version::V2);
        v2.limit = Some(256 << 20);
        v2.swap = Swap {
            accounted: true,
            limit: Some(2 << 30),
            usage: 0,
            swappiness: None,
        };
        assert_eq!(v2.budget(&host).map(|b| b.swap), Some(1048572 << 10));
    }
}
