//! `-s` and `-c` argument parsing with procps-ng 4.0.2's exact rules and messages.

use memtools_core::cnum::{space_and_sign, strtol};
use memtools_core::out::strerror;

/// `free: <before><arg><after>`, with the argument's bytes as given (procps prints them raw).
fn msg(before: &str, arg: &[u8], after: &str) -> Vec<u8> {
    let mut m = b"free: ".to_vec();
    m.extend_from_slice(before.as_bytes());
    m.extend_from_slice(arg);
    m.extend_from_slice(after.as_bytes());
    m
}

/// `-s N`: decimal seconds with `.` or `,` as separator, no exponent, no hex.
/// Returns the interval in microseconds as a C `float`, as procps stores it; the error is
/// the message line (without newline).
pub fn parse_seconds(arg: &[u8]) -> Result<f32, Vec<u8>> {
    let fail = |einval: bool| {
        if einval {
            let tail = format!("': {}", strerror(libc::EINVAL));
            msg("seconds argument failed: '", arg, &tail)
        } else {
            msg("seconds argument failed: '", arg, "'")
        }
    };
    if arg.is_empty() {
        return Err(fail(false));
    }
    let (mut i, neg) = space_and_sign(arg);
    let int_start = i;
    while i < arg.len() && arg[i].is_ascii_digit() {
        i += 1;
    }
    let int_part = &arg[int_start..i];
    let mut frac_part: &[u8] = &[];
    if i < arg.len() {
        if arg[i] != b'.' && arg[i] != b',' {
            return Err(fail(true));
        }
        i += 1;
        let fs = i;
        while i < arg.len() && arg[i].is_ascii_digit() {
            i += 1;
        }
        frac_part = &arg[fs..i];
        if i < arg.len() {
            return Err(fail(false));
        }
    }
    let mut text = String::from("0");
    text.push_str(&String::from_utf8_lossy(int_part));
    text.push('.');
    text.push_str(&String::from_utf8_lossy(frac_part));
    text.push('0');
    let mut secs: f64 = text.parse().unwrap_or(0.0);
    if neg {
        secs = -secs;
    }
    let us = (secs * 1_000_000.0) as f32;
    if us < 1.0 {
        return Err(msg("seconds argument `", arg, "' is not positive number"));
    }
    Ok(us)
}

/// `-c N`: `strtol` base 10, then narrowed to a C `int`, which must be at least 1.
pub fn parse_count(arg: &[u8]) -> Result<i32, Vec<u8>> {
    let plain = || msg("failed to parse count argument: '", arg, "'");
    let range = || {
        let tail = format!("': {}", strerror(libc::ERANGE));
        msg("failed to parse count argument: '", arg, &tail)
    };
    if arg.is_empty() {
        // procps appends a stale errno here, which depends on the environment; the
        // C-locale form (no suffix) is the reproducible one.
        return Err(plain());
    }
    let p = strtol(arg, 10);
    if p.overflow {
        return Err(range());
    }
    if p.end == 0 || p.end != arg.len() {
        return Err(plain());
    }
    let n = p.value as i32;
    if n < 1 {
        return Err(range());
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The message of a refused argument, as text.
    fn message<T: std::fmt::Debug>(r: Result<T, Vec<u8>>) -> String {
        String::from_utf8(r.unwrap_err()).unwrap()
    }

    #[test]
    fn seconds_like_procps() {
        for (arg, us) in [
            (&b"1,5"[..], 1_500_000.0),
            (b" 1", 1_000_000.0),
            (b"+2", 2_000_000.0),
            (b"0.000001", 1.0),
        ] {
            assert_eq!(parse_seconds(arg), Ok(us));
        }
        for (arg, msg) in [
            (
                &b"abc"[..],
                "free: seconds argument failed: 'abc': Invalid argument",
            ),
            (b"1.5x", "free: seconds argument failed: '1.5x'"),
            (b"-1", "free: seconds argument `-1' is not positive number"),
            (
                b"0.0000009",
                "free: seconds argument `0.0000009' is not positive number",
            ),
        ] {
            assert_eq!(message(parse_seconds(arg)), msg);
        }
    }

    #[test]
    fn arguments_are_quoted_byte_for_byte() {
        assert_eq!(
            parse_count(b"\xff").unwrap_err(),
            b"free: failed to parse count argument: '\xff'"
        );
        assert_eq!(
            parse_seconds(b"1\xff").unwrap_err(),
            b"free: seconds argument failed: '1\xff': Invalid argument"
        );
    }

    #[test]
    fn count_like_procps() {
        for (arg, n) in [(&b" 2"[..], 2), (b"00012", 12), (b"4294967297", 1)] {
            assert_eq!(parse_count(arg), Ok(n));
        }
        assert_eq!(
            message(parse_count(b"4294967296")),
            "free: failed to parse count argument: '4294967296': Numerical result out of range"
        );
        assert_eq!(
            message(parse_count(b"1x")),
            "free: failed to parse count argument: '1x'"
        );
    }
}
