//! Options defined once.
//!
//! Every applet describes its command line in one [`Spec`]: each option once, with its
//! spellings, argument, the line its usage text prints and its man page text. Applets tell
//! the options getopt hands them apart by [`Opt::name`] ([`crate::getopt::Getopt::name`]):
//! no numeric ids to keep in step.
//! From that one table come
//! * the getopt tables ([`Spec::optstring`], [`Spec::long_opts`], used by
//!   [`crate::getopt::Getopt::from_spec`]),
//! * the usage text ([`Spec::usage`]), byte for byte the original's (the goldens check it),
//! * the man page's SYNOPSIS and OPTIONS and the shell completions (src/cli builds them
//!   from the registry's specs), and
//! * the test that runs every option through its applet (tests/test_docs.rs).
//!
//! The man page's other sections ([`Man`]) live in the same spec, so an applet's command
//! line and documentation sit in one file of its crate (busybox keeps an applet's usage
//! and registration next to its code in the same way).

use crate::getopt::{HasArg, LongOpt};
use crate::Failure;

/// What the shell should complete for an option's value or an operand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hint {
    None,
    File,
    Dir,
    /// A process id.
    Pid,
    /// One of these words.
    Values(&'static [&'static str]),
}

/// Where an option is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Show {
    /// Usage text, man page and completions.
    All,
    /// Accepted and documented in the man page and completions, but not in the usage text
    /// (the original's usage does not list it, e.g. pmap's `-r`).
    NotInUsage,
    /// Usage text and man page only: not an option of its own for getopt (pmap's `-XX`,
    /// which is `-X` given twice).
    DocOnly,
}

/// One option.
#[derive(Clone, Copy, Debug)]
pub struct Opt {
    pub short: Option<u8>,
    pub long: Option<&'static str>,
    pub arg: HasArg,
    /// The value's name in the man page and completions (`N`, `file`, `low,high`).
    pub value: &'static str,
    /// The usage line's option column, when it is not the plain ` -b, --bytes` /
    /// `     --kilo` / ` -X` form (options with values: ` -s N, --seconds N`).
    pub left: Option<&'static str>,
    /// The usage line's text; `\n` starts a continuation line at the help column.
    pub help: &'static str,
    /// The man page's description (empty: the usage help).
    pub doc: &'static str,
    pub hint: Hint,
    pub show: Show,
}

impl Opt {
    const fn base(short: Option<u8>, long: Option<&'static str>, help: &'static str) -> Opt {
        Opt {
            short,
            long,
            arg: HasArg::No,
            value: "",
            left: None,
            help,
            doc: "",
            hint: Hint::None,
            show: Show::All,
        }
    }

    /// `-c`, `--long`: a flag with both spellings.
    pub const fn flag(short: u8, long: &'static str, help: &'static str) -> Opt {
        Opt::base(Some(short), Some(long), help)
    }

    /// `-c` alone.
    pub const fn short(short: u8, help: &'static str) -> Opt {
        Opt::base(Some(short), None, help)
    }

    /// `--long` alone.
    pub const fn long(long: &'static str, help: &'static str) -> Opt {
        Opt::base(None, Some(long), help)
    }

    /// A usage/man line that is not an option of its own (see [`Show::DocOnly`]).
    pub const fn doc_only(left: &'static str, help: &'static str) -> Opt {
        let mut o = Opt::base(None, None, help);
        o.left = Some(left);
        o.show = Show::DocOnly;
        o
    }

    /// Takes a required argument named `value`; the usage column reads `left`.
    pub const fn value(mut self, value: &'static str, left: &'static str) -> Opt {
        self.arg = HasArg::Required;
        self.value = value;
        self.left = Some(left);
        self
    }

    /// Takes an optional argument (`--long[=value]`).
    pub const fn optional(mut self, value: &'static str, left: &'static str) -> Opt {
        self.arg = HasArg::Optional;
        self.value = value;
        self.left = Some(left);
        self
    }

    /// The usage line's option column, spelled out.
    pub const fn left(mut self, left: &'static str) -> Opt {
        self.left = Some(left);
        self
    }

    /// The man page says more than the usage line.
    pub const fn doc(mut self, doc: &'static str) -> Opt {
        self.doc = doc;
        self
    }

    pub const fn hint(mut self, hint: Hint) -> Opt {
        self.hint = hint;
        self
    }

    pub const fn not_in_usage(mut self) -> Opt {
        self.show = Show::NotInUsage;
        self
    }

    /// What applets match on: the long name (`"bytes"`), or the letter of an option that
    /// has only a short spelling (`"X"`).
    pub fn name(&'static self) -> &'static str {
        match (self.long, &self.short) {
            (Some(l), _) => l,
            (None, Some(c)) => std::str::from_utf8(std::slice::from_ref(c)).unwrap_or(""),
            (None, None) => "",
        }
    }

    /// The man page's description.
    pub fn man_text(&self) -> &'static str {
        if self.doc.is_empty() {
            self.help
        } else {
            self.doc
        }
    }

    /// The usage line's option column.
    pub fn left_column(&self) -> String {
        if let Some(l) = self.left {
            return l.to_string();
        }
        match (self.short, self.long) {
            (Some(s), Some(l)) => format!(" -{}, --{l}", s as char),
            (Some(s), None) => format!(" -{}", s as char),
            (None, Some(l)) => format!("     --{l}"),
            (None, None) => String::new(),
        }
    }
}

/// `-h, --help`, as procps and GNU tools spell it.
pub const HELP: Opt = Opt::flag(b'h', "help", "display this help and exit");

/// `-V, --version`; its text is [`Failure::version`]'s.
pub const VERSION: Opt = Opt::flag(b'V', "version", "output version information and exit");

/// One entry of a spec's option list, in the order of the usage text and man page.
#[derive(Clone, Copy, Debug)]
pub enum Item {
    Opt(Opt),
    /// A usage-only line, printed as it is (a note under an option).
    Text(&'static str),
    /// Starts a group of usage lines whose help column is this wide; a group after the
    /// first is preceded by an empty line.
    Group(usize),
}

/// An operand, for the man page and completions.
#[derive(Clone, Copy, Debug)]
pub struct Operand {
    pub name: &'static str,
    pub required: bool,
    pub repeated: bool,
    pub hint: Hint,
    pub help: &'static str,
}

/// The hand-written sections of a man page, in a small markup (src/cli turns it into
/// roff): paragraphs separated by an empty line; `- ` starts a bullet item; `@TAG` on the
/// first line of a paragraph makes a tagged item; `` `code` `` is bold.
#[derive(Clone, Copy, Debug, Default)]
pub struct Man {
    // (`see_also` lists only pages outside memtools: the generator names the other
    // applets and memtools(1) itself.)
    pub description: &'static str,
    pub files: &'static str,
    pub notes: &'static str,
    pub exit_status: &'static str,
    pub see_also: &'static str,
}

/// An applet's command line and documentation.
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    pub name: &'static str,
    /// One line for NAME and the completions.
    pub about: &'static str,
    /// The man page's SYNOPSIS after the name, as the original's page has it
    /// (`[options] pid [...]`).
    pub synopsis: &'static str,
    /// The usage text before the option lines and after them.
    pub usage_head: &'static str,
    pub usage_foot: &'static str,
    pub items: &'static [Item],
    /// The long options in the order of the original's getopt table (it shows in
    /// ambiguity messages); empty: the order of `items`.
    pub long_table: &'static [&'static str],
    pub operands: &'static [Operand],
    pub man: Man,
    /// What introduces a long option: `--` (getopt), or `-` for vmmap's flag words, which
    /// take one or two dashes. The man page spells long options with it.
    pub dash: &'static str,
}

impl Spec {
    /// A spec with every field empty; applets write `Spec { name: .., ..Spec::EMPTY }` and
    /// leave out what they do not have.
    pub const EMPTY: Spec = Spec {
        name: "",
        about: "",
        synopsis: "",
        usage_head: "",
        usage_foot: "",
        items: &[],
        long_table: &[],
        operands: &[],
        man: Man {
            description: "",
            files: "",
            notes: "",
            exit_status: "",
            see_also: "",
        },
        dash: "--",
    };

    /// The options (doc-only lines excluded), in usage order.
    pub fn options(&self) -> impl Iterator<Item = &Opt> {
        self.items.iter().filter_map(|i| match i {
            Item::Opt(o) if o.show != Show::DocOnly => Some(o),
            _ => None,
        })
    }

    /// The options and doc-only lines, in usage order (what a man page lists).
    pub fn documented(&self) -> impl Iterator<Item = &Opt> {
        self.items.iter().filter_map(|i| match i {
            Item::Opt(o) => Some(o),
            _ => None,
        })
    }

    /// getopt's short-option string (`"bkmghlLtvc:ws:V"`).
    pub fn optstring(&self) -> String {
        let mut s = String::new();
        for o in self.options() {
            if let Some(c) = o.short {
                s.push(c as char);
                match o.arg {
                    HasArg::No => {}
                    HasArg::Required => s.push(':'),
                    HasArg::Optional => s.push_str("::"),
                }
            }
        }
        s
    }

    /// The options with what getopt returns for each: the short option's character, or
    /// for an option with only a long name 0x100 plus its rank among those.
    fn with_ids(&self) -> impl Iterator<Item = (i32, &Opt)> {
        let mut next_long = 0x100;
        self.options().map(move |o| match o.short {
            Some(c) => (i32::from(c), o),
            None => {
                next_long += 1;
                (next_long - 1, o)
            }
        })
    }

    /// getopt's long-option table, in [`Spec::long_table`] order.
    pub fn long_opts(&self) -> Vec<LongOpt> {
        let all: Vec<LongOpt> = self
            .with_ids()
            .filter_map(|(id, o)| o.long.map(|l| LongOpt::new(l, o.arg, id)))
            .collect();
        if self.long_table.is_empty() {
            return all;
        }
        self.long_table
            .iter()
            .filter_map(|n| all.iter().find(|o| o.name == *n).copied())
            .collect()
    }

    /// The option getopt returned this id for.
    pub fn by_id(&self, id: i32) -> Option<&Opt> {
        self.with_ids().find(|(i, _)| *i == id).map(|(_, o)| o)
    }

    /// The usage text: head, one line per option (and note), foot.
    pub fn usage(&self) -> String {
        let mut out = String::from(self.usage_head);
        let mut col = 0;
        let mut groups = 0;
        for item in self.items {
            match item {
                Item::Group(w) => {
                    if groups > 0 {
                        out.push('\n');
                    }
                    groups += 1;
                    col = *w;
                }
                Item::Text(t) => {
                    out.push_str(t);
                    out.push('\n');
                }
                Item::Opt(o) if o.show == Show::NotInUsage => {}
                Item::Opt(o) => {
                    let left = o.left_column();
                    out.push_str(&left);
                    if left.len() >= col {
                        out.push('\n');
                        out.extend(std::iter::repeat_n(' ', col));
                    } else {
                        out.extend(std::iter::repeat_n(' ', col - left.len()));
                    }
                    for (i, line) in o.help.split('\n').enumerate() {
                        if i > 0 {
                            out.push('\n');
                            out.extend(std::iter::repeat_n(' ', col));
                        }
                        out.push_str(line);
                    }
                    out.push('\n');
                }
            }
        }
        out.push_str(self.usage_foot);
        out
    }
}

/// How the dispatcher knows an applet: its spec and its entry point.
#[derive(Clone, Copy, Debug)]
pub struct Applet {
    pub spec: &'static Spec,
    /// Takes argv (argv[0] included): the exit status, or the [`Failure`] to report (help
    /// and version texts included).
    pub run: fn(Vec<std::ffi::OsString>) -> Result<i32, Failure>,
}

impl Applet {
    pub fn name(&self) -> &'static str {
        self.spec.name
    }

    /// Runs the applet and gives its exit status, reporting its failure first
    /// ([`crate::exit_status`]).
    pub fn main(&self, args: Vec<std::ffi::OsString>) -> i32 {
        crate::exit_status((self.run)(args))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[rustfmt::skip]
    const SPEC: Spec = Spec {
        // A struct literal in its own field order: items first, then the texts.
        items: &[
            Item::Group(20),
            Item::Opt(Opt::flag(b'b', "bytes", "show bytes")),
            Item::Opt(Opt::long("kilo", "show kilobytes")),
            Item::Opt(Opt::short(b'X', "more")),
            Item::Text("            NOTE: a note"),
            Item::Opt(Opt::doc_only(" -XX", "even more")),
            Item::Opt(Opt::flag(b's', "seconds", "repeat every N seconds\nand so on").value("N", " -s N, --seconds N")),
            Item::Opt(Opt::short(b'r', "ignored").not_in_usage()),
            Item::Opt(Opt::long("a-very-long-option", "help").optional("x", "     --a-very-long-option[=x]")),
            Item::Group(12),
            Item::Opt(Opt::flag(b'h', "help", "help")),
        ],
        name: "demo",
        about: "a demo",
        synopsis: "[options] file",
        usage_head: "Usage: demo [options] file\n\n",
        usage_foot: "\nThe end.\n",
        long_table: &["seconds", "bytes", "help", "kilo", "a-very-long-option"],
        ..Spec::EMPTY
    };

    #[test]
    fn getopt_tables() {
        assert_eq!(SPEC.optstring(), "bXs:rh");
        let names: Vec<&str> = SPEC.long_opts().iter().map(|o| o.name).collect();
        assert_eq!(
            names,
            ["seconds", "bytes", "help", "kilo", "a-very-long-option"]
        );
        assert_eq!(SPEC.long_opts()[0].has_arg, HasArg::Required);
        assert_eq!(SPEC.long_opts()[3].id, 0x100);
        assert_eq!(SPEC.by_id(b'r' as i32).map(|o| o.help), Some("ignored"));
        assert_eq!(SPEC.options().count(), 7);
        assert_eq!(SPEC.documented().count(), 8);
    }

    #[test]
    fn usage_text() {
        assert_eq!(
            SPEC.usage(),
            "Usage: demo [options] file\n\n\
             \x20-b, --bytes        show bytes\n\
             \x20    --kilo         show kilobytes\n\
             \x20-X                 more\n\
             \x20           NOTE: a note\n\
             \x20-XX                even more\n\
             \x20-s N, --seconds N  repeat every N seconds\n\
             \x20                   and so on\n\
             \x20    --a-very-long-option[=x]\n\
             \x20                   help\n\
             \n\
             \x20-h, --help\x20help\n\
             \nThe end.\n"
        );
    }
}
