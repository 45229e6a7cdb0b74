//! Reading a memory cgroup's files (Linux): where they are (`PROC/self/cgroup`,
//! `PROC/self/mountinfo`, `$MEMTOOLS_SYS_ROOT`), the walk up the hierarchy, and the
//! host's meminfo. What the files say is parsed and computed by the plain functions of
//! [`crate::cgroup`], tested on every platform; the rules are in docs/containers.md.

use crate::cgroup::{
    ancestor_name, lxcfs_meminfo, min_limit, parse_mountinfo, parse_proc_cgroup, parse_stat,
    parse_value, relative_to_mount, CgroupError, CgroupMeminfo, Reading, Select, Swap, Version,
    V1_UNLIMITED,
};
use std::path::{Path, PathBuf};

mod read {
    use super::*;
    use std::io::Read;

    /// Cgroup files are small; never read more than this of one (a DIR that is not a
    /// cgroup could hold anything under those names).
    const FILE_LIMIT: u64 = 1 << 16;

    pub(super) fn file(path: &Path) -> Result<Vec<u8>, CgroupError> {
        let err = |err| CgroupError::Read {
            path: path.to_path_buf(),
            err,
        };
        let f = std::fs::File::open(path).map_err(err)?;
        let mut buf = Vec::with_capacity(4096);
        f.take(FILE_LIMIT).read_to_end(&mut buf).map_err(err)?;
        Ok(buf)
    }

    /// `Ok(None)` when the file does not exist.
    pub(super) fn optional(path: &Path) -> Result<Option<Vec<u8>>, CgroupError> {
        match file(path) {
            Ok(b) => Ok(Some(b)),
            Err(CgroupError::Read { err, .. }) if err.kind() == std::io::ErrorKind::NotFound => {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    pub(super) fn value(path: &Path) -> Result<Option<u64>, CgroupError> {
        let data = file(path)?;
        parse_value(&data).map_err(|what| CgroupError::Damaged {
            path: path.to_path_buf(),
            what,
        })
    }

    pub(super) fn optional_value(path: &Path) -> Result<Option<Option<u64>>, CgroupError> {
        match optional(path)? {
            None => Ok(None),
            Some(data) => parse_value(&data)
                .map(Some)
                .map_err(|what| CgroupError::Damaged {
                    path: path.to_path_buf(),
                    what,
                }),
        }
    }
}

fn os_path(b: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(b))
}

/// `$MEMTOOLS_SYS_ROOT` when set and non-empty.
fn sys_root() -> Option<PathBuf> {
    std::env::var_os(crate::vmstat::SYS_ROOT_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// A mount point as this process reads it: below `$MEMTOOLS_SYS_ROOT` when that is set.
fn mount_point(point: &[u8]) -> Result<PathBuf, CgroupError> {
    match sys_root() {
        None => Ok(os_path(point)),
        Some(root) => match point.strip_prefix(b"/sys") {
            Some(rest) if rest.is_empty() || rest.starts_with(b"/") => {
                Ok(root.join(os_path(rest.strip_prefix(b"/").unwrap_or(rest))))
            }
            _ => Err(CgroupError::OutsideSysRoot(os_path(point))),
        },
    }
}

/// The calling process's memory cgroup: version, directory, name, and the directory of
/// its hierarchy's mount (where walking up stops).
fn locate_own() -> Result<(Version, PathBuf, String, PathBuf), CgroupError> {
    let proc_set = std::env::var_os(crate::PROC_ROOT_ENV).is_some_and(|v| !v.is_empty());
    if proc_set && sys_root().is_none() {
        return Err(CgroupError::SnapshotWithoutSys);
    }
    let proc = crate::proc_root();
    let cg = read::file(&proc.join("self/cgroup"))?;
    let (version, path) = parse_proc_cgroup(&cg).ok_or(CgroupError::NoMemoryCgroup)?;
    let name = String::from_utf8_lossy(&path).into_owned();
    let mi = read::file(&proc.join("self/mountinfo"))?;
    let mounts = parse_mountinfo(&mi, version);
    if mounts.is_empty() && version == Version::V2 {
        // A v2 line without a cgroup2 mount: nothing to read (and no memory controller).
        return Err(CgroupError::NoMemoryCgroup);
    }
    for m in &mounts {
        if let Some(rel) = relative_to_mount(&path, &m.root) {
            let top = mount_point(&m.point)?;
            let dir = if rel.is_empty() {
                top.clone()
            } else {
                top.join(os_path(rel))
            };
            return Ok((version, dir, name, top));
        }
    }
    Err(CgroupError::NotMounted {
        version,
        cgroup: name,
    })
}

/// The version of a cgroup directory given by the user.
fn version_of(dir: &Path) -> Result<Version, CgroupError> {
    let not = |why: &str| CgroupError::NotACgroup {
        dir: dir.to_path_buf(),
        why: why.to_string(),
    };
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => return Err(not("not a directory")),
        Err(e) => {
            return Err(CgroupError::Read {
                path: dir.to_path_buf(),
                err: e,
            })
        }
    }
    if dir.join("memory.limit_in_bytes").exists() {
        Ok(Version::V1)
    } else if dir.join("memory.current").exists() {
        Ok(Version::V2)
    } else if dir.join("cgroup.controllers").exists() {
        Err(CgroupError::NoAccounting(dir.to_path_buf()))
    } else {
        Err(not(
            "it has neither memory.limit_in_bytes (v1) nor memory.current (v2)",
        ))
    }
}

/// `dir` and its ancestors that belong to the same hierarchy, leaf first: up to `top`
/// (the mount point) when known, else while the parent has the version's limit file.
fn path_to_root(version: Version, dir: &Path, top: Option<&Path>) -> Vec<PathBuf> {
    let marker = match version {
        Version::V1 => "memory.limit_in_bytes",
        Version::V2 => "memory.max",
    };
    let mut out = vec![dir.to_path_buf()];
    let mut cur = dir.to_path_buf();
    // Deeper than any real hierarchy (the kernel's default cgroup.max.depth is unlimited,
    // but a loop of symlinks must not run forever).
    for _ in 0..256 {
        if top.is_some_and(|t| cur == t) {
            break;
        }
        let Some(parent) = cur.parent() else { break };
        if parent.as_os_str().is_empty() || !parent.join(marker).exists() {
            break;
        }
        cur = parent.to_path_buf();
        out.push(cur.clone());
    }
    out
}

/// Reads the cgroup.
pub fn read(sel: &Select) -> Result<Reading, CgroupError> {
    let (version, dir, name, top) = match sel {
        Select::Own => {
            let (v, d, n, t) = locate_own()?;
            (v, d, n, Some(t))
        }
        Select::Dir(d) => {
            let v = version_of(d)?;
            // Walk the real path (`..` of a symlinked directory is not its parent).
            let real = std::fs::canonicalize(d).map_err(|err| CgroupError::Read {
                path: d.clone(),
                err,
            })?;
            let name = real.display().to_string();
            (v, real, name, None)
        }
    };
    if version == Version::V2 && !dir.join("memory.current").exists() {
        if !dir.exists() {
            return Err(CgroupError::Read {
                path: dir,
                err: std::io::Error::from_raw_os_error(libc::ENOENT),
            });
        }
        return Err(CgroupError::NoAccounting(dir));
    }
    let chain = path_to_root(version, &dir, top.as_deref());
    let j = |f: &str| dir.join(f);
    let stat_path = j("memory.stat");
    let stat =
        parse_stat(&read::file(&stat_path)?, version).map_err(|what| CgroupError::Damaged {
            path: stat_path.clone(),
            what,
        })?;

    let (limit_file, swap_limit_file) = match version {
        Version::V1 => ("memory.limit_in_bytes", "memory.memsw.limit_in_bytes"),
        Version::V2 => ("memory.max", "memory.swap.max"),
    };
    // The smallest limit on the path (a missing file above the leaf: no limit there).
    let mut limit = None;
    let mut limit_from = None;
    let mut zero = false;
    for (i, d) in chain.iter().enumerate() {
        let p = d.join(limit_file);
        let v = if i == 0 {
            read::value(&p)?
        } else {
            read::optional_value(&p)?.flatten()
        };
        let v = match version {
            Version::V1 => v.filter(|&x| x < V1_UNLIMITED),
            Version::V2 => v,
        };
        if let Some(x) = v {
            if x == 0 {
                zero = true;
            }
            if limit.is_none_or(|l| x < l) {
                limit = Some(x);
                limit_from = Some(ancestor_name(&name, i));
            }
        }
    }
    if let Some(h) = stat.hierarchical_limit.filter(|&h| h < V1_UNLIMITED) {
        if h == 0 {
            zero = true;
        }
        if limit.is_none_or(|l| h < l) {
            limit = Some(h);
            limit_from = None;
        }
    }
    // LXCFS takes the smallest limit on the path and reads a result of 0 as "no limit"
    // (observed: a leaf limited to 0 under a 512 MiB parent shows the host's total).
    if zero {
        limit = None;
        limit_from = None;
    }

    let usage = match version {
        Version::V1 => read::value(&j("memory.usage_in_bytes"))?,
        Version::V2 => read::value(&j("memory.current"))?,
    }
    .ok_or_else(|| CgroupError::Damaged {
        path: j(match version {
            Version::V1 => "memory.usage_in_bytes",
            Version::V2 => "memory.current",
        }),
        what: "'max' is not a usage".to_string(),
    })?;

    // Swap: accounted when the cgroup has the swap limit file.
    let mut swap = Swap::default();
    if let Some(own) = read::optional_value(&j(swap_limit_file))? {
        swap.accounted = true;
        let mut sl = match version {
            Version::V1 => own.filter(|&x| x < V1_UNLIMITED),
            Version::V2 => own,
        };
        for d in chain.iter().skip(1) {
            let v = read::optional_value(&d.join(swap_limit_file))?.flatten();
            let v = match version {
                Version::V1 => v.filter(|&x| x < V1_UNLIMITED),
                Version::V2 => v,
            };
            sl = match version {
                // v1 ignores a 0 (impossible for memsw anyway); v2's swap.max 0 is real.
                Version::V1 => min_limit(sl, v),
                Version::V2 => match (sl, v) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, None) => a,
                    (None, b) => b,
                },
            };
        }
        if version == Version::V1 {
            sl = min_limit(
                sl,
                stat.hierarchical_memsw_limit.filter(|&h| h < V1_UNLIMITED),
            );
        }
        swap.limit = sl;
        swap.usage = match version {
            Version::V1 => {
                let p = j("memory.memsw.usage_in_bytes");
                read::value(&p)?
                    .ok_or_else(|| CgroupError::Damaged {
                        path: p,
                        what: "'max' is not a usage".to_string(),
                    })?
                    .saturating_sub(usage)
            }
            Version::V2 => read::optional_value(&j("memory.swap.current"))?
                .flatten()
                .unwrap_or(0),
        };
        if version == Version::V1 {
            swap.swappiness = read::optional_value(&j("memory.swappiness"))?.flatten();
        }
    }

    Ok(Reading {
        version,
        dir,
        name,
        limit,
        limit_from,
        usage,
        swap,
        stat,
    })
}

/// The usage now (v1 `memory.usage_in_bytes`, v2 `memory.current`) of a cgroup read
/// before, for a live report. `None` when it cannot be read.
pub fn usage_now(r: &Reading) -> Option<u64> {
    let f = match r.version {
        Version::V1 => "memory.usage_in_bytes",
        Version::V2 => "memory.current",
    };
    read::value(&r.dir.join(f)).ok().flatten()
}

/// The host's meminfo text (the snapshot root's `meminfo`), whole.
fn host_meminfo() -> Result<Vec<u8>, CgroupError> {
    let path = crate::proc_root().join("meminfo");
    match std::fs::read(&path) {
        Ok(d) if d.is_empty() => Err(CgroupError::Host(crate::MemInfoError::Unreadable(
            std::io::Error::from_raw_os_error(libc::EIO),
        ))),
        Ok(d) => Ok(d),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(CgroupError::Host(crate::MemInfoError::NotFound(path)))
        }
        Err(e) => Err(CgroupError::Host(crate::MemInfoError::Unreadable(e))),
    }
}

/// The cgroup's meminfo text (as LXCFS would serve it) and the reading behind it.
pub fn meminfo(sel: &Select) -> Result<CgroupMeminfo, CgroupError> {
    let reading = read(sel)?;
    let host = host_meminfo()?;
    Ok(CgroupMeminfo {
        text: lxcfs_meminfo(&host, &reading),
        reading,
    })
}
