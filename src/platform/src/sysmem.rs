//! What the `meminfo` applet (psutil's view of system memory) reads, as psutil reads it.
//!
//! * Linux: `meminfo`, `vmstat` and `zoneinfo` below the snapshot root, each read whole the
//!   way Python's `open(path, "rb")` and a read loop do, so the applet can tell a file that
//!   cannot be *opened* (psutil then falls back or warns) from one that cannot be *read*
//!   (psutil then fails); and `sysinfo(2)`'s swap figures, psutil's fallback when meminfo
//!   has no swap lines ([`crate::sys::sysinfo_swap`]).
//! * macOS: the counters psutil's macOS code uses ([`MacMemory`]); `sys/macos.rs` fills
//!   them through FFI, and the arithmetic is in the applet, tested on every platform.

use crate::darwin::VmStats64;
use std::ffi::OsString;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// One file's content, or why there is none.
#[derive(Debug)]
pub enum ProcFile {
    Data(Vec<u8>),
    /// `open` failed (Python raises this from `open()`, which also refuses a directory
    /// with EISDIR).
    OpenFailed(io::Error),
    /// It opened, but reading failed.
    ReadFailed(io::Error),
}

/// Files larger than this are refused as unreadable (EFBIG) instead of being read into
/// memory; the kernel's files are a few KiB (`zoneinfo`: tens of KiB on large NUMA
/// machines). Python would read on until memory runs out, then fail too.
pub const MAX_FILE: u64 = 64 << 20;

/// `ROOT/NAME` spelled as psutil spells it (`f"{PROCFS_PATH}/{name}"`, so `dir/` gives
/// `dir//name`), with ROOT the snapshot root ([`crate::proc_root`]).
pub fn proc_path(name: &str) -> OsString {
    let mut p = crate::proc_root().into_os_string();
    p.push("/");
    p.push(name);
    p
}

/// Reads a whole file as Python's `open(path, "rb").read()` does.
pub fn read_file(path: &Path) -> ProcFile {
    let mut f = match File::open(path) {
        Ok(f) => f,
        Err(e) => return ProcFile::OpenFailed(e),
    };
    match f.metadata() {
        Ok(md) if md.is_dir() => {
            return ProcFile::OpenFailed(io::Error::from_raw_os_error(libc::EISDIR))
        }
        Ok(_) => {}
        Err(e) => return ProcFile::OpenFailed(e),
    }
    let mut data = Vec::with_capacity(4096);
    match f.by_ref().take(MAX_FILE + 1).read_to_end(&mut data) {
        Ok(_) if data.len() as u64 > MAX_FILE => {
            ProcFile::ReadFailed(io::Error::from_raw_os_error(libc::EFBIG))
        }
        Ok(_) => ProcFile::Data(data),
        Err(e) => ProcFile::ReadFailed(e),
    }
}

/// Where psutil's view of system memory comes from on this OS
/// ([`crate::sys::system_memory`]).
#[derive(Clone, Debug)]
pub enum SystemMemory {
    /// Linux: the files below the snapshot root, read as psutil reads them, when it reads
    /// them ([`proc_path`], [`read_file`]), and `sysinfo(2)`
    /// ([`crate::sys::sysinfo_swap`]).
    Procfs,
    /// macOS: the counters, read at once.
    Mach(MacMemory),
}

/// What psutil 7.2.2 reads on macOS: `sysctl hw.memsize`, `host_statistics64` (active,
/// inactive, wired, free and speculative page counts, pageins and pageouts), the page size
/// (`sysconf(_SC_PAGESIZE)`), and `sysctl vm.swapusage`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MacMemory {
    pub memsize: u64,
    pub page_size: u64,
    pub vm: VmStats64,
    /// `xsw_usage`: `xsu_total`, `xsu_used` and `xsu_avail`, bytes.
    pub swap_total: u64,
    pub swap_used: u64,
    pub swap_avail: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(tag: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("memtools-sysmem-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn open_and_read_failures_are_told_apart() {
        let d = scratch("read");
        std::fs::write(d.join("f"), b"a b\n").unwrap();
        assert!(matches!(read_file(&d.join("f")), ProcFile::Data(v) if v == b"a b\n"));
        match read_file(&d.join("missing")) {
            ProcFile::OpenFailed(e) => assert_eq!(e.raw_os_error(), Some(libc::ENOENT)),
            other => panic!("{other:?}"),
        }
        // Python's open() refuses a directory: an open failure, EISDIR.
        match read_file(&d) {
            ProcFile::OpenFailed(e) => assert_eq!(e.raw_os_error(), Some(libc::EISDIR)),
            other => panic!("{other:?}"),
        }
        let _ = std::fs::remove_dir_all(&d);
    }
}
