//! psutil 7.2.2's macOS `virtual_memory()` and `swap_memory()` as pure functions of the
//! counters in [`MacMemory`] (compiled and tested on every platform; only the FFI that
//! fills them is macOS-only).
//!
//! psutil's definitions (page counts from `host_statistics64`, times the page size):
//! * total: `hw.memsize`;
//! * available: inactive + free pages (`free_count`, which includes speculative pages);
//! * used: active + wired pages;
//! * free: free − speculative pages (vm_stat's "Pages free");
//! * percent: (total − available) / total;
//! * active, inactive, wired: those page counts;
//! * swap total, used, free: `vm.swapusage`; its percent: used / total;
//! * sin, sout: the VM system's pageins and pageouts (not swapins/swapouts) times the page
//!   size.

use crate::pynum::usage_percent;
use crate::report::{Block, Outcome};
use memtools_platform::sysmem::MacMemory;
use num_bigint::BigInt;

/// Computes both blocks. The products are C `unsigned long long` products, as psutil's C
/// code makes them; every value then fits in 65 bits, so nothing here can fail (no
/// float conversion overflows).
pub fn compute(m: &MacMemory) -> Outcome {
    let ps = m.page_size;
    let bytes = |pages: u64| BigInt::from(pages.wrapping_mul(ps));
    let vm = &m.vm;
    let total = BigInt::from(m.memsize);
    let active = bytes(vm.active_count as u64);
    let inactive = bytes(vm.inactive_count as u64);
    let wired = bytes(vm.wire_count as u64);
    let free_all = bytes(vm.free_count as u64);
    let speculative = bytes(vm.speculative_count as u64);
    let avail = &inactive + &free_all;
    let used = &active + &wired;
    let free = free_all - speculative;
    let percent = usage_percent(&(&total - &avail), &total).unwrap_or(0.0);
    let mut v = Block::virtual_memory([total, avail, used, free, active, inactive], percent);
    v.bytes("wired", wired);

    let (st, su) = (BigInt::from(m.swap_total), BigInt::from(m.swap_used));
    let percent = usage_percent(&su, &st).unwrap_or(0.0);
    let free = BigInt::from(m.swap_avail);
    let s = Block::swap_memory(
        [st, su, free, bytes(vm.pageins), bytes(vm.pageouts)],
        percent,
    );
    Outcome {
        blocks: vec![v, s],
        ..Default::default()
    }
}
