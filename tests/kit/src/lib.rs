//! The shared test kit of memtools (a dev-dependency only).
//!
//! # Why a runner of its own
//!
//! Rust's built-in harness decides `#[ignore]` when the test is compiled, so a test that
//! cannot run here (not root, no /usr/bin/pmap, no setpriv, no psutil) could only return
//! early and be reported as `ok`, having checked nothing. The kit's runner (libtest-mimic,
//! with a layer for prerequisites) decides at start-up, from prerequisites each test
//! declares, and reports an unmet one as `ignored (<why>)`, in the test's line and again in
//! a list after the `test result` line. Everything else is libtest's behaviour:
//! `cargo test NAME`, `-- --exact`, `-- --list`, `-- --ignored`, `-- --include-ignored`
//! (these two run the tests anyway), `-- --skip`, `--test-threads`, `-q`; a panic fails its
//! test only; exit status 101 on a failure.
//!
//! # Writing a test
//!
//! A test target `tests/test_NAME.rs` is declared in the root Cargo.toml with
//! `[[test]] name = "test_NAME"` and `harness = false` (tests/test_kit.rs checks that every
//! test file is, and that none uses `#[test]`, which such a target would silently drop).
//! Tests are plain `fn()`s that panic on failure, registered in `main`, one line each, with
//! their prerequisites:
//!
//! ```text
//! mod common;
//! use common::{need, trial};
//!
//! fn main() {
//!     common::run(vec![
//!         trial!(goldens),                                   // runs everywhere
//!         trial!(against_procps, need::mount_namespace(), need::procps("pmap")),
//!         trial!(as_another_user, need::nobody()),
//!         trial!(linux_fixtures::one_shot, need::page_size(4096)),
//!     ]);
//! }
//!
//! fn goldens() { /* assert!... */ }
//! ```
//!
//! * A check that can only run somewhere (an oracle comparison, a second shell) is a test
//!   of its own with its prerequisites, never an `if available { ... }` inside another test:
//!   a test runs completely or is reported as skipped.
//! * A condition that only shows when trying ("the oracle harness could not start") ends
//!   the test with [`skip`]`("why")`, reported like an unmet prerequisite.
//! * A function that is not registered is dead code: clippy (`-D warnings`) rejects it.
//! * Tests start in the order listed, two or more at a time: list the long ones first, so
//!   that the short ones run beside them.
//! * Prerequisites: [`need`] (root, nobody, mount_namespace, procps, exe, tool, path,
//!   dev_full, page_size, python_module, linux) or [`Need::new`] for one of your own.
//! * Helpers: [`scratch`] (a fresh temporary directory), [`on_failure`] (context printed
//!   only when the test fails: the kit does not capture output), [`show`], [`replace`],
//!   [`replace_once`], [`copy_dir`], [`Proc`] (a victim process killed on drop),
//!   [`wait_bounded`], [`close_stdout`], [`dev_full`], [`limited`], and [`Nobody`] (run a
//!   copy of a binary as uid 65534 wherever the checkout lives). memtools-specific helpers
//!   (the binary's path, fixtures, applet commands) are in tests/common/mod.rs.

mod harness;
pub mod need;

pub use harness::{run, skip, Trial};
pub use need::Need;

use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Prints `note` on stderr if the test fails while the returned guard lives: what was
/// being checked (the case, the input), without printing anything when all goes well.
///
/// ```text
/// for c in cases {
///     let _note = on_failure(format!("case {}", c.name));
///     assert_eq!(...);
/// }
/// ```
pub fn on_failure(note: impl Into<String>) -> OnFailure {
    OnFailure(note.into())
}

/// The guard of [`on_failure`].
pub struct OnFailure(String);

impl Drop for OnFailure {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("(failed while checking {})", self.0);
        }
    }
}

/// True when running as root.
pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// Sends `sig` to process `pid`; true when it was delivered.
pub fn signal(pid: i32, sig: i32) -> bool {
    // SAFETY: kill has no memory preconditions.
    unsafe { libc::kill(pid, sig) == 0 }
}

/// This system's page size in bytes.
pub fn system_page_size() -> i64 {
    // SAFETY: sysconf has no preconditions.
    unsafe { libc::sysconf(libc::_SC_PAGESIZE) as i64 }
}

/// The device minor a SysV shared memory segment gets on this machine, as its line in
/// /proc/self/maps shows it; None when no segment can be made and attached.
pub fn sysv_shm_minor() -> Option<u32> {
    // SAFETY: plain SysV calls on a private segment created and removed here; the
    // attached address is only formatted, never dereferenced.
    unsafe {
        let id = libc::shmget(libc::IPC_PRIVATE, 42, libc::IPC_CREAT | 0o600);
        if id < 0 {
            return None;
        }
        let a = libc::shmat(id, std::ptr::null(), libc::SHM_RDONLY);
        let mut minor = None;
        if a as isize != -1 {
            let maps = std::fs::read_to_string("/proc/self/maps").unwrap_or_default();
            let want = format!("{:x}-", a as usize);
            for l in maps.lines() {
                if l.starts_with(&want) {
                    let dev = l.split_whitespace().nth(3).unwrap_or("");
                    minor = dev
                        .split_once(':')
                        .and_then(|(_, m)| u32::from_str_radix(m, 16).ok());
                }
            }
            libc::shmdt(a);
        }
        libc::shmctl(id, libc::IPC_RMID, std::ptr::null_mut());
        minor
    }
}

/// Makes the program `cmd` executes run without the capability `cap` (linux/capability.h
/// numbers) in its bounding set, when started by root (others have none to drop).
#[cfg(target_os = "linux")]
pub fn drop_capability(cmd: &mut Command, cap: libc::c_ulong) -> &mut Command {
    // SAFETY: runs in the forked child before exec; geteuid and prctl are
    // async-signal-safe and touch no memory of the parent.
    unsafe {
        cmd.pre_exec(move || {
            if libc::geteuid() == 0 && libc::prctl(libc::PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        })
    }
}

/// Bytes as text, invalid UTF-8 replaced (for messages and comparisons of outputs).
pub fn show(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// `hay` with every `from` replaced by `to` (left to right, not overlapping); an empty
/// `from` changes nothing.
pub fn replace(hay: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(hay.len());
    let mut i = 0;
    while i < hay.len() {
        if !from.is_empty() && hay[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(hay[i]);
            i += 1;
        }
    }
    out
}

/// `hay` with its first `from` replaced by `to`; panics when there is none (the test's own
/// data is wrong then).
pub fn replace_once(hay: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let at = hay
        .windows(from.len())
        .position(|w| w == from)
        .unwrap_or_else(|| panic!("{:?} not found", show(from)));
    let mut v = hay[..at].to_vec();
    v.extend_from_slice(to);
    v.extend_from_slice(&hay[at + from.len()..]);
    v
}

/// A fresh, empty directory below `std::env::temp_dir()`, unique to this call
/// (`memtools-TAG-PID-N`). The test removes it when done.
pub fn scratch(tag: &str) -> PathBuf {
    scratch_in(&std::env::temp_dir(), tag)
}

fn scratch_in(base: &Path, tag: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let d = base.join(format!("memtools-{tag}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d)
        .unwrap_or_else(|e| panic!("creating the scratch directory {}: {e}", d.display()));
    d
}

/// Copies the directory `from` into `to` (created if needed), subdirectories included.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("creating {}: {e}", to.display()));
    let entries =
        std::fs::read_dir(from).unwrap_or_else(|e| panic!("reading {}: {e}", from.display()));
    for e in entries {
        let e = e.expect("directory entry");
        let dest = to.join(e.file_name());
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), &dest)
                .unwrap_or_else(|err| panic!("copying {}: {err}", e.path().display()));
        }
    }
}

/// `/dev/full` opened for writing (declare [`need::dev_full`]).
pub fn dev_full() -> std::fs::File {
    std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full (declare need::dev_full())")
}

/// Makes `cmd` run with file descriptor 1 closed (`>&-`).
pub fn close_stdout(cmd: &mut Command) -> &mut Command {
    // SAFETY: runs in the forked child before exec; close(2) is async-signal-safe and
    // touches no memory of the parent.
    unsafe {
        cmd.pre_exec(|| {
            libc::close(1);
            Ok(())
        })
    }
}

/// The resource argument of setrlimit on this system.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub type Resource = libc::__rlimit_resource_t;
/// The resource argument of setrlimit on this system.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub type Resource = libc::c_int;

/// `cmd` with `resource` limited to `value` (soft and hard) in the child.
pub fn limited(mut cmd: Command, resource: Resource, value: u64) -> Command {
    // SAFETY: setrlimit is async-signal-safe and touches no memory of the parent.
    unsafe {
        cmd.pre_exec(move || {
            let rl = libc::rlimit {
                rlim_cur: value as libc::rlim_t,
                rlim_max: value as libc::rlim_t,
            };
            if libc::setrlimit(resource, &rl) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd
}

/// Waits at most `limit` for a child; kills it and fails the test when it hangs.
pub fn wait_bounded(child: &mut Child, limit: Duration, what: &str) -> ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(s) = child.try_wait().expect("try_wait") {
            return s;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Whether `p` is a file someone may execute.
pub fn is_executable(p: &Path) -> bool {
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// The first executable `name` in PATH.
pub fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| is_executable(p))
}

/// Whether a program `name` is on PATH.
pub fn on_path(name: &str) -> bool {
    find_on_path(name).is_some()
}

/// Whether a user other than the owner can enter `dir`: it and every directory above it
/// allow others to search (mode o+x).
fn reachable_by_others(dir: &Path) -> bool {
    dir.is_dir()
        && dir
            .ancestors()
            .all(|a| std::fs::metadata(a).is_ok_and(|m| m.permissions().mode() & 0o001 != 0))
}

/// A helper process (a victim for pmap, vmmap, ...), killed and reaped when dropped.
pub struct Proc(pub Child);

impl Proc {
    /// Starts `cmd` (stdin and stdout null) and waits until it has settled: asleep, its
    /// program loaded, so that its maps no longer change.
    pub fn start(cmd: &mut Command) -> Proc {
        let child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {:?}: {e}", cmd.get_program()));
        let p = Proc(child);
        p.settle();
        p
    }

    /// `sleep 1000`.
    pub fn sleep() -> Proc {
        Proc::start(Command::new("sleep").arg("1000"))
    }

    /// Starts `cmd` with stdout piped and waits for its first line, which must start with
    /// `ready`; None when it cannot start or says something else.
    pub fn start_ready(cmd: &mut Command) -> Option<Proc> {
        let child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .ok()?;
        let mut p = Proc(child);
        let out = p.0.stdout.take()?;
        let mut line = String::new();
        BufReader::new(out).read_line(&mut line).ok()?;
        if !line.starts_with("ready") {
            return None;
        }
        p.settle();
        Some(p)
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.0.id()
    }

    /// Waits (at most 5 s) until the process sleeps (state S in /proc/PID/stat); without
    /// /proc, 200 ms.
    fn settle(&self) {
        let stat = format!("/proc/{}/stat", self.pid());
        if !Path::new(&stat).exists() {
            std::thread::sleep(Duration::from_millis(200));
            return;
        }
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            let s = std::fs::read_to_string(&stat).unwrap_or_default();
            let state = s
                .rfind(')')
                .and_then(|i| s[i + 1..].split_whitespace().next());
            // Running or in uninterruptible I/O: still loading (or exiting).
            if !matches!(state, Some("R") | Some("D")) {
                return;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Running a program as `nobody` (uid and gid 65534, no groups) from wherever the checkout
/// lives: the binary is copied into a fresh directory below the temporary directory (or
/// /tmp when others cannot enter that), mode 0755 like the copy, so nobody reaches it even
/// when the checkout is below a private (0700) directory. Removed when dropped. Declare
/// [`need::nobody`].
pub struct Nobody {
    dir: PathBuf,
    exe: PathBuf,
}

impl Nobody {
    /// Copies `binary` (keeping its file name) into a fresh directory that nobody can reach:
    /// below `std::env::temp_dir()`, or /tmp when others cannot enter the former.
    pub fn with_binary(binary: &Path) -> std::io::Result<Nobody> {
        let tmp = std::env::temp_dir();
        let base = [tmp.as_path(), Path::new("/tmp")]
            .into_iter()
            .find(|d| reachable_by_others(d))
            .ok_or_else(|| {
                std::io::Error::other(format!(
                    "others cannot enter the temporary directory {} (nor /tmp); set TMPDIR \
                     to a directory they can",
                    tmp.display()
                ))
            })?;
        let dir = scratch_in(base, "nobody");
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755))?;
        let name = binary.file_name().unwrap_or(OsStr::new("program"));
        let exe = dir.join(name);
        let n = Nobody { dir, exe };
        std::fs::copy(binary, &n.exe)?;
        std::fs::set_permissions(&n.exe, std::fs::Permissions::from_mode(0o755))?;
        Ok(n)
    }

    /// The copied binary.
    pub fn exe(&self) -> &Path {
        &self.exe
    }

    /// The directory nobody can reach.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Copies a fixture file (or a directory of files) next to the binary, readable by
    /// everyone, and returns the copy's path.
    pub fn share(&self, path: &Path) -> std::io::Result<PathBuf> {
        let to = self
            .dir
            .join(path.file_name().unwrap_or(OsStr::new("shared")));
        if path.is_dir() {
            std::fs::create_dir_all(&to)?;
            std::fs::set_permissions(&to, std::fs::Permissions::from_mode(0o755))?;
            for e in std::fs::read_dir(path)? {
                let e = e?;
                let dest = to.join(e.file_name());
                std::fs::copy(e.path(), &dest)?;
                std::fs::set_permissions(&dest, std::fs::Permissions::from_mode(0o644))?;
            }
        } else {
            std::fs::copy(path, &to)?;
            std::fs::set_permissions(&to, std::fs::Permissions::from_mode(0o644))?;
        }
        Ok(to)
    }

    /// `setpriv --reuid=65534 --regid=65534 --clear-groups PROGRAM`, run in the shared
    /// directory (the test's own working directory may be closed to nobody).
    pub fn command(&self, program: impl AsRef<OsStr>) -> Command {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(program)
            .current_dir(&self.dir);
        c
    }
}

impl Drop for Nobody {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replacing() {
        assert_eq!(replace(b"a-b-c", b"-", b"+="), b"a+=b+=c");
        assert_eq!(replace(b"abc", b"", b"x"), b"abc");
        assert_eq!(replace(b"aaa", b"aa", b"b"), b"ba");
        assert_eq!(replace_once(b"a-b-c", b"-", b""), b"ab-c");
    }

    #[test]
    fn scratch_directories_are_fresh_and_distinct() {
        let (a, b) = (scratch("kit"), scratch("kit"));
        assert_ne!(a, b);
        assert!(a.is_dir() && std::fs::read_dir(&a).unwrap().next().is_none());
        std::fs::remove_dir_all(a).unwrap();
        std::fs::remove_dir_all(b).unwrap();
    }
}
