//! The `Classified By` line: the classifying official's name and title, and
//! the reasons of E.O. 12958 section 1.4 (or 1.5 under older orders).
//!
//! Written in many ways: `Classified By: PM Assistant Secretary Mark T.
//! Kimmitt For Reasons 1.4 (b) and (d)`, `CLASSIFIED BY: Name, Title,
//! Office; REASON: 1.4(B), (D)`, `CLASSIFIED BY NAME, DEPUTY CHIEF OF
//! MISSION. REASON: 1.5 (D)`, over two lines, or inside a numbered paragraph.

use std::sync::LazyLock;

use regex::Regex;

use super::{paragraph_start, Line};
use crate::model::ClassifiedBy;

static CLASSIFIED_BY_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*classified\s+by\s*[:;.,\-]?\s*").expect("regex"));
static INLINE_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\sclassified\s+by\s*:").expect("regex"));
static REASON_SPLIT_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:[,;:.]?\s*\bfor\s+re\s*a?s|[,;:.]?\s*\b(?:for|per|under)\s+(?:1\.[45]|e\.?\s?o\.?\s*1|sec(?:tion)?\.?\s+1)|[,;:.]?\s*\bfo\s+reas|[,;:.]?\s*\breasons?\b|[,;:.]?\s*\breas\b|[,;:.]?\s*\bE\.?\s?O\.?\s*1[23]\d{3}|[,;:.]?\s*\b1\.[45]\s*\(|[,;:.]?\s*\b1\.[45]\b|[,;:.]?\s*\bsec(?:tion)?\.?\s+1\.[45])",
    )
    .expect("regex")
});

/// Reasons written out with their letters: `1.4 (b)`, `1.4(B)`, `(d)`.
static REASON_LETTERS_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"1\.[45]\s*\(?\s*[a-hA-H]\b|\(\s*[a-hA-H]\s*\)").expect("regex"));

/// Words of titles and offices (upper case). A word with a slash
/// (`POL/ECON`, `PM/WRA`) is taken for an office too.
const TITLE_WORDS: &[&str] = &[
    "A.I",
    "A.I.",
    "A/DCM",
    "A/S",
    "ACTING",
    "AMB",
    "MC",
    "MINCOUNS",
    "POLMINCOUNS",
    "ECONMINCOUNS",
    "CHARGÉ",
    "D'AFFAIRS",
    "ADVISER",
    "ADVISOR",
    "AF",
    "AFFAIRES",
    "AFFAIRS",
    "AGRICULTURAL",
    "AI",
    "ALTERNATE",
    "AMBASADOR",
    "AMBASSADOR",
    "AMBASSADOR-AT-LARGE",
    "AMBASSADOR-DESIGNATE",
    "AND",
    "ASSISTANT",
    "ATTACHE",
    "BRANCH",
    "BUREAU",
    "CDA",
    "CG",
    "CHARG",
    "CHARGE",
    "CHARGÉ",
    "CHIEF",
    "COMMERCIAL",
    "CONGEN",
    "CONSUL",
    "CONSUL-GENERAL",
    "CONSULAR",
    "CONSULATE",
    "COORDINATOR",
    "COUNSELLOR",
    "COUNSELOR",
    "D'AFFAIRES",
    "DAFFAIRES",
    "DAS",
    "DATT",
    "DCM",
    "DEFENSE",
    "DEPARTMENT",
    "DEPT",
    "DEPUTY",
    "DESK",
    "DIRECTOR",
    "DIVISION",
    "DOS",
    "DRL",
    "EAP",
    "ECON",
    "ECON-POL",
    "ECONCOUN",
    "ECONCOUNS",
    "ECONOFF",
    "ECONOMIC",
    "ECONOMIC-POLITICAL",
    "ECOPOL",
    "EEB",
    "ENERGY",
    "ENVIRONMENT",
    "ENVOY",
    "ESTH",
    "EUR",
    "EXEC",
    "EXECUTIVE",
    "FOR",
    "GENERAL",
    "GLOBAL",
    "HEAD",
    "HEALTH",
    "INR",
    "INTERIM",
    "INTERNAL",
    "IO",
    "ISN",
    "LABOR",
    "LEADER",
    "LEGATT",
    "MANAGEMENT",
    "MGMT",
    "MILITARY",
    "MINISTER",
    "MINISTER-COUNSELLOR",
    "MINISTER-COUNSELOR",
    "MISSION",
    "NATO",
    "NEA",
    "OF",
    "OFFICE",
    "OFFICER",
    "PAO",
    "PDAS",
    "PERMANENT",
    "PERMREP",
    "PM",
    "PO",
    "POL",
    "POL-ECON",
    "POL-MIL",
    "POL/ECON",
    "POLCHIEF",
    "POLCOUN",
    "POLCOUNS",
    "POLCOUNSELOR",
    "POLECON",
    "POLITICAL",
    "POLITICAL-ECONOMIC",
    "POLITICAL-MILITARY",
    "POLMIL",
    "POLMILOFF",
    "POLOFF",
    "PRINCIPAL",
    "PRM",
    "PRT",
    "PUBLIC",
    "REGIONAL",
    "REPRESENTATIVE",
    "RSO",
    "SCA",
    "SCIENCE",
    "SECRETARY",
    "SECTION",
    "SENIOR",
    "SPECIAL",
    "STATE",
    "S/CT",
    "TEAM",
    "THE",
    "U.S.",
    "UNDER",
    "UNIT",
    "US",
    "USUN",
    "WHA",
];

/// Finds and decodes the `Classified By` line: in the header block first,
/// then anywhere in the body (some cables put it inside a paragraph).
pub(super) fn find_classified_by(head: &[Line<'_>], all: &[Line<'_>]) -> Option<ClassifiedBy> {
    let at_line_start = |l: &Line<'_>| l.text.len() < 400 && CLASSIFIED_BY_RE.is_match(l.text);
    if let Some(i) = head.iter().position(at_line_start) {
        return Some(decode(head, i, 0));
    }
    // Run into the line above: "SUBJECT: ... LULA CLASSIFIED BY: Thomas A. Shannon, ...".
    let inline = head.iter().enumerate().find_map(|(i, l)| {
        let m = INLINE_RE.find(l.text).filter(|_| l.text.len() < 600)?;
        Some((i, m.start() + 1))
    });
    if let Some((i, at)) = inline {
        return Some(decode(head, i, at));
    }
    // In a paragraph: `1. (U) Classified By: ...`.
    all.iter().enumerate().find_map(|(i, l)| {
        let (_, _, at) = paragraph_start(l.text)?;
        let rest = l.text.get(at..)?;
        (rest.len() < 400 && CLASSIFIED_BY_RE.is_match(rest)).then(|| decode(all, i, at))
    })
}

/// Whether a line starts something other than a continuation of the line above.
fn starts_something_else(t: &str) -> bool {
    let up = t.to_ascii_uppercase();
    paragraph_start(t).is_some()
        || super::is_page_break(t)
        || ["SUBJ", "REF", "TAGS", "SUMMARY", "E.O.", "EO ", "SIPDIS", "(", "¶", "---"]
            .iter()
            .any(|k| up.starts_with(k))
        || super::parse_banner(t).is_some()
}

/// Whether line `t` continues the `Classified By` line `above`: a line of
/// reasons (`1.4 (b) and (d).`, `reasons 1.4`, `(b), (d)`), or any line when
/// the one above has not reached its reasons yet.
pub(super) fn continues(above: &str, t: &str) -> bool {
    if starts_something_else(t) && !t.starts_with('(') {
        return false;
    }
    let reasons_line = t.starts_with(|c: char| c.is_ascii_digit() || c.is_lowercase() || c == '(')
        || REASON_SPLIT_RE.find(t).is_some_and(|m| m.start() < 3);
    let above_has_reasons = REASON_LETTERS_RE.is_match(above);
    let above_open =
        above.trim_end().ends_with([',', '(']) || above.trim_end().to_ascii_lowercase().ends_with(" and");
    reasons_line && (!above_has_reasons || above_open || t.starts_with('('))
        || !above_has_reasons && t.len() < 80
}

/// Decodes the line at `i` (its text from byte `at`) and its continuation lines.
fn decode(lines: &[Line<'_>], i: usize, at: usize) -> ClassifiedBy {
    let first = lines[i].text.get(at..).unwrap_or("");
    let mut text = first;
    // "Classified By: Classified by Ambassador ...": the keyword repeated.
    while let Some(m) = CLASSIFIED_BY_RE.find(text) {
        text = &text[m.end()..];
    }
    let mut text = text.trim().to_owned();
    let mut above = first;
    for l in &lines[i + 1..] {
        let t = l.text.trim();
        if t.is_empty() || text.len() > 400 || !continues(above, t) {
            break;
        }
        // The page wrapped the line inside a word: "Josiah Rosen" / "blatt for reasons".
        let first_word = t.split_whitespace().next().unwrap_or("");
        let cut_word = first_word.chars().all(|c| c.is_ascii_lowercase())
            && !matches!(
                first_word,
                "for"
                    | "reason"
                    | "reasons"
                    | "per"
                    | "and"
                    | "under"
                    | "by"
                    | "of"
                    | "the"
                    | "a"
                    | "e"
                    | "b"
                    | "c"
                    | "d"
            )
            && text.ends_with(|c: char| c.is_alphabetic());
        if !cut_word {
            text.push(' ');
        }
        text.push_str(t);
        above = l.text;
    }
    let (official, reasons_text) = match REASON_SPLIT_RE.find(&text) {
        Some(m) => (text[..m.start()].trim(), &text[m.start()..]),
        None => (text.as_str(), ""),
    };
    // A page cut off inside the line: "Classified By: A..." says nothing.
    let official = match official.strip_suffix("...") {
        Some(cut) => cut.rsplit_once(' ').map_or("", |(kept, _)| kept),
        None => official,
    };
    let mut official = official.trim_end_matches([',', ';', ':', '.', ' ', '-']);
    for tail in [" for", " per", " under", " by", " FOR", " PER", " For", " Per"] {
        official =
            official.strip_suffix(tail).unwrap_or(official).trim_end_matches([',', ';', ':', '.', ' ']);
    }
    let reasons_text = reasons_text.split_once("1.").map_or(reasons_text, |(_, r)| r);
    let mut reasons: Vec<char> = Vec::new();
    for token in reasons_text.split(|c: char| !c.is_ascii_alphabetic()) {
        if let [c @ (b'a'..=b'h' | b'A'..=b'H')] = token.as_bytes() {
            let ch = char::from(c.to_ascii_lowercase());
            if !reasons.contains(&ch) {
                reasons.push(ch);
            }
        }
    }
    let (name, title) = split_official(official);
    ClassifiedBy { text: format!("Classified By: {text}"), name, title, reasons }
}

fn is_title_word(w: &str) -> bool {
    let up = w.trim_matches([',', ';', ':', '(', ')']).to_uppercase().replace('’', "'");
    let bare = up.trim_end_matches('.');
    TITLE_WORDS.contains(&up.as_str()) || TITLE_WORDS.contains(&bare) || (up.contains('/') && up.len() > 2)
}

/// Whether a word can be part of a personal name: `Mark`, `T.`, `KIMMITT`,
/// `O'Brien`, `McCONNELL`, `de`, `Jr.`.
fn is_name_word(w: &str) -> bool {
    let w = w.trim_end_matches([',', '.']);
    let lower_particle =
        matches!(w, "de" | "da" | "van" | "von" | "del" | "la" | "le" | "bin" | "al" | "el" | "du" | "der");
    lower_particle
        || w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().all(|c| c.is_alphabetic() || matches!(c, '\'' | '-' | '’'))
}

/// A part of the official's text split into its title words and the
/// personal name after them (`PM Assistant Secretary` + `Mark T. Kimmitt`).
fn title_and_name(part: &str) -> (Vec<&str>, Option<Vec<&str>>) {
    let words: Vec<&str> = part.split_whitespace().collect();
    let name_from = words.iter().rposition(|w| is_title_word(w)).map_or(0, |p| p + 1);
    let name = &words[name_from..];
    let is_name = !name.is_empty()
        && name.iter().all(|w| is_name_word(w))
        && (name.len() >= 2 || name_from > 0 && name[0].chars().filter(|c| c.is_alphabetic()).count() > 2);
    if is_name {
        (words[..name_from].to_vec(), Some(name.to_vec()))
    } else {
        (words, None)
    }
}

/// Splits the official's text into name and title: "PM Assistant Secretary
/// Mark T. Kimmitt", "Richard Olson, Ambasador", "Name, Title, Office",
/// "Ambassador" alone.
pub(super) fn split_official(official: &str) -> (Option<String>, Option<String>) {
    let clean = |s: &str| {
        let s = s.trim().trim_matches([',', ';', ':', ' ', '-']);
        (!s.is_empty()).then(|| s.to_owned())
    };
    let parts: Vec<&str> = official.split([',', ';']).map(str::trim).filter(|p| !p.is_empty()).collect();
    let mut name: Option<String> = None;
    let mut title_parts: Vec<String> = Vec::new();
    for part in &parts {
        // "EDUARDO AGUIRRE, JR.": a suffix of the name before it.
        let bare = part.trim_end_matches('.').to_ascii_uppercase();
        if matches!(bare.as_str(), "JR" | "SR" | "II" | "III" | "IV") {
            if let Some(n) = name.as_mut() {
                n.push_str(", ");
                n.push_str(part);
                continue;
            }
        }
        let (title, person) = title_and_name(part);
        match person {
            Some(p) if name.is_none() => {
                name = Some(p.join(" "));
                if !title.is_empty() {
                    title_parts.push(title.join(" "));
                }
            }
            _ => title_parts.push(part.to_string()),
        }
    }
    let name = name.and_then(|n| clean(n.trim_end_matches(',')));
    let title = clean(&title_parts.join(", "));
    (name, title)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &'static str) -> ClassifiedBy {
        let lines: Vec<Line<'_>> = super::super::lines(text);
        find_classified_by(&lines, &lines).unwrap_or_else(|| panic!("no line in {text:?}"))
    }

    fn name_title(text: &'static str) -> (Option<String>, Option<String>) {
        let c = one(text);
        (c.name, c.title)
    }

    fn s(x: &str) -> Option<String> {
        Some(x.to_owned())
    }

    #[test]
    fn spellings_of_the_line() {
        let c = one("Classified By: PM Assistant Secretary Mark T. Kimmitt For Reasons 1.4 (b) and (d)");
        assert_eq!(
            (c.name, c.title, c.reasons),
            (s("Mark T. Kimmitt"), s("PM Assistant Secretary"), vec!['b', 'd'])
        );
        let c = one("CLASSIFIED BY: Richard Olson, Ambasador; REASON: 1.4(A), (B), (C), ");
        assert_eq!((c.name, c.title, c.reasons), (s("Richard Olson"), s("Ambasador"), vec!['a', 'b', 'c']));
        let c = one("Classified By: Ambassador, reason 1.4 (b,d)");
        assert_eq!((c.name, c.title, c.reasons), (None, s("Ambassador"), vec!['b', 'd']));
        assert_eq!(
            name_title(
                "CLASSIFIED BY: Jane Q. Smith, Political Counselor, Embassy Oslo; REASON: 1.4(B), (D)"
            ),
            (s("Jane Q. Smith"), s("Political Counselor, Embassy Oslo"))
        );
        let c = one("CLASSIFIED BY JOHN DOE, DEPUTY CHIEF OF MISSION. REASON: 1.5 (D)");
        assert_eq!((c.name, c.title, c.reasons), (s("JOHN DOE"), s("DEPUTY CHIEF OF MISSION"), vec!['d']));
        assert_eq!(
            name_title("Classified By: Polcouns Mark Powell, reasons 1.4 (b/d)"),
            (s("Mark Powell"), s("Polcouns"))
        );
        assert_eq!(
            name_title("Classified By: Charge d'Affaires a.i. Lisa Piascik for reasons 1.4 (b) and (d)"),
            (s("Lisa Piascik"), s("Charge d'Affaires a.i."))
        );
        assert_eq!(
            name_title("Classified by Ambassador John R. Bass, E.O. 12958 1.4(b)(d)"),
            (s("John R. Bass"), s("Ambassador"))
        );
        assert_eq!(name_title("Classified By: John Smith, 1.4 (b), (d)"), (s("John Smith"), None));
        assert_eq!(
            name_title("CLASSIFIED BY: AMBASSADOR RICHARD W. ERDMAN. REASON: 1.4 (B)"),
            (s("RICHARD W. ERDMAN"), s("AMBASSADOR"))
        );
        assert_eq!(
            name_title("Classified By: POLITICAL COUNSELOR ROBERT R. DOWNES FOR 1.4 (D)"),
            (s("ROBERT R. DOWNES"), s("POLITICAL COUNSELOR"))
        );
        assert_eq!(
            name_title("Classified By: Ambassador Margaret Scobey per 1.4 (b) and (d)."),
            (s("Margaret Scobey"), s("Ambassador"))
        );
        assert_eq!(
            name_title("Classified By: Acting DCM William Duncan, for re \nasons 1.4(b) and (d)."),
            (s("William Duncan"), s("Acting DCM"))
        );
        assert_eq!(name_title("Classified By: Classified By: Charge d’Affaires Patricia A. Butenis for \nreasons 1.4 (b) and (d)."), (s("Patricia A. Butenis"), s("Charge d’Affaires")));
        assert_eq!(
            name_title("Classified By: AMBASSADOR EDUARDO AGUIRRE, JR., REASONS 1.4(B),(D)."),
            (s("EDUARDO AGUIRRE, JR"), s("AMBASSADOR"))
        );
        assert_eq!(
            name_title("Classified By: Econ MC Matthias Mitman for reasons 1.4 (b. and d.)"),
            (s("Matthias Mitman"), s("Econ MC"))
        );
        assert_eq!(
            name_title("Classified By: Under Secretary Bill Burns for reasons 1.4(b, \nd)."),
            (s("Bill Burns"), s("Under Secretary"))
        );
        assert_eq!(
            name_title("Classified By: Pol M/C Allegrone for Reasons 1.4 b and d."),
            (s("Allegrone"), s("Pol M/C"))
        );
        assert_eq!(name_title("Classified By: A..."), (None, None));
        assert_eq!(
            name_title("Classified By: Amb. Tatiana Gfoeller, Reason 1.4 (b) and (d)."),
            (s("Tatiana Gfoeller"), s("Amb."))
        );
    }

    #[test]
    fn over_two_lines_and_inside_a_paragraph() {
        let c = one(
            "Classified By: ISN/MTR DIRECTOR PAM DURHAM FOR REASONS\n1.4 (b), (c), and (d).\n\n1. (S) Text.",
        );
        assert_eq!(
            (c.name, c.title, c.reasons),
            (s("PAM DURHAM"), s("ISN/MTR DIRECTOR"), vec!['b', 'c', 'd'])
        );
        let c = one("Classified By: Deputy Chief of Mission\nRobert Smith for reasons 1.4 (b) and (d)\n1. (C) Summary: text.");
        assert_eq!((c.name, c.title), (s("Robert Smith"), s("Deputy Chief of Mission")));
        let c = one("Classified By: Deputy Chief Ben Moeling. Reasons 1.4  (b/d)\nSummary\n-------");
        assert_eq!((c.name, c.title), (s("Ben Moeling"), s("Deputy Chief")));
        let body = "SUBJECT: AMBASSADOR MEETS LULA CLASSIFIED BY: Thomas A. Shannon, Ambassador, State; REASON: 1.4(B), (D)\n\n1. (C) Text.";
        let lines = super::super::lines(body);
        let c = find_classified_by(&lines[..2], &lines).unwrap();
        assert_eq!((c.name, c.title), (s("Thomas A. Shannon"), s("Ambassador, State")));
        let body = "SUBJECT: X\n\n1. (U) Classified By: DCM Tom Jones, for reasons 1.4 (d).\n\n2. (C) Text.";
        let lines = super::super::lines(body);
        let c = find_classified_by(&lines[..2], &lines).unwrap();
        assert_eq!((c.name, c.title, c.reasons), (s("Tom Jones"), s("DCM"), vec!['d']));
    }
}
