//! The acceptance checks of the archive issue, over the 1,295 real cables.

use archive::{Archive, ErrorKind, IngestOptions, SearchRequest};

use crate::shared::{cable_dir, corpus_archive, fresh_archive, parser};

fn ids(a: &Archive, q: &str, n: usize) -> Vec<String> {
    let mut req = SearchRequest::new(q);
    req.per_page = n;
    req.snippets = false;
    a.search(&req).unwrap_or_else(|e| panic!("{q}: {e}")).hits.into_iter().map(|h| h.id).collect()
}

#[test]
fn the_whole_corpus_is_ingested() {
    let (a, report) = corpus_archive();
    assert_eq!(report.files, 1295);
    assert_eq!(report.new, 1295, "{report:?}");
    assert_eq!(report.failed, 0, "{:?}", report.failures);
    assert_eq!(a.store().cable_count().unwrap(), 1295);
    assert!(a.check().unwrap().ok(), "{:?}", a.check().unwrap().problems);
}

#[test]
fn cluster_munitions_finds_the_two_cables_of_the_story_first() {
    let (a, _) = corpus_archive();
    let top = ids(&a, "\"cluster munitions\"", 3);
    assert!(top.contains(&"08STATE134777".to_owned()), "{top:?}");
    assert!(top.contains(&"09STATE52368".to_owned()), "{top:?}");
}

#[test]
fn tags_and_references_are_searchable() {
    let (a, _) = corpus_archive();
    assert!(ids(&a, "tag:PARM AND tag:AF", 100).contains(&"08STATE134777".to_owned()));
    assert!(ids(&a, "ref:08STATE125608", 100).contains(&"08STATE134777".to_owned()));
    assert!(
        ids(&a, "ref:\"08 STATE 125608\"", 100).contains(&"08STATE134777".to_owned()),
        "ids in any spelling"
    );
    assert_eq!(ids(&a, "id:08STATE134777", 10), ["08STATE134777"]);
    assert_eq!(ids(&a, "08STATE134777", 1), ["08STATE134777"], "a bare id finds the cable first");
}

/// What a grep of the text shows: cables whose subject or body, lower-cased
/// with everything but letters and digits as spaces, contains the phrase.
fn grep_count(a: &Archive, phrase: &str) -> usize {
    let norm = |s: &str| {
        let t: String = s
            .chars()
            .map(|c| if c.is_alphanumeric() { c.to_lowercase().next().unwrap_or(c) } else { ' ' })
            .collect();
        format!(" {} ", t.split_whitespace().collect::<Vec<_>>().join(" "))
    };
    let needle = norm(phrase);
    a.store()
        .latest_versions()
        .unwrap()
        .iter()
        .filter(|(id, _)| {
            let c = a.store().cable(id, None).unwrap();
            norm(&c.subject).contains(&needle) || norm(&c.clean_text()).contains(&needle)
        })
        .count()
}

#[test]
fn phrase_counts_equal_a_grep_of_the_same_text() {
    let (a, _) = corpus_archive();
    for phrase in
        ["cluster munitions", "human rights", "nuclear", "Convention on Cluster Munitions", "Guantanamo"]
    {
        let total = a
            .search(&SearchRequest { snippets: false, ..SearchRequest::new(format!("\"{phrase}\"")) })
            .unwrap()
            .total;
        let grep = grep_count(&a, phrase);
        println!("{phrase:?}: search {total}, grep {grep}");
        assert_eq!(total as usize, grep, "{phrase}");
        assert!(grep > 0, "{phrase} occurs in the corpus");
    }
}

#[test]
fn ingesting_twice_changes_nothing() {
    let (_tmp, mut a, first) = fresh_archive(&[cable_dir().join("2008")]);
    assert!(first.new > 100);
    let again =
        a.ingest(&[cable_dir().join("2008")], &parser(), &IngestOptions::default(), &mut |_| {}).unwrap();
    assert_eq!((again.new, again.new_versions, again.unchanged), (0, 0, first.new), "{again:?}");
    assert_eq!(a.store().version_count().unwrap(), first.new);
}

#[test]
fn reindex_gives_the_same_answers() {
    let (_tmp, mut a, _) = fresh_archive(&[cable_dir().join("2009")]);
    let queries = [
        "\"cluster munitions\"",
        "iran AND nuclear",
        "tag:PREL NOT tag:IR",
        "origin:london",
        "created:2009-06..2009-08",
        // Ranked with pruning (a word, words joined by OR, a prefix).
        "government",
        "minister OR ambassador",
        "munition*",
    ];
    let before: Vec<(u64, Vec<String>)> = queries
        .iter()
        .map(|q| {
            let r =
                a.search(&SearchRequest { per_page: 50, snippets: false, ..SearchRequest::new(*q) }).unwrap();
            (r.total, r.hits.into_iter().map(|h| h.id).collect())
        })
        .collect();
    std::fs::remove_dir_all(a.dir().join("index")).unwrap();
    let n = a.reindex().unwrap();
    assert_eq!(n, a.store().cable_count().unwrap());
    for (q, b) in queries.iter().zip(before) {
        let r = a.search(&SearchRequest { per_page: 50, snippets: false, ..SearchRequest::new(*q) }).unwrap();
        assert_eq!((r.total, r.hits.into_iter().map(|h| h.id).collect::<Vec<_>>()), b, "{q}");
    }
    assert!(a.check().unwrap().ok());
}

/// A word, OR-ed words and a prefix are ranked with Block-WAND pruning
/// (tags are not: a field without frequencies has no block maxima); the
/// same words under a conjunction that excludes nothing (`-qqqzzz`) are
/// scored in full. Both must give the same pages, ties broken the same way.
#[test]
fn pruned_ranking_equals_full_ranking() {
    let (a, _) = corpus_archive();
    let queries = [
        "government",
        "said",
        "minister OR ambassador OR embassy",
        "munition*",
        "the",
        "tag:PARM",
        "tag:PREL",
    ];
    for q in queries {
        for page in 1..=4 {
            let req =
                |q: String| SearchRequest { per_page: 25, page, snippets: false, ..SearchRequest::new(q) };
            let pruned = a.search(&req(q.to_owned())).unwrap();
            let full = a.search(&req(format!("({q}) -qqqzzz"))).unwrap();
            assert_eq!(pruned.total, full.total, "{q}");
            let ranked = |r: &archive::SearchResults| -> Vec<(String, Option<f32>)> {
                r.hits.iter().map(|h| (h.id.clone(), h.score)).collect()
            };
            assert_eq!(ranked(&pruned), ranked(&full), "{q} page {page}");
        }
    }
}

/// After new versions of many cables (deleted documents, and a small new
/// segment whose average lengths differ from the index's), pages still
/// follow one another and rank as a fully scored search does.
#[test]
fn pages_follow_one_another_after_new_versions() {
    let (tmp, mut a, _) = fresh_archive(&[cable_dir().join("2009")]);
    let modified = tmp.path().join("modified");
    std::fs::create_dir_all(&modified).unwrap();
    let mut files: Vec<_> = walk(&cable_dir().join("2009"));
    files.sort();
    for f in files.iter().take(150) {
        let text = std::fs::read_to_string(f).unwrap().replace("the ", "THE ");
        std::fs::write(modified.join(f.file_name().unwrap()), text).unwrap();
    }
    let r = a.ingest(&[modified], &parser(), &IngestOptions::default(), &mut |_| {}).unwrap();
    assert!(r.new_versions > 100, "{r:?}");
    let ids = |q: &str, per_page: usize, page: usize| -> Vec<String> {
        let req = SearchRequest { per_page, page, snippets: false, ..SearchRequest::new(q) };
        a.search(&req).unwrap().hits.into_iter().map(|h| h.id).collect()
    };
    for q in ["tag:PARM", "tag:PREL", "government", "minister OR ambassador"] {
        let mut paged = ids(q, 20, 1);
        paged.extend(ids(q, 20, 2));
        paged.extend(ids(q, 20, 3));
        assert_eq!(paged, ids(q, 60, 1), "{q}: pages of 20 against one page of 60");
        assert_eq!(paged, ids(&format!("({q}) -qqqzzz"), 60, 1), "{q}: against full scoring");
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn a_second_writer_is_refused_clearly() {
    let (_tmp, a, _) = fresh_archive(&[cable_dir().join("1966")]);
    let err = Archive::open_for_write(a.dir()).err().expect("second writer refused");
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert!(err.to_string().contains("locked"), "{err}");
    // Readers are welcome.
    assert!(Archive::open(a.dir()).is_ok());
}

#[test]
fn a_deleted_index_is_reported_and_rebuilt() {
    let (_tmp, mut a, _) = fresh_archive(&[cable_dir().join("1966"), cable_dir().join("1989")]);
    let dir = a.dir().to_path_buf();
    drop(a);
    std::fs::remove_dir_all(dir.join("index")).unwrap();
    let r = Archive::open(&dir).unwrap();
    let report = r.check().unwrap();
    assert!(!report.ok() && report.problems.iter().any(|p| p.contains("reindex")), "{report:?}");
    let err = r.search(&SearchRequest::new("noriega")).unwrap_err();
    assert!(err.to_string().contains("reindex"), "{err}");
    drop(r);
    a = Archive::open_for_write(&dir).unwrap();
    a.reindex().unwrap();
    assert!(a.check().unwrap().ok());
    assert!(a.search(&SearchRequest::new("noriega")).unwrap().total > 0);
}

#[test]
fn bad_queries_are_bad_requests_with_a_hint() {
    let (a, _) = corpus_archive();
    for q in ["\"cluster munitions", "(a OR b", "tags:PARM", "created:2008-13", "cluster AND"] {
        let e = a.search(&SearchRequest::new(q)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BadRequest, "{q}: {e}");
    }
    let e = a.search(&SearchRequest::new("id:notanid")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadRequest);
}

#[test]
fn facets_histogram_and_paging() {
    let (a, _) = corpus_archive();
    let mut req = SearchRequest::new("\"cluster munitions\"");
    req.facets = true;
    req.histogram = true;
    let r = a.search(&req).unwrap();
    let f = r.facets.as_ref().unwrap();
    assert!(f.tags.iter().any(|t| t.value == "PARM"), "{:?}", f.tags);
    assert_eq!(f.years.iter().map(|y| y.count).sum::<u64>(), r.total);
    let h = r.histogram.as_ref().unwrap();
    assert_eq!(h.iter().map(|m| m.count).sum::<u64>(), r.total);
    assert!(h.iter().any(|m| m.value == "2008-12"), "{h:?}");
    // Paging and date order.
    let mut all = SearchRequest::new("nuclear");
    all.per_page = 5;
    all.sort = archive::Sort::DateDesc;
    let p1 = a.search(&all).unwrap();
    all.page = 2;
    let p2 = a.search(&all).unwrap();
    assert!(p1.hits[0].created >= p2.hits[0].created);
    assert!(p1.hits.iter().all(|h| !p2.hits.iter().any(|g| g.id == h.id)));
}

#[test]
fn reference_graph_both_ways() {
    let (a, _) = corpus_archive();
    let g = a.refs("08STATE134777", 1, archive::graph::Direction::Out).unwrap();
    let cited: Vec<&str> = g.nodes.iter().skip(1).map(|n| n.id.as_str()).collect();
    assert_eq!(cited, ["08STATE125608", "08KABUL346"]);
    assert!(g.nodes.iter().skip(1).all(|n| !n.present), "neither cited cable is in the shared corpus");
    assert!(matches!(
        a.refs("99NOWHERE1", 1, archive::graph::Direction::Both),
        Err(archive::Error::CableNotFound(_))
    ));
}

#[test]
fn browsing_lists_every_value_and_each_value_searches_to_its_count() {
    let (a, _) = corpus_archive();
    for by in archive::BrowseBy::ALL {
        let values = a.browse(by).unwrap();
        assert!(!values.is_empty(), "{by:?}");
        if matches!(by, archive::BrowseBy::Year | archive::BrowseBy::Month) {
            assert!(values.windows(2).all(|w| w[0].value < w[1].value), "{by:?} in date order");
        } else {
            assert!(values.windows(2).all(|w| w[0].count >= w[1].count), "{by:?} most first");
        }
        if matches!(
            by,
            archive::BrowseBy::Origin | archive::BrowseBy::Classification | archive::BrowseBy::Year
        ) {
            let sum: u64 = values.iter().map(|v| v.count).sum();
            assert_eq!(sum, 1295, "{by:?}: every cable has exactly one");
        }
        // The first, a middle and the last value: the search the browse
        // page links to finds exactly the counted cables.
        for v in [&values[0], &values[values.len() / 2], &values[values.len() - 1]] {
            let mut req = SearchRequest::new(by.query_for(&v.value));
            req.snippets = false;
            let total = a.search(&req).unwrap_or_else(|e| panic!("{by:?} {}: {e}", v.value)).total;
            assert_eq!(total, v.count, "{by:?} {:?} -> {}", v.value, by.query_for(&v.value));
        }
    }
    let origins = a.browse(archive::BrowseBy::Origin).unwrap();
    assert!(origins.iter().any(|o| o.value == "Embassy Kabul"), "{origins:?}");
}

#[test]
fn an_index_laid_out_by_an_older_version_is_rebuilt_on_open() {
    let (_tmp, a, _) = fresh_archive(&[cable_dir().join("2008/12")]);
    let dir = a.dir().to_path_buf();
    let cables = a.store().cable_count().unwrap();
    // Commit what an older demarche wrote: a bare watermark, facets of
    // another meaning.
    {
        let index = a.index().unwrap();
        let mut writer = index.writer(50_000_000).unwrap();
        let mut prepared = writer.prepare_commit().unwrap();
        prepared.set_payload(&a.store().max_latest_version().unwrap().to_string());
        prepared.commit().unwrap();
    }
    drop(a);
    let old = archive::index::SearchIndex::open(&dir.join("index")).unwrap();
    assert_eq!(old.watermark().unwrap(), 0, "an old layout counts as indexing nothing");
    drop(old);

    let a = Archive::open(&dir).unwrap();
    assert!(a.index().unwrap().watermark().unwrap() > 0, "rebuilt on open");
    assert_eq!(a.index().unwrap().num_docs(), cables);
    assert!(a.check().unwrap().ok(), "{:?}", a.check().unwrap().problems);
    let classes = a.browse(archive::BrowseBy::Classification).unwrap();
    assert!(classes.iter().all(|c| !c.value.contains("//")), "{classes:?}");
}

#[test]
fn caveats_are_found_in_any_spelling() {
    let (a, _) = corpus_archive();
    let count = |q: &str| {
        let mut req = SearchRequest::new(q);
        req.snippets = false;
        a.search(&req).unwrap_or_else(|e| panic!("{q}: {e}")).total
    };
    let fouo = count("caveat:\"FOR OFFICIAL USE ONLY\"");
    assert!(fouo > 0);
    assert_eq!(count("caveat:FOUO"), fouo);
    assert_eq!(count("caveat:forofficialuseonly"), fouo);
    assert!(count("caveat:sipdis") > count("caveat:nodis"));
}

#[test]
fn an_index_of_another_schema_is_rebuilt_on_open() {
    let (_tmp, a, _) = fresh_archive(&[cable_dir().join("2008/12")]);
    let dir = a.dir().to_path_buf();
    let cables = a.store().cable_count().unwrap();
    drop(a);
    // What another demarche version might have left: an index with other fields.
    let index_dir = dir.join("index");
    std::fs::remove_dir_all(&index_dir).unwrap();
    std::fs::create_dir_all(&index_dir).unwrap();
    let mut b = tantivy::schema::Schema::builder();
    b.add_text_field("id", tantivy::schema::STRING);
    tantivy::Index::create_in_dir(&index_dir, b.build()).unwrap();
    assert!(archive::index::SearchIndex::is_outdated(&index_dir));

    let a = Archive::open(&dir).unwrap();
    assert_eq!(a.index().unwrap().num_docs(), cables, "rebuilt from the store");
    assert!(a.check().unwrap().ok(), "{:?}", a.check().unwrap().problems);
    let mut req = SearchRequest::new("tag:PARM");
    req.facets = true;
    assert!(a.search(&req).unwrap().facets.unwrap().tags.iter().any(|t| t.value == "PARM"));
}
