//! The meminfo applet's Linux path: meminfo, zoneinfo and vmstat text through psutil's
//! rules (Python int parsing, the int/float estimate of available memory, bytes2human,
//! float repr), then both renderings. Must never panic, whatever the bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use memtools_platform::sysmem::ProcFile;
use uu_meminfo::linux::{compute, LinuxSource};
use uu_meminfo::report::{render_json, render_text};

struct Src<'a> {
    zoneinfo: &'a [u8],
    vmstat: &'a [u8],
    page: u64,
}

impl LinuxSource for Src<'_> {
    fn zoneinfo(&mut self) -> (Vec<u8>, ProcFile) {
        (
            b"z/zoneinfo".to_vec(),
            ProcFile::Data(self.zoneinfo.to_vec()),
        )
    }
    fn vmstat(&mut self) -> (Vec<u8>, ProcFile) {
        (b"z/vmstat".to_vec(), ProcFile::Data(self.vmstat.to_vec()))
    }
    fn sysinfo_swap(&mut self) -> std::io::Result<(u128, u128)> {
        Ok((u64::MAX as u128 * u32::MAX as u128, 7))
    }
    fn page_size(&self) -> u64 {
        self.page
    }
}

fuzz_target!(|data: &[u8]| {
    // The first byte picks the page size; the rest is split at NUL bytes into meminfo,
    // zoneinfo and vmstat text.
    let (page, rest) = match data.split_first() {
        Some((p, r)) => (*p, r),
        None => (0, data),
    };
    let mut parts = rest.splitn(3, |&b| b == 0);
    let meminfo = parts.next().unwrap_or_default();
    let zoneinfo = parts.next().unwrap_or_default();
    let vmstat = parts.next().unwrap_or_default();
    let mut src = Src {
        zoneinfo,
        vmstat,
        page: [4096, 16384, 65536, u64::MAX][page as usize % 4],
    };
    let file = ProcFile::Data(meminfo.to_vec());
    for human in [true, false] {
        let o = compute(b"z/meminfo", &file, &mut src, human);
        let _ = render_text(&o);
        let mut json = Vec::new();
        render_json(&o, &mut json);
    }
});
