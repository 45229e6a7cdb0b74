//! meminfo's command line and documentation, defined once (memtools_core::opts): the getopt
//! tables, the usage text, the man page and the completions come from [`SPEC`]. psutil's
//! script takes no arguments (it ignores any); memtools rejects unknown ones.

use memtools_core::opts::{Item, Man, Opt, Spec, HELP, VERSION};

pub const SPEC: Spec = Spec {
    name: "meminfo",
    about: "Show system memory and swap usage as psutil's scripts/meminfo.py does",
    synopsis: "[--json] [--cgroup[=DIR]]",
    usage_head: "\
Usage: meminfo [--json] [--cgroup[=DIR]]

Print system memory and swap usage as psutil 7.2.2's scripts/meminfo.py does.

Options:
",
    items: &[
        Item::Group(16),
        Item::Opt(
            Opt::long("json", "print one JSON object, sizes in bytes (memtools)")
                .doc("print one JSON object, sizes in bytes (memtools; see docs/json.md)"),
        ),
        Item::Opt(memtools_platform::cgroup::option(
            "show the memory of the calling process's memory cgroup, or of the cgroup \
             directory DIR, as psutil shows it inside a container that runs LXCFS \
             (memtools; see docs/containers.md)",
        )),
        Item::Opt(HELP),
        Item::Opt(VERSION),
    ],
    man: Man {
        description: "\
`meminfo` prints system memory and swap usage exactly as psutil 7.2.2's \
scripts/meminfo.py does: a MEMORY block with the fields of psutil.virtual_memory() and a \
SWAP block with those of psutil.swap_memory(), sizes in powers of 1024 with one decimal \
(`1013.6M`), percentages as Python prints a float rounded to one decimal (`49.0`).

On Linux the numbers come from /proc/meminfo, /proc/vmstat and, when MemAvailable is \
missing or 0, /proc/zoneinfo, computed with psutil's formulas and quirks; on macOS from \
sysctl hw.memsize, host_statistics64 and vm.swapusage.

@Total, Free
MemTotal and MemFree.

@Available
MemAvailable; psutil's estimate from the zones' low watermarks when it is missing or 0; \
MemFree when it exceeds MemTotal.

@Used, Percent
Total - Available (it can be negative), and that as a percentage of Total. Not free's \
used column.

@Active, Inactive, Buffers, Cached, Shared, Slab
Active, Inactive, Buffers, Cached + SReclaimable, Shmem and Slab (Linux). On macOS: \
Active, Inactive and Wired pages.

@Sin, Sout
pswpin and pswpout times 4096 (Linux); pageins and pageouts times the page size (macOS).",
        files: "\
@/proc/meminfo, /proc/vmstat, /proc/zoneinfo
the counters (Linux), read below MEMTOOLS_PROC_ROOT when it is set. Without SwapTotal \
and SwapFree lines, the swap figures come from sysinfo(2), as psutil does.

@/proc/self/cgroup, /sys/fs/cgroup
with --cgroup: the memory cgroup's files (docs/containers.md); a mount point /sys/X is \
read as DIR/X when MEMTOOLS_SYS_ROOT=DIR is set.",
        notes: "\
Where psutil issues a RuntimeWarning (a field it cannot find), meminfo prints the same \
text on stderr, without Python's file and line prefix. Where psutil raises an exception \
(a missing meminfo, a malformed line), meminfo prints one line, meminfo: MESSAGE, \
instead of a traceback, after the same partial output on stdout, and exits 1. The script \
ignores any arguments; meminfo rejects unknown ones. `--json` (memtools) prints one JSON \
object with psutil's field names, sizes in bytes. See docs/meminfo.md.

`--cgroup[=DIR]` (memtools) shows a memory cgroup's memory instead of the host's: \
what the script prints inside that cgroup when LXCFS serves /proc/meminfo (only meminfo \
is the cgroup's; vmstat and zoneinfo stay the host's, as under LXCFS). Errors are \
`meminfo: --cgroup: ...`, exit status 1. See docs/containers.md.",
        exit_status: "\
0 on success (warnings included); 1 on a usage error, when the data cannot be read or \
parsed, or on a write error.",
        see_also: "",
    },
    ..Spec::EMPTY
};
