//! Size and interval arguments: free -s/-c, memory-user SIZE/DURATION and its whole
//! command line, vm_stat's count and interval.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

fuzz_target!(|data: &[u8]| {
    let _ = uu_free::args::parse_seconds(data);
    let _ = uu_free::args::parse_count(data);
    let _ = uu_memory_user::args::parse_size(data);
    let _ = uu_memory_user::args::parse_seconds(data);
    // Whole argument vectors: NUL-free pieces separated by NUL bytes.
    let mut argv = vec![OsString::from("prog")];
    argv.extend(
        data.split(|&b| b == 0)
            .take(16)
            .map(|a| OsString::from_vec(a.to_vec())),
    );
    let _ = uu_memory_user::args::parse(argv.clone());
    if let Ok(uu_vm_stat::Plan::Interval { delay, .. }) = uu_vm_stat::parse(&argv) {
        let _ = uu_vm_stat::pause(delay);
    }
});
