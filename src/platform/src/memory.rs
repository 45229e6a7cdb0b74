//! Memory this process holds on purpose (memory-user): one owned anonymous mapping with a
//! safe API over the OS calls made on it (`mmap`, `mlock`, `madvise`, `munmap`, in
//! [`crate::sys`]), and the fastest way this CPU has to write it.
//!
//! A full write uses, on x86-64, non-temporal (streaming) SSE2 stores: they go to memory
//! without first reading each cache line in, which ordinary stores (and `memset` below
//! glibc's non-temporal threshold) must do, so a pass moves half the bytes and runs at the
//! machine's write bandwidth. Elsewhere it is `memset` (`ptr::write_bytes`), which the C
//! library already tunes for its CPU.

use crate::sys;
use std::io;
use std::ptr::NonNull;

/// A resource limit that bounds how much memory a process may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    /// `RLIMIT_AS` (`ulimit -v`): the size of the address space.
    AddressSpace,
    /// `RLIMIT_MEMLOCK` (`ulimit -l`): how much may be locked in memory.
    Memlock,
}

/// A private anonymous read/write mapping, unmapped on drop.
pub struct Mapping {
    ptr: NonNull<u64>,
    len: usize,
}

impl Mapping {
    /// Maps `len` bytes (a positive multiple of the page size). No page is touched: the
    /// resident size grows only as the memory is written.
    pub fn new(len: usize) -> io::Result<Mapping> {
        let ptr = sys::map_anonymous(len)?;
        Ok(Mapping { ptr, len })
    }

    pub fn size(&self) -> usize {
        self.len
    }

    /// The whole mapping as words (anonymous memory starts zeroed, so every word is a
    /// valid u64).
    pub fn words(&mut self) -> &mut [u64] {
        // SAFETY: ptr is page-aligned and valid for len bytes for the life of self; the
        // &mut borrow of self makes this the only reference.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len / 8) }
    }

    fn words_ref(&self) -> &[u64] {
        // SAFETY: as for `words`; the shared borrow of self excludes any &mut.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len / 8) }
    }

    /// Locks the mapping in memory. With `on_fault` (Linux 4.4 and later) pages are
    /// locked as they are first touched (`mlock2(MLOCK_ONFAULT)`), so a ramp still grows
    /// gradually; otherwise (and where that is not available) `mlock` faults every page in
    /// now.
    pub fn lock(&self, on_fault: bool) -> io::Result<()> {
        sys::lock(self.words_ref(), on_fault)
    }

    /// Asks for transparent huge pages (Linux `madvise(MADV_HUGEPAGE)`; an `Unsupported`
    /// error elsewhere).
    pub fn advise_hugepages(&self) -> io::Result<()> {
        sys::advise_hugepages(self.words_ref())
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: the range is the mapping map_anonymous made for us; no reference into it
        // outlives self (words() borrows self mutably).
        unsafe { sys::unmap(self.ptr, self.len) }
    }
}

/// Faults in the pages under `words` for writing, in one system call
/// (`madvise(MADV_POPULATE_WRITE)`, Linux 5.14+). The kernel then allocates and zeroes
/// pages in a batch instead of taking one fault per page during the first pass, which makes
/// the memory resident sooner. Callers pass whole pages of a [`Mapping`]. `false` when the
/// kernel cannot do it (older kernels, other systems): the first writes then fault the
/// pages in as usual.
pub fn prefault(words: &mut [u64]) -> bool {
    sys::populate_write(words)
}

/// Writes `value` into every word of `words`.
#[inline]
pub fn fill_words(words: &mut [u64], value: u64) {
    fill_impl(words, value);
    // The words are never read back here; keep the compiler from treating the stores of
    // one pass as dead because the next pass overwrites them.
    std::hint::black_box(words.as_mut_ptr());
}

#[cfg(target_arch = "x86_64")]
fn fill_impl(words: &mut [u64], value: u64) {
    use std::arch::x86_64::{__m128i, _mm_set1_epi64x, _mm_sfence, _mm_stream_si128};
    // SAFETY: every bit pattern is a valid u64 and a valid __m128i, so viewing the middle
    // of the slice as 16-byte vectors is sound; align_to_mut handles the alignment.
    let (head, body, tail) = unsafe { words.align_to_mut::<__m128i>() };
    head.fill(value);
    tail.fill(value);
    // SAFETY: SSE2 is part of the x86-64 baseline: every x86-64 CPU has it.
    let v = unsafe { _mm_set1_epi64x(value as i64) };
    let mut blocks = body.chunks_exact_mut(4);
    for b in &mut blocks {
        // SAFETY: each pointer is to an element of `body`: valid for writes and 16-byte
        // aligned, as _mm_stream_si128 requires; SSE2 is part of the x86-64 baseline.
        unsafe {
            _mm_stream_si128(&mut b[0], v);
            _mm_stream_si128(&mut b[1], v);
            _mm_stream_si128(&mut b[2], v);
            _mm_stream_si128(&mut b[3], v);
        }
    }
    for x in blocks.into_remainder() {
        // SAFETY: as above.
        unsafe { _mm_stream_si128(x, v) };
    }
    // Streaming stores are weakly ordered: fence them so that the next pass's (or the
    // report's) view of memory is ordinary again.
    // SAFETY: SSE (sfence) is part of the x86-64 baseline.
    unsafe { _mm_sfence() };
}

#[cfg(not(target_arch = "x86_64"))]
fn fill_impl(words: &mut [u64], value: u64) {
    // SAFETY: the pointer and length come from a live &mut [u64]; writing the same byte
    // into every byte leaves valid u64 values. Callers write one byte repeated (memory-user's
    // `pattern`), so this is the same as writing `value` into every word.
    unsafe {
        std::ptr::write_bytes(words.as_mut_ptr(), value as u8, words.len());
    }
}

/// Writes `value` into the first word of every `page_words`-word page of `words`.
#[inline]
pub fn touch_pages(words: &mut [u64], page_words: usize, value: u64) {
    for w in words.iter_mut().step_by(page_words.max(1)) {
        // SAFETY: `w` is a valid, aligned &mut u64. Volatile, so that one write per page is
        // really made every pass.
        unsafe { std::ptr::write_volatile(w, value) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One byte repeated, as memory-user writes.
    const V: u64 = 0x0303_0303_0303_0303;

    #[test]
    fn map_write_unmap() {
        let ps = sys::page_size() as usize;
        let mut m = Mapping::new(4 * ps).expect("small mapping");
        assert_eq!(m.size(), 4 * ps);
        let w = m.words();
        assert_eq!(w.len(), 4 * ps / 8);
        assert!(w.iter().all(|&x| x == 0));
        w[0] = 1;
        let last = w.len() - 1;
        w[last] = 2;
        prefault(&mut w[..ps / 8]);
        assert_eq!((w[0], w[last]), (1, 2));
    }

    #[test]
    fn impossible_mapping_fails_cleanly() {
        // Half the 64-bit address space: no kernel maps that.
        assert!(Mapping::new(1usize << 62).is_err());
    }

    #[test]
    fn fills_every_word() {
        // Odd lengths and offsets exercise the unaligned head and tail.
        let mut buf = vec![0u64; 1000];
        for (start, end) in [(0, 1000), (1, 999), (3, 8), (5, 6), (7, 7)] {
            buf.fill(0);
            fill_words(&mut buf[start..end], V);
            for (i, &w) in buf.iter().enumerate() {
                let want = if (start..end).contains(&i) { V } else { 0 };
                assert_eq!(w, want, "word {i} of {start}..{end}");
            }
        }
    }

    #[test]
    fn touches_one_word_per_page() {
        let mut buf = vec![0u64; 2048];
        touch_pages(&mut buf, 512, 9);
        let set: Vec<usize> = (0..2048).filter(|&i| buf[i] == 9).collect();
        assert_eq!(set, vec![0, 512, 1024, 1536]);
        assert_eq!(buf.iter().filter(|&&w| w != 0).count(), 4);
    }
}
