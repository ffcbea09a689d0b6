//! `tantivy-raw`: the engine demarche is built on, with nothing of
//! demarche around it. The peers' data (the same subject and clean text)
//! in a minimal tantivy index (the default tokenizer: words lowercased, no
//! stemming), queried with tantivy's own query parser: top 10 by BM25 and
//! the exact count, facets by tantivy's terms aggregation, no snippets, no
//! stored text read. Every run shows how far demarche is from its engine.

use std::io::BufRead;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use tantivy::aggregation::{AggContextParams, AggregationCollector, AggregationLimitsGuard};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING,
};
use tantivy::{doc, DocAddress, Index, IndexReader, Score, TantivyDocument, Term};

use crate::mix::{EngineRun, Filter, Mix, MixQuery, QueryRun, Repeat};

/// The index's fields.
struct Fields {
    id: Field,
    subject: Field,
    text: Field,
    tag: Field,
    origin: Field,
    class: Field,
    created: Field,
    year: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let words = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("default")
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let value = || STRING | TextOptions::default().set_fast("raw");
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        subject: b.add_text_field("subject", words.clone()),
        text: b.add_text_field("text", words),
        tag: b.add_text_field("tag", value()),
        origin: b.add_text_field("origin", value()),
        class: b.add_text_field("class", value()),
        created: b.add_i64_field("created", NumericOptions::default().set_indexed().set_fast()),
        year: b.add_u64_field("year", NumericOptions::default().set_fast()),
    };
    (b.build(), fields)
}

/// `YYYY-MM-DD` as the number `YYYYMMDD` (0 when there is no date).
fn date_number(date: &str) -> i64 {
    date.replace('-', "").parse().unwrap_or(0)
}

/// Loads the peers' JSON lines into a fresh index at `dir` and runs the mix.
pub fn run(data: &Path, dir: &Path, mix: &Mix, repeat: Repeat) -> Result<EngineRun> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    std::fs::create_dir_all(dir)?;
    let (schema, f) = schema();
    let started = Instant::now();
    let index = Index::create_in_dir(dir, schema)?;
    let mut writer = index.writer::<TantivyDocument>(512 << 20)?;
    let input = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(data)?);
    let mut cables = 0;
    for (n, line) in input.lines().enumerate() {
        let line = line?;
        let c: serde_json::Value =
            serde_json::from_str(&line).with_context(|| format!("{}: line {}", data.display(), n + 1))?;
        let s = |k: &str| c[k].as_str().unwrap_or("").to_owned();
        let created = date_number(&s("created"));
        let mut d = doc!(
            f.id => s("id"),
            f.subject => s("subject"),
            f.text => s("text"),
            f.origin => s("origin"),
            f.class => s("classification"),
            f.created => created,
            f.year => (created / 10_000) as u64,
        );
        for t in c["tags"].as_array().into_iter().flatten().filter_map(|t| t.as_str()) {
            d.add_text(f.tag, t);
        }
        writer.add_document(d)?;
        cables += 1;
    }
    writer.commit()?;
    let merging: Vec<_> = index.searchable_segment_ids()?;
    if merging.len() > 1 {
        writer.merge(&merging).wait()?;
    }
    writer.wait_merging_threads()?;
    let load_seconds = started.elapsed().as_secs_f64();
    let reader = index.reader()?;
    let mut queries = Vec::new();
    for q in &mix.queries {
        queries.push(run_query(&index, &reader, &f, q, repeat)?);
    }
    Ok(EngineRun {
        engine: "tantivy-raw".into(),
        version: "tantivy 0.27 (this program)".into(),
        cables,
        load_seconds: Some(load_seconds),
        disk_bytes: Some(crate::process::disk_size(dir)),
        load_peak_rss_bytes: None,
        notes: vec![
            "tantivy-raw: the peers' data in a minimal tantivy index in this program (default tokenizer, subject and text with positions, tags, origin, classification, date and year as fast fields; merged into one segment after the load); tantivy's query parser; top 10 by BM25 + Count, facets by the terms aggregation; no snippets, no stored text; load from the peers' JSON lines, not the raw CSV".into(),
        ],
        queries,
    })
}

/// The mix query as tantivy's parser reads it (its own form, else the
/// Xapian form: the same syntax), with its filter as term and range clauses.
fn query(index: &Index, f: &Fields, q: &MixQuery) -> Result<Option<Box<dyn Query>>> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if let Some(text) = q.tantivy.as_ref().or(q.xapian.as_ref()) {
        let mut parser = QueryParser::for_index(index, vec![f.subject, f.text]);
        parser.set_conjunction_by_default();
        clauses.push((Occur::Must, parser.parse_query(text).with_context(|| format!("tantivy: {text:?}"))?));
    }
    let Filter { tag, origin, classification, created_from, created_to } =
        q.filter.clone().unwrap_or_default();
    let term = |field: Field, v: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(Term::from_field_text(field, v), IndexRecordOption::Basic))
    };
    if let Some(t) = tag {
        clauses.push((Occur::Must, term(f.tag, &t)));
    }
    if let Some(o) = origin {
        clauses.push((Occur::Must, term(f.origin, &o)));
    }
    if let Some(c) = classification {
        clauses.push((Occur::Must, term(f.class, &c)));
    }
    if created_from.is_some() || created_to.is_some() {
        use std::ops::Bound;
        let bound = |d: Option<String>| {
            d.map_or(Bound::Unbounded, |d| Bound::Included(Term::from_field_i64(f.created, date_number(&d))))
        };
        clauses.push((Occur::Must, Box::new(RangeQuery::new(bound(created_from), bound(created_to)))));
    }
    Ok(match clauses.len() {
        0 => None,
        1 => clauses.pop().map(|(_, q)| q),
        _ => Some(Box::new(BooleanQuery::new(clauses))),
    })
}

fn run_query(
    index: &Index,
    reader: &IndexReader,
    f: &Fields,
    q: &MixQuery,
    repeat: Repeat,
) -> Result<QueryRun> {
    let Some(tq) = query(index, f, q)? else { return Ok(QueryRun::skipped(&q.name)) };
    let searcher = reader.searcher();
    let aggs = || -> Result<AggregationCollector> {
        let req = serde_json::from_value(serde_json::json!({
            "tags": {"terms": {"field": "tag", "size": 30}},
            "origins": {"terms": {"field": "origin", "size": 30}},
            "classifications": {"terms": {"field": "class", "size": 30}},
            "years": {"terms": {"field": "year", "size": 100}},
        }))?;
        let context = AggContextParams::new(AggregationLimitsGuard::default(), index.tokenizers().clone());
        Ok(AggregationCollector::from_aggs(req, context))
    };
    type Answer = (Vec<(Score, DocAddress)>, usize, Option<serde_json::Value>);
    let once = || -> Result<Answer> {
        let top = TopDocs::with_limit(10).order_by_score();
        if q.facets {
            let (docs, n, a) = searcher.search(&*tq, &(top, Count, aggs()?))?;
            Ok((docs, n, Some(serde_json::to_value(a)?)))
        } else {
            let (docs, n) = searcher.search(&*tq, &(top, Count))?;
            Ok((docs, n, None))
        }
    };
    let (docs, total, facets) = once()?;
    let mut run = QueryRun {
        name: q.name.clone(),
        query: q.tantivy.clone().or_else(|| q.xapian.clone()),
        total_hits: Some(total as u64),
        facets,
        ..QueryRun::default()
    };
    for (_, addr) in docs {
        let d: TantivyDocument = searcher.doc(addr)?;
        if let Some(id) = d.get_first(f.id).and_then(|v| v.as_str()) {
            run.top10.push(id.to_owned());
        }
    }
    run.set_latencies(repeat.time(|| once().map(|_| ()))?);
    Ok(run)
}
