//! The few Python 3 text rules smem's output depends on, written from the language's
//! documented behaviour: `str.splitlines()`, `str.split()`, `int(s, base)`, `float(s)`,
//! and `%`-formatting that counts code points.
//!
//! smem decodes every file it reads as strict UTF-8, so the functions here work on `&str`;
//! ASCII input takes byte-wise fast paths.

/// `str.isspace()` for one character: Unicode White_Space plus the four ASCII separators
/// U+001C..U+001F, which Python also treats as whitespace.
#[inline]
pub fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

#[inline]
fn is_ascii_py_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | 0x1c..=0x1f)
}

/// The line boundaries of `str.splitlines()`, as (length of the boundary) at `s[i..]`,
/// 0 when there is none. `\r\n` counts as one boundary.
#[inline]
fn line_break_at(s: &[u8], i: usize) -> usize {
    match s[i] {
        b'\n' | 0x0b | 0x0c | 0x1c | 0x1d | 0x1e => 1,
        b'\r' => {
            if s.get(i + 1) == Some(&b'\n') {
                2
            } else {
                1
            }
        }
        // U+0085 (C2 85), U+2028 (E2 80 A8), U+2029 (E2 80 A9).
        0xc2 if s.get(i + 1) == Some(&0x85) => 2,
        0xe2 if s.get(i + 1) == Some(&0x80) && matches!(s.get(i + 2), Some(0xa8 | 0xa9)) => 3,
        _ => 0,
    }
}

/// `str.splitlines()` (without keepends): the lines, without their boundaries.
pub struct Lines<'a> {
    s: &'a str,
    pos: usize,
}

pub fn splitlines(s: &str) -> Lines<'_> {
    Lines { s, pos: 0 }
}

impl<'a> Iterator for Lines<'a> {
    type Item = &'a str;

    #[inline]
    fn next(&mut self) -> Option<&'a str> {
        let b = self.s.as_bytes();
        if self.pos >= b.len() {
            return None;
        }
        let start = self.pos;
        let mut i = start;
        while i < b.len() {
            // The common boundary first: memchr finds '\n' fast, and only the bytes before
            // it need checking for the rarer boundaries.
            let nl = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |n| i + n);
            let mut j = i;
            while j < nl {
                let c = b[j];
                if !(0x20..0xc2).contains(&c) && c != b'\t' {
                    let n = line_break_at(b, j);
                    if n > 0 {
                        self.pos = j + n;
                        return Some(&self.s[start..j]);
                    }
                }
                j += 1;
            }
            if nl < b.len() {
                self.pos = nl + 1;
                return Some(&self.s[start..nl]);
            }
            i = nl;
        }
        self.pos = b.len();
        Some(&self.s[start..])
    }
}

/// `str.split()` without arguments: the non-empty runs between Python whitespace.
pub struct Words<'a> {
    s: &'a str,
    pos: usize,
}

pub fn split(s: &str) -> Words<'_> {
    Words { s, pos: 0 }
}

impl<'a> Words<'a> {
    /// Length of the whitespace character at byte `i`, 0 if it is not one.
    #[inline]
    fn space_at(&self, i: usize) -> usize {
        let b = self.s.as_bytes()[i];
        if b < 0x80 {
            return usize::from(is_ascii_py_space(b));
        }
        match self.s[i..].chars().next() {
            Some(c) if is_py_space(c) => c.len_utf8(),
            _ => 0,
        }
    }

    /// The first byte at or after `i` that is not whitespace (the length at the end).
    #[inline]
    fn skip_space(&self, mut i: usize) -> usize {
        while i < self.s.len() {
            let n = self.space_at(i);
            if n == 0 {
                break;
            }
            i += n;
        }
        i
    }

    /// The rest of the text after the words handed out so far, leading whitespace removed.
    pub fn rest(&self) -> &'a str {
        &self.s[self.skip_space(self.pos)..]
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    #[inline]
    fn next(&mut self) -> Option<&'a str> {
        let b = self.s.as_bytes();
        let mut i = self.skip_space(self.pos);
        if i >= b.len() {
            self.pos = i;
            return None;
        }
        let start = i;
        while i < b.len() {
            if self.space_at(i) > 0 {
                break;
            }
            // Step over a whole character.
            i += utf8_len(b[i]);
        }
        self.pos = i;
        Some(&self.s[start..i.min(b.len())])
    }
}

#[inline]
fn utf8_len(first: u8) -> usize {
    match first {
        0..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    }
}

/// The last word of `str.split()`, found from the end.
pub fn last_word(s: &str) -> Option<&str> {
    let trimmed = s.trim_end_matches(is_py_space);
    if trimmed.is_empty() {
        return None;
    }
    let start = trimmed
        .char_indices()
        .rev()
        .find(|&(_, c)| is_py_space(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    Some(&trimmed[start..])
}

/// Python's `int(s, base)` for base 10 or 16 on one word (no surrounding whitespace, as
/// `str.split()` leaves it): an optional sign, for base 16 an optional `0x`/`0X`, then
/// digits with single underscores between them (and after the prefix). Only ASCII digits
/// are accepted (Python also takes other Unicode decimal digits; docs/smem.md). Values
/// beyond the i128 range saturate (Python's integers have no limit). `None` where Python
/// raises ValueError.
pub fn py_int(s: &str, base: u32) -> Option<i128> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut neg = false;
    if let Some(&c) = b.first() {
        if c == b'+' || c == b'-' {
            neg = c == b'-';
            i = 1;
        }
    }
    let mut after_prefix = false;
    if base == 16 && b.len() >= i + 2 && b[i] == b'0' && (b[i + 1] | 0x20) == b'x' {
        i += 2;
        after_prefix = true;
    }
    let mut v: i128 = 0;
    let mut digits = 0usize;
    let mut prev_us = false;
    while i < b.len() {
        let c = b[i];
        if c == b'_' {
            // Allowed between digits, and right after a base prefix.
            if prev_us || (digits == 0 && !after_prefix) {
                return None;
            }
            prev_us = true;
            i += 1;
            continue;
        }
        let d = (c as char).to_digit(base)?;
        v = v.saturating_mul(base as i128).saturating_add(d as i128);
        digits += 1;
        prev_us = false;
        i += 1;
    }
    if digits == 0 || prev_us {
        return None;
    }
    Some(if neg { -v } else { v })
}

/// Fast path for the common case of a plain decimal: `Some` when `s` is only ASCII digits
/// and fits an i64.
#[inline]
pub fn fast_decimal(s: &str) -> Option<i128> {
    let b = s.as_bytes();
    if b.is_empty() || b.len() > 18 {
        return None;
    }
    let mut v: i64 = 0;
    for &c in b {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v * 10 + d as i64;
    }
    Some(v as i128)
}

/// `int(s)` for a word, with the fast path first.
#[inline]
pub fn int10(s: &str) -> Option<i128> {
    fast_decimal(s).or_else(|| py_int(s, 10))
}

/// Python's `float(s)` for ASCII text: surrounding whitespace, a sign, digits with single
/// underscores between them, an optional fraction and exponent, or `inf`/`infinity`/`nan`
/// in any case. `None` where Python raises ValueError.
pub fn py_float(s: &str) -> Option<f64> {
    let t = s.trim_matches(is_py_space);
    if !t.is_ascii() || t.is_empty() {
        return None;
    }
    let (neg, body) = match t.as_bytes()[0] {
        b'+' => (false, &t[1..]),
        b'-' => (true, &t[1..]),
        _ => (false, t),
    };
    let lower = body.to_ascii_lowercase();
    let v = if lower == "inf" || lower == "infinity" {
        f64::INFINITY
    } else if lower == "nan" {
        f64::NAN
    } else {
        // Validate the underscore rule, then let Rust parse the digits without them.
        let b = body.as_bytes();
        for (k, &c) in b.iter().enumerate() {
            if c == b'_' {
                let before = k > 0 && b[k - 1].is_ascii_digit();
                let after = b.get(k + 1).is_some_and(|c| c.is_ascii_digit());
                if !before || !after {
                    return None;
                }
            } else if !(c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-')) {
                return None;
            }
        }
        let clean: String = body.chars().filter(|&c| c != '_').collect();
        // Rust accepts the same grammar here except a leading sign (handled above) and
        // words like "inf", which the character check already excluded.
        if clean.starts_with(['+', '-']) {
            return None;
        }
        clean.parse::<f64>().ok()?
    };
    Some(if neg { -v } else { v })
}

/// Number of characters (code points), which is what Python's `len()` and `%`-format
/// widths count.
#[inline]
pub fn char_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// The first `n` characters of `s`.
pub fn take_chars(s: &str, n: usize) -> &str {
    if s.len() <= n {
        return s;
    }
    if s.is_ascii() {
        return &s[..n];
    }
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Appends `%-W.Ps` (left) or `%W.Ps` (right) of `s`: truncated to `prec` characters when
/// given, then padded with spaces to `width` characters.
pub fn push_padded(out: &mut String, s: &str, width: usize, left: bool, prec: Option<usize>) {
    let s = match prec {
        Some(p) => take_chars(s, p),
        None => s,
    };
    let len = char_len(s);
    let pad = width.saturating_sub(len);
    if !left {
        out.extend(std::iter::repeat_n(' ', pad));
    }
    out.push_str(s);
    if left {
        out.extend(std::iter::repeat_n(' ', pad));
    }
}

/// Text as Python's text-mode read presents it: `\r\n` and a lone `\r` become `\n`
/// (universal newlines). Borrowed when there is no `\r`.
pub fn universal_newlines(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('\r') {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(s.replace("\r\n", "\n").replace('\r', "\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitlines_like_python() {
        let v: Vec<&str> = splitlines("a\nb\r\nc\rd\x0be\x0cf\x1cg\u{85}h\u{2028}i\n\nj").collect();
        assert_eq!(v, ["a", "b", "c", "d", "e", "f", "g", "h", "i", "", "j"]);
        assert_eq!(splitlines("x\n").collect::<Vec<_>>(), ["x"]);
        assert_eq!(splitlines("").count(), 0);
        assert_eq!(splitlines("\n").collect::<Vec<_>>(), [""]);
        // \t and U+00A0 are not line boundaries.
        assert_eq!(splitlines("a\tb\u{a0}c").count(), 1);
    }

    #[test]
    fn split_like_python() {
        let v: Vec<&str> = split(" a\tb\x1fc\u{a0}d\u{3000}é  ").collect();
        assert_eq!(v, ["a", "b", "c", "d", "é"]);
        assert_eq!(split("   ").count(), 0);
        let mut w = split("00400000-00500000 r-xp  name with  spaces ");
        w.next();
        w.next();
        assert_eq!(w.rest(), "name with  spaces ");
        assert_eq!(last_word("Pss: 5 kB \u{a0}"), Some("kB"));
        assert_eq!(last_word("  "), None);
        assert_eq!(last_word("x"), Some("x"));
    }

    #[test]
    fn ints_like_python() {
        assert_eq!(py_int("+5", 10), Some(5));
        assert_eq!(py_int("-5", 10), Some(-5));
        assert_eq!(py_int("1_0", 10), Some(10));
        assert_eq!(py_int("1__0", 10), None);
        assert_eq!(py_int("_1", 10), None);
        assert_eq!(py_int("1_", 10), None);
        assert_eq!(py_int("5.5", 10), None);
        assert_eq!(py_int("0x10", 10), None);
        assert_eq!(py_int("0x10", 16), Some(16));
        assert_eq!(py_int("0x_1", 16), Some(1));
        assert_eq!(py_int("-ff", 16), Some(-255));
        assert_eq!(py_int("", 10), None);
        assert_eq!(py_int("-", 10), None);
        assert_eq!(py_int("0x", 16), None);
        assert_eq!(
            py_int("99999999999999999999999", 10),
            Some(99999999999999999999999)
        );
        assert_eq!(int10("007"), Some(7));
    }

    #[test]
    fn floats_like_python() {
        assert_eq!(py_float(" 1.5 "), Some(1.5));
        assert_eq!(py_float("1e3"), Some(1000.0));
        assert_eq!(py_float("1_0"), Some(10.0));
        assert_eq!(py_float("1.G"), None);
        assert_eq!(py_float("1."), Some(1.0));
        assert_eq!(py_float(".5"), Some(0.5));
        assert_eq!(py_float("0x1"), None);
        assert_eq!(py_float(""), None);
        assert_eq!(py_float("+-1"), None);
        assert!(py_float("-inf").is_some_and(|v| v == f64::NEG_INFINITY));
        assert!(py_float("NaN").is_some_and(f64::is_nan));
    }

    #[test]
    fn padding_counts_characters() {
        let mut s = String::new();
        push_padded(&mut s, "café", 6, true, None);
        assert_eq!(s, "café  ");
        s.clear();
        push_padded(&mut s, "abcdef", 4, true, Some(3));
        assert_eq!(s, "abc ");
        s.clear();
        push_padded(&mut s, "12", 5, false, None);
        assert_eq!(s, "   12");
        assert_eq!(take_chars("éàü", 2), "éà");
    }
}
