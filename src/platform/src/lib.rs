//! The platform layer. Applets get plain data from here and never open `/proc` or call
//! mach themselves.
//!
//! * Linux: everything is read below the *snapshot root*, `/proc` by default, or the
//!   directory named by the environment variable [`PROC_ROOT_ENV`] (`MEMTOOLS_PROC_ROOT`).
//!   A copied `/proc` tree (from a bug report, another machine or a test fixture) can then
//!   be inspected by every applet.
//! * macOS: thin FFI in `macos.rs`; the arithmetic that turns mach counters into the shared
//!   data model lives in [`darwin`], which is plain Rust and unit-tested on Linux.

pub mod darwin;
pub mod meminfo;
pub mod procmaps;
pub mod selfmem;
pub mod vmstat;

#[cfg(target_os = "linux")]
pub mod linux;
#[cfg(target_os = "macos")]
pub mod macos;
#[cfg(target_os = "linux")]
pub mod processes;
#[cfg(target_os = "linux")]
pub mod procinfo;
#[cfg(unix)]
pub mod time;
#[cfg(target_os = "macos")]
mod vmstat_macos;

use std::path::PathBuf;

/// The environment variable that points the Linux source at a copied `/proc` tree.
pub const PROC_ROOT_ENV: &str = "MEMTOOLS_PROC_ROOT";

/// The directory that stands for `/proc`: `$MEMTOOLS_PROC_ROOT` when set and non-empty,
/// else `/proc`.
pub fn proc_root() -> PathBuf {
    match std::env::var_os(PROC_ROOT_ENV) {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => PathBuf::from("/proc"),
    }
}

pub use meminfo::{MemInfo, MemInfoError};

/// The VM page size in bytes (`sysconf(_SC_PAGESIZE)`; 4096 if that fails).
#[cfg(unix)]
pub fn page_size() -> u64 {
    // SAFETY: sysconf has no preconditions.
    let n = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    if n > 0 {
        n as u64
    } else {
        4096
    }
}
pub use selfmem::{self_memory, SelfMemory};

/// System memory counters for `free`, from this platform's source.
pub fn meminfo() -> Result<MemInfo, MemInfoError> {
    #[cfg(target_os = "linux")]
    {
        linux::meminfo()
    }
    #[cfg(target_os = "macos")]
    {
        macos::meminfo()
    }
    #[cfg(not(any(target_os = "linux", target_os = "macos")))]
    {
        Err(MemInfoError::Unsupported)
    }
}
