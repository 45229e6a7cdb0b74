//! `free` against goldens recorded from procps-ng 4.0.2 (util/record-free-goldens.sh), plus
//! a differential run against the installed /usr/bin/free when we are root.
//!
//! The goldens are the real tool's raw output. A few documented transformations turn them
//! into memtools' expectation (docs/free.md, "Testing"):
//! * the usage text gains 4.0.4's `-L, --line` line, and getopt's ambiguity lists that
//!   name `--lohi` gain `--line` after it;
//! * the usage text gains memtools' `--json` and `--cgroup[=DIR]` lines after `-w, --wide`,
//!   and the ambiguity list of a prefix of "json" (only `--=` among the goldens) gains
//!   `'--json'` at its end, and that of a prefix of "cgroup" (`--=`, `--c`) `'--cgroup'`
//!   after it, where `json` and `cgroup` sit in the long-option table;
//! * `free from procps-ng 4.0.2` becomes `free from memtools VERSION`;
//! * with no meminfo at all, `/proc/meminfo` in the message becomes the snapshot path;
//! * `line` cases: each recorded table (of the same options minus -L/-w/-l/-t/-v) becomes
//!   the 4.0.4 one-line form.

mod common;

use common::{
    close_stdout, dev_full, fixtures, json_rows, long_option_last, memtools, need, replace,
    scratch, show, table_rows, tables_to_lines, trial, wait_bounded,
};
use std::ffi::OsString;
use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::ffi::OsStringExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn main() {
    common::run(vec![
        trial!(
            differential_against_installed_procps,
            need::mount_namespace(),
            need::procps("free")
        ),
        trial!(
            differential_arguments_against_installed_procps,
            need::mount_namespace(),
            need::procps("free")
        ),
        trial!(goldens_from_procps_4_0_2),
        trial!(goldens_from_procps_4_0_2_to_dev_full, need::dev_full()),
        trial!(line_mode_matches_the_4_0_4_examples),
        trial!(double_dash_l_is_ambiguous_with_line),
        trial!(broken_pipe_ends_quietly),
        trial!(missing_meminfo_names_the_snapshot_path),
        trial!(json_agrees_with_the_goldens_and_the_table),
        trial!(json_repeats_one_object_per_line),
    ]);
}

const LOHI_LINE: &str = " -l, --lohi          show detailed low and high memory statistics\n";
const LINE_LINE: &str = " -L, --line          show output on a single line\n";
const WIDE_LINE: &str = " -w, --wide          wide output\n";
const JSON_LINE: &str = "     --json          print JSON, sizes in bytes (memtools)\n";
const CGROUP_LINE: &str = "     --cgroup[=DIR]  show a memory cgroup's memory (memtools)\n";

struct Case {
    name: String,
    fixture: String,
    full: bool,
    closed: bool,
    posix: bool,
    line: bool,
    argv0: Vec<u8>,
    args: Vec<Vec<u8>>,
}

fn decode(tok: &str) -> Vec<u8> {
    if tok == "''" {
        return Vec::new();
    }
    let b = tok.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).expect("hex escape");
            out.push(u8::from_str_radix(hex, 16).expect("hex escape"));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

fn load_cases() -> Vec<Case> {
    let text = fs::read_to_string(fixtures().join("free/cases.tsv")).expect("cases.tsv");
    let mut cases = Vec::new();
    for line in text.lines() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.splitn(4, '\t').collect();
        assert!(f.len() >= 3, "bad case line {line:?}");
        let mut c = Case {
            name: f[0].to_string(),
            fixture: f[1].to_string(),
            full: false,
            closed: false,
            posix: false,
            line: false,
            argv0: b"free".to_vec(),
            args: f
                .get(3)
                .map(|a| a.split(' ').filter(|t| !t.is_empty()).map(decode).collect())
                .unwrap_or_default(),
        };
        for flag in f[2].split(',') {
            match flag {
                "-" => {}
                "full" => c.full = true,
                "closed" => c.closed = true,
                "posix" => c.posix = true,
                "line" => c.line = true,
                a if a.starts_with("argv0=") => c.argv0 = decode(&a["argv0=".len()..]),
                other => panic!("unknown flag {other} in case {}", c.name),
            }
        }
        cases.push(c);
    }
    cases
}

/// A snapshot root holding the fixture as `meminfo` (or nothing, or a directory).
fn snapshot_root(base: &Path, fixture: &str) -> PathBuf {
    let root = base.join(fixture.trim_start_matches('@'));
    if root.exists() {
        return root;
    }
    fs::create_dir_all(&root).expect("root dir");
    match fixture {
        "@missing" => {}
        "@dir" => fs::create_dir(root.join("meminfo")).expect("meminfo dir"),
        f => {
            fs::copy(
                fixtures().join(format!("free/{f}.meminfo")),
                root.join("meminfo"),
            )
            .unwrap_or_else(|e| panic!("copy fixture {f}: {e}"));
        }
    }
    root
}

fn run_case(c: &Case, root: &Path) -> Output {
    let mut cmd = Command::new(memtools());
    if c.argv0 == b"free" {
        cmd.arg("free");
    } else {
        // Link form: the dispatcher takes the applet from argv[0]'s basename and passes
        // argv[0] on as it is, which is what getopt's messages show.
        cmd.arg0(OsString::from_vec(c.argv0.clone()));
    }
    cmd.args(c.args.iter().map(|a| OsString::from_vec(a.clone())))
        .env_clear()
        .env("LC_ALL", "C")
        .env("MEMTOOLS_PROC_ROOT", root);
    if c.posix {
        cmd.env("POSIXLY_CORRECT", "1");
    }
    if c.full {
        cmd.stdout(dev_full());
    }
    if c.closed {
        close_stdout(&mut cmd);
    }
    cmd.output().expect("spawn memtools")
}

/// The 4.0.2 text -> the memtools text, for the documented differences that do not depend
/// on the case (usage gains the -L line; the version names memtools).
fn common_transform(b: &[u8]) -> Vec<u8> {
    let with_l = format!("{LOHI_LINE}{LINE_LINE}");
    let b = replace(b, LOHI_LINE.as_bytes(), with_l.as_bytes());
    let with_json = format!("{WIDE_LINE}{JSON_LINE}{CGROUP_LINE}");
    let b = replace(&b, WIDE_LINE.as_bytes(), with_json.as_bytes());
    // getopt's ambiguity list follows the long-option table, where `line` follows `lohi`
    // (a list naming '--lohi' came from a prefix that `line` matches too: "", "l"), and
    // `json`, `cgroup` come last.
    let mut lines: Vec<Vec<u8>> = Vec::new();
    for l in b.split_inclusive(|&c| c == b'\n') {
        let ambiguous = l.windows(13).any(|w| w == b"is ambiguous;");
        lines.push(if ambiguous {
            replace(l, b" '--lohi'", b" '--lohi' '--line'")
        } else {
            l.to_vec()
        });
    }
    let b = long_option_last(&long_option_last(&lines.concat(), "json"), "cgroup");
    replace(
        &b,
        b"free from procps-ng 4.0.2\n",
        format!("free from memtools {}\n", env!("CARGO_PKG_VERSION")).as_bytes(),
    )
}

struct Expect {
    out: Vec<u8>,
    err: Vec<u8>,
    status: i32,
}

fn expected(c: &Case, root: &Path) -> Expect {
    let g = fixtures().join("free/golden");
    let read = |ext: &str| {
        fs::read(g.join(format!("{}.{ext}", c.name)))
            .unwrap_or_else(|e| panic!("golden {}.{ext}: {e}", c.name))
    };
    let status: i32 = String::from_utf8_lossy(&read("status"))
        .trim()
        .parse()
        .expect("status file");
    let mut out = common_transform(&read("out"));
    let mut err = common_transform(&read("err"));
    if c.fixture == "@missing" {
        let path = format!("{}/meminfo", root.display());
        err = replace(&err, b"/proc/meminfo", path.as_bytes());
    }
    if c.line && status == 0 {
        out = tables_to_lines(&out);
        assert!(
            !out.is_empty(),
            "{}: no table to turn into -L lines",
            c.name
        );
    }
    Expect { out, err, status }
}

fn goldens_from_procps_4_0_2() {
    goldens(|c| !c.full);
}

/// The cases that write to /dev/full (`free: write error`).
fn goldens_from_procps_4_0_2_to_dev_full() {
    goldens(|c| c.full);
}

/// The golden cases that `which` selects.
fn goldens(which: fn(&Case) -> bool) {
    let cases = load_cases();
    assert!(cases.len() > 1000, "only {} cases", cases.len());
    let base = scratch("golden");
    let mut failures = Vec::new();
    let mut ran = 0;
    for c in cases.iter().filter(|c| which(c)) {
        ran += 1;
        let root = snapshot_root(&base, &c.fixture);
        let want = expected(c, &root);
        let got = run_case(c, &root);
        let mut why = Vec::new();
        if got.stdout != want.out {
            why.push(format!(
                "stdout:\n--- want\n{}--- got\n{}",
                show(&want.out),
                show(&got.stdout)
            ));
        }
        if got.stderr != want.err {
            why.push(format!(
                "stderr:\n--- want\n{}--- got\n{}",
                show(&want.err),
                show(&got.stderr)
            ));
        }
        if got.status.code() != Some(want.status) {
            why.push(format!(
                "status: want {} got {:?}",
                want.status,
                got.status.code()
            ));
        }
        if !why.is_empty() {
            failures.push(format!("== case {}\n{}", c.name, why.join("\n")));
        }
    }
    let _ = fs::remove_dir_all(&base);
    assert!(ran > 0, "no case selected");
    assert!(
        failures.is_empty(),
        "{} of {ran} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The `-L` transformation, applied to the recorded 4.0.2 goldens, must give procps-ng's
/// 4.0.4 example lines (docs/free.md, `-L`), and memtools must print them, so a wrong transformation cannot
/// hide a wrong `-L` implementation.
fn line_mode_matches_the_4_0_4_examples() {
    let base = scratch("line");
    let root = snapshot_root(&base, "basic");
    let plain =
        "SwapUse      597148 CachUse     3000000  MemUse     3000000 MemFree     1000000 \n";
    let examples: &[(&str, &[&str], String)] = &[
        ("basic__L__line", &["-L"], plain.to_string()),
        (
            "basic__L_h__line",
            &["-L", "-h"],
            "SwapUse       583Mi CachUse       2.9Gi  MemUse       2.9Gi MemFree       976Mi \n"
                .to_string(),
        ),
        (
            "basic__L_b__line",
            &["-L", "-b"],
            "SwapUse   611479552 CachUse  3072000000  MemUse  3072000000 MemFree  1024000000 \n"
                .to_string(),
        ),
        (
            "basic__L_w_l_t_v__line",
            &["-L", "-w", "-l", "-t", "-v"],
            plain.to_string(),
        ),
        (
            "args__L_c_3_s_0.01__line",
            &["-L", "-c", "3", "-s", "0.01"],
            plain.repeat(3),
        ),
    ];
    let cases = load_cases();
    for (name, args, want) in examples {
        let case = cases
            .iter()
            .find(|c| c.name == *name)
            .unwrap_or_else(|| panic!("case {name} missing from cases.tsv"));
        assert!(case.line, "{name} is not a line case");
        assert_eq!(
            show(&expected(case, &root).out),
            *want,
            "transformed golden {name}"
        );
        let o = common::run_applet("free", args, Some(&root));
        assert_eq!(show(&o.stdout), *want, "memtools free {args:?}");
        assert!(o.stderr.is_empty());
        assert_eq!(o.status.code(), Some(0));
    }
    let _ = fs::remove_dir_all(&base);
}

/// `--l` was `--lohi` in 4.0.2; with `--line` it is ambiguous (glibc's message, then usage).
fn double_dash_l_is_ambiguous_with_line() {
    let base = scratch("ambig");
    let root = snapshot_root(&base, "basic");
    let usage = common_transform(
        &fs::read(fixtures().join("free/golden/args__help.out")).expect("help golden"),
    );
    let o = common::run_applet("free", &["--l"], Some(&root));
    let mut want = b"free: option '--l' is ambiguous; possibilities: '--lohi' '--line'\n".to_vec();
    want.extend_from_slice(&usage);
    assert_eq!(show(&o.stderr), show(&want));
    assert!(o.stdout.is_empty());
    assert_eq!(o.status.code(), Some(1));
    // A longer prefix is unique again.
    let o = common::run_applet("free", &["--lo"], Some(&root));
    assert!(show(&o.stdout).contains("\nLow:"));
    let o = common::run_applet("free", &["--li"], Some(&root));
    assert!(show(&o.stdout).starts_with("SwapUse "));
    let _ = fs::remove_dir_all(&base);
}

/// `free -s 0.1 | head -1`: the reader goes away; free must end quietly (SIGPIPE or a quiet
/// exit), without a panic message or any other stderr text, within a few seconds.
fn broken_pipe_ends_quietly() {
    let base = scratch("pipe");
    let root = snapshot_root(&base, "basic");
    let mut child = Command::new(memtools())
        .args(["free", "-s", "0.1"])
        .env("MEMTOOLS_PROC_ROOT", &root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("first line");
    assert!(first.starts_with("               total"), "{first:?}");
    // The reader is dropped here: the next write hits a closed pipe.
    let status = wait_bounded(
        &mut child,
        Duration::from_secs(5),
        "free after its reader went away",
    );
    let mut err = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut err)
        .expect("stderr");
    assert_eq!(err, "", "stderr after a closed pipe");
    use std::os::unix::process::ExitStatusExt;
    assert!(
        status.signal() == Some(libc::SIGPIPE) || status.code() == Some(0),
        "{status:?}"
    );
    let _ = fs::remove_dir_all(&base);
}

// ---------------------------------------------------------------------------------------
// Differential testing against the installed procps-ng free.

/// xorshift64*: a tiny seeded PRNG, enough to spread the inputs.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const FREE_KEYS: &[&str] = &[
    "MemTotal",
    "MemFree",
    "MemAvailable",
    "Buffers",
    "Cached",
    "SReclaimable",
    "Shmem",
    "SwapTotal",
    "SwapFree",
    "LowTotal",
    "LowFree",
    "HighTotal",
    "HighFree",
    "CommitLimit",
    "Committed_AS",
];
const OTHER_KEYS: &[&str] = &[
    "SwapCached",
    "Active",
    "Slab",
    "HugePages_Total",
    "memtotal",
    "MemTotal ",
    " MemFree",
    "Mem Total",
    "Cached(x)",
    "",
];

fn random_value(r: &mut Rng) -> String {
    let units = [
        1u64,
        1000,
        1024,
        1_000_000,
        1_048_576,
        1 << 30,
        1 << 40,
        1 << 50,
    ];
    match r.below(12) {
        0..=3 => r.below(100_000_000).to_string(),
        4 => r.next().to_string(),
        5 => (r.below(1 << 53)).to_string(),
        6 => {
            // Near a -h boundary: 9.9x, 99x, 999.x or 1000 of some unit.
            let u = *r.pick(&units);
            let f = *r.pick(&[
                9.94f64, 9.95, 9.99, 10.0, 99.95, 999.4, 999.95, 1000.0, 1.25, 0.5,
            ]);
            (((u as f64) * f) as u64 + r.below(3)).to_string()
        }
        7 => format!("-{}", r.below(10_000_000)),
        8 => "9".repeat(1 + r.below(30) as usize),
        9 => format!("+{}", r.below(1000)),
        10 => r
            .pick(&["0", "", "x", "0x10", "1e5", "- 5", "18446744073709551616"])
            .to_string(),
        _ => (u64::MAX - r.below(5)).to_string(),
    }
}

fn random_meminfo(r: &mut Rng) -> Vec<u8> {
    if r.below(40) == 0 {
        return Vec::new();
    }
    let mut s: Vec<u8> = Vec::new();
    if r.below(15) == 0 {
        // Push what follows towards or past the 8191-byte read limit.
        let pad = 7900 + r.below(400) as usize;
        while s.len() < pad {
            s.extend_from_slice(format!("Pad{}: {} kB\n", s.len(), r.below(100)).as_bytes());
        }
    }
    let lines = r.below(40);
    for _ in 0..lines {
        let ws = *r.pick(&[" ", "        ", "\t", "", "  \t "]);
        let unit = *r.pick(&[" kB", " kB", " kB", "", "kB", " MB", " kB junk"]);
        match r.below(20) {
            0..=13 => {
                let k = r.pick(FREE_KEYS);
                s.extend_from_slice(format!("{k}:{ws}{}{unit}", random_value(r)).as_bytes())
            }
            14 | 15 => {
                let k = r.pick(OTHER_KEYS);
                s.extend_from_slice(format!("{k}:{ws}{}{unit}", random_value(r)).as_bytes())
            }
            16 => s.extend_from_slice(b"garbage without a colon"),
            17 => {}
            18 => s.extend_from_slice(b"::"),
            _ => {
                let k = r.pick(FREE_KEYS);
                s.extend_from_slice(format!("{k}:{}\0{}", r.below(99), r.below(99)).as_bytes())
            }
        }
        s.push(if r.below(30) == 0 { b'\r' } else { b'\n' });
    }
    if r.below(5) == 0 {
        s.pop();
    }
    s
}

const DIFF_SETS: &[&str] = &[
    "",
    "-w -l -t -v",
    "-h -w -l -t -v",
    "-h --si -l -t -v",
    "-b -t -v",
    "-m -w -v",
    "--giga -l",
    "--peta -t",
    "--tebi -v",
    "-k --si -w",
];

/// `MEMTOOLS_DIFF_SCALE` (a multiplier for the number of random inputs) and
/// `MEMTOOLS_DIFF_SEED` let a longer or different differential run be made by hand; the
/// defaults keep `cargo test` short and reproducible.
fn diff_params(count: usize, seed: u64) -> (usize, u64) {
    let num = |k: &str| std::env::var(k).ok().and_then(|v| v.parse::<u64>().ok());
    let scale = num("MEMTOOLS_DIFF_SCALE").unwrap_or(1).max(1) as usize;
    (count * scale, num("MEMTOOLS_DIFF_SEED").unwrap_or(seed) | 1)
}

/// The oracle runs in a private mount namespace with a file bound over /proc/meminfo.
fn differential_against_installed_procps() {
    let (files, seed) = diff_params(300, 0x6d65_6d74_6f6f_6c73);
    let base = scratch("diff");
    let input = base.join("in");
    let outd = base.join("out");
    fs::create_dir_all(&input).expect("in");
    fs::create_dir_all(&outd).expect("out");
    let mut r = Rng(seed);
    for i in 0..files {
        fs::write(input.join(format!("{i}")), random_meminfo(&mut r)).expect("write input");
    }
    // One namespace for everything: a scratch file is bound over /proc/meminfo and each
    // input is copied into it (same inode, so the bind mount sees the new content).
    let cur = base.join("cur");
    fs::write(&cur, b"").expect("cur");
    let mut script = String::from("set -u\nmount --bind \"$1\" /proc/meminfo || exit 3\n");
    script.push_str(&format!(
        "for i in $(seq 0 {}); do\n  cat \"$2/$i\" > \"$1\"\n",
        files - 1
    ));
    for (k, set) in DIFF_SETS.iter().enumerate() {
        script.push_str(&format!(
            "  (exec -a free /usr/bin/free {set}) >\"$3/$i.{k}.out\" 2>\"$3/$i.{k}.err\"; echo $? >\"$3/$i.{k}.status\"\n"
        ));
    }
    script.push_str("done\n");
    let start = Instant::now();
    let o = Command::new("unshare")
        .args(["-m", "bash", "-c", &script, "oracle"])
        .arg(&cur)
        .arg(&input)
        .arg(&outd)
        .env_clear()
        .env("LC_ALL", "C")
        .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
        .output()
        .expect("run oracle");
    assert!(o.status.success(), "oracle driver: {}", show(&o.stderr));
    let oracle_time = start.elapsed();

    let mut mismatches = Vec::new();
    let root = base.join("root");
    fs::create_dir_all(&root).expect("root");
    for i in 0..files {
        fs::copy(input.join(format!("{i}")), root.join("meminfo")).expect("copy");
        for (k, set) in DIFF_SETS.iter().enumerate() {
            let args: Vec<&str> = set.split(' ').filter(|a| !a.is_empty()).collect();
            let got = common::run_applet("free", &args, Some(&root));
            let rd =
                |ext: &str| fs::read(outd.join(format!("{i}.{k}.{ext}"))).expect("oracle output");
            let status: i32 = show(&rd("status")).trim().parse().expect("status");
            if got.stdout != rd("out")
                || got.stderr != rd("err")
                || got.status.code() != Some(status)
            {
                mismatches.push(format!(
                    "== input {i} ({:?}), free {set}\n--- procps (status {status})\n{}{}--- memtools ({:?})\n{}{}",
                    show(&fs::read(input.join(format!("{i}"))).unwrap_or_default()),
                    show(&rd("out")),
                    show(&rd("err")),
                    got.status.code(),
                    show(&got.stdout),
                    show(&got.stderr)
                ));
            }
        }
    }
    eprintln!(
        "differential: {files} files x {} option sets (seed {seed:#x}), oracle {:?}, total {:?}, {} mismatches",
        DIFF_SETS.len(),
        oracle_time,
        start.elapsed(),
        mismatches.len()
    );
    let _ = fs::remove_dir_all(&base);
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

const ARG_TOKENS: &[&str] = &[
    "-b",
    "-k",
    "-m",
    "-g",
    "-h",
    "-l",
    "-t",
    "-v",
    "-w",
    "-V",
    "-x",
    "-s",
    "-c",
    "--si",
    "--kilo",
    "--mega",
    "--giga",
    "--tera",
    "--peta",
    "--kibi",
    "--mebi",
    "--gibi",
    "--tebi",
    "--pebi",
    "--help",
    "--version",
    "--bytes",
    "--human",
    "--lohi",
    "--total",
    "--committed",
    "--wide",
    "--seconds",
    "--count",
    "--he",
    "--s",
    "--k",
    "--t",
    "--h",
    "--sec",
    "--cou",
    "--b",
    "--g",
    "--m",
    "--p",
    "--te",
    "--x",
    "--",
    "-",
    "extra",
    "-bk",
    "-hw",
    "-wvt",
    "-s0.5",
    "-c1",
    "-c0",
    "--count=1",
    "--seconds=",
    "--si=",
    "--bytes=x",
    "--seconds=0,5",
    "0",
    "1",
    "2",
    "-1",
    "0.5",
    "1,5",
    "abc",
    "",
    "1e3",
    " 2",
    "0x10",
    "4294967297",
    "99999999999999999999",
    "-0",
    ".",
    "+3",
    "2147483648",
    "\t1",
    "1 ",
    "-?",
    "-:",
    "-é",
    "0.00000099999997",
    "0.000000999999970198",
    "--s=1",
    "--c",
    "--v",
    "--ver",
    "--gi",
];

/// Random command lines (getopt permutation, clusters, prefixes, -s/-c values, operands,
/// POSIXLY_CORRECT) against the installed procps-ng free. Every command line ends in
/// `-c 1` so an accepted one prints a single table; the usage and version texts go through
/// the same documented transformation as the goldens.
fn differential_arguments_against_installed_procps() {
    let (cases, seed) = diff_params(400, 0x6672_6565_6172_6773);
    let base = scratch("diffargs");
    let input = base.join("in");
    let outd = base.join("out");
    fs::create_dir_all(&input).expect("in");
    fs::create_dir_all(&outd).expect("out");
    let root = snapshot_root(&base, "basic");
    let mut r = Rng(seed);
    let mut argvs = Vec::new();
    for i in 0..cases {
        let posix = r.below(8) == 0;
        let mut argv: Vec<String> = Vec::new();
        for _ in 0..r.below(6) {
            let t = *r.pick(ARG_TOKENS);
            argv.push(if t == "99999999999999999999" {
                r.next().to_string()
            } else {
                t.to_string()
            });
        }
        argv.push("-c".into());
        argv.push("1".into());
        // The driver reads: a P/- line for POSIXLY_CORRECT, then NUL-terminated arguments.
        let mut file = if posix { b"P".to_vec() } else { b"-".to_vec() };
        for a in &argv {
            file.push(0);
            file.extend_from_slice(a.as_bytes());
        }
        fs::write(input.join(format!("{i}")), file).expect("write argv");
        argvs.push((posix, argv));
    }
    let script = format!(
        "set -u\nmount --bind \"$1\" /proc/meminfo || exit 3\n\
         for i in $(seq 0 {last}); do\n  mapfile -d '' a < \"$2/$i\"\n  \
         if [ \"${{a[0]}}\" = P ]; then export POSIXLY_CORRECT=1; else unset POSIXLY_CORRECT; fi\n  \
         timeout 5 bash -c 'exec -a free /usr/bin/free \"$@\"' free \"${{a[@]:1}}\" >\"$3/$i.out\" 2>\"$3/$i.err\"\n  \
         echo $? >\"$3/$i.status\"\ndone\n",
        last = cases - 1
    );
    let o = Command::new("unshare")
        .args(["-m", "bash", "-c", &script, "oracle"])
        .arg(root.join("meminfo"))
        .arg(&input)
        .arg(&outd)
        .env_clear()
        .env("LC_ALL", "C")
        .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
        .output()
        .expect("run oracle");
    assert!(o.status.success(), "oracle driver: {}", show(&o.stderr));
    let mut mismatches = Vec::new();
    for (i, (posix, argv)) in argvs.iter().enumerate() {
        let mut cmd = Command::new(memtools());
        cmd.arg("free")
            .args(argv)
            .env_clear()
            .env("LC_ALL", "C")
            .env("MEMTOOLS_PROC_ROOT", &root);
        if *posix {
            cmd.env("POSIXLY_CORRECT", "1");
        }
        let got = cmd.output().expect("spawn memtools");
        let rd = |ext: &str| fs::read(outd.join(format!("{i}.{ext}"))).expect("oracle output");
        let want_out = common_transform(&rd("out"));
        let want_err = common_transform(&rd("err"));
        let status: i32 = show(&rd("status")).trim().parse().expect("status");
        if got.stdout != want_out || got.stderr != want_err || got.status.code() != Some(status) {
            mismatches.push(format!(
                "== free {argv:?} (POSIXLY_CORRECT: {posix})\n--- procps ({status})\n{}{}--- memtools ({:?})\n{}{}",
                show(&want_out),
                show(&want_err),
                got.status.code(),
                show(&got.stdout),
                show(&got.stderr)
            ));
        }
    }
    eprintln!(
        "differential arguments: {cases} command lines (seed {seed:#x}), {} mismatches",
        mismatches.len()
    );
    let _ = fs::remove_dir_all(&base);
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Without a meminfo, the message names the snapshot path, byte for byte.
fn missing_meminfo_names_the_snapshot_path() {
    let base = scratch("nopath");
    let mut raw = base.clone().into_os_string().into_vec();
    raw.extend_from_slice(b"/r\xff");
    let root = PathBuf::from(OsString::from_vec(raw.clone()));
    fs::create_dir_all(&root).expect("root");
    let o = common::run_applet("free", &["-h"], Some(&root));
    let mut want = b"free: Memory information file ".to_vec();
    want.extend_from_slice(&raw);
    want.extend_from_slice(b"/meminfo does not exist\n");
    assert_eq!(show(&o.stderr), show(&want));
    assert_eq!(o.stderr, want);
    assert!(o.stdout.is_empty());
    assert_eq!(o.status.code(), Some(1));
    let _ = fs::remove_dir_all(&base);
}

/// `--json` on every fixture that has a recorded `-b -w -l -t -v` golden: every number
/// equals procps' byte table for the same /proc/meminfo, and memtools' own `-b` table.
fn json_agrees_with_the_goldens_and_the_table() {
    let base = scratch("json");
    let mut checked = 0;
    for c in load_cases() {
        let mut flags: Vec<&[u8]> = c.args.iter().map(|a| a.as_slice()).collect();
        flags.sort();
        let plain = c.argv0 == b"free" && !c.full && !c.closed && !c.posix && !c.line;
        if !plain || flags != [&b"-b"[..], b"-l", b"-t", b"-v", b"-w"] {
            continue;
        }
        let root = snapshot_root(&base, &c.fixture);
        let want = expected(&c, &root);
        if want.status != 0 {
            continue;
        }
        let json = common::run_applet("free", &["--json"], Some(&root));
        assert_eq!(
            json.status.code(),
            Some(0),
            "{}: {}",
            c.name,
            show(&json.stderr)
        );
        let text = show(&json.stdout);
        assert_eq!(text.lines().count(), 1, "{}: one line: {text}", c.name);
        let v: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}: {text}", c.name));
        assert_eq!(v["schema_version"], 1);
        assert_eq!(v["tool"], "free");
        let m = &v["mem"];
        assert_eq!(
            m["buff_cache"].as_i64(),
            m["buffers"]
                .as_i64()
                .zip(m["cache"].as_i64())
                .map(|(a, b)| a.wrapping_add(b)),
            "{}",
            c.name
        );
        assert_eq!(json_rows(&v), table_rows(&want.out), "{} vs golden", c.name);
        let mine = common::run_applet("free", &["-b", "-w", "-l", "-t", "-v"], Some(&root));
        assert_eq!(json_rows(&v), table_rows(&mine.stdout), "{} vs -b", c.name);
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} fixtures had a byte golden");
}

/// `-c 2 --json` prints one object per line, nothing between them.
fn json_repeats_one_object_per_line() {
    let base = scratch("jsonrep");
    let root = snapshot_root(&base, "basic");
    let o = common::run_applet("free", &["--json", "-c", "2", "-s", "0.01"], Some(&root));
    assert_eq!(o.status.code(), Some(0));
    let text = show(&o.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert_eq!(lines[0], lines[1]);
    assert!(lines[0].starts_with("{\"schema_version\":1,\"tool\":\"free\",\"mem\":{"));
    // `--j` is the unique prefix of --json; `--=` lists it last.
    let o = common::run_applet("free", &["--j"], Some(&root));
    assert_eq!(
        o.stdout,
        lines[0]
            .as_bytes()
            .iter()
            .chain(b"\n")
            .copied()
            .collect::<Vec<u8>>()
    );
}
