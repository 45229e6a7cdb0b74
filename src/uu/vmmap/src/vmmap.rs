//! `vmmap`: the macOS region report (header, region tables, legend, summary), for macOS
//! processes and, from `/proc/PID/smaps`, for Linux processes. See docs/vmmap.md.

pub mod classify;
pub mod classify_mach;
pub mod format;
pub mod json;
pub mod mach;
pub mod model;
pub mod procfs;
pub mod render;
pub mod spec;
pub mod summary;

use memtools_core::Failure;
use memtools_platform::process::{MapError, ProcessMap};
use memtools_platform::sys;
use spec::SPEC;
use std::ffi::OsString;

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

/// A usage error: the message, the usage text, status [`EXIT_USAGE`].
fn usage_error(msg: &str) -> Failure {
    Failure::new(EXIT_USAGE, format!("{msg}\n{}", SPEC.usage()))
}

/// Parses the arguments (argv[0] excluded): flag words from [`SPEC`] with one or two
/// dashes, anywhere; then the target and an optional address. `-h`/`-help` is
/// [`Failure::print`] of the usage text.
pub fn parse_args(args: &[String]) -> Result<Args, Failure> {
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
        let opt = SPEC.options().find(|o| {
            o.long == Some(word) || (word.len() == 1 && o.short == Some(word.as_bytes()[0]))
        });
        let Some(opt) = opt else {
            return Err(usage_error(&format!("vmmap: unknown option '{arg}'")));
        };
        let o = &mut a.options;
        match opt.name() {
            "wide" => o.wide = true,
            "verbose" => {
                o.wide = true;
                o.no_coalesce = true;
            }
            "sortBySize" => o.sort_by_size = true,
            "help" => return Err(Failure::print("vmmap", SPEC.usage())),
            "summary" => o.summary_only = true,
            "interleaved" => o.interleaved = true,
            "pages" => o.pages = true,
            "noCoalesce" => o.no_coalesce = true,
            "json" => a.json = true,
            _ => {} // the words accepted for compatibility (spec::no_effect)
        }
    }
    let mut it = operands.into_iter();
    a.target = match it.next() {
        Some(t) => t,
        None => return Err(usage_error("vmmap: no process given")),
    };
    if let Some(addr) = it.next() {
        let hex = addr
            .strip_prefix("0x")
            .or_else(|| addr.strip_prefix("0X"))
            .unwrap_or(&addr);
        match u64::from_str_radix(hex, 16) {
            Ok(v) => a.address = Some(v),
            Err(_) => return Err(usage_error(&format!("vmmap: invalid address '{addr}'"))),
        }
    }
    if let Some(extra) = it.next() {
        return Err(usage_error(&format!(
            "vmmap: unexpected argument '{extra}'"
        )));
    }
    Ok(a)
}

/// Why a process could not be examined.
#[derive(Debug, PartialEq, Eq)]
pub enum ProcessError {
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

/// The failure for target `like`, process `pid`, from the platform's verdict.
fn process_error(pid: u32, like: &str, e: MapError) -> ProcessError {
    match e {
        MapError::NotRunning => ProcessError::NotRunning {
            pid,
            like: like.to_string(),
        },
        MapError::Denied { name } => ProcessError::Denied { pid, name },
        MapError::Unreadable { name, reason } => ProcessError::Unreadable { pid, name, reason },
    }
}

/// The text and status for a failure, in macOS vmmap's words.
pub fn failure_text(f: &ProcessError) -> String {
    let me = std::process::id();
    match f {
        ProcessError::NotRunning { pid, like } => format!(
            "vmmap[{me}]: vmmap cannot examine process {pid} (with name like '{like}') because it no longer appears to be running.\nvmmap[{me}]: [fatal] mach port for process 0 not valid\n"
        ),
        ProcessError::Denied { pid, name } => format!(
            "vmmap[{me}]: vmmap cannot examine process {pid} ({name}) for unknown reasons, even though it appears to exist; try running with `sudo`.\n"
        ),
        ProcessError::Unreadable { pid, name, reason } => format!(
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

/// `[vmmap]` target: a pid (all digits, up to the OS's largest), or a unique partial
/// process name (any of the names the OS knows it by: [`sys::process_names`]), this
/// process excluded.
fn resolve(target: &str) -> Result<u32, ProcessError> {
    let not_running = || ProcessError::NotRunning {
        pid: 0,
        like: target.to_string(),
    };
    if !target.is_empty() && target.bytes().all(|b| b.is_ascii_digit()) {
        // PID_MAX is u32::MAX on Linux (any number can name a snapshot's process), so the
        // comparison only bites where pid_t is narrower (macOS).
        #[allow(clippy::absurd_extreme_comparisons)]
        return match target.parse::<u32>() {
            Ok(pid) if pid <= sys::PID_MAX => Ok(pid),
            _ => Err(not_running()),
        };
    }
    let me = std::process::id();
    let found: Vec<u32> = sys::pids()
        .into_iter()
        .filter(|&p| p != me)
        .filter(|&p| sys::process_names(p).iter().any(|n| n.contains(target)))
        .collect();
    match found.as_slice() {
        [one] => Ok(*one),
        _ => Err(not_running()),
    }
}

/// This program's path, for the header's "Analysis Tool".
fn analysis_tool() -> String {
    std::env::current_exe()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| "memtools".into())
}

/// Collects the report for a target, on this platform.
pub fn collect(target: &str) -> Result<render::Report, ProcessError> {
    let pid = resolve(target)?;
    let map = sys::process_map(pid).map_err(|e| process_error(pid, target, e))?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    Ok(match map {
        ProcessMap::Procfs(p) => procfs::report(pid, *p, now),
        ProcessMap::Mach(m) => mach::report(pid, *m, now),
    })
}

/// The dispatcher's record of this applet (memtools-applets).
pub const APPLET: memtools_core::opts::Applet = memtools_core::opts::Applet {
    spec: &spec::SPEC,
    run,
};

fn run(args: Vec<OsString>) -> Result<i32, Failure> {
    let args: Vec<String> = args
        .iter()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let mut a = parse_args(&args)?;
    a.options.width = sys::terminal_width();
    let mut report = collect(&a.target).map_err(|f| Failure::new(EXIT_FAIL, failure_text(&f)))?;
    if let Some(addr) = a.address {
        report.regions = around(report.regions, addr);
    }
    let mut out = memtools_core::Sink::stdout();
    if a.json {
        json::render_json(&report, &a.options, &mut out.buf);
    } else {
        let mut text = String::with_capacity(64 * 1024);
        render::render(&report, &a.options, &mut text);
        out.str(&text);
    }
    out.finish("vmmap")?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(v: &[&str]) -> Result<Args, Option<String>> {
        parse_args(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>()).map_err(|f| {
            if f.stdout.is_some() {
                assert_eq!(f.message, SPEC.usage().as_bytes());
                return None;
            }
            assert_eq!(f.status, EXIT_USAGE);
            let text = String::from_utf8_lossy(&f.message).into_owned();
            let (first, usage) = text.split_once('\n').unwrap_or_default();
            assert_eq!(usage, SPEC.usage());
            Some(first.to_string())
        })
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
    fn platform_verdicts_name_the_target() {
        assert_eq!(
            process_error(7, "sle", MapError::NotRunning),
            ProcessError::NotRunning {
                pid: 7,
                like: "sle".into()
            }
        );
        assert_eq!(
            process_error(
                7,
                "7",
                MapError::Denied {
                    name: "demo".into()
                }
            ),
            ProcessError::Denied {
                pid: 7,
                name: "demo".into()
            }
        );
        let why = MapError::Unreadable {
            name: "demo".into(),
            reason: "why".into(),
        };
        assert_eq!(
            process_error(7, "7", why),
            ProcessError::Unreadable {
                pid: 7,
                name: "demo".into(),
                reason: "why".into()
            }
        );
    }

    #[test]
    fn targets() {
        let me = std::process::id();
        assert_eq!(resolve(&me.to_string()), Ok(me), "a pid is taken as it is");
        let nobody = ProcessError::NotRunning {
            pid: 0,
            like: "99999999999".into(),
        };
        assert_eq!(resolve("99999999999"), Err(nobody), "beyond any pid");
        assert!(matches!(
            resolve("no such process name, surely"),
            Err(ProcessError::NotRunning { pid: 0, .. })
        ));
    }

    #[test]
    fn a_failed_region_walk_is_reported_not_shown_as_a_short_map() {
        let f = ProcessError::Unreadable {
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
