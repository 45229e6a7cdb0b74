//! The command line: `memory-user [OPTIONS] SIZE [SECONDS]`. Pure parsing, no side effects.

use crate::spec::SPEC;
use crate::{EXIT_USAGE, NAME};
use memtools_core::getopt::{os_bytes, Getopt};
use memtools_core::Failure;
use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

/// How much of each page a pass writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Touch {
    /// Every 8-byte word.
    Word,
    /// One 8-byte word per page.
    Page,
}

/// What the command line asks for.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// The size asked for, in bytes (before rounding up to whole pages).
    pub size: u64,
    pub duration: Option<Duration>,
    pub touch: Touch,
    pub hold: bool,
    pub ramp: Option<Duration>,
    pub lock: bool,
    pub hugepages: bool,
    pub threads: usize,
    pub interval: Duration,
    pub quiet: bool,
    pub force: bool,
    pub pid_file: Option<PathBuf>,
    /// `--json`: start, samples and summary as JSON lines on stdout.
    pub json: bool,
}

/// The outcome of parsing.
#[derive(Debug, PartialEq)]
pub enum Parsed {
    Run(Plan),
    Help,
    Version,
}

/// The largest size accepted by the parser: more cannot be mapped on any 64-bit system
/// (and a size that saturated while being parsed lands above it).
pub const MAX_SIZE: u64 = 1 << 62;

const MAX_THREADS: usize = 1024;

/// getopt would read `-5` as the option `-5`; the user meant a negative number. Such
/// arguments are marked (a leading NUL, which no real argument can hold) so that getopt
/// passes them through as operands or option values, and unmarked when they are read.
const MARK: u8 = 0;

fn looks_negative(a: &[u8]) -> bool {
    a.len() >= 2 && a[0] == b'-' && (a[1].is_ascii_digit() || a[1] == b'.')
}

fn unmark(a: &[u8]) -> &[u8] {
    a.strip_prefix(&[MARK]).unwrap_or(a)
}

fn text(a: &[u8]) -> String {
    String::from_utf8_lossy(unmark(a)).into_owned()
}

/// Parses the whole argument vector (argv[0] included) into the plan; `--help` and
/// `--version` are [`Failure::print`]s of their texts; a bad command line is the message,
/// a hint and status 2.
pub fn parse(args: Vec<OsString>) -> Result<Plan, Failure> {
    match parse_words(args) {
        Ok(Parsed::Run(p)) => Ok(p),
        Ok(Parsed::Help) => Err(Failure::print(NAME, SPEC.usage())),
        Ok(Parsed::Version) => Err(Failure::version(NAME)),
        Err(msg) => Err(Failure::new(
            EXIT_USAGE,
            format!("{NAME}: {msg}\nTry '{NAME} --help' for more information.\n"),
        )),
    }
}

/// [`parse`]'s work: `Err` holds the message, without the program name.
fn parse_words(args: Vec<OsString>) -> Result<Parsed, String> {
    let mut seen_dashdash = false;
    let marked: Vec<OsString> = args
        .into_iter()
        .enumerate()
        .map(|(i, a)| {
            let b = os_bytes(&a);
            if i > 0 && b == b"--" {
                seen_dashdash = true;
            }
            if i > 0 && !seen_dashdash && looks_negative(&b) {
                let mut m = vec![MARK];
                m.extend_from_slice(&b);
                memtools_core::getopt::os_string(m)
            } else {
                a
            }
        })
        .collect();
    let mut g = Getopt::from_spec(marked, &SPEC);
    let mut plan = Plan {
        size: 0,
        duration: None,
        touch: Touch::Word,
        hold: false,
        ramp: None,
        lock: false,
        hugepages: false,
        threads: 1,
        interval: Duration::from_secs(1),
        quiet: false,
        force: false,
        pid_file: None,
        json: false,
    };
    while let Some(opt) = g.next_opt() {
        let opt = match opt {
            Ok(o) => o,
            // getopt's message starts with argv[0]; the caller adds the name itself.
            Err(msg) => return Err(strip_prog(&msg, g.prog())),
        };
        let name = g.name(&opt);
        let arg = opt.arg.unwrap_or_default();
        match name {
            "quiet" => plan.quiet = true,
            "interval" => {
                plan.interval = parse_seconds(unmark(&arg))
                    .map_err(|e| format!("invalid --interval '{}': {e}", text(&arg)))?
            }
            "threads" => plan.threads = parse_threads(unmark(&arg))?,
            "touch" => {
                plan.touch = match unmark(&arg) {
                    b"word" => Touch::Word,
                    b"page" => Touch::Page,
                    _ => {
                        return Err(format!(
                            "invalid --touch '{}': expected 'word' or 'page'",
                            text(&arg)
                        ))
                    }
                }
            }
            "hold" => plan.hold = true,
            "ramp" => {
                plan.ramp = Some(
                    parse_seconds(unmark(&arg))
                        .map_err(|e| format!("invalid --ramp '{}': {e}", text(&arg)))?,
                )
            }
            "lock" => plan.lock = true,
            "hugepages" => plan.hugepages = true,
            "force" => plan.force = true,
            "json" => plan.json = true,
            "pid-file" => {
                let p = unmark(&arg);
                if p.is_empty() {
                    return Err("invalid --pid-file '': empty file name".to_string());
                }
                plan.pid_file = Some(PathBuf::from(memtools_core::getopt::os_string(p.to_vec())));
            }
            "help" => return Ok(Parsed::Help),
            "version" => return Ok(Parsed::Version),
            _ => return Err("unknown option".to_string()),
        }
    }
    let ops = g.operands();
    match ops.len() {
        0 => return Err("missing SIZE".to_string()),
        1 | 2 => {}
        _ => return Err(format!("extra operand '{}'", text(&ops[2]))),
    }
    plan.size = parse_size(unmark(&ops[0]))
        .map_err(|e| format!("invalid SIZE '{}': {e}", text(&ops[0])))?;
    if let Some(s) = ops.get(1) {
        plan.duration = Some(
            parse_seconds(unmark(s)).map_err(|e| format!("invalid SECONDS '{}': {e}", text(s)))?,
        );
    }
    Ok(Parsed::Run(plan))
}

fn strip_prog(msg: &str, prog: &str) -> String {
    msg.strip_prefix(prog)
        .and_then(|m| m.strip_prefix(": "))
        .unwrap_or(msg)
        .to_string()
}

/// Parses SIZE into bytes.
///
/// The arithmetic and the unit table are the `bytesize` crate's (`FromStr for ByteSize`);
/// two conventions are put in front of it because bytesize's differ from what a memory
/// tool's users expect:
/// * a plain number is MiB (bytesize: bytes), as the homework asks;
/// * a one-letter unit (`512M`, `2G`) is a power of 1024, as in `ulimit`, `dd`, `truncate`
///   and `head -c` (bytesize: `M` = 10^6). `MB`/`GB` stay powers of 1000, `MiB`/`GiB`
///   powers of 1024, as bytesize has them.
///
/// bytesize saturates on overflow instead of failing; every saturated value is above
/// [`MAX_SIZE`] and is reported as too large here.
pub fn parse_size(arg: &[u8]) -> Result<u64, String> {
    let s = std::str::from_utf8(arg).map_err(|_| "not a number".to_string())?;
    let s = s.trim();
    if s.is_empty() {
        return Err("empty".to_string());
    }
    if s.starts_with('-') {
        return Err("must be a positive number".to_string());
    }
    if !s.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return Err("not a number".to_string());
    }
    let num_len = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (number, unit) = s.split_at(num_len);
    if number.parse::<f64>().is_err() {
        return Err("not a number".to_string());
    }
    let shown = unit.trim_start();
    let unit = match shown {
        "" => "MiB".to_string(),
        u if u.len() == 1 && !u.eq_ignore_ascii_case("b") => format!("{u}i"),
        u => u.to_string(),
    };
    let v: bytesize::ByteSize = format!("{number}{unit}").parse().map_err(|_| {
        format!("unknown unit '{shown}' (use K, M, G, T, KiB, MiB, GiB, KB, MB, GB or B)")
    })?;
    match v.as_u64() {
        0 => Err("must be greater than zero".to_string()),
        n if n > MAX_SIZE => Err("too large".to_string()),
        n => Ok(n),
    }
}

/// Parses a duration: a non-negative decimal number with an optional unit s, m, h or d.
/// Zero is refused (it would mean "do nothing"), as are values that overflow a Duration.
pub fn parse_seconds(arg: &[u8]) -> Result<Duration, String> {
    let s = std::str::from_utf8(arg).map_err(|_| "not a number".to_string())?;
    let s = s.trim();
    if s.starts_with('-') {
        return Err("must be a positive number of seconds".to_string());
    }
    let (number, factor) = match s.as_bytes().last() {
        Some(b's') => (&s[..s.len() - 1], 1.0),
        Some(b'm') => (&s[..s.len() - 1], 60.0),
        Some(b'h') => (&s[..s.len() - 1], 3600.0),
        Some(b'd') => (&s[..s.len() - 1], 86400.0),
        _ => (s, 1.0),
    };
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return Err("not a number of seconds".to_string());
    }
    let v: f64 = number
        .parse()
        .map_err(|_| "not a number of seconds".to_string())?;
    let secs = v * factor;
    if secs <= 0.0 {
        return Err("must be greater than zero".to_string());
    }
    match Duration::try_from_secs_f64(secs) {
        // Below a nanosecond: zero to the clock (and an endless loop for --interval).
        Ok(d) if d.is_zero() => Err("must be greater than zero".to_string()),
        Ok(d) => Ok(d),
        Err(_) => Err("too large".to_string()),
    }
}

fn parse_threads(arg: &[u8]) -> Result<usize, String> {
    let t = String::from_utf8_lossy(arg);
    match t.trim().parse::<usize>() {
        Ok(n) if (1..=MAX_THREADS).contains(&n) => Ok(n),
        _ => Err(format!(
            "invalid --threads '{t}': expected a whole number from 1 to {MAX_THREADS}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Parsed, String> {
        let mut v = vec![OsString::from("memory-user")];
        v.extend(args.iter().map(OsString::from));
        parse_words(v)
    }

    fn plan(args: &[&str]) -> Plan {
        match run(args) {
            Ok(Parsed::Run(p)) => p,
            other => panic!("{args:?}: {other:?}"),
        }
    }

    #[test]
    fn sizes() {
        const MIB: u64 = 1 << 20;
        assert_eq!(parse_size(b"64"), Ok(64 * MIB));
        assert_eq!(parse_size(b"512M"), Ok(512 * MIB));
        assert_eq!(parse_size(b"512m"), Ok(512 * MIB));
        assert_eq!(parse_size(b"2G"), Ok(2 << 30));
        assert_eq!(parse_size(b"1.5GiB"), Ok(1536 * MIB));
        assert_eq!(parse_size(b"1.5G"), Ok(1536 * MIB));
        assert_eq!(parse_size(b"0.5"), Ok(MIB / 2));
        assert_eq!(parse_size(b"100 MiB"), Ok(100 * MIB));
        assert_eq!(parse_size(b"1GB"), Ok(1_000_000_000));
        assert_eq!(parse_size(b"4096B"), Ok(4096));
        assert_eq!(parse_size(b"4K"), Ok(4096));
        assert_eq!(parse_size(b"1T"), Ok(1 << 40));
    }

    #[test]
    fn bad_sizes() {
        for (arg, why) in [
            ("", "empty"),
            ("abc", "not a number"),
            ("-5", "must be a positive number"),
            ("0", "must be greater than zero"),
            ("0G", "must be greater than zero"),
            ("0.0000001B", "must be greater than zero"),
            ("1..5G", "not a number"),
            ("1e9", "unknown unit 'e9'"),
            ("12X", "unknown unit 'X'"),
            ("5 furlongs", "unknown unit 'furlongs'"),
            ("99999999999999999999999", "too large"),
            ("20000000000G", "too large"),
            ("16EiB", "too large"),
            ("+5", "not a number"),
        ] {
            let e = parse_size(arg.as_bytes()).unwrap_err();
            assert!(e.starts_with(why), "{arg}: {e}");
        }
        assert!(parse_size(&[0xff, b'1']).is_err());
    }

    #[test]
    fn seconds() {
        assert_eq!(parse_seconds(b"1"), Ok(Duration::from_secs(1)));
        assert_eq!(parse_seconds(b"0.25"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_seconds(b"2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_seconds(b"1h"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_seconds(b"3s"), Ok(Duration::from_secs(3)));
        for bad in [
            "",
            "0",
            "-1",
            "x",
            "1x",
            "s",
            "1e3",
            "1.2.3",
            "99999999999999999999999d",
        ] {
            assert!(parse_seconds(bad.as_bytes()).is_err(), "{bad}");
        }
    }

    #[test]
    fn command_lines() {
        let p = plan(&["64", "1"]);
        assert_eq!(p.size, 64 << 20);
        assert_eq!(p.duration, Some(Duration::from_secs(1)));
        assert_eq!(
            (p.threads, p.touch, p.hold, p.quiet),
            (1, Touch::Word, false, false)
        );
        let p = plan(&[
            "--touch=page",
            "-q",
            "--hold",
            "--ramp",
            "2",
            "-t2",
            "1G",
            "--lock",
            "--hugepages",
            "--force",
            "--pid-file",
            "/tmp/x",
            "-i",
            "0.5",
        ]);
        assert_eq!(p.size, 1 << 30);
        assert_eq!(p.duration, None);
        assert_eq!(p.touch, Touch::Page);
        assert!(p.quiet && p.hold && p.lock && p.hugepages && p.force);
        assert_eq!(p.ramp, Some(Duration::from_secs(2)));
        assert_eq!(p.threads, 2);
        assert_eq!(p.interval, Duration::from_millis(500));
        assert_eq!(p.pid_file, Some(PathBuf::from("/tmp/x")));
        assert_eq!(run(&["--help"]), Ok(Parsed::Help));
        assert_eq!(run(&["-V"]), Ok(Parsed::Version));
    }

    #[test]
    fn bad_command_lines() {
        for (args, msg) in [
            (&[][..], "missing SIZE"),
            (&["1", "2", "3"], "extra operand '3'"),
            (&["-5"], "invalid SIZE '-5': must be a positive number"),
            (
                &["64", "-1"],
                "invalid SECONDS '-1': must be a positive number of seconds",
            ),
            (
                &["64", "soon"],
                "invalid SECONDS 'soon': not a number of seconds",
            ),
            (
                &["64", "0"],
                "invalid SECONDS '0': must be greater than zero",
            ),
            (
                &["--ramp", "-2", "64"],
                "invalid --ramp '-2': must be a positive number",
            ),
            (
                &["--touch", "byte", "64"],
                "invalid --touch 'byte': expected 'word' or 'page'",
            ),
            (&["-t", "0", "64"], "invalid --threads '0'"),
            (
                &["-i", "0", "64"],
                "invalid --interval '0': must be greater than zero",
            ),
            (&["--bogus", "64"], "unrecognized option '--bogus'"),
            (&["-x", "64"], "invalid option -- 'x'"),
            (&["64", "--ramp"], "option '--ramp' requires an argument"),
        ] {
            let e = run(args).unwrap_err();
            assert!(e.starts_with(msg), "{args:?}: {e}");
        }
        // After `--`, "-5" is an operand as typed.
        assert!(run(&["--", "-5"])
            .unwrap_err()
            .starts_with("invalid SIZE '-5'"));
    }
}
