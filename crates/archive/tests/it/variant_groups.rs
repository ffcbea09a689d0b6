//! Spelling groups the archive learns, against a labelled set.
//!
//! `tests/data/variant-groups.jsonl` holds names the shared corpus spells
//! in several ways (people, organisations, places), found by reading and
//! grep: the spellings that must be joined, with the cables holding each,
//! and near words that are another name or an ordinary word and must not
//! be. The test prints, over the labelled words, the precision of the
//! joins the archive makes (a join to a spelling of another group, or to a
//! word labelled `not`, is wrong; joins to words the labels do not mention
//! are counted apart) and the recall of the labelled pairs.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::shared::{corpus_archive, labelled};

/// The precision the joins are to reach (a wrong variant pollutes every
/// search) and the recall of the labelled pairs: the targets, printed
/// beside the figures. Not reached yet (0.942 and 0.307 when this set was
/// made): see the floors.
const TARGETS: (f64, f64) = (0.95, 0.8);

/// What the learner reaches today, asserted so that it does not fall back
/// (not the targets above).
const FLOORS: (f64, f64) = (0.93, 0.30);

#[derive(Debug, Deserialize)]
struct Group {
    name: String,
    spellings: BTreeMap<String, u64>,
    #[serde(default)]
    not: Vec<String>,
}

fn groups() -> Vec<Group> {
    labelled("variant-groups.jsonl")
}

#[test]
fn the_archive_joins_spellings_of_one_name_and_keeps_names_apart() {
    let (archive, _) = corpus_archive();
    let v = &archive.index().unwrap().variants;
    let labelled = groups();
    assert!(labelled.len() >= 50, "{} groups", labelled.len());
    let group_of: BTreeMap<&str, usize> = labelled
        .iter()
        .enumerate()
        .flat_map(|(i, g)| g.spellings.keys().map(move |w| (w.as_str(), i)))
        .collect();
    let (mut pairs, mut found, mut right, mut wrong, mut unlabelled) =
        (0usize, 0usize, 0usize, 0usize, 0usize);
    let mut wrongs = Vec::new();
    let mut misses = Vec::new();
    for (i, g) in labelled.iter().enumerate() {
        let words: Vec<&str> = g.spellings.keys().map(String::as_str).collect();
        for (k, a) in words.iter().enumerate() {
            for b in &words[k + 1..] {
                pairs += 1;
                if v.joined(a, b) {
                    found += 1;
                } else {
                    misses.push(format!("{a}/{b}"));
                }
            }
            for other in v.others(a) {
                match group_of.get(other) {
                    Some(&j) if j == i => right += 1,
                    Some(_) => {
                        wrong += 1;
                        wrongs.push(format!("{a}+{other}"));
                    }
                    None if g.not.iter().any(|n| n == other) => {
                        wrong += 1;
                        wrongs.push(format!("{a}+{other} (labelled not)"));
                    }
                    None => unlabelled += 1,
                }
            }
            for n in &g.not {
                if v.joined(a, n) && !v.others(a).contains(&n.as_str()) {
                    wrong += 1;
                }
            }
        }
        let _ = &g.name;
    }
    let precision = right as f64 / (right + wrong).max(1) as f64;
    let recall = found as f64 / pairs.max(1) as f64;
    println!(
        "spelling groups over {} labelled names: precision {precision:.3} ({right} right joins, {wrong} wrong, \
         {unlabelled} to words the labels do not mention), recall {recall:.3} ({found} of {pairs} labelled pairs)",
        labelled.len()
    );
    println!("wrong joins: {}", wrongs.join(", "));
    println!("missed pairs: {}", misses.join(", "));
    let met = |x: f64, t: f64| if x >= t { "met" } else { "NOT MET" };
    println!(
        "targets: precision {} {}, recall {} {}",
        TARGETS.0,
        met(precision, TARGETS.0),
        TARGETS.1,
        met(recall, TARGETS.1)
    );
    assert!(precision >= FLOORS.0, "precision {precision:.3} fell under {}", FLOORS.0);
    assert!(recall >= FLOORS.1, "recall {recall:.3} fell under {}", FLOORS.1);
}
