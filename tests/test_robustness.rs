//! Hostile input and races (docs/robustness.md): damaged /proc files through the snapshot
//! root, other users' processes, processes that exit while they are read, closed pipes,
//! full devices, signals and resource limits. Whatever happens, no applet may panic, hang,
//! die of a signal other than the documented ones, or print garbage as a result; every exit
//! status must be in the applet's documented set.
//!
//! Where procps-ng gives a stable answer for the same damaged file, it is the oracle (root
//! only: a private mount namespace binds the file over /proc); those comparisons are tests
//! of their own (`..._matches_procps`), skipped with the reason where they cannot run.
//!
//! Linux only: everything here goes through /proc, Linux resource limits or procps-ng.

mod common;

use common::{
    applet_cmd, close_stdout, dev_full, limited, memtools, need, replace_once, run_applet, scratch,
    show, trial, wait_bounded, Proc,
};
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

fn main() {
    // GNU time measures the peak RSS of the runs (see `run_measured`).
    let time = || need::exe("/usr/bin/time");
    let trials = vec![
        trial!(a_million_mappings_in_bounded_memory, time()),
        trial!(
            damaged_pid_files_pmap_and_vmmap_are_sane_and_pmap_matches_procps,
            time(),
            need::mount_namespace(),
            need::procps("pmap")
        ),
        trial!(damaged_pid_files_pmap_and_vmmap_are_sane, time()),
        trial!(damaged_meminfo_free_is_sane, time()),
        trial!(
            damaged_meminfo_free_is_sane_and_matches_procps,
            time(),
            need::mount_namespace(),
            need::procps("free")
        ),
        trial!(memory_user_on_damaged_meminfo),
        trial!(damaged_vmstat_is_an_error_or_a_full_report, time()),
        trial!(hostile_pmap_rc_files),
        trial!(hostile_pmap_rc_files_match_procps, need::procps("pmap")),
        trial!(pmap_rc_line_starting_with_nul),
        trial!(pmap_rc_rest_of_a_long_line),
        trial!(pmap_read_error_after_open_is_an_empty_file),
        trial!(pmap_empty_stat_is_not_found),
        trial!(pmap_x_smaps_header_starting_with_nul),
        trial!(pmap_smaps_c_line_rules),
        trial!(pmap_row_values_after_key_lines),
        trial!(other_users_processes, need::nobody()),
        trial!(
            other_users_processes_match_procps,
            need::nobody(),
            need::procps("pmap")
        ),
        trial!(short_lived_processes_exit_mid_read),
        trial!(every_applet_into_head_ends_quietly),
        trial!(interval_loops_flush_each_iteration_and_end_on_sigint),
        trial!(write_errors_on_a_full_device, need::dev_full()),
        trial!(
            write_errors_on_a_full_device_match_procps,
            need::dev_full(),
            need::procps("free"),
            need::procps("pmap")
        ),
        trial!(write_errors_on_a_closed_stdout),
        trial!(
            smem_itself_is_silent_on_write_errors,
            need::exe("/usr/bin/smem"),
            need::dev_full()
        ),
        trial!(
            write_errors_on_a_closed_stdout_match_procps,
            need::procps("free"),
            need::procps("pmap")
        ),
        trial!(tight_address_space_limits_never_crash),
        trial!(
            memory_user_lock_beyond_memlock_as_an_unprivileged_user,
            need::nobody()
        ),
        trial!(memory_user_impossible_sizes_and_durations),
    ];
    common::run(
        trials
            .into_iter()
            .map(|t| t.need_first(need::linux()))
            .collect(),
    );
}

// ---------------------------------------------------------------------------------------
// Helpers

/// The documented exit statuses of each applet (docs/*.md).
fn documented(applet: &str) -> &'static [i32] {
    match applet {
        "free" => &[0, 1],
        "vm_stat" => &[0, 1],
        "pmap" => &[0, 1, 42, 43],
        "vmmap" => &[0, 1, 255],
        "memory-user" => &[0, 1, 2],
        "smem" => &[0, 1, 2, 255],
        _ => &[],
    }
}

/// Deterministic pseudo-random bytes (xorshift64*), so that a failure can be reproduced.
fn garbage(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            (x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 56) as u8
        })
        .collect()
}

/// Fails unless the run ended by itself with a documented status and without a panic.
fn assert_sane(applet: &str, what: &str, status: ExitStatus, stderr: &[u8]) {
    let err = show(stderr);
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{applet} {what}: panic: {err}"
    );
    match status.code() {
        Some(c) => assert!(
            documented(applet).contains(&c),
            "{applet} {what}: undocumented exit status {c}; stderr: {err}"
        ),
        None => panic!(
            "{applet} {what}: killed by signal {:?}; stderr: {err}",
            status.signal()
        ),
    }
}

/// Runs a command to completion with stdout/stderr in files (no pipe deadlock on big
/// output) and returns its output and peak RSS in KiB.
///
/// The peak comes from `/usr/bin/time -f %M` (the tests declare it): the child's own `wait4`
/// figure would include the pages of this (big) test process that a fork inherits before
/// the exec.
fn run_measured(c: Command, out_dir: &Path) -> (Output, u64) {
    let o = out_dir.join("stdout");
    let e = out_dir.join("stderr");
    let m = out_dir.join("maxrss");
    let _ = std::fs::remove_file(&m);
    let mut cmd = Command::new("/usr/bin/time");
    cmd.arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(&m)
        .arg(c.get_program())
        .args(c.get_args());
    for (k, v) in c.get_envs() {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    let status = cmd
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&o).expect("stdout file"))
        .stderr(std::fs::File::create(&e).expect("stderr file"))
        .status()
        .expect("spawn");
    let mut status = status;
    // time(1) reports a signal death as "Command terminated by signal N" and exits
    // 128+N; otherwise its status is the command's.
    let report = std::fs::read_to_string(&m).unwrap_or_default();
    if let Some(sig) = report
        .lines()
        .find_map(|l| l.strip_prefix("Command terminated by signal "))
    {
        status = ExitStatus::from_raw(sig.trim().parse::<i32>().unwrap_or(0) & 0x7f);
    }
    let rss = report
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or_else(|| panic!("no peak RSS from /usr/bin/time: {report:?}"));
    let out = Output {
        status,
        stdout: std::fs::read(&o).unwrap_or_default(),
        stderr: std::fs::read(&e).unwrap_or_default(),
    };
    (out, rss)
}

/// A child that is reaped when dropped (whatever the test does in between).
struct Reaped(Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.wait();
    }
}

// ---------------------------------------------------------------------------------------
// 2. Damaged /proc files through the snapshot root

/// Hostile variants of a meminfo/vmstat-like file.
fn hostile_files(good: &[u8]) -> Vec<(&'static str, Vec<u8>)> {
    let mut max = Vec::new();
    for k in [
        "MemTotal",
        "MemFree",
        "MemAvailable",
        "Buffers",
        "Cached",
        "SwapTotal",
        "SwapFree",
        "Shmem",
        "SReclaimable",
        "Slab",
        "Active",
        "Inactive",
        "LowTotal",
        "HighTotal",
    ] {
        max.extend_from_slice(format!("{k}: 18446744073709551615 kB\n").as_bytes());
    }
    let mut bigline = b"MemTotal: 1000 kB\n".to_vec();
    bigline.extend(std::iter::repeat_n(b'x', 1 << 20));
    bigline.extend_from_slice(b"\nMemFree: 5 kB\n");
    let mut longlines = Vec::new();
    for i in 0..8 {
        longlines.extend_from_slice(format!("MemTotal: {}", "9".repeat(1 << 17)).as_bytes());
        longlines.extend_from_slice(format!(" kB\nMemFree: {i} kB\n").as_bytes());
    }
    let mut nuls = good.to_vec();
    for b in nuls.iter_mut().step_by(37) {
        *b = 0;
    }
    vec![
        ("empty", Vec::new()),
        ("newline", b"\n".to_vec()),
        ("truncated-mid-number", good[..good.len().min(23)].to_vec()),
        ("truncated-half", good[..good.len() / 2].to_vec()),
        ("garbage", garbage(8192, 1)),
        ("garbage-big", garbage(200_000, 2)),
        ("max-u64", max),
        ("line-of-1MiB", bigline),
        ("numbers-of-128KiB", longlines),
        ("nul-bytes", nuls),
        ("colons", b":::::\n: : :\nMemTotal:\n:5\n".to_vec()),
        (
            "negative",
            b"MemTotal: -1 kB\nMemFree: -99999999999999999999 kB\n".to_vec(),
        ),
    ]
}

fn live_or_fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("/proc/{name}")).unwrap_or_else(|_| {
        std::fs::read(common::fixtures().join("vm_stat/live-6.18").join(name)).unwrap_or_default()
    })
}

/// Runs `free ARGS` with /proc/meminfo replaced by `file` in a private mount namespace.
fn real_free(file: &Path, args: &[&str]) -> Output {
    let mut c = Command::new("unshare");
    c.args([
        "-m",
        "sh",
        "-c",
        "mount --bind \"$0\" /proc/meminfo && exec /usr/bin/free \"$@\"",
    ])
    .arg(file)
    .args(args)
    .env("LC_ALL", "C");
    c.output().expect("unshare")
}

fn damaged_meminfo_free_is_sane() {
    damaged_meminfo_free(false);
}

fn damaged_meminfo_free_is_sane_and_matches_procps() {
    damaged_meminfo_free(true);
}

/// free on hostile meminfo files; with `compare`, procps-ng's free on the same files too.
fn damaged_meminfo_free(compare: bool) {
    let good = live_or_fixture("meminfo");
    let base = scratch("meminfo");
    let mut compared = 0;
    for (name, data) in hostile_files(&good) {
        let root = base.join(name);
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("meminfo"), &data).unwrap();
        for args in [
            &[][..],
            &["-h"],
            &["-w", "-t", "-l", "-v"],
            &["-b", "--si"],
            &["-L"],
        ] {
            let (o, rss) = run_measured(applet_cmd("free", args, Some(&root)), &root);
            let what = format!("{name} {args:?}");
            assert_sane("free", &what, o.status, &o.stderr);
            assert!(rss < 32 * 1024, "free {what}: peak RSS {rss} KiB");
            if o.status.code() == Some(0) {
                let head = if args == ["-L"] { "SwapUse" } else { "  " };
                assert!(
                    show(&o.stdout).starts_with(head),
                    "free {what}: {}",
                    show(&o.stdout)
                );
            } else {
                assert!(o.stdout.is_empty() && !o.stderr.is_empty(), "free {what}");
            }
            // -L is 4.0.4's, not in the 4.0.2 oracle.
            if compare && args != ["-L"] {
                let r = real_free(&root.join("meminfo"), args);
                assert_eq!(show(&o.stdout), show(&r.stdout), "free {what}: stdout");
                assert_eq!(show(&o.stderr), show(&r.stderr), "free {what}: stderr");
                assert_eq!(o.status.code(), r.status.code(), "free {what}: status");
                compared += 1;
            }
        }
    }
    if compare {
        assert_eq!(compared, 48);
    }
    let _ = std::fs::remove_dir_all(&base);
}

fn memory_user_on_damaged_meminfo() {
    let good = live_or_fixture("meminfo");
    let base = scratch("mu-meminfo");
    for (name, data) in hostile_files(&good) {
        let root = base.join(name);
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("meminfo"), &data).unwrap();
        let o = run_applet("memory-user", &["-q", "1", "0.01"], Some(&root));
        assert_sane("memory-user", name, o.status, &o.stderr);
        let err = show(&o.stderr);
        let has_total = data.split(|&b| b == b'\n').any(|l| {
            l.starts_with(b"MemTotal:")
                && l[9..]
                    .trim_ascii_start()
                    .first()
                    .is_some_and(|b| *b == b'-' || (b'1'..=b'9').contains(b))
        });
        if !has_total {
            // Never "MemTotal 0 B + SwapTotal 0 B": the totals are unknown, not zero.
            assert!(
                err.starts_with(
                    "memory-user: warning: cannot read the system's memory totals; SIZE is not checked\n"
                ),
                "{name}: {err}"
            );
            assert_eq!(o.status.code(), Some(0), "{name}: {err}");
        }
    }
    let _ = std::fs::remove_dir_all(&base);
}

fn damaged_vmstat_is_an_error_or_a_full_report() {
    let good = live_or_fixture("vmstat");
    let base = scratch("vmstat");
    for (name, data) in hostile_files(&good) {
        for with_meminfo in [true, false] {
            let root = base.join(format!("{name}-{with_meminfo}"));
            std::fs::create_dir_all(&root).unwrap();
            std::fs::write(root.join("vmstat"), &data).unwrap();
            if with_meminfo {
                // The same damage in meminfo.
                std::fs::write(root.join("meminfo"), &data).unwrap();
            }
            let usable = data.split(|&b| b == b'\n').any(|l| {
                l.strip_prefix(b"nr_free_pages")
                    .is_some_and(|r| r.first().is_some_and(|b| b.is_ascii_whitespace()))
                    && l[13..].iter().any(|b| b.is_ascii_digit())
            });
            for args in [&[][..], &["-c", "2", "0.01"]] {
                let what = format!("{name} meminfo={with_meminfo} {args:?}");
                let (o, rss) = run_measured(applet_cmd("vm_stat", args, Some(&root)), &root);
                assert_sane("vm_stat", &what, o.status, &o.stderr);
                assert!(rss < 32 * 1024, "vm_stat {what}: peak RSS {rss} KiB");
                if usable {
                    assert_eq!(
                        o.status.code(),
                        Some(0),
                        "vm_stat {what}: {}",
                        show(&o.stderr)
                    );
                    let lines = show(&o.stdout).lines().count();
                    assert_eq!(
                        lines,
                        if args.is_empty() { 23 } else { 4 },
                        "vm_stat {what}"
                    );
                } else {
                    // Damaged beyond use: an error, never a page of zeros.
                    assert_eq!(
                        o.status.code(),
                        Some(1),
                        "vm_stat {what}: {}",
                        show(&o.stdout)
                    );
                    assert_eq!(
                        show(&o.stderr),
                        "vm_stat: failed to get statistics. error 1\n"
                    );
                    assert!(o.stdout.is_empty(), "vm_stat {what}");
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&base);
}

/// Files of one process, as pmap and vmmap read them.
struct PidFiles {
    maps: Vec<u8>,
    smaps: Vec<u8>,
    stat: Vec<u8>,
    status: Vec<u8>,
    cmdline: Vec<u8>,
    /// Files replaced by a directory (open succeeds, read fails with EISDIR).
    dirs: Vec<&'static str>,
}

impl PidFiles {
    fn fixture() -> PidFiles {
        let d = common::fixtures().join("pmap/small");
        let r = |n: &str| std::fs::read(d.join(n)).expect("pmap/small fixture");
        PidFiles {
            maps: r("maps"),
            smaps: r("smaps"),
            stat: r("stat"),
            status: r("status"),
            cmdline: r("cmdline"),
            dirs: Vec::new(),
        }
    }

    /// Writes the files as ROOT/PID/..., with the fixture's pid (1235) rewritten to `pid`.
    fn write(&self, root: &Path, pid: u32) -> PathBuf {
        let d = root.join(pid.to_string());
        std::fs::create_dir_all(&d).unwrap();
        let fix = |b: &[u8]| {
            let s = b.to_vec();
            let mut out = Vec::with_capacity(s.len());
            let mut i = 0;
            while i < s.len() {
                if s[i..].starts_with(b"1235") {
                    out.extend_from_slice(pid.to_string().as_bytes());
                    i += 4;
                } else {
                    out.push(s[i]);
                    i += 1;
                }
            }
            out
        };
        std::fs::write(d.join("maps"), &self.maps).unwrap();
        std::fs::write(d.join("smaps"), &self.smaps).unwrap();
        std::fs::write(d.join("stat"), fix(&self.stat)).unwrap();
        std::fs::write(d.join("status"), fix(&self.status)).unwrap();
        std::fs::write(d.join("cmdline"), &self.cmdline).unwrap();
        std::fs::write(d.join("comm"), b"small\n").unwrap();
        for name in &self.dirs {
            std::fs::remove_file(d.join(name)).unwrap();
            std::fs::create_dir(d.join(name)).unwrap();
        }
        d
    }
}

/// Damaged variants of one process's files: (name, files, the pmap argument lists not
/// compared with procps because procps gives no stable answer or memtools has a known bug).
fn hostile_pid_files() -> Vec<(&'static str, PidFiles, &'static [&'static str])> {
    let good = PidFiles::fixture();
    let mut v: Vec<(&'static str, PidFiles, &'static [&'static str])> = Vec::new();
    let with = |f: &dyn Fn(&mut PidFiles)| {
        let mut p = PidFiles::fixture();
        f(&mut p);
        p
    };
    v.push((
        "empty-maps-smaps",
        with(&|p| {
            p.maps.clear();
            p.smaps.clear();
        }),
        &[],
    ));
    v.push(("empty-status", with(&|p| p.status.clear()), &[]));
    v.push(("empty-cmdline", with(&|p| p.cmdline.clear()), &[]));
    v.push((
        "truncated",
        with(&|p| {
            p.smaps.truncate(1500);
            p.maps.truncate(100);
        }),
        &[],
    ));
    v.push((
        "max-numbers",
        with(&|p| {
            p.smaps = show(&good.smaps)
                .lines()
                .map(|l| match l.split_once(':') {
                    Some((k, _)) if l.ends_with(" kB") => format!("{k}: 18446744073709551615 kB\n"),
                    _ => format!("{l}\n"),
                })
                .collect::<String>()
                .into_bytes();
            p.maps = show(&good.maps)
                .lines()
                .map(|l| match l.split_once(' ') {
                    Some((_, rest)) => format!("0-ffffffffffffffff {rest}\n"),
                    None => format!("{l}\n"),
                })
                .collect::<String>()
                .into_bytes();
        }),
        &[],
    ));
    v.push((
        "mapping-name-of-1MiB",
        with(&|p| {
            let name: String = "/".to_string() + &"b".repeat(1 << 20);
            let first_maps = show(&good.maps).lines().next().unwrap_or("").to_string();
            p.maps = format!("{first_maps} {name}\n").into_bytes();
            p.maps.extend_from_slice(&good.maps);
            let mut lines = show(&good.smaps)
                .lines()
                .map(str::to_string)
                .collect::<Vec<_>>();
            if let Some(l) = lines.first_mut() {
                l.push_str(&format!(" {name}"));
            }
            p.smaps = (lines.join("\n") + "\n").into_bytes();
        }),
        &[],
    ));
    v.push((
        "garbage-stat-status-cmdline",
        with(&|p| {
            p.stat = garbage(300, 3);
            p.status = garbage(3000, 4);
            p.cmdline = garbage(3000, 5);
        }),
        &[],
    ));
    // procps prints uninitialised values for maps lines it cannot parse (default and -d
    // formats), so only -x/-X/-XX are compared for these two.
    v.push((
        "garbage-maps-smaps",
        with(&|p| {
            p.maps = garbage(65536, 6);
            p.smaps = garbage(65536, 7);
        }),
        &["", "-d"],
    ));
    v.push((
        "maps-line-of-1MiB",
        with(&|p| {
            let mut m = vec![b'a'; 1 << 20];
            m.push(b'\n');
            m.extend_from_slice(&good.maps);
            p.maps = m;
        }),
        &["", "-d"],
    ));
    v.push((
        "smaps-nul-bytes",
        with(&|p| {
            for b in p.smaps.iter_mut().step_by(53) {
                *b = 0;
            }
        }),
        &[],
    ));
    // A read error after a successful open: procps reads nothing and goes on (see
    // pmap_read_error_after_open_is_an_empty_file).
    for (name, file) in [
        ("maps-is-a-directory", "maps"),
        ("smaps-is-a-directory", "smaps"),
        ("stat-is-a-directory", "stat"),
        ("status-is-a-directory", "status"),
        ("cmdline-is-a-directory", "cmdline"),
    ] {
        v.push((name, with(&|p| p.dirs.push(file)), &[]));
    }
    v.push((
        "smaps-fields-without-header",
        with(&|p| {
            p.smaps = b"Size: 4 kB\nRss: 4 kB\nVmFlags: rd\n".to_vec();
        }),
        &[],
    ));
    // Random bytes of maps and smaps (after the first line, whose values procps would
    // otherwise print uninitialised) set to NUL, newline, `[`, `:`, `S`, `-`, `/`, space;
    // odd seeds also get a VmFlags line over 1023 bytes.
    for (name, seed) in [
        ("mutated-1", 1u64),
        ("mutated-2", 2),
        ("mutated-3", 3),
        ("mutated-4", 4),
    ] {
        v.push((
            name,
            with(&|p| {
                let choices = b"\0\0\n\n [:S-/";
                for (k, data) in [&mut p.maps, &mut p.smaps].into_iter().enumerate() {
                    let first = data.iter().position(|&b| b == b'\n').map_or(0, |n| n + 1);
                    for r in garbage(48, seed * 10 + k as u64).chunks(4) {
                        let at = u32::from_le_bytes([r[0], r[1], r[2], r[3]]) as usize;
                        let at = first + at % (data.len() - first);
                        data[at] = choices[r[3] as usize % choices.len()];
                    }
                }
                if seed % 2 == 1 {
                    let mut spaces = b"VmFlags: rd ".to_vec();
                    spaces.extend(std::iter::repeat_n(b' ', 1500));
                    p.smaps = replace_once(&p.smaps, b"VmFlags: rd ", &spaces);
                }
            }),
            &[],
        ));
    }
    v
}

/// pmap ARGS PID with /proc/PID replaced by `dir` in a private mount namespace.
fn real_pmap(dir: &Path, pid: u32, args: &[&str]) -> Output {
    Command::new("unshare")
        .args([
            "-m",
            "sh",
            "-c",
            "mount --bind \"$0\" /proc/\"$1\" && shift && exec /usr/bin/pmap \"$@\"",
        ])
        .arg(dir)
        .arg(pid.to_string())
        .args(args)
        .arg(pid.to_string())
        .env("LC_ALL", "C")
        .output()
        .expect("unshare")
}

fn damaged_pid_files_pmap_and_vmmap_are_sane() {
    damaged_pid_files(false);
}

fn damaged_pid_files_pmap_and_vmmap_are_sane_and_pmap_matches_procps() {
    damaged_pid_files(true);
}

/// pmap and vmmap on hostile files of one process; with `compare`, procps-ng's pmap on the
/// same files too.
fn damaged_pid_files(compare: bool) {
    let base = scratch("pidfiles");
    let mut compared = 0;
    let mut mismatches = Vec::new();
    for (name, files, skip) in hostile_pid_files() {
        // A live process, so that procps can look at the same files through a bind mount.
        let sleeper = Proc::sleep();
        let pid = sleeper.pid();
        let root = base.join(name);
        let dir = files.write(&root, pid);
        let pid_s = pid.to_string();
        for args in [
            &[][..],
            &["-x"],
            &["-d"],
            &["-X"],
            &["-XX"],
            &["-q", "-X"],
            &["-p", "-x"],
        ] {
            let what = format!("{name} {args:?}");
            let mut full: Vec<&str> = args.to_vec();
            full.push(&pid_s);
            let (o, rss) = run_measured(applet_cmd("pmap", &full, Some(&root)), &root);
            assert_sane("pmap", &what, o.status, &o.stderr);
            assert!(rss < 48 * 1024, "pmap {what}: peak RSS {rss} KiB");
            if compare && !skip.contains(&args.join(" ").as_str()) {
                let r = real_pmap(&dir, pid, &full[..full.len() - 1]);
                if (&o.stdout, &o.stderr, o.status.code())
                    != (&r.stdout, &r.stderr, r.status.code())
                {
                    mismatches.push(format!(
                        "pmap {what}: memtools {:?} {:?} {:?}\n  procps {:?} {:?} {:?}",
                        o.status.code(),
                        show(&o.stdout),
                        show(&o.stderr),
                        r.status.code(),
                        show(&r.stdout),
                        show(&r.stderr)
                    ));
                }
                compared += 1;
            }
        }
        for args in [&[][..], &["-summary"], &["-interleaved"]] {
            let what = format!("{name} {args:?}");
            let mut full: Vec<&str> = args.to_vec();
            full.push(&pid_s);
            let (o, rss) = run_measured(applet_cmd("vmmap", &full, Some(&root)), &root);
            assert_sane("vmmap", &what, o.status, &o.stderr);
            assert!(rss < 64 * 1024, "vmmap {what}: peak RSS {rss} KiB");
            if o.status.code() == Some(0) {
                assert!(show(&o.stdout).starts_with("Process:"), "vmmap {what}");
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    if compare {
        // 20 cases x 7 argument lists, less the 4 skipped.
        assert_eq!(compared, 136);
    }
    let _ = std::fs::remove_dir_all(&base);
}

fn hostile_pmap_rc_files() {
    hostile_pmap_rc(false);
}

fn hostile_pmap_rc_files_match_procps() {
    hostile_pmap_rc(true);
}

/// pmap -C with hostile rc files; with `compare`, procps-ng's pmap with the same files too.
fn hostile_pmap_rc(compare: bool) {
    let base = scratch("rc");
    let victim = Proc::sleep();
    let pid = victim.pid().to_string();
    let mut long = b"[Fields Display]\n".to_vec();
    long.extend(std::iter::repeat_n(b'R', 1 << 20));
    long.extend_from_slice(b"\nRss\n");
    // Without NUL bytes and long lines; then with them (C strings, 1024-byte pieces: see
    // pmap_rc_line_starting_with_nul and pmap_rc_rest_of_a_long_line).
    let no_nul: Vec<u8> = garbage(100_000, 8)
        .into_iter()
        .enumerate()
        .map(|(i, b)| match b {
            _ if i % 500 == 499 => b'\n',
            0 => 1,
            b => b,
        })
        .collect();
    std::fs::write(base.join("garbage"), no_nul).unwrap();
    for (name, seed, every) in [("garbage-nul", 9, 500), ("garbage-long-lines", 10, 2600)] {
        let g: Vec<u8> = garbage(100_000, seed)
            .into_iter()
            .enumerate()
            .map(|(i, b)| if i % every == every - 1 { b'\n' } else { b })
            .collect();
        std::fs::write(base.join(name), g).unwrap();
    }
    std::fs::write(base.join("long-line"), long).unwrap();
    std::fs::write(base.join("empty"), b"").unwrap();
    std::fs::create_dir_all(base.join("a-directory")).unwrap();
    let files = [
        "garbage",
        "garbage-nul",
        "garbage-long-lines",
        "long-line",
        "empty",
        "a-directory",
        "missing",
    ];
    for f in files {
        let path = base.join(f);
        let path = path.to_str().unwrap();
        let o = run_applet("pmap", &["-C", path, &pid], None);
        assert_sane("pmap", &format!("-C {f}"), o.status, &o.stderr);
        if compare {
            let r = Command::new("/usr/bin/pmap")
                .args(["-C", path, &pid])
                .env("LC_ALL", "C")
                .output()
                .unwrap();
            assert_eq!(show(&o.stdout), show(&r.stdout), "-C {f}: stdout");
            assert_eq!(show(&o.stderr), show(&r.stderr), "-C {f}: stderr");
            assert_eq!(o.status.code(), r.status.code(), "-C {f}: status");
        }
    }
    let _ = std::fs::remove_dir_all(&base);
}

/// procps reads rc lines as C strings: a line starting with a NUL byte is empty to it.
fn pmap_rc_line_starting_with_nul() {
    let base = scratch("nulrc");
    let rc = base.join("rc");
    std::fs::write(&rc, b"\0abc\n[Fields Display]\nRss\n").unwrap();
    let victim = Proc::sleep();
    let pid = victim.pid().to_string();
    let o = run_applet("pmap", &["-C", rc.to_str().unwrap(), &pid], None);
    assert_eq!(show(&o.stderr), "");
    assert_eq!(o.status.code(), Some(0));
    let _ = std::fs::remove_dir_all(&base);
}

/// procps reads rc files in 1024-byte `fgets` pieces: after `config line too long` it
/// parses that first piece like any line, which can be a syntax error of its own (same
/// line number); the rest of the line is dropped (observed with procps-ng 4.0.2: a `[`
/// after 1021 spaces and `Rss` is not reported, and `Rss` is enabled).
fn pmap_rc_rest_of_a_long_line() {
    let base = scratch("longrc");
    let rc = base.join("rc");
    let mut data = b"[Fields Display]\n".to_vec();
    data.extend(std::iter::repeat_n(b'[', 1100));
    data.extend_from_slice(b"\nRss\n");
    std::fs::write(&rc, data).unwrap();
    let victim = Proc::sleep();
    let pid = victim.pid().to_string();
    let o = run_applet("pmap", &["-C", rc.to_str().unwrap(), &pid], None);
    // What procps-ng 4.0.2 printed for the same file.
    assert_eq!(
        show(&o.stderr),
        "pmap: config line too long - line 2\npmap: syntax error found in the config - line 2\n"
    );
    // The first piece is parsed (`Rss` enabled), the rest (`[`) dropped.
    let mut data = b"[Fields Display]\nRss".to_vec();
    data.extend(std::iter::repeat_n(b' ', 1021));
    data.extend_from_slice(b"[\n");
    std::fs::write(&rc, data).unwrap();
    let o = run_applet("pmap", &["-C", rc.to_str().unwrap(), &pid], None);
    assert_eq!(show(&o.stderr), "pmap: config line too long - line 2\n");
    let head = show(&o.stdout).lines().nth(1).unwrap_or("").to_string();
    assert_eq!(head, "         Address  Rss ");
    // Pieces are dropped up to one whose C string ends with the newline: a NUL byte in the
    // rest hides its newline, so the next line (`[`) goes too.
    let mut data = b"[Fields Display]\n".to_vec();
    data.extend(std::iter::repeat_n(b'R', 1024));
    data.extend_from_slice(b"ab\0c\n[\n");
    std::fs::write(&rc, data).unwrap();
    let o = run_applet("pmap", &["-C", rc.to_str().unwrap(), &pid], None);
    assert_eq!(show(&o.stderr), "pmap: config line too long - line 2\n");
    let _ = std::fs::remove_dir_all(&base);
}

/// procps reads a maps/smaps whose read fails after the open as an empty file.
fn pmap_read_error_after_open_is_an_empty_file() {
    let base = scratch("dirmaps");
    let mut files = PidFiles::fixture();
    files.dirs.push("maps");
    files.write(&base, 1235);
    let o = run_applet("pmap", &["1235"], Some(&base));
    // What procps-ng 4.0.2 printed for the same directory (bind-mount method).
    assert_eq!(show(&o.stdout), "1235:   small\n total                0K\n");
    assert_eq!(o.status.code(), Some(0));
    let _ = std::fs::remove_dir_all(&base);
}

/// procps treats an empty /proc/PID/stat as "no such process" (exit 42, no output).
fn pmap_empty_stat_is_not_found() {
    let base = scratch("emptystat");
    let mut files = PidFiles::fixture();
    files.stat.clear();
    files.write(&base, 1235);
    let o = run_applet("pmap", &["1235"], Some(&base));
    assert_eq!(show(&o.stdout), "");
    assert_eq!(o.status.code(), Some(42));
    let _ = std::fs::remove_dir_all(&base);
}

/// procps reads smaps with fgets and C strings: a line that starts with a NUL byte is empty
/// to it, so the mapping it begins is not shown by `pmap -x`.
fn pmap_x_smaps_header_starting_with_nul() {
    let base = scratch("nulsmaps");
    let mut files = PidFiles::fixture();
    for b in files.smaps.iter_mut().step_by(53) {
        *b = 0;
    }
    files.write(&base, 1235);
    let o = run_applet("pmap", &["-x", "1235"], Some(&base));
    // What procps-ng 4.0.2 printed for the same files (recorded with the bind-mount method).
    assert_eq!(
        show(&o.stdout),
        "1235:   small\nAddress           Kbytes     RSS   Dirty Mode  Mapping\n\
         00007ffc00000000 18014261120856064       4       0 rw---   [ anon ]\n\
         ---------------- ------- ------- ------- \ntotal kB               4       8       0\n"
    );
    let _ = std::fs::remove_dir_all(&base);
}

/// More of procps's C line handling in smaps, each expectation what procps-ng 4.0.2 printed
/// for the same files (bind-mount method): a `-x` key line whose number does not convert
/// is ignored; a mapping line whose C string has no newline (NUL bytes after the name)
/// makes procps drop pieces up to one whose C string ends with a newline; the rest of a
/// detail line over 1023 bytes is read as a line of its own.
fn pmap_smaps_c_line_rules() {
    let base = scratch("cline");
    let small = PidFiles::fixture().smaps;
    // (name, smaps, arguments, stdout, stderr, status)
    type Case<'a> = (&'a str, Vec<u8>, &'a [&'a str], &'a str, &'a str, i32);
    let cases: [Case; 3] = [
        (
            "rss-not-a-number",
            {
                let stack = b"Rss:                   8 kB";
                let at = small.windows(stack.len()).position(|w| w == stack).unwrap();
                let mut s = small[..at].to_vec();
                s.extend_from_slice(b"Rss: 8\nRss:      abc");
                s.extend_from_slice(&small[at + stack.len()..]);
                s
            },
            &["-x"],
            "1235:   small\nAddress           Kbytes     RSS   Dirty Mode  Mapping\n\
             0000000000400000       4       4       0 r-x-- small\n\
             0000000000600000       4       4       4 rw--- small\n\
             00007ffc00000000     132       8       8 rw---   [ stack ]\n\
             ---------------- ------- ------- ------- \ntotal kB             140      16      12\n",
            "",
            0,
        ),
        (
            "nul-after-a-name",
            {
                let head = small.windows(9).position(|w| w == b"00600000-").unwrap();
                let nl = head + small[head..].iter().position(|&b| b == b'\n').unwrap();
                let kb = nl + small[nl..].windows(3).position(|w| w == b"kB\n").unwrap();
                let mut s = small[..nl].to_vec();
                s.extend_from_slice(b"\0x");
                s.extend_from_slice(&small[nl..kb + 2]);
                s.extend_from_slice(b"\0y");
                s.extend_from_slice(&small[kb + 2..]);
                s
            },
            &["-XX"],
            "1235:   small\n",
            "pmap: ERROR: inconsistent detail field in smaps file, line:\n \
             MMUPageSize:           4 kB\n\n",
            1,
        ),
        (
            "long-detail-line",
            {
                let rss = b"Rss:                   4 kB";
                let at = small.windows(rss.len()).position(|w| w == rss).unwrap() + rss.len();
                let mut s = small[..at].to_vec();
                s.extend(std::iter::repeat_n(b' ', 1100));
                s.extend_from_slice(&small[at..]);
                s
            },
            &["-X"],
            "1235:   small\n",
            "pmap: Unknown format in smaps file!\n",
            1,
        ),
    ];
    for (name, smaps, args, stdout, stderr, status) in cases {
        let root = base.join(name);
        let mut files = PidFiles::fixture();
        files.smaps = smaps;
        files.write(&root, 1235);
        let mut full = args.to_vec();
        full.push("1235");
        let o = run_applet("pmap", &full, Some(&root));
        assert_eq!(show(&o.stdout), stdout, "{name}");
        assert_eq!(show(&o.stderr), stderr, "{name}");
        assert_eq!(o.status.code(), Some(status), "{name}");
    }
    let _ = std::fs::remove_dir_all(&base);
}

/// Row values in the maps formats, each expectation what procps-ng 4.0.2 printed for the
/// same files (bind-mount method): Shared_Dirty/Private_Dirty are assigned per row (the
/// last of repeated lines counts; the total sums them all); after a Swap line a mapping
/// line that does not convert its end address has end 0 and empty perms; a `-x` row's
/// name is read at its Swap line from the line buffer, which later lines overwrite.
fn pmap_row_values_after_key_lines() {
    let base = scratch("rowvalues");
    let mut files = PidFiles::fixture();
    files.smaps = replace_once(
        &files.smaps,
        b"Private_Dirty:         8 kB",
        b"Shared_Dirty: 3 kB\nShared_Dirty: 5 kB\nPrivate_Dirty:         8 kB",
    );
    files.maps = replace_once(
        &files.maps,
        b"7ffc00000000-7ffc00021000 rw-p 00000000 00:00 0",
        b"Swap: 0 kB\n7ffc00000000",
    );
    files.write(&base, 1235);
    let o = run_applet("pmap", &["-x", "1235"], Some(&base));
    assert_eq!(
        show(&o.stdout),
        "1235:   small\nAddress           Kbytes     RSS   Dirty Mode  Mapping\n\
         0000000000400000       4       4       0 r-x-- small\n\
         0000000000600000       4       4       4 rw--- small\n\
         00007ffc00000000     132       8      13 rw---   [ stack ]\n\
         ---------------- ------- ------- ------- \ntotal kB             140      16      20\n"
    );
    // A name on a line of its own: at the Swap line procps's buffer holds `Swap:` ... there.
    let mut named = PidFiles::fixture();
    named.smaps = replace_once(
        &named.smaps,
        b"00600000-00601000 rw-p 00000000 08:02 173521                             /opt",
        b"00600000-00601000 rw-p 00000000 08:02 173521\n         /opt",
    );
    named.write(&base.join("named"), 1235);
    let o = run_applet("pmap", &["-x", "1235"], Some(&base.join("named")));
    assert_eq!(
        show(&o.stdout),
        "1235:   small\nAddress           Kbytes     RSS   Dirty Mode  Mapping\n\
         0000000000400000       4       4       0 r-x-- small\n\
         0000000000600000       4       4       4 rw---    0 kB\n\n\
         00007ffc00000000     132       8       8 rw---   [ stack ]\n\
         ---------------- ------- ------- ------- \ntotal kB             140      16      12\n"
    );
    let o = run_applet("pmap", &["1235"], Some(&base));
    assert_eq!(
        show(&o.stdout),
        "1235:   small\n0000000000400000      4K r-x-- small\n\
         0000000000600000      4K rw--- small\n\
         00007ffc00000000 18014261087305728K    [ anon ]\n total                8K\n"
    );
    let _ = std::fs::remove_dir_all(&base);
}

/// One mapping per 8 KiB of address space, 4 kB each; smaps has Size/Rss/Pss and VmFlags.
fn write_many_mappings(dir: &Path, n: usize) {
    let mut maps = std::io::BufWriter::new(std::fs::File::create(dir.join("maps")).unwrap());
    let mut smaps = std::io::BufWriter::new(std::fs::File::create(dir.join("smaps")).unwrap());
    for i in 0..n as u64 {
        let a = 0x1000_0000 + i * 0x2000;
        let head = format!("{a:08x}-{:08x} rw-p 00000000 00:00 0 \n", a + 0x1000);
        maps.write_all(head.as_bytes()).unwrap();
        smaps.write_all(head.as_bytes()).unwrap();
        smaps
            .write_all(b"Size:                  4 kB\nRss:                   4 kB\nPss:                   4 kB\nVmFlags: rd wr mr mw me ac \n")
            .unwrap();
    }
    maps.flush().unwrap();
    smaps.flush().unwrap();
}

fn a_million_mappings_in_bounded_memory() {
    const N: usize = 1_000_000;
    let base = scratch("million");
    let files = PidFiles::fixture();
    let dir = files.write(&base, 1235);
    write_many_mappings(&dir, N);
    let total = format!("{}", 4 * N);
    let jobs: Vec<(&str, Vec<&str>, u64)> = vec![
        // (applet, args, peak RSS bound in KiB)
        ("pmap", vec!["-X", "1235"], 32 * 1024),
        ("pmap", vec!["1235"], 32 * 1024),
        // vmmap sorts and summarises every region, so it holds them all (linear memory);
        // the bound is per mapping (docs/robustness.md has the figure).
        ("vmmap", vec!["-summary", "1235"], 512 * 1024),
    ];
    let handles: Vec<_> = jobs
        .into_iter()
        .enumerate()
        .map(|(i, (applet, args, bound))| {
            let base = base.clone();
            let total = total.clone();
            let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
            std::thread::spawn(move || {
                let out = base.join(format!("out{i}"));
                std::fs::create_dir_all(&out).unwrap();
                let a: Vec<&str> = args.iter().map(String::as_str).collect();
                let start = Instant::now();
                let (o, rss) = run_measured(applet_cmd(applet, &a, Some(&base)), &out);
                let secs = start.elapsed().as_secs_f64();
                println!("{applet} {args:?} on {N} mappings: {secs:.1} s, peak RSS {rss} KiB");
                assert_sane(applet, "million mappings", o.status, &o.stderr);
                assert_eq!(o.status.code(), Some(0), "{applet} {args:?}");
                assert!(
                    rss < bound,
                    "{applet} {args:?}: peak RSS {rss} KiB >= {bound} KiB"
                );
                let out = show(&o.stdout);
                match applet {
                    "pmap" => assert!(out.contains(&total), "{applet} {args:?}: no total {total}"),
                    _ => assert!(
                        out.contains("TOTAL"),
                        "vmmap: {}",
                        &out[..out.len().min(500)]
                    ),
                }
                let _ = std::fs::remove_dir_all(&out);
            })
        })
        .collect();
    for h in handles {
        if let Err(e) = h.join() {
            std::panic::resume_unwind(e);
        }
    }
    let _ = std::fs::remove_dir_all(&base);
}

// ---------------------------------------------------------------------------------------
// 3. Permissions

/// `program args` as nobody (uid/gid 65534, no supplementary groups).
fn as_nobody(nobody: &common::Nobody, program: &Path, args: &[&str]) -> Command {
    let mut c = nobody.command(program);
    c.args(args)
        .env("LC_ALL", "C")
        .env_remove("MEMTOOLS_PROC_ROOT");
    c
}

fn other_users_processes() {
    other_users(false);
}

fn other_users_processes_match_procps() {
    other_users(true);
}

/// pmap and vmmap as nobody on a root process, free and vm_stat as nobody; with `compare`,
/// procps-ng's pmap as nobody too. memtools runs from a copy that nobody can reach
/// wherever the checkout lives.
fn other_users(compare: bool) {
    let nobody = common::memtools_for_nobody();
    let mt = nobody.exe();
    let victim = Proc::sleep();
    let pid = victim.pid().to_string();
    let header = format!("{pid}:   sleep 1000\n");
    for args in [&[][..], &["-x"], &["-d"], &["-X"], &["-XX"]] {
        let mut full = vec!["pmap"];
        full.extend_from_slice(args);
        full.push(&pid);
        let o = as_nobody(&nobody, mt, &full).output().unwrap();
        assert_eq!(show(&o.stdout), header, "pmap {args:?}");
        assert_eq!(show(&o.stderr), "", "pmap {args:?}");
        assert_eq!(o.status.code(), Some(1), "pmap {args:?}");
        if compare {
            let mut real = args.to_vec();
            real.push(&pid);
            let r = as_nobody(&nobody, Path::new("/usr/bin/pmap"), &real)
                .output()
                .unwrap();
            assert_eq!(show(&o.stdout), show(&r.stdout), "pmap {args:?} vs procps");
            assert_eq!(o.status.code(), r.status.code(), "pmap {args:?} vs procps");
        }
    }
    for args in [&[][..], &["-summary"]] {
        let mut full = vec!["vmmap"];
        full.extend_from_slice(args);
        full.push(&pid);
        let o = as_nobody(&nobody, mt, &full).output().unwrap();
        assert_eq!(o.status.code(), Some(255), "vmmap {args:?}");
        assert!(o.stdout.is_empty());
        let e = show(&o.stderr);
        assert!(e.starts_with("vmmap["), "{e}");
        assert!(
            e.ends_with(&format!(
                "]: vmmap cannot examine process {pid} (sleep) for unknown reasons, even though \
                 it appears to exist; try running with `sudo`.\n"
            )),
            "{e}"
        );
    }
    // free and vm_stat read only world-readable files.
    let o = as_nobody(&nobody, mt, &["free"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(show(&o.stdout).contains("\nMem: "));
    let o = as_nobody(&nobody, mt, &["vm_stat"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(show(&o.stdout).lines().count(), 23);
}

// ---------------------------------------------------------------------------------------
// 4. Lifetime races

fn short_lived_processes_exit_mid_read() {
    const VICTIMS: usize = 1000;
    const WORKERS: usize = 4;
    let next = AtomicUsize::new(0);
    let seen: std::sync::Mutex<std::collections::BTreeMap<String, usize>> = Default::default();
    std::thread::scope(|s| {
        for _ in 0..WORKERS {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= VICTIMS {
                    break;
                }
                // Each victim ends one of three ways relative to the reader: killed and
                // reaped before it starts (gone), killed but not reaped (a zombie while it
                // reads), or killed 0-4 ms after it started (exiting mid-read).
                let mut victim = Reaped(
                    Command::new("sleep")
                        .arg("10")
                        .stdin(Stdio::null())
                        .spawn()
                        .expect("spawn victim"),
                );
                let pid = victim.0.id().to_string();
                let lifetime = (i / 3) % 3;
                if lifetime < 2 {
                    let _ = victim.0.kill();
                    if lifetime == 0 {
                        let _ = victim.0.wait();
                    }
                }
                let (applet, args): (&str, &[&str]) = match i % 3 {
                    0 => ("pmap", &[]),
                    1 => ("vmmap", &[]),
                    _ => ("pmap", &["-X"]),
                };
                let mut full = args.to_vec();
                full.push(&pid);
                let reader = applet_cmd(applet, &full, None)
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("spawn memtools");
                if lifetime == 2 {
                    std::thread::sleep(Duration::from_micros(500 * (i as u64 % 9)));
                    let _ = victim.0.kill();
                }
                let o = reader.wait_with_output().expect("wait memtools");
                assert_sane(
                    applet,
                    &format!("{args:?} on exiting pid {pid}"),
                    o.status,
                    &o.stderr,
                );
                let err = show(&o.stderr);
                match (applet, o.status.code()) {
                    ("pmap", Some(0)) => assert!(show(&o.stdout).starts_with(&format!("{pid}:"))),
                    ("pmap", Some(42)) => assert!(o.stdout.is_empty() && err.is_empty(), "{err}"),
                    ("pmap", Some(1)) => assert!(err.is_empty(), "{err}"),
                    ("vmmap", Some(0)) => assert!(show(&o.stdout).starts_with("Process:")),
                    ("vmmap", Some(255)) => assert!(
                        err.contains("no longer appears to be running")
                            || err.contains("for unknown reasons"),
                        "{err}"
                    ),
                    (a, c) => panic!("{a} {args:?}: unexpected status {c:?}: {err}"),
                }
                let how = ["gone", "zombie", "exiting"][lifetime];
                let key = format!("{applet} {} {how} -> {:?}", args.join(" "), o.status.code());
                *seen.lock().unwrap().entry(key).or_default() += 1;
            });
        }
    });
    let seen = seen.into_inner().unwrap();
    println!("outcomes: {seen:?}");
    assert_eq!(seen.values().sum::<usize>(), VICTIMS);
    // At least some processes really were gone (not every run saw a live process).
    assert!(
        seen.iter()
            .any(|(k, _)| k.ends_with("Some(42)") || k.ends_with("Some(255)")),
        "{seen:?}"
    );
}

// ---------------------------------------------------------------------------------------
// 5. Pipes, signals, full devices

/// Runs `sh -c 'TRAP; exec memtools APPLET ARGS'` with stdout to a pipe, reads one line,
/// closes the pipe and checks that the applet ends promptly and quietly.
fn into_head_1(trap: &str, applet: &str, args: &[String]) {
    let script = format!("{trap}; exec \"$0\" \"$@\"");
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(&script)
        .arg(memtools())
        .arg(applet)
        .args(args)
        .env("LC_ALL", "C")
        .env_remove("MEMTOOLS_PROC_ROOT")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn sh");
    let what = format!("[{trap}] {applet} {}", args.join(" "));
    let mut first = String::new();
    {
        let mut r = BufReader::new(child.stdout.take().expect("stdout"));
        r.read_line(&mut first).expect("read first line");
        // Dropping the reader closes the pipe, as `head -1` does when it exits.
    }
    assert!(!first.is_empty(), "{what}: no first line");
    let status = wait_bounded(&mut child, Duration::from_secs(20), &what);
    let mut err = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(err, "", "{what}: not quiet");
    match status.code() {
        Some(c) => assert!(documented(applet).contains(&c), "{what}: status {c}"),
        None => assert_eq!(status.signal(), Some(libc::SIGPIPE), "{what}"),
    }
}

fn every_applet_into_head_ends_quietly() {
    let victim = Proc::sleep();
    let pid = victim.pid().to_string();
    let many: Vec<String> = std::iter::repeat_n(pid.clone(), 64).collect();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let mut cases: Vec<(&str, Vec<String>)> = vec![
        ("free", s(&[])),
        ("free", s(&["-s", "0.01", "-c", "1000"])),
        ("vm_stat", s(&[])),
        ("vm_stat", s(&["-c", "1000", "0.01"])),
        ("vmmap", s(&[&pid])),
        ("memory-user", s(&["-q", "1", "0.3"])),
        ("memory-user", s(&["1", "0.3"])),
    ];
    for flag in ["-XX", "-x", "-d"] {
        let mut a = vec![flag.to_string()];
        a.extend(many.iter().cloned());
        cases.push(("pmap", a));
    }
    // smem writes its whole report at the end: the live processes (a few kB, usually in
    // the pipe before the reader leaves), and a snapshot whose report is larger than a
    // pipe's buffer, so that the write meets the closed pipe.
    let big = smem_snapshot(2000);
    let big_s = big.to_string_lossy().into_owned();
    cases.push(("smem", s(&[])));
    cases.push(("smem", s(&["-S", &big_s, "-c", "pid command rss"])));
    for trap in ["trap - PIPE", "trap '' PIPE"] {
        for (applet, args) in &cases {
            into_head_1(trap, applet, args);
        }
    }
    let _ = std::fs::remove_dir_all(&big);
}

/// A smem snapshot (`DIR/proc`) of `n` processes with one small mapping each; its
/// report is about 60 bytes a process.
fn smem_snapshot(n: usize) -> PathBuf {
    let d = scratch("smem-snapshot");
    let proc = d.join("proc");
    for pid in 1000..1000 + n {
        let p = proc.join(pid.to_string());
        std::fs::create_dir_all(&p).unwrap();
        std::fs::write(p.join("cmdline"), format!("worker\0--id\0{pid}\0")).unwrap();
        std::fs::write(p.join("stat"), format!("{pid} (worker) S 1\n")).unwrap();
        std::fs::write(
            p.join("smaps"),
            format!("00400000-00401000 r-xp 0 08:01 1 /bin/worker\nRss: {pid} kB\nPss: 4 kB\n"),
        )
        .unwrap();
    }
    std::fs::write(
        proc.join("meminfo"),
        "MemTotal: 8000000 kB\nSwapTotal: 0 kB\n",
    )
    .unwrap();
    d
}

fn interval_loops_flush_each_iteration_and_end_on_sigint() {
    for (applet, args, block) in [
        ("free", &["-s", "0.1"][..], 3usize),
        ("vm_stat", &["0.1"][..], 1usize),
    ] {
        let mut child = applet_cmd(applet, args, None)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let mut r = BufReader::new(child.stdout.take().unwrap());
        // Two whole iterations arrive through the pipe while it runs: each is flushed.
        let want = if applet == "free" {
            2 * (block + 1)
        } else {
            2 + 2 * block
        };
        let mut lines = Vec::new();
        for _ in 0..want {
            let mut l = String::new();
            r.read_line(&mut l).unwrap();
            assert!(l.ends_with('\n'), "{applet}: partial line {l:?}");
            lines.push(l);
        }
        common::signal(child.id() as i32, libc::SIGINT);
        let status = wait_bounded(&mut child, Duration::from_secs(5), applet);
        let mut rest = Vec::new();
        r.read_to_end(&mut rest).unwrap();
        assert!(
            rest.is_empty() || rest.ends_with(b"\n"),
            "{applet}: torn output"
        );
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        assert_eq!(err, "", "{applet}");
        assert!(
            status.signal() == Some(libc::SIGINT) || status.code() == Some(0),
            "{applet}: {status:?}"
        );
        if applet == "free" {
            assert!(
                lines[0].contains("total") && lines[1].starts_with("Mem:"),
                "{lines:?}"
            );
        } else {
            assert!(
                lines[0].starts_with("Mach Virtual Memory Statistics"),
                "{lines:?}"
            );
        }
    }
}

fn to_dev_full(program: &Path, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .env("LC_ALL", "C")
        .env_remove("MEMTOOLS_PROC_ROOT")
        .stdout(dev_full())
        .stderr(Stdio::piped())
        .output()
        .expect("spawn")
}

fn write_errors_on_a_full_device() {
    write_errors_full(false);
}

fn write_errors_on_a_full_device_match_procps() {
    write_errors_full(true);
}

/// `APPLET ... >/dev/full`; with `compare`, procps-ng's free and pmap too.
fn write_errors_full(compare: bool) {
    let victim = Proc::sleep();
    let pid = victim.pid().to_string();
    let cases: Vec<(&str, Vec<&str>, &str)> = vec![
        ("free", vec![], "free: write error\n"),
        ("free", vec!["-s", "0.01", "-c", "3"], "free: write error\n"),
        (
            "pmap",
            vec![&pid],
            "pmap: write error: No space left on device\n",
        ),
        (
            "pmap",
            vec!["-X", &pid],
            "pmap: write error: No space left on device\n",
        ),
        (
            "pmap",
            vec!["-XX", &pid, &pid],
            "pmap: write error: No space left on device\n",
        ),
        (
            "pmap",
            vec!["-q", &pid],
            "pmap: write error: No space left on device\n",
        ),
        (
            "vm_stat",
            vec![],
            "vm_stat: write error: No space left on device\n",
        ),
        (
            "vm_stat",
            vec!["-c", "3", "0.01"],
            "vm_stat: write error: No space left on device\n",
        ),
        (
            "vmmap",
            vec![&pid],
            "vmmap: write error: No space left on device\n",
        ),
        (
            "memory-user",
            vec!["1", "0.05"],
            "memory-user: write error: No space left on device\n",
        ),
        (
            "smem",
            vec![],
            "smem: write error: No space left on device\n",
        ),
        (
            "smem",
            vec!["-m", "-t"],
            "smem: write error: No space left on device\n",
        ),
        (
            "smem",
            vec!["--json"],
            "smem: write error: No space left on device\n",
        ),
        (
            "smem",
            vec!["-s", "nosuchfield"],
            "smem: write error: No space left on device\n",
        ),
    ];
    for (applet, args, want) in cases {
        let mut full = vec![applet];
        full.extend_from_slice(&args);
        let o = to_dev_full(&memtools(), &full);
        assert_eq!(show(&o.stderr), want, "{applet} {args:?}");
        assert_eq!(o.status.code(), Some(1), "{applet} {args:?}");
        let real = format!("/usr/bin/{applet}");
        if compare && matches!(applet, "free" | "pmap") {
            // The applet name must be argv[0] for the original; run it by its path.
            let r = to_dev_full(Path::new(&real), &args);
            assert_eq!(
                show(&o.stderr),
                show(&r.stderr),
                "{applet} {args:?} vs procps"
            );
            assert_eq!(
                o.status.code(),
                r.status.code(),
                "{applet} {args:?} vs procps"
            );
        }
    }
}

/// smem 1.5 exits 0 without a word when its report cannot be written to a closed stdout or
/// a full device (memtools reports the write error instead: a documented difference,
/// docs/smem.md). Checked on the real smem, so that the documentation states what smem
/// does.
fn smem_itself_is_silent_on_write_errors() {
    for run in [to_dev_full, with_stdout_closed] {
        let o = run(Path::new("/usr/bin/smem"), &["-c", "pid rss"]);
        assert_eq!((o.status.code(), show(&o.stderr)), (Some(0), String::new()));
    }
}

/// Runs `program args` with file descriptor 1 closed (`>&-`).
fn with_stdout_closed(program: &Path, args: &[&str]) -> Output {
    let mut c = Command::new(program);
    c.args(args)
        .env("LC_ALL", "C")
        .env_remove("MEMTOOLS_PROC_ROOT")
        .stderr(Stdio::piped());
    close_stdout(&mut c).output().expect("spawn")
}

/// `APPLET ... >&-`: every applet and the dispatcher report the closed stdout as a write
/// error, exit 1 (pmap with procps-ng's exact text), instead of running silently.
fn write_errors_on_a_closed_stdout() {
    write_errors_closed(false);
}

fn write_errors_on_a_closed_stdout_match_procps() {
    write_errors_closed(true);
}

/// `APPLET ... >&-`; with `compare`, procps-ng's free and pmap too.
fn write_errors_closed(compare: bool) {
    let victim = Proc::sleep();
    let pid = victim.pid().to_string();
    let links = scratch("closed");
    let cases: Vec<(&str, Vec<&str>, &str)> = vec![
        ("free", vec![], "free: write error\n"),
        (
            "free",
            vec!["--help"],
            "free: write error: Bad file descriptor\n",
        ),
        (
            "pmap",
            vec![&pid],
            "pmap: write error: Bad file descriptor\n",
        ),
        (
            "pmap",
            vec!["-x", &pid],
            "pmap: write error: Bad file descriptor\n",
        ),
        (
            "pmap",
            vec!["-X", &pid],
            "pmap: write error: Bad file descriptor\n",
        ),
        (
            "pmap",
            vec!["--json", &pid],
            "pmap: write error: Bad file descriptor\n",
        ),
        (
            "pmap",
            vec!["-V"],
            "pmap: write error: Bad file descriptor\n",
        ),
        (
            "vm_stat",
            vec![],
            "vm_stat: write error: Bad file descriptor\n",
        ),
        (
            "vm_stat",
            vec!["-c", "2", "0.01"],
            "vm_stat: write error: Bad file descriptor\n",
        ),
        (
            "vm_stat",
            vec!["--json"],
            "vm_stat: write error: Bad file descriptor\n",
        ),
        (
            "vmmap",
            vec![&pid],
            "vmmap: write error: Bad file descriptor\n",
        ),
        (
            "vmmap",
            vec!["--json", &pid],
            "vmmap: write error: Bad file descriptor\n",
        ),
        (
            "vmmap",
            vec!["-h"],
            "vmmap: write error: Bad file descriptor\n",
        ),
        (
            "memory-user",
            vec!["1", "0.05"],
            "memory-user: write error: Bad file descriptor\n",
        ),
        (
            "memory-user",
            vec!["--help"],
            "memory-user: write error: Bad file descriptor\n",
        ),
        ("smem", vec![], "smem: write error: Bad file descriptor\n"),
        (
            "smem",
            vec!["-u", "-k"],
            "smem: write error: Bad file descriptor\n",
        ),
        (
            "smem",
            vec!["--json"],
            "smem: write error: Bad file descriptor\n",
        ),
        (
            "smem",
            vec!["--help"],
            "smem: write error: Bad file descriptor\n",
        ),
        (
            "smem",
            vec!["-c", "nosuchfield"],
            "smem: write error: Bad file descriptor\n",
        ),
    ];
    for (applet, args, want) in cases {
        let mut full = vec![applet];
        full.extend_from_slice(&args);
        let o = with_stdout_closed(&memtools(), &full);
        assert_eq!(show(&o.stderr), want, "{applet} {args:?}");
        assert_eq!(o.status.code(), Some(1), "{applet} {args:?}");
        if compare && matches!(applet, "free" | "pmap") {
            let r = with_stdout_closed(Path::new(&format!("/usr/bin/{applet}")), &args);
            if !args.contains(&"--json") && !args.contains(&"-V") {
                assert_eq!(
                    show(&o.stderr),
                    show(&r.stderr),
                    "{applet} {args:?} vs procps"
                );
                assert_eq!(
                    o.status.code(),
                    r.status.code(),
                    "{applet} {args:?} vs procps"
                );
            }
        }
    }
    let links_s = links.to_string_lossy().into_owned();
    for args in [
        vec!["--list"],
        vec!["--help"],
        vec!["--version"],
        vec!["--install-links", links_s.as_str()],
    ] {
        let o = with_stdout_closed(&memtools(), &args);
        assert_eq!(
            show(&o.stderr),
            "memtools: write error: Bad file descriptor\n",
            "memtools {args:?}"
        );
        assert_eq!(o.status.code(), Some(1), "memtools {args:?}");
    }
    let _ = std::fs::remove_dir_all(&links);
}

// ---------------------------------------------------------------------------------------
// 6. Resource limits

/// The address space the memtools binary's `PT_LOAD` segments span (ELF64 little-endian),
/// or 0 when it cannot be read.
fn load_span(path: &Path) -> u64 {
    let Ok(f) = std::fs::read(path) else { return 0 };
    let u16_at = |o: usize| {
        f.get(o..o + 2)
            .map_or(0, |b| u16::from_le_bytes([b[0], b[1]]))
    };
    let u64_at = |o: usize| {
        f.get(o..o + 8)
            .map_or(0, |b| u64::from_le_bytes(b.try_into().unwrap()))
    };
    if f.get(..5) != Some(b"\x7fELF\x02") {
        return 0;
    }
    let (phoff, size, num) = (u64_at(0x20) as usize, u16_at(0x36) as usize, u16_at(0x38));
    let (mut lo, mut hi) = (u64::MAX, 0);
    for i in 0..num as usize {
        let ph = phoff + i * size;
        if f.get(ph..ph + 4) == Some(&[1, 0, 0, 0]) {
            lo = lo.min(u64_at(ph + 0x10));
            hi = hi.max(u64_at(ph + 0x10).saturating_add(u64_at(ph + 0x28)));
        }
    }
    hi.saturating_sub(lo)
}

fn tight_address_space_limits_never_crash() {
    // memtools is linked statically (no loader): when the limit is below what its segments,
    // stack and vDSO need, the kernel fails the exec after the point of no return and kills
    // the process with SIGSEGV before any memtools code runs — the static counterpart of the
    // loader's status 127. 1 MiB of slack covers the stack, vDSO and arguments.
    let exec_floor = load_span(&memtools()) + 1024 * 1024;
    // From a limit at which the dynamic loader itself fails (status 127, before memtools
    // runs) up to one where the applets work: every outcome must be clean.
    let victim = Proc::sleep();
    let pid = victim.pid().to_string();
    let mut clean_oom = 0;
    for kib in (2048..=10240u64).step_by(512) {
        for (applet, args) in [
            ("free", vec![]),
            ("vm_stat", vec![]),
            ("pmap", vec!["-XX", pid.as_str()]),
            ("vmmap", vec![pid.as_str()]),
            ("memory-user", vec!["1", "0.01"]),
        ] {
            let mut c = limited(applet_cmd(applet, &args, None), libc::RLIMIT_AS, kib * 1024);
            let o = c.stdin(Stdio::null()).output().expect("spawn");
            let what = format!("{applet} {args:?} under ulimit -v {kib}");
            let err = show(&o.stderr);
            if o.status.code() == Some(127) && err.contains("error while loading shared libraries")
            {
                continue; // the loader, not memtools
            }
            if o.status.signal() == Some(libc::SIGSEGV)
                && o.stderr.is_empty()
                && kib * 1024 < exec_floor
            {
                continue; // the kernel could not map the static binary (see above)
            }
            if o.status.signal() == Some(libc::SIGABRT)
                && err.contains("failed to allocate an alternative stack")
                && kib * 1024 < exec_floor
            {
                // Mapped, but Rust's runtime start-up (before `main`) cannot map its
                // signal stack: no memtools code has run either.
                continue;
            }
            assert_sane(applet, &what, o.status, &o.stderr);
            if err.contains("out of memory") {
                assert_eq!(o.status.code(), Some(1), "{what}");
                assert!(err.ends_with("bytes (see `ulimit -v`)\n"), "{what}: {err}");
                clean_oom += 1;
            }
        }
    }
    println!("clean out-of-memory exits: {clean_oom}");
}

/// As nobody: root itself is not bound by RLIMIT_MEMLOCK.
fn memory_user_lock_beyond_memlock_as_an_unprivileged_user() {
    let nobody = common::memtools_for_nobody();
    for (limit, args, errno) in [
        (
            0u64,
            &["--lock", "--ramp", "0.1", "1", "0.2"][..],
            "Operation not permitted",
        ),
        (
            0,
            &["--lock", "--hugepages", "1", "0.2"][..],
            "Operation not permitted",
        ),
        (
            64 * 1024,
            &["--lock", "-t", "4", "1", "0.2"][..],
            "Cannot allocate memory",
        ),
    ] {
        let mut full = vec!["memory-user"];
        full.extend_from_slice(args);
        let mut c = limited(
            as_nobody(&nobody, nobody.exe(), &full),
            libc::RLIMIT_MEMLOCK,
            limit,
        );
        let o = c.stdin(Stdio::null()).output().expect("spawn");
        let what = format!("{args:?} with RLIMIT_MEMLOCK {limit}");
        assert_sane("memory-user", &what, o.status, &o.stderr);
        assert_eq!(o.status.code(), Some(1), "{what}");
        let e = show(&o.stderr);
        let shown = if limit == 0 { "0 B" } else { "64 KiB" };
        assert!(
            e.contains(&format!("memory-user: --lock: cannot lock 1 MiB: {errno}; RLIMIT_MEMLOCK (`ulimit -l`) is {shown}: raise it, or run without --lock\n")),
            "{what}: {e}"
        );
    }
}

fn memory_user_impossible_sizes_and_durations() {
    for (args, status, msg) in [
        (&["1e30"][..], 2, "invalid SIZE '1e30': unknown unit 'e30'"),
        (&["nan"], 2, "invalid SIZE 'nan': not a number"),
        (&["inf"], 2, "invalid SIZE 'inf': not a number"),
        (&[""], 2, "invalid SIZE '': "),
        (
            &["18446744073709551616"],
            2,
            "invalid SIZE '18446744073709551616': too large",
        ),
        (
            &["0.0000001"],
            2,
            "invalid SIZE '0.0000001': must be greater than zero",
        ),
        (&["1", "1e400"], 2, "invalid SECONDS '1e400'"),
        (&["1", "nan"], 2, "invalid SECONDS 'nan'"),
        (&["1", "inf"], 2, "invalid SECONDS 'inf'"),
        (
            &["1", "0.000000000001"],
            2,
            "invalid SECONDS '0.000000000001': must be greater than zero",
        ),
        (
            &["--force", "4EiB", "1"],
            1,
            "memory-user: cannot map 4 EiB (4611686018427387904 bytes): Cannot allocate memory",
        ),
        (
            &["--force", "3EiB", "1"],
            1,
            "memory-user: cannot map 3 EiB",
        ),
    ] {
        let o = run_applet("memory-user", args, None);
        assert_sane("memory-user", &format!("{args:?}"), o.status, &o.stderr);
        assert_eq!(
            o.status.code(),
            Some(status),
            "{args:?}: {}",
            show(&o.stderr)
        );
        assert!(
            show(&o.stderr).contains(msg),
            "{args:?}: {}",
            show(&o.stderr)
        );
        assert!(o.stdout.is_empty(), "{args:?}");
    }
}
