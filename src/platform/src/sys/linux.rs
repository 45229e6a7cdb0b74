//! Linux: files below the snapshot root ([`crate::proc_root`]), a few system calls, and
//! the POSIX calls shared with macOS (`unix.rs`).

pub use super::unix::{
    catch_stop_signals, local_time_text, map_anonymous, page_size, signal_name, soft_limit,
    stdin_columns, stop_signal, symlink, terminal_width, unmap,
};

mod cgroup;
mod proctree;

/// The memory cgroup readers (`sys/linux/cgroup.rs`), behind [`crate::cgroup`]'s `read`,
/// `usage_now` and `meminfo`.
pub use cgroup::{meminfo as cgroup_meminfo, read as cgroup_read, usage_now as cgroup_usage_now};

/// smem's `/proc` tree reader (`sys/linux/proctree.rs`), behind [`crate::proctree`].
pub use proctree::{open as proc_tree, run_size, user_names};

use crate::meminfo::{MemInfo, MemInfoError, MEMINFO_READ_LIMIT};
use crate::process::{MapError, ProcessMap, ProcfsProcess, SmapsEntry};
use crate::procmaps::scan::{MapsRecord, MapsSource, Scanner};
use crate::procmaps::{self, MapRecords, PidMaps, Region};
use crate::selfmem::{parse_linux_status, SelfMemory, LINUX_SELF_STATUS};
use crate::sysmem::SystemMemory;
use crate::vmstat::{from_linux, parse_key_values, zram_orig_bytes, zram_sys_root};
use crate::vmstat::{LinuxSources, VmCounters, VmStatError};
use crate::{procinfo, sys};
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// The largest process id (`pid_t` values are positive; memtools keeps them as `u32`).
pub const PID_MAX: u32 = u32::MAX;

/// Reads at most `limit` bytes with a single `read()` call, as procps does for meminfo.
fn read_once(path: &Path, limit: usize) -> io::Result<Vec<u8>> {
    let mut f = File::open(path)?;
    let mut buf = vec![0u8; limit];
    let n = loop {
        match f.read(&mut buf) {
            Ok(n) => break n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    };
    buf.truncate(n);
    Ok(buf)
}

/// `free`'s counters: `/proc/meminfo`, read and parsed as procps-ng 4.0.x reads it.
pub fn meminfo() -> Result<MemInfo, MemInfoError> {
    let path = crate::proc_root().join("meminfo");
    match read_once(&path, MEMINFO_READ_LIMIT) {
        Ok(data) if data.is_empty() => Err(MemInfoError::Unreadable(io::Error::from_raw_os_error(
            libc::EIO,
        ))),
        Ok(data) => Ok(MemInfo::parse_procps(&data)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Err(MemInfoError::NotFound(path)),
        Err(e) => Err(MemInfoError::Unreadable(e)),
    }
}

/// This process's resident size now and at its peak: `VmRSS` and `VmHWM` of the live
/// `/proc/self/status` (never below the snapshot root: see [`crate::selfmem`]).
pub fn self_memory() -> io::Result<SelfMemory> {
    let data = std::fs::read(LINUX_SELF_STATUS)?;
    parse_linux_status(&data).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            "no VmRSS line in /proc/self/status",
        )
    })
}

/// vm_stat's counters: `/proc/vmstat`, `/proc/meminfo` and the zram devices, mapped by
/// [`from_linux`].
pub fn vm_counters() -> Result<VmCounters, VmStatError> {
    let root = crate::proc_root();
    let path = root.join("vmstat");
    let data = match std::fs::read(&path) {
        Ok(d) => d,
        Err(e) => return Err(VmStatError::Unreadable(path, e)),
    };
    if data.is_empty() {
        return Err(VmStatError::Empty(path));
    }
    let vmstat = parse_key_values(&data);
    // Every kernel's /proc/vmstat has nr_free_pages (since 2.6.x). Without it the file is
    // damaged or not a vmstat file at all, and printing zeros would pass garbage off as a
    // result.
    if !vmstat.contains_key("nr_free_pages") {
        return Err(VmStatError::Malformed(path));
    }
    // meminfo is optional: without it MemTotal, Zswap and Zswapped count as 0.
    let meminfo = std::fs::read(root.join("meminfo")).unwrap_or_default();
    Ok(from_linux(&LinuxSources {
        vmstat,
        meminfo: parse_key_values(&meminfo),
        zram_orig_bytes: zram_sys_root().map_or(0, |s| zram_orig_bytes(&s)),
        page_size: page_size(),
    }))
}

/// psutil's system memory: the files below the snapshot root, read by the applet as psutil
/// reads them (`crate::sysmem`), and [`sysinfo_swap`].
pub fn system_memory() -> io::Result<SystemMemory> {
    Ok(SystemMemory::Procfs)
}

/// `sysinfo(2)`'s swap total and free, in bytes (`totalswap` and `freeswap` times
/// `mem_unit`; the product of a C `unsigned long` and `unsigned int` cannot overflow 128
/// bits). This is always the live machine's: psutil asks the kernel even when it reads a
/// copied /proc.
pub fn sysinfo_swap() -> io::Result<(u128, u128)> {
    // SAFETY: an all-zero `struct sysinfo` is a valid value (plain integers).
    let mut si: libc::sysinfo = unsafe { std::mem::zeroed() };
    // SAFETY: `si` is a valid, writable `struct sysinfo`.
    if unsafe { libc::sysinfo(&mut si) } != 0 {
        return Err(io::Error::last_os_error());
    }
    let unit = si.mem_unit as u128;
    Ok((si.totalswap as u128 * unit, si.freeswap as u128 * unit))
}

/// Locks `words` in memory. With `on_fault`, `mlock2(MLOCK_ONFAULT)` locks pages as they
/// are first touched; kernels before 4.4 have no mlock2 (ENOSYS) or no MLOCK_ONFAULT
/// (EINVAL), and then (as without `on_fault`) `mlock` faults everything in now.
pub fn lock(words: &[u64], on_fault: bool) -> io::Result<()> {
    if on_fault {
        // SAFETY: the range is a live slice; locking does not change its contents.
        let rc = unsafe {
            libc::mlock2(
                words.as_ptr() as *const libc::c_void,
                size_of_val(words),
                libc::MLOCK_ONFAULT,
            )
        };
        if rc == 0 {
            return Ok(());
        }
        let e = io::Error::last_os_error();
        if !matches!(e.raw_os_error(), Some(libc::ENOSYS | libc::EINVAL)) {
            return Err(e);
        }
    }
    super::unix::mlock(words)
}

/// Asks for transparent huge pages under `words` (`madvise(MADV_HUGEPAGE)`).
pub fn advise_hugepages(words: &[u64]) -> io::Result<()> {
    // SAFETY: the range is a live slice; this advice does not change its contents.
    let rc = unsafe {
        libc::madvise(
            words.as_ptr() as *mut libc::c_void,
            size_of_val(words),
            libc::MADV_HUGEPAGE,
        )
    };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Faults the pages under `words` in for writing in one call
/// (`madvise(MADV_POPULATE_WRITE)`, Linux 5.14+); `false` when the kernel cannot.
pub fn populate_write(words: &mut [u64]) -> bool {
    if words.is_empty() {
        return true;
    }
    // SAFETY: the range is a live, exclusively borrowed slice (callers pass whole pages of
    // a mapping); populating does not change the contents.
    let rc = unsafe {
        libc::madvise(
            words.as_mut_ptr() as *mut libc::c_void,
            size_of_val(words),
            libc::MADV_POPULATE_WRITE,
        )
    };
    rc == 0
}

/// The device minor number SysV shared memory shows in `maps` on the live system, found as
/// procps-ng's pmap finds it: attach a private segment and look for it in this process's
/// own `/proc/self/maps` (the real one, not the snapshot root: the answer describes the
/// running kernel). `None` when SysV IPC is unavailable.
pub fn sysv_shm_minor() -> Option<u32> {
    // SAFETY: shmget has no memory preconditions; IPC_PRIVATE always makes a new segment.
    let id = unsafe { libc::shmget(libc::IPC_PRIVATE, 42, libc::IPC_CREAT | 0o666) };
    if id < 0 {
        return None;
    }
    // SAFETY: `id` is a segment we own; a null address lets the kernel choose where.
    let addr = unsafe { libc::shmat(id, std::ptr::null(), libc::SHM_RDONLY) };
    let mut minor = None;
    if addr as isize != -1 {
        let a = addr as u64;
        if let Ok(maps) = std::fs::read("/proc/self/maps") {
            for line in maps.split(|&b| b == b'\n') {
                let Some(r) = procmaps::parse_maps_line(line) else {
                    continue;
                };
                if r.start <= a
                    && r.dev_major == 0
                    && r.perms[3] == b's'
                    && line.windows(5).any(|w| w == b"/SYSV")
                {
                    minor = Some(r.dev_minor);
                    break;
                }
            }
        }
        // SAFETY: `addr` is the attachment made above and nothing refers to it any more.
        if unsafe { libc::shmdt(addr) } != 0 {
            perror("shared memory detach");
        }
    }
    // SAFETY: removing our own private segment; a null buffer is allowed for IPC_RMID.
    if unsafe { libc::shmctl(id, libc::IPC_RMID, std::ptr::null_mut()) } != 0 {
        perror("shared memory remove");
    }
    minor
}

/// C `perror`.
fn perror(what: &str) {
    let e = io::Error::last_os_error();
    memtools_core::out::eprintln_raw(&format!("{what}: {}", memtools_core::out::io_strerror(&e)));
}

/// Clock ticks per second (`sysconf(_SC_CLK_TCK)`; 100 if that fails).
fn clock_ticks() -> u64 {
    // SAFETY: sysconf has no preconditions.
    let n = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if n > 0 {
        n as u64
    } else {
        100
    }
}

fn uname_field(f: impl Fn(&libc::utsname) -> &[libc::c_char; 65]) -> String {
    // SAFETY: utsname is plain old data; uname fills it and NUL-terminates each field.
    unsafe {
        let mut u: libc::utsname = std::mem::zeroed();
        if libc::uname(&mut u) != 0 {
            return String::new();
        }
        let field = f(&u);
        std::ffi::CStr::from_ptr(field.as_ptr())
            .to_string_lossy()
            .into_owned()
    }
}

/// This machine's system for report headers: "NAME VERSION_ID (kernel release)" from
/// `/etc/os-release` and `uname`, e.g. `Debian GNU/Linux 12 (6.1.0)`.
pub fn os_version() -> String {
    let rel = std::fs::read_to_string("/etc/os-release").unwrap_or_default();
    let get = |k: &str| {
        rel.lines()
            .find_map(|l| l.strip_prefix(k)?.strip_prefix('='))
            .map(|v| v.trim_matches('"').to_string())
    };
    let name = get("NAME").unwrap_or_else(|| "Linux".into());
    let ver = get("VERSION_ID");
    let kernel = uname_field(|u| &u.release);
    match ver {
        Some(v) => format!("{name} {v} ({kernel})"),
        None => format!("{name} ({kernel})"),
    }
}

/// Every process id (the numeric entries of the snapshot root).
pub fn pids() -> Vec<u32> {
    procinfo::all_pids()
}

/// The names a process can be looked up by: its `comm` and its executable's file name
/// (`comm` is cut at 15 bytes).
pub fn process_names(pid: u32) -> Vec<String> {
    let comm = procinfo::comm(pid);
    let exe = procinfo::exe_path(pid).ok().map(|e| {
        let base = e.rsplit(|&b| b == b'/').next().unwrap_or(&e);
        String::from_utf8_lossy(base).into_owned()
    });
    comm.into_iter().chain(exe).collect()
}

/// True when `PROC_ROOT/PID` exists.
pub fn process_exists(pid: u32) -> bool {
    procmaps::pid_dir_exists(pid)
}

/// The process's short name (`comm`), empty when unreadable.
pub fn process_comm(pid: u32) -> Vec<u8> {
    procinfo::comm(pid)
        .map(String::into_bytes)
        .unwrap_or_default()
}

/// The argument vector, NUL-terminated strings (`cmdline`); empty when unreadable.
pub fn process_cmdline(pid: u32) -> Vec<u8> {
    procmaps::read_cmdline(pid, usize::MAX)
}

/// A process as pmap reads it from `PROC_ROOT/PID`: not found when the directory is
/// missing or `stat` cannot be read or is empty; a thread id shows its leader's map
/// (`Tgid:` of `status`); `cmdline` up to `cmdline_max` bytes; the leader's `smaps` (or
/// `maps`) opened for the scanner, with C stdio's error rule.
pub fn process_maps(pid: u32, smaps: bool, cmdline_max: usize) -> Option<PidMaps> {
    if !procmaps::pid_dir_exists(pid) {
        return None;
    }
    let st = procmaps::read_stat(pid)?;
    let tgid = procmaps::read_tgid(pid).map_or(pid, |t| t as u32);
    let cmdline = procmaps::read_cmdline(pid, cmdline_max);
    let file = if smaps { "smaps" } else { "maps" };
    let records = procmaps::open_pid_file(tgid, file)
        .map(|f| MapRecords::Text(Scanner::new(procmaps::CStdio(f))));
    Some(PidMaps {
        tgid,
        kernel_thread: pid == 2 || st.ppid == 2,
        stat: st,
        cmdline,
        records,
    })
}

/// The figures of [`SmapsEntry`] for each mapping of `smaps`.
fn smaps_entries(pid: u32) -> io::Result<Vec<SmapsEntry>> {
    let entry = |r: Region| SmapsEntry {
        start: r.start,
        end: r.end,
        perms: r.perms,
        inode: r.inode,
        name: r.name,
        ..Default::default()
    };
    let mut src = Scanner::whole_lines(procmaps::open_pid_file(pid, "smaps")?);
    let mut out: Vec<SmapsEntry> = Vec::new();
    // A mapping line that does not convert (all seven values, four perms letters) is
    // skipped, so the key lines after it go to the mapping before.
    while let Some(r) = src.next_maps()? {
        let k = match r {
            MapsRecord::Mapping(m) => {
                out.extend(m.region().map(entry));
                continue;
            }
            MapsRecord::Key(k) => k,
        };
        let Some(v) = out.last_mut() else {
            continue;
        };
        if let Some(f) = k.vmflags() {
            v.vm_flags = Some(f.to_vec());
        }
        let Some((name, value)) = k.field else {
            continue;
        };
        let slot = match name {
            b"Rss" => &mut v.rss,
            b"Private_Dirty" => &mut v.private_dirty,
            b"Shared_Dirty" => &mut v.shared_dirty,
            b"Shared_Clean" => &mut v.shared_clean,
            b"Anonymous" => &mut v.anonymous,
            b"Swap" => &mut v.swap,
            b"LazyFree" => &mut v.lazy_free,
            _ => continue,
        };
        *slot = value;
    }
    Ok(out)
}

/// A process's map and header facts from `PROC_ROOT/PID`. A process whose smaps is
/// missing, or whose stat cannot be read, is not running; any other failure to read smaps
/// means it may not be read.
pub fn process_map(pid: u32) -> Result<ProcessMap, MapError> {
    let comm = procinfo::comm(pid);
    let stat = procmaps::read_pid_file(pid, "stat", 4096);
    let vmas = match smaps_entries(pid) {
        Ok(v) => v,
        Err(e) if e.kind() == io::ErrorKind::NotFound || stat.is_err() => {
            return Err(MapError::NotRunning)
        }
        Err(_) => {
            return Err(MapError::Denied {
                name: comm.unwrap_or_else(|| "???".into()),
            })
        }
    };
    let stat = stat.unwrap_or_default();
    let parsed = procmaps::parse_stat(&stat);
    let name = comm.unwrap_or_else(|| String::from_utf8_lossy(&parsed.comm).into_owned());
    let stack_pointers = procinfo::thread_ids(pid)
        .into_iter()
        .map(|tid| procinfo::thread_stack_pointer(pid, tid))
        .collect();
    let exe = procinfo::exe_path(pid).ok();
    let elf = procinfo::exe_head(pid)
        .ok()
        .and_then(|h| procinfo::elf_kind(&h));
    let status = procmaps::read_pid_file(pid, "status", 64 * 1024).unwrap_or_default();
    let ppid = u32::try_from(parsed.ppid).unwrap_or(0);
    let start_ms = match (procinfo::boot_time(), procinfo::parse_starttime(&stat)) {
        (Some(bt), Some(st)) => Some(procinfo::start_time_ms(bt, st, clock_ticks())),
        _ => None,
    };
    Ok(ProcessMap::Procfs(Box::new(ProcfsProcess {
        name,
        ppid,
        parent: procinfo::comm(ppid),
        exe,
        elf,
        machine: uname_field(|u| &u.machine),
        vmas,
        stack_pointers,
        vm_pte_kb: procinfo::status_kb(&status, "VmPTE"),
        vm_hwm_kb: procinfo::status_kb(&status, "VmHWM"),
        start_ms,
        page_size: sys::page_size(),
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_self_memory() {
        let m = self_memory().expect("own status");
        assert!(m.resident > 0);
        assert!(m.peak.unwrap_or(0) >= m.resident);
    }

    #[test]
    fn own_process() {
        let me = std::process::id();
        assert!(pids().contains(&me));
        assert!(process_exists(me));
        let names = process_names(me);
        assert_eq!(names.len(), 2, "{names:?}");
        assert_eq!(process_comm(me), names[0].as_bytes());
        let exe = std::env::current_exe().unwrap();
        assert_eq!(
            names[1],
            exe.file_name().unwrap().to_string_lossy(),
            "the executable's file name"
        );
        assert!(process_cmdline(me).ends_with(b"\0"));
        let Some(m) = process_maps(me, true, 4096) else {
            panic!("own maps");
        };
        assert_eq!((m.tgid, m.kernel_thread), (me, false));
        assert_eq!(m.stat.comm, names[0].as_bytes());
        assert!(m.cmdline.ends_with(b"\0") && m.stat.startstack > 0);
        assert!(m.records.is_ok());
    }

    #[test]
    fn own_map() {
        let me = std::process::id();
        let Ok(ProcessMap::Procfs(p)) = process_map(me) else {
            panic!("own map");
        };
        assert_eq!(p.name.as_bytes(), process_comm(me));
        assert!(p.vmas.iter().any(|v| v.name == b"[stack]" && v.rss > 0));
        assert!(p.vmas.iter().all(|v| v.vm_flags.is_some()));
        assert!(!p.stack_pointers.is_empty());
        assert_eq!(p.page_size, page_size());
        assert!(p.start_ms.is_some() && p.vm_hwm_kb.is_some());
        assert!(p.exe.is_some());
        assert_eq!(
            process_map(u32::MAX).map(|_| ()),
            Err(MapError::NotRunning),
            "no such process"
        );
    }

    #[test]
    fn sysinfo_answers() {
        let (total, free) = sysinfo_swap().unwrap();
        assert!(free <= total);
        assert!(matches!(system_memory(), Ok(SystemMemory::Procfs)));
    }

    #[test]
    fn os_version_names_the_kernel() {
        let v = os_version();
        assert!(v.ends_with(')') && v.contains(" ("), "{v}");
    }
}
