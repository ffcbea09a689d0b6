//! A data table pinning search behaviour: query -> cables that must (and
//! must not) be among the hits, and bounds on the total.

use archive::SearchRequest;

use crate::shared::corpus_archive;

struct Case {
    query: &'static str,
    includes: &'static [&'static str],
    excludes: &'static [&'static str],
    min_total: u64,
    max_total: u64,
}

const CASES: &[Case] = &[
    Case {
        query: "\"cluster munitions\"",
        includes: &["08STATE134777", "09STATE52368"],
        excludes: &[],
        min_total: 2,
        max_total: 60,
    },
    Case {
        query: "\"cluster munitions\" AND tag:AF",
        includes: &["08STATE134777"],
        excludes: &["09STATE52368"],
        min_total: 1,
        max_total: 10,
    },
    Case {
        query: "\"cluster munitions\" -tag:AF",
        includes: &["09STATE52368"],
        excludes: &["08STATE134777"],
        min_total: 1,
        max_total: 60,
    },
    Case {
        query: "\"cluster munitions\" NOT tag:AF",
        includes: &["09STATE52368"],
        excludes: &["08STATE134777"],
        min_total: 1,
        max_total: 60,
    },
    Case {
        query: "subject:\"cluster munitions\"",
        includes: &["08STATE134777"],
        excludes: &[],
        min_total: 1,
        max_total: 20,
    },
    Case {
        query: "\"interpretation munitions\"~3",
        includes: &[],
        excludes: &[],
        min_total: 0,
        max_total: 20,
    },
    Case { query: "munition*", includes: &["08STATE134777"], excludes: &[], min_total: 2, max_total: 200 },
    Case {
        query: "(kabul OR kimmitt) AND \"article 21\"",
        includes: &["08STATE134777"],
        excludes: &[],
        min_total: 1,
        max_total: 20,
    },
    Case {
        query: "+cluster +munitions +afghanistan",
        includes: &["08STATE134777"],
        excludes: &[],
        min_total: 1,
        max_total: 40,
    },
    Case {
        query: "to:kabul AND from:secstate",
        includes: &["08STATE134777"],
        excludes: &[],
        min_total: 1,
        max_total: 400,
    },
    Case {
        query: "origin:\"secretary of state\" AND created:2008-12",
        includes: &["08STATE134777"],
        excludes: &[],
        min_total: 1,
        max_total: 100,
    },
    Case {
        query: "created:2008-12-29 AND tag:PARM",
        includes: &["08STATE134777"],
        excludes: &[],
        min_total: 1,
        max_total: 5,
    },
    Case {
        query: "created:..1970",
        includes: &["66BUENOSAIRES2481"],
        excludes: &["08STATE134777"],
        min_total: 1,
        max_total: 5,
    },
    Case {
        query: "class:confidential AND caveat:sipdis AND signer:rice AND tag:PARM",
        includes: &["08STATE134777"],
        excludes: &[],
        min_total: 1,
        max_total: 50,
    },
    Case {
        query: "class:secret//noforn",
        includes: &[],
        excludes: &["08STATE134777"],
        min_total: 1,
        max_total: 1295,
    },
    Case {
        query: "id:08STATE134777 OR id:09STATE52368",
        includes: &["08STATE134777", "09STATE52368"],
        excludes: &[],
        min_total: 2,
        max_total: 2,
    },
    Case {
        query: "ref:08LONDON3082",
        includes: &["09STATE52368"],
        excludes: &[],
        min_total: 1,
        max_total: 10,
    },
    Case { query: "", includes: &[], excludes: &[], min_total: 1295, max_total: 1295 },
    Case { query: "-tag:PREL", includes: &[], excludes: &["08STATE134777"], min_total: 1, max_total: 1294 },
];

#[test]
fn search_behaviour_table() {
    let (a, _) = corpus_archive();
    for c in CASES {
        let mut req = SearchRequest::new(c.query);
        req.per_page = 1000;
        req.snippets = false;
        let r = a.search(&req).unwrap_or_else(|e| panic!("{}: {e}", c.query));
        let got: Vec<&str> = r.hits.iter().map(|h| h.id.as_str()).collect();
        for id in c.includes {
            assert!(got.contains(id), "{:?} should find {id}; got {} hits", c.query, r.total);
        }
        for id in c.excludes {
            assert!(!got.contains(id), "{:?} should not find {id}", c.query);
        }
        assert!(
            (c.min_total..=c.max_total).contains(&r.total),
            "{:?}: total {} not in {}..={}",
            c.query,
            r.total,
            c.min_total,
            c.max_total
        );
        assert_eq!(
            (r.total as usize).min(1000),
            got.len(),
            "{:?}: exact total equals the hits listed",
            c.query
        );
    }
}
