//! Pieces every memtools applet shares.
//!
//! * [`getopt`]: a clean-room emulation of glibc's `getopt_long` (permutation, clustering,
//!   unique-prefix long options, and glibc's exact diagnostics). The originals' scripts parse
//!   their error texts too, and clap cannot reproduce them, so procps-style applets parse
//!   with this; clap only writes the completions (memtools-gen, from each applet's spec).
//! * [`cnum`]: the C library's `strtoul`/`strtol` family, byte for byte, because the originals'
//!   quirks (saturation, sign wrapping, base 0) are part of their observable behaviour.
//! * [`out`]: stdout/stderr helpers, write-error reporting and `strerror` texts.
//! * [`bsd_getopt`]: the BSD `getopt(3)` of macOS's Libc (no permutation, basename in
//!   diagnostics), for the macOS tools.
//! * [`json`]: the small JSON writer behind every `--json` option.
//! * [`sink`]: the one stdout writer of every applet (buffering, fast number formatting,
//!   closed-stdout and write-error reporting).
//! * [`failure`]: the one applet error type (stderr bytes and exit status).
//! * [`opts`]: each applet's options, defined once ([`opts::Spec`]), and the applet record
//!   ([`opts::Applet`]) of the dispatcher's registry.
//! * [`python`]: Python's `repr(float)`, for the applets that print what a Python script
//!   prints (meminfo, smem).
//! * [`strtod`]: C `strtod` (longest numeric prefix), for arguments parsed without an end
//!   pointer.
//! * [`oom`]: the global allocator of the memtools binary: an allocation failure is a clear
//!   message and exit status 1.
//!
//! The crate's own system calls (`write`, `fcntl`, `strerror_r`, `signal`, `_exit`) are the
//! few that output and error reporting need before and apart from the platform layer
//! (memtools-platform depends on this crate, not the reverse).

pub mod bsd_getopt;
pub mod cnum;
pub mod failure;
pub mod getopt;
pub mod json;
pub mod oom;
pub mod opts;
pub mod out;
pub mod python;
pub mod sink;
pub mod strtod;

pub use failure::{exit_status, Failure};
pub use sink::Sink;

/// The memtools version, shared by every applet's `-V` line.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
