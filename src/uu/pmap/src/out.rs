//! A buffered stdout with fast number formatting (no `fmt` machinery in the hot loops).

use std::io::{self, Write};

/// Collects output bytes and hands them to the underlying writer in large blocks. The first
/// write error is kept and reported once at exit, as C's `close_stdout` does.
pub struct Out<W: Write> {
    pub buf: Vec<u8>,
    inner: W,
    pub error: Option<io::Error>,
}

const FLUSH_AT: usize = 64 * 1024;

impl<W: Write> Out<W> {
    pub fn new(inner: W) -> Self {
        Out {
            buf: Vec::with_capacity(FLUSH_AT + 4096),
            inner,
            error: None,
        }
    }

    /// Flushes and returns the underlying writer.
    pub fn into_inner(mut self) -> W {
        self.flush();
        self.inner
    }

    #[inline]
    pub fn maybe_flush(&mut self) {
        if self.buf.len() >= FLUSH_AT {
            self.flush();
        }
    }

    pub fn flush(&mut self) {
        if !self.buf.is_empty() {
            if self.error.is_none() {
                if let Err(e) = self.inner.write_all(&self.buf) {
                    self.error = Some(e);
                }
            }
            self.buf.clear();
        }
        if self.error.is_none() {
            if let Err(e) = self.inner.flush() {
                self.error = Some(e);
            }
        }
    }

    #[inline]
    pub fn bytes(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
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
            let l = s.len() + 1;
            self.right(&tmp[..l], w);
        } else {
            self.dec(v as u64, w);
        }
    }

    /// `%0*lx`.
    #[inline]
    pub fn hex0(&mut self, v: u64, w: usize) {
        let mut tmp = [0u8; 16];
        let mut i = 16;
        let mut x = v;
        loop {
            i -= 1;
            tmp[i] = b"0123456789abcdef"[(x & 15) as usize];
            x >>= 4;
            if x == 0 {
                break;
            }
        }
        let s = &tmp[i..];
        for _ in s.len()..w {
            self.buf.push(b'0');
        }
        self.bytes(s);
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

/// Number of decimal digits (`digits(0) = 1`).
pub fn digits(v: u64) -> usize {
    let mut tmp = [0u8; 20];
    fmt_dec(v, &mut tmp).len()
}
