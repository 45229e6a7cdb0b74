//! meminfo's command line (glibc getopt_long rules, options in [`crate::spec::SPEC`]).

use crate::spec::SPEC;
use memtools_core::getopt::Getopt;
use memtools_core::Failure;
use memtools_platform::cgroup::Select;

/// What the command line asks for: the report, as JSON or text; the host's or a cgroup's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub json: bool,
    /// `--cgroup[=DIR]`.
    pub cgroup: Option<Select>,
}

/// `--help`/`--version` are [`Failure::print`]s; a bad command line is the diagnostic, a
/// hint and status 1.
pub fn parse(args: Vec<std::ffi::OsString>) -> Result<Plan, Failure> {
    let mut g = Getopt::from_spec(args, &SPEC);
    let mut json = false;
    let mut cgroup = None;
    let usage_error = |mut m: Vec<u8>| {
        m.extend_from_slice(b"\nTry 'meminfo --help' for more information.\n");
        Failure::new(1, m)
    };
    while let Some(opt) = g.next_opt() {
        match opt {
            Err(_) => return Err(usage_error(g.last_error_bytes().to_vec())),
            Ok(o) => match g.name(&o) {
                "json" => json = true,
                "cgroup" => cgroup = Some(Select::from_option("meminfo", o.arg)?),
                "help" => return Err(Failure::print("meminfo", SPEC.usage())),
                "version" => return Err(Failure::version("meminfo")),
                _ => {}
            },
        }
    }
    if let Some(extra) = g.operands().first() {
        let mut m = b"meminfo: extra operand '".to_vec();
        m.extend_from_slice(extra);
        m.push(b'\'');
        return Err(usage_error(m));
    }
    Ok(Plan { json, cgroup })
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
        let plan = |json, cgroup| Ok(Plan { json, cgroup });
        assert_eq!(p(&["meminfo"]), plan(false, None));
        assert_eq!(p(&["meminfo", "--js"]), plan(true, None));
        assert_eq!(p(&["meminfo", "--cg"]), plan(false, Some(Select::Own)));
        assert_eq!(
            p(&["meminfo", "--cgroup=/x", "--json"]),
            plan(true, Some(Select::Dir("/x".into())))
        );
        assert_eq!(
            p(&["meminfo", "--cgroup="]),
            Err((
                1,
                "meminfo: --cgroup=: the cgroup directory name is empty\n".into(),
                false
            ))
        );
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
