//! smem's command line, parsed as Python's `optparse` parses it (smem 1.5 uses it), with its
//! messages: `Usage: smem [options]`, blank line, `smem: error: MSG`, exit status 2.
//!
//! optparse's rules, as documented for the Python standard library and observed with smem:
//! * arguments are read left to right; options and operands may be mixed (operands are
//!   ignored by smem); `--` ends the options; `-` and the empty string are operands;
//! * a long option may be abbreviated to any unique prefix; an exact name always wins;
//!   an ambiguous prefix lists the candidates in sorted order;
//! * `--name=value` or `--name value`; a value is taken even when it starts with `-`;
//! * short options cluster (`-tk`); a short option with a value takes the rest of its
//!   word (`-cpid`) or the next word;
//! * `-h`/`--help` prints the help the moment it is met (errors before it win);
//! * the help is wrapped to `$COLUMNS - 2` columns (80 when unset or not a number).
//!
//! memtools adds `--json` and `--fast` (docs/smem.md). Their first letters are ones no smem
//! option uses, so every abbreviation smem accepts or reports as ambiguous still behaves
//! the same; only words smem rejects as "no such option" (`--j`, `--f...`) change meaning.

use crate::pytext::py_int;
use crate::spec::SPEC;
use memtools_core::getopt::HasArg;
use memtools_core::opts::Opt;
use memtools_core::Failure;

/// The parsed options (smem's names).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Options {
    pub no_header: bool,
    pub columns: Option<String>,
    pub totals: bool,
    pub autosize: bool,
    pub realmem: Option<String>,
    pub kernel: Option<std::ffi::OsString>,
    pub mappings: bool,
    pub users: bool,
    pub system: bool,
    pub process_filter: Option<String>,
    pub map_filter: Option<String>,
    pub user_filter: Option<String>,
    pub numeric: bool,
    pub sort: Option<String>,
    pub reverse: bool,
    pub percent: bool,
    pub abbreviate: bool,
    pub pie: Option<String>,
    pub bar: Option<String>,
    pub source: Option<std::ffi::OsString>,
    /// memtools: JSON lines instead of the table.
    pub json: bool,
    /// memtools: read `smaps_rollup` instead of `smaps`.
    pub fast: bool,
}

/// What the command line asks for: the run, or the end of it (the help on stdout, status
/// 0; a usage error on stderr, status 2).
pub type Parsed = Result<Box<Options>, Failure>;

/// Python's text for an argument: UTF-8, with each undecodable byte shown as `\udcXX`
/// (surrogateescape, printed with backslashreplace).
fn py_text(b: &[u8]) -> String {
    let mut s = String::new();
    for chunk in b.utf8_chunks() {
        s.push_str(chunk.valid());
        for &x in chunk.invalid() {
            s.push_str(&format!("\\udc{x:02x}"));
        }
    }
    s
}

fn usage(prog: &str) -> String {
    format!("Usage: {prog} [options]\n")
}

fn error(prog: &str, msg: &str) -> Parsed {
    Err(Failure::new(
        2,
        format!("{}\n{prog}: error: {msg}\n", usage(prog)),
    ))
}

fn long_name(o: &Opt) -> &'static str {
    o.long.unwrap_or("")
}

/// Parses `args` (argv[0] first). `columns_env` is `$COLUMNS` (for the help's width).
pub fn parse(args: &[Vec<u8>], columns_env: Option<&str>) -> Parsed {
    let prog = args
        .first()
        .map(|a| memtools_core::out::short_name(a))
        .unwrap_or_else(|| "smem".into());
    let mut opts = Options::default();
    let mut i = 1;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if arg == b"--" {
            break;
        }
        if arg.starts_with(b"--") {
            let (name, value) = match arg.iter().position(|&b| b == b'=') {
                Some(eq) => (&arg[..eq], Some(arg[eq + 1..].to_vec())),
                None => (&arg[..], None),
            };
            let word = &name[2..];
            let spec = match SPEC.options().find(|o| long_name(o).as_bytes() == word) {
                Some(s) => s,
                None => {
                    let mut cands: Vec<&Opt> = SPEC
                        .options()
                        .filter(|o| o.long.is_some_and(|l| l.as_bytes().starts_with(word)))
                        .collect();
                    match cands.len() {
                        1 => cands[0],
                        0 => return error(&prog, &format!("no such option: {}", py_text(name))),
                        _ => {
                            cands.sort_by_key(|o| long_name(o));
                            let list: Vec<String> = cands
                                .iter()
                                .map(|o| format!("--{}", long_name(o)))
                                .collect();
                            return error(
                                &prog,
                                &format!(
                                    "ambiguous option: {} ({}?)",
                                    py_text(name),
                                    list.join(", ")
                                ),
                            );
                        }
                    }
                }
            };
            let full = format!("--{}", long_name(spec));
            let v = if spec.arg == HasArg::Required {
                match value {
                    Some(v) => Some(v),
                    None if i < args.len() => {
                        i += 1;
                        Some(args[i - 1].clone())
                    }
                    None => return error(&prog, &format!("{full} option requires 1 argument")),
                }
            } else {
                if value.is_some() {
                    return error(&prog, &format!("{full} option does not take a value"));
                }
                None
            };
            apply(&mut opts, spec.name(), v, &prog, columns_env)?;
        } else if arg.len() > 1 && arg[0] == b'-' {
            let mut k = 1;
            while k < arg.len() {
                // One character of the cluster (a whole UTF-8 sequence, as Python sees it).
                let clen = match arg[k] {
                    0xc0..=0xdf => 2,
                    0xe0..=0xef => 3,
                    0xf0..=0xf7 => 4,
                    _ => 1,
                };
                let ch = &arg[k..(k + clen).min(arg.len())];
                let ch = if std::str::from_utf8(ch).is_ok() {
                    ch
                } else {
                    &arg[k..k + 1]
                };
                k += ch.len();
                let spec = match SPEC.options().find(|o| o.short.is_some_and(|c| [c] == ch)) {
                    Some(s) => s,
                    None => {
                        return error(&prog, &format!("no such option: -{}", py_text(ch)));
                    }
                };
                let v = if spec.arg == HasArg::Required {
                    let v = if k < arg.len() {
                        arg[k..].to_vec()
                    } else if i < args.len() {
                        i += 1;
                        args[i - 1].clone()
                    } else {
                        return error(
                            &prog,
                            &format!("-{} option requires 1 argument", py_text(ch)),
                        );
                    };
                    k = arg.len();
                    Some(v)
                } else {
                    None
                };
                apply(&mut opts, spec.name(), v, &prog, columns_env)?;
            }
        }
        // Anything else is an operand, which smem ignores.
    }
    Ok(Box::new(opts))
}

/// Records one option; `-h` ends the parse with the help.
fn apply(
    o: &mut Options,
    name: &str,
    v: Option<Vec<u8>>,
    prog: &str,
    columns_env: Option<&str>,
) -> Result<(), Failure> {
    let text = || v.as_deref().map(py_text);
    let os = || v.clone().map(memtools_core::getopt::os_string);
    match name {
        "pie" => o.pie = text(),
        "bar" => o.bar = text(),
        "json" => o.json = true,
        "fast" => o.fast = true,
        "help" => return Err(Failure::print("smem", help(prog, columns_env))),
        "no-header" => o.no_header = true,
        "columns" => o.columns = text(),
        "totals" => o.totals = true,
        "autosize" => o.autosize = true,
        "realmem" => o.realmem = text(),
        "kernel" => o.kernel = os(),
        "mappings" => o.mappings = true,
        "users" => o.users = true,
        "system" => o.system = true,
        "processfilter" => o.process_filter = text(),
        "mapfilter" => o.map_filter = text(),
        "userfilter" => o.user_filter = text(),
        "numeric" => o.numeric = true,
        "sort" => o.sort = text(),
        "reverse" => o.reverse = true,
        "percent" => o.percent = true,
        "abbreviate" => o.abbreviate = true,
        "source" => o.source = os(),
        _ => {}
    }
    Ok(())
}

/// Greedy word wrapping, as Python's `textwrap.wrap` does for these short help texts
/// (every word is shorter than the narrowest help column, 11).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for w in text.split(' ') {
        if !cur.is_empty() && cur.len() + 1 + w.len() > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(w);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// The help text, laid out as optparse's IndentedHelpFormatter does.
pub fn help(prog: &str, columns_env: Option<&str>) -> String {
    let columns = columns_env
        .and_then(|c| py_int(c.trim_matches(crate::pytext::is_py_space), 10))
        .unwrap_or(80);
    let width = columns.saturating_sub(2);
    let max_help_position = 24i128.min((width - 20).max(4));
    // optparse's option column (`-c COLUMNS, --columns=COLUMNS`), as the spec spells it.
    let strings: Vec<String> = SPEC
        .options()
        .map(|o| o.left_column().trim_start().to_string())
        .collect();
    let indent = 2usize;
    let max_len = strings.iter().map(|s| s.len() + indent).max().unwrap_or(0) as i128;
    let help_position = (max_len + 2).min(max_help_position).max(0) as usize;
    let help_width = (width - help_position as i128).max(11) as usize;
    let mut out = format!("{}\nOptions:\n", usage(prog));
    for (spec, opts) in SPEC.options().zip(&strings) {
        let opt_width = help_position.saturating_sub(indent + 2);
        let indent_first = if opts.len() > opt_width {
            out.push_str(&format!("{:indent$}{opts}\n", ""));
            help_position
        } else {
            out.push_str(&format!("{:indent$}{opts:<opt_width$}  ", ""));
            0
        };
        for (n, line) in wrap(spec.help, help_width).iter().enumerate() {
            let pad = if n == 0 { indent_first } else { help_position };
            out.push_str(&format!("{:pad$}{line}\n", ""));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(v: &[&str]) -> Parsed {
        let mut a = vec![b"smem".to_vec()];
        a.extend(v.iter().map(|s| s.as_bytes().to_vec()));
        parse(&a, None)
    }

    fn err(v: &[&str]) -> String {
        match run(v) {
            Err(f) if f.status == 2 && f.stdout.is_none() => {
                String::from_utf8_lossy(&f.message).into_owned()
            }
            other => panic!("{other:?}"),
        }
    }

    fn is_help(p: Parsed) -> bool {
        matches!(p, Err(f) if f.status == 0 && f.stdout.as_deref() == Some("smem")
            && f.message.starts_with(b"Usage: smem [options]\n\nOptions:\n"))
    }

    #[test]
    fn optparse_messages() {
        assert_eq!(
            err(&["-x"]),
            "Usage: smem [options]\n\nsmem: error: no such option: -x\n"
        );
        assert!(err(&["-tx"]).ends_with("no such option: -x\n"));
        assert!(err(&["--col"]).ends_with("--columns option requires 1 argument\n"));
        assert!(err(&["-c"]).ends_with("-c option requires 1 argument\n"));
        assert!(
            err(&["--p"]).ends_with("ambiguous option: --p (--percent, --pie, --processfilter?)\n")
        );
        assert!(err(&["--s=1"]).ends_with("ambiguous option: --s (--sort, --source, --system?)\n"));
        assert!(err(&["--totals=3"]).ends_with("--totals option does not take a value\n"));
        assert!(err(&["-x", "-h"]).ends_with("no such option: -x\n"));
        assert!(is_help(run(&["-h", "-x"])));
        assert!(is_help(run(&["--he"])));
    }

    #[test]
    fn values_and_operands() {
        let o = run(&["-cpid", "foo", "--sort", "-t", "-tk", "--", "-x"]).unwrap();
        assert_eq!(o.columns.as_deref(), Some("pid"));
        assert_eq!(o.sort.as_deref(), Some("-t"));
        assert!(o.totals && o.abbreviate);
        let o = run(&["--col=a b", "-c", "c", "--pi", "x", "--js", "-S", "d"]).unwrap();
        assert_eq!(o.columns.as_deref(), Some("c"));
        assert_eq!(o.pie.as_deref(), Some("x"));
        assert!(o.json && !o.fast);
        assert_eq!(o.source.as_deref(), Some(std::ffi::OsStr::new("d")));
    }

    #[test]
    fn help_layouts() {
        let h = help("smem", None);
        assert!(h.starts_with(
            "Usage: smem [options]\n\nOptions:\n  -h, --help            show this help message and exit\n"
        ));
        assert!(h.contains(
            "  -c COLUMNS, --columns=COLUMNS\n                        columns to show\n"
        ));
        let narrow = help("smem", Some("20"));
        assert!(narrow.contains("  -h, --help\n    show this help\n    message and\n    exit\n"));
        let forty = help("smem", Some("40"));
        assert!(forty
            .contains("  -h, --help      show this help\n                  message and exit\n"));
        assert!(forty.contains("  -H, --no-header\n                  disable header line\n"));
    }

    /// Every option of the spec is one optparse knows: its usage column is optparse's
    /// `-x VALUE, --long=VALUE`, and parsing it sets something.
    #[test]
    fn the_spec_is_optparse_shaped() {
        for o in SPEC.options() {
            let mut want = Vec::new();
            let value = (o.arg == HasArg::Required).then_some(o.value);
            if let Some(c) = o.short {
                want.push(match value {
                    Some(v) => format!("-{} {v}", c as char),
                    None => format!("-{}", c as char),
                });
            }
            if let Some(l) = o.long {
                want.push(match value {
                    Some(v) => format!("--{l}={v}"),
                    None => format!("--{l}"),
                });
            }
            assert_eq!(o.left_column().trim_start(), want.join(", "));
            assert_ne!(o.arg, HasArg::Optional, "optparse has no optional values");
            if o.short == Some(b'h') {
                continue;
            }
            let mut argv = vec![format!("--{}", long_name(o))];
            if value.is_some() {
                argv.push("v".into());
            }
            let args: Vec<&str> = argv.iter().map(String::as_str).collect();
            let parsed = run(&args).unwrap();
            assert_ne!(*parsed, Options::default(), "{argv:?}");
        }
    }
}
