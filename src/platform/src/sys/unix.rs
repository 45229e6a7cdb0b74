//! The POSIX calls that Linux and macOS make the same way. `linux.rs` and `macos.rs`
//! re-export what they take from here unchanged, so every OS module still offers the whole
//! set of functions (see the crate documentation).

use crate::memory::Limit;
use std::io;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicI32, Ordering};

/// The VM page size in bytes (`sysconf(_SC_PAGESIZE)`; 4096 if that fails).
pub fn page_size() -> u64 {
    // SAFETY: sysconf has no preconditions.
    let n = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    if n > 0 {
        n as u64
    } else {
        4096
    }
}

/// The width in columns of the terminal on standard output (`isatty(1)`, then
/// `ioctl(TIOCGWINSZ)`); `None` when stdout is not a terminal or says 0 columns.
pub fn terminal_width() -> Option<usize> {
    // SAFETY: isatty only looks at the descriptor table; any fd number is allowed.
    if unsafe { libc::isatty(1) } != 1 {
        return None;
    }
    match columns_of(1) {
        Ok(c) if c > 0 => Some(c as usize),
        _ => None,
    }
}

/// The columns of the terminal on standard input as `stty size` reports them
/// (`ioctl(TIOCGWINSZ)` on fd 0; 0 when the terminal has no size set), or the error stty
/// reports (ENOTTY when stdin is not a terminal).
pub fn stdin_columns() -> io::Result<u16> {
    columns_of(0)
}

fn columns_of(fd: libc::c_int) -> io::Result<u16> {
    // SAFETY: winsize is plain old data, so all-zero is a valid value.
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    // SAFETY: TIOCGWINSZ writes one winsize into the struct we pass and nothing else; any
    // fd number is allowed (the call then fails with EBADF or ENOTTY).
    if unsafe { libc::ioctl(fd, libc::TIOCGWINSZ, &mut ws) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(ws.ws_col)
}

/// A resource limit's soft value (`getrlimit`), `None` when unlimited or unreadable.
pub fn soft_limit(limit: Limit) -> Option<u64> {
    let res = match limit {
        Limit::AddressSpace => libc::RLIMIT_AS,
        Limit::Memlock => libc::RLIMIT_MEMLOCK,
    };
    let mut rl = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: rl is a valid, writable rlimit.
    let rc = unsafe { libc::getrlimit(res, &mut rl) };
    if rc != 0 || rl.rlim_cur == libc::RLIM_INFINITY {
        return None;
    }
    Some(rl.rlim_cur)
}

/// Local time as vmmap prints it: `2025-04-14 23:26:23.826 +0800` (`localtime_r` and
/// `strftime`); `???` when the C library cannot say.
pub fn local_time_text(secs: i64, millis: u32) -> String {
    // SAFETY: tm is plain old data; localtime_r fills it from the given time and strftime
    // writes at most buf.len() bytes, NUL-terminated, returning the length.
    unsafe {
        let t: libc::time_t = secs as libc::time_t;
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&t, &mut tm).is_null() {
            return String::from("???");
        }
        let mut day = [0 as libc::c_char; 64];
        let mut zone = [0 as libc::c_char; 16];
        let n1 = libc::strftime(
            day.as_mut_ptr(),
            day.len(),
            c"%Y-%m-%d %H:%M:%S".as_ptr(),
            &tm,
        );
        let n2 = libc::strftime(zone.as_mut_ptr(), zone.len(), c"%z".as_ptr(), &tm);
        if n1 == 0 || n2 == 0 {
            return String::from("???");
        }
        let d = std::ffi::CStr::from_ptr(day.as_ptr()).to_string_lossy();
        let z = std::ffi::CStr::from_ptr(zone.as_ptr()).to_string_lossy();
        format!("{d}.{millis:03} {z}")
    }
}

/// The first stop signal received, 0 while none has come.
static STOP_SIGNAL: AtomicI32 = AtomicI32::new(0);

extern "C" fn on_stop_signal(sig: libc::c_int) {
    if STOP_SIGNAL.swap(sig, Ordering::SeqCst) != 0 {
        // SAFETY: signal() and raise() are async-signal-safe. Restoring the default action
        // and raising the signal again ends the process as the signal would have.
        unsafe {
            libc::signal(sig, libc::SIG_DFL);
            libc::raise(sig);
        }
    }
}

/// Catches SIGINT and SIGTERM: the first one is recorded for [`stop_signal`]; a second one
/// ends the process at once, by the signal's default action. Installed without
/// `SA_RESTART`, so sleeps are cut short.
pub fn catch_stop_signals() -> io::Result<()> {
    for sig in [libc::SIGINT, libc::SIGTERM] {
        // SAFETY: a zeroed sigaction is a valid starting value; the handler only touches an
        // atomic and calls async-signal-safe functions.
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = on_stop_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
            libc::sigemptyset(&mut sa.sa_mask);
            sa.sa_flags = 0;
            if libc::sigaction(sig, &sa, std::ptr::null_mut()) != 0 {
                return Err(io::Error::last_os_error());
            }
        }
    }
    Ok(())
}

/// The stop signal received since [`catch_stop_signals`], if any.
pub fn stop_signal() -> Option<i32> {
    match STOP_SIGNAL.load(Ordering::SeqCst) {
        0 => None,
        s => Some(s),
    }
}

/// A stop signal's name (`SIGINT`, `SIGTERM`); `a signal` for any other number.
pub fn signal_name(sig: i32) -> &'static str {
    match sig {
        libc::SIGINT => "SIGINT",
        libc::SIGTERM => "SIGTERM",
        _ => "a signal",
    }
}

/// A new private anonymous read/write mapping of `len` bytes (`mmap`), zero-filled. No
/// page is touched.
pub fn map_anonymous(len: usize) -> io::Result<NonNull<u64>> {
    // SAFETY: a fresh anonymous mapping at an address of the kernel's choosing does not
    // alias any existing Rust object.
    let p = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            len,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANON,
            -1,
            0,
        )
    };
    if p == libc::MAP_FAILED {
        return Err(io::Error::last_os_error());
    }
    NonNull::new(p as *mut u64).ok_or_else(|| io::Error::from_raw_os_error(libc::ENOMEM))
}

/// Unmaps what [`map_anonymous`] returned (`munmap`).
///
/// # Safety
/// `ptr` and `len` are exactly a mapping made by [`map_anonymous`], and nothing refers into
/// it any more.
pub unsafe fn unmap(ptr: NonNull<u64>, len: usize) {
    // SAFETY: the caller guarantees the range is a whole mapping of ours and unused.
    unsafe {
        libc::munmap(ptr.as_ptr() as *mut libc::c_void, len);
    }
}

/// `mlock`s the pages under `words`: the kernel faults them in now and keeps them resident.
pub fn mlock(words: &[u64]) -> io::Result<()> {
    // SAFETY: the range is a live slice; mlock does not change its contents.
    if unsafe { libc::mlock(words.as_ptr() as *const libc::c_void, size_of_val(words)) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Creates the symbolic link `link` pointing to `target`.
pub fn symlink(target: &std::path::Path, link: &std::path::Path) -> io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_time_shape() {
        let t = local_time_text(0, 7);
        assert_eq!(t.len(), "1970-01-01 00:00:00.007 +0000".len(), "{t}");
        assert!(t.contains(".007 "), "{t}");
    }

    #[test]
    fn page_size_is_a_power_of_two() {
        assert!(page_size().is_power_of_two() && page_size() >= 4096);
    }

    #[test]
    fn stdin_of_the_tests_is_no_terminal_or_has_a_size() {
        // /dev/null or a pipe under cargo test: ENOTTY; a terminal: its width.
        match stdin_columns() {
            Ok(_) => {}
            Err(e) => assert!(matches!(
                e.raw_os_error(),
                Some(libc::ENOTTY | libc::EBADF | libc::EINVAL)
            )),
        }
    }

    #[test]
    fn signal_names() {
        assert_eq!(signal_name(libc::SIGINT), "SIGINT");
        assert_eq!(signal_name(libc::SIGTERM), "SIGTERM");
        assert_eq!(signal_name(libc::SIGHUP), "a signal");
        assert_eq!(stop_signal(), None);
    }
}
