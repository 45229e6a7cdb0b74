//! Whole-system process reading for `smem`: the PID list, per-process files read whole
//! into a reused buffer, owners of `PID/` directories, user names from a passwd file, the
//! terminal width, and the kernel image size (`size`). Linux only.
//!
//! Everything is read below a root directory that stands for `/proc`: [`crate::proc_root`]
//! normally, `SOURCE/proc` for smem's `-S SOURCE`.

use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// The environment variable naming a passwd file to read instead of `/etc/passwd`.
pub const PASSWD_ENV: &str = "MEMTOOLS_PASSWD";
/// The environment variable naming a file of `PID UID` lines that give the owners of a
/// snapshot's `PID/` directories (a snapshot copied without root keeps no owners).
pub const OWNERS_ENV: &str = "MEMTOOLS_PROC_OWNERS";

/// A `/proc` tree.
pub struct ProcTree {
    root: PathBuf,
    owners: Option<Vec<(u64, u32)>>,
    path: PathBuf,
}

impl ProcTree {
    /// The tree at `root` (a directory standing for `/proc`).
    pub fn new(root: PathBuf) -> Self {
        let owners = std::env::var_os(OWNERS_ENV)
            .filter(|p| !p.is_empty())
            .map(|p| parse_owners(&std::fs::read(p).unwrap_or_default()));
        ProcTree {
            path: root.clone(),
            root,
            owners,
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The numeric entries (ASCII digits only; leading zeros allowed, so `012` and `12`
    /// are both PID 12), in directory order, duplicates kept.
    pub fn pids(&self) -> io::Result<Vec<u64>> {
        let mut v = Vec::new();
        for e in std::fs::read_dir(&self.root)? {
            let e = e?;
            let name = e.file_name();
            let b = name.as_encoded_bytes();
            if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
                continue;
            }
            if let Ok(pid) = std::str::from_utf8(b).unwrap_or("").parse::<u64>() {
                v.push(pid);
            }
        }
        Ok(v)
    }

    fn file(&mut self, pid: u64, name: &str) -> &Path {
        self.path.clear();
        self.path.push(&self.root);
        self.path.push(pid.to_string());
        if !name.is_empty() {
            self.path.push(name);
        }
        &self.path
    }

    /// Reads `PID/NAME` whole into `buf` (cleared first).
    pub fn read(&mut self, pid: u64, name: &str, buf: &mut Vec<u8>) -> io::Result<()> {
        buf.clear();
        let mut f = File::open(self.file(pid, name))?;
        read_all(&mut f, buf)
    }

    /// Reads `NAME` at the root (`meminfo`) whole into `buf`.
    pub fn read_top(&self, name: &str, buf: &mut Vec<u8>) -> io::Result<()> {
        buf.clear();
        let mut f = File::open(self.root.join(name))?;
        read_all(&mut f, buf)
    }

    /// The owner of `PID/` (following symlinks), or the `MEMTOOLS_PROC_OWNERS` entry.
    pub fn owner(&mut self, pid: u64) -> io::Result<u32> {
        if let Some(map) = &self.owners {
            if let Some(&(_, uid)) = map.iter().find(|(p, _)| *p == pid) {
                return Ok(uid);
            }
        }
        Ok(std::fs::metadata(self.file(pid, ""))?.uid())
    }
}

fn read_all(f: &mut File, buf: &mut Vec<u8>) -> io::Result<()> {
    // /proc files report size 0 and hand out a page or so per read(): read_to_end reuses
    // the buffer's spare capacity without zeroing it again on every call.
    if buf.capacity() < 64 * 1024 {
        buf.reserve(256 * 1024);
    }
    f.read_to_end(buf).map(|_| ())
}

fn parse_owners(data: &[u8]) -> Vec<(u64, u32)> {
    let text = String::from_utf8_lossy(data);
    text.lines()
        .filter_map(|l| {
            let mut w = l.split_whitespace();
            Some((w.next()?.parse().ok()?, w.next()?.parse().ok()?))
        })
        .collect()
}

/// `uid -> name` from `$MEMTOOLS_PASSWD` or `/etc/passwd` (the first entry for a uid
/// wins, as glibc's files backend answers). Static memtools has no NSS, so users known
/// only to LDAP, sssd or systemd-homed show as numbers (docs/smem.md).
pub fn passwd() -> Vec<(u32, String)> {
    let path = std::env::var_os(PASSWD_ENV)
        .filter(|p| !p.is_empty())
        .map_or_else(|| PathBuf::from("/etc/passwd"), PathBuf::from);
    let data = std::fs::read(path).unwrap_or_default();
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

/// What `stty size` says about standard input: the number of columns, or the error stty
/// reports (`ioctl(TIOCGWINSZ)` on fd 0).
pub fn stdin_columns() -> io::Result<u16> {
    let mut ws = libc::winsize {
        ws_row: 0,
        ws_col: 0,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: TIOCGWINSZ writes one `winsize` into the pointed-to struct, which lives for
    // the call; fd 0 may be anything (the call then fails with ENOTTY or EBADF).
    let rc = unsafe { libc::ioctl(0, libc::TIOCGWINSZ, &mut ws) };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(ws.ws_col)
}

/// Runs binutils' `size FILE` and returns its output, or `None` when it could not run or
/// failed (its own message then went to stderr).
pub fn run_size(file: &std::ffi::OsStr) -> Option<Vec<u8>> {
    let out = std::process::Command::new("size")
        .arg(file)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit())
        .output()
        .ok()?;
    out.status.success().then_some(out.stdout)
}

/// Ignores SIGPIPE, so a closed pipe is a write error (EPIPE), as in Python.
pub fn ignore_sigpipe() {
    // SAFETY: setting a signal disposition to SIG_IGN has no memory-safety preconditions.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owners_and_passwd_lines() {
        assert_eq!(
            parse_owners(b"12 0\n# x\n13 1000\nbad\n"),
            [(12, 0), (13, 1000)]
        );
    }
}
