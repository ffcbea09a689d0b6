//! The cablemap conformance vectors (`../shared/conformance/cablemap`): one
//! test per family, printing the pass rate, failing below the family's target.
//!
//! Cases we believe are wrong in the vectors are listed, one reason each, in
//! `tests/conformance-known-differences.txt`; an entry that starts passing is
//! reported so the list never goes stale.

use std::collections::HashMap;
use std::fmt::Write as _;

use cable::{clean_content, parse_references, parse_subject, parse_tags, RefId, ReferenceKind};
use serde_json::Value;

use crate::shared::{corpus, shared_dir};

enum Outcome {
    Pass,
    Fail(String),
    /// The case names a Cablegate cable that the shared corpus does not hold.
    Skip,
}

fn known_differences() -> HashMap<(String, String), String> {
    let text = include_str!("../conformance-known-differences.txt");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut parts = l.splitn(3, '|').map(str::trim);
            let family = parts.next().unwrap_or_default().to_owned();
            let origin = parts.next().unwrap_or_default().to_owned();
            let reason = parts.next().unwrap_or_default().to_owned();
            assert!(!reason.is_empty(), "known difference without a reason: {l}");
            ((family, origin), reason)
        })
        .collect()
}

/// Runs every case of a family and asserts the pass rate (known differences
/// excluded) is at least `target`.
fn run_family(family: &str, target: f64, check: impl Fn(&Value) -> Outcome) {
    let path = shared_dir().join(format!("conformance/cablemap/{family}.json"));
    let doc: Value =
        serde_json::from_slice(&std::fs::read(&path).expect("read vectors")).expect("vectors are JSON");
    let known = known_differences();
    let (mut pass, mut fail, mut skip, mut known_fail) = (0usize, 0usize, 0usize, 0usize);
    let mut report = String::new();
    let cases = doc["cases"].as_array().expect("cases");
    for case in cases {
        let origin = case["origin"].as_str().unwrap_or_default().to_owned();
        let key = (family.to_owned(), origin.clone());
        match check(case) {
            Outcome::Pass => {
                pass += 1;
                if known.contains_key(&key) {
                    let _ = writeln!(report, "  STALE known difference (now passes): {origin}");
                    fail += 1;
                }
            }
            Outcome::Skip => skip += 1,
            Outcome::Fail(got) if known.contains_key(&key) => {
                known_fail += 1;
                let _ = writeln!(report, "  known: {origin}: {}", known[&key]);
                let _ = got;
            }
            Outcome::Fail(got) => {
                fail += 1;
                let _ = writeln!(
                    report,
                    "  FAIL {origin}\n    input:    {:?}\n    expected: {}\n    got:      {got}",
                    truncate(&case["input"].to_string(), 300),
                    case["expected"]
                );
            }
        }
    }
    let judged = pass + fail;
    let rate = if judged == 0 { 1.0 } else { pass as f64 / judged as f64 };
    println!(
        "conformance {family}: {pass} pass, {fail} fail, {known_fail} known differences, {skip} skipped (cable not in corpus) of {}; pass rate {:.1}% (target {:.0}%)",
        cases.len(),
        rate * 100.0,
        target * 100.0
    );
    print!("{report}");
    assert!(judged > 0, "{family}: no case could be run");
    assert!(rate >= target, "{family}: pass rate {:.1}% below target", rate * 100.0);
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

fn compare<T: PartialEq + std::fmt::Debug>(got: T, expected: T) -> Outcome {
    if got == expected {
        Outcome::Pass
    } else {
        Outcome::Fail(format!("{got:?}"))
    }
}

fn str_list(v: &Value) -> Vec<String> {
    v.as_array().map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect()).unwrap_or_default()
}

fn canonical(id: &str) -> Result<String, String> {
    RefId::parse(id).map(|i| i.to_string()).map_err(|e| e.to_string())
}

/// Body text and year of the corpus cable a `cable_id` case names.
fn corpus_body(case: &Value) -> Option<(&'static str, u16, &'static cable::Cable)> {
    let id = case["input"].as_str()?;
    let c = corpus().get(id)?;
    Some((c.raw_body.as_str(), c.id.year(), c))
}

fn option_flag(case: &Value, name: &str) -> bool {
    case["options"][name].as_bool().unwrap_or(true)
}

#[test]
fn conformance_canonical_id() {
    run_family("canonical_id", 1.0, |case| {
        let input = case["input"].as_str().unwrap_or_default();
        compare(canonical(input), Ok(case["expected"].as_str().unwrap_or_default().to_owned()))
    });
}

fn same_canonical(case: &Value) -> Outcome {
    let input = case["input"].as_str().unwrap_or_default();
    let expected = case["expected"].as_str().unwrap_or_default();
    compare(canonical(input), canonical(expected))
}

#[test]
fn conformance_malformed_ids() {
    run_family("malformed_ids", 1.0, same_canonical);
}

#[test]
fn conformance_invalid_ids() {
    run_family("invalid_ids", 1.0, same_canonical);
}

#[test]
fn conformance_references() {
    run_family("references", 1.0, |case| {
        let input = case["input"].as_str().unwrap_or_default();
        let year = case["year"].as_u64().unwrap_or(2000) as u16;
        let own = case["reference_id"].as_str().and_then(|s| RefId::parse(s).ok());
        let mut got: Vec<String> = Vec::new();
        for r in parse_references(input, year, own.as_ref()) {
            if let Some(id) = r.cable {
                let id = id.to_string();
                if !got.contains(&id) {
                    got.push(id);
                }
            }
        }
        compare(got, str_list(&case["expected"]))
    });
}

#[test]
fn conformance_references_ng() {
    run_family("references_ng", 1.0, |case| {
        let input = case["input"].as_str().unwrap_or_default();
        let year = case["year"].as_u64().unwrap_or(2000) as u16;
        let got: Vec<Value> = parse_references(input, year, None)
            .into_iter()
            .map(|r| {
                let kind = match r.kind {
                    ReferenceKind::Cable => "cable",
                    ReferenceKind::Email => "email",
                    ReferenceKind::Tel => "tel",
                    ReferenceKind::Memo => "memo",
                    ReferenceKind::Report => "report",
                    ReferenceKind::Book => "book",
                    ReferenceKind::Other => "other",
                };
                let value = match &r.cable {
                    Some(id) => id.to_string(),
                    None => r.text.clone(),
                };
                serde_json::json!({"value": value, "kind": kind, "bullet": r.bullet.map(String::from), "title": null})
            })
            .collect();
        let expected = case["expected"].as_array().cloned().unwrap_or_default();
        compare(got, expected)
    });
}

#[test]
#[ignore = "its 11 cables are not in ../shared/corpus; run with --ignored against a fuller corpus (DEMARCHE_SHARED)"]
fn conformance_reference_oddities() {
    run_family("reference_oddities", 1.0, |case| {
        let Some((body, year, c)) = corpus_body(case) else {
            return Outcome::Skip;
        };
        let got: Vec<String> = parse_references(body, year, Some(&c.id))
            .into_iter()
            .filter_map(|r| r.cable.map(|i| i.to_string()))
            .collect();
        let expected = str_list(&case["expected"]);
        if case["match"].as_str() == Some("contains") {
            if expected.iter().all(|e| got.contains(e)) {
                Outcome::Pass
            } else {
                Outcome::Fail(format!("{got:?}"))
            }
        } else {
            compare(got, expected)
        }
    });
}

#[test]
fn conformance_subject() {
    run_family("subject", 0.98, |case| {
        let input = case["input"].as_str().unwrap_or_default();
        let clean = option_flag(case, "clean");
        let expected = case["expected"].as_str().unwrap_or_default().to_owned();
        match case["input_kind"].as_str() {
            Some("content") => compare(parse_subject(input, clean), expected),
            Some("html") => match crate::shared::parser().parse_html(input.as_bytes()) {
                Ok(c) => compare(c.subject, expected),
                Err(e) => Outcome::Fail(format!("error: {e}")),
            },
            _ => match corpus_body(case) {
                Some((_, _, c)) => compare(c.subject.clone(), expected),
                None => Outcome::Skip,
            },
        }
    });
}

#[test]
fn conformance_tags() {
    run_family("tags", 0.98, |case| {
        let expected = str_list(&case["expected"]);
        match case["input_kind"].as_str() {
            Some("content") => {
                let input = case["input"].as_str().unwrap_or_default();
                compare(parse_tags(input, option_flag(case, "canonicalize")), expected)
            }
            _ => match corpus_body(case) {
                Some((_, _, c)) => compare(c.tags.iter().map(|t| t.code.clone()).collect(), expected),
                None => Outcome::Skip,
            },
        }
    });
}

#[test]
fn conformance_clean_content() {
    run_family("clean_content", 0.98, |case| {
        let input = case["input"].as_str().unwrap_or_default();
        compare(clean_content(input), case["expected"].as_str().unwrap_or_default().to_owned())
    });
}
