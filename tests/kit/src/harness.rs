//! The runner: a small work-alike of Rust's built-in test harness (libtest) for test targets
//! declared with `harness = false`, in which every test declares its prerequisites.
//!
//! Output, arguments and exit status follow libtest, so `cargo test`, `cargo test NAME`,
//! `-- --exact NAME`, `-- --list`, `-- --ignored`, `-- --include-ignored`,
//! `-- --skip NAME`, `-- --test-threads N` and `-q` work as usual. The difference: a test
//! whose prerequisites are not met here is reported as `ignored, <why>` (decided at start-up,
//! before anything runs), and so is a test that calls [`skip`]. `--ignored` and
//! `--include-ignored` run such tests anyway, as libtest runs `#[ignore]`d ones.
//!
//! Each test runs in a thread of its own, named after it, at most `--test-threads` (or
//! `RUST_TEST_THREADS`, else the number of CPUs) at a time; a panic fails that test only.
//! Output is not captured: what a test prints appears as it prints it.

use crate::need::Need;
use std::any::Any;
use std::collections::{BTreeSet, VecDeque};
use std::io::Write;
use std::sync::{mpsc, Arc, Mutex, Once};
use std::time::{Duration, Instant};

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

/// Ends the current test as skipped: it is reported as `ignored, <reason>`, not as passed.
///
/// For a condition that only shows when the test tries (a tool that exists but cannot work
/// here); declare anything that can be known beforehand as a prerequisite instead
/// ([`Trial::need`]), so that `--list --ignored` knows about it. Call it from the test's own
/// thread (or re-raise a helper thread's panic with `std::panic::resume_unwind`).
pub fn skip(reason: impl Into<String>) -> ! {
    std::panic::panic_any(Skipped(reason.into()))
}

#[derive(Default)]
struct Args {
    filters: Vec<String>,
    skip: Vec<String>,
    exact: bool,
    list: bool,
    ignored: bool,
    include_ignored: bool,
    bench: bool,
    terse: bool,
    report_time: bool,
    threads: Option<usize>,
    help: bool,
}

const USAGE: &str = "\
Usage: TEST-BINARY [OPTIONS] [FILTERS...]

Runs the tests whose names contain one of FILTERS (all without FILTERS).
A test whose prerequisites are not met is reported as `ignored, <why>`.

Options:
    --exact             filters match whole names only
    --skip FILTER       leave out tests whose names contain FILTER (repeatable)
    --list              list the selected tests (`NAME: test`) instead of running them
    --ignored           run only the ignored tests (prerequisites are not checked)
    --include-ignored   run the ignored tests too (prerequisites are not checked)
    --test-threads N    run N tests at a time (default: RUST_TEST_THREADS or the CPU count)
    -q, --quiet         one character per test (--format terse)
    --report-time       show how long each test took
    --format pretty|terse
    --nocapture, --show-output, --color WHEN, -Z FLAG
                        accepted for libtest compatibility; output is never captured
    -h, --help          this text
";

fn parse(mut it: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut a = Args::default();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or_else(|| format!("option '{name}' requires an argument"))
        };
        match flag.as_str() {
            "-h" | "--help" => a.help = true,
            "--exact" => a.exact = true,
            "--list" => a.list = true,
            "--ignored" => a.ignored = true,
            "--include-ignored" => a.include_ignored = true,
            "--bench" => a.bench = true,
            "-q" | "--quiet" => a.terse = true,
            "--test"
            | "--nocapture"
            | "--no-capture"
            | "--show-output"
            | "--ensure-time"
            | "--force-run-in-process"
            | "--exclude-should-panic" => {}
            "--report-time" => a.report_time = true,
            "--skip" => a.skip.push(value("--skip")?),
            "--test-threads" => {
                let v = value("--test-threads")?;
                match v.parse::<usize>() {
                    Ok(n) if n > 0 => a.threads = Some(n),
                    _ => {
                        return Err(format!(
                            "argument for --test-threads must be a number > 0 (got {v})"
                        ))
                    }
                }
            }
            "--format" => match value("--format")?.as_str() {
                "pretty" => a.terse = false,
                "terse" => a.terse = true,
                other => {
                    return Err(format!(
                    "--format {other} is not supported by the memtools test kit (pretty or terse)"
                ))
                }
            },
            "--color" => match value("--color")?.as_str() {
                "auto" | "always" | "never" => {}
                other => {
                    return Err(format!(
                        "argument for --color must be auto, always, or never (got {other})"
                    ))
                }
            },
            "-Z" => {
                value("-Z")?;
            }
            f if f.starts_with("-Z") => {}
            f if f.starts_with('-') && f.len() > 1 => {
                return Err(format!("unrecognized option '{f}' (try --help)"))
            }
            _ => a.filters.push(arg),
        }
    }
    Ok(a)
}

impl Args {
    fn matches(&self, pattern: &str, name: &str) -> bool {
        if self.exact {
            name == pattern
        } else {
            name.contains(pattern)
        }
    }

    fn selects(&self, name: &str) -> bool {
        (self.filters.is_empty() || self.filters.iter().any(|f| self.matches(f, name)))
            && !self.skip.iter().any(|s| self.matches(s, name))
    }
}

enum Outcome {
    Passed,
    Failed(String),
    Ignored(String),
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

fn run_one(t: Trial) -> Outcome {
    let joined = std::thread::Builder::new()
        .name(t.name.clone())
        .spawn(t.body)
        .map(|h| h.join());
    match joined {
        Err(e) => Outcome::Failed(format!("could not start the test's thread: {e}")),
        Ok(Ok(())) => Outcome::Passed,
        Ok(Err(payload)) => match payload.downcast::<Skipped>() {
            Ok(s) => Outcome::Ignored(s.0),
            Err(p) => Outcome::Failed(message(p.as_ref())),
        },
    }
}

struct Printer {
    terse: bool,
    report_time: bool,
    column: usize,
}

impl Printer {
    fn result(&mut self, name: &str, o: &Outcome, took: Option<Duration>) {
        let mut out = std::io::stdout().lock();
        if self.terse {
            let c = match o {
                Outcome::Passed => '.',
                Outcome::Failed(_) => 'F',
                Outcome::Ignored(_) => 'i',
            };
            let _ = write!(out, "{c}");
            self.column += 1;
            if self.column.is_multiple_of(88) {
                let _ = writeln!(out);
            }
        } else {
            let time = match took {
                Some(t) if self.report_time => format!(" <{:.3}s>", t.as_secs_f64()),
                _ => String::new(),
            };
            let _ = match o {
                Outcome::Passed => writeln!(out, "test {name} ... ok{time}"),
                Outcome::Failed(_) => writeln!(out, "test {name} ... FAILED{time}"),
                Outcome::Ignored(why) => writeln!(out, "test {name} ... ignored, {why}{time}"),
            };
        }
        let _ = out.flush();
    }
}

/// Runs the tests as the command line asks and exits: status 0 when none failed, 101 (as
/// libtest) when one did or the arguments are wrong.
pub fn run(trials: Vec<Trial>) -> ! {
    let args = match parse(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(101);
        }
    };
    if args.help {
        print!("{USAGE}");
        std::process::exit(0);
    }
    let mut names = BTreeSet::new();
    for t in &trials {
        assert!(names.insert(t.name.clone()), "two tests named {}", t.name);
    }
    let total = trials.len();
    // The selected tests, each with the first prerequisite that is not met.
    let mut selected: Vec<(Trial, Option<String>)> = Vec::new();
    if !args.bench {
        for t in trials {
            if !args.selects(&t.name) {
                continue;
            }
            let unmet = t.needs.iter().find_map(|n| n.check().err());
            if args.ignored && unmet.is_none() {
                continue;
            }
            selected.push((t, unmet));
        }
    }
    let filtered_out = total - selected.len();

    if args.list {
        for (t, _) in &selected {
            println!("{}: test", t.name);
        }
        if !args.terse {
            println!();
            println!("{} tests, 0 benchmarks", selected.len());
        }
        std::process::exit(0);
    }

    let start = Instant::now();
    let force = args.ignored || args.include_ignored;
    println!();
    let n = selected.len();
    println!("running {n} test{}", if n == 1 { "" } else { "s" });
    let mut printer = Printer {
        terse: args.terse,
        report_time: args.report_time,
        column: 0,
    };
    let mut passed = 0;
    let mut failed: Vec<(String, String)> = Vec::new();
    let mut ignored: Vec<(String, String)> = Vec::new();
    let mut queue = VecDeque::new();
    for (t, unmet) in selected {
        match unmet {
            Some(why) if !force => {
                printer.result(&t.name, &Outcome::Ignored(why.clone()), None);
                ignored.push((t.name, why));
            }
            _ => queue.push_back(t),
        }
    }

    install_panic_hook();
    let threads = args
        .threads
        .or_else(|| {
            std::env::var("RUST_TEST_THREADS")
                .ok()
                .and_then(|v| v.parse().ok())
                .filter(|&n: &usize| n > 0)
        })
        .or_else(|| std::thread::available_parallelism().ok().map(|n| n.get()))
        .unwrap_or(1);
    let workers = threads.min(queue.len());
    let queue = Arc::new(Mutex::new(queue));
    let (tx, rx) = mpsc::channel::<(String, Outcome, Duration)>();
    let handles: Vec<_> = (0..workers)
        .map(|_| {
            let queue = Arc::clone(&queue);
            let tx = tx.clone();
            std::thread::spawn(move || loop {
                let next = queue.lock().map(|mut q| q.pop_front());
                let Ok(Some(t)) = next else { break };
                let name = t.name.clone();
                let began = Instant::now();
                let outcome = run_one(t);
                if tx.send((name, outcome, began.elapsed())).is_err() {
                    break;
                }
            })
        })
        .collect();
    drop(tx);
    for (name, outcome, took) in rx {
        printer.result(&name, &outcome, Some(took));
        match outcome {
            Outcome::Passed => passed += 1,
            Outcome::Failed(msg) => failed.push((name, msg)),
            Outcome::Ignored(why) => ignored.push((name, why)),
        }
    }
    for h in handles {
        let _ = h.join();
    }

    if args.terse {
        println!();
    }
    if !failed.is_empty() {
        println!();
        println!("failures:");
        println!();
        for (name, msg) in &failed {
            println!("---- {name} ----");
            println!("{msg}");
            println!();
        }
        println!("failures:");
        for (name, _) in &failed {
            println!("    {name}");
        }
    }
    if !ignored.is_empty() {
        println!();
        println!("skipped (reported as ignored), and why:");
        for (name, why) in &ignored {
            println!("    {name}: {why}");
        }
    }
    println!();
    println!(
        "test result: {}. {passed} passed; {} failed; {} ignored; 0 measured; {filtered_out} filtered out; finished in {:.2}s",
        if failed.is_empty() { "ok" } else { "FAILED" },
        failed.len(),
        ignored.len(),
        start.elapsed().as_secs_f64()
    );
    println!();
    let _ = std::io::stdout().flush();
    std::process::exit(if failed.is_empty() { 0 } else { 101 });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Result<Args, String> {
        parse(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn arguments() {
        let a = p(&[
            "free",
            "--exact",
            "--skip=x",
            "--skip",
            "y",
            "-Z",
            "unstable-options",
        ])
        .unwrap();
        assert_eq!(a.filters, ["free"]);
        assert_eq!(a.skip, ["x", "y"]);
        assert!(a.exact && a.selects("free") && !a.selects("free_x") && !a.selects("y"));
        let a = p(&["--test-threads", "3", "--format=terse", "--nocapture"]).unwrap();
        assert_eq!(a.threads, Some(3));
        assert!(a.terse && a.selects("anything"));
        assert!(p(&["--test-threads", "0"]).is_err());
        assert!(p(&["--frobnicate"]).is_err());
        assert!(p(&["--skip"]).is_err());
        assert!(p(&["--format", "json"]).is_err());
    }
}
