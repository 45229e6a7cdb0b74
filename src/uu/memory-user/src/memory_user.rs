//! `memory-user`: the program of the OSTEP virtual-memory homework (question 3), as a tool.
//! It maps exactly SIZE of anonymous memory, writes every 8-byte word of it on every pass
//! at close to the machine's write bandwidth, reports what it does, and stops cleanly.
//! See docs/memory-user.md.

pub mod args;
pub mod fill;
pub mod limits;
pub mod report;
pub mod spec;
pub mod worker;

use args::Plan;
use memtools_core::out::{eprintln_raw, io_strerror};
use memtools_platform::cgroup::{Budget, Reading};
use memtools_platform::memory::{Limit, Mapping};
use memtools_platform::sys;
use report::{iec, Status, Summary};
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

pub(crate) const NAME: &str = "memory-user";

/// Exit statuses.
pub const EXIT_OK: i32 = 0;
/// The memory could not be had: refused SIZE, mmap/mlock failure, pid file not written.
pub const EXIT_FAIL: i32 = 1;
/// A bad command line.
pub const EXIT_USAGE: i32 = 2;

/// How often the controller looks at the clock and the signal flag.
const POLL: Duration = Duration::from_millis(20);

/// The dispatcher's record of this applet (memtools-applets).
pub const APPLET: memtools_core::opts::Applet = memtools_core::opts::Applet {
    spec: &spec::SPEC,
    run: |args| Ok(run(args::parse(args)?)),
};

fn print_stdout(text: &str) -> i32 {
    memtools_core::sink::print(NAME, text.as_bytes())
}

fn fail(msg: &str) -> i32 {
    eprintln_raw(&format!("{NAME}: {msg}"));
    EXIT_FAIL
}

fn run(plan: Plan) -> i32 {
    let page = sys::page_size() as usize;
    // Whole pages: the kernel maps no less. A size in MiB is already whole pages.
    let len = match usize::try_from(plan.size)
        .ok()
        .and_then(|s| s.checked_next_multiple_of(page))
    {
        Some(l) => l,
        None => return fail(&format!("cannot map {}: too large", iec(plan.size))),
    };
    let len64 = len as u64;

    let host = sys::meminfo();
    let host_verdict = match &host {
        Ok(mi) => limits::check(len64, mi, plan.force),
        Err(_) => limits::Verdict::Warn(limits::UNCHECKED.to_string()),
    };
    // The memory cgroup this process runs in, when it limits more than the host does.
    let cgroup = own_cgroup(host.as_ref().ok());
    let cgroup_verdict = cgroup
        .as_ref()
        .map(|(r, b)| limits::check_cgroup(len64, r, b, plan.force));
    match limits::combine(host_verdict, cgroup_verdict) {
        limits::Verdict::Fits => {}
        limits::Verdict::Warn(w) => eprintln_raw(&format!("{NAME}: {w}")),
        limits::Verdict::Refuse(why) => return fail(&why),
    }

    // Before anything is printed, so that a signal sent as soon as the PID is known is
    // handled.
    if let Err(e) = sys::catch_stop_signals() {
        return fail(&format!(
            "cannot handle SIGINT/SIGTERM: {}",
            io_strerror(&e)
        ));
    }

    let mut map = match Mapping::new(len) {
        Ok(m) => m,
        Err(e) => return fail(&map_error(len64, &e)),
    };
    if plan.hugepages {
        if let Err(e) = map.advise_hugepages() {
            eprintln_raw(&format!(
                "{NAME}: warning: --hugepages: madvise(MADV_HUGEPAGE) failed: {}",
                io_strerror(&e)
            ));
        }
    }
    if plan.lock {
        if let Err(e) = map.lock(plan.ramp.is_some()) {
            return fail(&lock_error(len64, &e));
        }
    }

    let pid = std::process::id();
    if let Some(p) = &plan.pid_file {
        if let Err(e) = std::fs::write(p, format!("{pid}\n")) {
            return fail(&format!(
                "cannot write pid file {}: {}",
                p.display(),
                io_strerror(&e)
            ));
        }
    }
    let status = stream(&plan, &mut map, page, cgroup.as_ref());
    drop(map);
    if let Some(p) = &plan.pid_file {
        remove_pid_file(p);
    }
    status
}

/// The calling process's memory cgroup and its budget, when it has a limit below the
/// host's memory. Not being in a memory cgroup (or reading a snapshot root) is not worth a
/// word; a cgroup that cannot be read is (SIZE is then not checked against it).
fn own_cgroup(host: Option<&memtools_platform::MemInfo>) -> Option<(Reading, Budget)> {
    use memtools_platform::cgroup::{self, CgroupError, Select};
    match cgroup::read(&Select::Own) {
        Ok(r) => {
            let b = r.budget(host.copied().as_ref().unwrap_or(&Default::default()))?;
            Some((r, b))
        }
        Err(
            CgroupError::NoMemoryCgroup
            | CgroupError::SnapshotWithoutSys
            | CgroupError::Unsupported
            | CgroupError::NoAccounting(_),
        ) => None,
        Err(e) => {
            eprintln_raw(&format!(
                "{NAME}: warning: cannot read the memory cgroup ({e}); SIZE is not checked \
                 against its limit"
            ));
            None
        }
    }
}

fn remove_pid_file(p: &Path) {
    let _ = std::fs::remove_file(p);
}

fn map_error(len: u64, e: &std::io::Error) -> String {
    let mut msg = format!("cannot map {} ({len} bytes): {}", iec(len), io_strerror(e));
    if e.kind() == std::io::ErrorKind::OutOfMemory {
        match sys::soft_limit(Limit::AddressSpace) {
            Some(l) => msg.push_str(&format!(
                " (the address-space limit RLIMIT_AS, `ulimit -v`, is {})",
                ulimit_text(l)
            )),
            None => msg.push_str(
                " (the kernel refused it: not enough memory and swap for its overcommit \
                 policy, see vm.overcommit_memory)",
            ),
        }
    }
    msg
}

/// A resource limit as people set it: `256 MiB` when that is exact, else in KiB, the unit
/// of `ulimit -v` and `ulimit -l`.
fn ulimit_text(bytes: u64) -> String {
    let text = iec(bytes);
    if text.contains('.') {
        format!("{} KiB", bytes / 1024)
    } else {
        text
    }
}

fn lock_error(len: u64, e: &std::io::Error) -> String {
    let limit = match sys::soft_limit(Limit::Memlock) {
        Some(l) => ulimit_text(l),
        None => "unlimited".to_string(),
    };
    format!(
        "--lock: cannot lock {}: {}; RLIMIT_MEMLOCK (`ulimit -l`) is {limit}: raise it, or run \
         without --lock",
        iec(len),
        io_strerror(e)
    )
}

/// The reporting side of a run: watches the clock and the signals, prints the live line.
struct Controller<'a> {
    plan: &'a Plan,
    stats: &'a [worker::Stats],
    len: u64,
    start: Instant,
    /// None: never (a time beyond the clock's range).
    deadline: Option<Instant>,
    next: Option<Instant>,
    last_bytes: u64,
    last_t: Instant,
    live: bool,
    tty: bool,
    shown_line: bool,
    peak_seen: u64,
    /// The memory cgroup that limits this process (and its limit), for the live report.
    cgroup: Option<(&'a Reading, u64)>,
}

impl Controller<'_> {
    /// Looks at signals, the deadline and the report schedule. `Some(reason)` when the run
    /// must stop.
    fn tick(&mut self) -> Option<String> {
        if let Some(sig) = sys::stop_signal() {
            return Some(sys::signal_name(sig).to_string());
        }
        let now = Instant::now();
        if self.deadline.is_some_and(|d| now >= d) {
            return Some("time limit".to_string());
        }
        if self.next.is_some_and(|n| now >= n) {
            self.report(now);
            while let Some(n) = self.next.filter(|n| *n <= now) {
                self.next = n.checked_add(self.plan.interval);
            }
        }
        None
    }

    fn report(&mut self, now: Instant) {
        let bytes = total_bytes(self.stats);
        let rss = sys::self_memory().ok().map(|m| m.resident);
        self.peak_seen = self.peak_seen.max(rss.unwrap_or(0));
        if self.live {
            let dt = now.duration_since(self.last_t).as_secs_f64();
            let st = Status {
                elapsed: now.duration_since(self.start),
                bytes,
                len: self.len,
                rate: if dt > 0.0 {
                    bytes.saturating_sub(self.last_bytes) as f64 / dt
                } else {
                    0.0
                },
                rss,
                holding: self.plan.hold && first_pass(self.stats).is_some(),
                cgroup: self.cgroup.and_then(|(r, limit)| {
                    memtools_platform::cgroup::usage_now(r).map(|u| (u, limit))
                }),
            };
            if self.plan.json {
                // One JSON line per sample on stdout; a failed write ends nothing here
                // (the summary's write reports it).
                let _ = print_stdout(&report::json_sample(&st));
            } else if self.tty {
                let line = report::status_line(&st);
                eprint_now(&format!("\r{line}\x1b[K"));
                self.shown_line = true;
            } else {
                eprint_now(&format!("{}\n", report::status_line(&st)));
            }
        }
        self.last_bytes = bytes;
        self.last_t = now;
    }

    /// How long to sleep before the next look.
    fn wait(&self) -> Duration {
        let now = Instant::now();
        let mut wait = POLL;
        for t in [self.next, self.deadline].into_iter().flatten() {
            wait = wait.min(t.saturating_duration_since(now));
        }
        wait
    }

    /// Ticks and sleeps until the run must stop.
    fn run_until_stop(&mut self) -> String {
        loop {
            if let Some(reason) = self.tick() {
                return reason;
            }
            std::thread::sleep(self.wait());
        }
    }
}

/// Streams (on this thread, or on `--threads` threads while this one reports) until the
/// time is up or a signal comes, then prints the summary.
fn stream(plan: &Plan, map: &mut Mapping, page: usize, cgroup: Option<&(Reading, Budget)>) -> i32 {
    let len = map.size();
    let page_words = page / 8;
    let words = map.words();
    // Each thread gets a contiguous slice of whole pages.
    let pages = len / page;
    let threads = plan.threads.min(pages).max(1);
    let per_thread = pages.div_ceil(threads) * page_words;
    let stats: Vec<worker::Stats> = (0..threads).map(|_| worker::Stats::new()).collect();
    let stop = AtomicBool::new(false);

    let start_text = if plan.json {
        report::json_start(std::process::id(), len as u64, plan)
    } else {
        report::start_line(std::process::id(), len as u64, plan.duration)
    };
    if print_stdout(&start_text) != EXIT_OK {
        return EXIT_FAIL;
    }
    let start = Instant::now();
    let cfg = worker::Config {
        touch: plan.touch,
        hold: plan.hold,
        ramp: plan.ramp,
        start,
        page_words,
    };
    let mut ctl = Controller {
        plan,
        stats: &stats,
        len: len as u64,
        start,
        deadline: plan.duration.and_then(|d| start.checked_add(d)),
        next: start.checked_add(plan.interval),
        last_bytes: 0,
        last_t: start,
        live: !plan.quiet,
        tty: std::io::stderr().is_terminal(),
        shown_line: false,
        peak_seen: 0,
        cgroup: cgroup.map(|(r, b)| (r, b.limit)),
    };

    let reason = if threads == 1 {
        // One thread streams and reports: no second stack or malloc arena to count in the
        // resident size, and the clock is read once per 2 MiB chunk (~0.1 ms).
        let mut reason = None;
        worker::run(words, &cfg, &stats[0], &stop, &mut || {
            reason = ctl.tick();
            reason.is_some()
        });
        // Stopped by the tick, or --hold has touched everything: hold until the end.
        Ok(match reason {
            Some(r) => r,
            None => ctl.run_until_stop(),
        })
    } else {
        std::thread::scope(|s| {
            for (i, (slice, st)) in words.chunks_mut(per_thread).zip(stats.iter()).enumerate() {
                let (cfg, stop) = (&cfg, &stop);
                let spawned = std::thread::Builder::new()
                    .name(format!("stream-{i}"))
                    .spawn_scoped(s, move || worker::run(slice, cfg, st, stop, &mut || false));
                if let Err(e) = spawned {
                    // Typically ENOMEM/EAGAIN under `ulimit -v` or a thread limit: the
                    // threads already started stop when the scope ends.
                    stop.store(true, Ordering::Relaxed);
                    return Err(e);
                }
            }
            let reason = ctl.run_until_stop();
            stop.store(true, Ordering::Relaxed);
            Ok(reason)
        })
    };
    let reason = match reason {
        Ok(r) => r,
        Err(e) => {
            return fail(&format!(
                "cannot start a streaming thread: {}{}",
                io_strerror(&e),
                match sys::soft_limit(Limit::AddressSpace) {
                    Some(l) => format!(
                        " (the address-space limit RLIMIT_AS, `ulimit -v`, is {}; each \
                         thread needs room for its stack beyond SIZE)",
                        ulimit_text(l)
                    ),
                    None => String::new(),
                }
            ))
        }
    };
    let elapsed = start.elapsed();
    if ctl.shown_line {
        eprint_now("\n");
    }
    let mem = sys::self_memory().ok();
    let peak = match mem {
        Some(m) => Some(m.peak.unwrap_or(0).max(m.resident).max(ctl.peak_seen)),
        None if ctl.peak_seen > 0 => Some(ctl.peak_seen),
        None => None,
    };
    let summary = Summary {
        reason,
        elapsed,
        bytes: total_bytes(&stats),
        len: len as u64,
        first_pass: first_pass(&stats),
        peak_rss: peak,
    };
    if plan.json {
        print_stdout(&report::json_summary(&summary))
    } else {
        print_stdout(&report::summary(&summary))
    }
}

fn total_bytes(stats: &[worker::Stats]) -> u64 {
    stats.iter().fold(0u64, |a, s| {
        a.saturating_add(s.bytes.load(Ordering::Relaxed))
    })
}

/// When every thread had written its whole slice once.
fn first_pass(stats: &[worker::Stats]) -> Option<Duration> {
    let mut max = 0;
    for s in stats {
        match s.first_pass_ns.load(Ordering::Relaxed) {
            worker::NOT_YET => return None,
            ns => max = max.max(ns),
        }
    }
    Some(Duration::from_nanos(max))
}

fn eprint_now(s: &str) {
    let mut e = std::io::stderr().lock();
    let _ = e.write_all(s.as_bytes());
    let _ = e.flush();
}
