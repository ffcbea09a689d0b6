//! Search finds what the reader means: accents and case folded, words found
//! by their stem (and only as written with `=`), close spellings with `~`,
//! and a better spelling offered when a search finds little. On the shared
//! corpus.

use archive::{Error, SearchRequest, SearchResults};

use crate::shared::corpus_archive;

fn search(query: &str) -> SearchResults {
    let (a, _) = corpus_archive();
    let mut req = SearchRequest::new(query);
    req.per_page = 100;
    req.snippets = true;
    a.search(&req).unwrap_or_else(|e| panic!("{query}: {e}"))
}

fn total(query: &str) -> u64 {
    search(query).total
}

fn refused(query: &str) -> String {
    let (a, _) = corpus_archive();
    match a.search(&SearchRequest::new(query)) {
        Err(e @ (Error::BadRequest(_) | Error::Query(_))) => e.to_string(),
        other => panic!("{query}: a clear refusal expected, got {other:?}"),
    }
}

#[test]
fn accents_and_case_are_folded_in_queries_as_in_the_index() {
    assert!(total("Chavez") >= 100, "{}", total("Chavez"));
    assert_eq!(total("Chávez"), total("Chavez"));
    assert_eq!(total("CHÁVEZ"), total("chavez"));
    assert!(total("Sao") >= 30);
    assert_eq!(total("São"), total("Sao"));
    assert_eq!(total("Erdoğan"), total("Erdogan"));
    assert_eq!(total("\"São Paulo\""), total("\"sao paulo\""));
}

#[test]
fn a_word_finds_the_words_of_its_stem_and_an_exact_form_only_itself() {
    let (singular, plural) = (total("munition"), total("munitions"));
    assert_eq!(singular, plural, "munition and munitions find each other");
    assert!(singular >= 25, "{singular}");
    let exact = total("=munition");
    assert!((1..singular).contains(&exact), "=munition finds only that spelling: {exact} of {singular}");
    assert_eq!(total("=munitions"), total("body:=munitions OR subject:=munitions"));
    // phrases work on stems: the singular phrase finds the plural text
    let r = search("\"cluster munition\"");
    assert!(
        r.hits.iter().any(|h| h.id == "08STATE134777"),
        "{:?}",
        r.hits.iter().map(|h| &h.id).collect::<Vec<_>>()
    );
    assert_eq!(r.total, total("\"cluster munitions\""));
    // and the snippet highlights the word as published
    let r = search("munition");
    let h = r.hits.iter().find(|h| h.id == "08STATE134777").expect("the Kabul demarche");
    let marked: Vec<String> = h
        .snippets
        .iter()
        .flat_map(|s| s.highlights.iter().map(|&(a, b)| s.text[a..b].to_lowercase()))
        .collect();
    assert!(marked.iter().any(|w| w == "munitions"), "{marked:?}");
    // facets count what the hits are
    let (a, _) = corpus_archive();
    let mut req = SearchRequest::new("munition");
    req.facets = true;
    let r = a.search(&req).unwrap();
    let years: u64 = r.facets.unwrap().years.iter().map(|y| y.count).sum();
    assert_eq!(years, r.total);
}

#[test]
fn a_search_without_stemming_reads_every_word_as_written() {
    let (a, _) = corpus_archive();
    let exact = |q: &str| {
        let req = SearchRequest { stemming: false, variants: false, ..SearchRequest::new(q) };
        a.search(&req).unwrap_or_else(|e| panic!("{q}: {e}")).total
    };
    // each word as its `=` form, phrases too, while operators still work
    assert_eq!(exact("munition"), total("=munition"));
    assert!(exact("munition") < total("munition"));
    assert_eq!(exact("ratify AND munitions"), total("=ratify AND =munitions"));
    let phrase = exact("\"cluster munition\"");
    assert!(phrase < total("\"cluster munition\""), "the singular phrase is not the plural one: {phrase}");
    let plural = exact("\"cluster munitions\"");
    assert!(plural >= 5 && plural <= total("\"cluster munitions\""), "{plural}");
    // folding still applies: the reader's accents are not part of the form
    assert_eq!(exact("Chávez"), exact("chavez"));
    // words of one or two letters are their own only form
    assert_eq!(total("UN"), total("=UN"));
    assert!(total("UN") > 0);
    // prefixes and close spellings are unaffected
    assert_eq!(exact("ratif*"), total("ratif*"));
}

#[test]
fn close_spellings_with_a_tilde() {
    let (a, _) = corpus_archive();
    let plain = a.search(&SearchRequest { variants: false, ..SearchRequest::new("Qadhafi") }).unwrap().total;
    let fuzzy = search("Qadhafi~");
    assert!(
        fuzzy.total > plain,
        "Qadhafi~ finds Qaddafi too: {} vs {plain} (Qadhafi in that spelling only)",
        fuzzy.total
    );
    assert!(total("Qadhafi~2") >= fuzzy.total);
    let marked: Vec<String> = fuzzy
        .hits
        .iter()
        .flat_map(|h| h.snippets.iter())
        .flat_map(|s| s.highlights.iter().map(|&(a, b)| s.text[a..b].to_lowercase()))
        .collect();
    assert!(
        marked.iter().any(|w| w != "qadhafi" && w.starts_with("qad")),
        "close spellings highlighted: {marked:?}"
    );
    assert!(refused("Qadhafi~3").contains("at most 2 edits"));
    assert!(refused("tag:PREL~").contains("close spellings of words of text"));
    assert!(refused("=\"cluster munitions\"").contains("one word"));
}

#[test]
fn a_misspelt_search_is_offered_the_spelling_the_archive_holds() {
    let r = search("munitoins");
    assert_eq!(r.total, 0);
    let s = r.did_you_mean.expect("a suggestion");
    assert_eq!(s.query, "munitions");
    assert_eq!(s.total, total("munitions"));
    let s = search("\"clustre munitions\"").did_you_mean.expect("a suggestion for the phrase");
    assert_eq!(s.query, "\"cluster munitions\"");
    assert_eq!(search("Karzia").did_you_mean.map(|s| s.query).as_deref(), Some("karzai"));
    // a search that finds plenty is left alone
    assert!(search("munitions").did_you_mean.is_none());
    assert!(search("karzai").did_you_mean.is_none());
}

#[test]
fn a_name_is_searched_in_the_spellings_the_archive_holds_and_says_so() {
    let (a, _) = corpus_archive();
    let only = |q: &str| a.search(&SearchRequest { variants: false, ..SearchRequest::new(q) }).unwrap();
    let r = search("Gaddafi");
    let e = r.expanded.iter().find(|e| e.word == "Gaddafi").expect("Gaddafi is searched in other spellings");
    let also: Vec<&str> = e.also.iter().map(|s| s.word.as_str()).collect();
    assert!(also.contains(&"qadhafi") && also.contains(&"qaddafi"), "{also:?}");
    assert!(r.total > only("Gaddafi").total, "the press spelling finds the State Department's");
    assert_eq!(r.total, total("Qadhafi"), "every spelling finds the same cables");
    assert!(e.also.iter().all(|s| s.cables > 0));
    // turned off per request, and by an exact form
    assert!(only("Gaddafi").expanded.is_empty());
    assert!(search("=Gaddafi").expanded.is_empty());
    assert_eq!(search("=Gaddafi").total, only("Gaddafi").total);
    // two different names stay apart
    let v = &a.index().unwrap().variants;
    for (x, y) in [("jamal", "jamil"), ("zhang", "zheng"), ("hariri", "harari"), ("salah", "salih")] {
        assert!(!v.joined(x, y), "{x} and {y} are two names");
    }
    assert!(v.joined("hizballah", "hezbollah") && v.joined("qaida", "qaeda"));
}
