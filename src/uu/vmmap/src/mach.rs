//! A macOS process's report, from what mach and libproc say about it
//! ([`memtools_platform::process::MachProcess`]). Pure code, tested on every platform.

use crate::classify_mach::{classify_mach, code_type, MachVma};
use crate::model::Header;
use crate::render::Report;
use memtools_platform::process::MachProcess;
use memtools_platform::sys;

/// The report for process `pid`. `now` is the report's date (since the epoch).
pub fn report(pid: u32, p: MachProcess, now: std::time::Duration) -> Report {
    let MachProcess { facts, map, parent } = p;
    let name = String::from_utf8_lossy(&facts.comm).into_owned();
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
    let parent = String::from_utf8_lossy(&parent).into_owned();
    let header = Header {
        process: name.clone(),
        pid,
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
        date_time: sys::local_time_text(now.as_secs() as i64, now.subsec_millis()),
        launch_time: sys::local_time_text(facts.start_sec as i64, (facts.start_usec / 1000) as u32),
        os_version: sys::os_version(),
        analysis_tool: crate::analysis_tool(),
        footprint: facts.footprint,
        footprint_peak: facts.footprint_peak,
        bits: 64,
        page_size: page,
    };
    Report {
        header,
        regions: classify_mach(&vmas, map.count_page_size),
        zones: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use memtools_platform::darwin::ProcArchInfo;
    use memtools_platform::process::{MachMap, ProcFacts};
    use memtools_platform::procmaps::MachRegionInfo;
    use std::time::Duration;

    #[test]
    fn header_from_mach_facts() {
        let text = |start, filename: &[u8]| MachRegionInfo {
            start,
            size: 0x4000,
            protection: 5,
            max_protection: 7,
            external_pager: true,
            pages_resident: 1,
            user_tag: 0,
            page_size: 4096,
            filename: filename.to_vec(),
            ..Default::default()
        };
        let p = MachProcess {
            facts: ProcFacts {
                comm: b"demo".to_vec(),
                ppid: 1,
                path: b"/bin/demo".to_vec(),
                footprint: 5 << 20,
                footprint_peak: 6 << 20,
                arch: Some(ProcArchInfo {
                    p_cputype: 0x0100_000c,
                    p_cpusubtype: 0,
                }),
                ..Default::default()
            },
            map: MachMap {
                regions: vec![
                    text(0x1_0000_8000, b"/bin/demo"),
                    text(0x1_0000_0000, b"/bin/demo"),
                ],
                map_page_size: 0,
                count_page_size: 4096,
            },
            parent: Vec::new(),
        };
        let r = report(7, p, Duration::ZERO);
        let h = &r.header;
        assert_eq!(
            h.identity(),
            ("demo", 7, 1, "/bin/demo", Some(0x1_0000_0000))
        );
        assert_eq!((h.parent.as_str(), h.code_type.as_str()), ("???", "ARM64"));
        assert_eq!((h.footprint, h.footprint_peak), (5 << 20, 6 << 20));
        // No map page size: the count page size stands in.
        assert_eq!(
            (h.page_size, h.bits, h.platform.as_str()),
            (4096, 64, "macOS")
        );
        assert!(!r.regions.is_empty());
    }
}
