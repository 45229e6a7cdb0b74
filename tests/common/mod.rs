//! memtools' helpers for the integration tests, on top of the shared test kit (crate
//! memtools-testkit in tests/kit, re-exported here: `run`, `trial!`, `need`, `skip`,
//! `scratch`, `show`, `Proc`, `Nobody`, ...; its crate documentation says how to write a
//! test). Each `tests/test_*.rs` includes this with `mod common;`.
//!
//! In short, a test file is a `harness = false` target whose `main` lists its tests:
//!
//! ```text
//! mod common;
//! use common::{need, trial};
//!
//! fn main() {
//!     common::run(vec![
//!         trial!(goldens_from_procps),
//!         trial!(differential_frozen, need::mount_namespace(), need::procps("pmap")),
//!     ]);
//! }
//! ```
#![allow(dead_code)]

pub use memtools_testkit::*;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The memtools binary under test.
pub fn memtools() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_memtools"))
}

/// The repository (the root package's directory).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The repository's tests/fixtures directory.
pub fn fixtures() -> PathBuf {
    repo().join("tests/fixtures")
}

/// `memtools APPLET ARGS...` with a C locale, no POSIXLY_CORRECT, and the snapshot root set
/// to `root` (or none: the live /proc; never a /sys root).
pub fn applet_cmd(applet: &str, args: &[&str], root: Option<&Path>) -> Command {
    let mut c = Command::new(memtools());
    c.arg(applet)
        .args(args)
        .env("LC_ALL", "C")
        .env_remove("POSIXLY_CORRECT")
        .env_remove("MEMTOOLS_SYS_ROOT");
    match root {
        Some(r) => c.env("MEMTOOLS_PROC_ROOT", r),
        None => c.env_remove("MEMTOOLS_PROC_ROOT"),
    };
    c
}

/// Runs [`applet_cmd`] and returns its output.
pub fn run_applet(applet: &str, args: &[&str], root: Option<&Path>) -> Output {
    applet_cmd(applet, args, root)
        .output()
        .expect("spawn memtools")
}

/// A symbolic link `dir/NAME` to the memtools binary (the applet then comes from argv[0]).
pub fn memtools_link(dir: &Path, name: &str) -> PathBuf {
    let link = dir.join(name);
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(memtools(), &link).expect("symlink to memtools");
    link
}

/// A copy of the memtools binary that `nobody` can run (declare `need::nobody()`).
pub fn memtools_for_nobody() -> Nobody {
    Nobody::with_binary(&memtools()).expect("copying memtools for nobody")
}

/// Whether a getopt ambiguity line (`APPLET: option '--NAME[=ARG]' is ambiguous; ...`) is
/// about a prefix of "json", which memtools' long-option tables, ending in `json`, then also
/// list.
pub fn json_prefix(line: &[u8]) -> bool {
    let Some(start) = line.windows(10).position(|w| w == b"option '--") else {
        return false;
    };
    let rest = &line[start + 10..];
    let name_end = rest
        .iter()
        .position(|&c| c == b'=' || c == b'\'')
        .unwrap_or(rest.len());
    b"json".starts_with(&rest[..name_end])
}

/// The documented difference in getopt's ambiguity lines: those about a prefix of "json"
/// also list `'--json'`, last, where `json` sits in the long-option table.
pub fn json_ambiguity(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len());
    for l in b.split_inclusive(|&c| c == b'\n') {
        let ambiguous = l.windows(13).any(|w| w == b"is ambiguous;");
        if !(ambiguous && json_prefix(l)) {
            out.extend_from_slice(l);
            continue;
        }
        let body = l.strip_suffix(b"\n").unwrap_or(l);
        out.extend_from_slice(body);
        out.extend_from_slice(b" '--json'");
        if l.ends_with(b"\n") {
            out.push(b'\n');
        }
    }
    out
}
