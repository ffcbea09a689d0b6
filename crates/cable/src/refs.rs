//! The REF block: references to other cables (canonical ids) and to
//! anything else (e-mails, telcons, memos, reports), in order of appearance.

use serde::{Deserialize, Serialize};

use crate::RefId;

mod lex;
mod region;
mod scan;

/// What a reference points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ReferenceKind {
    /// Another cable; [`Reference::cable`] holds its canonical id.
    Cable,
    /// An e-mail (`LAKHDHIR E-MAIL 12/01/09`).
    Email,
    /// A telephone conversation (`MITCHELL/SIMS TELCON 02/16/2010`).
    Tel,
    /// A memo or letter.
    Memo,
    /// A report (`2004 HUMAN RIGHTS REPORT FOR PANAMA`, `TD-314/21795-05`).
    Report,
    /// A manual or book (`9 FAM Appendix K`).
    Book,
    /// A message identified by its date-time group, a fax, a meeting, or
    /// anything else that is not a cable.
    Other,
}

/// One entry of a cable's REF list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reference {
    /// What it points at.
    pub kind: ReferenceKind,
    /// The cited cable's canonical id, for kind `cable`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cable: Option<RefId>,
    /// The reference as written, trimmed (`06 TBILISI 2601`, `KHAN-MORIMOTO E-MAIL (12/10/2008)`).
    pub text: String,
    /// Upper-case letter of the enumeration item it is listed under (`A. `, `(B)`), if any.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub bullet: Option<char>,
    /// `true` when the reference names no year (`REF: STATE 134777`): the
    /// year of [`Reference::cable`] was inferred, the citing cable's own
    /// unless its serials show the cited cable is from the year before. Early
    /// in a year the archive may resolve it to the year before
    /// ([`crate::Cable::year_before`]).
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub year_inferred: bool,
}

/// Finds the references of a cable body: the REF block (and the lines that
/// continue it) before the first numbered paragraph.
///
/// `year` is the four-digit year the citing cable was written: a reference
/// with no year of its own takes it. `own_id`, when known, is the citing
/// cable's id; its page-break lines (`TRIPOLI 00000402 001.2 OF 003`) are
/// never taken for references.
///
/// Only the block from the REF keyword (`REF:`, `REFS:`, `Ref(s):`,
/// `REFTEL:`, `REF A ...` at the start of a line) to its end is read: the
/// first numbered paragraph, `Classified By`, a spaced-out banner
/// (`C O N F I D E N T I A L`), a heading, or prose after a blank line.
/// Enumeration bullets (`A.`, `B)`, `(C)`, `[D]`, `E -`, doubled `A. A)`) give
/// each reference its [`Reference::bullet`]. Cables are recognised in their
/// many spellings (`06 TBILISI 2601`, `2007 MANAGUA 2135`, `'08 BUENOS AIRES
/// 1491`, `09DHAHRAN 201`, `10-OTTAWA-57`, `QUITO 4525-91`, `PANAMA
/// 00930/08`, `ASUNCION 701 (08)`, `BRASILIA 2799 AND 2764`, `Kabul
/// 692/317`); other documents are kept as text when their kind can be told
/// (`E-MAIL`, `TELCON`, `MEMO`, `REPORT`, `FAM`, `DTG`...), and dropped
/// otherwise. A cable citing itself (a page-break line) is left out.
///
/// ```
/// use cable::{parse_references, ReferenceKind};
/// let refs = parse_references(
///     "REF: A. STATE 125608  B. KABUL 346  C. KHAN-MORIMOTO E-MAIL (12/10/2008)\n",
///     2008,
///     None,
/// );
/// assert_eq!(refs[0].cable.as_ref().map(|id| id.as_str()), Some("08STATE125608"));
/// assert_eq!(refs[1].bullet, Some('B'));
/// assert_eq!(refs[2].kind, ReferenceKind::Email);
/// assert_eq!(refs[2].text, "KHAN-MORIMOTO E-MAIL (12/10/2008)");
/// ```
pub fn parse_references(body: &str, year: u16, own_id: Option<&RefId>) -> Vec<Reference> {
    match region::find(body) {
        Some((start, end)) => scan::references(body.get(start..end).unwrap_or(""), year, own_id),
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(refs: &[Reference]) -> Vec<&str> {
        refs.iter().filter_map(|r| r.cable.as_ref().map(RefId::as_str)).collect()
    }

    #[test]
    fn demarche_on_cluster_munitions() {
        let body = "SUBJECT: DEMARCHE TO AFGHANISTAN ON CLUSTER MUNITIONS\n\
                    REF: A. STATE 125608  B. KABUL 346  C. KHAN-MORIMOTO E-MAIL (12/10/2008)\n\
                    Classified By: PM Assistant Secretary Mark T. Kimmitt For Reasons 1.4 (b) and (d)\n\
                    \u{b6}1. (U) This is an action request. See para 2.\n";
        let refs = parse_references(body, 2008, None);
        assert_eq!(ids(&refs), ["08STATE125608", "08KABUL346"]);
        assert_eq!(refs.len(), 3);
        assert_eq!(
            (refs[0].kind, refs[0].bullet, refs[0].text.as_str()),
            (ReferenceKind::Cable, Some('A'), "STATE 125608")
        );
        assert_eq!((refs[1].bullet, refs[1].text.as_str()), (Some('B'), "KABUL 346"));
        assert_eq!(refs[2].kind, ReferenceKind::Email);
        assert_eq!(refs[2].cable, None);
        assert_eq!(refs[2].bullet, Some('C'));
        assert_eq!(refs[2].text, "KHAN-MORIMOTO E-MAIL (12/10/2008)");
    }

    #[test]
    fn years_before_and_after_the_serial() {
        let refs = parse_references(
            "REF: A. 06 TBILISI 2601 B. QUITO 4525-91 C. AMMAN 07718 99, D. '08 BUENOS AIRES 1491",
            2007,
            None,
        );
        assert_eq!(ids(&refs), ["06TBILISI2601", "91QUITO4525", "99AMMAN7718", "08BUENOSAIRES1491"]);
        assert_eq!(refs[0].text, "06 TBILISI 2601");
        let refs = parse_references(
            "REF: ASUNCION 701 (08); 2007 MANAGUA 2135; 09DHAHRAN 201; 10-OTTAWA-57",
            2010,
            None,
        );
        assert_eq!(ids(&refs), ["08ASUNCION701", "07MANAGUA2135", "09DHAHRAN201", "10OTTAWA57"]);
    }

    #[test]
    fn serials_sharing_a_station() {
        let refs = parse_references("Refs:  A) Kabul 936/935; B) BRASILIA 2799 AND 2764", 2007, None);
        assert_eq!(ids(&refs), ["07KABUL936", "07KABUL935", "07BRASILIA2799", "07BRASILIA2764"]);
        assert_eq!(
            refs.iter().map(|r| r.bullet).collect::<Vec<_>>(),
            [Some('A'), Some('A'), Some('B'), Some('B')]
        );
    }

    #[test]
    fn page_breaks_and_own_id_are_not_references() {
        let own: RefId = "08TRIPOLI402".parse().unwrap();
        let body = "REF: A) TRIPOLI 199, B) TRIPOLI 227 TRIPOLI 00000402 \n\n001.2 OF 003 \n";
        assert_eq!(ids(&parse_references(body, 2008, Some(&own))), ["08TRIPOLI199", "08TRIPOLI227"]);
        let body = "REF: A. STATE 40721 CONFIDENTIAL PAGE 02 ROME 01196 01 OF 02 082030Z B. ROME 1098";
        assert_eq!(ids(&parse_references(body, 2002, None)), ["02STATE40721", "02ROME1098"]);
    }

    #[test]
    fn documents_keep_their_text_and_kind() {
        let refs = parse_references(
            "REF: 08 STATE 1234; E-Mail Tralala; MITCHELL/SIMS TELCON 02/16/2010",
            2008,
            None,
        );
        let kinds: Vec<_> = refs.iter().map(|r| (r.kind, r.text.as_str())).collect();
        assert_eq!(
            kinds,
            [
                (ReferenceKind::Cable, "08 STATE 1234"),
                (ReferenceKind::Email, "E-Mail Tralala"),
                (ReferenceKind::Tel, "MITCHELL/SIMS TELCON 02/16/2010"),
            ]
        );
        let refs = parse_references("Ref: 9 FAM Appendix K, 406 (6)", 2009, None);
        assert_eq!(
            (refs.len(), refs[0].kind, refs[0].text.as_str()),
            (1, ReferenceKind::Book, "9 FAM Appendix K, 406 (6)")
        );
    }

    #[test]
    fn no_block_no_references() {
        assert!(parse_references("SUBJECT: REFORMS\n\n1. (C) As reftel notes, STATE 1234 ...", 2008, None)
            .is_empty());
        assert!(parse_references("REF: SECDEF R162245Z OCT 08\n\n1.Embassy London", 2008, None).is_empty());
        assert!(parse_references("REF: PARIS POINTS JULY 15  B. INCSR BRAZIL 2008", 2009, None)
            .iter()
            .all(|r| r.cable.is_none()));
    }

    #[test]
    fn never_panics() {
        let samples = [
            "",
            "REF",
            "REF:",
            "ref:\u{b6}",
            "REF: \u{e9}\u{301}A. 12",
            "REF: (",
            "REF: A. (B",
            "REF: 1/",
            "REF:\\n",
            "REF: 99999999999999999999999 STATE 99999999999999999999",
            "REF: A) (1) (2) [A] B. C: D -",
            "xREF: K\u{2019}0 12",
            "REF: STATE 12 AND",
            "REF: 0 0 0 00 0000",
            "REF: \u{b6}\u{b6}1",
            "REF: O OO O1 0O 0TTAWA0 1",
        ];
        for s in samples {
            for cut in 0..=s.len() {
                if let Some(prefix) = s.get(..cut) {
                    let _ = parse_references(prefix, 2008, None);
                    let _ = parse_references(prefix, 0, None);
                    let _ = parse_references(prefix, u16::MAX, None);
                }
            }
        }
    }
}
