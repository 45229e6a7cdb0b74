//! vm_stat's macOS source: thin FFI only (compile-checked, not run; see docs/vm_stat.md).

use crate::vmstat::{from_darwin, VmCounters, VmStatError};

/// `vm_kernel_page_size`: the page size Apple's vm_stat prints (it can differ from
/// `vm_page_size` for a process running under Rosetta).
fn kernel_page_size() -> u64 {
    // SAFETY: vm_kernel_page_size is a plain integer exported by libsystem_kernel and
    // initialised before main runs; reading it has no other preconditions.
    let n = unsafe { mach2::vm_page_size::vm_kernel_page_size };
    n as u64
}

/// `host_statistics64(HOST_VM_INFO64)` mapped to vm_stat's lines.
///
/// Binaries that are not Apple platform binaries are rate-limited by the kernel: past a
/// few real queries per second it returns the previous result again, so sub-second
/// intervals can repeat rows (docs/vm_stat.md).
pub fn read() -> Result<VmCounters, VmStatError> {
    let vm = crate::macos::vm_statistics64().map_err(VmStatError::Mach)?;
    Ok(from_darwin(&vm, kernel_page_size()))
}
