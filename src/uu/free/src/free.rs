//! `free`: a byte-for-byte reimplementation of procps-ng 4.0.2 `free`, plus 4.0.4's
//! `-L/--line`. See docs/free.md for what each column means on Linux and macOS, and for the
//! few deliberate differences.

pub mod args;
pub mod render;
pub mod spec;

use memtools_core::getopt::Getopt;
use memtools_core::{Failure, Sink};
use memtools_platform::cgroup::{CgroupError, Select};
use memtools_platform::MemInfoError;
use render::View;
use spec::SPEC;
use std::ffi::OsString;
use std::time::Duration;

/// A diagnostic line (its bytes as they are) and exit status 1.
fn fail_line(msg: &[u8]) -> Failure {
    let mut line = Vec::with_capacity(msg.len() + 1);
    line.extend_from_slice(msg);
    line.push(b'\n');
    Failure::new(1, line)
}

/// The usage text on stderr, exit status 1.
fn usage_error() -> Failure {
    Failure::new(1, SPEC.usage())
}

/// What the command line asks for.
#[derive(Debug, PartialEq)]
struct Plan {
    view: View,
    /// Microseconds between tables, when repeating.
    interval_us: f32,
    repeat: bool,
    count: Option<i32>,
    /// `--json`: one JSON object per sample instead of the table.
    json: bool,
    /// `--cgroup[=DIR]`: the cgroup's meminfo (as LXCFS serves it) instead of the host's.
    cgroup: Option<Select>,
}

/// Parses the arguments. `Err` is what to print (help and version texts included) and
/// the exit status.
fn parse(args: Vec<OsString>) -> Result<Plan, Failure> {
    let mut g = Getopt::from_spec(args, &SPEC);
    let mut plan = Plan {
        view: View::default(),
        interval_us: 1_000_000.0,
        repeat: false,
        count: None,
        json: false,
        cgroup: None,
    };
    let mut unit_set = false;
    while let Some(opt) = g.next_opt() {
        let opt = match opt {
            Ok(o) => o,
            Err(_) => return Err(fail_line(g.last_error_bytes()).then(SPEC.usage().as_bytes())),
        };
        let name = g.name(&opt);
        let unit = match name {
            "bytes" => Some((1, false)),
            "kibi" => Some((2, false)),
            "mebi" => Some((3, false)),
            "gibi" => Some((4, false)),
            "tebi" => Some((5, false)),
            "pebi" => Some((6, false)),
            "kilo" => Some((2, true)),
            "mega" => Some((3, true)),
            "giga" => Some((4, true)),
            "tera" => Some((5, true)),
            "peta" => Some((6, true)),
            _ => None,
        };
        if let Some((exp, si)) = unit {
            if unit_set {
                return Err(Failure::line(
                    1,
                    "free",
                    "Multiple unit options don't make sense.",
                ));
            }
            unit_set = true;
            plan.view.exponent = exp;
            plan.view.si |= si;
            continue;
        }
        if name == "cgroup" {
            plan.cgroup = Some(Select::from_option("free", opt.arg)?);
            continue;
        }
        let arg = opt.arg.unwrap_or_default();
        match name {
            "human" => plan.view.human = true,
            "si" => plan.view.si = true,
            "json" => plan.json = true,
            "lohi" => plan.view.lohi = true,
            "line" => plan.view.line = true,
            "total" => plan.view.total = true,
            "committed" => plan.view.committed = true,
            "wide" => plan.view.wide = true,
            "seconds" => match args::parse_seconds(&arg) {
                Ok(us) => {
                    plan.repeat = true;
                    plan.interval_us = us;
                }
                Err(msg) => return Err(fail_line(&msg)),
            },
            "count" => match args::parse_count(&arg) {
                Ok(n) => {
                    plan.repeat = true;
                    plan.count = Some(n);
                }
                Err(msg) => return Err(fail_line(&msg)),
            },
            "help" => return Err(Failure::print("free", SPEC.usage())),
            "version" => return Err(Failure::version("free")),
            _ => return Err(usage_error()),
        }
    }
    if !g.operands().is_empty() {
        return Err(usage_error());
    }
    Ok(plan)
}

/// The counters to show: the host's, or with `--cgroup` the cgroup's meminfo text (as
/// LXCFS would serve it) read by the same procps parser.
fn counters(cgroup: Option<&Select>) -> Result<memtools_platform::MemInfo, Failure> {
    let Some(sel) = cgroup else {
        return meminfo();
    };
    match memtools_platform::cgroup::meminfo(sel) {
        Ok(c) => Ok(memtools_platform::MemInfo::parse_procps(&c.text)),
        Err(CgroupError::Host(e)) => Err(meminfo_failure(e)),
        Err(e) => Err(Failure::line(1, "free", &format!("--cgroup: {e}"))),
    }
}

fn meminfo() -> Result<memtools_platform::MemInfo, Failure> {
    memtools_platform::sys::meminfo().map_err(meminfo_failure)
}

fn meminfo_failure(e: MemInfoError) -> Failure {
    match e {
        MemInfoError::NotFound(path) => {
            // The snapshot path's bytes as they are (it need not be UTF-8).
            let mut m = b"free: Memory information file ".to_vec();
            m.extend_from_slice(&memtools_core::getopt::os_bytes(path.as_os_str()));
            m.extend_from_slice(b" does not exist");
            fail_line(&m)
        }
        MemInfoError::Unreadable(_) | MemInfoError::Unsupported => {
            Failure::line(1, "free", "Unable to create meminfo structure")
        }
    }
}

/// The dispatcher's record of this applet (memtools-applets).
pub const APPLET: memtools_core::opts::Applet = memtools_core::opts::Applet {
    spec: &spec::SPEC,
    run,
};

fn run(args: Vec<OsString>) -> Result<i32, Failure> {
    let plan = parse(args)?;
    let mut text = String::with_capacity(1024);
    let mut out = Sink::stdout();
    let mut remaining = plan.count;
    loop {
        let m = counters(plan.cgroup.as_ref())?;
        text.clear();
        if plan.json {
            render::render_json(&m, &mut out.buf);
        } else if plan.view.line {
            render::render_line(&m, &plan.view, &mut text);
        } else {
            render::render_table(&m, &plan.view, &mut text);
        }
        let last = match remaining.as_mut() {
            Some(n) => {
                *n -= 1;
                *n < 1
            }
            None => !plan.repeat,
        };
        // Tables are separated by one empty line (none after the last); -L lines are not.
        if !last && !plan.view.line && !plan.json {
            text.push('\n');
        }
        // One write(2) per table.
        out.str(&text);
        if !out.flush() {
            // procps reports this at exit, after errno was reset: no strerror suffix.
            return Err(Failure::write_error("free", None));
        }
        if last {
            return Ok(0);
        }
        std::thread::sleep(Duration::from_secs_f64(
            (plan.interval_us as f64 / 1e6).clamp(0.0, 1e9),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Result<Plan, Failure> {
        parse(args.iter().map(OsString::from).collect())
    }

    #[test]
    fn units_and_flags() {
        let plan = p(&["free", "--si", "-k", "-h", "-w"]).unwrap();
        assert_eq!(plan.view.exponent, 2);
        assert!(plan.view.si && plan.view.human && plan.view.wide);
        assert!(!plan.repeat);
        assert!(p(&["free", "--kilo"]).unwrap().view.si);
        assert_eq!(p(&["free", "-c", "3"]).unwrap().count, Some(3));
        assert_eq!(p(&["free", "-s", "0.5"]).unwrap().interval_us, 500000.0);
    }
}
