//! A clean-room emulation of glibc 2.36 `getopt_long`, written from its documented and
//! observed behaviour (not from its source).
//!
//! What it reproduces:
//! * GNU argument permutation: options after operands are still options, unless the
//!   environment has `POSIXLY_CORRECT` or the option string starts with `+`;
//! * `--` ends the options; a lone `-` is an operand;
//! * clustered short options (`-bk`), attached or separate required arguments (`-s1`, `-s 1`);
//! * long options with `=value` or a separate value, exact names preferred over prefixes,
//!   unique prefixes accepted, and ambiguous prefixes listed in table order;
//! * glibc's diagnostics, prefixed by `argv[0]` exactly as invoked.
//!
//! Options are handed out one at a time, in command-line order, so an applet can act on each
//! as it arrives (procps prints `--help` or reports a unit conflict the moment it sees it).

/// Whether a long option takes an argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HasArg {
    No,
    Required,
    Optional,
}

/// One entry of the long-option table. `id` is what [`Getopt::next_opt`] returns for it:
/// by convention the matching short option's character, or a value above 255
/// ([`Getopt::from_spec`] numbers them; applets see names, [`Getopt::name`]).
#[derive(Clone, Copy, Debug)]
pub struct LongOpt {
    pub name: &'static str,
    pub has_arg: HasArg,
    pub id: i32,
}

impl LongOpt {
    pub const fn new(name: &'static str, has_arg: HasArg, id: i32) -> Self {
        LongOpt { name, has_arg, id }
    }
}

/// A parsed option.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opt {
    /// The short option character (as `i32`) or the long option's `id`.
    pub id: i32,
    /// Its argument, as raw bytes.
    pub arg: Option<Vec<u8>>,
}

/// The parser. Create it with the full argument vector (argv[0] included).
pub struct Getopt<'a> {
    args: Vec<Vec<u8>>,
    prog: String,
    /// argv[0]'s exact bytes, for diagnostics.
    prog_bytes: Vec<u8>,
    /// The last diagnostic, byte for byte (see [`Getopt::last_error_bytes`]).
    last_error: Vec<u8>,
    shorts: Vec<(u8, HasArg)>,
    longs: std::borrow::Cow<'a, [LongOpt]>,
    /// The spec the tables come from ([`Getopt::from_spec`]).
    spec: Option<&'static crate::opts::Spec>,
    posix: bool,
    /// Index of the next argument to look at.
    idx: usize,
    /// Position inside a short-option cluster (0 = not in one).
    cluster: usize,
    operands: Vec<Vec<u8>>,
    done: bool,
}

fn parse_optstring(s: &str) -> (Vec<(u8, HasArg)>, bool) {
    let mut b = s.as_bytes();
    let mut posix = false;
    if let Some(rest) = b.strip_prefix(b"+") {
        posix = true;
        b = rest;
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let mut ha = HasArg::No;
        if b.get(i + 1) == Some(&b':') {
            ha = HasArg::Required;
            i += 1;
            if b.get(i + 1) == Some(&b':') {
                ha = HasArg::Optional;
                i += 1;
            }
        }
        out.push((c, ha));
        i += 1;
    }
    (out, posix)
}

impl<'a> Getopt<'a> {
    /// `args` is the whole argv, argv[0] included; `optstring` is getopt's short-option
    /// string (`"bkmghltvc:ws:V"`).
    pub fn new<I, S>(args: I, optstring: &str, longs: &'a [LongOpt]) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let args: Vec<Vec<u8>> = args.into_iter().map(|a| os_bytes(a.as_ref())).collect();
        let prog = args
            .first()
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .unwrap_or_default();
        let (shorts, plus) = parse_optstring(optstring);
        let posix = plus || std::env::var_os("POSIXLY_CORRECT").is_some();
        let prog_bytes = args.first().cloned().unwrap_or_default();
        Getopt {
            args,
            prog,
            prog_bytes,
            last_error: Vec::new(),
            shorts,
            longs: std::borrow::Cow::Borrowed(longs),
            spec: None,
            posix,
            idx: 1,
            cluster: 0,
            operands: Vec::new(),
            done: false,
        }
    }

    /// A parser for an applet's option table ([`crate::opts::Spec`]): its short-option
    /// string and its long options in the original's table order.
    pub fn from_spec<I, S>(args: I, spec: &'static crate::opts::Spec) -> Getopt<'static>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let optstring = spec.optstring();
        let mut g = Getopt::new(args, &optstring, &[]);
        g.longs = std::borrow::Cow::Owned(spec.long_opts());
        g.spec = Some(spec);
        g
    }

    /// The spec's name for an option [`Getopt::next_opt`] returned ([`crate::opts::Opt::name`]:
    /// `"bytes"` for `-b` and `--bytes`, `"X"` for `-X`); empty without a spec.
    pub fn name(&self, opt: &Opt) -> &'static str {
        self.spec
            .and_then(|s| s.by_id(opt.id))
            .map_or("", crate::opts::Opt::name)
    }

    /// The program name used in diagnostics (argv[0] as invoked).
    pub fn prog(&self) -> &str {
        &self.prog
    }

    /// The last diagnostic [`Getopt::next_opt`] returned, with the exact bytes glibc prints
    /// (argv[0], option characters and names are not always UTF-8; the `String` in the
    /// `Err` is a lossy copy of this).
    pub fn last_error_bytes(&self) -> &[u8] {
        &self.last_error
    }

    /// `argv[0]` + `parts`, remembered as the last error and returned as `Err`.
    fn fail(&mut self, parts: &[&[u8]]) -> Result<Opt, String> {
        let mut msg = self.prog_bytes.clone();
        for p in parts {
            msg.extend_from_slice(p);
        }
        let lossy = String::from_utf8_lossy(&msg).into_owned();
        self.last_error = msg;
        Err(lossy)
    }

    /// The next option, `None` when options are exhausted, or `Err(message)` with glibc's
    /// diagnostic (without the trailing newline). After an error the caller normally prints
    /// its usage and exits.
    pub fn next_opt(&mut self) -> Option<Result<Opt, String>> {
        if self.done {
            return None;
        }
        if self.cluster > 0 {
            return Some(self.short_at());
        }
        loop {
            let Some(arg) = self.args.get(self.idx) else {
                self.done = true;
                return None;
            };
            if arg.as_slice() == b"--" {
                self.idx += 1;
                self.operands.extend(self.args[self.idx..].iter().cloned());
                self.idx = self.args.len();
                self.done = true;
                return None;
            }
            if arg.len() < 2 || arg[0] != b'-' {
                // An operand.
                if self.posix {
                    self.operands.extend(self.args[self.idx..].iter().cloned());
                    self.idx = self.args.len();
                    self.done = true;
                    return None;
                }
                self.operands.push(arg.clone());
                self.idx += 1;
                continue;
            }
            if arg[1] == b'-' {
                return Some(self.long_opt());
            }
            self.cluster = 1;
            return Some(self.short_at());
        }
    }

    fn short_at(&mut self) -> Result<Opt, String> {
        let arg = &self.args[self.idx];
        let c = arg[self.cluster];
        let last = self.cluster + 1 >= arg.len();
        let spec = self.shorts.iter().find(|(s, _)| *s == c && c != b':');
        let Some(&(_, ha)) = spec else {
            self.advance_cluster(last);
            // glibc prints the raw byte, even half of a UTF-8 character.
            return self.fail(&[b": invalid option -- '", &[c], b"'"]);
        };
        match ha {
            HasArg::No => {
                self.advance_cluster(last);
                Ok(Opt {
                    id: c as i32,
                    arg: None,
                })
            }
            HasArg::Optional => {
                let val = if last {
                    None
                } else {
                    Some(arg[self.cluster + 1..].to_vec())
                };
                self.cluster = 0;
                self.idx += 1;
                Ok(Opt {
                    id: c as i32,
                    arg: val,
                })
            }
            HasArg::Required => {
                if !last {
                    let val = arg[self.cluster + 1..].to_vec();
                    self.cluster = 0;
                    self.idx += 1;
                    return Ok(Opt {
                        id: c as i32,
                        arg: Some(val),
                    });
                }
                self.cluster = 0;
                self.idx += 1;
                match self.args.get(self.idx) {
                    Some(v) => {
                        let v = v.clone();
                        self.idx += 1;
                        Ok(Opt {
                            id: c as i32,
                            arg: Some(v),
                        })
                    }
                    None => self.fail(&[b": option requires an argument -- '", &[c], b"'"]),
                }
            }
        }
    }

    fn advance_cluster(&mut self, last: bool) {
        if last {
            self.cluster = 0;
            self.idx += 1;
        } else {
            self.cluster += 1;
        }
    }

    fn long_opt(&mut self) -> Result<Opt, String> {
        let arg = self.args[self.idx].clone();
        self.idx += 1;
        let body = &arg[2..];
        let (name, value) = match body.iter().position(|&b| b == b'=') {
            Some(p) => (&body[..p], Some(body[p + 1..].to_vec())),
            None => (body, None),
        };
        let found = match self.longs.iter().position(|o| o.name.as_bytes() == name) {
            Some(i) => i,
            None => {
                let cands: Vec<usize> = (0..self.longs.len())
                    .filter(|&i| self.longs[i].name.as_bytes().starts_with(name))
                    .collect();
                match cands.as_slice() {
                    [] => {
                        return self.fail(&[b": unrecognized option '--", body, b"'"]);
                    }
                    [one] => *one,
                    [first, rest @ ..] => {
                        let f = &self.longs[*first];
                        // Candidates that behave identically are not ambiguous.
                        if rest.iter().all(|&i| {
                            self.longs[i].has_arg == f.has_arg && self.longs[i].id == f.id
                        }) {
                            *first
                        } else {
                            let mut list = Vec::new();
                            for &i in &cands {
                                list.extend_from_slice(b" '--");
                                list.extend_from_slice(self.longs[i].name.as_bytes());
                                list.push(b'\'');
                            }
                            return self.fail(&[
                                b": option '--",
                                body,
                                b"' is ambiguous; possibilities:",
                                &list,
                            ]);
                        }
                    }
                }
            }
        };
        let o = self.longs[found];
        match (o.has_arg, value) {
            (HasArg::No, Some(_)) => self.fail(&[
                b": option '--",
                o.name.as_bytes(),
                b"' doesn't allow an argument",
            ]),
            (HasArg::No, None) => Ok(Opt {
                id: o.id,
                arg: None,
            }),
            (HasArg::Optional, v) => Ok(Opt { id: o.id, arg: v }),
            (HasArg::Required, Some(v)) => Ok(Opt {
                id: o.id,
                arg: Some(v),
            }),
            (HasArg::Required, None) => match self.args.get(self.idx) {
                Some(v) => {
                    let v = v.clone();
                    self.idx += 1;
                    Ok(Opt {
                        id: o.id,
                        arg: Some(v),
                    })
                }
                None => self.fail(&[
                    b": option '--",
                    o.name.as_bytes(),
                    b"' requires an argument",
                ]),
            },
        }
    }

    /// The operands, in order. Call after [`Getopt::next_opt`] has returned `None`; operands
    /// after an early stop (an error) are those seen so far.
    pub fn operands(&self) -> &[Vec<u8>] {
        &self.operands
    }
}

/// The bytes of an OS string (Unix: exact; elsewhere: lossy UTF-8).
pub fn os_bytes(s: &std::ffi::OsStr) -> Vec<u8> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        s.as_bytes().to_vec()
    }
    #[cfg(not(unix))]
    {
        s.to_string_lossy().into_owned().into_bytes()
    }
}

/// An OS string from bytes, the reverse of [`os_bytes`] (Unix: exact; elsewhere: lossy
/// UTF-8).
pub fn os_string(bytes: Vec<u8>) -> std::ffi::OsString {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        std::ffi::OsString::from_vec(bytes)
    }
    #[cfg(not(unix))]
    {
        std::ffi::OsString::from(String::from_utf8_lossy(&bytes).into_owned())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    const LONGS: &[LongOpt] = &[
        LongOpt::new("bytes", HasArg::No, b'b' as i32),
        LongOpt::new("si", HasArg::No, 300),
        LongOpt::new("seconds", HasArg::Required, b's' as i32),
        LongOpt::new("tera", HasArg::No, 301),
        LongOpt::new("total", HasArg::No, b't' as i32),
        LongOpt::new("help", HasArg::No, 302),
    ];

    fn run(args: &[&str]) -> (Vec<Result<Opt, String>>, Vec<String>) {
        let mut g = Getopt::new(args.iter().copied(), "bts:V", LONGS);
        let mut v = Vec::new();
        while let Some(o) = g.next_opt() {
            let stop = o.is_err();
            v.push(o);
            if stop {
                break;
            }
        }
        (v, lossy(g.operands()))
    }

    /// Byte strings as text (the tests' arguments are ASCII).
    pub(crate) fn lossy(v: &[Vec<u8>]) -> Vec<String> {
        v.iter()
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .collect()
    }

    fn ok(id: i32, arg: Option<&str>) -> Result<Opt, String> {
        Ok(Opt {
            id,
            arg: arg.map(|a| a.as_bytes().to_vec()),
        })
    }

    #[test]
    fn clusters_and_attached_values() {
        let (v, _) = run(&["free", "-bts1", "-s", "2"]);
        assert_eq!(
            v,
            vec![
                ok(b'b' as i32, None),
                ok(b't' as i32, None),
                ok(b's' as i32, Some("1")),
                ok(b's' as i32, Some("2"))
            ]
        );
    }

    #[cfg(unix)]
    #[test]
    fn diagnostics_keep_raw_bytes() {
        // A parser over arguments that are not UTF-8.
        let raw = |args: &[&[u8]]| {
            let args: Vec<std::ffi::OsString> =
                args.iter().map(|a| os_string(a.to_vec())).collect();
            Getopt::new(args, "bts:V", LONGS)
        };
        let mut g = raw(&[b"/x\xff/free", b"-\xc3\xa9"]);
        assert!(matches!(g.next_opt(), Some(Err(_))));
        assert_eq!(
            g.last_error_bytes(),
            b"/x\xff/free: invalid option -- '\xc3'"
        );
        let mut g = raw(&[b"free", b"--t\xff"]);
        assert!(matches!(g.next_opt(), Some(Err(_))));
        assert_eq!(g.last_error_bytes(), b"free: unrecognized option '--t\xff'");
    }

    #[test]
    fn permutation_and_double_dash() {
        let (v, ops) = run(&["free", "x", "-b", "--", "-t"]);
        assert_eq!(v, vec![ok(b'b' as i32, None)]);
        assert_eq!(ops, vec!["x", "-t"]);
        let (_, ops) = run(&["free", "-"]);
        assert_eq!(ops, vec!["-"]);
    }

    #[test]
    fn glibc_messages() {
        for (args, message) in [
            (&["free", "-x"][..], "free: invalid option -- 'x'"),
            (
                &["/usr/bin/free", "-s"],
                "/usr/bin/free: option requires an argument -- 's'",
            ),
            (
                &["free", "--foo=bar"],
                "free: unrecognized option '--foo=bar'",
            ),
            (
                &["free", "--s=1"],
                "free: option '--s=1' is ambiguous; possibilities: '--si' '--seconds'",
            ),
            (
                &["free", "--by=3"],
                "free: option '--bytes' doesn't allow an argument",
            ),
            (
                &["free", "--sec"],
                "free: option '--seconds' requires an argument",
            ),
        ] {
            assert_eq!(run(args).0, vec![Err(message.to_string())], "{args:?}");
        }
    }

    #[test]
    fn prefixes_and_exact_names() {
        assert_eq!(
            run(&["free", "--sec", "3"]).0,
            vec![ok(b's' as i32, Some("3"))]
        );
        assert_eq!(
            run(&["free", "--sec=4"]).0,
            vec![ok(b's' as i32, Some("4"))]
        );
        assert_eq!(run(&["free", "--si"]).0, vec![ok(300, None)]);
        assert_eq!(run(&["free", "--he"]).0, vec![ok(302, None)]);
    }
}
