//! [`Archive`]: an archive directory opened for reading or for writing.

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::index::SearchIndex;
use crate::store::Store;
use crate::{Error, Result};

/// An archive directory: `store.sqlite` (the truth) and `index/` (tantivy,
/// derived). Opened for reading by any number of processes; for writing by
/// one at a time (a lock file says who).
pub struct Archive {
    dir: PathBuf,
    pub(crate) store: Store,
    pub(crate) index: Option<SearchIndex>,
    writable: bool,
    _lock: Option<File>,
}

pub(crate) const STORE_FILE: &str = "store.sqlite";
const INDEX_DIR: &str = "index";
const LOCK_FILE: &str = "write.lock";

impl Archive {
    /// Opens an existing archive for reading (search, show, refs...).
    ///
    /// If a writer was killed after storing a batch but before indexing it,
    /// and no writer is running now, the index is caught up first, so that
    /// searches never miss stored cables (when the index cannot be written
    /// now, the archive opens over what is indexed). An archive made by an older
    /// schema is migrated first, and an index of another layout rebuilt, in
    /// the same way (when no writer runs and the media is writable).
    pub fn open(dir: &Path) -> Result<Archive> {
        let store_path = dir.join(STORE_FILE);
        if !store_path.exists() {
            return Err(Error::NoArchive(dir.display().to_string()));
        }
        let needs_migration = match Store::needs_migration(&store_path) {
            Ok(n) => n,
            // Read-only media: no migrating there; reading says whether it needs to.
            Err(e) if cannot_open(&e) && !writable_dir(dir) => false,
            // A writer killed while creating the store leaves a transaction
            // only a writer can roll back: opening for writing does.
            Err(_) if writable_dir(dir) => true,
            Err(e) => return Err(e),
        };
        if needs_migration || SearchIndex::is_outdated(&dir.join(INDEX_DIR)) {
            match Archive::open_for_write(dir) {
                Ok(w) => drop(w),                                         // migrated on open
                Err(Error::Locked(_)) => {}                               // a writer is running: it migrates
                Err(e) if e.kind() == crate::ErrorKind::Unavailable => {} // read-only media: opening says what to do
                Err(e) => return Err(e),
            }
        }
        let archive = Archive::open_read_only(dir)?;
        let behind = match &archive.index {
            Some(i) => i.watermark()? < archive.store.max_latest_version()?,
            None => false,
        };
        if behind && archive.store.schema_version()? > 0 {
            drop(archive);
            // Caught up on open. When that cannot be done now (a writer is
            // running and will index; read-only media; a full disk; a
            // damaged index), reading goes on over what is indexed, and
            // `check` says the index is behind.
            if let Err(e) = Archive::open_for_write(dir) {
                tracing::warn!("the index is behind the store and cannot catch up now: {e}");
            }
            return Archive::open_read_only(dir);
        }
        Ok(archive)
    }

    /// Opens an existing archive for reading without any repair.
    pub fn open_read_only(dir: &Path) -> Result<Archive> {
        let store_path = dir.join(STORE_FILE);
        if !store_path.exists() {
            return Err(Error::NoArchive(dir.display().to_string()));
        }
        let (store, steady) = match Store::open(&store_path, false) {
            Ok(store) => (store, None),
            Err(e) if cannot_open(&e) && !writable_dir(dir) => open_unwritable_store(dir, &store_path)?,
            Err(e) => return Err(e),
        };
        let index = SearchIndex::open(&dir.join(INDEX_DIR)).ok();
        Ok(Archive { dir: dir.to_path_buf(), store, index, writable: false, _lock: steady })
    }

    /// Whether another process holds the write lock now.
    pub fn writer_running(&self) -> bool {
        // A shared lock is refused only while a writer holds the lock; it
        // needs no write access to the lock file.
        let Ok(f) = File::open(self.dir.join(LOCK_FILE)) else { return false };
        matches!(f.try_lock_shared(), Err(std::fs::TryLockError::WouldBlock))
    }

    /// Opens (creating when absent) an archive for writing. Fails with
    /// [`Error::Locked`] when another writer has it. Catches the index up
    /// with the store if a previous writer was killed in between.
    pub fn open_for_write(dir: &Path) -> Result<Archive> {
        std::fs::create_dir_all(dir).map_err(|e| unwritable(dir, dir, e))?;
        let lock_path = dir.join(LOCK_FILE);
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| unwritable(dir, &lock_path, e))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => return Err(Error::Locked(dir.display().to_string())),
            Err(std::fs::TryLockError::Error(e)) => return Err(Error::io(&lock_path, e)),
        }
        let store = Store::open(&dir.join(STORE_FILE), true)?;
        // A damaged index must not keep `reindex` from rebuilding it.
        let index = match SearchIndex::open_or_create(&dir.join(INDEX_DIR)) {
            Ok(i) => Some(i),
            Err(e) => {
                tracing::warn!("search index unusable: {e}");
                None
            }
        };
        let mut archive = Archive { dir: dir.to_path_buf(), store, index, writable: true, _lock: Some(lock) };
        if archive.index.is_some() {
            archive.catch_up_index()?;
        }
        Ok(archive)
    }

    /// The archive directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The index, or a clear error when it is missing or damaged.
    pub fn index(&self) -> Result<&SearchIndex> {
        self.index.as_ref().ok_or_else(|| {
            Error::Corrupt(format!(
                "the search index at {} is missing or damaged: run `demarche reindex`",
                self.dir.join(INDEX_DIR).display()
            ))
        })
    }

    pub(crate) fn index_dir(&self) -> PathBuf {
        self.dir.join(INDEX_DIR)
    }

    pub(crate) fn require_writable(&self) -> Result<()> {
        if self.writable {
            Ok(())
        } else {
            Err(Error::BadRequest("archive opened read-only".into()))
        }
    }

    /// Brings the index up to the store: indexes the latest version of every
    /// cable changed after the index's watermark.
    pub(crate) fn catch_up_index(&mut self) -> Result<usize> {
        let index = self.index()?;
        let watermark = index.watermark()?;
        let stale = self.store.changed_since(watermark)?;
        if stale.is_empty() {
            return Ok(0);
        }
        tracing::info!(cables = stale.len(), watermark, "index behind the store: catching up");
        let max = self.store.max_latest_version()?;
        self.reindex_cables(&stale, max)?;
        self.refresh_variants()?;
        Ok(stale.len())
    }

    /// Writes the index documents of these cables' latest versions anew and
    /// commits them with `watermark` (the store version the index is then
    /// up to).
    pub(crate) fn reindex_cables(&self, ids: &[String], watermark: i64) -> Result<()> {
        let index = self.index()?;
        let mut writer = index.writer(200_000_000)?;
        for id in ids {
            let info = self.store.latest_info(id)?.ok_or_else(|| Error::CableNotFound(id.clone()))?;
            let c = self.store.cable(id, None)?;
            writer.delete_term(index.id_term(id));
            writer.add_document(index.document(&c, info.version_id))?;
        }
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&crate::index::payload(watermark));
        prepared.commit()?;
        writer.wait_merging_threads()?;
        index.reload()?;
        Ok(())
    }

    /// Learns the spelling groups from the index as it is now and keeps
    /// them beside it (see [`crate::variants`]).
    pub(crate) fn refresh_variants(&mut self) -> Result<()> {
        let index = self.index()?;
        if index.num_docs() * 10 < index.variants.cables * 11 && index.variants.cables > 0 {
            return Ok(()); // grown by less than a tenth: the groups stand
        }
        let variants = self.learn_variants()?;
        let dir = self.index_dir();
        variants.save(&dir)?;
        if let Some(index) = self.index.as_mut() {
            index.variants = variants;
        }
        Ok(())
    }

    /// Deletes the index and rebuilds it from the store. Returns the number
    /// of cables indexed.
    pub fn reindex(&mut self) -> Result<u64> {
        self.require_writable()?;
        let dir = self.index_dir();
        self.index = None;
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        }
        self.index = Some(SearchIndex::open_or_create(&dir)?);
        self.catch_up_index()?;
        Ok(self.index()?.num_docs())
    }
}

/// The error for a file of the archive that cannot be opened for writing:
/// [`Error::ReadOnly`] when the media or the permissions forbid it.
fn unwritable(dir: &Path, file: &Path, e: std::io::Error) -> Error {
    use std::io::ErrorKind::*;
    match e.kind() {
        ReadOnlyFilesystem | PermissionDenied => {
            Error::ReadOnly { dir: dir.display().to_string(), reason: e }
        }
        _ => Error::io(file, e),
    }
}

/// Whether SQLite could not open the file (for reading: it could not
/// create the shared-memory file of a WAL database beside it).
fn cannot_open(e: &Error) -> bool {
    matches!(e, Error::Store(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::CannotOpen))
}

/// Whether this process can create files in `dir` (not on read-only media,
/// not another user's directory), tried by creating and removing one.
pub(crate) fn writable_dir(dir: &Path) -> bool {
    let probe = dir.join(format!(".demarche-probe-{}", std::process::id()));
    match File::options().write(true).create_new(true).open(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            true
        }
        Err(e) => e.kind() == std::io::ErrorKind::AlreadyExists,
    }
}

/// Opens the store of an archive whose directory this process cannot
/// write (read-only media, another user's archive). SQLite cannot create
/// the shared-memory file its WAL mode needs beside the database, so the
/// database is opened as immutable (no locking, no WAL). That is sound only
/// while nothing writes it: with a writer running it fails with
/// [`Error::Locked`], and it holds the write lock shared for as long as the
/// archive is open, so that no writer starts meanwhile.
fn open_unwritable_store(dir: &Path, store_path: &Path) -> Result<(Store, Option<File>)> {
    let steady = match File::open(dir.join(LOCK_FILE)) {
        Ok(lock) => match lock.try_lock_shared() {
            Ok(()) => Some(lock),
            Err(std::fs::TryLockError::WouldBlock) => return Err(Error::Locked(dir.display().to_string())),
            Err(std::fs::TryLockError::Error(e)) => return Err(Error::io(dir.join(LOCK_FILE), e)),
        },
        Err(_) => None, // never written by a demarche that locks: nothing writes it
    };
    let store = Store::open(&immutable_uri(store_path), false)?;
    Ok((store, steady))
}

/// The SQLite URI opening `path` as immutable (the bundled SQLite reads
/// file names as URIs).
fn immutable_uri(path: &Path) -> PathBuf {
    let mut uri = String::from("file:");
    for c in path.to_string_lossy().chars() {
        match c {
            '?' => uri.push_str("%3f"),
            '#' => uri.push_str("%23"),
            '%' => uri.push_str("%25"),
            c => uri.push(c),
        }
    }
    uri.push_str("?immutable=1");
    PathBuf::from(uri)
}
