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

use crate::date::{expand_two_digit_year, serde_via_string};
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
    pub fn parse(text: &str) -> Result<RefId> {
        canonicalize_id(text)
    }

    /// Builds an id from its parts, canonicalising the station spelling.
    /// `year` is a two-digit (`8`, `08`) or four-digit (`2008`) year.
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
        let station = canonical_station(station).ok_or_else(|| Error::InvalidId {
            id: format!("{yy:02}{station}{serial}"),
            reason: "no station name",
        })?;
        Ok(RefId::new_unchecked(yy as u8, &station, serial))
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
/// `USUNNEWYORK`). `None` when nothing of a station name is left.
pub fn canonical_station(raw: &str) -> Option<String> {
    let mut s: String =
        raw.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
    if let Some(rest) = s.strip_prefix("EMBASSY") {
        if !rest.is_empty() {
            s = rest.to_owned();
        }
    }
    if s.is_empty() || !s.bytes().next().is_some_and(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    Some(match s.as_str() {
        "SECSTATE" | "SECTSTATE" | "SECTATE" => "STATE".to_owned(),
        "RIO" | "RIODEJAN" => "RIODEJANEIRO".to_owned(),
        "USUN" | "USUNNY" => "USUNNEWYORK".to_owned(),
        "USEU" => "USEUBRUSSELS".to_owned(),
        "HAGUE" => "THEHAGUE".to_owned(),
        _ => s,
    })
}

fn canonicalize_id(text: &str) -> Result<RefId> {
    let err = |reason| Error::InvalidId { id: text.to_owned(), reason };
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let b = compact.as_bytes();
    if b.len() < 4 || !b[0].is_ascii_digit() || !b[1].is_ascii_digit() {
        return Err(err("does not start with a two-digit year"));
    }
    let yy = (b[0] - b'0') * 10 + (b[1] - b'0');
    let digits_at = compact
        .bytes()
        .rposition(|c| !c.is_ascii_digit())
        .map(|p| p + 1)
        .ok_or_else(|| err("no station name"))?;
    if digits_at <= 2 {
        return Err(err("no station name"));
    }
    if digits_at == compact.len() {
        return Err(err("no serial number"));
    }
    let serial: u64 = compact[digits_at..].parse().map_err(|_| err("serial number too long"))?;
    let station = canonical_station(&compact[2..digits_at]).ok_or_else(|| err("no station name"))?;
    Ok(RefId::new_unchecked(yy, &station, serial))
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
}
