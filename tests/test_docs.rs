//! The man pages and completions (src/cli, generated from each applet's option table)
//! against the real applets:
//! * every option spelling the generated definitions have is accepted by the applet (so
//!   each option of a spec is handled by its applet);
//! * every option the applet's own help lists is in the generated definitions;
//! * the man pages have the hand-written sections and render without groff warnings;
//! * the completions parse in their shells (each shell a test that needs it installed).

mod common;
use common::{memtools, need, scratch, trial, Trial};
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn main() {
    let mut trials = vec![
        trial!(every_clap_option_is_accepted_by_the_applet),
        trial!(every_option_in_the_applets_help_is_in_clap),
        trial!(man_pages_have_the_sections),
        trial!(man_pages_render_without_warnings, need::tool("groff")),
        trial!(man_synopsis_and_option_arguments),
        trial!(bash_completion_offers_long_options, need::tool("bash")),
    ];
    for &(shell, _) in memtools_cli::SHELLS {
        let sh = shell.to_string();
        let need = need::tool(sh.clone());
        trials.push(
            Trial::new(format!("completions_parse::{sh}"), move || {
                completions_parse(&sh)
            })
            .need(need),
        );
    }
    common::run(trials);
}

/// `memtools [APPLET] ARGS` in `dir`, with an empty snapshot root and HOME, so nothing of
/// this machine is read or written.
fn run_in(dir: &Path, applet: &str, args: &[String]) -> Output {
    let mut c = Command::new(memtools());
    if applet != "memtools" {
        c.arg(applet);
    }
    c.args(args)
        .current_dir(dir)
        .env("LC_ALL", "C")
        .env("HOME", dir)
        .env("MEMTOOLS_PROC_ROOT", dir.join("proc"))
        .env_remove("POSIXLY_CORRECT")
        .stdin(Stdio::null());
    c.output().expect("spawn memtools")
}

/// A value the option accepts, for options that take one.
fn sample_value(id: &str) -> &'static str {
    match id {
        "touch" => "word",
        "range" => "0",
        "read-rc-from" => "no-such-rc",
        "create-rc-to" => "new-rc",
        "pid-file" => "pidfile",
        "install-links" => "no-such-dir",
        _ => "1",
    }
}

/// Operands after the option that make the applet stop at once with an error of its own
/// (not an option error), so nothing runs for long.
fn tail(applet: &str) -> &'static [&'static str] {
    match applet {
        "free" => &["extra-operand"],
        "vm_stat" => &["1", "2"],
        "memory-user" => &["not-a-size"],
        _ => &[],
    }
}

const REJECTED: &[&str] = &[
    "unrecognized option",
    "invalid option",
    "illegal option",
    "unknown option",
    "requires an argument",
    "doesn't allow an argument",
    "is ambiguous",
    "unknown applet",
    // Python optparse (smem).
    "no such option",
    "option requires 1 argument",
    "ambiguous option",
    "does not take a value",
];

fn names() -> Vec<&'static str> {
    memtools_cli::all_names().collect()
}

fn every_clap_option_is_accepted_by_the_applet() {
    let dir = scratch("accept");
    let mut tried = 0;
    for name in names() {
        let cmd = memtools_cli::command(name).expect("definition");
        for arg in cmd.get_arguments() {
            if arg.is_positional() {
                continue;
            }
            let takes_value = arg.get_action().takes_values();
            let mut spellings = Vec::new();
            if let Some(s) = arg.get_short() {
                spellings.push(format!("-{s}"));
            }
            if let Some(l) = arg.get_long() {
                spellings.push(format!("--{l}"));
            }
            assert!(
                !spellings.is_empty(),
                "{name}: {} has no spelling",
                arg.get_id()
            );
            for sp in spellings {
                let mut argv = vec![sp.clone()];
                if takes_value {
                    argv.push(sample_value(arg.get_id().as_str()).to_string());
                }
                argv.extend(tail(name).iter().map(|s| s.to_string()));
                let o = run_in(&dir, name, &argv);
                let err = String::from_utf8_lossy(&o.stderr);
                for r in REJECTED {
                    assert!(
                        !err.contains(r),
                        "{name} {argv:?}: the applet rejects an option of its clap definition: {err}"
                    );
                }
                tried += 1;
            }
        }
    }
    assert!(tried > 80, "only {tried} option spellings tried");
}

/// The option spellings in the option column of a help text (lines starting with `-`,
/// up to the first double space): `--long` and `-x`; vmmap's `-word` counts as long.
fn help_options(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let t = line.trim_start();
        if !t.starts_with('-') {
            continue;
        }
        let col = t.split("  ").next().unwrap_or("");
        for tok in col.split(|c: char| c.is_whitespace() || ",=[]|".contains(c)) {
            let tok = tok.trim_end_matches(|c: char| !c.is_ascii_alphanumeric());
            if let Some(l) = tok.strip_prefix("--") {
                if !l.is_empty() {
                    out.push(format!("--{l}"));
                }
            } else if let Some(s) = tok.strip_prefix('-') {
                let mut ch = s.chars();
                match (ch.next(), s.len()) {
                    (Some(c), 1) if c.is_ascii_alphanumeric() => out.push(format!("-{c}")),
                    // -XX: pmap's doubled -X.
                    (Some(c), _) if s.chars().all(|x| x == c) => out.push(format!("-{c}")),
                    (Some(_), _) => out.push(format!("--{s}")),
                    _ => {}
                }
            }
        }
    }
    out
}

fn clap_spellings(name: &str) -> Vec<String> {
    let cmd = memtools_cli::command(name).expect("definition");
    let mut v = Vec::new();
    for a in cmd.get_arguments() {
        if let Some(s) = a.get_short() {
            v.push(format!("-{s}"));
        }
        if let Some(l) = a.get_long() {
            v.push(format!("--{l}"));
        }
    }
    v
}

fn every_option_in_the_applets_help_is_in_clap() {
    let dir = scratch("help");
    for (name, help_args) in [
        ("free", &["--help"][..]),
        ("pmap", &["--help"]),
        ("vmmap", &["--help"]),
        ("memory-user", &["--help"]),
        ("smem", &["--help"]),
    ] {
        let args: Vec<String> = help_args.iter().map(|s| s.to_string()).collect();
        let o = run_in(&dir, name, &args);
        assert_eq!(o.status.code(), Some(0), "{name} --help");
        let listed = help_options(&String::from_utf8_lossy(&o.stdout));
        assert!(
            listed.len() >= 8,
            "{name}: only {listed:?} found in the help"
        );
        let defined = clap_spellings(name);
        for opt in &listed {
            assert!(
                defined.contains(opt),
                "{name}: {opt} is in the applet's help but not in its clap definition"
            );
        }
    }
    // meminfo has too few options for the count above; every one must be in clap.
    let o = run_in(&dir, "meminfo", &["--help".to_string()]);
    let listed = help_options(&String::from_utf8_lossy(&o.stdout));
    assert_eq!(
        listed,
        ["--json", "--cgroup", "-h", "--help", "-V", "--version"]
    );
    for opt in &listed {
        assert!(clap_spellings("meminfo").contains(opt), "meminfo: {opt}");
    }
    // vm_stat's whole interface is its usage line.
    let o = run_in(&dir, "vm_stat", &["-x".to_string()]);
    let usage = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(usage.contains("[[-c count] interval]"), "{usage}");
    assert!(clap_spellings("vm_stat").contains(&"-c".to_string()));
    // memtools: its usage text's options, and the applet list.
    let o = run_in(&dir, "memtools", &["--help".to_string()]);
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    for opt in ["--list", "--install-links", "--help", "--version"] {
        assert!(text.contains(opt), "{opt} not in memtools --help");
        assert!(
            clap_spellings("memtools").contains(&opt.to_string()),
            "{opt}"
        );
    }
    let o = run_in(&dir, "memtools", &["--list".to_string()]);
    let listed: Vec<String> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    let mut applets: Vec<String> = memtools_cli::all_names()
        .filter(|n| *n != "memtools")
        .map(|s| s.to_string())
        .collect();
    let subs: Vec<String> = memtools_cli::command("memtools")
        .unwrap()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    let mut listed_sorted = listed.clone();
    listed_sorted.sort();
    applets.sort();
    assert_eq!(
        listed_sorted, applets,
        "memtools --list vs memtools_applets::APPLETS"
    );
    let mut subs_sorted = subs;
    subs_sorted.sort();
    assert_eq!(subs_sorted, applets);
}

fn man_pages_have_the_sections() {
    man_pages(false);
}

fn man_pages_render_without_warnings() {
    man_pages(true);
}

/// Every man page has the hand-written sections; with `render`, groff renders it without
/// warnings, and its NOTES name both systems.
fn man_pages(render: bool) {
    let dir = scratch("man");
    for name in names() {
        let page = memtools_cli::man_page(name).expect("page");
        for section in [
            ".SH NAME",
            ".SH SYNOPSIS",
            ".SH DESCRIPTION",
            ".SH OPTIONS",
            ".SH \"EXIT STATUS\"",
            ".SH NOTES",
            ".SH \"SEE ALSO\"",
        ] {
            assert!(page.contains(section), "{name}.1 lacks {section}");
        }
        assert!(
            page.contains(".SH FILES") || page.contains(".SH ENVIRONMENT"),
            "{name}.1 lacks FILES"
        );
        let path = dir.join(format!("{name}.1"));
        std::fs::write(&path, &page).unwrap();
        if !render {
            continue;
        }
        let o = Command::new("groff")
            .args(["-man", "-ww", "-z"])
            .arg(&path)
            .output()
            .expect("groff");
        assert!(o.status.success(), "{name}: groff failed");
        assert!(
            o.stderr.is_empty(),
            "{name}.1: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let o = Command::new("groff")
            .args(["-man", "-Tutf8", "-P-cbou", "-rLL=80n"])
            .arg(&path)
            .env("LC_ALL", "C.UTF-8")
            .output()
            .expect("groff");
        let text = String::from_utf8_lossy(&o.stdout);
        // The NOTES must say where memtools differs and name both systems.
        assert!(
            text.contains("NOTES") && text.contains("macOS"),
            "{name}.1 NOTES"
        );
    }
}

/// SYNOPSIS and option tags name the arguments as the originals' pages do (procps-ng's
/// `pmap [options] pid [...]`, `-A, --range low,high`, `-C, --read-rc-from file`).
fn man_synopsis_and_option_arguments() {
    let pmap = memtools_cli::man_page("pmap").expect("pmap page");
    assert!(
        pmap.contains(".SH SYNOPSIS\n\\fBpmap\\fR [options] pid [pid ...]\n"),
        "{pmap}"
    );
    for tag in [
        "\\fB\\-A\\fR, \\fB\\-\\-range\\fR \\fIlow,high\\fR",
        "\\fB\\-C\\fR, \\fB\\-\\-read\\-rc\\-from\\fR \\fIfile\\fR",
        "\\fB\\-XX\\fR",
    ] {
        assert!(pmap.contains(tag), "pmap.1 lacks {tag}");
    }
    let free = memtools_cli::man_page("free").expect("free page");
    assert!(free.contains("\\fB\\-s\\fR, \\fB\\-\\-seconds\\fR \\fIN\\fR"));
    let vmmap = memtools_cli::man_page("vmmap").expect("vmmap page");
    assert!(
        vmmap.contains("\\fB\\-w\\fR, \\fB\\-wide\\fR"),
        "vmmap words take one dash"
    );
}

/// Every completion script for `sh` parses (`sh -n`).
fn completions_parse(sh: &str) {
    let dir = scratch("compl");
    for name in names() {
        for &(shell, _) in memtools_cli::SHELLS {
            if shell.to_string() != sh {
                continue;
            }
            let script = memtools_cli::completion(shell, name).expect("completion");
            let file = dir.join(memtools_cli::completion_file_name(shell, name));
            std::fs::write(&file, &script).unwrap();
            let o = Command::new(sh)
                .arg("-n")
                .arg(&file)
                .output()
                .expect("shell");
            assert!(
                o.status.success(),
                "{sh} -n {}: {}",
                file.display(),
                String::from_utf8_lossy(&o.stderr)
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// bash: the free completion offers the long options for a prefix.
fn bash_completion_offers_long_options() {
    let dir = scratch("bash-compl");
    let &(shell, _) = memtools_cli::SHELLS
        .iter()
        .find(|(s, _)| s.to_string() == "bash")
        .expect("bash among the shells");
    let script = dir.join(memtools_cli::completion_file_name(shell, "free"));
    std::fs::write(
        &script,
        memtools_cli::completion(shell, "free").expect("completion"),
    )
    .unwrap();
    let o = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source {}; COMP_WORDS=(free --ki); COMP_CWORD=1; _free free --ki free; echo \"${{COMPREPLY[@]}}\"",
            script.display()
        ))
        .output()
        .expect("bash");
    assert_eq!(String::from_utf8_lossy(&o.stdout), "--kilo --kibi\n");
    let _ = std::fs::remove_dir_all(&dir);
}
