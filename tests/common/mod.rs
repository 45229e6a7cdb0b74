//! Helpers shared by the integration tests (each `tests/test_*.rs` is its own target and
//! includes this with `mod common;`).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The memtools binary under test.
pub fn memtools() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_memtools"))
}

/// The repository's tests/fixtures directory.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Runs `memtools APPLET ARGS...` with the snapshot root set to `root` (if any) and a C
/// locale, and returns its output.
pub fn run_applet(applet: &str, args: &[&str], root: Option<&Path>) -> Output {
    let mut c = Command::new(memtools());
    c.arg(applet)
        .args(args)
        .env("LC_ALL", "C")
        .env_remove("POSIXLY_CORRECT");
    match root {
        Some(r) => c.env("MEMTOOLS_PROC_ROOT", r),
        None => c.env_remove("MEMTOOLS_PROC_ROOT"),
    };
    c.output().expect("spawn memtools")
}

/// True when we run as root (needed for the oracle's private mount namespaces).
pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}
