//! Reading a whole `/proc` tree for smem (Linux): the PID directories, each process's
//! files read whole, the owners of `PID/`, the passwd file and binutils' `size`. What is
//! read is parsed by the plain functions of [`crate::proctree`] and by the smem applet.

use crate::proctree::{parse_owners, parse_passwd, pid_of, ProcSource, TreeError};
use crate::proctree::{OWNERS_ENV, PASSWD_ENV};
use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A `/proc` tree on disk.
struct Tree {
    root: PathBuf,
    /// `$MEMTOOLS_PROC_OWNERS`' entries, when it is set.
    owners: Option<Arc<Vec<(u64, u32)>>>,
    /// The path of the last file opened (reused).
    path: PathBuf,
}

impl Tree {
    fn new(root: PathBuf, owners: Option<Arc<Vec<(u64, u32)>>>) -> Tree {
        Tree {
            path: root.clone(),
            root,
            owners,
        }
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
}

/// Reads all of `path` into `buf` (cleared first).
fn read_into(path: &Path, buf: &mut Vec<u8>) -> io::Result<()> {
    buf.clear();
    // /proc files report size 0 and hand out a page or so per read(): read_to_end reuses
    // the buffer's spare capacity without zeroing it again on every call.
    if buf.capacity() < 64 * 1024 {
        buf.reserve(256 * 1024);
    }
    File::open(path)?.read_to_end(buf).map(|_| ())
}

impl ProcSource for Tree {
    fn pids(&mut self) -> io::Result<Vec<u64>> {
        let mut v = Vec::new();
        for e in std::fs::read_dir(&self.root)? {
            if let Some(pid) = pid_of(e?.file_name().as_encoded_bytes()) {
                v.push(pid);
            }
        }
        Ok(v)
    }

    fn read(&mut self, pid: u64, name: &str, buf: &mut Vec<u8>) -> io::Result<()> {
        self.file(pid, name);
        read_into(&self.path, buf)
    }

    fn read_top(&mut self, name: &str, buf: &mut Vec<u8>) -> io::Result<()> {
        read_into(&self.root.join(name), buf)
    }

    fn owner(&mut self, pid: u64) -> io::Result<u32> {
        if let Some(map) = &self.owners {
            if let Some(&(_, uid)) = map.iter().find(|(p, _)| *p == pid) {
                return Ok(uid);
            }
        }
        Ok(std::fs::metadata(self.file(pid, ""))?.uid())
    }

    fn another(&self) -> Box<dyn ProcSource> {
        Box::new(Tree::new(self.root.clone(), self.owners.clone()))
    }
}

/// The tree below `source/proc`, or below the snapshot root without `-S`. A `source` that
/// is a file (smemcap's tarballs) is refused; one that does not exist gives a tree whose
/// reads fail (smem then prints nothing).
pub fn open(source: Option<&Path>) -> Result<Box<dyn ProcSource>, TreeError> {
    let root = match source {
        Some(s) if !s.as_os_str().is_empty() => {
            if s.is_file() {
                return Err(TreeError::NotADirectory(s.to_path_buf()));
            }
            s.join("proc")
        }
        _ => crate::proc_root(),
    };
    let owners = std::env::var_os(OWNERS_ENV)
        .filter(|p| !p.is_empty())
        .map(|p| Arc::new(parse_owners(&std::fs::read(p).unwrap_or_default())));
    Ok(Box::new(Tree::new(root, owners)))
}

/// `uid -> name` from `$MEMTOOLS_PASSWD` or `/etc/passwd`.
pub fn user_names() -> Vec<(u32, String)> {
    let path = std::env::var_os(PASSWD_ENV)
        .filter(|p| !p.is_empty())
        .map_or_else(|| PathBuf::from("/etc/passwd"), PathBuf::from);
    parse_passwd(&std::fs::read(path).unwrap_or_default())
}

/// Runs binutils' `size FILE` and returns what it printed, or `None` when it could not run
/// or failed (its own message then went to stderr).
pub fn run_size(file: &std::ffi::OsStr) -> Option<Vec<u8>> {
    let out = std::process::Command::new("size")
        .arg(file)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit())
        .output()
        .ok()?;
    out.status.success().then_some(out.stdout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_copied_tree() {
        let d = std::env::temp_dir().join(format!("memtools-proctree-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join("proc/12")).unwrap();
        std::fs::create_dir_all(d.join("proc/self")).unwrap();
        std::fs::write(d.join("proc/12/cmdline"), b"sleep\0").unwrap();
        std::fs::write(d.join("proc/meminfo"), b"MemTotal: 1 kB\n").unwrap();
        std::fs::write(d.join("file"), b"").unwrap();
        let mut t = open(Some(&d)).unwrap();
        assert_eq!(t.pids().unwrap(), [12]);
        let mut buf = vec![1, 2, 3];
        t.read(12, "cmdline", &mut buf).unwrap();
        assert_eq!(buf, b"sleep\0");
        t.read_top("meminfo", &mut buf).unwrap();
        assert_eq!(buf, b"MemTotal: 1 kB\n");
        assert!(t.another().read(12, "smaps", &mut buf).is_err());
        let me = std::fs::metadata(&d).unwrap().uid();
        assert_eq!(t.owner(12).unwrap(), me);
        assert_eq!(
            open(Some(&d.join("file"))).err(),
            Some(TreeError::NotADirectory(d.join("file")))
        );
        assert!(open(Some(&d.join("none"))).unwrap().pids().is_err());
        let _ = std::fs::remove_dir_all(&d);
    }
}
