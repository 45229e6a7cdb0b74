//! A Linux process's report, from what `/proc/PID` says about it
//! ([`memtools_platform::process::ProcfsProcess`]; docs/vmmap.md, "Linux: where each number
//! comes from"). Pure code, tested on every platform.

use crate::classify::{classify, Vma};
use crate::model::Header;
use crate::render::Report;
use memtools_platform::process::ProcfsProcess;
use memtools_platform::sys;

/// Text from the kernel's bytes (no copy when they are UTF-8 already).
fn text(b: Vec<u8>) -> String {
    String::from_utf8(b).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn code_type(machine: u16, uname_machine: &str) -> String {
    match machine {
        62 => "X86-64".into(),
        183 => "ARM64".into(),
        3 => "X86".into(),
        40 => "ARM".into(),
        243 => "RISCV".into(),
        _ => match uname_machine {
            "x86_64" => "X86-64".into(),
            "aarch64" => "ARM64".into(),
            m => m.to_uppercase(),
        },
    }
}

/// The report for process `pid`. `now` is the report's date (since the epoch).
pub fn report(pid: u32, p: ProcfsProcess, now: std::time::Duration) -> Report {
    let vmas: Vec<Vma> = p.vmas.into_iter().map(|e| e.map_text(text)).collect();
    let regions = classify(&vmas, &p.stack_pointers);

    let load_address = p.exe.as_ref().and_then(|e| {
        let e = String::from_utf8_lossy(e);
        vmas.iter().filter(|v| v.name == e).map(|v| v.start).min()
    });
    let (bits, machine) = p.elf.unwrap_or((64, 0));
    let kib = |v: u64| v.saturating_mul(1024);
    let anon_swap: u64 = vmas
        .iter()
        .map(|v| v.anonymous.saturating_add(v.swap))
        .fold(0u64, |a, b| a.saturating_add(b));
    let footprint = kib(anon_swap.saturating_add(p.vm_pte_kb.unwrap_or(0)));
    let peak = footprint.max(kib(p.vm_hwm_kb.unwrap_or(0)));
    let launch = match p.start_ms {
        Some(ms) => sys::local_time_text((ms / 1000) as i64, (ms % 1000) as u32),
        None => "???".into(),
    };
    let header = Header {
        process: p.name.clone(),
        pid,
        path: p
            .exe
            .as_ref()
            .map(|e| String::from_utf8_lossy(e).into_owned())
            .unwrap_or_else(|| "???".into()),
        load_address,
        identifier: p.name,
        version: "???".into(),
        code_type: code_type(machine, &p.machine),
        platform: "Linux".into(),
        parent: p.parent.unwrap_or_else(|| "???".into()),
        ppid: p.ppid,
        date_time: sys::local_time_text(now.as_secs() as i64, now.subsec_millis()),
        launch_time: launch,
        os_version: sys::os_version(),
        analysis_tool: crate::analysis_tool(),
        footprint,
        footprint_peak: peak,
        bits,
        page_size: p.page_size,
    };
    Report {
        header,
        regions,
        zones: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use memtools_platform::process::SmapsEntry;
    use std::time::Duration;

    #[test]
    fn header_from_procfs_facts() {
        let heap = |start, anonymous, swap| SmapsEntry {
            start,
            end: start + 0x1000,
            perms: *b"rw-p",
            name: b"[heap]".to_vec(),
            rss: 4,
            anonymous,
            swap,
            vm_flags: Some(b"rd wr mr mw me ac".to_vec()),
            ..Default::default()
        };
        let exe = |start| SmapsEntry {
            start,
            end: start + 0x1000,
            perms: *b"r-xp",
            inode: 7,
            name: b"/usr/bin/demo".to_vec(),
            ..Default::default()
        };
        let p = ProcfsProcess {
            name: "demo".into(),
            ppid: 1,
            parent: None,
            exe: Some(b"/usr/bin/demo".to_vec()),
            elf: Some((64, 183)),
            machine: "x86_64".into(),
            vmas: vec![exe(0x5000), exe(0x4000), heap(0x9000, 4, 8)],
            stack_pointers: vec![None],
            vm_pte_kb: Some(20),
            vm_hwm_kb: Some(1),
            start_ms: None,
            page_size: 16384,
        };
        let r = report(42, p, Duration::ZERO);
        let h = &r.header;
        assert_eq!(h.identity(), ("demo", 42, 1, "/usr/bin/demo", Some(0x4000)));
        assert_eq!((h.code_type.as_str(), h.bits), ("ARM64", 64));
        assert_eq!((h.parent.as_str(), h.launch_time.as_str()), ("???", "???"));
        // (anonymous 4 + swap 8 + VmPTE 20) kB; the peak is never below it.
        assert_eq!((h.footprint, h.footprint_peak), (32 * 1024, 32 * 1024));
        assert_eq!((h.page_size, h.platform.as_str()), (16384, "Linux"));
        assert_eq!(r.regions.len(), 3);
        assert_eq!(code_type(0, "aarch64"), "ARM64");
        assert_eq!(code_type(0, "riscv64"), "RISCV64");
    }
}
