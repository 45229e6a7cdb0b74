//! The one way applets write to stdout: [`Sink`], a buffer with fast number formatting in
//! front of [`Stdout`], the raw file descriptor 1.
//!
//! Why not `std::io::stdout()`: Rust's standard stdout treats EBADF as success (a closed
//! stdout swallows everything silently), while the C tools memtools imitates report
//! `NAME: write error: Bad file descriptor` and exit 1. [`Stdout`] reports every error the
//! kernel gives, and EBADF when fd 1 was closed before the program started (Rust's runtime
//! reopens it on /dev/null before `main`; see [`crate::out`]).
//!
//! A [`Sink`] keeps the first write error and writes nothing after it; [`Sink::finish`]
//! turns that error into the applet's [`Failure`] (`NAME: write error: <strerror>`, status
//! 1), so no applet reports write errors its own way. A closed pipe ends the process by
//! SIGPIPE before any of this (the dispatcher restores SIGPIPE's default action), as it
//! ends the C tools.

use crate::failure::Failure;
use std::io::{self, Write};

/// File descriptor 1, written with plain `write(2)` calls (see the module comment).
#[derive(Debug, Default, Clone, Copy)]
pub struct Stdout;

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        crate::out::write_stdout(buf).map(|()| buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Output collected in a buffer and handed to the writer in large blocks (at
/// [`Sink::maybe_flush`] once [`FLUSH_AT`] bytes are waiting, and at [`Sink::flush`]).
pub struct Sink<W: Write = Stdout> {
    /// The bytes not yet written. Renderers may append to it directly.
    pub buf: Vec<u8>,
    inner: W,
    error: Option<io::Error>,
}

/// How much [`Sink::maybe_flush`] lets accumulate.
pub const FLUSH_AT: usize = 64 * 1024;

impl Sink<Stdout> {
    /// A sink in front of file descriptor 1.
    pub fn stdout() -> Self {
        Sink::new(Stdout)
    }
}

impl Default for Sink<Vec<u8>> {
    fn default() -> Self {
        Sink::new(Vec::new())
    }
}

impl<W: Write> Sink<W> {
    pub fn new(inner: W) -> Self {
        Sink {
            buf: Vec::with_capacity(FLUSH_AT + 4096),
            inner,
            error: None,
        }
    }

    /// Flushes and returns the underlying writer (tests: a `Sink<Vec<u8>>`'s bytes).
    pub fn into_inner(mut self) -> W {
        self.flush();
        self.inner
    }

    /// Writes the buffer out if it holds [`FLUSH_AT`] bytes or more.
    #[inline]
    pub fn maybe_flush(&mut self) {
        if self.buf.len() >= FLUSH_AT {
            self.flush();
        }
    }

    /// Writes everything buffered. After a failed write the rest is dropped and the first
    /// error kept. Returns whether all output so far reached the writer.
    pub fn flush(&mut self) -> bool {
        if self.error.is_none() && !self.buf.is_empty() {
            if let Err(e) = self.inner.write_all(&self.buf) {
                self.error = Some(e);
            }
        }
        self.buf.clear();
        if self.error.is_none() {
            if let Err(e) = self.inner.flush() {
                self.error = Some(e);
            }
        }
        self.error.is_none()
    }

    /// The first write error, if any.
    pub fn error(&self) -> Option<&io::Error> {
        self.error.as_ref()
    }

    /// Flushes, then `Ok(())`, or the write error as `NAME: write error: <strerror>`
    /// with exit status 1.
    pub fn finish(mut self, name: &str) -> Result<(), Failure> {
        self.flush();
        match self.error.take() {
            Some(e) => Err(Failure::write_error(name, Some(&e))),
            None => Ok(()),
        }
    }

    #[inline]
    pub fn bytes(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
    }

    #[inline]
    pub fn str(&mut self, s: &str) {
        self.buf.extend_from_slice(s.as_bytes());
    }

    #[inline]
    pub fn byte(&mut self, b: u8) {
        self.buf.push(b);
    }

    #[inline]
    pub fn spaces(&mut self, n: usize) {
        self.buf.resize(self.buf.len() + n, b' ');
    }

    /// `%*s`: right-justified in `w`.
    #[inline]
    pub fn right(&mut self, s: &[u8], w: usize) {
        if s.len() < w {
            self.spaces(w - s.len());
        }
        self.bytes(s);
    }

    /// `%-*s`: left-justified in `w`.
    #[inline]
    pub fn left(&mut self, s: &[u8], w: usize) {
        self.bytes(s);
        if s.len() < w {
            self.spaces(w - s.len());
        }
    }

    /// `%*lu`.
    #[inline]
    pub fn dec(&mut self, v: u64, w: usize) {
        let mut tmp = [0u8; 20];
        let s = fmt_dec(v, &mut tmp);
        self.right(s, w);
    }

    /// `%*ld` of a signed value.
    pub fn sdec(&mut self, v: i64, w: usize) {
        if v < 0 {
            let mut tmp = [0u8; 21];
            let mut t2 = [0u8; 20];
            let s = fmt_dec(v.unsigned_abs(), &mut t2);
            tmp[0] = b'-';
            tmp[1..1 + s.len()].copy_from_slice(s);
            self.right(&tmp[..s.len() + 1], w);
        } else {
            self.dec(v as u64, w);
        }
    }

    /// `%0*lx`.
    #[inline]
    pub fn hex0(&mut self, v: u64, w: usize) {
        let mut tmp = [0u8; 16];
        let s = fmt_hex(v, &mut tmp);
        for _ in s.len()..w {
            self.buf.push(b'0');
        }
        self.bytes(s);
    }
}

impl<W: Write> std::fmt::Write for Sink<W> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.str(s);
        Ok(())
    }
}

/// Decimal digits of `v` in `tmp`.
#[inline]
pub fn fmt_dec(mut v: u64, tmp: &mut [u8; 20]) -> &[u8] {
    let mut i = 20;
    loop {
        i -= 1;
        tmp[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    &tmp[i..]
}

/// Lower-case hex digits of `v` in `tmp`.
#[inline]
pub fn fmt_hex(mut v: u64, tmp: &mut [u8; 16]) -> &[u8] {
    let mut i = 16;
    loop {
        i -= 1;
        tmp[i] = b"0123456789abcdef"[(v & 15) as usize];
        v >>= 4;
        if v == 0 {
            break;
        }
    }
    &tmp[i..]
}

/// Number of decimal digits (`digits(0) = 1`).
pub fn digits(v: u64) -> usize {
    let mut tmp = [0u8; 20];
    fmt_dec(v, &mut tmp).len()
}

/// Prints `text` to stdout at once; the exit status: 0, or 1 after reporting a write error
/// as `NAME: write error: <strerror>` (help and version texts, short reports).
pub fn print(name: &str, text: &[u8]) -> i32 {
    let mut s = Sink::stdout();
    s.bytes(text);
    match s.finish(name) {
        Ok(()) => 0,
        Err(f) => {
            crate::out::eprint_bytes(&f.message);
            f.status
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_padding() {
        let mut s = Sink::default();
        s.dec(42, 5);
        s.sdec(-7, 4);
        s.hex0(0xbeef, 8);
        s.left(b"ab", 4);
        s.right(b"cd", 3);
        s.dec(u64::MAX, 0);
        assert_eq!(
            String::from_utf8_lossy(&s.into_inner()),
            "   42  -70000beefab   cd18446744073709551615"
        );
        assert_eq!(digits(0), 1);
        assert_eq!(digits(1000), 4);
    }

    /// A writer that fails after `ok` bytes.
    struct Full(usize);
    impl Write for Full {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            if self.0 == 0 {
                return Err(io::Error::from_raw_os_error(libc::ENOSPC));
            }
            let n = b.len().min(self.0);
            self.0 -= n;
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn first_error_is_kept_and_reported() {
        let mut s = Sink::new(Full(3));
        s.str("hello");
        assert!(!s.flush());
        s.str("more");
        assert!(!s.flush());
        let f = s.finish("pmap").unwrap_err();
        assert_eq!(f.status, 1);
        assert_eq!(f.message, b"pmap: write error: No space left on device\n");
    }
}
