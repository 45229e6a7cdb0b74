//! macOS counters and the arithmetic that maps them onto the shared data model.
//!
//! This module is plain Rust, compiled and unit-tested on every platform; `macos.rs` only
//! fills these structs through FFI.

use crate::meminfo::MemInfo;

/// `vm_statistics64` as `host_statistics64(HOST_VM_INFO64)` fills it, revision 1: exactly
/// `HOST_VM_INFO64_REV1_COUNT` = 38 `integer_t` words (152 bytes). The layout is fixed by
/// the kernel ABI; later fields added by newer SDKs are deliberately left out.
#[repr(C, align(8))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VmStats64 {
    pub free_count: u32,
    pub active_count: u32,
    pub inactive_count: u32,
    pub wire_count: u32,
    pub zero_fill_count: u64,
    pub reactivations: u64,
    pub pageins: u64,
    pub pageouts: u64,
    pub faults: u64,
    pub cow_faults: u64,
    pub lookups: u64,
    pub hits: u64,
    pub purges: u64,
    pub purgeable_count: u32,
    pub speculative_count: u32,
    pub decompressions: u64,
    pub compressions: u64,
    pub swapins: u64,
    pub swapouts: u64,
    pub compressor_page_count: u32,
    pub throttled_count: u32,
    pub external_page_count: u32,
    pub internal_page_count: u32,
    pub total_uncompressed_pages_in_compressor: u64,
}

/// `HOST_VM_INFO64_REV1_COUNT`: the size of [`VmStats64`] in 32-bit words.
pub const VM_STATS64_REV1_COUNT: u32 = 38;

/// What `free` needs from a Mac, in bytes (or pages where named).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DarwinMemory {
    /// `sysctl hw.memsize`, bytes.
    pub memsize: u64,
    /// The VM page size, bytes.
    pub page_size: u64,
    pub vm: VmStats64,
    /// `sysctl vm.swapusage`: `xsu_total` and `xsu_avail`, bytes.
    pub swap_total: u64,
    pub swap_avail: u64,
}

/// Maps macOS counters onto `free`'s columns (KiB). What each column means on a Mac:
/// * total: `hw.memsize`;
/// * used: Activity Monitor's "Memory Used" = app memory (internal − purgeable pages)
///   + wired + compressor-occupied pages, so available = total − used;
/// * free: free pages less speculative ones (vm_stat's "Pages free");
/// * shared and buffers: 0 (no equivalent);
/// * cache: file-backed (external) pages plus purgeable pages ("Cached Files");
/// * swap: `vm.swapusage` total and available;
/// * Comm: no equivalent, 0.
///
/// All subtractions saturate.
pub fn meminfo_from(d: &DarwinMemory) -> MemInfo {
    let kib = |pages: u64| pages.saturating_mul(d.page_size) / 1024;
    let vm = &d.vm;
    let total = d.memsize / 1024;
    let app = (vm.internal_page_count as u64).saturating_sub(vm.purgeable_count as u64);
    let used = kib(app
        .saturating_add(vm.wire_count as u64)
        .saturating_add(vm.compressor_page_count as u64))
    .min(total);
    let free = kib((vm.free_count as u64).saturating_sub(vm.speculative_count as u64));
    MemInfo {
        mem_total: total,
        mem_free: free,
        mem_available: total.saturating_sub(used),
        buffers: 0,
        cached: kib(vm.external_page_count as u64 + vm.purgeable_count as u64),
        s_reclaimable: 0,
        shmem: 0,
        swap_total: d.swap_total / 1024,
        swap_free: d.swap_avail / 1024,
        low_total: 0,
        low_free: 0,
        high_total: 0,
        high_free: 0,
        commit_limit: 0,
        committed_as: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_matches_the_kernel_abi() {
        assert_eq!(std::mem::size_of::<VmStats64>(), 152);
        assert_eq!(std::mem::offset_of!(VmStats64, speculative_count), 92);
        assert_eq!(std::mem::offset_of!(VmStats64, swapins), 112);
        assert_eq!(std::mem::offset_of!(VmStats64, compressor_page_count), 128);
        assert_eq!(
            std::mem::offset_of!(VmStats64, total_uncompressed_pages_in_compressor),
            144
        );
    }

    /// The seed's vm_stat capture (an 8 GiB Mac, 4096-byte pages), with the swap figures
    /// of a typical 2 GiB swap file.
    #[test]
    fn seed_capture_maps_to_free_columns() {
        let d = DarwinMemory {
            memsize: 8 << 30,
            page_size: 4096,
            vm: VmStats64 {
                free_count: 5093 + 3498,
                active_count: 444277,
                inactive_count: 440620,
                wire_count: 528329,
                purgeable_count: 6625,
                speculative_count: 3498,
                compressor_page_count: 675038,
                external_page_count: 288589,
                internal_page_count: 599806,
                ..Default::default()
            },
            swap_total: 2 << 30,
            swap_avail: (2 << 30) - (512 << 20),
        };
        let m = meminfo_from(&d);
        assert_eq!(m.mem_total, 8388608);
        assert_eq!(m.mem_free, 5093 * 4);
        // used = (599806 - 6625 + 528329 + 675038) pages * 4 KiB
        assert_eq!(
            m.mem_total - m.mem_available,
            (599806 - 6625 + 528329 + 675038) * 4
        );
        assert_eq!(m.cached, (288589 + 6625) * 4);
        assert_eq!((m.swap_total, m.swap_free), (2097152, 1572864));
    }

    #[test]
    fn absurd_counters_saturate() {
        let d = DarwinMemory {
            memsize: 1 << 20,
            page_size: u64::MAX,
            vm: VmStats64 {
                free_count: 1,
                speculative_count: 9,
                internal_page_count: u32::MAX,
                ..Default::default()
            },
            ..Default::default()
        };
        let m = meminfo_from(&d);
        assert_eq!(m.mem_free, 0);
        assert_eq!(m.mem_available, 0);
    }
}
