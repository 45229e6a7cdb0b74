//! The platform layer: the only code that touches the operating system. Applets get plain
//! data and safe calls from here, and never open `/proc`, call mach or use `libc`
//! themselves.
//!
//! * [`sys`]: the operating system, chosen once. One module per OS (`sys/linux.rs`,
//!   `sys/macos.rs`, `sys/unsupported.rs`, plus `sys/unix.rs` for the POSIX calls the first
//!   two share) with the same set of functions; callers write `sys::meminfo()` and never
//!   see a `cfg`.
//! * Plain modules, compiled and unit-tested on Linux whatever OS they serve: the data
//!   models ([`meminfo::MemInfo`], [`vmstat::VmCounters`], [`procmaps::Region`],
//!   [`process::ProcessMap`], ...), the parsers of Linux `/proc` files, and [`darwin`], the
//!   arithmetic that turns mach counters into those models.
//! * [`memory`]: memory this process holds on purpose, as a safe [`memory::Mapping`].
//!
//! Linux sources are read below the *snapshot root*, `/proc` by default, or the directory
//! named by the environment variable [`PROC_ROOT_ENV`] (`MEMTOOLS_PROC_ROOT`). A copied
//! `/proc` tree (from a bug report, another machine or a test fixture) can then be
//! inspected by every applet.
//!
//! **Adding an OS-specific function** (a new data source, a new system call): one function
//! with the same signature in each of `sys/linux.rs`, `sys/macos.rs` and
//! `sys/unsupported.rs` (or one in `sys/unix.rs` that the Linux and macOS modules
//! re-export; for a Linux-only feature, its "not here" answer once in `sys/absent.rs`, which
//! the macOS and unsupported modules re-export), its name in the `pub use` list and the
//! signature test of `sys/mod.rs`. The
//! OS function only makes the calls; what it reads is parsed and computed by a plain
//! function in a module of its own (as `meminfo.rs`, `vmstat.rs` or `darwin.rs`), unit-tested
//! on Linux with recorded or synthetic input. An OS-only reader too big for one function
//! gets a submodule of its OS module (`sys/linux/cgroup.rs`: the cgroup files), and a plain
//! module may keep a one-line public entry point that forwards to `sys` (`cgroup::read`).
//! `unsafe` stays in `sys/` (and in `memory.rs`'s safe `Mapping` and store kernels), each
//! block with its `SAFETY:` comment.

pub mod cgroup;
pub mod darwin;
pub mod meminfo;
pub mod memory;
pub mod process;
pub mod procinfo;
pub mod procmaps;
pub mod proctree;
pub mod selfmem;
pub mod sys;
pub mod sysmem;
pub mod vmstat;

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
pub use selfmem::SelfMemory;
/// The most used [`sys`] functions, also at the crate root.
pub use sys::{meminfo, page_size, self_memory};
