//! C `strtod` in the C locale: the longest prefix that is a number, as the originals parse
//! arguments without an end pointer (`strtod(argv[0], NULL)` makes `vm_stat 2x` mean 2 and
//! `vm_stat abc` mean 0).
//!
//! Accepted, after optional white space and a sign: decimal numbers with an optional
//! fraction and exponent (`1`, `.5`, `2.`, `1e3`), hexadecimal ones with an optional binary
//! exponent (`0x1.8p1`), `inf`/`infinity` and `nan`/`nan(chars)` in any case. Overflow gives
//! an infinity, underflow zero, as glibc and macOS do.

use crate::cnum::space_and_sign;

/// The result of one conversion: the value and how many bytes were consumed (C's
/// `endptr - nptr`; 0 and a value of 0.0 when no number was found).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParsedF64 {
    pub value: f64,
    pub end: usize,
}

fn starts_with_ci(s: &[u8], word: &[u8]) -> bool {
    s.len() >= word.len() && s[..word.len()].eq_ignore_ascii_case(word)
}

/// Counts the digits at the start of `s` that satisfy `is_digit`.
fn run_of(s: &[u8], is_digit: fn(&u8) -> bool) -> usize {
    s.iter().take_while(|b| is_digit(b)).count()
}

/// C `strtod(s, &end)`.
pub fn strtod(s: &[u8]) -> ParsedF64 {
    let none = ParsedF64 { value: 0.0, end: 0 };
    let (i, neg) = space_and_sign(s);
    let rest = &s[i..];
    let signed = |v: f64| if neg { -v } else { v };

    if starts_with_ci(rest, b"inf") {
        let n = if starts_with_ci(rest, b"infinity") {
            8
        } else {
            3
        };
        return ParsedF64 {
            value: signed(f64::INFINITY),
            end: i + n,
        };
    }
    if starts_with_ci(rest, b"nan") {
        let mut n = 3;
        if rest.get(3) == Some(&b'(') {
            let k = run_of(&rest[4..], |b| b.is_ascii_alphanumeric() || *b == b'_');
            if rest.get(4 + k) == Some(&b')') {
                n = 5 + k;
            }
        }
        return ParsedF64 {
            value: signed(f64::NAN),
            end: i + n,
        };
    }
    if rest.len() > 1 && rest[0] == b'0' && (rest[1] | 0x20) == b'x' {
        if let Some((v, n)) = hex_float(&rest[2..]) {
            return ParsedF64 {
                value: signed(v),
                end: i + 2 + n,
            };
        }
        // "0x" without hex digits: only the "0" is a number.
        return ParsedF64 {
            value: signed(0.0),
            end: i + 1,
        };
    }

    let int = run_of(rest, u8::is_ascii_digit);
    let mut n = int;
    let mut frac = 0;
    if rest.get(n) == Some(&b'.') {
        frac = run_of(&rest[n + 1..], u8::is_ascii_digit);
        if int + frac > 0 {
            n += 1 + frac;
        }
    }
    if int + frac == 0 {
        return none;
    }
    if let Some(&e) = rest.get(n) {
        if e | 0x20 == b'e' {
            let mut j = n + 1;
            if matches!(rest.get(j), Some(b'+') | Some(b'-')) {
                j += 1;
            }
            let digits = run_of(&rest[j.min(rest.len())..], u8::is_ascii_digit);
            if digits > 0 {
                n = j + digits;
            }
        }
    }
    // The prefix is now a well-formed decimal literal, which Rust parses with correct
    // rounding (including "2." and ".5", overflow to infinity, underflow to zero).
    let text = std::str::from_utf8(&rest[..n]).unwrap_or("0");
    let v: f64 = text.parse().unwrap_or(0.0);
    ParsedF64 {
        value: signed(v),
        end: i + n,
    }
}

/// A hexadecimal significand (after `0x`) with an optional `p` exponent. Returns the value
/// and the bytes consumed, or `None` when there is no hex digit.
fn hex_float(s: &[u8]) -> Option<(f64, usize)> {
    let mut mant: u64 = 0;
    let mut exp: i64 = 0;
    let mut digits = 0usize;
    let mut sticky = false;
    let mut i = 0;
    let mut seen_dot = false;
    while i < s.len() {
        let c = s[i];
        if c == b'.' && !seen_dot {
            seen_dot = true;
            i += 1;
            continue;
        }
        let Some(d) = (c as char).to_digit(16) else {
            break;
        };
        digits += 1;
        if mant >> 56 == 0 {
            mant = mant << 4 | d as u64;
            if seen_dot {
                exp -= 4;
            }
        } else {
            // Keep 60 significant bits; the rest only decides rounding.
            sticky |= d != 0;
            if !seen_dot {
                exp += 4;
            }
        }
        i += 1;
    }
    if digits == 0 {
        return None;
    }
    if let Some(&p) = s.get(i) {
        if p | 0x20 == b'p' {
            let mut j = i + 1;
            let mut eneg = false;
            if let Some(&c) = s.get(j) {
                if c == b'+' || c == b'-' {
                    eneg = c == b'-';
                    j += 1;
                }
            }
            let k = run_of(&s[j.min(s.len())..], u8::is_ascii_digit);
            if k > 0 {
                let mut e: i64 = 0;
                for &b in &s[j..j + k] {
                    e = e.saturating_mul(10).saturating_add((b - b'0') as i64);
                }
                exp = exp.saturating_add(if eneg { -e } else { e });
                i = j + k;
            }
        }
    }
    if sticky {
        mant |= 1;
    }
    // mant (at most 60 bits) converts with one rounding; scaling by a power of two is exact
    // unless the result leaves the normal range.
    let mut v = mant as f64;
    let mut e = exp.clamp(-1100, 1100) as i32;
    while e > 0 {
        let step = e.min(1000);
        v *= 2f64.powi(step);
        e -= step;
    }
    while e < 0 {
        let step = (-e).min(1000);
        v /= 2f64.powi(step);
        e += step;
    }
    Some((v, i))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> (f64, usize) {
        let r = strtod(s.as_bytes());
        (r.value, r.end)
    }

    /// (text, value, bytes consumed), as glibc's strtod reads them: decimal, the words
    /// and hexadecimal.
    const CASES: &[(&str, f64, usize)] = &[
        ("1", 1.0, 1),
        ("  2.5s", 2.5, 5),
        (".5", 0.5, 2),
        ("2.", 2.0, 2),
        ("-0.25", -0.25, 5),
        ("+3", 3.0, 2),
        ("1e3x", 1000.0, 3),
        ("1e", 1.0, 1),
        ("1e+", 1.0, 1),
        ("1E-2", 0.01, 4),
        ("abc", 0.0, 0),
        (".", 0.0, 0),
        ("-", 0.0, 0),
        ("", 0.0, 0),
        ("1e999", f64::INFINITY, 5),
        ("1e-999", 0.0, 6),
        ("inf", f64::INFINITY, 3),
        ("-Infinity!", f64::NEG_INFINITY, 9),
        ("infinit", f64::INFINITY, 3),
        ("0x10", 16.0, 4),
        ("0x1.8p1", 3.0, 7),
        ("0X.8", 0.5, 4),
        ("0x1p-2", 0.25, 6),
        ("0x1p", 1.0, 3),
        ("0xg", 0.0, 1),
        ("-0x", -0.0, 2),
        ("0x1p99999", f64::INFINITY, 9),
    ];

    #[test]
    fn prefixes() {
        for &(text, value, end) in CASES {
            let (v, n) = p(text);
            // to_bits: -0.0 and 0.0 are told apart.
            assert_eq!((v.to_bits(), n), (value.to_bits(), end), "{text:?}: {v}");
        }
    }

    #[test]
    fn not_a_number() {
        let (v, n) = p("nan(123)x");
        assert!(v.is_nan() && n == 8);
        let (v, n) = p("NaN(12");
        assert!(v.is_nan() && n == 3);
    }
}
