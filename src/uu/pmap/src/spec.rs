//! pmap's command line and documentation, defined once (memtools_core::opts): the getopt
//! tables, the usage text (procps-ng 4.0.6's, byte for byte, plus memtools' `--json` line),
//! the man page and the completions all come from [`SPEC`].

use memtools_core::opts::{Hint, Item, Man, Operand, Opt, Spec, HELP, VERSION};

#[rustfmt::skip]
pub const SPEC: Spec = Spec {
    name: "pmap",
    about: "Report memory map of a process",
    synopsis: "[options] pid [pid ...]",
    usage_head: "\nUsage:\n pmap [options] PID [PID ...]\n\nOptions:\n",
    usage_foot: "\nFor more details see pmap(1).\n",
    items: &[
        Item::Group(29),
        Item::Opt(Opt::flag(b'x', "extended", "show details").doc("show details (the extended format, from smaps)")),
        Item::Opt(Opt::short(b'X', "show even more details").doc("show even more details: the smaps fields in kernel order (WARNING: the format changes with /proc/PID/smaps); -XX shows everything the kernel provides")),
        Item::Text("            WARNING: format changes according to /proc/PID/smaps"),
        Item::Opt(Opt::doc_only(" -XX", "show everything the kernel provides")),
        Item::Opt(Opt::flag(b'c', "read-rc", "read the default rc").doc("read the default rc file (~/.pmaprc)")),
        Item::Opt(Opt::flag(b'C', "read-rc-from", "read the rc from file").value("file", " -C, --read-rc-from=<file>").hint(Hint::File)),
        Item::Opt(Opt::flag(b'n', "create-rc", "create new default rc").doc("create a new default rc file (~/.pmaprc); no pid arguments")),
        Item::Opt(Opt::flag(b'N', "create-rc-to", "create new rc to file").value("file", " -N, --create-rc-to=<file>").doc("create a new rc file; no pid arguments").hint(Hint::File)),
        Item::Text("            NOTE: pid arguments are not allowed with -n, -N"),
        Item::Opt(Opt::flag(b'd', "device", "show the device format")),
        Item::Opt(Opt::flag(b'q', "quiet", "do not display header and footer")),
        Item::Opt(Opt::flag(b'p', "show-path", "show path in the mapping").doc("show the full path in the mapping column")),
        Item::Opt(Opt::flag(b'k', "use-kernel-name", "use names provided by kernel").doc("use names provided by the kernel (procps-ng 4.0.6)")),
        Item::Opt(Opt::flag(b'A', "range", "limit results to the given range").value("low,high", " -A, --range=<low>[,<high>]").doc("limit results to the given address range (hex; low and high are one argument, separated by a comma; either may be left out)"),
        ),
        Item::Opt(Opt::short(b'r', "ignored (SunOS compatibility), with a warning").not_in_usage()),
        Item::Opt(Opt::long("json", "print JSON, sizes in bytes (memtools)").doc("print one JSON object per PID, sizes in bytes (memtools; see docs/json.md)")),
        Item::Group(16),
        Item::Opt(HELP),
        Item::Opt(VERSION),
    ],
    // procps-ng's table order (it shows in ambiguity messages); memtools' `json` comes
    // last, so the only ambiguity lists it changes are those of prefixes of "json".
    long_table: &[
        "extended",
        "device",
        "quiet",
        "range",
        "help",
        "version",
        "read-rc",
        "read-rc-from",
        "create-rc",
        "create-rc-to",
        "show-path",
        "use-kernel-name",
        "json",
    ],
    operands: &[Operand {
        name: "pid",
        required: true,
        repeated: true,
        hint: Hint::Pid,
        help: "process ids (or /proc/PID)",
    }],
    man: Man {
        description: "\
`pmap` reports the memory map of one or more processes: one line per mapping with its \
address, size and mapping name, and in the extended formats the resident, dirty, swapped \
and other per-mapping figures the kernel keeps in /proc/PID/smaps.

This is memtools' pmap, reproducing procps-ng 4.0.2 pmap byte for byte (default, -x, -d, \
-X, -XX and the rc-file formats), with fixes from 4.0.4/4.0.5 and -k/--use-kernel-name \
from 4.0.6. On macOS the regions come from mach_vm_region_recurse and libproc.

@Kbytes, Size
virtual size of the mapping (end - start).

@RSS, Rss
resident set: pages of the mapping in RAM now (smaps Rss).

@Dirty
pages written since they were read or last written back (Shared_Dirty + Private_Dirty).

@PSS, Pss
proportional set size: each resident page divided by the number of processes mapping it.

@Swap
pages of the mapping swapped out (zswap included).

@Mode, Perm
r, w, x, and s (shared) or p (private).",
        files: "\
@/proc/PID/maps, /proc/PID/smaps
the mappings and their figures (Linux); /proc/PID/stat, status and cmdline for the \
header. MEMTOOLS_PROC_ROOT=DIR reads DIR/PID/... instead.

@~/.pmaprc
the rc file of -c and -n (-C and -N name another file).",
        notes: "\
memtools follows procps-ng 4.0.2 (see docs/pmap.md for the complete list of deliberate \
differences): -k/--use-kernel-name comes from 4.0.6, and some output fixes from 4.0.4 and \
4.0.5. -V prints `pmap from memtools VERSION`. --json (a memtools addition) prints one \
JSON object per PID instead of the text: the process, the rows of the chosen format with \
sizes in bytes, and the footer's totals; docs/json.md documents every field.

On Linux every figure is the kernel's own, from smaps. On macOS, which has no smaps, \
resident and dirty sizes come from mach_vm_region_recurse's page counts and the names \
from libproc; the macOS build is compile-checked, not run.",
        exit_status: "\
0 on success; 1 on a usage error or when maps/smaps of a process could not be read; 42 \
when a PID was not found, 43 for both.",
        see_also: "proc(5)",
    },
    ..Spec::EMPTY
};
