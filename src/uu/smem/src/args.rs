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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Id {
    Help,
    NoHeader,
    Columns,
    Totals,
    Autosize,
    Realmem,
    Kernel,
    Mappings,
    Users,
    System,
    ProcessFilter,
    MapFilter,
    UserFilter,
    Numeric,
    Sort,
    Reverse,
    Percent,
    Abbreviate,
    Pie,
    Bar,
    Source,
    Json,
    Fast,
}

struct Spec {
    id: Id,
    short: Option<u8>,
    long: &'static str,
    /// The metavar of an option that takes a value.
    metavar: Option<&'static str>,
    help: &'static str,
}

const fn o(
    id: Id,
    short: Option<u8>,
    long: &'static str,
    metavar: Option<&'static str>,
    help: &'static str,
) -> Spec {
    Spec {
        id,
        short,
        long,
        metavar,
        help,
    }
}

/// smem's options in its help order, then memtools' additions.
const SPECS: &[Spec] = &[
    o(
        Id::Help,
        Some(b'h'),
        "help",
        None,
        "show this help message and exit",
    ),
    o(
        Id::NoHeader,
        Some(b'H'),
        "no-header",
        None,
        "disable header line",
    ),
    o(
        Id::Columns,
        Some(b'c'),
        "columns",
        Some("COLUMNS"),
        "columns to show",
    ),
    o(Id::Totals, Some(b't'), "totals", None, "show totals"),
    o(
        Id::Autosize,
        Some(b'a'),
        "autosize",
        None,
        "size columns to fit terminal size",
    ),
    o(
        Id::Realmem,
        Some(b'R'),
        "realmem",
        Some("REALMEM"),
        "amount of physical RAM",
    ),
    o(
        Id::Kernel,
        Some(b'K'),
        "kernel",
        Some("KERNEL"),
        "path to kernel image",
    ),
    o(Id::Mappings, Some(b'm'), "mappings", None, "show mappings"),
    o(Id::Users, Some(b'u'), "users", None, "show users"),
    o(Id::System, Some(b'w'), "system", None, "show whole system"),
    o(
        Id::ProcessFilter,
        Some(b'P'),
        "processfilter",
        Some("PROCESSFILTER"),
        "process filter regex",
    ),
    o(
        Id::MapFilter,
        Some(b'M'),
        "mapfilter",
        Some("MAPFILTER"),
        "map filter regex",
    ),
    o(
        Id::UserFilter,
        Some(b'U'),
        "userfilter",
        Some("USERFILTER"),
        "user filter regex",
    ),
    o(Id::Numeric, Some(b'n'), "numeric", None, "numeric output"),
    o(
        Id::Sort,
        Some(b's'),
        "sort",
        Some("SORT"),
        "field to sort on",
    ),
    o(Id::Reverse, Some(b'r'), "reverse", None, "reverse sort"),
    o(Id::Percent, Some(b'p'), "percent", None, "show percentage"),
    o(
        Id::Abbreviate,
        Some(b'k'),
        "abbreviate",
        None,
        "show unit suffixes",
    ),
    o(Id::Pie, None, "pie", Some("PIE"), "show pie graph"),
    o(Id::Bar, None, "bar", Some("BAR"), "show bar graph"),
    o(
        Id::Source,
        Some(b'S'),
        "source",
        Some("SOURCE"),
        "/proc data source",
    ),
    o(
        Id::Json,
        None,
        "json",
        None,
        "print JSON lines, sizes in bytes (memtools)",
    ),
    o(
        Id::Fast,
        None,
        "fast",
        None,
        "sum smaps_rollup files: faster, PSS may differ (memtools)",
    ),
];

/// What the command line asks for.
#[derive(Debug, PartialEq)]
pub enum Parsed {
    Run(Box<Options>),
    /// `-h`: print this help on stdout, exit 0.
    Help(String),
    /// A usage error: print this on stderr, exit 2.
    Error(String),
}

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
    Parsed::Error(format!("{}\n{prog}: error: {msg}\n", usage(prog)))
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
            let spec = match SPECS.iter().find(|s| s.long.as_bytes() == word) {
                Some(s) => s,
                None => {
                    let mut cands: Vec<&Spec> = SPECS
                        .iter()
                        .filter(|s| s.long.as_bytes().starts_with(word))
                        .collect();
                    match cands.len() {
                        1 => cands[0],
                        0 => return error(&prog, &format!("no such option: {}", py_text(name))),
                        _ => {
                            cands.sort_by_key(|s| s.long);
                            let list: Vec<String> =
                                cands.iter().map(|s| format!("--{}", s.long)).collect();
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
            let full = format!("--{}", spec.long);
            let v = if spec.metavar.is_some() {
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
            if let Some(help) = apply(&mut opts, spec.id, v, &prog, columns_env) {
                return help;
            }
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
                let spec = match SPECS.iter().find(|s| s.short.is_some_and(|c| [c] == ch)) {
                    Some(s) => s,
                    None => {
                        return error(&prog, &format!("no such option: -{}", py_text(ch)));
                    }
                };
                let v = if spec.metavar.is_some() {
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
                if let Some(help) = apply(&mut opts, spec.id, v, &prog, columns_env) {
                    return help;
                }
            }
        }
        // Anything else is an operand, which smem ignores.
    }
    Parsed::Run(Box::new(opts))
}

fn apply(
    o: &mut Options,
    id: Id,
    v: Option<Vec<u8>>,
    prog: &str,
    columns_env: Option<&str>,
) -> Option<Parsed> {
    let text = || v.as_deref().map(py_text);
    let os = || v.clone().map(memtools_core::getopt::os_string);
    match id {
        Id::Help => return Some(Parsed::Help(help(prog, columns_env))),
        Id::NoHeader => o.no_header = true,
        Id::Columns => o.columns = text(),
        Id::Totals => o.totals = true,
        Id::Autosize => o.autosize = true,
        Id::Realmem => o.realmem = text(),
        Id::Kernel => o.kernel = os(),
        Id::Mappings => o.mappings = true,
        Id::Users => o.users = true,
        Id::System => o.system = true,
        Id::ProcessFilter => o.process_filter = text(),
        Id::MapFilter => o.map_filter = text(),
        Id::UserFilter => o.user_filter = text(),
        Id::Numeric => o.numeric = true,
        Id::Sort => o.sort = text(),
        Id::Reverse => o.reverse = true,
        Id::Percent => o.percent = true,
        Id::Abbreviate => o.abbreviate = true,
        Id::Pie => o.pie = text(),
        Id::Bar => o.bar = text(),
        Id::Source => o.source = os(),
        Id::Json => o.json = true,
        Id::Fast => o.fast = true,
    }
    None
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
    let strings: Vec<String> = SPECS
        .iter()
        .map(|s| {
            let mut parts = Vec::new();
            if let Some(c) = s.short {
                parts.push(match s.metavar {
                    Some(m) => format!("-{} {m}", c as char),
                    None => format!("-{}", c as char),
                });
            }
            parts.push(match s.metavar {
                Some(m) => format!("--{}={m}", s.long),
                None => format!("--{}", s.long),
            });
            parts.join(", ")
        })
        .collect();
    let indent = 2usize;
    let max_len = strings.iter().map(|s| s.len() + indent).max().unwrap_or(0) as i128;
    let help_position = (max_len + 2).min(max_help_position).max(0) as usize;
    let help_width = (width - help_position as i128).max(11) as usize;
    let mut out = format!("{}\nOptions:\n", usage(prog));
    for (spec, opts) in SPECS.iter().zip(&strings) {
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
            Parsed::Error(e) => e,
            other => panic!("{other:?}"),
        }
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
        assert!(matches!(run(&["-h", "-x"]), Parsed::Help(_)));
        assert!(matches!(run(&["--he"]), Parsed::Help(_)));
    }

    #[test]
    fn values_and_operands() {
        let Parsed::Run(o) = run(&["-cpid", "foo", "--sort", "-t", "-tk", "--", "-x"]) else {
            panic!()
        };
        assert_eq!(o.columns.as_deref(), Some("pid"));
        assert_eq!(o.sort.as_deref(), Some("-t"));
        assert!(o.totals && o.abbreviate);
        let Parsed::Run(o) = run(&["--col=a b", "-c", "c", "--pi", "x"]) else {
            panic!()
        };
        assert_eq!(o.columns.as_deref(), Some("c"));
        assert_eq!(o.pie.as_deref(), Some("x"));
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
}
