//! The rc file: the template `-n`/`-N` write and the reader behind `-c`/`-C`.

use memtools_platform::procmaps::LineReader;
use std::io::Read;

/// The template, byte for byte as procps-ng 4.0.2 writes it.
pub const TEMPLATE: &str = "# pmap's Config File

# All the entries are case sensitive.
# Unsupported entries are ignored!

[Fields Display]

# To enable a field uncomment its entry

#Perm
#Offset
#Device
#Inode
#Size
#Rss
#Pss
#Shared_Clean
#Shared_Dirty
#Private_Clean
#Private_Dirty
#Referenced
#Anonymous
#AnonHugePages
#Swap
#KernelPageSize
#MMUPageSize
#Locked
#VmFlags
#Mapping


[Mapping]

# to show paths in the mapping column uncomment the following line
#ShowPath

";

/// What an rc file selects.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct RcConfig {
    pub fields: Vec<Vec<u8>>,
    /// `ShowPath` seen an odd number of times (it toggles `-p`).
    pub toggle_show_path: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum Section {
    None,
    Fields,
    Mapping,
    Unsupported,
}

fn blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

fn tokens(s: &[u8]) -> impl Iterator<Item = &[u8]> {
    s.split(|&b| blank(b) || b == b'\n')
        .filter(|t| !t.is_empty())
}

/// Parses an rc file. `warn` receives each warning text (without the program prefix).
pub fn parse<R: Read>(src: R, warn: &mut dyn FnMut(String)) -> RcConfig {
    let mut cfg = RcConfig::default();
    let mut reader = LineReader::with_capacity(src, 64 * 1024);
    let mut section = Section::None;
    let mut lineno = 0u64;
    // procps-ng reads 1024-byte `fgets` pieces and uses them as C strings: text after a NUL
    // byte is invisible (a line starting with NUL is empty). A piece of 1024 characters
    // without the newline is warned about, then parsed like any line, and the pieces up to
    // one whose C string ends with the newline are dropped (observed with 4.0.2).
    while let Ok(Some(l)) = reader.fgets_c(1025) {
        let line = l.to_vec();
        lineno += 1;
        if line.len() == 1024 && line.last() != Some(&b'\n') {
            warn(format!("config line too long - line {lineno}"));
            while let Ok(Some(rest)) = reader.fgets_c(1025) {
                if rest.last() == Some(&b'\n') {
                    break;
                }
            }
        }
        let start = line.iter().position(|&b| !blank(b)).unwrap_or(line.len());
        let mut body: &[u8] = &line[start..];
        if body.is_empty() || body[0] == b'\n' || body[0] == b'#' {
            continue;
        }
        if body[0] == b'[' {
            let Some(close) = body.iter().position(|&b| b == b']') else {
                warn(format!("syntax error found in the config - line {lineno}"));
                continue;
            };
            let head = &body[..=close];
            section = if head.starts_with(b"[Fields Display]") {
                Section::Fields
            } else if head.starts_with(b"[Mapping]") {
                Section::Mapping
            } else {
                warn(format!(
                    "unsupported section found in the config - line {lineno}"
                ));
                Section::Unsupported
            };
            let rest = &body[close + 1..];
            let p = rest.iter().position(|&b| !blank(b)).unwrap_or(rest.len());
            let rest = &rest[p..];
            if rest.is_empty() || rest[0] == b'\n' || rest[0] == b'#' {
                continue;
            }
            warn(format!("syntax error found in the config - line {lineno}"));
            body = rest;
        }
        let mut toks = tokens(body);
        let first = toks.next();
        let extra = toks.next().is_some_and(|t| t[0] != b'#');
        match section {
            Section::Fields => {
                if let Some(t) = first {
                    cfg.fields.push(t.to_vec());
                }
                if extra {
                    warn(format!("syntax error found in the config - line {lineno}"));
                }
            }
            Section::Mapping => {
                if first == Some(b"ShowPath") {
                    cfg.toggle_show_path = !cfg.toggle_show_path;
                }
                if extra {
                    warn(format!("syntax error found in the config - line {lineno}"));
                }
            }
            Section::Unsupported => {}
            Section::None => warn(format!("syntax error found in the config - line {lineno}")),
        }
    }
    cfg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_example() {
        let text = "# test rc\n[Fields Display]\nPerm\nRss\n  Size   # trailing comment\nSwap extra\nMapping\nVmFlags\nBogus\n[Mapping]\nShowPath\n[Other] # hi\nwhatever\n[Broken\n";
        let mut w = Vec::new();
        let c = parse(text.as_bytes(), &mut |s| w.push(s));
        assert_eq!(
            w,
            vec![
                "syntax error found in the config - line 6",
                "unsupported section found in the config - line 12",
                "syntax error found in the config - line 14"
            ]
        );
        assert!(c.toggle_show_path);
        assert_eq!(c.fields.len(), 7);
        let t = parse(TEMPLATE.as_bytes(), &mut |s| panic!("{s}"));
        assert!(t.fields.is_empty());
    }
}
