//! The test kit itself (tests/kit): the runner as `cargo test` users see it (skips reported as
//! ignored with their reason, filters, `--list`, `--ignored`, a panic failing one test only),
//! and the conventions that keep every test running through it.
//!
//! The runner checks run this same binary with `MEMTOOLS_KIT_DEMO` set, which makes it run a
//! small demonstration set instead of the tests below.

mod common;
use common::{repo, show, trial, Need};
use std::path::Path;
use std::process::{Command, Output};

const DEMO: &str = "MEMTOOLS_KIT_DEMO";

fn main() {
    if std::env::var_os(DEMO).is_some() {
        common::run(vec![
            trial!(demo::passes),
            trial!(demo::fails),
            trial!(demo::skips_when_it_runs),
            trial!(demo::passes_but_needs_the_impossible, impossible()),
            trial!(demo::fails_but_needs_the_impossible, impossible()),
        ]);
    }
    common::run(vec![
        trial!(every_test_file_uses_the_kit),
        trial!(unmet_prerequisites_are_reported_as_ignored_with_the_reason),
        trial!(a_panic_fails_only_its_test),
        trial!(filters_exact_skip_and_list),
        trial!(ignored_and_include_ignored_run_them_anyway),
        trial!(bad_arguments_fail),
    ]);
}

const NEVER: &str = "needs a prerequisite that is never met (demonstration)";

fn impossible() -> Need {
    Need::new("kit-demo-impossible", || Err(NEVER.to_string()))
}

mod demo {
    pub fn passes() {}

    pub fn fails() {
        panic!("the demonstration failure");
    }

    pub fn skips_when_it_runs() {
        super::common::skip("the demonstration decided to skip when it ran");
    }

    pub fn passes_but_needs_the_impossible() {}

    pub fn fails_but_needs_the_impossible() {
        panic!("ran although its prerequisite is not met");
    }
}

/// This binary in demonstration mode with `args`.
fn demo(args: &[&str]) -> Output {
    Command::new(std::env::current_exe().expect("current_exe"))
        .args(args)
        .env(DEMO, "1")
        .env_remove("RUST_TEST_THREADS")
        .output()
        .expect("run the demonstration")
}

/// A line with its runs of blanks made one (libtest-mimic pads test names to one width).
fn squeezed(l: &str) -> String {
    l.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn assert_has(o: &Output, lines: &[&str]) {
    let out = show(&o.stdout);
    for l in lines {
        assert!(
            out.lines().any(|x| squeezed(x) == squeezed(l)),
            "no line {l:?} in:\n{out}\nstderr:\n{}",
            show(&o.stderr)
        );
    }
}

fn unmet_prerequisites_are_reported_as_ignored_with_the_reason() {
    let o = demo(&["passes_but_needs"]);
    assert_eq!(o.status.code(), Some(0));
    assert_has(
        &o,
        &[
            "running 1 test",
            &format!("test demo::passes_but_needs_the_impossible ... ignored ({NEVER})"),
            "skipped (reported as ignored), and why:",
            &format!("    demo::passes_but_needs_the_impossible: {NEVER}"),
        ],
    );
    assert!(show(&o.stdout).contains(
        "test result: ok. 0 passed; 0 failed; 1 ignored; 0 measured; 4 filtered out; finished in "
    ));
    // A skip decided while running: the same report, and no panic message.
    let o = demo(&["skips_when_it_runs"]);
    assert_eq!(o.status.code(), Some(0));
    assert_has(
        &o,
        &["test demo::skips_when_it_runs ... ignored (the demonstration decided to skip when it ran)"],
    );
    assert!(show(&o.stdout).contains("test result: ok. 0 passed; 0 failed; 1 ignored;"));
    assert_eq!(show(&o.stderr), "");
}

fn a_panic_fails_only_its_test() {
    let o = demo(&[]);
    assert_eq!(o.status.code(), Some(101));
    assert_has(
        &o,
        &[
            "running 5 tests",
            "test demo::passes ... ok",
            "test demo::fails ... FAILED",
            &format!("test demo::fails_but_needs_the_impossible ... ignored ({NEVER})"),
            "---- demo::fails ----",
            "the demonstration failure",
            "failures:",
            "    demo::fails",
        ],
    );
    assert!(show(&o.stdout).contains(
        "test result: FAILED. 1 passed; 1 failed; 3 ignored; 0 measured; 0 filtered out;"
    ));
    let err = show(&o.stderr);
    assert!(
        err.contains("thread 'demo::fails'")
            && err.contains("panicked")
            && err.contains("the demonstration failure"),
        "{err}"
    );
    assert!(!err.contains("its prerequisite is not met"), "{err}");
}

fn listed(args: &[&str]) -> Vec<String> {
    let mut a = vec!["--list"];
    a.extend_from_slice(args);
    let o = demo(&a);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o.stderr));
    show(&o.stdout)
        .lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .map(str::to_string)
        .collect()
}

fn filters_exact_skip_and_list() {
    let o = demo(&["--list"]);
    assert!(show(&o.stdout).ends_with("demo::fails_but_needs_the_impossible: test\n"));
    assert_eq!(listed(&[]).len(), 5);
    assert_eq!(listed(&["passes"]).len(), 2);
    assert_eq!(listed(&["--exact", "demo::passes"]), ["demo::passes"]);
    assert_eq!(listed(&["--exact", "passes"]), Vec::<String>::new());
    assert_eq!(listed(&["passes", "--skip", "needs"]), ["demo::passes"]);
    assert_eq!(
        listed(&["--ignored"]),
        [
            "demo::passes_but_needs_the_impossible",
            "demo::fails_but_needs_the_impossible"
        ]
    );
    let o = demo(&["--list", "--format", "terse", "fails"]);
    assert_eq!(
        show(&o.stdout),
        "demo::fails: test\ndemo::fails_but_needs_the_impossible: test\n"
    );
    // A filter that selects nothing runs nothing, successfully.
    let o = demo(&["no-such-test"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(show(&o.stdout)
        .contains("test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 5 filtered out;"));
}

fn ignored_and_include_ignored_run_them_anyway() {
    let o = demo(&["--ignored"]);
    assert_eq!(o.status.code(), Some(101));
    assert_has(
        &o,
        &[
            "test demo::passes_but_needs_the_impossible ... ok",
            "test demo::fails_but_needs_the_impossible ... FAILED",
        ],
    );
    assert!(show(&o.stdout).contains("1 passed; 1 failed; 0 ignored; 0 measured; 3 filtered out;"));
    let o = demo(&["--include-ignored", "passes", "--test-threads=1"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(show(&o.stdout).contains("2 passed; 0 failed; 0 ignored; 0 measured; 3 filtered out;"));
    // -q: one character per test.
    let o = demo(&["-q", "passes"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(show(&o.stdout).contains("\ni.\n") || show(&o.stdout).contains("\n.i\n"));
}

fn bad_arguments_fail() {
    let o = demo(&["--frobnicate"]);
    assert_ne!(o.status.code(), Some(0));
    assert!(
        show(&o.stderr).contains("'--frobnicate'"),
        "{}",
        show(&o.stderr)
    );
    assert!(o.stdout.is_empty());
    let o = demo(&["--test-threads", "0"]);
    assert_eq!(o.status.code(), Some(101));
    assert_eq!(
        show(&o.stderr),
        "error: argument for --test-threads must be a number > 0\n"
    );
    let o = demo(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(show(&o.stdout).contains("--include-ignored"));
}

/// Every test file of the workspace that registers tests with `trial!` is a
/// `harness = false` target of its package (listed in its Cargo.toml), every tests/test_*.rs
/// of the root package is, and none of their files uses `#[test]`: in such a target it
/// compiles to nothing, so the test would silently never run.
fn every_test_file_uses_the_kit() {
    let mut problems = Vec::new();
    let mut files = Vec::new();
    // The root package's tests, with their modules (tests/NAME/*.rs), and every
    // src/**/tests/*.rs of the other packages.
    collect_rs(&repo().join("tests"), &mut files, &["fixtures", "kit"]);
    collect_tests_dirs(&repo().join("src"), &mut files);
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        let rel = f.strip_prefix(repo()).unwrap_or(f).display().to_string();
        let uses_kit = text.contains("trial!(");
        let root_target =
            Path::new(&rel).parent() == Some(Path::new("tests")) && rel.starts_with("tests/test_");
        let in_module = Path::new(&rel).components().count() > 2 && rel.starts_with("tests/");
        if uses_kit || in_module || root_target {
            for (i, l) in text.lines().enumerate() {
                if l.trim_start().starts_with("#[test]") {
                    problems.push(format!(
                        "{rel}:{}: #[test] in a harness = false target never runs; register the test in main with trial!(...)",
                        i + 1
                    ));
                }
            }
        }
        // A target file: tests/NAME.rs directly in a tests directory.
        let is_target = f.parent().and_then(|p| p.file_name()) == Some("tests".as_ref());
        if is_target && (uses_kit || root_target) {
            let package = f.parent().and_then(Path::parent).expect("package dir");
            let name = f.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            let manifest = std::fs::read_to_string(package.join("Cargo.toml")).unwrap_or_default();
            if !declared_without_harness(&manifest, name) {
                problems.push(format!(
                    "{rel}: add to {}/Cargo.toml:\n[[test]]\nname = \"{name}\"\nharness = false",
                    package.strip_prefix(repo()).unwrap_or(package).display()
                ));
            }
        }
    }
    assert!(files.len() > 8, "found only {files:?}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn collect_rs(dir: &Path, out: &mut Vec<std::path::PathBuf>, skip: &[&str]) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            if !skip.iter().any(|s| p.file_name() == Some(s.as_ref())) {
                collect_rs(&p, out, &[]);
            }
        } else if p.extension() == Some("rs".as_ref()) {
            out.push(p);
        }
    }
}

fn collect_tests_dirs(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            if p.file_name() == Some("tests".as_ref()) {
                collect_rs(&p, out, &[]);
            } else {
                collect_tests_dirs(&p, out);
            }
        }
    }
}

/// Whether `manifest` has a `[[test]]` table named `name` with `harness = false`.
fn declared_without_harness(manifest: &str, name: &str) -> bool {
    manifest.split("[[test]]").skip(1).any(|table| {
        let table = table.split("\n[").next().unwrap_or("");
        let has = |k: &str, v: &str| {
            table.lines().any(|l| {
                l.split_once('=')
                    .is_some_and(|(a, b)| a.trim() == k && b.trim() == v)
            })
        };
        has("name", &format!("\"{name}\"")) && has("harness", "false")
    })
}
