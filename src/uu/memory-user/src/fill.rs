//! The pass kernels: what one pass writes into a slice of the mapping.
//!
//! A full pass writes every 8-byte word. On x86-64 it uses non-temporal (streaming) SSE2
//! stores: they go to memory without first reading each cache line in, which ordinary
//! stores (and `memset` below glibc's non-temporal threshold) must do, so the pass moves
//! half the bytes and runs at the machine's write bandwidth. Elsewhere it is `memset`
//! (`ptr::write_bytes`), which the C library already tunes for its CPU.
//!
//! The value changes every pass (see [`pattern`]) and is the same byte repeated, so both
//! kernels write the same bits.

/// The 8-byte value written on pass `pass`: one non-zero byte, different from the previous
/// pass's, repeated eight times.
pub fn pattern(pass: u64) -> u64 {
    let byte = (pass % 255) + 1;
    0x0101_0101_0101_0101u64.wrapping_mul(byte)
}

/// Writes `value` into every word of `words`.
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
    // into every byte leaves valid u64 values. `pattern` repeats one byte, so this is the
    // same as writing `value` into every word.
    unsafe {
        std::ptr::write_bytes(words.as_mut_ptr(), value as u8, words.len());
    }
}

/// Writes `value` into the first word of every `page_words`-word page of `words`.
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

    #[test]
    fn patterns_change_and_repeat_one_byte() {
        for p in 0..600u64 {
            let v = pattern(p);
            assert_ne!(v, 0);
            assert_ne!(v, pattern(p + 1));
            assert!(v.to_le_bytes().iter().all(|&b| b == v as u8));
        }
    }

    #[test]
    fn fills_every_word() {
        // Odd lengths and offsets exercise the unaligned head and tail.
        let mut buf = vec![0u64; 1000];
        for (start, end) in [(0, 1000), (1, 999), (3, 8), (5, 6), (7, 7)] {
            buf.fill(0);
            fill_words(&mut buf[start..end], pattern(3));
            for (i, &w) in buf.iter().enumerate() {
                let want = if (start..end).contains(&i) {
                    pattern(3)
                } else {
                    0
                };
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
