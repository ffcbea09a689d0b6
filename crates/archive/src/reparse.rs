//! Reparsing: every stored version decoded again from the raw text it
//! keeps, by this build's parser. An archive ingested by an older demarche
//! gets what the parser has learnt since (signers, summaries, recipients,
//! references without a year...) without reading its sources again.
//!
//! A version is raw text plus source metadata; its parse is derived from
//! them ([`cable::Parser::reparse`]). Reparsing never changes a version's
//! text, hash, number or metadata columns: only the stored parse, the
//! derived rows of latest versions (REF edges, tags) and their index
//! documents. Work is committed in batches; a reparse killed midway leaves
//! every version either parsed the old way or the new way, both readable,
//! and running it again finishes the job.

use cable::Parser;

use crate::store::Incoming;
use crate::{Archive, Result};

/// Versions rewritten per transaction.
const BATCH: usize = 1_000;

/// What a reparse did.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReparseReport {
    /// Versions read.
    pub versions: u64,
    /// Versions whose parse changed (and was rewritten).
    pub changed: u64,
    /// Cables whose latest version changed, reindexed.
    pub reindexed: u64,
    /// Versions this parser cannot decode (kept as they were), with why.
    pub failed: Vec<String>,
}

impl Archive {
    /// Decodes every stored version again with `parser` and keeps the new
    /// parse where it differs (see the module doc). `progress` is called
    /// with the number of versions read so far.
    pub fn reparse(&mut self, parser: &Parser, progress: &mut dyn FnMut(u64)) -> Result<ReparseReport> {
        self.require_writable()?;
        let mut report = ReparseReport::default();
        let encoder = self.store.encoder()?;
        let all = self.store.version_list()?;
        let mut batch: Vec<(i64, bool, Incoming)> = Vec::new();
        let mut reindex: Vec<String> = Vec::new();
        for (n, v) in all.iter().enumerate() {
            let old = self.store.cable(&v.cable_id, Some(v.seq))?;
            match parser.reparse(&old) {
                Ok(new) if new == old => {}
                Ok(new) => {
                    if v.latest {
                        reindex.push(v.cable_id.clone());
                    }
                    let inc = Incoming::new(new, String::new(), encoder.as_ref())?;
                    batch.push((v.version_id, v.latest, inc));
                }
                Err(e) => report.failed.push(format!("{} version {}: {e}", v.cable_id, v.seq)),
            }
            report.versions += 1;
            if batch.len() >= BATCH {
                report.changed += self.store.rewrite_parses(&batch)?;
                batch.clear();
            }
            if n % 1_000 == 999 {
                progress(report.versions);
            }
        }
        report.changed += self.store.rewrite_parses(&batch)?;
        progress(report.versions);
        if self.index.is_some() && !reindex.is_empty() {
            let watermark = self.index()?.watermark()?;
            self.reindex_cables(&reindex, watermark)?;
            self.refresh_variants()?;
        }
        report.reindexed = reindex.len() as u64;
        Ok(report)
    }
}
