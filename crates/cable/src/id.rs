//! The canonical cable id, [`RefId`], and the one routine that canonicalises
//! cable ids and station names.
//!
//! A cable id is a two-digit year, a station and a serial number:
//! `08STATE134777`, `09LONDON2598`, `06USUNNEWYORK123`. The same cable is
//! cited in many spellings (`SECSTATE 134777`, `08 STATE 134777`, `RIO DE JAN
//! 12`) and Cablegate itself published some cables under garbled ids
//! (`08SCTION02OF02SAOPAULO335`). Everything is brought to one spelling here.

use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use regex::Regex;

use crate::date::{expand_two_digit_year, serde_via_string};
use crate::station;
use crate::{Error, Result};

/// A canonical cable id: two-digit year + canonical station + serial without
/// leading zeros, e.g. `08STATE134777`.
///
/// Constructed only through canonicalisation, so two `RefId`s are equal
/// exactly when they name the same cable.
///
/// ```
/// use cable::RefId;
/// let id: RefId = "06SECSTATE00123".parse()?;
/// assert_eq!(id.as_str(), "06STATE123");
/// assert_eq!((id.year(), id.station(), id.serial()), (2006, "STATE", 123));
/// # Ok::<(), cable::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RefId {
    text: Box<str>,
    /// Byte offset where the serial starts in `text`.
    serial_at: u8,
}

impl RefId {
    /// Canonicalises a cable id as written (`08STATE134777`, `08SECSTATE134777`,
    /// `08SCTION02OF02SAOPAULO335`, `08 STATE 134777`).
    ///
    /// Case, spaces and punctuation are ignored; the serial loses its leading
    /// zeros; the station is canonicalised as by [`canonical_station`]. The
    /// fragments Cablegate glued into some published ids are dropped: a
    /// (damaged) section marker after the year, `EFTO`, `AMEMBASSY`, `NOFORN`
    /// or `FSC` before the station, the year written twice (`7575LIBREVILLE1895`),
    /// a page-header fragment (`06MADRID002583ZFR2585`), a `TOSEC` number or a
    /// `SUSPECTEDDUPLICATE` note after the serial. A few ids too garbled for
    /// any rule are mapped through a table of known Cablegate misprints.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidId`] when the text has no two-digit year, no station,
    /// no serial, characters other than ASCII letters, digits, punctuation and
    /// spaces, or text after the serial that is none of the fragments above.
    pub fn parse(text: &str) -> Result<RefId> {
        canonicalize_id(text)
    }

    /// Builds an id from its parts, canonicalising the station spelling as
    /// [`canonical_station`] does. `year` is a two-digit (`8`, `08`) or
    /// four-digit (`2008`) year. Agrees with [`RefId::parse`] of the id written
    /// out: `from_parts(2008, "SECSTATE", 125608)` is `08STATE125608`.
    pub fn from_parts(year: u16, station: &str, serial: u64) -> Result<RefId> {
        let yy = match year {
            0..=99 => year,
            1966..=2065 => year % 100,
            _ => {
                return Err(Error::InvalidId {
                    id: format!("{year}{station}{serial}"),
                    reason: "year out of range",
                })
            }
        };
        let err = |reason| Error::InvalidId { id: format!("{yy:02}{station}{serial}"), reason };
        let canonical = canonical_station(station).ok_or_else(|| err("no station name"))?;
        if !canonical.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(err("station name with digits"));
        }
        if canonical.len() > MAX_STATION_LEN {
            return Err(err("station name too long"));
        }
        Ok(RefId::new_unchecked(yy as u8, &canonical, serial))
    }

    pub(crate) fn new_unchecked(yy: u8, station: &str, serial: u64) -> RefId {
        let text = format!("{yy:02}{station}{serial}");
        RefId { serial_at: (2 + station.len()).min(255) as u8, text: text.into_boxed_str() }
    }

    /// The id as text, e.g. `08STATE134777`.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Four-digit year the cable was written (`66`-`99` are 19xx, `00`-`65` 20xx).
    pub fn year(&self) -> u16 {
        let b = self.text.as_bytes();
        expand_two_digit_year((b[0] - b'0') * 10 + (b[1] - b'0'))
    }

    /// Canonical station name, e.g. `STATE`, `KABUL`, `USUNNEWYORK`.
    pub fn station(&self) -> &str {
        &self.text[2..usize::from(self.serial_at)]
    }

    /// Serial number within the station's year.
    pub fn serial(&self) -> u64 {
        self.text[usize::from(self.serial_at)..].parse().unwrap_or(0)
    }
}

impl fmt::Display for RefId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for RefId {
    type Err = Error;
    fn from_str(s: &str) -> Result<RefId> {
        RefId::parse(s)
    }
}

impl AsRef<str> for RefId {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

serde_via_string!(RefId);

/// Canonical spelling of a station name as it appears in cable ids: upper
/// case, no spaces or punctuation, aliases and known misspellings mapped
/// (`SECSTATE` -> `STATE`, `RIO DE JAN` -> `RIODEJANEIRO`, `USUN` ->
/// `USUNNEWYORK`, `BRASILA` -> `BRASILIA`), glued-on fragments dropped
/// (`EMBASSY VIENNA` -> `VIENNA`, `EFTOLONDON` -> `LONDON`). A name that is
/// neither known nor an unambiguous near misspelling of a known station is
/// kept as written (`BLABLA`). `None` when nothing of a station name is left.
///
/// Meant for text already known to stand where a station does (an id, a
/// reference such as `KABUL 346`): applied to ordinary words, the spelling
/// correction would "fix" some of them (`PARTS` -> `PARIS`, `QUITE` -> `QUITO`).
///
/// ```
/// use cable::canonical_station;
/// assert_eq!(canonical_station("SECSTATE").as_deref(), Some("STATE"));
/// assert_eq!(canonical_station("Rio de Jan").as_deref(), Some("RIODEJANEIRO"));
/// assert_eq!(canonical_station("WELLINGOTN").as_deref(), Some("WELLINGTON"));
/// assert_eq!(canonical_station("--"), None);
/// ```
pub fn canonical_station(raw: &str) -> Option<String> {
    let s: String =
        raw.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
    if !s.bytes().next().is_some_and(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Some(canonical_station_name(&s));
    }
    // Letters misread as digits ("SANTIAG0"): fixed only when that gives a station.
    let letters: String = s
        .chars()
        .map(|c| match c {
            '0' => 'O',
            '1' => 'I',
            c => c,
        })
        .collect();
    if letters.bytes().all(|b| b.is_ascii_alphabetic()) {
        if let Some(known) = resolve_station(strip_glued_prefixes(&letters)) {
            return Some(known.to_owned());
        }
    }
    Some(s)
}

/// Fragments glued before the station in published ids and addressee lines:
/// handling caveats (`EFTO`, `NOFORN`), the tail of a classification
/// (`SIFIED`), the kind of post (`AMEMBASSY`, `AMCONSUL`) and the Financial
/// Service Center (`FSC`). Dropped whenever something is left after them.
const GLUED_PREFIXES: &[&str] = &[
    "AMEMBASSY",
    "EMBASSY",
    "AMCONSULATE",
    "AMCONSUL",
    "EFTO",
    "NOFORN",
    "UNCLASSIFIED",
    "CLASSIFIED",
    "SIFIED",
    "FSC",
];

/// Prefixes of an office that are dropped only when a known station follows
/// (`USMISSION GENEVA`, `USOFFICE FSC CHARLESTON`, `USINT HAVANA`).
const OFFICE_PREFIXES: &[&str] = &["USMISSION", "USOFFICE", "USINT"];

/// Washington suffixes dropped when a known station precedes them
/// (`SECSTATE WASHDC`, `SECDEF WASH`, `USDOC WASHINGTON DC`).
const WASHINGTON_SUFFIXES: &[&str] = &["WASHINGTONDC", "WASHINGTON", "WASHDC", "WASH"];

/// Cablegate ids so garbled that no general rule can restore them; looked up
/// (upper case, without spaces or punctuation) before any rule applies.
const KNOWN_PUBLISHED_ID_FIXES: &[(&str, &str)] = &[
    // Station and most of the serial lost; only a "2 OF 5" section marker remains.
    ("092OF5", "09STATE126780"),
    // Published without a serial number: an incomplete copy of 06ASTANA204.
    ("06ASTANA", "06ASTANA204"),
    // Section marker glued on, station misspelt and the serial's leading "10" lost.
    ("08SECTION01GF02BISHIEK21", "08BISHKEK1021"),
    // Three edits from ASTANA: too far for a safe correction.
    ("10AQNA272", "10ASTANA272"),
    // Two edits in a five-letter name: too far for a safe correction.
    ("07QXICO3307", "07MEXICO3307"),
    // Names of four letters or less are never corrected (LAOS is one edit from LAGOS).
    ("09BAU339", "09BAKU339"),
    ("07SOIA828", "07SOFIA828"),
    ("06ANOI582", "06HANOI582"),
    // A cable of the US Mission to the EU, published under the embassy's station
    // (the misspelling alone would be corrected to BRUSSELS).
    ("09BRUSELS1292", "09USEUBRUSSELS1292"),
    ("09SECTION01OF03BRUSSELS1234", "09USEUBRUSSELS1234"),
    // A cable of the consulate in Dubai, published as the RPO's with a section marker.
    ("0901OF02RPODUBAI288", "09DUBAI288"),
];

/// Longest station name accepted in an id (the longest real one has 17 letters).
const MAX_STATION_LEN: usize = 64;

/// `name` without the fragments of [`GLUED_PREFIXES`] glued before it.
fn strip_glued_prefixes(mut name: &str) -> &str {
    'strip: loop {
        for prefix in GLUED_PREFIXES {
            if let Some(rest) = name.strip_prefix(prefix).filter(|r| !r.is_empty()) {
                name = rest;
                continue 'strip;
            }
        }
        return name;
    }
}

/// The known station an upper-case, letters-only `name` stands for: a
/// station or alias, possibly with an office prefix or Washington suffix.
fn known_station(name: &str) -> Option<&'static str> {
    fn direct(name: &str) -> Option<&'static str> {
        station::resolve(name).or_else(|| {
            WASHINGTON_SUFFIXES
                .iter()
                .find_map(|s| name.strip_suffix(s).filter(|r| !r.is_empty()).and_then(station::resolve))
        })
    }
    direct(name).or_else(|| {
        OFFICE_PREFIXES.iter().find_map(|p| {
            name.strip_prefix(p).filter(|r| !r.is_empty()).map(strip_glued_prefixes).and_then(direct)
        })
    })
}

/// A known station for `name`, directly or as a near misspelling.
fn resolve_station(name: &str) -> Option<&'static str> {
    known_station(name).or_else(|| station::nearest(name))
}

/// The known station `raw` names exactly (any case, blanks and punctuation
/// ignored, a glued or office prefix dropped: `AMEMBASSY KABUL` -> `KABUL`),
/// without the spelling correction of [`canonical_station`].
pub(crate) fn exact_station(raw: &str) -> Option<&'static str> {
    let s: String =
        raw.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    known_station(strip_glued_prefixes(&s))
}

/// Canonical form of an upper-case, letters-only, non-empty station name.
fn canonical_station_name(name: &str) -> String {
    let name = strip_glued_prefixes(name);
    resolve_station(name).unwrap_or(name).to_owned()
}

/// A section marker glued between year and station ("SECTION 01 OF 03",
/// damaged as `SCTION02OF02`, `SECTIOQ1OF06`, `SECTION01GF02`, `01OF02`).
static SECTION_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([A-Z]*?)[0-9Q]{1,2}(OF|GF|QF|F|O)?[0-9]{1,2}[A-Z]").expect("valid regex")
});

/// `rest` (the id after its year) without a leading section marker.
fn strip_section_marker(rest: &str) -> &str {
    let Some(caps) = SECTION_MARKER.captures(rest) else {
        return rest;
    };
    let (Some(all), Some(word)) = (caps.get(0), caps.get(1)) else {
        return rest;
    };
    let is_marker = if word.as_str().is_empty() {
        caps.get(2).is_some_and(|sep| sep.as_str() == "OF")
    } else {
        station::edit_distance(word.as_str().as_bytes(), b"SECTION", 2).is_some()
    };
    // The match ends with the first letter of the station, which is kept.
    if is_marker {
        &rest[all.end() - 1..]
    } else {
        rest
    }
}

/// The serial of an id whose serial `digits` are followed by `tail`: nothing,
/// a page-header fragment (`002583ZFR2585`), a `TOSEC` number
/// (`255577TOSEC140323`) or a duplicate note (`001382SUSPECTEDDUPLICATE1392`,
/// whose own serial is the last one). `None` for anything else.
fn serial_text<'a>(digits: &'a str, tail: &'a str) -> Option<&'a str> {
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if tail.is_empty() {
        return Some(digits);
    }
    if let Some(last) = tail.strip_prefix("SUSPECTEDDUPLICATE") {
        return all_digits(last).then_some(last);
    }
    if tail.strip_prefix("TOSEC").is_some_and(all_digits) {
        return Some(digits);
    }
    let b = tail.as_bytes();
    let page_fragment = b.len() > 3
        && b[0] == b'Z'
        && b[1].is_ascii_uppercase()
        && b[2].is_ascii_uppercase()
        && all_digits(&tail[3..]);
    page_fragment.then_some(digits)
}

fn canonicalize_id(text: &str) -> Result<RefId> {
    let err = |reason| Error::InvalidId { id: text.to_owned(), reason };
    let mut compact = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            compact.push(c.to_ascii_uppercase());
        } else if !(c.is_whitespace() || c.is_ascii_punctuation()) {
            return Err(err("unexpected character"));
        }
    }
    if let Some((_, fixed)) = KNOWN_PUBLISHED_ID_FIXES.iter().find(|(garbled, _)| *garbled == compact) {
        compact = (*fixed).to_owned();
    }
    let b = compact.as_bytes();
    if b.len() < 2 || !b[0].is_ascii_digit() || !b[1].is_ascii_digit() {
        return Err(err("does not start with a two-digit year"));
    }
    let yy = (b[0] - b'0') * 10 + (b[1] - b'0');
    let mut rest = &compact[2..];
    // The year written twice: 7575LIBREVILLE1895.
    if rest.len() > 2 && rest.as_bytes()[..2] == b[..2] && rest.as_bytes()[2].is_ascii_alphabetic() {
        rest = &rest[2..];
    }
    let rest = strip_section_marker(rest);
    let station_len = rest.bytes().position(|c| !c.is_ascii_alphabetic()).unwrap_or(rest.len());
    if station_len == 0 {
        return Err(err("no station name"));
    }
    if station_len > MAX_STATION_LEN {
        return Err(err("station name too long"));
    }
    let (station, after) = rest.split_at(station_len);
    let digits_len = after.bytes().position(|c| !c.is_ascii_digit()).unwrap_or(after.len());
    if digits_len == 0 {
        return Err(err("no serial number"));
    }
    let (digits, tail) = after.split_at(digits_len);
    let serial = serial_text(digits, tail).ok_or_else(|| err("unexpected text after the serial number"))?;
    let serial: u64 = serial.parse().map_err(|_| err("serial number too long"))?;
    let id = RefId::new_unchecked(yy, &canonical_station_name(station), serial);
    // A garbled id can also be reached after normalisation (`0909BAU339` is
    // `09BAU339`): apply the fixes to the result too, so that canonicalising
    // is idempotent.
    match KNOWN_PUBLISHED_ID_FIXES.iter().find(|(garbled, _)| *garbled == id.as_str()) {
        Some((_, fixed)) => canonicalize_id(fixed),
        None => Ok(id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_forms() {
        assert_eq!(RefId::parse("08STATE134777").unwrap().as_str(), "08STATE134777");
        assert_eq!(RefId::parse("09LONDON002598").unwrap().as_str(), "09LONDON2598");
        let id = RefId::from_parts(2008, "SECSTATE", 125_608).unwrap();
        assert_eq!(id.as_str(), "08STATE125608");
        assert_eq!(id.year(), 2008);
        assert!(RefId::parse("STATE123").is_err());
        assert!(RefId::parse("08STATE").is_err());
    }

    /// Found by the `ref_id` fuzz target: the year written twice led to a
    /// garbled id that a second canonicalisation would have fixed.
    #[test]
    fn regression_fuzz_doubled_year_before_a_known_garbled_id() {
        assert_eq!(canon("0909BAU339"), "09BAKU339");
        assert_eq!(canon(&canon("0909BAU339")), "09BAKU339");
    }

    fn canon(id: &str) -> String {
        RefId::parse(id).map(|i| i.to_string()).unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn glued_fragments_are_dropped() {
        assert_eq!(canon("08SCTION02OF02SAOPAULO335"), "08SAOPAULO335");
        assert_eq!(canon("09SECTIOQ1OF06HARARE876"), "09HARARE876");
        assert_eq!(canon("09SECTION0QF05HANOI297"), "09HANOI297");
        assert_eq!(canon("06SECTION01O02HONGKONG2311"), "06HONGKONG2311");
        assert_eq!(canon("10EFTOKABUL668"), "10KABUL668");
        assert_eq!(canon("09AMEMBASSYHANOI1284"), "09HANOI1284");
        assert_eq!(canon("85NOFORNMOGADISHU1643"), "85MOGADISHU1643");
        assert_eq!(canon("08FSCCHARLESTON1712"), "08CHARLESTON1712");
        assert_eq!(canon("09SIFIEDABUJA1673"), "09ABUJA1673");
        assert_eq!(canon("7575LIBREVILLE1895"), "75LIBREVILLE1895");
        assert_eq!(canon("90STATE255577TOSEC140323"), "90STATE255577");
        assert_eq!(canon("08MADRID000762ZFR763"), "08MADRID762");
        assert_eq!(canon("08ACCRA001382SUSPECTEDDUPLICATE1392"), "08ACCRA1392");
        assert_eq!(canon("092OF5"), "09STATE126780");
    }

    #[test]
    fn stations_are_canonicalised() {
        assert_eq!(canon("06 SECSTATE 00123"), "06STATE123");
        assert_eq!(canon("08 rio de jan 138"), "08RIODEJANEIRO138");
        assert_eq!(canon("06PORT-OF-SPAIN123"), "06PORTOFSPAIN123");
        assert_eq!(canon("03SECDEFWASH12"), "03SECDEF12");
        assert_eq!(canon("07BUENOSQRES633"), "07BUENOSAIRES633");
        assert_eq!(canon("05EMBASSYBLABLA1"), "05BLABLA1");
        assert_eq!(canonical_station("SANTIAG0").as_deref(), Some("SANTIAGO"));
        assert_eq!(canonical_station("USINT HAVANA").as_deref(), Some("HAVANA"));
        assert_eq!(canonical_station("USOFFICE FSC CHARLESTON").as_deref(), Some("CHARLESTON"));
        assert_eq!(canonical_station("SECSTATE WASHDC").as_deref(), Some("STATE"));
        assert_eq!(canonical_station("B52").as_deref(), Some("B52"));
        assert_eq!(canonical_station("52"), None);
    }

    #[test]
    fn rejects_what_is_not_an_id() {
        for bad in ["", "08", "0812345", "08STATE12X", "08STATE12ZFR", "08ÉTAT12", "08STATE1X2", "STATE"] {
            assert!(RefId::parse(bad).is_err(), "{bad}");
        }
        assert!(RefId::parse(&format!("08{}1", "A".repeat(300))).is_err());
        assert!(RefId::parse("08STATE99999999999999999999999").is_err());
        assert!(RefId::from_parts(2008, "STATE12", 1).is_err());
        assert!(RefId::from_parts(1900, "STATE", 1).is_err());
        assert!(RefId::from_parts(8, "", 1).is_err());
    }
}

#[cfg(test)]
mod proptests {
    use super::*;
    use proptest::prelude::*;

    fn station_name() -> impl Strategy<Value = &'static str> {
        prop::sample::select(station::STATIONS.iter().map(|s| s.name).collect::<Vec<_>>())
    }

    proptest! {
        #[test]
        fn canonical_ids_round_trip(yy in 0u16..100, station in station_name(), serial in 0u64..100_000_000) {
            let id = RefId::from_parts(yy, station, serial).unwrap();
            prop_assert_eq!(id.as_str(), format!("{yy:02}{station}{serial}"));
            prop_assert_eq!((id.station(), id.serial(), id.year() % 100), (station, serial, yy));
            let displayed = id.to_string();
            prop_assert_eq!(RefId::parse(&displayed), Ok(id.clone()));
            prop_assert_eq!(RefId::from_parts(id.year(), station, serial), Ok(id));
        }

        #[test]
        fn from_parts_agrees_with_parse(yy in 0u16..100, station in station_name(), serial in 0u64..u64::MAX) {
            prop_assert_eq!(RefId::from_parts(yy, station, serial), RefId::parse(&format!("{yy:02}{station}{serial}")));
        }

        #[test]
        fn zero_padding_and_spacing_do_not_matter(
            yy in 0u16..100, station in station_name(), serial in 0u64..1_000_000, width in 0usize..12,
        ) {
            let plain = RefId::parse(&format!("{yy:02}{station}{serial}"));
            prop_assert_eq!(RefId::parse(&format!("{yy:02}{station}{serial:0width$}")), plain.clone());
            prop_assert_eq!(RefId::parse(&format!("{yy:02} {station} {serial:0width$}")), plain);
        }

        #[test]
        fn secstate_spellings_are_state(
            yy in 0u16..100,
            serial in 0u64..1_000_000,
            spelling in prop::sample::select(vec!["SECSTATE", "SECTSTATE", "SECTATE", "SecState", "SEC STATE", "SECSTATE WASHDC"]),
        ) {
            let state = RefId::from_parts(yy, "STATE", serial).unwrap();
            prop_assert_eq!(RefId::parse(&format!("{yy:02}{spelling}{serial:06}")), Ok(state.clone()));
            prop_assert_eq!(RefId::from_parts(yy, spelling, serial), Ok(state));
        }

        #[test]
        fn parse_never_panics(text in any::<String>()) {
            let _ = RefId::parse(&text);
            let _ = canonical_station(&text);
        }

        #[test]
        fn parse_never_panics_on_id_like_text(text in "[0-9]{0,4}[A-Z0-9 ./-]{0,30}(OF|Z|TOSEC|SUSPECTEDDUPLICATE)?[0-9A-Z]{0,8}") {
            if let Ok(id) = RefId::parse(&text) {
                // Whatever is accepted is canonical: parsing it again changes nothing.
                prop_assert_eq!(RefId::parse(id.as_str()), Ok(id.clone()));
                let _ = (id.year(), id.station(), id.serial());
            }
        }
    }
}
