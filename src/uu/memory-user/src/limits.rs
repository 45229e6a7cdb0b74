//! Whether SIZE fits the machine: refused above MemTotal + SwapTotal (unless --force),
//! a warning above MemAvailable. Pure, on the platform layer's counters.

use crate::report::iec;
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

#[cfg(test)]
mod tests {
    use super::*;

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
