//! What memory-user prints: the start line (stdout), the live status line (stderr) and the
//! summary (stdout). Pure functions of plain numbers.
//!
//! Sizes are in powers of 1024 (MiB, GiB); rates are GB/s, 10^9 bytes a second, the unit
//! memory bandwidth is quoted in.

use std::time::Duration;

/// A size for people, in the largest power-of-1024 unit it reaches: exact when it is a
/// whole number of that unit (`64 MiB`), else with two decimals (`1.50 GiB`).
///
/// Not bytesize's display: that one computes the unit with `f64::ln`, which alone links
/// libm into the binary, and libm's pages then count in this program's resident size.
pub fn iec(bytes: u64) -> String {
    const UNITS: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let mut unit = 1u64;
    let mut name = "B";
    for u in UNITS {
        if bytes / unit < 1024 {
            break;
        }
        unit *= 1024;
        name = u;
    }
    if bytes.is_multiple_of(unit) {
        format!("{} {name}", bytes / unit)
    } else {
        format!("{:.2} {name}", bytes as f64 / unit as f64)
    }
}

/// Seconds as typed back: `1 s`, `1.5 s`, `120 s`.
pub fn secs(d: Duration) -> String {
    format!("{} s", d.as_secs_f64())
}

fn gbps(bytes: u64, over: Duration) -> f64 {
    let s = over.as_secs_f64();
    if s > 0.0 {
        bytes as f64 / s / 1e9
    } else {
        0.0
    }
}

/// The first line on stdout.
pub fn start_line(pid: u32, len: u64, duration: Option<Duration>) -> String {
    let how_long = match duration {
        Some(d) => format!("duration {}", secs(d)),
        None => "duration until interrupted".to_string(),
    };
    format!(
        "memory-user: pid {pid}, size {} ({len} bytes), {how_long}\n",
        iec(len)
    )
}

/// One live sample.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Status {
    pub elapsed: Duration,
    /// Bytes swept since the start, all threads, all passes.
    pub bytes: u64,
    /// The mapping's size.
    pub len: u64,
    /// Bytes swept per second since the previous sample.
    pub rate: f64,
    pub rss: Option<u64>,
    /// `--hold` and the touch is complete: nothing is being written.
    pub holding: bool,
    /// The usage and limit of the memory cgroup that limits this process, if one does.
    pub cgroup: Option<(u64, u64)>,
}

/// Passes so far: bytes swept over the size, so a pass in progress counts in part.
fn passes(bytes: u64, len: u64) -> f64 {
    if len == 0 {
        0.0
    } else {
        bytes as f64 / len as f64
    }
}

/// The live line, without a line ending.
pub fn status_line(s: &Status) -> String {
    let rate = if s.holding {
        "holding".to_string()
    } else {
        format!("{:.2} GB/s", s.rate / 1e9)
    };
    let rss = match s.rss {
        Some(r) => iec(r),
        None => "?".to_string(),
    };
    let cgroup = match s.cgroup {
        Some((usage, limit)) => format!("  cgroup {} of {}", iec(usage), iec(limit)),
        None => String::new(),
    };
    format!(
        "passes {:.1}  {rate}  RSS {rss}{cgroup}  {:.1} s",
        passes(s.bytes, s.len),
        s.elapsed.as_secs_f64()
    )
}

/// The end of a run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    /// Why it stopped: "time limit", "SIGINT", ...
    pub reason: String,
    pub elapsed: Duration,
    pub bytes: u64,
    pub len: u64,
    /// When every byte had been written once.
    pub first_pass: Option<Duration>,
    pub peak_rss: Option<u64>,
}

pub fn summary(s: &Summary) -> String {
    let mut out = format!(
        "memory-user: stopped by {} after {:.2} s\n",
        s.reason,
        s.elapsed.as_secs_f64()
    );
    out.push_str(&format!("  passes      {:.1}\n", passes(s.bytes, s.len)));
    let mut mean = format!("  mean        {:.2} GB/s", gbps(s.bytes, s.elapsed));
    if let Some(f) = s.first_pass {
        if s.bytes > s.len && s.elapsed > f {
            mean.push_str(&format!(
                " ({:.2} GB/s after the first pass)",
                gbps(s.bytes - s.len, s.elapsed - f)
            ));
        }
    }
    out.push_str(&mean);
    out.push('\n');
    match s.first_pass {
        Some(f) => out.push_str(&format!(
            "  first pass  {:.3} s (time to make {} resident)\n",
            f.as_secs_f64(),
            iec(s.len)
        )),
        None => out.push_str("  first pass  not finished\n"),
    }
    match s.peak_rss {
        Some(p) => {
            let above = if p >= s.len {
                format!("{} above SIZE", iec(p - s.len))
            } else {
                format!("{} below SIZE", iec(s.len - p))
            };
            out.push_str(&format!("  peak RSS    {} ({p} bytes, {above})\n", iec(p)));
        }
        None => out.push_str("  peak RSS    unknown\n"),
    }
    out
}

/// `--json` start record (docs/json.md, "memory-user"): the mapping and the options.
pub fn json_start(pid: u32, len: u64, plan: &crate::args::Plan) -> String {
    let secs = |d: Option<Duration>| d.map(|d| d.as_secs_f64());
    record("start", |o| {
        o.u64("pid", u64::from(pid))
            .u64("size", len)
            .u64("requested_size", plan.size);
        match secs(plan.duration) {
            Some(s) => o.f64("duration_seconds", s),
            None => o.null("duration_seconds"),
        };
        o.u64("threads", plan.threads as u64).str(
            "touch",
            match plan.touch {
                crate::args::Touch::Word => "word",
                crate::args::Touch::Page => "page",
            },
        );
        o.bool("hold", plan.hold);
        match secs(plan.ramp) {
            Some(s) => o.f64("ramp_seconds", s),
            None => o.null("ramp_seconds"),
        };
        o.bool("lock", plan.lock).bool("hugepages", plan.hugepages);
    })
}

/// One `--json` record line: schema, tool, event, then `f`'s fields.
fn record(event: &str, f: impl FnOnce(&mut memtools_core::json::Json<'_>)) -> String {
    use memtools_core::json::{line, SCHEMA_VERSION};
    let mut out = Vec::with_capacity(256);
    line(&mut out, |o| {
        o.u64("schema_version", u64::from(SCHEMA_VERSION))
            .str("tool", "memory-user")
            .str("event", event);
        f(o);
    });
    String::from_utf8_lossy(&out).into_owned()
}

/// `--json` live sample: the numbers of [`status_line`], unrounded.
pub fn json_sample(s: &Status) -> String {
    record("sample", |o| {
        o.f64("elapsed_seconds", s.elapsed.as_secs_f64())
            .u64("bytes_written", s.bytes)
            .f64("passes", passes(s.bytes, s.len))
            .f64("bytes_per_second", if s.holding { 0.0 } else { s.rate })
            .opt_u64("rss", s.rss)
            .bool("holding", s.holding);
        if let Some((usage, limit)) = s.cgroup {
            o.u64("cgroup_usage", usage).u64("cgroup_limit", limit);
        }
    })
}

/// `--json` summary: the numbers of [`summary`], unrounded.
pub fn json_summary(s: &Summary) -> String {
    record("summary", |o| {
        o.str("reason", &s.reason)
            .f64("elapsed_seconds", s.elapsed.as_secs_f64())
            .u64("size", s.len)
            .u64("bytes_written", s.bytes)
            .f64("passes", passes(s.bytes, s.len))
            .f64("bytes_per_second", gbps(s.bytes, s.elapsed) * 1e9);
        match s.first_pass {
            Some(f) => o.f64("first_pass_seconds", f.as_secs_f64()),
            None => o.null("first_pass_seconds"),
        };
        o.opt_u64("peak_rss", s.peak_rss);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(iec(64 << 20), "64 MiB");
        assert_eq!(iec(3 << 30), "3 GiB");
        assert_eq!(iec(1536 << 20), "1.50 GiB");
        assert_eq!(iec(1 << 60), "1 EiB");
        assert_eq!(iec(68088 << 10), "66.49 MiB");
        assert_eq!(iec((1 << 30) + (1 << 29) + 1), "1.50 GiB");
        assert_eq!(iec(4096), "4 KiB");
        assert_eq!(iec(1000), "1000 B");
        assert_eq!(iec(0), "0 B");
        assert_eq!(iec(u64::MAX), "16.00 EiB");
    }

    #[test]
    fn start() {
        assert_eq!(
            start_line(42, 64 << 20, Some(Duration::from_secs(1))),
            "memory-user: pid 42, size 64 MiB (67108864 bytes), duration 1 s\n"
        );
        assert_eq!(
            start_line(7, 1 << 30, None),
            "memory-user: pid 7, size 1 GiB (1073741824 bytes), duration until interrupted\n"
        );
        assert!(start_line(7, 1, Some(Duration::from_millis(1500))).ends_with("duration 1.5 s\n"));
    }

    /// 2.5 passes over 64 MiB in 3.04 s at 24.314 GB/s, 65 MiB resident.
    fn streaming() -> Status {
        Status {
            elapsed: Duration::from_millis(3040),
            bytes: 5 * (64 << 20) / 2,
            len: 64 << 20,
            rate: 24.314e9,
            rss: Some(65 << 20),
            holding: false,
            cgroup: None,
        }
    }

    /// Stopped by SIGINT after 21 passes over 1 GiB in 2 s, the first in 0.5 s.
    fn interrupted() -> Summary {
        Summary {
            reason: "SIGINT".to_string(),
            elapsed: Duration::from_secs(2),
            bytes: 21 * (1 << 30),
            len: 1 << 30,
            first_pass: Some(Duration::from_millis(500)),
            peak_rss: Some((1 << 30) + (3 << 19)),
        }
    }

    #[test]
    fn status() {
        let s = streaming();
        assert_eq!(status_line(&s), "passes 2.5  24.31 GB/s  RSS 65 MiB  3.0 s");
        let h = Status {
            holding: true,
            rss: None,
            ..s
        };
        assert_eq!(status_line(&h), "passes 2.5  holding  RSS ?  3.0 s");
        let c = Status {
            cgroup: Some((70 << 20, 256 << 20)),
            ..s
        };
        assert_eq!(
            status_line(&c),
            "passes 2.5  24.31 GB/s  RSS 65 MiB  cgroup 70 MiB of 256 MiB  3.0 s"
        );
        assert!(json_sample(&c).ends_with(
            "\"holding\":false,\"cgroup_usage\":73400320,\"cgroup_limit\":268435456}\n"
        ));
    }

    /// The JSON records carry the text's numbers, unrounded.
    #[test]
    fn json_and_text_agree() {
        let st = streaming();
        assert_eq!(
            json_sample(&st),
            "{\"schema_version\":1,\"tool\":\"memory-user\",\"event\":\"sample\",\
             \"elapsed_seconds\":3.04,\"bytes_written\":167772160,\"passes\":2.5,\
             \"bytes_per_second\":24314000000,\"rss\":68157440,\"holding\":false}\n"
        );
        let sm = interrupted();
        let text = summary(&sm);
        let json = json_summary(&sm);
        assert!(text.contains("passes      21.0\n"), "{text}");
        assert!(json.contains("\"passes\":21,"), "{json}");
        assert!(text.contains("mean        11.27 GB/s"), "{text}");
        assert!(json.contains("\"bytes_per_second\":11274289152,"), "{json}");
        assert!(text.contains("(1075314688 bytes,"), "{text}");
        assert!(json.ends_with("\"first_pass_seconds\":0.5,\"peak_rss\":1075314688}\n"));
        let none = Summary {
            first_pass: None,
            peak_rss: None,
            ..sm
        };
        assert!(json_summary(&none).ends_with("\"first_pass_seconds\":null,\"peak_rss\":null}\n"));
    }

    #[test]
    fn summaries() {
        let s = interrupted();
        assert_eq!(
            summary(&s),
            "memory-user: stopped by SIGINT after 2.00 s\n  passes      21.0\n  mean        11.27 GB/s (14.32 GB/s after the first pass)\n  first pass  0.500 s (time to make 1 GiB resident)\n  peak RSS    1.00 GiB (1075314688 bytes, 1.50 MiB above SIZE)\n"
        );
        let t = Summary {
            reason: "time limit".to_string(),
            elapsed: Duration::ZERO,
            bytes: 0,
            len: 1 << 20,
            first_pass: None,
            peak_rss: None,
        };
        assert_eq!(
            summary(&t),
            "memory-user: stopped by time limit after 0.00 s\n  passes      0.0\n  mean        0.00 GB/s\n  first pass  not finished\n  peak RSS    unknown\n"
        );
    }
}
