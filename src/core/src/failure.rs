//! The one error type of every applet: the bytes to print on stderr and the exit status.
//!
//! The originals' messages are part of their interface (scripts match them), and they are
//! not always UTF-8 (argv[0], option bytes and paths are printed as given), so a failure
//! carries its exact stderr bytes. An applet's entry point returns `Result<i32, Failure>`
//! (the `Ok` status is for runs that end normally with a non-zero status, such as pmap's
//! 42 for a missing process) and [`exit_status`] prints the message and gives the status.

use std::io;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// What goes to stderr, byte for byte (newlines included); empty when the failure was
    /// already reported.
    pub message: Vec<u8>,
    pub status: i32,
    /// Set by [`Failure::print`]: the message goes to stdout (help and version texts),
    /// and a failed write is reported under this name.
    pub stdout: Option<String>,
}

impl Failure {
    /// A failure with these exact stderr bytes.
    pub fn new(status: i32, message: impl Into<Vec<u8>>) -> Self {
        Failure {
            message: message.into(),
            status,
            stdout: None,
        }
    }

    /// Not a failure but an early end of the run: `text` goes to stdout and the status is
    /// 0 (1 after a write error, reported under `name`). `--help` and `--version` return
    /// this, so that option parsers stay pure.
    pub fn print(name: &str, text: impl Into<Vec<u8>>) -> Self {
        Failure {
            message: text.into(),
            status: 0,
            stdout: Some(name.to_string()),
        }
    }

    /// The `--version` text, `NAME from memtools VERSION`, as a [`Failure::print`].
    pub fn version(name: &str) -> Self {
        Failure::print(name, format!("{name} from memtools {}\n", crate::VERSION))
    }

    /// `NAME: TEXT` and a newline.
    pub fn line(status: i32, name: &str, text: &str) -> Self {
        Failure::new(status, format!("{name}: {text}\n"))
    }

    /// A failure already reported (nothing more to print), or an exit with a status only.
    pub fn status(status: i32) -> Self {
        Failure::new(status, Vec::new())
    }

    /// Appends more stderr bytes (a usage text after a diagnostic, say).
    pub fn then(mut self, more: &[u8]) -> Self {
        self.message.extend_from_slice(more);
        self
    }

    /// A failed write to stdout, as coreutils' `close_stdout` reports it:
    /// `NAME: write error` plus `: strerror` when an errno is known; status 1.
    pub fn write_error(name: &str, err: Option<&io::Error>) -> Self {
        match err {
            Some(e) => Failure::line(
                1,
                name,
                &format!("write error: {}", crate::out::io_strerror(e)),
            ),
            None => Failure::line(1, name, "write error"),
        }
    }

    /// Prints the message (on stderr, or stdout for [`Failure::print`]) and returns the
    /// exit status.
    pub fn report(self) -> i32 {
        match &self.stdout {
            Some(name) => match crate::sink::print(name, &self.message) {
                0 => self.status,
                s => s,
            },
            None => {
                crate::out::eprint_bytes(&self.message);
                self.status
            }
        }
    }
}

/// The exit status of an applet run: `Ok(status)` as it is, a failure reported first.
pub fn exit_status(r: Result<i32, Failure>) -> i32 {
    match r {
        Ok(s) => s,
        Err(f) => f.report(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages() {
        assert_eq!(
            Failure::line(1, "free", "Multiple unit options don't make sense.").message,
            b"free: Multiple unit options don't make sense.\n"
        );
        assert_eq!(
            Failure::write_error("free", None).message,
            b"free: write error\n"
        );
        let e = io::Error::from_raw_os_error(libc::EBADF);
        assert_eq!(
            Failure::write_error("pmap", Some(&e)).message,
            b"pmap: write error: Bad file descriptor\n"
        );
        let f = Failure::new(1, b"a\n".to_vec()).then(b"usage\n");
        assert_eq!((f.status, f.message.as_slice()), (1, &b"a\nusage\n"[..]));
        assert_eq!(exit_status(Ok(42)), 42);
        assert_eq!(exit_status(Err(Failure::status(3))), 3);
    }
}
