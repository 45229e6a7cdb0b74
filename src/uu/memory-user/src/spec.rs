//! memory-user's command line and documentation, defined once (memtools_core::opts): the
//! getopt tables, the usage text, the man page and the completions come from [`SPEC`].

use memtools_core::opts::{Hint, Item, Man, Operand, Opt, Spec, HELP, VERSION};

#[rustfmt::skip]
pub const SPEC: Spec = Spec {
    name: "memory-user",
    about: "Hold and stream through an amount of memory (the OSTEP homework program)",
    synopsis: "[options] SIZE [SECONDS]",
    usage_head: "\
Usage: memory-user [OPTIONS] SIZE [SECONDS]

Holds SIZE of memory in one anonymous mapping and streams through it, writing every
8-byte word on every pass, for SECONDS (default: until interrupted).

SIZE is a number of MiB (`512`), or a number with a unit: K, M, G, T (powers of 1024,
also written KiB, MiB, GiB, TiB), KB, MB, GB, TB (powers of 1000) or B; fractions are
allowed (`1.5GiB`). SECONDS may end in s, m, h or d (`90`, `1.5m`).

Options:
",
    usage_foot: "
Stops at SECONDS or on SIGINT/SIGTERM with a summary (exit 0); a second SIGINT or
SIGTERM ends it at once. Exit status: 0 done, 1 could not get or lock the memory (or
refused SIZE), 2 bad command line.
",
    items: &[
        Item::Group(24),
        Item::Opt(Opt::flag(b'q', "quiet", "no live report on stderr (the start line and summary stay)")),
        Item::Opt(Opt::flag(b'i', "interval", "live report period (default 1)").value("SECS", " -i, --interval SECS")),
        Item::Opt(Opt::flag(b't', "threads", "stream with N threads, each over its own slice (default 1)").value("N", " -t, --threads N")),
        Item::Opt(Opt::long("touch", "write every 8-byte word (default), or one word per page").value("word|page", "     --touch word|page").hint(Hint::Values(&["word", "page"]))),
        Item::Opt(Opt::long("hold", "touch the memory once, then sleep holding it")),
        Item::Opt(Opt::long("ramp", "grow the resident size to SIZE gradually over SECS").value("SECS", "     --ramp SECS")),
        Item::Opt(Opt::long("lock", "mlock the memory (needs RLIMIT_MEMLOCK, `ulimit -l`, >= SIZE)")),
        Item::Opt(Opt::long("hugepages", "ask for transparent huge pages (madvise MADV_HUGEPAGE)")),
        Item::Opt(Opt::long("force", "allow SIZE above MemTotal + SwapTotal, or above the memory\ncgroup's limit + swap (expect swapping or the OOM killer)")),
        Item::Opt(Opt::long("pid-file", "write the process id to FILE (removed again at a clean exit)").value("FILE", "     --pid-file FILE").hint(Hint::File)),
        Item::Opt(Opt::long("json", "JSON lines on stdout: start, each live sample, summary").doc("JSON lines on stdout: start, each live sample, summary (memtools; see docs/json.md)")),
        Item::Opt(HELP),
        Item::Opt(VERSION),
    ],
    operands: &[
        Operand {
            name: "SIZE",
            required: true,
            repeated: false,
            hint: Hint::None,
            help: "MiB, or a number with a unit (512, 1.5GiB, 100MB)",
        },
        Operand {
            name: "SECONDS",
            required: false,
            repeated: false,
            hint: Hint::None,
            help: "how long to run (90, 1.5m); default until interrupted",
        },
    ],
    man: Man {
        description: "\
`memory-user` holds SIZE of memory in one anonymous mapping and streams through it, \
writing every 8-byte word on every pass, for SECONDS or until interrupted. It is the \
program question 3 of the OSTEP \"Address Spaces\" homework asks for, made to be watched \
with free(1), pmap(1), vm_stat(1) and vmmap(1).

SIZE is a number of MiB (512), or a number with a unit: K, M, G, T (powers of 1024, also \
KiB, MiB, GiB, TiB), KB, MB, GB, TB (powers of 1000) or B; fractions are allowed (1.5GiB). \
SECONDS may end in s, m, h or d.

It prints a start line naming its PID on standard output, a live line on standard error \
(passes over the memory, the write rate in GB/s, its resident size), and a summary at the \
end: passes, mean rate, how long the first pass took (the time to make SIZE resident) and \
the peak resident size.",
        files: "\
@/proc/self/status
its own resident size (VmRSS) and peak (VmHWM), always the live file (Linux).

@/proc/meminfo
MemTotal and SwapTotal, to refuse a SIZE the machine cannot hold (below \
MEMTOOLS_PROC_ROOT when set).

@/proc/self/cgroup, /sys/fs/cgroup
the memory cgroup it runs in (Linux): SIZE above the cgroup's limit plus the swap it may \
use is refused, and above what the cgroup has available a warning is printed, naming the \
limit and the cgroup (docs/containers.md). While limited, the live line shows the \
cgroup's usage. Below MEMTOOLS_SYS_ROOT (with MEMTOOLS_PROC_ROOT) when set.",
        notes: "\
The homework asks only for the number of megabytes and an optional time; memory-user \
accepts exactly that command line and adds units, the options, the report and the \
summary.

The resident size is a little above SIZE (about 2 MiB): the program's code, the C \
library's pages, a stack and some heap. On macOS the resident sizes come from task_info \
(MACH_TASK_BASIC_INFO); there is no MLOCK_ONFAULT and no transparent huge pages there. \
The macOS build is compile-checked, not run.

`--json` (memtools) prints JSON lines on standard output instead of the texts: a start \
record, one sample per interval, and the summary. See docs/json.md.",
        exit_status: "\
0 when the time is up or after SIGINT/SIGTERM (a second signal ends it at once); 1 when \
the memory cannot be mapped or locked or SIZE is refused; 2 on a bad command line.",
        see_also: "",
    },
    ..Spec::EMPTY
};
