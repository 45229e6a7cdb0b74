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
        trial!(smem_json_has_the_documented_fields_in_every_view),
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

/// smem's `user`: a name, or the uid with `-n`.
#[derive(Deserialize)]
#[serde(untagged)]
enum SmemUser {
    Name(String),
    Uid(u32),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SmemProcess {
    schema_version: u32,
    tool: String,
    view: String,
    pid: u64,
    user: SmemUser,
    command: String,
    name: String,
    maps: Option<u64>,
    swap: i64,
    uss: i64,
    pss: i64,
    rss: i64,
    vss: Option<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SmemUserRow {
    schema_version: u32,
    tool: String,
    view: String,
    user: SmemUser,
    count: u64,
    swap: i64,
    uss: i64,
    pss: i64,
    rss: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SmemMapping {
    schema_version: u32,
    tool: String,
    view: String,
    map: String,
    count: u64,
    pids: u64,
    swap: i64,
    uss: i64,
    pss: i64,
    rss: i64,
    vss: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SmemArea {
    schema_version: u32,
    tool: String,
    view: String,
    area: String,
    order: u64,
    used: i64,
    cache: i64,
    noncache: i64,
}

/// Every line of `smem --json ARGS` on the live snapshot fixture, as `T`; the common
/// fields checked.
fn smem_rows<T: serde::de::DeserializeOwned>(
    args: &[&str],
    head: fn(&T) -> (u32, &str, &str),
    view: &str,
) -> Vec<T> {
    let source = common::fixtures().join("smem/live");
    let mut all = vec!["--json", "-S", source.to_str().expect("UTF-8 path")];
    all.extend_from_slice(args);
    let o = common::run_applet("smem", &all, None);
    assert_eq!(o.status.code(), Some(0), "smem {args:?}");
    let rows: Vec<T> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("smem --json matches docs/json.md"))
        .collect();
    assert!(!rows.is_empty(), "smem {args:?}: no rows");
    for r in &rows {
        assert_eq!(head(r), (1, "smem", view), "smem {args:?}");
    }
    rows
}

fn smem_json_has_the_documented_fields_in_every_view() {
    let p: Vec<SmemProcess> = smem_rows(&[], |r| (r.schema_version, &r.tool, &r.view), "processes");
    assert!(p.iter().all(|r| r.maps.is_some() && r.vss.is_some()));
    assert!(p.iter().all(|r| matches!(r.user, SmemUser::Name(_))));
    assert!(p
        .iter()
        .all(|r| r.pid > 0 && r.pss <= r.rss && r.uss <= r.pss));
    assert!(p
        .iter()
        .all(|r| !r.command.is_empty() && !r.name.is_empty()));
    assert!(p.iter().all(|r| r.swap >= 0));
    let n: Vec<SmemProcess> = smem_rows(
        &["-n"],
        |r| (r.schema_version, &r.tool, &r.view),
        "processes",
    );
    for r in &n {
        // Without MEMTOOLS_PROC_OWNERS the user is the owner of the PID directory.
        use std::os::unix::fs::MetadataExt;
        let dir = common::fixtures().join(format!("smem/live/proc/{}", r.pid));
        let owner = std::fs::metadata(dir).expect("PID directory").uid();
        assert!(
            matches!(r.user, SmemUser::Uid(u) if u == owner),
            "pid {}",
            r.pid
        );
    }
    let u: Vec<SmemUserRow> = smem_rows(&["-u"], |r| (r.schema_version, &r.tool, &r.view), "users");
    assert_eq!(u.iter().map(|r| r.count).sum::<u64>(), p.len() as u64);
    assert_eq!(
        u.iter()
            .map(|r| (r.pss, r.rss, r.uss, r.swap))
            .fold((0, 0, 0, 0), |a, b| (
                a.0 + b.0,
                a.1 + b.1,
                a.2 + b.2,
                a.3 + b.3
            )),
        p.iter()
            .map(|r| (r.pss, r.rss, r.uss, r.swap))
            .fold((0, 0, 0, 0), |a, b| (
                a.0 + b.0,
                a.1 + b.1,
                a.2 + b.2,
                a.3 + b.3
            ))
    );
    assert!(u
        .iter()
        .all(|r| matches!(&r.user, SmemUser::Name(n) if !n.is_empty())));
    let m: Vec<SmemMapping> = smem_rows(
        &["-m"],
        |r| (r.schema_version, &r.tool, &r.view),
        "mappings",
    );
    assert!(m
        .iter()
        .all(|r| r.pids >= 1 && r.count >= r.pids && !r.map.is_empty()));
    assert_eq!(
        m.iter().map(|r| r.rss).sum::<i64>(),
        p.iter().map(|r| r.rss).sum::<i64>()
    );
    assert!(m
        .iter()
        .all(|r| r.vss >= r.rss && r.uss >= 0 && r.swap >= 0 && r.pss >= 0));
    let w: Vec<SmemArea> = smem_rows(&["-w"], |r| (r.schema_version, &r.tool, &r.view), "system");
    assert_eq!(
        w.iter().map(|r| r.order).collect::<Vec<_>>(),
        [0, 1, 2, 3, 4],
        "the five areas in order"
    );
    assert!(w
        .iter()
        .all(|r| r.used == r.cache + r.noncache && !r.area.is_empty()));
}
