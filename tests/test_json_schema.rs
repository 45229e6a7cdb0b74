//! `--json` records deserialized into typed structs that list docs/json.md's fields: a
//! record with a field missing, an extra field or a value of the wrong type fails here.
//!
//! This is also the workspace's proof that proc-macro crates build under the static
//! linking setup (`.cargo/config.toml`): the structs use serde's derive.

mod common;
use common::{scratch, trial};
use serde::Deserialize;

fn main() {
    common::run(vec![
        trial!(free_json_has_the_documented_fields_and_agrees_with_free_b),
        trial!(vm_stat_json_has_the_documented_fields),
    ]);
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Row3 {
    total: i64,
    used: i64,
    free: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Mem {
    total: i64,
    used: i64,
    free: i64,
    shared: i64,
    buffers: i64,
    cache: i64,
    buff_cache: i64,
    available: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Commit {
    limit: i64,
    committed: i64,
    available: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Free {
    schema_version: u32,
    tool: String,
    mem: Mem,
    low: Row3,
    high: Row3,
    swap: Row3,
    total: Row3,
    commit: Commit,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VmStat {
    schema_version: u32,
    tool: String,
    mode: String,
    page_size: u64,
    bytes: std::collections::BTreeMap<String, u64>,
    events_since: String,
    events: std::collections::BTreeMap<String, u64>,
}

fn free_json_has_the_documented_fields_and_agrees_with_free_b() {
    let root = scratch("schema");
    std::fs::copy(
        common::fixtures().join("free/basic.meminfo"),
        root.join("meminfo"),
    )
    .expect("fixture");
    let o = common::run_applet("free", &["--json"], Some(&root));
    assert_eq!(o.status.code(), Some(0));
    let f: Free = serde_json::from_slice(&o.stdout).expect("free --json matches docs/json.md");
    assert_eq!((f.schema_version, f.tool.as_str()), (1, "free"));
    // The same numbers as `free -b -w -l -t -v`, which the goldens check against procps.
    let b = common::run_applet("free", &["-b", "-w", "-l", "-t", "-v"], Some(&root));
    let text = String::from_utf8_lossy(&b.stdout).into_owned();
    let row = |label: &str| -> Vec<i64> {
        text.lines()
            .find(|l| l.starts_with(label))
            .map(|l| {
                l.split_whitespace()
                    .skip(1)
                    .filter_map(|v| v.parse().ok())
                    .collect()
            })
            .unwrap_or_default()
    };
    let m = &f.mem;
    assert_eq!(
        row("Mem:"),
        [
            m.total,
            m.used,
            m.free,
            m.shared,
            m.buffers,
            m.cache,
            m.available
        ]
    );
    assert_eq!(m.buff_cache, m.buffers + m.cache);
    for (label, r) in [
        ("Low:", &f.low),
        ("High:", &f.high),
        ("Swap:", &f.swap),
        ("Total:", &f.total),
    ] {
        assert_eq!(row(label), [r.total, r.used, r.free], "{label}");
    }
    assert_eq!(
        row("Comm:"),
        [f.commit.limit, f.commit.committed, f.commit.available]
    );
    let _ = std::fs::remove_dir_all(&root);
}

fn vm_stat_json_has_the_documented_fields() {
    let root = common::fixtures().join("vm_stat/live-6.18");
    let o = common::run_applet("vm_stat", &["--json"], Some(&root));
    assert_eq!(o.status.code(), Some(0));
    let v: VmStat = serde_json::from_slice(&o.stdout).expect("vm_stat --json matches docs/json.md");
    assert_eq!(
        (v.schema_version, v.tool.as_str(), v.mode.as_str()),
        (1, "vm_stat", "snapshot")
    );
    assert_eq!(v.events_since, "boot");
    assert_eq!(v.page_size, 4096);
    // docs/json.md's keys, exactly.
    fn keys(m: &std::collections::BTreeMap<String, u64>) -> Vec<&str> {
        m.keys().map(String::as_str).collect()
    }
    let want_bytes = [
        "free",
        "active",
        "inactive",
        "speculative",
        "throttled",
        "wired",
        "purgeable",
        "file_backed",
        "anonymous",
        "stored_in_compressor",
        "occupied_by_compressor",
    ];
    let mut want_bytes = want_bytes.to_vec();
    want_bytes.sort_unstable();
    assert_eq!(keys(&v.bytes), want_bytes);
    let want_events = [
        "faults",
        "cow_faults",
        "zero_filled",
        "reactivated",
        "purged",
        "decompressions",
        "compressions",
        "pageins",
        "pageouts",
        "swapins",
        "swapouts",
    ];
    let mut want_events = want_events.to_vec();
    want_events.sort_unstable();
    assert_eq!(keys(&v.events), want_events);
}
