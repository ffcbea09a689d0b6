//! Every hit of a search in the order its pages give them, without paging:
//! what a whole export streams. Only document addresses and the id column
//! are read (a few bytes a hit), never a stored document, so that the ids
//! of all 251,287 cables of an archive fit in a few megabytes.

use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::collector::{Count, TopDocs};
use tantivy::{DocAddress, Order, Searcher};

use super::{guard, translate_request, PrivateScope, SearchRequest, Sort};
use crate::{Archive, Error, Result};

impl Archive {
    /// The ids of every cable matching `req`'s query, in `req`'s order
    /// (relevance, or date; ties by store version as on the search's pages),
    /// for the person `scope` speaks for. `req`'s page, size, facets and
    /// snippets are ignored.
    pub fn ordered_ids_scoped(
        &self,
        req: &SearchRequest,
        scope: Option<&dyn PrivateScope>,
    ) -> Result<Vec<String>> {
        guard::guarded(|| {
            let index = self.index()?;
            let searcher = index.searcher();
            let (_, _, query) = translate_request(index, &searcher, req, scope)?;
            let total = searcher.search(&query, &Count)?;
            if total == 0 {
                return Ok(Vec::new());
            }
            let all = TopDocs::with_limit(total);
            let by_id = (SortByStaticFastValue::<u64>::for_field("version"), Order::Asc);
            let docs: Vec<DocAddress> = match req.sort {
                Sort::Relevance => searcher
                    .search(&query, &all.order_by(((SortBySimilarityScore, Order::Desc), by_id)))?
                    .into_iter()
                    .map(|(_, a)| a)
                    .collect(),
                Sort::DateDesc | Sort::DateAsc => {
                    let order = if req.sort == Sort::DateDesc { Order::Desc } else { Order::Asc };
                    let by_date = (SortByStaticFastValue::<i64>::for_field("created"), order);
                    searcher
                        .search(&query, &all.order_by((by_date, by_id)))?
                        .into_iter()
                        .map(|(_, a)| a)
                        .collect()
                }
            };
            ids_of(&searcher, &docs)
        })
    }
}

/// The canonical ids of documents, in their order, from the id column.
///
/// The column's dictionary is read in order, once a segment: looking each
/// id up on its own decodes a dictionary block every time, some 20 us a
/// cable (5 s for all of Cablegate); read in order it is a few ms.
pub(crate) fn ids_of(searcher: &Searcher, docs: &[DocAddress]) -> Result<Vec<String>> {
    // Per segment: (term ordinal, position in `docs`).
    let mut wanted: Vec<Vec<(u64, usize)>> = vec![Vec::new(); searcher.segment_readers().len()];
    let mut columns = Vec::with_capacity(wanted.len());
    for segment in searcher.segment_readers() {
        columns.push(
            segment
                .fast_fields()
                .str("id")?
                .ok_or_else(|| Error::Corrupt("the index has no id column: run `demarche reindex`".into()))?,
        );
    }
    for (at, d) in docs.iter().enumerate() {
        if let Some(ord) = columns[d.segment_ord as usize].term_ords(d.doc_id).next() {
            wanted[d.segment_ord as usize].push((ord, at));
        }
    }
    let mut ids: Vec<Option<String>> = vec![None; docs.len()];
    for (column, mut wanted) in columns.iter().zip(wanted) {
        wanted.sort_unstable();
        let ords: Vec<u64> = wanted.iter().map(|&(ord, _)| ord).collect();
        let mut places = wanted.iter().map(|&(_, at)| at);
        let mut bad = false;
        let complete = column
            .dictionary()
            .sorted_ords_to_term_cb(&ords, |term| match (places.next(), std::str::from_utf8(term)) {
                (Some(at), Ok(id)) => ids[at] = Some(id.to_owned()),
                _ => bad = true,
            })
            .map_err(|e| Error::io("index id column", e))?;
        if bad || !complete {
            return Err(Error::Corrupt("the index's id column is damaged: run `demarche reindex`".into()));
        }
    }
    Ok(ids.into_iter().flatten().collect())
}
