//! `pmap`: a byte-for-byte reimplementation of procps-ng 4.0.2 `pmap`, with the later
//! fixes the project follows (4.0.4 per-PID `-X` totals, 4.0.5 UTF-8 mapping names) and
//! 4.0.6's `-k/--use-kernel-name`. See docs/pmap.md. `--json` is a memtools addition
//! (docs/json.md).

pub mod classic;
pub mod columns;
pub mod json;
pub mod rc;
pub mod source;
pub mod spec;
pub mod text;

use memtools_core::cnum::strtoul;
use memtools_core::getopt::{os_bytes, Getopt};
use memtools_core::out::{eprint_bytes, eprintln_raw, short_name};
use memtools_core::{Failure, Sink};
use memtools_platform::procmaps::MapRecords;
use spec::{OPT_JSON, SPEC};
use std::ffi::OsString;
use std::io::Write;

/// The output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Default,
    /// `-x`
    Extended,
    /// `-d`
    Device,
    /// `-X`, `-XX`, `-c`, `-C`
    Smaps,
}

/// Options the renderers need.
#[derive(Clone, Debug)]
pub struct Opts {
    pub format: Format,
    pub quiet: bool,
    pub show_path: bool,
    pub kernel_names: bool,
    pub range: (u64, u64),
    /// `--json`: one JSON object per PID instead of the text.
    pub json: bool,
}

fn usage_error() -> Failure {
    Failure::new(1, SPEC.usage())
}

/// `-A low[,high]`: each part `strtoul(.., 16)`, empty parts keep their defaults.
fn parse_range(arg: &[u8]) -> Option<(u64, u64)> {
    fn part(s: &[u8], default: u64) -> Option<u64> {
        if s.is_empty() {
            return Some(default);
        }
        let r = strtoul(s, 16);
        (r.end == s.len()).then_some(r.value)
    }
    match arg.iter().position(|&b| b == b',') {
        Some(p) => Some((part(&arg[..p], 0)?, part(&arg[p + 1..], u64::MAX)?)),
        None if arg.is_empty() => Some((0, u64::MAX)),
        None => {
            let v = part(arg, 0)?;
            Some((v, v))
        }
    }
}

/// A PID operand: `Ok(None)` = silently skipped, `Err` = usage error.
fn parse_pid(op: &[u8]) -> Result<Option<u32>, ()> {
    let s = match op.strip_prefix(b"/proc/") {
        Some(rest) => {
            if !rest.first().is_some_and(|b| b.is_ascii_digit()) {
                return Ok(None);
            }
            rest
        }
        None => op,
    };
    if !s.first().is_some_and(|b| b.is_ascii_digit()) {
        return Err(());
    }
    let r = strtoul(s, 0);
    if r.end != s.len() || r.value < 1 || r.value > 0x7fff_ffff {
        return Err(());
    }
    Ok(Some(r.value as u32))
}

struct Cli {
    x: bool,
    big_x: u32,
    d: bool,
    q: bool,
    p: bool,
    k: bool,
    c: bool,
    big_c: Option<Vec<u8>>,
    n: bool,
    big_n: Option<Vec<u8>>,
    range: (u64, u64),
    json: bool,
    operands: Vec<Vec<u8>>,
}

fn parse_args(name: &str, args: Vec<OsString>) -> Result<Cli, Failure> {
    let mut g = Getopt::from_spec(args, &SPEC);
    let mut cli = Cli {
        x: false,
        big_x: 0,
        d: false,
        q: false,
        p: false,
        k: false,
        c: false,
        big_c: None,
        n: false,
        big_n: None,
        range: (0, u64::MAX),
        json: false,
        operands: Vec::new(),
    };
    while let Some(opt) = g.next_opt() {
        let opt = match opt {
            Ok(o) => o,
            Err(_) => {
                let mut m = g.last_error_bytes().to_vec();
                m.push(b'\n');
                return Err(Failure::new(1, m).then(SPEC.usage().as_bytes()));
            }
        };
        let arg = opt.arg.unwrap_or_default();
        if opt.id == OPT_JSON {
            cli.json = true;
            continue;
        }
        match opt.id as u8 {
            b'x' => cli.x = true,
            b'X' => cli.big_x = cli.big_x.saturating_add(1),
            b'r' => eprintln_raw(&format!(
                "{name}: option -r is ignored as SunOS compatibility"
            )),
            b'd' => cli.d = true,
            b'q' => cli.q = true,
            b'A' => match parse_range(&arg) {
                Some(r) => cli.range = r,
                None => {
                    let mut m = format!("{name}: failed to parse argument: '").into_bytes();
                    m.extend_from_slice(&arg);
                    m.extend_from_slice(b"'\n");
                    return Err(Failure::new(1, m));
                }
            },
            b'h' => return Err(Failure::print(name, SPEC.usage())),
            b'V' => {
                return Err(Failure::print(
                    name,
                    format!("{name} from memtools {}\n", memtools_core::VERSION),
                ))
            }
            b'c' => cli.c = true,
            b'C' => cli.big_c = Some(arg),
            b'n' => cli.n = true,
            b'N' => cli.big_n = Some(arg),
            b'p' => cli.p = true,
            b'k' => cli.k = true,
            _ => return Err(usage_error()),
        }
    }
    cli.operands = g.operands().to_vec();
    Ok(cli)
}

fn home() -> Option<std::path::PathBuf> {
    std::env::var_os("HOME").map(std::path::PathBuf::from)
}

/// Writes the rc template to `path`; messages as procps-ng's.
fn create_rc(name: &str, path: &std::path::Path, fail_msg: &str, ok_msg: &str) -> i32 {
    let f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path);
    let result = match f {
        Ok(mut f) => f.write_all(rc::TEMPLATE.as_bytes()).map_err(|_| false),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(true),
        Err(_) => Err(false),
    };
    match result {
        Ok(()) => {
            eprintln_raw(&format!("{name}: {ok_msg}"));
            0
        }
        Err(exists) => {
            if exists {
                eprintln_raw(&format!(
                    "{name}: the file already exists - delete or rename it first"
                ));
            }
            eprintln_raw(&format!("{name}: {fail_msg}"));
            1
        }
    }
}

fn path_of(b: &[u8]) -> std::path::PathBuf {
    std::path::PathBuf::from(memtools_core::getopt::os_string(b.to_vec()))
}

/// The applet's entry point: takes argv (argv[0] included), returns the exit status.
/// The dispatcher's record of this applet (memtools-applets).
pub const APPLET: memtools_core::opts::Applet = memtools_core::opts::Applet {
    spec: &spec::SPEC,
    main: uumain,
};

pub fn uumain(args: Vec<OsString>) -> i32 {
    memtools_core::exit_status(main(args))
}

fn main(args: Vec<OsString>) -> Result<i32, Failure> {
    let name = short_name(&args.first().map(|a| os_bytes(a)).unwrap_or_default());
    let name = if name.is_empty() {
        "pmap".to_string()
    } else {
        name
    };
    if args.len() < 2 {
        return Err(usage_error());
    }
    let cli = parse_args(&name, args)?;
    let exclusive = [
        cli.c,
        cli.big_c.is_some(),
        cli.d,
        cli.n,
        cli.big_n.is_some(),
        cli.x,
        cli.big_x > 0,
    ]
    .iter()
    .filter(|&&b| b)
    .count();
    let fail = |msg: &str| Failure::line(1, &name, msg);
    if exclusive > 1 {
        return Err(fail(
            "options -c, -C, -d, -n, -N, -x, -X are mutually exclusive",
        ));
    }
    let creating = cli.n || cli.big_n.is_some();
    if creating && (cli.q || cli.p) {
        return Err(fail("options -p, -q are mutually exclusive with -n, -N"));
    }
    if creating && !cli.operands.is_empty() {
        return Err(fail("too many arguments"));
    }
    if let Some(f) = &cli.big_n {
        return Ok(create_rc(
            &name,
            &path_of(f),
            "couldn't create the rc file",
            "rc file successfully created, feel free to edit the content",
        ));
    }
    let rc_name = format!(".{name}rc");
    if cli.n {
        let Some(h) = home() else {
            return Err(fail("HOME variable undefined"));
        };
        return Ok(create_rc(
            &name,
            &h.join(&rc_name),
            "couldn't create ~/.pmaprc",
            "~/.pmaprc file successfully created, feel free to edit the content",
        ));
    }
    if cli.operands.is_empty() {
        return Err(fail("argument missing"));
    }
    let mut show_path = cli.p;
    let mut columns = columns::Columns {
        x_level: cli.big_x,
        quiet: cli.q,
        ..Default::default()
    };
    if cli.c || cli.big_c.is_some() {
        let (file, err) = match &cli.big_c {
            Some(f) => (std::fs::File::open(path_of(f)), "couldn't read the rc file"),
            None => {
                let Some(h) = home() else {
                    return Err(fail("HOME variable undefined"));
                };
                (
                    std::fs::File::open(h.join(&rc_name)),
                    "couldn't read ~/.pmaprc",
                )
            }
        };
        let Ok(file) = file else {
            return Err(fail(err));
        };
        let cfg = rc::parse(file, &mut |w| eprintln_raw(&format!("{name}: {w}")));
        show_path ^= cfg.toggle_show_path;
        columns.rc_names = cfg.fields;
    }
    columns.show_path = show_path;
    let mut pids = Vec::new();
    for op in &cli.operands {
        match parse_pid(op) {
            Ok(Some(p)) => pids.push(p),
            Ok(None) => {}
            Err(()) => return Err(usage_error()),
        }
    }
    if pids.is_empty() {
        return Err(fail("library failed pids statistics"));
    }
    let format = if cli.x {
        Format::Extended
    } else if cli.d {
        Format::Device
    } else if cli.big_x > 0 || cli.c || cli.big_c.is_some() {
        Format::Smaps
    } else {
        Format::Default
    };
    let opts = Opts {
        format,
        quiet: cli.q,
        show_path,
        kernel_names: cli.k,
        range: cli.range,
        json: cli.json,
    };
    Ok(run(&name, &pids, &opts, &columns))
}

/// Runs `$body` with `$src` bound to the process's record source as its own type (one
/// match per process rather than per record, so each renderer's loop is compiled for the
/// scanner and for macOS regions).
macro_rules! with_records {
    ($records:expr, |$src:ident| $body:expr) => {
        match &mut $records {
            MapRecords::Text($src) => $body,
            MapRecords::Regions($src) => $body,
        }
    };
}

fn run(name: &str, pids: &[u32], opts: &Opts, columns: &columns::Columns) -> i32 {
    let shm_minor = source::shm_minor();
    let hide_kernel = std::env::var_os("LIBPROC_HIDE_KERNEL").is_some();
    let mut out = Sink::stdout();
    let mut status = 0;
    let mut xstate = columns::XState::default();
    let format_name = json::format_name(opts.format, columns.x_level);
    // `-k` exists only in procps-ng 4.0.6, so with it the header line is 4.0.6's too.
    let escaping = if opts.kernel_names {
        text::Escaping::V406
    } else {
        text::Escaping::V402
    };
    let smaps = matches!(opts.format, Format::Extended | Format::Smaps);
    for &pid in pids {
        let Some(info) = source::lookup(pid, smaps, hide_kernel, escaping) else {
            // Not found: no output for it, in text and JSON (exit status 42).
            status |= 42;
            continue;
        };
        let top = opts
            .json
            .then(|| json::begin(&mut out, info.tgid, &info.cmd, format_name));
        if top.is_none() {
            out.dec(info.tgid as u64, 0);
            out.bytes(b":   ");
            out.bytes(&info.cmd);
            out.byte(b'\n');
        }
        let mut records = match info.records {
            Ok(r) => r,
            Err(e) => {
                // Text: the `PID:   command` line only. JSON: the object with `error`.
                if let Some(top) = top {
                    let msg = memtools_core::out::io_strerror(&e);
                    json::end_unread(&mut out, top, opts.format == Format::Smaps, &msg);
                    out.maybe_flush();
                }
                status |= 1;
                continue;
            }
        };
        if opts.format == Format::Smaps {
            let r = match top {
                Some(top) => {
                    with_records!(records, |src| columns::json::render(
                        src,
                        &mut xstate,
                        columns,
                        top,
                        &mut out
                    ))
                }
                None => with_records!(records, |src| columns::text::render(
                    src,
                    &mut xstate,
                    columns,
                    &mut out
                )),
            };
            if let Err(e) = r {
                out.flush();
                match e {
                    columns::Fatal::Io(_) => {
                        status |= 1;
                        continue;
                    }
                    columns::Fatal::Format => {
                        eprintln_raw(&format!("{name}: Unknown format in smaps file!"));
                    }
                    columns::Fatal::Inconsistent(line) => {
                        let mut m = format!(
                            "{name}: ERROR: inconsistent detail field in smaps file, line:\n "
                        )
                        .into_bytes();
                        m.extend_from_slice(&line);
                        m.push(b'\n');
                        eprint_bytes(&m);
                    }
                }
                return finish(name, out, 1);
            }
        } else {
            let plan = classic::Plan::new(opts, shm_minor, info.startstack);
            let r = match top {
                Some(top) => {
                    with_records!(records, |src| classic::json::render(
                        src, &plan, top, &mut out
                    ))
                }
                None => with_records!(records, |src| classic::text::render(src, &plan, &mut out)),
            };
            if r.is_err() {
                status |= 1;
            }
        }
        out.maybe_flush();
    }
    finish(name, out, status)
}

fn finish(name: &str, out: Sink, status: i32) -> i32 {
    match out.finish(name) {
        Ok(()) => status,
        Err(f) => f.report(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pid_operands() {
        assert_eq!(parse_pid(b"0x4d2"), Ok(Some(1234)));
        assert_eq!(parse_pid(b"02322"), Ok(Some(1234)));
        assert_eq!(parse_pid(b"/proc/1234"), Ok(Some(1234)));
        assert_eq!(parse_pid(b"/proc/self"), Ok(None));
        assert_eq!(parse_pid(b"0"), Err(()));
        assert_eq!(parse_pid(b"2147483648"), Err(()));
        assert_eq!(parse_pid(b"12x"), Err(()));
        assert_eq!(parse_pid(b" 12"), Err(()));
    }

    #[test]
    fn ranges() {
        assert_eq!(parse_range(b"10"), Some((16, 16)));
        assert_eq!(parse_range(b",ff"), Some((0, 255)));
        assert_eq!(parse_range(b"1,"), Some((1, u64::MAX)));
        assert_eq!(parse_range(b""), Some((0, u64::MAX)));
        assert_eq!(parse_range(b"zz"), None);
        assert_eq!(parse_range(b"1,zz"), None);
    }
}
