//! Text transformations: the `PID:   command` line (procps-ng's library rules in a C.UTF-8
//! locale: 4.0.2's, or 4.0.6's under `-k`) and the mapping-name sanitizing of the default,
//! `-x` and `-d` modes (4.0.5's `mblen` rule, which keeps valid UTF-8 and control
//! characters).

/// Which procps-ng library escapes the command line (docs/pmap.md, "The command line").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Escaping {
    /// 4.0.2: lead-byte walk ([`escape`]); an empty result prints `?`.
    V402,
    /// 4.0.6, the only version with `-k`: strict UTF-8 ([`escape_strict`]); an empty result
    /// prints `-`.
    V406,
}

/// The command shown after `PID:   `, from the raw `cmdline` bytes, `comm` and the state.
pub fn command_line(cmdline: &[u8], comm: &[u8], state: u8, version: Escaping) -> Vec<u8> {
    let escape = match version {
        Escaping::V402 => escape,
        Escaping::V406 => escape_strict,
    };
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
        out.push(match version {
            Escaping::V402 => b'?',
            Escaping::V406 => b'-',
        });
    }
    out
}

/// procps-ng 4.0.5+ `escape_str` in a UTF-8 locale: strict UTF-8 (RFC 3629: no overlongs,
/// no surrogates). A byte that does not start a valid character, an ASCII control (below
/// 0x20, or 0x7F), and every byte of a C1 control (U+0080–U+009F) or of a Private Use Area
/// character (U+E000–U+F8FF, U+F0000–U+FFFFD, U+100000–U+10FFFD) becomes `?`, one `?` per
/// byte; everything else is kept.
pub fn escape_strict(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    // An invalid chunk is a byte that starts no valid character and the continuation bytes
    // after it, none of which starts one either: one `?` each.
    for chunk in s.utf8_chunks() {
        for c in chunk.valid().chars() {
            let hidden = c.is_ascii_control()
                || matches!(u32::from(c), 0x80..=0x9f | 0xe000..=0xf8ff | 0xf0000..=0xffffd | 0x100000..=0x10fffd);
            if hidden {
                out.extend(std::iter::repeat_n(b'?', c.len_utf8()));
            } else {
                out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
            }
        }
        out.extend(std::iter::repeat_n(b'?', chunk.invalid().len()));
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
        let cl = |c: &[u8], comm: &[u8], st| command_line(c, comm, st, Escaping::V402);
        assert_eq!(
            cl(b"/usr/bin/demo\0--flag\0arg with space\0", b"demo", b'S'),
            b"/usr/bin/demo --flag arg with space"
        );
        assert_eq!(cl(b"a\0\0b\0", b"", b'S'), b"a  b");
        assert_eq!(cl(b"prog arg \n", b"", b'S'), b"prog arg ");
        assert_eq!(cl(b" lead\0", b"", b'S'), b" lead");
        assert_eq!(cl(b"\0\0", b"x", b'S'), b"?");
        assert_eq!(cl(b"\n", b"x", b'S'), b"?");
        assert_eq!(cl(b"", b"kworker/0:1", b'S'), b"[kworker/0:1]");
        assert_eq!(cl(b"", b"defunctor", b'Z'), b"[defunctor] <defunct>");
    }

    /// The three header lines the issue lists, as procps-ng 4.0.6 prints them (verified on
    /// the 4.0.6 build; docs/pmap.md's escaping table), and the ctrlchars fixture.
    #[test]
    fn cmdline_rules_4_0_6() {
        let cl = |c: &[u8]| command_line(c, b"x", b'S', Escaping::V406);
        assert_eq!(cl(b"\n"), b"-");
        assert_eq!(cl(b"\0\0"), b"-");
        let mut utf = "a\u{e000}b\u{85}c".as_bytes().to_vec();
        utf.extend_from_slice(b"\xc0\x80d\xc3(e\xe2\x82");
        assert_eq!(cl(&utf), b"a???b??c??d?(e??");
        assert_eq!(
            cl(b"pr\x01og\ttab\0arg\nnl\0caf\xc3\xa9\0bad\xff\xfeend\0\0"),
            "pr?og?tab arg nl café bad??end".as_bytes()
        );
        // Surrogates and overlongs are invalid byte by byte; the other PUA planes.
        assert_eq!(escape_strict(b"\xed\xa0\x80\xe0\x80\xaf"), b"??????");
        assert_eq!(
            escape_strict("\u{f0000}\u{10fffd}\u{fffd}".as_bytes()),
            "????????\u{fffd}".as_bytes()
        );
        // Kernel threads: `[comm]`, escaped the same way.
        assert_eq!(
            command_line(b"", b"k\xee\x80\x80", b'S', Escaping::V406),
            b"[k???]"
        );
    }

    #[test]
    fn escape_4_0_2() {
        assert_eq!(
            command_line(
                b"pr\x01og\ttab\0arg\nnl\0caf\xc3\xa9\0bad\xff\xfeend\0\0",
                b"",
                b'S',
                Escaping::V402
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
