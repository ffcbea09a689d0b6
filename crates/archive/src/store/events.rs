//! The `events` table (schema version 2): dated events about countries.

use rusqlite::params;

use super::Store;
use crate::events::{Event, EventDate, EventKind, NewEvent};
use crate::{Error, Result};

impl Store {
    /// Stores events in one transaction, skipping those already stored (same
    /// treaty, country, date, event and source; treaty and event without
    /// regard to case). Returns how many were new.
    pub fn insert_events(&mut self, events: &[NewEvent], imported_at: i64) -> Result<usize> {
        let tx = self.conn.transaction()?;
        let mut new = 0;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO events (treaty, country, date, event, source, kind, country_as_written, \
                 imported_from, line, imported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) \
                 ON CONFLICT DO NOTHING",
            )?;
            for e in events {
                new += insert.execute(params![
                    e.treaty,
                    e.country.code,
                    e.date.to_string(),
                    e.event,
                    e.source,
                    e.kind.name(),
                    e.country_as_written,
                    e.file,
                    e.line as i64,
                    imported_at,
                ])?;
            }
        }
        tx.commit()?;
        Ok(new)
    }

    /// Stored events, of one treaty (without regard to case) and one country
    /// (TAGS code) when given; by treaty, date, country and id.
    pub fn events(&self, treaty: Option<&str>, country: Option<&str>) -> Result<Vec<Event>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, treaty, country, date, event, source, kind, country_as_written, imported_from, line \
             FROM events WHERE (?1 IS NULL OR treaty = ?1) AND (?2 IS NULL OR country = ?2) \
             ORDER BY treaty, date, country, id",
        )?;
        let rows = st.query_map(params![treaty, country], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, String>(8)?,
                r.get::<_, i64>(9)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, treaty, code, date, event, source, kind, as_written, imported_from, line) = row?;
            let bad = |what: &str| Error::Corrupt(format!("event {id}: {what}"));
            let country = cable::country::country_by_code(&code)
                .copied()
                .ok_or_else(|| bad(&format!("unknown country code {code:?}")))?;
            let date = EventDate::parse(&date).ok_or_else(|| bad(&format!("bad date {date:?}")))?;
            let kind = EventKind::from_name(&kind).ok_or_else(|| bad(&format!("unknown kind {kind:?}")))?;
            out.push(Event {
                id,
                country,
                country_as_written: as_written,
                date,
                kind,
                event,
                treaty,
                source,
                imported_from,
                line: line.max(0) as u64,
            });
        }
        Ok(out)
    }

    /// The treaties of the stored events with their number of events, by name.
    pub fn treaties(&self) -> Result<Vec<(String, u64)>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT min(treaty), count(*) FROM events GROUP BY treaty ORDER BY treaty")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A store made by schema version 1 (the first release) opens, upgraded,
    /// with its data, and then holds events.
    #[test]
    fn a_version_1_store_is_upgraded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.sqlite");
        {
            let conn = rusqlite::Connection::open(&path).unwrap();
            conn.execute_batch(crate::store::schema::MIGRATIONS[0]).unwrap();
            conn.pragma_update(None, "user_version", 1).unwrap();
            conn.execute("INSERT INTO meta (key, value) VALUES ('k', 'v')", []).unwrap();
        }
        assert!(Store::open(&path, false).is_err(), "read-only opening does not migrate");
        let mut store = Store::open(&path, true).unwrap();
        assert_eq!(store.schema_version().unwrap(), crate::store::schema::current_version());
        assert_eq!(store.meta("k").unwrap().as_deref(), Some("v"));
        let (events, errors, _) = crate::events::parse_events(
            "t.csv",
            "country,date,event,treaty,source\nAF,2011-09-08,Ratification,CCM,s\n",
        )
        .unwrap();
        assert!(errors.is_empty());
        assert_eq!(store.insert_events(&events, 0).unwrap(), 1);
        assert_eq!(store.insert_events(&events, 0).unwrap(), 0, "idempotent");
        let stored = store.events(Some("ccm"), None).unwrap();
        assert_eq!(stored.len(), 1);
        assert_eq!((stored[0].country.code, stored[0].kind), ("AF", EventKind::Ratification));
        assert_eq!(store.treaties().unwrap(), [("CCM".to_owned(), 1)]);
    }
}
