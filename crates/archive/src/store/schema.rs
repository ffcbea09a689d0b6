//! Versioned schema migrations of the SQLite store.
//!
//! `PRAGMA user_version` holds the schema version. Each migration runs in
//! one transaction; an archive made by a newer demarche is refused rather
//! than misread.

/// Migrations in order: migration `i` takes the schema from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 1: cables, every version of each, and what the latest version says
    // (reference graph, tags, recipients) for fast lookups (recipients
    // dropped by migration 3).
    r#"
    CREATE TABLE cables (
        id              TEXT PRIMARY KEY,      -- canonical cable id (08STATE134777)
        latest_version  INTEGER NOT NULL,      -- versions.version_id of the current version
        version_count   INTEGER NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE versions (
        version_id      INTEGER PRIMARY KEY,   -- increasing in ingest order
        cable_id        TEXT NOT NULL,
        seq             INTEGER NOT NULL,      -- 1, 2, ... within the cable
        content_hash    BLOB NOT NULL,         -- BLAKE3 of the normalised header and body
        published_id    TEXT NOT NULL,         -- id as the source wrote it
        source_path     TEXT NOT NULL,         -- file (and record) it was read from
        source_format   TEXT NOT NULL,
        created         INTEGER,               -- unix seconds, UTC
        released        INTEGER,
        ingested_at     INTEGER NOT NULL,
        classification  TEXT NOT NULL,
        origin          TEXT NOT NULL,
        subject         TEXT NOT NULL,
        cable           BLOB NOT NULL,         -- zstd-compressed JSON of the parsed cable
        UNIQUE (cable_id, content_hash),
        UNIQUE (cable_id, seq)
    );

    CREATE TABLE edges (
        src      TEXT NOT NULL,                -- citing cable
        ordinal  INTEGER NOT NULL,             -- position in its REF list
        dst      TEXT NOT NULL,                -- cited cable id, whether or not it is in the archive
        PRIMARY KEY (src, ordinal)
    ) WITHOUT ROWID;
    CREATE INDEX edges_dst ON edges (dst);

    CREATE TABLE tags (
        cable_id TEXT NOT NULL,
        ordinal  INTEGER NOT NULL,
        code     TEXT NOT NULL,
        kind     TEXT NOT NULL,
        PRIMARY KEY (cable_id, ordinal)
    ) WITHOUT ROWID;
    CREATE INDEX tags_code ON tags (code);

    CREATE TABLE recipients (
        cable_id           TEXT NOT NULL,
        ordinal            INTEGER NOT NULL,
        role               TEXT NOT NULL,      -- from, to, info
        routing_indicator  TEXT,
        name               TEXT NOT NULL,
        decoded            TEXT,
        PRIMARY KEY (cable_id, ordinal)
    ) WITHOUT ROWID;

    CREATE TABLE meta (
        key    TEXT PRIMARY KEY,
        value  TEXT NOT NULL
    ) WITHOUT ROWID;
    "#,
    // 2: dated events about countries (treaty signatures, ratifications...),
    // imported from CSV files by `demarche events import`.
    r#"
    CREATE TABLE events (
        id                  INTEGER PRIMARY KEY,
        treaty              TEXT NOT NULL COLLATE NOCASE, -- as written (Convention on Cluster Munitions)
        country             TEXT NOT NULL,     -- TAGS code, the preferred one of its country (AF, UK, AE)
        date                TEXT NOT NULL,     -- YYYY-MM-DD, or YYYY-MM when the day is not known
        event               TEXT NOT NULL COLLATE NOCASE, -- as written (Ratification)
        source              TEXT NOT NULL,     -- where it is recorded (URL, document)
        kind                TEXT NOT NULL,     -- signature, ratification, accession, ... other
        country_as_written  TEXT NOT NULL,     -- the file's country value (Afghanistan, AF, AFG)
        imported_from       TEXT NOT NULL,     -- file of the first import
        line                INTEGER NOT NULL,  -- its line there
        imported_at         INTEGER NOT NULL,  -- unix seconds
        UNIQUE (treaty, country, date, event, source)
    );
    CREATE INDEX events_country ON events (country, date);
    "#,
    // 3: zstd dictionaries the stored cables are compressed with (each
    // compressed cable names the one it needs). The recipients table goes:
    // nothing read it, the header (with every recipient) is in the stored
    // cable, and it was 7% of the store and a third of the rows ingest wrote.
    // So does the index of tags by code, which no query used (searches by
    // tag go through the search index): 2% of the store.
    r#"
    CREATE TABLE dictionaries (
        id          INTEGER PRIMARY KEY,       -- zstd dictionary id, as written in each frame
        created_at  INTEGER NOT NULL,          -- unix seconds
        samples     INTEGER NOT NULL,          -- cables it was trained on
        dict        BLOB NOT NULL
    );
    DROP TABLE recipients;
    DROP INDEX tags_code;
    "#,
    // 4: a REF that names no year (`REF: STATE 134777`) may mean the year
    // before the citing cable's (a January reply to a December request):
    // the edge keeps that candidate, and reading resolves which is meant
    // (`store::cited`). Filled for cables stored or reparsed from now on.
    r#"
    ALTER TABLE edges ADD COLUMN alt_dst TEXT;
    CREATE INDEX edges_alt_dst ON edges (alt_dst) WHERE alt_dst IS NOT NULL;
    "#,
];

/// The schema version this build creates and understands.
pub fn current_version() -> i64 {
    MIGRATIONS.len() as i64
}
