//! The signer: the name at the end of a cable (`RICE`, `HELMS`, `Beyrle`).
//!
//! What follows the name is skipped: `NNNN`, `BT`, page-break lines, the
//! repeated classification line of older cables, the `Declassified/Released
//! US Department of State EO Systematic Review` footer, a "Visit our
//! classified website" line. A classification word, a caveat, a heading or a
//! page-break line is never a signer.

use std::sync::LazyLock;

use regex::Regex;

use super::{split_banner, Line};
use crate::Caveat;

/// A page-break marker inside the last line, then the name: `... emissions.
/// RIO DE JAN 00000285 002 OF 002 HEARNE`.
static INNER_PAGE_BREAK_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s\d{4,8}\s+\d{1,3}(?:\.\d+)?\s+OF\s+\d{1,3}\s+([A-Z][A-Za-z' -]{1,38})$").expect("regex")
});

/// How many non-blank lines from the end are looked at.
const LOOK_BACK: usize = 16;

pub(super) fn find_signer(all: &[Line<'_>]) -> Option<String> {
    let mut looked = 0;
    for l in all.iter().rev() {
        let t = l.text.trim();
        // A page-break marker run into the signature: "RIO DE JAN 00000285 002 OF 002 HEARNE".
        let t = match super::strip_page_break(t) {
            Some(rest) => rest.trim(),
            None => INNER_PAGE_BREAK_RE.captures(t).and_then(|c| c.get(1)).map_or(t, |m| m.as_str().trim()),
        };
        if t.is_empty() {
            continue;
        }
        looked += 1;
        if looked > LOOK_BACK {
            return None;
        }
        if is_trailer(t) {
            continue;
        }
        // "GP-3. RUSK": the declassification group of older cables, then the name.
        let t = strip_group_marker(t);
        let t = t.strip_prefix("MINIMIZE CONSIDERED").map_or(t, str::trim_start);
        // "(SECRET//REL Armenia) YOVANOVITCH": a marking before the name.
        let t = super::after_marking(t).map(str::trim).filter(|r| !r.is_empty()).unwrap_or(t);
        let ended_with_dot = t.ends_with('.');
        let t = strip_date(t.trim_end_matches('.').trim());
        if is_name_line(t) && !is_never_a_name(t) {
            // "... APPRECIATES TRINIDAD'S\nASSISTANCE.": the end of a sentence.
            if ended_with_dot && previous_line_runs_on(all, l) {
                return None;
            }
            return Some(repeated_name(t).to_owned());
        }
        return glued_name(t).map(|n| repeated_name(n).to_owned());
    }
    None
}

/// `PARDEW PARDEW` -> `PARDEW`, `CLINTON UNQUOTE CLINTON` -> `CLINTON`: a
/// signature printed twice (a repeated cable signs the quoted text too).
fn repeated_name(t: &str) -> &str {
    let words: Vec<&str> = t.split_whitespace().collect();
    match words.as_slice() {
        [a, b] if a == b => b,
        [.., q, last] if q.eq_ignore_ascii_case("UNQUOTE") => last,
        _ => t,
    }
}

/// Whether the non-blank line before `line` ends mid-sentence (a letter,
/// a digit or a comma), so that `line` continues it.
fn previous_line_runs_on(all: &[Line<'_>], line: &Line<'_>) -> bool {
    let Some(at) = all.iter().position(|l| std::ptr::eq(l, line)) else { return false };
    all[..at]
        .iter()
        .rev()
        .map(|l| l.text.trim())
        .find(|t| !t.is_empty())
        .and_then(|t| t.chars().last())
        .is_some_and(|c| c.is_alphanumeric() || matches!(c, ',' | '\'' | '’'))
}

/// WikiLeaks' conversion sometimes ran the signature into the last
/// sentence: "... in PM/WRA. RICE", "... war heroes.” BUTENIS", "... can do
/// together. Aguirre". Accepted only after mixed-case text.
fn glued_name(t: &str) -> Option<&str> {
    // "... END COMMENT THORNE", "End Text. CLINTON".
    let up = t.to_ascii_uppercase();
    for end in ["END COMMENT", "END TEXT", "END NOTE", "END SUMMARY"] {
        if let Some(at) = up.rfind(end) {
            let rest = t[at + end.len()..].trim_start_matches(['.', ' ']);
            if !rest.is_empty() && is_name_line(rest) && !is_never_a_name(rest) {
                return Some(rest);
            }
        }
    }
    let at = t.rfind(['.', '”', '"', '?', '!'])?;
    let (before, last) = (&t[..at], t[at..].trim_start_matches(['.', '”', '"', '?', '!']));
    // "... restructuring. .FARRAR": a stray dot before the name.
    if !last.starts_with(' ') && !before.ends_with([' ', '.']) {
        return None;
    }
    let last = last.trim();
    let words = last.split_whitespace().count();
    let upper = last.chars().all(|c| c.is_uppercase() || matches!(c, ' ' | '-' | '\''));
    let ok = is_name_line(last)
        && !is_never_a_name(last)
        && (upper || words == 1)
        && before.chars().any(|c| c.is_lowercase());
    ok.then_some(last)
}

/// `DANILOVICH 2005-05-06` -> `DANILOVICH`: a date printed after the name.
fn strip_date(t: &str) -> &str {
    match t.rsplit_once(' ') {
        Some((name, date)) if date.len() == 10 && date.parse::<crate::Date>().is_ok() => name.trim_end(),
        _ => t,
    }
}

/// Lines printed after the signature.
fn is_trailer(t: &str) -> bool {
    let up = t.to_ascii_uppercase();
    let up = up.as_str();
    matches!(up, "NNNN" | "NNN" | "BT" | "SIPDIS" | "END TEXT" | "END CABLE" | "END OF MESSAGE" | "ADP000")
        || up.starts_with('#')
        || up.starts_with("DECLASSIFIED/RELEASED")
        || up.starts_with("SYSTEMATIC REVIEW")
        || up.starts_with("NOTE BY OC/T")
        || up.starts_with("<<")
        || up.starts_with("HTTP")
        || up.trim_start_matches(['"', '\'', '“']).starts_with("VISIT ")
            && (up.contains("WEB") || up.contains("SITE") || up.contains("HTTP"))
        || up.contains("CLASSIFIED WEBSITE")
        // The wrapped end of a website line: `gov.gov/wiki/Portal:Turkey"`.
        || (up.contains("/WIKI/") || up.contains("WWW.")) && !up.contains(' ')
        || up.starts_with("FOR MORE REPORTING")
        || up.starts_with("TRACK ")
        || up.starts_with("ID:") && up[3..].trim().bytes().all(|b| b.is_ascii_digit())
        || !up.is_empty() && up.chars().all(|c| c.is_ascii_punctuation())
        || is_marking_line(t)
        || (up.starts_with("GP-") || up.starts_with("GP ")) && up.len() <= 6
        || up.ends_with("...") && up.len() < 60
        || up.starts_with("DRAFTED BY")
        || up.starts_with("APPROVED BY")
        || up.starts_with("CLEARED")
}

/// A line that is only a classification or handling marking:
/// `CONFIDENTIAL`, `C O N F I D E N T I A L`, `LIMITED OFFICIAL USE`, `NOFORN`.
pub(super) fn is_marking_line(t: &str) -> bool {
    if split_banner(t).is_some_and(|(_, rest)| rest.trim().is_empty()) {
        return true;
    }
    let up = t.to_ascii_uppercase();
    up.split([' ', '/', ',']).filter(|w| !w.is_empty()).all(|w| {
        Caveat::from_word(w).is_some()
            || matches!(
                w,
                "LIMITED"
                    | "OFFICIAL"
                    | "USE"
                    | "ONLY"
                    | "UNCLASSIFIED"
                    | "CONFIDENTIAL"
                    | "SECRET"
                    | "UNCLAS"
                    | "NOFORN"
                    | "SENSITIVE"
            )
    })
}

/// `GP-3. RUSK` -> `RUSK`; any other line as it is.
fn strip_group_marker(t: &str) -> &str {
    let up = t.as_bytes();
    if up.len() > 5 && up[..2].eq_ignore_ascii_case(b"GP") {
        let rest = t[2..].trim_start_matches(['-', ' ']);
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            let after = rest[digits..].trim_start_matches(['.', ' ']);
            if after.len() < rest.len() - digits || after.is_empty() {
                return after;
            }
        }
    }
    t
}

/// Words that make a short capitalised line a heading or a marking, not a name.
const NOT_NAMES: &[&str] = &[
    "ACTION",
    "BACKGROUND",
    "BIO",
    "BIOGRAPHIC",
    "CLASSIFIED",
    "COMMENT",
    "COMMENTS",
    "CONCLUSION",
    "CONCLUSIONS",
    "CONFIDENTIAL",
    "CONTACT",
    "CONTACTS",
    "DEADLINE",
    "DECLASSIFIED",
    "END",
    "GUIDANCE",
    "INFORMATION",
    "INTRODUCTION",
    "ISSUE",
    "ISSUES",
    "LIMITED",
    "NEXT",
    "NOFORN",
    "NOTE",
    "OBJECTIVE",
    "OBJECTIVES",
    "OFFICIAL",
    "OUTLOOK",
    "PAGE",
    "PARTICIPANTS",
    "POINTS",
    "RECOMMENDATION",
    "RECOMMENDATIONS",
    "REPORTING",
    "REQUEST",
    "SECRET",
    "SECTION",
    "SENSITIVE",
    "STEPS",
    "SUBJECT",
    "SUMMARY",
    "TEXT",
    "UNCLASSIFIED",
    "UNCLAS",
    "USE",
];

fn is_never_a_name(t: &str) -> bool {
    // A redaction (`XXXXXXXXXXXX`) hides a name; it is not one.
    t.len() >= 4 && t.chars().all(|c| c == 'X' || c == ' ')
        || is_marking_line(t)
        || t.split_whitespace()
            .any(|w| NOT_NAMES.contains(&w.trim_matches([':', '.', '-']).to_ascii_uppercase().as_str()))
}

/// A short line that can only be a name: `RICE`, `CLINTON`, `Pearson`, `DE SOUSA`.
pub(super) fn is_name_line(t: &str) -> bool {
    let words: Vec<&str> = t.split_whitespace().collect();
    (1..=4).contains(&words.len())
        && t.len() <= 40
        && !t.ends_with(['.', ':', ',', '?', '!', ')'])
        && t.chars().all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '.' | '/' | '’'))
        && words.iter().all(|w| w.chars().next().is_some_and(char::is_uppercase))
        && t.chars().filter(|c| c.is_alphabetic()).count() >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer(body: &str) -> Option<String> {
        find_signer(&super::super::lines(body))
    }

    #[test]
    fn names_at_the_end() {
        assert_eq!(signer("1. (C) Text.\n\nRICE\n").as_deref(), Some("RICE"));
        assert_eq!(signer("1. Text.\n\nBeyrle\n\nNNNN").as_deref(), Some("Beyrle"));
        assert_eq!(signer("1. Text in PM/WRA. RICE").as_deref(), Some("RICE"));
        assert_eq!(signer("1. TEXT.\n\nCLINTON\nBT\n#4777\nNNNN").as_deref(), Some("CLINTON"));
        assert_eq!(signer("1. TEXT.\nGP-3. RUSK").as_deref(), Some("RUSK"));
        assert_eq!(signer("1. All bodes well. DANILOVICH 2005-05-06").as_deref(), Some("DANILOVICH"));
        assert_eq!(signer("1. against its “war heroes.” BUTENIS").as_deref(), Some("BUTENIS"));
        assert_eq!(signer("1. Spain can do together. Aguirre").as_deref(), Some("Aguirre"));
        assert_eq!(
            signer("1. prevented emissions. RIO DE JAN 00000285 002 OF 002 HEARNE").as_deref(),
            Some("HEARNE")
        );
        assert_eq!(signer("1. Text.\n\nMINIMIZE CONSIDERED SHANNON").as_deref(), Some("SHANNON"));
        assert_eq!(signer("1. Text.\nTRIVELLI\n\nDANIEL ORTEGA AN...").as_deref(), Some("TRIVELLI"));
        assert_eq!(signer("1. Text.\n\nCHICOLA\n    ...").as_deref(), Some("CHICOLA"));
        assert_eq!(signer("1. for success. BROWNFIELD \n.").as_deref(), Some("BROWNFIELD"));
        assert_eq!(signer("3. Text.\n\nPARDEW PARDEW").as_deref(), Some("PARDEW"));
        assert_eq!(signer("QUOTE 1. Text. CLINTON UNQUOTE CLINTON").as_deref(), Some("CLINTON"));
        assert_eq!(signer("1. Text.\n\nEnd Text. CLINTON").as_deref(), Some("CLINTON"));
        assert_eq!(signer("10. for business. END COMMENT THORNE").as_deref(), Some("THORNE"));
        assert_eq!(signer("15. radical restructuring. .FARRAR").as_deref(), Some("FARRAR"));
        assert_eq!(
            signer("2. Hizballah Brigades.\n\n(SECRET//REL Armenia) YOVANOVITCH").as_deref(),
            Some("YOVANOVITCH")
        );
        let website = "9. (C) Cleared.\n\nJEFFREY\n\n  \"Visit Ankara's Classified Web Site at http://www.intelink.s\ngov.gov/wiki/Portal:Turkey\"";
        assert_eq!(signer(website).as_deref(), Some("JEFFREY"));
        let print = "of the administration.\"\nWHITE\n\nTrack impresi\u{f3}n: asegovia @ Sat Dec 4 19:20:36 2010.\nID:\t187536";
        assert_eq!(signer(print).as_deref(), Some("WHITE"));
        assert_eq!(
            signer("see http://en.wikipedia.org/wiki/Taxi for “Taxi to the Dark Side.” Stroum").as_deref(),
            Some("Stroum")
        );
    }

    #[test]
    fn older_cables_end_with_the_classification_and_a_review_footer() {
        let body = "8. IN SUM, TEXT.\n\n\nHELMS \n\nDeclassified/Released US Department of State EO \nSystematic Review 05 JUL 2006";
        assert_eq!(signer(body).as_deref(), Some("HELMS"));
        let body = "3. TEXT.\n\nKISSINGER\n\n\nCONFIDENTIAL\n\n<< END OF DOCUMENT >>";
        assert_eq!(signer(body).as_deref(), Some("KISSINGER"));
        let body = "3. TEXT.\nMURPHY\nC O N F I D E N T I A L\nNNN";
        assert_eq!(signer(body).as_deref(), Some("MURPHY"));
    }

    #[test]
    fn markings_headings_and_page_breaks_are_never_signers() {
        assert_eq!(signer("1. Text.\n\nCONFIDENTIAL"), None);
        assert_eq!(signer("1. Text.\n\nLIMITED OFFICIAL USE"), None);
        assert_eq!(signer("1. Text.\n\nBACKGROUND"), None);
        assert_eq!(signer("1. Text.\n\nEND COMMENT"), None);
        assert_eq!(signer("1. Text of the cable.\nKABUL 00000346  003 OF 003"), None);
        assert_eq!(signer("1. Text.\n\nPAGE 02        STATE   015113  182333Z"), None);
        assert_eq!(
            signer("3. PLEASE CABLE CONCURRENCE. BRIDGETOWN APPRECIATES TRINIDAD'S\nASSISTANCE."),
            None
        );
    }
}
