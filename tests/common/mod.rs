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
/// about a prefix of `long` (a memtools option such as "json"), which memtools' long-option
/// tables, where it comes last, then also list.
pub fn long_prefix(line: &[u8], long: &str) -> bool {
    let Some(start) = line.windows(10).position(|w| w == b"option '--") else {
        return false;
    };
    let rest = &line[start + 10..];
    let name_end = rest
        .iter()
        .position(|&c| c == b'=' || c == b'\'')
        .unwrap_or(rest.len());
    long.as_bytes().starts_with(&rest[..name_end])
}

/// A documented difference in getopt's ambiguity lines: those about a prefix of `long` also
/// list `'--LONG'`, last, where memtools' option sits in the long-option table.
pub fn long_option_last(b: &[u8], long: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len());
    for l in b.split_inclusive(|&c| c == b'\n') {
        let ambiguous = l.windows(13).any(|w| w == b"is ambiguous;");
        if !(ambiguous && long_prefix(l, long)) {
            out.extend_from_slice(l);
            continue;
        }
        let body = l.strip_suffix(b"\n").unwrap_or(l);
        out.extend_from_slice(body);
        out.extend_from_slice(format!(" '--{long}'").as_bytes());
        if l.ends_with(b"\n") {
            out.push(b'\n');
        }
    }
    out
}

/// free: turns 4.0.2 tables (normal layout, separated by empty lines) into 4.0.4 `-L` lines:
/// `SwapUse %11s CachUse %11s  MemUse %11s MemFree %11s ` with SwapUse = Swap used,
/// CachUse = buff/cache, MemUse = Mem used, MemFree = Mem free.
pub fn tables_to_lines(out: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(out);
    let mut res = String::new();
    let mut mem: Option<Vec<String>> = None;
    for l in text.lines() {
        let cells: Vec<String> = l.split_whitespace().map(str::to_string).collect();
        match cells.first().map(String::as_str) {
            Some("Mem:") => mem = Some(cells),
            Some("Swap:") => {
                let m = mem.take().expect("Mem: row before Swap:");
                res.push_str(&format!(
                    "SwapUse {:>11} CachUse {:>11}  MemUse {:>11} MemFree {:>11} \n",
                    cells[2], m[5], m[2], m[3]
                ));
            }
            _ => {}
        }
    }
    res.into_bytes()
}

/// free: the table rows of a `-b -w -l -t -v` output: label -> cells (signed bytes).
pub fn table_rows(out: &[u8]) -> Vec<(String, Vec<i64>)> {
    show(out)
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut it = l.split_whitespace();
            let label = it.next()?.trim_end_matches(':').to_string();
            let cells = it.map(|c| c.parse::<i64>().expect("byte cell")).collect();
            Some((label, cells))
        })
        .collect()
}

/// free: the `--json` object's numbers in table order, for comparison with `table_rows`.
pub fn json_rows(v: &serde_json::Value) -> Vec<(String, Vec<i64>)> {
    let n = |o: &serde_json::Value, k: &str| {
        o[k].as_i64()
            .unwrap_or_else(|| panic!("field {k} missing or not an integer in {o}"))
    };
    let three = |k: &str| vec![n(&v[k], "total"), n(&v[k], "used"), n(&v[k], "free")];
    let m = &v["mem"];
    vec![
        (
            "Mem".into(),
            [
                "total",
                "used",
                "free",
                "shared",
                "buffers",
                "cache",
                "available",
            ]
            .iter()
            .map(|k| n(m, k))
            .collect(),
        ),
        ("Low".into(), three("low")),
        ("High".into(), three("high")),
        ("Swap".into(), three("swap")),
        ("Total".into(), three("total")),
        (
            "Comm".into(),
            vec![
                n(&v["commit"], "limit"),
                n(&v["commit"], "committed"),
                n(&v["commit"], "available"),
            ],
        ),
    ]
}

/// psutil 7.2.2's scripts/meminfo.py (meminfo's oracle; `util/psutil-sdist.sh` unpacks the
/// sdist below target/, or `MEMTOOLS_PSUTIL_MEMINFO_PY` names it), when psutil 7.2.2 is
/// importable; otherwise why not.
pub fn psutil_meminfo_script() -> Result<PathBuf, String> {
    let script = std::env::var_os("MEMTOOLS_PSUTIL_MEMINFO_PY")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target/psutil-sdist/psutil-7.2.2/scripts/meminfo.py"));
    if !script.is_file() {
        return Err(format!(
            "{} is missing (util/psutil-sdist.sh unpacks it)",
            script.display()
        ));
    }
    let v = Command::new("python3")
        .args(["-c", "import psutil; print(psutil.__version__)"])
        .output()
        .map_err(|e| format!("python3: {e}"))?;
    let version = show(&v.stdout).trim().to_string();
    if version != "7.2.2" {
        return Err(format!(
            "psutil 7.2.2 is not importable (found {version:?})"
        ));
    }
    Ok(script)
}

/// The prerequisite of the tests that run psutil's meminfo.py: see
/// [`psutil_meminfo_script`].
pub fn need_psutil() -> Need {
    Need::new("psutil-7.2.2-meminfo-script", || {
        psutil_meminfo_script()
            .map(drop)
            .map_err(|why| format!("needs psutil 7.2.2 and its scripts/meminfo.py: {why}"))
    })
}
