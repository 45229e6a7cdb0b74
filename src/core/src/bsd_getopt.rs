//! A clean-room emulation of the BSD `getopt(3)` that macOS's Libc ships (the FreeBSD
//! one), written from its documented and observed behaviour, for the macOS tools
//! (`vm_stat`) whose option parsing is part of what scripts rely on.
//!
//! How it differs from [`crate::getopt`] (glibc):
//! * no permutation: parsing stops at the first operand, so `vm_stat 1 -c 3` has three
//!   operands;
//! * an argument beginning with `--` ends the options and is consumed (`--` itself, and
//!   also `--anything`); a lone `-` ends them and stays an operand;
//! * diagnostics name the program by its basename (`_getprogname()`), and print the
//!   offending byte as it is: `NAME: illegal option -- x`,
//!   `NAME: option requires an argument -- c`;
//! * no long options, no optional (`::`) arguments; an option string starting with `:`
//!   silences the diagnostics (the error is still returned, with an empty message).
//!
//! Options are handed out one at a time, so the caller can act on each as it arrives, as
//! the C loop does (vm_stat rejects `-c 0` before it looks at the next option).

use crate::getopt::os_bytes;
use crate::out::short_name;

/// A parsed option: its character and, when it takes one, its argument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BsdOpt {
    pub ch: u8,
    pub arg: Option<Vec<u8>>,
}

/// A parse error: which option, and the diagnostic getopt prints (no trailing newline;
/// empty when the option string starts with `:`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BsdError {
    /// The offending option character (`optopt`).
    pub ch: u8,
    /// True when a known option lacked its argument (getopt returns `:` rather than `?`
    /// when the option string starts with `:`).
    pub missing_arg: bool,
    pub message: Vec<u8>,
}

/// The parser. Create it with the full argument vector (argv[0] included).
pub struct BsdGetopt {
    args: Vec<Vec<u8>>,
    prog: String,
    optstring: Vec<u8>,
    quiet: bool,
    /// `optind`: the argument being looked at.
    optind: usize,
    /// Position inside the current option cluster; 0 = start a new argument.
    place: usize,
    done: bool,
}

impl BsdGetopt {
    /// `args` is the whole argv, argv[0] included; `optstring` as for getopt(3) (`"c:"`).
    pub fn new<I, S>(args: I, optstring: &str) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let args: Vec<Vec<u8>> = args.into_iter().map(|a| os_bytes(a.as_ref())).collect();
        let prog = args.first().map(|a| short_name(a)).unwrap_or_default();
        let optstring = optstring.as_bytes().to_vec();
        let quiet = optstring.first() == Some(&b':');
        BsdGetopt {
            args,
            prog,
            optstring,
            quiet,
            optind: 1,
            place: 0,
            done: false,
        }
    }

    /// The name diagnostics use: the basename of argv[0].
    pub fn prog(&self) -> &str {
        &self.prog
    }

    /// `optind`: the index of the first argument not yet processed.
    pub fn optind(&self) -> usize {
        self.optind
    }

    /// The operands: everything from `optind` on. Meaningful once [`BsdGetopt::next_opt`]
    /// has returned `None`.
    pub fn operands(&self) -> &[Vec<u8>] {
        self.args.get(self.optind..).unwrap_or(&[])
    }

    /// Whether `c` is an option, and whether it takes an argument. `:` is never an option.
    fn lookup(&self, c: u8) -> Option<bool> {
        if c == b':' {
            return None;
        }
        let pos = self.optstring.iter().position(|&b| b == c)?;
        Some(self.optstring.get(pos + 1) == Some(&b':'))
    }

    fn error(&self, ch: u8, missing_arg: bool, text: &str) -> BsdError {
        let message = if self.quiet {
            Vec::new()
        } else {
            let mut m = format!("{}: {text} -- ", self.prog).into_bytes();
            m.push(ch);
            m
        };
        BsdError {
            ch,
            missing_arg,
            message,
        }
    }

    /// The next option, `None` at the end of the options, or the error getopt reports.
    pub fn next_opt(&mut self) -> Option<Result<BsdOpt, BsdError>> {
        if self.done {
            return None;
        }
        if self.place == 0 {
            let arg = match self.args.get(self.optind) {
                Some(a) if a.first() == Some(&b'-') => a,
                _ => {
                    self.done = true;
                    return None;
                }
            };
            if arg.len() > 1 && arg[1] == b'-' {
                // "--" (or anything starting with it): end of options, consumed.
                self.optind += 1;
                self.done = true;
                return None;
            }
            if arg.len() == 1 {
                // A lone "-" is an operand (unless '-' is in the option string, which no
                // memtools caller does; it is treated as an operand then too).
                self.done = true;
                return None;
            }
            self.place = 1;
        }
        let arg = &self.args[self.optind];
        let ch = arg[self.place];
        self.place += 1;
        let at_end = self.place >= arg.len();
        match self.lookup(ch) {
            None => {
                if ch == b'-' {
                    // A '-' inside a cluster ends the options where they stand.
                    self.done = true;
                    return None;
                }
                if at_end {
                    self.optind += 1;
                    self.place = 0;
                }
                Some(Err(self.error(ch, false, "illegal option")))
            }
            Some(false) => {
                if at_end {
                    self.optind += 1;
                    self.place = 0;
                }
                Some(Ok(BsdOpt { ch, arg: None }))
            }
            Some(true) => {
                let value = if !at_end {
                    Some(arg[self.place..].to_vec())
                } else {
                    self.args.get(self.optind + 1).cloned()
                };
                self.place = 0;
                match value {
                    Some(v) => {
                        self.optind += if at_end { 2 } else { 1 };
                        Some(Ok(BsdOpt { ch, arg: Some(v) }))
                    }
                    None => {
                        self.optind += 1;
                        Some(Err(self.error(ch, true, "option requires an argument")))
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Seen = Vec<Result<(char, Option<String>), String>>;

    /// Runs the parser to the end; returns the options (Err = message text) and operands.
    fn run(args: &[&str], optstring: &str) -> (Seen, Vec<String>) {
        let mut g = BsdGetopt::new(args, optstring);
        let mut opts = Vec::new();
        while let Some(o) = g.next_opt() {
            opts.push(match o {
                Ok(o) => Ok((
                    o.ch as char,
                    o.arg.map(|a| String::from_utf8_lossy(&a).into_owned()),
                )),
                Err(e) => Err(String::from_utf8_lossy(&e.message).into_owned()),
            });
        }
        (opts, crate::getopt::tests::lossy(g.operands()))
    }

    fn s(x: &str) -> Option<String> {
        Some(x.to_string())
    }

    #[test]
    fn attached_and_separate_arguments() {
        let (o, ops) = run(&["vm_stat", "-c", "3", "1"], "c:");
        assert_eq!(o, vec![Ok(('c', s("3")))]);
        assert_eq!(ops, vec!["1"]);
        let (o, ops) = run(&["vm_stat", "-c3", "1"], "c:");
        assert_eq!(o, vec![Ok(('c', s("3")))]);
        assert_eq!(ops, vec!["1"]);
        // The argument is taken whatever it looks like.
        let (o, ops) = run(&["vm_stat", "-c", "--", "1"], "c:");
        assert_eq!(o, vec![Ok(('c', s("--")))]);
        assert_eq!(ops, vec!["1"]);
    }

    #[test]
    fn no_permutation() {
        let (o, ops) = run(&["vm_stat", "1", "-c", "3"], "c:");
        assert!(o.is_empty());
        assert_eq!(ops, vec!["1", "-c", "3"]);
    }

    #[test]
    fn double_dash_and_lone_dash() {
        let (o, ops) = run(&["vm_stat", "--", "-1"], "c:");
        assert!(o.is_empty());
        assert_eq!(ops, vec!["-1"]);
        let (o, ops) = run(&["vm_stat", "--help", "x"], "c:");
        assert!(o.is_empty());
        assert_eq!(ops, vec!["x"]);
        let (o, ops) = run(&["vm_stat", "-", "-c"], "c:");
        assert!(o.is_empty());
        assert_eq!(ops, vec!["-", "-c"]);
    }

    #[test]
    fn diagnostics_use_the_basename() {
        let (o, _) = run(&["/usr/bin/vm_stat", "-x"], "c:");
        assert_eq!(o, vec![Err("vm_stat: illegal option -- x".to_string())]);
        let (o, _) = run(&["./vm_stat", "-c"], "c:");
        assert_eq!(
            o,
            vec![Err("vm_stat: option requires an argument -- c".to_string())]
        );
        let (o, _) = run(&["vm_stat", "-1"], "c:");
        assert_eq!(o, vec![Err("vm_stat: illegal option -- 1".to_string())]);
        let (o, _) = run(&["vm_stat", "-:"], "c:");
        assert_eq!(o, vec![Err("vm_stat: illegal option -- :".to_string())]);
    }

    #[test]
    fn clusters_continue_after_an_error() {
        let (o, ops) = run(&["p", "-xac", "5", "z"], "ac:");
        assert_eq!(
            o,
            vec![
                Err("p: illegal option -- x".to_string()),
                Ok(('a', None)),
                Ok(('c', s("5")))
            ]
        );
        assert_eq!(ops, vec!["z"]);
        // A '-' inside a cluster ends the options.
        let (o, _) = run(&["p", "-a-"], "ac:");
        assert_eq!(o, vec![Ok(('a', None))]);
    }

    #[test]
    fn raw_bytes_and_quiet_mode() {
        let mut g = BsdGetopt::new(["vm_stat", "-\u{e9}"], "c:");
        let e = g.next_opt().unwrap().unwrap_err();
        assert_eq!(e.message, b"vm_stat: illegal option -- \xc3".to_vec());
        let mut g = BsdGetopt::new(["vm_stat", "-c"], ":c:");
        let e = g.next_opt().unwrap().unwrap_err();
        assert!(e.missing_arg && e.message.is_empty() && e.ch == b'c');
    }
}
