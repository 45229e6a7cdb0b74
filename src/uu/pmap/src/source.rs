//! Where a process's data comes from: `memtools_platform::sys::process_maps`, which reads
//! `/proc` (or a snapshot root) on Linux and asks mach and libproc on macOS. Either way the
//! map comes as records (`memtools_platform::procmaps::MapRecords`): the scanner over
//! `maps`/`smaps` on Linux, the regions as the same records on macOS, so one renderer
//! serves both.

use crate::text::{command_line, Escaping};
use memtools_platform::procmaps::MapRecords;
use memtools_platform::sys;
use std::io;

/// `/proc/PID/cmdline` is read up to this many bytes (procps-ng's limit).
const CMDLINE_MAX: usize = 131071;

/// What the `PID:   command` line, the name rules and the formats need.
pub struct ProcInfo {
    /// The pid whose maps are shown (the thread-group leader for a thread id).
    pub tgid: u32,
    pub cmd: Vec<u8>,
    pub startstack: u64,
    /// `maps` (or `smaps`, for `-x` and the `-X` formats) as records, or why they cannot be
    /// read (shown as `PID:   command` alone and exit status 1).
    pub records: io::Result<MapRecords>,
}

/// Looks a pid up; `None` = not found (exit status 42), also for a kernel thread when
/// `hide_kernel` (`LIBPROC_HIDE_KERNEL`).
pub fn lookup(pid: u32, smaps: bool, hide_kernel: bool, escaping: Escaping) -> Option<ProcInfo> {
    let p = sys::process_maps(pid, smaps, CMDLINE_MAX)?;
    if hide_kernel && p.kernel_thread {
        return None;
    }
    Some(ProcInfo {
        tgid: p.tgid,
        cmd: command_line(&p.cmdline, &p.stat.comm, p.stat.state, escaping),
        startstack: p.stat.startstack,
        records: p.records,
    })
}

/// The device minor number of SysV shared memory on this system, if it has one.
pub fn shm_minor() -> Option<u32> {
    sys::sysv_shm_minor()
}
