//! The small files smem reads, interpreted as smem 1.5 does (observed by running it):
//! `cmdline`, `stat` (for the name), `meminfo`, plus the `-R` size and `size`'s output.

use crate::pytext::{is_py_space, py_float, splitlines, universal_newlines};
use std::collections::HashMap;

/// The command line as smem shows it: the text without its last character, NULs as
/// spaces. `None` (shown as `?`) when the text is not UTF-8 or was not readable.
pub fn command(data: Option<&[u8]>) -> String {
    let Some(text) = data.and_then(|d| std::str::from_utf8(d).ok()) else {
        return "?".into();
    };
    let text = universal_newlines(text);
    let mut s: String = drop_last_char(&text).into();
    if s.contains('\0') {
        s = s.replace('\0', " ");
    }
    s
}

fn drop_last_char(s: &str) -> &str {
    match s.char_indices().next_back() {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// The process name from `stat`: the text between the first `(` and the first `)`, with
/// Python slice rules (no `(`: from the start; no `)`: up to the last character; a `)`
/// before the `(`: empty). `?` when unreadable or not UTF-8.
pub fn stat_name(data: Option<&[u8]>) -> String {
    let Some(text) = data.and_then(|d| std::str::from_utf8(d).ok()) else {
        return "?".into();
    };
    let text = universal_newlines(text);
    let start = text.find('(').map_or(0, |i| i + 1);
    let end = match text.find(')') {
        Some(i) => i,
        None => drop_last_char(&text).len(),
    };
    if end <= start {
        return String::new();
    }
    text[start..end].to_string()
}

/// `meminfo` as smem reads it: each line matching `(\w+):\s+(\d+) kB` at its start, the key
/// lower-cased; a later line wins. `None` when the text is not UTF-8 (smem's
/// UnicodeDecodeError).
pub fn meminfo(data: &[u8]) -> Option<HashMap<String, i128>> {
    let text = std::str::from_utf8(data).ok()?;
    let mut m = HashMap::new();
    for line in splitlines(text) {
        let key_end = line
            .char_indices()
            .find(|&(_, c)| !(c.is_alphanumeric() || c == '_'))
            .map_or(line.len(), |(i, _)| i);
        if key_end == 0 {
            continue;
        }
        let Some(rest) = line[key_end..].strip_prefix(':') else {
            continue;
        };
        let value = rest.trim_start_matches(is_py_space);
        if value.len() == rest.len() {
            continue;
        }
        let digits = value.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || !value[digits..].starts_with(" kB") {
            continue;
        }
        let Ok(v) = value[..digits].parse::<i128>() else {
            continue;
        };
        m.insert(line[..key_end].to_lowercase(), v);
    }
    Some(m)
}

/// Why `-R` was refused.
#[derive(Debug, PartialEq)]
pub enum RealMemError {
    /// No unit: smem's "Memory size should be written with units, for example 1024M".
    Units,
    /// The number before the unit is no float (smem: ValueError traceback).
    Number,
    /// Infinite or NaN (smem: OverflowError / ValueError traceback later on).
    NotFinite,
}

/// `-R SIZE`: an optional trailing `B` is dropped, then the last character must be `k`, `K`,
/// `M`, `G` or `T`; the rest is a Python float. The result is in kB.
pub fn realmem(arg: &str) -> Result<f64, RealMemError> {
    let s = arg.strip_suffix('B').unwrap_or(arg);
    let Some(unit) = s.chars().next_back() else {
        return Err(RealMemError::Units);
    };
    let power = match unit {
        'k' | 'K' => 0,
        'M' => 1,
        'G' => 2,
        'T' => 3,
        _ => return Err(RealMemError::Units),
    };
    let v = py_float(&s[..s.len() - 1]).ok_or(RealMemError::Number)?;
    let kb = v * 1024f64.powi(power);
    if !kb.is_finite() {
        return Err(RealMemError::NotFinite);
    }
    Ok(kb)
}

/// The kernel image size in kB from `size`'s output: the `dec` column (text + data + bss)
/// of the second line, divided by 1024.
pub fn size_output(out: &[u8]) -> Option<f64> {
    let text = String::from_utf8_lossy(out);
    let line = text.lines().nth(1)?;
    let dec: u64 = line.split_whitespace().nth(3)?.parse().ok()?;
    Some(dec as f64 / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands() {
        let cases: [(Option<&[u8]>, &str); 8] = [
            (Some(b"sleep\x001000\x00"), "sleep 1000"),
            (Some(b"a\0\0b\0"), "a  b"),
            (Some(b"x"), ""),
            (Some(b""), ""),
            (Some(b"caf\xc3\xa9"), "caf"),
            (Some(b"ab\xff\0"), "?"),
            (None, "?"),
            (Some(b"a\rb\0"), "a\nb"),
        ];
        for (data, want) in cases {
            assert_eq!(command(data), want, "{data:?}");
        }
    }

    #[test]
    fn names() {
        for (stat, want) in [
            (&b"100 (a) b) S 1\n"[..], "a"),
            (b"100 ((z)) R\n", "(z"),
            (b"100 noparen S 1\n", "100 noparen S 1"),
            (b"100 (x y\n", "x y"),
            (b"\n", ""),
            (b") (x\n", ""),
            (b"1 (\xff)\n", "?"),
        ] {
            assert_eq!(stat_name(Some(stat)), want, "{stat:?}");
        }
    }

    #[test]
    fn meminfo_lines() {
        let m = meminfo(
            b"MemTotal:  2000 kB\nmemfree:\t7 kB junk\nBad:2 kB\n X: 1 kB\nSwap-X: 1 kB\nA: 1 MB\nMemTotal: 3000 kB\n",
        )
        .unwrap();
        assert_eq!(m.get("memtotal"), Some(&3000));
        assert_eq!(m.get("memfree"), Some(&7));
        assert_eq!(m.len(), 2);
        assert!(meminfo(b"\xff").is_none());
    }

    #[test]
    fn realmem_units() {
        assert_eq!(realmem("2G"), Ok(2097152.0));
        assert_eq!(realmem("1KB"), Ok(1.0));
        assert_eq!(realmem("1k"), Ok(1.0));
        assert_eq!(realmem("1.5e0T"), Ok(1610612736.0));
        assert_eq!(realmem(" 1 G"), Ok(1048576.0));
        assert_eq!(realmem("1m"), Err(RealMemError::Units));
        assert_eq!(realmem("2000000"), Err(RealMemError::Units));
        assert_eq!(realmem("1Kb"), Err(RealMemError::Units));
        assert_eq!(realmem("G"), Err(RealMemError::Number));
        assert_eq!(realmem("1GG"), Err(RealMemError::Number));
        assert_eq!(realmem("infM"), Err(RealMemError::NotFinite));
        assert_eq!(realmem(""), Err(RealMemError::Units));
    }

    #[test]
    fn size_lines() {
        let out = b"   text\t   data\t    bss\t    dec\t    hex\tfilename\n  26640\t   1104\t    408\t  28152\t   6df8\t/bin/true\n";
        assert_eq!(size_output(out), Some(27.4921875));
        assert_eq!(size_output(b"garbage"), None);
    }
}
