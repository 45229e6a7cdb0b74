//! The multicall dispatcher: applet selection, --list, --help, --version, errors.

mod common;
use common::{memtools, memtools_link, scratch, trial};
use std::process::Command;

fn main() {
    common::run(vec![
        trial!(no_argument_is_a_usage_error),
        trial!(unknown_applet),
        trial!(list_version_help),
        trial!(applet_from_argv0_and_from_first_argument),
        trial!(install_links_never_clobbers),
    ]);
}

fn no_argument_is_a_usage_error() {
    let o = Command::new(memtools()).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    assert!(String::from_utf8_lossy(&o.stderr).starts_with("Usage: memtools APPLET"));
}

fn unknown_applet() {
    let o = Command::new(memtools()).arg("frob").output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(o.stderr, b"memtools: unknown applet 'frob'\n");
}

fn list_version_help() {
    let o = Command::new(memtools()).arg("--list").output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let list = String::from_utf8(o.stdout).unwrap();
    assert!(list.lines().any(|l| l == "free"), "{list}");
    let o = Command::new(memtools()).arg("--version").output().unwrap();
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        format!("memtools {}\n", env!("CARGO_PKG_VERSION"))
    );
    let o = Command::new(memtools()).arg("--help").output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).contains("--install-links DIR"));
}

fn applet_from_argv0_and_from_first_argument() {
    let dir = scratch("argv0");
    let link = memtools_link(&dir, "free");
    let via_link = Command::new(&link).arg("-V").output().unwrap();
    let via_arg = Command::new(memtools())
        .args(["free", "-V"])
        .output()
        .unwrap();
    assert_eq!(via_link.stdout, via_arg.stdout);
    assert_eq!(
        String::from_utf8(via_arg.stdout).unwrap(),
        format!("free from memtools {}\n", env!("CARGO_PKG_VERSION"))
    );
    // getopt messages name the applet as invoked.
    let bad = Command::new(memtools())
        .args(["free", "-x"])
        .output()
        .unwrap();
    assert!(bad.stderr.starts_with(b"free: invalid option -- 'x'\n"));
    let bad = Command::new(&link).arg("-x").output().unwrap();
    assert!(bad
        .stderr
        .starts_with(format!("{}: invalid option -- 'x'\n", link.display()).as_bytes()));
    std::fs::remove_dir_all(&dir).unwrap();
}

fn install_links_never_clobbers() {
    let dir = scratch("links");
    std::fs::write(dir.join("free"), b"not ours").unwrap();
    let o = Command::new(memtools())
        .arg("--install-links")
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(std::fs::read(dir.join("free")).unwrap(), b"not ours");
    assert!(String::from_utf8_lossy(&o.stderr).contains("is not a link to memtools"));
    // After removing the stranger, links are created, and a second run keeps them.
    std::fs::remove_file(dir.join("free")).unwrap();
    let o = Command::new(memtools())
        .arg("--install-links")
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert!(String::from_utf8_lossy(&o.stdout).contains("created "));
    assert!(std::fs::symlink_metadata(dir.join("free"))
        .unwrap()
        .file_type()
        .is_symlink());
    let o = Command::new(memtools())
        .arg("--install-links")
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).contains("kept "));
    let o = Command::new(dir.join("free")).arg("-V").output().unwrap();
    assert!(o.stdout.starts_with(b"free from memtools"));
    std::fs::remove_dir_all(&dir).unwrap();
}
