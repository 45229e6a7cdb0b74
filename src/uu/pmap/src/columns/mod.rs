//! The `-X`, `-XX` and rc formats: one column per smaps field, in kernel order (unknown
//! fields included), widths from the data (docs/pmap.md, "Formats").
//!
//! * [`mapping`]: one mapping as these formats print it, assembled from the scanner's
//!   smaps records (`memtools_platform::procmaps::scan`, the smaps grammar); the run's
//!   first mapping makes the field list, later ones are checked against it;
//! * [`passes`]: the two passes procps makes, measuring then printing;
//! * [`replay`]: the compact records that let pass 2 print without reading smaps again;
//! * [`text`] (header and rows), [`footer`], and [`json`] (`--json`).

mod footer;
pub mod json;
mod mapping;
mod passes;
mod replay;
pub mod text;

use std::io;

/// Which columns are enabled, and how they are shown.
#[derive(Clone, Debug, Default)]
pub struct Columns {
    /// `-X` count (1 = `-X`, 2+ = `-XX`); 0 in rc mode.
    pub x_level: u32,
    /// rc mode: the names listed in `[Fields Display]`.
    pub rc_names: Vec<Vec<u8>>,
    /// `-q`: no header and footer, field widths from the values alone (text only).
    pub quiet: bool,
    /// `-p` (toggled by the rc file's `ShowPath`): the Mapping column shows the whole name.
    pub show_path: bool,
}

/// Fields `-X` (one X) leaves out.
const X_HIDDEN: &[&[u8]] = &[
    b"AnonHugePages",
    b"KernelPageSize",
    b"MMUPageSize",
    b"Shared_Dirty",
    b"Private_Dirty",
    b"Shared_Clean",
    b"Private_Clean",
    b"VmFlags",
];

impl Columns {
    pub fn enabled(&self, name: &[u8]) -> bool {
        match self.x_level {
            0 => self.rc_names.iter().any(|n| n.as_slice() == name),
            1 => !X_HIDDEN.contains(&name),
            _ => true,
        }
    }
}

/// One smaps field column.
struct Field {
    name: Vec<u8>,
    /// `--json`: the name as a key, escaped once.
    key: memtools_core::json::Key,
    width: usize,
    total: u64,
    /// The kernel gives it in kB (`--json` shows it in bytes).
    kb: bool,
    /// The value string last read for this column in pass 1, this PID or an earlier one.
    /// procps keeps one value slot per column for the whole run, so a mapping that lacks
    /// trailing fields of the list shows, in those columns, whatever the slot held: the
    /// value of the last mapping that had the field (observed with 4.0.2).
    last: Vec<u8>,
}

impl Field {
    fn new(name: &[u8], kb: bool) -> Field {
        Field {
            name: name.to_vec(),
            key: memtools_core::json::Key::new(name),
            width: 0,
            total: 0,
            kb,
            last: Vec::new(),
        }
    }
}

/// What persists from one PID to the next in one run: the field list and field widths.
pub struct XState {
    fields: Vec<Field>,
    established: bool,
    has_vmflags: bool,
    vmflags_width: usize,
    /// How many bytes of replay records pass 1 may keep ([`passes::REPLAY_BUDGET`]).
    budget: usize,
}

impl Default for XState {
    fn default() -> Self {
        XState {
            fields: Vec::new(),
            established: false,
            has_vmflags: false,
            vmflags_width: 0,
            budget: passes::REPLAY_BUDGET,
        }
    }
}

/// A fatal smaps format error (exit status 1).
pub enum Fatal {
    Io(io::Error),
    /// `Unknown format in smaps file!`
    Format,
    /// `ERROR: inconsistent detail field in smaps file, line:\n <line>`
    Inconsistent(Vec<u8>),
}

impl From<io::Error> for Fatal {
    fn from(e: io::Error) -> Self {
        Fatal::Io(e)
    }
}

/// The text of a fatal error, as the `error` field of `--json` (stderr has pmap's message).
pub fn fatal_text(e: &Fatal) -> String {
    match e {
        Fatal::Io(e) => memtools_core::out::io_strerror(e),
        Fatal::Format => "Unknown format in smaps file!".to_string(),
        Fatal::Inconsistent(line) => format!(
            "ERROR: inconsistent detail field in smaps file, line: {}",
            String::from_utf8_lossy(line.strip_suffix(b"\n").unwrap_or(line))
        ),
    }
}

/// Which of the columns before the fields are on.
#[derive(Clone, Copy)]
struct BaseOn {
    perm: bool,
    off: bool,
    dev: bool,
    inode: bool,
    mapping: bool,
    vmflags: bool,
}

impl BaseOn {
    fn from(c: &Columns) -> Self {
        BaseOn {
            perm: c.enabled(b"Perm") || c.x_level > 0,
            off: c.enabled(b"Offset") || c.x_level > 0,
            dev: c.enabled(b"Device") || c.x_level > 0,
            inode: c.enabled(b"Inode") || c.x_level > 0,
            mapping: c.enabled(b"Mapping") || c.x_level > 0,
            vmflags: c.enabled(b"VmFlags"),
        }
    }
}

/// The widths of the columns before the fields (per process).
#[derive(Default, Clone, Copy)]
struct BaseWidths {
    addr: usize,
    perm: usize,
    off: usize,
    dev: usize,
    inode: usize,
}

/// The mapping column's text: the name, or its basename without `-p`.
fn shown_name(desc: &[u8], show_path: bool) -> &[u8] {
    if show_path {
        desc
    } else {
        match desc.iter().rposition(|&b| b == b'/') {
            Some(p) => &desc[p + 1..],
            None => desc,
        }
    }
}
