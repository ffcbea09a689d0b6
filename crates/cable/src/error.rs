//! The one error type of the `cable` crate.

/// Why a cable (or a piece of one) could not be read.
///
/// Every variant carries enough context for a user to find the problem: the
/// record or line where it was seen and what was expected there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A cable reference id that cannot be read as year + station + serial.
    #[error("invalid cable id {id:?}: {reason}")]
    InvalidId {
        /// The id as written.
        id: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A date or date-time that cannot be read.
    #[error("invalid date {text:?}: expected {expected}")]
    InvalidDate {
        /// The text as written.
        text: String,
        /// The layout that was expected.
        expected: &'static str,
    },
    /// The input does not look like any of the published cable formats.
    #[error("not a cable: {0}")]
    NotACable(String),
    /// The input is not valid UTF-8.
    #[error("invalid UTF-8 at byte {offset}")]
    InvalidUtf8 {
        /// Byte offset of the first invalid sequence.
        offset: usize,
    },
    /// A record of a `cables.csv` file that cannot be read.
    #[error("CSV record {record} (line {line}): {reason}")]
    Csv {
        /// 1-based number of the record in the file.
        record: u64,
        /// 1-based line where the record starts.
        line: u64,
        /// What is wrong with it.
        reason: String,
    },
    /// A line longer than the parser accepts (a sign of binary junk).
    #[error("line {line} is {len} bytes long (limit {limit})")]
    LineTooLong {
        /// 1-based line number.
        line: u64,
        /// Length of the line in bytes.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// Reading the underlying input failed.
    #[error("I/O error: {0}")]
    Io(String),
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e.to_string())
    }
}

/// `Result` with the crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
