//! `meminfo`: what psutil 7.2.2's `scripts/meminfo.py` prints (a MEMORY and a SWAP block
//! from `psutil.virtual_memory()` and `psutil.swap_memory()`), byte for byte, on Linux and
//! macOS. See docs/meminfo.md for each line's meaning and every deliberate difference.
//!
//! * [`linux`] and [`darwin`]: psutil's arithmetic, pure;
//! * [`pynum`]: the Python number semantics the output depends on;
//! * [`report`]: the text and JSON renderings;
//! * [`args`]: the command line.
//!
//! Only `gather` (below) touches the system, through memtools-platform.

pub mod args;
pub mod darwin;
pub mod linux;
pub mod pynum;
pub mod report;
pub mod spec;

use memtools_core::out::eprint_bytes;
use memtools_core::{Failure, Sink};
use memtools_platform::sysmem::SystemMemory;
use report::Outcome;
use std::ffi::OsString;

/// The live Linux sources, below the snapshot root (`MEMTOOLS_PROC_ROOT`).
mod live {
    use memtools_core::getopt::os_bytes;
    use memtools_platform::sys;
    use memtools_platform::sysmem::{self, ProcFile};
    use std::path::Path;

    pub struct Live;

    /// `ROOT/name`'s psutil spelling and content.
    pub fn file(name: &str) -> (Vec<u8>, ProcFile) {
        let p = sysmem::proc_path(name);
        (os_bytes(&p), sysmem::read_file(Path::new(&p)))
    }

    impl crate::linux::LinuxSource for Live {
        fn zoneinfo(&mut self) -> (Vec<u8>, ProcFile) {
            file("zoneinfo")
        }
        fn vmstat(&mut self) -> (Vec<u8>, ProcFile) {
            file("vmstat")
        }
        fn sysinfo_swap(&mut self) -> std::io::Result<(u128, u128)> {
            sys::sysinfo_swap()
        }
        fn page_size(&self) -> u64 {
            sys::page_size()
        }
    }
}

/// Runs psutil's steps on this system's data.
fn gather(human: bool) -> Outcome {
    match memtools_platform::sys::system_memory() {
        Ok(SystemMemory::Procfs) => {
            let (path, data) = live::file("meminfo");
            linux::compute(&path, &data, &mut live::Live, human)
        }
        Ok(SystemMemory::Mach(m)) => darwin::compute(&m),
        Err(e) => Outcome {
            error: Some(memtools_core::out::io_strerror(&e).into_bytes()),
            ..Default::default()
        },
    }
}

/// `--cgroup`: psutil's steps on the cgroup's meminfo text (as LXCFS serves it at
/// /proc/meminfo; vmstat and zoneinfo stay the host's, as they are under LXCFS). A cgroup
/// that cannot be read is one line, `meminfo: --cgroup: ...`, nothing on stdout, status 1.
fn gather_cgroup(sel: &memtools_platform::cgroup::Select, human: bool) -> Result<Outcome, Failure> {
    match memtools_platform::cgroup::meminfo(sel) {
        Ok(c) => Ok(cgroup_compute(c.text, human)),
        Err(e) => Err(Failure::line(1, "meminfo", &format!("--cgroup: {e}"))),
    }
}

/// psutil's Linux steps on a cgroup's meminfo text, named as the file it stands for
/// (cgroups exist on Linux only: elsewhere [`memtools_platform::cgroup::meminfo`] has said
/// so before this is reached).
fn cgroup_compute(text: Vec<u8>, human: bool) -> Outcome {
    let path = memtools_core::getopt::os_bytes(&memtools_platform::sysmem::proc_path("meminfo"));
    let data = memtools_platform::sysmem::ProcFile::Data(text);
    linux::compute(&path, &data, &mut live::Live, human)
}

/// Prints an outcome: stdout (in text mode, also the part psutil prints before an
/// exception), the warnings, then the error line.
pub fn print_outcome(o: &Outcome, json: bool) -> Result<i32, Failure> {
    let mut out = Sink::stdout();
    if json {
        if o.error.is_none() {
            report::render_json(o, &mut out.buf);
        }
    } else {
        out.str(&report::render_text(o));
    }
    for w in &o.warnings {
        eprint_bytes(format!("{w}\n").as_bytes());
    }
    out.finish("meminfo")?;
    match &o.error {
        Some(e) => {
            let mut line = b"meminfo: ".to_vec();
            line.extend_from_slice(e);
            line.push(b'\n');
            Err(Failure::new(1, line))
        }
        None => Ok(0),
    }
}

/// The dispatcher's record of this applet (memtools-applets).
pub const APPLET: memtools_core::opts::Applet = memtools_core::opts::Applet {
    spec: &spec::SPEC,
    run,
};

fn run(args: Vec<OsString>) -> Result<i32, Failure> {
    let plan = args::parse(args)?;
    let outcome = match &plan.cgroup {
        Some(sel) => gather_cgroup(sel, !plan.json)?,
        None => gather(!plan.json),
    };
    print_outcome(&outcome, plan.json)
}
