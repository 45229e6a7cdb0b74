//! What one pass writes into a slice of the mapping.
//!
//! A full pass writes every 8-byte word ([`fill_words`]: streaming stores on x86-64,
//! `memset` elsewhere, see `memtools_platform::memory`); a page pass one word per page.
//! The value changes every pass (see [`pattern`]) and is the same byte repeated, so both
//! kernels write the same bits.

pub use memtools_platform::memory::{fill_words, touch_pages};

/// The 8-byte value written on pass `pass`: one non-zero byte, different from the previous
/// pass's, repeated eight times.
pub fn pattern(pass: u64) -> u64 {
    let byte = (pass % 255) + 1;
    0x0101_0101_0101_0101u64.wrapping_mul(byte)
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
}
