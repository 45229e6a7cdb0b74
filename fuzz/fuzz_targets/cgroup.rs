//! The cgroup readers' parsers (/proc/self/cgroup, mountinfo, value files, memory.stat),
//! then the LXCFS meminfo text, memory-user's budget and free's table on that text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use memtools_platform::cgroup::{
    lxcfs_meminfo, parse_mountinfo, parse_proc_cgroup, parse_stat, parse_value, relative_to_mount,
    Reading, Stat, Swap, Version,
};
use memtools_platform::MemInfo;
use std::path::PathBuf;

fuzz_target!(|data: &[u8]| {
    // Pieces separated by NUL: cgroup, mountinfo, stat, limit, usage, swap limit, swap
    // usage, swappiness, host meminfo. The first byte picks the version.
    let (v, rest) = match data.split_first() {
        Some((v, r)) => (*v, r),
        None => (0, data),
    };
    let version = if v & 1 == 0 { Version::V1 } else { Version::V2 };
    let mut p = rest.split(|&b| b == 0);
    let mut next = || p.next().unwrap_or(b"");
    let (cg, mi, st) = (next(), next(), next());
    if let Some((ver, path)) = parse_proc_cgroup(cg) {
        for m in parse_mountinfo(mi, ver) {
            let _ = relative_to_mount(&path, &m.root);
        }
    }
    let stat = parse_stat(st, version).unwrap_or(Stat::default());
    let val = |b: &[u8]| parse_value(b).ok().flatten();
    let (limit, usage, sl, su, sw) = (next(), next(), next(), next(), next());
    let r = Reading {
        version,
        dir: PathBuf::from("/x"),
        name: "/x".to_string(),
        limit: val(limit),
        limit_from: None,
        usage: val(usage).unwrap_or(0),
        swap: Swap {
            accounted: v & 2 != 0,
            limit: val(sl),
            usage: val(su).unwrap_or(0),
            swappiness: val(sw),
        },
        stat,
    };
    let host = next();
    let text = lxcfs_meminfo(host, &r);
    let m = MemInfo::parse_procps(&text);
    let _ = r.budget(&MemInfo::parse_procps(host));
    let mut out = String::new();
    uu_free::render::render_table(&m, &uu_free::render::View::default(), &mut out);
});
