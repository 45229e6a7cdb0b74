//! The one JSON writer behind every `--json` option.
//!
//! [`Json`] writes one object or array straight into a byte buffer (usually a
//! [`crate::Sink`]'s), field by field in the order they are written: no intermediate value
//! tree, no allocation per field, so pmap can stream a million rows through it. Nested
//! objects and arrays borrow the parent ([`Json::object`], [`Json::array`],
//! [`Json::element`]); a writer can also be left open ([`Json::suspend`]) while its buffer
//! is flushed, and picked up again ([`Json::resume`]).
//!
//! Hand-written rather than serde_json: the applets emit flat records of integers and
//! strings in a fixed field order, which takes ~150 lines here, adds no dependency and no
//! derive-macro build time, and keeps the bytes fully under our control (field order is
//! part of the documented format, docs/json.md).

use std::io::Write as _;

/// The version of every applet's JSON layout. Bumped when a field changes meaning or is
/// removed; adding a field does not bump it.
pub const SCHEMA_VERSION: u32 = 1;

/// Appends `s` as a JSON string literal (quotes included); bytes that are not UTF-8 become
/// U+FFFD.
#[inline(always)]
pub fn push_str_lit(out: &mut Vec<u8>, s: &[u8]) {
    // Fast path (nearly every name): printable ASCII without `"` or `\`, copied as is.
    // Inlined, so that the test folds away for a literal key.
    if s.iter()
        .all(|&c| (0x20..0x7f).contains(&c) && c != b'"' && c != b'\\')
    {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s);
        out.push(b'"');
        return;
    }
    push_escaped(out, s);
}

/// [`push_str_lit`] for a string that needs escaping.
#[inline(never)]
fn push_escaped(out: &mut Vec<u8>, s: &[u8]) {
    out.push(b'"');
    for ch in String::from_utf8_lossy(s).chars() {
        match ch {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\t' => out.extend_from_slice(b"\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let mut b = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
            }
        }
    }
    out.push(b'"');
}

/// An object key escaped once (`"name":`), for a key written many times (pmap writes
/// each smaps field's name once per row): [`Json::u64_key`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key(Vec<u8>);

impl Key {
    /// The key `k` (bytes that are not UTF-8 become U+FFFD).
    pub fn new(k: &[u8]) -> Key {
        let mut v = Vec::with_capacity(k.len() + 3);
        push_str_lit(&mut v, k);
        v.push(b':');
        Key(v)
    }
}

/// An open JSON object or array in `buf`.
pub struct Json<'a> {
    buf: &'a mut Vec<u8>,
    first: bool,
    close: u8,
}

/// Where a suspended writer was ([`Json::suspend`]).
#[derive(Clone, Copy, Debug)]
pub struct Suspended {
    first: bool,
    close: u8,
}

impl<'a> Json<'a> {
    /// Starts an object (`{`) at the end of `buf`.
    #[inline]
    pub fn start_object(buf: &'a mut Vec<u8>) -> Json<'a> {
        buf.push(b'{');
        Json {
            buf,
            first: true,
            close: b'}',
        }
    }

    /// Starts an array (`[`) at the end of `buf`.
    #[inline]
    pub fn start_array(buf: &'a mut Vec<u8>) -> Json<'a> {
        buf.push(b'[');
        Json {
            buf,
            first: true,
            close: b']',
        }
    }

    /// Leaves the object or array open (its buffer may be flushed meanwhile).
    #[inline]
    pub fn suspend(self) -> Suspended {
        Suspended {
            first: self.first,
            close: self.close,
        }
    }

    /// Continues a suspended object or array at the end of `buf`.
    #[inline]
    pub fn resume(buf: &'a mut Vec<u8>, s: Suspended) -> Json<'a> {
        Json {
            buf,
            first: s.first,
            close: s.close,
        }
    }

    #[inline(always)]
    fn sep(&mut self) {
        if !self.first {
            self.buf.push(b',');
        }
        self.first = false;
    }

    /// `"k":`, after a comma when needed; the caller writes the value (already JSON).
    #[inline(always)]
    pub fn key(&mut self, k: &str) -> &mut Vec<u8> {
        self.sep();
        push_str_lit(self.buf, k.as_bytes());
        self.buf.push(b':');
        self.buf
    }

    #[inline(always)]
    pub fn u64(&mut self, k: &str, v: u64) -> &mut Self {
        let mut t = [0u8; 20];
        let s = crate::sink::fmt_dec(v, &mut t);
        self.key(k).extend_from_slice(s);
        self
    }

    /// [`Json::u64`] with a key escaped beforehand.
    #[inline]
    pub fn u64_key(&mut self, k: &Key, v: u64) -> &mut Self {
        self.sep();
        self.buf.extend_from_slice(&k.0);
        let mut t = [0u8; 20];
        self.buf.extend_from_slice(crate::sink::fmt_dec(v, &mut t));
        self
    }

    pub fn i64(&mut self, k: &str, v: i64) -> &mut Self {
        let _ = write!(self.key(k), "{v}");
        self
    }

    /// A finite float (NaN and infinities, which JSON cannot hold, become `null`).
    pub fn f64(&mut self, k: &str, v: f64) -> &mut Self {
        let b = self.key(k);
        if v.is_finite() {
            let _ = write!(b, "{v}");
        } else {
            b.extend_from_slice(b"null");
        }
        self
    }

    pub fn bool(&mut self, k: &str, v: bool) -> &mut Self {
        let t: &[u8] = if v { b"true" } else { b"false" };
        self.key(k).extend_from_slice(t);
        self
    }

    pub fn str(&mut self, k: &str, v: &str) -> &mut Self {
        self.bytes(k, v.as_bytes())
    }

    /// A string from bytes (not UTF-8: U+FFFD).
    #[inline(always)]
    pub fn bytes(&mut self, k: &str, v: &[u8]) -> &mut Self {
        let b = self.key(k);
        push_str_lit(b, v);
        self
    }

    #[inline]
    pub fn null(&mut self, k: &str) -> &mut Self {
        self.key(k).extend_from_slice(b"null");
        self
    }

    #[inline]
    pub fn opt_u64(&mut self, k: &str, v: Option<u64>) -> &mut Self {
        match v {
            Some(n) => self.u64(k, n),
            None => self.null(k),
        }
    }

    pub fn opt_str(&mut self, k: &str, v: Option<&str>) -> &mut Self {
        match v {
            Some(s) => self.str(k, s),
            None => self.null(k),
        }
    }

    /// A nested object as the value of `k`; close it with [`Json::end`].
    #[inline]
    pub fn object(&mut self, k: &str) -> Json<'_> {
        Json::start_object(self.key(k))
    }

    /// A nested array as the value of `k`; close it with [`Json::end`].
    #[inline]
    pub fn array(&mut self, k: &str) -> Json<'_> {
        Json::start_array(self.key(k))
    }

    /// In an array: the next element, an object.
    #[inline]
    pub fn element(&mut self) -> Json<'_> {
        self.sep();
        Json::start_object(self.buf)
    }

    /// In an array: the next element, a string.
    #[inline]
    pub fn element_str(&mut self, v: &[u8]) -> &mut Self {
        self.sep();
        push_str_lit(self.buf, v);
        self
    }

    /// In an array: the next element, a number.
    pub fn element_u64(&mut self, v: u64) -> &mut Self {
        self.sep();
        let mut t = [0u8; 20];
        self.buf.extend_from_slice(crate::sink::fmt_dec(v, &mut t));
        self
    }

    /// Closes the object or array.
    #[inline]
    pub fn end(self) {
        self.buf.push(self.close);
    }
}

/// One object built by `f`, then a newline: the common shape of a `--json` record.
pub fn line(out: &mut Vec<u8>, f: impl FnOnce(&mut Json<'_>)) {
    let mut o = Json::start_object(out);
    f(&mut o);
    o.end();
    out.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_and_escapes() {
        let mut buf = Vec::new();
        let mut o = Json::start_object(&mut buf);
        o.u64("a", 1)
            .i64("b", -2)
            .str("c", "q\"\\\n\u{1}é")
            .bool("d", true)
            .null("e")
            .f64("f", 0.5)
            .f64("g", f64::NAN)
            .bytes("h", b"x\xffy");
        let mut arr = o.array("i");
        arr.element_u64(1);
        arr.element().end();
        arr.element_str(b"s");
        arr.end();
        let mut inner = o.object("j");
        inner.opt_u64("k", None).opt_str("l", Some("m"));
        inner.u64_key(&Key::new(b"n\"\xff"), 3);
        inner.end();
        o.end();
        assert_eq!(
            String::from_utf8_lossy(&buf),
            r#"{"a":1,"b":-2,"c":"q\"\\\n\u0001é","d":true,"e":null,"f":0.5,"g":null,"h":"x\u{fffd}y","i":[1,{},"s"],"j":{"k":null,"l":"m","n\"\u{fffd}":3}}"#
                .replace("\\u{fffd}", "\u{fffd}")
        );
        let mut e = Vec::new();
        line(&mut e, |_| {});
        assert_eq!(e, b"{}\n");
    }

    #[test]
    fn suspended_writers_resume() {
        let mut buf = Vec::new();
        let mut o = Json::start_object(&mut buf);
        o.u64("pid", 7);
        let mut rows = o.array("rows").suspend();
        let top = o.suspend();
        for i in 0..2 {
            // (the buffer could be flushed here)
            let mut arr = Json::resume(&mut buf, rows);
            let mut e = arr.element();
            e.u64("i", i);
            e.end();
            rows = arr.suspend();
        }
        Json::resume(&mut buf, rows).end();
        let mut o = Json::resume(&mut buf, top);
        o.u64("n", 2);
        o.end();
        assert_eq!(buf, b"{\"pid\":7,\"rows\":[{\"i\":0},{\"i\":1}],\"n\":2}");
    }
}
