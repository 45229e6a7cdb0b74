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
pub mod spec;
pub mod table;
pub mod views;

use memtools_core::opts::Applet;
use memtools_core::{Failure, Sink};
use std::ffi::OsString;

/// smem in the dispatcher's registry.
pub const APPLET: Applet = Applet {
    spec: &spec::SPEC,
    run,
};

/// One run: the options (optparse's rules; `-h` and usage errors end here), the report
/// into a [`Sink`] on stdout, and the write error, if any (`smem: write error: ...`, 1).
pub fn run(args: Vec<OsString>) -> Result<i32, Failure> {
    let argv: Vec<Vec<u8>> = args
        .iter()
        .map(|a| memtools_core::getopt::os_bytes(a))
        .collect();
    let columns_env = std::env::var("COLUMNS").ok();
    let o = args::parse(&argv, columns_env.as_deref())?;
    let mut out = Sink::stdout();
    report::run::report(&o, &mut out.buf)?;
    out.finish("smem")?;
    Ok(0)
}

/// `smem: MSG` on stderr, status 1: where smem 1.5 stops with a Python traceback.
pub(crate) fn fatal(msg: &str) -> Failure {
    Failure::line(1, "smem", msg)
}

/// A text smem prints on stdout before it exits with status 255 (its "unknown field"
/// lists).
pub(crate) fn listing(text: String) -> Failure {
    let mut f = Failure::print("smem", text);
    f.status = 255;
    f
}

/// The end of a run that prints nothing, status 0: smem's answer to an unreadable `/proc`
/// or meminfo.
pub(crate) fn quiet() -> Failure {
    Failure::status(0)
}
