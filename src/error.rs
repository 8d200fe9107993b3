//! Errors: eb2ecs cannot produce trustworthy output, so it writes nothing.

use std::path::PathBuf;

/// Everything that stops a run. Each variant names the file (and place) it is about.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// An input file cannot be made sense of.
    #[error("{file}:{line}:{column}: {message}")]
    Input {
        /// The file, as the user named it.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The command line asks for something impossible.
    #[error("{0}")]
    Usage(String),
    /// A call to AWS failed.
    #[error("{0}")]
    Aws(String),
    /// Files in the output folder were edited by hand since eb2ecs wrote them.
    #[error("{0}")]
    Edited(String),
    /// A bug in eb2ecs (a template or serialisation failure), not a problem with the input.
    #[error("internal error, a bug in eb2ecs (please report it): {0}")]
    Bug(String),
}

/// A problem in an input value, located by JSON pointer; the loader turns it into
/// [`Error::Input`] with a line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// JSON pointer of the offending value.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
}

impl InputError {
    /// An error at `pointer`.
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        InputError {
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

/// Shorthand for results in eb2ecs.
pub type Result<T, E = Error> = std::result::Result<T, E>;
