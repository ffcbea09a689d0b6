//! The store: the system of record. Every version of every cable, the
//! reference graph, tags and recipients, in one SQLite database.

mod cited;
pub mod codec;
mod events;
pub mod schema;

use std::path::Path;

use cable::{Cable, RefId};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};

use crate::{Error, Result};

pub use cited::CitedCable;

/// A content hash: BLAKE3 of a cable's normalised header and body.
pub type ContentHash = [u8; 32];

/// The hash that decides whether two texts are the same version: lines with
/// trailing white space removed, CRLF as LF, blank lines at either end
/// dropped, header and body separated by a NUL. Metadata (release date,
/// source format) does not make a new version; a changed word does.
pub fn content_hash(raw_header: &str, raw_body: &str) -> ContentHash {
    thread_local! {
        static NORMALISED: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    // The normalised text is built whole and hashed in one call: BLAKE3
    // hashes a contiguous buffer several times faster than line by line
    // (17.5 -> 9.2 us for the corpus's 10 KB cables), and the hash is the same.
    NORMALISED.with(|cell| {
        let mut out = cell.borrow_mut();
        out.clear();
        normalise(raw_header, raw_body, |bytes| out.extend_from_slice(bytes));
        *blake3::hash(&out).as_bytes()
    })
}

/// Passes the normalised text that [`content_hash`] hashes to `emit`, a
/// piece at a time.
fn normalise(raw_header: &str, raw_body: &str, mut emit: impl FnMut(&[u8])) {
    for (i, part) in [raw_header, raw_body].iter().enumerate() {
        if i > 0 {
            emit(b"\0");
        }
        let mut pending_blank = 0usize;
        let mut started = false;
        for line in part.lines() {
            let line = line.trim_end();
            if line.is_empty() {
                pending_blank += 1;
                continue;
            }
            if started {
                for _ in 0..=pending_blank {
                    emit(b"\n");
                }
            }
            pending_blank = 0;
            started = true;
            emit(line.as_bytes());
        }
    }
}

/// Lower-case hex of a hash.
pub fn hex(hash: &[u8]) -> String {
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

/// One stored version of a cable (without its decoded body).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VersionInfo {
    /// Global version number (increasing in ingest order).
    pub version_id: i64,
    /// The canonical cable id.
    pub cable_id: String,
    /// Version number within the cable: 1, 2, ...
    pub seq: u32,
    /// Content hash, hex.
    pub content_hash: String,
    /// The id as the source wrote it.
    pub published_id: String,
    /// Where it was read from.
    pub source_path: String,
    /// Source format name.
    pub source_format: String,
    /// Created, unix seconds.
    pub created: Option<i64>,
    /// Released, unix seconds.
    pub released: Option<i64>,
    /// When it was ingested, unix seconds.
    pub ingested_at: i64,
    /// Classification as printed.
    pub classification: String,
    /// Origin as the source names it.
    pub origin: String,
    /// Subject.
    pub subject: String,
}

/// A stored version, as [`Store::version_list`] lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredVersion {
    /// Global version number.
    pub version_id: i64,
    /// The canonical cable id.
    pub cable_id: String,
    /// Version number within the cable: 1, 2, ...
    pub seq: u32,
    /// Whether it is its cable's latest version.
    pub latest: bool,
}

/// What storing one parsed cable did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PutOutcome {
    /// A cable not seen before.
    New,
    /// A known cable with different content: a new version (its number).
    NewVersion(u32),
    /// Exactly this content is already stored.
    Unchanged,
}

/// What storing a batch did.
#[derive(Debug, Default)]
pub struct BatchOutcome {
    /// For each cable of the batch, in order, what storing it did.
    pub outcomes: Vec<PutOutcome>,
    /// Cables that got a new latest version: position in the batch and version id.
    pub changed: Vec<(usize, i64)>,
}

/// A parsed cable on its way into the store.
pub struct Incoming {
    /// The cable.
    pub cable: Cable,
    /// Where it came from (file, and record for CSV).
    pub source_path: String,
    /// Its content hash.
    pub hash: ContentHash,
    /// The cable encoded for storage: see [`codec::compress_cable`].
    pub blob: Vec<u8>,
}

/// Refuses stored text that does not match its version's content hash: a
/// cable damaged in the database is an error naming it, never other text.
fn check_hash(id: &str, raw_header: &str, raw_body: &str, hash: &[u8]) -> Result<()> {
    if content_hash(raw_header, raw_body)[..] != hash[..] {
        return Err(Error::Corrupt(format!(
            "{id}: stored text does not match its content hash: the database is damaged \
             (`demarche check` lists what is affected)"
        )));
    }
    Ok(())
}

/// The raw text of a cable: what the second frame of a stored cable holds.
#[derive(serde::Serialize, serde::Deserialize)]
struct RawText<S> {
    raw_header: S,
    raw_body: S,
}

impl Incoming {
    /// Hashes and encodes a cable for storage (done on the parser threads,
    /// so that the single writer only writes), compressed with the
    /// archive's dictionary when it has one.
    pub fn new(mut cable: Cable, source_path: String, encoder: Option<&codec::Encoder>) -> Result<Incoming> {
        let hash = content_hash(&cable.raw_header, &cable.raw_body);
        // The parsed form without the raw text (taken out for a moment, so
        // that it is written once, in the second frame).
        let raw = RawText {
            raw_header: std::mem::take(&mut cable.raw_header),
            raw_body: std::mem::take(&mut cable.raw_body),
        };
        let parsed = serde_json::to_vec(&cable);
        let raw_json = serde_json::to_vec(&raw);
        (cable.raw_header, cable.raw_body) = (raw.raw_header, raw.raw_body);
        let cannot = |e: serde_json::Error| Error::Corrupt(format!("{}: cannot encode: {e}", cable.id));
        let (parsed, raw_json) = (parsed.map_err(cannot)?, raw_json.map_err(cannot)?);
        let blob = codec::compress_cable(&parsed, &raw_json, encoder).map_err(|e| Error::io("zstd", e))?;
        Ok(Incoming { cable, source_path, hash, blob })
    }

    /// The JSON of the cable's parsed part (the first frame), decompressed
    /// again: what a dictionary is trained on.
    pub fn json(&self) -> Result<Vec<u8>> {
        let (parsed, _) = codec::split(&self.blob).map_err(|e| Error::io("zstd", e))?;
        codec::decompress(parsed, &codec::Decoders::default()).map_err(|e| Error::io("zstd", e))
    }

    /// Compresses the cable's parsed part again with `encoder`, unless it
    /// already is. The raw part is kept: its dictionary, the parsed part's
    /// content, does not change.
    pub fn recompress(&mut self, encoder: &codec::Encoder) -> Result<()> {
        if zstd::zstd_safe::get_dict_id_from_frame(&self.blob).map(|d| d.get()) != Some(encoder.id()) {
            let json = self.json()?;
            let (_, raw) = codec::split(&self.blob).map_err(|e| Error::io("zstd", e))?;
            let mut blob = codec::compress(&json, Some(encoder)).map_err(|e| Error::io("zstd", e))?;
            blob.extend_from_slice(raw.unwrap_or_default());
            self.blob = blob;
        }
        Ok(())
    }
}

/// The SQLite store.
pub struct Store {
    conn: Connection,
    /// The archive's compression dictionaries.
    decoders: codec::Decoders,
}

const VERSION_COLUMNS: &str =
    "version_id, cable_id, seq, content_hash, published_id, source_path, source_format, \
     created, released, ingested_at, classification, origin, subject";

fn version_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<VersionInfo> {
    let hash: Vec<u8> = r.get(3)?;
    Ok(VersionInfo {
        version_id: r.get(0)?,
        cable_id: r.get(1)?,
        seq: r.get(2)?,
        content_hash: hex(&hash),
        published_id: r.get(4)?,
        source_path: r.get(5)?,
        source_format: r.get(6)?,
        created: r.get(7)?,
        released: r.get(8)?,
        ingested_at: r.get(9)?,
        classification: r.get(10)?,
        origin: r.get(11)?,
        subject: r.get(12)?,
    })
}

impl Store {
    /// Opens (creating and migrating when `writable`) the database at `path`.
    pub fn open(path: &Path, writable: bool) -> Result<Store> {
        let flags = if writable {
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE
        } else {
            OpenFlags::SQLITE_OPEN_READ_ONLY
        } | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        if writable {
            // 64 KiB pages for a new database (an existing one keeps its
            // own): a stored cable is ~3.5 KB, and 4 KiB pages held one each
            // and left 18% of the versions table empty (VACUUMed copies of a
            // 20,000-cable store: 98 MB at 4 KiB, 93 MB at 16 KiB, 86 MB at
            // 64 KiB). Must come before WAL mode creates the file.
            conn.pragma_update(None, "page_size", 65_536)?;
            // WAL: readers never block the writer; a killed writer loses at
            // most its open transaction.
            conn.pragma_update(None, "journal_mode", "WAL")?;
            // Checkpoint every ~64 MB of WAL (in pages of the database's size).
            let page_size: i64 = conn.pragma_query_value(None, "page_size", |r| r.get(0))?;
            conn.pragma_update(None, "wal_autocheckpoint", (64 << 20) / page_size.max(512))?;
            conn.pragma_update(None, "synchronous", "NORMAL")?;
            // 64 MB of page cache (the default is 2 MB): ingest updates
            // several B-trees at random keys, which at Cablegate scale
            // outgrow a small cache and turn every insert into page reads.
            conn.pragma_update(None, "cache_size", -65_536)?;
        } else {
            // 16 MB (the default is 2 MB): a server holds a few read
            // handles, each reading stored cables for every page of hits
            // (measured on the serve benchmark: 1,712 -> 1,955 search req/s).
            conn.pragma_update(None, "cache_size", -16_384)?;
        }
        let mut store = Store { conn, decoders: codec::Decoders::default() };
        store.migrate(writable)?;
        store.load_dictionaries()?;
        Ok(store)
    }

    fn migrate(&mut self, writable: bool) -> Result<()> {
        let found: i64 = self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let supported = schema::current_version();
        if found > supported {
            return Err(Error::SchemaTooNew { found, supported });
        }
        if found == supported {
            return Ok(());
        }
        if !writable {
            return Err(Error::Corrupt(format!(
                "store schema version {found} needs migrating to {supported}: open the archive for writing (ingest) once"
            )));
        }
        for (v, sql) in schema::MIGRATIONS.iter().enumerate().skip(found as usize) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", (v + 1) as i64)?;
            tx.commit()?;
        }
        Ok(())
    }

    fn load_dictionaries(&mut self) -> Result<()> {
        let mut st = self.conn.prepare("SELECT id, dict FROM dictionaries ORDER BY id")?;
        let rows = st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))?;
        for row in rows {
            let (id, dict) = row?;
            self.decoders
                .add(&dict)
                .map_err(|e| Error::Corrupt(format!("store: compression dictionary {id} is damaged: {e}")))?;
        }
        Ok(())
    }

    /// The dictionary new cables are compressed with: the newest one, if any.
    pub fn encoder(&self) -> Result<Option<codec::Encoder>> {
        let dict: Option<Vec<u8>> = self
            .conn
            .query_row(
                "SELECT dict FROM dictionaries ORDER BY created_at DESC, rowid DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        dict.map(|d| {
            codec::Encoder::new(&d)
                .map_err(|e| Error::Corrupt(format!("store: compression dictionary is damaged: {e}")))
        })
        .transpose()
    }

    /// Trains a dictionary on these cables' JSON and keeps it; `None` when
    /// there are too few to train on (or it is an id the archive already has).
    pub fn train_dictionary(&mut self, samples: &[Vec<u8>], now: i64) -> Result<Option<codec::Encoder>> {
        let Some(dict) = codec::train(samples) else { return Ok(None) };
        let encoder = codec::Encoder::new(&dict).map_err(|e| Error::io("zstd dictionary", e))?;
        let inserted = self.conn.execute(
            "INSERT OR IGNORE INTO dictionaries (id, created_at, samples, dict) VALUES (?1, ?2, ?3, ?4)",
            params![encoder.id(), now, samples.len().min(codec::MAX_TRAINING_SAMPLES) as i64, dict],
        )?;
        if inserted == 0 {
            return Ok(None);
        }
        self.decoders.add(&dict).map_err(|e| Error::io("zstd dictionary", e))?;
        Ok(Some(encoder))
    }

    /// Decodes a stored cable (both its parts).
    pub fn decode_cable(&self, id: &str, blob: &[u8]) -> Result<Cable> {
        let (parsed, raw) = self.decode_parsed_json(id, blob)?;
        let mut cable: Cable = serde_json::from_slice(&parsed)
            .map_err(|e| Error::Corrupt(format!("{id}: stored cable does not decode: {e}")))?;
        if let Some(frame) = raw {
            let json = codec::decompress_raw(frame, &parsed)
                .map_err(|e| Error::Corrupt(format!("{id}: stored raw text does not decompress: {e}")))?;
            let raw: RawText<String> = serde_json::from_slice(&json)
                .map_err(|e| Error::Corrupt(format!("{id}: stored raw text does not decode: {e}")))?;
            (cable.raw_header, cable.raw_body) = (raw.raw_header, raw.raw_body);
        }
        Ok(cable)
    }

    /// The JSON of a stored cable's parsed part, and its raw frame when it
    /// has one (a cable stored in one frame gives its whole JSON here).
    fn decode_parsed_json<'b>(&self, id: &str, blob: &'b [u8]) -> Result<(Vec<u8>, Option<&'b [u8]>)> {
        let undecodable =
            |e: std::io::Error| Error::Corrupt(format!("{id}: stored cable does not decompress: {e}"));
        let (parsed, raw) = codec::split(blob).map_err(undecodable)?;
        Ok((codec::decompress(parsed, &self.decoders).map_err(undecodable)?, raw))
    }

    /// Whether the database at `path` was made by an older schema and needs
    /// migrating (opening it for writing does that).
    pub fn needs_migration(path: &Path) -> Result<bool> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        Ok(found < schema::current_version())
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// Stores a batch in one transaction: all of it or none of it.
    /// Returns, for each cable, what storing it did, and for each cable that
    /// got a new latest version its position in the batch and version id.
    pub fn put_batch(&mut self, batch: &[Incoming], ingested_at: i64) -> Result<BatchOutcome> {
        let tx = self.conn.transaction()?;
        let mut outcomes = Vec::with_capacity(batch.len());
        let mut changed: Vec<(usize, i64)> = Vec::new();
        {
            let mut find_hash =
                tx.prepare_cached("SELECT 1 FROM versions WHERE cable_id = ?1 AND content_hash = ?2")?;
            let mut find_cable = tx.prepare_cached("SELECT version_count FROM cables WHERE id = ?1")?;
            let mut insert_version = tx.prepare_cached(
                "INSERT INTO versions (cable_id, seq, content_hash, published_id, source_path, source_format, created, \
                 released, ingested_at, classification, origin, subject, cable) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )?;
            let mut upsert_cable = tx.prepare_cached(
                "INSERT INTO cables (id, latest_version, version_count) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (id) DO UPDATE SET latest_version = excluded.latest_version, version_count = excluded.version_count",
            )?;
            for (i, inc) in batch.iter().enumerate() {
                let c = &inc.cable;
                let id = c.id.as_str();
                let hash = inc.hash;
                if find_hash.exists(params![id, &hash[..]])? {
                    outcomes.push(PutOutcome::Unchanged);
                    continue;
                }
                let count: Option<u32> = find_cable.query_row([id], |r| r.get(0)).optional()?;
                let seq = count.unwrap_or(0) + 1;
                insert_version.execute(params![
                    id,
                    seq,
                    &hash[..],
                    c.published_id,
                    inc.source_path,
                    c.format.name(),
                    c.created.map(|d| d.unix_seconds()),
                    c.released.map(|d| d.unix_seconds()),
                    ingested_at,
                    c.classification.to_string(),
                    c.origin,
                    c.subject,
                    inc.blob,
                ])?;
                let version_id = tx.last_insert_rowid();
                upsert_cable.execute(params![id, version_id, seq])?;
                replace_derived(&tx, c)?;
                outcomes.push(if seq == 1 { PutOutcome::New } else { PutOutcome::NewVersion(seq) });
                changed.push((i, version_id));
            }
        }
        tx.commit()?;
        Ok(BatchOutcome { outcomes, changed })
    }

    /// Number of cables (distinct ids).
    pub fn cable_count(&self) -> Result<u64> {
        Ok(self.conn.query_row("SELECT count(*) FROM cables", [], |r| r.get::<_, i64>(0))? as u64)
    }

    /// Number of stored versions.
    pub fn version_count(&self) -> Result<u64> {
        Ok(self.conn.query_row("SELECT count(*) FROM versions", [], |r| r.get::<_, i64>(0))? as u64)
    }

    /// Highest version id that is some cable's latest version (0 when empty).
    pub fn max_latest_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("SELECT coalesce(max(latest_version), 0) FROM cables", [], |r| r.get(0))?)
    }

    /// Whether a cable is in the archive.
    pub fn contains(&self, id: &str) -> Result<bool> {
        Ok(self.conn.prepare_cached("SELECT 1 FROM cables WHERE id = ?1")?.exists([id])?)
    }

    /// The versions of a cable, oldest first.
    pub fn versions(&self, id: &str) -> Result<Vec<VersionInfo>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {VERSION_COLUMNS} FROM versions WHERE cable_id = ?1 ORDER BY seq"
        ))?;
        let rows = st.query_map([id], version_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The latest version's summary of a cable.
    pub fn latest_info(&self, id: &str) -> Result<Option<VersionInfo>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {VERSION_COLUMNS} FROM versions WHERE version_id = (SELECT latest_version FROM cables WHERE id = ?1)"
        ))?;
        Ok(st.query_row([id], version_from_row).optional()?)
    }

    /// The latest versions of several cables, by id, in one statement (a
    /// page of search hits); ids not in the store are absent from the map.
    pub fn latest_infos(&self, ids: &[&str]) -> Result<std::collections::HashMap<String, VersionInfo>> {
        let mut out = std::collections::HashMap::with_capacity(ids.len());
        // SQLite allows 32,766 parameters; pages are far smaller, but stay safe
        for chunk in ids.chunks(1_000) {
            let marks = vec!["?"; chunk.len()].join(",");
            let mut st = self.conn.prepare_cached(&format!(
                "SELECT {VERSION_COLUMNS} FROM versions WHERE version_id IN \
                 (SELECT latest_version FROM cables WHERE id IN ({marks}))"
            ))?;
            let rows = st.query_map(rusqlite::params_from_iter(chunk.iter()), version_from_row)?;
            for row in rows {
                let info = row?;
                out.insert(info.cable_id.clone(), info);
            }
        }
        Ok(out)
    }

    /// The decoded cable of a version (`seq` 1, 2, ...; `None` for the latest).
    ///
    /// Its raw text is checked against the version's content hash: a cable
    /// damaged in the database is an error naming it, never other text.
    pub fn cable(&self, id: &str, seq: Option<u32>) -> Result<Cable> {
        let read = |r: &rusqlite::Row<'_>| Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, Vec<u8>>(1)?));
        let stored = match seq {
            None => self
                .conn
                .prepare_cached(
                    "SELECT cable, content_hash FROM versions \
                     WHERE version_id = (SELECT latest_version FROM cables WHERE id = ?1)",
                )?
                .query_row([id], read)
                .optional()?,
            Some(s) => self
                .conn
                .prepare_cached("SELECT cable, content_hash FROM versions WHERE cable_id = ?1 AND seq = ?2")?
                .query_row(params![id, s], read)
                .optional()?,
        };
        match (stored, seq) {
            (Some((blob, hash)), _) => {
                let cable = self.decode_cable(id, &blob)?;
                check_hash(id, &cable.raw_header, &cable.raw_body, &hash)?;
                Ok(cable)
            }
            (None, None) => Err(Error::CableNotFound(id.to_owned())),
            (None, Some(version)) => {
                let count = self.versions(id)?.len() as u32;
                if count == 0 {
                    Err(Error::CableNotFound(id.to_owned()))
                } else {
                    Err(Error::VersionNotFound { id: id.to_owned(), version, count })
                }
            }
        }
    }

    /// The text of version `seq` of a cable as published: its routing
    /// header and body, exactly as stored (checked against the version's
    /// content hash), without decoding the rest of the cable: what an
    /// export of texts reads.
    pub fn published_text(&self, id: &str, seq: u32) -> Result<(String, String)> {
        let stored = self
            .conn
            .prepare_cached("SELECT cable, content_hash FROM versions WHERE cable_id = ?1 AND seq = ?2")?
            .query_row(params![id, seq], |r| Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, Vec<u8>>(1)?)))
            .optional()?;
        let Some((blob, hash)) = stored else {
            return Err(Error::VersionNotFound {
                id: id.to_owned(),
                version: seq,
                count: self.versions(id)?.len() as u32,
            });
        };
        let (parsed, raw) = self.decode_parsed_json(id, &blob)?;
        let json = match raw {
            Some(frame) => codec::decompress_raw(frame, &parsed)
                .map_err(|e| Error::Corrupt(format!("{id}: stored raw text does not decompress: {e}")))?,
            // Stored in one frame: the raw text is among the cable's fields.
            None => parsed,
        };
        let raw: RawText<String> = serde_json::from_slice(&json)
            .map_err(|e| Error::Corrupt(format!("{id}: stored raw text does not decode: {e}")))?;
        check_hash(id, &raw.raw_header, &raw.raw_body, &hash)?;
        Ok((raw.raw_header, raw.raw_body))
    }

    /// Decodes the latest version of a cable into a type that reads only some
    /// of [`Cable`]'s fields (a `serde::Deserialize` struct with fields of the
    /// same names), other than the raw header and body: only the stored
    /// cable's first part is decompressed and parsed (a little over half of
    /// it), which makes this much faster than [`Store::cable`].
    pub fn latest_as<T: serde::de::DeserializeOwned>(&self, id: &str) -> Result<T> {
        let mut st = self.conn.prepare_cached(
            "SELECT cable FROM versions WHERE version_id = (SELECT latest_version FROM cables WHERE id = ?1)",
        )?;
        let mut rows = st.query([id])?;
        let row = rows.next()?.ok_or_else(|| Error::CableNotFound(id.to_owned()))?;
        // Read in place: the blob is not copied out of SQLite's page.
        let blob = row.get_ref(0)?.as_blob().map_err(rusqlite::Error::from)?;
        let (json, _) = self.decode_parsed_json(id, blob)?;
        serde_json::from_slice(&json)
            .map_err(|e| Error::Corrupt(format!("{id}: stored cable does not decode: {e}")))
    }

    /// The clean text of a cable's latest version (its paragraphs joined, as
    /// indexed), decoding only that part of the stored cable.
    pub fn latest_text(&self, id: &str) -> Result<String> {
        #[derive(serde::Deserialize)]
        struct Para {
            text: String,
        }
        #[derive(serde::Deserialize)]
        struct Paras {
            paragraphs: Vec<Para>,
        }
        let p: Paras = self.latest_as(id)?;
        // Joined exactly as `Cable::clean_text` joins them for the index.
        let mut out = String::new();
        for para in p.paragraphs {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(&para.text);
        }
        Ok(out)
    }

    /// Every stored version, in ingest order: id, number, and whether it is
    /// its cable's latest.
    pub fn version_list(&self) -> Result<Vec<StoredVersion>> {
        let mut st = self.conn.prepare(
            "SELECT v.version_id, v.cable_id, v.seq, v.version_id = c.latest_version \
             FROM versions v JOIN cables c ON c.id = v.cable_id ORDER BY v.version_id",
        )?;
        let rows = st.query_map([], |r| {
            Ok(StoredVersion {
                version_id: r.get(0)?,
                cable_id: r.get(1)?,
                seq: r.get(2)?,
                latest: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Replaces the stored parse of versions (given by version id, whether
    /// each is its cable's latest, and the cable encoded anew) in one
    /// transaction; a latest version's derived rows (edges, tags) follow.
    /// The text is the same (its hash is checked): only the parse changes.
    /// Returns the number rewritten.
    pub fn rewrite_parses(&mut self, batch: &[(i64, bool, Incoming)]) -> Result<u64> {
        if batch.is_empty() {
            return Ok(0);
        }
        let tx = self.conn.transaction()?;
        {
            let mut update = tx.prepare_cached(
                "UPDATE versions SET cable = ?2 WHERE version_id = ?1 AND content_hash = ?3",
            )?;
            for (version_id, latest, inc) in batch {
                if update.execute(params![version_id, inc.blob, &inc.hash[..]])? != 1 {
                    return Err(Error::Corrupt(format!(
                        "{}: version {version_id} is not the text reparsed (its hash differs)",
                        inc.cable.id
                    )));
                }
                if *latest {
                    replace_derived(&tx, &inc.cable)?;
                }
            }
        }
        tx.commit()?;
        Ok(batch.len() as u64)
    }

    /// Every cable id with its latest version id, sorted by id.
    pub fn latest_versions(&self) -> Result<Vec<(String, i64)>> {
        let mut st = self.conn.prepare("SELECT id, latest_version FROM cables ORDER BY id")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Ids of cables whose latest version is newer than `version_id`.
    pub fn changed_since(&self, version_id: i64) -> Result<Vec<String>> {
        let mut st =
            self.conn.prepare("SELECT id FROM cables WHERE latest_version > ?1 ORDER BY latest_version")?;
        let rows = st.query_map([version_id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Visits every stored version: id, seq, stored hash and compressed cable.
    pub fn for_each_version(&self, mut f: impl FnMut(&str, u32, &[u8], &[u8])) -> Result<()> {
        let mut st = self
            .conn
            .prepare("SELECT cable_id, seq, content_hash, cable FROM versions ORDER BY version_id")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let seq: u32 = r.get(1)?;
            let hash = r.get_ref(2)?.as_blob().map_err(rusqlite::Error::from)?;
            let blob = r.get_ref(3)?.as_blob().map_err(rusqlite::Error::from)?;
            f(&id, seq, hash, blob);
        }
        Ok(())
    }

    /// SQLite's own consistency check (`PRAGMA quick_check`): the problems it reports.
    pub fn integrity_problems(&self) -> Result<Vec<String>> {
        let mut st = self.conn.prepare("PRAGMA quick_check")?;
        let rows = st.query_map([], |r| r.get::<_, String>(0))?;
        let msgs: Vec<String> = rows.collect::<rusqlite::Result<_>>()?;
        Ok(msgs.into_iter().filter(|m| m != "ok").collect())
    }

    /// What is wrong with the newsroom's records: rows pointing at an
    /// account, project, cable or version that is not there (each a line;
    /// empty when all hold).
    pub fn newsroom_problems(&self) -> Result<Vec<String>> {
        if self.schema_version()? < 5 {
            return Ok(Vec::new());
        }
        const CHECKS: [(&str, &str); 4] = [
            (
                "note {} is on cable {} version id {}, which the store does not hold",
                "SELECT n.id, n.cable_id, n.version_id FROM notes n \
                 WHERE NOT EXISTS (SELECT 1 FROM versions v WHERE v.version_id = n.version_id AND v.cable_id = n.cable_id)",
            ),
            (
                "project {} collects cable {}, which the store does not hold{}",
                "SELECT project_id, cable_id, '' FROM project_cables c WHERE NOT EXISTS (SELECT 1 FROM cables WHERE id = c.cable_id)",
            ),
            (
                "{} row {} points at a missing {}",
                "SELECT f.\"table\", f.rowid, f.parent FROM pragma_foreign_key_check() f",
            ),
            (
                "saved search {} ({}) belongs to project {}, which does not exist",
                "SELECT s.id, s.name, s.project_id FROM saved_searches s WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = s.project_id)",
            ),
        ];
        let mut out = Vec::new();
        for (message, sql) in CHECKS {
            let mut st = self.conn.prepare(sql)?;
            let rows = st.query_map([], |r| {
                let cell = |i: usize| -> rusqlite::Result<String> {
                    Ok(match r.get_ref(i)? {
                        rusqlite::types::ValueRef::Null => "NULL".to_owned(),
                        rusqlite::types::ValueRef::Integer(n) => n.to_string(),
                        rusqlite::types::ValueRef::Real(x) => x.to_string(),
                        rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => {
                            String::from_utf8_lossy(t).into_owned()
                        }
                    })
                };
                let mut text = message.to_owned();
                for i in 0..3 {
                    text = text.replacen("{}", &cell(i)?, 1);
                }
                Ok(text)
            })?;
            for row in rows {
                out.push(row?);
            }
        }
        Ok(out)
    }

    /// A value of the `meta` table.
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self.conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }

    /// Sets a value of the `meta` table.
    pub fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    /// Of these ids, those the archive holds.
    pub fn present(&self, ids: &[&str]) -> Result<Vec<bool>> {
        let mut st = self.conn.prepare_cached("SELECT 1 FROM cables WHERE id = ?1")?;
        ids.iter().map(|id| Ok(st.exists([id])?)).collect()
    }
}

/// Replaces the derived rows (edges, tags) of a cable with those
/// of its new latest version.
fn replace_derived(tx: &rusqlite::Transaction<'_>, c: &Cable) -> Result<()> {
    let id = c.id.as_str();
    tx.prepare_cached("DELETE FROM edges WHERE src = ?1")?.execute([id])?;
    tx.prepare_cached("DELETE FROM tags WHERE cable_id = ?1")?.execute([id])?;
    let mut edge =
        tx.prepare_cached("INSERT INTO edges (src, ordinal, dst, alt_dst) VALUES (?1, ?2, ?3, ?4)")?;
    for (i, e) in cited::edges_of(c).iter().enumerate() {
        edge.execute(params![id, i as i64, e.dst.as_str(), e.alt.as_ref().map(RefId::as_str)])?;
    }
    let mut tag =
        tx.prepare_cached("INSERT INTO tags (cable_id, ordinal, code, kind) VALUES (?1, ?2, ?3, ?4)")?;
    for (i, t) in c.tags.iter().enumerate() {
        let kind =
            serde_json::to_value(t.kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        tag.execute(params![id, i as i64, t.code, kind])?;
    }
    Ok(())
}

/// Parses a user-supplied cable id into its canonical form, as a bad request when it is not one.
pub fn canonical_id(text: &str) -> Result<RefId> {
    RefId::parse(text.trim()).map_err(|e| Error::BadRequest(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hash_is_the_line_by_line_hash_stored_archives_hold() {
        // Versions were hashed piece by piece, as the text was normalised,
        // before it was hashed whole: every stored hash was made that way,
        // so the two must never differ.
        fn line_by_line(raw_header: &str, raw_body: &str) -> ContentHash {
            let mut h = blake3::Hasher::new();
            normalise(raw_header, raw_body, |bytes| {
                h.update(bytes);
            });
            *h.finalize().as_bytes()
        }
        let long = "1. (C) SUMMARY: the demarche was delivered.  \r\n".repeat(400);
        let cases = [
            ("", ""),
            ("FM SECSTATE WASHDC", ""),
            ("", "BODY"),
            ("\n\nA\n\n\nB\n\n", "\r\n C \u{3000}\r\n\r\n\r\nD\u{a0}"),
            ("R 291800Z DEC 08\nFM SECSTATE WASHDC\nTO AMEMBASSY KABUL", long.as_str()),
            ("tab\t\n\t\n", "\u{2028}x\ry\n"),
        ];
        for (header, body) in cases {
            assert_eq!(content_hash(header, body), line_by_line(header, body), "{header:?} / {body:?}");
        }
    }

    #[test]
    fn content_hash_ignores_trailing_blanks_but_not_words() {
        let a = content_hash("FM X\n", "LINE ONE  \r\nLINE TWO\n\n");
        let b = content_hash("FM X", "LINE ONE\nLINE TWO");
        let c = content_hash("FM X", "LINE ONE\nLINE 2");
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(content_hash("A", "B"), content_hash("", "A\nB"));
    }
}
