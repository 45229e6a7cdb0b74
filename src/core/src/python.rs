//! The one piece of Python's text output that more than one applet reproduces:
//! `repr(float)` (psutil's percentages in meminfo, smem's float sizes and chart ticks).

/// `repr(x)` (also `str(x)` and `format(x, '>7')`): the shortest digits that read back
/// as `x`; positional from 1e-4 up to (not including) 1e16, else `1e+16`, `1.5e-05`.
///
/// The digits are the correctly rounded ones (ties to even) of the fewest significant
/// digits that read back as `x`, as Python's repr picks them. (Rust's own shortest
/// formatting can pick the other of two equally near candidates: 791813317770087.25 is
/// `…087.2` in Python, `…087.3` in Rust.)
pub fn float_repr(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.into();
    }
    if x == 0.0 {
        return if x.is_sign_negative() { "-0.0" } else { "0.0" }.into();
    }
    let e = (0..17)
        .map(|p| format!("{x:.p$e}"))
        .find(|s| s.parse::<f64>() == Ok(x))
        .unwrap_or_else(|| format!("{x:.16e}"));
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mant) = match mant.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mant),
    };
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    let mut s = String::from(sign);
    if !(-4..16).contains(&exp) {
        s.push_str(&digits[..1]);
        if digits.len() > 1 {
            s.push('.');
            s.push_str(&digits[1..]);
        }
        s.push_str(&format!(
            "e{}{:02}",
            if exp < 0 { '-' } else { '+' },
            exp.abs()
        ));
    } else if exp >= 0 {
        let int_len = exp as usize + 1;
        if digits.len() <= int_len {
            s.push_str(&digits);
            s.push_str(&"0".repeat(int_len - digits.len()));
            s.push_str(".0");
        } else {
            s.push_str(&digits[..int_len]);
            s.push('.');
            s.push_str(&digits[int_len..]);
        }
    } else {
        s.push_str("0.");
        s.push_str(&"0".repeat((-exp - 1) as usize));
        s.push_str(&digits);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reprs_like_python() {
        for (x, s) in [
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (49.0, "49.0"),
            (100.0, "100.0"),
            (6.9, "6.9"),
            (-110.0, "-110.0"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.5e-7, "1.5e-07"),
            (9999999999999998.0, "9999999999999998.0"),
            (-9999999999999898.0, "-9999999999999898.0"),
            (1e16, "1e+16"),
            (-1e25, "-1e+25"),
            (1.2345e100, "1.2345e+100"),
            (f64::MAX, "1.7976931348623157e+308"),
            (f64::INFINITY, "inf"),
            (123456.7, "123456.7"),
            // Two shortest candidates equally near: Python takes the even digit.
            (-(791813317770087.0 + 0.25), "-791813317770087.2"),
            (1667613161077755.0 + 0.25, "1667613161077755.2"),
            (0.1 + 0.2, "0.30000000000000004"),
            (5e-324, "5e-324"),
            // smem's -R and -K sizes.
            (1097152.0, "1097152.0"),
            (27.4921875, "27.4921875"),
            (-2.5e-7, "-2.5e-07"),
            (1e300, "1e+300"),
        ] {
            assert_eq!(float_repr(x), s);
        }
    }
}
