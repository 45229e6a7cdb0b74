//! The runner: tests with prerequisites, on libtest-mimic (Rust's test harness interface
//! for `harness = false` targets).
//!
//! libtest-mimic gives libtest's command line and output: `cargo test NAME`, `--exact`,
//! `--skip`, `--list`, `--ignored`, `--include-ignored`, `--test-threads`, `-q`,
//! `--format`; a panic fails only its test (exit status 101 when one failed). This layer
//! adds the prerequisites: a selected test whose prerequisite is not met here is reported
//! as `ignored (<why>)` without running, and so is a test that calls [`skip`];
//! `--ignored` and `--include-ignored` run such tests anyway, as libtest runs `#[ignore]`d
//! ones. The reasons are listed again after the `test result` line.
//!
//! Each test runs in a thread of its own, named after it (so a panic message names the
//! test), at most `--test-threads` (else `RUST_TEST_THREADS`, else the number of CPUs) at a
//! time. Output is not captured: what a test prints appears as it prints it.

use crate::need::Need;
use libtest_mimic::{Arguments, Completion, Failed};
use std::any::Any;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, Once};

/// One test: its name, its prerequisites and its body.
pub struct Trial {
    name: String,
    needs: Vec<Need>,
    body: Box<dyn FnOnce() + Send + 'static>,
}

impl Trial {
    /// A test named `name` that runs `body`; usually written with [`trial!`](crate::trial).
    pub fn new(name: impl Into<String>, body: impl FnOnce() + Send + 'static) -> Trial {
        Trial {
            name: name.into(),
            needs: Vec::new(),
            body: Box::new(body),
        }
    }

    /// Adds a prerequisite: when it is not met, the test is reported as ignored with the
    /// reason the prerequisite gives.
    pub fn need(mut self, need: Need) -> Trial {
        self.needs.push(need);
        self
    }

    /// Adds a prerequisite checked before the others (for one that a whole file shares,
    /// such as [`need::linux`](crate::need::linux)).
    pub fn need_first(mut self, need: Need) -> Trial {
        self.needs.insert(0, need);
        self
    }

    /// The test's name (what filters match).
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// `trial!(function, need1, need2, ...)`: the test `function` (a `fn()`; a path such as
/// `module::function` is fine), named as libtest would name it, with its prerequisites.
#[macro_export]
macro_rules! trial {
    ($body:path $(, $need:expr)* $(,)?) => {
        $crate::Trial::new(stringify!($body), $body) $(.need($need))*
    };
}

/// The payload of [`skip`].
struct Skipped(String);

/// Ends the current test as skipped: it is reported as `ignored (<reason>)`, not as passed.
///
/// For a condition that only shows when the test tries (a tool that exists but cannot work
/// here); declare anything that can be known beforehand as a prerequisite instead
/// ([`Trial::need`]), so that `--list --ignored` knows about it. Call it from the test's own
/// thread (or re-raise a helper thread's panic with `std::panic::resume_unwind`).
pub fn skip(reason: impl Into<String>) -> ! {
    std::panic::panic_any(Skipped(reason.into()))
}

/// The text of a panic payload.
fn message(p: &(dyn Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "(a panic without a message)".to_string()
    }
}

/// Keeps the default panic message (thread name, location, text) for real failures and
/// says nothing for a [`skip`].
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !info.payload().is::<Skipped>() {
                default(info);
            }
        }));
    });
}

enum Outcome {
    Passed,
    Skipped(String),
    Failed(String),
}

/// Runs a test's body in a thread named after the test.
fn run_named(name: &str, body: Box<dyn FnOnce() + Send + 'static>) -> Outcome {
    let joined = std::thread::Builder::new()
        .name(name.to_string())
        .spawn(body)
        .map(|h| h.join());
    match joined {
        Err(e) => Outcome::Failed(format!("could not start the test's thread: {e}")),
        Ok(Ok(())) => Outcome::Passed,
        Ok(Err(payload)) => match payload.downcast::<Skipped>() {
            Ok(s) => Outcome::Skipped(s.0),
            Err(p) => Outcome::Failed(message(p.as_ref())),
        },
    }
}

/// Runs the tests as the command line asks and exits: status 0 when none failed, 101 (as
/// libtest) when one did.
pub fn run(trials: Vec<Trial>) -> ! {
    let mut args = Arguments::from_args();
    if args.test_threads == Some(0) {
        // libtest-mimic would wait for workers that never start.
        eprintln!("error: argument for --test-threads must be a number > 0");
        std::process::exit(101);
    }
    if args.test_threads.is_none() {
        args.test_threads = std::env::var("RUST_TEST_THREADS")
            .ok()
            .and_then(|v| v.parse().ok())
            .filter(|&n: &usize| n > 0);
    }
    install_panic_hook();
    let force = args.ignored || args.include_ignored;
    let skipped: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let mut names = BTreeSet::new();
    let mut out = Vec::with_capacity(trials.len());
    for t in trials {
        assert!(names.insert(t.name.clone()), "two tests named {}", t.name);
        // Prerequisites are checked for the tests that the filters select only.
        let by_name = libtest_mimic::Trial::test(t.name.clone(), || Ok(())).with_ignored_flag(true);
        let unmet = if args.is_filtered_out(&by_name) {
            None
        } else {
            t.needs.iter().find_map(|n| n.check().err())
        };
        // Marked ignored where libtest-mimic looks at the mark (`--list --ignored`,
        // `--ignored`); otherwise the test reports itself ignored, with the reason.
        let marked = unmet.is_some() && (force || args.list);
        let (name, body, skipped) = (t.name.clone(), t.body, Arc::clone(&skipped));
        let record = move |why: &str| {
            if let Ok(mut s) = skipped.lock() {
                s.push((name.clone(), why.to_string()));
            }
        };
        let name = t.name.clone();
        out.push(
            libtest_mimic::Trial::ignorable_test(t.name, move || {
                if let (Some(why), false) = (&unmet, force) {
                    record(why);
                    return Ok(Completion::ignored_with(why));
                }
                match run_named(&name, body) {
                    Outcome::Passed => Ok(Completion::Completed),
                    Outcome::Skipped(why) => {
                        record(&why);
                        Ok(Completion::ignored_with(why))
                    }
                    Outcome::Failed(msg) => Err(Failed::from(msg)),
                }
            })
            .with_ignored_flag(marked),
        );
    }
    let conclusion = libtest_mimic::run(&args, out);
    let skipped = skipped.lock().map(|s| s.clone()).unwrap_or_default();
    if !skipped.is_empty() {
        println!("skipped (reported as ignored), and why:");
        for (name, why) in &skipped {
            println!("    {name}: {why}");
        }
        println!();
    }
    conclusion.exit()
}
