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
    // 5: the newsroom (`archive::newsroom`): accounts, their sessions and
    // API tokens (secrets stored as BLAKE3 hashes only), projects with
    // members, the cables collected in them, notes pinned to a paragraph of
    // a version, per-user stars and labels, saved searches and the cables
    // newly matching them, and an append-only audit log (triggers refuse
    // every UPDATE and DELETE of it).
    r#"
    CREATE TABLE users (
        id             INTEGER PRIMARY KEY,
        name           TEXT NOT NULL UNIQUE COLLATE NOCASE,
        role           TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'reader')),
        password_hash  TEXT NOT NULL,          -- argon2id, PHC string
        disabled       INTEGER NOT NULL DEFAULT 0,
        created_at     INTEGER NOT NULL
    );

    CREATE TABLE credentials (
        secret_hash  BLOB PRIMARY KEY,         -- BLAKE3 of the secret (session id or API token)
        user_id      INTEGER NOT NULL REFERENCES users (id),
        kind         TEXT NOT NULL CHECK (kind IN ('session', 'token')),
        csrf         TEXT,                     -- a session's CSRF token
        created_at   INTEGER NOT NULL,
        expires_at   INTEGER                   -- unix seconds; NULL: until revoked
    ) WITHOUT ROWID;
    CREATE INDEX credentials_user ON credentials (user_id);

    CREATE TABLE projects (
        id           INTEGER PRIMARY KEY,
        name         TEXT NOT NULL,
        description  TEXT NOT NULL DEFAULT '',
        created_by   INTEGER NOT NULL REFERENCES users (id),
        created_at   INTEGER NOT NULL
    );

    CREATE TABLE members (
        project_id  INTEGER NOT NULL REFERENCES projects (id),
        user_id     INTEGER NOT NULL REFERENCES users (id),
        role        TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'reader')),
        added_at    INTEGER NOT NULL,
        PRIMARY KEY (project_id, user_id)
    ) WITHOUT ROWID;
    CREATE INDEX members_user ON members (user_id);

    CREATE TABLE project_cables (
        project_id  INTEGER NOT NULL REFERENCES projects (id),
        cable_id    TEXT NOT NULL,             -- canonical id; a cable of the archive when added
        added_by    INTEGER NOT NULL REFERENCES users (id),
        added_at    INTEGER NOT NULL,
        PRIMARY KEY (project_id, cable_id)
    ) WITHOUT ROWID;

    CREATE TABLE notes (
        id              INTEGER PRIMARY KEY,
        project_id      INTEGER NOT NULL REFERENCES projects (id),
        cable_id        TEXT NOT NULL,
        version_id      INTEGER NOT NULL,      -- versions.version_id it was written on
        paragraph       INTEGER NOT NULL,      -- the paragraph number as written (0: before paragraph 1)
        paragraph_hash  TEXT NOT NULL,         -- hex BLAKE3 of that paragraph's text in that version
        text            TEXT NOT NULL,
        author_id       INTEGER NOT NULL REFERENCES users (id),
        created_at      INTEGER NOT NULL
    );
    CREATE INDEX notes_cable ON notes (cable_id);
    CREATE INDEX notes_project ON notes (project_id);

    CREATE TABLE stars (
        user_id     INTEGER NOT NULL REFERENCES users (id),
        cable_id    TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        PRIMARY KEY (user_id, cable_id)
    ) WITHOUT ROWID;

    CREATE TABLE labels (
        user_id     INTEGER NOT NULL REFERENCES users (id),
        label       TEXT NOT NULL COLLATE NOCASE,
        cable_id    TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        PRIMARY KEY (user_id, label, cable_id)
    ) WITHOUT ROWID;

    CREATE TABLE saved_searches (
        id               INTEGER PRIMARY KEY,
        project_id       INTEGER NOT NULL REFERENCES projects (id),
        user_id          INTEGER NOT NULL REFERENCES users (id),
        name             TEXT NOT NULL,
        query            TEXT NOT NULL,
        created_at       INTEGER NOT NULL,
        checked_version  INTEGER NOT NULL      -- versions up to this one were looked at
    );
    CREATE INDEX saved_searches_project ON saved_searches (project_id);

    CREATE TABLE alerts (
        id          INTEGER PRIMARY KEY,
        search_id   INTEGER NOT NULL REFERENCES saved_searches (id),
        cable_id    TEXT NOT NULL,
        version_id  INTEGER NOT NULL,          -- the new cable or new version that matched
        found_at    INTEGER NOT NULL,
        UNIQUE (search_id, version_id)
    );

    CREATE TABLE alerts_seen (
        user_id    INTEGER NOT NULL REFERENCES users (id),
        search_id  INTEGER NOT NULL REFERENCES saved_searches (id),
        seen       INTEGER NOT NULL,           -- the last alerts.id this user looked at
        PRIMARY KEY (user_id, search_id)
    ) WITHOUT ROWID;

    CREATE TABLE audit (
        id       INTEGER PRIMARY KEY,
        at       INTEGER NOT NULL,             -- unix seconds
        user_id  INTEGER,                      -- NULL: nobody signed in (a failed login)
        user     TEXT NOT NULL,                -- the name at the time ('' when nobody)
        client   TEXT NOT NULL,                -- address the request came from, or `cli`
        action   TEXT NOT NULL,                -- login, search, view, export, add-cables, ...
        target   TEXT NOT NULL,                -- what it was done to (cable id, project id, query)
        detail   TEXT NOT NULL
    );
    CREATE INDEX audit_user ON audit (user_id, at);
    CREATE INDEX audit_at ON audit (at);
    CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    "#,
];

/// The schema version this build creates and understands.
pub fn current_version() -> i64 {
    MIGRATIONS.len() as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    /// The tables, indexes and triggers of a store, as SQLite prints them.
    fn layout(path: &std::path::Path) -> Vec<String> {
        let conn = rusqlite::Connection::open(path).unwrap();
        let mut st = conn
            .prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
            .unwrap();
        st.query_map([], |r| {
            Ok(format!(
                "{} {}: {:?}",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    }

    /// A store left at each earlier schema version (as that release made
    /// it, with a value of its own) opens upgraded to this one: its value
    /// kept, its tables the same as a new store's, newsroom tables included.
    #[test]
    fn a_store_of_every_earlier_schema_is_upgraded_to_the_layout_of_a_new_one() {
        let dir = tempfile::tempdir().unwrap();
        let fresh = dir.path().join("fresh.sqlite");
        drop(Store::open(&fresh, true).unwrap());
        let want = layout(&fresh);
        assert!(want.iter().any(|t| t.starts_with("table audit:")), "{want:?}");
        for version in 1..current_version() {
            let path = dir.path().join(format!("v{version}.sqlite"));
            {
                let conn = rusqlite::Connection::open(&path).unwrap();
                for sql in &MIGRATIONS[..version as usize] {
                    conn.execute_batch(sql).unwrap();
                }
                conn.pragma_update(None, "user_version", version).unwrap();
                conn.execute("INSERT INTO meta (key, value) VALUES ('made-by', ?1)", [version.to_string()])
                    .unwrap();
            }
            assert!(Store::open(&path, false).is_err(), "v{version}: read-only opening does not migrate");
            let store = Store::open(&path, true).unwrap();
            assert_eq!(store.schema_version().unwrap(), current_version(), "v{version}");
            assert_eq!(store.meta("made-by").unwrap(), Some(version.to_string()), "v{version}: data kept");
            assert!(store.newsroom_problems().unwrap().is_empty(), "v{version}");
            drop(store);
            assert_eq!(layout(&path), want, "v{version} upgraded has the layout of a new store");
        }
    }
}
