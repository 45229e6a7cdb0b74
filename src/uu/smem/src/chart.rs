//! `--pie LABEL` and `--bar LABEL` as an SVG document on stdout. smem 1.5 draws the same
//! charts with matplotlib in a window; what goes into them was learned by having smem's
//! matplotlib save its figures (docs/smem.md, "Charts"):
//!
//! * pie: the rows in ascending order of the sort field (`-r` ignored); the smallest go into
//!   `other` while their sum stays below 2% of the memory total (MemTotal or `-R`), the
//!   rest get a wedge each, largest first, labelled with the LABEL field; `unused` (total
//!   minus all rows) comes first, pulled out; each wedge shows its share of the pie as
//!   `%.2f%%`, computed in float32 as matplotlib does; the title is `LABEL by SORT`;
//! * bar: the rows largest first along x, labelled with the LABEL field; one bar per row
//!   for each displayed numeric column (colours b, g, r, c, m, y, k), with a legend.
//!
//! Hand-written SVG rather than a plotting crate: two chart types with fixed layout take
//! ~250 lines, plotters would need a font stack for its text layout, and the output stays
//! byte-stable for tests.

use crate::args::Options;
use crate::fatal;
use crate::report::View;
use crate::table::{find, Style, Val};
use memtools_core::Failure;
use std::fmt::Write;

const TAB10: [&str; 10] = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf",
];
const BAR_COLOURS: [&str; 7] = [
    "#0000ff", "#008000", "#ff0000", "#00bfbf", "#bf00bf", "#bfbf00", "#000000",
];

/// Text for an XML text node or attribute (characters XML 1.0 cannot hold become `?`).
pub fn xml_text(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\t' | '\n' | '\r' => o.push(' '),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => o.push('?'),
            c => o.push(c),
        }
    }
    o
}

/// The label and value of each row, in the table's ascending order (smem's charts ignore
/// `-r`). A sort field that is not a number stops the run, as smem's `sum()` does.
fn labelled(
    view: View,
    rows: &[Vec<Option<Val>>],
    order: &[usize],
    reverse: bool,
    label: &str,
    field: usize,
) -> Result<Vec<(String, f64, usize)>, Failure> {
    let fields = view.fields();
    let Some(l) = find(fields, label) else {
        return Err(crate::report::unknown_fields(fields, &[label]));
    };
    let mut v: Vec<(String, f64, usize)> = Vec::new();
    for &i in order {
        let name = rows[i][l].as_ref().map(Val::py_str).unwrap_or_default();
        let val = match &rows[i][field] {
            Some(Val::Str(_)) if !order.is_empty() => {
                return Err(fatal(
                    "a chart needs a numeric sort field (smem 1.5: TypeError traceback)",
                ))
            }
            Some(x) => x.as_f64(),
            None => 0.0,
        };
        v.push((name, val, i));
    }
    if reverse {
        v.reverse();
    }
    Ok(v)
}

/// numpy's float32 `sum()`: pairwise summation in blocks of 128 with 8 accumulators, as
/// matplotlib's pie adds its wedges (the percentages depend on it).
pub fn numpy_f32_sum(a: &[f32]) -> f32 {
    if a.len() < 8 {
        let mut r = 0.0f32;
        for &x in a {
            r += x;
        }
        r
    } else if a.len() <= 128 {
        let mut r = [0.0f32; 8];
        r.copy_from_slice(&a[..8]);
        let full = a.len() - a.len() % 8;
        let mut i = 8;
        while i < full {
            for j in 0..8 {
                r[j] += a[i + j];
            }
            i += 8;
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for &x in &a[full..] {
            res += x;
        }
        res
    } else {
        let mut n2 = a.len() / 2;
        n2 -= n2 % 8;
        numpy_f32_sum(&a[..n2]) + numpy_f32_sum(&a[n2..])
    }
}

pub fn render(
    o: &Options,
    view: View,
    rows: &[Vec<Option<Val>>],
    order: &[usize],
    sort: usize,
    cols: &[usize],
    style: &Style,
) -> Result<Vec<u8>, Failure> {
    let fields = view.fields();
    if let Some(label) = &o.pie {
        let data = labelled(view, rows, order, style.reverse, label, sort)?;
        let total = style.total_mem.as_f64();
        // The smallest rows go into "other" while it stays under 2% of the total.
        let limit = total * 0.02;
        let mut other = 0.0;
        let mut k = 0;
        while k < data.len() && other + data[k].1 < limit {
            other += data[k].1;
            k += 1;
        }
        let sum: f64 = data.iter().map(|d| d.1).sum();
        let mut slices: Vec<(String, f64)> = Vec::new();
        if total - sum > 0.0 {
            slices.push(("unused".into(), total - sum));
        }
        for (name, v, _) in data[k..].iter().rev() {
            slices.push((name.clone(), *v));
        }
        if other > 0.0 {
            slices.push(("other".into(), other));
        }
        if slices.iter().any(|s| s.1 < 0.0) {
            return Err(fatal(
                "a pie cannot show negative sizes (smem 1.5: matplotlib's ValueError)",
            ));
        }
        let title = format!("{label} by {}", fields[sort].key);
        let explode_first = total - sum > 0.0;
        return Ok(pie_svg(&title, &slices, explode_first).into_bytes());
    }
    let label = o.bar.as_deref().unwrap_or("");
    let mut data = labelled(view, rows, order, style.reverse, label, sort)?;
    data.reverse();
    let series: Vec<usize> = cols
        .iter()
        .copied()
        .filter(|&c| {
            let k = fields[c].key;
            !matches!(k, "pid" | "user" | "command" | "name" | "map" | "area")
        })
        .collect();
    let values: Vec<Vec<f64>> = series
        .iter()
        .map(|&c| {
            data.iter()
                .map(|d| rows[d.2][c].as_ref().map_or(0.0, Val::as_f64))
                .collect()
        })
        .collect();
    let names: Vec<&str> = series.iter().map(|&c| fields[c].key).collect();
    let labels: Vec<&str> = data.iter().map(|d| d.0.as_str()).collect();
    Ok(bar_svg(&labels, &names, &values).into_bytes())
}

fn header(w: u32, h: u32) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
         font-family=\"DejaVu Sans, sans-serif\" font-size=\"12\">\n\
         <rect width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n"
    )
}

/// A pie like matplotlib's: counter-clockwise from 3 o'clock, percentages at 0.6 of the
/// radius, labels at 1.1, the first wedge pulled out by 5% when it is `unused`.
pub fn pie_svg(title: &str, slices: &[(String, f64)], explode_first: bool) -> String {
    let (cx, cy, r) = (300.0f64, 300.0f64, 190.0f64);
    let mut s = header(600, 600);
    let _ = writeln!(
        s,
        "<text class=\"title\" x=\"300\" y=\"46\" text-anchor=\"middle\" font-size=\"14\">{}</text>",
        xml_text(title)
    );
    // matplotlib works in float32: the wedges are normalised by numpy's float32 sum.
    let x: Vec<f32> = slices.iter().map(|s| s.1 as f32).collect();
    let total = numpy_f32_sum(&x);
    let mut angle = 0.0f64;
    for (i, (name, v)) in slices.iter().enumerate() {
        let frac = if total > 0.0 {
            f64::from(*v as f32 / total)
        } else {
            0.0
        };
        let sweep = frac * std::f64::consts::TAU;
        let mid = angle + sweep / 2.0;
        let off = if i == 0 && explode_first {
            0.05 * r
        } else {
            0.0
        };
        let (ox, oy) = (cx + off * mid.cos(), cy - off * mid.sin());
        let colour = TAB10[i % TAB10.len()];
        if frac >= 1.0 {
            let _ = writeln!(
                s,
                "<circle cx=\"{ox:.2}\" cy=\"{oy:.2}\" r=\"{r}\" fill=\"{colour}\"/>"
            );
        } else if frac > 0.0 {
            let (x1, y1) = (ox + r * angle.cos(), oy - r * angle.sin());
            let end = angle + sweep;
            let (x2, y2) = (ox + r * end.cos(), oy - r * end.sin());
            let large = u8::from(sweep > std::f64::consts::PI);
            let _ = writeln!(
                s,
                "<path d=\"M {ox:.2} {oy:.2} L {x1:.2} {y1:.2} A {r} {r} 0 {large} 0 {x2:.2} {y2:.2} Z\" fill=\"{colour}\"/>"
            );
        }
        let (lx, ly) = (ox + 1.1 * r * mid.cos(), oy - 1.1 * r * mid.sin());
        let anchor = if mid.cos() >= 0.0 { "start" } else { "end" };
        let _ = writeln!(
            s,
            "<text class=\"label\" x=\"{lx:.2}\" y=\"{ly:.2}\" text-anchor=\"{anchor}\" dominant-baseline=\"middle\">{}</text>",
            xml_text(name)
        );
        let (px, py) = (ox + 0.6 * r * mid.cos(), oy - 0.6 * r * mid.sin());
        let _ = writeln!(
            s,
            "<text class=\"pct\" x=\"{px:.2}\" y=\"{py:.2}\" text-anchor=\"middle\" dominant-baseline=\"middle\">{:.2}%</text>",
            frac * 100.0
        );
        angle += sweep;
    }
    s.push_str("</svg>\n");
    s
}

/// A step of 1, 2, 2.5 or 5 times a power of ten giving at most 10 ticks up to `max`.
fn tick_step(max: f64) -> f64 {
    if max <= 0.0 || !max.is_finite() {
        return 1.0;
    }
    let raw = max / 9.0;
    let p = 10f64.powf(raw.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * p >= raw {
            return m * p;
        }
    }
    10.0 * p
}

/// Grouped bars in matplotlib's default axes box, x labels at 45 degrees, a legend.
pub fn bar_svg(labels: &[&str], series: &[&str], values: &[Vec<f64>]) -> String {
    let (x0, x1, y0, y1) = (80.0f64, 576.0f64, 57.6f64, 427.2f64);
    let mut s = header(640, 480);
    let max = values.iter().flatten().copied().fold(0.0f64, f64::max);
    let min = values.iter().flatten().copied().fold(0.0f64, f64::min);
    let step = tick_step(max - min);
    let top = ((max / step).ceil() * step).max(step);
    let bottom = (min / step).floor() * step;
    let ys = |v: f64| y1 - (v - bottom) / (top - bottom) * (y1 - y0);
    let n = labels.len().max(1) as f64;
    let width = 1.0 / (series.len() as f64 + 1.0);
    let span = n - width;
    let xs = |v: f64| x0 + (v + width * 0.5) / (span + width) * (x1 - x0);
    let _ = writeln!(
        s,
        "<rect x=\"{x0}\" y=\"{y0}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"none\" stroke=\"#000000\"/>",
        x1 - x0,
        y1 - y0
    );
    let mut t = bottom;
    while t <= top + step / 2.0 {
        let y = ys(t);
        let _ = writeln!(
            s,
            "<line x1=\"{:.1}\" y1=\"{y:.2}\" x2=\"{x0}\" y2=\"{y:.2}\" stroke=\"#000000\"/>\n\
             <text x=\"{:.1}\" y=\"{y:.2}\" text-anchor=\"end\" dominant-baseline=\"middle\">{}</text>",
            x0 - 4.0,
            x0 - 7.0,
            memtools_core::python::float_repr(t).trim_end_matches(".0")
        );
        t += step;
    }
    for (k, vals) in values.iter().enumerate() {
        let colour = BAR_COLOURS[k % BAR_COLOURS.len()];
        for (i, v) in vals.iter().enumerate() {
            let left = i as f64 + k as f64 * width;
            let (xa, xb) = (xs(left - width / 2.0), xs(left + width / 2.0));
            let (ya, yb) = (ys(v.max(0.0)), ys(v.min(0.0)));
            let _ = writeln!(
                s,
                "<rect class=\"bar\" data-series=\"{k}\" data-value=\"{v}\" x=\"{xa:.2}\" y=\"{ya:.2}\" width=\"{:.2}\" height=\"{:.2}\" fill=\"{colour}\"/>",
                xb - xa,
                yb - ya
            );
        }
    }
    let group = (series.len().max(1) as f64 - 1.0) * width / 2.0;
    for (i, l) in labels.iter().enumerate() {
        let x = xs(i as f64 + group);
        let y = y1 + 14.0;
        let _ = writeln!(
            s,
            "<text class=\"xtick\" x=\"{x:.2}\" y=\"{y:.2}\" text-anchor=\"end\" transform=\"rotate(-45 {x:.2} {y:.2})\">{}</text>",
            xml_text(l)
        );
    }
    for (k, name) in series.iter().enumerate() {
        let y = y0 + 12.0 + 20.0 * k as f64;
        let _ = writeln!(
            s,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"20\" height=\"10\" fill=\"{}\"/>\n\
             <text class=\"legend\" x=\"{:.1}\" y=\"{:.1}\" dominant-baseline=\"middle\">{}</text>",
            x1 - 90.0,
            y - 5.0,
            BAR_COLOURS[k % BAR_COLOURS.len()],
            x1 - 64.0,
            y,
            xml_text(name)
        );
    }
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_ticks() {
        assert_eq!(xml_text("a<b>&\"c\x01\t"), "a&lt;b&gt;&amp;&quot;c? ");
        assert_eq!(tick_step(8000.0), 1000.0);
        assert_eq!(tick_step(4.0), 0.5);
        assert_eq!(tick_step(0.0), 1.0);
    }

    #[test]
    fn pie_has_a_wedge_per_slice() {
        let svg = pie_svg(
            "name by pss",
            &[
                ("unused".into(), 3065.0),
                ("n3000".into(), 3000.0),
                ("other".into(), 135.0),
            ],
            true,
        );
        assert_eq!(svg.matches("<path ").count(), 3);
        assert!(svg.contains(">49.44%</text>"));
        assert!(svg.contains(">name by pss</text>"));
    }
}
