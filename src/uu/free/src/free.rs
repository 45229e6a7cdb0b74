//! `free`: a byte-for-byte reimplementation of procps-ng 4.0.2 `free`, plus 4.0.4's
//! `-L/--line`. See docs/free.md for what each column means on Linux and macOS, and for the
//! few deliberate differences.

pub mod args;
pub mod render;

use memtools_core::getopt::{Getopt, HasArg, LongOpt};
use memtools_core::out::{eprint_bytes, eprintln_raw};
use memtools_core::{Failure, Sink};
use memtools_platform::MemInfoError;
use render::View;
use std::ffi::OsString;
use std::time::Duration;

/// The usage text: procps-ng 4.0.4's (4.0.2's plus the `-L` line).
pub const USAGE: &str = "
Usage:
 free [options]

Options:
 -b, --bytes         show output in bytes
     --kilo          show output in kilobytes
     --mega          show output in megabytes
     --giga          show output in gigabytes
     --tera          show output in terabytes
     --peta          show output in petabytes
 -k, --kibi          show output in kibibytes
 -m, --mebi          show output in mebibytes
 -g, --gibi          show output in gibibytes
     --tebi          show output in tebibytes
     --pebi          show output in pebibytes
 -h, --human         show human-readable output
     --si            use powers of 1000 not 1024
 -l, --lohi          show detailed low and high memory statistics
 -L, --line          show output on a single line
 -t, --total         show total for RAM + swap
 -v, --committed     show committed memory and commit limit
 -s N, --seconds N   repeat printing every N seconds
 -c N, --count N     repeat printing N times, then exit
 -w, --wide          wide output
     --json          print JSON, sizes in bytes (memtools)

     --help     display this help and exit
 -V, --version  output version information and exit

For more details see free(1).
";

const OPT_KILO: i32 = 0x100;
const OPT_MEGA: i32 = 0x101;
const OPT_GIGA: i32 = 0x102;
const OPT_TERA: i32 = 0x103;
const OPT_PETA: i32 = 0x104;
const OPT_TEBI: i32 = 0x105;
const OPT_PEBI: i32 = 0x106;
const OPT_SI: i32 = 0x107;
const OPT_HELP: i32 = 0x108;
const OPT_JSON: i32 = 0x109;

const fn c(ch: u8) -> i32 {
    ch as i32
}

/// procps-ng's long-option table, in its order (which shows in ambiguity messages).
/// `line` sits after `lohi`, as in the help text; memtools' `json` comes last, so the only
/// ambiguity lists it changes are those of prefixes of "json" (docs/free.md).
const LONGS: &[LongOpt] = &[
    LongOpt::new("bytes", HasArg::No, c(b'b')),
    LongOpt::new("kilo", HasArg::No, OPT_KILO),
    LongOpt::new("mega", HasArg::No, OPT_MEGA),
    LongOpt::new("giga", HasArg::No, OPT_GIGA),
    LongOpt::new("tera", HasArg::No, OPT_TERA),
    LongOpt::new("peta", HasArg::No, OPT_PETA),
    LongOpt::new("kibi", HasArg::No, c(b'k')),
    LongOpt::new("mebi", HasArg::No, c(b'm')),
    LongOpt::new("gibi", HasArg::No, c(b'g')),
    LongOpt::new("tebi", HasArg::No, OPT_TEBI),
    LongOpt::new("pebi", HasArg::No, OPT_PEBI),
    LongOpt::new("human", HasArg::No, c(b'h')),
    LongOpt::new("si", HasArg::No, OPT_SI),
    LongOpt::new("lohi", HasArg::No, c(b'l')),
    LongOpt::new("line", HasArg::No, c(b'L')),
    LongOpt::new("total", HasArg::No, c(b't')),
    LongOpt::new("committed", HasArg::No, c(b'v')),
    LongOpt::new("seconds", HasArg::Required, c(b's')),
    LongOpt::new("count", HasArg::Required, c(b'c')),
    LongOpt::new("wide", HasArg::No, c(b'w')),
    LongOpt::new("help", HasArg::No, OPT_HELP),
    LongOpt::new("version", HasArg::No, c(b'V')),
    LongOpt::new("json", HasArg::No, OPT_JSON),
];

const OPTSTRING: &str = "bkmghlLtvc:ws:V";

/// Prints text to stdout and reports a failed write as `free: write error: <strerror>`.
fn print_and_exit(text: &str) -> i32 {
    memtools_core::sink::print("free", text.as_bytes())
}

/// One diagnostic line on stderr, its bytes as they are.
fn eprint_line(msg: &[u8]) {
    let mut line = Vec::with_capacity(msg.len() + 1);
    line.extend_from_slice(msg);
    line.push(b'\n');
    eprint_bytes(&line);
}

fn usage_error() -> i32 {
    eprint_bytes(USAGE.as_bytes());
    1
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
}

/// Parses the arguments. `Err(status)` means: already reported (or printed help/version),
/// exit with this status.
fn parse(args: Vec<OsString>) -> Result<Plan, i32> {
    let mut g = Getopt::new(args, OPTSTRING, LONGS);
    let mut plan = Plan {
        view: View::default(),
        interval_us: 1_000_000.0,
        repeat: false,
        count: None,
        json: false,
    };
    let mut unit_set = false;
    while let Some(opt) = g.next_opt() {
        let opt = match opt {
            Ok(o) => o,
            Err(_) => {
                eprint_line(g.last_error_bytes());
                return Err(usage_error());
            }
        };
        let unit = match opt.id {
            x if x == c(b'b') => Some((1, false)),
            x if x == c(b'k') => Some((2, false)),
            x if x == c(b'm') => Some((3, false)),
            x if x == c(b'g') => Some((4, false)),
            OPT_TEBI => Some((5, false)),
            OPT_PEBI => Some((6, false)),
            OPT_KILO => Some((2, true)),
            OPT_MEGA => Some((3, true)),
            OPT_GIGA => Some((4, true)),
            OPT_TERA => Some((5, true)),
            OPT_PETA => Some((6, true)),
            _ => None,
        };
        if let Some((exp, si)) = unit {
            if unit_set {
                eprintln_raw("free: Multiple unit options don't make sense.");
                return Err(1);
            }
            unit_set = true;
            plan.view.exponent = exp;
            plan.view.si |= si;
            continue;
        }
        let arg = opt.arg.unwrap_or_default();
        match opt.id {
            x if x == c(b'h') => plan.view.human = true,
            OPT_SI => plan.view.si = true,
            OPT_JSON => plan.json = true,
            x if x == c(b'l') => plan.view.lohi = true,
            x if x == c(b'L') => plan.view.line = true,
            x if x == c(b't') => plan.view.total = true,
            x if x == c(b'v') => plan.view.committed = true,
            x if x == c(b'w') => plan.view.wide = true,
            x if x == c(b's') => match args::parse_seconds(&arg) {
                Ok(us) => {
                    plan.repeat = true;
                    plan.interval_us = us;
                }
                Err(msg) => {
                    eprint_line(&msg);
                    return Err(1);
                }
            },
            x if x == c(b'c') => match args::parse_count(&arg) {
                Ok(n) => {
                    plan.repeat = true;
                    plan.count = Some(n);
                }
                Err(msg) => {
                    eprint_line(&msg);
                    return Err(1);
                }
            },
            OPT_HELP => return Err(print_and_exit(USAGE)),
            x if x == c(b'V') => {
                return Err(print_and_exit(&format!(
                    "free from memtools {}\n",
                    memtools_core::VERSION
                )))
            }
            _ => return Err(usage_error()),
        }
    }
    if !g.operands().is_empty() {
        return Err(usage_error());
    }
    Ok(plan)
}

fn meminfo_or_report() -> Result<memtools_platform::MemInfo, i32> {
    memtools_platform::meminfo().map_err(|e| {
        match e {
            MemInfoError::NotFound(path) => {
                // The snapshot path's bytes as they are (it need not be UTF-8).
                let mut m = b"free: Memory information file ".to_vec();
                m.extend_from_slice(&memtools_core::getopt::os_bytes(path.as_os_str()));
                m.extend_from_slice(b" does not exist");
                eprint_line(&m);
            }
            MemInfoError::Unreadable(_) | MemInfoError::Unsupported => {
                eprintln_raw("free: Unable to create meminfo structure")
            }
        }
        1
    })
}

/// The applet's entry point: takes argv (argv[0] included), returns the exit status.
pub fn uumain(args: Vec<OsString>) -> i32 {
    let plan = match parse(args) {
        Ok(p) => p,
        Err(status) => return status,
    };
    let mut text = String::with_capacity(1024);
    let mut out = Sink::stdout();
    let mut remaining = plan.count;
    loop {
        let m = match meminfo_or_report() {
            Ok(m) => m,
            Err(status) => return status,
        };
        text.clear();
        if plan.json {
            render::render_json(&m, &mut text);
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
            return Failure::write_error("free", None).report();
        }
        if last {
            return 0;
        }
        std::thread::sleep(Duration::from_secs_f64(
            (plan.interval_us as f64 / 1e6).clamp(0.0, 1e9),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Result<Plan, i32> {
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
