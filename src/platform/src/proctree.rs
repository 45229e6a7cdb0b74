//! A whole `/proc` tree read process by process, as smem reads it: the PID directories,
//! each process's files read whole into a reused buffer, the owners of the `PID/`
//! directories, and user names from a passwd file.
//!
//! The tree is `/proc` ([`crate::proc_root`], so `$MEMTOOLS_PROC_ROOT` too), or
//! `SOURCE/proc` for smem's `-S SOURCE`. The reader itself is Linux's
//! (`sys/linux/proctree.rs`, through [`open`]); other systems answer
//! [`TreeError::Unsupported`]. This module holds what it shares with its callers and
//! tests: the [`ProcSource`] interface (the smem applet's tests feed it from memory) and
//! the plain parsers of PID names, owners files and passwd files, tested everywhere.

use std::io;
use std::path::{Path, PathBuf};

/// The environment variable naming a passwd file to read instead of `/etc/passwd`.
pub const PASSWD_ENV: &str = "MEMTOOLS_PASSWD";
/// The environment variable naming a file of `PID UID` lines that give the owners of a
/// snapshot's `PID/` directories (a snapshot copied without root keeps no owners).
pub const OWNERS_ENV: &str = "MEMTOOLS_PROC_OWNERS";

/// A process tree, read one file at a time.
pub trait ProcSource: Send {
    /// The numeric entries ([`pid_of`]), in directory order, duplicates kept.
    fn pids(&mut self) -> io::Result<Vec<u64>>;
    /// Reads `PID/NAME` whole into `buf` (cleared first).
    fn read(&mut self, pid: u64, name: &str, buf: &mut Vec<u8>) -> io::Result<()>;
    /// Reads `NAME` at the top of the tree (`meminfo`) whole into `buf` (cleared first).
    fn read_top(&mut self, name: &str, buf: &mut Vec<u8>) -> io::Result<()>;
    /// The owner of `PID/` (following symlinks), or its `$MEMTOOLS_PROC_OWNERS` entry.
    fn owner(&mut self, pid: u64) -> io::Result<u32>;
    /// Another reader of the same tree, for another thread.
    fn another(&self) -> Box<dyn ProcSource>;
}

/// Why a tree cannot be read at all.
#[derive(Debug, PartialEq, Eq)]
pub enum TreeError {
    /// Not Linux: there is no `/proc/PID/smaps`.
    Unsupported,
    /// `-S` named a file (an smemcap tarball, say), not a directory.
    NotADirectory(PathBuf),
}

/// The tree below `source/proc`, or the snapshot root (`/proc`) when `source` is `None`.
pub fn open(source: Option<&Path>) -> Result<Box<dyn ProcSource>, TreeError> {
    crate::sys::proc_tree(source)
}

/// `uid -> name` from `$MEMTOOLS_PASSWD` or `/etc/passwd` ([`parse_passwd`]); empty when
/// unreadable, and on systems without a [`ProcSource`].
pub fn user_names() -> Vec<(u32, String)> {
    crate::sys::user_names()
}

/// The PID a directory entry stands for: a name of ASCII digits (leading zeros allowed, so
/// `012` and `12` are both PID 12, as smem turns the name into a number).
pub fn pid_of(name: &[u8]) -> Option<u64> {
    if name.is_empty() || !name.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(name).ok()?.parse().ok()
}

/// An owners file: `PID UID` lines; other lines are skipped.
pub fn parse_owners(data: &[u8]) -> Vec<(u64, u32)> {
    let text = String::from_utf8_lossy(data);
    text.lines()
        .filter_map(|l| {
            let mut w = l.split_whitespace();
            Some((w.next()?.parse().ok()?, w.next()?.parse().ok()?))
        })
        .collect()
}

/// A passwd file's `uid -> name` pairs; the first entry for a uid wins, as glibc's files
/// backend answers. NIS compat entries (`+`, `-`) and comments are skipped. Static
/// memtools has no NSS, so users known only to LDAP, sssd or systemd-homed have no name.
pub fn parse_passwd(data: &[u8]) -> Vec<(u32, String)> {
    let mut v: Vec<(u32, String)> = Vec::new();
    for line in data.split(|&b| b == b'\n') {
        let mut it = line.split(|&b| b == b':');
        let (Some(name), Some(_), Some(uid)) = (it.next(), it.next(), it.next()) else {
            continue;
        };
        let Ok(uid) = std::str::from_utf8(uid).unwrap_or("").parse::<u32>() else {
            continue;
        };
        if name.is_empty() || name[0] == b'+' || name[0] == b'-' || name[0] == b'#' {
            continue;
        }
        if !v.iter().any(|(u, _)| *u == uid) {
            v.push((uid, String::from_utf8_lossy(name).into_owned()));
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pid_names() {
        assert_eq!(pid_of(b"12"), Some(12));
        assert_eq!(pid_of(b"012"), Some(12));
        assert_eq!(pid_of(b""), None);
        assert_eq!(pid_of(b"self"), None);
        assert_eq!(pid_of(b"1a"), None);
        assert_eq!(pid_of("١".as_bytes()), None);
        assert_eq!(pid_of(b"99999999999999999999999"), None);
    }

    #[test]
    fn owners_lines() {
        assert_eq!(
            parse_owners(b"12 0\n# x\n13 1000\nbad\n14\n"),
            [(12, 0), (13, 1000)]
        );
    }

    #[test]
    fn passwd_lines() {
        let p = parse_passwd(
            b"root:x:0:0::/root:/bin/sh\n+nis::5:\n#c:x:6:\nalias:x:0:0::/:/bin/sh\n\
              bad:x:zz:\nshort:x\nnobody:x:65534:65534::/:/bin/false\n:x:7:\n",
        );
        assert_eq!(p, [(0, "root".to_string()), (65534, "nobody".to_string())]);
    }
}
