//! The system memory counters `free` shows, and a parser for Linux `/proc/meminfo` that
//! reads it exactly as procps-ng 4.0.x does (so that the same file gives the same numbers).
//!
//! procps-ng's reading rules (observed on 4.0.2, see the project's spec):
//! * only the first 8191 bytes are looked at (one `read()`), and a NUL byte ends the data;
//! * the key is the text from the current position up to the next `:`; for a known key the
//!   value is `strtoul(after_colon, 10)` (a `-` sign wraps, overflow saturates, trailing
//!   text such as `kB` is ignored); then parsing continues after the next `\n`;
//! * unknown keys are ignored, missing keys are 0, and the last duplicate wins;
//! * a line without a colon therefore swallows the key of the line after it.

use memtools_core::cnum::strtoul;

/// How many bytes of `/proc/meminfo` procps-ng reads (one `read()` into an 8 KiB buffer
/// that keeps room for a terminating NUL).
pub const MEMINFO_READ_LIMIT: usize = 8191;

/// Counters in KiB, as `/proc/meminfo` has them. Missing values are 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MemInfo {
    pub mem_total: u64,
    pub mem_free: u64,
    pub mem_available: u64,
    pub buffers: u64,
    pub cached: u64,
    pub s_reclaimable: u64,
    pub shmem: u64,
    pub swap_total: u64,
    pub swap_free: u64,
    pub low_total: u64,
    pub low_free: u64,
    pub high_total: u64,
    pub high_free: u64,
    pub commit_limit: u64,
    pub committed_as: u64,
}

/// Why the counters could not be read.
#[derive(Debug)]
pub enum MemInfoError {
    /// The meminfo file does not exist (procps: "Memory information file ... does not exist").
    NotFound(std::path::PathBuf),
    /// Any other failure to open or read it, or an empty file.
    Unreadable(std::io::Error),
    /// The platform has no source of memory counters.
    Unsupported,
}

impl MemInfo {
    fn slot(&mut self, key: &[u8]) -> Option<&mut u64> {
        Some(match key {
            b"MemTotal" => &mut self.mem_total,
            b"MemFree" => &mut self.mem_free,
            b"MemAvailable" => &mut self.mem_available,
            b"Buffers" => &mut self.buffers,
            b"Cached" => &mut self.cached,
            b"SReclaimable" => &mut self.s_reclaimable,
            b"Shmem" => &mut self.shmem,
            b"SwapTotal" => &mut self.swap_total,
            b"SwapFree" => &mut self.swap_free,
            b"LowTotal" => &mut self.low_total,
            b"LowFree" => &mut self.low_free,
            b"HighTotal" => &mut self.high_total,
            b"HighFree" => &mut self.high_free,
            b"CommitLimit" => &mut self.commit_limit,
            b"Committed_AS" => &mut self.committed_as,
            _ => return None,
        })
    }

    /// Parses meminfo text the way procps-ng 4.0.x does. Never fails: odd input gives the
    /// same odd numbers procps shows.
    pub fn parse_procps(data: &[u8]) -> MemInfo {
        let data = &data[..data.len().min(MEMINFO_READ_LIMIT)];
        let data = match data.iter().position(|&b| b == 0) {
            Some(p) => &data[..p],
            None => data,
        };
        let mut m = MemInfo::default();
        let mut pos = 0;
        while pos < data.len() {
            let Some(colon) = data[pos..].iter().position(|&b| b == b':') else {
                break;
            };
            let colon = pos + colon;
            let key = &data[pos..colon];
            let rest = &data[colon + 1..];
            if let Some(slot) = m.slot(key) {
                *slot = strtoul(rest, 10).value;
            }
            match rest.iter().position(|&b| b == b'\n') {
                Some(nl) => pos = colon + 1 + nl + 1,
                None => break,
            }
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_file() {
        let m = MemInfo::parse_procps(
            b"MemTotal:        8000000 kB\nMemFree:         1000000 kB\nMemAvailable:    5000000 kB\nSwapTotal: 7 kB\n",
        );
        assert_eq!(
            (m.mem_total, m.mem_free, m.mem_available, m.swap_total),
            (8000000, 1000000, 5000000, 7)
        );
    }

    #[test]
    fn procps_quirks() {
        // Duplicates: the last wins; a line without a colon swallows the next key.
        let m =
            MemInfo::parse_procps(b"MemTotal: 1\nMemTotal: 2\ngarbage\nMemFree: 3\nBuffers: 4\n");
        assert_eq!((m.mem_total, m.mem_free, m.buffers), (2, 0, 4));
        // Signs wrap, overflow saturates, hex is not hex.
        let m = MemInfo::parse_procps(
            b"MemAvailable: -5 kB\nMemTotal: 99999999999999999999999\nShmem: 0x10\n",
        );
        assert_eq!(m.mem_available, u64::MAX - 4);
        assert_eq!(m.mem_total, u64::MAX);
        assert_eq!(m.shmem, 0);
        // A NUL byte ends the data; so does the 8191-byte limit.
        let m = MemInfo::parse_procps(b"MemTotal: 5\n\0MemFree: 6\n");
        assert_eq!((m.mem_total, m.mem_free), (5, 0));
        let mut big = vec![b'#'; 8185];
        big.extend_from_slice(b"\nSwapTotal: 9\n");
        assert_eq!(MemInfo::parse_procps(&big).swap_total, 0);
        // The last line needs no newline.
        assert_eq!(MemInfo::parse_procps(b"MemTotal:100").mem_total, 100);
    }
}
