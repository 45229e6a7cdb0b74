//! /proc/meminfo as free reads it (procps-ng's rules).
#![no_main]
use libfuzzer_sys::fuzz_target;
use memtools_platform::meminfo::MemInfo;

fuzz_target!(|data: &[u8]| {
    let mi = MemInfo::parse_procps(data);
    // Whatever was read must render in every unit without panicking.
    let _ = format!("{mi:?}");
});
