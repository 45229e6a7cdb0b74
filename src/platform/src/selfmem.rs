//! This process's own memory use (resident size now and at its peak), for `memory-user`
//! ([`crate::sys::self_memory`]).
//!
//! Unlike every other Linux source, this one does **not** read below the snapshot root:
//! a process that measures itself must read the kernel's live `/proc/self`, whatever
//! `MEMTOOLS_PROC_ROOT` says. A copied tree describes some other process at some other time,
//! so reading "self" from it would report numbers that have nothing to do with the memory
//! this process is holding.

/// Resident memory of the calling process, in bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SelfMemory {
    /// Resident set size now (Linux `VmRSS`, macOS `resident_size`).
    pub resident: u64,
    /// The largest resident set size so far (Linux `VmHWM`, macOS `resident_size_max`), or
    /// `None` when the platform does not say.
    pub peak: Option<u64>,
}

/// The live `/proc/self/status` (never below the snapshot root: see the module comment).
pub const LINUX_SELF_STATUS: &str = "/proc/self/status";

/// Parses the `VmRSS` and `VmHWM` lines (in kB) of a Linux `/proc/PID/status` file.
/// `None` when `VmRSS` is missing or unreadable (kernel threads have no such line).
pub fn parse_linux_status(data: &[u8]) -> Option<SelfMemory> {
    let mut rss = None;
    let mut hwm = None;
    for line in data.split(|&b| b == b'\n') {
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        let slot = match &line[..colon] {
            b"VmRSS" => &mut rss,
            b"VmHWM" => &mut hwm,
            _ => continue,
        };
        *slot = kib_value(&line[colon + 1..]).map(|k| k.saturating_mul(1024));
    }
    Some(SelfMemory {
        resident: rss?,
        peak: hwm,
    })
}

/// `"   1234 kB"` -> 1234. Anything else (no digits, overflow) -> `None`.
fn kib_value(field: &[u8]) -> Option<u64> {
    let text = std::str::from_utf8(field).ok()?.trim();
    let digits = text.strip_suffix("kB").unwrap_or(text).trim_end();
    digits.parse::<u64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_fields() {
        let s = b"Name:\tx\nVmPeak:\t  9000 kB\nVmHWM:\t    70000 kB\nVmRSS:\t   65536 kB\nThreads:\t1\n";
        assert_eq!(
            parse_linux_status(s),
            Some(SelfMemory {
                resident: 65536 * 1024,
                peak: Some(70000 * 1024)
            })
        );
    }

    #[test]
    fn odd_status() {
        assert_eq!(parse_linux_status(b"Name:\tkthreadd\n"), None);
        assert_eq!(parse_linux_status(b"VmRSS:\tlots kB\n"), None);
        assert_eq!(
            parse_linux_status(b"VmRSS: 99999999999999999999 kB\n"),
            None,
            "overflowing values are unreadable, not wrapped"
        );
        assert_eq!(
            parse_linux_status(b"VmRSS:\t18014398509481984 kB"),
            Some(SelfMemory {
                resident: u64::MAX,
                peak: None
            }),
            "kB to bytes saturates"
        );
    }
}
