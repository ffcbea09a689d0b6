//! The search index: tantivy, derived from the store and rebuildable from
//! it at any time (`demarche reindex`).
//!
//! One document per cable: its latest version. The commit payload records
//! the highest store version id indexed (the *watermark*), so a writer that
//! was killed between a store commit and an index commit is detected and
//! caught up on the next write, and `check` can tell.

pub mod analysis;

use std::path::Path;

use cable::Cable;
use tantivy::collector::DocSetCollector;
use tantivy::query::AllQuery;
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, Value, FAST, STORED,
    STRING,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::query::facets::{FacetCache, FacetField};
use crate::{Error, Result};

/// The fields of the index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Canonical id (raw, stored, fast).
    pub id: Field,
    /// Store version id of the indexed version (stored, fast).
    pub version: Field,
    /// Subject (folded words and their stems, positions: see [`analysis`]).
    pub subject: Field,
    /// Body: clean paragraph text (folded words and their stems, positions).
    pub body: Field,
    /// TAGS codes, upper case (raw).
    pub tag: Field,
    /// Origin name and station (folded words).
    pub origin: Field,
    /// Sender: FM line name, decoded name and routing indicator (tokenised).
    pub from: Field,
    /// Addressees, TO and INFO (tokenised).
    pub to: Field,
    /// Classification, lower case: level (`secret`) and full (`secret//noforn`) (raw).
    pub class: Field,
    /// Caveats, lower case (raw).
    pub caveat: Field,
    /// Cited cable ids (raw).
    pub cites: Field,
    /// Signer, lower case (raw).
    pub signer: Field,
    /// Created, unix seconds (indexed, fast).
    pub created: Field,
    /// Faceted columns (fast, raw strings; not searchable): TAGS codes.
    pub facet_tag: Field,
    /// Origin names.
    pub facet_origin: Field,
    /// Classification levels (as `class:` selects them).
    pub facet_class: Field,
    /// Caveat names.
    pub facet_caveat: Field,
    /// Creation month, `YYYY-MM`.
    pub facet_month: Field,
}

/// Builds the schema.
pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let analysed = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let text = analysed(analysis::FOLDED);
    let raw = STRING;
    let column = TextOptions::default().set_fast("raw");
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED | FAST),
        version: b.add_u64_field("version", NumericOptions::default().set_stored().set_fast().set_indexed()),
        subject: b.add_text_field("subject", text.clone()),
        // stored (tantivy's doc store, compressed in blocks): what snippets
        // are cut from, without decoding the stored cable
        body: b.add_text_field("body", text.clone().set_stored()),
        tag: b.add_text_field("tag", raw.clone()),
        origin: b.add_text_field("origin", text.clone()),
        from: b.add_text_field("from", text.clone()),
        to: b.add_text_field("to", text),
        class: b.add_text_field("class", raw.clone()),
        caveat: b.add_text_field("caveat", raw.clone()),
        cites: b.add_text_field("ref", raw.clone()),
        signer: b.add_text_field("signer", raw),
        created: b.add_i64_field("created", NumericOptions::default().set_indexed().set_fast()),
        facet_tag: b.add_text_field(FacetField::Tag.field_name(), column.clone()),
        facet_origin: b.add_text_field(FacetField::Origin.field_name(), column.clone()),
        facet_class: b.add_text_field(FacetField::Class.field_name(), column.clone()),
        facet_caveat: b.add_text_field(FacetField::Caveat.field_name(), column.clone()),
        facet_month: b.add_text_field(FacetField::Month.field_name(), column),
    };
    (b.build(), fields)
}

/// The clean text of a cable that is indexed as its body.
pub fn body_text(c: &Cable) -> String {
    c.clean_text()
}

/// The index of an archive.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    /// Faceted columns of the live segments, read once each.
    pub(crate) facet_cache: FacetCache,
    /// The forms of words queries looked up, for the segments searched.
    pub(crate) forms: crate::query::word_forms::FormsCache,
    /// Its fields.
    pub fields: Fields,
    /// The spelling groups learnt from it ([`crate::variants`]), kept beside it.
    pub variants: crate::variants::Variants,
}

/// The layout of the documents (which facets, which tokens). Bump it when
/// [`SearchIndex::document`] changes meaning without the schema changing:
/// indexes of another layout are rebuilt document by document.
pub const LAYOUT: u32 = 4;

/// The commit payload recording `watermark`, the highest store version id
/// indexed, under the current [`LAYOUT`].
pub fn payload(watermark: i64) -> String {
    format!("layout {LAYOUT} watermark {watermark}")
}

fn parse_payload(payload: &str) -> Option<i64> {
    let rest = payload.strip_prefix(&format!("layout {LAYOUT} watermark "))?;
    rest.parse().ok()
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it (empty) when absent.
    /// An index made by another demarche version (another schema) is
    /// deleted and created anew: it is derived data, and the caller (the
    /// writer) indexes every cable again.
    pub fn open_or_create(dir: &Path) -> Result<SearchIndex> {
        if SearchIndex::is_outdated(dir) {
            tracing::info!(dir = %dir.display(), "index made by another demarche version: rebuilding it");
            std::fs::remove_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        if !dir.join("meta.json").exists() {
            Index::create_in_dir(dir, schema().0)?;
        }
        SearchIndex::open(dir)
    }

    /// Whether `dir` holds a readable index of another schema (made by
    /// another demarche version).
    pub fn is_outdated(dir: &Path) -> bool {
        dir.join("meta.json").exists()
            && Index::open_in_dir(dir).is_ok_and(|index| index.schema() != schema().0)
    }

    /// Opens an existing index read-only.
    pub fn open(dir: &Path) -> Result<SearchIndex> {
        if !dir.join("meta.json").exists() {
            return Err(Error::Corrupt(format!(
                "the search index is missing at {}: run `demarche reindex`",
                dir.display()
            )));
        }
        let mut index = Index::open_in_dir(dir)?;
        analysis::register(&index);
        let (schema, fields) = schema();
        if index.schema() != schema {
            return Err(Error::Corrupt(format!(
                "index at {} has another schema (made by another demarche version): run `demarche reindex`",
                dir.display()
            )));
        }
        let reader = match index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into() {
            Ok(reader) => reader,
            // Read-only media or another user's index: read it without the lock file.
            Err(_) if !crate::archive::writable_dir(dir) => {
                let directory = tantivy::directory::MmapDirectory::open(dir)
                    .map_err(|e| Error::Corrupt(format!("the search index at {}: {e}", dir.display())))?;
                index = Index::open(ReadOnlyMedia(directory))?;
                analysis::register(&index);
                index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?
            }
            Err(e) => return Err(e.into()),
        };
        let variants = crate::variants::Variants::load(dir);
        Ok(SearchIndex {
            index,
            reader,
            facet_cache: FacetCache::default(),
            forms: Default::default(),
            fields,
            variants,
        })
    }

    /// The tantivy index.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// A searcher over the last commit.
    pub fn searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }

    /// Reloads the reader after a commit.
    pub fn reload(&self) -> Result<()> {
        self.reader.reload()?;
        let live: Vec<_> = self.searcher().segment_readers().iter().map(|s| s.segment_id()).collect();
        self.facet_cache.retain(&live);
        Ok(())
    }

    /// A writer (takes tantivy's own writer lock).
    pub fn writer(&self, heap_bytes: usize) -> Result<IndexWriter> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(4);
        match self.index.writer_with_num_threads(threads, heap_bytes.max(15_000_000 * threads)) {
            Ok(w) => Ok(w),
            Err(tantivy::TantivyError::LockFailure(..)) => Err(Error::Locked("search index".into())),
            Err(e) => Err(e.into()),
        }
    }

    /// The highest store version id indexed, from the last commit's payload.
    /// An index laid out by another demarche version (another
    /// [`LAYOUT`]) counts as holding nothing, so that opening the archive
    /// for writing re-indexes every cable.
    pub fn watermark(&self) -> Result<i64> {
        let metas = self.index.load_metas()?;
        Ok(metas.payload.as_deref().and_then(parse_payload).unwrap_or(0))
    }

    /// Number of documents (cables) in the last commit.
    pub fn num_docs(&self) -> u64 {
        self.searcher().num_docs()
    }

    /// Every indexed (id, version id) pair.
    pub fn indexed_versions(&self) -> Result<Vec<(String, i64)>> {
        let searcher = self.searcher();
        let docs = searcher.search(&AllQuery, &DocSetCollector)?;
        let mut out = Vec::with_capacity(docs.len());
        for addr in docs {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let id = doc.get_first(self.fields.id).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
            let version = doc.get_first(self.fields.version).and_then(|v| v.as_u64()).unwrap_or(0) as i64;
            out.push((id, version));
        }
        out.sort();
        Ok(out)
    }

    /// The term that identifies a cable's document.
    pub fn id_term(&self, id: &str) -> Term {
        Term::from_field_text(self.fields.id, id)
    }

    /// The document for a cable's latest version.
    pub fn document(&self, c: &Cable, version_id: i64) -> TantivyDocument {
        let f = &self.fields;
        let mut d = TantivyDocument::default();
        d.add_text(f.id, c.id.as_str());
        d.add_u64(f.version, version_id.max(0) as u64);
        d.add_text(f.subject, &c.subject);
        d.add_text(f.body, body_text(c));
        for t in &c.tags {
            d.add_text(f.tag, &t.code);
            d.add_text(f.facet_tag, &t.code);
        }
        // A country code read as another country's (`CN` as China, `CH`)
        // is found under that country's code too.
        for r in c.tags.iter().filter_map(|t| t.reading.as_ref()) {
            if !c.tags.iter().any(|t| t.code == r.code) {
                d.add_text(f.tag, &r.code);
                d.add_text(f.facet_tag, &r.code);
            }
        }
        d.add_text(f.origin, &c.origin);
        d.add_text(f.origin, c.id.station());
        if !c.origin.is_empty() {
            d.add_text(f.facet_origin, &c.origin);
        }
        if let Some(from) = &c.header.from {
            add_recipient(&mut d, f.from, from);
        }
        if let Some(o) = &c.header.originator {
            if let Some(dec) = &o.decoded {
                d.add_text(f.from, dec);
            }
        }
        for r in c.header.to.iter().chain(&c.header.info) {
            add_recipient(&mut d, f.to, r);
        }
        // The facet is the level, as `class:secret` selects the level:
        // counts and the searches they link to agree. Caveats are their own
        // facet, as `caveat:` is its own field.
        let level = c.classification.level.name();
        d.add_text(f.class, level.to_lowercase());
        d.add_text(f.class, c.classification.to_string().to_lowercase());
        d.add_text(f.facet_class, level);
        for cv in &c.caveats {
            d.add_text(f.caveat, caveat_token(cv.name()));
            d.add_text(f.facet_caveat, cv.name());
        }
        for id in c.cited_ids() {
            d.add_text(f.cites, id.as_str());
        }
        if let Some(s) = &c.signer {
            d.add_text(f.signer, s.to_lowercase());
        }
        if let Some(t) = c.created {
            d.add_i64(f.created, t.unix_seconds());
            let date = t.date();
            d.add_text(f.facet_month, format!("{:04}-{:02}", date.year(), date.month()));
        }
        d
    }
}

/// The indexed form of a caveat: lower case without spaces
/// (`forofficialuseonly`), as `caveat:` queries are read.
pub fn caveat_token(name: &str) -> String {
    let squeezed: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    match cable::Caveat::from_word(&squeezed) {
        Some(c) => c.name().chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase(),
        None => squeezed.to_lowercase(),
    }
}

fn add_recipient(d: &mut TantivyDocument, field: Field, r: &cable::Recipient) {
    d.add_text(field, &r.name);
    if let Some(dec) = &r.decoded {
        if dec != &r.name {
            d.add_text(field, dec);
        }
    }
    if let Some(ri) = &r.routing_indicator {
        d.add_text(field, ri);
    }
}

/// An index directory this process cannot write (read-only media, another
/// user's archive). tantivy's reader takes a lock file (opened for writing)
/// while it opens segments, so that no writer's garbage collection deletes
/// them meanwhile; where nothing can write, that lock is needless, and
/// taking it would fail: it is granted without a file.
#[derive(Debug, Clone)]
struct ReadOnlyMedia(tantivy::directory::MmapDirectory);

impl tantivy::Directory for ReadOnlyMedia {
    fn get_file_handle(
        &self,
        path: &Path,
    ) -> std::result::Result<
        std::sync::Arc<dyn tantivy::directory::FileHandle>,
        tantivy::directory::error::OpenReadError,
    > {
        self.0.get_file_handle(path)
    }
    fn delete(&self, path: &Path) -> std::result::Result<(), tantivy::directory::error::DeleteError> {
        self.0.delete(path)
    }
    fn exists(&self, path: &Path) -> std::result::Result<bool, tantivy::directory::error::OpenReadError> {
        self.0.exists(path)
    }
    fn open_write(
        &self,
        path: &Path,
    ) -> std::result::Result<tantivy::directory::WritePtr, tantivy::directory::error::OpenWriteError> {
        self.0.open_write(path)
    }
    fn atomic_read(
        &self,
        path: &Path,
    ) -> std::result::Result<Vec<u8>, tantivy::directory::error::OpenReadError> {
        self.0.atomic_read(path)
    }
    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        self.0.atomic_write(path, data)
    }
    fn sync_directory(&self) -> std::io::Result<()> {
        self.0.sync_directory()
    }
    fn acquire_lock(
        &self,
        _lock: &tantivy::directory::Lock,
    ) -> std::result::Result<tantivy::directory::DirectoryLock, tantivy::directory::error::LockError> {
        Ok(tantivy::directory::DirectoryLock::from(Box::new(())))
    }
    fn watch(
        &self,
        callback: tantivy::directory::WatchCallback,
    ) -> tantivy::Result<tantivy::directory::WatchHandle> {
        self.0.watch(callback)
    }
}
