//! macOS: labelling `mach_vm_region_recurse` regions (spec §3.4.7). Pure code, compiled and
//! tested on every platform; `macos.rs` only fills [`MachVma`].
//!
//! What is reproduced: the tag/share-mode/protection/pager rules and the tag label table.
//! What is approximated: Mach-O segment names. Regions carry none; real vmmap reads the
//! images' load commands. Here a file region of an image (a file with an executable
//! region) is `__TEXT` when executable or read-only and `__DATA` when writable, and other
//! file regions are `mapped file`. Malloc zones are not enumerated (the table stays empty).

use crate::model::{Purge, Region, ShareMode};

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
    /// `proc_regionfilename`, empty when none.
    pub path: String,
    pub purge: Option<Purge>,
}

/// Labels for `VM_MEMORY_*` tags (spec §3.4.7; 20, 42, 51, 52, 70, 75, 76 inferred).
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

/// Converts mach regions (in address order) to report regions.
pub fn classify_mach(vmas: &[MachVma], page_size: u64) -> Vec<Region> {
    let images: std::collections::HashSet<&str> = vmas
        .iter()
        .filter(|v| !v.path.is_empty() && v.protection & crate::model::PROT_EXEC != 0)
        .map(|v| v.path.as_str())
        .collect();
    vmas.iter()
        .map(|v| {
            let mut kind = region_type(v);
            if kind == "mapped file" && images.contains(v.path.as_str()) {
                kind = if v.protection & crate::model::PROT_WRITE != 0 {
                    "__DATA".into()
                } else {
                    "__TEXT".into()
                };
            }
            let pages = |n: u64| n.saturating_mul(page_size);
            let resident = pages(v.pages_resident);
            Region {
                start: v.start,
                end: v.start.saturating_add(v.size),
                kind,
                detail: v.path.clone(),
                prot: v.protection,
                max_prot: v.max_protection,
                share: ShareMode::from_mach(v.share_mode),
                purge: v.purge,
                resident,
                dirty: pages(v.pages_dirtied),
                swapped: pages(v.pages_swapped_out),
                volatile: if v.purge == Some(Purge::Volatile) {
                    resident
                } else {
                    0
                },
                nonvolatile: if v.purge == Some(Purge::NonVolatile) {
                    resident
                } else {
                    0
                },
                empty: if v.purge == Some(Purge::Empty) {
                    resident
                } else {
                    0
                },
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
        assert_eq!(r[0].resident, 32768);
        assert_eq!(r[1].dirty, 16384);
        assert_eq!(r[0].share, ShareMode::Cow);
    }
}
