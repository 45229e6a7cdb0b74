//! smem's table: known fields per view, value formatting (`-k`, `-p`), sorting (ties
//! included), fixed and automatic (`-a`) column widths, the totals line (`-t`).
//!
//! Rules learned by running smem 1.5 (docs/smem.md, "Output"):
//! * a cell is `%Ws` / `%-Ws` (strings with a precision are cut to it) of the value's
//!   Python `str()`, followed by one space; the header uses the same formats;
//! * rows are sorted by the sort field's raw value, then by the displayed values in column
//!   order (Python list comparison), ascending; `-r` reverses the whole list;
//! * `-t` adds a line of `-` as long as the header line and a totals row (sums, counts, or
//!   distinct counts, per field);
//! * `-a` sizes each column to its widest cell (header included unless `-H`, at least 1;
//!   with `-k` or `-p` the memory columns are 7 wide whatever they hold), and narrows the command/map column (to no less than 10) when the line would be wider
//!   than the terminal.

use crate::pytext::{char_len, push_padded};
use memtools_core::python::float_repr;
use std::cmp::Ordering;

/// A Python value as smem holds it.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    Int(i128),
    Float(f64),
    Str(String),
}

impl Val {
    /// Python's `str()`.
    pub fn py_str(&self) -> String {
        match self {
            Val::Int(i) => i.to_string(),
            Val::Float(f) => float_repr(*f),
            Val::Str(s) => s.clone(),
        }
    }

    pub fn as_f64(&self) -> f64 {
        match self {
            Val::Int(i) => *i as f64,
            Val::Float(f) => *f,
            Val::Str(_) => 0.0,
        }
    }

    pub fn is_zero(&self) -> bool {
        match self {
            Val::Int(i) => *i == 0,
            Val::Float(f) => *f == 0.0,
            Val::Str(_) => false,
        }
    }

    /// Python's `a + b` for numbers (int + int stays int).
    pub fn add(&self, other: &Val) -> Val {
        match (self, other) {
            (Val::Int(a), Val::Int(b)) => Val::Int(a.saturating_add(*b)),
            (a, b) => Val::Float(a.as_f64() + b.as_f64()),
        }
    }

    pub fn sub(&self, other: &Val) -> Val {
        match (self, other) {
            (Val::Int(a), Val::Int(b)) => Val::Int(a.saturating_sub(*b)),
            (a, b) => Val::Float(a.as_f64() - b.as_f64()),
        }
    }
}

/// Python 3 ordering; `None` where Python raises TypeError (a number against a string).
pub fn py_cmp(a: &Val, b: &Val) -> Option<Ordering> {
    match (a, b) {
        (Val::Int(x), Val::Int(y)) => Some(x.cmp(y)),
        (Val::Str(x), Val::Str(y)) => Some(x.cmp(y)),
        (Val::Str(_), _) | (_, Val::Str(_)) => None,
        (x, y) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .or(Some(Ordering::Equal)),
    }
}

/// What the totals row shows for a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Total {
    None,
    Sum,
    /// The number of rows.
    Count,
    /// The number of distinct values.
    Distinct,
}

/// Whether `-p` / `-k` apply, and the base of the percentage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mem {
    No,
    Ram,
    Swap,
}

/// One known field of a view.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub key: &'static str,
    pub header: &'static str,
    pub desc: &'static str,
    pub width: usize,
    pub left: bool,
    /// Strings are cut to this many characters.
    pub prec: Option<usize>,
    pub total: Total,
    pub mem: Mem,
}

const fn f(
    key: &'static str,
    header: &'static str,
    fmt: (usize, bool, Option<usize>),
    total: Total,
    mem: Mem,
    desc: &'static str,
) -> Field {
    Field {
        key,
        header,
        desc,
        width: fmt.0,
        left: fmt.1,
        prec: fmt.2,
        total,
        mem,
    }
}

impl Field {
    /// The same field with smem's description in another view.
    const fn desc(mut self, desc: &'static str) -> Field {
        self.desc = desc;
        self
    }

    /// The mappings view's per-PID average of this field.
    const fn avg(mut self, key: &'static str, header: &'static str, desc: &'static str) -> Field {
        self.key = key;
        self.header = header;
        self.desc = desc;
        self
    }
}

const NUM5: (usize, bool, Option<usize>) = (5, false, None);
const NUM8: (usize, bool, Option<usize>) = (8, false, None);
const NUM10: (usize, bool, Option<usize>) = (10, false, None);

// The size fields the views share (smem's descriptions differ in a few words between
// views; those stay written out below).
const PSS: Field = f(
    "pss",
    "PSS",
    NUM8,
    Total::Sum,
    Mem::Ram,
    "proportional set size (including sharing)",
);
const RSS: Field = f(
    "rss",
    "RSS",
    NUM8,
    Total::Sum,
    Mem::Ram,
    "resident set size (ignoring sharing)",
);
const SWAP: Field = f(
    "swap",
    "Swap",
    NUM8,
    Total::Sum,
    Mem::Swap,
    "amount of swap space consumed (ignoring sharing)",
);
const USS: Field = f("uss", "USS", NUM8, Total::Sum, Mem::Ram, "unique set size");
const VSS: Field = f(
    "vss",
    "VSS",
    NUM8,
    Total::Sum,
    Mem::Ram,
    "virtual set size (total virtual memory mapped)",
);
const COUNT: Field = f("count", "Count", NUM5, Total::Sum, Mem::No, "");

/// The views' known fields, in the alphabetical order of smem's "known fields" list.
pub const PROCESS_FIELDS: &[Field] = &[
    f(
        "command",
        "Command",
        (27, true, Some(27)),
        Total::None,
        Mem::No,
        "process command line",
    ),
    f(
        "maps",
        "Maps",
        NUM5,
        Total::Sum,
        Mem::No,
        "total number of mappings",
    ),
    f(
        "name",
        "Name",
        (24, true, Some(24)),
        Total::None,
        Mem::No,
        "name of process",
    ),
    f("pid", "PID", NUM5, Total::Count, Mem::No, "process ID"),
    PSS,
    RSS,
    SWAP,
    f(
        "user",
        "User",
        (8, true, None),
        Total::Distinct,
        Mem::No,
        "owner of process",
    ),
    USS,
    VSS,
];

pub const USER_FIELDS: &[Field] = &[
    COUNT.desc("number of processes"),
    PSS,
    RSS,
    SWAP.desc("amount of swapspace consumed (ignoring sharing)"),
    f(
        "user",
        "User",
        (8, true, None),
        Total::None,
        Mem::No,
        "user name or ID",
    ),
    USS,
    VSS,
];

pub const MAP_FIELDS: &[Field] = &[
    PSS.avg("avgpss", "AVGPSS", "average PSS per PID"),
    RSS.avg("avgrss", "AVGRSS", "average RSS per PID"),
    USS.avg("avguss", "AVGUSS", "average USS per PID"),
    COUNT.desc("number of mappings found"),
    f(
        "map",
        "Map",
        (40, true, Some(40)),
        Total::Count,
        Mem::No,
        "mapping name",
    ),
    f(
        "pids",
        "PIDs",
        NUM5,
        Total::Sum,
        Mem::No,
        "number of PIDs using mapping",
    ),
    PSS,
    RSS,
    SWAP,
    USS,
    VSS.desc("virtual set size (total virtual address space mapped)"),
];

pub const SYSTEM_FIELDS: &[Field] = &[
    f(
        "area",
        "Area",
        (24, true, None),
        Total::None,
        Mem::No,
        "memory area",
    ),
    f(
        "cache",
        "Cache",
        NUM10,
        Total::Sum,
        Mem::Ram,
        "area used as reclaimable cache",
    ),
    f(
        "noncache",
        "Noncache",
        NUM10,
        Total::Sum,
        Mem::Ram,
        "area not reclaimable",
    ),
    f(
        "order",
        "Order",
        (1, false, None),
        Total::None,
        Mem::No,
        "hierarchical order",
    ),
    f("used", "Used", NUM10, Total::Sum, Mem::Ram, "area in use"),
];

/// The fields list smem prints after "unknown field(s)".
pub fn known_fields(fields: &[Field]) -> String {
    let mut s = String::from("known fields:\n");
    for fd in fields {
        push_padded(&mut s, fd.key, 8, true, None);
        s.push(' ');
        s.push_str(fd.desc);
        s.push('\n');
    }
    s
}

pub fn find(fields: &[Field], key: &str) -> Option<usize> {
    fields.iter().position(|fd| fd.key == key)
}

/// How cells are turned into text.
#[derive(Clone, Debug)]
pub struct Style {
    pub header: bool,
    pub totals: bool,
    pub percent: bool,
    pub abbreviate: bool,
    pub reverse: bool,
    /// `-a`: the terminal width, asked for only when a narrowable column is shown.
    pub autosize: bool,
    /// The base of RAM percentages (MemTotal, or -R).
    pub total_mem: Val,
    /// SwapTotal (swap percentages are `N/A` when it is 0).
    pub swap_total: i128,
}

/// smem's `-k` text: the value in kB scaled by 1024 until below 1024, one decimal.
pub fn units(v: &Val) -> String {
    if v.is_zero() {
        return "0".into();
    }
    let mut x = v.as_f64() * 1024.0;
    let mut unit = "";
    for u in ["", "K", "M", "G", "T"] {
        unit = u;
        if x < 1024.0 {
            break;
        }
        x /= 1024.0;
    }
    format!("{x:.1}{unit}")
}

/// One cell's text before padding.
pub fn cell(fd: &Field, v: &Val, st: &Style) -> String {
    if fd.mem != Mem::No {
        if st.abbreviate {
            return units(v);
        }
        if st.percent {
            let base = match fd.mem {
                Mem::Swap => {
                    if st.swap_total == 0 {
                        return "N/A".into();
                    }
                    st.swap_total as f64
                }
                _ => st.total_mem.as_f64(),
            };
            return format!("{:.2}%", 100.0 * v.as_f64() / base);
        }
    }
    v.py_str()
}

/// The one thing smem's table can fail on: comparing a number with a string while sorting.
#[derive(Debug, PartialEq, Eq)]
pub struct SortTypeError;

/// Sorts rows whose first value is the sort key and the rest the displayed columns.
pub fn sort_rows(rows: &mut [Vec<Val>], reverse: bool) -> Result<(), SortTypeError> {
    let mut bad = false;
    rows.sort_by(|a, b| {
        for (x, y) in a.iter().zip(b.iter()) {
            match py_cmp(x, y) {
                Some(Ordering::Equal) => continue,
                Some(o) => return o,
                None => {
                    bad = true;
                    return Ordering::Equal;
                }
            }
        }
        a.len().cmp(&b.len())
    });
    if bad {
        return Err(SortTypeError);
    }
    if reverse {
        rows.reverse();
    }
    Ok(())
}

/// Renders a sorted table. `rows` hold the displayed values only (sort key removed);
/// `narrow` is the index of the column `-a` may narrow, and `term_cols` asks the terminal
/// width (called only then).
pub fn render(
    cols: &[&Field],
    rows: &[Vec<Val>],
    st: &Style,
    narrow: Option<usize>,
    term_cols: &mut dyn FnMut() -> usize,
) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| cols.iter().zip(r).map(|(fd, v)| cell(fd, v, st)).collect())
        .collect();
    let totals: Vec<String> = if st.totals {
        cols.iter()
            .enumerate()
            .map(|(i, fd)| match fd.total {
                Total::None => String::new(),
                Total::Count => rows.len().to_string(),
                Total::Distinct => {
                    let mut seen: Vec<&Val> = Vec::new();
                    for r in rows {
                        if !seen
                            .iter()
                            .any(|s| py_cmp(s, &r[i]) == Some(Ordering::Equal))
                        {
                            seen.push(&r[i]);
                        }
                    }
                    seen.len().to_string()
                }
                Total::Sum => {
                    let sum = rows.iter().fold(Val::Int(0), |acc, r| acc.add(&r[i]));
                    cell(fd, &sum, st)
                }
            })
            .collect()
    } else {
        Vec::new()
    };

    // (width, left, precision) per column.
    let mut fmts: Vec<(usize, bool, Option<usize>)> =
        cols.iter().map(|fd| (fd.width, fd.left, fd.prec)).collect();
    if st.autosize {
        for (i, fd) in cols.iter().enumerate() {
            let mut w = 1;
            if st.header {
                w = w.max(char_len(fd.header));
            }
            if fd.mem != Mem::No && (st.abbreviate || st.percent) {
                // smem sizes these columns as if every cell were 7 characters wide.
                w = w.max(7);
            } else {
                for r in &cells {
                    w = w.max(char_len(&r[i]));
                }
            }
            fmts[i] = (w, fd.left, fd.prec.map(|_| w));
        }
        if let Some(n) = narrow {
            let cols_avail = term_cols();
            let total: usize = fmts.iter().map(|f| f.0).sum::<usize>() + fmts.len();
            if total > cols_avail {
                let w = fmts[n].0.saturating_sub(total - cols_avail).max(10);
                fmts[n].0 = w;
                fmts[n].2 = fmts[n].2.map(|_| w);
            }
        }
    }

    let line = |out: &mut String, texts: &mut dyn Iterator<Item = &str>| {
        for ((w, left, prec), t) in fmts.iter().zip(texts) {
            push_padded(out, t, *w, *left, *prec);
            out.push(' ');
        }
        out.push('\n');
    };
    let mut out = String::new();
    let mut header = String::new();
    line(&mut header, &mut cols.iter().map(|fd| fd.header));
    if st.header {
        out.push_str(&header);
    }
    for r in &cells {
        line(&mut out, &mut r.iter().map(String::as_str));
    }
    if st.totals {
        let dashes = char_len(&header).saturating_sub(1);
        out.extend(std::iter::repeat_n('-', dashes));
        out.push('\n');
        line(&mut out, &mut totals.iter().map(String::as_str));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn style() -> Style {
        Style {
            header: true,
            totals: false,
            percent: false,
            abbreviate: false,
            reverse: false,
            autosize: false,
            total_mem: Val::Int(1000),
            swap_total: 0,
        }
    }

    #[test]
    fn units_like_smem() {
        let u = |v: i128| units(&Val::Int(v));
        assert_eq!(u(0), "0");
        assert_eq!(u(1), "1.0K");
        assert_eq!(u(1023), "1023.0K");
        assert_eq!(u(1024), "1.0M");
        assert_eq!(u(1048575), "1024.0M");
        assert_eq!(u(1 << 40), "1.0T");
        assert_eq!(u(1 << 50), "1024.0T");
        assert_eq!(u(-1), "-1024.0");
        assert_eq!(units(&Val::Float(0.0)), "0");
    }

    #[test]
    fn percent_and_na() {
        let mut st = style();
        st.percent = true;
        let pss = &PROCESS_FIELDS[4];
        let swap = &PROCESS_FIELDS[6];
        assert_eq!(cell(pss, &Val::Int(1), &st), "0.10%");
        assert_eq!(cell(swap, &Val::Int(1), &st), "N/A");
        st.swap_total = 3;
        assert_eq!(cell(swap, &Val::Int(2), &st), "66.67%");
        st.abbreviate = true;
        assert_eq!(cell(pss, &Val::Int(1), &st), "1.0K");
    }

    #[test]
    fn ties_sort_on_the_displayed_columns() {
        let s = |x: &str| Val::Str(x.into());
        let mut rows = vec![
            vec![Val::Int(5), s("z"), Val::Int(5)],
            vec![Val::Int(5), s("m"), Val::Int(8)],
            vec![Val::Int(5), s("a"), Val::Int(7)],
            vec![Val::Int(5), s("m"), Val::Int(3)],
        ];
        sort_rows(&mut rows, false).unwrap();
        let order: Vec<&Val> = rows.iter().map(|r| &r[2]).collect();
        assert_eq!(
            order,
            [&Val::Int(7), &Val::Int(3), &Val::Int(8), &Val::Int(5)]
        );
        sort_rows(&mut rows, true).unwrap();
        assert_eq!(rows[0][2], Val::Int(5));
        let mut mixed = vec![vec![Val::Int(1), s("a")], vec![Val::Int(1), Val::Int(2)]];
        assert_eq!(sort_rows(&mut mixed, false), Err(SortTypeError));
    }

    #[test]
    fn fixed_widths_and_totals() {
        let mut st = style();
        st.totals = true;
        let cols = [&PROCESS_FIELDS[3], &PROCESS_FIELDS[0], &PROCESS_FIELDS[4]];
        let rows = vec![vec![
            Val::Int(100),
            Val::Str("abcdefghijklmnopqrstuvwxyz0123".into()),
            Val::Int(50),
        ]];
        let out = render(&cols, &rows, &st, None, &mut || 80);
        assert_eq!(
            out,
            "  PID Command                          PSS \n\
             \x20 100 abcdefghijklmnopqrstuvwxyz0       50 \n\
             -------------------------------------------\n\
             \x20   1                                   50 \n"
        );
    }
}
