//! One smem run: pick the view, collect, check fields, sort, and render a table, a chart or
//! JSON. The order of the checks is smem's, since it decides which message a bad command
//! line gets (docs/smem.md, "Errors and exit statuses").

use crate::args::Options;
use crate::procfiles::{self, RealMemError};
use crate::table::{
    self, find, known_fields, Field, Style, Val, MAP_FIELDS, PROCESS_FIELDS, SYSTEM_FIELDS,
    USER_FIELDS,
};
use crate::views::{self, Fatal, Filters, Proc, UserKey, Users};
use crate::{fatal, listing, quiet};
use memtools_core::Failure;
use std::collections::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Processes,
    Users,
    Maps,
    System,
}

impl View {
    pub fn of(o: &Options) -> View {
        if o.mappings {
            View::Maps
        } else if o.users {
            View::Users
        } else if o.system {
            View::System
        } else {
            View::Processes
        }
    }

    pub fn fields(self) -> &'static [Field] {
        match self {
            View::Processes => PROCESS_FIELDS,
            View::Users => USER_FIELDS,
            View::Maps => MAP_FIELDS,
            View::System => SYSTEM_FIELDS,
        }
    }

    fn default_columns(self) -> &'static str {
        match self {
            View::Processes => "pid user command swap uss pss rss",
            View::Users => "user count swap uss pss rss",
            View::Maps => "map pids avgpss pss",
            View::System => "area used cache noncache",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            View::Processes => "processes",
            View::Users => "users",
            View::Maps => "mappings",
            View::System => "system",
        }
    }
}

/// A stop in the user or map view, as one line.
pub fn fatal_of(e: Fatal) -> Failure {
    match e {
        Fatal::Smaps { pid, why } => fatal(&format!(
            "malformed smaps of PID {pid} ({}); smem 1.5 stops here with a traceback",
            why.describe()
        )),
    }
}

/// Python `re` syntax that the regex crate spells differently.
fn compile(pattern: Option<&String>, opt: &str) -> Result<Option<regex::Regex>, Failure> {
    let Some(p) = pattern else { return Ok(None) };
    let translated = p.replace("\\Z", "\\z");
    regex::Regex::new(&translated).map(Some).map_err(|e| {
        let first = e.to_string();
        let last = first.lines().last().unwrap_or("").trim().to_string();
        fatal(&format!("bad regular expression for {opt} '{p}': {last}"))
    })
}

pub fn filters(o: &Options) -> Result<Filters, Failure> {
    Ok(Filters {
        process: compile(o.process_filter.as_ref(), "-P")?,
        map: compile(o.map_filter.as_ref(), "-M")?,
        user: compile(o.user_filter.as_ref(), "-U")?,
    })
}

/// The requested columns (`-c`, or the view's default when unset or empty).
pub fn columns(o: &Options, view: View) -> Vec<String> {
    let spec = match &o.columns {
        Some(c) if !c.is_empty() => c.as_str(),
        _ => view.default_columns(),
    };
    crate::pytext::split(spec).map(str::to_string).collect()
}

/// meminfo values smem needs, read as it reads them.
pub struct Mem {
    pub map: HashMap<String, i128>,
}

impl Mem {
    pub fn parse(data: &[u8]) -> Result<Mem, Failure> {
        let map = procfiles::meminfo(data)
            .ok_or_else(|| fatal("meminfo is not UTF-8 text (smem 1.5 stops with a traceback)"))?;
        Ok(Mem { map })
    }

    pub fn get(&self, key: &str) -> Result<i128, Failure> {
        self.map.get(key).copied().ok_or_else(|| {
            fatal(&format!(
                "meminfo has no '{key}' line (smem 1.5 stops with a KeyError traceback)"
            ))
        })
    }
}

/// `-R`, checked as smem checks it.
pub fn realmem(o: &Options) -> Result<Option<f64>, Failure> {
    let Some(r) = &o.realmem else { return Ok(None) };
    if r.is_empty() {
        return Ok(None);
    }
    match procfiles::realmem(r) {
        Ok(v) => Ok(Some(v)),
        Err(RealMemError::Units) => Err(Failure::new(
            255,
            "Memory size should be written with units, for example 1024M\n",
        )),
        Err(RealMemError::Number) => Err(fatal(&format!(
            "-R {r}: the number before the unit is not a number (smem 1.5: ValueError traceback)"
        ))),
        Err(RealMemError::NotFinite) => Err(fatal(&format!(
            "-R {r}: not a finite size (smem 1.5: OverflowError traceback)"
        ))),
    }
}

/// The base of percentages and the pie's "unused": `-R` or MemTotal; and SwapTotal.
pub fn totals(o: &Options, mem: &Mem) -> Result<(Val, i128), Failure> {
    let total = match realmem(o)? {
        Some(r) => Val::Float(r),
        None => Val::Int(mem.get("memtotal")?),
    };
    let swap = mem.get("swaptotal")?;
    Ok((total, swap))
}

/// A table ready to print: the view's fields, the displayed columns, rows of values for
/// every field the run needs (by field index).
pub struct Table {
    pub view: View,
    pub rows: Vec<Vec<Option<Val>>>,
}

/// Looks up the sort field, with smem's message.
pub fn check_sort(view: View, sort: &str) -> Result<usize, Failure> {
    let fields = view.fields();
    find(fields, sort)
        .ok_or_else(|| listing(format!("unknown field {sort}\n{}", known_fields(fields))))
}

/// Looks up the columns, with smem's message (smem lists the unknown ones in a Python
/// set's arbitrary order; memtools keeps the command line's order).
pub fn check_columns(view: View, cols: &[String]) -> Result<Vec<usize>, Failure> {
    let fields = view.fields();
    let mut unknown: Vec<&str> = Vec::new();
    let mut idx = Vec::new();
    for c in cols {
        match find(fields, c) {
            Some(i) => idx.push(i),
            None => {
                if !unknown.contains(&c.as_str()) {
                    unknown.push(c);
                }
            }
        }
    }
    if !unknown.is_empty() {
        return Err(unknown_fields(fields, &unknown));
    }
    Ok(idx)
}

/// smem's answer to unknown column or label names: the list of known fields.
pub fn unknown_fields(fields: &[Field], names: &[&str]) -> Failure {
    listing(format!(
        "unknown fields: {}\n{}",
        names.join(" "),
        known_fields(fields)
    ))
}

/// Values of one process row (process view).
pub fn process_value(
    key: &str,
    p: &Proc,
    users: &Users,
    numeric: bool,
    name: &mut dyn FnMut(u64) -> String,
) -> Val {
    let s = &p.sums;
    match key {
        "pid" => Val::Int(p.pid as i128),
        "user" => {
            if numeric {
                Val::Int(p.uid as i128)
            } else {
                Val::Str(users.name(p.uid))
            }
        }
        "command" => Val::Str(p.command.clone()),
        "name" => Val::Str(name(p.pid)),
        "maps" => Val::Int(s.maps),
        "pss" => Val::Int(s.pss),
        "rss" => Val::Int(s.rss),
        "swap" => Val::Int(s.swap),
        "uss" => Val::Int(s.uss),
        _ => Val::Int(s.vss),
    }
}

pub fn user_value(key: &str, k: &UserKey, r: &views::UserRow) -> Val {
    let s = &r.sums;
    match key {
        "user" => match k {
            UserKey::Name(n) => Val::Str(n.clone()),
            UserKey::Uid(u) => Val::Int(*u as i128),
        },
        "count" => Val::Int(r.count),
        "pss" => Val::Int(s.pss),
        "rss" => Val::Int(s.rss),
        "swap" => Val::Int(s.swap),
        "uss" => Val::Int(s.uss),
        // smem 1.5 fills the user view's VSS with the PSS sum.
        _ => Val::Int(s.pss),
    }
}

/// `int(1.0 * a / b)`.
fn avg(a: i128, b: i128) -> Val {
    if b == 0 {
        return Val::Int(0);
    }
    Val::Int((a as f64 / b as f64).trunc() as i128)
}

/// `None` for avguss, which smem 1.5 cannot compute (KeyError).
pub fn map_value(key: &str, name: &str, r: &views::MapRow) -> Option<Val> {
    let s = &r.sums;
    Some(match key {
        "map" => Val::Str(name.to_string()),
        "count" => Val::Int(r.count),
        "pids" => Val::Int(r.pids),
        "avgpss" => avg(s.pss, r.pids),
        "avgrss" => avg(s.rss, r.pids),
        "avguss" => return None,
        "pss" => Val::Int(s.pss),
        "rss" => Val::Int(s.rss),
        "swap" => Val::Int(s.swap),
        "uss" => Val::Int(s.uss),
        _ => Val::Int(s.vss),
    })
}

/// The system view's five rows in field order (area, cache, noncache, order, used), in kB.
pub fn system_rows(mem: &Mem, realmem: Option<f64>, kernel: Val) -> Result<Vec<[Val; 5]>, Failure> {
    let memtotal = mem.get("memtotal")?;
    let memfree = mem.get("memfree")?;
    let buffers = mem.get("buffers")?;
    let cached = mem.get("cached")?;
    let anon = mem.get("anonpages")?;
    let mapped = mem.get("mapped")?;
    let sreclaimable = mem.get("sreclaimable")?;
    let real = realmem.map_or(Val::Int(memtotal), Val::Float);
    let firmware = real.sub(&Val::Int(memtotal)).sub(&kernel);
    // Python's max(firmware, 0): the first argument when they are equal.
    let firmware = if firmware.as_f64() < 0.0 {
        Val::Int(0)
    } else {
        firmware
    };
    let user = anon.saturating_add(mapped);
    let kdyn = memtotal.saturating_sub(memfree).saturating_sub(user);
    let kcache = buffers
        .saturating_add(cached)
        .saturating_add(sreclaimable)
        .saturating_sub(mapped);
    let s = |x: &str| Val::Str(x.to_string());
    let i = Val::Int;
    Ok(vec![
        [
            s("firmware/hardware"),
            i(0),
            firmware.clone(),
            i(0),
            firmware,
        ],
        [s("kernel image"), i(0), kernel.clone(), i(1), kernel],
        [
            s("kernel dynamic memory"),
            i(kcache),
            i(kdyn.saturating_sub(kcache)),
            i(2),
            i(kdyn),
        ],
        [s("userspace memory"), i(mapped), i(anon), i(3), i(user)],
        [s("free memory"), i(memfree), i(0), i(4), i(memfree)],
    ])
}

/// The rows in smem's order: by the sort field, ties by the displayed columns in order,
/// `-r` reversing the whole list. Returns row indices. A value smem cannot compute
/// (`None`) or a number compared with a name stops the run as smem's traceback does.
pub fn sorted(
    view: View,
    rows: &[Vec<Option<Val>>],
    sort: usize,
    cols: &[usize],
    reverse: bool,
) -> Result<Vec<usize>, Failure> {
    let fields = view.fields();
    let mut keyed: Vec<Vec<Val>> = Vec::with_capacity(rows.len());
    for (i, r) in rows.iter().enumerate() {
        let mut k = Vec::with_capacity(cols.len() + 2);
        for &f in std::iter::once(&sort).chain(cols) {
            k.push(r[f].clone().ok_or_else(|| {
                fatal(&format!(
                    "the {} field cannot be computed (smem 1.5 stops with a KeyError traceback)",
                    fields[f].key
                ))
            })?);
        }
        // The row's index last: identical rows keep their order (they look the same).
        k.push(Val::Int(i as i128));
        keyed.push(k);
    }
    if table::sort_rows(&mut keyed, reverse).is_err() {
        return Err(fatal(
            "cannot sort numbers against names (smem 1.5 stops with a TypeError traceback)",
        ));
    }
    Ok(keyed
        .iter()
        .map(|k| match k.last() {
            Some(Val::Int(i)) => *i as usize,
            _ => 0,
        })
        .collect())
}

/// Sorts and renders the table, or the chart with `--pie`/`--bar`.
pub fn finish(
    o: &Options,
    view: View,
    rows: Vec<Vec<Option<Val>>>,
    sort: usize,
    cols: &[usize],
    style: &Style,
    term_cols: &mut dyn FnMut() -> usize,
) -> Result<Vec<u8>, Failure> {
    let order = sorted(view, &rows, sort, cols, style.reverse)?;
    if o.pie.is_some() || o.bar.is_some() {
        return crate::chart::render(o, view, &rows, &order, sort, cols, style);
    }
    let fields = view.fields();
    let shown: Vec<Vec<Val>> = order
        .iter()
        .map(|&i| {
            cols.iter()
                .map(|&c| rows[i][c].clone().unwrap_or(Val::Int(0)))
                .collect()
        })
        .collect();
    let col_fields: Vec<&Field> = cols.iter().map(|&c| &fields[c]).collect();
    let narrow_key = match view {
        View::Processes => Some("command"),
        View::Maps => Some("map"),
        _ => None,
    };
    let narrow = narrow_key.and_then(|k| col_fields.iter().position(|f| f.key == k));
    Ok(table::render(&col_fields, &shown, style, narrow, term_cols).into_bytes())
}

/// The run on a process tree: `/proc`, or `-S SOURCE/proc`, read through
/// memtools-platform's [`proctree`].
pub mod run {
    use super::*;
    use crate::views::Collector;
    use memtools_platform::proctree::{self, ProcSource, TreeError};
    use memtools_platform::sys;

    type Tree = Box<dyn ProcSource>;

    /// `stty size`'s width, or 80 after stty's complaint (what smem does).
    fn term_cols() -> usize {
        match sys::stdin_columns() {
            Ok(c) => c as usize,
            Err(e) => {
                memtools_core::out::eprintln_raw(&format!(
                    "stty: 'standard input': {}",
                    memtools_core::out::io_strerror(&e)
                ));
                80
            }
        }
    }

    fn open(o: &Options) -> Result<Tree, Failure> {
        let source = o.source.as_deref().map(std::path::Path::new);
        proctree::open(source).map_err(|e| match e {
            TreeError::Unsupported => {
                let os = match std::env::consts::OS {
                    "macos" => "macOS",
                    other => other,
                };
                fatal(&format!("not supported on {os} (it needs /proc/PID/smaps)"))
            }
            TreeError::NotADirectory(p) => fatal(&format!(
                "{}: smemcap tar archives are not read (smem 1.5 fails on them too); \
                 unpack it and give the directory holding proc/",
                p.display()
            )),
        })
    }

    fn needs_users(o: &Options, view: View, cols: &[String], sort: Option<&str>) -> bool {
        o.user_filter.is_some()
            || (!o.numeric
                && (view == View::Users
                    || cols.iter().any(|c| c == "user")
                    || sort == Some("user")
                    || o.pie.as_deref() == Some("user")
                    || o.bar.as_deref() == Some("user")))
    }

    /// The report `o` asks for, appended to `out`.
    pub fn report(o: &Options, out: &mut Vec<u8>) -> Result<(), Failure> {
        let view = View::of(o);
        let mut tree = open(o)?;
        let cols = columns(o, view);
        let sort_opt = o.sort.as_deref().filter(|s| !s.is_empty());
        let mut buf = Vec::new();
        if view == View::System {
            // smem's system view checks -R, reads meminfo and its keys, runs `size`, and
            // only then gets to the table's checks.
            let real = realmem(o)?;
            tree.read_top("meminfo", &mut buf).map_err(|_| quiet())?;
            let mem = Mem::parse(&buf)?;
            system_rows(&mem, real, Val::Int(0))?;
            let kernel = match &o.kernel {
                Some(k) if !k.is_empty() => {
                    match sys::run_size(k).as_deref().and_then(procfiles::size_output) {
                        Some(kb) => Val::Float(kb),
                        None => {
                            memtools_core::out::eprintln_raw(&format!(
                                "Parameter '{}' should be an original uncompressed compiled kernel file.\n",
                                k.to_string_lossy()
                            ));
                            Val::Int(0)
                        }
                    }
                }
                _ => Val::Int(0),
            };
            let rows = system_rows(&mem, real, kernel)?
                .into_iter()
                .map(|r| r.into_iter().map(Some).collect())
                .collect();
            return show(
                o,
                view,
                rows,
                sort_opt.unwrap_or("order"),
                &cols,
                Some(mem),
                &mut tree,
            )
            .map(|b| out.extend_from_slice(&b));
        }

        let filters = filters(o)?;
        let users = if needs_users(o, view, &cols, sort_opt) {
            Users(proctree::user_names())
        } else {
            Users(Vec::new())
        };
        let pids = tree.pids().map_err(|_| quiet())?;
        if o.fast && (view == View::Maps || o.map_filter.is_some()) {
            return Err(fatal(
                "--fast reads one total per process: it cannot show mappings (-m) or filter them (-M)",
            ));
        }
        let file = if o.fast { "smaps_rollup" } else { "smaps" };
        let strict = view != View::Processes;
        let mut c = Collector::new(&filters, &users, file, strict);
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(2));
        let fields = view.fields();
        let mut rows: Vec<Vec<Option<Val>>> = Vec::new();
        match view {
            View::Processes => {
                let procs = c.procs(tree.as_ref(), &pids, threads).map_err(fatal_of)?;
                let procs = views::by_process(procs);
                let needed = needed_fields(o, view, &cols, sort_opt, c.no_pss);
                let mut name_buf = Vec::new();
                let mut name = |pid: u64| match tree.read(pid, "stat", &mut name_buf) {
                    Ok(()) => procfiles::stat_name(Some(&name_buf)),
                    Err(_) => procfiles::stat_name(None),
                };
                for p in &procs {
                    rows.push(
                        fields
                            .iter()
                            .zip(&needed)
                            .map(|(f, &n)| {
                                // smaps_rollup has one pseudo-mapping and no Size.
                                let unknown = o.fast && matches!(f.key, "maps" | "vss");
                                (n && !unknown)
                                    .then(|| process_value(f.key, p, &users, o.numeric, &mut name))
                            })
                            .collect(),
                    );
                }
            }
            View::Users => {
                let procs = c.procs(tree.as_ref(), &pids, threads).map_err(fatal_of)?;
                let us = views::by_user(&procs, &users, o.numeric);
                for (k, r) in &us {
                    rows.push(
                        fields
                            .iter()
                            .map(|f| Some(user_value(f.key, k, r)))
                            .collect(),
                    );
                }
            }
            View::Maps => {
                let ms = views::by_map(&mut c, tree.as_mut(), &pids).map_err(fatal_of)?;
                for (n, r) in &ms {
                    rows.push(fields.iter().map(|f| map_value(f.key, n, r)).collect());
                }
            }
            View::System => {}
        }
        let default_sort = if c.no_pss { "rss" } else { "pss" };
        if o.fast && view == View::Processes {
            for k in cols
                .iter()
                .map(String::as_str)
                .chain(std::iter::once(sort_opt.unwrap_or(default_sort)))
            {
                if k == "maps" || k == "vss" {
                    return Err(fatal(&format!(
                        "--fast has no per-mapping data: the {k} field needs smaps"
                    )));
                }
            }
        }
        show(
            o,
            view,
            rows,
            sort_opt.unwrap_or(default_sort),
            &cols,
            None,
            &mut tree,
        )
        .map(|b| out.extend_from_slice(&b))
    }

    /// smem's `showtable`: the sort field, -R, meminfo (MemTotal, SwapTotal), the columns,
    /// then the output.
    fn show(
        o: &Options,
        view: View,
        rows: Vec<Vec<Option<Val>>>,
        sort: &str,
        cols: &[String],
        mem: Option<Mem>,
        tree: &mut Tree,
    ) -> Result<Vec<u8>, Failure> {
        let sort = check_sort(view, sort)?;
        realmem(o)?;
        let mem = match mem {
            Some(m) => m,
            None => {
                let mut buf = Vec::new();
                tree.read_top("meminfo", &mut buf).map_err(|_| quiet())?;
                Mem::parse(&buf)?
            }
        };
        let (total, swap) = totals(o, &mem)?;
        let idx = check_columns(view, cols)?;
        let style = Style {
            header: !o.no_header,
            totals: o.totals,
            percent: o.percent,
            abbreviate: o.abbreviate,
            reverse: o.reverse,
            autosize: o.autosize,
            total_mem: total,
            swap_total: swap,
        };
        if o.json {
            let order = sorted(view, &rows, sort, &idx, o.reverse)?;
            let mut out = Vec::new();
            crate::json::render(view, &rows, &order, &mut out);
            return Ok(out);
        }
        finish(o, view, rows, sort, &idx, &style, &mut term_cols)
    }

    /// Which process-view fields to compute: the displayed ones, the sort field, the chart
    /// label, and everything for JSON.
    fn needed_fields(
        o: &Options,
        view: View,
        cols: &[String],
        sort: Option<&str>,
        no_pss: bool,
    ) -> Vec<bool> {
        let default_sort = if no_pss { "rss" } else { "pss" };
        let sort = sort.unwrap_or(default_sort);
        view.fields()
            .iter()
            .map(|f| {
                o.json
                    || cols.iter().any(|c| c == f.key)
                    || sort == f.key
                    || o.pie.as_deref() == Some(f.key)
                    || o.bar.as_deref() == Some(f.key)
                    || (o.bar.is_some() && f.key != "name")
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::compile;

    fn re(p: &str) -> Option<regex::Regex> {
        compile(Some(&p.to_string()), "-P").ok().flatten()
    }

    /// What Python's `re` does with a str pattern: `\w`, `\d` and `(?i)` are Unicode-aware,
    /// `\Z` is the very end, and `\p{...}` is an error ("bad escape \p").
    #[test]
    fn filters_read_patterns_as_python_does() {
        assert!(re(r"^\w+$").is_some_and(|r| r.is_match("café")));
        assert!(re(r"\d").is_some_and(|r| r.is_match("٣")));
        assert!(re("(?i)ÉCOLE").is_some_and(|r| r.is_match("école")));
        assert!(re(r"sleep\Z").is_some_and(|r| r.is_match("sleep") && !r.is_match("sleep\n")));
        for bad in [r"\p{L}", r"\pN", "(?=x)", r"(a)\1"] {
            let Err(f) = compile(Some(&bad.to_string()), "-P") else {
                panic!("{bad} compiled")
            };
            assert_eq!(f.status, 1, "{bad}");
        }
    }
}
