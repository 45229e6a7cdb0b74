//! The Linux-only features as a system without them answers; `macos.rs` and
//! `unsupported.rs` re-export these.

use crate::cgroup::{CgroupError, CgroupMeminfo, Reading, Select};
use crate::proctree::{ProcSource, TreeError};
use std::io;

/// Transparent huge pages are a Linux feature.
pub fn advise_hugepages(_words: &[u64]) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "transparent huge pages are a Linux feature",
    ))
}

/// No way to fault a range in ahead of the writes: always `false`.
pub fn populate_write(_words: &mut [u64]) -> bool {
    false
}

/// SysV shared memory's device number is a Linux `maps` detail: none here.
pub fn sysv_shm_minor() -> Option<u32> {
    None
}

/// `sysinfo(2)` is Linux's; psutil reads it nowhere else.
pub fn sysinfo_swap() -> io::Result<(u128, u128)> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// cgroups are Linux's.
pub fn cgroup_read(_sel: &Select) -> Result<Reading, CgroupError> {
    Err(CgroupError::Unsupported)
}

/// cgroups are Linux's.
pub fn cgroup_usage_now(_r: &Reading) -> Option<u64> {
    None
}

/// cgroups are Linux's.
pub fn cgroup_meminfo(_sel: &Select) -> Result<CgroupMeminfo, CgroupError> {
    Err(CgroupError::Unsupported)
}

/// smem's `/proc/PID/smaps` tree is Linux's.
pub fn proc_tree(_source: Option<&std::path::Path>) -> Result<Box<dyn ProcSource>, TreeError> {
    Err(TreeError::Unsupported)
}

/// Only smem's Linux reader looks user names up.
pub fn user_names() -> Vec<(u32, String)> {
    Vec::new()
}

/// Only smem's Linux reader runs `size`.
pub fn run_size(_file: &std::ffi::OsStr) -> Option<Vec<u8>> {
    None
}
