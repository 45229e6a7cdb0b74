//! macOS sources: thin FFI only. Compile-checked in CI, never run there (see docs/macos.md).

use crate::darwin::{meminfo_from, DarwinMemory, VmStats64, VM_STATS64_REV1_COUNT};
use crate::meminfo::{MemInfo, MemInfoError};
use std::io;

/// `sysctlbyname` for a fixed-size plain value.
fn sysctl_raw<T: Copy + Default>(name: &str) -> io::Result<T> {
    let cname =
        std::ffi::CString::new(name).map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))?;
    let mut v = T::default();
    let mut len = std::mem::size_of::<T>();
    // SAFETY: cname is NUL-terminated; v is a valid writable T and len is its size.
    let rc = unsafe {
        libc::sysctlbyname(
            cname.as_ptr(),
            &mut v as *mut T as *mut libc::c_void,
            &mut len,
            std::ptr::null_mut(),
            0,
        )
    };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(v)
}

/// `host_statistics64(HOST_VM_INFO64)`, revision-1 layout. Returns the kernel status on
/// failure.
pub fn vm_statistics64() -> Result<VmStats64, i32> {
    let mut s = VmStats64::default();
    let mut count: libc::mach_msg_type_number_t = VM_STATS64_REV1_COUNT;
    // SAFETY: mach_host_self has no preconditions. `s` is a 152-byte, 8-aligned buffer
    // and `count` tells the kernel its size in words, so it never writes past it.
    let kr = unsafe {
        libc::host_statistics64(
            mach2::mach_init::mach_host_self(),
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

pub use crate::page_size;

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
        page_size: page_size(),
        vm,
        swap_total: swap.xsu_total,
        swap_avail: swap.xsu_avail,
    }))
}

/// The counters psutil's macOS `virtual_memory()` and `swap_memory()` read. Fails where
/// psutil raises: `hw.memsize` or `vm.swapusage` unreadable, `host_statistics64` refused.
pub fn mac_memory() -> io::Result<crate::sysmem::MacMemory> {
    let memsize: u64 = sysctl_raw("hw.memsize")?;
    let vm = vm_statistics64()
        .map_err(|kr| io::Error::other(format!("host_statistics64 failed: {kr}")))?;
    let swap: libc::xsw_usage = sysctl_raw("vm.swapusage")?;
    Ok(crate::sysmem::MacMemory {
        memsize,
        page_size: page_size(),
        vm,
        swap_total: swap.xsu_total,
        swap_used: swap.xsu_used,
        swap_avail: swap.xsu_avail,
    })
}

/// This process's resident size now and at its peak: `task_info(MACH_TASK_BASIC_INFO)`.
pub fn self_memory() -> io::Result<crate::selfmem::SelfMemory> {
    use mach2::task_info::{
        mach_task_basic_info, MACH_TASK_BASIC_INFO, MACH_TASK_BASIC_INFO_COUNT,
    };
    let mut info = mach_task_basic_info::default();
    let mut count: libc::mach_msg_type_number_t = MACH_TASK_BASIC_INFO_COUNT;
    // SAFETY: mach_task_self has no preconditions. `info` is a writable
    // mach_task_basic_info and `count` gives its size in natural_t words, so the kernel
    // never writes past it.
    let kr = unsafe {
        mach2::task::task_info(
            mach2::traps::mach_task_self(),
            MACH_TASK_BASIC_INFO,
            &mut info as *mut mach_task_basic_info as mach2::task_info::task_info_t,
            &mut count,
        )
    };
    if kr != libc::KERN_SUCCESS {
        return Err(io::Error::other(format!("task_info failed: {kr}")));
    }
    // Copies out of the packed struct (no references to its fields are taken).
    let resident = info.resident_size;
    let peak = info.resident_size_max;
    Ok(crate::selfmem::SelfMemory {
        resident,
        peak: Some(peak),
    })
}

/// True when a process with this pid exists (`kill(pid, 0)` succeeds or says EPERM).
pub fn proc_exists(pid: i32) -> bool {
    // SAFETY: signal 0 only checks for existence and permission; nothing is delivered.
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// The process's short name (`proc_name`), empty when unavailable.
pub fn proc_comm(pid: i32) -> Vec<u8> {
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
pub fn proc_cmdline(pid: i32) -> Vec<u8> {
    let mut mib = [libc::CTL_KERN, libc::KERN_PROCARGS2, pid];
    let mut size: libc::size_t = 0;
    // SAFETY: mib has 3 valid entries; a null buffer asks for the needed size only.
    let rc = unsafe {
        libc::sysctl(
            mib.as_mut_ptr(),
            3,
            std::ptr::null_mut(),
            &mut size,
            std::ptr::null_mut(),
            0,
        )
    };
    if rc != 0 || size < 4 {
        return Vec::new();
    }
    let mut buf = vec![0u8; size];
    // SAFETY: buf is writable for `size` bytes, and size tells the kernel that limit.
    let rc = unsafe {
        libc::sysctl(
            mib.as_mut_ptr(),
            3,
            buf.as_mut_ptr() as *mut libc::c_void,
            &mut size,
            std::ptr::null_mut(),
            0,
        )
    };
    if rc != 0 || size < 4 {
        return Vec::new();
    }
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
/// and named with `proc_regionfilename`. Needs the right to `task_for_pid` the target.
pub fn regions(pid: i32) -> io::Result<Vec<crate::procmaps::Region>> {
    Ok(mach_regions(pid)?
        .iter()
        .map(crate::procmaps::region_from_mach)
        .collect())
}

/// The raw mach facts of every region of a task (see [`regions`]). Errors: ESRCH when the
/// process does not exist, EPERM when its task port is refused.
pub fn mach_regions(pid: i32) -> io::Result<Vec<crate::procmaps::MachRegionInfo>> {
    use crate::procmaps::MachRegionInfo;
    use mach2::vm_region::{vm_region_recurse_info_t, vm_region_submap_info_64};
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
    let page = page_size();
    let mut out = Vec::new();
    let mut addr: u64 = 0;
    let mut depth: u32 = 0;
    loop {
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
        if kr != mach2::kern_return::KERN_SUCCESS {
            break;
        }
        if info.is_submap != 0 {
            depth += 1;
            continue;
        }
        let mut name = [0u8; 4096];
        // SAFETY: name is writable for its whole length, which is what we pass.
        let n = unsafe {
            libc::proc_regionfilename(
                pid,
                addr,
                name.as_mut_ptr() as *mut libc::c_void,
                name.len() as u32,
            )
        };
        let filename = if n > 0 {
            name[..(n as usize).min(name.len())].to_vec()
        } else {
            Vec::new()
        };
        // The struct is packed: copy fields out by value.
        out.push(MachRegionInfo {
            start: addr,
            size,
            protection: info.protection,
            max_protection: info.max_protection,
            external_pager: info.external_pager != 0,
            share_mode: info.share_mode,
            offset: info.offset,
            pages_resident: info.pages_resident,
            pages_dirtied: info.pages_dirtied,
            pages_swapped_out: info.pages_swapped_out,
            user_tag: info.user_tag,
            page_size: page,
            filename,
        });
        let Some(next) = addr.checked_add(size) else {
            break;
        };
        addr = next;
    }
    // SAFETY: `task` is a send right we obtained above and no longer use.
    unsafe {
        mach2::mach_port::mach_port_deallocate(mach2::traps::mach_task_self(), task);
    }
    Ok(out)
}

/// What a vmmap header needs about a process.
#[derive(Clone, Debug, Default)]
pub struct ProcFacts {
    pub comm: Vec<u8>,
    pub ppid: u32,
    pub start_sec: u64,
    pub start_usec: u64,
    pub path: Vec<u8>,
    pub footprint: u64,
    pub footprint_peak: u64,
}

/// `proc_pidinfo(PROC_PIDTBSDINFO)`, `proc_pidpath` and `proc_pid_rusage(RUSAGE_INFO_V4)`.
/// Fields that cannot be read stay empty or 0.
pub fn proc_facts(pid: i32) -> ProcFacts {
    let mut f = ProcFacts::default();
    // SAFETY: proc_bsdinfo is plain old data; all-zero is valid.
    let mut bi: libc::proc_bsdinfo = unsafe { std::mem::zeroed() };
    let size = std::mem::size_of::<libc::proc_bsdinfo>() as libc::c_int;
    // SAFETY: `bi` is writable for `size` bytes, which is what we pass.
    let n = unsafe {
        libc::proc_pidinfo(
            pid,
            libc::PROC_PIDTBSDINFO,
            0,
            &mut bi as *mut libc::proc_bsdinfo as *mut libc::c_void,
            size,
        )
    };
    if n == size {
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
    f
}

/// `sysctlbyname` of a string value (`kern.osproductversion`, `kern.osversion`).
pub fn sysctl_string(name: &str) -> Option<String> {
    let cname = std::ffi::CString::new(name).ok()?;
    let mut buf = [0u8; 256];
    let mut len = buf.len();
    // SAFETY: cname is NUL-terminated; buf is writable for `len` bytes.
    let rc = unsafe {
        libc::sysctlbyname(
            cname.as_ptr(),
            buf.as_mut_ptr() as *mut libc::c_void,
            &mut len,
            std::ptr::null_mut(),
            0,
        )
    };
    if rc != 0 {
        return None;
    }
    let s = &buf[..len.min(buf.len())];
    let s = s.split(|&b| b == 0).next().unwrap_or(s);
    Some(String::from_utf8_lossy(s).into_owned())
}

/// Every pid on the system (`proc_listallpids`), empty on failure.
pub fn all_pids() -> Vec<i32> {
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
