//! macOS source for vmmap: thin glue over the platform layer's mach/libproc calls.
//! Compile-checked in CI, never run (see docs/vmmap.md).

use crate::classify_mach::{classify_mach, code_type, MachVma};
use crate::model::Header;
use crate::render::Report;
use crate::ProcessError;
use memtools_platform::macos;

fn resolve(target: &str) -> Result<i32, ProcessError> {
    if !target.is_empty() && target.bytes().all(|b| b.is_ascii_digit()) {
        return target.parse().map_err(|_| ProcessError::NotRunning {
            pid: 0,
            like: target.to_string(),
        });
    }
    // Partial names: match the short name of every process we can see.
    let me = std::process::id() as i32;
    let found: Vec<i32> = macos::all_pids()
        .into_iter()
        .filter(|&p| p != me)
        .filter(|&p| String::from_utf8_lossy(&macos::proc_comm(p)).contains(target))
        .collect();
    match found.as_slice() {
        [one] => Ok(*one),
        _ => Err(ProcessError::NotRunning {
            pid: 0,
            like: target.to_string(),
        }),
    }
}

pub fn collect(target: &str) -> Result<Report, ProcessError> {
    let pid = resolve(target)?;
    let facts = macos::proc_facts(pid);
    let name = String::from_utf8_lossy(&facts.comm).into_owned();
    let map = macos::mach_regions(pid).map_err(|e| {
        crate::map_failure(
            pid.max(0) as u32,
            target,
            &name,
            e.raw_os_error(),
            &e.to_string(),
            macos::proc_exists(pid),
        )
    })?;
    // The page size of the target's map ("VM page size"); the counts may be in a smaller
    // one (memtools_platform::darwin::region_page_size).
    let page = if map.map_page_size != 0 {
        map.map_page_size
    } else {
        map.count_page_size
    };
    let vmas: Vec<MachVma> = map
        .regions
        .iter()
        .map(|m| MachVma {
            start: m.start,
            size: m.size,
            protection: (m.protection & 7) as u8,
            max_protection: (m.max_protection & 7) as u8,
            share_mode: m.share_mode,
            user_tag: m.user_tag,
            external_pager: m.external_pager,
            pages_resident: m.pages_resident as u64,
            pages_dirtied: m.pages_dirtied as u64,
            pages_swapped_out: m.pages_swapped_out as u64,
            path: String::from_utf8_lossy(&m.filename).into_owned(),
            purge: None,
            main_stack: m.main_stack,
        })
        .collect();
    let path = String::from_utf8_lossy(&facts.path).into_owned();
    let load_address = vmas
        .iter()
        .filter(|v| !path.is_empty() && v.path == path)
        .map(|v| v.start)
        .min();
    let parent = String::from_utf8_lossy(&macos::proc_comm(facts.ppid as i32)).into_owned();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let os = match (
        macos::sysctl_string("kern.osproductversion"),
        macos::sysctl_string("kern.osversion"),
    ) {
        (Some(v), Some(b)) => format!("macOS {v} ({b})"),
        (Some(v), None) => format!("macOS {v}"),
        _ => "macOS".into(),
    };
    let header = Header {
        process: name.clone(),
        pid: pid as u32,
        path: if path.is_empty() { "???".into() } else { path },
        load_address,
        identifier: name,
        version: "???".into(),
        code_type: code_type(
            facts.arch.map(|a| (a.p_cputype, a.p_cpusubtype)),
            facts.translated,
        ),
        platform: "macOS".into(),
        parent: if parent.is_empty() {
            "???".into()
        } else {
            parent
        },
        ppid: facts.ppid,
        date_time: memtools_platform::time::local_time_text(
            now.as_secs() as i64,
            now.subsec_millis(),
        ),
        launch_time: memtools_platform::time::local_time_text(
            facts.start_sec as i64,
            (facts.start_usec / 1000) as u32,
        ),
        os_version: os,
        analysis_tool: std::env::current_exe()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| "memtools".into()),
        footprint: facts.footprint,
        footprint_peak: facts.footprint_peak,
        bits: 64,
        page_size: page,
    };
    Ok(Report {
        header,
        regions: classify_mach(&vmas, map.count_page_size),
        zones: Vec::new(),
    })
}
