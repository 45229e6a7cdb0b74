//! The C library's integer parsers, reproduced for byte-exact compatibility.
//!
//! The originals parse /proc values and arguments with `strtoul`/`strtol`, and their quirks
//! show in the output: a `-5` wraps to 2^64-5, overflow saturates, base 0 accepts `0x` and
//! leading-zero octal, and parsing stops at the first non-digit. These functions return the
//! value, how many bytes were consumed, and whether the value overflowed (C's `ERANGE`).

/// The result of one conversion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parsed<T> {
    pub value: T,
    /// Bytes consumed (C's `endptr - nptr`); 0 when no digits were found.
    pub end: usize,
    /// True when the value was out of range (C sets `errno = ERANGE`).
    pub overflow: bool,
}

/// C `isspace` in the C locale.
pub fn c_isspace(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// What C's number parsers skip before the digits: white space (`isspace`), then an
/// optional `+` or `-`. Returns the index after them and whether the sign was `-`.
pub fn space_and_sign(s: &[u8]) -> (usize, bool) {
    let i = s.iter().take_while(|&&b| c_isspace(b)).count();
    match s.get(i) {
        Some(&c) if c == b'+' || c == b'-' => (i + 1, c == b'-'),
        _ => (i, false),
    }
}

fn digit_value(b: u8) -> Option<u32> {
    match b {
        b'0'..=b'9' => Some((b - b'0') as u32),
        b'a'..=b'z' => Some((b - b'a') as u32 + 10),
        b'A'..=b'Z' => Some((b - b'A') as u32 + 10),
        _ => None,
    }
}

/// Shared scanner: returns (negative, magnitude, end, overflow-of-u64).
fn scan(s: &[u8], base: u32) -> (bool, u64, usize, bool) {
    let (mut i, neg) = space_and_sign(s);
    let mut base = base;
    let is_hex_prefix = |i: usize| {
        i + 2 < s.len() + 1
            && s.get(i) == Some(&b'0')
            && matches!(s.get(i + 1), Some(b'x') | Some(b'X'))
            && s.get(i + 2)
                .and_then(|&b| digit_value(b))
                .is_some_and(|d| d < 16)
    };
    if (base == 0 || base == 16) && is_hex_prefix(i) {
        i += 2;
        base = 16;
    } else if base == 0 {
        base = if s.get(i) == Some(&b'0') { 8 } else { 10 };
    }
    let start = i;
    let mut val: u64 = 0;
    let mut over = false;
    while i < s.len() {
        let Some(d) = digit_value(s[i]).filter(|&d| d < base) else {
            break;
        };
        match val
            .checked_mul(base as u64)
            .and_then(|v| v.checked_add(d as u64))
        {
            Some(v) => val = v,
            None => over = true,
        }
        i += 1;
    }
    if i == start {
        // No digits: no conversion; endptr = nptr. (A "0x" with no hex digit was already
        // excluded above, so the "0" alone is parsed as a digit.)
        return (false, 0, 0, false);
    }
    (neg, val, i, over)
}

/// C `strtoul(s, &end, base)` for `unsigned long` (u64).
pub fn strtoul(s: &[u8], base: u32) -> Parsed<u64> {
    let (neg, mag, end, over) = scan(s, base);
    if over {
        return Parsed {
            value: u64::MAX,
            end,
            overflow: true,
        };
    }
    Parsed {
        value: if neg { mag.wrapping_neg() } else { mag },
        end,
        overflow: false,
    }
}

/// C `strtol(s, &end, base)` for `long` (i64).
pub fn strtol(s: &[u8], base: u32) -> Parsed<i64> {
    let (neg, mag, end, over) = scan(s, base);
    let limit: u64 = if neg { 1u64 << 63 } else { i64::MAX as u64 };
    if over || mag > limit {
        return Parsed {
            value: if neg { i64::MIN } else { i64::MAX },
            end,
            overflow: true,
        };
    }
    let value = if neg {
        (mag as i64).wrapping_neg()
    } else {
        mag as i64
    };
    Parsed {
        value,
        end,
        overflow: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strtoul_like_glibc() {
        assert_eq!(strtoul(b"  123 kB", 10).value, 123);
        assert_eq!(strtoul(b"  123 kB", 10).end, 5);
        assert_eq!(strtoul(b"-5", 10).value, u64::MAX - 4);
        let o = strtoul(b"99999999999999999999999", 10);
        assert_eq!((o.value, o.overflow), (u64::MAX, true));
        assert_eq!(strtoul(b"0x10", 10).value, 0);
        assert_eq!(strtoul(b"0x10", 10).end, 1);
        assert_eq!(strtoul(b"0x4d2", 0).value, 1234);
        assert_eq!(strtoul(b"02322", 0).value, 1234);
        assert_eq!(
            strtoul(b"0x", 0),
            Parsed {
                value: 0,
                end: 1,
                overflow: false
            }
        );
        assert_eq!(
            strtoul(b"abc", 10),
            Parsed {
                value: 0,
                end: 0,
                overflow: false
            }
        );
        assert_eq!(strtoul(b"ffff", 16).value, 0xffff);
        assert_eq!(strtoul(b"0x7f", 16).value, 0x7f);
        assert_eq!(strtoul(b"-", 10).end, 0);
    }

    #[test]
    fn strtol_like_glibc() {
        assert_eq!(strtol(b"-1", 10).value, -1);
        let o = strtol(b"99999999999999999999", 10);
        assert_eq!((o.value, o.overflow), (i64::MAX, true));
        let o = strtol(b"-9223372036854775808", 10);
        assert_eq!((o.value, o.overflow), (i64::MIN, false));
        let o = strtol(b"-9223372036854775809", 10);
        assert_eq!((o.value, o.overflow), (i64::MIN, true));
        assert_eq!(strtol(b" 00012", 10).value, 12);
    }
}
