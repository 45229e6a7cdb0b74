//! The hand-written parts of the man pages (DESCRIPTION, FILES, NOTES, EXIT STATUS, SEE
//! ALSO), in a tiny markup turned into roff by [`to_roff`]:
//!
//! * paragraphs are separated by an empty line;
//! * a paragraph starting with `- ` is a bullet item;
//! * a paragraph starting with `@` is a tagged item: its first line (after `@`) is the tag,
//!   set in bold, the rest the body;
//! * in running text, `` `code` `` is set in bold.
//!
//! The facts come from docs/*.md, which has the details and the reasons.

use clap_mangen::roff::{bold, roman, Inline, Roff};

/// One applet's hand-written sections.
pub struct Page {
    pub description: &'static str,
    pub files: &'static str,
    pub notes: &'static str,
    pub exit_status: &'static str,
    pub see_also: &'static str,
}

const FREE: Page = Page {
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
instead, so a copied /proc can be shown as procps would show it on its machine.",
    notes: "\
Differences from procps-ng 4.0.2 free:

- `-L`, `--line` (from 4.0.4) prints one line per report. Because of it, `--l` is \
ambiguous (4.0.2 took it as `--lohi`), and getopt's ambiguity lists name `--line` after \
`--lohi`.

- `--json` (memtools) prints one JSON object per report, every size in bytes; the unit \
options do not apply to it. Its only effect on other arguments: the usage text has one \
more line, and the ambiguity list of `--=` ends with `--json`. See docs/json.md.

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
meminfo, or a failed write to standard output.",
    see_also: "pmap(1), vm_stat(1), vmmap(1), memory-user(1), memtools(1), proc(5)",
};

const PMAP: Page = Page {
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
    see_also: "free(1), vmmap(1), vm_stat(1), memory-user(1), memtools(1), proc(5)",
};

const VM_STAT: Page = Page {
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
    see_also: "free(1), vmmap(1), pmap(1), memory-user(1), memtools(1)",
};

const VMMAP: Page = Page {
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
    see_also: "pmap(1), vm_stat(1), free(1), memory-user(1), memtools(1)",
};

const MEMORY_USER: Page = Page {
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
MEMTOOLS_PROC_ROOT when set).",
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
    see_also: "free(1), pmap(1), vm_stat(1), vmmap(1), memtools(1)",
};

const MEMTOOLS: Page = Page {
    description: "\
`memtools` is one binary holding free(1) and pmap(1) (procps-ng), vm_stat(1) and vmmap(1) \
(macOS) and memory-user(1) (the OSTEP homework program), for Linux and macOS. Each applet \
reproduces its original's options, output bytes, messages and exit statuses.

Run an applet as `memtools APPLET ARGS`, or through a link named after it (`free -h`): \
the applet is taken from the basename of argv[0]. `memtools --install-links DIR` creates \
those links; the install command (make install) creates them with the man pages and shell \
completions.",
    files: "\
@MEMTOOLS_PROC_ROOT
read DIR/... instead of /proc/... on Linux: a copied /proc from another \
machine is shown as it would be shown there.

@MEMTOOLS_SYS_ROOT
vm_stat reads zram statistics below this directory instead of /sys.",
    notes: "\
Every applet has a `--json` option for scripts (sizes in bytes, a schema_version \
field); docs/json.md documents every field.

macOS support is compile-checked, not run: no macOS machine was available to the \
project.",
    exit_status: "\
The applet's exit status. `memtools` alone: 0 for --list, --help and --version, 1 for an \
unknown applet or a failed --install-links.",
    see_also: "free(1), pmap(1), vm_stat(1), vmmap(1), memory-user(1), smem(1)",
};

const SMEM: Page = Page {
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

Differences from smem 1.5: `--pie` and `--bar` write the chart as SVG on standard output \
instead of opening a matplotlib window; where smem stops with a Python traceback \
(avguss, a malformed smaps in the user or map view, a meminfo without the lines it needs) \
memtools prints one line `smem: ...` and exits 1; regular expressions are the Rust regex \
crate's. docs/smem.md lists every rule and difference.

`--json` (memtools) prints one JSON object per row, sizes in bytes. `--fast` (memtools) \
reads smaps_rollup instead of smaps: one file per process, several times faster, but its \
PSS is summed in the kernel with more precision, so it may differ from smem's by a few kB.",
    files: "\
@/proc/PID/smaps, cmdline, stat, /proc/meminfo
read below MEMTOOLS_PROC_ROOT when set, or below SOURCE/proc with -S SOURCE. The user is \
the owner of /proc/PID.

@/etc/passwd
user names (memtools is static and has no NSS; MEMTOOLS_PASSWD names another file).",
    notes: "\
Processes that exit or cannot be read are left out, as are kernel threads (empty command \
line). MEMTOOLS_PROC_OWNERS names a file of `PID UID` lines giving the owners of a \
snapshot's PID directories. The macOS build prints that smem is not supported there.",
    exit_status: "\
0 on success, and when /proc or meminfo cannot be read or standard output fails (smem \
exits quietly then); 2 on a usage error; 255 for an unknown field or column, or -R \
without a unit; 1 where smem 1.5 dies with a traceback, and on macOS.",
    see_also: "free(1), pmap(1), vmmap(1), memtools(1), proc(5)",
};

/// The hand-written sections of an applet's page.
pub fn page(applet: &str) -> Option<&'static Page> {
    Some(match applet {
        "free" => &FREE,
        "pmap" => &PMAP,
        "vm_stat" => &VM_STAT,
        "vmmap" => &VMMAP,
        "memory-user" => &MEMORY_USER,
        "smem" => &SMEM,
        "memtools" => &MEMTOOLS,
        _ => return None,
    })
}

/// Running text with `` `code` `` set in bold.
fn inlines(text: &str) -> Vec<Inline> {
    let mut v = Vec::new();
    for (i, part) in text.split('`').enumerate() {
        if part.is_empty() {
            continue;
        }
        v.push(if i % 2 == 1 { bold(part) } else { roman(part) });
    }
    v
}

/// One section in roff.
pub fn to_roff(title: &str, text: &str) -> String {
    let mut r = Roff::new();
    r.control("SH", [title]);
    for (n, para) in text.split("\n\n").enumerate() {
        let para = para.trim();
        if let Some(item) = para.strip_prefix("- ") {
            r.control("IP", ["\\(bu", "2"]);
            r.text(inlines(item));
        } else if let Some(tagged) = para.strip_prefix('@') {
            let (tag, body) = tagged.split_once('\n').unwrap_or((tagged, ""));
            r.control("TP", [] as [&str; 0]);
            r.text([bold(tag)]);
            r.text(inlines(body));
        } else {
            if n > 0 {
                r.control("PP", [] as [&str; 0]);
            }
            r.text(inlines(para));
        }
    }
    r.render()
}
