//! The pieces of Python 3 that psutil's numbers pass through, reproduced exactly:
//! `int(bytes)`, unbounded integers (as `BigInt`), the int/float mix of arithmetic and
//! comparison, `round(x, 1)`, `'%.1f'`, and psutil's `bytes2human` and
//! `usage_percent`. Also `repr()` of bytes and str, for messages.

use num_bigint::BigInt;
use num_traits::{FromPrimitive, ToPrimitive};
use std::cmp::Ordering;

/// Python's whitespace for bytes (`bytes.split()`, `bytes.strip()`, `int()`): space, tab,
/// LF, VT, FF, CR. Not NUL, not 0x1c-0x1f, not 0x85 or 0xa0.
pub fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// `bytes.split()`: the non-empty runs between whitespace.
pub fn split_ws(line: &[u8]) -> impl Iterator<Item = &[u8]> {
    line.split(|&b| is_space(b)).filter(|t| !t.is_empty())
}

/// `bytes.strip()`.
pub fn strip(b: &[u8]) -> &[u8] {
    let start = b.iter().position(|&c| !is_space(c)).unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|&c| !is_space(c))
        .map_or(start, |p| p + 1);
    &b[start..end]
}

/// Iterating over a file opened in binary mode: pieces ending in `\n`, and a last piece
/// without one if the data does not end in `\n`.
pub fn lines(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    data.split_inclusive(|&b| b == b'\n')
}

/// Python 3.11's limit on the digits `int()` converts (`sys.get_int_max_str_digits()`).
pub const MAX_STR_DIGITS: usize = 4300;

/// Why `int()` refused its argument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IntError {
    /// `ValueError: invalid literal for int() with base 10: b'...'`.
    Invalid,
    /// `ValueError: Exceeds the limit (4300 digits) ...` (this many digits).
    TooManyDigits(usize),
}

/// `int(b)` for bytes, base 10: surrounding whitespace, an optional sign, decimal digits
/// with single underscores between them (`1_000`), leading zeros allowed.
pub fn int(b: &[u8]) -> Result<BigInt, IntError> {
    let t = strip(b);
    let (neg, body) = match t.first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let mut digits = Vec::with_capacity(body.len());
    let mut prev_digit = false;
    for &c in body {
        match c {
            b'0'..=b'9' => {
                digits.push(c);
                prev_digit = true;
            }
            b'_' if prev_digit => prev_digit = false,
            _ => return Err(IntError::Invalid),
        }
    }
    if !prev_digit {
        // Empty, or ending in an underscore.
        return Err(IntError::Invalid);
    }
    if digits.len() > MAX_STR_DIGITS {
        return Err(IntError::TooManyDigits(digits.len()));
    }
    let v = BigInt::parse_bytes(&digits, 10).ok_or(IntError::Invalid)?;
    Ok(if neg { -v } else { v })
}

/// `OverflowError: int too large to convert to float`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FloatOverflow;

/// `float(i)`: correctly rounded (ties to even); an error past the largest float.
pub fn to_float(i: &BigInt) -> Result<f64, FloatOverflow> {
    match i.to_f64() {
        Some(f) if f.is_finite() => Ok(f),
        _ => Err(FloatOverflow),
    }
}

/// A Python number: the int/float mix of psutil's estimate of available memory.
#[derive(Clone, Debug, PartialEq)]
pub enum Num {
    Int(BigInt),
    Float(f64),
}

impl Num {
    fn float(&self) -> Result<f64, FloatOverflow> {
        match self {
            Num::Int(i) => to_float(i),
            Num::Float(f) => Ok(*f),
        }
    }

    /// `a + b`: exact for two ints, else both as floats.
    pub fn py_add(self, o: Num) -> Result<Num, FloatOverflow> {
        Ok(match (self, o) {
            (Num::Int(a), Num::Int(b)) => Num::Int(a + b),
            (a, b) => Num::Float(a.float()? + b.float()?),
        })
    }

    /// `a - b`.
    pub fn py_sub(self, o: Num) -> Result<Num, FloatOverflow> {
        Ok(match (self, o) {
            (Num::Int(a), Num::Int(b)) => Num::Int(a - b),
            (a, b) => Num::Float(a.float()? - b.float()?),
        })
    }

    /// Python's comparison: exact between an int and a float (no rounding).
    pub fn py_cmp(&self, o: &Num) -> Ordering {
        match (self, o) {
            (Num::Int(a), Num::Int(b)) => a.cmp(b),
            (Num::Float(a), Num::Float(b)) => a.partial_cmp(b).unwrap_or(Ordering::Equal),
            (Num::Int(a), Num::Float(b)) => cmp_int_float(a, *b),
            (Num::Float(a), Num::Int(b)) => cmp_int_float(b, *a).reverse(),
        }
    }

    /// `min(a, b)`: `a` unless `b < a` (so `a` when they are equal).
    pub fn min(a: Num, b: Num) -> Num {
        if b.py_cmp(&a) == Ordering::Less {
            b
        } else {
            a
        }
    }

    /// `int(x)`: a float is truncated toward zero.
    pub fn to_int(self) -> Result<BigInt, FloatOverflow> {
        match self {
            Num::Int(i) => Ok(i),
            Num::Float(f) => BigInt::from_f64(f).ok_or(FloatOverflow),
        }
    }
}

fn cmp_int_float(i: &BigInt, f: f64) -> Ordering {
    if f.is_nan() {
        return Ordering::Equal;
    }
    if f.is_infinite() {
        return if f > 0.0 {
            Ordering::Less
        } else {
            Ordering::Greater
        };
    }
    let t = f.trunc();
    let ti = BigInt::from_f64(t).unwrap_or_default();
    match i.cmp(&ti) {
        Ordering::Equal => t.partial_cmp(&f).unwrap_or(Ordering::Equal),
        o => o,
    }
}

/// `round(x, 1)`: the exact value rounded to one decimal, ties to even (what `'%.1f'`
/// prints), read back.
pub fn round1(x: f64) -> f64 {
    if !x.is_finite() {
        return x;
    }
    format!("{x:.1}").parse().unwrap_or(x)
}

/// psutil's `usage_percent(used, total, round_=1)`: `float(used) / total * 100` rounded
/// to one decimal; `0.0` when `total` is 0 (Python's ZeroDivisionError, caught).
pub fn usage_percent(used: &BigInt, total: &BigInt) -> Result<f64, FloatOverflow> {
    let u = to_float(used)?;
    let t = to_float(total)?;
    if t == 0.0 {
        return Ok(0.0);
    }
    Ok(round1(u / t * 100.0))
}

/// psutil's `bytes2human(n)`: the largest power of 1024 not above `abs(n)` (K, M, G, T,
/// P, E, Z, Y), `'%.1f'` of `float(n)` divided by it and the symbol; below 1024,
/// `'%.1f'` of `n` and `B`.
pub fn bytes2human(n: &BigInt) -> Result<String, FloatOverflow> {
    const SYMBOLS: &[u8] = b"BKMGTPEZY";
    let bits = n.magnitude().bits();
    for i in (1..SYMBOLS.len()).rev() {
        // abs(n) >= 1 << (10 * i)
        if bits > 10 * i as u64 {
            let v = to_float(n)? / 2f64.powi(10 * i as i32);
            return Ok(format!("{v:.1}{}", SYMBOLS[i] as char));
        }
    }
    Ok(format!("{:.1}B", to_float(n)?))
}

/// `repr()` of a bytes object (`b'0x10'`, `b'\xff'`), as in Python's ValueError texts.
pub fn bytes_repr(b: &[u8]) -> String {
    let q = if b.contains(&b'\'') && !b.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut s = format!("b{q}");
    for &c in b {
        match c {
            b'\\' => s.push_str("\\\\"),
            b'\t' => s.push_str("\\t"),
            b'\n' => s.push_str("\\n"),
            b'\r' => s.push_str("\\r"),
            c if c as char == q => {
                s.push('\\');
                s.push(q);
            }
            0x20..=0x7e => s.push(c as char),
            c => s.push_str(&format!("\\x{c:02x}")),
        }
    }
    s.push(q);
    s
}

/// `repr()` of a file name as Python holds it (bytes decoded as UTF-8, an undecodable
/// byte kept as a lone surrogate `\udcXX`), as in `OSError`'s text. Printability of
/// non-ASCII characters follows `str.isprintable()` for the Latin-1 range and the usual
/// invisible ones (spaces, format marks, private use); other unassigned or exotic
/// non-printable characters are shown as they are (a documented approximation).
pub fn str_repr(b: &[u8]) -> String {
    let q = if b.contains(&b'\'') && !b.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut s = String::from(q);
    for chunk in b.utf8_chunks() {
        for ch in chunk.valid().chars() {
            match ch {
                '\\' => s.push_str("\\\\"),
                '\t' => s.push_str("\\t"),
                '\n' => s.push_str("\\n"),
                '\r' => s.push_str("\\r"),
                c if c == q => {
                    s.push('\\');
                    s.push(q);
                }
                c if printable(c) => s.push(c),
                c if (c as u32) < 0x100 => s.push_str(&format!("\\x{:02x}", c as u32)),
                c if (c as u32) < 0x10000 => s.push_str(&format!("\\u{:04x}", c as u32)),
                c => s.push_str(&format!("\\U{:08x}", c as u32)),
            }
        }
        for &byte in chunk.invalid() {
            s.push_str(&format!("\\udc{byte:02x}"));
        }
    }
    s.push(q);
    s
}

fn printable(c: char) -> bool {
    let u = c as u32;
    !(u < 0x20
        || (0x7f..=0xa0).contains(&u)
        || u == 0xad
        || u == 0x1680
        || (0x2000..=0x200f).contains(&u)
        || (0x2028..=0x202f).contains(&u)
        || (0x205f..=0x206f).contains(&u)
        || u == 0x3000
        || (0xe000..=0xf8ff).contains(&u)
        || u == 0xfeff
        || (0xfff9..=0xfffb).contains(&u))
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_traits::Zero;

    fn big(s: &str) -> BigInt {
        s.parse().unwrap()
    }

    #[test]
    fn int_like_python() {
        for (text, v) in [
            (&b"5"[..], "5"),
            (b"+5", "5"),
            (b"-5", "-5"),
            (b"007", "7"),
            (b"-0", "0"),
            (b"1_000", "1000"),
            (b"1_0_0", "100"),
            (b" \x0b12\x0c\r\n", "12"),
            (
                b"99999999999999999999999999999999999999999",
                "99999999999999999999999999999999999999999",
            ),
        ] {
            assert_eq!(int(text), Ok(big(v)), "{text:?}");
        }
        for text in [
            &b""[..],
            b"-",
            b"0x10",
            b"1__0",
            b"_1",
            b"1_",
            b"5\x00",
            b"1 2",
            b"\xd9\xa3",
            b"1.0",
            b"kB",
            b"+-1",
        ] {
            assert_eq!(int(text), Err(IntError::Invalid), "{text:?}");
        }
        let mut long = vec![b'0'; 4300];
        assert_eq!(int(&long), Ok(BigInt::zero()));
        long.push(b'1');
        assert_eq!(int(&long), Err(IntError::TooManyDigits(4301)));
    }

    #[test]
    fn rounding_to_one_decimal_is_exact_half_even() {
        assert_eq!(round1(0.25), 0.2);
        assert_eq!(round1(0.35), 0.3); // 0.35 is below 0.35 in binary
        assert_eq!(round1(1.25), 1.2);
        assert_eq!(round1(-0.04).to_bits(), (-0.0f64).to_bits());
        assert_eq!(round1(49.04999), 49.0);
        assert_eq!(round1(1e300), 1e300);
    }

    #[test]
    fn percent_like_psutil() {
        assert_eq!(usage_percent(&big("1"), &big("0")), Ok(0.0));
        assert_eq!(usage_percent(&big("-1"), &big("0")), Ok(0.0));
        assert_eq!(usage_percent(&big("500"), &big("1000")), Ok(50.0));
        assert_eq!(
            usage_percent(&big("-1"), &big("1000000")).map(f64::to_bits),
            Ok((-0.0f64).to_bits())
        );
        let huge = BigInt::from(1) << 1100;
        assert_eq!(usage_percent(&huge, &big("1")), Err(FloatOverflow));
        assert_eq!(usage_percent(&big("0"), &huge), Err(FloatOverflow));
    }

    #[test]
    fn bytes2human_like_psutil() {
        for (n, s) in [
            ("0", "0.0B"),
            ("1023", "1023.0B"),
            ("-1023", "-1023.0B"),
            ("1024", "1.0K"),
            ("1280", "1.2K"), // 1.25 exactly: ties to even
            ("-866304", "-846.0K"),
            ("10000", "9.8K"),
            ("100001221", "95.4M"),
            ("1099511627776", "1.0T"),
            ("1125899906842624", "1.0P"),
            ("1208925819614629174706176", "1.0Y"),
            ("1208925819614629174706175", "1024.0Z"),
        ] {
            assert_eq!(bytes2human(&big(n)).unwrap(), s);
        }
        assert_eq!(bytes2human(&(BigInt::from(1) << 1100)), Err(FloatOverflow));
    }

    #[test]
    fn mixed_arithmetic_and_comparison() {
        let big53 = BigInt::from((1u64 << 53) + 1);
        // int vs float comparison is exact: 2**53 + 1 > 2.0**53 although float(2**53+1)
        // equals 2.0**53.
        assert_eq!(
            Num::Int(big53.clone()).py_cmp(&Num::Float(9007199254740992.0)),
            Ordering::Greater
        );
        assert_eq!(
            Num::Int(big("-2")).py_cmp(&Num::Float(-2.5)),
            Ordering::Greater
        );
        assert_eq!(Num::Int(big("2")).py_cmp(&Num::Float(2.5)), Ordering::Less);
        assert_eq!(Num::Int(big("2")).py_cmp(&Num::Float(2.0)), Ordering::Equal);
        // min keeps the first of equals (a float stays a float).
        assert_eq!(
            Num::min(Num::Float(2.0), Num::Int(big("2"))),
            Num::Float(2.0)
        );
        // int + float rounds the int first.
        let s = Num::Int(big53).py_add(Num::Float(0.0)).unwrap();
        assert_eq!(s, Num::Float(9007199254740992.0));
        assert_eq!(Num::Float(-2.7).to_int(), Ok(big("-2")));
    }

    #[test]
    fn message_reprs() {
        assert_eq!(bytes_repr(b"0x10"), "b'0x10'");
        assert_eq!(bytes_repr(b"a'b"), "b\"a'b\"");
        assert_eq!(bytes_repr(b"a'\"\\\xff\t"), "b'a\\'\"\\\\\\xff\\t'");
        assert_eq!(str_repr(b"/tmp/x/vmstat"), "'/tmp/x/vmstat'");
        assert_eq!(str_repr(b"/t\xffp/\xc3\xa9\n"), "'/t\\udcffp/\u{e9}\\n'");
        assert_eq!(str_repr(b"it's"), "\"it's\"");
        assert_eq!(str_repr(b"\xc2\xa0\xc2\x85"), "'\\xa0\\x85'");
    }
}
