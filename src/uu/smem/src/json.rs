//! `smem --json` (docs/json.md, "smem"): one object per row, in the table's order (`-s`,
//! `-r`, filters apply), every field of the view, sizes in bytes. `-c`, `-t`, `-p`, `-k`,
//! `-H` and `-a` shape the text table only.

use crate::report::View;
use crate::table::Val;
use memtools_core::json::{Json, SCHEMA_VERSION};

/// The fields written per view, in this order; sizes are converted from kB to bytes.
fn fields(view: View) -> &'static [(&'static str, bool)] {
    match view {
        View::Processes => &[
            ("pid", false),
            ("user", false),
            ("command", false),
            ("name", false),
            ("maps", false),
            ("swap", true),
            ("uss", true),
            ("pss", true),
            ("rss", true),
            ("vss", true),
        ],
        // smem's user view shows the PSS sum as VSS; JSON leaves that column out.
        View::Users => &[
            ("user", false),
            ("count", false),
            ("swap", true),
            ("uss", true),
            ("pss", true),
            ("rss", true),
        ],
        View::Maps => &[
            ("map", false),
            ("count", false),
            ("pids", false),
            ("swap", true),
            ("uss", true),
            ("pss", true),
            ("rss", true),
            ("vss", true),
        ],
        View::System => &[
            ("area", false),
            ("order", false),
            ("used", true),
            ("cache", true),
            ("noncache", true),
        ],
    }
}

fn put(o: &mut Json, key: &str, v: &Val, bytes: bool) {
    match v {
        Val::Str(s) => {
            o.str(key, s);
        }
        Val::Int(i) => {
            let n = if bytes { i.saturating_mul(1024) } else { *i };
            raw_int(o, key, n);
        }
        Val::Float(f) => {
            let x = if bytes { f * 1024.0 } else { *f };
            if x.is_finite() && x.abs() < 1.7e38 {
                raw_int(o, key, x.round() as i128);
            } else {
                o.null(key);
            }
        }
    }
}

fn raw_int(o: &mut Json, key: &str, n: i128) {
    use std::io::Write as _;
    let _ = write!(o.key(key), "{n}");
}

/// Appends the JSON lines for `rows` (values by field index of the view) taken in `order`.
pub fn render(view: View, rows: &[Vec<Option<Val>>], order: &[usize], out: &mut Vec<u8>) {
    let all = view.fields();
    for &i in order {
        memtools_core::json::line(out, |o| {
            o.u64("schema_version", SCHEMA_VERSION.into())
                .str("tool", "smem")
                .str("view", view.name());
            for &(key, bytes) in fields(view) {
                let v = crate::table::find(all, key).and_then(|f| rows[i][f].as_ref());
                match v {
                    Some(v) => put(o, key, v, bytes),
                    None => {
                        o.null(key);
                    }
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_and_order() {
        let f = View::System.fields();
        let mut row = vec![None; f.len()];
        row[crate::table::find(f, "area").unwrap()] = Some(Val::Str("kernel image".into()));
        row[crate::table::find(f, "order").unwrap()] = Some(Val::Int(1));
        row[crate::table::find(f, "used").unwrap()] = Some(Val::Float(27.4921875));
        row[crate::table::find(f, "cache").unwrap()] = Some(Val::Int(0));
        row[crate::table::find(f, "noncache").unwrap()] = Some(Val::Float(27.4921875));
        let mut out = Vec::new();
        render(View::System, &[row], &[0], &mut out);
        let out = String::from_utf8(out).unwrap();
        assert_eq!(
            out,
            "{\"schema_version\":1,\"tool\":\"smem\",\"view\":\"system\",\"area\":\"kernel image\",\
             \"order\":1,\"used\":28152,\"cache\":0,\"noncache\":28152}\n"
        );
    }
}
