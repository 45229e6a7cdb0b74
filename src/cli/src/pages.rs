//! The man pages, from an applet's [`Spec`]: NAME, SYNOPSIS and OPTIONS from its option
//! table, the hand-written sections from its `man` texts, written in a tiny markup turned
//! into roff by [`to_roff`]:
//!
//! * paragraphs are separated by an empty line;
//! * a paragraph starting with `- ` is a bullet item;
//! * a paragraph starting with `@` is a tagged item: its first line (after `@`) is the tag,
//!   set in bold, the rest the body;
//! * in running text, `` `code` `` is set in bold.
//!
//! The facts come from docs/*.md, which has the details and the reasons.

use memtools_applets::{APPLETS, MEMTOOLS};
use memtools_core::getopt::HasArg;
use memtools_core::opts::{Opt, Spec};
use roff::{bold, italic, roman, Inline, Roff};

/// The whole page of `spec`, for memtools `version`.
pub fn page(spec: &Spec, version: &str) -> String {
    // .TH title section date source manual; no date (the roff writer drops an empty
    // argument, so this line is written by hand).
    let mut text = format!(
        ".TH {} 1 \"\" \"memtools {version}\" \"memtools\"\n",
        spec.name.to_uppercase()
    );
    let mut r = Roff::new();
    r.control("SH", ["NAME"]);
    r.text([roman(format!("{} - {}", spec.name, spec.about))]);
    r.control("SH", ["SYNOPSIS"]);
    for (i, line) in spec.synopsis.split('\n').enumerate() {
        if i > 0 {
            r.control("br", [] as [&str; 0]);
        }
        r.text([bold(spec.name), roman(format!(" {line}"))]);
    }
    text.push_str(&r.render());
    text.push_str(&to_roff("DESCRIPTION", spec.man.description));
    let mut r = Roff::new();
    r.control("SH", ["OPTIONS"]);
    for o in spec.documented() {
        r.control("TP", [] as [&str; 0]);
        r.text(tag(spec, o));
        r.text(inlines(o.man_text()));
    }
    text.push_str(&r.render());
    if spec.name == MEMTOOLS.name {
        let list: Vec<String> = APPLETS
            .iter()
            .map(|a| format!("@{}(1)\n{}", a.name(), a.spec.about))
            .collect();
        text.push_str(&to_roff("APPLETS", &list.join("\n\n")));
        text.push_str(&to_roff("ENVIRONMENT", spec.man.files));
    } else {
        text.push_str(&to_roff("FILES", spec.man.files));
    }
    text.push_str(&to_roff("EXIT STATUS", spec.man.exit_status));
    text.push_str(&to_roff("NOTES", spec.man.notes));
    let mut see: Vec<String> = APPLETS
        .iter()
        .map(|a| a.name())
        .chain([MEMTOOLS.name])
        .filter(|n| *n != spec.name)
        .map(|n| format!("{n}(1)"))
        .collect();
    if !spec.man.see_also.is_empty() {
        see.push(spec.man.see_also.to_string());
    }
    text.push_str(&to_roff("SEE ALSO", &see.join(", ")));
    text
}

/// An option's tag as the originals' pages set it: `-A, --range low,high`.
fn tag(spec: &Spec, o: &Opt) -> Vec<Inline> {
    let mut v = Vec::new();
    let Some(_) = o.short.or(o.long.map(|_| 0)) else {
        // A doc-only line (pmap's -XX): its usage spelling.
        v.push(bold(o.left.unwrap_or("").trim()));
        return v;
    };
    if let Some(c) = o.short {
        v.push(bold(format!("-{}", c as char)));
    }
    if let Some(l) = o.long {
        if o.short.is_some() {
            v.push(roman(", "));
        }
        v.push(bold(format!("{}{l}", spec.dash)));
    }
    match o.arg {
        HasArg::No => {}
        HasArg::Required => {
            v.push(roman(" "));
            v.push(italic(o.value));
        }
        HasArg::Optional => {
            v.push(roman("[="));
            v.push(italic(o.value));
            v.push(roman("]"));
        }
    }
    v
}

/// Running text with `` `code` `` set in bold.
fn inlines(text: &str) -> Vec<Inline> {
    let mut v = Vec::new();
    for (i, part) in text.split('`').enumerate() {
        if part.is_empty() {
            continue;
        }
        v.push(if i % 2 == 1 { bold(part) } else { roman(part) });
    }
    v
}

/// One section in roff.
pub fn to_roff(title: &str, text: &str) -> String {
    let mut r = Roff::new();
    r.control("SH", [title]);
    for (n, para) in text.split("\n\n").enumerate() {
        let para = para.trim();
        if let Some(item) = para.strip_prefix("- ") {
            r.control("IP", ["\\(bu", "2"]);
            r.text(inlines(item));
        } else if let Some(tagged) = para.strip_prefix('@') {
            let (tag, body) = tagged.split_once('\n').unwrap_or((tagged, ""));
            r.control("TP", [] as [&str; 0]);
            r.text([bold(tag)]);
            r.text(inlines(body));
        } else {
            if n > 0 {
                r.control("PP", [] as [&str; 0]);
            }
            r.text(inlines(para));
        }
    }
    r.render()
}
