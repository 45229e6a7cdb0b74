//! vm_stat's macOS source: thin FFI only (compile-checked, not run; see docs/vm_stat.md).

use crate::vmstat::{from_darwin, VmCounters, VmStatError};

/// `host_statistics64(HOST_VM_INFO64)` mapped to vm_stat's lines.
///
/// Binaries that are not Apple platform binaries are rate-limited by the kernel: past a
/// few real queries per second it returns the previous result again, so sub-second
/// intervals can repeat rows (docs/vm_stat.md).
pub fn read() -> Result<VmCounters, VmStatError> {
    let vm = crate::macos::vm_statistics64().map_err(VmStatError::Mach)?;
    Ok(from_darwin(
        &vm,
        crate::darwin::host_stats_page_size(
            crate::macos::kernel_page_size(),
            crate::macos::own_page_size(),
        ),
    ))
}
