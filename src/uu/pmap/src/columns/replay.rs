//! The replay records: pass 1 keeps a compact copy of every mapping pass 2 prints, so
//! smaps is read only once, as long as they fit in a budget ([`super::passes`]); past it
//! they are dropped and pass 2 reads the file again, as procps does. This bounds memory
//! for any number of mappings.
//!
//! Encoding of one [`Rec`]: its seven strings length-prefixed (varint length, bytes); the
//! VmFlags text as varint `len + 1` (0: no VmFlags line) and bytes; the number of values,
//! then each value as a varint `v << 1` when it is a canonical decimal below 2^63 (no
//! leading zero, at most 18 digits), else `len << 1 | 1` and the digits verbatim, so every
//! digit string comes back exactly.

use super::mapping::{dec_saturating, Rec};

/// The records are kept in chunks of this size (no reallocation peaks).
const CHUNK: usize = 256 * 1024;

/// The records of pass 1.
pub(super) struct Replay {
    pub chunks: Vec<Vec<u8>>,
    size: usize,
    budget: usize,
    /// The budget was exceeded: the records are gone, pass 2 reads the file again.
    pub overflow: bool,
}

impl Replay {
    pub fn new(budget: usize) -> Replay {
        Replay {
            chunks: Vec::new(),
            size: 0,
            budget,
            overflow: false,
        }
    }

    /// Appends one encoded record, or drops everything once the budget is exceeded.
    pub fn push(&mut self, rec: &[u8]) {
        if self.overflow {
            return;
        }
        self.size += rec.len();
        if self.size > self.budget {
            self.overflow = true;
            self.chunks = Vec::new();
            return;
        }
        match self.chunks.last_mut() {
            Some(c) if c.capacity() - c.len() >= rec.len() => c.extend_from_slice(rec),
            _ => {
                let mut c = Vec::with_capacity(CHUNK.max(rec.len()));
                c.extend_from_slice(rec);
                self.chunks.push(c);
            }
        }
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(b: &[u8], p: &mut usize) -> u64 {
    let mut v = 0u64;
    let mut shift = 0;
    while let Some(&x) = b.get(*p) {
        *p += 1;
        if shift < 64 {
            v |= u64::from(x & 0x7f) << shift;
        }
        shift += 7;
        if x & 0x80 == 0 {
            break;
        }
    }
    v
}

/// The next `n` bytes at `*p` (fewer at the end of `b`).
fn get_n<'a>(b: &'a [u8], p: &mut usize, n: u64) -> &'a [u8] {
    let s = (*p).min(b.len());
    let e = s.saturating_add(n as usize).min(b.len());
    *p = e;
    &b[s..e]
}

impl Rec {
    /// Appends this record's encoding (see the module comment).
    pub fn encode(&self, out: &mut Vec<u8>) {
        for v in &self.text {
            put_varint(out, v.len() as u64);
            out.extend_from_slice(v);
        }
        if self.has_flags {
            put_varint(out, self.flags.len() as u64 + 1);
            out.extend_from_slice(&self.flags);
        } else {
            put_varint(out, 0);
        }
        put_varint(out, self.ends.len() as u64);
        for i in 0..self.ends.len() {
            let v = self.value(i);
            let canonical = !v.is_empty() && v.len() <= 18 && (v[0] != b'0' || v.len() == 1);
            if canonical {
                put_varint(out, dec_saturating(v) << 1);
            } else {
                put_varint(out, ((v.len() as u64) << 1) | 1);
                out.extend_from_slice(v);
            }
        }
    }

    /// Replaces this record with the one encoded at `*p`, and moves `*p` past it.
    pub fn decode(&mut self, b: &[u8], p: &mut usize) {
        self.clear();
        for dst in &mut self.text {
            let n = get_varint(b, p);
            dst.extend_from_slice(get_n(b, p, n));
        }
        let f = get_varint(b, p);
        if f > 0 {
            self.has_flags = true;
            self.flags.extend_from_slice(get_n(b, p, f - 1));
        }
        let n = get_varint(b, p);
        for _ in 0..n {
            let v = get_varint(b, p);
            if v & 1 == 0 {
                let mut tmp = [0u8; 20];
                self.vals
                    .extend_from_slice(memtools_core::sink::fmt_dec(v >> 1, &mut tmp));
            } else {
                self.vals.extend_from_slice(get_n(b, p, v >> 1));
            }
            self.ends.push(self.vals.len());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::columns::mapping::{START, TAIL};

    /// Every digit string comes back exactly: leading zeros, values above 2^63, empty.
    #[test]
    fn records_round_trip() {
        let mut rec = Rec::default();
        rec.text[START].extend_from_slice(b"7fff0000");
        rec.text[TAIL].extend_from_slice(b"/lib/x.so");
        rec.vals.extend_from_slice(b"0070018446744073709551615");
        rec.ends.extend([3, 4, 25, 25]);
        rec.flags.extend_from_slice(b"rd wr");
        rec.has_flags = true;
        let mut buf = Vec::new();
        rec.encode(&mut buf);
        rec.encode(&mut buf);
        let mut back = Rec::default();
        let mut p = 0;
        for _ in 0..2 {
            back.decode(&buf, &mut p);
            assert_eq!(back.vals, rec.vals);
            assert_eq!(back.ends, rec.ends);
            assert_eq!((&back.text, &back.flags), (&rec.text, &rec.flags));
            assert!(back.has_flags);
        }
        assert_eq!(p, buf.len());
        // A truncated record decodes to what is there, without a panic.
        back.decode(&buf[..5], &mut 0);
    }
}
