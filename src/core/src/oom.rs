//! Running out of memory: a clear message and exit status 1 instead of Rust's default
//! (`memory allocation of N bytes failed`, then SIGABRT and a core dump).
//!
//! This matters under a tight `ulimit -v`: between the limit at which the dynamic loader
//! itself fails and the one at which the applets run normally there is a band where the
//! program starts but its heap cannot grow. The global allocator below is the system one; it
//! only turns a failed allocation into `NAME: out of memory: cannot allocate N bytes (see
//! `ulimit -v`)` on stderr and `_exit(1)`. No code in memtools uses fallible allocation
//! (`try_reserve`), so treating every failure as fatal loses nothing.
//!
//! The binary installs it (`#[global_allocator]` in src/main.rs); libraries and tests keep
//! Rust's default.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::OnceLock;

/// The name used in the message: the applet's, once the dispatcher knows it.
static NAME: OnceLock<&'static str> = OnceLock::new();

/// Records the applet name for the out-of-memory message (does not allocate).
pub fn set_name(name: &'static str) {
    let _ = NAME.set(name);
}

pub struct Allocator;

// SAFETY: every method forwards to `System` with the caller's arguments unchanged; the only
// addition is a diverging call when `System` reports failure, which returns nothing.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees (non-zero size layout).
        let p = unsafe { System.alloc(layout) };
        if p.is_null() {
            out_of_memory(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let p = unsafe { System.alloc_zeroed(layout) };
        if p.is_null() {
            out_of_memory(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from this allocator, i.e. from `System`, with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from `System` with `layout`; the caller guarantees new_size.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if p.is_null() {
            out_of_memory(new_size);
        }
        p
    }
}

/// Writes the message with no allocation (a stack buffer and one `write(2)`) and exits 1.
fn out_of_memory(size: usize) -> ! {
    let mut buf = [0u8; 160];
    let mut n = 0;
    let mut put = |s: &[u8]| {
        for &b in s {
            if n < buf.len() {
                buf[n] = b;
                n += 1;
            }
        }
    };
    put(NAME.get().copied().unwrap_or("memtools").as_bytes());
    put(b": out of memory: cannot allocate ");
    let mut digits = [0u8; 20];
    put(crate::sink::fmt_dec(size as u64, &mut digits));
    put(b" bytes (see `ulimit -v`)\n");
    // SAFETY: write(2) and _exit(2) are async-signal-safe and take a valid buffer/length.
    unsafe {
        libc::write(2, buf.as_ptr().cast(), n);
        libc::_exit(1)
    }
}
