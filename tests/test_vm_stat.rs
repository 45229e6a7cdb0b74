//! vm_stat: Apple's formats reproduced from the seed capture's counters, Linux fixtures
//! against expectations computed independently (util/vm_stat_expected.py, from the formulas in
//! docs/vm_stat.md), interval mode, and every argument error.

mod common;
use common::{applet_cmd, dev_full, fixtures, memtools_link, need, scratch, trial};
use memtools_platform::darwin::VmStats64;
use memtools_platform::vmstat::{from_darwin, VmCounters};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use uu_vm_stat::render::{render_snapshot, Table};

fn main() {
    #[allow(unused_mut)]
    let mut trials = vec![
        trial!(seed_capture_is_reproduced_byte_for_byte),
        trial!(seed_counters_as_a_table_row),
        trial!(deltas_from_two_synthetic_samples),
        trial!(json_keeps_apples_parse),
        trial!(argument_errors),
        trial!(usage_names_argv0_as_typed_and_getopt_its_basename),
        trial!(rows_arrive_one_by_one_and_a_closed_pipe_ends_quietly),
        trial!(write_errors_are_reported, need::dev_full()),
        trial!(live_system_has_all_22_lines),
    ];
    // The goldens were computed for 4096-byte pages; elsewhere the header and the KiB to page
    // conversions differ.
    #[cfg(target_os = "linux")]
    trials.extend([
        trial!(
            linux_fixtures::linux_fixtures_one_shot,
            need::page_size(4096)
        ),
        trial!(
            linux_fixtures::linux_fixtures_json_agrees_with_the_text,
            need::page_size(4096)
        ),
        trial!(
            linux_fixtures::snapshot_root_does_not_see_live_zram,
            need::page_size(4096)
        ),
        trial!(
            linux_fixtures::linux_fixtures_interval_count_3,
            need::page_size(4096)
        ),
        trial!(
            linux_fixtures::banner_every_21_rows_and_totals_after_it,
            need::page_size(4096)
        ),
        trial!(linux_fixtures::unreadable_statistics),
    ]);
    common::run(trials);
}

fn fixture(name: &str) -> PathBuf {
    fixtures().join("vm_stat").join(name)
}

/// `memtools vm_stat ARGS` with the snapshot root `root` and, optionally, a sys root.
fn command(args: &[&str], root: Option<&Path>, sys: Option<&Path>) -> Command {
    let mut c = applet_cmd("vm_stat", args, root);
    if let Some(s) = sys {
        c.env("MEMTOOLS_SYS_ROOT", s);
    }
    c
}

fn run(args: &[&str], root: Option<&Path>, sys: Option<&Path>) -> Output {
    command(args, root, sys).output().expect("spawn memtools")
}

/// The seed capture's counters (macOS, 4096-byte pages), as host_statistics64 returns them:
/// free_count includes the speculative pages.
fn seed_counters() -> VmCounters {
    let vm = VmStats64 {
        free_count: 5093 + 3498,
        active_count: 444277,
        inactive_count: 440620,
        speculative_count: 3498,
        throttled_count: 0,
        wire_count: 528329,
        purgeable_count: 6625,
        faults: 510496275,
        cow_faults: 20624767,
        zero_fill_count: 251389791,
        reactivations: 34002739,
        purges: 11836362,
        external_page_count: 288589,
        internal_page_count: 599806,
        total_uncompressed_pages_in_compressor: 2645555,
        compressor_page_count: 675038,
        decompressions: 48482378,
        compressions: 63903512,
        pageins: 39333690,
        pageouts: 264615,
        swapins: 8847092,
        swapouts: 9440713,
        ..Default::default()
    };
    from_darwin(&vm, 4096)
}

fn seed_capture_is_reproduced_byte_for_byte() {
    let expected = std::fs::read_to_string(fixture("seed-macos/expected")).unwrap();
    let mut out = String::new();
    render_snapshot(&seed_counters(), &mut out);
    assert_eq!(out, expected);
    assert_eq!(out.lines().count(), 23);
    assert!(out
        .lines()
        .skip(1)
        .all(|l| l.len() == 48 && l.ends_with('.')));
}

fn seed_counters_as_a_table_row() {
    let mut out = String::new();
    Table::new().row(&seed_counters(), &mut out);
    // Written by hand from docs/vm_stat.md's cell widths and overflow rule (Output).
    let want = "Mach Virtual Memory Statistics: (page size of 4096 bytes)\n\
    \x20   free   active   specul inactive throttle    wired  prgable   faults     copy    0fill reactive   purged file-backed anonymous cmprssed cmprssor  dcomprs   comprs  pageins  pageout  swapins swapouts\n\
    \x20   5093   444277     3498   440620        0   528329     6625  510496K 20624767  251389K 34002739 11836362      288589    599806  2645555   675038 48482378 63903512 39333690   264615  8847092  9440713 \n";
    assert_eq!(out, want);
}

/// The snapshot root only exists on Linux; on macOS the counters come from mach.
#[cfg(target_os = "linux")]
mod linux_fixtures {
    use super::*;

    const FIXTURES: &[&str] = &["live-6.18", "no-zswap", "zbud-busy", "zram", "no-meminfo"];

    /// The zram fixture carries its own copied /sys.
    fn sys_for(name: &str) -> Option<PathBuf> {
        let s = fixture(name).join("sys");
        s.is_dir().then_some(s)
    }

    pub fn linux_fixtures_one_shot() {
        for name in FIXTURES {
            let root = fixture(name);
            let o = run(&[], Some(&root), sys_for(name).as_deref());
            let want = std::fs::read_to_string(root.join("expected")).unwrap();
            assert_eq!(String::from_utf8_lossy(&o.stdout), want, "fixture {name}");
            assert!(o.stderr.is_empty(), "fixture {name}");
            assert_eq!(o.status.code(), Some(0), "fixture {name}");
            // -c is ignored without an interval, and an interval reading as 0 is a snapshot.
            for args in [&["-c", "5"][..], &["0"], &["abc"], &["-c", "2", "0.0"]] {
                let o = run(args, Some(&root), sys_for(name).as_deref());
                assert_eq!(String::from_utf8_lossy(&o.stdout), want, "{name} {args:?}");
            }
        }
    }

    /// Apple's line label -> where `--json` puts the value (a byte gauge or an event count).
    const JSON_PLACES: [(&str, &str, &str); 22] = [
        ("Pages free:", "bytes", "free"),
        ("Pages active:", "bytes", "active"),
        ("Pages inactive:", "bytes", "inactive"),
        ("Pages speculative:", "bytes", "speculative"),
        ("Pages throttled:", "bytes", "throttled"),
        ("Pages wired down:", "bytes", "wired"),
        ("Pages purgeable:", "bytes", "purgeable"),
        ("\"Translation faults\":", "events", "faults"),
        ("Pages copy-on-write:", "events", "cow_faults"),
        ("Pages zero filled:", "events", "zero_filled"),
        ("Pages reactivated:", "events", "reactivated"),
        ("Pages purged:", "events", "purged"),
        ("File-backed pages:", "bytes", "file_backed"),
        ("Anonymous pages:", "bytes", "anonymous"),
        (
            "Pages stored in compressor:",
            "bytes",
            "stored_in_compressor",
        ),
        (
            "Pages occupied by compressor:",
            "bytes",
            "occupied_by_compressor",
        ),
        ("Decompressions:", "events", "decompressions"),
        ("Compressions:", "events", "compressions"),
        ("Pageins:", "events", "pageins"),
        ("Pageouts:", "events", "pageouts"),
        ("Swapins:", "events", "swapins"),
        ("Swapouts:", "events", "swapouts"),
    ];

    /// `--json` against the same expectations as the text: every page count times 4096,
    /// every event count as it is; interval mode gives one object per line, totals since
    /// boot first, then deltas (0 for a fixed snapshot).
    pub fn linux_fixtures_json_agrees_with_the_text() {
        for name in FIXTURES {
            let root = fixture(name);
            let want = std::fs::read_to_string(root.join("expected")).unwrap();
            let o = run(&["--json"], Some(&root), sys_for(name).as_deref());
            assert_eq!(o.status.code(), Some(0), "{name}");
            let text = String::from_utf8_lossy(&o.stdout).into_owned();
            let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
            assert_eq!(v["schema_version"], 1);
            assert_eq!(v["mode"], "snapshot");
            assert_eq!(v["page_size"], 4096);
            assert_eq!(v["events_since"], "boot");
            let lines: Vec<&str> = want.lines().skip(1).collect();
            assert_eq!(lines.len(), 22);
            for (line, (label, group, key)) in lines.iter().zip(JSON_PLACES) {
                assert!(line.starts_with(label), "{line} vs {label}");
                let n: u64 = line[label.len()..]
                    .trim()
                    .trim_end_matches('.')
                    .parse()
                    .unwrap();
                let expect = if group == "bytes" { n * 4096 } else { n };
                assert_eq!(v[group][key].as_u64(), Some(expect), "{name} {group}.{key}");
            }
            assert_eq!(v["bytes"].as_object().map(|o| o.len()), Some(11));
            assert_eq!(v["events"].as_object().map(|o| o.len()), Some(11));

            let o = run(
                &["-c", "3", "--json", "0.01"],
                Some(&root),
                sys_for(name).as_deref(),
            );
            assert_eq!(o.status.code(), Some(0), "{name}");
            let text = String::from_utf8_lossy(&o.stdout).into_owned();
            let rows: Vec<serde_json::Value> = text
                .lines()
                .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
                .collect();
            assert_eq!(rows.len(), 3, "{text}");
            for (i, r) in rows.iter().enumerate() {
                assert_eq!(r["mode"], "interval");
                assert_eq!(r["sample"], i as u64 + 1);
                assert_eq!(r["bytes"], v["bytes"], "{name} row {i}");
                if i == 0 {
                    assert_eq!(r["events"], v["events"]);
                } else {
                    assert_eq!(r["events_since"], "previous");
                    assert!(r["events"].as_object().unwrap().values().all(|x| x == 0));
                }
            }
        }
    }

    pub fn snapshot_root_does_not_see_live_zram() {
        // Without MEMTOOLS_SYS_ROOT, a snapshot root means no zram figures at all.
        let root = fixture("zram");
        let o = run(&[], Some(&root), None);
        let text = String::from_utf8_lossy(&o.stdout).into_owned();
        assert!(
            text.contains("Pages stored in compressor:                   0.\n"),
            "{text}"
        );
    }

    pub fn linux_fixtures_interval_count_3() {
        for name in FIXTURES {
            let root = fixture(name);
            let o = run(&["-c", "3", "0.01"], Some(&root), sys_for(name).as_deref());
            let want = std::fs::read_to_string(root.join("expected-c3")).unwrap();
            assert_eq!(String::from_utf8_lossy(&o.stdout), want, "fixture {name}");
            assert_eq!(o.status.code(), Some(0));
            assert!(o.stderr.is_empty());
        }
    }

    pub fn banner_every_21_rows_and_totals_after_it() {
        let root = fixture("zbud-busy");
        let golden = std::fs::read_to_string(root.join("expected-c3")).unwrap();
        let g: Vec<&str> = golden.lines().collect();
        let (banner, absolute, delta) = (&g[..2], g[2], g[3]);
        let o = run(&["-c", "23", "0.001"], Some(&root), None);
        let text = String::from_utf8(o.stdout).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2 + 21 + 2 + 2);
        assert_eq!(&lines[..2], banner);
        assert_eq!(lines[2], absolute);
        assert!(lines[3..23].iter().all(|l| *l == delta));
        assert_eq!(&lines[23..25], banner);
        assert_eq!(lines[25], absolute);
        assert_eq!(lines[26], delta);
        assert!(text.ends_with(" \n"));
    }

    pub fn unreadable_statistics() {
        let dir = scratch("vmstat-empty");
        // No vmstat file, then an empty one.
        for make in [false, true] {
            if make {
                std::fs::write(dir.join("vmstat"), "").unwrap();
            }
            for args in [&[][..], &["-c", "2", "1"]] {
                let o = run(args, Some(&dir), None);
                // system_cmds <= macOS 15's text (its `error %d` always prints 1). macOS
                // 26's `error %s` (a mach_error_string text) is deliberately not followed
                // (docs/vm_stat.md).
                assert_eq!(
                    String::from_utf8_lossy(&o.stderr),
                    "vm_stat: failed to get statistics. error 1\n"
                );
                assert!(o.stdout.is_empty());
                assert_eq!(o.status.code(), Some(1));
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

fn deltas_from_two_synthetic_samples() {
    let first = VmCounters {
        page_size: 16384,
        free: 100,
        active: 200,
        faults: 1_000,
        pageins: 5,
        swapouts: 7,
        file_backed: 123_456_789_012,
        ..Default::default()
    };
    let second = VmCounters {
        free: 90,
        faults: 1_250,
        pageins: 6,
        swapouts: 3, // went backwards: unsigned 64-bit wrap, as vm_stat
        ..first
    };
    let mut t = Table::new();
    let mut out = String::new();
    t.row(&first, &mut out);
    out.clear();
    t.row(&second, &mut out);
    let cells: Vec<&str> = out.split_whitespace().collect();
    assert_eq!(cells.len(), 22);
    assert_eq!(cells[0], "90");
    assert_eq!(cells[1], "200");
    assert_eq!(cells[7], "250");
    assert_eq!(cells[12], "123456789K");
    assert_eq!(cells[18], "1");
    assert_eq!(cells[21], "18446744073G");
    assert!(out.ends_with(" \n") && !out.contains("Mach"));
}

/// Every usage error: stderr text and exit status 1, nothing on stdout.
/// `--json` is read as Apple's getopt reads it (the end of the options), plus the format.
fn json_keeps_apples_parse() {
    let root = fixtures().join("vm_stat/live-6.18");
    let o = run(&["--json", "-c", "2", "1"], Some(&root), None);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "usage: vm_stat [[-c count] interval]\n"
    );
    assert!(o.stdout.is_empty());
    // Another --word is still only an end of options, with the text output.
    let o = run(&["--jsonx"], Some(&root), None);
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("Mach Virtual Memory Statistics"));
}

fn argument_errors() {
    let usage = "usage: vm_stat [[-c count] interval]\n";
    let cases: &[(&[&str], String)] = &[
        (&["-x"], format!("vm_stat: illegal option -- x\n{usage}")),
        (&["-1"], format!("vm_stat: illegal option -- 1\n{usage}")),
        (&["-h"], format!("vm_stat: illegal option -- h\n{usage}")),
        (
            &["-c"],
            format!("vm_stat: option requires an argument -- c\n{usage}"),
        ),
        (
            &["-c", "0", "1"],
            format!("vm_stat: count must be positive\n{usage}"),
        ),
        (
            &["-c", "abc", "1"],
            format!("vm_stat: count must be positive\n{usage}"),
        ),
        (
            &["-c", "-3", "1"],
            format!("vm_stat: count must be positive\n{usage}"),
        ),
        (
            &["-c", "4294967296", "1"],
            format!("vm_stat: count must be positive\n{usage}"),
        ),
        (&["1", "-c", "3"], usage.to_string()),
        (&["1", "2"], usage.to_string()),
        (&["--", "-1"], usage.to_string()),
        (&["--", "-0.5"], usage.to_string()),
    ];
    let root = fixture("live-6.18");
    for (args, want) in cases {
        let o = run(args, Some(&root), None);
        assert_eq!(String::from_utf8_lossy(&o.stderr), *want, "{args:?}");
        assert!(o.stdout.is_empty(), "{args:?}");
        assert_eq!(o.status.code(), Some(1), "{args:?}");
    }
}

fn usage_names_argv0_as_typed_and_getopt_its_basename() {
    let dir = scratch("vmstat-argv0");
    let link = memtools_link(&dir, "vm_stat");
    let o = Command::new(&link)
        .args(["-c", "0"])
        .env_remove("MEMTOOLS_PROC_ROOT")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        format!(
            "vm_stat: count must be positive\nusage: {} [[-c count] interval]\n",
            link.display()
        )
    );
    assert_eq!(o.status.code(), Some(1));
    let _ = std::fs::remove_dir_all(&dir);
}

fn rows_arrive_one_by_one_and_a_closed_pipe_ends_quietly() {
    use std::os::unix::process::ExitStatusExt;
    let mut child = command(&["0.05"], Some(&fixture("zbud-busy")), None)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    // The count is unlimited: seeing rows at all means each was flushed as it came.
    let mut line = String::new();
    for _ in 0..4 {
        line.clear();
        reader.read_line(&mut line).unwrap();
        assert!(line.ends_with('\n'));
    }
    assert!(line.ends_with(" \n"), "{line:?}");
    drop(reader);
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.signal(), Some(libc::SIGPIPE));
    assert!(o.stderr.is_empty());
}

fn write_errors_are_reported() {
    let o = command(&[], Some(&fixture("live-6.18")), None)
        .stdout(dev_full())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "vm_stat: write error: No space left on device\n"
    );
    assert_eq!(o.status.code(), Some(1));
}

fn live_system_has_all_22_lines() {
    let o = run(&[], None, None);
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 23);
    assert!(lines[0].starts_with("Mach Virtual Memory Statistics: (page size of "));
    assert!(lines[1..].iter().all(|l| l.len() == 48 && l.ends_with('.')));
}
