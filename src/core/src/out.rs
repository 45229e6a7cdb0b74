//! Output and error-reporting helpers shared by the applets.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// The C library's message for an errno value (`strerror`), e.g. "No space left on device".
pub fn strerror(errno: i32) -> String {
    #[cfg(unix)]
    {
        let mut buf = [0 as libc::c_char; 256];
        // SAFETY: buf is a valid, writable buffer of the given length; strerror_r (the XSI
        // variant that the libc crate binds) NUL-terminates what it writes on success.
        let rc = unsafe { libc::strerror_r(errno, buf.as_mut_ptr(), buf.len()) };
        if rc == 0 {
            // SAFETY: on success the buffer holds a NUL-terminated C string.
            let s = unsafe { std::ffi::CStr::from_ptr(buf.as_ptr()) };
            return s.to_string_lossy().into_owned();
        }
    }
    format!("Unknown error {errno}")
}

/// The C library's text for an I/O error, without Rust's " (os error N)" suffix.
pub fn io_strerror(e: &io::Error) -> String {
    match e.raw_os_error() {
        Some(n) => strerror(n),
        None => e.to_string(),
    }
}

/// True when the error means the reader went away (EPIPE).
pub fn is_broken_pipe(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::BrokenPipe
}

/// The basename of argv[0], as C's `program_invocation_short_name`.
pub fn short_name(argv0: &[u8]) -> String {
    let base = match argv0.iter().rposition(|&b| b == b'/') {
        Some(p) => &argv0[p + 1..],
        None => argv0,
    };
    String::from_utf8_lossy(base).into_owned()
}

/// Writes one line to stderr (unbuffered, as C's stderr). Errors writing to stderr are
/// ignored: there is nowhere left to report them.
pub fn eprintln_raw(line: &str) {
    let mut e = io::stderr().lock();
    let _ = e.write_all(line.as_bytes());
    let _ = e.write_all(b"\n");
}

/// Writes bytes to stderr as they are.
pub fn eprint_bytes(b: &[u8]) {
    let _ = io::stderr().lock().write_all(b);
}

/// True when file descriptor 1 was already closed as the process started.
///
/// Rust's runtime reopens closed standard descriptors on /dev/null before `main`, so a
/// closed stdout (`free >&-`) would otherwise look like a working one. A C program sees
/// EBADF instead, and procps then reports `write error` and exits 1. The check runs as an
/// ELF `.init_array` / Mach-O `__mod_init_func` constructor, which the loader calls before
/// Rust's runtime starts (the same mechanism std uses on Linux to capture argv); a tiny
/// static rather than the `ctor` crate, to keep dependencies at libc.
static STDOUT_CLOSED_AT_START: AtomicBool = AtomicBool::new(false);

#[cfg(any(target_os = "linux", target_os = "macos"))]
#[used]
#[cfg_attr(target_os = "linux", link_section = ".init_array")]
#[cfg_attr(target_os = "macos", link_section = "__DATA,__mod_init_func")]
static RECORD_STDOUT_STATE: extern "C" fn() = record_stdout_state;

#[cfg(any(target_os = "linux", target_os = "macos"))]
extern "C" fn record_stdout_state() {
    // SAFETY: fcntl(F_GETFD) only queries the descriptor table; any fd number is allowed.
    if unsafe { libc::fcntl(1, libc::F_GETFD) } == -1 {
        STDOUT_CLOSED_AT_START.store(true, Ordering::Relaxed);
    }
}

/// Writes all of `bytes` to file descriptor 1 with plain `write(2)` calls, unbuffered.
///
/// Unlike Rust's `std::io::stdout()`, which treats EBADF as success, this reports every
/// error except EINTR (which it retries), and reports EBADF when stdout was closed at
/// start (see [`STDOUT_CLOSED_AT_START`]), as C stdio does.
pub fn write_stdout(bytes: &[u8]) -> io::Result<()> {
    #[cfg(unix)]
    {
        if STDOUT_CLOSED_AT_START.load(Ordering::Relaxed) {
            return Err(io::Error::from_raw_os_error(libc::EBADF));
        }
        let mut rest = bytes;
        while !rest.is_empty() {
            // SAFETY: `rest` is a valid, initialised buffer of `rest.len()` bytes that
            // outlives the call; write(2) only reads from it.
            let n = unsafe { libc::write(1, rest.as_ptr().cast(), rest.len()) };
            if n < 0 {
                let e = io::Error::last_os_error();
                if e.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(e);
            }
            if n == 0 {
                return Err(io::Error::from(io::ErrorKind::WriteZero));
            }
            rest = &rest[(n as usize).min(rest.len())..];
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        let mut o = io::stdout().lock();
        o.write_all(bytes).and_then(|_| o.flush())
    }
}

/// Restores the default SIGPIPE disposition, so that writing to a closed pipe ends the
/// process quietly, as it does for the C tools (Rust's runtime ignores SIGPIPE).
pub fn default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: setting a signal disposition to SIG_DFL has no memory-safety preconditions.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strerror_texts() {
        assert_eq!(strerror(libc::ENOSPC), "No space left on device");
        assert_eq!(strerror(libc::ERANGE), "Numerical result out of range");
        assert_eq!(
            io_strerror(&io::Error::from_raw_os_error(libc::ENOENT)),
            "No such file or directory"
        );
    }

    #[test]
    fn short_names() {
        assert_eq!(short_name(b"/usr/bin/free"), "free");
        assert_eq!(short_name(b"free"), "free");
        assert_eq!(short_name(b"dir/"), "");
    }
}
