//! vmmap's size formatter, derived from real captures (the rule: docs/vmmap.md, "Layout
//! choices", Sizes).

use std::fmt::Write;

const KIB: u64 = 1024;
const MIB: u64 = 1024 * 1024;
const GIB: u64 = 1024 * MIB;
const TIB: u64 = 1024 * GIB;

/// Below this many bytes a size is printed as a plain byte count. It is 4096 whatever
/// the page size: the 16 KiB-page arm64 captures (macOS 14.0, "VM page size:  16384
/// bytes") print 4032 as `4032`, but 4096 as `4K`, 6280 as `6K` and 8928 as `9K`.
pub const BYTES_BELOW: u64 = 4096;

/// Formats a byte count the way vmmap does: `0K`; plain bytes below [`BYTES_BELOW`];
/// whole KiB (rounded) below 10 MiB; one decimal of M below 1 GiB, of G below 1 TiB, then T.
pub fn size(n: u64, out: &mut String) {
    let f = n as f64;
    let _ = match n {
        0 => write!(out, "0K"),
        1..BYTES_BELOW => write!(out, "{n}"),
        _ if n < 10 * MIB => write!(out, "{:.0}K", f / KIB as f64),
        _ if n < GIB => write!(out, "{:.1}M", f / MIB as f64),
        _ if n < TIB => write!(out, "{:.1}G", f / GIB as f64),
        _ => write!(out, "{:.1}T", f / TIB as f64),
    };
}

/// [`size`] into a new string.
pub fn size_string(n: u64) -> String {
    let mut s = String::new();
    size(n, &mut s);
    s
}

/// An integer percentage of `part` in `total`, rounded to nearest; 0 when `total` is 0.
pub fn percent(part: u64, total: u64) -> u64 {
    if total == 0 {
        0
    } else {
        (100.0 * part as f64 / total as f64).round() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_examples() {
        assert_eq!(size_string(0), "0K");
        for b in [8u64, 496, 1520, 3856, 4032] {
            assert_eq!(size_string(b), b.to_string());
        }
        assert_eq!(size_string(4136), "4K");
        assert_eq!(size_string(4504), "4K");
        assert_eq!(size_string(6280), "6K");
        assert_eq!(size_string(8928), "9K");
        assert_eq!(size_string(22448), "22K");
        assert_eq!(size_string(0x21a280), "2153K");
        assert_eq!(size_string(8 * MIB), "8192K");
        assert_eq!(size_string(0xa1c000), "10.1M");
        assert_eq!(size_string(0xa7c000), "10.5M");
        assert_eq!(size_string(0xbf0000), "11.9M");
        assert_eq!(size_string(0x3804000), "56.0M");
        assert_eq!(size_string(GIB), "1.0G");
        assert_eq!(size_string(2 * TIB), "2.0T");
        assert_eq!(size_string(u64::MAX), "16777216.0T");
    }

    #[test]
    fn percentages_round_to_nearest() {
        assert_eq!(percent(1698, 10000), 17);
        assert_eq!(percent(868, 10000), 9);
        assert_eq!(percent(9036, 10000), 90);
        assert_eq!(percent(968, 1000), 97);
        assert_eq!(percent(5, 0), 0);
    }
}
