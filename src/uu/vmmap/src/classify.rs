//! Linux: turning `/proc/PID/smaps` entries into vmmap regions (the rules, each with its
//! reason: docs/vmmap.md, "Linux: where each number comes from").
//! Pure code over plain data; docs/vmmap.md explains each choice.

use crate::model::{Purge, Region, ShareMode, Sizes, PROT_EXEC, PROT_READ, PROT_WRITE};
use memtools_platform::process::SmapsEntry;

/// One smaps entry as the classifier reads it: the platform's entry with its texts as
/// `String`s (sizes in kB, as smaps has them).
pub type Vma = SmapsEntry<String>;

const KERNEL_SPECIAL: &[&str] = &[
    "[vdso]",
    "[vvar]",
    "[vvar_vclock]",
    "[vsyscall]",
    "[sigpage]",
    "[uprobes]",
];

/// What the rules ask of an entry.
trait Facts {
    fn prot(&self) -> u8;
    fn max_prot(&self) -> u8;
    fn shared(&self) -> bool;
    fn file_backed(&self) -> bool;
    fn kernel_special(&self) -> bool;
    fn share_mode(&self) -> ShareMode;
}

impl Facts for Vma {
    fn prot(&self) -> u8 {
        let mut p = 0;
        if self.perms[0] == b'r' {
            p |= PROT_READ;
        }
        if self.perms[1] == b'w' {
            p |= PROT_WRITE;
        }
        if self.perms[2] == b'x' {
            p |= PROT_EXEC;
        }
        p
    }
    fn max_prot(&self) -> u8 {
        match &self.vm_flags {
            Some(f) => {
                let mut p = 0;
                for t in f.split_ascii_whitespace() {
                    match t {
                        "mr" => p |= PROT_READ,
                        "mw" => p |= PROT_WRITE,
                        "me" => p |= PROT_EXEC,
                        _ => {}
                    }
                }
                p
            }
            None => self.prot(),
        }
    }
    fn shared(&self) -> bool {
        self.perms[3] == b's'
    }
    fn file_backed(&self) -> bool {
        self.inode != 0
    }
    fn kernel_special(&self) -> bool {
        KERNEL_SPECIAL.contains(&self.name.as_str())
    }
    fn share_mode(&self) -> ShareMode {
        if self.kernel_special() || self.shared() {
            ShareMode::Shared
        } else if self.rss == 0 && self.swap == 0 {
            ShareMode::Empty
        } else if (self.file_backed() && self.rss.saturating_sub(self.anonymous) > 0)
            || (!self.file_backed() && self.shared_clean.saturating_add(self.shared_dirty) > 0)
        {
            // Page-cache pages still mapped, or anonymous pages shared by fork or KSM.
            ShareMode::Cow
        } else {
            ShareMode::Private
        }
    }
}

fn is_shared_memory_name(name: &str) -> bool {
    name.is_empty()
        || name.starts_with("/SYSV")
        || name == "/dev/zero (deleted)"
        || name.starts_with("/memfd:")
        || name.starts_with("/dev/shm/")
}

/// Classifies smaps entries (in address order). `stacks` holds the user stack pointer of
/// each thread, in `/proc/PID/task` order (main thread first); unknown ones are `None`.
pub fn classify(vmas: &[Vma], stacks: &[Option<u64>]) -> Vec<Region> {
    let n = vmas.len();
    let mut kind: Vec<Option<(String, String)>> = vec![None; n];

    // 1. Thread stacks and their guards.
    for (i, v) in vmas.iter().enumerate() {
        if v.name == "[stack]" {
            kind[i] = Some(("Stack".into(), "thread 0".into()));
        }
    }
    for (t, sp) in stacks.iter().enumerate() {
        let Some(sp) = *sp else { continue };
        if let Some(i) = vmas.iter().position(|v| v.start <= sp && sp < v.end) {
            if t == 0 || kind[i].is_none() {
                kind[i] = Some(("Stack".into(), format!("thread {t}")));
            }
        }
    }
    for i in 0..n {
        let Some((k, d)) = kind[i].clone() else {
            continue;
        };
        if k != "Stack" || i == 0 {
            continue;
        }
        let g = &vmas[i - 1];
        if kind[i - 1].is_none()
            && &g.perms == b"---p"
            && !g.file_backed()
            && g.end == vmas[i].start
        {
            let t = d.trim_start_matches("thread ");
            kind[i - 1] = Some(("STACK GUARD".into(), format!("stack guard for thread {t}")));
        }
    }

    // Which file paths are images (have an executable mapping)?
    let images: std::collections::HashSet<&str> = vmas
        .iter()
        .filter(|v| v.file_backed() && v.perms[2] == b'x')
        .map(|v| v.name.as_str())
        .collect();
    let is_image = |path: &str| images.contains(path);

    for i in 0..n {
        if kind[i].is_some() {
            continue;
        }
        let v = &vmas[i];
        let name = v.name.as_str();
        kind[i] = Some(if name == "[heap]" {
            ("MALLOC".into(), "[heap]".into())
        } else if v.kernel_special()
            || (v.shared() && (is_shared_memory_name(name) || !v.file_backed()))
        {
            ("shared memory".into(), name.into())
        } else if v.file_backed() {
            if is_image(name) {
                let t = if v.perms[2] == b'x' {
                    "__TEXT"
                } else if v.perms[1] == b'w' {
                    "__DATA"
                } else if vmas
                    .get(i + 1)
                    .is_some_and(|nx| nx.name == v.name && nx.perms[1] == b'w' && nx.start == v.end)
                {
                    "__DATA_CONST"
                } else {
                    "__TEXT"
                };
                (t.into(), name.into())
            } else {
                ("mapped file".into(), name.into())
            }
        } else if let Some(tag) = name
            .strip_prefix("[anon:")
            .or_else(|| name.strip_prefix("[anon_shmem:"))
            .and_then(|s| s.strip_suffix(']'))
        {
            (tag.into(), String::new())
        } else if i > 0
            && name.is_empty()
            && vmas[i - 1].file_backed()
            && vmas[i - 1].perms[1] == b'w'
            && vmas[i - 1].end == v.start
            && &v.perms[..3] == b"rw-"
            && is_image(&vmas[i - 1].name)
        {
            // The .bss tail right after an image's writable segment.
            ("__DATA".into(), vmas[i - 1].name.clone())
        } else if &v.perms[..3] == b"---" {
            ("VM_ALLOCATE (reserved)".into(), String::new())
        } else {
            ("VM_ALLOCATE".into(), String::new())
        });
    }

    vmas.iter()
        .zip(kind)
        .map(|(v, k)| {
            let (kind, detail) = k.unwrap_or_default();
            let kb = |x: u64| x.saturating_mul(1024);
            let purge = (v.lazy_free > 0).then_some(Purge::Volatile);
            Region {
                start: v.start,
                end: v.end,
                kind,
                detail,
                prot: v.prot(),
                max_prot: v.max_prot(),
                share: v.share_mode(),
                purge,
                sizes: Sizes::new(
                    kb(v.rss),
                    kb(v.private_dirty.saturating_add(v.shared_dirty)),
                    kb(v.swap),
                    purge,
                    kb(v.lazy_free),
                ),
                exclude_from_writable: false,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vma(start: u64, end: u64, perms: &str, inode: u64, name: &str, rss: u64) -> Vma {
        let mut p = [0u8; 4];
        p.copy_from_slice(perms.as_bytes());
        Vma {
            start,
            end,
            perms: p,
            inode,
            name: name.into(),
            rss,
            vm_flags: Some("rd mr mw me".into()),
            ..Default::default()
        }
    }

    #[test]
    fn glibc_layout_is_labelled_like_the_spec_prototype() {
        let libc = "/usr/lib/x86_64-linux-gnu/libc.so.6";
        let v = vec![
            vma(0x1000, 0x2000, "r--p", 7, libc, 4),
            vma(0x2000, 0x5000, "r-xp", 7, libc, 12),
            vma(0x5000, 0x6000, "r--p", 7, libc, 4),
            vma(0x6000, 0x7000, "r--p", 7, libc, 4),
            vma(0x7000, 0x8000, "rw-p", 7, libc, 4),
            vma(0x8000, 0x9000, "rw-p", 0, "", 4),
            vma(0x9000, 0xa000, "r--s", 9, "/usr/lib/locale/gconv.cache", 4),
            vma(0x10000, 0x11000, "rw-p", 0, "[heap]", 4),
            vma(0x20000, 0x21000, "---p", 0, "", 0),
            vma(0x21000, 0x22000, "rw-p", 0, "", 0),
            vma(0x30000, 0x31000, "rw-p", 0, "[anon:my tag]", 4),
            vma(0x7ff000, 0x800000, "rw-p", 0, "[stack]", 4),
            vma(0x900000, 0x901000, "r-xp", 0, "[vdso]", 4),
        ];
        let r = classify(&v, &[Some(0x7ff800), Some(0x21800)]);
        assert_eq!(
            Region::kinds(&r),
            vec![
                ("__TEXT", libc),
                ("__TEXT", libc),
                ("__TEXT", libc),
                ("__DATA_CONST", libc),
                ("__DATA", libc),
                ("__DATA", libc),
                ("mapped file", "/usr/lib/locale/gconv.cache"),
                ("MALLOC", "[heap]"),
                ("STACK GUARD", "stack guard for thread 1"),
                ("Stack", "thread 1"),
                ("my tag", ""),
                ("Stack", "thread 0"),
                ("shared memory", "[vdso]"),
            ]
        );
        assert_eq!(r[6].share, ShareMode::Shared);
        assert_eq!(r[12].share, ShareMode::Shared);
        assert_eq!(r[8].share, ShareMode::Empty);
        assert_eq!(r[0].share, ShareMode::Cow);
        assert_eq!(r[7].max_prot, PROT_READ | PROT_WRITE | PROT_EXEC);
    }

    #[test]
    fn reserved_and_plain_anonymous() {
        let v = vec![
            vma(0x1000, 0x2000, "---p", 0, "", 0),
            vma(0x3000, 0x4000, "rw-p", 0, "", 4),
            vma(0x5000, 0x6000, "rw-s", 0, "/dev/zero (deleted)", 4),
        ];
        let r = classify(&v, &[]);
        assert_eq!(r[0].kind, "VM_ALLOCATE (reserved)");
        assert_eq!(r[1].kind, "VM_ALLOCATE");
        assert_eq!(r[1].share, ShareMode::Private);
        assert_eq!(r[2].kind, "shared memory");
        assert_eq!(r[2].detail, "/dev/zero (deleted)");
    }
}
