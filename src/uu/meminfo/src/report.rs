//! What a run produces, and its two renderings: meminfo.py's text and memtools' JSON.

use crate::pynum::{bytes2human, FloatOverflow};
use memtools_core::python::float_repr;
use num_bigint::BigInt;
use std::fmt::Write;

/// One field's value: bytes (a Python int) or a percentage (a Python float).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Bytes(BigInt),
    Percent(f64),
}

/// A psutil named tuple: field names (psutil's, lower case) and values, in psutil's order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Block {
    pub fields: Vec<(&'static str, Value)>,
}

impl Block {
    pub fn bytes(&mut self, name: &'static str, v: BigInt) -> &mut Self {
        self.fields.push((name, Value::Bytes(v)));
        self
    }

    pub fn percent(&mut self, name: &'static str, v: f64) -> &mut Self {
        self.fields.push((name, Value::Percent(v)));
        self
    }

    /// The fields psutil's `virtual_memory()` has on every OS, in its order (total,
    /// available, percent, used, free, active, inactive; `bytes` are those but the
    /// percentage); each OS's own fields follow (Linux: buffers, cached, shared, slab;
    /// macOS: wired).
    pub fn virtual_memory(bytes: [BigInt; 6], percent: f64) -> Block {
        const NAMES: [&str; 7] = [
            "total",
            "available",
            "percent",
            "used",
            "free",
            "active",
            "inactive",
        ];
        Block::named(&NAMES, bytes, percent)
    }

    /// psutil's `swap_memory()`, the same fields on every OS: total, used, free, percent,
    /// sin, sout.
    pub fn swap_memory(bytes: [BigInt; 5], percent: f64) -> Block {
        Block::named(
            &["total", "used", "free", "percent", "sin", "sout"],
            bytes,
            percent,
        )
    }

    /// `names` in order, the one called "percent" holding `percent` and the others the
    /// `bytes` in turn.
    fn named<const N: usize>(names: &[&'static str], bytes: [BigInt; N], percent: f64) -> Block {
        let mut bytes = bytes.into_iter();
        let mut b = Block::default();
        for &name in names {
            if name == "percent" {
                b.percent(name, percent);
            } else {
                b.bytes(name, bytes.next().unwrap_or_default());
            }
        }
        b
    }
}

/// The result of running psutil's steps: the named tuples computed (virtual memory, then
/// swap), the RuntimeWarning texts issued on the way, and, where psutil raises an
/// exception, memtools' one-line message for it (psutil stops there: later steps do not
/// run, so their warnings are not issued either).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    pub blocks: Vec<Block>,
    pub warnings: Vec<String>,
    pub error: Option<Vec<u8>>,
}

/// The message of Python's OverflowError when an int is too large for a float.
pub const FLOAT_OVERFLOW: &[u8] = b"int too large to convert to float";

/// One `Name       :   value` line: `'{:<10} : {:>7}'` of the capitalised name and
/// `bytes2human(value)` or the percentage's `repr`.
fn line(out: &mut String, name: &str, v: &Value) -> Result<(), FloatOverflow> {
    let text = match v {
        Value::Bytes(b) => bytes2human(b)?,
        Value::Percent(p) => float_repr(*p),
    };
    let mut cap = String::with_capacity(name.len());
    for (i, c) in name.chars().enumerate() {
        cap.push(if i == 0 { c.to_ascii_uppercase() } else { c });
    }
    let _ = writeln!(out, "{cap:<10} : {text:>7}");
    Ok(())
}

/// True when every line of the block can be printed (`bytes2human` converts each value to
/// a float, which fails past 1.8e308 bytes, and the script stops at that line).
pub fn printable(b: &Block) -> bool {
    b.fields.iter().all(|(_, v)| match v {
        Value::Bytes(n) => bytes2human(n).is_ok(),
        Value::Percent(_) => true,
    })
}

/// What meminfo.py prints on stdout for this outcome, including the part it prints before
/// an exception stops it.
pub fn render_text(o: &Outcome) -> String {
    let mut out = String::with_capacity(512);
    out.push_str("MEMORY\n------\n");
    let headers = ["", "\nSWAP\n----\n"];
    for (i, block) in o.blocks.iter().enumerate() {
        out.push_str(headers.get(i).copied().unwrap_or(""));
        for (name, v) in &block.fields {
            if line(&mut out, name, v).is_err() {
                return out;
            }
        }
    }
    if o.blocks.len() == 1 && printable(&o.blocks[0]) {
        // The swap step failed: its header was already printed.
        out.push_str(headers[1]);
    }
    out
}

/// `--json`: one object (docs/json.md, "meminfo"): psutil's field names, bytes as
/// integers, percentages as Python prints them.
pub fn render_json(o: &Outcome, out: &mut Vec<u8>) {
    use memtools_core::json::{line, SCHEMA_VERSION};
    line(out, |top| {
        top.u64("schema_version", u64::from(SCHEMA_VERSION))
            .str("tool", "meminfo");
        for (key, block) in ["virtual_memory", "swap_memory"].iter().zip(&o.blocks) {
            let mut b = top.object(key);
            for (name, v) in &block.fields {
                // Python integers and floats as Python prints them (no JSON number limits).
                match v {
                    Value::Bytes(n) => b.key(name).extend_from_slice(n.to_string().as_bytes()),
                    Value::Percent(p) if p.is_finite() => {
                        b.key(name).extend_from_slice(float_repr(*p).as_bytes())
                    }
                    Value::Percent(_) => {
                        b.null(name);
                    }
                }
            }
            b.end();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(fields: &[(&'static str, i64)]) -> Block {
        let mut b = Block::default();
        for (n, v) in fields {
            if *n == "percent" {
                b.percent(n, *v as f64);
            } else {
                b.bytes(n, BigInt::from(*v));
            }
        }
        b
    }

    #[test]
    fn lines_and_partial_output() {
        let v = block(&[("total", 1024), ("percent", 49), ("used", -866304)]);
        let s = block(&[("total", 0), ("sin", 5)]);
        let full = Outcome {
            blocks: vec![v.clone(), s],
            ..Default::default()
        };
        assert_eq!(
            render_text(&full),
            "MEMORY\n------\nTotal      :    1.0K\nPercent    :    49.0\nUsed       : -846.0K\n\nSWAP\n----\nTotal      :    0.0B\nSin        :    5.0B\n"
        );
        let swap_failed = Outcome {
            blocks: vec![v.clone()],
            ..Default::default()
        };
        assert!(render_text(&swap_failed).ends_with("-846.0K\n\nSWAP\n----\n"));
        assert_eq!(render_text(&Outcome::default()), "MEMORY\n------\n");
        let mut huge = v;
        huge.bytes("free", BigInt::from(1) << 1100);
        let o = Outcome {
            blocks: vec![huge],
            ..Default::default()
        };
        assert!(render_text(&o).ends_with("-846.0K\n"));
    }

    #[test]
    fn json_object() {
        let o = Outcome {
            blocks: vec![
                block(&[("total", 1), ("percent", -0)]),
                block(&[("sin", 2)]),
            ],
            ..Default::default()
        };
        let mut out = Vec::new();
        render_json(&o, &mut out);
        assert_eq!(
            String::from_utf8_lossy(&out),
            "{\"schema_version\":1,\"tool\":\"meminfo\",\"virtual_memory\":{\"total\":1,\"percent\":0.0},\"swap_memory\":{\"sin\":2}}\n"
        );
    }
}
