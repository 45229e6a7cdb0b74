//! psutil 7.2.2's Linux `virtual_memory()` and `swap_memory()` as pure functions of the
//! files' bytes (compiled and tested on every platform). docs/meminfo.md states each rule;
//! the goldens in tests/fixtures/meminfo/ were recorded from psutil itself.

use crate::pynum::{self, int, lines, split_ws, strip, to_float, usage_percent, IntError, Num};
use crate::report::{printable, Block, Outcome, FLOAT_OVERFLOW};
use memtools_platform::sysmem::ProcFile;
use num_bigint::BigInt;
use num_traits::{Signed, Zero};
use std::collections::HashMap;
use std::io;

/// Where psutil's Linux code gets what it reads besides meminfo. Each method is called
/// only when psutil would read that source, and at most once.
pub trait LinuxSource {
    /// `PROCFS_PATH/zoneinfo`: its name (as psutil spells it) and content.
    fn zoneinfo(&mut self) -> (Vec<u8>, ProcFile);
    /// `PROCFS_PATH/vmstat`.
    fn vmstat(&mut self) -> (Vec<u8>, ProcFile);
    /// `sysinfo(2)`: swap total and free in bytes.
    fn sysinfo_swap(&mut self) -> io::Result<(u128, u128)>;
    /// The page size (`sysconf(_SC_PAGESIZE)`), by which zoneinfo's page counts are
    /// multiplied.
    fn page_size(&self) -> u64;
}

/// `/proc/meminfo` as psutil reads it: every line split on whitespace, the first field
/// (colon included) the key, `int()` of the second times 1024 the value; the last of
/// duplicate keys wins.
pub type MemMap<'a> = HashMap<&'a [u8], BigInt>;

/// `PATH: line N: what` as bytes.
fn at(path: &[u8], n: usize, what: &str) -> Vec<u8> {
    let mut m = path.to_vec();
    m.extend_from_slice(format!(": line {n}: {what}").as_bytes());
    m
}

/// `PATH: strerror`.
fn io_msg(path: &[u8], e: &io::Error) -> Vec<u8> {
    let mut m = path.to_vec();
    m.extend_from_slice(b": ");
    m.extend_from_slice(memtools_core::out::io_strerror(e).as_bytes());
    m
}

/// Python's texts for a failed `int()`.
fn int_msg(token: &[u8], e: IntError) -> String {
    match e {
        IntError::Invalid => format!(
            "invalid literal for int() with base 10: {}",
            pynum::bytes_repr(token)
        ),
        IntError::TooManyDigits(n) => format!(
            "Exceeds the limit ({} digits) for integer string conversion: value has {n} digits",
            pynum::MAX_STR_DIGITS
        ),
    }
}

/// Parses meminfo text. A line with fewer than two fields, or whose second field is not
/// an integer, is an exception in psutil (IndexError, ValueError): here an error naming
/// the line.
pub fn parse_meminfo<'a>(data: &'a [u8], path: &[u8]) -> Result<MemMap<'a>, Vec<u8>> {
    let mut map = HashMap::with_capacity(64);
    for (i, line) in lines(data).enumerate() {
        let mut f = split_ws(line);
        let (Some(key), Some(value)) = (f.next(), f.next()) else {
            return Err(at(path, i + 1, "expected a name and a value"));
        };
        let v = int(value).map_err(|e| at(path, i + 1, &int_msg(value, e)))?;
        map.insert(key, v * 1024);
    }
    Ok(map)
}

/// Computes what meminfo.py shows: `virtual_memory()`, then `swap_memory()`, stopping
/// where psutil raises. `meminfo` is the content of `meminfo_path` (or, for another
/// source of meminfo-format text, that text and a name for messages). With `human`, the
/// run also stops where printing a block would fail, as the script does.
pub fn compute(
    meminfo_path: &[u8],
    meminfo: &ProcFile,
    src: &mut dyn LinuxSource,
    human: bool,
) -> Outcome {
    let mut o = Outcome::default();
    let data = match meminfo {
        ProcFile::Data(d) => d,
        ProcFile::OpenFailed(e) | ProcFile::ReadFailed(e) => {
            o.error = Some(io_msg(meminfo_path, e));
            return o;
        }
    };
    let mut steps = |o: &mut Outcome| -> Result<(), Vec<u8>> {
        let m = parse_meminfo(data, meminfo_path)?;
        let v = virtual_memory(&m, meminfo_path, src, &mut o.warnings)?;
        let ok = !human || printable(&v);
        o.blocks.push(v);
        if !ok {
            return Err(FLOAT_OVERFLOW.to_vec());
        }
        let s = swap_memory(&m, src, &mut o.warnings)?;
        let ok = !human || printable(&s);
        o.blocks.push(s);
        if !ok {
            return Err(FLOAT_OVERFLOW.to_vec());
        }
        Ok(())
    };
    if let Err(e) = steps(&mut o) {
        o.error = Some(e);
    }
    o
}

fn overflow(_: pynum::FloatOverflow) -> Vec<u8> {
    FLOAT_OVERFLOW.to_vec()
}

fn missing_key(path: &[u8], key: &[u8]) -> Vec<u8> {
    let mut m = path.to_vec();
    m.extend_from_slice(b": no '");
    m.extend_from_slice(key);
    m.extend_from_slice(b"' line");
    m
}

/// psutil's `virtual_memory()`.
pub fn virtual_memory(
    m: &MemMap,
    path: &[u8],
    src: &mut dyn LinuxSource,
    warnings: &mut Vec<String>,
) -> Result<Block, Vec<u8>> {
    let get = |k: &[u8]| m.get(k).cloned();
    let total = get(b"MemTotal:").ok_or_else(|| missing_key(path, b"MemTotal:"))?;
    let free = get(b"MemFree:").ok_or_else(|| missing_key(path, b"MemFree:"))?;
    let mut missing: Vec<&str> = Vec::new();
    let mut or_zero = |v: Option<BigInt>, name: &'static str| {
        v.unwrap_or_else(|| {
            missing.push(name);
            BigInt::zero()
        })
    };
    let buffers = or_zero(get(b"Buffers:"), "buffers");
    // "Cached" includes the reclaimable slab, as free's "cache" column does.
    let cached = or_zero(
        get(b"Cached:").map(|c| c + get(b"SReclaimable:").unwrap_or_default()),
        "cached",
    );
    let shared = or_zero(get(b"Shmem:").or_else(|| get(b"MemShared:")), "shared");
    let active = or_zero(get(b"Active:"), "active");
    let inact_sum =
        || Some(get(b"Inact_dirty:")? + get(b"Inact_clean:")? + get(b"Inact_laundry:")?);
    let inactive = or_zero(get(b"Inactive:").or_else(inact_sum), "inactive");
    let slab = get(b"Slab:").unwrap_or_default();
    let mut avail = match get(b"MemAvailable:") {
        Some(a) if !a.is_zero() => a,
        _ => estimate_available(m, src)?,
    };
    if avail.is_negative() {
        avail = BigInt::zero();
        missing.push("available");
    } else if avail > total {
        avail = free.clone();
    }
    let used = &total - &avail;
    let percent = usage_percent(&used, &total).map_err(overflow)?;
    if !missing.is_empty() {
        warnings.push(format!(
            "{} memory stats couldn't be determined and {} set to 0",
            missing.join(", "),
            if missing.len() == 1 { "was" } else { "were" }
        ));
    }
    let mut b = Block::virtual_memory([total, avail, used, free, active, inactive], percent);
    b.bytes("buffers", buffers)
        .bytes("cached", cached)
        .bytes("shared", shared)
        .bytes("slab", slab);
    Ok(b)
}

/// `n / 2` for a Python int (true division, correctly rounded), also where `float(n)`
/// alone would overflow.
fn half(n: &BigInt) -> Result<f64, pynum::FloatOverflow> {
    match to_float(n) {
        Ok(f) => Ok(f / 2.0),
        Err(_) => {
            // Far above 2**53 dropping the last bit changes nothing but a tie; keeping it
            // as a sticky bit ("round to odd") keeps the rounding exact.
            let mag = n.magnitude();
            let q = BigInt::from((mag >> 1u32) | (mag & num_bigint::BigUint::from(1u32)));
            let f = to_float(&q)?;
            Ok(if n.is_negative() { -f } else { f })
        }
    }
}

/// psutil's estimate of available memory when MemAvailable is missing or 0 (the kernel's
/// 3.14 formula, from the zones' low watermarks). Falls back to MemFree + Cached when
/// Active(file), Inactive(file) or SReclaimable is missing or zoneinfo cannot be opened.
fn estimate_available(m: &MemMap, src: &mut dyn LinuxSource) -> Result<BigInt, Vec<u8>> {
    let free = m.get(&b"MemFree:"[..]).cloned().unwrap_or_default();
    let fallback = &free + m.get(&b"Cached:"[..]).cloned().unwrap_or_default();
    let (Some(active_file), Some(inactive_file), Some(slab_reclaimable)) = (
        m.get(&b"Active(file):"[..]),
        m.get(&b"Inactive(file):"[..]),
        m.get(&b"SReclaimable:"[..]),
    ) else {
        return Ok(fallback);
    };
    let (zpath, zone) = src.zoneinfo();
    let data = match zone {
        ProcFile::OpenFailed(_) => return Ok(fallback),
        ProcFile::ReadFailed(e) => return Err(io_msg(&zpath, &e)),
        ProcFile::Data(d) => d,
    };
    let mut low = BigInt::zero();
    for (i, line) in lines(&data).enumerate() {
        let line = strip(line);
        if line.starts_with(b"low") {
            let Some(tok) = split_ws(line).nth(1) else {
                return Err(at(&zpath, i + 1, "'low' line without a value"));
            };
            low += int(tok).map_err(|e| at(&zpath, i + 1, &int_msg(tok, e)))?;
        }
    }
    let low = low * src.page_size();
    let avail = Num::Int(&free - &low);
    let pagecache = active_file + inactive_file;
    let half_pc = Num::Float(half(&pagecache).map_err(overflow)?);
    let pagecache = Num::Int(pagecache).py_sub(Num::min(half_pc, Num::Int(low.clone())));
    let avail = avail
        .py_add(pagecache.map_err(overflow)?)
        .map_err(overflow)?;
    let half_sr = Num::Float(to_float(slab_reclaimable).map_err(overflow)? / 2.0);
    let sr = Num::Int(slab_reclaimable.clone()).py_sub(Num::min(half_sr, Num::Int(low)));
    let avail = avail.py_add(sr.map_err(overflow)?).map_err(overflow)?;
    avail.to_int().map_err(overflow)
}

/// psutil's `swap_memory()`.
pub fn swap_memory(
    m: &MemMap,
    src: &mut dyn LinuxSource,
    warnings: &mut Vec<String>,
) -> Result<Block, Vec<u8>> {
    let (total, free) = match (m.get(&b"SwapTotal:"[..]), m.get(&b"SwapFree:"[..])) {
        (Some(t), Some(f)) => (t.clone(), f.clone()),
        _ => {
            let (t, f) = src.sysinfo_swap().map_err(|e| io_msg(b"sysinfo", &e))?;
            (BigInt::from(t), BigInt::from(f))
        }
    };
    let used = &total - &free;
    let percent = usage_percent(&used, &total).map_err(overflow)?;
    const NOT_DETERMINED: &str =
        "'sin' and 'sout' swap memory stats couldn't be determined and were set to 0";
    let (vpath, vmstat) = src.vmstat();
    let (sin, sout) = match vmstat {
        ProcFile::OpenFailed(e) => {
            warnings.push(format!("{NOT_DETERMINED} ({})", os_error_text(&e, &vpath)));
            (BigInt::zero(), BigInt::zero())
        }
        ProcFile::ReadFailed(e) => return Err(io_msg(&vpath, &e)),
        ProcFile::Data(d) => match pswp(&d, &vpath)? {
            Some(both) => both,
            None => {
                warnings.push(NOT_DETERMINED.to_string());
                (BigInt::zero(), BigInt::zero())
            }
        },
    };
    Ok(Block::swap_memory([total, used, free, sin, sout], percent))
}

/// pswpin and pswpout from vmstat, times 4096 (psutil's "4 kilo bytes", whatever the page
/// size): the lines are taken by prefix (`pswpin_x 5` counts), the value is the text
/// between the first and second single space, and reading stops once both were seen
/// (so a repeated line counts until then). `None` when the file ends before both.
fn pswp(data: &[u8], path: &[u8]) -> Result<Option<(BigInt, BigInt)>, Vec<u8>> {
    let (mut sin, mut sout): (Option<BigInt>, Option<BigInt>) = (None, None);
    for (i, line) in lines(data).enumerate() {
        let slot = if line.starts_with(b"pswpin") {
            &mut sin
        } else if line.starts_with(b"pswpout") {
            &mut sout
        } else {
            continue;
        };
        let Some(tok) = line.split(|&b| b == b' ').nth(1) else {
            return Err(at(path, i + 1, "no value after a space"));
        };
        *slot = Some(int(tok).map_err(|e| at(path, i + 1, &int_msg(tok, e)))? * 4096);
        if let (Some(a), Some(b)) = (&sin, &sout) {
            return Ok(Some((a.clone(), b.clone())));
        }
    }
    Ok(None)
}

/// Python's `str(OSError)` for a failed open: `[Errno 2] No such file or directory:
/// '/proc/vmstat'`.
pub fn os_error_text(e: &io::Error, path: &[u8]) -> String {
    match e.raw_os_error() {
        Some(n) => format!(
            "[Errno {n}] {}: {}",
            memtools_core::out::strerror(n),
            pynum::str_repr(path)
        ),
        None => format!("{e}: {}", pynum::str_repr(path)),
    }
}
