//! Where a process's data comes from: `/proc` (or a snapshot root) on Linux, mach and
//! libproc on macOS. Either way the formats read records (`memtools_platform::procmaps::
//! scan`): the scanner's over `maps`/`smaps` on Linux, a process's regions turned into the
//! same records on macOS (`procmaps::regions`), so one renderer serves both.

use crate::text::{command_line, Escaping};
use std::io;

/// What the `PID:   command` line and the name rules need.
pub struct ProcInfo {
    /// The pid whose maps are shown (the thread-group leader for a thread id).
    pub tgid: u32,
    pub cmd: Vec<u8>,
    pub startstack: u64,
    /// macOS: the regions, or why they could not be read (the region walk failed: shown
    /// as an unreadable maps file).
    #[cfg(not(target_os = "linux"))]
    pub regions: Option<io::Result<Vec<memtools_platform::procmaps::Region>>>,
}

/// `/proc/PID/cmdline` is read up to this many bytes.
#[cfg(target_os = "linux")]
const CMDLINE_MAX: usize = 131071;

/// A process's maps records: `maps` or `smaps` through the scanner.
#[cfg(target_os = "linux")]
pub type Records = memtools_platform::procmaps::scan::Scanner<CStdio<std::fs::File>>;

/// A file read with C stdio's error rule: `fgets` returns NULL on a read error just as at
/// the end of the file, and procps stops there. So a `maps`/`smaps` that opens but cannot
/// be read (a directory: EISDIR; EIO) is an empty or shortened table, exit status 0, as in
/// procps-ng. `Interrupted` is passed on (the reader retries it).
#[cfg(target_os = "linux")]
pub struct CStdio<R>(pub R);

#[cfg(target_os = "linux")]
impl<R: io::Read> io::Read for CStdio<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.0.read(buf) {
            Err(e) if e.kind() != io::ErrorKind::Interrupted => Ok(0),
            r => r,
        }
    }
}

#[cfg(target_os = "linux")]
impl<R: io::Seek> io::Seek for CStdio<R> {
    fn seek(&mut self, pos: io::SeekFrom) -> io::Result<u64> {
        self.0.seek(pos)
    }
}

/// A process's maps records: its regions.
#[cfg(not(target_os = "linux"))]
pub type Records = memtools_platform::procmaps::regions::RegionRecords;

/// Looks a pid up; `None` = not found (exit status 42).
#[cfg(target_os = "linux")]
pub fn lookup(pid: u32, hide_kernel: bool, escaping: Escaping) -> Option<ProcInfo> {
    use memtools_platform::procmaps as pm;
    if !pm::pid_dir_exists(pid) {
        return None;
    }
    let st = pm::read_stat(pid)?;
    if hide_kernel && (pid == 2 || st.ppid == 2) {
        return None;
    }
    let tgid = pm::read_tgid(pid).map_or(pid, |t| t as u32);
    let cmdline = pm::read_cmdline(pid, CMDLINE_MAX);
    Some(ProcInfo {
        tgid,
        cmd: command_line(&cmdline, &st.comm, st.state, escaping),
        startstack: st.startstack,
    })
}

/// The records of `maps`, or of `smaps` (`-x` and the `-X` formats).
#[cfg(target_os = "linux")]
pub fn open(info: &mut ProcInfo, smaps: bool) -> io::Result<Records> {
    memtools_platform::procmaps::open_pid_file(info.tgid, if smaps { "smaps" } else { "maps" })
        .map(|f| Records::new(CStdio(f)))
}

/// The device minor number of SysV shared memory on this system, if it has one.
pub fn shm_minor() -> Option<u32> {
    memtools_platform::sys::sysv_shm_minor()
}

#[cfg(target_os = "macos")]
pub fn lookup(pid: u32, _hide_kernel: bool, escaping: Escaping) -> Option<ProcInfo> {
    use memtools_platform::sys;
    if !sys::process_exists(pid) {
        return None;
    }
    let cmd = command_line(
        &sys::process_cmdline(pid),
        &sys::process_comm(pid),
        b'S',
        escaping,
    );
    // Regions are read now, so that the stack is known for the name rules. Only the main
    // thread's stack is named `[stack]` (procmaps::region_from_mach). `startstack` is an
    // address inside it, its last byte: its start is also the end of the guard region
    // below, which the `[ stack ]` rule (start <= startstack <= end) would match too.
    let regions = sys::process_regions(pid);
    let startstack = regions
        .as_ref()
        .ok()
        .and_then(|rs| rs.iter().find(|r| r.name == b"[stack]"))
        .map_or(u64::MAX, |r| r.end.saturating_sub(1));
    Some(ProcInfo {
        tgid: pid,
        cmd,
        startstack,
        regions: Some(regions),
    })
}

/// The records of the process's regions (the same for every format).
#[cfg(not(target_os = "linux"))]
pub fn open(info: &mut ProcInfo, _smaps: bool) -> io::Result<Records> {
    match info.regions.take() {
        Some(Ok(regions)) => Ok(Records::new(regions)),
        Some(Err(e)) => Err(e),
        None => Err(io::Error::from_raw_os_error(libc::EPERM)),
    }
}

#[cfg(not(any(target_os = "linux", target_os = "macos")))]
pub fn lookup(_pid: u32, _hide_kernel: bool, _escaping: Escaping) -> Option<ProcInfo> {
    None
}
