//! free's command line and documentation, defined once (memtools_core::opts): the getopt
//! tables, the usage text (procps-ng 4.0.4's, byte for byte, plus memtools' `--json`
//! line), the man page and the completions all come from [`SPEC`].

use memtools_core::opts::{Item, Man, Opt, Spec, HELP, VERSION};

#[rustfmt::skip]
pub const SPEC: Spec = Spec {
    name: "free",
    about: "Display amount of free and used memory in the system",
    synopsis: "[options]",
    usage_head: "\nUsage:\n free [options]\n\nOptions:\n",
    usage_foot: "\nFor more details see free(1).\n",
    items: &[
        Item::Group(21),
        Item::Opt(Opt::flag(b'b', "bytes", "show output in bytes")),
        Item::Opt(Opt::long("kilo", "show output in kilobytes")),
        Item::Opt(Opt::long("mega", "show output in megabytes")),
        Item::Opt(Opt::long("giga", "show output in gigabytes")),
        Item::Opt(Opt::long("tera", "show output in terabytes")),
        Item::Opt(Opt::long("peta", "show output in petabytes")),
        Item::Opt(Opt::flag(b'k', "kibi", "show output in kibibytes").doc("show output in kibibytes (the default)")),
        Item::Opt(Opt::flag(b'm', "mebi", "show output in mebibytes")),
        Item::Opt(Opt::flag(b'g', "gibi", "show output in gibibytes")),
        Item::Opt(Opt::long("tebi", "show output in tebibytes")),
        Item::Opt(Opt::long("pebi", "show output in pebibytes")),
        Item::Opt(Opt::flag(b'h', "human", "show human-readable output").doc("show human-readable output (units B, Ki, Mi, Gi, Ti, Pi)")),
        Item::Opt(Opt::long("si", "use powers of 1000 not 1024")),
        Item::Opt(Opt::flag(b'l', "lohi", "show detailed low and high memory statistics")),
        Item::Opt(Opt::flag(b'L', "line", "show output on a single line").doc("show output on a single line (procps-ng 4.0.4)")),
        Item::Opt(Opt::flag(b't', "total", "show total for RAM + swap").doc("show a total for RAM + swap")),
        Item::Opt(Opt::flag(b'v', "committed", "show committed memory and commit limit")),
        Item::Opt(Opt::flag(b's', "seconds", "repeat printing every N seconds").value("N", " -s N, --seconds N")),
        Item::Opt(Opt::flag(b'c', "count", "repeat printing N times, then exit").value("N", " -c N, --count N")),
        Item::Opt(Opt::flag(b'w', "wide", "wide output").doc("wide output: buffers and cache in separate columns")),
        Item::Opt(Opt::long("json", "print JSON, sizes in bytes (memtools)").doc("print one JSON object per report, sizes in bytes (memtools; see docs/json.md)")),
        Item::Opt(memtools_platform::cgroup::option("show the memory of the calling process's memory cgroup, or of the cgroup directory DIR, as LXCFS shows it inside a container (memtools; see docs/containers.md)")),
        Item::Group(16),
        // -h is --human: --help has no short form.
        Item::Opt(Opt::long("help", HELP.help)),
        Item::Opt(VERSION),
    ],
    // procps-ng's table order; `line` sits after `lohi`, as in the help text; memtools'
    // `json` and `cgroup` come last, so the only ambiguity lists they change are those of
    // prefixes of "json" and "cgroup" (docs/free.md).
    long_table: &[
        "bytes",
        "kilo",
        "mega",
        "giga",
        "tera",
        "peta",
        "kibi",
        "mebi",
        "gibi",
        "tebi",
        "pebi",
        "human",
        "si",
        "lohi",
        "line",
        "total",
        "committed",
        "seconds",
        "count",
        "wide",
        "help",
        "version",
        "json",
        "cgroup",
    ],
    man: Man {
        description: "\
`free` displays the total amount of free and used physical memory and swap in the system, \
and the buffers and caches used by the kernel. On Linux the numbers come from \
/proc/meminfo, read exactly as procps-ng 4.0.2 reads it; on macOS from sysctl hw.memsize, \
host_statistics64 and vm.swapusage.

This is memtools' free: it prints the same bytes as procps-ng 4.0.2 free for the same \
/proc/meminfo, with the same messages and exit statuses, plus -L/--line from 4.0.4 and \
--json.

@total
Installed memory (MemTotal) and swap (SwapTotal).

@used
MemTotal - available. If that is negative, MemTotal - MemFree (printed even when it is \
still negative, as procps does).

@free
Unused memory (MemFree, SwapFree).

@shared
Memory used mostly by tmpfs and shared memory (Shmem).

@buffers
Memory used by kernel buffers (Buffers).

@cache
Memory used by the page cache and reclaimable slabs (Cached + SReclaimable).

@buff/cache
Sum of buffers and cache.

@available
An estimate of how much memory is available for starting new applications without \
swapping (MemAvailable; MemFree on kernels before 3.14 or when MemAvailable exceeds \
MemTotal).",
        files: "\
@/proc/meminfo
memory information (Linux). With MEMTOOLS_PROC_ROOT=DIR set, DIR/meminfo is read \
instead, so a copied /proc can be shown as procps would show it on its machine.
@/sys/fs/cgroup
with --cgroup: the memory cgroup's files (v1: memory.limit_in_bytes, memory.usage_in_bytes, \
memory.memsw.*, memory.swappiness, memory.stat; v2: memory.max, memory.current, \
memory.swap.max, memory.swap.current, memory.stat), found through /proc/self/cgroup and \
/proc/self/mountinfo. With MEMTOOLS_SYS_ROOT=DIR set, a mount point /sys/X is read as DIR/X.",
        notes: "\
Differences from procps-ng 4.0.2 free:

- `-L`, `--line` (from 4.0.4) prints one line per report. Because of it, `--l` is \
ambiguous (4.0.2 took it as `--lohi`), and getopt's ambiguity lists name `--line` after \
`--lohi`.

- `--json` (memtools) prints one JSON object per report, every size in bytes; the unit \
options do not apply to it. Its only effect on other arguments: the usage text has one \
more line, and the ambiguity list of `--=` ends with `--json`. See docs/json.md.

- `--cgroup[=DIR]` (memtools) shows the memory of a memory cgroup instead of the host's: \
exactly what procps free prints inside that cgroup when LXCFS's meminfo is mounted over \
/proc/meminfo. Without DIR, the cgroup of the calling process; with DIR, that cgroup \
directory. Errors (DIR not a memory cgroup, damaged or unreadable cgroup files, no memory \
cgroup) are reported as `free: --cgroup: ...`, exit status 1. It comes last in the \
long-option table, after `json`: the ambiguity lists of `--c` and `--=` end with \
`--cgroup`. See docs/containers.md.

- `-V` prints `free from memtools VERSION`.

- A failed write while repeating stops at once (procps keeps looping and reports at exit); \
meminfo is read for every report (procps re-reads it at most once a second); intervals of \
4295 seconds or more are slept in full (procps wraps them at 2^32 microseconds); texts \
are always the C locale's.

On macOS there is no /proc/meminfo: total is hw.memsize; used is Activity Monitor's \
\"Memory Used\" (app memory + wired + compressed), so available is total - used; free is \
free pages minus speculative pages; shared and buffers are 0; cache is file-backed plus \
purgeable pages; swap comes from vm.swapusage; Comm is 0. The macOS build is \
compile-checked, not run.",
        exit_status: "\
0 on success; 1 on a usage error, a bad -s or -c value, two unit options, an unreadable \
meminfo, a cgroup that cannot be read (--cgroup), or a failed write to standard output.",
        see_also: "proc(5)",
    },
    ..Spec::EMPTY
};

#[cfg(test)]
mod tests {
    /// The usage text is procps-ng 4.0.4's (4.0.2's plus `-L`) plus the `--json` line; the
    /// goldens recorded from 4.0.2 check it too (tests/test_free.rs).
    #[test]
    fn usage_is_procps() {
        let u = super::SPEC.usage();
        assert!(u.starts_with(
            "\nUsage:\n free [options]\n\nOptions:\n -b, --bytes         show output in bytes\n"
        ));
        assert!(u.contains(" -s N, --seconds N   repeat printing every N seconds\n"));
        assert!(u.ends_with("     --json          print JSON, sizes in bytes (memtools)\n     --cgroup[=DIR]  show a memory cgroup's memory (memtools)\n\n     --help     display this help and exit\n -V, --version  output version information and exit\n\nFor more details see free(1).\n"));
        assert_eq!(super::SPEC.optstring(), "bkmghlLtvs:c:wV");
    }
}
