//! Linux sources: files below the snapshot root (see [`crate::proc_root`]).

use crate::meminfo::{MemInfo, MemInfoError, MEMINFO_READ_LIMIT};
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// Reads at most `limit` bytes with a single `read()` call, as procps does for meminfo.
fn read_once(path: &Path, limit: usize) -> io::Result<Vec<u8>> {
    let mut f = File::open(path)?;
    let mut buf = vec![0u8; limit];
    let n = loop {
        match f.read(&mut buf) {
            Ok(n) => break n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    };
    buf.truncate(n);
    Ok(buf)
}

/// `/proc/meminfo`, read and parsed as procps-ng 4.0.x reads it.
pub fn meminfo() -> Result<MemInfo, MemInfoError> {
    let path = crate::proc_root().join("meminfo");
    match read_once(&path, MEMINFO_READ_LIMIT) {
        Ok(data) if data.is_empty() => Err(MemInfoError::Unreadable(io::Error::from_raw_os_error(
            libc::EIO,
        ))),
        Ok(data) => Ok(MemInfo::parse_procps(&data)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Err(MemInfoError::NotFound(path)),
        Err(e) => Err(MemInfoError::Unreadable(e)),
    }
}

/// The device minor number SysV shared memory shows in `maps` on the live system, found as
/// procps-ng's pmap finds it: attach a private segment and look for it in this process's
/// own `/proc/self/maps` (the real one, not the snapshot root: the answer describes the
/// running kernel). `None` when SysV IPC is unavailable.
pub fn discover_shm_minor() -> Option<u32> {
    // SAFETY: shmget has no memory preconditions; IPC_PRIVATE always makes a new segment.
    let id = unsafe { libc::shmget(libc::IPC_PRIVATE, 42, libc::IPC_CREAT | 0o666) };
    if id < 0 {
        return None;
    }
    // SAFETY: `id` is a segment we own; a null address lets the kernel choose where.
    let addr = unsafe { libc::shmat(id, std::ptr::null(), libc::SHM_RDONLY) };
    let mut minor = None;
    if addr as isize != -1 {
        let a = addr as u64;
        if let Ok(maps) = std::fs::read("/proc/self/maps") {
            for line in maps.split(|&b| b == b'\n') {
                let Some(r) = crate::procmaps::parse_maps_line(line) else {
                    continue;
                };
                if r.start <= a
                    && r.dev_major == 0
                    && r.perms[3] == b's'
                    && line.windows(5).any(|w| w == b"/SYSV")
                {
                    minor = Some(r.dev_minor);
                    break;
                }
            }
        }
        // SAFETY: `addr` is the attachment made above and nothing refers to it any more.
        if unsafe { libc::shmdt(addr) } != 0 {
            crate::linux::perror("shared memory detach");
        }
    }
    // SAFETY: removing our own private segment; a null buffer is allowed for IPC_RMID.
    if unsafe { libc::shmctl(id, libc::IPC_RMID, std::ptr::null_mut()) } != 0 {
        crate::linux::perror("shared memory remove");
    }
    minor
}

/// C `perror`.
fn perror(what: &str) {
    let e = std::io::Error::last_os_error();
    memtools_core::out::eprintln_raw(&format!("{what}: {}", memtools_core::out::io_strerror(&e)));
}
