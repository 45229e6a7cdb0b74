//! smem's command line and documentation, defined once (memtools_core::opts): the optparse
//! parser and help of [`crate::args`], the man page and the completions come from
//! [`SPEC`]. Each option's `help` is smem 1.5's help text (its `--help` prints it, wrapped
//! by optparse's rules); `doc` is the man page's longer text. The usage column (`left`) is
//! optparse's: `-c COLUMNS, --columns=COLUMNS`.

use memtools_core::opts::{Hint, Item, Man, Opt, Spec};

/// A flag: smem's help text, the man page's text (empty: the help).
const fn flag(short: u8, long: &'static str, help: &'static str, doc: &'static str) -> Item {
    Item::Opt(Opt::flag(short, long, help).doc(doc))
}

/// An option with a value; `left` is optparse's `-x VALUE, --long=VALUE`.
const fn valued(
    short: u8,
    long: &'static str,
    value: &'static str,
    left: &'static str,
    help: &'static str,
    doc: &'static str,
) -> Item {
    Item::Opt(Opt::flag(short, long, help).value(value, left).doc(doc))
}

const MAPPINGS: &str = "the mappings view: one row per mapping name (wins over -u and -w)";
const PERCENT: &str = "sizes as percentages of MemTotal (or -R), swap of SwapTotal";
const ABBREVIATE: &str = "sizes with a unit suffix (K, M, G, T), one decimal";

pub const SPEC: Spec = Spec {
    name: "smem",
    about: "Report memory usage per process, user and mapping (USS, PSS, RSS, swap)",
    synopsis: "[options]",
    usage_head: "Usage: smem [options]\n\nOptions:\n",
    items: &[
        Item::Group(24),
        flag(b'h', "help", "show this help message and exit", ""),
        flag(
            b'H',
            "no-header",
            "disable header line",
            "disable the header line (the `-t` line of dashes keeps the header's length)",
        ),
        valued(
            b'c',
            "columns",
            "COLUMNS",
            "-c COLUMNS, --columns=COLUMNS",
            "columns to show",
            "the columns to show: field names separated by spaces, in any order, repeats \
             allowed; empty means the view's default (the Fields paragraph in the DESCRIPTION)",
        ),
        flag(
            b't',
            "totals",
            "show totals",
            "show a line of dashes and a totals line: sums; pid and map count the rows, user \
             (process view) the distinct users",
        ),
        flag(
            b'a',
            "autosize",
            "size columns to fit terminal size",
            "size each column to its widest cell; the command or map column narrows so that a \
             line fits the terminal on standard input (80 columns when it is not a terminal, \
             after stty's message)",
        ),
        valued(
            b'R',
            "realmem",
            "REALMEM",
            "-R REALMEM, --realmem=REALMEM",
            "amount of physical RAM",
            "the amount of physical RAM, a number with a unit k, K, M, G or T and an optional B \
             (1024M, 1.5G): the base of -p and of the pie, and -w's firmware row",
        ),
        Item::Opt(
            Opt::flag(b'K', "kernel", "path to kernel image")
                .value("KERNEL", "-K KERNEL, --kernel=KERNEL")
                .hint(Hint::File)
                .doc(
                    "an uncompressed kernel image: -w counts its size (binutils' `size`, the \
                     dec column) as the kernel image",
                ),
        ),
        flag(b'm', "mappings", "show mappings", MAPPINGS),
        flag(
            b'u',
            "users",
            "show users",
            "the users view: one row per user (wins over -w)",
        ),
        flag(
            b'w',
            "system",
            "show whole system",
            "the system view, from /proc/meminfo",
        ),
        valued(
            b'P',
            "processfilter",
            "PROCESSFILTER",
            "-P PROCESSFILTER, --processfilter=PROCESSFILTER",
            "process filter regex",
            "show the processes whose name or command line contains a match of this regular \
             expression",
        ),
        valued(
            b'M',
            "mapfilter",
            "MAPFILTER",
            "-M MAPFILTER, --mapfilter=MAPFILTER",
            "map filter regex",
            "count only the mappings whose name contains a match; processes left without \
             mappings are left out",
        ),
        valued(
            b'U',
            "userfilter",
            "USERFILTER",
            "-U USERFILTER, --userfilter=USERFILTER",
            "user filter regex",
            "show the processes whose user name contains a match",
        ),
        flag(
            b'n',
            "numeric",
            "numeric output",
            "user ids instead of names",
        ),
        valued(
            b's',
            "sort",
            "SORT",
            "-s SORT, --sort=SORT",
            "field to sort on",
            "the field to sort on (default pss, or rss without PSS; order with -w); ties are \
             sorted on the shown columns",
        ),
        flag(b'r', "reverse", "reverse sort", ""),
        flag(b'p', "percent", "show percentage", PERCENT),
        flag(b'k', "abbreviate", "show unit suffixes", ABBREVIATE),
        Item::Opt(
            Opt::long("pie", "show pie graph")
                .value("PIE", "--pie=PIE")
                .doc(
                    "write a pie chart of the sort field, wedges labelled by the field PIE, as \
                     SVG on standard output (smem opens a matplotlib window)",
                ),
        ),
        Item::Opt(
            Opt::long("bar", "show bar graph")
                .value("BAR", "--bar=BAR")
                .doc(
                    "write a bar chart of the shown numeric columns, bars labelled by the field \
                     BAR, as SVG on standard output",
                ),
        ),
        Item::Opt(
            Opt::flag(b'S', "source", "/proc data source")
                .value("SOURCE", "-S SOURCE, --source=SOURCE")
                .hint(Hint::Dir)
                .doc(
                    "read SOURCE/proc instead of /proc: a directory holding a copied proc tree \
                     (smemcap tar archives are refused with a message)",
                ),
        ),
        Item::Opt(
            Opt::long("json", "print JSON lines, sizes in bytes (memtools)").doc(
                "print one JSON object per row, in the table's order, sizes in bytes \
                 (memtools; see docs/json.md)",
            ),
        ),
        Item::Opt(
            Opt::long(
                "fast",
                "sum smaps_rollup files: faster, PSS may differ (memtools)",
            )
            .doc(
                "read PID/smaps_rollup instead of PID/smaps: one short file per process, \
                 several times faster; its PSS is rounded once by the kernel, so it can be a \
                 few kB above smem's; no -m, -M, maps or vss (memtools)",
            ),
        ),
    ],
    man: Man {
        description: "\
`smem` reports physical memory usage, taking shared memory pages into account: per \
process (the default), per user (-u), per mapping name (-m), or for the whole system \
(-w). USS (unique set size) is the memory only this process has; PSS (proportional set \
size) adds its fair share of shared pages; RSS counts every resident page; swap is what \
is swapped out.

This is memtools' smem: it prints the same bytes as Debian's smem 1.5 for the same /proc, \
with every option, message and exit status of it, and reads each process's smaps once \
(several times faster).

@Fields
process view: pid user command name maps swap uss pss rss vss; user view: user count \
swap uss pss rss vss; map view: map count pids avgpss avgrss avguss swap uss pss rss \
vss; system view: area used cache noncache order. Sizes are kB.

Options are parsed as Python's optparse parses them: long options may be abbreviated to \
a unique prefix, values follow as `--name=value`, `--name value`, `-cVALUE` or \
`-c VALUE`, and operands are ignored. The help is wrapped to the width in COLUMNS.",
        files: "\
@/proc/PID/smaps, cmdline, stat, /proc/meminfo
read below MEMTOOLS_PROC_ROOT when set, or below SOURCE/proc with -S SOURCE. The user is \
the owner of /proc/PID (MEMTOOLS_PROC_OWNERS names a file of `PID UID` lines giving the \
owners of a snapshot's PID directories).

@/etc/passwd
user names (memtools is static and has no NSS; MEMTOOLS_PASSWD names another file).",
        notes: "\
Differences from smem 1.5: `--pie` and `--bar` write the chart as SVG on standard output \
instead of opening a matplotlib window; where smem stops with a Python traceback \
(avguss, a malformed smaps in the user or map view, a meminfo without the lines it needs) \
smem prints one line `smem: ...` and exits 1; regular expressions are the Rust regex \
crate's; a closed or full standard output is a write error (smem 1.5 exits 0 without a \
word). docs/smem.md lists every rule and difference.

`--json` (memtools) prints one JSON object per row, sizes in bytes. `--fast` (memtools) \
reads smaps_rollup instead of smaps: one file per process, several times faster, but its \
PSS is summed in the kernel with more precision, so it may differ from smem's by a few kB.

Processes that exit or cannot be read are left out, as are kernel threads (empty command \
line). On macOS smem prints that it is not supported there and exits 1.",
        exit_status: "\
0 on success, and when /proc or meminfo cannot be read (smem prints nothing then); 2 on a \
usage error; 255 for an unknown field or column, or -R without a unit; 1 on a write error \
(a closed or full standard output), where smem 1.5 dies with a traceback, and on macOS.",
        see_also: "proc(5)",
    },
    ..Spec::EMPTY
};
