//! The one error type of the `archive` crate, and its small set of kinds.

/// What kind of failure an [`Error`] is: the binary maps these, and only
/// these, to exit statuses and HTTP statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The thing asked for does not exist (a cable id, a version, an archive).
    NotFound,
    /// The request is malformed (a bad query, a bad id): the user can fix it.
    BadRequest,
    /// The archive cannot serve now (locked by another writer, read-only, disk full).
    Unavailable,
    /// Damage or a bug: the store or index is corrupt or an invariant broke.
    Internal,
    /// Who is asking is not known: not signed in, or a wrong password or token.
    Unauthorized,
    /// Who is asking is known, and may not do this.
    Forbidden,
}

/// Why an archive operation failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No cable with this id is in the archive.
    #[error("cable {0} is not in the archive")]
    CableNotFound(String),
    /// The cable exists but not this version.
    #[error("cable {id} has no version {version} (it has {count})")]
    VersionNotFound {
        /// The cable id.
        id: String,
        /// The version asked for.
        version: u32,
        /// How many versions it has.
        count: u32,
    },
    /// There is no archive in the directory.
    #[error("no archive at {0} (create one with `demarche ingest`)")]
    NoArchive(String),
    /// A malformed search query; `Display` shows where and a hint.
    #[error("{0}")]
    Query(#[from] crate::query::syntax::SyntaxError),
    /// Another bad request (an invalid cable id, an out-of-range option).
    #[error("{0}")]
    BadRequest(String),

    /// A newsroom record (a project, a note, a user) that does not exist,
    /// or that the person asking may not know of: the two read the same.
    #[error("{0}")]
    NotFound(String),

    /// Not signed in, or the credentials are wrong (never saying which).
    #[error("{0}")]
    Unauthorized(String),

    /// Signed in, and not allowed to do this.
    #[error("{0}")]
    Forbidden(String),
    /// The archive cannot be written here (read-only media, another user's
    /// directory): it can be read and searched, not changed.
    #[error(
        "archive {dir} is read-only here ({reason}): it can be searched and read, but not changed \
         (ingest, reindex and imports need write access to it)"
    )]
    ReadOnly {
        /// The archive directory.
        dir: String,
        /// What the system said.
        reason: std::io::Error,
    },
    /// Another process holds the archive's write lock.
    #[error("archive {0} is locked by another writer (another `demarche ingest` or `reindex` is running)")]
    Locked(String),
    /// The archive was made by a newer demarche.
    #[error("archive schema version {found} is newer than this demarche understands ({supported}); upgrade demarche")]
    SchemaTooNew {
        /// Version in the database.
        found: i64,
        /// Newest version this build knows.
        supported: i64,
    },
    /// SQLite failed. The message says what SQLite said once (not again as
    /// a source), and what to do when the disk is full or the database
    /// damaged.
    #[error("store: {}", sqlite_message(.0))]
    Store(rusqlite::Error),
    /// tantivy failed. As for [`Error::Store`], tantivy's message once.
    #[error("index: {}", tantivy_message(.0))]
    Index(tantivy::TantivyError),
    /// The stored data is damaged.
    #[error("archive damaged: {0}")]
    Corrupt(String),
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
}

impl Error {
    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::CableNotFound(_)
            | Error::VersionNotFound { .. }
            | Error::NoArchive(_)
            | Error::NotFound(_) => ErrorKind::NotFound,
            Error::Unauthorized(_) => ErrorKind::Unauthorized,
            Error::Forbidden(_) => ErrorKind::Forbidden,
            Error::Query(_) | Error::BadRequest(_) => ErrorKind::BadRequest,
            Error::Locked(_) | Error::ReadOnly { .. } | Error::SchemaTooNew { .. } => ErrorKind::Unavailable,
            Error::Store(e) if is_unavailable(e) => ErrorKind::Unavailable,
            Error::Index(tantivy::TantivyError::IoError(e)) if is_io_unavailable(e) => ErrorKind::Unavailable,
            Error::Io { source, .. } if is_io_unavailable(source) => ErrorKind::Unavailable,
            Error::Store(_) | Error::Index(_) | Error::Corrupt(_) | Error::Io { .. } => ErrorKind::Internal,
        }
    }

    pub(crate) fn io(path: impl AsRef<std::path::Path>, source: std::io::Error) -> Error {
        Error::Io { path: path.as_ref().display().to_string(), source }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        Error::Store(e)
    }
}

impl From<tantivy::TantivyError> for Error {
    fn from(e: tantivy::TantivyError) -> Error {
        Error::Index(e)
    }
}

/// SQLite's message, with what it means for the archive when the disk is
/// full or the file damaged.
fn sqlite_message(e: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode::*;
    match e.sqlite_error_code() {
        Some(DatabaseCorrupt | NotADatabase) => format!(
            "the database file is damaged (SQLite: {e}); `demarche check` lists what is affected, \
             restore the file from a backup"
        ),
        Some(DiskFull) => format!("no space left on the disk (SQLite: {e})"),
        _ => e.to_string(),
    }
}

/// tantivy's message, naming the I/O failure when there is one.
fn tantivy_message(e: &tantivy::TantivyError) -> String {
    match e {
        tantivy::TantivyError::IoError(io) if io.kind() == std::io::ErrorKind::StorageFull => {
            format!("no space left on the disk ({io})")
        }
        tantivy::TantivyError::IoError(io) => format!("I/O error: {io}"),
        e => e.to_string(),
    }
}

fn is_unavailable(e: &rusqlite::Error) -> bool {
    use rusqlite::ErrorCode::*;
    matches!(
        e.sqlite_error_code(),
        Some(DatabaseBusy | DatabaseLocked | ReadOnly | DiskFull | CannotOpen | PermissionDenied)
    )
}

fn is_io_unavailable(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(e.kind(), PermissionDenied | ReadOnlyFilesystem | StorageFull | QuotaExceeded | WouldBlock)
}

/// `Result` with the crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
