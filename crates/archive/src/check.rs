//! `check`: do the store and the index agree, and is the store intact?

use std::collections::BTreeMap;

use serde::Serialize;

use crate::store::content_hash;
use crate::{Archive, Result};

/// What `check` found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CheckReport {
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
    /// Everything wrong, one line each (empty when the archive is sound).
    pub problems: Vec<String>,
    /// Things to know that are not damage (a writer is running).
    pub notes: Vec<String>,
}

impl CheckReport {
    /// Whether nothing is wrong.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// At most this many problems of one kind are listed one by one.
const MAX_LISTED: usize = 50;

impl Archive {
    /// Verifies the archive: SQLite's own integrity check, every stored
    /// version decodes and matches its content hash, and the index holds
    /// exactly the latest version of every cable.
    pub fn check(&self) -> Result<CheckReport> {
        let mut r = CheckReport::default();
        for p in self.store.integrity_problems()? {
            r.problems.push(format!("store: {p}"));
        }
        r.store_cables = self.store.cable_count()?;
        r.store_versions = self.store.version_count()?;
        r.store_watermark = self.store.max_latest_version()?;

        let mut bad_versions = 0usize;
        self.store.for_each_version(|id, seq, hash, blob| {
            let problem = match self.store.decode_cable(id, blob) {
                Ok(c) if content_hash(&c.raw_header, &c.raw_body)[..] == *hash => None,
                Ok(_) => Some(format!("store: {id} version {seq}: text does not match its content hash")),
                Err(e) => Some(format!("store: {id} version {seq}: {e}")),
            };
            if let Some(p) = problem {
                bad_versions += 1;
                if bad_versions <= MAX_LISTED {
                    r.problems.push(p);
                }
            }
        })?;
        if bad_versions > MAX_LISTED {
            r.problems.push(format!("store: {} more damaged versions", bad_versions - MAX_LISTED));
        }

        let index = match self.index() {
            Ok(i) => i,
            Err(e) => {
                r.problems.push(format!("index: {e}"));
                return Ok(r);
            }
        };
        r.index_docs = index.num_docs();
        r.index_watermark = index.watermark()?;
        let writer_running = self.writer_running();
        if r.index_watermark < r.store_watermark {
            if writer_running {
                r.notes.push(format!(
                    "a writer is running: the index is at version {} of the store's {}; cables stored since are not searchable yet",
                    r.index_watermark, r.store_watermark
                ));
            } else {
                r.problems.push(format!(
                    "index: behind the store (indexed up to version {}, store at {}): run `demarche reindex` or ingest again",
                    r.index_watermark, r.store_watermark
                ));
            }
        }
        let store: BTreeMap<String, i64> = self.store.latest_versions()?.into_iter().collect();
        // What a running writer stored after its last index commit is still to be indexed.
        let index_watermark = r.index_watermark;
        let pending = |id: &str| writer_running && store.get(id).is_some_and(|v| *v > index_watermark);
        let mut indexed: BTreeMap<String, Vec<i64>> = BTreeMap::new();
        for (id, v) in index.indexed_versions()? {
            indexed.entry(id).or_default().push(v);
        }
        let mut listed = 0usize;
        let mut push = |r: &mut CheckReport, p: String| {
            listed += 1;
            if listed <= MAX_LISTED {
                r.problems.push(p);
            }
        };
        for (id, v) in &store {
            if pending(id) {
                continue;
            }
            match indexed.get(id).map(Vec::as_slice) {
                None => push(&mut r, format!("index: {id} is missing")),
                Some([one]) if one == v => {}
                Some([one]) => {
                    push(&mut r, format!("index: {id} indexes version id {one}, the store's latest is {v}"))
                }
                Some(many) => push(&mut r, format!("index: {id} is indexed {} times", many.len())),
            }
        }
        for id in indexed.keys() {
            if !store.contains_key(id) {
                push(&mut r, format!("index: {id} is not in the store"));
            }
        }
        if listed > MAX_LISTED {
            r.problems.push(format!("index: {} more disagreements", listed - MAX_LISTED));
        }
        Ok(r)
    }
}
