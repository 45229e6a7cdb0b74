//! macOS counters, the arithmetic that maps them onto the shared data model, and every
//! decision taken on a kernel answer (which page size counts are in, whether a region path
//! belongs to the region, when a region walk ends, which region is the main stack).
//!
//! This module is plain Rust, compiled and unit-tested on every platform; `sys/macos.rs`
//! only makes the calls and hands their results to these functions.

use crate::meminfo::MemInfo;
use crate::process::MapError;

/// `vm_statistics64` as `host_statistics64(HOST_VM_INFO64)` fills it, revision 1: exactly
/// `HOST_VM_INFO64_REV1_COUNT` = 38 `integer_t` words (152 bytes). The layout is fixed by
/// the kernel ABI; later fields added by newer SDKs are deliberately left out.
#[repr(C, align(8))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VmStats64 {
    pub free_count: u32,
    pub active_count: u32,
    pub inactive_count: u32,
    pub wire_count: u32,
    pub zero_fill_count: u64,
    pub reactivations: u64,
    pub pageins: u64,
    pub pageouts: u64,
    pub faults: u64,
    pub cow_faults: u64,
    pub lookups: u64,
    pub hits: u64,
    pub purges: u64,
    pub purgeable_count: u32,
    pub speculative_count: u32,
    pub decompressions: u64,
    pub compressions: u64,
    pub swapins: u64,
    pub swapouts: u64,
    pub compressor_page_count: u32,
    pub throttled_count: u32,
    pub external_page_count: u32,
    pub internal_page_count: u32,
    pub total_uncompressed_pages_in_compressor: u64,
}

/// `HOST_VM_INFO64_REV1_COUNT`: the size of [`VmStats64`] in 32-bit words.
pub const VM_STATS64_REV1_COUNT: u32 = 38;

/// What `free` needs from a Mac, in bytes (or pages where named).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DarwinMemory {
    /// `sysctl hw.memsize`, bytes.
    pub memsize: u64,
    /// The size of the pages `vm` counts: the kernel's ([`host_stats_page_size`]), bytes.
    pub page_size: u64,
    pub vm: VmStats64,
    /// `sysctl vm.swapusage`: `xsu_total` and `xsu_avail`, bytes.
    pub swap_total: u64,
    pub swap_avail: u64,
}

/// Maps macOS counters onto `free`'s columns (KiB). What each column means on a Mac:
/// * total: `hw.memsize`;
/// * used: Activity Monitor's "Memory Used" = app memory (internal − purgeable pages)
///   + wired + compressor-occupied pages, so available = total − used;
/// * free: free pages less speculative ones (vm_stat's "Pages free");
/// * shared and buffers: 0 (no equivalent);
/// * cache: file-backed (external) pages plus purgeable pages ("Cached Files");
/// * swap: `vm.swapusage` total and available;
/// * Comm: no equivalent, 0.
///
/// All subtractions saturate.
pub fn meminfo_from(d: &DarwinMemory) -> MemInfo {
    let kib = |pages: u64| pages.saturating_mul(d.page_size) / 1024;
    let vm = &d.vm;
    let total = d.memsize / 1024;
    let app = (vm.internal_page_count as u64).saturating_sub(vm.purgeable_count as u64);
    let used = kib(app
        .saturating_add(vm.wire_count as u64)
        .saturating_add(vm.compressor_page_count as u64))
    .min(total);
    let free = kib((vm.free_count as u64).saturating_sub(vm.speculative_count as u64));
    MemInfo {
        mem_total: total,
        mem_free: free,
        mem_available: total.saturating_sub(used),
        buffers: 0,
        cached: kib(vm.external_page_count as u64 + vm.purgeable_count as u64),
        s_reclaimable: 0,
        shmem: 0,
        swap_total: d.swap_total / 1024,
        swap_free: d.swap_avail / 1024,
        low_total: 0,
        low_free: 0,
        high_total: 0,
        high_free: 0,
        commit_limit: 0,
        committed_as: 0,
    }
}

/// The page size `host_statistics64` counts are in: the kernel's page
/// (`vm_kernel_page_size`), which is what Apple's vm_stat prints. This process's own page
/// size (`vm_page_size`, `sysconf(_SC_PAGESIZE)`) is 4096 for an x86_64 build running under
/// Rosetta on a 16 KiB-page Mac, and would make every figure 4 times too small. The own
/// size is only a fallback for a kernel value that reads 0.
pub fn host_stats_page_size(vm_kernel_page_size: u64, own_page_size: u64) -> u64 {
    if vm_kernel_page_size != 0 {
        vm_kernel_page_size
    } else {
        own_page_size
    }
}

/// The page size `mach_vm_region_recurse` counts a task's resident, dirtied and
/// swapped-out pages in: the target map's page size when it equals the caller's, else the
/// smaller of the two (a native arm64 tool, 16 KiB pages, inspecting a Rosetta process,
/// 4 KiB map, gets 4 KiB counts). A size that reads 0 (unknown) gives way to the other.
pub fn region_page_size(own_map: u64, target_map: u64) -> u64 {
    match (own_map, target_map) {
        (0, t) => t,
        (o, 0) => o,
        (o, t) => o.min(t),
    }
}

/// Whether the answer of `proc_pidinfo(PROC_PIDREGIONPATH or PROC_PIDREGIONPATHINFO, addr)`
/// names the region at `addr`. The kernel looks up the region *at or after* `addr` and
/// reports that region's start and length with the path, so for an anonymous region it
/// describes the next file mapping: the path belongs to `addr` only when
/// `[region_start, region_start + region_len)` contains it.
pub fn region_path_valid(addr: u64, region_start: u64, region_len: u64) -> bool {
    region_start <= addr && addr - region_start < region_len
}

/// Whether `kill(pid, 0)` can say anything about one process: pid 0 addresses the caller's
/// process group, -1 every process, other negatives a process group, so none of them is a
/// process id.
pub fn pid_names_one_process(pid: i32) -> bool {
    pid > 0
}

/// `kill(pid, 0)`'s verdict: the process exists when the call succeeds or fails with EPERM
/// (it exists but belongs to someone else); ESRCH or anything else means no such process.
pub fn kill_says_exists(rc: i32, errno: i32, eperm: i32) -> bool {
    rc == 0 || errno == eperm
}

/// What a failed read of a process's map means: ESRCH is a process that is not running;
/// EPERM or EACCES one that may not be examined (its task port was refused); any other
/// failure (a region walk that stopped on a kernel error) is reported with its reason,
/// unless the process has exited meanwhile, which makes it "not running". `name` is the
/// process's name for the message.
pub fn map_failure(name: &str, errno: Option<i32>, reason: &str, still_exists: bool) -> MapError {
    match errno {
        Some(libc::ESRCH) => MapError::NotRunning,
        Some(libc::EPERM) | Some(libc::EACCES) => MapError::Denied {
            name: name.to_string(),
        },
        _ if !still_exists => MapError::NotRunning,
        _ => MapError::Unreadable {
            name: name.to_string(),
            reason: reason.to_string(),
        },
    }
}

/// `KERN_INVALID_ADDRESS`: `mach_vm_region_recurse` found no region at or above the address.
pub const KERN_INVALID_ADDRESS: i32 = 1;

/// What one `mach_vm_region_recurse` return value means for a walk of the address space.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegionWalk {
    /// `KERN_SUCCESS`: a region was returned.
    Region,
    /// `KERN_INVALID_ADDRESS`: no region at or above the address, the map is complete.
    End,
    /// Any other status: the walk failed here; the map read so far is incomplete and must
    /// not be shown as if it were the whole map.
    Failed(i32),
}

/// Classifies a `mach_vm_region_recurse` status: only `KERN_INVALID_ADDRESS` ends the walk.
pub fn region_walk_step(kr: i32) -> RegionWalk {
    match kr {
        0 => RegionWalk::Region,
        KERN_INVALID_ADDRESS => RegionWalk::End,
        other => RegionWalk::Failed(other),
    }
}

/// `MAXPATHLEN` on macOS.
pub const MAXPATHLEN: usize = 1024;

/// `PROC_PIDREGIONPATH` (sys/proc_info_private.h, macOS 10.15 and later): the path of the
/// region at or after an address, with that region's start and length.
pub const PROC_PIDREGIONPATH: i32 = 31;

/// `PROC_PIDREGIONPATHINFO` (sys/proc_info.h): the same for every macOS version, in a
/// larger answer ([`ProcRegionWithPathInfo`]); the fallback when flavor 31 is refused.
pub const PROC_PIDREGIONPATHINFO: i32 = 8;

/// `PROC_PIDARCHINFO` (sys/proc_info_private.h): the process's CPU type and subtype.
pub const PROC_PIDARCHINFO: i32 = 19;

/// `struct proc_regionpath` (sys/proc_info.h).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct ProcRegionPath {
    pub prpo_addr: u64,
    pub prpo_regionlength: u64,
    pub prpo_path: [u8; MAXPATHLEN],
}

/// `struct proc_regioninfo` (sys/proc_info.h).
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct ProcRegionInfo {
    pub pri_protection: u32,
    pub pri_max_protection: u32,
    pub pri_inheritance: u32,
    pub pri_flags: u32,
    pub pri_offset: u64,
    pub pri_behavior: u32,
    pub pri_user_wired_count: u32,
    pub pri_user_tag: u32,
    pub pri_pages_resident: u32,
    pub pri_pages_shared_now_private: u32,
    pub pri_pages_swapped_out: u32,
    pub pri_pages_dirtied: u32,
    pub pri_ref_count: u32,
    pub pri_shadow_depth: u32,
    pub pri_share_mode: u32,
    pub pri_private_pages_resident: u32,
    pub pri_shared_pages_resident: u32,
    pub pri_obj_id: u32,
    pub pri_depth: u32,
    pub pri_address: u64,
    pub pri_size: u64,
}

/// `sizeof(struct vnode_info)` (sys/proc_info.h): a `vinfo_stat` (136 bytes), two ints and
/// an `fsid_t`.
pub const VNODE_INFO_SIZE: usize = 152;

/// `struct proc_regionwithpathinfo` (sys/proc_info.h): the region, then a
/// `vnode_info_path` whose `vnode_info` memtools does not read.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct ProcRegionWithPathInfo {
    pub prp_prinfo: ProcRegionInfo,
    pub vip_vi: [u64; VNODE_INFO_SIZE / 8],
    pub vip_path: [u8; MAXPATHLEN],
}

/// `struct proc_archinfo` (sys/proc_info_private.h).
#[repr(C)]
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct ProcArchInfo {
    pub p_cputype: i32,
    pub p_cpusubtype: i32,
}

/// The bytes of a C string buffer up to its first NUL (all of it when there is none).
pub fn c_string(buf: &[u8]) -> Vec<u8> {
    let n = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    buf[..n].to_vec()
}

/// `VM_MEMORY_STACK`: the tag of thread stacks and of their guard regions.
pub const VM_MEMORY_STACK: u32 = 30;

/// Whether a region is the main thread's stack: a stack-tagged (`VM_MEMORY_STACK`),
/// accessible (protection not 0) region that holds the top of the user stack,
/// `user_stack`, the address the kernel set up the main stack below at exec (`kinfo_proc`
/// `kp_proc.user_stack`). The stack grows down from there, so the region holds the bytes
/// just below it: `start < user_stack <= start + size`. Guard regions (protection 0) and
/// the stacks of other threads (elsewhere in the map) never match; an unknown top (0)
/// matches nothing, so no region is called the stack rather than a wrong one.
pub fn is_main_stack(
    start: u64,
    size: u64,
    user_tag: u32,
    protection: i32,
    user_stack: u64,
) -> bool {
    user_tag == VM_MEMORY_STACK
        && protection & 7 != 0
        && user_stack != 0
        && start < user_stack
        && user_stack - start <= size
}

/// `P_TRANSLATED` (sys/proc.h): `kp_proc.p_flag` bit of a process running under Rosetta.
pub const P_TRANSLATED: i32 = 0x0002_0000;

/// The size of `struct kinfo_proc` on LP64 macOS (what `sysctl(CTL_KERN, KERN_PROC,
/// KERN_PROC_PID, pid)` fills).
pub const KINFO_PROC_SIZE: usize = 648;

/// The leading fields of `struct extern_proc` (sys/proc.h), the first member of
/// `kinfo_proc`, as laid out on LP64; only used to derive the offsets below.
#[repr(C)]
struct ExternProcHead {
    p_un: [u64; 2],
    p_vmspace: u64,
    p_sigacts: u64,
    p_flag: i32,
    p_stat: i8,
    p_pid: i32,
    p_oppid: i32,
    p_dupfd: i32,
    user_stack: u64,
}

/// What memtools reads from `kinfo_proc`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KinfoFacts {
    /// `kp_proc.p_flag` (`P_*` bits).
    pub p_flag: i32,
    /// `kp_proc.user_stack`: the top of the main thread's stack.
    pub user_stack: u64,
}

impl KinfoFacts {
    /// Running under Rosetta.
    pub fn translated(&self) -> bool {
        self.p_flag & P_TRANSLATED != 0
    }
}

/// Reads [`KinfoFacts`] from the bytes `sysctl(KERN_PROC_PID)` returned (native byte
/// order). `None` when the answer is shorter than a `kinfo_proc` (no such process gives a
/// length of 0).
pub fn parse_kinfo_proc(buf: &[u8]) -> Option<KinfoFacts> {
    if buf.len() < KINFO_PROC_SIZE {
        return None;
    }
    let flag_at = std::mem::offset_of!(ExternProcHead, p_flag);
    let stack_at = std::mem::offset_of!(ExternProcHead, user_stack);
    let flag = buf.get(flag_at..flag_at + 4)?;
    let stack = buf.get(stack_at..stack_at + 8)?;
    Some(KinfoFacts {
        p_flag: i32::from_ne_bytes(flag.try_into().ok()?),
        user_stack: u64::from_ne_bytes(stack.try_into().ok()?),
    })
}

/// A mach send right taken once and kept for the life of the process (the host port:
/// `mach_host_self()` returns a new reference on every call, so calling it per sample
/// leaks one reference per row of `vm_stat 1`). Port name 0 (`MACH_PORT_NULL`) is never
/// cached, so a failed take is retried next time. If two threads race, the loser's extra
/// right is handed to `release`.
pub struct CachedPort(std::sync::atomic::AtomicU32);

impl CachedPort {
    pub const fn new() -> Self {
        CachedPort(std::sync::atomic::AtomicU32::new(0))
    }

    pub fn get(&self, take: impl FnOnce() -> u32, release: impl FnOnce(u32)) -> u32 {
        use std::sync::atomic::Ordering;
        let cached = self.0.load(Ordering::Acquire);
        if cached != 0 {
            return cached;
        }
        let fresh = take();
        if fresh == 0 {
            return 0;
        }
        match self
            .0
            .compare_exchange(0, fresh, Ordering::AcqRel, Ordering::Acquire)
        {
            Ok(_) => fresh,
            Err(winner) => {
                release(fresh);
                winner
            }
        }
    }
}

impl Default for CachedPort {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_failures_by_cause() {
        let f = |errno, exists| map_failure("demo", errno, "why", exists);
        let denied = MapError::Denied {
            name: "demo".into(),
        };
        assert_eq!(f(Some(libc::ESRCH), true), MapError::NotRunning);
        assert_eq!(f(Some(libc::EPERM), true), denied);
        assert_eq!(f(Some(libc::EACCES), true), denied);
        assert_eq!(
            f(None, true),
            MapError::Unreadable {
                name: "demo".into(),
                reason: "why".into()
            }
        );
        // The walk failed because the process exited meanwhile.
        assert_eq!(f(None, false), MapError::NotRunning);
    }

    #[test]
    fn layout_matches_the_kernel_abi() {
        assert_eq!(std::mem::size_of::<VmStats64>(), 152);
        assert_eq!(std::mem::offset_of!(VmStats64, speculative_count), 92);
        assert_eq!(std::mem::offset_of!(VmStats64, swapins), 112);
        assert_eq!(std::mem::offset_of!(VmStats64, compressor_page_count), 128);
        assert_eq!(
            std::mem::offset_of!(VmStats64, total_uncompressed_pages_in_compressor),
            144
        );
    }

    /// The seed's vm_stat capture (an 8 GiB Mac, 4096-byte pages), with the swap figures
    /// of a typical 2 GiB swap file.
    #[test]
    fn seed_capture_maps_to_free_columns() {
        let d = DarwinMemory {
            memsize: 8 << 30,
            page_size: 4096,
            vm: VmStats64 {
                free_count: 5093 + 3498,
                active_count: 444277,
                inactive_count: 440620,
                wire_count: 528329,
                purgeable_count: 6625,
                speculative_count: 3498,
                compressor_page_count: 675038,
                external_page_count: 288589,
                internal_page_count: 599806,
                ..Default::default()
            },
            swap_total: 2 << 30,
            swap_avail: (2 << 30) - (512 << 20),
        };
        let m = meminfo_from(&d);
        assert_eq!(m.mem_total, 8388608);
        assert_eq!(m.mem_free, 5093 * 4);
        // used = (599806 - 6625 + 528329 + 675038) pages * 4 KiB
        assert_eq!(
            m.mem_total - m.mem_available,
            (599806 - 6625 + 528329 + 675038) * 4
        );
        assert_eq!(m.cached, (288589 + 6625) * 4);
        assert_eq!((m.swap_total, m.swap_free), (2097152, 1572864));
    }

    #[test]
    fn absurd_counters_saturate() {
        let d = DarwinMemory {
            memsize: 1 << 20,
            page_size: u64::MAX,
            vm: VmStats64 {
                free_count: 1,
                speculative_count: 9,
                internal_page_count: u32::MAX,
                ..Default::default()
            },
            ..Default::default()
        };
        let m = meminfo_from(&d);
        assert_eq!(m.mem_free, 0);
        assert_eq!(m.mem_available, 0);
    }

    /// An x86_64 memtools under Rosetta on an Apple Silicon Mac: the kernel counts in
    /// 16 KiB pages while this process's own page size is 4 KiB. The seed's counters
    /// must then come out 4 times larger than with 4 KiB pages, not equal.
    #[test]
    fn host_statistics_use_the_kernel_page_size() {
        assert_eq!(host_stats_page_size(16384, 4096), 16384);
        assert_eq!(host_stats_page_size(4096, 4096), 4096);
        assert_eq!(host_stats_page_size(0, 4096), 4096);
        let vm = VmStats64 {
            free_count: 1000,
            external_page_count: 300,
            ..Default::default()
        };
        let m = meminfo_from(&DarwinMemory {
            memsize: 16 << 30,
            page_size: host_stats_page_size(16384, 4096),
            vm,
            ..Default::default()
        });
        assert_eq!(m.mem_free, 1000 * 16);
        assert_eq!(m.cached, 300 * 16);
    }

    #[test]
    fn region_counts_use_the_smaller_map_page_size() {
        // Native arm64 tool (16 KiB) on a Rosetta target (4 KiB map), and the reverse.
        assert_eq!(region_page_size(16384, 4096), 4096);
        assert_eq!(region_page_size(4096, 16384), 4096);
        assert_eq!(region_page_size(16384, 16384), 16384);
        assert_eq!(region_page_size(4096, 0), 4096);
        assert_eq!(region_page_size(0, 16384), 16384);
    }

    /// Regions from the macOS 14.0 arm64 capture (docs/vmmap.md): an anonymous region
    /// (dyld private memory, 1052bc000-1052fc000) asked for its path gets the next file
    /// mapping's answer, which starts above it; the file region itself is contained.
    #[test]
    fn region_path_only_for_the_region_that_holds_the_address() {
        // liblarge.dylib __TEXT at 105f6c000-106b5c000 answers for 0x1052bc000: not ours.
        assert!(!region_path_valid(
            0x1052bc000,
            0x105f6c000,
            0x106b5c000 - 0x105f6c000
        ));
        assert!(region_path_valid(0x105f6c000, 0x105f6c000, 0xbf0000));
        assert!(region_path_valid(0x106b5bfff, 0x105f6c000, 0xbf0000));
        assert!(!region_path_valid(0x106b5c000, 0x105f6c000, 0xbf0000));
        assert!(!region_path_valid(0x1000, 0x1000, 0));
        assert!(region_path_valid(u64::MAX - 1, u64::MAX - 0x1000, 0x1000));
        assert!(!region_path_valid(5, 10, u64::MAX));
    }

    #[test]
    fn pid_zero_and_negatives_are_no_process() {
        for pid in [0, -1, -42, i32::MIN] {
            assert!(!pid_names_one_process(pid), "{pid}");
        }
        assert!(pid_names_one_process(1));
        const EPERM: i32 = 1;
        const ESRCH: i32 = 3;
        assert!(kill_says_exists(0, 0, EPERM));
        assert!(kill_says_exists(-1, EPERM, EPERM));
        assert!(!kill_says_exists(-1, ESRCH, EPERM));
    }

    #[test]
    fn only_invalid_address_ends_the_region_walk() {
        assert_eq!(region_walk_step(0), RegionWalk::Region);
        assert_eq!(region_walk_step(1), RegionWalk::End);
        // KERN_PROTECTION_FAILURE, KERN_INVALID_ARGUMENT, KERN_FAILURE, MACH_SEND_INVALID_DEST
        for kr in [2, 4, 5, 0x1000_0003] {
            assert_eq!(region_walk_step(kr), RegionWalk::Failed(kr));
        }
    }

    /// The stack regions of the macOS 14.0 arm64 capture: the 56 MiB guard below the main
    /// stack (16a76c000), the main stack (16a76c000-16af68000, "thread 0"), plus a secondary
    /// thread's stack and its one-page guard above it, with the user stack top at the main
    /// stack's end.
    #[test]
    fn main_stack_is_the_region_under_the_user_stack_top() {
        let top = 0x16af68000;
        let guard = (0x166f68000, 0x16a76c000 - 0x166f68000, 30, 0);
        let main = (0x16a76c000, 0x16af68000 - 0x16a76c000, 30, 3);
        let t1_guard = (0x16aff4000, 0x4000, 30, 0);
        let t1 = (0x16aff8000, 0x80000, 30, 3);
        let malloc = (0x16a76c000, 0x7fc000, 1, 3);
        let check = |(s, z, t, p): (u64, u64, u32, i32), top| is_main_stack(s, z, t, p, top);
        assert!(check(main, top));
        assert!(check(main, top - 0x4000)); // a top inside the region
        assert!(!check(guard, top));
        assert!(!check(t1_guard, top));
        assert!(!check(t1, top));
        assert!(!check(malloc, top)); // not stack-tagged
        assert!(!check(main, 0)); // top unknown: no stack at all
        assert!(!check(main, 0x16a76c000)); // the top is the region's start: below it
    }

    #[test]
    fn kinfo_proc_fields_at_their_lp64_offsets() {
        assert_eq!(std::mem::offset_of!(ExternProcHead, p_flag), 32);
        assert_eq!(std::mem::offset_of!(ExternProcHead, user_stack), 56);
        let mut buf = vec![0u8; KINFO_PROC_SIZE];
        buf[32..36].copy_from_slice(&(P_TRANSLATED | 4).to_ne_bytes());
        buf[56..64].copy_from_slice(&0x7ff7_bfa0_0000u64.to_ne_bytes());
        let k = parse_kinfo_proc(&buf).unwrap();
        assert!(k.translated());
        assert_eq!(k.user_stack, 0x7ff7_bfa0_0000);
        assert_eq!(parse_kinfo_proc(&buf[..KINFO_PROC_SIZE - 1]), None);
        assert_eq!(parse_kinfo_proc(&[]), None);
        buf[32..36].copy_from_slice(&4i32.to_ne_bytes());
        assert!(!parse_kinfo_proc(&buf).unwrap().translated());
    }

    #[test]
    fn the_host_port_is_taken_once() {
        let port = CachedPort::new();
        let mut takes = 0;
        for _ in 0..1000 {
            assert_eq!(
                port.get(
                    || {
                        takes += 1;
                        0x103
                    },
                    |_| panic!("no race here")
                ),
                0x103
            );
        }
        assert_eq!(takes, 1);
        // A failed take (MACH_PORT_NULL) is not cached.
        let port = CachedPort::new();
        assert_eq!(port.get(|| 0, |_| {}), 0);
        assert_eq!(port.get(|| 7, |_| {}), 7);
    }

    #[test]
    fn racing_threads_keep_one_host_port_and_release_the_rest() {
        use std::sync::atomic::{AtomicU32, Ordering};
        let port = CachedPort::new();
        let taken = AtomicU32::new(0);
        let released = AtomicU32::new(0);
        let next = AtomicU32::new(100);
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    for _ in 0..100 {
                        port.get(
                            || {
                                taken.fetch_add(1, Ordering::SeqCst);
                                next.fetch_add(1, Ordering::SeqCst)
                            },
                            |_| {
                                released.fetch_add(1, Ordering::SeqCst);
                            },
                        );
                    }
                });
            }
        });
        let kept = taken.load(Ordering::SeqCst) - released.load(Ordering::SeqCst);
        assert_eq!(kept, 1);
    }

    #[test]
    fn proc_info_layouts_match_the_headers() {
        use std::mem::{offset_of, size_of};
        assert_eq!(size_of::<ProcRegionPath>(), 16 + MAXPATHLEN);
        assert_eq!(offset_of!(ProcRegionInfo, pri_offset), 16);
        assert_eq!(offset_of!(ProcRegionInfo, pri_depth), 76);
        assert_eq!(offset_of!(ProcRegionInfo, pri_address), 80);
        assert_eq!(offset_of!(ProcRegionInfo, pri_size), 88);
        assert_eq!(size_of::<ProcRegionInfo>(), 96);
        assert_eq!(
            offset_of!(ProcRegionWithPathInfo, vip_path),
            96 + VNODE_INFO_SIZE
        );
        assert_eq!(
            size_of::<ProcRegionWithPathInfo>(),
            96 + VNODE_INFO_SIZE + MAXPATHLEN
        );
        assert_eq!(size_of::<ProcArchInfo>(), 8);
        assert_eq!(c_string(b"/usr/lib/dyld\0junk"), b"/usr/lib/dyld");
        assert_eq!(c_string(b"no nul"), b"no nul");
        assert_eq!(c_string(b"\0"), b"");
    }
}
