//! Text transformations: the `PID:   command` line (procps-ng 4.0.2's library rules, C.UTF-8
//! locale) and the mapping-name sanitizing of the default, `-x` and `-d` modes (4.0.5's
//! `mblen` rule, which keeps valid UTF-8 and control characters).

/// The command shown after `PID:   `, from the raw `cmdline` bytes, `comm` and the state.
pub fn command_line(cmdline: &[u8], comm: &[u8], state: u8) -> Vec<u8> {
    let mut out = if cmdline.is_empty() {
        let mut v = b"[".to_vec();
        v.extend_from_slice(&escape(comm));
        v.push(b']');
        if state == b'Z' {
            v.extend_from_slice(b" <defunct>");
        }
        v
    } else {
        let n = cmdline.len();
        let mut end = n;
        while end > 0 && cmdline[end - 1] == 0 {
            end -= 1;
        }
        let mut buf: Vec<u8> = cmdline[..end]
            .iter()
            .map(|&b| if b == 0 || b == b'\n' { b' ' } else { b })
            .collect();
        // Only the last byte read counts: data ending in NULs keeps its trailing space.
        if end == n && buf.last() == Some(&b' ') {
            buf.pop();
        }
        escape(&buf)
    };
    if out.is_empty() {
        out.push(b'?');
    }
    out
}

/// procps-ng 4.0.2 `escape_str` in a UTF-8 locale: sequences are walked by their lead byte
/// (continuation bytes are not checked); a single control byte becomes `?`. An invalid lead
/// byte or a truncated sequence switches to the single-byte rule for the rest of the string
/// (controls become `.`, bytes >= 0x80 become `?`).
pub fn escape(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let b = s[i];
        let len = match b {
            0x00..=0x7f => 1,
            0xc2..=0xdf => 2,
            0xe0..=0xef => 3,
            0xf0..=0xf4 => 4,
            _ => 0,
        };
        if len == 0 || i + len > s.len() {
            for &c in &s[i..] {
                out.push(match c {
                    0x01..=0x1f | 0x7f => b'.',
                    0x80..=0xff => b'?',
                    _ => c,
                });
            }
            return out;
        }
        if len == 1 {
            out.push(if b < 0x20 || b == 0x7f { b'?' } else { b });
        } else {
            out.extend_from_slice(&s[i..i + len]);
        }
        i += len;
    }
    out
}

/// 4.0.5's `mblen` walk in C.UTF-8: each byte that does not start a valid UTF-8 character
/// becomes `?`; everything else (controls included) is kept. `line` is edited in place.
pub fn sanitize_name(line: &mut [u8]) {
    let mut i = 0;
    while i < line.len() {
        let b = line[i];
        if b < 0x80 {
            i += 1;
            continue;
        }
        match utf8_len(&line[i..]) {
            Some(n) => i += n,
            None => {
                line[i] = b'?';
                i += 1;
            }
        }
    }
}

/// Length of the strictly valid (RFC 3629) UTF-8 character at the start of `s`.
fn utf8_len(s: &[u8]) -> Option<usize> {
    let n = match s[0] {
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return None,
    };
    let seq = s.get(..n)?;
    std::str::from_utf8(seq).ok().map(|_| n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cmdline_rules() {
        assert_eq!(
            command_line(b"/usr/bin/demo\0--flag\0arg with space\0", b"demo", b'S'),
            b"/usr/bin/demo --flag arg with space"
        );
        assert_eq!(command_line(b"a\0\0b\0", b"", b'S'), b"a  b");
        assert_eq!(command_line(b"prog arg \n", b"", b'S'), b"prog arg ");
        assert_eq!(command_line(b" lead\0", b"", b'S'), b" lead");
        assert_eq!(command_line(b"\0\0", b"x", b'S'), b"?");
        assert_eq!(command_line(b"", b"kworker/0:1", b'S'), b"[kworker/0:1]");
        assert_eq!(
            command_line(b"", b"defunctor", b'Z'),
            b"[defunctor] <defunct>"
        );
    }

    #[test]
    fn escape_4_0_2() {
        assert_eq!(
            command_line(
                b"pr\x01og\ttab\0arg\nnl\0caf\xc3\xa9\0bad\xff\xfeend\0\0",
                b"",
                b'S'
            ),
            "pr?og?tab arg nl café bad??end".as_bytes()
        );
        let s = "a\u{e000}b\u{85}c".as_bytes().to_vec();
        let mut s2 = s.clone();
        s2.extend_from_slice(b"\xc0\x80d\xc3(e\xe2\x82");
        let mut want = s;
        want.extend_from_slice(b"??d?(e??");
        assert_eq!(escape(&s2), want);
        assert_eq!(escape(b"x\xff\x01y"), b"x?.y");
    }

    #[test]
    fn sanitize() {
        let mut l = b"caf\xc3\xa9\t\xff\xc0\x80.so".to_vec();
        sanitize_name(&mut l);
        assert_eq!(l, "café\t???.so".as_bytes());
    }
}
