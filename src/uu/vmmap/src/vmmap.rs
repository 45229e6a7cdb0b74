//! `vmmap`: the macOS region report (header, region tables, legend, summary), for macOS
//! processes and, from `/proc/PID/smaps`, for Linux processes. See docs/vmmap.md.

pub mod classify;
pub mod classify_mach;
pub mod format;
pub mod json;
pub mod model;
pub mod render;
pub mod summary;

#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "macos")]
mod macos;

use memtools_core::out::{eprint_bytes, report_write_error};
use std::ffi::OsString;
use std::io::Write;

pub const USAGE: &str = "Usage: vmmap [-s] [-w] [-v] [-pages] [-interleaved] [-submap] [-allSplitLibs] [-noCoalesce] [-summary] pid | partial-executable-name [address]
  -s, -sortBySize   sort the summary by dirty+swapped size
  -w, -wide         do not truncate region details
  -v, -verbose      same as -w -noCoalesce (and -submap -allSplitLibs, no-ops here)
  -pages            sizes in VM pages instead of bytes
  -interleaved      one region list in address order
  -noCoalesce       do not merge adjacent identical regions
  -summary          only the header and the summary
  -json             the report as one JSON object, sizes in bytes (memtools)
  -resident, -dirty, -purge, -submap, -allSplitLibs   accepted, no effect
Flags take one or two dashes and may come before or after the operand.
";

/// Exit status for every failure to examine a process (as macOS vmmap).
pub const EXIT_FAIL: i32 = 255;
/// Exit status for command-line errors.
pub const EXIT_USAGE: i32 = 1;

/// The command line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Args {
    pub options: render::Options,
    pub target: String,
    pub address: Option<u64>,
    /// `-json` / `--json`: the report as JSON instead of text.
    pub json: bool,
}

/// Parses the arguments (argv[0] excluded). `Err(None)` = help was asked for;
/// `Err(Some(msg))` = usage error.
pub fn parse_args(args: &[String]) -> Result<Args, Option<String>> {
    let mut a = Args::default();
    let mut operands = Vec::new();
    for arg in args {
        let word = arg
            .strip_prefix("--")
            .or_else(|| arg.strip_prefix('-'))
            .filter(|w| !w.is_empty() && !arg.starts_with("---"));
        let Some(word) = word else {
            operands.push(arg.clone());
            continue;
        };
        let o = &mut a.options;
        match word {
            "w" | "wide" => o.wide = true,
            "summary" => o.summary_only = true,
            "interleaved" => o.interleaved = true,
            "pages" => o.pages = true,
            "noCoalesce" => o.no_coalesce = true,
            "v" | "verbose" => {
                o.wide = true;
                o.no_coalesce = true;
            }
            "s" | "sortBySize" => o.sort_by_size = true,
            "json" => a.json = true,
            "resident" | "dirty" | "purge" | "submap" | "allSplitLibs" => {}
            "h" | "help" => return Err(None),
            _ => return Err(Some(format!("vmmap: unknown option '{arg}'"))),
        }
    }
    let mut it = operands.into_iter();
    a.target = match it.next() {
        Some(t) => t,
        None => return Err(Some("vmmap: no process given".into())),
    };
    if let Some(addr) = it.next() {
        let hex = addr
            .strip_prefix("0x")
            .or_else(|| addr.strip_prefix("0X"))
            .unwrap_or(&addr);
        match u64::from_str_radix(hex, 16) {
            Ok(v) => a.address = Some(v),
            Err(_) => return Err(Some(format!("vmmap: invalid address '{addr}'"))),
        }
    }
    if let Some(extra) = it.next() {
        return Err(Some(format!("vmmap: unexpected argument '{extra}'")));
    }
    Ok(a)
}

/// Why a process could not be examined.
#[derive(Debug, PartialEq, Eq)]
pub enum Failure {
    /// No such process (or the name matched none or several).
    NotRunning { pid: u32, like: String },
    /// It exists but may not be read.
    Denied { pid: u32, name: String },
    /// Reading its map failed part-way (macOS: a kernel status other than the end of the
    /// map from `mach_vm_region_recurse`); `reason` says where and why.
    Unreadable {
        pid: u32,
        name: String,
        reason: String,
    },
}

/// What a failed read of a process's map means (the macOS decision, plain logic): ESRCH is
/// a process that is not running; EPERM or EACCES one that may not be examined; any
/// other failure (a region walk that stopped on a kernel error) is reported with its
/// reason, unless the process has exited meanwhile, which makes it "not running".
pub fn map_failure(
    pid: u32,
    like: &str,
    name: &str,
    errno: Option<i32>,
    reason: &str,
    still_exists: bool,
) -> Failure {
    match errno {
        Some(libc::ESRCH) => Failure::NotRunning {
            pid,
            like: like.to_string(),
        },
        Some(libc::EPERM) | Some(libc::EACCES) => Failure::Denied {
            pid,
            name: name.to_string(),
        },
        _ if !still_exists => Failure::NotRunning {
            pid,
            like: like.to_string(),
        },
        _ => Failure::Unreadable {
            pid,
            name: name.to_string(),
            reason: reason.to_string(),
        },
    }
}

/// The text and status for a failure, in macOS vmmap's words.
pub fn failure_text(f: &Failure) -> String {
    let me = std::process::id();
    match f {
        Failure::NotRunning { pid, like } => format!(
            "vmmap[{me}]: vmmap cannot examine process {pid} (with name like '{like}') because it no longer appears to be running.\nvmmap[{me}]: [fatal] mach port for process 0 not valid\n"
        ),
        Failure::Denied { pid, name } => format!(
            "vmmap[{me}]: vmmap cannot examine process {pid} ({name}) for unknown reasons, even though it appears to exist; try running with `sudo`.\n"
        ),
        Failure::Unreadable { pid, name, reason } => format!(
            "vmmap[{me}]: vmmap cannot examine process {pid} ({name}): {reason}\n"
        ),
    }
}

/// Keeps the region containing `addr` and one neighbour on each side.
fn around(regions: Vec<model::Region>, addr: u64) -> Vec<model::Region> {
    match regions.iter().position(|r| r.start <= addr && addr < r.end) {
        Some(i) => {
            let lo = i.saturating_sub(1);
            let hi = (i + 2).min(regions.len());
            regions[lo..hi].to_vec()
        }
        None => Vec::new(),
    }
}

fn terminal_width() -> Option<usize> {
    #[cfg(unix)]
    {
        // SAFETY: isatty and ioctl(TIOCGWINSZ) only write into the winsize we pass.
        unsafe {
            if libc::isatty(1) != 1 {
                return None;
            }
            let mut ws: libc::winsize = std::mem::zeroed();
            if libc::ioctl(1, libc::TIOCGWINSZ, &mut ws) == 0 && ws.ws_col > 0 {
                return Some(ws.ws_col as usize);
            }
        }
    }
    None
}

/// Collects the report for a target, on this platform.
pub fn collect(target: &str) -> Result<render::Report, Failure> {
    #[cfg(target_os = "linux")]
    {
        linux::collect(target)
    }
    #[cfg(target_os = "macos")]
    {
        macos::collect(target)
    }
    #[cfg(not(any(target_os = "linux", target_os = "macos")))]
    {
        Err(Failure::NotRunning {
            pid: 0,
            like: target.to_string(),
        })
    }
}

pub fn uumain(args: Vec<OsString>) -> i32 {
    let args: Vec<String> = args
        .iter()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let mut a = match parse_args(&args) {
        Ok(a) => a,
        Err(None) => {
            let mut o = std::io::stdout().lock();
            return match o.write_all(USAGE.as_bytes()).and_then(|_| o.flush()) {
                Ok(()) => 0,
                Err(e) => report_write_error("vmmap", Some(&e)),
            };
        }
        Err(Some(msg)) => {
            eprint_bytes(format!("{msg}\n{USAGE}").as_bytes());
            return EXIT_USAGE;
        }
    };
    a.options.width = terminal_width();
    let mut report = match collect(&a.target) {
        Ok(r) => r,
        Err(f) => {
            eprint_bytes(failure_text(&f).as_bytes());
            return EXIT_FAIL;
        }
    };
    if let Some(addr) = a.address {
        report.regions = around(report.regions, addr);
    }
    let mut text = String::with_capacity(64 * 1024);
    if a.json {
        json::render_json(&report, &a.options, &mut text);
    } else {
        render::render(&report, &a.options, &mut text);
    }
    let mut o = std::io::stdout().lock();
    match o.write_all(text.as_bytes()).and_then(|_| o.flush()) {
        Ok(()) => 0,
        Err(e) => report_write_error("vmmap", Some(&e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(v: &[&str]) -> Result<Args, Option<String>> {
        parse_args(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn flags_in_any_position_with_one_or_two_dashes() {
        let a = p(&["-interleaved", "123", "--wide", "-pages"]).unwrap();
        assert_eq!(a.target, "123");
        assert!(a.options.interleaved && a.options.wide && a.options.pages);
        let a = p(&["--summary", "sleep", "0x7f00"]).unwrap();
        assert!(a.options.summary_only);
        assert_eq!(a.address, Some(0x7f00));
        let a = p(&["-v", "1", "-resident"]).unwrap();
        assert!(a.options.wide && a.options.no_coalesce);
    }

    #[test]
    fn map_failures_by_cause() {
        let f = |errno, exists| map_failure(7, "7", "demo", errno, "why", exists);
        let not_running = Failure::NotRunning {
            pid: 7,
            like: "7".into(),
        };
        let denied = Failure::Denied {
            pid: 7,
            name: "demo".into(),
        };
        assert_eq!(f(Some(libc::ESRCH), true), not_running);
        assert_eq!(f(Some(libc::EPERM), true), denied);
        assert_eq!(f(Some(libc::EACCES), true), denied);
        assert_eq!(
            f(None, true),
            Failure::Unreadable {
                pid: 7,
                name: "demo".into(),
                reason: "why".into()
            }
        );
        // The walk failed because the process exited meanwhile.
        assert_eq!(f(None, false), not_running);
    }

    #[test]
    fn a_failed_region_walk_is_reported_not_shown_as_a_short_map() {
        let f = Failure::Unreadable {
            pid: 123,
            name: "demo".into(),
            reason: "mach_vm_region_recurse at 0x100000000: (os/kern) failure (5)".into(),
        };
        assert_eq!(
            failure_text(&f),
            format!(
                "vmmap[{}]: vmmap cannot examine process 123 (demo): mach_vm_region_recurse at 0x100000000: (os/kern) failure (5)\n",
                std::process::id()
            )
        );
    }

    #[test]
    fn bad_command_lines() {
        assert_eq!(p(&[]), Err(Some("vmmap: no process given".into())));
        assert_eq!(
            p(&["-d", "5", "1"]),
            Err(Some("vmmap: unknown option '-d'".into()))
        );
        assert_eq!(
            p(&["1", "zz"]),
            Err(Some("vmmap: invalid address 'zz'".into()))
        );
        assert_eq!(
            p(&["1", "2", "3"]),
            Err(Some("vmmap: unexpected argument '3'".into()))
        );
        assert_eq!(p(&["--help"]), Err(None));
    }
}
