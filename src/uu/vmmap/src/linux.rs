//! Linux source for vmmap: `/proc/PID/smaps` (through the one maps/smaps scanner, reading
//! whole lines) and the header facts (docs/vmmap.md). All reads go below the snapshot
//! root.

use crate::classify::{classify, Vma};
use crate::model::Header;
use crate::render::Report;
use crate::ProcessError;
use memtools_platform::procinfo;
use memtools_platform::procmaps;
use memtools_platform::procmaps::scan::{MapsRecord, MapsSource, Scanner};
use std::io::{self, ErrorKind};

/// `[vmmap]` target: a pid (all digits), or a unique partial process name.
fn resolve(target: &str) -> Result<u32, ProcessError> {
    if !target.is_empty() && target.bytes().all(|b| b.is_ascii_digit()) {
        return target.parse().map_err(|_| ProcessError::NotRunning {
            pid: 0,
            like: target.to_string(),
        });
    }
    let me = std::process::id();
    let mut found: Vec<u32> = procinfo::all_pids()
        .into_iter()
        .filter(|&p| p != me)
        .filter(|&p| {
            let by_comm = procinfo::comm(p).is_some_and(|c| c.contains(target));
            let by_exe = procinfo::exe_path(p).ok().is_some_and(|e| {
                let base = e.rsplit(|&b| b == b'/').next().unwrap_or(&e);
                String::from_utf8_lossy(base).contains(target)
            });
            by_comm || by_exe
        })
        .collect();
    found.sort_unstable();
    match found.as_slice() {
        [one] => Ok(*one),
        _ => Err(ProcessError::NotRunning {
            pid: 0,
            like: target.to_string(),
        }),
    }
}

/// Reads `/proc/PID/smaps`, keeping only what vmmap uses of each entry while the file
/// streams by. A mapping line that does not convert all seven values (or whose perms are
/// not four letters) is skipped, and the key lines after it go to the mapping before.
fn read_vmas(pid: u32) -> io::Result<Vec<Vma>> {
    let mut src = Scanner::whole_lines(procmaps::open_pid_file(pid, "smaps")?);
    let mut vmas: Vec<Vma> = Vec::new();
    while let Some(r) = src.next_maps()? {
        match r {
            MapsRecord::Mapping(m) => {
                let p = m.vars.perms();
                if m.converted < 7 || p.len() != 4 {
                    continue;
                }
                vmas.push(Vma {
                    start: m.vars.start,
                    end: m.vars.end,
                    perms: [p[0], p[1], p[2], p[3]],
                    inode: m.vars.inode,
                    name: String::from_utf8_lossy(m.name()).into_owned(),
                    ..Default::default()
                });
            }
            MapsRecord::Key(k) => {
                let Some(v) = vmas.last_mut() else { continue };
                if let Some(flags) = k.vmflags() {
                    v.vm_flags = Some(String::from_utf8_lossy(flags).into_owned());
                }
                let Some((name, value)) = k.field else {
                    continue;
                };
                let slot = match name {
                    b"Rss" => &mut v.rss,
                    b"Private_Dirty" => &mut v.private_dirty,
                    b"Shared_Dirty" => &mut v.shared_dirty,
                    b"Shared_Clean" => &mut v.shared_clean,
                    b"Anonymous" => &mut v.anonymous,
                    b"Swap" => &mut v.swap,
                    b"LazyFree" => &mut v.lazy_free,
                    _ => continue,
                };
                *slot = value;
            }
        }
    }
    Ok(vmas)
}

fn code_type(machine: u16) -> String {
    match machine {
        62 => "X86-64".into(),
        183 => "ARM64".into(),
        3 => "X86".into(),
        40 => "ARM".into(),
        243 => "RISCV".into(),
        _ => match procinfo::machine().as_str() {
            "x86_64" => "X86-64".into(),
            "aarch64" => "ARM64".into(),
            m => m.to_uppercase(),
        },
    }
}

pub fn collect(target: &str) -> Result<Report, ProcessError> {
    let pid = resolve(target)?;
    let comm = procinfo::comm(pid);
    let stat_raw = procmaps::read_pid_file(pid, "stat", 4096);
    let vmas = match read_vmas(pid) {
        Ok(v) => v,
        Err(e) if e.kind() == ErrorKind::NotFound || stat_raw.is_err() => {
            return Err(ProcessError::NotRunning {
                pid,
                like: target.to_string(),
            })
        }
        Err(_) => {
            return Err(ProcessError::Denied {
                pid,
                name: comm.unwrap_or_else(|| "???".into()),
            })
        }
    };
    let stat_raw = stat_raw.unwrap_or_default();
    let stat = procmaps::parse_stat(&stat_raw);
    let name = comm.unwrap_or_else(|| String::from_utf8_lossy(&stat.comm).into_owned());

    let stacks: Vec<Option<u64>> = procinfo::thread_ids(pid)
        .into_iter()
        .map(|tid| procinfo::thread_stack_pointer(pid, tid))
        .collect();
    let regions = classify(&vmas, &stacks);

    let exe = procinfo::exe_path(pid).ok();
    let load_address = exe.as_ref().and_then(|e| {
        let e = String::from_utf8_lossy(e);
        vmas.iter().filter(|v| v.name == e).map(|v| v.start).min()
    });
    let (bits, machine) = procinfo::exe_head(pid)
        .ok()
        .and_then(|h| procinfo::elf_kind(&h))
        .unwrap_or((64, 0));
    let status = procmaps::read_pid_file(pid, "status", 64 * 1024).unwrap_or_default();
    let kib = |v: u64| v.saturating_mul(1024);
    let anon_swap: u64 = vmas
        .iter()
        .map(|v| v.anonymous.saturating_add(v.swap))
        .fold(0u64, |a, b| a.saturating_add(b));
    let footprint =
        kib(anon_swap.saturating_add(procinfo::status_kb(&status, "VmPTE").unwrap_or(0)));
    let peak = footprint.max(kib(procinfo::status_kb(&status, "VmHWM").unwrap_or(0)));
    let ppid = u32::try_from(stat.ppid).unwrap_or(0);
    let parent = procinfo::comm(ppid).unwrap_or_else(|| "???".into());

    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let launch = match (procinfo::boot_time(), procinfo::parse_starttime(&stat_raw)) {
        (Some(bt), Some(st)) => {
            let hz = procinfo::clock_ticks().max(1);
            let ms = bt
                .saturating_mul(1000)
                .saturating_add(st.saturating_mul(1000) / hz);
            memtools_platform::time::local_time_text((ms / 1000) as i64, (ms % 1000) as u32)
        }
        _ => "???".into(),
    };
    let header = Header {
        process: name.clone(),
        pid,
        path: exe
            .as_ref()
            .map(|e| String::from_utf8_lossy(e).into_owned())
            .unwrap_or_else(|| "???".into()),
        load_address,
        identifier: name,
        version: "???".into(),
        code_type: code_type(machine),
        platform: "Linux".into(),
        parent,
        ppid,
        date_time: memtools_platform::time::local_time_text(
            now.as_secs() as i64,
            now.subsec_millis(),
        ),
        launch_time: launch,
        os_version: procinfo::os_version(),
        analysis_tool: procinfo::self_exe(),
        footprint,
        footprint_peak: peak,
        bits,
        page_size: procinfo::page_size(),
    };
    Ok(Report {
        header,
        regions,
        zones: Vec::new(),
    })
}
