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

const STORE_FILE: &str = "store.sqlite";
const INDEX_DIR: &str = "index";
const LOCK_FILE: &str = "write.lock";

impl Archive {
    /// Opens an existing archive for reading (search, show, refs...).
    ///
    /// If a writer was killed after storing a batch but before indexing it,
    /// and no writer is running now, the index is caught up first, so that
    /// searches never miss stored cables. An archive made by an older
    /// schema is migrated first, and an index of another layout rebuilt, in
    /// the same way (when no writer runs and the media is writable).
    pub fn open(dir: &Path) -> Result<Archive> {
        let store_path = dir.join(STORE_FILE);
        if !store_path.exists() {
            return Err(Error::NoArchive(dir.display().to_string()));
        }
        if Store::needs_migration(&store_path)? || SearchIndex::is_outdated(&dir.join(INDEX_DIR)) {
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
            match Archive::open_for_write(dir) {
                Ok(w) => drop(w),                                         // caught up on open
                Err(Error::Locked(_)) => {} // a writer is running: it will index
                Err(e) if e.kind() == crate::ErrorKind::Unavailable => {} // read-only media: serve what is indexed
                Err(e) => return Err(e),
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
        let store = Store::open(&store_path, false)?;
        let index = SearchIndex::open(&dir.join(INDEX_DIR)).ok();
        Ok(Archive { dir: dir.to_path_buf(), store, index, writable: false, _lock: None })
    }

    /// Whether another process holds the write lock now.
    pub fn writer_running(&self) -> bool {
        let Ok(f) = File::options().write(true).open(self.dir.join(LOCK_FILE)) else { return false };
        matches!(f.try_lock(), Err(std::fs::TryLockError::WouldBlock))
    }

    /// Opens (creating when absent) an archive for writing. Fails with
    /// [`Error::Locked`] when another writer has it. Catches the index up
    /// with the store if a previous writer was killed in between.
    pub fn open_for_write(dir: &Path) -> Result<Archive> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let lock_path = dir.join(LOCK_FILE);
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| Error::io(&lock_path, e))?;
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
        let mut writer = index.writer(200_000_000)?;
        let max = self.store.max_latest_version()?;
        for id in &stale {
            let info = self.store.latest_info(id)?.ok_or_else(|| Error::CableNotFound(id.clone()))?;
            let c = self.store.cable(id, None)?;
            writer.delete_term(index.id_term(id));
            writer.add_document(index.document(&c, info.version_id))?;
        }
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&crate::index::payload(max));
        prepared.commit()?;
        writer.wait_merging_threads()?;
        index.reload()?;
        Ok(stale.len())
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
