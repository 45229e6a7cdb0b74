//! Any other OS: every function exists and says "not here" (an `Unsupported` error, an
//! empty answer or a neutral value), so that the applets build everywhere. Compiled into
//! the Linux test build too, so it cannot fall behind the other modules.

pub use super::absent::{
    advise_hugepages, cgroup_meminfo, cgroup_read, cgroup_usage_now, populate_write, proc_tree,
    run_size, sysinfo_swap, sysv_shm_minor, user_names,
};

use crate::meminfo::{MemInfo, MemInfoError};
use crate::memory::Limit;
use crate::process::{MapError, ProcessMap};
use crate::procmaps::PidMaps;
use crate::selfmem::SelfMemory;
use crate::sysmem::SystemMemory;
use crate::vmstat::{VmCounters, VmStatError};
use std::io;
use std::ptr::NonNull;

pub const PID_MAX: u32 = u32::MAX;

fn unsupported() -> io::Error {
    io::Error::from(io::ErrorKind::Unsupported)
}

pub fn meminfo() -> Result<MemInfo, MemInfoError> {
    Err(MemInfoError::Unsupported)
}

pub fn self_memory() -> io::Result<SelfMemory> {
    Err(unsupported())
}

pub fn system_memory() -> io::Result<SystemMemory> {
    Err(io::Error::other(
        "no memory information on this operating system",
    ))
}

pub fn vm_counters() -> Result<VmCounters, VmStatError> {
    Err(VmStatError::Unsupported)
}

pub fn page_size() -> u64 {
    4096
}

pub fn terminal_width() -> Option<usize> {
    None
}

pub fn stdin_columns() -> io::Result<u16> {
    Err(unsupported())
}

pub fn soft_limit(_limit: Limit) -> Option<u64> {
    None
}

pub fn local_time_text(_secs: i64, _millis: u32) -> String {
    String::from("???")
}

pub fn catch_stop_signals() -> io::Result<()> {
    Err(unsupported())
}

pub fn stop_signal() -> Option<i32> {
    None
}

pub fn signal_name(_sig: i32) -> &'static str {
    "a signal"
}

pub fn map_anonymous(_len: usize) -> io::Result<NonNull<u64>> {
    Err(unsupported())
}

/// Nothing is ever mapped here.
///
/// # Safety
/// None needed; `unsafe` only to match the other modules.
pub unsafe fn unmap(_ptr: NonNull<u64>, _len: usize) {}

pub fn lock(_words: &[u64], _on_fault: bool) -> io::Result<()> {
    Err(unsupported())
}

pub fn symlink(_target: &std::path::Path, _link: &std::path::Path) -> io::Result<()> {
    Err(io::Error::other("symbolic links are not supported here"))
}

pub fn os_version() -> String {
    std::env::consts::OS.to_string()
}

pub fn pids() -> Vec<u32> {
    Vec::new()
}

pub fn process_names(_pid: u32) -> Vec<String> {
    Vec::new()
}

pub fn process_exists(_pid: u32) -> bool {
    false
}

pub fn process_comm(_pid: u32) -> Vec<u8> {
    Vec::new()
}

pub fn process_cmdline(_pid: u32) -> Vec<u8> {
    Vec::new()
}

pub fn process_maps(_pid: u32, _smaps: bool, _cmdline_max: usize) -> Option<PidMaps> {
    None
}

pub fn process_map(_pid: u32) -> Result<ProcessMap, MapError> {
    Err(MapError::NotRunning)
}
