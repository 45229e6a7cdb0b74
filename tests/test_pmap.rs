//! pmap against goldens recorded from procps-ng 4.0.2 (util/record-pmap-goldens.sh), plus a
//! differential test against /usr/bin/pmap on live processes when that can run.
//!
//! Every case of tests/fixtures/pmap/cases.txt runs memtools with MEMTOOLS_PROC_ROOT set
//! to a temporary directory whose `<pid>` entries link to the fixture directories. The
//! expected output is the golden, with these documented transforms (docs/pmap.md,
//! "Deliberate differences"):
//! * the usage text gains 4.0.6's `-k` line, and `-V` names memtools;
//! * the usage text gains memtools' `--json` line after `-A, --range`, and getopt's
//!   ambiguity list of a prefix of "json" gains `'--json'` at its end, where `json` sits in
//!   the long-option table (no recorded case has such a list; `transforms_are_sane` checks
//!   the rule);
//! * `utf8names` in the default/`-x`/`-d` formats: valid UTF-8 and TAB in mapping names are
//!   kept (4.0.5's rule) where 4.0.2 printed `?` per byte;
//! * several PIDs with `-X`-style footers: each footer holds that PID's own totals (4.0.4's
//!   fix); the expected totals are recomputed from the golden's own rows.

mod common;
mod pmap_json;

use common::{
    copy_dir, dev_full, long_option_last, need, on_failure, replace, scratch, show, trial, Need,
    Proc,
};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    common::run(vec![
        trial!(pmap_json::json_agrees_with_goldens_and_text),
        trial!(goldens_from_procps),
        trial!(goldens_from_procps_sysv, sysv_minor_1()),
        trial!(
            pmap_json::json_agrees_with_goldens_and_text_sysv,
            sysv_minor_1()
        ),
        trial!(
            differential_live_frozen,
            need::mount_namespace(),
            need::procps("pmap")
        ),
        trial!(use_kernel_name),
        trial!(use_kernel_name_header_is_4_0_6),
        trial!(write_error, need::dev_full()),
        trial!(transforms_are_sane),
        trial!(differential_live_unfrozen, need::procps("pmap")),
        trial!(
            differential_permission_denied,
            need::nobody(),
            need::procps("pmap")
        ),
        trial!(pmap_json::json_names_are_the_kernel_names),
        trial!(pmap_json::json_several_pids_and_errors),
        trial!(pmap_json::json_options),
    ]);
}

const USAGE_P_LINE: &str = " -p, --show-path             show path in the mapping\n";
const USAGE_K_LINE: &str = " -k, --use-kernel-name       use names provided by kernel\n";
const USAGE_A_LINE: &str = " -A, --range=<low>[,<high>]  limit results to the given range\n";
const USAGE_JSON_LINE: &str =
    "     --json                  print JSON, sizes in bytes (memtools)\n";

struct Case {
    name: String,
    pids: Vec<(String, String)>,
    opts: Vec<String>,
    args: Vec<String>,
}

fn pmap_dir() -> PathBuf {
    common::fixtures().join("pmap")
}

/// Splits shell words: blanks separate, single and double quotes group (no escapes needed
/// by the case file).
fn shell_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut have = false;
    let mut quote: Option<char> = None;
    for ch in s.chars() {
        match quote {
            Some(q) if ch == q => quote = None,
            Some(_) => cur.push(ch),
            None => match ch {
                '\'' | '"' => {
                    quote = Some(ch);
                    have = true;
                }
                ' ' | '\t' => {
                    if have {
                        out.push(std::mem::take(&mut cur));
                        have = false;
                    }
                }
                _ => {
                    cur.push(ch);
                    have = true;
                }
            },
        }
    }
    if have {
        out.push(cur);
    }
    out
}

fn load_cases() -> Vec<Case> {
    let text = std::fs::read_to_string(pmap_dir().join("cases.txt")).expect("cases.txt");
    let mut v = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = line.splitn(4, '|').collect();
        assert_eq!(parts.len(), 4, "bad case line {line}");
        let pids = parts[1]
            .split_whitespace()
            .filter(|p| *p != "-")
            .map(|p| {
                let (a, b) = p.split_once('=').expect("pid=fixture");
                (a.to_string(), b.to_string())
            })
            .collect();
        let opts = parts[2]
            .split_whitespace()
            .filter(|o| *o != "-")
            .map(String::from)
            .collect();
        v.push(Case {
            name: parts[0].trim().to_string(),
            pids,
            opts,
            args: shell_words(parts[3].trim()),
        });
    }
    v
}

/// The goldens of fixtures that map SysV shm segments hold the device minor of the machine
/// they were recorded on (1), which pmap's SysV discovery compares with this machine's.
fn sysv_minor_1() -> Need {
    Need::new("sysv-shm-minor-1", || match common::sysv_shm_minor() {
        Some(1) => Ok(()),
        m => Err(format!(
            "needs SysV shm segments on device minor 1, as where the goldens were recorded \
             (this machine: {})",
            m.map_or("no SysV shm".to_string(), |m| m.to_string())
        )),
    })
}

fn read_golden(name: &str, ext: &str) -> Option<Vec<u8>> {
    std::fs::read(pmap_dir().join("golden").join(format!("{name}.{ext}"))).ok()
}

fn common_transforms(b: &[u8]) -> Vec<u8> {
    let b = replace(
        b,
        USAGE_P_LINE.as_bytes(),
        format!("{USAGE_P_LINE}{USAGE_K_LINE}").as_bytes(),
    );
    let b = replace(
        &b,
        USAGE_A_LINE.as_bytes(),
        format!("{USAGE_A_LINE}{USAGE_JSON_LINE}").as_bytes(),
    );
    let b = long_option_last(&b, "json");
    replace(
        &b,
        b"pmap from procps-ng 4.0.2",
        format!("pmap from memtools {}", env!("CARGO_PKG_VERSION")).as_bytes(),
    )
}

/// 4.0.5 name sanitizing for the utf8names fixture: valid UTF-8 and TAB stay.
fn utf8_transform(b: &[u8]) -> Vec<u8> {
    let b = replace(b, b"caf??", "café".as_bytes());
    let b = replace(&b, b"lib??.so", "libü.so".as_bytes());
    replace(&b, b"tab?here", b"tab\there")
}

/// 4.0.4's per-PID `-X` totals: recompute each footer's totals line from its block's rows.
fn per_pid_totals(b: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(b).into_owned();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut out = String::new();
    let mut block_start = 0;
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        let is_pid_line = l
            .split_once(":   ")
            .is_some_and(|(p, _)| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()));
        if is_pid_line {
            block_start = i + 1;
        }
        let trimmed = l.trim_start_matches(' ');
        if trimmed.starts_with('=') && i + 1 < lines.len() {
            // Column spans of the ==== runs.
            let mut spans = Vec::new();
            let bytes = l.as_bytes();
            let mut j = 0;
            while j < bytes.len() {
                if bytes[j] == b'=' {
                    let s = j;
                    while j < bytes.len() && bytes[j] == b'=' {
                        j += 1;
                    }
                    spans.push((s, j));
                } else {
                    j += 1;
                }
            }
            let mut totals = vec![0u64; spans.len()];
            for row in &lines[block_start..i] {
                if row.contains("Address") {
                    continue;
                }
                for (k, &(s, e)) in spans.iter().enumerate() {
                    let cell = row.get(s..e).unwrap_or("").trim();
                    totals[k] = totals[k].wrapping_add(cell.parse::<u64>().unwrap_or(0));
                }
            }
            out.push_str(l);
            let g = spans.first().map_or(0, |s| s.0);
            let mut t = " ".repeat(g);
            for (k, &(s, e)) in spans.iter().enumerate() {
                t.push_str(&format!("{:>w$} ", totals[k], w = e - s));
            }
            t.push_str("KB \n");
            out.push_str(&t);
            i += 2;
            continue;
        }
        out.push_str(l);
        i += 1;
    }
    out.into_bytes()
}

struct Outcome {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    status: i32,
    created: Option<Vec<u8>>,
}

fn run_case(c: &Case, bin: &Path, extra_args: &[&str]) -> Outcome {
    run_case_in(c, bin, extra_args, &pmap_dir())
}

fn run_case_in(c: &Case, bin: &Path, extra_args: &[&str], fixture_base: &Path) -> Outcome {
    let root = scratch("root");
    for (pid, fx) in &c.pids {
        std::os::unix::fs::symlink(fixture_base.join(fx), root.join(pid)).expect("symlink");
    }
    let home = scratch("home");
    let mut cmd = Command::new(bin);
    cmd.args(extra_args)
        .args(&c.args)
        .current_dir(&home)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("LC_ALL", "C.UTF-8")
        .env("HOME", &home)
        .env("MEMTOOLS_PROC_ROOT", &root);
    let mut created_name = None;
    for o in &c.opts {
        if let Some(h) = o.strip_prefix("home=") {
            copy_dir(&pmap_dir().join("home").join(h), &home);
        } else if o == "nohome" {
            cmd.env_remove("HOME");
        } else if o == "hidekernel" {
            cmd.env("LIBPROC_HIDE_KERNEL", "1");
        } else if let Some(f) = o.strip_prefix("created=") {
            created_name = Some(f.to_string());
        }
    }
    let out = cmd.output().expect("run memtools");
    let created = created_name.and_then(|f| std::fs::read(home.join(f)).ok());
    let _ = std::fs::remove_dir_all(&root);
    let _ = std::fs::remove_dir_all(&home);
    Outcome {
        stdout: out.stdout,
        stderr: out.stderr,
        status: out.status.code().unwrap_or(-1),
        created,
    }
}

fn fixture_has_sysv(fx: &str) -> bool {
    std::fs::read(pmap_dir().join(fx).join("maps"))
        .map(|m| m.windows(5).any(|w| w == b"/SYSV"))
        .unwrap_or(false)
}

/// The golden cases whose fixtures map no SysV shm segment.
fn goldens_from_procps() {
    goldens(false);
}

/// The golden cases whose fixtures map SysV shm segments (see `sysv_minor_1`).
fn goldens_from_procps_sysv() {
    goldens(true);
}

fn goldens(sysv: bool) {
    let cases = load_cases();
    assert!(cases.len() > 500, "case list too short");
    let bin = common::memtools();
    let mut failures = Vec::new();
    let mut ran = 0;
    let mut fixtures_seen = BTreeSet::new();
    for c in &cases {
        if c.pids.iter().any(|(_, fx)| fixture_has_sysv(fx)) != sysv {
            continue;
        }
        let mut exp_out = read_golden(&c.name, "out").expect("golden .out");
        let mut exp_err = read_golden(&c.name, "err").expect("golden .err");
        let exp_status: i32 =
            String::from_utf8_lossy(&read_golden(&c.name, "status").expect("status"))
                .trim()
                .parse()
                .expect("status number");
        exp_out = common_transforms(&exp_out);
        exp_err = common_transforms(&exp_err);
        let smaps_fmt = c
            .args
            .iter()
            .any(|a| a.starts_with("-X") || a == "-c" || a == "-C" || a.starts_with("--read-rc"));
        if c.pids.iter().any(|(_, fx)| fx == "utf8names") && !smaps_fmt {
            exp_out = utf8_transform(&exp_out);
        }
        if c.name.starts_with("multi_") && smaps_fmt {
            exp_out = per_pid_totals(&exp_out);
        }
        let got = run_case(c, &bin, &["pmap"]);
        ran += 1;
        for (_, fx) in &c.pids {
            fixtures_seen.insert(fx.clone());
        }
        let exp_created = read_golden(&c.name, "created");
        if got.stdout != exp_out
            || got.stderr != exp_err
            || got.status != exp_status
            || (exp_created.is_some() && got.created != exp_created)
        {
            failures.push(format!(
                "case {} (args {:?}):\n--- expected status {exp_status}, got {}\n--- expected stdout\n{}--- got stdout\n{}--- expected stderr\n{}--- got stderr\n{}",
                c.name,
                c.args,
                got.status,
                show(&exp_out),
                show(&got.stdout),
                show(&exp_err),
                show(&got.stderr)
            ));
        }
    }
    eprintln!(
        "{ran} golden cases ({}) over {} fixtures",
        if sysv { "SysV" } else { "no SysV" },
        fixtures_seen.len()
    );
    assert!(ran > 100, "only {ran} cases");
    if !failures.is_empty() {
        let n = failures.len();
        if let Ok(f) = std::env::var("PMAP_FAILURES") {
            let _ = std::fs::write(f, failures.join("\n"));
        }
        let first: Vec<String> = failures.into_iter().take(6).collect();
        panic!("{n} golden cases differ; first ones:\n{}", first.join("\n"));
    }
}

/// 4.0.6's `-k` (docs/pmap.md, Options; not in the 4.0.2 oracle): kernel names instead of
/// `[ anon ]`/`[ stack ]`, other names unchanged.
fn use_kernel_name() {
    let c = Case {
        name: "k".into(),
        pids: vec![("1234".into(), "basic".into())],
        opts: vec![],
        args: vec!["-k".into(), "1234".into()],
    };
    let got = run_case(&c, &common::memtools(), &["pmap"]);
    let golden = read_golden("basic__default", "out").expect("golden");
    let want = String::from_utf8_lossy(&golden)
        .replace(
            "rw---   [ anon ]\n00007ffff7d80000",
            "rw--- [heap]\n00007ffff7d80000",
        )
        .replace("16K r----   [ anon ]", "16K r---- [vvar]")
        .replace("8K r-x--   [ anon ]", "8K r-x-- [vdso]")
        .replace("8K rw---   [ anon ]", "8K rw--- [anon:my name]")
        .replace("  [ stack ]", "[stack]")
        .replace("4K --x--   [ anon ]", "4K --x-- [vsyscall]");
    assert_eq!(show(&got.stdout), want);
    assert!(
        want.contains("52K rw---   [ anon ]"),
        "the unnamed mapping stays [ anon ]"
    );
    assert_eq!(got.status, 0);
}

/// With `-k` (which exists only in procps-ng 4.0.6) the header line is escaped as 4.0.6
/// escapes it: strict UTF-8 with C1 and Private Use Area characters as one `?` per byte,
/// and `-` for an empty result. The expected lines are what the 4.0.6 build printed for
/// these command lines (docs/pmap.md, "The command line"); without `-k` the 4.0.2 goldens
/// hold (`goldens_from_procps`).
fn use_kernel_name_header_is_4_0_6() {
    for (fixture, want_406, want_402) in [
        ("cmd_nl", "1234:   -\n", "1234:   ?\n"),
        ("cmd_nuls", "1234:   -\n", "1234:   ?\n"),
        (
            "cmd_utf",
            "1234:   a???b??c??d?(e??\n",
            "1234:   a\u{e000}b\u{85}c??d?(e??\n",
        ),
        (
            "ctrlchars",
            "1234:   pr?og?tab arg nl café bad??end\n",
            "1234:   pr?og?tab arg nl café bad??end\n",
        ),
    ] {
        for (k, want) in [(true, want_406), (false, want_402)] {
            let mut args = vec!["-q".to_string()];
            if k {
                args.push("-k".into());
            }
            args.push("1234".into());
            let c = Case {
                name: fixture.into(),
                pids: vec![("1234".into(), fixture.into())],
                opts: vec![],
                args,
            };
            let got = run_case(&c, &common::memtools(), &["pmap"]);
            let out = String::from_utf8_lossy(&got.stdout).into_owned();
            let first = out.split_inclusive('\n').next().unwrap_or("");
            assert_eq!(first, want, "{fixture} -k={k}");
        }
    }
}

/// `pmap 1 >/dev/full` reports the write error (docs/pmap.md: `pmap: write error: <strerror>`, 1).
fn write_error() {
    let root = scratch("full");
    std::os::unix::fs::symlink(pmap_dir().join("basic"), root.join("1234")).expect("symlink");
    let out = Command::new(common::memtools())
        .args(["pmap", "1234"])
        .env("MEMTOOLS_PROC_ROOT", &root)
        .stdout(dev_full())
        .output()
        .expect("run");
    let _ = std::fs::remove_dir_all(&root);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        show(&out.stderr),
        "pmap: write error: No space left on device\n"
    );
}

fn transforms_are_sane() {
    let g = b"1:   a\n   Address Size Rss Mapping\n        10    4   2 x\n        20    8   1 y\n           ==== === \n           9999 999 KB \n";
    let t = per_pid_totals(g);
    assert!(
        String::from_utf8_lossy(&t).ends_with("           ==== === \n             12   3 KB \n")
    );
    assert_eq!(per_pid_totals(b"x\n"), b"x\n");
    let amb = b"pmap: option '--=x' is ambiguous; possibilities: '--extended' '--device'\n";
    assert_eq!(
        show(&long_option_last(amb, "json")),
        "pmap: option '--=x' is ambiguous; possibilities: '--extended' '--device' '--json'\n"
    );
    let other = b"pmap: option '--re' is ambiguous; possibilities: '--read-rc' '--read-rc-from'\n";
    assert_eq!(long_option_last(other, "json"), other.to_vec());
    let usage = common_transforms(
        format!("{USAGE_P_LINE} -A, --range=<low>[,<high>]  limit results to the given range\n\n")
            .as_bytes(),
    );
    assert_eq!(
        show(&usage),
        format!("{USAGE_P_LINE}{USAGE_K_LINE}{USAGE_A_LINE}{USAGE_JSON_LINE}\n")
    );
    assert_eq!(
        shell_words("-A '' 1 -C 'a b'"),
        vec!["-A", "", "1", "-C", "a b"]
    );
}

/// The live processes of the differential tests (killed when dropped) and their directory.
struct Live {
    children: Vec<(String, Proc)>,
    dir: PathBuf,
}

impl Drop for Live {
    fn drop(&mut self) {
        self.children.clear();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A sleep, a python3 and (when a C compiler is there) util/pmap-fixture-proc.c, which maps
/// SysV shm, a memfd and deleted files.
fn start_live_set() -> Live {
    let dir = scratch("live");
    let mut children = vec![("sleep".to_string(), Proc::sleep())];
    if let Some(c) = Proc::start_ready(Command::new("python3").args([
        "-c",
        "import time; print('ready', flush=True); time.sleep(1000)",
    ])) {
        children.push(("python3".to_string(), c));
    }
    let exe = dir.join("pmap-fixture-proc");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("util/pmap-fixture-proc.c");
    let built = Command::new("cc")
        .args(["-O2", "-o"])
        .arg(&exe)
        .arg(&src)
        .status()
        .is_ok_and(|s| s.success());
    if built {
        if let Some(c) = Proc::start_ready(Command::new(&exe).arg(&dir)) {
            children.push(("helper".to_string(), c));
        }
    } else {
        eprintln!("note: no C compiler; the differential test runs without the shm/memfd helper");
    }
    Live { children, dir }
}

/// memtools and /usr/bin/pmap on the same live processes, unfrozen: the formats whose
/// numbers do not move while a process sleeps (no Pss). Needs no privileges.
fn differential_live_unfrozen() {
    let live = start_live_set();
    let mut compared = 0;
    for (what, child) in &live.children {
        let pid = child.pid().to_string();
        for args in [
            vec![],
            vec!["-d"],
            vec!["-q", "-p"],
            vec!["-x"],
            vec!["-A", "0,7fffffffffff"],
        ] {
            let run = |bin: &Path, pre: &[&str]| {
                let mut c = Command::new(bin);
                c.args(pre).args(&args).arg(&pid).env("LC_ALL", "C.UTF-8");
                c.env_remove("MEMTOOLS_PROC_ROOT");
                c.output().expect("run")
            };
            let want = Command::new("bash")
                .args(["-c", "exec -a pmap /usr/bin/pmap \"$@\"", "pmap"])
                .args(&args)
                .arg(&pid)
                .env("LC_ALL", "C.UTF-8")
                .output()
                .expect("run oracle");
            let got = run(&common::memtools(), &["pmap"]);
            assert_eq!(
                show(&got.stdout),
                show(&want.stdout),
                "{what} (pid {pid}) with {args:?}"
            );
            assert_eq!(got.status.code(), want.status.code(), "{what} {args:?}");
            compared += 1;
        }
    }
    eprintln!("differential (unfrozen): {compared} runs identical");
    assert!(
        compared >= 5,
        "at least the sleep process must have been compared"
    );
}

/// memtools and /usr/bin/pmap on frozen copies of live processes, every format (root:
/// the oracle needs util/record-pmap-goldens.sh's pid and mount namespaces).
fn differential_live_frozen() {
    let util = Path::new(env!("CARGO_MANIFEST_DIR")).join("util");
    let live = start_live_set();
    let fx = live.dir.join("fixtures");
    let golden = live.dir.join("golden");
    std::fs::create_dir_all(&fx).expect("mkdir");
    let mut cases = String::new();
    let mut list = Vec::new();
    for (what, child) in &live.children {
        let ok = Command::new(util.join("capture-pmap-fixture.sh"))
            .arg(child.pid().to_string())
            .arg(what)
            .env("PMAP_FIXTURE_DIR", &fx)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "capture {what}");
        for (tag, args) in [
            ("default", ""),
            ("x", "-x"),
            ("d", "-d"),
            ("X", "-X"),
            ("XX", "-XX"),
            ("Xq", "-X -q"),
            ("XXp", "-XX -p"),
            ("p", "-p"),
        ] {
            let name = format!("{what}__{tag}");
            cases.push_str(&format!("{name} | 1234={what} | - | {args} 1234\n"));
            list.push(Case {
                name,
                pids: vec![("1234".into(), what.clone())],
                opts: vec![],
                args: shell_words(&format!("{args} 1234")),
            });
        }
    }
    let cases_file = live.dir.join("cases.txt");
    std::fs::write(&cases_file, cases).expect("write cases");
    let rec = Command::new(util.join("record-pmap-goldens.sh"))
        .arg(&cases_file)
        .arg(&golden)
        .env("PMAP_FIXTURES_DIR", &fx)
        .output()
        .expect("run recorder");
    if !rec.status.success() {
        common::skip(format!(
            "the oracle harness (util/record-pmap-goldens.sh) could not run: {}",
            show(&rec.stderr).trim()
        ));
    }
    for c in &list {
        let read =
            |ext: &str| std::fs::read(golden.join(format!("{}.{ext}", c.name))).expect("golden");
        let got = run_case_in(c, &common::memtools(), &["pmap"], &fx);
        assert_eq!(show(&got.stdout), show(&read("out")), "case {}", c.name);
        assert_eq!(show(&got.stderr), show(&read("err")), "case {}", c.name);
        let st: i32 = show(&read("status")).trim().parse().expect("status");
        assert_eq!(got.status, st, "case {}", c.name);
    }
    eprintln!(
        "differential (frozen): {} cases identical over {} live processes",
        list.len(),
        live.children.len()
    );
}

/// Permission denied: only the `PID:   command` line, exit status 1 (docs/pmap.md). Runs
/// both tools as `nobody` against a root process; memtools from a copy that nobody can
/// reach wherever the checkout lives.
fn differential_permission_denied() {
    let victim = Proc::sleep();
    let pid = victim.pid().to_string();
    let nobody = common::memtools_for_nobody();
    // argv[0] "pmap" selects the applet in the multicall binary, as a link would.
    let as_nobody = |prog: &Path, args: &[&str]| {
        nobody
            .command("bash")
            .args(["-c", "exec -a pmap \"$0\" \"$@\""])
            .arg(prog)
            .args(args)
            .arg(&pid)
            .env("LC_ALL", "C.UTF-8")
            .env_remove("MEMTOOLS_PROC_ROOT")
            .output()
            .expect("setpriv")
    };
    for args in [&[][..], &["-x"][..], &["-X"][..]] {
        let want = as_nobody(Path::new("/usr/bin/pmap"), args);
        let got = as_nobody(nobody.exe(), args);
        assert_eq!(want.status.code(), Some(1), "procps {args:?}: {want:?}");
        assert_eq!(show(&got.stdout), show(&want.stdout), "{args:?}");
        assert_eq!(show(&got.stdout), format!("{pid}:   sleep 1000\n"));
        assert_eq!(got.status.code(), Some(1));
    }
}
