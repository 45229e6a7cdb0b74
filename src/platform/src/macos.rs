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

/// The kernel's VM page size in bytes.
pub fn page_size() -> u64 {
    // SAFETY: sysconf has no preconditions.
    let n = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    if n > 0 {
        n as u64
    } else {
        4096
    }
}

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
