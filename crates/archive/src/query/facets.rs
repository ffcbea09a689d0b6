//! Facet counts from fast fields: the tag, origin, classification, caveat
//! and month columns of each segment are read once into plain arrays (the
//! values of each document as term ordinals, and the terms), kept in a
//! [`FacetCache`] while the segment lives; a search then counts ordinals in
//! an array per segment and names only the counted ones. (tantivy's
//! `FacetCollector` took about 10 µs a document: 12 ms of a 13 ms search.)

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// A faceted column of the index (a fast, raw string field).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FacetField {
    /// TAGS codes (`facet_tag`).
    Tag,
    /// Origin names (`facet_origin`).
    Origin,
    /// Classification levels (`facet_class`).
    Class,
    /// Caveats (`facet_caveat`).
    Caveat,
    /// Creation months, `YYYY-MM` (`facet_month`); years are summed from them.
    Month,
}

impl FacetField {
    /// Every faceted column.
    pub const ALL: [FacetField; 5] =
        [FacetField::Tag, FacetField::Origin, FacetField::Class, FacetField::Caveat, FacetField::Month];

    /// The index field name.
    pub fn field_name(self) -> &'static str {
        match self {
            FacetField::Tag => "facet_tag",
            FacetField::Origin => "facet_origin",
            FacetField::Class => "facet_class",
            FacetField::Caveat => "facet_caveat",
            FacetField::Month => "facet_month",
        }
    }
}

/// One faceted column of one segment, as arrays.
#[derive(Debug, Default)]
pub struct SegmentColumn {
    /// `ords[starts[doc]..starts[doc + 1]]` are the values of `doc`.
    starts: Vec<u32>,
    ords: Vec<u32>,
    /// The term of each ordinal.
    terms: Vec<String>,
}

impl SegmentColumn {
    fn read(segment: &SegmentReader, field: FacetField) -> tantivy::Result<SegmentColumn> {
        let Some(column) = segment.fast_fields().str(field.field_name())? else {
            return Ok(SegmentColumn {
                starts: vec![0; segment.max_doc() as usize + 1],
                ..Default::default()
            });
        };
        let mut starts = Vec::with_capacity(segment.max_doc() as usize + 1);
        let mut ords = Vec::new();
        for doc in 0..segment.max_doc() {
            starts.push(ords.len() as u32);
            ords.extend(column.term_ords(doc).map(|o| o as u32));
        }
        starts.push(ords.len() as u32);
        let mut terms = Vec::with_capacity(column.num_terms());
        let mut s = String::new();
        for ord in 0..column.num_terms() as u64 {
            let found = column.ord_to_str(ord, &mut s)?;
            terms.push(if found { s.clone() } else { String::new() });
        }
        Ok(SegmentColumn { starts, ords, terms })
    }

    fn values(&self, doc: DocId) -> &[u32] {
        let (a, b) = (self.starts.get(doc as usize), self.starts.get(doc as usize + 1));
        match (a, b) {
            (Some(&a), Some(&b)) => self.ords.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }
}

/// The faceted columns of the segments of an index, read once per segment
/// (segments never change; entries of merged-away segments are dropped).
#[derive(Debug, Default)]
pub struct FacetCache {
    columns: Mutex<HashMap<(SegmentId, FacetField), Arc<SegmentColumn>>>,
}

impl FacetCache {
    fn column(&self, segment: &SegmentReader, field: FacetField) -> tantivy::Result<Arc<SegmentColumn>> {
        let key = (segment.segment_id(), field);
        if let Some(c) = self.columns.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(c);
        }
        let column = Arc::new(SegmentColumn::read(segment, field)?);
        if let Ok(mut m) = self.columns.lock() {
            m.insert(key, column.clone());
        }
        Ok(column)
    }

    /// Forgets the columns of segments not in `live`.
    pub fn retain(&self, live: &[SegmentId]) {
        if let Ok(mut m) = self.columns.lock() {
            m.retain(|(id, _), _| live.contains(id));
        }
    }
}

/// Counts per value, for each asked column.
pub type FacetTally = HashMap<FacetField, HashMap<String, u64>>;

/// Counts the values of some faceted columns over the matching documents.
pub struct FacetCounter<'c> {
    fields: Vec<FacetField>,
    cache: &'c FacetCache,
}

impl<'c> FacetCounter<'c> {
    /// A counter of `fields` (each at most once), reading columns through `cache`.
    pub fn new(fields: &[FacetField], cache: &'c FacetCache) -> FacetCounter<'c> {
        let mut f = fields.to_vec();
        f.dedup();
        FacetCounter { fields: f, cache }
    }
}

/// The per-segment part: one column and one count array per field.
pub struct SegmentFacetCounter {
    columns: Vec<(FacetField, Arc<SegmentColumn>, Vec<u32>)>,
}

impl Collector for FacetCounter<'_> {
    type Fruit = FacetTally;
    type Child = SegmentFacetCounter;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentFacetCounter> {
        let mut columns = Vec::with_capacity(self.fields.len());
        for &f in &self.fields {
            let column = self.cache.column(segment, f)?;
            let terms = column.terms.len();
            columns.push((f, column, vec![0u32; terms]));
        }
        Ok(SegmentFacetCounter { columns })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetTally>) -> tantivy::Result<FacetTally> {
        let mut total = FacetTally::new();
        for fruit in fruits {
            for (field, counts) in fruit {
                let into = total.entry(field).or_default();
                for (value, n) in counts {
                    *into.entry(value).or_default() += n;
                }
            }
        }
        Ok(total)
    }
}

impl SegmentCollector for SegmentFacetCounter {
    type Fruit = FacetTally;

    fn collect(&mut self, doc: DocId, _: Score) {
        for (_, column, counts) in &mut self.columns {
            for &ord in column.values(doc) {
                if let Some(n) = counts.get_mut(ord as usize) {
                    *n += 1;
                }
            }
        }
    }

    fn harvest(self) -> FacetTally {
        let mut out = FacetTally::new();
        for (field, column, counts) in self.columns {
            let values = out.entry(field).or_default();
            for (ord, &n) in counts.iter().enumerate() {
                if let (true, Some(term)) = (n > 0, column.terms.get(ord)) {
                    *values.entry(term.clone()).or_default() += u64::from(n);
                }
            }
        }
        out
    }
}
