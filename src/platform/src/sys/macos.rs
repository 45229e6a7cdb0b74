//! macOS: mach, libproc and sysctl, thin FFI only (compile-checked, never run here); the
//! arithmetic is in [`crate::darwin`], tested on Linux. The POSIX calls shared with Linux
//! are in `unix.rs`.

pub use super::absent::{
    advise_hugepages, cgroup_meminfo, cgroup_read, cgroup_usage_now, populate_write, proc_tree,
    run_size, sysinfo_swap, sysv_shm_minor, user_names,
};
pub use super::unix::{
    catch_stop_signals, local_time_text, map_anonymous, page_size, signal_name, soft_limit,
    stdin_columns, stop_signal, symlink, terminal_width, unmap,
};

use crate::darwin::{
    self, meminfo_from, CachedPort, DarwinMemory, RegionWalk, VmStats64, VM_STATS64_REV1_COUNT,
};
use crate::meminfo::{MemInfo, MemInfoError};
use crate::process::{MachMap, MachProcess, MapError, ProcFacts, ProcessMap};
use crate::procmaps::regions::{stack_address, RegionRecords};
use crate::procmaps::{MapRecords, PidMaps, ProcStat, Region};
use crate::selfmem::SelfMemory;
use crate::sysmem::{MacMemory, SystemMemory};
use crate::vmstat::{from_darwin, VmCounters, VmStatError};
use std::io;

/// The largest process id (`pid_t` is a signed 32-bit number).
pub const PID_MAX: u32 = i32::MAX as u32;

/// A pid as libproc takes it; `None` when it is out of range.
fn pid_t(pid: u32) -> Option<i32> {
    i32::try_from(pid).ok()
}

// The hand-written proc_info structs must have the sizes the SDK gives them.
const _: () = assert!(
    std::mem::size_of::<darwin::ProcRegionWithPathInfo>()
        == 96 + std::mem::size_of::<libc::vnode_info_path>()
);
const _: () = assert!(std::mem::size_of::<libc::vnode_info>() == darwin::VNODE_INFO_SIZE);

/// C structs the kernel fills in (`proc_pidinfo`, `task_info`).
///
/// # Safety
/// An implementor is plain old data: all-zero bytes, and whatever bytes the kernel writes
/// for its flavor, are a valid value.
unsafe trait KernelStruct: Sized {}

// SAFETY: integers and arrays of integers only.
unsafe impl KernelStruct for darwin::ProcArchInfo {}
// SAFETY: as above.
unsafe impl KernelStruct for darwin::ProcRegionPath {}
// SAFETY: as above.
unsafe impl KernelStruct for darwin::ProcRegionWithPathInfo {}
// SAFETY: as above (the SDK's struct, as the libc crate declares it).
unsafe impl KernelStruct for libc::proc_bsdinfo {}
// SAFETY: as above (mach2's declarations of the SDK's structs).
unsafe impl KernelStruct for mach2::task_info::mach_task_basic_info {}
// SAFETY: as above.
unsafe impl KernelStruct for mach2::task_info::task_vm_info {}

/// `proc_pidinfo(pid, flavor, arg)` into a `T`: `Some` when the kernel filled it entirely.
fn pidinfo<T: KernelStruct>(pid: i32, flavor: i32, arg: u64) -> Option<T> {
    // SAFETY: T is plain old data (KernelStruct): all-zero is a valid value.
    let mut v: T = unsafe { std::mem::zeroed() };
    let size = std::mem::size_of::<T>() as libc::c_int;
    // SAFETY: `v` is writable for `size` bytes, which is what we pass.
    let n = unsafe {
        libc::proc_pidinfo(
            pid,
            flavor,
            arg,
            &mut v as *mut T as *mut libc::c_void,
            size,
        )
    };
    (n == size).then_some(v)
}

/// `task_info(task, flavor)` into a `T`, or the kernel status.
fn task_info<T: KernelStruct>(
    task: mach2::port::mach_port_name_t,
    flavor: mach2::task_info::task_flavor_t,
) -> Result<T, libc::kern_return_t> {
    // SAFETY: T is plain old data (KernelStruct): all-zero is a valid value.
    let mut info: T = unsafe { std::mem::zeroed() };
    let mut count = (std::mem::size_of::<T>() / std::mem::size_of::<libc::natural_t>())
        as libc::mach_msg_type_number_t;
    // SAFETY: `info` is a writable T and `count` gives its size in natural_t words; the
    // kernel writes at most that many (fewer on older kernels).
    let kr = unsafe {
        mach2::task::task_info(
            task,
            flavor,
            &mut info as *mut T as mach2::task_info::task_info_t,
            &mut count,
        )
    };
    if kr == libc::KERN_SUCCESS {
        Ok(info)
    } else {
        Err(kr)
    }
}

/// `sysctlbyname(name)` into the `len` bytes at `buf`: the size of the answer.
///
/// # Safety
/// `buf` is writable for `len` bytes.
unsafe fn sysctl_by_name(name: &str, buf: *mut libc::c_void, len: usize) -> io::Result<usize> {
    let cname =
        std::ffi::CString::new(name).map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))?;
    let mut len = len;
    // SAFETY: cname is NUL-terminated; the caller makes buf writable for `len` bytes, which
    // the kernel never exceeds (it fails with ENOMEM instead).
    let rc = unsafe { libc::sysctlbyname(cname.as_ptr(), buf, &mut len, std::ptr::null_mut(), 0) };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(len)
}

/// `sysctl(mib)` into `buf`, or with `None` the size the answer needs: that size.
fn sysctl_mib(mib: &mut [libc::c_int], buf: Option<&mut [u8]>) -> Option<usize> {
    let (ptr, mut len) = match buf {
        Some(b) => (b.as_mut_ptr() as *mut libc::c_void, b.len()),
        None => (std::ptr::null_mut(), 0),
    };
    // SAFETY: mib is valid for its length; ptr is null (a question for the size only) or
    // writable for `len` bytes, which the kernel never exceeds (it fails with ENOMEM).
    let rc = unsafe {
        libc::sysctl(
            mib.as_mut_ptr(),
            mib.len() as libc::c_uint,
            ptr,
            &mut len,
            std::ptr::null_mut(),
            0,
        )
    };
    (rc == 0).then_some(len)
}

/// `sysctlbyname` for a fixed-size plain value.
fn sysctl_raw<T: Copy + Default>(name: &str) -> io::Result<T> {
    let mut v = T::default();
    // SAFETY: v is a valid writable T of that size.
    unsafe {
        sysctl_by_name(
            name,
            &mut v as *mut T as *mut libc::c_void,
            std::mem::size_of::<T>(),
        )
    }?;
    Ok(v)
}

static HOST_PORT: CachedPort = CachedPort::new();

/// This host's port: `mach_host_self()` once for the whole run (every call adds a
/// reference to the send right, which would leak one per `vm_stat` row).
fn host_port() -> libc::mach_port_t {
    HOST_PORT.get(
        // SAFETY: mach_host_self has no preconditions; it returns a send right or 0.
        || unsafe { mach2::mach_init::mach_host_self() },
        |extra| {
            // SAFETY: `extra` is a send right this thread took and no one else holds.
            unsafe {
                mach2::mach_port::mach_port_deallocate(mach2::traps::mach_task_self(), extra);
            }
        },
    )
}

/// `vm_kernel_page_size`: the page size of the kernel's counters (host_statistics64) and
/// the one Apple's vm_stat prints. It differs from this process's own page size
/// ([`own_page_size`]) when memtools runs under Rosetta.
fn kernel_page_size() -> u64 {
    // SAFETY: vm_kernel_page_size is a plain integer exported by libsystem_kernel and
    // initialised before main runs; reading it has no other preconditions.
    let n = unsafe { mach2::vm_page_size::vm_kernel_page_size };
    n as u64
}

/// `vm_page_size`: the page size of this process's own map.
fn own_page_size() -> u64 {
    // SAFETY: as for vm_kernel_page_size, a plain integer set before main.
    let n = unsafe { mach2::vm_page_size::vm_page_size };
    n as u64
}

/// `host_statistics64(HOST_VM_INFO64)`, revision-1 layout. Returns the kernel status on
/// failure. The counts are in [`kernel_page_size`] pages.
fn vm_statistics64() -> Result<VmStats64, i32> {
    let mut s = VmStats64::default();
    let mut count: libc::mach_msg_type_number_t = VM_STATS64_REV1_COUNT;
    // SAFETY: `s` is a 152-byte, 8-aligned buffer and `count` tells the kernel its size in
    // words, so it never writes past it. A null host port only makes the call fail.
    let kr = unsafe {
        libc::host_statistics64(
            host_port(),
            libc::HOST_VM_INFO64,
            &mut s as *mut VmStats64 as libc::host_info64_t,
            &mut count,
        )
    };
    if kr != libc::KERN_SUCCESS {
        return Err(kr);
    }
    Ok(s)
}

/// vm_stat's counters: `host_statistics64(HOST_VM_INFO64)` mapped by [`from_darwin`].
///
/// Binaries that are not Apple platform binaries are rate-limited by the kernel: past a
/// few real queries per second it returns the previous result again, so sub-second
/// intervals can repeat rows (docs/vm_stat.md).
pub fn vm_counters() -> Result<VmCounters, VmStatError> {
    let vm = vm_statistics64().map_err(VmStatError::Mach)?;
    Ok(from_darwin(
        &vm,
        darwin::host_stats_page_size(kernel_page_size(), own_page_size()),
    ))
}

/// `free`'s counters. host_statistics64 counts kernel pages, so they are converted with
/// [`darwin::host_stats_page_size`], not this process's page size.
pub fn meminfo() -> Result<MemInfo, MemInfoError> {
    let memsize: u64 = sysctl_raw("hw.memsize").map_err(MemInfoError::Unreadable)?;
    let vm = vm_statistics64().map_err(|kr| {
        MemInfoError::Unreadable(io::Error::other(format!("host_statistics64 failed: {kr}")))
    })?;
    let swap: libc::xsw_usage = sysctl_raw("vm.swapusage").unwrap_or(libc::xsw_usage {
        xsu_total: 0,
        xsu_avail: 0,
        xsu_used: 0,
        xsu_pagesize: 0,
        xsu_encrypted: 0,
    });
    Ok(meminfo_from(&DarwinMemory {
        memsize,
        page_size: darwin::host_stats_page_size(kernel_page_size(), own_page_size()),
        vm,
        swap_total: swap.xsu_total,
        swap_avail: swap.xsu_avail,
    }))
}

/// The counters psutil's macOS `virtual_memory()` and `swap_memory()` read. Fails where
/// psutil raises: `hw.memsize` or `vm.swapusage` unreadable, `host_statistics64` refused.
fn mac_memory() -> io::Result<MacMemory> {
    let memsize: u64 = sysctl_raw("hw.memsize")?;
    let vm = vm_statistics64()
        .map_err(|kr| io::Error::other(format!("host_statistics64 failed: {kr}")))?;
    let swap: libc::xsw_usage = sysctl_raw("vm.swapusage")?;
    Ok(MacMemory {
        memsize,
        page_size: page_size(),
        vm,
        swap_total: swap.xsu_total,
        swap_used: swap.xsu_used,
        swap_avail: swap.xsu_avail,
    })
}

/// This process's resident size now and at its peak: `task_info(MACH_TASK_BASIC_INFO)`.
pub fn self_memory() -> io::Result<SelfMemory> {
    use mach2::task_info::{mach_task_basic_info, MACH_TASK_BASIC_INFO};
    // SAFETY: mach_task_self has no preconditions.
    let me = unsafe { mach2::traps::mach_task_self() };
    let info: mach_task_basic_info = task_info(me, MACH_TASK_BASIC_INFO)
        .map_err(|kr| io::Error::other(format!("task_info failed: {kr}")))?;
    // Copies out of the packed struct (no references to its fields are taken).
    let resident = info.resident_size;
    let peak = info.resident_size_max;
    Ok(SelfMemory {
        resident,
        peak: Some(peak),
    })
}

/// True when a process with this pid exists (`kill(pid, 0)` succeeds or says EPERM).
/// Pid 0 and negative pids name process groups, not a process: never.
fn proc_exists(pid: i32) -> bool {
    if !darwin::pid_names_one_process(pid) {
        return false;
    }
    // SAFETY: signal 0 only checks for existence and permission; nothing is delivered.
    let rc = unsafe { libc::kill(pid, 0) };
    let errno = if rc == 0 {
        0
    } else {
        io::Error::last_os_error().raw_os_error().unwrap_or(0)
    };
    darwin::kill_says_exists(rc, errno, libc::EPERM)
}

/// `sysctl(CTL_KERN, KERN_PROC, KERN_PROC_PID, pid)`: the process's `p_flag` and the top
/// of its main thread's stack. `None` when the process does not exist or the answer has
/// an unexpected size.
fn kinfo(pid: i32) -> Option<darwin::KinfoFacts> {
    if !darwin::pid_names_one_process(pid) {
        return None;
    }
    let mut mib = [libc::CTL_KERN, libc::KERN_PROC, libc::KERN_PROC_PID, pid];
    let mut buf = vec![0u8; darwin::KINFO_PROC_SIZE];
    let len = sysctl_mib(&mut mib, Some(&mut buf))?;
    darwin::parse_kinfo_proc(&buf[..len.min(buf.len())])
}

/// `proc_pidinfo(PROC_PIDARCHINFO)`: the process's CPU type and subtype.
fn proc_arch(pid: i32) -> Option<darwin::ProcArchInfo> {
    pidinfo(pid, darwin::PROC_PIDARCHINFO, 0)
}

/// The path of the file mapped at `addr`, empty when none. Asks `PROC_PIDREGIONPATH`
/// (`PROC_PIDREGIONPATHINFO` on kernels without it) and keeps the answer only when the
/// region it describes contains `addr`: the kernel answers for the region at *or after*
/// the address ([`darwin::region_path_valid`]), which is why libproc's
/// `proc_regionfilename` names anonymous regions after the next file.
fn region_path(pid: i32, addr: u64) -> Vec<u8> {
    if let Some(rp) = pidinfo::<darwin::ProcRegionPath>(pid, darwin::PROC_PIDREGIONPATH, addr) {
        return if darwin::region_path_valid(addr, rp.prpo_addr, rp.prpo_regionlength) {
            darwin::c_string(&rp.prpo_path)
        } else {
            Vec::new()
        };
    }
    let rw = pidinfo::<darwin::ProcRegionWithPathInfo>(pid, darwin::PROC_PIDREGIONPATHINFO, addr);
    match rw {
        Some(rw)
            if darwin::region_path_valid(
                addr,
                rw.prp_prinfo.pri_address,
                rw.prp_prinfo.pri_size,
            ) =>
        {
            darwin::c_string(&rw.vip_path)
        }
        _ => Vec::new(),
    }
}

/// The page size of a task's map (`task_info(TASK_VM_INFO)`'s `page_size`), 0 if unknown.
fn task_map_page_size(task: mach2::port::mach_port_name_t) -> u64 {
    use mach2::task_info::{task_vm_info, TASK_VM_INFO};
    match task_info::<task_vm_info>(task, TASK_VM_INFO) {
        // Copied out of the packed struct by value.
        Ok(info) => u64::try_from(info.page_size).unwrap_or(0),
        Err(_) => 0,
    }
}

/// `mach_error_string`: the kernel's text for a status.
fn mach_error_text(kr: i32) -> String {
    // SAFETY: mach_error_string accepts any value and returns a pointer to a static
    // NUL-terminated string (or null, checked).
    let p = unsafe { libc::mach_error_string(kr) };
    if p.is_null() {
        return format!("error {kr}");
    }
    // SAFETY: p is a valid NUL-terminated C string with static lifetime.
    unsafe { std::ffi::CStr::from_ptr(p) }
        .to_string_lossy()
        .into_owned()
}

/// The process's short name (`proc_name`), empty when unavailable.
fn proc_comm(pid: i32) -> Vec<u8> {
    let mut buf = [0u8; 256];
    // SAFETY: buf is writable for its whole length, which is what we pass.
    let n =
        unsafe { libc::proc_name(pid, buf.as_mut_ptr() as *mut libc::c_void, buf.len() as u32) };
    if n <= 0 {
        return Vec::new();
    }
    buf[..(n as usize).min(buf.len())].to_vec()
}

/// The argument vector as Linux's `/proc/PID/cmdline` would show it (NUL-terminated
/// strings), from `sysctl(KERN_PROCARGS2)`. Empty when not permitted.
fn proc_cmdline(pid: i32) -> Vec<u8> {
    let mut mib = [libc::CTL_KERN, libc::KERN_PROCARGS2, pid];
    let Some(size) = sysctl_mib(&mut mib, None).filter(|&s| s >= 4) else {
        return Vec::new();
    };
    let mut buf = vec![0u8; size];
    let Some(size) = sysctl_mib(&mut mib, Some(&mut buf)).filter(|&s| s >= 4) else {
        return Vec::new();
    };
    buf.truncate(size);
    let argc = i32::from_ne_bytes([buf[0], buf[1], buf[2], buf[3]]).max(0) as usize;
    // Skip the executable path and the NUL padding after it.
    let mut p = 4;
    while p < buf.len() && buf[p] != 0 {
        p += 1;
    }
    while p < buf.len() && buf[p] == 0 {
        p += 1;
    }
    let mut out = Vec::new();
    let mut seen = 0;
    while p < buf.len() && seen < argc {
        let e = buf[p..]
            .iter()
            .position(|&b| b == 0)
            .map_or(buf.len(), |n| p + n);
        out.extend_from_slice(&buf[p..e]);
        out.push(0);
        seen += 1;
        p = e + 1;
    }
    out
}

/// The regions of a task, walked with `mach_vm_region_recurse` (descending into submaps)
/// and named with `proc_pidinfo(PROC_PIDREGIONPATH)`. Needs the right to `task_for_pid` the
/// target.
fn regions(pid: i32) -> io::Result<Vec<Region>> {
    Ok(mach_regions(pid)?
        .regions
        .iter()
        .map(crate::procmaps::region_from_mach)
        .collect())
}

/// The raw mach facts of every region of a task (see [`regions`]). Errors: ESRCH when the
/// process does not exist, EPERM when its task port is refused, and an error of kind
/// `Other` naming the kernel status when the walk fails before the end of the map (only
/// `KERN_INVALID_ADDRESS` ends it: [`darwin::region_walk_step`]).
fn mach_regions(pid: i32) -> io::Result<MachMap> {
    use crate::procmaps::MachRegionInfo;
    use mach2::vm_region::{vm_region_recurse_info_t, vm_region_submap_info_64};
    if !darwin::pid_names_one_process(pid) {
        return Err(io::Error::from_raw_os_error(libc::ESRCH));
    }
    let mut task: mach2::port::mach_port_name_t = 0;
    // SAFETY: mach_task_self has no preconditions; `task` is a valid out pointer.
    let kr = unsafe { mach2::traps::task_for_pid(mach2::traps::mach_task_self(), pid, &mut task) };
    if kr != mach2::kern_return::KERN_SUCCESS {
        let errno = if proc_exists(pid) {
            libc::EPERM
        } else {
            libc::ESRCH
        };
        return Err(io::Error::from_raw_os_error(errno));
    }
    let map_page_size = task_map_page_size(task);
    let count_page_size = darwin::region_page_size(own_page_size(), map_page_size);
    let user_stack = kinfo(pid).map_or(0, |k| k.user_stack);
    let mut out = Vec::new();
    let mut addr: u64 = 0;
    let mut depth: u32 = 0;
    let result = loop {
        let mut size: u64 = 0;
        // SAFETY: vm_region_submap_info_64 is plain old data; all-zero is a valid value.
        let mut info: vm_region_submap_info_64 = unsafe { std::mem::zeroed() };
        let mut count = vm_region_submap_info_64::count();
        // SAFETY: every pointer refers to a live local of the type the call expects, and
        // `count` gives the size of `info` in words, so the kernel writes no further.
        let kr = unsafe {
            mach2::vm::mach_vm_region_recurse(
                task,
                &mut addr,
                &mut size,
                &mut depth,
                &mut info as *mut vm_region_submap_info_64 as vm_region_recurse_info_t,
                &mut count,
            )
        };
        match darwin::region_walk_step(kr) {
            RegionWalk::Region => {}
            RegionWalk::End => break Ok(()),
            RegionWalk::Failed(kr) => {
                break Err(io::Error::other(format!(
                    "mach_vm_region_recurse at {addr:#x}: {} ({kr})",
                    mach_error_text(kr)
                )))
            }
        }
        if info.is_submap != 0 {
            depth += 1;
            continue;
        }
        // The struct is packed: copy fields out by value.
        let (protection, user_tag) = (info.protection, info.user_tag);
        out.push(MachRegionInfo {
            start: addr,
            size,
            protection,
            max_protection: info.max_protection,
            external_pager: info.external_pager != 0,
            share_mode: info.share_mode,
            offset: info.offset,
            pages_resident: info.pages_resident,
            pages_dirtied: info.pages_dirtied,
            pages_swapped_out: info.pages_swapped_out,
            user_tag,
            page_size: count_page_size,
            filename: region_path(pid, addr),
            main_stack: darwin::is_main_stack(addr, size, user_tag, protection, user_stack),
        });
        let Some(next) = addr.checked_add(size) else {
            break Ok(());
        };
        addr = next;
    };
    // SAFETY: `task` is a send right we obtained above and no longer use.
    unsafe {
        mach2::mach_port::mach_port_deallocate(mach2::traps::mach_task_self(), task);
    }
    result.map(|()| MachMap {
        regions: out,
        map_page_size,
        count_page_size,
    })
}

/// `proc_pidinfo(PROC_PIDTBSDINFO, PROC_PIDARCHINFO)`, `sysctl(KERN_PROC_PID)`,
/// `proc_pidpath` and `proc_pid_rusage(RUSAGE_INFO_V4)`. Fields that cannot be read stay
/// empty, 0 or `None`.
fn proc_facts(pid: i32) -> ProcFacts {
    let mut f = ProcFacts::default();
    if let Some(bi) = pidinfo::<libc::proc_bsdinfo>(pid, libc::PROC_PIDTBSDINFO, 0) {
        let comm: Vec<u8> = bi
            .pbi_comm
            .iter()
            .take_while(|&&c| c != 0)
            .map(|&c| c as u8)
            .collect();
        f.comm = comm;
        f.ppid = bi.pbi_ppid;
        f.start_sec = bi.pbi_start_tvsec;
        f.start_usec = bi.pbi_start_tvusec;
    }
    let mut path = [0u8; 4096];
    // SAFETY: path is writable for its whole length, which is what we pass.
    let n = unsafe {
        libc::proc_pidpath(
            pid,
            path.as_mut_ptr() as *mut libc::c_void,
            path.len() as u32,
        )
    };
    if n > 0 {
        f.path = path[..(n as usize).min(path.len())].to_vec();
    }
    // SAFETY: rusage_info_v4 is plain old data; all-zero is valid.
    let mut ru: libc::rusage_info_v4 = unsafe { std::mem::zeroed() };
    // SAFETY: RUSAGE_INFO_V4 tells the kernel to fill exactly a rusage_info_v4.
    let rc = unsafe {
        libc::proc_pid_rusage(
            pid,
            libc::RUSAGE_INFO_V4,
            &mut ru as *mut libc::rusage_info_v4 as *mut libc::rusage_info_t,
        )
    };
    if rc == 0 {
        f.footprint = ru.ri_phys_footprint;
        f.footprint_peak = ru.ri_lifetime_max_phys_footprint;
    }
    f.arch = proc_arch(pid);
    f.translated = kinfo(pid).is_some_and(|k| k.translated());
    f
}

/// `sysctlbyname` of a string value (`kern.osproductversion`, `kern.osversion`).
fn sysctl_string(name: &str) -> Option<String> {
    let mut buf = [0u8; 256];
    // SAFETY: buf is writable for its whole length, which is what we pass.
    let len =
        unsafe { sysctl_by_name(name, buf.as_mut_ptr() as *mut libc::c_void, buf.len()) }.ok()?;
    let s = &buf[..len.min(buf.len())];
    let s = s.split(|&b| b == 0).next().unwrap_or(s);
    Some(String::from_utf8_lossy(s).into_owned())
}

/// Every pid on the system (`proc_listallpids`), empty on failure.
fn all_pids() -> Vec<i32> {
    let mut buf = vec![0 as libc::c_int; 16384];
    let bytes = (buf.len() * std::mem::size_of::<libc::c_int>()) as libc::c_int;
    // SAFETY: buf is writable for `bytes` bytes, which is what we pass.
    let n = unsafe { libc::proc_listallpids(buf.as_mut_ptr() as *mut libc::c_void, bytes) };
    if n <= 0 {
        return Vec::new();
    }
    buf.truncate((n as usize).min(buf.len()));
    buf.retain(|&p| p > 0);
    buf
}

/// Locks `words` in memory (`mlock`; macOS has no lock-on-fault, so every page is faulted
/// in now whatever `on_fault` says).
pub fn lock(words: &[u64], _on_fault: bool) -> io::Result<()> {
    super::unix::mlock(words)
}

/// This machine's system for report headers: `macOS 15.4 (24E248)` from
/// `kern.osproductversion` and `kern.osversion`.
pub fn os_version() -> String {
    match (
        sysctl_string("kern.osproductversion"),
        sysctl_string("kern.osversion"),
    ) {
        (Some(v), Some(b)) => format!("macOS {v} ({b})"),
        (Some(v), None) => format!("macOS {v}"),
        _ => "macOS".into(),
    }
}

/// Every process id (`proc_listallpids`), empty on failure.
pub fn pids() -> Vec<u32> {
    all_pids().into_iter().map(|p| p as u32).collect()
}

/// The names a process can be looked up by: its short name (`proc_name`, the
/// executable's name up to 32 bytes).
pub fn process_names(pid: u32) -> Vec<String> {
    vec![String::from_utf8_lossy(&process_comm(pid)).into_owned()]
}

/// True when a process with this pid exists (`kill(pid, 0)`).
pub fn process_exists(pid: u32) -> bool {
    pid_t(pid).is_some_and(proc_exists)
}

/// The process's short name (`proc_name`), empty when unavailable.
pub fn process_comm(pid: u32) -> Vec<u8> {
    pid_t(pid).map(proc_comm).unwrap_or_default()
}

/// The argument vector as NUL-terminated strings (`KERN_PROCARGS2`); empty when not
/// permitted.
pub fn process_cmdline(pid: u32) -> Vec<u8> {
    pid_t(pid).map(proc_cmdline).unwrap_or_default()
}

/// A process as pmap reads it: its name and arguments from libproc and sysctl, and its
/// regions ([`crate::procmaps::region_from_mach`]) as records, or why the walk failed.
/// macOS has no thread ids among pids, no kernel threads to hide and no state letter (`S`).
pub fn process_maps(pid: u32, _smaps: bool, _cmdline_max: usize) -> Option<PidMaps> {
    let p = pid_t(pid)?;
    if !proc_exists(p) {
        return None;
    }
    let (comm, cmdline) = (proc_comm(p), proc_cmdline(p));
    let regions = regions(p);
    let stat = ProcStat {
        comm,
        state: b'S',
        ppid: 0,
        startstack: regions.as_deref().map_or(u64::MAX, stack_address),
    };
    Some(PidMaps {
        tgid: pid,
        stat,
        kernel_thread: false,
        cmdline,
        records: regions.map(|r| MapRecords::Regions(RegionRecords::new(r))),
    })
}

/// A process's map and header facts from mach and libproc. Why a failed walk failed is
/// decided by [`darwin::map_failure`].
pub fn process_map(pid: u32) -> Result<ProcessMap, MapError> {
    let Some(p) = pid_t(pid) else {
        return Err(MapError::NotRunning);
    };
    let facts = proc_facts(p);
    let map = mach_regions(p).map_err(|e| {
        darwin::map_failure(
            &String::from_utf8_lossy(&facts.comm),
            e.raw_os_error(),
            &e.to_string(),
            proc_exists(p),
        )
    })?;
    let parent = proc_comm(facts.ppid as i32);
    Ok(ProcessMap::Mach(Box::new(MachProcess {
        facts,
        map,
        parent,
    })))
}

/// psutil's system memory counters, read at once ([`mac_memory`]).
pub fn system_memory() -> io::Result<SystemMemory> {
    mac_memory().map(SystemMemory::Mach)
}
