//! `memtools`: the multicall dispatcher.
//!
//! The applet comes from argv[0]'s basename (a symlink named `free` runs free) or, when the
//! binary runs under any other name, from the first argument (`memtools free -h`).

use std::ffi::OsString;
use std::fmt::Write;
use std::path::Path;

use memtools_core::oom;

#[global_allocator]
static ALLOCATOR: oom::Allocator = oom::Allocator;

use memtools_applets::{find, APPLETS, MEMTOOLS};
use memtools_core::Failure;

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
        oom::set_name(applet.name());
        return applet.main(args);
    }
    // Multicall form: `memtools APPLET ...`.
    if args.len() < 2 {
        return Failure::new(1, MEMTOOLS.usage()).report();
    }
    let first = args[1].to_string_lossy().into_owned();
    // The dispatcher's own options, spelled exactly as MEMTOOLS defines them.
    let own = MEMTOOLS.options().find(|o| {
        o.long.is_some_and(|l| first.strip_prefix("--") == Some(l))
            || o.short.is_some_and(|c| first.as_bytes() == [b'-', c])
    });
    let print = |text: String| Failure::print("memtools", text).report();
    match own.and_then(|o| o.long) {
        Some("list") => print(APPLETS.iter().map(|a| format!("{}\n", a.name())).collect()),
        Some("help") => {
            let mut out = MEMTOOLS.usage();
            out.push_str("\nApplets in this build:");
            for a in APPLETS {
                out.push(' ');
                out.push_str(a.name());
            }
            out.push('\n');
            print(out)
        }
        Some("version") => print(format!("memtools {}\n", memtools_core::VERSION)),
        Some("install-links") => match args.get(2) {
            Some(dir) if args.len() == 3 => install_links(Path::new(dir)),
            _ => {
                Failure::line(1, "memtools", "--install-links takes exactly one directory").report()
            }
        },
        _ => match find(&first) {
            Some(applet) => {
                oom::set_name(applet.name());
                // The applet sees its own name as argv[0], as through a link.
                args.remove(0);
                args[0] = OsString::from(applet.name());
                applet.main(args)
            }
            None => Failure::line(1, "memtools", &format!("unknown applet '{first}'")).report(),
        },
    }
}

/// Creates `DIR/APPLET -> memtools` for every applet. A path that exists is left alone
/// unless it is already a symlink resolving to this binary; nothing else is overwritten.
fn install_links(dir: &Path) -> i32 {
    let exe = match std::env::current_exe().and_then(|p| p.canonicalize()) {
        Ok(p) => p,
        Err(e) => {
            return Failure::line(
                1,
                "memtools",
                &format!("cannot locate this executable: {e}"),
            )
            .report();
        }
    };
    if !dir.is_dir() {
        return Failure::line(
            1,
            "memtools",
            &format!("{}: not a directory", dir.display()),
        )
        .report();
    }
    let mut status = 0;
    let mut out = memtools_core::Sink::stdout();
    for a in APPLETS {
        let link = dir.join(a.name());
        match std::fs::symlink_metadata(&link) {
            Err(_) => match make_link(&exe, &link) {
                Ok(()) => {
                    let _ = writeln!(out, "created {} -> {}", link.display(), exe.display());
                }
                Err(e) => {
                    eprintln!("memtools: cannot create {}: {e}", link.display());
                    status = 1;
                }
            },
            Ok(md) if md.file_type().is_symlink() && points_to(&link, &exe) => {
                let _ = writeln!(out, "kept {} (already a link to memtools)", link.display());
            }
            Ok(md) if md.file_type().is_symlink() && target_is_memtools(&link) => {
                // A link to another memtools binary (an older install): repoint it.
                match std::fs::remove_file(&link).and_then(|_| make_link(&exe, &link)) {
                    Ok(()) => {
                        let _ = writeln!(out, "updated {} -> {}", link.display(), exe.display());
                    }
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
        out.flush();
    }
    match out.finish("memtools") {
        Ok(()) => status,
        Err(f) => f.report(),
    }
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

fn make_link(exe: &Path, link: &Path) -> std::io::Result<()> {
    memtools_platform::sys::symlink(exe, link)
}
