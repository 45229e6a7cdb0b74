//! The test kit itself (tests/kit): the runner as `cargo test` users see it (skips reported as
//! ignored with their reason, filters, `--list`, `--ignored`, a panic failing one test only),
//! and the conventions that keep every test running through it.
//!
//! The runner checks run this same binary with `MEMTOOLS_KIT_DEMO` set, which makes it run a
//! small demonstration set instead of the tests below.

mod common;
use common::{show, trial, Need};
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
        trial!(unmet_prerequisites_are_reported_as_ignored_with_the_reason),
        trial!(a_panic_fails_only_its_test),
        trial!(filters_exact_skip_and_list),
        trial!(ignored_and_include_ignored_run_them_anyway),
        trial!(bad_arguments_fail_with_101),
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

fn assert_has(o: &Output, lines: &[&str]) {
    let out = show(&o.stdout);
    for l in lines {
        assert!(
            out.lines().any(|x| x == *l),
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
            &format!("test demo::passes_but_needs_the_impossible ... ignored, {NEVER}"),
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
        &["test demo::skips_when_it_runs ... ignored, the demonstration decided to skip when it ran"],
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
            &format!("test demo::fails_but_needs_the_impossible ... ignored, {NEVER}"),
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
    assert!(show(&o.stdout)
        .ends_with("demo::fails_but_needs_the_impossible: test\n\n5 tests, 0 benchmarks\n"));
    assert_eq!(listed(&[]).len(), 5);
    assert_eq!(listed(&["passes"]).len(), 2);
    assert_eq!(listed(&["passes", "fails"]).len(), 4);
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

fn bad_arguments_fail_with_101() {
    for (args, err) in [
        (
            &["--frobnicate"][..],
            "error: unrecognized option '--frobnicate' (try --help)\n",
        ),
        (
            &["--test-threads"],
            "error: option '--test-threads' requires an argument\n",
        ),
        (
            &["--test-threads", "0"],
            "error: argument for --test-threads must be a number > 0 (got 0)\n",
        ),
    ] {
        let o = demo(args);
        assert_eq!(o.status.code(), Some(101), "{args:?}");
        assert_eq!(show(&o.stderr), err);
        assert!(o.stdout.is_empty());
    }
    let o = demo(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(show(&o.stdout).starts_with("Usage: "));
}
