//! `vm_stat`: macOS's virtual memory statistics tool (system_cmds, as of macOS 15), on
//! macOS and Linux. Same arguments, messages, exit statuses and output bytes as Apple's;
//! on Linux the 22 lines come from /proc (docs/vm_stat.md has the mapping).

pub mod render;
pub mod spec;

use memtools_core::bsd_getopt::BsdGetopt;
use memtools_core::cnum::strtol;
use memtools_core::strtod::strtod;
use memtools_core::{Failure, Sink};
use memtools_platform::sys;
use memtools_platform::vmstat::VmCounters;
use render::{render_snapshot, Table};
use spec::SPEC;
use std::ffi::OsString;
use std::time::Duration;

/// What the command line asks for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Plan {
    /// One list of 22 lines (no interval, or an interval that reads as 0).
    Snapshot,
    /// A table row every `delay` seconds; `count` rows in all, or forever when 0.
    Interval { delay: f64, count: i32 },
}

/// Apple's usage line: `usage: ARGV0 [[-c count] interval]`.
fn usage_text(argv0: &[u8]) -> Vec<u8> {
    let mut u = b"usage: ".to_vec();
    u.extend_from_slice(argv0);
    u.push(b' ');
    u.extend_from_slice(SPEC.synopsis.as_bytes());
    u.push(b'\n');
    u
}

/// Finds memtools' `--json`. Apple's BSD getopt reads any argument starting with `--`, in
/// option position, as the end of the options (consumed, like `--`), so `vm_stat --json`
/// already runs there, as a plain snapshot. memtools keeps exactly that parse — `--json` is
/// replaced by `--` — and only adds the choice of output. It counts only where getopt would
/// read an option (before the first operand or `--`, not as the value of `-c`) and only
/// spelled exactly `--json`; so `vm_stat -c 3 --json 1` works, and `vm_stat --json -c 3 1`
/// is the usage error it is on macOS (the options ended at `--json`).
pub fn take_json(args: &[OsString]) -> (Vec<OsString>, bool) {
    let mut rest = Vec::with_capacity(args.len());
    let mut json = false;
    let mut options = true;
    let mut it = args.iter().enumerate();
    while let Some((i, a)) = it.next() {
        if i == 0 || !options {
            rest.push(a.clone());
            continue;
        }
        let b = memtools_core::getopt::os_bytes(a);
        if b == b"--json" {
            json = true;
            rest.push(OsString::from("--"));
            options = false;
            continue;
        }
        rest.push(a.clone());
        if b == b"--" || b.len() < 2 || b[0] != b'-' {
            options = false;
            continue;
        }
        // A cluster: `-c` takes the rest of the cluster, or the next argument when it ends it.
        if let Some(pos) = b[1..].iter().position(|&ch| ch == b'c') {
            if pos + 2 == b.len() {
                if let Some((_, v)) = it.next() {
                    rest.push(v.clone());
                }
            }
        }
    }
    (rest, json)
}

/// Parses the arguments as Apple's vm_stat does: BSD getopt with `"c:"`, `count` through
/// `(int)strtol(optarg, NULL, 10)`, the interval through `strtod(operand, NULL)`.
/// A usage error is [`Failure`] with the diagnostic lines, then the usage line; status 1.
pub fn parse(args: &[OsString]) -> Result<Plan, Failure> {
    let argv0 = args
        .first()
        .map(|a| memtools_core::getopt::os_bytes(a))
        .unwrap_or_default();
    let fail = |diag: Option<Vec<u8>>| {
        let mut text = Vec::new();
        if let Some(d) = diag.filter(|d| !d.is_empty()) {
            text.extend_from_slice(&d);
            text.push(b'\n');
        }
        text.extend_from_slice(&usage_text(&argv0));
        Failure::new(1, text)
    };
    let mut g = BsdGetopt::new(args, &SPEC.optstring());
    let mut count: i32 = 0;
    while let Some(opt) = g.next_opt() {
        match opt {
            Ok(o) if o.ch == b'c' => {
                let arg = o.arg.unwrap_or_default();
                // C: (int)strtol(...): a long truncated to int, so 4294967297 means 1.
                count = strtol(&arg, 10).value as i32;
                if count < 1 {
                    let msg = format!("{}: count must be positive", g.prog());
                    return Err(fail(Some(msg.into_bytes())));
                }
            }
            Ok(_) => return Err(fail(None)),
            Err(e) => return Err(fail(Some(e.message))),
        }
    }
    let delay = match g.operands() {
        [] => 0.0,
        [one] => {
            let d = strtod(one).value;
            if d < 0.0 {
                return Err(fail(None));
            }
            d
        }
        _ => return Err(fail(None)),
    };
    if delay == 0.0 {
        Ok(Plan::Snapshot)
    } else {
        Ok(Plan::Interval { delay, count })
    }
}

/// The pause between rows: C's `usleep((int)(delay * USEC_PER_SEC))`. Rust's float-to-int
/// conversion saturates (as arm64 does), so a huge interval sleeps i32::MAX µs (~36 min)
/// and NaN sleeps 0.
pub fn pause(delay: f64) -> Duration {
    let us = (delay * 1_000_000.0) as i32;
    Duration::from_micros(us.max(0) as u64)
}

/// Reads the counters, or reports the failure as Apple's vm_stat does (its `error 1` is a
/// precedence bug there: the status printed is always 1).
fn sample(argv0: &[u8]) -> Result<VmCounters, Failure> {
    sys::vm_counters().map_err(|_| {
        let mut m = argv0.to_vec();
        m.extend_from_slice(b": failed to get statistics. error 1\n");
        Failure::new(1, m)
    })
}

/// Writes and flushes (one write per row, so a pipe sees each row as it comes).
fn emit(out: &mut Sink, text: &str, prog: &str) -> Result<(), Failure> {
    out.str(text);
    if out.flush() {
        return Ok(());
    }
    Err(Failure::write_error(prog, out.error()))
}

/// The dispatcher's record of this applet (memtools-applets).
pub const APPLET: memtools_core::opts::Applet = memtools_core::opts::Applet {
    spec: &spec::SPEC,
    run,
};

fn run(args: Vec<OsString>) -> Result<i32, Failure> {
    let (args, json) = take_json(&args);
    let plan = parse(&args)?;
    let argv0 = args
        .first()
        .map(|a| memtools_core::getopt::os_bytes(a))
        .unwrap_or_default();
    let prog = memtools_core::out::short_name(&argv0);
    let mut stdout = Sink::stdout();
    let mut text = String::with_capacity(1024);
    match plan {
        Plan::Snapshot => {
            let c = sample(&argv0)?;
            if json {
                render::render_json(&c, None, &mut stdout.buf);
            } else {
                render_snapshot(&c, &mut text);
            }
            emit(&mut stdout, &text, &prog)?;
        }
        Plan::Interval { delay, count } => {
            let mut table = Table::new();
            let mut prev: Option<VmCounters> = None;
            let mut i: i32 = 0;
            loop {
                if i > 0 {
                    std::thread::sleep(pause(delay));
                }
                let c = sample(&argv0)?;
                text.clear();
                if json {
                    render::render_json(&c, Some((i as u64 + 1, prev.as_ref())), &mut stdout.buf);
                    prev = Some(c);
                } else {
                    table.row(&c, &mut text);
                }
                emit(&mut stdout, &text, &prog)?;
                i = i.saturating_add(1);
                if count != 0 && i >= count {
                    break;
                }
            }
        }
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Result<Plan, String> {
        let v: Vec<OsString> = args.iter().map(OsString::from).collect();
        parse(&v).map_err(|e| String::from_utf8_lossy(&e.message).into_owned())
    }

    const USAGE: &str = "usage: vm_stat [[-c count] interval]\n";

    #[test]
    fn plans() {
        assert_eq!(p(&["vm_stat"]), Ok(Plan::Snapshot));
        assert_eq!(p(&["vm_stat", "0"]), Ok(Plan::Snapshot));
        assert_eq!(p(&["vm_stat", "abc"]), Ok(Plan::Snapshot));
        assert_eq!(p(&["vm_stat", "-c", "5"]), Ok(Plan::Snapshot));
        assert_eq!(p(&["vm_stat", "--", "-0"]), Ok(Plan::Snapshot));
        assert_eq!(
            p(&["vm_stat", "1"]),
            Ok(Plan::Interval {
                delay: 1.0,
                count: 0
            })
        );
        assert_eq!(
            p(&["vm_stat", "-c3x", "0.5s"]),
            Ok(Plan::Interval {
                delay: 0.5,
                count: 3
            })
        );
        // (int) truncation of strtol's long.
        assert_eq!(
            p(&["vm_stat", "-c", "4294967297", "2"]),
            Ok(Plan::Interval {
                delay: 2.0,
                count: 1
            })
        );
        // The last -c wins.
        assert_eq!(
            p(&["vm_stat", "-c", "2", "-c", "7", "1"]),
            Ok(Plan::Interval {
                delay: 1.0,
                count: 7
            })
        );
    }

    #[test]
    fn usage_errors() {
        assert_eq!(p(&["vm_stat", "1", "-c", "3"]), Err(USAGE.to_string()));
        assert_eq!(p(&["vm_stat", "1", "2"]), Err(USAGE.to_string()));
        assert_eq!(p(&["vm_stat", "--", "-1"]), Err(USAGE.to_string()));
        assert_eq!(
            p(&["vm_stat", "-1"]),
            Err(format!("vm_stat: illegal option -- 1\n{USAGE}"))
        );
        assert_eq!(
            p(&["/usr/bin/vm_stat", "-c"]),
            Err(
                "vm_stat: option requires an argument -- c\nusage: /usr/bin/vm_stat [[-c count] interval]\n"
                    .to_string()
            )
        );
        for bad in ["0", "abc", "-2", "4294967296", "99999999999999999999"] {
            assert_eq!(
                p(&["vm_stat", "-c", bad, "1"]),
                Err(format!("vm_stat: count must be positive\n{USAGE}")),
                "{bad}"
            );
        }
        // The count is checked when -c is seen, before a later bad option.
        assert_eq!(
            p(&["vm_stat", "-c", "0", "-x"]),
            Err(format!("vm_stat: count must be positive\n{USAGE}"))
        );
    }

    #[test]
    fn json_is_taken_only_in_option_position() {
        let t = |v: &[&str]| {
            let a: Vec<OsString> = v.iter().map(OsString::from).collect();
            let (rest, json) = take_json(&a);
            let rest: Vec<String> = rest
                .iter()
                .map(|s| s.to_string_lossy().into_owned())
                .collect();
            (rest.join(" "), json)
        };
        // (argv, what is left for BSD getopt, --json taken)
        for (args, rest, json) in [
            (&["vm_stat", "--json"][..], "vm_stat --", true),
            (
                &["vm_stat", "-c", "2", "--json", "1"],
                "vm_stat -c 2 -- 1",
                true,
            ),
            // Options end at --json, as they do on macOS: -c is then an operand.
            (&["vm_stat", "--json", "-c2", "1"], "vm_stat -- -c2 1", true),
            (&["vm_stat", "--json", "--json"], "vm_stat -- --json", true),
            // The value of -c, an operand, after `--`, or another spelling: Apple's parsing.
            (&["vm_stat", "-c", "--json"], "vm_stat -c --json", false),
            (&["vm_stat", "1", "--json"], "vm_stat 1 --json", false),
            (&["vm_stat", "--", "--json"], "vm_stat -- --json", false),
            (&["vm_stat", "--js"], "vm_stat --js", false),
            (&["vm_stat", "-xc", "--json"], "vm_stat -xc --json", false),
        ] {
            assert_eq!(t(args), (rest.to_string(), json), "{args:?}");
        }
        // What `--json -c2 1` leaves: -c2 after `--` is an operand, and two are a usage error.
        assert!(p(&["vm_stat", "--", "-c2", "1"]).is_err());
    }

    #[test]
    fn pauses() {
        assert_eq!(pause(0.5), Duration::from_micros(500_000));
        assert_eq!(pause(1e-9), Duration::ZERO);
        assert_eq!(pause(f64::INFINITY), Duration::from_micros(i32::MAX as u64));
        assert_eq!(pause(f64::NAN), Duration::ZERO);
    }
}
