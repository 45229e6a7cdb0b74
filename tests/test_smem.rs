//! smem against goldens recorded from Debian's smem 1.5 (util/record-smem-goldens.sh) on
//! the snapshot fixtures in tests/fixtures/smem, and against live smem on processes this
//! test starts.
//!
//! The goldens need neither root nor smem: the fixtures' owners and user names come from
//! tests/fixtures/smem/{FIXTURE/owners,passwd} through MEMTOOLS_PROC_OWNERS and
//! MEMTOOLS_PASSWD, the same files the recorder applied with chown and a bind mount. The
//! runs happen in a scratch copy of the fixtures ([`Work`]), as the recorder's did.

mod common;

use common::{copy_dir, need, scratch, show, trial, Proc};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn main() {
    let smem = || need::exe("/usr/bin/smem");
    common::run(vec![
        trial!(goldens_from_smem),
        trial!(differential_against_live_smem, smem()),
        trial!(charts_render_with_librsvg, need::tool("rsvg-convert")),
        trial!(kernel_image_goldens_from_smem, need::tool("size")),
        trial!(
            fast_matches_smem_on_rss,
            smem(),
            need::path("/proc/self/smaps_rollup")
        ),
        trial!(json_rows_match_the_golden_table),
        trial!(a_file_as_source_is_refused),
    ]);
}

/// tests/fixtures/smem in the checkout (read only).
fn dir() -> PathBuf {
    common::fixtures().join("smem")
}

/// A scratch copy of the fixtures (without the goldens), the directory the cases run in;
/// removed when dropped.
struct Work(PathBuf);

impl Work {
    fn new() -> Work {
        let w = scratch("smem");
        for e in std::fs::read_dir(dir()).expect("tests/fixtures/smem") {
            let e = e.expect("directory entry");
            let to = w.join(e.file_name());
            if e.file_name() == "golden" {
                continue;
            }
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                copy_dir(&e.path(), &to);
            } else {
                std::fs::copy(e.path(), &to).expect("copy a fixture file");
            }
        }
        Work(w)
    }
}

impl Drop for Work {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

struct Case {
    name: String,
    fixture: String,
    args: String,
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(dir().join("cases.txt")).expect("cases.txt");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut it = l.splitn(3, '|');
            let name = it.next().unwrap_or("").trim().to_string();
            let fixture = it.next().unwrap_or("").trim().to_string();
            let args = it.next().unwrap_or("").trim_start().to_string();
            Case {
                name,
                fixture,
                args,
            }
        })
        .collect()
}

/// Runs memtools smem as the recorder ran smem: in (a copy of) tests/fixtures/smem, through
/// bash (the arguments are shell words), stdin from /dev/null, a clean environment.
fn run_case(w: &Work, c: &Case) -> Output {
    let mut args = c.args.as_str();
    let mut envs: Vec<(String, String)> = Vec::new();
    while let Some((word, rest)) = args.split_once(' ') {
        match word.split_once('=') {
            Some((k, v))
                if !k.is_empty() && k.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') =>
            {
                envs.push((k.into(), v.into()));
                args = rest;
            }
            _ => break,
        }
    }
    let script = format!(
        "exec '{}' smem -S {} {}",
        common::memtools().display(),
        c.fixture,
        args
    );
    let mut cmd = Command::new("bash");
    cmd.arg("-c")
        .arg(script)
        .current_dir(&w.0)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("LC_ALL", "C.UTF-8")
        .env("MEMTOOLS_PASSWD", "passwd")
        .env("MEMTOOLS_PROC_OWNERS", format!("{}/owners", c.fixture))
        .stdin(Stdio::null());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().expect("run bash")
}

fn golden(name: &str, ext: &str) -> Vec<u8> {
    std::fs::read(dir().join("golden").join(format!("{name}.{ext}"))).unwrap_or_default()
}

/// Checks one case; returns a description of the difference, if any.
fn check(w: &Work, c: &Case) -> Option<String> {
    let out = run_case(w, c);
    let status: i32 = show(&golden(&c.name, "status"))
        .trim()
        .parse()
        .unwrap_or(-1);
    let (want_out, want_err) = (golden(&c.name, "out"), golden(&c.name, "err"));
    let got_status = out.status.code().unwrap_or(-1);
    if got_status != status {
        return Some(format!(
            "status {got_status}, smem {status}\nstderr: {}",
            show(&out.stderr)
        ));
    }
    let chart = dir().join("golden").join(format!("{}.chart", c.name));
    if chart.exists() {
        return check_chart(
            &out.stdout,
            &std::fs::read_to_string(chart).unwrap_or_default(),
        );
    }
    let mut got_out = out.stdout.clone();
    if want_out.starts_with(b"Usage: smem [options]\n\nOptions:\n") {
        // memtools' own options (--json, --fast) come last in its help; the rest is smem's.
        let text = show(&got_out);
        if let Some(at) = text.find("\n  --json") {
            got_out = text.as_bytes()[..at + 1].to_vec();
        }
    }
    if got_out != want_out {
        return Some(format!(
            "stdout differs\n--- smem\n{}--- memtools\n{}",
            show(&want_out),
            show(&got_out)
        ));
    }
    let want_err_text = show(&want_err);
    if let Some(at) = want_err_text.find("Traceback (most recent call last):") {
        // smem died with a traceback; memtools says what went wrong on one line.
        let got = show(&out.stderr);
        let before = &want_err_text[..at];
        let ok = got.starts_with(before)
            && got[before.len()..].starts_with("smem: ")
            && got[before.len()..].trim_end().lines().count() == 1;
        if !ok {
            return Some(format!(
                "want a one-line 'smem: ' message after {before:?}, got {got:?}"
            ));
        }
        return None;
    }
    if out.stderr != want_err {
        return Some(format!(
            "stderr differs\n--- smem\n{}--- memtools\n{}",
            want_err_text,
            show(&out.stderr)
        ));
    }
    None
}

/// The SVG memtools wrote must parse as XML and carry what smem's matplotlib drew.
fn check_chart(svg: &[u8], chart: &str) -> Option<String> {
    let text = match std::str::from_utf8(svg) {
        Ok(t) => t,
        Err(e) => return Some(format!("SVG is not UTF-8: {e}")),
    };
    let doc = match roxmltree::Document::parse(text) {
        Ok(d) => d,
        Err(e) => return Some(format!("SVG does not parse: {e}")),
    };
    let root = doc.root_element();
    if root.tag_name().name() != "svg" {
        return Some("the root element is not <svg>".into());
    }
    let texts = |class: &str| -> Vec<String> {
        root.descendants()
            .filter(|n| n.attribute("class") == Some(class))
            .map(|n| n.text().unwrap_or("").to_string())
            .collect()
    };
    let mut want_texts = Vec::new();
    let mut got_texts = Vec::new();
    let (labels, pcts) = (texts("label"), texts("pct"));
    for (l, p) in labels.iter().zip(&pcts) {
        got_texts.push(l.clone());
        got_texts.push(p.clone());
    }
    let mut want_ticks = Vec::new();
    let mut want_legend = Vec::new();
    let mut want_bars: Vec<(usize, f64)> = Vec::new();
    let mut title = None;
    for line in chart.lines() {
        let (k, v) = line.split_once(' ').unwrap_or((line, ""));
        match k {
            "title" => title = Some(v.to_string()),
            "text" => want_texts.push(v.to_string()),
            "xtick" => want_ticks.push(v.to_string()),
            "legend" => want_legend.push(v.to_string()),
            "bar" => {
                let mut it = v.split(' ');
                let s = it.next().and_then(|x| x.parse().ok()).unwrap_or(0);
                let h = it.next().and_then(|x| x.parse().ok()).unwrap_or(f64::NAN);
                want_bars.push((s, h));
            }
            _ => {}
        }
    }
    let got_title = texts("title").into_iter().next().unwrap_or_default();
    if title.as_deref().unwrap_or("") != got_title {
        return Some(format!("title {got_title:?}, smem {title:?}"));
    }
    if want_texts != got_texts {
        return Some(format!("pie texts {got_texts:?}, smem {want_texts:?}"));
    }
    if want_ticks != texts("xtick") || want_legend != texts("legend") {
        return Some(format!(
            "bar labels {:?} / {:?}, smem {want_ticks:?} / {want_legend:?}",
            texts("xtick"),
            texts("legend")
        ));
    }
    let got_bars: Vec<(usize, f64)> = root
        .descendants()
        .filter(|n| n.attribute("class") == Some("bar"))
        .map(|n| {
            let s = n
                .attribute("data-series")
                .and_then(|x| x.parse().ok())
                .unwrap_or(0);
            let v = n
                .attribute("data-value")
                .and_then(|x| x.parse().ok())
                .unwrap_or(f64::NAN);
            (s, v)
        })
        .collect();
    let same = got_bars.len() == want_bars.len()
        && got_bars
            .iter()
            .zip(&want_bars)
            .all(|(a, b)| a.0 == b.0 && (a.1 - b.1).abs() <= 1e-6 * b.1.abs().max(1.0));
    if !same {
        return Some(format!("bars {got_bars:?}, smem {want_bars:?}"));
    }
    None
}

/// Runs the cases `pick` selects and fails with every difference; returns how many ran.
fn check_goldens(pick: fn(&Case) -> bool) -> usize {
    let w = Work::new();
    let all: Vec<Case> = cases().into_iter().filter(pick).collect();
    let mut failures = Vec::new();
    for c in &all {
        if !dir()
            .join("golden")
            .join(format!("{}.status", c.name))
            .exists()
        {
            failures.push(format!(
                "{}: no golden (run util/record-smem-goldens.sh)",
                c.name
            ));
            continue;
        }
        if let Some(why) = check(&w, c) {
            failures.push(format!(
                "{} (smem -S {} {}): {why}",
                c.name, c.fixture, c.args
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        all.len(),
        failures.join("\n\n")
    );
    all.len()
}

/// `-K` runs binutils' `size`; its goldens hold size's output.
fn uses_size(c: &Case) -> bool {
    c.args.contains("-K ")
}

fn goldens_from_smem() {
    let n = check_goldens(|c| !uses_size(c));
    assert!(n > 200, "cases.txt has {n} cases without -K");
    println!("{n} smem goldens identical");
}

fn kernel_image_goldens_from_smem() {
    let n = check_goldens(uses_size);
    assert!(n >= 5, "only {n} -K cases");
    println!("{n} smem -K goldens identical");
}

/// The charts also render: rsvg-convert (librsvg) turns each into a PNG.
fn charts_render_with_librsvg() {
    let w = Work::new();
    let tmp = w.0.join("svg");
    std::fs::create_dir_all(&tmp).expect("svg dir");
    let mut n = 0;
    for c in cases().iter().filter(|c| c.name.starts_with("chart_")) {
        let out = run_case(&w, c);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}: {}",
            c.name,
            show(&out.stderr)
        );
        let svg = tmp.join(format!("{}.svg", c.name));
        let png = tmp.join(format!("{}.png", c.name));
        std::fs::write(&svg, &out.stdout).expect("write svg");
        let r = Command::new("rsvg-convert")
            .arg("-o")
            .arg(&png)
            .arg(&svg)
            .output()
            .expect("rsvg-convert");
        assert!(
            r.status.success(),
            "{}: rsvg-convert: {}",
            c.name,
            show(&r.stderr)
        );
        let head = std::fs::read(&png).expect("png");
        assert!(head.starts_with(b"\x89PNG"), "{}: not a PNG", c.name);
        n += 1;
    }
    assert!(n >= 5, "only {n} chart cases");
}

/// Starts processes that hold still and compares memtools with the real smem on them.
fn differential_against_live_smem() {
    let kids: Vec<Proc> = ["100001", "100002", "100003"]
        .iter()
        .map(|arg| Proc::start(Command::new("sleep").arg(arg)))
        .collect();
    let pids: Vec<String> = kids.iter().map(|k| k.pid().to_string()).collect();
    // Only our sleeps: other processes change between the two runs.
    let filter = "^sleep 10000[123]$".to_string();
    let mut failures = Vec::new();
    let mut compared = 0;
    for opts in [
        // PSS moves as other processes come and go, so no PSS order or column here.
        vec!["-c", "pid user command maps rss vss", "-s", "vss"],
        vec!["-c", "pid name command maps vss", "-t", "-s", "pid"],
        vec!["-c", "pid command maps", "-s", "pid", "-r", "-a"],
        vec!["-u", "-c", "user count", "-s", "count"],
        vec!["-m", "-c", "map count pids vss", "-s", "map"],
        vec!["-c", "pid maps", "-k", "-H", "-s", "maps"],
    ] {
        let run = |prog: &str, pre: &[&str]| {
            let mut c = Command::new(prog);
            c.args(pre)
                .args(["-P", &filter])
                .args(&opts)
                .stdin(Stdio::null())
                .env_remove("COLUMNS")
                .env_remove("MEMTOOLS_PROC_ROOT")
                .env_remove("MEMTOOLS_PASSWD")
                .env_remove("MEMTOOLS_PROC_OWNERS");
            c.output().expect("run")
        };
        let a = run("/usr/bin/smem", &[]);
        let b = run(common::memtools().to_str().unwrap_or("memtools"), &["smem"]);
        compared += 1;
        if a.stdout != b.stdout || a.status.code() != b.status.code() {
            failures.push(format!(
                "{opts:?}\n--- smem ({:?})\n{}--- memtools ({:?})\n{}",
                a.status.code(),
                show(&a.stdout),
                b.status.code(),
                show(&b.stdout)
            ));
        }
        // The rows are ours (not smem's own python process or another test's).
        if opts[0] != "-u" && opts[0] != "-m" {
            let text = show(&b.stdout);
            assert!(
                pids.iter().all(|p| text.contains(p.as_str())),
                "{opts:?}: {text}"
            );
        }
    }
    drop(kids);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    println!("{compared} live comparisons with smem identical");
}

/// `--json`: one valid object per row, in the table's order, sizes the table's kB x 1024
/// (the table being smem's own golden).
fn json_rows_match_the_golden_table() {
    let c = Case {
        name: "json".into(),
        fixture: "edge".into(),
        args: "--json -s pid".into(),
    };
    let out = run_case(&Work::new(), &c);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out.stderr));
    let table = show(&golden("edge_s_pid", "out"));
    let rows: Vec<Vec<&str>> = table
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().collect())
        .collect();
    let text = show(&out.stdout);
    let objs: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("valid JSON"))
        .collect();
    assert_eq!(objs.len(), rows.len(), "{text}");
    for (o, r) in objs.iter().zip(&rows) {
        assert_eq!(o["schema_version"], 1);
        assert_eq!(o["tool"], "smem");
        assert_eq!(o["view"], "processes");
        assert_eq!(o["pid"].to_string(), r[0]);
        // The golden's last four columns: swap uss pss rss (kB).
        let n = r.len();
        for (k, col) in [
            ("swap", n - 4),
            ("uss", n - 3),
            ("pss", n - 2),
            ("rss", n - 1),
        ] {
            let kb: i64 = r[col].parse().expect("number");
            assert_eq!(o[k].as_i64(), Some(kb * 1024), "{k} of {o}");
        }
    }
}

/// `--fast` (smaps_rollup): RSS and swap are the same counters as in smaps, so they match
/// the real smem (USS too, but it moves whenever a process sharing pages with the sleep
/// exits, as other tests' sleeps do, so it is not compared); fields smaps_rollup cannot
/// give are refused.
fn fast_matches_smem_on_rss() {
    let kid = Proc::start(Command::new("sleep").arg("100004"));
    let args = ["-P", "^sleep 100004$", "-c", "pid rss swap", "-s", "pid"];
    let a = Command::new("/usr/bin/smem")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("smem");
    let b = Command::new(common::memtools())
        .arg("smem")
        .arg("--fast")
        .args(args)
        .env_remove("MEMTOOLS_PROC_ROOT")
        .stdin(Stdio::null())
        .output()
        .expect("memtools");
    let refused = Command::new(common::memtools())
        .args(["smem", "--fast", "-c", "pid vss"])
        .env_remove("MEMTOOLS_PROC_ROOT")
        .stdin(Stdio::null())
        .output()
        .expect("memtools");
    let pid = kid.pid().to_string();
    drop(kid);
    assert_eq!(show(&a.stdout), show(&b.stdout));
    assert!(show(&a.stdout).contains(&pid));
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        show(&refused.stderr).starts_with("smem: --fast"),
        "{}",
        show(&refused.stderr)
    );
}

/// `-S FILE` (smemcap's tarballs, or any file): refused with one line and status 1, where
/// smem 1.5 dies on a tarball and prints nothing for other files (docs/smem.md).
fn a_file_as_source_is_refused() {
    let c = Case {
        name: "source_file".into(),
        fixture: "cases.txt".into(),
        args: String::new(),
    };
    let out = run_case(&Work::new(), &c);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(
        show(&out.stderr),
        "smem: cases.txt: smemcap tar archives are not read (smem 1.5 fails on them too); \
         unpack it and give the directory holding proc/\n"
    );
}
