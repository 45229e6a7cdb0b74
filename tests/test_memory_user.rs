//! memory-user, run for real: the kernel's own view of the process (/proc/PID/status) is
//! the oracle for what it holds. Sizes stay at or below 256 MiB and runs at a few seconds.
//! Linux only (/proc).

mod common;
use common::{applet_cmd, fixtures, limited, need, run_applet, scratch, trial};
use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let trials = vec![
        trial!(holds_size_for_the_duration_then_exits_0),
        trial!(sigint_gives_the_summary_and_exit_0),
        trial!(enormous_durations_mean_until_interrupted),
        trial!(a_second_sigint_ends_it_at_once),
        trial!(live_report_lines_when_not_a_terminal),
        trial!(hold_touches_once_then_sleeps),
        trial!(streaming_keeps_the_cpu_busy),
        trial!(ramp_grows_rss_gradually),
        trial!(page_touch_and_threads_reach_size),
        trial!(pid_file_is_written_and_removed),
        trial!(bad_input_is_a_usage_error_naming_the_argument),
        trial!(help_and_version),
        trial!(sizes_beyond_the_machine_are_refused),
        trial!(forced_impossible_size_fails_cleanly),
        trial!(ulimit_v_gives_a_clear_error),
        trial!(threads_beyond_ulimit_v_fail_cleanly),
        trial!(lock_beyond_rlimit_memlock_names_the_limit),
        trial!(lock_within_the_limit_works),
        trial!(json_lines_start_samples_summary),
    ];
    common::run(
        trials
            .into_iter()
            .map(|t| t.need_first(need::linux()))
            .collect(),
    );
}

const MIB: u64 = 1 << 20;

struct Run {
    child: Child,
    stdout: BufReader<ChildStdout>,
    pid: i32,
    first_line: String,
    started: Instant,
}

fn command(args: &[&str]) -> Command {
    let mut c = applet_cmd("memory-user", args, None);
    c.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

/// Starts memory-user and reads its first stdout line, which must name its pid.
fn start(mut c: Command) -> Run {
    let started = Instant::now();
    let mut child = c.spawn().expect("spawn memtools");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut first_line = String::new();
    stdout.read_line(&mut first_line).expect("first line");
    let pid = pid_of(&first_line);
    assert_eq!(pid, child.id() as i32, "the start line names this process");
    Run {
        child,
        stdout,
        pid,
        first_line,
        started,
    }
}

fn pid_of(line: &str) -> i32 {
    let rest = line
        .strip_prefix("memory-user: pid ")
        .unwrap_or_else(|| panic!("start line: {line:?}"));
    rest.split(',')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("pid in {line:?}"))
}

struct Done {
    status: std::process::ExitStatus,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

fn finish(mut r: Run) -> Done {
    let mut rest = String::new();
    r.stdout.read_to_string(&mut rest).expect("read stdout");
    let mut stderr = String::new();
    if let Some(mut e) = r.child.stderr.take() {
        e.read_to_string(&mut stderr).expect("read stderr");
    }
    let status = r.child.wait().expect("wait");
    Done {
        status,
        stdout: r.first_line + &rest,
        stderr,
        elapsed: r.started.elapsed(),
    }
}

/// A field of /proc/PID/status, in bytes (the file gives kB). None once the process is gone.
fn status_kb(pid: i32, field: &str) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map(|k| k * 1024)
}

fn rss(pid: i32) -> Option<u64> {
    status_kb(pid, "VmRSS")
}

/// Waits until VmRSS >= want; returns the value seen, or the largest seen at the timeout.
fn wait_rss(pid: i32, want: u64, timeout: Duration) -> u64 {
    let t = Instant::now();
    let mut best = 0;
    while t.elapsed() < timeout {
        match rss(pid) {
            Some(r) if r >= want => return r,
            Some(r) => best = best.max(r),
            None => break,
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    best
}

/// user + system CPU time of a process, in clock ticks.
fn cpu_ticks(pid: i32) -> u64 {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("stat");
    let after = &s[s.rfind(')').expect("comm") + 2..];
    let f: Vec<&str> = after.split_whitespace().collect();
    f[11].parse::<u64>().unwrap() + f[12].parse::<u64>().unwrap()
}

fn kill(pid: i32, sig: i32) {
    assert!(common::signal(pid, sig));
}

fn summary_field<'a>(out: &'a str, key: &str) -> &'a str {
    out.lines()
        .find_map(|l| l.trim_start().strip_prefix(key))
        .unwrap_or_else(|| panic!("no {key:?} in summary:\n{out}"))
        .trim()
}

fn holds_size_for_the_duration_then_exits_0() {
    let r = start(command(&["64", "1"]));
    assert_eq!(
        r.first_line,
        format!(
            "memory-user: pid {}, size 64 MiB (67108864 bytes), duration 1 s\n",
            r.pid
        )
    );
    let seen = wait_rss(r.pid, 64 * MIB, Duration::from_secs(5));
    assert!(seen >= 64 * MIB, "VmRSS reached only {seen}");
    let d = finish(r);
    assert_eq!(d.status.code(), Some(0), "stderr: {}", d.stderr);
    assert!(
        d.elapsed >= Duration::from_millis(950) && d.elapsed < Duration::from_secs(6),
        "ran {:?}",
        d.elapsed
    );
    // "stopped by time limit after 1.00 s": the limit is honoured, late only by scheduling.
    let after: f64 = d
        .stdout
        .split("stopped by time limit after ")
        .nth(1)
        .and_then(|t| t.split_whitespace().next())
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("no time-limit line in {}", d.stdout));
    assert!((1.0..3.0).contains(&after), "{}", d.stdout);
    let passes: f64 = summary_field(&d.stdout, "passes").parse().unwrap();
    assert!(passes >= 1.0, "{passes}");
    assert!(summary_field(&d.stdout, "first pass").ends_with("(time to make 64 MiB resident)"));
    let peak = summary_field(&d.stdout, "peak RSS");
    let peak_bytes: u64 = peak
        .split('(')
        .nth(1)
        .and_then(|p| p.split(' ').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("{peak}"));
    assert!((64 * MIB..80 * MIB).contains(&peak_bytes), "{peak}");
}

fn sigint_gives_the_summary_and_exit_0() {
    for (sig, name) in [(libc::SIGINT, "SIGINT"), (libc::SIGTERM, "SIGTERM")] {
        let r = start(command(&["32", "-q"]));
        assert!(r.first_line.ends_with("duration until interrupted\n"));
        assert!(wait_rss(r.pid, 32 * MIB, Duration::from_secs(5)) >= 32 * MIB);
        std::thread::sleep(Duration::from_millis(300));
        kill(r.pid, sig);
        let d = finish(r);
        assert_eq!(d.status.code(), Some(0), "{name}: {}", d.stderr);
        assert!(
            d.stdout.contains(&format!("stopped by {name} after ")),
            "{}",
            d.stdout
        );
        // RSS reaches SIZE as pages are faulted in, a little ahead of the writes: on a
        // loaded machine the first pass may not be over yet.
        let passes: f64 = summary_field(&d.stdout, "passes").parse().unwrap();
        assert!(passes > 0.0, "{passes}");
        assert!(summary_field(&d.stdout, "mean").contains(" GB/s"));
        assert_eq!(d.stderr, "", "-q: no live report");
    }
}

fn enormous_durations_mean_until_interrupted() {
    // 2 * 10^14 days fits a Duration but not a clock reading: no overflow, no crash.
    let r = start(command(&[
        "4",
        "200000000000000d",
        "-i",
        "200000000000000d",
    ]));
    assert!(
        r.first_line.ends_with("duration 17280000000000000000 s\n"),
        "{}",
        r.first_line
    );
    std::thread::sleep(Duration::from_millis(300));
    kill(r.pid, libc::SIGINT);
    let d = finish(r);
    assert_eq!(d.status.code(), Some(0), "{}", d.stderr);
    assert!(d.stdout.contains("stopped by SIGINT"));
    assert_eq!(d.stderr, "", "no report line within the first interval");
}

fn a_second_sigint_ends_it_at_once() {
    let r = start(command(&["16", "-q"]));
    kill(r.pid, libc::SIGINT);
    kill(r.pid, libc::SIGINT);
    let d = finish(r);
    // Either the second signal arrived before the clean exit finished (killed by SIGINT),
    // or the clean exit won the race; nothing else is right.
    match d.status.code() {
        Some(0) => assert!(d.stdout.contains("stopped by SIGINT")),
        Some(c) => panic!("exit status {c}"),
        None => assert_eq!(d.status.signal(), Some(libc::SIGINT)),
    }
}

fn live_report_lines_when_not_a_terminal() {
    let r = start(command(&["16", "0.8", "-i", "0.2"]));
    let d = finish(r);
    assert_eq!(d.status.code(), Some(0));
    let lines: Vec<&str> = d.stderr.lines().collect();
    assert!(lines.len() >= 3 && lines.len() <= 5, "{lines:?}");
    for l in &lines {
        let f: Vec<&str> = l.split_whitespace().collect();
        // passes N  R GB/s  RSS S U  T s
        assert_eq!(
            (f[0], f[3], f[4], f[8]),
            ("passes", "GB/s", "RSS", "s"),
            "{l}"
        );
        assert!(
            f[1].parse::<f64>().is_ok() && f[2].parse::<f64>().is_ok(),
            "{l}"
        );
    }
    assert!(
        !d.stderr.contains('\r'),
        "no carriage returns off a terminal"
    );
}

fn hold_touches_once_then_sleeps() {
    let r = start(command(&["128", "--hold", "-q"]));
    assert!(wait_rss(r.pid, 128 * MIB, Duration::from_secs(5)) >= 128 * MIB);
    std::thread::sleep(Duration::from_millis(200));
    let cpu0 = cpu_ticks(r.pid);
    let rss0 = rss(r.pid).unwrap();
    std::thread::sleep(Duration::from_millis(800));
    let cpu1 = cpu_ticks(r.pid);
    let rss1 = rss(r.pid).unwrap();
    kill(r.pid, libc::SIGINT);
    let d = finish(r);
    assert_eq!(d.status.code(), Some(0));
    // Streaming would burn ~80 ticks of CPU in 0.8 s; holding burns almost none.
    assert!(cpu1 - cpu0 <= 5, "CPU ticks while holding: {}", cpu1 - cpu0);
    assert!(
        rss1 >= 128 * MIB && rss1.abs_diff(rss0) < MIB,
        "{rss0} -> {rss1}"
    );
    assert_eq!(summary_field(&d.stdout, "passes"), "1.0");
}

fn streaming_keeps_the_cpu_busy() {
    // The counterpart of the test above: without --hold the passes go on.
    let r = start(command(&["64", "-q"]));
    assert!(wait_rss(r.pid, 64 * MIB, Duration::from_secs(5)) >= 64 * MIB);
    let cpu0 = cpu_ticks(r.pid);
    std::thread::sleep(Duration::from_millis(800));
    let cpu1 = cpu_ticks(r.pid);
    kill(r.pid, libc::SIGINT);
    let d = finish(r);
    assert_eq!(d.status.code(), Some(0));
    assert!(
        cpu1 - cpu0 >= 10,
        "CPU ticks while streaming: {}",
        cpu1 - cpu0
    );
}

fn ramp_grows_rss_gradually() {
    let size = 256 * MIB;
    let r = start(command(&["256", "--ramp", "2", "--hold", "-q", "3"]));
    // Sample RSS until it is all resident; note when it was seen part-way (5%..95%).
    let t0 = Instant::now();
    let mut partial: Vec<(Duration, u64)> = Vec::new();
    let mut full = 0;
    while t0.elapsed() < Duration::from_secs(8) {
        match rss(r.pid) {
            Some(v) if v >= size => {
                full = v;
                break;
            }
            Some(v) if v > size / 20 && v < size / 20 * 19 => partial.push((t0.elapsed(), v)),
            Some(_) => {}
            None => break,
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let d = finish(r);
    assert_eq!(d.status.code(), Some(0));
    assert!(full >= size, "{full}");
    // Without --ramp, 256 MiB is resident within a fraction of a second; with a 2 s ramp
    // it is seen part-way, growing, for well over a second.
    let (first, last) = (partial.first().copied(), partial.last().copied());
    let (Some((t1, r1)), Some((t2, r2))) = (first, last) else {
        panic!("never seen part-way resident");
    };
    assert!(
        t2 - t1 >= Duration::from_millis(1000) && r2 > r1,
        "part-way from {t1:?} ({r1}) to {t2:?} ({r2})"
    );
    let first_pass: f64 = summary_field(&d.stdout, "first pass")
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (2.0..6.0).contains(&first_pass),
        "first pass {first_pass} s with a 2 s ramp"
    );
}

fn page_touch_and_threads_reach_size() {
    for args in [
        &["96", "1", "--touch", "page", "-q"][..],
        &["96", "1", "-t", "2", "-q"],
    ] {
        let r = start(command(args));
        let seen = wait_rss(r.pid, 96 * MIB, Duration::from_secs(5));
        let d = finish(r);
        assert!(seen >= 96 * MIB, "{args:?}: {seen}");
        assert_eq!(d.status.code(), Some(0), "{args:?}");
    }
}

fn pid_file_is_written_and_removed() {
    let dir = scratch("mu-pid");
    let file = dir.join("mu.pid");
    let r = start(command(&["8", "-q", "--pid-file", file.to_str().unwrap()]));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        format!("{}\n", r.pid)
    );
    kill(r.pid, libc::SIGTERM);
    let d = finish(r);
    assert_eq!(d.status.code(), Some(0));
    assert!(!file.exists(), "removed at a clean exit");
    let o = run_applet(
        "memory-user",
        &["8", "1", "--pid-file", "/nonexistent-dir/x.pid"],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "memory-user: cannot write pid file /nonexistent-dir/x.pid: No such file or directory\n"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn bad_input_is_a_usage_error_naming_the_argument() {
    for (args, msg) in [
        (&[][..], "missing SIZE"),
        (&["abc"], "invalid SIZE 'abc': not a number"),
        (&["0"], "invalid SIZE '0': must be greater than zero"),
        (&["-5"], "invalid SIZE '-5': must be a positive number"),
        (&["-1.5G", "3"], "invalid SIZE '-1.5G': must be a positive number"),
        (&["99999999999999999999999G"], "invalid SIZE '99999999999999999999999G': too large"),
        (&["16EiB"], "invalid SIZE '16EiB': too large"),
        (&["12 parsecs"], "invalid SIZE '12 parsecs': unknown unit 'parsecs' (use K, M, G, T, KiB, MiB, GiB, KB, MB, GB or B)"),
        (&["64", "soon"], "invalid SECONDS 'soon': not a number of seconds"),
        (&["64", "-1"], "invalid SECONDS '-1': must be a positive number of seconds"),
        (&["64", "0"], "invalid SECONDS '0': must be greater than zero"),
        (&["64", "1", "2"], "extra operand '2'"),
        (&["--touch", "byte", "64"], "invalid --touch 'byte': expected 'word' or 'page'"),
        (&["--threads", "0", "64"], "invalid --threads '0': expected a whole number from 1 to 1024"),
        (&["--ramp", "x", "64"], "invalid --ramp 'x': not a number of seconds"),
        (&["--interval", "0", "64"], "invalid --interval '0': must be greater than zero"),
        (&["--frobnicate", "64"], "unrecognized option '--frobnicate'"),
        (&["64", "--ramp"], "option '--ramp' requires an argument"),
    ] {
        let o = run_applet("memory-user", args, None);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(o.stdout.is_empty(), "{args:?}");
        assert_eq!(
            String::from_utf8_lossy(&o.stderr),
            format!("memory-user: {msg}\nTry 'memory-user --help' for more information.\n"),
            "{args:?}"
        );
    }
}

fn help_and_version() {
    let o = run_applet("memory-user", &["--help"], None);
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout)
        .starts_with("Usage: memory-user [OPTIONS] SIZE [SECONDS]\n"));
    let o = run_applet("memory-user", &["-V"], None);
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("memory-user from memtools "));
}

fn sizes_beyond_the_machine_are_refused() {
    // A snapshot root with a small machine: 1 GiB RAM, 512 MiB swap, 32 MiB available.
    let small = fixtures().join("memory-user/small-machine");
    let o = run_applet("memory-user", &["2G", "1"], Some(&small));
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "memory-user: 2 GiB is more than this machine's memory and swap (MemTotal 1 GiB + \
         SwapTotal 512 MiB = 1.50 GiB); use --force to try anyway\n"
    );
    // Above MemAvailable but below the total: a warning, then it runs.
    let o = run_applet("memory-user", &["64", "0.3", "-q"], Some(&small));
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "memory-user: warning: 64 MiB is more than MemAvailable (32 MiB): expect swapping, or the OOM killer\n"
    );
    // The real machine: no machine has an exbibyte.
    let o = run_applet("memory-user", &["1EiB"], None);
    assert_eq!(o.status.code(), Some(1));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.starts_with("memory-user: 1 EiB is more than this machine's memory and swap (MemTotal "),
        "{e}"
    );
    assert!(
        e.contains(" + SwapTotal ") && e.ends_with("; use --force to try anyway\n"),
        "{e}"
    );
}

fn forced_impossible_size_fails_cleanly() {
    // The kernel cannot map an exbibyte (more than the user address space): ENOMEM.
    let o = run_applet("memory-user", &["--force", "1EiB", "1"], None);
    assert_eq!(o.status.code(), Some(1));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains(
            "memory-user: cannot map 1 EiB (1152921504606846976 bytes): Cannot allocate memory ("
        ),
        "{e}"
    );
    assert!(o.stdout.is_empty());
}

fn ulimit_v_gives_a_clear_error() {
    let mut c = limited(command(&["512", "1"]), libc::RLIMIT_AS, 256 << 20);
    let o = c.output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "memory-user: cannot map 512 MiB (536870912 bytes): Cannot allocate memory (the \
         address-space limit RLIMIT_AS, `ulimit -v`, is 256 MiB)\n"
    );
}

fn threads_beyond_ulimit_v_fail_cleanly() {
    // The mapping fits, but 64 thread stacks of 2 MiB do not: an error, not a crash.
    let mut c = limited(
        command(&["64", "1", "-q", "-t", "64"]),
        libc::RLIMIT_AS,
        112 << 20,
    );
    let o = c.output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.starts_with("memory-user: cannot start a streaming thread: ")
            && e.ends_with("(the address-space limit RLIMIT_AS, `ulimit -v`, is 112 MiB; each thread needs room for its stack beyond SIZE)\n"),
        "{e}"
    );
}

fn lock_beyond_rlimit_memlock_names_the_limit() {
    let mut c = limited(
        command(&["--lock", "64", "1"]),
        libc::RLIMIT_MEMLOCK,
        1 << 20,
    );
    drop_cap_ipc_lock(&mut c);
    let o = match c.output() {
        Ok(o) => o,
        Err(e) => common::skip(format!("cannot drop CAP_IPC_LOCK here ({e})")),
    };
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.starts_with("memory-user: --lock: cannot lock 64 MiB: ")
            && e.ends_with(
                "; RLIMIT_MEMLOCK (`ulimit -l`) is 1 MiB: raise it, or run without --lock\n"
            ),
        "{e}"
    );
    assert!(o.stdout.is_empty(), "nothing starts");
}

/// root (CAP_IPC_LOCK) may lock beyond the limit: drops the capability for the program
/// `c` executes.
#[cfg(target_os = "linux")]
fn drop_cap_ipc_lock(c: &mut Command) {
    /// linux/capability.h
    const CAP_IPC_LOCK: libc::c_ulong = 14;
    common::drop_capability(c, CAP_IPC_LOCK);
}

#[cfg(not(target_os = "linux"))]
fn drop_cap_ipc_lock(_: &mut Command) {}

fn lock_within_the_limit_works() {
    let o = run_applet("memory-user", &["--lock", "4", "0.3", "-q"], None);
    // 4 MiB is below the usual default RLIMIT_MEMLOCK (8 MiB); a smaller limit is reported.
    match o.status.code() {
        Some(0) => assert!(String::from_utf8_lossy(&o.stdout).contains("stopped by time limit")),
        Some(1) => assert!(String::from_utf8_lossy(&o.stderr).contains("RLIMIT_MEMLOCK")),
        other => panic!("{other:?}"),
    }
}

/// `--json`: start, samples and summary as JSON lines on stdout, nothing on stderr; the
/// summary's numbers describe the run the start record announced.
fn json_lines_start_samples_summary() {
    let o = command(&["--json", "-i", "0.1", "8", "0.5"])
        .output()
        .expect("spawn memtools");
    assert_eq!(o.status.code(), Some(0));
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    let recs: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert!(recs.len() >= 3, "start, a sample, summary: {text}");
    let (first, last) = (&recs[0], &recs[recs.len() - 1]);
    assert_eq!(first["schema_version"], 1);
    assert_eq!(first["event"], "start");
    assert_eq!(first["size"], 8 * MIB);
    assert_eq!(first["duration_seconds"], 0.5);
    assert_eq!(first["ramp_seconds"], serde_json::Value::Null);
    assert!(first["pid"].as_u64().is_some_and(|p| p > 1));
    for r in &recs[1..recs.len() - 1] {
        assert_eq!(r["event"], "sample");
        assert!(r["rss"].as_u64().is_some_and(|v| v > 0), "{r}");
    }
    assert_eq!(last["event"], "summary");
    assert_eq!(last["reason"], "time limit");
    assert_eq!(last["size"], 8 * MIB);
    let bytes = last["bytes_written"].as_u64().unwrap();
    let passes = last["passes"].as_f64().unwrap();
    assert!((passes - bytes as f64 / (8 * MIB) as f64).abs() < 1e-9);
    assert!(
        last["peak_rss"].as_u64().is_some_and(|p| p >= 8 * MIB),
        "{last}"
    );
    assert!(last["elapsed_seconds"].as_f64().is_some_and(|e| e >= 0.49));
}
