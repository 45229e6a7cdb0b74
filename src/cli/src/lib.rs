//! Man pages and shell completions, generated from the applets' own option tables
//! (memtools_core::opts::Spec, collected in memtools-applets): nothing about an option is
//! written here, so the docs cannot drift from what the applets accept.
//!
//! * man pages: NAME, SYNOPSIS and OPTIONS from the spec, the hand-written sections from
//!   the spec's `man` texts (a small markup, see [`pages::to_roff`]), SEE ALSO from the
//!   registry;
//! * completions: a clap `Command` built from the spec, given to clap_complete (clap is
//!   used for nothing else: the applets parse with memtools-core's getopt emulations).

use clap::{Arg, ArgAction, Command};
use memtools_applets::{APPLETS, MEMTOOLS};
use memtools_core::getopt::HasArg;
use memtools_core::opts::{Hint, Opt, Show, Spec};

pub mod pages;

/// The specs of every applet and of `memtools` itself.
pub fn specs() -> impl Iterator<Item = &'static Spec> {
    APPLETS.iter().map(|a| a.spec).chain([&MEMTOOLS])
}

/// The spec called `name` (an applet or `memtools`).
pub fn spec(name: &str) -> Option<&'static Spec> {
    specs().find(|s| s.name == name)
}

/// Every page and completion file name: the applets, then `memtools`.
pub fn all_names() -> impl Iterator<Item = &'static str> {
    specs().map(|s| s.name)
}

fn hint(a: Arg, h: Hint) -> Arg {
    match h {
        Hint::None => a,
        Hint::File => a.value_hint(clap::ValueHint::FilePath),
        Hint::Dir => a.value_hint(clap::ValueHint::DirPath),
        Hint::Pid => a.value_hint(clap::ValueHint::Other),
        Hint::Values(v) => a.value_parser(v.to_vec()),
    }
}

fn opt_arg(o: &Opt) -> Arg {
    let id = o
        .long
        .map(str::to_string)
        .or(o.short.map(|c| (c as char).to_string()))
        .unwrap_or_default();
    let mut a = Arg::new(id).help(o.man_text());
    if let Some(c) = o.short {
        a = a.short(c as char);
    }
    if let Some(l) = o.long {
        a = a.long(l);
    }
    if o.show == Show::NotInUsage && o.help.contains("no effect") {
        a = a.hide(true);
    }
    a = match o.arg {
        HasArg::No => a.action(ArgAction::Count),
        HasArg::Required => a.action(ArgAction::Set).value_name(o.value),
        HasArg::Optional => a
            .action(ArgAction::Set)
            .value_name(o.value)
            .num_args(0..=1)
            .require_equals(true),
    };
    hint(a, o.hint)
}

/// The clap definition of an applet (or of `memtools`, with the applets as subcommands),
/// built from its spec, for the completion generators. None for an unknown name.
pub fn command(name: &str) -> Option<Command> {
    let spec = spec(name)?;
    let mut c = Command::new(spec.name)
        .about(spec.about)
        .version(env!("CARGO_PKG_VERSION"))
        .disable_help_flag(true)
        .disable_version_flag(true)
        .disable_help_subcommand(true);
    for o in spec.options() {
        c = c.arg(opt_arg(o));
    }
    for op in spec.operands {
        let mut a = Arg::new(op.name)
            .value_name(op.name)
            .help(op.help)
            .required(op.required);
        if op.repeated {
            a = a.num_args(1..).action(ArgAction::Append);
        }
        c = c.arg(hint(a, op.hint));
    }
    if spec.name == MEMTOOLS.name {
        c = c.subcommands(APPLETS.iter().filter_map(|a| command(a.name())));
    }
    Some(c)
}

/// The shells completions are made for, each with its directory below an install prefix.
pub const SHELLS: &[(clap_complete::Shell, &str)] = &[
    (
        clap_complete::Shell::Bash,
        "share/bash-completion/completions",
    ),
    (clap_complete::Shell::Zsh, "share/zsh/site-functions"),
    (
        clap_complete::Shell::Fish,
        "share/fish/vendor_completions.d",
    ),
];

/// The completion file's name for a command in a shell's directory.
pub fn completion_file_name(shell: clap_complete::Shell, name: &str) -> String {
    match shell {
        clap_complete::Shell::Zsh => format!("_{name}"),
        clap_complete::Shell::Fish => format!("{name}.fish"),
        _ => name.to_string(),
    }
}

/// The completion script of a command for a shell.
pub fn completion(shell: clap_complete::Shell, name: &str) -> Option<Vec<u8>> {
    let mut cmd = command(name)?;
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, name, &mut out);
    Some(out)
}

/// The man page (section 1) of an applet or of `memtools`, in roff.
pub fn man_page(name: &str) -> Option<String> {
    let spec = spec(name)?;
    Some(pages::page(spec, env!("CARGO_PKG_VERSION")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spec_builds_a_command() {
        for name in all_names() {
            let c = command(name).expect("command");
            c.debug_assert();
            assert!(man_page(name).is_some_and(|p| p.contains(".SH OPTIONS")));
        }
        assert!(command("nope").is_none());
    }
}
