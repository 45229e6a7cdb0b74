//! `smem`: memory per process, user and mapping (USS, PSS, RSS, swap) and for the whole
//! system, byte for byte as Debian's smem 1.5 prints it. See docs/smem.md.
//!
//! `--pie`/`--bar` write the chart as SVG on stdout (smem opens a matplotlib window);
//! `--json` and `--fast` are memtools additions.

pub mod args;
pub mod chart;
pub mod json;
pub mod procfiles;
pub mod pytext;
pub mod report;
pub mod smaps;
pub mod table;
pub mod views;

use std::ffi::OsString;

/// How a run ends when it does not print its report.
#[derive(Debug, PartialEq)]
pub enum Exit {
    /// Text for stdout, then this status (smem's "unknown field" lists: 255).
    Stdout(String, i32),
    /// A message for stderr, then this status.
    Stderr(String, i32),
    /// Nothing printed, status 0: smem's answer to an unreadable meminfo or /proc.
    Quiet,
}

pub fn uumain(args: Vec<OsString>) -> i32 {
    let argv: Vec<Vec<u8>> = args
        .iter()
        .map(|a| memtools_core::getopt::os_bytes(a))
        .collect();
    let columns_env = std::env::var("COLUMNS").ok();
    match args::parse(&argv, columns_env.as_deref()) {
        args::Parsed::Help(h) => {
            let _ = memtools_core::out::write_stdout(h.as_bytes());
            0
        }
        args::Parsed::Error(e) => {
            memtools_core::out::eprint_bytes(e.as_bytes());
            2
        }
        args::Parsed::Run(o) => run(&o),
    }
}

fn run(o: &args::Options) -> i32 {
    let result = report::run::report(o);
    let (out, status) = match result {
        Ok(out) => (out, 0),
        Err(Exit::Stdout(s, st)) => (s.into_bytes(), st),
        Err(Exit::Stderr(s, st)) => {
            memtools_core::out::eprint_bytes(s.as_bytes());
            return st;
        }
        Err(Exit::Quiet) => return 0,
    };
    // smem catches I/O errors at the top and exits 0 without a word: a closed pipe, a full
    // disk or a closed stdout end the run quietly.
    let _ = memtools_core::out::write_stdout(&out);
    status
}
