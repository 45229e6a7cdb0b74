//! `memtools`: the multicall dispatcher.
//!
//! The applet comes from argv[0]'s basename (a symlink named `free` runs free) or, when the
//! binary runs under any other name, from the first argument (`memtools free -h`).

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

mod applets;
mod oom;

#[global_allocator]
static ALLOCATOR: oom::Allocator = oom::Allocator;

use applets::{find, APPLETS};

const USAGE: &str = "\
Usage: memtools APPLET [ARGUMENTS...]
       APPLET [ARGUMENTS...]          (through a link named after the applet)
       memtools --list
       memtools --install-links DIR
       memtools --help | --version

memtools reimplements free and pmap (procps-ng), vm_stat and vmmap (macOS), smem and the
OSTEP memory-user homework program in one binary, for Linux and macOS.
";

fn main() {
    memtools_core::out::default_sigpipe();
    let args: Vec<OsString> = std::env::args_os().collect();
    std::process::exit(dispatch(args));
}

fn basename(p: &OsString) -> String {
    memtools_core::out::short_name(&memtools_core::getopt::os_bytes(p))
}

fn dispatch(mut args: Vec<OsString>) -> i32 {
    let argv0 = args.first().map(basename).unwrap_or_default();
    if let Some(applet) = find(&argv0) {
        oom::set_name(applet.name);
        return (applet.main)(args);
    }
    // Multicall form: `memtools APPLET ...`.
    if args.len() < 2 {
        eprint!("{USAGE}");
        return 1;
    }
    let first = args[1].to_string_lossy().into_owned();
    match first.as_str() {
        "--list" | "-l" => {
            let mut out = String::new();
            for a in APPLETS {
                out.push_str(a.name);
                out.push('\n');
            }
            print_or_fail(&out)
        }
        "--help" | "-h" => {
            let mut out = USAGE.to_string();
            out.push_str("\nApplets in this build:");
            for a in APPLETS {
                out.push(' ');
                out.push_str(a.name);
            }
            out.push('\n');
            print_or_fail(&out)
        }
        "--version" | "-V" => print_or_fail(&format!("memtools {}\n", memtools_core::VERSION)),
        "--install-links" => match args.get(2) {
            Some(dir) if args.len() == 3 => install_links(Path::new(dir)),
            _ => {
                eprintln!("memtools: --install-links takes exactly one directory");
                1
            }
        },
        _ => match find(&first) {
            Some(applet) => {
                oom::set_name(applet.name);
                // The applet sees its own name as argv[0], as through a link.
                args.remove(0);
                args[0] = OsString::from(applet.name);
                (applet.main)(args)
            }
            None => {
                eprintln!("memtools: unknown applet '{first}'");
                1
            }
        },
    }
}

fn print_or_fail(s: &str) -> i32 {
    let mut o = std::io::stdout().lock();
    match o.write_all(s.as_bytes()).and_then(|_| o.flush()) {
        Ok(()) => 0,
        Err(e) => memtools_core::out::report_write_error("memtools", Some(&e)),
    }
}

/// Creates `DIR/APPLET -> memtools` for every applet. A path that exists is left alone
/// unless it is already a symlink resolving to this binary; nothing else is overwritten.
fn install_links(dir: &Path) -> i32 {
    let exe = match std::env::current_exe().and_then(|p| p.canonicalize()) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("memtools: cannot locate this executable: {e}");
            return 1;
        }
    };
    if !dir.is_dir() {
        eprintln!("memtools: {}: not a directory", dir.display());
        return 1;
    }
    let mut status = 0;
    for a in APPLETS {
        let link = dir.join(a.name);
        match std::fs::symlink_metadata(&link) {
            Err(_) => match make_link(&exe, &link) {
                Ok(()) => println!("created {} -> {}", link.display(), exe.display()),
                Err(e) => {
                    eprintln!("memtools: cannot create {}: {e}", link.display());
                    status = 1;
                }
            },
            Ok(md) if md.file_type().is_symlink() && points_to(&link, &exe) => {
                println!("kept {} (already a link to memtools)", link.display());
            }
            Ok(md) if md.file_type().is_symlink() && target_is_memtools(&link) => {
                // A link to another memtools binary (an older install): repoint it.
                match std::fs::remove_file(&link).and_then(|_| make_link(&exe, &link)) {
                    Ok(()) => println!("updated {} -> {}", link.display(), exe.display()),
                    Err(e) => {
                        eprintln!("memtools: cannot update {}: {e}", link.display());
                        status = 1;
                    }
                }
            }
            Ok(_) => {
                eprintln!(
                    "memtools: skipped {}: it exists and is not a link to memtools",
                    link.display()
                );
                status = 1;
            }
        }
    }
    status
}

fn points_to(link: &Path, exe: &Path) -> bool {
    link.canonicalize().map(|p| p == exe).unwrap_or(false)
}

fn target_is_memtools(link: &Path) -> bool {
    std::fs::read_link(link)
        .ok()
        .and_then(|t| t.file_name().map(|n| n == "memtools"))
        .unwrap_or(false)
}

#[cfg(unix)]
fn make_link(exe: &PathBuf, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(exe, link)
}

#[cfg(not(unix))]
fn make_link(_exe: &PathBuf, _link: &Path) -> std::io::Result<()> {
    Err(std::io::Error::other(
        "symbolic links are not supported here",
    ))
}
