//! `util/install.sh` (what `make install` / `make uninstall` run) into a temporary prefix,
//! with the already-built debug binaries (no release build in the test).

use memtools_testkit::{need, scratch, show, trial, Need};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn main() {
    memtools_testkit::run(vec![
        trial!(
            install_then_uninstall_in_a_temporary_prefix,
            built(),
            need::tool("bash")
        ),
        trial!(man_finds_the_installed_page, built(), need::tool("man")),
    ]);
}

/// The memtools binary (see `memtools_bin`).
fn built() -> Need {
    Need::new("memtools-next-to-memtools-gen", || {
        memtools_bin().map(drop).ok_or_else(|| {
            "needs the memtools binary next to memtools-gen (run cargo test --workspace, or \
             set MEMTOOLS_BIN)"
                .to_string()
        })
    })
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn gen_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_memtools-gen"))
}

/// The memtools binary: $MEMTOOLS_BIN, else the one cargo built next to memtools-gen.
fn memtools_bin() -> Option<PathBuf> {
    let p = std::env::var_os("MEMTOOLS_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| gen_bin().with_file_name("memtools"));
    p.is_file().then_some(p)
}

fn script(action: &str, prefix: &Path, bin: &Path) -> Output {
    Command::new("sh")
        .arg(repo().join("util/install.sh"))
        .arg(action)
        .arg(prefix)
        .env("MEMTOOLS_BIN", bin)
        .env("MEMTOOLS_GEN", gen_bin())
        .env_remove("DESTDIR")
        .output()
        .expect("run util/install.sh")
}

/// Every file and symlink below `root`, relative to it.
fn walk(root: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir") {
            let p = e.expect("entry").path();
            let md = std::fs::symlink_metadata(&p).expect("lstat");
            if md.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(root).expect("below root");
                out.insert(rel.to_string_lossy().into_owned());
            }
        }
    }
    out
}

fn install_then_uninstall_in_a_temporary_prefix() {
    let bin = memtools_bin().expect("memtools binary");
    let base = scratch("install");
    let prefix = base.join("prefix");
    std::fs::create_dir_all(prefix.join("bin")).unwrap();
    std::fs::write(prefix.join("bin/other"), "not ours\n").unwrap();

    let o = script("install", &prefix, &bin);
    assert!(o.status.success(), "install: {}", show(&o.stderr));

    // Exactly the expected files, and the manifest lists them all.
    let mut want: BTreeSet<String> = BTreeSet::new();
    want.insert("bin/memtools".into());
    want.insert("share/memtools/install-manifest".into());
    for name in memtools_cli::all_names() {
        if name != "memtools" {
            want.insert(format!("bin/{name}"));
        }
        want.insert(format!("share/man/man1/{name}.1"));
        for &(shell, dir) in memtools_cli::SHELLS {
            want.insert(format!(
                "{dir}/{}",
                memtools_cli::completion_file_name(shell, name)
            ));
        }
    }
    assert_eq!(want.len(), 1 + 1 + 7 + 8 * 4);
    let manifest: BTreeSet<String> =
        std::fs::read_to_string(prefix.join("share/memtools/install-manifest"))
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
    assert_eq!(manifest, want);
    let mut on_disk = want.clone();
    on_disk.insert("bin/other".into());
    assert_eq!(walk(&prefix), on_disk);

    // The links run the applets.
    for name in memtools_cli::all_names().filter(|n| *n != "memtools") {
        let link = prefix.join("bin").join(name);
        assert_eq!(
            std::fs::read_link(&link).unwrap(),
            PathBuf::from("memtools")
        );
    }
    let o = Command::new(prefix.join("bin/free"))
        .arg("-V")
        .output()
        .unwrap();
    assert_eq!(
        show(&o.stdout),
        format!("free from memtools {}\n", env!("CARGO_PKG_VERSION"))
    );

    // The bash completion completes from the installed file.
    let o = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source {}; COMP_WORDS=(vmmap --noC); COMP_CWORD=1; _vmmap vmmap --noC vmmap; echo \"${{COMPREPLY[@]}}\"",
            prefix.join("share/bash-completion/completions/vmmap").display()
        ))
        .output()
        .unwrap();
    assert_eq!(show(&o.stdout), "--noCoalesce\n");

    // Installing again over our own install works (links are ours).
    let o = script("install", &prefix, &bin);
    assert!(o.status.success(), "reinstall: {}", show(&o.stderr));

    // Uninstall removes exactly the manifest's files.
    let o = script("uninstall", &prefix, &bin);
    assert!(o.status.success(), "uninstall: {}", show(&o.stderr));
    assert_eq!(
        walk(&prefix),
        BTreeSet::from(["bin/other".to_string()]),
        "left behind after uninstall"
    );
    let o = script("uninstall", &prefix, &bin);
    assert!(!o.status.success(), "a second uninstall has no manifest");

    // A foreign file named like an applet stops the install before anything is written.
    let other = base.join("other");
    std::fs::create_dir_all(other.join("bin")).unwrap();
    std::fs::write(other.join("bin/free"), "someone else's free\n").unwrap();
    let o = script("install", &other, &bin);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        show(&o.stderr).contains("is not a link to memtools"),
        "{}",
        show(&o.stderr)
    );
    assert_eq!(walk(&other), BTreeSet::from(["bin/free".to_string()]));
    std::fs::remove_dir_all(&base).unwrap();
}

/// `man -l` renders the installed page without warnings, and `man free` finds it through
/// MANPATH.
fn man_finds_the_installed_page() {
    let bin = memtools_bin().expect("memtools binary");
    let base = scratch("install-man");
    let prefix = base.join("prefix");
    let o = script("install", &prefix, &bin);
    assert!(o.status.success(), "install: {}", show(&o.stderr));
    let page = prefix.join("share/man/man1/free.1");
    let o = Command::new("man")
        .args(["--warnings", "-l"])
        .arg(&page)
        .env("MANWIDTH", "80")
        .env("MANPAGER", "cat")
        .env("LC_ALL", "C.UTF-8")
        .output()
        .unwrap();
    assert!(o.status.success(), "man -l: {}", show(&o.stderr));
    assert!(o.stderr.is_empty(), "man -l warnings: {}", show(&o.stderr));
    assert!(show(&o.stdout).contains("free - Display amount of free and used memory"));
    let o = Command::new("man")
        .arg("free")
        .env("MANPATH", prefix.join("share/man"))
        .env("MANWIDTH", "80")
        .env("MANPAGER", "cat")
        .env("LC_ALL", "C.UTF-8")
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "MANPATH=... man free: {}",
        show(&o.stderr)
    );
    assert!(show(&o.stdout).contains("memtools"), "{}", show(&o.stdout));
    std::fs::remove_dir_all(&base).unwrap();
}
