//! The data a vmmap report is made of: regions, the header block, malloc zones.
//! Everything is plain data in bytes; the macOS and Linux sources both fill it.

/// Protection bits, as in `vm_prot_t`.
pub const PROT_READ: u8 = 1;
pub const PROT_WRITE: u8 = 2;
pub const PROT_EXEC: u8 = 4;

/// `rwx` text of a protection value.
pub fn prot_text(p: u8) -> [u8; 3] {
    [
        if p & PROT_READ != 0 { b'r' } else { b'-' },
        if p & PROT_WRITE != 0 { b'w' } else { b'-' },
        if p & PROT_EXEC != 0 { b'x' } else { b'-' },
    ]
}

/// The sharing mode (`SM=` column). Codes follow `SM_*` in mach/vm_region.h.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShareMode {
    /// SM_COW (1): shared, copied on write.
    Cow,
    /// SM_PRIVATE (2).
    Private,
    /// SM_EMPTY (3): no pages.
    Empty,
    /// SM_SHARED (4): aliased.
    Aliased,
    /// SM_TRUESHARED (5).
    Shared,
    /// SM_PRIVATE_ALIASED (6): shown as ZER ("zero_filled").
    PrivateAliased,
    /// SM_SHARED_ALIASED (7).
    SharedAliased,
    /// Anything else (SM_LARGE_PAGE or an unknown value).
    Other,
}

impl ShareMode {
    pub fn from_mach(v: u8) -> Self {
        match v {
            1 => ShareMode::Cow,
            2 => ShareMode::Private,
            3 => ShareMode::Empty,
            4 => ShareMode::Aliased,
            5 => ShareMode::Shared,
            6 => ShareMode::PrivateAliased,
            7 => ShareMode::SharedAliased,
            _ => ShareMode::Other,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            ShareMode::Cow => "COW",
            ShareMode::Private => "PRV",
            ShareMode::Empty => "NUL",
            ShareMode::Aliased => "ALI",
            ShareMode::Shared => "SHM",
            ShareMode::PrivateAliased => "ZER",
            ShareMode::SharedAliased => "S/A",
            ShareMode::Other => "???",
        }
    }
}

/// Purgeable state of a region (PURGE column).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purge {
    Volatile,
    NonVolatile,
    Empty,
}

impl Purge {
    /// The legend's letter (`V=volatile N=nonvolatile E=empty`), as in the JSON output.
    pub fn code(self) -> &'static str {
        match self {
            Purge::Volatile => "V",
            Purge::NonVolatile => "N",
            Purge::Empty => "E",
        }
    }

    /// The PURGE column as Apple prints it: `PURGE=` and the letter.
    pub fn column(self) -> &'static str {
        match self {
            Purge::Volatile => "PURGE=V",
            Purge::NonVolatile => "PURGE=N",
            Purge::Empty => "PURGE=E",
        }
    }
}

/// The sizes of a region, in bytes, and the sums of them that coalesced regions and the
/// summary's rows show: resident, dirty and swapped bytes (RSDNT, DIRTY, SWAP), and the
/// purgeable bytes by state (the summary's VOLATILE, NONVOL and EMPTY columns).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sizes {
    pub resident: u64,
    pub dirty: u64,
    pub swapped: u64,
    pub volatile: u64,
    pub nonvolatile: u64,
    pub empty: u64,
}

impl Sizes {
    /// Resident, dirty and swapped bytes, and `purgeable` bytes in the column of `purge`'s
    /// state (none without a state).
    pub fn new(
        resident: u64,
        dirty: u64,
        swapped: u64,
        purge: Option<Purge>,
        purgeable: u64,
    ) -> Sizes {
        let in_state = |state| if purge == Some(state) { purgeable } else { 0 };
        Sizes {
            resident,
            dirty,
            swapped,
            volatile: in_state(Purge::Volatile),
            nonvolatile: in_state(Purge::NonVolatile),
            empty: in_state(Purge::Empty),
        }
    }

    /// Column by column, saturating.
    pub fn saturating_add(self, o: Sizes) -> Sizes {
        self.zip(o, u64::saturating_add)
    }

    /// Column by column, saturating at 0.
    pub fn saturating_sub(self, o: Sizes) -> Sizes {
        self.zip(o, u64::saturating_sub)
    }

    fn zip(self, o: Sizes, f: fn(u64, u64) -> u64) -> Sizes {
        Sizes {
            resident: f(self.resident, o.resident),
            dirty: f(self.dirty, o.dirty),
            swapped: f(self.swapped, o.swapped),
            volatile: f(self.volatile, o.volatile),
            nonvolatile: f(self.nonvolatile, o.nonvolatile),
            empty: f(self.empty, o.empty),
        }
    }
}

/// One VM region, before coalescing. Sizes are bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Region {
    pub start: u64,
    pub end: u64,
    /// REGION TYPE, e.g. `__TEXT`, `MALLOC_SMALL`, `Stack`, `VM_ALLOCATE (reserved)`.
    pub kind: String,
    /// REGION DETAIL: a path, `thread 0`, a zone name, or empty.
    pub detail: String,
    pub prot: u8,
    pub max_prot: u8,
    pub share: ShareMode,
    pub purge: Option<Purge>,
    pub sizes: Sizes,
    /// Left out of the "Writable regions" summary line (macOS shared-cache library data).
    pub exclude_from_writable: bool,
}

impl Region {
    /// The REGION TYPE and REGION DETAIL of each region (what the classifiers' tests check).
    #[cfg(test)]
    pub(crate) fn kinds(regions: &[Region]) -> Vec<(&str, &str)> {
        regions
            .iter()
            .map(|r| (r.kind.as_str(), r.detail.as_str()))
            .collect()
    }

    pub fn vsize(&self) -> u64 {
        self.end.saturating_sub(self.start)
    }
    pub fn writable(&self) -> bool {
        self.prot & PROT_WRITE != 0
    }
}

/// The header block of the report (each field already text, except sizes).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Header {
    pub process: String,
    pub pid: u32,
    pub path: String,
    pub load_address: Option<u64>,
    pub identifier: String,
    pub version: String,
    pub code_type: String,
    pub platform: String,
    pub parent: String,
    pub ppid: u32,
    pub date_time: String,
    pub launch_time: String,
    pub os_version: String,
    pub analysis_tool: String,
    pub footprint: u64,
    pub footprint_peak: u64,
    /// "64-bit process" or "32-bit process".
    pub bits: u32,
    pub page_size: u64,
}

#[cfg(test)]
impl Header {
    /// Process, pid, parent pid, path and load address: what the header's first lines
    /// name (the builders' tests check them first).
    pub(crate) fn identity(&self) -> (&str, u32, u32, &str, Option<u64>) {
        (
            self.process.as_str(),
            self.pid,
            self.ppid,
            self.path.as_str(),
            self.load_address,
        )
    }
}

/// One malloc zone (MALLOC ZONE table). Linux has none (see docs/vmmap.md).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Zone {
    pub name: String,
    pub virtual_size: u64,
    pub resident: u64,
    pub dirty: u64,
    pub swapped: u64,
    pub allocation_count: u64,
    pub bytes_allocated: u64,
    pub region_count: u64,
}
