//! Which country a two-letter TAGS code of one cable stands for.
//!
//! Cables tag countries with the State Department's codes (FIPS 10-4 style:
//! `CH` China, `KS` South Korea, `JA` Japan), but the people who type them
//! also know ISO 3166, where `CN` is China (Comoros for the Department), `KR`
//! South Korea (Kiribati), `AT` Austria (Ashmore and Cartier Islands), and
//! `JP` or `IQ` are no Department code at all. A code that means one
//! country in one system and another in the other is read with the cable's
//! other evidence: where it comes from, whom it is addressed to, what its
//! subject and text name, and the other tags beside it. The reading keeps
//! its reasons in words, so a reader can judge it.

use std::sync::{LazyLock, OnceLock};

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::{Tag, TagKind};
use crate::country::{self, Country};
use crate::Cable;

/// How a country tag was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReadingBasis {
    /// The code names one country whichever system it is read in.
    Unambiguous,
    /// The code names one country in the Department's codes and another in
    /// ISO 3166; the cable's other evidence chose.
    Evidence,
    /// The code is ambiguous and nothing in the cable tells the meanings
    /// apart: read as the Department's code, as cables almost always mean it.
    Convention,
    /// Not a Department country code, but the ISO 3166 code of a country
    /// (`JP`, `IQ`, `DE`): read as that.
    Iso,
}

/// The country a TAGS country code of one cable is read as.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TagCountry {
    /// The Department's code of the country read (`CH` for a `CN` read as
    /// China); look it up with [`country::country_by_code`].
    pub code: String,
    /// The country's name (`China`).
    pub name: String,
    /// How the code was read.
    pub basis: ReadingBasis,
    /// Why, in words, for every reading that is not
    /// [`ReadingBasis::Unambiguous`]: `CN is Comoros in the Department's
    /// codes and China in ISO 3166; read as China: the cable is from
    /// Beijing; the subject names China`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning: Option<String>,
    /// Whether a reader should see the reasoning beside the name: the code
    /// was read as ISO 3166 rather than as the Department's code, or
    /// nothing in the cable backed the reading.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_doubt: bool,
}

impl Tag {
    /// The country this tag is read as: the cable's reading
    /// ([`Tag::reading`]) when it has one, else the country table's entry
    /// for a country code; `None` for other tags and unknown codes.
    pub fn country(&self) -> Option<&'static Country> {
        match &self.reading {
            Some(r) => country::country_by_code(&r.code),
            None if self.kind == TagKind::Country => country::country_by_code(&self.code),
            None => None,
        }
    }
}

/// Codes of states that no longer exist, read as written whatever ISO
/// later gave the same letters (`CZ` Czechoslovakia, not Czechia; `GE` the
/// Federal Republic, not Georgia).
const HISTORICAL_CODES: &[&str] = &["CZ", "GC", "GE", "RB", "UR", "YO", "YS", "ZR"];

/// The least evidence for an ISO reading against the Department's code:
/// one of origin (3), addressee (2) or subject (2), not only the text or
/// the other tags (1 each).
const MIN_ISO_SCORE: u32 = 2;

/// Other words by which cables name a few countries whose codes are
/// confused across systems (compared in lower case).
const OTHER_NAMES: &[(&str, &[&str])] = &[
    ("AS", &["aussie"]),
    ("CH", &["prc"]),
    ("GM", &["frg"]),
    ("KN", &["dprk", "pyongyang"]),
    ("KS", &["korea", "korean", "koreans", "rok", "rokg"]),
    ("UK", &["britain", "british", "hmg"]),
];

/// Reads every country tag of `cable` (sets [`Tag::reading`]).
pub(crate) fn read_country_tags(cable: &mut Cable) {
    if !cable.tags.iter().any(|t| t.kind == TagKind::Country) {
        return;
    }
    let evidence = Evidence::of(cable);
    let readings: Vec<Option<TagCountry>> = cable.tags.iter().map(|t| read_tag(t, &evidence)).collect();
    for (tag, reading) in cable.tags.iter_mut().zip(readings) {
        tag.reading = reading;
    }
}

/// What a cable says about the countries it concerns, besides its tags.
struct Evidence<'a> {
    cable: &'a Cable,
    /// The country the cable comes from, with the station.
    origin: Option<(&'static Country, &'a str)>,
    /// Countries of its addressees other than its own, with the station,
    /// read when first needed (the addressee lists of some cables run to
    /// hundreds of lines).
    addressees: std::cell::OnceCell<Vec<(&'static Country, String)>>,
    /// Every tag's code.
    codes: Vec<&'a str>,
    /// The tags that are country codes.
    country_codes: Vec<&'a str>,
}

impl<'a> Evidence<'a> {
    fn of(cable: &'a Cable) -> Evidence<'a> {
        let station = cable.id.station();
        let origin = country::country_of_station(station).map(|c| (country::preferred(c), station));
        let codes = cable.tags.iter().map(|t| t.code.as_str()).collect();
        let country_codes =
            cable.tags.iter().filter(|t| t.kind == TagKind::Country).map(|t| t.code.as_str()).collect();
        Evidence { cable, origin, addressees: std::cell::OnceCell::new(), codes, country_codes }
    }

    fn addressees(&self) -> &[(&'static Country, String)] {
        self.addressees.get_or_init(|| {
            let mut out: Vec<(&'static Country, String)> = Vec::new();
            let h = &self.cable.header;
            for r in h.to.iter().chain(&h.info) {
                let Some(s) = r.station() else { continue };
                let Some(c) = country::country_of_station(&s).map(country::preferred) else { continue };
                let own = self.origin.is_some_and(|(o, _)| o.code == c.code);
                if !own && !out.iter().any(|(k, _)| k.code == c.code) {
                    out.push((c, s));
                }
            }
            out
        })
    }

    /// Country tags that only ISO 3166 knows (`JP`, `IQ`): the typist
    /// wrote ISO codes.
    fn iso_only_codes(&self) -> Vec<&'a str> {
        self.country_codes
            .iter()
            .copied()
            .filter(|t| !super::tables::is_country_code(t) && !country::country_by_iso(t).is_empty())
            .collect()
    }

    /// How many times the paragraphs (their first 64 KiB) name `country`.
    fn text_mentions(&self, country: &'static Country) -> usize {
        let re = mention_regex(country);
        let mut budget = TEXT_BUDGET;
        let mut n = 0;
        for p in &self.cable.paragraphs {
            if budget == 0 {
                break;
            }
            let mut end = budget.min(p.text.len());
            while !p.text.is_char_boundary(end) {
                end -= 1;
            }
            let t = &p.text[..end];
            budget = budget.saturating_sub(t.len().max(1));
            n += re.find_iter(t).count();
        }
        n
    }
}

/// How much of a cable's text is read for mentions of a country.
const TEXT_BUDGET: usize = 64 * 1024;

/// One possible meaning of a code, with the evidence for it.
struct Candidate {
    country: &'static Country,
    score: u32,
    reasons: Vec<String>,
}

fn read_tag(tag: &Tag, ev: &Evidence<'_>) -> Option<TagCountry> {
    if tag.kind != TagKind::Country {
        return None;
    }
    let code = tag.code.as_str();
    let department = country::country_by_code(code);
    let iso: Vec<&'static Country> = if HISTORICAL_CODES.contains(&code) {
        Vec::new()
    } else {
        country::country_by_iso(code)
            .into_iter()
            .filter(|c| department.map(country::preferred).is_none_or(|d| d.code != c.code))
            .collect()
    };
    let reading = |c: &'static Country, basis, reasoning: String, in_doubt| TagCountry {
        code: c.code.to_owned(),
        name: c.name.to_owned(),
        basis,
        reasoning: Some(reasoning),
        in_doubt,
    };
    if iso.is_empty() {
        return department.map(|d| TagCountry {
            code: d.code.to_owned(),
            name: d.name.to_owned(),
            basis: ReadingBasis::Unambiguous,
            reasoning: None,
            in_doubt: false,
        });
    }
    let iso_names = iso.iter().map(|c| c.name).collect::<Vec<_>>().join(" or ");
    let Some(dept) = department else {
        let best = iso.iter().map(|c| weigh(c, ev)).max_by_key(|c| c.score)?;
        if super::tables::is_country_code(code) {
            // A Department code of a place the table does not hold
            // (`AT` Ashmore and Cartier Islands): ISO only on evidence.
            if best.score == 0 {
                return None;
            }
            let why = format!(
                "{code} is a minor territory in the Department's codes and {iso_names} in ISO 3166; read as {}: {}",
                best.country.name,
                best.reasons.join("; ")
            );
            return Some(reading(best.country, ReadingBasis::Evidence, why, true));
        }
        let why = format!(
            "{code} is no Department code; read as the ISO 3166 code of {} (the Department's is {})",
            best.country.name, best.country.code
        );
        return Some(reading(best.country, ReadingBasis::Iso, why, true));
    };
    let mut candidates = vec![weigh(dept, ev)];
    candidates.extend(iso.iter().map(|c| weigh(c, ev)));
    // The other tags: the country of an ISO meaning tagged with its own
    // Department code as well is already there; codes that only ISO knows
    // beside this one say the typist wrote ISO.
    let also_tagged: Vec<&'static Country> = iso
        .iter()
        .copied()
        .filter(|&k| ev.codes.iter().any(|t| country::country_by_code(t).map(country::preferred) == Some(k)))
        .collect();
    for k in also_tagged {
        candidates[0].score += 1;
        candidates[0].reasons.push(format!("{} is tagged {} as well", k.name, k.code));
    }
    let iso_only: Vec<&str> = ev.iso_only_codes();
    if !iso_only.is_empty() {
        for c in candidates.iter_mut().skip(1) {
            c.score += 1;
            c.reasons.push(format!("other tags are ISO codes ({})", iso_only.join(", ")));
        }
    }
    if candidates.iter().all(|c| c.score == 0) {
        // Nothing decisive: the meaning the text names most often, when
        // one does.
        let counts: Vec<usize> = candidates.iter().map(|c| ev.text_mentions(c.country)).collect();
        let max = counts.iter().copied().max().unwrap_or(0);
        if max > 0 && counts.iter().filter(|&&n| n == max).count() == 1 {
            let said: Vec<String> = candidates
                .iter()
                .zip(&counts)
                .map(|(c, &n)| match n {
                    0 => format!("{} never", c.country.name),
                    n => format!("{} {}", c.country.name, times(n)),
                })
                .collect();
            if let Some(winner) = counts.iter().position(|&n| n == max) {
                candidates[winner].score += 1;
                candidates[winner].reasons.push(format!("the text names {}", said.join(", ")));
            }
        }
    }
    let (dept_c, rest) = candidates.split_first()?;
    let best_iso = rest.iter().max_by_key(|c| c.score)?;
    let head = format!("{code} is {} in the Department's codes and {iso_names} in ISO 3166", dept.name);
    if dept_c.score == 0 && best_iso.score == 0 {
        let why = format!(
            "{head}; nothing in the cable names either: read as {}, the Department's code",
            dept.name
        );
        return Some(reading(dept, ReadingBasis::Convention, why, true));
    }
    // Cables almost always mean the Department's code: an ISO reading
    // needs more evidence than the Department's meaning has, and some of
    // it from the cable's origin, addressees or subject.
    let as_iso = best_iso.score > dept_c.score && best_iso.score >= MIN_ISO_SCORE;
    let chosen = if as_iso { best_iso } else { dept_c };
    let why = format!("{head}; read as {}: {}", chosen.country.name, chosen.reasons.join("; "));
    Some(reading(chosen.country, ReadingBasis::Evidence, why, as_iso))
}

/// "once", "twice", "N times".
fn times(n: usize) -> String {
    match n {
        1 => "once".to_owned(),
        2 => "twice".to_owned(),
        n => format!("{n} times"),
    }
}

/// The evidence of origin, addressees and subject for one meaning.
fn weigh(country: &'static Country, ev: &Evidence<'_>) -> Candidate {
    let mut c = Candidate { country, score: 0, reasons: Vec::new() };
    let k = country::preferred(country);
    if let Some((o, station)) = ev.origin {
        if o.code == k.code {
            c.score += 3;
            c.reasons.push(format!("the cable is from {station}"));
        }
    }
    let to: Vec<String> =
        ev.addressees().iter().filter(|(a, _)| a.code == k.code).map(|(_, s)| s.clone()).collect();
    if !to.is_empty() {
        c.score += 2;
        c.reasons.push(format!("it is addressed to {}", to.join(", ")));
    }
    if let Some(form) = mention_regex(k).find(&ev.cable.subject).map(|m| m.as_str()) {
        c.score += 2;
        c.reasons.push(format!("the subject names {} (\"{form}\")", k.name));
    }
    c
}

/// The pattern of the words that name a country: its name (and the forms
/// made from its last word: `Chinese`, `Korean`, `Iraqi`), a few other
/// names (`PRC`, `ROK`), and the cities of its stations (`Beijing`,
/// `Seoul`); whole words, any case. Built once per country.
fn mention_regex(country: &'static Country) -> &'static Regex {
    static NOTHING: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[^\s\S]").expect("a valid pattern"));
    static CACHE: LazyLock<Vec<OnceLock<Regex>>> =
        LazyLock::new(|| (0..country::all_countries().len()).map(|_| OnceLock::new()).collect());
    let at = country::all_countries().iter().position(|c| c.code == country.code);
    let build = || {
        let mut words: Vec<&str> =
            country.name.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
        let last = words.pop().unwrap_or_default();
        let stem = name_stem(last);
        let lead: String = words.iter().map(|w| format!("{}\\s+", regex::escape(w))).collect();
        let mut alternatives = vec![
            format!("{lead}{}", regex::escape(last)),
            format!("{lead}{}(?:{NAME_ENDINGS})", regex::escape(stem)),
        ];
        let others = OTHER_NAMES.iter().find(|(c, _)| *c == country.code).map_or(&[][..], |(_, w)| w);
        alternatives.extend(others.iter().map(|w| regex::escape(w)));
        alternatives.extend(country::stations_in(country.code).iter().map(|c| regex::escape(c)));
        let pattern = format!("(?i)(?-u:\\b)(?:{})(?-u:\\b)", alternatives.join("|"));
        Regex::new(&pattern).unwrap_or_else(|_| NOTHING.clone())
    };
    match at.and_then(|i| CACHE.get(i)) {
        Some(cell) => cell.get_or_init(build),
        // not a table entry (countries come from the table: not reached)
        None => &NOTHING,
    }
}

/// The endings that make a country's adjective or people from the stem
/// of its name (`Chin` + `ese`, `Kore` + `an`, `Iraq` + `i`).
const NAME_ENDINGS: &str = "a|y|s|n|an|ans|ese|i|is|ian|ians|ish";

/// A country name's last word without its ending vowel, `y` or `s`
/// (`China` -> `Chin`, `Germany` -> `German`, `Japan` as it is).
fn name_stem(word: &str) -> &str {
    let trimmed = word.strip_suffix(['a', 'e', 'i', 'o', 'y', 's']).unwrap_or(word);
    if trimmed.len() >= 4 {
        trimmed
    } else {
        word
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Parser, ReferenceData};

    /// A telegram from `from` to `to`, tagged `tags`, about `subject`.
    fn telegram(from: &str, to: &str, tags: &str, subject: &str, text: &str) -> Cable {
        let t = format!(
            "R 120101Z JAN 09\nFM AMEMBASSY {from}\nTO SECSTATE WASHDC 0001\nINFO AMEMBASSY {to} 0002\n\n\
             C O N F I D E N T I A L {from} 000101\n\nE.O. 12958: DECL: 01/12/2019\nTAGS: {tags}\n\
             SUBJECT: {subject}\n\n1. (C) {text}\n\nSMITH\n"
        );
        Parser::new(ReferenceData::empty()).parse_telegram(t.as_bytes()).expect("the telegram parses")
    }

    fn reading<'c>(c: &'c Cable, code: &str) -> &'c TagCountry {
        let tag =
            c.tags.iter().find(|t| t.code == code).unwrap_or_else(|| panic!("{code} among {:?}", c.tags));
        tag.reading.as_ref().unwrap_or_else(|| panic!("{code} has a reading"))
    }

    #[test]
    fn an_iso_code_from_the_country_it_names_is_read_as_that_country() {
        let c = telegram("BEIJING", "TOKYO", "PREL, PGOV, CN", "CHINA ON TAIWAN", "Officials spoke.");
        let r = reading(&c, "CN");
        assert_eq!((r.code.as_str(), r.name.as_str(), r.basis), ("CH", "China", ReadingBasis::Evidence));
        assert!(r.in_doubt, "an ISO reading is shown with its reasons");
        let why = r.reasoning.as_deref().unwrap();
        assert!(
            why.starts_with("CN is Comoros in the Department's codes and China in ISO 3166; read as China")
        );
        assert!(
            why.contains("the cable is from BEIJING") && why.contains("the subject names China"),
            "{why}"
        );
        assert_eq!(c.tags.iter().find(|t| t.code == "CN").unwrap().country().map(|k| k.name), Some("China"));
    }

    #[test]
    fn the_department_code_holds_when_its_country_has_the_evidence() {
        // KR is Kiribati for the Department; a Kiribati cable stays Kiribati
        let c = telegram("SUVA", "SUVA", "PREL, KR", "KIRIBATI ELECTIONS", "Kiribati votes.");
        let r = reading(&c, "KR");
        assert_eq!((r.name.as_str(), r.basis, r.in_doubt), ("Kiribati", ReadingBasis::Evidence, false));
        // GM is the Gambia in ISO; a Berlin cable means Germany
        let c = telegram("BERLIN", "PARIS", "PREL, GM, FR", "GERMAN VIEWS", "The Germans agreed.");
        assert_eq!(reading(&c, "GM").name, "Germany");
        assert!(!reading(&c, "GM").in_doubt);
    }

    #[test]
    fn the_text_decides_when_origin_addressees_and_subject_do_not() {
        let c = telegram(
            "LONDON",
            "PARIS",
            "PREL, KR",
            "IMO TRIP",
            "The Korean officials met. South Korea agreed.",
        );
        // the text alone is not enough to leave the Department's code
        let r = reading(&c, "KR");
        assert_eq!(r.name, "Kiribati");
        let c = telegram("LONDON", "SEOUL", "PREL, KR", "IMO TRIP", "Officials met.");
        assert_eq!(reading(&c, "KR").name, "South Korea", "addressed to Seoul");
        let c = telegram("LONDON", "PARIS", "PREL, IS", "MEETING", "Israel and Israeli officials met.");
        let r = reading(&c, "IS");
        assert_eq!((r.name.as_str(), r.basis), ("Israel", ReadingBasis::Evidence));
        assert!(
            r.reasoning.as_deref().unwrap().contains("the text names Israel twice, Iceland never"),
            "{r:?}"
        );
    }

    #[test]
    fn nothing_in_the_cable_means_the_convention_shown_in_doubt() {
        let c = telegram("LONDON", "PARIS", "PREL, AU", "MEETING", "Officials met.");
        let r = reading(&c, "AU");
        assert_eq!((r.name.as_str(), r.basis, r.in_doubt), ("Austria", ReadingBasis::Convention, true));
        assert!(r.reasoning.as_deref().unwrap().contains("nothing in the cable names either"));
    }

    #[test]
    fn codes_only_iso_knows_and_unambiguous_codes() {
        let c = telegram("BAGHDAD", "AMMAN", "PREL, IQ, AF", "MEETING", "Officials met.");
        let r = reading(&c, "IQ");
        assert_eq!((r.code.as_str(), r.name.as_str(), r.basis), ("IZ", "Iraq", ReadingBasis::Iso));
        let r = reading(&c, "AF");
        assert_eq!(
            (r.name.as_str(), r.basis, r.reasoning.as_deref()),
            ("Afghanistan", ReadingBasis::Unambiguous, None)
        );
        assert!(c.tags.iter().find(|t| t.code == "PREL").unwrap().reading.is_none());
        // codes of states gone are read as written
        let c = telegram("PRAGUE", "VIENNA", "PREL, CZ", "MEETING", "Officials met.");
        assert!(reading_of(&c, "CZ").is_none());
    }

    fn reading_of<'c>(c: &'c Cable, code: &str) -> Option<&'c TagCountry> {
        c.tags.iter().find(|t| t.code == code)?.reading.as_ref()
    }

    #[test]
    fn names_adjectives_other_names_and_cities_are_mentions() {
        let count = |code: &str, text: &str| {
            mention_regex(country::country_by_code(code).unwrap()).find_iter(text).count()
        };
        assert_eq!(
            count("CH", "The PRC and Chinese officials in Beijing; China's view. Chinook, machinery."),
            4
        );
        assert_eq!(count("KS", "South Korea and the ROK, Seoul; a South Korean view"), 4);
        assert_eq!(count("IZ", "Iraqi and IRAQ officials"), 2);
        assert_eq!(count("GM", "the Germans and Germany, not germane"), 2);
        assert_eq!(count("JA", "Japanese"), 1);
    }
}
