//! meminfo: byte-for-byte against psutil 7.2.2.
//!
//! * Linux goldens: tests/fixtures/meminfo/linux/NAME/ is a /proc snapshot and its
//!   golden.json what psutil's scripts/meminfo.py printed for it (recorded by
//!   util/record-meminfo-goldens.py; needs neither root nor psutil to check).
//! * macOS goldens: tests/fixtures/meminfo/macos/NAME.json, counters and what psutil's own
//!   macOS code printed for them (util/psutil-meminfo-macos.py), and the seed's real
//!   capture.
//! * A differential test: random meminfo/vmstat/zoneinfo files through memtools and a live
//!   psutil (reported as ignored, with the reason, when psutil 7.2.2 or its script is
//!   missing).
//! * The command line, and failures to read or write.

mod common;
use common::{
    dev_full, fixtures, memtools, need, need_psutil, psutil_meminfo_script, scratch, trial,
};
use memtools_platform::darwin::VmStats64;
use memtools_platform::sysmem::MacMemory;
use serde_json::Value as J;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn main() {
    common::run(vec![
        trial!(random_fixtures_match_live_psutil, need_psutil()),
        trial!(linux_goldens_from_psutil),
        trial!(linux_goldens_from_psutil_zoneinfo, need::page_size(4096)),
        trial!(macos_goldens_from_psutil),
        trial!(the_seeds_mac_output_is_reproduced),
        trial!(help_version_and_usage_errors),
        trial!(missing_snapshot_root_is_one_line_and_status_1),
        trial!(write_errors),
        trial!(write_error_on_a_full_device, need::dev_full()),
        trial!(live_system_runs, need::path("/proc/meminfo")),
    ]);
}

fn linux_fixtures() -> PathBuf {
    fixtures().join("meminfo").join("linux")
}

/// `memtools meminfo ARGS` run in `cwd` with the snapshot root `root` (relative to `cwd`,
/// as the goldens were recorded).
fn run_in(cwd: &Path, root: &str, args: &[&str]) -> Output {
    Command::new(memtools())
        .arg("meminfo")
        .args(args)
        .current_dir(cwd)
        .env("LC_ALL", "C")
        .env("MEMTOOLS_PROC_ROOT", root)
        .stdin(Stdio::null())
        .output()
        .expect("spawn memtools")
}

/// What psutil printed (a golden, or a live run of the oracle).
struct Expected {
    stdout: String,
    warnings: Vec<String>,
    exception: Option<String>,
    status: i32,
    json: Option<String>,
}

fn expected(g: &J) -> Expected {
    let s = |k: &str| g[k].as_str().map(str::to_string);
    Expected {
        stdout: s("stdout").unwrap_or_default(),
        warnings: g["warnings"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|w| w.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        exception: s("exception"),
        status: g["status"].as_i64().unwrap_or(-1) as i32,
        json: s("json"),
    }
}

/// The part of memtools' one-line message that must match psutil's exception.
fn error_matches(exception: &str, line: &str) -> bool {
    let (kind, msg) = exception.split_once(": ").unwrap_or((exception, ""));
    match kind {
        // KeyError: b'MemTotal:'  ->  "PATH: no 'MemTotal:' line"
        "KeyError" => {
            let key = msg.trim_start_matches("b'").trim_end_matches('\'');
            line.contains(&format!("no '{key}' line"))
        }
        "ValueError" if msg.starts_with("Exceeds the limit") => {
            let digits = msg.split("value has ").nth(1).unwrap_or("");
            let digits = digits.split(';').next().unwrap_or("");
            line.contains(&format!("value has {digits}"))
        }
        "ValueError" => line.ends_with(msg),
        "IndexError" => line.contains(": line "),
        "OverflowError" => line.ends_with(msg),
        // FileNotFoundError: [Errno 2] No such file or directory: 'no-meminfo/meminfo'
        _ if msg.starts_with("[Errno ") => {
            let rest = msg.split_once("] ").map(|x| x.1).unwrap_or("");
            let (text, path) = rest.rsplit_once(": ").unwrap_or((rest, ""));
            line.ends_with(&format!("{}: {text}", path.trim_matches('\'')))
        }
        _ => false,
    }
}

/// Drops the swap lines that come from the recording machine's sysinfo(2).
fn mask_host_swap(text: &str) -> String {
    let mut out = String::new();
    let mut in_swap = false;
    for l in text.split_inclusive('\n') {
        in_swap |= l == "SWAP\n";
        let host = ["Total ", "Used  ", "Free  ", "Percent "]
            .iter()
            .any(|p| l.starts_with(p));
        if !(in_swap && host) {
            out.push_str(l);
        }
    }
    out
}

/// Compares one memtools run (text and --json) with psutil's. Returns a description of the
/// first difference.
fn compare(cwd: &Path, root: &str, e: &Expected, host_swap: bool) -> Result<(), String> {
    let o = run_in(cwd, root, &[]);
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    let (got, want) = if host_swap {
        (mask_host_swap(&stdout), mask_host_swap(&e.stdout))
    } else {
        (stdout.clone(), e.stdout.clone())
    };
    if got != want {
        return Err(format!("stdout:\n{stdout}\npsutil:\n{}", e.stdout));
    }
    if o.status.code() != Some(e.status) {
        return Err(format!("status {:?}, psutil {}", o.status.code(), e.status));
    }
    let mut want_err = String::new();
    for w in &e.warnings {
        want_err.push_str(w);
        want_err.push('\n');
    }
    let Some(rest) = stderr.strip_prefix(&want_err) else {
        return Err(format!("stderr:\n{stderr}\npsutil's warnings:\n{want_err}"));
    };
    match &e.exception {
        None if rest.is_empty() => {}
        None => return Err(format!("unexpected stderr: {rest}")),
        Some(exc) => {
            let one_line = rest.strip_suffix('\n').filter(|l| !l.contains('\n'));
            match one_line {
                Some(l) if l.starts_with("meminfo: ") && error_matches(exc, l) => {}
                _ => return Err(format!("error line {rest:?} for psutil's {exc:?}")),
            }
        }
    }
    let j = run_in(cwd, root, &["--json"]);
    let jout = String::from_utf8_lossy(&j.stdout).into_owned();
    match &e.json {
        Some(want) => {
            let (got, want) = if host_swap {
                let cut = |s: &str| s.split(",\"swap_memory\"").next().unwrap_or("").to_string();
                (cut(&jout), cut(want))
            } else {
                (jout.trim_end_matches('\n').to_string(), want.clone())
            };
            if got != want || j.status.code() != Some(0) || !jout.ends_with('\n') {
                return Err(format!("--json:\n{jout}\npsutil:\n{want}"));
            }
            // Valid JSON; serde_json reads integers as at most f64, so a value past 1.8e308
            // (valid JSON all the same) is its "number out of range".
            match serde_json::from_str::<J>(&jout) {
                Ok(_) => {}
                Err(e) if e.to_string().contains("number out of range") => {}
                Err(e) => return Err(format!("--json invalid: {e}")),
            }
        }
        None => {
            if !jout.is_empty() || j.status.code() != Some(1) {
                return Err(format!(
                    "--json printed {jout:?}, status {:?}",
                    j.status.code()
                ));
            }
        }
    }
    Ok(())
}

/// The fixtures without a zoneinfo (whose figures do not depend on the page size).
fn linux_goldens_from_psutil() {
    let checked = linux_goldens(false);
    assert!(checked >= 30, "only {checked} fixtures checked");
}

/// The fixtures with a zoneinfo: psutil multiplies its watermarks by the page size, and the
/// goldens were recorded with 4096-byte pages.
fn linux_goldens_from_psutil_zoneinfo() {
    let checked = linux_goldens(true);
    assert!(checked >= 10, "only {checked} fixtures checked");
}

/// Checks the Linux goldens of the fixtures with (`zoneinfo`) or without a zoneinfo;
/// returns how many.
fn linux_goldens(zoneinfo: bool) -> usize {
    let dir = linux_fixtures();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let (mut checked, mut failures) = (0, Vec::new());
    for name in &names {
        let golden = dir.join(name).join("golden.json");
        let text = std::fs::read_to_string(&golden).expect("golden.json");
        let g: J = serde_json::from_str(&text).expect("golden.json parses");
        if dir.join(name).join("zoneinfo").exists() != zoneinfo {
            continue;
        }
        if zoneinfo {
            assert_eq!(
                g["page_size"].as_i64(),
                Some(common::system_page_size()),
                "{name}: recorded with another page size than this machine's"
            );
        }
        let host_swap = g["host_swap"].as_bool().unwrap_or(false);
        if let Err(e) = compare(&dir, name, &expected(&g), host_swap) {
            failures.push(format!("{name}: {e}"));
        }
        checked += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    println!("{checked} fixtures match psutil");
    checked
}

fn mac_memory(c: &J) -> MacMemory {
    let n = |k: &str| c[k].as_u64().unwrap_or_else(|| panic!("counter {k}"));
    MacMemory {
        memsize: n("memsize"),
        page_size: n("page_size"),
        vm: VmStats64 {
            active_count: n("active") as u32,
            inactive_count: n("inactive") as u32,
            wire_count: n("wire") as u32,
            free_count: n("free") as u32,
            speculative_count: n("speculative") as u32,
            pageins: n("pageins"),
            pageouts: n("pageouts"),
            ..Default::default()
        },
        swap_total: n("swap_total"),
        swap_used: n("swap_used"),
        swap_avail: n("swap_avail"),
    }
}

fn macos_goldens_from_psutil() {
    let dir = fixtures().join("meminfo").join("macos");
    let mut count = 0;
    for e in std::fs::read_dir(&dir).expect("macos fixtures") {
        let p = e.expect("entry").path();
        let g: J = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
        let o = uu_meminfo::darwin::compute(&mac_memory(&g["counters"]));
        assert_eq!(
            uu_meminfo::report::render_text(&o),
            g["stdout"].as_str().unwrap(),
            "{}",
            p.display()
        );
        let mut json = Vec::new();
        uu_meminfo::report::render_json(&o, &mut json);
        assert_eq!(
            String::from_utf8_lossy(&json).trim_end(),
            g["json"].as_str().unwrap(),
            "{}",
            p.display()
        );
        count += 1;
    }
    assert!(count >= 5, "{count} macOS cases");
}

/// The output the homework's seed shows, from psutil's meminfo.py on a real Mac.
const SEED_OUTPUT: &str = "MEMORY
------
Total      :    8.0G
Available  :    1.6G
Percent    :    80.0
Used       :    3.7G
Free       :   18.7M
Active     :    1.6G
Inactive   :    1.6G
Wired      :    2.1G

SWAP
----
Total      :    3.0G
Used       :    1.5G
Free       :    1.5G
Percent    :    48.4
Sin        :  150.4G
Sout       :    1.0G
";

fn the_seeds_mac_output_is_reproduced() {
    let p = fixtures().join("meminfo/macos/seed-published-output.json");
    let g: J = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
    assert_eq!(g["stdout"].as_str(), Some(SEED_OUTPUT), "psutil's own run");
    let o = uu_meminfo::darwin::compute(&mac_memory(&g["counters"]));
    assert_eq!(uu_meminfo::report::render_text(&o), SEED_OUTPUT);
}

// ---- the differential test -------------------------------------------------------------

/// xorshift64*: reproducible without a crate.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// A value in kB as meminfo could hold it: mostly plausible, sometimes 0, negative, at
/// the 64-bit edge or beyond.
fn value(r: &mut Rng) -> String {
    let v: i128 = match r.below(20) {
        0 => 0,
        1 => -(r.below(1 << 20) as i128),
        2 => u64::MAX as i128 - r.below(3) as i128,
        3 => (r.next() as i128) << r.below(60),
        4 => r.below(1024) as i128,
        _ => r.below(1 << 36) as i128,
    };
    let mut s = v.to_string();
    if r.chance(3) {
        s = format!("+{s}").replace("+-", "-");
    }
    if r.chance(3) {
        s = format!("00{s}").replace("00-", "-00");
    }
    s
}

const KEYS: &[&str] = &[
    "MemTotal",
    "MemFree",
    "MemAvailable",
    "Buffers",
    "Cached",
    "SReclaimable",
    "Shmem",
    "MemShared",
    "Active",
    "Inactive",
    "Inact_dirty",
    "Inact_clean",
    "Inact_laundry",
    "Slab",
    "Active(file)",
    "Inactive(file)",
    "SwapTotal",
    "SwapFree",
    "Dirty",
    "HugePages_Total",
];

fn meminfo_text(r: &mut Rng) -> Vec<u8> {
    let mut lines: Vec<String> = Vec::new();
    for k in KEYS {
        let keep = match *k {
            "MemTotal" | "MemFree" => 98,
            "SwapTotal" | "SwapFree" => 95,
            "MemShared" | "Inact_dirty" | "Inact_clean" | "Inact_laundry" => 25,
            _ => 80,
        };
        if !r.chance(keep) {
            continue;
        }
        let v = match (*k, r.below(6)) {
            ("MemAvailable", 0) => "0".to_string(),
            _ => value(r),
        };
        let sep = r.pick(&[" ", "    ", "\t", "  \x0b"]);
        let unit = r.pick(&[" kB", " kB", "", " kB extra"]);
        lines.push(format!("{k}:{sep}{v}{unit}\n"));
    }
    if r.chance(20) && !lines.is_empty() {
        // A duplicate: the later one wins.
        let i = r.below(lines.len() as u64) as usize;
        let k = lines[i].split(':').next().unwrap_or("X").to_string();
        lines.push(format!("{k}: {}\n", value(r)));
    }
    // Shuffle a little: psutil does not care about order.
    for _ in 0..r.below(4) {
        let (a, b) = (r.below(lines.len() as u64), r.below(lines.len() as u64));
        lines.swap(a as usize, b as usize);
    }
    if r.chance(6) {
        let bad = r.pick(&[
            "Garbage\n",
            "\n",
            "X: 0x10\n",
            "X: 1__0\n",
            "X: 5\x00\n",
            " \r\n",
        ]);
        let at = r.below(lines.len() as u64 + 1) as usize;
        lines.insert(at, bad.to_string());
    }
    let mut text = lines.concat().into_bytes();
    if r.chance(10) {
        text.pop(); // no final newline
    }
    text
}

fn vmstat_text(r: &mut Rng) -> Vec<u8> {
    let mut lines = vec!["nr_free_pages 12345\n".to_string()];
    for k in ["pswpin", "pswpout"] {
        if r.chance(90) {
            let v = r.below(1 << 40);
            lines.push(match r.below(30) {
                0 => format!("{k}  {v}\n"),
                1 => format!("{k}x {v}\n"),
                2 => format!("{k} {v} 7\n"),
                _ => format!("{k} {v}\n"),
            });
        }
    }
    if r.chance(10) {
        lines.insert(0, format!("pswpin {}\n", r.below(1000)));
    }
    lines.push("pgfault 99\n".to_string());
    lines.concat().into_bytes()
}

fn zoneinfo_text(r: &mut Rng) -> Vec<u8> {
    let mut s = String::new();
    for zone in 0..r.below(4) + 1 {
        s.push_str(&format!(
            "Node 0, zone {zone}\n  pages free     {}\n        min      {}\n        low      {}\n        high     {}\n",
            r.below(1 << 20),
            r.below(1 << 12),
            match r.below(10) {
                0 => (r.next() >> r.below(64)).to_string(),
                1 => "0".to_string(),
                _ => r.below(1 << 16).to_string(),
            },
            r.below(1 << 16)
        ));
    }
    if r.chance(3) {
        s.push_str("  low\n");
    }
    s.into_bytes()
}

fn random_fixtures_match_live_psutil() {
    let script = psutil_meminfo_script().expect("declared: psutil 7.2.2 and its script");
    let cases: usize = std::env::var("MEMTOOLS_MEMINFO_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(400);
    let seed: u64 = std::env::var("MEMTOOLS_MEMINFO_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
                | 1
        });
    println!("differential test: {cases} cases, MEMTOOLS_MEMINFO_SEED={seed}");
    let mut r = Rng(seed);
    let dir = scratch("meminfo-diff");
    let mut names = Vec::new();
    let mut host_swap = Vec::new();
    for i in 0..cases {
        let name = format!("case{i}");
        let d = dir.join(&name);
        std::fs::create_dir(&d).unwrap();
        let mi = meminfo_text(&mut r);
        let has_swap = |k: &str| {
            mi.split(|&b| b == b'\n')
                .any(|l| l.starts_with(format!("{k}:").as_bytes()))
        };
        host_swap.push(!(has_swap("SwapTotal") && has_swap("SwapFree")));
        if r.chance(97) {
            std::fs::write(d.join("meminfo"), mi).unwrap();
        }
        if r.chance(90) {
            std::fs::write(d.join("vmstat"), vmstat_text(&mut r)).unwrap();
        }
        if r.chance(70) {
            std::fs::write(d.join("zoneinfo"), zoneinfo_text(&mut r)).unwrap();
        }
        names.push(name);
    }
    let o = Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("util/psutil-meminfo.py"))
        .arg("--batch")
        .arg(&script)
        .args(&names)
        .current_dir(&dir)
        .env("LC_ALL", "C")
        .output()
        .expect("run the oracle");
    assert!(
        o.status.success(),
        "oracle failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let results: Vec<J> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("oracle line"))
        .collect();
    assert_eq!(results.len(), cases);
    let mut failures = Vec::new();
    let mut raised = 0;
    for ((name, g), host) in names.iter().zip(&results).zip(&host_swap) {
        let e = expected(g);
        raised += e.exception.is_some() as usize;
        if let Err(why) = compare(&dir, name, &e, *host) {
            let files = ["meminfo", "vmstat", "zoneinfo"]
                .map(|f| {
                    let b = std::fs::read(dir.join(name).join(f)).ok();
                    format!(
                        "{f}: {:?}",
                        b.map(|b| String::from_utf8_lossy(&b).into_owned())
                    )
                })
                .join("\n");
            failures.push(format!("{name}: {why}\n{files}"));
        }
    }
    if failures.is_empty() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    assert!(
        failures.is_empty(),
        "{} of {cases} differ (seed {seed}, cases kept in {}):\n{}",
        failures.len(),
        dir.display(),
        failures[..failures.len().min(3)].join("\n\n")
    );
    println!("{cases} random cases match psutil ({raised} where psutil raises)");
}

// ---- the command line and I/O failures ---------------------------------------------------

fn typical() -> (PathBuf, &'static str) {
    (linux_fixtures(), "typical")
}

fn help_version_and_usage_errors() {
    let (cwd, root) = typical();
    let o = run_in(&cwd, root, &["--help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(o
        .stdout
        .starts_with(b"Usage: meminfo [--json] [--cgroup[=DIR]]\n"));
    let o = run_in(&cwd, root, &["-V"]);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        format!("meminfo from memtools {}\n", env!("CARGO_PKG_VERSION"))
    );
    for (args, msg) in [
        (&["--bogus"][..], "meminfo: unrecognized option '--bogus'\n"),
        (&["-x"], "meminfo: invalid option -- 'x'\n"),
        (&["extra"], "meminfo: extra operand 'extra'\n"),
        (
            &["--json=1"],
            "meminfo: option '--json' doesn't allow an argument\n",
        ),
    ] {
        let o = run_in(&cwd, root, args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(o.stdout.is_empty());
        assert_eq!(
            String::from_utf8_lossy(&o.stderr),
            format!("{msg}Try 'meminfo --help' for more information.\n")
        );
    }
}

fn missing_snapshot_root_is_one_line_and_status_1() {
    let o = run_in(&std::env::temp_dir(), "/nonexistent-memtools-root", &[]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(o.stdout, b"MEMORY\n------\n");
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "meminfo: /nonexistent-memtools-root/meminfo: No such file or directory\n"
    );
}

/// A full device: the write error is reported, status 1.
fn write_error_on_a_full_device() {
    let (cwd, root) = typical();
    let o = Command::new(memtools())
        .args(["meminfo"])
        .current_dir(&cwd)
        .env("MEMTOOLS_PROC_ROOT", root)
        .stdout(dev_full())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "meminfo: write error: No space left on device\n"
    );
}

fn write_errors() {
    let (cwd, root) = typical();
    // A closed stdout: reported, status 1.
    let o = Command::new("sh")
        .args(["-c", "exec \"$0\" meminfo >&-"])
        .arg(memtools())
        .current_dir(&cwd)
        .env("MEMTOOLS_PROC_ROOT", root)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "meminfo: write error: Bad file descriptor\n"
    );
    // A reader that went away: quiet.
    let o = Command::new("sh")
        .args(["-c", "\"$0\" meminfo | (exec 0<&-; true); sleep 0"])
        .arg(memtools())
        .current_dir(&cwd)
        .env("MEMTOOLS_PROC_ROOT", root)
        .output()
        .unwrap();
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn live_system_runs() {
    let o = Command::new(memtools())
        .arg("meminfo")
        .env_remove("MEMTOOLS_PROC_ROOT")
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.starts_with("MEMORY\n------\nTotal      : "), "{text}");
    assert!(text.contains("\nSWAP\n----\nTotal      : "), "{text}");
}
