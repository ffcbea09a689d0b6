//! Which cable a reference means: the REF graph as the archive resolves it.
//!
//! A reference that names its year (`08 STATE 134777`) means that cable. One
//! that names none (`REF: STATE 134777`) was given the citing cable's year by
//! the parser, which is wrong when a January reply cites a December request:
//! early in a year the edge keeps the year before as a second candidate
//! (`edges.alt_dst`, [`Cable::year_before`]), and reading picks the nearest
//! earlier cable the archive holds: the citing cable's year when that cable
//! exists and is not younger than the citing one, else the year before when
//! that one exists.

use cable::{Cable, RefId};
use rusqlite::OptionalExtension;

use super::Store;
use crate::Result;

/// A cable another cites, as the archive resolves the reference.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CitedCable {
    /// The cited cable's canonical id.
    pub id: String,
    /// Whether the archive holds it.
    pub present: bool,
    /// The reference names no year: the year of `id` was inferred (the
    /// citing cable's own, or the year before; see the module doc), and
    /// the page says so.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub year_inferred: bool,
}

/// One edge of a cable's REF list, before resolution.
pub(super) struct Edge<'c> {
    /// The cited id the parser read.
    pub dst: &'c RefId,
    /// The year-before candidate ([`Cable::year_before`]).
    pub alt: Option<RefId>,
    /// The reference names no year.
    pub year_inferred: bool,
}

/// The edges a cable's REF list gives: each cited id once, in order.
pub(super) fn edges_of(c: &Cable) -> Vec<Edge<'_>> {
    let mut out: Vec<Edge<'_>> = Vec::new();
    for r in &c.references {
        let Some(id) = &r.cable else { continue };
        match out.iter_mut().find(|e| e.dst == id) {
            // Written once with its year and once without: the year stands.
            Some(e) => {
                if !r.year_inferred {
                    e.alt = None;
                    e.year_inferred = false;
                }
            }
            None => out.push(Edge { dst: id, alt: c.year_before(r), year_inferred: r.year_inferred }),
        }
    }
    out
}

impl Store {
    /// The cables `c` cites (any version of any cable, stored or not), in
    /// order, each resolved and marked present or not.
    pub fn cited(&self, c: &Cable) -> Result<Vec<CitedCable>> {
        let created = c.created.map(|d| d.unix_seconds());
        edges_of(c)
            .into_iter()
            .map(|e| {
                let (id, present) =
                    self.resolve(created, e.dst.as_str(), e.alt.as_ref().map(RefId::as_str))?;
                Ok(CitedCable { id, present, year_inferred: e.year_inferred })
            })
            .collect()
    }

    /// Every id cited by a REF whose year is written (not inferred), held
    /// or not, sorted, without repeats: what an estimate of a station's
    /// traffic counts as seen.
    pub fn cited_ids(&self) -> Result<Vec<String>> {
        let mut st =
            self.conn.prepare("SELECT DISTINCT dst FROM edges WHERE alt_dst IS NULL ORDER BY dst")?;
        let rows = st.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Ids a cable cites (its latest version's REF list), in order, resolved.
    pub fn cites(&self, id: &str) -> Result<Vec<String>> {
        let created = self.created_of(id)?.flatten();
        let mut st =
            self.conn.prepare_cached("SELECT dst, alt_dst FROM edges WHERE src = ?1 ORDER BY ordinal")?;
        let rows = st.query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (dst, alt) = row?;
            out.push(self.resolve(created, &dst, alt.as_deref())?.0);
        }
        Ok(out)
    }

    /// Cables whose latest version cites `id` (as resolved), sorted.
    pub fn cited_by(&self, id: &str) -> Result<Vec<String>> {
        let mut st = self.conn.prepare_cached(
            "SELECT src, dst, alt_dst FROM edges WHERE dst = ?1
             UNION ALL SELECT src, dst, alt_dst FROM edges WHERE alt_dst = ?1",
        )?;
        let rows = st.query_map([id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (src, dst, alt) = row?;
            let means = match alt {
                None => dst,
                Some(alt) => self.resolve(self.created_of(&src)?.flatten(), &dst, Some(&alt))?.0,
            };
            if means == id {
                out.push(src);
            }
        }
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// The cable an edge means and whether the archive holds it: `dst`,
    /// unless the reference named no year and `dst` is missing or younger
    /// than the citing cable while `alt` (the year before) is held.
    fn resolve(&self, citing_created: Option<i64>, dst: &str, alt: Option<&str>) -> Result<(String, bool)> {
        let dst_created = self.created_of(dst)?;
        let Some(alt) = alt else { return Ok((dst.to_owned(), dst_created.is_some())) };
        let dst_fits = match (dst_created, citing_created) {
            (None, _) => false,
            (Some(Some(cited)), Some(citing)) => cited <= citing,
            (Some(_), _) => true, // a date unknown: nothing says it is younger
        };
        if !dst_fits && self.created_of(alt)?.is_some() {
            return Ok((alt.to_owned(), true));
        }
        Ok((dst.to_owned(), dst_created.is_some()))
    }

    /// `None` when the archive does not hold the cable, else its latest
    /// version's creation time (unix seconds) when known.
    fn created_of(&self, id: &str) -> Result<Option<Option<i64>>> {
        let mut st = self.conn.prepare_cached(
            "SELECT v.created FROM cables c JOIN versions v ON v.version_id = c.latest_version WHERE c.id = ?1",
        )?;
        Ok(st.query_row([id], |r| r.get::<_, Option<i64>>(0)).optional()?)
    }
}

impl Store {
    /// Every cable's country tags (latest versions), by cable id.
    pub fn all_country_tags(&self) -> Result<std::collections::HashMap<String, Vec<String>>> {
        let mut st = self
            .conn
            .prepare("SELECT cable_id, code FROM tags WHERE kind = 'country' ORDER BY cable_id, ordinal")?;
        let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
        for row in rows {
            let (id, code) = row?;
            out.entry(id).or_default().push(code);
        }
        Ok(out)
    }
}
