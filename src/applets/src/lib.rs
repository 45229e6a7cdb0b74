//! The applets of this build: the one list the dispatcher (`memtools`), `--list`,
//! `--install-links`, `make install` and the man-page and completion generator
//! (`memtools-gen`) all read.
//!
//! Adding an applet: its crate `src/uu/NAME` exports `APPLET` (its [`Spec`] and entry
//! point; see docs/design.md, "How to add an applet"), this crate depends on it, and one
//! line below names it.

use memtools_core::opts::{Applet, Item, Man, Opt, Spec};

/// Every applet, in the order `memtools --list` prints them.
pub const APPLETS: &[Applet] = &[
    uu_free::APPLET,
    uu_vm_stat::APPLET,
    uu_memory_user::APPLET,
    uu_pmap::APPLET,
    uu_vmmap::APPLET,
    uu_meminfo::APPLET,
    uu_smem::APPLET,
];

/// The applet called `name`.
pub fn find(name: &str) -> Option<&'static Applet> {
    APPLETS.iter().find(|a| a.name() == name)
}

/// The dispatcher's own command line (`memtools --list`, ...).
pub const MEMTOOLS: Spec = Spec {
    name: "memtools",
    about:
        "memory tools (free, pmap, vm_stat, vmmap, memory-user, meminfo, smem) in one multicall binary",
    synopsis: "APPLET [ARGUMENTS...]\n--list\n--install-links DIR\n--help | --version",
    usage_head: "\
Usage: memtools APPLET [ARGUMENTS...]
       APPLET [ARGUMENTS...]          (through a link named after the applet)
       memtools --list
       memtools --install-links DIR
       memtools --help | --version

memtools reimplements free and pmap (procps-ng), vm_stat and vmmap (macOS), smem, the
OSTEP memory-user homework program and psutil's meminfo.py in one binary, for Linux and
macOS.
",
    items: &[
        Item::Opt(Opt::flag(b'l', "list", "print the applets of this build").not_in_usage()),
        Item::Opt(
            Opt::long(
                "install-links",
                "create a link DIR/APPLET -> memtools for every applet",
            )
            .value("DIR", "")
            .hint(memtools_core::opts::Hint::Dir)
            .not_in_usage(),
        ),
        Item::Opt(Opt::flag(b'h', "help", "display help and exit").not_in_usage()),
        Item::Opt(Opt::flag(b'V', "version", "output version information and exit").not_in_usage()),
    ],
    man: Man {
        description: "\
`memtools` is one binary holding free(1) and pmap(1) (procps-ng), vm_stat(1) and vmmap(1) \
(macOS), smem(1) (Debian's smem 1.5), memory-user(1) (the OSTEP homework program) and \
meminfo(1) (psutil's meminfo.py), for Linux and macOS. Each applet \
reproduces its original's options, output bytes, messages and exit statuses.

Run an applet as `memtools APPLET ARGS`, or through a link named after it (`free -h`): \
the applet is taken from the basename of argv[0]. `memtools --install-links DIR` creates \
those links; the install command (make install) creates them with the man pages and shell \
completions.",
        files: "\
@MEMTOOLS_PROC_ROOT
read DIR/... instead of /proc/... on Linux: a copied /proc from another \
machine is shown as it would be shown there.

@MEMTOOLS_SYS_ROOT
vm_stat reads zram statistics below this directory instead of /sys.",
        notes: "\
Every applet has a `--json` option for scripts (sizes in bytes, a schema_version \
field); docs/json.md documents every field.

macOS support is compile-checked, not run: no macOS machine was available to the \
project.",
        exit_status: "\
The applet's exit status. `memtools` alone: 0 for --list, --help and --version, 1 for an \
unknown applet or a failed --install-links.",
        see_also: "",
    },
    ..Spec::EMPTY
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_found() {
        for a in APPLETS {
            assert_eq!(find(a.name()).map(|f| f.name()), Some(a.name()));
            assert_eq!(APPLETS.iter().filter(|b| b.name() == a.name()).count(), 1);
        }
        assert!(find("memtools").is_none());
    }
}
