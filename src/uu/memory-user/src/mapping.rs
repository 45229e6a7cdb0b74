//! The one anonymous mapping that holds the memory, and the POSIX calls made on it
//! (`mmap`, `mlock`, `madvise`, `munmap`). These are the same on Linux and macOS.

use std::io;
use std::ptr::NonNull;

/// A private anonymous read/write mapping, unmapped on drop.
pub struct Mapping {
    ptr: NonNull<u64>,
    len: usize,
}

impl Mapping {
    /// Maps `len` bytes (a positive multiple of the page size). No page is touched: the
    /// resident size grows only as the passes write.
    pub fn new(len: usize) -> io::Result<Mapping> {
        // SAFETY: a fresh anonymous mapping at an address of the kernel's choosing does
        // not alias any existing Rust object.
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
        match NonNull::new(p as *mut u64) {
            Some(ptr) => Ok(Mapping { ptr, len }),
            None => Err(io::Error::from_raw_os_error(libc::ENOMEM)),
        }
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

    /// `mlock`s the mapping. With `on_fault` (Linux only) pages are locked as they are first
    /// touched (`mlock2(MLOCK_ONFAULT)`), so a ramp still grows gradually; otherwise the
    /// kernel faults every page in now.
    pub fn lock(&self, on_fault: bool) -> io::Result<()> {
        let p = self.ptr.as_ptr() as *const libc::c_void;
        #[cfg(target_os = "linux")]
        if on_fault {
            // SAFETY: the range is exactly our mapping.
            if unsafe { libc::mlock2(p, self.len, libc::MLOCK_ONFAULT) } == 0 {
                return Ok(());
            }
            let e = io::Error::last_os_error();
            // Kernels before 4.4 have no mlock2 (ENOSYS) or no MLOCK_ONFAULT (EINVAL): lock
            // everything now instead.
            if !matches!(e.raw_os_error(), Some(libc::ENOSYS | libc::EINVAL)) {
                return Err(e);
            }
        }
        let _ = on_fault;
        // SAFETY: the range is exactly our mapping.
        if unsafe { libc::mlock(p, self.len) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }

    /// Asks for transparent huge pages (Linux `madvise(MADV_HUGEPAGE)`).
    pub fn advise_hugepages(&self) -> io::Result<()> {
        #[cfg(target_os = "linux")]
        {
            // SAFETY: the range is exactly our mapping; madvise does not change its contents.
            let rc = unsafe {
                libc::madvise(
                    self.ptr.as_ptr() as *mut libc::c_void,
                    self.len,
                    libc::MADV_HUGEPAGE,
                )
            };
            if rc != 0 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        }
        #[cfg(not(target_os = "linux"))]
        {
            Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "transparent huge pages are a Linux feature",
            ))
        }
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: we own the mapping; no reference into it outlives self (words() borrows
        // self mutably).
        unsafe {
            libc::munmap(self.ptr.as_ptr() as *mut libc::c_void, self.len);
        }
    }
}

/// Faults in the pages under `words` for writing, in one system call
/// (`madvise(MADV_POPULATE_WRITE)`, Linux 5.14+). The kernel then allocates and zeroes
/// pages in a batch instead of taking one fault per page during the first pass, which makes
/// the memory resident sooner. `false` when the kernel cannot do it (older kernels,
/// other systems): the pass's own writes then fault the pages in as usual.
pub fn prefault(words: &mut [u64]) -> bool {
    #[cfg(target_os = "linux")]
    {
        if words.is_empty() {
            return true;
        }
        // SAFETY: the range lies inside our mapping (the slice is borrowed from it) and is
        // page-aligned at both ends (callers pass whole pages); populating does not change
        // the contents.
        let rc = unsafe {
            libc::madvise(
                words.as_mut_ptr() as *mut libc::c_void,
                std::mem::size_of_val(words),
                libc::MADV_POPULATE_WRITE,
            )
        };
        rc == 0
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = words;
        false
    }
}

/// The page size in bytes.
pub fn page_size() -> usize {
    memtools_platform::page_size() as usize
}

/// A resource limit's soft value, `None` when unlimited or unreadable.
pub fn soft_limit(resource: LimitKind) -> Option<u64> {
    let res = match resource {
        LimitKind::AddressSpace => libc::RLIMIT_AS,
        LimitKind::Memlock => libc::RLIMIT_MEMLOCK,
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

#[derive(Clone, Copy, Debug)]
pub enum LimitKind {
    AddressSpace,
    Memlock,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_write_unmap() {
        let ps = page_size();
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
}
