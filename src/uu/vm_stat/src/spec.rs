//! vm_stat's command line and documentation, defined once (memtools_core::opts): the BSD
//! getopt string, the usage line (Apple's), the man page and the completions come from
//! [`SPEC`].

use memtools_core::opts::{Hint, Item, Man, Operand, Opt, Spec};

pub const SPEC: Spec = Spec {
    name: "vm_stat",
    about: "Show Mach virtual memory statistics",
    synopsis: "[[-c count] interval]",
    // Apple's usage is one line with argv[0] as invoked: see `usage_text`.
    items: &[
        Item::Opt(
            Opt::short(b'c', "print count rows, then exit (with an interval)").value("count", ""),
        ),
        Item::Opt(Opt::long(
            "json",
            "print JSON, sizes in bytes (memtools; ends the options, as any --word does for \
             Apple's getopt)",
        )),
    ],
    operands: &[Operand {
        name: "interval",
        required: false,
        repeated: false,
        hint: Hint::None,
        help: "seconds between rows; without it (or 0), one list of 22 lines",
    }],
    man: Man {
        description: "\
`vm_stat` shows virtual memory statistics: with no interval, one list of 22 lines; with \
an interval, a table with one row every interval seconds (count rows with -c), where the \
event counters show the change since the previous row and a banner is repeated every 21 \
rows.

This is memtools' vm_stat, reproducing macOS's vm_stat (system_cmds up to macOS 15): the \
same arguments, parsed with BSD getopt, the same messages, exit statuses and output \
bytes. On macOS the numbers come from host_statistics64 (HOST_VM_INFO64); on Linux from \
/proc/vmstat and /proc/meminfo.

@Pages free, active, inactive, wired down
page counts (gauges): free pages, pages on the active and inactive lists, pages that \
cannot be paged out. On Linux: nr_free_pages, nr_active_*, nr_inactive_*, and wired as \
what is left of MemTotal.

@File-backed pages, Anonymous pages
pageable file pages and pageable anonymous pages.

@Pages stored in / occupied by compressor
pages held compressed, and the pages the compressed data takes. On Linux: zswap and zram.

@\"Translation faults\", Pageins, Pageouts, Swapins, Swapouts
event counters since boot (in the table: since the previous row). On Linux: pgfault, \
pgmajfault, nr_vmscan_write, pswpin, pswpout.",
        files: "\
@/proc/vmstat, /proc/meminfo
the counters (Linux), read below MEMTOOLS_PROC_ROOT when it is set.

@/sys/block/zram*/mm_stat
zram's original data size (below MEMTOOLS_SYS_ROOT when it is set; not read when only \
MEMTOOLS_PROC_ROOT is set).",
        notes: "\
On Linux 4 of the 22 lines are exact analogues, 13 approximate, and 5 (speculative, \
throttled, purgeable, copy-on-write, zero filled) have no Linux equivalent and are always \
0; all 22 are printed so that scripts find every label. docs/vm_stat.md has the full \
mapping.

Differences from Apple's vm_stat: a failed write is reported (vm_stat: write error, exit \
1); in interval mode the statistics are read before the banner is printed.

`--json` (memtools) prints one JSON object (one per row in interval mode): page gauges in \
bytes, event counters as counts. Apple's getopt reads any argument starting with `--` as \
the end of the options, and so does memtools: `--json` also ends the options, so \
`vm_stat -c 3 --json 1` works and `vm_stat --json -c 3 1` is a usage error, as on macOS. \
See docs/json.md.

The macOS build is compile-checked, not run; macOS rate-limits host_statistics64 for \
programs that are not Apple's, so sub-second intervals may repeat a row.",
        exit_status: "\
0 on success; 1 on a usage error, when the statistics cannot be read, or on a write \
error.",
        see_also: "",
    },
    ..Spec::EMPTY
};
