//! Per-field accuracy of the parser on a labelled set of real cables.
//!
//! `tests/data/fields-eval.jsonl` holds, for 330 cables of the shared
//! corpus (every year present, one cable of every station at least, the
//! rest sampled at random: 330 in five labelling passes), what a careful reader
//! finds in each: the signer, the `Classified By` name and title, the
//! summary, the TO and INFO addressees and the declassification date. The
//! labels were made by reading the cables (the conventions are in
//! `tests/data/fields-eval.md`, a copy of the labellers' instructions), not
//! by running this parser. The test prints
//! the accuracy of every field and the cables it got wrong, and fails when a
//! field falls under [`TARGET`].

use serde::Deserialize;

use crate::shared::{parser, shared_dir};

/// The accuracy every field must reach.
const TARGET: f64 = 0.97;

#[derive(Debug, Deserialize)]
struct Label {
    id: String,
    path: String,
    signer: Option<String>,
    classified_by: Option<ClassifiedByLabel>,
    summary: Option<String>,
    to: Vec<String>,
    info: Vec<String>,
    declassification_date: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ClassifiedByLabel {
    name: Option<String>,
    title: Option<String>,
}

/// White space collapsed.
fn spaced(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// For names and titles: letters, digits and single spaces, lower case
/// (`Charge d'Affaires, a.i.` = `charge d affaires a i`).
fn letters(s: &str) -> String {
    let kept: String =
        s.chars().map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { ' ' }).collect();
    spaced(&kept)
}

/// For summaries: white space collapsed, punctuation at either end ignored,
/// typographic quotes as plain ones.
fn prose(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| match c {
            '‘' | '’' => '\'',
            '“' | '”' => '"',
            c => c,
        })
        .collect();
    spaced(&s).trim_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace()).to_owned()
}

fn opt(s: Option<&str>, f: fn(&str) -> String) -> Option<String> {
    s.map(f).filter(|s| !s.is_empty())
}

struct Field {
    name: &'static str,
    right: usize,
    wrong: Vec<String>,
}

impl Field {
    fn check<T: PartialEq + std::fmt::Debug>(&mut self, id: &str, expected: T, got: T) {
        if expected == got {
            self.right += 1;
        } else {
            self.wrong.push(format!("{id}: expected {expected:?}, got {got:?}"));
        }
    }
    fn accuracy(&self) -> f64 {
        self.right as f64 / (self.right + self.wrong.len()).max(1) as f64
    }
}

#[test]
fn per_field_accuracy_on_the_labelled_set() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fields-eval.jsonl");
    let text = std::fs::read_to_string(&path).expect("the labelled set");
    let labels: Vec<Label> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| serde_json::from_str(l).unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), i + 1)))
        .collect();
    assert!(labels.len() >= 300, "the labelled set holds {} cables", labels.len());
    let mut fields: Vec<Field> = [
        "signer",
        "classified_by.name",
        "classified_by.title",
        "summary",
        "to",
        "info",
        "declassification_date",
    ]
    .into_iter()
    .map(|name| Field { name, right: 0, wrong: Vec::new() })
    .collect();
    let mut years = std::collections::BTreeSet::new();
    for l in &labels {
        let bytes = std::fs::read(shared_dir().join(&l.path)).unwrap_or_else(|e| panic!("{}: {e}", l.path));
        let c = parser().parse_html(&bytes).unwrap_or_else(|e| panic!("{}: {e}", l.path));
        assert_eq!(c.published_id, l.id, "{}", l.path);
        years.insert(c.id.year());
        let id = l.id.as_str();
        fields[0].check(id, opt(l.signer.as_deref(), spaced), opt(c.signer.as_deref(), spaced));
        let (name, title) =
            l.classified_by.as_ref().map_or((None, None), |b| (b.name.as_deref(), b.title.as_deref()));
        let by = c.classified_by.as_ref();
        fields[1].check(id, opt(name, letters), opt(by.and_then(|b| b.name.as_deref()), letters));
        fields[2].check(id, opt(title, letters), opt(by.and_then(|b| b.title.as_deref()), letters));
        fields[3].check(id, opt(l.summary.as_deref(), prose), opt(c.summary.as_deref(), prose));
        let names = |rs: &[cable::Recipient]| rs.iter().map(|r| spaced(&r.name)).collect::<Vec<_>>();
        fields[4].check(id, l.to.iter().map(|s| spaced(s)).collect::<Vec<_>>(), names(&c.header.to));
        fields[5].check(id, l.info.iter().map(|s| spaced(s)).collect::<Vec<_>>(), names(&c.header.info));
        let decl = c.declassification.as_ref().and_then(|d| d.date).map(|d| d.to_string());
        fields[6].check(id, l.declassification_date.clone(), decl);
    }
    println!(
        "per-field accuracy over {} labelled cables of {} years (target {TARGET}):",
        labels.len(),
        years.len()
    );
    for f in &fields {
        println!("  {:<22} {:>6.3}  ({} of {})", f.name, f.accuracy(), f.right, f.right + f.wrong.len());
    }
    for f in &fields {
        for w in &f.wrong {
            println!("  wrong {}: {w}", f.name);
        }
    }
    let failing: Vec<&str> = fields.iter().filter(|f| f.accuracy() < TARGET).map(|f| f.name).collect();
    assert!(failing.is_empty(), "fields under {TARGET}: {failing:?}");
}
