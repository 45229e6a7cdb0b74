//! /proc/vmstat and /proc/meminfo as vm_stat reads them on Linux, then the mapping to
//! vm_stat's counters and both renderings.
#![no_main]
use libfuzzer_sys::fuzz_target;
use memtools_platform::vmstat::{from_linux, parse_key_values, LinuxSources};
use uu_vm_stat::render::{render_snapshot, Table};

fuzz_target!(|data: &[u8]| {
    // First byte picks the page size; the rest is split at the first NUL into
    // vmstat and meminfo text.
    let (page, rest) = match data.split_first() {
        Some((p, r)) => (*p, r),
        None => (0, data),
    };
    let (vm, mi) = match rest.iter().position(|&b| b == 0) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, rest),
    };
    let page_size = match page % 4 {
        0 => 4096,
        1 => 16384,
        2 => 0,
        _ => u64::MAX,
    };
    let src = LinuxSources {
        vmstat: parse_key_values(vm),
        meminfo: parse_key_values(mi),
        zram_orig_bytes: u64::from(page) << 56,
        page_size,
    };
    let c = from_linux(&src);
    let mut out = String::new();
    render_snapshot(&c, &mut out);
    let mut t = Table::new();
    t.row(&c, &mut out);
    t.row(&c, &mut out);
});
