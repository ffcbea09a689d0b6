//! Quote attribution measured against a labelled set: every quote of
//! WikiLeaks' own English articles about the cables (in `../shared`) and of a
//! few test articles written for it (`tests/attribution/articles/`), each
//! labelled with the cable and paragraph it comes from, checked by reading
//! the cable, or with `null` when its source is not in the corpus.
//!
//! `cargo test -p archive --test it attribution -- --nocapture` prints every
//! quote with its verdict, and precision and recall.

use std::path::{Path, PathBuf};

use archive::{AttributeOptions, Verdict};
use serde::Deserialize;

use crate::shared::{corpus_archive, shared_dir};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Labels {
    articles: Vec<ArticleLabels>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ArticleLabels {
    /// Path of a real article, relative to the shared directory.
    #[serde(default)]
    shared: Option<String>,
    /// Path of a test article, relative to `tests/attribution`.
    #[serde(default)]
    file: Option<String>,
    /// The article's quotes, in order.
    quotes: Vec<QuoteLabel>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuoteLabel {
    /// The start of the quote as extracted (compared letters and digits only).
    quote: String,
    /// Where it comes from; `null` when its source is not in the corpus.
    source: Option<SourceLabel>,
    /// `"ambiguous"` when the right answer is ambiguous: the same text is in
    /// more than one cable (cables filed twice).
    #[serde(default)]
    expect: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceLabel {
    cable: String,
    /// Paragraphs holding the quoted text (several when the cable repeats
    /// it); empty when the text is not in a paragraph (subject line, banner).
    paragraphs: Vec<u32>,
    /// The text is the cable's subject line.
    #[serde(default)]
    subject: bool,
}

fn labels_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/attribution")
}

fn letters(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

#[derive(Default)]
struct Tally {
    quotes: usize,
    attributed: usize,
    correct: usize,
    in_corpus: usize,
    in_corpus_found: usize,
    in_corpus_short: usize,
    in_corpus_short_found: usize,
    none: usize,
    none_attributed: usize,
    ambiguous: usize,
    ambiguous_found: usize,
}

#[test]
fn attribution_precision_and_recall_on_the_labelled_set() {
    let (archive, _) = corpus_archive();
    let text = std::fs::read_to_string(labels_dir().join("labels.json")).expect("labels.json");
    let labels: Labels = serde_json::from_str(&text).expect("labels.json parses");
    let mut t = Tally::default();
    let mut problems: Vec<String> = Vec::new();
    for art in &labels.articles {
        let path = match (&art.shared, &art.file) {
            (Some(s), None) => shared_dir().join(s),
            (None, Some(f)) => labels_dir().join(f),
            _ => panic!("an article has either `shared` or `file`"),
        };
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let html = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let report = archive.attribute(&html, &AttributeOptions::default()).expect("attribute");
        println!("\n## {name}: {} quotes", report.quotes.len());
        if report.quotes.len() != art.quotes.len() {
            for q in &report.quotes {
                println!("   found: {:?}", q.quote);
            }
            problems.push(format!(
                "{name}: {} quotes found, {} labelled",
                report.quotes.len(),
                art.quotes.len()
            ));
            continue;
        }
        for (q, label) in report.quotes.iter().zip(&art.quotes) {
            if !letters(&q.quote).starts_with(&letters(&label.quote)) {
                problems
                    .push(format!("{name}: quote {} is {:?}, labelled {:?}", q.index, q.quote, label.quote));
                continue;
            }
            t.quotes += 1;
            let attributed = q.verdict.attributed();
            let got = q.source.as_ref().map(|s| (s.cable_id.as_str(), s.paragraph, s.subject));
            let right = match (&label.source, got) {
                (Some(l), Some((id, p, subject))) => {
                    l.cable == id && if subject { l.subject } else { l.paragraphs.contains(&p) }
                }
                _ => false,
            };
            let expect_ambiguous = label.expect.as_deref() == Some("ambiguous");
            assert!(label.expect.is_none() || expect_ambiguous, "unknown expectation {:?}", label.expect);
            // where the right answer is "ambiguous", naming one source is wrong
            let right = right && !expect_ambiguous;
            t.attributed += usize::from(attributed);
            t.correct += usize::from(attributed && right);
            let mark = match (attributed, right, &label.source) {
                (true, true, _) => "ok   ",
                (true, false, _) => "WRONG",
                (false, _, _) if expect_ambiguous && q.verdict == Verdict::Ambiguous => "ok   ",
                (false, _, Some(_)) => "miss ",
                (false, _, None) => "ok   ",
            };
            match &label.source {
                Some(_) if expect_ambiguous => {
                    t.ambiguous += 1;
                    t.ambiguous_found += usize::from(q.verdict == Verdict::Ambiguous);
                    if attributed {
                        problems.push(format!(
                            "{name}: {:?} is in two cables but was attributed to {got:?}",
                            q.quote
                        ));
                    }
                }
                Some(_) if q.words < archive::attribute::MIN_WORDS => {
                    t.in_corpus_short += 1;
                    t.in_corpus_short_found += usize::from(attributed && right);
                }
                Some(_) => {
                    t.in_corpus += 1;
                    t.in_corpus_found += usize::from(attributed && right);
                }
                None => {
                    t.none += 1;
                    t.none_attributed += usize::from(attributed);
                    if attributed {
                        problems.push(format!(
                            "{name}: {:?} has no source in the corpus but was attributed to {got:?}",
                            q.quote
                        ));
                    }
                }
            }
            let expected = match &label.source {
                Some(l) if expect_ambiguous => format!("ambiguous ({} ¶{:?}, ...)", l.cable, l.paragraphs),
                Some(l) if l.subject => format!("{} subject", l.cable),
                Some(l) => format!("{} ¶{:?}", l.cable, l.paragraphs),
                None => "none".into(),
            };
            let got_s = match (q.verdict, got) {
                (Verdict::NotInArchive, _) | (_, None) => String::new(),
                (_, Some((id, _, true))) => format!("{id} subject"),
                (_, Some((id, p, _))) => format!("{id} ¶{p}"),
            };
            let quote: String = q.quote.chars().take(60).collect();
            println!(
                "{mark} {:<14} {:<24} expected {:<28} {:>3}w  {quote:?}",
                q.verdict.name(),
                got_s,
                expected,
                q.words
            );
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    let precision = ratio(t.correct, t.attributed);
    let recall = ratio(t.in_corpus_found, t.in_corpus);
    println!(
        "\n{} quotes labelled: {} with their source in the corpus ({} more under {} words, {} in two cables), {} without",
        t.quotes,
        t.in_corpus,
        t.in_corpus_short,
        archive::attribute::MIN_WORDS,
        t.ambiguous,
        t.none
    );
    println!("attributed (exact or close): {}, of which correct: {}", t.attributed, t.correct);
    println!("precision {:.3} ({}/{})", precision, t.correct, t.attributed);
    println!(
        "recall    {:.3} ({}/{}) on quotes of {} words or more whose source is in the corpus",
        recall,
        t.in_corpus_found,
        t.in_corpus,
        archive::attribute::MIN_WORDS
    );
    println!(
        "recall    {:.3} ({}/{}) counting the short quotes too (never attributed, by design)",
        ratio(t.in_corpus_found + t.in_corpus_short_found, t.in_corpus + t.in_corpus_short),
        t.in_corpus_found + t.in_corpus_short_found,
        t.in_corpus + t.in_corpus_short
    );
    println!("quotes without a source attributed: {} of {}", t.none_attributed, t.none);
    println!("quotes in two cables found ambiguous: {} of {}", t.ambiguous_found, t.ambiguous);
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(t.in_corpus >= 100, "the labelled set is too small: {}", t.in_corpus);
    assert!(precision >= 0.98, "precision {precision:.3}");
    assert!(recall >= 0.90, "recall {recall:.3}");
}

#[test]
fn paraphrases_are_found_and_other_sentences_are_not() {
    let (archive, _) = corpus_archive();
    let text = std::fs::read_to_string(labels_dir().join("articles/moscow-and-more.txt")).expect("article");
    let options = AttributeOptions { paraphrases: true, ..AttributeOptions::default() };
    let report = archive.attribute(&text, &options).expect("attribute");
    for p in &report.paraphrases {
        println!(
            "{:?} {} ¶{} {:.2}: {}",
            p.verdict, p.source.cable_id, p.source.paragraph, p.shared_words, p.sentence
        );
    }
    let kabul: Vec<_> =
        report.paraphrases.iter().filter(|p| p.sentence.contains("narrow interpretation")).collect();
    assert_eq!(kabul.len(), 1, "{:?}", report.paraphrases);
    assert_eq!((kabul[0].source.cable_id.as_str(), kabul[0].source.paragraph), ("08STATE134777", 3));
    assert_eq!(kabul[0].verdict, Verdict::Close);
    assert!(
        !report
            .paraphrases
            .iter()
            .any(|p| p.sentence.contains("weather") || p.sentence.contains("Test article")),
        "{:?}",
        report.paraphrases
    );
}
