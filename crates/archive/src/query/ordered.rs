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
fn ids_of(searcher: &Searcher, docs: &[DocAddress]) -> Result<Vec<String>> {
    let mut columns = Vec::with_capacity(searcher.segment_readers().len());
    for segment in searcher.segment_readers() {
        columns.push(
            segment
                .fast_fields()
                .str("id")?
                .ok_or_else(|| Error::Corrupt("the index has no id column: run `demarche reindex`".into()))?,
        );
    }
    let mut ids = Vec::with_capacity(docs.len());
    let mut buf = String::new();
    for d in docs {
        let column = &columns[d.segment_ord as usize];
        if let Some(ord) = column.term_ords(d.doc_id).next() {
            column.ord_to_str(ord, &mut buf).map_err(|e| Error::io("index id column", e))?;
            ids.push(buf.clone());
        }
    }
    Ok(ids)
}
