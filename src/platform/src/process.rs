//! Another process's memory map and the facts a report header shows about it, as plain
//! data. [`crate::sys::process_map`] fills [`ProcessMap`] in the terms of the OS that
//! describes the process (Linux `/proc` files, macOS mach and libproc); applets turn either
//! form into their report with pure code, which the Linux tests exercise for both.

use crate::darwin::ProcArchInfo;
use crate::procmaps::MachRegionInfo;

/// A process's memory map, in the terms of the OS that gave it.
#[derive(Clone, Debug)]
pub enum ProcessMap {
    /// Linux: read from `/proc/PID` below the snapshot root.
    Procfs(Box<ProcfsProcess>),
    /// macOS: from `mach_vm_region_recurse` and libproc.
    Mach(Box<MachProcess>),
}

/// Why [`crate::sys::process_map`] could not read a process's map.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MapError {
    /// No such process (or it exited while being read).
    NotRunning,
    /// It exists but may not be read. `name` is its name, `???` when unknown.
    Denied { name: String },
    /// Reading its map failed part-way (macOS: a kernel status other than the end of the
    /// map from `mach_vm_region_recurse`); `reason` says where and why.
    Unreadable { name: String, reason: String },
}

/// One `/proc/PID/smaps` entry with the figures memory reports use (sizes in kB, as smaps
/// prints them; a field the kernel did not print is 0). Its texts are the kernel's bytes;
/// [`SmapsEntry::map_text`] gives a copy with other texts (vmmap's `String`s).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SmapsEntry<T = Vec<u8>> {
    pub start: u64,
    pub end: u64,
    /// `rwxp` / `rw-s` etc.
    pub perms: [u8; 4],
    pub inode: u64,
    /// The name column: a path, `[heap]`, `[anon:NAME]`, or empty.
    pub name: T,
    pub rss: u64,
    pub private_dirty: u64,
    pub shared_dirty: u64,
    pub shared_clean: u64,
    pub anonymous: u64,
    pub swap: u64,
    pub lazy_free: u64,
    /// The `VmFlags:` tokens (`rd wr mr mw me ...`), if the kernel printed them.
    pub vm_flags: Option<T>,
}

impl<T> SmapsEntry<T> {
    /// The same entry with its name and flags converted by `text`.
    pub fn map_text<U>(self, text: impl Fn(T) -> U) -> SmapsEntry<U> {
        SmapsEntry {
            start: self.start,
            end: self.end,
            perms: self.perms,
            inode: self.inode,
            name: text(self.name),
            rss: self.rss,
            private_dirty: self.private_dirty,
            shared_dirty: self.shared_dirty,
            shared_clean: self.shared_clean,
            anonymous: self.anonymous,
            swap: self.swap,
            lazy_free: self.lazy_free,
            vm_flags: self.vm_flags.map(text),
        }
    }
}

/// A Linux process as `/proc/PID` describes it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProcfsProcess {
    /// `comm`, or the name in `stat` when `comm` is unreadable.
    pub name: String,
    /// The parent's pid (`stat` field 4; 0 when it does not fit).
    pub ppid: u32,
    /// The parent's `comm`, `None` when unreadable.
    pub parent: Option<String>,
    /// The executable (`exe` link, without ` (deleted)`).
    pub exe: Option<Vec<u8>>,
    /// ELF class (32 or 64) and `e_machine` of the executable, when it is ELF.
    pub elf: Option<(u32, u16)>,
    /// `uname -m` of this machine.
    pub machine: String,
    /// Every smaps entry, in address order.
    pub vmas: Vec<SmapsEntry>,
    /// Each thread's user stack pointer while it is blocked in a system call
    /// (`task/TID/syscall`), `None` while it runs; in thread-id order.
    pub stack_pointers: Vec<Option<u64>>,
    /// `VmPTE` and `VmHWM` from `status`, kB.
    pub vm_pte_kb: Option<u64>,
    pub vm_hwm_kb: Option<u64>,
    /// The start time, milliseconds since the epoch (boot time plus `stat`'s `starttime`).
    pub start_ms: Option<u64>,
    /// This machine's page size, bytes.
    pub page_size: u64,
}

/// A macOS process as mach and libproc describe it.
#[derive(Clone, Debug, Default)]
pub struct MachProcess {
    pub facts: ProcFacts,
    pub map: MachMap,
    /// The parent's short name (`proc_name`), empty when unavailable.
    pub parent: Vec<u8>,
}

/// A task's address space as mach reports it.
#[derive(Clone, Debug, Default)]
pub struct MachMap {
    /// Every region, in address order.
    pub regions: Vec<MachRegionInfo>,
    /// The target map's page size (what vmmap prints as "VM page size"); 0 if unknown.
    pub map_page_size: u64,
    /// The page size the regions' page counts are in
    /// ([`crate::darwin::region_page_size`]).
    pub count_page_size: u64,
}

/// What a vmmap header needs about a macOS process (`proc_pidinfo(PROC_PIDTBSDINFO,
/// PROC_PIDARCHINFO)`, `sysctl(KERN_PROC_PID)`, `proc_pidpath`,
/// `proc_pid_rusage(RUSAGE_INFO_V4)`). Fields that cannot be read stay empty, 0 or `None`.
#[derive(Clone, Debug, Default)]
pub struct ProcFacts {
    pub comm: Vec<u8>,
    pub ppid: u32,
    pub start_sec: u64,
    pub start_usec: u64,
    pub path: Vec<u8>,
    pub footprint: u64,
    pub footprint_peak: u64,
    /// The CPU type and subtype of the process (not of memtools), if known.
    pub arch: Option<ProcArchInfo>,
    /// Running under Rosetta (`P_TRANSLATED`).
    pub translated: bool,
}
