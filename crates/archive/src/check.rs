//! `check`: do the store and the index agree, and is each intact?

use std::collections::BTreeMap;

use serde::Serialize;

use crate::index::SearchIndex;
use crate::store::content_hash;
use crate::{Archive, Error, Result};

/// What `check` found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CheckReport {
    /// The database file (the store).
    pub store_file: String,
    /// The index directory.
    pub index_dir: String,
    /// Cables in the store.
    pub store_cables: u64,
    /// Versions in the store.
    pub store_versions: u64,
    /// Documents in the index.
    pub index_docs: u64,
    /// The store's watermark (highest latest-version id).
    pub store_watermark: i64,
    /// The index's watermark (from its last commit).
    pub index_watermark: i64,
    /// Everything wrong, one line each (empty when the archive is sound),
    /// each starting with `store:` or `index:`.
    pub problems: Vec<String>,
    /// Whether the store is damaged: what it holds cannot all be read back
    /// as it was written. The index cannot repair it; a backup can.
    pub store_damaged: bool,
    /// Whether the index is damaged or disagrees with the store:
    /// `demarche reindex` rebuilds it from the store.
    pub index_damaged: bool,
    /// Whether newsroom records (notes, collections, members) point at
    /// cables, versions, projects or accounts the store does not hold.
    pub newsroom_inconsistent: bool,
    /// Things to know that are not damage (a writer is running).
    pub notes: Vec<String>,
}

impl CheckReport {
    /// Whether nothing is wrong.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }

    /// One sentence: the archive is sound, or what is damaged and what to do.
    pub fn summary(&self) -> String {
        match (self.store_damaged, self.index_damaged) {
            (false, false) if self.ok() => "archive OK".to_owned(),
            (false, false) if self.newsroom_inconsistent => {
                "archive INCONSISTENT: newsroom records point at \
                cables, versions, projects or accounts the store does not hold (see the problems above); \
                the cables themselves are sound"
                    .to_owned()
            }
            (true, _) => format!(
                "archive DAMAGED: the database {} is damaged (see the problems above): what it holds \
                 cannot all be trusted, and `demarche reindex` cannot repair it; restore it from a backup",
                self.store_file
            ),
            _ => format!(
                "archive DAMAGED: the search index {} is damaged or disagrees with the store (see the \
                 problems above): run `demarche reindex` to rebuild it from the store",
                self.index_dir
            ),
        }
    }

    fn store_problem(&mut self, p: impl std::fmt::Display) {
        self.store_damaged = true;
        self.problems.push(format!("store: {p}"));
    }

    fn index_problem(&mut self, p: impl std::fmt::Display) {
        self.index_damaged = true;
        self.problems.push(format!("index: {p}"));
    }
}

/// At most this many problems of one kind are listed one by one.
const MAX_LISTED: usize = 50;

impl Archive {
    /// Verifies the archive: SQLite's own integrity check, every stored
    /// version decodes and matches its content hash, every index file
    /// matches its checksum, and the index holds exactly the latest
    /// version of every cable. Damage is reported, not returned as an
    /// error: a damaged page stops the step that reads it, not the check.
    pub fn check(&self) -> Result<CheckReport> {
        let mut r = CheckReport {
            store_file: self.store_file().display().to_string(),
            index_dir: self.index_dir().display().to_string(),
            ..CheckReport::default()
        };
        self.check_store(&mut r);
        self.check_index(&mut r)?;
        Ok(r)
    }

    fn check_store(&self, r: &mut CheckReport) {
        match self.store.integrity_problems() {
            Ok(problems) => {
                problems.into_iter().for_each(|p| r.store_problem(format!("SQLite reports: {p}")))
            }
            Err(e) => r.store_problem(format!("SQLite's integrity check failed: {}", cause(&e))),
        }
        let counts = || -> Result<(u64, u64, i64)> {
            Ok((self.store.cable_count()?, self.store.version_count()?, self.store.max_latest_version()?))
        };
        match counts() {
            Ok((cables, versions, watermark)) => {
                (r.store_cables, r.store_versions, r.store_watermark) = (cables, versions, watermark)
            }
            Err(e) => r.store_problem(format!("counting cables and versions failed: {}", cause(&e))),
        }
        match self.store.newsroom_problems() {
            Ok(problems) => problems.into_iter().for_each(|p| {
                r.newsroom_inconsistent = true;
                r.problems.push(format!("newsroom: {p}"));
            }),
            Err(e) => r.store_problem(format!("checking the newsroom's records failed: {}", cause(&e))),
        }
        let damaged = match self.damaged_versions() {
            Ok(damaged) => damaged,
            Err(e) => {
                // A damaged page stopped the scan: look at each version on
                // its own, so that every damaged one is listed.
                r.store_problem(format!("reading the stored versions in one pass failed: {}", cause(&e)));
                self.damaged_versions_one_by_one()
            }
        };
        let more = damaged.len().saturating_sub(MAX_LISTED);
        damaged.into_iter().take(MAX_LISTED).for_each(|p| r.store_problem(p));
        if more > 0 {
            r.store_problem(format!("{more} more damaged versions"));
        }
    }

    /// Every stored version that does not decode or does not match its
    /// content hash, in one pass over the versions.
    fn damaged_versions(&self) -> Result<Vec<String>> {
        let mut damaged = Vec::new();
        self.store.for_each_version(|id, seq, hash, blob| {
            let problem = match self.store.decode_cable(id, blob) {
                Ok(c) if content_hash(&c.raw_header, &c.raw_body)[..] == *hash => None,
                Ok(_) => Some(format!("{id} version {seq}: text does not match its content hash")),
                Err(e) => Some(format!("{id} version {seq}: {}", cause(&e))),
            };
            damaged.extend(problem);
        })?;
        Ok(damaged)
    }

    /// As [`Archive::damaged_versions`], one query per cable and version,
    /// so that a damaged page fails only the versions it holds.
    fn damaged_versions_one_by_one(&self) -> Vec<String> {
        let ids = match self.store.latest_versions() {
            Ok(ids) => ids,
            Err(e) => return vec![format!("the list of cables cannot be read: {}", cause(&e))],
        };
        let mut damaged = Vec::new();
        for (id, _) in ids {
            let versions = match self.store.versions(&id) {
                Ok(v) => v,
                Err(e) => {
                    damaged.push(format!("{id}: its versions cannot be read: {}", cause(&e)));
                    continue;
                }
            };
            for v in versions {
                match self.store.cable(&id, Some(v.seq)) {
                    Ok(c) if hex(&content_hash(&c.raw_header, &c.raw_body)) == v.content_hash => {}
                    Ok(_) => {
                        damaged.push(format!("{id} version {}: text does not match its content hash", v.seq))
                    }
                    Err(e) => damaged.push(format!("{id} version {}: {}", v.seq, cause(&e))),
                }
            }
        }
        damaged
    }

    fn check_index(&self, r: &mut CheckReport) -> Result<()> {
        let index = match self.index() {
            Ok(i) => i,
            // A writer killed as it created the archive leaves an empty store
            // and no index yet: nothing is missing from it, and the next
            // ingest creates the index.
            Err(_) if r.store_versions == 0 && !self.dir().join("index").join("meta.json").exists() => {
                return Ok(());
            }
            Err(e) => {
                r.index_problem(e);
                return Ok(());
            }
        };
        // A damaged file would be read as garbage below: report it alone.
        if !index_files_intact(index, r) {
            return Ok(());
        }
        r.index_docs = index.num_docs();
        r.index_watermark = match index.watermark() {
            Ok(w) => w,
            Err(e) => {
                r.index_problem(format!("its last commit cannot be read: {e}"));
                return Ok(());
            }
        };
        let writer_running = self.writer_running();
        if r.index_watermark < r.store_watermark {
            if writer_running {
                r.notes.push(format!(
                    "a writer is running: the index is at version {} of the store's {}; cables stored since are not searchable yet",
                    r.index_watermark, r.store_watermark
                ));
            } else {
                r.index_problem(format!(
                    "behind the store (indexed up to version {}, store at {}): run `demarche reindex` or ingest again",
                    r.index_watermark, r.store_watermark
                ));
            }
        }
        if r.store_damaged {
            return Ok(()); // the store's list of latest versions is not to be trusted
        }
        let store: BTreeMap<String, i64> = self.store.latest_versions()?.into_iter().collect();
        let indexed = match index.indexed_versions() {
            Ok(v) => v,
            Err(e) => {
                r.index_problem(format!("its documents cannot be read: {e}"));
                return Ok(());
            }
        };
        compare_index_with_store(r, &store, indexed, writer_running);
        Ok(())
    }

    pub(crate) fn store_file(&self) -> std::path::PathBuf {
        self.dir().join(crate::archive::STORE_FILE)
    }
}

/// What went wrong, in a check's words: SQLite's own message for SQLite
/// errors (the store's advice to run `check` is moot here).
fn cause(e: &Error) -> String {
    match e {
        Error::Store(e) => format!("SQLite: {e}"),
        e => e.to_string(),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Verifies the checksum of every file of the index's segments; reports
/// the damaged ones. Whether all are intact.
fn index_files_intact(index: &SearchIndex, r: &mut CheckReport) -> bool {
    match index.index().validate_checksum() {
        Ok(damaged) if damaged.is_empty() => true,
        Ok(damaged) => {
            let mut files: Vec<String> = damaged.iter().map(|p| p.display().to_string()).collect();
            files.sort();
            for f in files {
                r.index_problem(format!("file {f} does not match its checksum"));
            }
            false
        }
        Err(e) => {
            r.index_problem(format!("its files cannot be verified: {e}"));
            false
        }
    }
}

/// Reports every cable whose indexed version is not the store's latest.
fn compare_index_with_store(
    r: &mut CheckReport,
    store: &BTreeMap<String, i64>,
    indexed_versions: Vec<(String, i64)>,
    writer_running: bool,
) {
    // What a running writer stored after its last index commit is still to be indexed.
    let index_watermark = r.index_watermark;
    let pending = |id: &str| writer_running && store.get(id).is_some_and(|v| *v > index_watermark);
    let mut indexed: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for (id, v) in indexed_versions {
        indexed.entry(id).or_default().push(v);
    }
    let mut listed = 0usize;
    let mut push = |r: &mut CheckReport, p: String| {
        listed += 1;
        if listed <= MAX_LISTED {
            r.index_problem(p);
        }
    };
    for (id, v) in store {
        if pending(id) {
            continue;
        }
        match indexed.get(id).map(Vec::as_slice) {
            None => push(r, format!("{id} is missing")),
            Some([one]) if one == v => {}
            Some([one]) => push(r, format!("{id} indexes version id {one}, the store's latest is {v}")),
            Some(many) => push(r, format!("{id} is indexed {} times", many.len())),
        }
    }
    for id in indexed.keys() {
        if !store.contains_key(id) {
            push(r, format!("{id} is not in the store"));
        }
    }
    if listed > MAX_LISTED {
        r.index_problem(format!("{} more disagreements", listed - MAX_LISTED));
    }
}
