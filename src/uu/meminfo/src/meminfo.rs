//! `meminfo`: what psutil 7.2.2's `scripts/meminfo.py` prints (a MEMORY and a SWAP block
//! from `psutil.virtual_memory()` and `psutil.swap_memory()`), byte for byte, on Linux and
//! macOS. See docs/meminfo.md for each line's meaning and every deliberate difference.
//!
//! * [`linux`] and [`darwin`]: psutil's arithmetic, pure;
//! * [`pynum`]: the Python number semantics the output depends on;
//! * [`report`]: the text and JSON renderings;
//! * [`args`]: the command line.
//!
//! Only `gather` (below) touches the system, through memtools-platform.

pub mod args;
pub mod darwin;
pub mod linux;
pub mod pynum;
pub mod report;

use memtools_core::out::{eprint_bytes, is_broken_pipe, report_write_error, write_stdout};
use report::Outcome;
use std::ffi::OsString;

/// The live Linux sources, below the snapshot root (`MEMTOOLS_PROC_ROOT`).
#[cfg(target_os = "linux")]
mod live {
    use memtools_core::getopt::os_bytes;
    use memtools_platform::sysmem::{self, ProcFile};
    use std::path::Path;

    pub struct Live;

    /// `ROOT/name`'s psutil spelling and content.
    pub fn file(name: &str) -> (Vec<u8>, ProcFile) {
        let p = sysmem::proc_path(name);
        (os_bytes(&p), sysmem::read_file(Path::new(&p)))
    }

    impl crate::linux::LinuxSource for Live {
        fn zoneinfo(&mut self) -> (Vec<u8>, ProcFile) {
            file("zoneinfo")
        }
        fn vmstat(&mut self) -> (Vec<u8>, ProcFile) {
            file("vmstat")
        }
        fn sysinfo_swap(&mut self) -> std::io::Result<(u128, u128)> {
            sysmem::sysinfo_swap()
        }
        fn page_size(&self) -> u64 {
            memtools_platform::page_size()
        }
    }
}

/// Runs psutil's steps on this system's data.
fn gather(human: bool) -> Outcome {
    #[cfg(target_os = "linux")]
    {
        let (path, data) = live::file("meminfo");
        linux::compute(&path, &data, &mut live::Live, human)
    }
    #[cfg(target_os = "macos")]
    {
        let _ = human;
        match memtools_platform::macos::mac_memory() {
            Ok(m) => darwin::compute(&m),
            Err(e) => Outcome {
                error: Some(memtools_core::out::io_strerror(&e).into_bytes()),
                ..Default::default()
            },
        }
    }
    #[cfg(not(any(target_os = "linux", target_os = "macos")))]
    {
        let _ = human;
        Outcome {
            error: Some(b"no memory information on this operating system".to_vec()),
            ..Default::default()
        }
    }
}

/// `meminfo: MESSAGE` on stderr.
fn eprint_error(msg: &[u8]) {
    let mut line = b"meminfo: ".to_vec();
    line.extend_from_slice(msg);
    line.push(b'\n');
    eprint_bytes(&line);
}

/// Writes to stdout; a closed pipe ends quietly (status 1 is never seen by a reader that
/// went away), any other failure is reported.
fn emit(text: &str) -> Result<(), i32> {
    match write_stdout(text.as_bytes()) {
        Ok(()) => Ok(()),
        Err(e) if is_broken_pipe(&e) => Err(1),
        Err(e) => Err(report_write_error("meminfo", Some(&e))),
    }
}

/// Prints an outcome: stdout (in text mode, also the part psutil prints before an
/// exception), the warnings, then the error line. Returns the exit status.
pub fn print_outcome(o: &Outcome, json: bool) -> i32 {
    let text = if json {
        if o.error.is_some() {
            String::new()
        } else {
            report::render_json(o)
        }
    } else {
        report::render_text(o)
    };
    for w in &o.warnings {
        eprint_bytes(format!("{w}\n").as_bytes());
    }
    if let Err(status) = emit(&text) {
        return status;
    }
    match &o.error {
        Some(e) => {
            eprint_error(e);
            1
        }
        None => 0,
    }
}

/// The applet's entry point: takes argv (argv[0] included), returns the exit status.
pub fn uumain(args: Vec<OsString>) -> i32 {
    match args::parse(args) {
        Err(args::UsageError(msg)) => {
            let mut m = msg;
            m.extend_from_slice(b"\nTry 'meminfo --help' for more information.\n");
            eprint_bytes(&m);
            1
        }
        Ok(args::Plan::Help) => emit(args::USAGE).map_or_else(|s| s, |_| 0),
        Ok(args::Plan::Version) => emit(&format!(
            "meminfo from memtools {}\n",
            memtools_core::VERSION
        ))
        .map_or_else(|s| s, |_| 0),
        Ok(args::Plan::Report { json }) => print_outcome(&gather(!json), json),
    }
}
