//! Whether SIZE fits the machine: refused above MemTotal + SwapTotal (unless --force),
//! a warning above MemAvailable; and whether it fits the memory cgroup the process runs
//! in: refused above the cgroup's limit plus its swap allowance, a warning above what the
//! cgroup has available. Pure, on the platform layer's counters.

use crate::report::iec;
use memtools_platform::cgroup::{Budget, Reading};
use memtools_platform::MemInfo;

#[derive(Debug, PartialEq)]
pub enum Verdict {
    Fits,
    /// Go ahead, after printing this warning.
    Warn(String),
    /// Do not start; this is why.
    Refuse(String),
}

/// The warning when the totals are unknown (meminfo unreadable or damaged).
pub const UNCHECKED: &str = "warning: cannot read the system's memory totals; SIZE is not checked";

/// `len` is the size in bytes; `mi` holds KiB, as /proc/meminfo does.
pub fn check(len: u64, mi: &MemInfo, force: bool) -> Verdict {
    // No machine has no memory: a meminfo without MemTotal is damaged (or not meminfo), and
    // its zeros must not be quoted as this machine's totals.
    if mi.mem_total == 0 {
        return Verdict::Warn(UNCHECKED.to_string());
    }
    let total = mi.mem_total.saturating_mul(1024);
    let swap = mi.swap_total.saturating_mul(1024);
    let both = total.saturating_add(swap);
    let avail = mi.mem_available.saturating_mul(1024);
    if len > both {
        let numbers = format!(
            "MemTotal {} + SwapTotal {} = {}",
            iec(total),
            iec(swap),
            iec(both)
        );
        if !force {
            return Verdict::Refuse(format!(
                "{} is more than this machine's memory and swap ({numbers}); use --force to try anyway",
                iec(len)
            ));
        }
        return Verdict::Warn(format!(
            "warning: {} is more than this machine's memory and swap ({numbers}): expect \
             heavy swapping, a refused mapping or the OOM killer",
            iec(len)
        ));
    }
    if len > avail {
        return Verdict::Warn(format!(
            "warning: {} is more than MemAvailable ({}): expect swapping, or the OOM killer",
            iec(len),
            iec(avail)
        ));
    }
    Verdict::Fits
}

/// Where the cgroup's limit is set, for the messages: nothing when on the cgroup itself.
fn limit_origin(r: &Reading) -> String {
    match &r.limit_from {
        Some(c) if *c == r.name => String::new(),
        Some(c) => format!(" set on {c}"),
        None => " set on an ancestor".to_string(),
    }
}

/// `len` against the cgroup's budget ([`Reading::budget`]).
pub fn check_cgroup(len: u64, r: &Reading, b: &Budget, force: bool) -> Verdict {
    let both = b.limit.saturating_add(b.swap);
    if len > both {
        let numbers = format!(
            "memory limit {}{} + swap {} = {}",
            iec(b.limit),
            limit_origin(r),
            iec(b.swap),
            iec(both)
        );
        if !force {
            return Verdict::Refuse(format!(
                "{} is more than cgroup {} allows ({numbers}); use --force to try anyway",
                iec(len),
                r.name
            ));
        }
        return Verdict::Warn(format!(
            "warning: {} is more than cgroup {} allows ({numbers}): expect the OOM killer",
            iec(len),
            r.name
        ));
    }
    if len > b.available {
        return Verdict::Warn(format!(
            "warning: {} is more than cgroup {} has available ({} of its {} limit): expect \
             swapping, or the OOM killer",
            iec(len),
            r.name,
            iec(b.available),
            iec(b.limit)
        ));
    }
    Verdict::Fits
}

/// The host's verdict and the cgroup's (if the cgroup limits more than the host) as one:
/// refused when either refuses (the cgroup's reason first); otherwise the cgroup's
/// warning, else the host's.
pub fn combine(host: Verdict, cgroup: Option<Verdict>) -> Verdict {
    match (host, cgroup) {
        (_, Some(Verdict::Refuse(why))) => Verdict::Refuse(why),
        (Verdict::Refuse(why), _) => Verdict::Refuse(why),
        (_, Some(Verdict::Warn(w))) => Verdict::Warn(w),
        (h, _) => h,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use memtools_platform::cgroup::{Stat, Swap, Version};
    use std::path::PathBuf;

    fn cg(limit_from: Option<&str>) -> Reading {
        Reading {
            version: Version::V1,
            dir: PathBuf::from("/sys/fs/cgroup/memory/box"),
            name: "/box".to_string(),
            limit: Some(256 << 20),
            limit_from: limit_from.map(str::to_string),
            usage: 56 << 20,
            swap: Swap::default(),
            stat: Stat::default(),
        }
    }

    #[test]
    fn cgroup_verdicts() {
        let r = cg(Some("/box"));
        let b = Budget {
            limit: 256 << 20,
            swap: 0,
            available: 200 << 20,
        };
        assert_eq!(check_cgroup(100 << 20, &r, &b, false), Verdict::Fits);
        assert_eq!(
            check_cgroup(512 << 20, &r, &b, false),
            Verdict::Refuse(
                "512 MiB is more than cgroup /box allows (memory limit 256 MiB + swap 0 B = \
                 256 MiB); use --force to try anyway"
                    .to_string()
            )
        );
        assert_eq!(
            check_cgroup(512 << 20, &r, &b, true),
            Verdict::Warn(
                "warning: 512 MiB is more than cgroup /box allows (memory limit 256 MiB + \
                 swap 0 B = 256 MiB): expect the OOM killer"
                    .to_string()
            )
        );
        assert_eq!(
            check_cgroup(220 << 20, &r, &b, false),
            Verdict::Warn(
                "warning: 220 MiB is more than cgroup /box has available (200 MiB of its \
                 256 MiB limit): expect swapping, or the OOM killer"
                    .to_string()
            )
        );
        let swap = Budget {
            swap: 44 << 20,
            ..b
        };
        // Within the limit plus its swap: a warning only.
        assert!(matches!(check_cgroup(290 << 20, &r, &swap, false),
            Verdict::Warn(w) if w.starts_with("warning: 290 MiB is more than cgroup /box has available")));
        assert!(matches!(check_cgroup(301 << 20, &r, &swap, false),
            Verdict::Refuse(m) if m.contains("(memory limit 256 MiB + swap 44 MiB = 300 MiB)")));
        let parent = cg(Some("/"));
        assert!(matches!(check_cgroup(1 << 30, &parent, &b, false),
            Verdict::Refuse(m) if m.contains("memory limit 256 MiB set on / + swap")));
        let hidden = cg(None);
        assert!(matches!(check_cgroup(1 << 30, &hidden, &b, false),
            Verdict::Refuse(m) if m.contains("memory limit 256 MiB set on an ancestor + swap")));
    }

    #[test]
    fn combined() {
        let refuse = || Verdict::Refuse("r".to_string());
        let warn = |w: &str| Verdict::Warn(w.to_string());
        assert_eq!(combine(Verdict::Fits, Some(refuse())), refuse());
        assert_eq!(combine(refuse(), Some(warn("c"))), refuse());
        assert_eq!(combine(warn("h"), Some(warn("c"))), warn("c"));
        assert_eq!(combine(warn("h"), Some(Verdict::Fits)), warn("h"));
        assert_eq!(combine(warn("h"), None), warn("h"));
    }

    fn mi(total: u64, swap: u64, avail: u64) -> MemInfo {
        MemInfo {
            mem_total: total,
            swap_total: swap,
            mem_available: avail,
            ..MemInfo::default()
        }
    }

    #[test]
    fn verdicts() {
        let m = mi(4 << 20, 1 << 20, 2 << 20); // 4 GiB RAM, 1 GiB swap, 2 GiB available
        assert_eq!(check(1 << 30, &m, false), Verdict::Fits);
        assert_eq!(
            check(3 << 30, &m, false),
            Verdict::Warn(
                "warning: 3 GiB is more than MemAvailable (2 GiB): expect swapping, or the OOM killer"
                    .to_string()
            )
        );
        assert_eq!(
            check(6 << 30, &m, false),
            Verdict::Refuse(
                "6 GiB is more than this machine's memory and swap (MemTotal 4 GiB + \
                 SwapTotal 1 GiB = 5 GiB); use --force to try anyway"
                    .to_string()
            )
        );
        assert!(matches!(check(6 << 30, &m, true), Verdict::Warn(w) if w.contains("OOM killer")));
        // A meminfo without MemTotal (damaged, or not meminfo): unchecked, not refused.
        assert_eq!(
            check(1 << 20, &mi(0, 0, 0), false),
            Verdict::Warn(UNCHECKED.to_string())
        );
        // Absurd counters do not overflow.
        assert_eq!(
            check(u64::MAX, &mi(u64::MAX, u64::MAX, u64::MAX), false),
            Verdict::Fits
        );
    }
}
