//! vmmap on Linux fixtures.
//!
//! * `tiny`: a synthetic process whose whole report (tests/fixtures/vmmap/tiny.expected) was
//!   worked out by hand from the spec's rules (docs/vmmap.md), never recorded from memtools.
//!   Lines that depend on the running machine or the clock are masked.
//! * The pmap fixtures (real processes frozen from this kind of machine): vmmap's TOTAL
//!   VIRTUAL and RESIDENT must equal the Size and Rss totals that procps-ng's `pmap -X`
//!   printed for the same snapshot (the committed pmap goldens).

mod common;
use common::{applet_cmd, copy_dir, fixtures, scratch, trial};
use std::path::{Path, PathBuf};
use std::process::Output;

fn main() {
    common::run(vec![
        trial!(tiny_report_worked_out_by_hand),
        trial!(summary_interleaved_pages_and_no_coalesce),
        trial!(errors_and_statuses),
        trial!(totals_equal_procps_pmap_x_on_the_same_snapshot),
        trial!(json_agrees_with_the_hand_worked_report),
        trial!(json_totals_equal_procps_pmap_x),
    ]);
}

fn vmmap(root: &Path, args: &[&str]) -> Output {
    applet_cmd("vmmap", args, Some(root))
        .env("TZ", "UTC")
        .output()
        .expect("spawn memtools")
}

fn tiny() -> PathBuf {
    fixtures().join("vmmap/tiny")
}

fn masked(out: &[u8]) -> String {
    String::from_utf8_lossy(out)
        .lines()
        .map(|l| {
            for label in ["Code Type:", "Date/Time:", "OS Version:", "Analysis Tool:"] {
                if l.starts_with(label) {
                    return format!("{label:<17}<masked>");
                }
            }
            l.to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn tiny_report_worked_out_by_hand() {
    let o = vmmap(&tiny(), &["-w", "1234"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let want = std::fs::read_to_string(fixtures().join("vmmap/tiny.expected")).unwrap();
    let got = masked(&o.stdout);
    assert!(got == want, "--- got:\n{got}\n--- want:\n{want}");
    // A partial name finds the same process; flags may follow the operand.
    let o2 = vmmap(&tiny(), &["dem", "--wide"]);
    assert_eq!(masked(&o2.stdout), want);
}

fn lines(o: &Output) -> Vec<String> {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

fn summary_interleaved_pages_and_no_coalesce() {
    let s = lines(&vmmap(&tiny(), &["-summary", "1234"]));
    let dash = s.iter().position(|l| l == "----").unwrap();
    assert_eq!(s[dash + 1], "");
    assert!(s[dash + 2].starts_with("ReadOnly portion of Libraries: Total=36K"));
    assert!(!s.iter().any(|l| l.starts_with("==== ")));

    let i = lines(&vmmap(&tiny(), &["-interleaved", "1234"]));
    assert!(i.contains(
        &"==== regions for process 1234  (non-writable and writable regions are interleaved)"
            .to_string()
    ));
    assert!(!i.iter().any(|l| l.starts_with("==== Writable")));

    let n = lines(&vmmap(&tiny(), &["-noCoalesce", "1234"]));
    assert!(n
        .iter()
        .any(|l| l.starts_with("__DATA                   55555555e000-55555555f000 [    4K")));
    assert!(n
        .iter()
        .any(|l| l.starts_with("__DATA                   55555555f000-555555560000 [    4K")));

    let p = lines(&vmmap(&tiny(), &["-pages", "1234"]));
    assert!(
        p.iter().any(|l| l.starts_with(
            "__TEXT                   555555556000-55555555b000 [     5      5      0      0]"
        )),
        "{p:?}"
    );
    let total = p.iter().find(|l| l.starts_with("TOTAL ")).unwrap();
    // 468K and 104K in 4 KiB pages.
    assert_eq!(
        total.split_whitespace().take(3).collect::<Vec<_>>(),
        ["TOTAL", "117", "26"]
    );
    assert!(p
        .iter()
        .any(|l| l.starts_with("REGION TYPE                         PAGES")));

    let s = lines(&vmmap(&tiny(), &["-s", "-summary", "1234"]));
    let first = s.iter().position(|l| l.starts_with("=====")).unwrap();
    // By dirty+swapped: MALLOC (16K) and VM_ALLOCATE (12K+8K) lead.
    assert!(s[first + 1].starts_with("VM_ALLOCATE "), "{s:?}");
    assert!(s[first + 2].starts_with("MALLOC "), "{s:?}");

    // An address shows its region and one neighbour each side.
    let a = lines(&vmmap(&tiny(), &["1234", "0x555555560010"]));
    let rows: Vec<&String> = a
        .iter()
        .filter(|l| l.contains(" [ ") && !l.starts_with("REGION TYPE"))
        .collect();
    assert_eq!(rows.len(), 3, "{rows:?}");
}

fn errors_and_statuses() {
    let o = vmmap(&tiny(), &["999999"]);
    assert_eq!(o.status.code(), Some(255));
    let err = String::from_utf8_lossy(&o.stderr);
    let me = err.split(']').next().unwrap_or("").to_string();
    assert!(me.starts_with("vmmap["), "{err}");
    assert_eq!(
        err,
        format!("{me}]: vmmap cannot examine process 999999 (with name like '999999') because it no longer appears to be running.\n{me}]: [fatal] mach port for process 0 not valid\n")
    );
    let o = vmmap(&tiny(), &["nosuchname"]);
    assert_eq!(o.status.code(), Some(255));
    assert!(String::from_utf8_lossy(&o.stderr).contains("(with name like 'nosuchname')"));

    // smaps that cannot be read (a directory here) while the process exists: "try sudo".
    let dir = scratch("vmmap-errors");
    std::fs::create_dir_all(dir.join("77/smaps")).unwrap();
    std::fs::write(
        dir.join("77/stat"),
        b"77 (locked) S 1 77 77 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1 1 1 1 1 1 1\n",
    )
    .unwrap();
    std::fs::write(dir.join("77/comm"), b"locked\n").unwrap();
    let o = vmmap(&dir, &["77"]);
    assert_eq!(o.status.code(), Some(255));
    assert!(String::from_utf8_lossy(&o.stderr).ends_with(
        "vmmap cannot examine process 77 (locked) for unknown reasons, even though it appears to exist; try running with `sudo`.\n"
    ));
    std::fs::remove_dir_all(&dir).unwrap();

    for bad in [
        &["-d", "1", "1234"][..],
        &[][..],
        &["1", "2", "3"][..],
        &["1", "zz"][..],
    ] {
        let o = vmmap(&tiny(), bad);
        assert_eq!(o.status.code(), Some(1), "{bad:?}");
        assert!(String::from_utf8_lossy(&o.stderr).contains("Usage: vmmap"));
    }
    let o = vmmap(&tiny(), &["--help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.starts_with(b"Usage: vmmap"));
}

/// Size and Rss totals (kB) from a procps `pmap -X` golden.
fn pmap_x_totals(golden: &Path) -> Option<(u64, u64)> {
    let text = std::fs::read_to_string(golden).ok()?;
    let lines: Vec<&str> = text.lines().collect();
    let header: Vec<&str> = lines.get(1)?.split_whitespace().collect();
    let fields: Vec<&str> = header
        .iter()
        .copied()
        .filter(|h| !["Address", "Perm", "Offset", "Device", "Inode", "Mapping"].contains(h))
        .collect();
    let totals: Vec<u64> = lines
        .last()?
        .split_whitespace()
        .filter(|t| *t != "KB")
        .map(|t| t.parse().ok())
        .collect::<Option<_>>()?;
    let at = |n: &str| fields.iter().position(|f| *f == n).map(|i| totals[i]);
    Some((at("Size")?, at("Rss")?))
}

fn totals_equal_procps_pmap_x_on_the_same_snapshot() {
    let mut checked = 0;
    for name in [
        "basic",
        "real_bash",
        "real_python",
        "real_shm",
        "real_static",
        "huge",
    ] {
        let golden = fixtures().join(format!("pmap/golden/{name}__X.out"));
        let Some((size_kb, rss_kb)) = pmap_x_totals(&golden) else {
            panic!("no pmap -X golden totals in {}", golden.display());
        };
        let root = scratch(&format!("vmmap-{name}"));
        std::fs::create_dir_all(root.join("1234")).unwrap();
        copy_dir(&fixtures().join("pmap").join(name), &root.join("1234"));
        let o = vmmap(&root, &["-pages", "-summary", "1234"]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let l = lines(&o);
        let total = l.iter().find(|l| l.starts_with("TOTAL ")).unwrap();
        let t: Vec<u64> = total
            .split_whitespace()
            .skip(1)
            .map(|x| x.parse().unwrap())
            .collect();
        let page_kb = 4; // fixtures come from 4 KiB-page machines; -pages divides by sysconf
        assert_eq!(
            (t[0], t[1]),
            (size_kb / page_kb, rss_kb / page_kb),
            "{name}"
        );
        std::fs::remove_dir_all(&root).unwrap();
        checked += 1;
    }
    assert_eq!(checked, 6);
}

/// A JSON region back in the text's region-line layout (12-digit addresses, as in `tiny`).
fn json_region_line(r: &serde_json::Value) -> String {
    let n = |k: &str| r[k].as_u64().unwrap_or_else(|| panic!("{k} in {r}"));
    let s = |k: &str| {
        r[k].as_str()
            .unwrap_or_else(|| panic!("{k} in {r}"))
            .to_string()
    };
    let z = uu_vmmap::format::size_string;
    format!(
        "{:<24} {:>12x}-{:<12x} [{:>6}{:>7}{:>7}{:>7}] {}/{} SM={:<3} {:<8} {}",
        s("type"),
        n("start"),
        n("end"),
        z(n("virtual")),
        z(n("resident")),
        z(n("dirty")),
        z(n("swapped")),
        s("protection"),
        s("max_protection"),
        s("share_mode"),
        r["purge"]
            .as_str()
            .map(|p| format!("PURGE={p}"))
            .unwrap_or_default(),
        s("detail"),
    )
}

fn json_of(o: &Output) -> serde_json::Value {
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(text.lines().count(), 1, "one line");
    serde_json::from_str(&text).expect("valid JSON")
}

/// `--json` on the hand-worked `tiny` report: every region line and every summary row of
/// the expected text is the JSON's numbers, formatted as the text formats them.
fn json_agrees_with_the_hand_worked_report() {
    let v = json_of(&vmmap(&tiny(), &["--json", "1234"]));
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["tool"], "vmmap");
    assert_eq!(v["process"]["pid"], 1234);
    assert_eq!(v["process"]["name"], "demo");
    assert_eq!(v["process"]["physical_footprint"], 120 * 1024);
    let want = std::fs::read_to_string(fixtures().join("vmmap/tiny.expected")).unwrap();
    let want_regions: Vec<&str> = want
        .lines()
        .filter(|l| l.contains(" [") && l.contains("] ") && l.contains(" SM="))
        .collect();
    let regions = v["regions"].as_array().unwrap();
    // The text lists non-writable regions first, then writable ones.
    let mut got: Vec<String> = Vec::new();
    for writable in [false, true] {
        for r in regions.iter().filter(|r| r["writable"] == writable) {
            got.push(json_region_line(r));
        }
    }
    assert_eq!(got, want_regions);
    let z = uu_vmmap::format::size_string;
    let summary_part = &want[want.find("==== Summary").expect("summary in tiny.expected")..];
    let mut rows = v["summary"]["types"].as_array().unwrap().clone();
    rows.push(v["summary"]["total"].clone());
    for r in &rows {
        let name = r["type"].as_str().unwrap();
        let line = summary_part
            .lines()
            .find(|l| l.starts_with(name) && l[name.len()..].starts_with("  "))
            .unwrap_or_else(|| panic!("no summary row {name}"));
        let cells: Vec<&str> = line[name.len()..].split_whitespace().take(8).collect();
        let mine: Vec<String> = [
            "virtual",
            "resident",
            "dirty",
            "swapped",
            "volatile",
            "nonvolatile",
            "empty",
        ]
        .iter()
        .map(|k| z(r[*k].as_u64().unwrap()))
        .chain([r["region_count"].to_string()])
        .collect();
        assert_eq!(cells, mine, "summary row {name}");
    }
    let s = &v["summary"];
    assert_eq!(s["readonly_libraries_total"], 36 * 1024);
    assert_eq!(s["writable_total"], 352 * 1024);
    assert_eq!(s["writable_written"], 56 * 1024);
    // -noCoalesce gives the uncoalesced list (14 regions, the summary's count).
    let v2 = json_of(&vmmap(&tiny(), &["-json", "-noCoalesce", "1234"]));
    assert_eq!(v2["coalesced"], false);
    assert_eq!(v2["regions"].as_array().unwrap().len(), 14);
    assert_eq!(v2["summary"], v["summary"]);
}

/// On the real-process snapshots, the JSON totals are procps `pmap -X`'s Size and Rss.
fn json_totals_equal_procps_pmap_x() {
    for name in ["basic", "real_bash", "real_python"] {
        let golden = fixtures().join(format!("pmap/golden/{name}__X.out"));
        let (size_kb, rss_kb) = pmap_x_totals(&golden).expect("pmap -X totals");
        let root = scratch(&format!("vmmapj-{name}"));
        std::fs::create_dir_all(root.join("1234")).unwrap();
        copy_dir(&fixtures().join("pmap").join(name), &root.join("1234"));
        let v = json_of(&vmmap(&root, &["--json", "1234"]));
        let t = &v["summary"]["total"];
        assert_eq!(t["virtual"].as_u64(), Some(size_kb * 1024), "{name}");
        assert_eq!(t["resident"].as_u64(), Some(rss_kb * 1024), "{name}");
        let sum: u64 = v["regions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["virtual"].as_u64().unwrap())
            .sum();
        assert_eq!(sum, size_kb * 1024, "{name}: regions add up to the total");
        std::fs::remove_dir_all(&root).unwrap();
    }
}
