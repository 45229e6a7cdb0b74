//! The applets this build has. Adding an applet is one line here plus its crate.

use std::ffi::OsString;

pub struct Applet {
    pub name: &'static str,
    pub main: fn(Vec<OsString>) -> i32,
}

pub const APPLETS: &[Applet] = &[
    Applet {
        name: "free",
        main: uu_free::uumain,
    },
    Applet {
        name: "vm_stat",
        main: uu_vm_stat::uumain,
    },
    Applet {
        name: "memory-user",
        main: uu_memory_user::uumain,
    },
    Applet {
        name: "pmap",
        main: uu_pmap::uumain,
    },
    Applet {
        name: "vmmap",
        main: uu_vmmap::uumain,
    },
    Applet {
        name: "smem",
        main: uu_smem::uumain,
    },
];

pub fn find(name: &str) -> Option<&'static Applet> {
    APPLETS.iter().find(|a| a.name == name)
}
