//! A small JSON object writer for the applets' `--json` output.
//!
//! Hand-written rather than serde_json: the applets emit flat records of integers and
//! strings in a fixed field order, which takes ~100 lines here, adds no dependency and no
//! derive-macro build time (the project builds on two shared cores), and keeps the bytes
//! fully under our control (field order is part of the documented format, docs/json.md).

use std::fmt::Write;

/// The version of every applet's JSON layout. Bumped when a field changes meaning or is
/// removed; adding a field does not bump it.
pub const SCHEMA_VERSION: u32 = 1;

/// Appends `s` as a JSON string literal (quotes included).
pub fn push_str_lit(out: &mut String, s: &str) {
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Builds one JSON object, field by field, in the order the fields are added.
#[derive(Debug)]
pub struct Obj {
    buf: String,
    empty: bool,
}

impl Default for Obj {
    fn default() -> Self {
        Self::new()
    }
}

impl Obj {
    pub fn new() -> Self {
        Obj {
            buf: String::from("{"),
            empty: true,
        }
    }

    fn key(&mut self, k: &str) -> &mut String {
        if !self.empty {
            self.buf.push(',');
        }
        self.empty = false;
        push_str_lit(&mut self.buf, k);
        self.buf.push(':');
        &mut self.buf
    }

    pub fn u64(&mut self, k: &str, v: u64) -> &mut Self {
        let b = self.key(k);
        let _ = write!(b, "{v}");
        self
    }

    pub fn i64(&mut self, k: &str, v: i64) -> &mut Self {
        let b = self.key(k);
        let _ = write!(b, "{v}");
        self
    }

    /// A finite float (NaN and infinities, which JSON cannot hold, become `null`).
    pub fn f64(&mut self, k: &str, v: f64) -> &mut Self {
        let b = self.key(k);
        if v.is_finite() {
            let _ = write!(b, "{v}");
        } else {
            b.push_str("null");
        }
        self
    }

    pub fn bool(&mut self, k: &str, v: bool) -> &mut Self {
        let b = self.key(k);
        b.push_str(if v { "true" } else { "false" });
        self
    }

    pub fn str(&mut self, k: &str, v: &str) -> &mut Self {
        let b = self.key(k);
        push_str_lit(b, v);
        self
    }

    /// A string, or `null` when absent.
    pub fn opt_str(&mut self, k: &str, v: Option<&str>) -> &mut Self {
        match v {
            Some(s) => self.str(k, s),
            None => self.null(k),
        }
    }

    pub fn opt_u64(&mut self, k: &str, v: Option<u64>) -> &mut Self {
        match v {
            Some(n) => self.u64(k, n),
            None => self.null(k),
        }
    }

    pub fn null(&mut self, k: &str) -> &mut Self {
        self.key(k).push_str("null");
        self
    }

    /// A value that is already JSON text (a nested object or an array).
    pub fn raw(&mut self, k: &str, json: &str) -> &mut Self {
        self.key(k).push_str(json);
        self
    }

    pub fn finish(&mut self) -> String {
        let mut s = std::mem::take(&mut self.buf);
        s.push('}');
        self.buf = String::from("{");
        self.empty = true;
        s
    }
}

/// A JSON array of already-encoded values.
pub fn array<I: IntoIterator<Item = String>>(items: I) -> String {
    let mut s = String::from("[");
    for (i, it) in items.into_iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&it);
    }
    s.push(']');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_and_escapes() {
        let mut o = Obj::new();
        o.u64("a", 1)
            .i64("b", -2)
            .str("c", "q\"\\\n\u{1}é")
            .bool("d", true)
            .null("e")
            .f64("f", 0.5)
            .f64("g", f64::NAN)
            .raw("h", &array(["1".to_string(), "{}".to_string()]));
        assert_eq!(
            o.finish(),
            r#"{"a":1,"b":-2,"c":"q\"\\\n\u0001é","d":true,"e":null,"f":0.5,"g":null,"h":[1,{}]}"#
        );
        assert_eq!(Obj::new().finish(), "{}");
        assert_eq!(array(Vec::new()), "[]");
    }
}
