//! clap definitions of the memtools applets, used only to generate man pages and shell
//! completions (`memtools-gen`).
//!
//! The applets themselves do not parse with clap: they reproduce the originals' getopt
//! behaviour byte for byte (memtools-core's glibc and BSD getopt emulations), which clap
//! cannot. These definitions describe the same options; tests/test_docs.rs runs every
//! option defined here through the real applet, and every option the applet's own help
//! lists must be defined here, so the two cannot drift apart.

use clap::{Arg, ArgAction, Command};

pub mod pages;

/// The applets, in the order of the man pages' SEE ALSO lists.
pub const APPLETS: &[&str] = &["free", "pmap", "vm_stat", "vmmap", "memory-user", "smem"];

fn flag(
    id: &'static str,
    short: Option<char>,
    long: Option<&'static str>,
    help: &'static str,
) -> Arg {
    let mut a = Arg::new(id).action(ArgAction::SetTrue).help(help);
    if let Some(s) = short {
        a = a.short(s);
    }
    if let Some(l) = long {
        a = a.long(l);
    }
    a
}

fn value(
    id: &'static str,
    short: Option<char>,
    long: Option<&'static str>,
    name: &'static str,
    help: &'static str,
) -> Arg {
    let mut a = Arg::new(id)
        .action(ArgAction::Set)
        .value_name(name)
        .help(help);
    if let Some(s) = short {
        a = a.short(s);
    }
    if let Some(l) = long {
        a = a.long(l);
    }
    a
}

/// A command with memtools' common settings: no clap-made help/version flags (each
/// applet defines its own, as its original does).
fn base(name: &'static str, about: &'static str) -> Command {
    Command::new(name)
        .about(about)
        .version(env!("CARGO_PKG_VERSION"))
        .disable_help_flag(true)
        .disable_version_flag(true)
        .disable_help_subcommand(true)
}

fn free() -> Command {
    let units: [(&str, Option<char>, &str, &str); 11] = [
        ("bytes", Some('b'), "bytes", "show output in bytes"),
        ("kilo", None, "kilo", "show output in kilobytes"),
        ("mega", None, "mega", "show output in megabytes"),
        ("giga", None, "giga", "show output in gigabytes"),
        ("tera", None, "tera", "show output in terabytes"),
        ("peta", None, "peta", "show output in petabytes"),
        (
            "kibi",
            Some('k'),
            "kibi",
            "show output in kibibytes (the default)",
        ),
        ("mebi", Some('m'), "mebi", "show output in mebibytes"),
        ("gibi", Some('g'), "gibi", "show output in gibibytes"),
        ("tebi", None, "tebi", "show output in tebibytes"),
        ("pebi", None, "pebi", "show output in pebibytes"),
    ];
    let mut c = base(
        "free",
        "Display amount of free and used memory in the system",
    );
    for (id, short, long, help) in units {
        c = c.arg(flag(id, short, Some(long), help));
    }
    c.arg(flag(
        "human",
        Some('h'),
        Some("human"),
        "show human-readable output (units B, Ki, Mi, Gi, Ti, Pi)",
    ))
    .arg(flag("si", None, Some("si"), "use powers of 1000, not 1024"))
    .arg(flag(
        "lohi",
        Some('l'),
        Some("lohi"),
        "show detailed low and high memory statistics",
    ))
    .arg(flag(
        "line",
        Some('L'),
        Some("line"),
        "show output on a single line (procps-ng 4.0.4)",
    ))
    .arg(flag(
        "total",
        Some('t'),
        Some("total"),
        "show a total for RAM + swap",
    ))
    .arg(flag(
        "committed",
        Some('v'),
        Some("committed"),
        "show committed memory and commit limit",
    ))
    .arg(value(
        "seconds",
        Some('s'),
        Some("seconds"),
        "N",
        "repeat printing every N seconds",
    ))
    .arg(value(
        "count",
        Some('c'),
        Some("count"),
        "N",
        "repeat printing N times, then exit",
    ))
    .arg(flag(
        "wide",
        Some('w'),
        Some("wide"),
        "wide output: buffers and cache in separate columns",
    ))
    .arg(flag(
        "json",
        None,
        Some("json"),
        "print one JSON object per report, sizes in bytes (memtools; see docs/json.md)",
    ))
    .arg(flag("help", None, Some("help"), "display help and exit"))
    .arg(flag(
        "version",
        Some('V'),
        Some("version"),
        "output version information and exit",
    ))
}

fn pmap() -> Command {
    base("pmap", "Report memory map of a process")
        .arg(flag(
            "extended",
            Some('x'),
            Some("extended"),
            "show details (extended format, from smaps)",
        ))
        .arg(
            Arg::new("more")
                .short('X')
                .action(ArgAction::Count)
                .help("show even more details (-X); -XX shows everything the kernel provides"),
        )
        .arg(flag(
            "device",
            Some('d'),
            Some("device"),
            "show the device format",
        ))
        .arg(flag(
            "quiet",
            Some('q'),
            Some("quiet"),
            "do not display header and footer",
        ))
        .arg(flag(
            "show-path",
            Some('p'),
            Some("show-path"),
            "show the full path in the mapping column",
        ))
        .arg(flag(
            "use-kernel-name",
            Some('k'),
            Some("use-kernel-name"),
            "use names provided by the kernel (procps-ng 4.0.6)",
        ))
        .arg(value(
            "range",
            Some('A'),
            Some("range"),
            "LOW[,HIGH]",
            "limit results to the given address range (hex)",
        ))
        .arg(flag(
            "read-rc",
            Some('c'),
            Some("read-rc"),
            "read the default rc file (~/.pmaprc)",
        ))
        .arg(
            value(
                "read-rc-from",
                Some('C'),
                Some("read-rc-from"),
                "FILE",
                "read the rc from FILE",
            )
            .value_hint(clap::ValueHint::FilePath),
        )
        .arg(flag(
            "create-rc",
            Some('n'),
            Some("create-rc"),
            "create a new default rc file (~/.pmaprc); no PID arguments",
        ))
        .arg(
            value(
                "create-rc-to",
                Some('N'),
                Some("create-rc-to"),
                "FILE",
                "create a new rc file FILE; no PID arguments",
            )
            .value_hint(clap::ValueHint::FilePath),
        )
        .arg(
            flag(
                "sunos",
                Some('r'),
                None,
                "accepted and ignored (SunOS compatibility), with a warning",
            )
            .hide(true),
        )
        .arg(flag(
            "json",
            None,
            Some("json"),
            "print one JSON object per PID, sizes in bytes (memtools; see docs/json.md)",
        ))
        .arg(flag(
            "help",
            Some('h'),
            Some("help"),
            "display help and exit",
        ))
        .arg(flag(
            "version",
            Some('V'),
            Some("version"),
            "output version information and exit",
        ))
        .arg(
            Arg::new("pid")
                .value_name("PID")
                .num_args(1..)
                .action(ArgAction::Append)
                .value_hint(clap::ValueHint::Other)
                .help("process ids (or /proc/PID)"),
        )
}

fn vm_stat() -> Command {
    base("vm_stat", "Show Mach virtual memory statistics")
        .arg(value("count", Some('c'), None, "count", "print count rows, then exit (with an interval)"))
        .arg(flag("json", None, Some("json"), "print JSON, sizes in bytes (memtools; ends the options, as any --word does for Apple's getopt)"))
        .arg(
            Arg::new("interval")
                .value_name("interval")
                .help("seconds between rows; without it (or 0), one list of 22 lines"),
        )
}

fn vmmap() -> Command {
    base("vmmap", "Display the virtual memory regions of a process")
        .arg(flag(
            "wide",
            Some('w'),
            Some("wide"),
            "do not truncate region details",
        ))
        .arg(flag(
            "verbose",
            Some('v'),
            Some("verbose"),
            "same as -w -noCoalesce",
        ))
        .arg(flag(
            "sortBySize",
            Some('s'),
            Some("sortBySize"),
            "sort the summary by dirty+swapped size",
        ))
        .arg(flag(
            "pages",
            None,
            Some("pages"),
            "sizes in VM pages instead of bytes",
        ))
        .arg(flag(
            "interleaved",
            None,
            Some("interleaved"),
            "one region list in address order",
        ))
        .arg(flag(
            "noCoalesce",
            None,
            Some("noCoalesce"),
            "do not merge adjacent identical regions",
        ))
        .arg(flag(
            "summary",
            None,
            Some("summary"),
            "only the header and the summary",
        ))
        .arg(flag(
            "json",
            None,
            Some("json"),
            "the report as one JSON object, sizes in bytes (memtools)",
        ))
        .arg(flag("submap", None, Some("submap"), "accepted, no effect"))
        .arg(flag(
            "allSplitLibs",
            None,
            Some("allSplitLibs"),
            "accepted, no effect",
        ))
        .arg(flag(
            "resident",
            None,
            Some("resident"),
            "accepted, no effect",
        ))
        .arg(flag("dirty", None, Some("dirty"), "accepted, no effect"))
        .arg(flag("purge", None, Some("purge"), "accepted, no effect"))
        .arg(flag(
            "help",
            Some('h'),
            Some("help"),
            "display help and exit",
        ))
        .arg(
            Arg::new("target")
                .value_name("pid | partial-executable-name")
                .required(true)
                .value_hint(clap::ValueHint::Other)
                .help("the process: a pid, or part of exactly one process's name"),
        )
        .arg(
            Arg::new("address")
                .value_name("address")
                .help("hex address: show only the region holding it and its neighbours"),
        )
}

fn memory_user() -> Command {
    base(
        "memory-user",
        "Hold and stream through an amount of memory (the OSTEP homework program)",
    )
    .arg(flag(
        "quiet",
        Some('q'),
        Some("quiet"),
        "no live report on stderr",
    ))
    .arg(value(
        "interval",
        Some('i'),
        Some("interval"),
        "SECS",
        "live report period (default 1)",
    ))
    .arg(value(
        "threads",
        Some('t'),
        Some("threads"),
        "N",
        "stream with N threads (default 1)",
    ))
    .arg(
        value(
            "touch",
            None,
            Some("touch"),
            "word|page",
            "write every 8-byte word (default), or one word per page",
        )
        .value_parser(["word", "page"]),
    )
    .arg(flag(
        "hold",
        None,
        Some("hold"),
        "touch the memory once, then sleep holding it",
    ))
    .arg(value(
        "ramp",
        None,
        Some("ramp"),
        "SECS",
        "grow the resident size to SIZE over SECS",
    ))
    .arg(flag(
        "lock",
        None,
        Some("lock"),
        "mlock the memory (needs RLIMIT_MEMLOCK >= SIZE)",
    ))
    .arg(flag(
        "hugepages",
        None,
        Some("hugepages"),
        "ask for transparent huge pages",
    ))
    .arg(flag(
        "force",
        None,
        Some("force"),
        "allow SIZE above MemTotal + SwapTotal",
    ))
    .arg(
        value(
            "pid-file",
            None,
            Some("pid-file"),
            "FILE",
            "write the process id to FILE",
        )
        .value_hint(clap::ValueHint::FilePath),
    )
    .arg(flag(
        "json",
        None,
        Some("json"),
        "JSON lines on stdout: start, live samples, summary (memtools)",
    ))
    .arg(flag(
        "help",
        Some('h'),
        Some("help"),
        "display help and exit",
    ))
    .arg(flag(
        "version",
        Some('V'),
        Some("version"),
        "output version information and exit",
    ))
    .arg(
        Arg::new("size")
            .value_name("SIZE")
            .required(true)
            .help("MiB, or a number with a unit (512, 1.5GiB, 100MB)"),
    )
    .arg(
        Arg::new("seconds")
            .value_name("SECONDS")
            .help("how long to run (90, 1.5m); default until interrupted"),
    )
}

fn smem() -> Command {
    base(
        "smem",
        "Report memory usage per process, user and mapping (USS, PSS, RSS, swap)",
    )
    .arg(flag(
        "help",
        Some('h'),
        Some("help"),
        "show this help message and exit",
    ))
    .arg(flag(
        "no-header",
        Some('H'),
        Some("no-header"),
        "disable header line",
    ))
    .arg(value(
        "columns",
        Some('c'),
        Some("columns"),
        "COLUMNS",
        "columns to show (space-separated field names)",
    ))
    .arg(flag("totals", Some('t'), Some("totals"), "show totals"))
    .arg(flag(
        "autosize",
        Some('a'),
        Some("autosize"),
        "size columns to fit terminal size",
    ))
    .arg(value(
        "realmem",
        Some('R'),
        Some("realmem"),
        "REALMEM",
        "amount of physical RAM, with a unit (1024M)",
    ))
    .arg(
        value(
            "kernel",
            Some('K'),
            Some("kernel"),
            "KERNEL",
            "path to an uncompressed kernel image (-w)",
        )
        .value_hint(clap::ValueHint::FilePath),
    )
    .arg(flag(
        "mappings",
        Some('m'),
        Some("mappings"),
        "show mappings",
    ))
    .arg(flag("users", Some('u'), Some("users"), "show users"))
    .arg(flag(
        "system",
        Some('w'),
        Some("system"),
        "show whole system",
    ))
    .arg(value(
        "processfilter",
        Some('P'),
        Some("processfilter"),
        "PROCESSFILTER",
        "process filter regex (name or command line)",
    ))
    .arg(value(
        "mapfilter",
        Some('M'),
        Some("mapfilter"),
        "MAPFILTER",
        "map filter regex",
    ))
    .arg(value(
        "userfilter",
        Some('U'),
        Some("userfilter"),
        "USERFILTER",
        "user filter regex",
    ))
    .arg(flag(
        "numeric",
        Some('n'),
        Some("numeric"),
        "numeric output",
    ))
    .arg(value(
        "sort",
        Some('s'),
        Some("sort"),
        "SORT",
        "field to sort on",
    ))
    .arg(flag("reverse", Some('r'), Some("reverse"), "reverse sort"))
    .arg(flag(
        "percent",
        Some('p'),
        Some("percent"),
        "show percentage",
    ))
    .arg(flag(
        "abbreviate",
        Some('k'),
        Some("abbreviate"),
        "show unit suffixes",
    ))
    .arg(value(
        "pie",
        None,
        Some("pie"),
        "PIE",
        "write a pie chart labelled by this field as SVG to stdout",
    ))
    .arg(value(
        "bar",
        None,
        Some("bar"),
        "BAR",
        "write a bar chart labelled by this field as SVG to stdout",
    ))
    .arg(
        value(
            "source",
            Some('S'),
            Some("source"),
            "SOURCE",
            "a directory holding a proc/ snapshot to read instead of /proc",
        )
        .value_hint(clap::ValueHint::DirPath),
    )
    .arg(flag(
        "json",
        None,
        Some("json"),
        "print JSON lines, sizes in bytes (memtools)",
    ))
    .arg(flag(
        "fast",
        None,
        Some("fast"),
        "sum smaps_rollup files: faster, PSS may differ (memtools)",
    ))
}

fn memtools() -> Command {
    base(
        "memtools",
        "free, pmap, vm_stat, vmmap, memory-user and smem in one multicall binary",
    )
    .arg(flag(
        "list",
        Some('l'),
        Some("list"),
        "print the applets of this build",
    ))
    .arg(
        value(
            "install-links",
            None,
            Some("install-links"),
            "DIR",
            "create a link DIR/APPLET -> memtools for every applet",
        )
        .value_hint(clap::ValueHint::DirPath),
    )
    .arg(flag(
        "help",
        Some('h'),
        Some("help"),
        "display help and exit",
    ))
    .arg(flag(
        "version",
        Some('V'),
        Some("version"),
        "output version information and exit",
    ))
    .subcommands(APPLETS.iter().filter_map(|a| command(a)))
}

/// The clap definition of an applet (or of `memtools` itself, with the applets as
/// subcommands). None for an unknown name.
pub fn command(applet: &str) -> Option<Command> {
    Some(match applet {
        "free" => free(),
        "pmap" => pmap(),
        "vm_stat" => vm_stat(),
        "vmmap" => vmmap(),
        "memory-user" => memory_user(),
        "smem" => smem(),
        "memtools" => memtools(),
        _ => return None,
    })
}

/// Every page and completion file name, generated or not, for `name` (an applet or
/// `memtools`). All of `APPLETS` plus `memtools`.
pub fn all_names() -> impl Iterator<Item = &'static str> {
    APPLETS.iter().copied().chain(["memtools"])
}

/// The man page (section 1) of an applet or of `memtools`, in roff.
pub fn man_page(name: &str) -> Option<String> {
    let cmd = command(name)?;
    let page = pages::page(name)?;
    let man = clap_mangen::Man::new(cmd.clone())
        .manual("memtools")
        .source(format!("memtools {}", env!("CARGO_PKG_VERSION")));
    let mut out: Vec<u8> = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = man.render_title(&mut out);
    let _ = man.render_name_section(&mut out);
    let _ = man.render_synopsis_section(&mut out);
    let mut text = String::from_utf8_lossy(&out).into_owned();
    text.push_str(&pages::to_roff("DESCRIPTION", page.description));
    let mut out: Vec<u8> = Vec::new();
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        let _ = man.render_options_section(&mut out);
    }
    text.push_str(&String::from_utf8_lossy(&out));
    if cmd.has_subcommands() {
        // clap_mangen would point at memtools-APPLET(1) pages; the applets' pages are
        // APPLET(1), as they are installed under their own names.
        let list: Vec<String> = cmd
            .get_subcommands()
            .map(|c| {
                let about = c.get_about().map(|a| a.to_string()).unwrap_or_default();
                format!("@{}(1)\n{about}", c.get_name())
            })
            .collect();
        text.push_str(&pages::to_roff("APPLETS", &list.join("\n\n")));
    }
    let files_title = if name == "memtools" {
        "ENVIRONMENT"
    } else {
        "FILES"
    };
    text.push_str(&pages::to_roff(files_title, page.files));
    text.push_str(&pages::to_roff("EXIT STATUS", page.exit_status));
    text.push_str(&pages::to_roff("NOTES", page.notes));
    text.push_str(&pages::to_roff("SEE ALSO", page.see_also));
    let mut out: Vec<u8> = Vec::new();
    let _ = man.render_version_section(&mut out);
    text.push_str(&String::from_utf8_lossy(&out));
    Some(text)
}

/// The shells completions are made for, each with its directory below an install prefix.
pub const SHELLS: &[(clap_complete::Shell, &str)] = &[
    (
        clap_complete::Shell::Bash,
        "share/bash-completion/completions",
    ),
    (clap_complete::Shell::Zsh, "share/zsh/site-functions"),
    (
        clap_complete::Shell::Fish,
        "share/fish/vendor_completions.d",
    ),
];

/// The completion file's name for a command in a shell's directory.
pub fn completion_file_name(shell: clap_complete::Shell, name: &str) -> String {
    match shell {
        clap_complete::Shell::Zsh => format!("_{name}"),
        clap_complete::Shell::Fish => format!("{name}.fish"),
        _ => name.to_string(),
    }
}

/// The completion script of a command for a shell.
pub fn completion(shell: clap_complete::Shell, name: &str) -> Option<Vec<u8>> {
    let mut cmd = command(name)?;
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, name, &mut out);
    Some(out)
}
