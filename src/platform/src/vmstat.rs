//! The 22 counters `vm_stat` prints ([`crate::sys::vm_counters`] reads them).
//!
//! * macOS: `host_statistics64(HOST_VM_INFO64)` ([`crate::darwin::VmStats64`]) mapped as
//!   Apple's `vm_stat` does ([`from_darwin`]).
//! * Linux: `/proc/vmstat` (every gauge and counter, one read) plus `MemTotal`, `Zswap` and
//!   `Zswapped` from `/proc/meminfo`, and the zram devices' original data size, mapped by
//!   the formulas of docs/vm_stat.md ([`from_linux`]). Everything is read below the snapshot
//!   root ([`crate::proc_root`]).
//!
//! The mapping functions are plain Rust and unit-tested on every platform.

use crate::darwin::VmStats64;
use std::collections::HashMap;
use std::io;
use std::path::PathBuf;

/// The values of vm_stat's 22 lines, in pages (and the page size in bytes), in the order
/// vm_stat prints them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VmCounters {
    /// The page size the header announces, bytes.
    pub page_size: u64,
    pub free: u64,
    pub active: u64,
    pub inactive: u64,
    pub speculative: u64,
    pub throttled: u64,
    pub wired: u64,
    pub purgeable: u64,
    /// "Translation faults" (a counter).
    pub faults: u64,
    pub cow_faults: u64,
    pub zero_filled: u64,
    pub reactivated: u64,
    pub purged: u64,
    pub file_backed: u64,
    pub anonymous: u64,
    pub stored_in_compressor: u64,
    pub occupied_by_compressor: u64,
    pub decompressions: u64,
    pub compressions: u64,
    pub pageins: u64,
    pub pageouts: u64,
    pub swapins: u64,
    pub swapouts: u64,
}

/// Why the counters could not be read.
#[derive(Debug)]
pub enum VmStatError {
    /// A required file could not be read (Linux).
    Unreadable(PathBuf, io::Error),
    /// A required file was empty (Linux).
    Empty(PathBuf),
    /// A required file holds none of the counters every kernel has (Linux: `/proc/vmstat`
    /// without `nr_free_pages`), so it is not what it claims to be.
    Malformed(PathBuf),
    /// `host_statistics64` returned this `kern_return_t` (macOS).
    Mach(i32),
    /// No source on this operating system.
    Unsupported,
}

/// Maps `host_statistics64` counters to vm_stat's lines, as Apple's vm_stat does.
pub fn from_darwin(vm: &VmStats64, page_size: u64) -> VmCounters {
    VmCounters {
        page_size,
        // vm_stat subtracts in 32-bit unsigned arithmetic before widening; the kernel
        // counts speculative pages inside free_count, so this never wraps in practice, and
        // wrapping (not saturating) keeps the output identical to Apple's if it ever did.
        free: vm.free_count.wrapping_sub(vm.speculative_count) as u64,
        active: vm.active_count as u64,
        inactive: vm.inactive_count as u64,
        speculative: vm.speculative_count as u64,
        throttled: vm.throttled_count as u64,
        wired: vm.wire_count as u64,
        purgeable: vm.purgeable_count as u64,
        faults: vm.faults,
        cow_faults: vm.cow_faults,
        zero_filled: vm.zero_fill_count,
        reactivated: vm.reactivations,
        purged: vm.purges,
        file_backed: vm.external_page_count as u64,
        anonymous: vm.internal_page_count as u64,
        stored_in_compressor: vm.total_uncompressed_pages_in_compressor,
        occupied_by_compressor: vm.compressor_page_count as u64,
        decompressions: vm.decompressions,
        compressions: vm.compressions,
        pageins: vm.pageins,
        pageouts: vm.pageouts,
        swapins: vm.swapins,
        swapouts: vm.swapouts,
    }
}

/// A "key value" file (`/proc/vmstat`) or "Key: value kB" file (`/proc/meminfo`) as a map
/// from key to number.
///
/// Tolerant by design: a line whose first token after the key is not a number is skipped;
/// a negative number (a per-CPU drift artefact some gauges can show) counts as 0; a value
/// too large for 64 bits saturates; a unit after the number is ignored; the first
/// occurrence of a key wins.
pub fn parse_key_values(text: &[u8]) -> HashMap<String, u64> {
    let mut map = HashMap::new();
    for line in text.split(|&b| b == b'\n') {
        let key_end = line
            .iter()
            .position(|&b| b == b':' || b.is_ascii_whitespace())
            .unwrap_or(line.len());
        if key_end == 0 {
            continue;
        }
        let mut rest = &line[key_end..];
        if rest.first() == Some(&b':') {
            rest = &rest[1..];
        }
        let start = rest
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let rest = &rest[start..];
        let (negative, digits) = match rest.first() {
            Some(b'-') => (true, &rest[1..]),
            _ => (false, rest),
        };
        let n = digits.iter().take_while(|b| b.is_ascii_digit()).count();
        if n == 0 {
            continue;
        }
        let value = if negative { 0 } else { leading_number(digits) };
        let key = String::from_utf8_lossy(&line[..key_end]).into_owned();
        map.entry(key).or_insert(value);
    }
    map
}

/// The decimal number at the start of `s` (0 when there is none), saturating at `u64::MAX`.
fn leading_number(s: &[u8]) -> u64 {
    s.iter()
        .take_while(|b| b.is_ascii_digit())
        .fold(0u64, |v, &d| {
            v.saturating_mul(10).saturating_add((d - b'0') as u64)
        })
}

/// What the Linux mapping reads. Missing keys count as 0.
#[derive(Clone, Debug, Default)]
pub struct LinuxSources {
    /// `/proc/vmstat`.
    pub vmstat: HashMap<String, u64>,
    /// `/proc/meminfo` (only `MemTotal`, `Zswap` and `Zswapped` are used; kB).
    pub meminfo: HashMap<String, u64>,
    /// The sum of the zram devices' `orig_data_size`, bytes.
    pub zram_orig_bytes: u64,
    /// `sysconf(_SC_PAGESIZE)`, bytes.
    pub page_size: u64,
}

/// Maps Linux counters to vm_stat's lines (docs/vm_stat.md has the table and how close each
/// analogue is). All arithmetic saturates.
pub fn from_linux(src: &LinuxSources) -> VmCounters {
    let v = |k: &str| src.vmstat.get(k).copied().unwrap_or(0);
    let kb = |k: &str| {
        src.meminfo
            .get(k)
            .copied()
            .unwrap_or(0)
            .saturating_mul(1024)
    };
    let page = src.page_size.max(1);

    let free = v("nr_free_pages");
    let active = v("nr_active_anon").saturating_add(v("nr_active_file"));
    let inactive = v("nr_inactive_anon").saturating_add(v("nr_inactive_file"));
    let mem_total_pages = kb("MemTotal") / page;
    let wired = mem_total_pages
        .saturating_sub(free)
        .saturating_sub(active)
        .saturating_sub(inactive)
        .saturating_sub(v("nr_zspages"));
    let stored = (kb("Zswapped") / page).saturating_add(src.zram_orig_bytes / page);
    let occupied = match src.vmstat.get("nr_zspages") {
        Some(&n) => n,
        None => kb("Zswap").div_ceil(page),
    };
    VmCounters {
        page_size: src.page_size,
        free,
        active,
        inactive,
        speculative: 0,
        throttled: 0,
        wired,
        purgeable: 0,
        faults: v("pgfault"),
        cow_faults: 0,
        zero_filled: 0,
        reactivated: v("pgactivate"),
        purged: v("pglazyfreed"),
        file_backed: v("nr_active_file").saturating_add(v("nr_inactive_file")),
        anonymous: v("nr_active_anon").saturating_add(v("nr_inactive_anon")),
        stored_in_compressor: stored,
        occupied_by_compressor: occupied,
        decompressions: v("zswpin"),
        compressions: v("zswpout"),
        pageins: v("pgmajfault"),
        pageouts: v("nr_vmscan_write"),
        swapins: v("pswpin"),
        swapouts: v("pswpout"),
    }
}

/// The environment variable naming a copied `/sys` tree for the zram figures.
pub const SYS_ROOT_ENV: &str = "MEMTOOLS_SYS_ROOT";

/// Where zram devices are looked for: `$MEMTOOLS_SYS_ROOT` when set; otherwise `/sys`,
/// unless a snapshot root (`MEMTOOLS_PROC_ROOT`) is set, in which case none (a copied
/// `/proc` must not be mixed with this machine's live zram figures).
pub fn zram_sys_root() -> Option<PathBuf> {
    let set = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(p) = set(SYS_ROOT_ENV) {
        return Some(PathBuf::from(p));
    }
    if set(crate::PROC_ROOT_ENV).is_some() {
        return None;
    }
    Some(PathBuf::from("/sys"))
}

/// The sum of `orig_data_size` over `SYS/block/zram*`: the first field of `mm_stat`
/// (Linux 4.1 and later) or the older separate `orig_data_size` file. Unreadable devices
/// count as 0.
pub fn zram_orig_bytes(sys: &std::path::Path) -> u64 {
    let Ok(dir) = std::fs::read_dir(sys.join("block")) else {
        return 0;
    };
    let mut total = 0u64;
    for entry in dir.flatten() {
        if !entry.file_name().to_string_lossy().starts_with("zram") {
            continue;
        }
        let dev = entry.path();
        let text = std::fs::read(dev.join("mm_stat"))
            .or_else(|_| std::fs::read(dev.join("orig_data_size")))
            .unwrap_or_default();
        let first = text
            .split(|b| b.is_ascii_whitespace())
            .find(|t| !t.is_empty())
            .unwrap_or(b"");
        total = total.saturating_add(leading_number(first));
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_values_are_parsed_tolerantly() {
        let m = parse_key_values(
            b"nr_free_pages 12\nMemTotal:     100 kB\nbad\n:5\nneg -7\nbig 99999999999999999999999\n\
              dup 1\ndup 2\nword abc\nnoeol 3",
        );
        assert_eq!(m.get("nr_free_pages"), Some(&12));
        assert_eq!(m.get("MemTotal"), Some(&100));
        assert_eq!(m.get("neg"), Some(&0));
        assert_eq!(m.get("big"), Some(&u64::MAX));
        assert_eq!(m.get("dup"), Some(&1));
        assert_eq!(m.get("noeol"), Some(&3));
        assert!(!m.contains_key("bad") && !m.contains_key("word") && !m.contains_key(""));
    }

    fn src(vmstat: &[u8], meminfo: &[u8]) -> LinuxSources {
        LinuxSources {
            vmstat: parse_key_values(vmstat),
            meminfo: parse_key_values(meminfo),
            zram_orig_bytes: 0,
            page_size: 4096,
        }
    }

    #[test]
    fn linux_formulas() {
        let mut s = src(
            b"nr_free_pages 100\nnr_active_anon 10\nnr_inactive_anon 20\nnr_active_file 30\n\
              nr_inactive_file 40\nnr_zspages 5\npgfault 7\npgactivate 8\npglazyfreed 9\n\
              zswpin 11\nzswpout 12\npgmajfault 13\nnr_vmscan_write 14\npswpin 15\npswpout 16\n",
            b"MemTotal: 4000 kB\nZswap: 8 kB\nZswapped: 41 kB\n",
        );
        s.zram_orig_bytes = 3 * 4096 + 100;
        let c = from_linux(&s);
        assert_eq!((c.free, c.active, c.inactive), (100, 40, 60));
        // 4000 kB = 1000 pages; 1000 - 100 - 40 - 60 - 5.
        assert_eq!(c.wired, 795);
        assert_eq!((c.file_backed, c.anonymous), (70, 30));
        // floor(41 kB / 4 kB) + floor(zram / 4 kB); nr_zspages present wins over Zswap.
        assert_eq!((c.stored_in_compressor, c.occupied_by_compressor), (13, 5));
        assert_eq!(
            (
                c.faults,
                c.reactivated,
                c.purged,
                c.decompressions,
                c.compressions
            ),
            (7, 8, 9, 11, 12)
        );
        assert_eq!(
            (c.pageins, c.pageouts, c.swapins, c.swapouts),
            (13, 14, 15, 16)
        );
        assert_eq!(
            (
                c.speculative,
                c.throttled,
                c.purgeable,
                c.cow_faults,
                c.zero_filled
            ),
            (0, 0, 0, 0, 0)
        );
    }

    #[test]
    fn zswap_without_zsmalloc_rounds_up_and_everything_saturates() {
        let c = from_linux(&src(
            b"nr_free_pages 900\nnr_active_anon 900\n",
            b"MemTotal: 40 kB\nZswap: 5 kB\n",
        ));
        assert_eq!(c.occupied_by_compressor, 2);
        assert_eq!(c.wired, 0);
        let c = from_linux(&LinuxSources {
            page_size: 0,
            ..src(
                b"nr_free_pages 18446744073709551615\n",
                b"MemTotal: 18446744073709551615 kB\n",
            )
        });
        assert_eq!(c.free, u64::MAX);
    }

    #[test]
    fn darwin_mapping() {
        let vm = VmStats64 {
            free_count: 10,
            speculative_count: 3,
            wire_count: 7,
            throttled_count: 2,
            total_uncompressed_pages_in_compressor: 1 << 40,
            ..Default::default()
        };
        let c = from_darwin(&vm, 16384);
        assert_eq!((c.page_size, c.free, c.speculative), (16384, 7, 3));
        assert_eq!((c.wired, c.throttled), (7, 2));
        assert_eq!(c.stored_in_compressor, 1 << 40);
        // 32-bit wrap, as the C subtraction.
        let c = from_darwin(
            &VmStats64 {
                free_count: 1,
                speculative_count: 2,
                ..Default::default()
            },
            4096,
        );
        assert_eq!(c.free, u32::MAX as u64);
    }

    #[test]
    fn zram_devices_are_summed() {
        let dir = std::env::temp_dir().join(format!("memtools-zram-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mk = |dev: &str, file: &str, text: &str| {
            let d = dir.join("block").join(dev);
            std::fs::create_dir_all(&d).unwrap();
            std::fs::write(d.join(file), text).unwrap();
        };
        mk("zram0", "mm_stat", "  8192  100 200 0 300 0 0 0 0\n");
        mk("zram1", "orig_data_size", "4096\n");
        mk("vda", "mm_stat", "999999\n");
        std::fs::create_dir_all(dir.join("block/zram2")).unwrap();
        assert_eq!(zram_orig_bytes(&dir), 12288);
        assert_eq!(zram_orig_bytes(&dir.join("missing")), 0);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
