//! C `fgets` over any reader: a large buffer, no allocation per line, and the C-string view
//! a C program has of each piece it reads (the text before a NUL byte).

use std::io::{self, Read, Seek, SeekFrom};
use std::ops::Range;

/// `fgets` over any reader, with a large internal buffer and no per-line allocation.
pub struct LineReader<R> {
    inner: R,
    buf: Vec<u8>,
    pos: usize,
    len: usize,
    eof: bool,
    /// `buf[pos..len]` held a NUL byte when it was last filled: only then do C-string
    /// reads ([`LineReader::fgets_c`]) look for one in each line.
    has_nul: bool,
}

/// The default buffer: big enough that even a 60,000-mapping smaps needs few syscalls.
pub const LINE_READER_BUF: usize = 256 * 1024;

impl<R: Read> LineReader<R> {
    pub fn new(inner: R) -> Self {
        Self::with_capacity(inner, LINE_READER_BUF)
    }

    pub fn with_capacity(inner: R, cap: usize) -> Self {
        LineReader {
            inner,
            buf: vec![0; cap.max(4096)],
            pos: 0,
            len: 0,
            eof: false,
            has_nul: false,
        }
    }

    /// The `size` that makes [`fgets`](Self::fgets) return whole lines (cut at the buffer
    /// size when longer).
    pub fn whole_line(&self) -> usize {
        self.buf.len() + 1
    }

    fn fill(&mut self) -> io::Result<()> {
        if self.pos > 0 {
            self.buf.copy_within(self.pos..self.len, 0);
            self.len -= self.pos;
            self.pos = 0;
        }
        while !self.eof && self.len < self.buf.len() {
            match self.inner.read(&mut self.buf[self.len..]) {
                Ok(0) => self.eof = true,
                Ok(n) => {
                    let new = self.len;
                    self.len += n;
                    // One scan of the new bytes per fill keeps the per-line cost of
                    // `fgets_c` at zero for files without NULs (the carried-over bytes are
                    // scanned again only when they may hold one).
                    let from = if self.has_nul { 0 } else { new };
                    self.has_nul = memchr::memchr(0, &self.buf[from..self.len]).is_some();
                    return Ok(());
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// C `fgets(buf, size, f)`: the next line including its `\n`, or at most `size - 1`
    /// bytes of it when it is longer. `None` at end of file.
    #[inline]
    pub fn fgets(&mut self, size: usize) -> io::Result<Option<&[u8]>> {
        Ok(self.fgets_range(size)?.map(|r| &self.buf[r]))
    }

    /// Where the next `fgets` piece is in the buffer ([`piece`](Self::piece) reads it; the
    /// range stays valid until the next read).
    #[inline]
    pub fn fgets_range(&mut self, size: usize) -> io::Result<Option<Range<usize>>> {
        let max = size.saturating_sub(1).max(1);
        loop {
            let avail = &self.buf[self.pos..self.len];
            let lim = avail.len().min(max);
            if let Some(nl) = memchr::memchr(b'\n', &avail[..lim]) {
                let s = self.pos;
                self.pos += nl + 1;
                return Ok(Some(s..s + nl + 1));
            }
            if avail.len() >= max || self.eof {
                if avail.is_empty() {
                    return Ok(None);
                }
                let s = self.pos;
                self.pos += lim;
                return Ok(Some(s..s + lim));
            }
            self.fill()?;
        }
    }

    /// The piece at `r` (from [`fgets_range`](Self::fgets_range)) as it lands in a C
    /// buffer.
    #[inline]
    pub fn piece(&self, r: Range<usize>) -> &[u8] {
        &self.buf[r]
    }

    /// The piece at `r` seen as a C string (see [`fgets_c`](Self::fgets_c)).
    #[inline]
    pub fn piece_c(&self, r: Range<usize>) -> &[u8] {
        let piece = &self.buf[r];
        if self.has_nul {
            c_str(piece)
        } else {
            piece
        }
    }

    /// [`fgets`](Self::fgets) seen as a C string, as a C program's string functions see the
    /// buffer: the text before the first NUL byte (the piece is still consumed whole). A
    /// piece that starts with NUL is empty; whether the C string ends with `\n` is what a C
    /// caller's "was the whole line read" test sees.
    #[inline]
    pub fn fgets_c(&mut self, size: usize) -> io::Result<Option<&[u8]>> {
        Ok(self.fgets_range(size)?.map(|r| self.piece_c(r)))
    }

    /// [`fgets`](Self::fgets) both ways: the whole piece as it lands in a C buffer, and its
    /// C string (see [`fgets_c`](Self::fgets_c)).
    #[inline]
    pub fn fgets_both(&mut self, size: usize) -> io::Result<Option<(&[u8], &[u8])>> {
        Ok(self
            .fgets_range(size)?
            .map(|r| (self.piece(r.clone()), self.piece_c(r))))
    }

    /// The next whole line (with its `\n` when present), however long: lines longer than
    /// the buffer are cut at the buffer size.
    pub fn line(&mut self) -> io::Result<Option<&[u8]>> {
        self.fgets(self.whole_line())
    }
}

impl<R: Read + Seek> LineReader<R> {
    /// Back to the start of the file (C `fseek(f, 0, SEEK_SET)`).
    pub fn rewind(&mut self) -> io::Result<()> {
        self.inner.seek(SeekFrom::Start(0))?;
        self.pos = 0;
        self.len = 0;
        self.eof = false;
        self.has_nul = false;
        Ok(())
    }
}

/// A reader with C stdio's error rule: `fgets` returns NULL on a read error just as at the
/// end of the file, and a C program reading lines stops there. So a file that opens but
/// cannot be read (a directory: EISDIR; EIO) reads as empty or shortened, as procps-ng
/// shows it. `Interrupted` is passed on (the reader retries it).
pub struct CStdio<R>(pub R);

impl<R: Read> Read for CStdio<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.0.read(buf) {
            Err(e) if e.kind() != io::ErrorKind::Interrupted => Ok(0),
            r => r,
        }
    }
}

impl<R: Seek> Seek for CStdio<R> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.0.seek(pos)
    }
}

/// The C string at the start of `s`: the bytes before the first NUL (all of `s` if none).
pub fn c_str(s: &[u8]) -> &[u8] {
    match memchr::memchr(0, s) {
        Some(n) => &s[..n],
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fgets_pieces_and_c_strings() {
        let data = b"abcdef\nxy".to_vec();
        let mut r = LineReader::with_capacity(std::io::Cursor::new(data), 4096);
        let mut pieces = Vec::new();
        while let Some(p) = r.fgets(4).unwrap() {
            pieces.push(p.to_vec());
        }
        assert_eq!(pieces, [&b"abc"[..], b"def", b"\n", b"xy"]);
        r.rewind().unwrap();
        assert_eq!(r.line().unwrap(), Some(&b"abcdef\n"[..]));
        let data = b"ab\0cd\n\0x\nlast\n".to_vec();
        let mut r = LineReader::with_capacity(std::io::Cursor::new(data), 4096);
        let mut pieces = Vec::new();
        while let Some(p) = r.fgets_c(100).unwrap() {
            pieces.push(p.to_vec());
        }
        assert_eq!(pieces, [&b"ab"[..], b"", b"last\n"]);
        assert_eq!(c_str(b"a\0b\0"), b"a");
    }
}
