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
