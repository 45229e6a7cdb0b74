//! vmmap's command line and documentation, defined once (memtools_core::opts): the flag
//! words the parser accepts, the usage text (memtools' own: Apple publishes none), the man
//! page and the completions come from [`SPEC`]. vmmap's flags are words taking one or two
//! dashes (`-wide`, `--wide`), so `long` holds the word and `short` its one-letter form.

use memtools_core::opts::{Hint, Item, Man, Operand, Opt, Spec};

const fn word(short: u8, long: &'static str, left: &'static str, help: &'static str) -> Opt {
    Opt::flag(short, long, help).left(left)
}

const fn long_word(long: &'static str, left: &'static str, help: &'static str) -> Opt {
    Opt::long(long, help).left(left)
}

/// A word accepted for compatibility that changes nothing.
const fn no_effect(long: &'static str) -> Opt {
    Opt::long(long, "accepted, no effect").not_in_usage()
}

pub const SPEC: Spec = Spec {
    name: "vmmap",
    about: "Display the virtual memory regions of a process",
    synopsis: "[-s] [-w] [-v] [-pages] [-interleaved] [-submap] [-allSplitLibs] [-noCoalesce] \
               [-summary] [-json] pid | partial-executable-name [address]",
    usage_head: "Usage: vmmap [-s] [-w] [-v] [-pages] [-interleaved] [-submap] [-allSplitLibs] [-noCoalesce] [-summary] pid | partial-executable-name [address]\n",
    usage_foot: "Flags take one or two dashes and may come before or after the operand.\n",
    items: &[
        Item::Group(20),
        Item::Opt(word(b's', "sortBySize", "  -s, -sortBySize", "sort the summary by dirty+swapped size")),
        Item::Opt(word(b'w', "wide", "  -w, -wide", "do not truncate region details")),
        Item::Opt(word(
            b'v',
            "verbose",
            "  -v, -verbose",
            "same as -w -noCoalesce (and -submap -allSplitLibs, no-ops here)",
        )),
        Item::Opt(long_word("pages", "  -pages", "sizes in VM pages instead of bytes")),
        Item::Opt(long_word(
            "interleaved",
            "  -interleaved",
            "one region list in address order",
        )),
        Item::Opt(long_word(
            "noCoalesce",
            "  -noCoalesce",
            "do not merge adjacent identical regions",
        )),
        Item::Opt(long_word("summary", "  -summary", "only the header and the summary")),
        Item::Opt(
            long_word(
                "json",
                "  -json",
                "the report as one JSON object, sizes in bytes (memtools)",
            )
            .doc("the report as one JSON object, sizes in bytes (memtools; see docs/json.md)"),
        ),
        Item::Opt(no_effect("resident")),
        Item::Opt(no_effect("dirty")),
        Item::Opt(no_effect("purge")),
        Item::Opt(no_effect("submap")),
        Item::Opt(no_effect("allSplitLibs")),
        Item::Text("  -resident, -dirty, -purge, -submap, -allSplitLibs   accepted, no effect"),
        Item::Opt(Opt::flag(b'h', "help", "display help and exit").not_in_usage()),
    ],
    operands: &[
        Operand {
            name: "pid | partial-executable-name",
            required: true,
            repeated: false,
            hint: Hint::Pid,
            help: "the process: a pid, or part of exactly one process's name",
        },
        Operand {
            name: "address",
            required: false,
            repeated: false,
            hint: Hint::None,
            help: "hex address: show only the region holding it and its neighbours",
        },
    ],
    man: Man {
        description: "\
`vmmap` displays the virtual memory regions of a process in the layout of macOS's vmmap: \
a header, the non-writable and writable region tables, a legend, the summary totals, a \
per-type summary table and the MALLOC ZONE table. Flags take one or two dashes (-wide, \
--wide) and may come before or after the process.

On macOS the regions come from mach_vm_region_recurse and libproc. On Linux they come \
from /proc/PID/smaps and are mapped onto macOS's region types: images' text and data \
(__TEXT, __DATA, __DATA_CONST), MALLOC (the heap), Stack, shared memory, mapped file, \
VM_ALLOCATE (other anonymous memory).

@VSIZE
virtual size (end - start).

@RSDNT
resident bytes (smaps Rss).

@DIRTY
written bytes (Private_Dirty + Shared_Dirty).

@SWAP
swapped bytes (smaps Swap, zswap included; macOS: compressed or swapped).

@SHRMOD
sharing mode: COW, PRV (private), NUL (no pages), SHM (shared).",
    files: "\
@/proc/PID/smaps, maps, stat, status, comm, exe, task/*/syscall
the regions, the header facts and the threads' stacks (Linux), read below \
MEMTOOLS_PROC_ROOT when it is set.",
    notes: "\
Apple does not publish vmmap's source or usage text; the report layout follows real \
captures, and the usage text and usage exit status are memtools' own.

On Linux: Physical footprint is the sum of Anonymous and Swap over smaps plus the page \
tables (an approximation); its peak uses VmHWM; the MALLOC ZONE table is always empty \
(glibc arenas cannot be inspected from outside); ALI, S/A and ZER sharing modes never \
appear. docs/vmmap.md has the rules.

`--json` (or -json, memtools) prints the report as one JSON object, sizes in bytes. See \
docs/json.md. The macOS build is compile-checked, not run.",
    exit_status: "\
0 on success; 1 on a bad command line or a write error; 255 when the process cannot be \
examined (not running, ambiguous name, or permission denied).",
    see_also: "",
    },
    dash: "-",
    ..Spec::EMPTY
};
