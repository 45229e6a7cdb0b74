//! meminfo's command line (glibc getopt_long rules, options in [`crate::spec::SPEC`]).

use crate::spec::{OPT_JSON, SPEC};
use memtools_core::getopt::Getopt;
use memtools_core::Failure;

/// What the command line asks for: the report, as JSON or text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Plan {
    pub json: bool,
}

/// `--help`/`--version` are [`Failure::print`]s; a bad command line is the diagnostic, a
/// hint and status 1.
pub fn parse(args: Vec<std::ffi::OsString>) -> Result<Plan, Failure> {
    let mut g = Getopt::from_spec(args, &SPEC);
    let mut json = false;
    let usage_error = |mut m: Vec<u8>| {
        m.extend_from_slice(b"\nTry 'meminfo --help' for more information.\n");
        Failure::new(1, m)
    };
    while let Some(opt) = g.next_opt() {
        match opt {
            Err(_) => return Err(usage_error(g.last_error_bytes().to_vec())),
            Ok(o) if o.id == OPT_JSON => json = true,
            Ok(o) if o.id == i32::from(b'h') => {
                return Err(Failure::print("meminfo", SPEC.usage()))
            }
            Ok(o) if o.id == i32::from(b'V') => {
                return Err(Failure::print(
                    "meminfo",
                    format!("meminfo from memtools {}\n", memtools_core::VERSION),
                ))
            }
            Ok(_) => {}
        }
    }
    if let Some(extra) = g.operands().first() {
        let mut m = b"meminfo: extra operand '".to_vec();
        m.extend_from_slice(extra);
        m.push(b'\'');
        return Err(usage_error(m));
    }
    Ok(Plan { json })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(a: &[&str]) -> Result<Plan, (i32, String, bool)> {
        parse(a.iter().map(std::ffi::OsString::from).collect()).map_err(|f| {
            (
                f.status,
                String::from_utf8_lossy(&f.message).into_owned(),
                f.stdout.is_some(),
            )
        })
    }

    #[test]
    fn options() {
        assert_eq!(p(&["meminfo"]), Ok(Plan { json: false }));
        assert_eq!(p(&["meminfo", "--js"]), Ok(Plan { json: true }));
        assert_eq!(
            p(&["meminfo", "--json", "-h"]),
            Err((0, SPEC.usage(), true))
        );
        assert!(
            matches!(p(&["meminfo", "--version"]), Err((0, v, true)) if v.starts_with("meminfo from memtools "))
        );
        assert_eq!(
            p(&["meminfo", "-x"]),
            Err((
                1,
                "meminfo: invalid option -- 'x'\nTry 'meminfo --help' for more information.\n"
                    .into(),
                false
            ))
        );
        assert_eq!(
            p(&["meminfo", "foo"]),
            Err((
                1,
                "meminfo: extra operand 'foo'\nTry 'meminfo --help' for more information.\n".into(),
                false
            ))
        );
    }
}
