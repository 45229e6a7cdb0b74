//! Linux process facts for report headers (vmmap): exe path, start time, threads' stack
//! pointers, pid listing. Everything is read below the snapshot root; plain file reads and
//! parsers, compiled and tested on every platform (the system calls are in `sys/linux.rs`).

use std::io;
use std::path::PathBuf;

fn root_file(name: &str) -> PathBuf {
    crate::proc_root().join(name)
}

fn pid_path(pid: u32, name: &str) -> PathBuf {
    crate::proc_root().join(pid.to_string()).join(name)
}

/// `readlink PROC_ROOT/PID/exe`, without a trailing ` (deleted)`.
pub fn exe_path(pid: u32) -> io::Result<Vec<u8>> {
    let t = std::fs::read_link(pid_path(pid, "exe"))?;
    let mut b = memtools_core::getopt::os_bytes(t.as_os_str());
    if let Some(stripped) = b.strip_suffix(b" (deleted)") {
        b = stripped.to_vec();
    }
    Ok(b)
}

/// The first bytes of the executable (for its ELF header), via `PROC_ROOT/PID/exe`.
pub fn exe_head(pid: u32) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let mut f = std::fs::File::open(pid_path(pid, "exe"))?;
    let mut b = vec![0u8; 64];
    let n = f.read(&mut b)?;
    b.truncate(n);
    Ok(b)
}

/// ELF class (32 or 64) and `e_machine` from an ELF header, if it is one.
pub fn elf_kind(head: &[u8]) -> Option<(u32, u16)> {
    if head.len() < 20 || &head[..4] != b"\x7fELF" {
        return None;
    }
    let bits = match head[4] {
        1 => 32,
        2 => 64,
        _ => return None,
    };
    let machine = if head[5] == 2 {
        u16::from_be_bytes([head[18], head[19]])
    } else {
        u16::from_le_bytes([head[18], head[19]])
    };
    Some((bits, machine))
}

/// `btime` (boot time, seconds since the epoch) from `PROC_ROOT/stat`.
pub fn boot_time() -> Option<u64> {
    let d = std::fs::read(root_file("stat")).ok()?;
    parse_btime(&d)
}

pub fn parse_btime(d: &[u8]) -> Option<u64> {
    d.split(|&b| b == b'\n').find_map(|l| {
        l.strip_prefix(b"btime ")
            .map(|v| memtools_core::cnum::strtoul(v, 10).value)
    })
}

/// `starttime` (field 22 of `/proc/PID/stat`, clock ticks since boot).
pub fn parse_starttime(stat: &[u8]) -> Option<u64> {
    let close = stat.iter().rposition(|&b| b == b')')?;
    // Fields after ')' start at field 3; starttime is field 22 → the 20th of them.
    stat[close + 1..]
        .split(|&b| b == b' ' || b == b'\n')
        .filter(|f| !f.is_empty())
        .nth(19)
        .map(|v| memtools_core::cnum::strtoul(v, 10).value)
}

/// A process's start time in milliseconds since the epoch: the boot time (`btime`,
/// seconds) plus `starttime` (clock ticks since boot) at `hz` ticks per second. Saturates.
pub fn start_time_ms(boot_secs: u64, start_ticks: u64, hz: u64) -> u64 {
    boot_secs
        .saturating_mul(1000)
        .saturating_add(start_ticks.saturating_mul(1000) / hz.max(1))
}

/// The thread ids of a process, in `PROC_ROOT/PID/task` directory order.
pub fn thread_ids(pid: u32) -> Vec<u32> {
    let Ok(rd) = std::fs::read_dir(pid_path(pid, "task")) else {
        return Vec::new();
    };
    let mut v: Vec<u32> = rd
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().and_then(|s| s.parse().ok()))
        .collect();
    // Directory order is the kernel's (ascending tid); sort for snapshots copied elsewhere.
    v.sort_unstable();
    v
}

/// The user stack pointer of a blocked thread: the second-to-last field of
/// `/proc/PID/task/TID/syscall`. `None` while running or when unreadable.
pub fn thread_stack_pointer(pid: u32, tid: u32) -> Option<u64> {
    let p = crate::proc_root()
        .join(pid.to_string())
        .join("task")
        .join(tid.to_string())
        .join("syscall");
    let d = std::fs::read(p).ok()?;
    parse_syscall_sp(&d)
}

pub fn parse_syscall_sp(d: &[u8]) -> Option<u64> {
    let f: Vec<&[u8]> = d
        .split(|&b| b == b' ' || b == b'\n')
        .filter(|f| !f.is_empty())
        .collect();
    if f.len() < 3 {
        return None;
    }
    let sp = f[f.len() - 2];
    let hex = sp.strip_prefix(b"0x")?;
    let p = memtools_core::cnum::strtoul(hex, 16);
    (p.end == hex.len() && p.end > 0).then_some(p.value)
}

/// Every numeric entry of the snapshot root (all pids).
pub fn all_pids() -> Vec<u32> {
    let Ok(rd) = std::fs::read_dir(crate::proc_root()) else {
        return Vec::new();
    };
    rd.filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().and_then(|s| s.parse().ok()))
        .collect()
}

/// `/proc/PID/comm` without its newline.
pub fn comm(pid: u32) -> Option<String> {
    let d = std::fs::read(pid_path(pid, "comm")).ok()?;
    let s = String::from_utf8_lossy(&d);
    Some(s.trim_end_matches('\n').to_string())
}

/// `/proc/PID/status` value of a `Key:` line, in kB (e.g. `VmHWM`, `VmPTE`).
pub fn status_kb(status: &[u8], key: &str) -> Option<u64> {
    status.split(|&b| b == b'\n').find_map(|l| {
        let rest = l.strip_prefix(key.as_bytes())?.strip_prefix(b":")?;
        Some(memtools_core::cnum::strtoul(rest, 10).value)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsers() {
        assert_eq!(
            parse_btime(b"cpu 1 2\nbtime 1700000000\nprocesses 5\n"),
            Some(1700000000)
        );
        let stat = b"42 (a b) S 1 42 42 0 -1 4194560 100 0 0 0 5 6 0 0 20 0 1 0 123456 1000 10\n";
        assert_eq!(parse_starttime(stat), Some(123456));
        assert_eq!(
            parse_syscall_sp(
                b"0 0x3 0x7f99 0x20000 0x7f9 0xffffffff 0x0 0x7ffe8f6f81b8 0x7f990b1942ad\n"
            ),
            Some(0x7ffe8f6f81b8)
        );
        assert_eq!(parse_syscall_sp(b"running\n"), None);
        assert_eq!(
            status_kb(b"VmHWM:\t  1234 kB\nVmPTE:\t 56 kB\n", "VmPTE"),
            Some(56)
        );
        let mut elf = vec![0x7f, b'E', b'L', b'F', 2, 1];
        elf.resize(20, 0);
        elf[18] = 62;
        assert_eq!(elf_kind(&elf), Some((64, 62)));
        assert_eq!(elf_kind(b"#!/bin/sh"), None);
        assert_eq!(start_time_ms(1_700_000_000, 250, 100), 1_700_000_002_500);
        assert_eq!(start_time_ms(u64::MAX, u64::MAX, 0), u64::MAX);
    }
}
