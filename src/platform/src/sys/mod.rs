//! The operating system, chosen once. Each OS has one module with the same functions
//! (`linux.rs`, `macos.rs`, and `unsupported.rs` for any other system); the POSIX calls that
//! Linux and macOS make alike live in `unix.rs` and are re-exported by both, and the
//! answers of a system without a Linux-only feature (huge pages, cgroups, ...) live in
//! `absent.rs`, re-exported by `macos.rs` and `unsupported.rs`. The `cfg` selection below
//! is the only one: everything else in memtools calls `sys::NAME` and never asks which OS
//! it runs on.
//!
//! How to add a function: write it once in each of `linux.rs`, `macos.rs` and
//! `unsupported.rs` (or once in `unix.rs`, re-exported by the two), with the same
//! signature; add its name to the `pub use` list below and to the signature check in the
//! tests. Keep each OS function to the call and its error handling: the parsing and the
//! arithmetic go in a plain module (`meminfo.rs`, `vmstat.rs`, `darwin.rs`, `procinfo.rs`,
//! `cgroup.rs`, ...) that is compiled and tested on Linux whatever OS it serves. A larger
//! OS-only reader is a submodule of its OS module (`linux/cgroup.rs`).

#[cfg(any(target_os = "linux", target_os = "macos"))]
mod unix;

#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "linux")]
use linux as imp;

#[cfg(target_os = "macos")]
mod macos;
#[cfg(target_os = "macos")]
use macos as imp;

#[cfg(any(test, not(target_os = "linux")))]
mod absent;
#[cfg(any(test, not(any(target_os = "linux", target_os = "macos"))))]
mod unsupported;
#[cfg(not(any(target_os = "linux", target_os = "macos")))]
use unsupported as imp;

// System memory: free, vm_stat, meminfo (psutil's view); this process's own use.
pub use imp::{meminfo, page_size, self_memory, sysinfo_swap, system_memory, vm_counters};
// Memory this process holds (crate::memory::Mapping) and the limits on it.
pub use imp::{advise_hugepages, lock, map_anonymous, populate_write, soft_limit, unmap};
// SIGINT and SIGTERM as a request to stop.
pub use imp::{catch_stop_signals, signal_name, stop_signal};
// Other processes: lookup, names, memory maps.
pub use imp::{pids, process_cmdline, process_comm, process_exists, process_map, PID_MAX};
pub use imp::{process_maps, process_names, sysv_shm_minor};
// Memory cgroups, behind crate::cgroup's read, usage_now and meminfo.
pub(crate) use imp::{cgroup_meminfo, cgroup_read, cgroup_usage_now};
// smem's whole /proc tree, behind crate::proctree's open and user_names; binutils' size.
pub use imp::run_size;
pub(crate) use imp::{proc_tree, user_names};
// The terminal, the clock, the file system, the system's name.
pub use imp::{local_time_text, os_version, stdin_columns, symlink, terminal_width};

#[cfg(test)]
mod tests {
    use super::unsupported as u;
    use crate::meminfo::MemInfoError;
    use crate::process::MapError;
    use crate::vmstat::VmStatError;

    /// Compiles only when both arguments have the same type.
    fn same<T>(_: T, _: T) {}

    /// The module in use and `unsupported.rs` offer the same functions with the same
    /// signatures (the macOS type-check compiles this test too, so all three agree).
    #[test]
    fn every_os_module_has_the_same_functions() {
        same(super::meminfo as fn() -> _, u::meminfo as fn() -> _);
        same(super::page_size as fn() -> _, u::page_size as fn() -> _);
        same(super::self_memory as fn() -> _, u::self_memory as fn() -> _);
        same(super::vm_counters as fn() -> _, u::vm_counters as fn() -> _);
        same(super::sysinfo_swap as fn() -> _, u::sysinfo_swap);
        same(super::system_memory as fn() -> _, u::system_memory);
        same(super::advise_hugepages as fn(_) -> _, u::advise_hugepages);
        same(super::lock as fn(_, _) -> _, u::lock);
        same(super::map_anonymous as fn(_) -> _, u::map_anonymous);
        same(super::populate_write as fn(_) -> _, u::populate_write);
        same(super::soft_limit as fn(_) -> _, u::soft_limit);
        same(super::unmap as unsafe fn(_, _), u::unmap);
        same(
            super::catch_stop_signals as fn() -> _,
            u::catch_stop_signals,
        );
        same(super::signal_name as fn(_) -> _, u::signal_name);
        same(super::stop_signal as fn() -> _, u::stop_signal);
        same(super::pids as fn() -> _, u::pids);
        same(super::process_cmdline as fn(_) -> _, u::process_cmdline);
        same(super::process_comm as fn(_) -> _, u::process_comm);
        same(super::process_exists as fn(_) -> _, u::process_exists);
        same(super::process_map as fn(_) -> _, u::process_map);
        same(super::process_names as fn(_) -> _, u::process_names);
        same(super::process_maps as fn(_, _, _) -> _, u::process_maps);
        same(super::sysv_shm_minor as fn() -> _, u::sysv_shm_minor);
        same(super::PID_MAX, u::PID_MAX);
        same(super::local_time_text as fn(_, _) -> _, u::local_time_text);
        same(super::os_version as fn() -> _, u::os_version);
        same(super::symlink as fn(_, _) -> _, u::symlink);
        same(super::terminal_width as fn() -> _, u::terminal_width);
        same(super::stdin_columns as fn() -> _, u::stdin_columns);
        same(super::proc_tree as fn(_) -> _, u::proc_tree);
        same(super::user_names as fn() -> _, u::user_names);
        same(super::run_size as fn(_) -> _, u::run_size);
        same(super::cgroup_meminfo as fn(_) -> _, u::cgroup_meminfo);
        same(super::cgroup_read as fn(_) -> _, u::cgroup_read);
        same(super::cgroup_usage_now as fn(_) -> _, u::cgroup_usage_now);
    }

    /// What memtools does on a system it has no module for: everything fails cleanly.
    #[test]
    fn unsupported_says_so() {
        assert!(matches!(u::meminfo(), Err(MemInfoError::Unsupported)));
        assert!(matches!(u::vm_counters(), Err(VmStatError::Unsupported)));
        assert_eq!(
            u::system_memory().map(|_| ()).map_err(|e| e.to_string()),
            Err("no memory information on this operating system".to_string())
        );
        let unsupported = std::io::ErrorKind::Unsupported;
        assert_eq!(u::self_memory().map_err(|e| e.kind()), Err(unsupported));
        assert_eq!(
            u::map_anonymous(4096).map_err(|e| e.kind()),
            Err(unsupported)
        );
        assert!(u::catch_stop_signals().is_err() && u::stop_signal().is_none());
        assert!(u::pids().is_empty() && !u::process_exists(1));
        assert_eq!(u::process_map(1).map(|_| ()), Err(MapError::NotRunning));
        assert_eq!(u::local_time_text(0, 0), "???");
        assert!(!u::populate_write(&mut [0u64; 4]) && u::terminal_width().is_none());
        assert_eq!(u::stdin_columns().map_err(|e| e.kind()), Err(unsupported));
        assert_eq!(
            u::proc_tree(None).err(),
            Some(crate::proctree::TreeError::Unsupported)
        );
        assert!(u::user_names().is_empty() && u::run_size("x".as_ref()).is_none());
        let own = crate::cgroup::Select::Own;
        assert!(matches!(
            u::cgroup_meminfo(&own),
            Err(crate::cgroup::CgroupError::Unsupported)
        ));
    }
}
