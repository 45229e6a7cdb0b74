//! meminfo's command line: `--json`, `--help`, `--version` (glibc getopt_long rules).
//! psutil's script takes no arguments (it ignores any); memtools rejects unknown ones.

use memtools_core::getopt::{Getopt, HasArg, LongOpt};

pub const USAGE: &str = "\
Usage: meminfo [--json]

Print system memory and swap usage as psutil 7.2.2's scripts/meminfo.py does.

Options:
     --json     print one JSON object, sizes in bytes (memtools)
 -h, --help     display this help and exit
 -V, --version  output version information and exit
";

const OPT_JSON: i32 = 0x100;

const LONGS: &[LongOpt] = &[
    LongOpt::new("json", HasArg::No, OPT_JSON),
    LongOpt::new("help", HasArg::No, b'h' as i32),
    LongOpt::new("version", HasArg::No, b'V' as i32),
];

/// What the command line asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plan {
    Report { json: bool },
    Help,
    Version,
}

/// A command-line error: the diagnostic line (bytes, without newline). Exit status 1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageError(pub Vec<u8>);

pub fn parse(args: Vec<std::ffi::OsString>) -> Result<Plan, UsageError> {
    let mut g = Getopt::new(args, "hV", LONGS);
    let mut json = false;
    while let Some(opt) = g.next_opt() {
        match opt {
            Err(_) => return Err(UsageError(g.last_error_bytes().to_vec())),
            Ok(o) if o.id == OPT_JSON => json = true,
            Ok(o) if o.id == b'h' as i32 => return Ok(Plan::Help),
            Ok(o) if o.id == b'V' as i32 => return Ok(Plan::Version),
            Ok(_) => {}
        }
    }
    if let Some(extra) = g.operands().first() {
        let mut m = b"meminfo: extra operand '".to_vec();
        m.extend_from_slice(extra);
        m.push(b'\'');
        return Err(UsageError(m));
    }
    Ok(Plan::Report { json })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(a: &[&str]) -> Result<Plan, UsageError> {
        parse(a.iter().map(std::ffi::OsString::from).collect())
    }

    #[test]
    fn options() {
        assert_eq!(p(&["meminfo"]), Ok(Plan::Report { json: false }));
        assert_eq!(p(&["meminfo", "--js"]), Ok(Plan::Report { json: true }));
        assert_eq!(p(&["meminfo", "--json", "-h"]), Ok(Plan::Help));
        assert_eq!(p(&["meminfo", "--version"]), Ok(Plan::Version));
        assert_eq!(
            p(&["meminfo", "-x"]),
            Err(UsageError(b"meminfo: invalid option -- 'x'".to_vec()))
        );
        assert_eq!(
            p(&["meminfo", "foo"]),
            Err(UsageError(b"meminfo: extra operand 'foo'".to_vec()))
        );
    }
}
