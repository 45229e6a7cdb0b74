//! macOS: labelling `mach_vm_region_recurse` regions (docs/vmmap.md, "macOS"). Pure code, compiled and
//! tested on every platform; `mach.rs` only fills [`MachVma`].
//!
//! What is reproduced: the tag/share-mode/protection/pager rules and the tag label table.
//! What is approximated: Mach-O segment names. Regions carry none; real vmmap reads the
//! images' load commands. Here a file region of an image (a file with an executable
//! region) is `__TEXT` when executable or read-only and `__DATA` when writable, and other
//! file regions are `mapped file`. Malloc zones are not enumerated (the table stays empty).
//! Of the thread stacks only the main thread's is labelled (`thread 0`, its guard region
//! `STACK GUARD`); other threads' stacks stay `Stack` without a detail.

use crate::model::{Purge, Region, ShareMode, Sizes};

/// One region as mach reports it (sizes in pages, as the kernel gives them).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MachVma {
    pub start: u64,
    pub size: u64,
    pub protection: u8,
    pub max_protection: u8,
    /// `SM_*` share mode.
    pub share_mode: u8,
    /// `VM_MEMORY_*` tag.
    pub user_tag: u32,
    /// Backed by a vnode pager (a mapped file).
    pub external_pager: bool,
    pub pages_resident: u64,
    pub pages_dirtied: u64,
    pub pages_swapped_out: u64,
    /// The mapped file's path, empty when none.
    pub path: String,
    pub purge: Option<Purge>,
    /// The main thread's stack (`memtools_platform::darwin::is_main_stack`).
    pub main_stack: bool,
}

/// `CPU_ARCH_ABI64` and `CPU_ARCH_ABI64_32` (mach/machine.h).
const CPU_ARCH_ABI64: i32 = 0x0100_0000;
const CPU_ARCH_ABI64_32: i32 = 0x0200_0000;
const CPU_TYPE_X86: i32 = 7;
const CPU_TYPE_ARM: i32 = 12;
const CPU_TYPE_POWERPC: i32 = 18;
/// `CPU_SUBTYPE_MASK`: the capability bits of a subtype, not part of it.
const CPU_SUBTYPE_MASK: i32 = 0xff00_0000u32 as i32;
const CPU_SUBTYPE_ARM64E: i32 = 2;

/// The header's Code Type, from the *target's* CPU type and subtype
/// (`proc_pidinfo(PROC_PIDARCHINFO)`) and whether it runs under Rosetta (`P_TRANSLATED`).
/// Captures show `ARM64`, `ARM64E` (arm64e binaries such as Finder), `X86-64`, `X86` (a
/// 32-bit process on 10.12) and, for a Rosetta process, `X86-64 (translated)`. `ARM`,
/// `ARM64_32`, `PPC` and `PPC64` follow the same naming; an unknown type is `???`.
pub fn code_type(arch: Option<(i32, i32)>, translated: bool) -> String {
    if translated {
        // A translated process is always x86_64 code, whatever type the kernel reports.
        return "X86-64 (translated)".into();
    }
    let Some((cpu, sub)) = arch else {
        return "???".into();
    };
    match cpu {
        t if t == CPU_TYPE_X86 | CPU_ARCH_ABI64 => "X86-64".into(),
        CPU_TYPE_X86 => "X86".into(),
        t if t == CPU_TYPE_ARM | CPU_ARCH_ABI64 => {
            if sub & !CPU_SUBTYPE_MASK == CPU_SUBTYPE_ARM64E {
                "ARM64E".into()
            } else {
                "ARM64".into()
            }
        }
        t if t == CPU_TYPE_ARM | CPU_ARCH_ABI64_32 => "ARM64_32".into(),
        CPU_TYPE_ARM => "ARM".into(),
        t if t == CPU_TYPE_POWERPC | CPU_ARCH_ABI64 => "PPC64".into(),
        CPU_TYPE_POWERPC => "PPC".into(),
        _ => "???".into(),
    }
}

/// Labels for `VM_MEMORY_*` tags, as Apple's vmmap prints them in real captures (20, 42, 51,
/// 52, 70, 75 and 76 are inferred from the tag names in mach/vm_statistics.h).
pub fn tag_label(tag: u32) -> Option<&'static str> {
    Some(match tag {
        2 => "MALLOC_SMALL",
        3 => "MALLOC_LARGE",
        4 => "MALLOC_HUGE",
        5 => "SBRK",
        6 => "REALLOC",
        7 => "MALLOC_TINY",
        8 => "MALLOC_LARGE_REUSABLE",
        9 => "MALLOC_LARGE_REUSED",
        10 => "Performance tool data",
        11 => "MALLOC_NANO",
        12 => "MALLOC_MEDIUM",
        20 => "Mach message",
        21 => "IOKit",
        41 => "Foundation",
        42 => "CoreGraphics",
        51 => "CoreAnimation",
        52 => "CG image",
        53 => "WebKit Malloc",
        60 => "dyld private memory",
        62 => "SQLite page cache",
        70 => "Image IO",
        73 => "Kernel Alloc Once",
        75 => "Accelerate framework",
        76 => "CoreUI image data",
        78 => "Activity Tracing",
        87 => "Skywalk Networking",
        88 => "IOSurface",
        89 => "libnetwork",
        90 => "Audio",
        100 => "IOAccelerator",
        104 => "ColorSync",
        _ => return None,
    })
}

const VM_MEMORY_MALLOC: u32 = 1;
const VM_MEMORY_STACK: u32 = 30;
const SM_EMPTY: u8 = 3;
const SM_TRUESHARED: u8 = 5;

/// The REGION TYPE from tag, share mode, protection and pager (Symbolication's rules).
pub fn region_type(v: &MachVma) -> String {
    match v.user_tag {
        VM_MEMORY_STACK if v.protection == 0 => "Stack Guard".into(),
        VM_MEMORY_STACK => "Stack".into(),
        VM_MEMORY_MALLOC if v.protection == 0 => "MALLOC guard page".into(),
        VM_MEMORY_MALLOC if v.share_mode == SM_EMPTY => "MALLOC".into(),
        VM_MEMORY_MALLOC => "MALLOC metadata".into(),
        0 if v.external_pager => "mapped file".into(),
        0 if v.share_mode == SM_TRUESHARED => "shared memory".into(),
        0 => "VM_ALLOCATE".into(),
        t => tag_label(t)
            .map(str::to_string)
            .unwrap_or_else(|| format!("Memory Tag {t}")),
    }
}

/// Converts mach regions (in address order) to report regions. `page_size` is the size
/// of the pages the counts are in.
pub fn classify_mach(vmas: &[MachVma], page_size: u64) -> Vec<Region> {
    let images: std::collections::HashSet<&str> = vmas
        .iter()
        .filter(|v| !v.path.is_empty() && v.protection & crate::model::PROT_EXEC != 0)
        .map(|v| v.path.as_str())
        .collect();
    let main_stack = vmas.iter().position(|v| v.main_stack);
    // The guard region right below the main stack (stack-tagged, no access, ending where
    // the stack starts), as Apple labels it.
    let main_guard = main_stack.and_then(|i| {
        let below = i.checked_sub(1)?;
        let (g, s) = (&vmas[below], &vmas[i]);
        (g.user_tag == VM_MEMORY_STACK
            && g.protection == 0
            && g.start.saturating_add(g.size) == s.start)
            .then_some(below)
    });
    vmas.iter()
        .enumerate()
        .map(|(i, v)| {
            let mut kind = region_type(v);
            let mut detail = v.path.clone();
            if kind == "mapped file" && images.contains(v.path.as_str()) {
                kind = if v.protection & crate::model::PROT_WRITE != 0 {
                    "__DATA".into()
                } else {
                    "__TEXT".into()
                };
            }
            if Some(i) == main_stack && detail.is_empty() {
                detail = "thread 0".into();
            } else if Some(i) == main_guard && detail.is_empty() {
                kind = "STACK GUARD".into();
                detail = "stack guard for thread 0".into();
            }
            let pages = |n: u64| n.saturating_mul(page_size);
            let resident = pages(v.pages_resident);
            Region {
                start: v.start,
                end: v.start.saturating_add(v.size),
                kind,
                detail,
                prot: v.protection,
                max_prot: v.max_protection,
                share: ShareMode::from_mach(v.share_mode),
                purge: v.purge,
                // A purgeable region's resident bytes are purgeable in its state.
                sizes: Sizes::new(
                    resident,
                    pages(v.pages_dirtied),
                    pages(v.pages_swapped_out),
                    v.purge,
                    resident,
                ),
                exclude_from_writable: false,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(tag: u32, prot: u8, sm: u8, pager: bool) -> MachVma {
        MachVma {
            user_tag: tag,
            protection: prot,
            share_mode: sm,
            external_pager: pager,
            ..Default::default()
        }
    }

    #[test]
    fn symbolication_rules() {
        assert_eq!(region_type(&v(30, 3, 2, false)), "Stack");
        assert_eq!(region_type(&v(30, 0, 2, false)), "Stack Guard");
        assert_eq!(region_type(&v(1, 0, 2, false)), "MALLOC guard page");
        assert_eq!(region_type(&v(1, 3, 3, false)), "MALLOC");
        assert_eq!(region_type(&v(1, 3, 2, false)), "MALLOC metadata");
        assert_eq!(region_type(&v(7, 3, 2, false)), "MALLOC_TINY");
        assert_eq!(region_type(&v(73, 3, 2, false)), "Kernel Alloc Once");
        assert_eq!(region_type(&v(99, 3, 2, false)), "Memory Tag 99");
        assert_eq!(region_type(&v(0, 1, 2, true)), "mapped file");
        assert_eq!(region_type(&v(0, 3, 5, false)), "shared memory");
        assert_eq!(region_type(&v(0, 3, 2, false)), "VM_ALLOCATE");
    }

    #[test]
    fn pages_become_bytes_and_images_get_segments() {
        let mut text = v(0, 5, 1, true);
        text.path = "/usr/lib/dyld".into();
        text.size = 0x8000;
        text.pages_resident = 2;
        let mut data = v(0, 3, 2, true);
        data.path = "/usr/lib/dyld".into();
        data.start = 0x8000;
        data.size = 0x4000;
        data.pages_dirtied = 1;
        let mut file = v(0, 1, 1, true);
        file.path = "/tmp/x".into();
        let r = classify_mach(&[text, data, file], 16384);
        assert_eq!(
            r.iter().map(|r| r.kind.as_str()).collect::<Vec<_>>(),
            ["__TEXT", "__DATA", "mapped file"]
        );
        assert_eq!(r[0].sizes.resident, 32768);
        assert_eq!(r[1].sizes.dirty, 16384);
        assert_eq!(r[0].share, ShareMode::Cow);
    }

    #[test]
    fn code_type_is_the_targets() {
        const X86_64: i32 = 0x0100_0007;
        const ARM64: i32 = 0x0100_000c;
        assert_eq!(code_type(Some((ARM64, 0)), false), "ARM64");
        // CPU_SUBTYPE_ARM64E with the pointer-authentication ABI capability bit set.
        assert_eq!(
            code_type(Some((ARM64, 0x8000_0002u32 as i32)), false),
            "ARM64E"
        );
        assert_eq!(code_type(Some((X86_64, 3)), false), "X86-64");
        assert_eq!(code_type(Some((7, 3)), false), "X86");
        assert_eq!(code_type(Some((X86_64, 3)), true), "X86-64 (translated)");
        assert_eq!(code_type(Some((ARM64, 0)), true), "X86-64 (translated)");
        assert_eq!(code_type(None, true), "X86-64 (translated)");
        assert_eq!(code_type(Some((0x0200_000c, 1)), false), "ARM64_32");
        assert_eq!(code_type(Some((12, 9)), false), "ARM");
        assert_eq!(code_type(Some((18, 0)), false), "PPC");
        assert_eq!(code_type(Some((99, 0)), false), "???");
        assert_eq!(code_type(None, false), "???");
    }

    #[test]
    fn only_the_main_stack_is_thread_0() {
        let region = |start: u64, end: u64, prot: u8, main: bool| MachVma {
            start,
            size: end - start,
            protection: prot,
            user_tag: 30,
            main_stack: main,
            ..Default::default()
        };
        let r = classify_mach(
            &[
                region(0x166f68000, 0x16a76c000, 0, false),
                region(0x16a76c000, 0x16af68000, 3, true),
                region(0x16aff4000, 0x16aff8000, 0, false),
                region(0x16aff8000, 0x16b078000, 3, false),
            ],
            16384,
        );
        assert_eq!(
            Region::kinds(&r),
            [
                ("STACK GUARD", "stack guard for thread 0"),
                ("Stack", "thread 0"),
                ("Stack Guard", ""),
                ("Stack", ""),
            ]
        );
        // No main stack known: nothing is thread 0.
        let r = classify_mach(&[region(0x16a76c000, 0x16af68000, 3, false)], 16384);
        assert_eq!(r[0].detail, "");
    }
}
