//! Classification levels, handling caveats and paragraph markings.

use std::fmt;
use std::str::FromStr;

use crate::date::serde_via_string;
use crate::Error;

/// Security classification level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Level {
    /// UNCLASSIFIED (U).
    #[default]
    Unclassified,
    /// CONFIDENTIAL (C).
    Confidential,
    /// SECRET (S).
    Secret,
    /// TOP SECRET (TS).
    TopSecret,
}

impl Level {
    /// Upper-case name, e.g. `CONFIDENTIAL`.
    pub fn name(self) -> &'static str {
        match self {
            Level::Unclassified => "UNCLASSIFIED",
            Level::Confidential => "CONFIDENTIAL",
            Level::Secret => "SECRET",
            Level::TopSecret => "TOP SECRET",
        }
    }
}

/// A cable's classification: a level, optionally restricted to US eyes
/// (`NOFORN`) or, for unclassified cables, `FOR OFFICIAL USE ONLY`.
///
/// Prints as the Cablegate metadata does: `UNCLASSIFIED`,
/// `UNCLASSIFIED//FOR OFFICIAL USE ONLY`, `CONFIDENTIAL`,
/// `CONFIDENTIAL//NOFORN`, `SECRET`, `SECRET//NOFORN`.
///
/// ```
/// use cable::{Classification, Level};
/// let c: Classification = "SECRET//NOFORN".parse()?;
/// assert_eq!(c.level, Level::Secret);
/// assert!(c.noforn);
/// assert_eq!(c.to_string(), "SECRET//NOFORN");
/// # Ok::<(), cable::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Classification {
    /// The level.
    pub level: Level,
    /// Not releasable to foreign nationals.
    pub noforn: bool,
    /// For official use only (sensitive but unclassified).
    pub fouo: bool,
}

impl Classification {
    /// A plain level without caveats.
    pub fn new(level: Level) -> Classification {
        Classification { level, ..Classification::default() }
    }
}

impl fmt::Display for Classification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.level.name())?;
        if self.fouo {
            f.write_str("//FOR OFFICIAL USE ONLY")?;
        }
        if self.noforn {
            f.write_str("//NOFORN")?;
        }
        Ok(())
    }
}

impl FromStr for Classification {
    type Err = Error;
    /// Reads the Cablegate metadata spellings, case-insensitively, and the
    /// spaced-out banner (`C O N F I D E N T I A L`).
    fn from_str(s: &str) -> Result<Classification, Error> {
        let up: String = s.to_ascii_uppercase();
        let squeezed: String = up.chars().filter(|c| c.is_ascii_alphabetic() || *c == '/').collect();
        let mut parts = squeezed.split("//");
        let head = parts.next().unwrap_or("");
        let level = match head {
            "UNCLASSIFIED" | "U" => Level::Unclassified,
            "CONFIDENTIAL" | "C" => Level::Confidential,
            "SECRET" | "S" => Level::Secret,
            "TOPSECRET" | "TS" => Level::TopSecret,
            _ => {
                return Err(Error::NotACable(format!("unknown classification {s:?}")));
            }
        };
        let mut c = Classification::new(level);
        for p in parts {
            match p {
                "NOFORN" | "NF" => c.noforn = true,
                "FOROFFICIALUSEONLY" | "FOUO" => c.fouo = true,
                _ => return Err(Error::NotACable(format!("unknown classification caveat in {s:?}"))),
            }
        }
        Ok(c)
    }
}

serde_via_string!(Classification);

/// A handling caveat or dissemination control written on a cable.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Caveat {
    /// SIPDIS: distributed on SIPRNet (every cable of the leak carries it).
    Sipdis,
    /// NOFORN: not releasable to foreign nationals.
    Noforn,
    /// SENSITIVE / SENSITIVE BUT UNCLASSIFIED.
    Sensitive,
    /// FOR OFFICIAL USE ONLY.
    ForOfficialUseOnly,
    /// EXDIS: exclusive distribution.
    Exdis,
    /// NODIS: no distribution beyond the addressees.
    Nodis,
    /// LIMDIS: limited distribution.
    Limdis,
    /// STADIS: State Department distribution only.
    Stadis,
    /// NOCONTRACT, ORCON, PROPIN and other control markings, as written.
    Other(String),
}

impl Caveat {
    /// Reads one caveat word (`SIPDIS`, `NOFORN`, ...); `None` for anything else.
    pub fn from_word(word: &str) -> Option<Caveat> {
        let w = word.trim().trim_matches(|c: char| !c.is_ascii_alphanumeric());
        Some(match w.to_ascii_uppercase().as_str() {
            "SIPDIS" => Caveat::Sipdis,
            "NOFORN" => Caveat::Noforn,
            "SENSITIVE" | "SBU" | "SENSITIVEBUTUNCLASSIFIED" => Caveat::Sensitive,
            "FOUO" | "FOROFFICIALUSEONLY" => Caveat::ForOfficialUseOnly,
            "EXDIS" => Caveat::Exdis,
            "NODIS" => Caveat::Nodis,
            "LIMDIS" => Caveat::Limdis,
            "STADIS" => Caveat::Stadis,
            w @ ("NOCONTRACT" | "ORCON" | "PROPIN" | "REL" | "EFTO" | "DISSENT" | "CHEROKEE") => {
                Caveat::Other(w.to_owned())
            }
            _ => return None,
        })
    }

    /// Upper-case name as written on cables.
    pub fn name(&self) -> &str {
        match self {
            Caveat::Sipdis => "SIPDIS",
            Caveat::Noforn => "NOFORN",
            Caveat::Sensitive => "SENSITIVE",
            Caveat::ForOfficialUseOnly => "FOR OFFICIAL USE ONLY",
            Caveat::Exdis => "EXDIS",
            Caveat::Nodis => "NODIS",
            Caveat::Limdis => "LIMDIS",
            Caveat::Stadis => "STADIS",
            Caveat::Other(s) => s,
        }
    }
}

impl fmt::Display for Caveat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Caveat {
    type Err = Error;
    fn from_str(s: &str) -> Result<Caveat, Error> {
        Caveat::from_word(&s.replace(' ', ""))
            .ok_or_else(|| Error::NotACable(format!("unknown caveat {s:?}")))
    }
}

serde_via_string!(Caveat);

/// A paragraph's classification marking as written: `(U)`, `(SBU)`, `(C)`,
/// `(S//NF)`, `(C/NF)`...
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Marking {
    /// The marking without parentheses, as written (`S//NF`).
    pub text: String,
    /// The level it stands for.
    pub level: Level,
    /// Whether it carries NOFORN (`NF`).
    pub noforn: bool,
    /// Whether it says SBU (sensitive but unclassified).
    pub sensitive: bool,
}

impl Marking {
    /// Reads a marking between parentheses (`U`, `SBU`, `C`, `S//NF`, `C/NF`,
    /// `S/REL`); `None` when the text is not a marking.
    pub fn parse(inner: &str) -> Option<Marking> {
        let t = inner.trim();
        if t.is_empty() || t.len() > 40 {
            return None;
        }
        let up = t.to_ascii_uppercase();
        let mut parts = up.split('/').filter(|p| !p.is_empty());
        let head = parts.next()?;
        let (level, sensitive) = match head.trim() {
            "U" | "UNCLASSIFIED" => (Level::Unclassified, false),
            "SBU" | "FOUO" => (Level::Unclassified, true),
            "C" | "CONFIDENTIAL" => (Level::Confidential, false),
            "S" | "SECRET" => (Level::Secret, false),
            "TS" | "TOP SECRET" => (Level::TopSecret, false),
            _ => return None,
        };
        if t.len() > 16 && !up.contains("REL") {
            return None;
        }
        let mut noforn = false;
        for p in parts {
            match p.trim() {
                "NF" | "NOFORN" => noforn = true,
                "N" | "SBU" | "FOUO" | "RELTO" | "ORCON" | "OC" => {}
                // Releasable to: `REL`, `REL TO USA, YEM`, `REL NATO`, `REL Armenia`.
                r if r == "REL" || r.starts_with("REL ") => {
                    if !r.chars().all(|c| c.is_ascii_alphabetic() || matches!(c, ' ' | ',')) {
                        return None;
                    }
                }
                _ => return None,
            }
        }
        Some(Marking { text: t.to_owned(), level, noforn, sensitive })
    }
}

impl fmt::Display for Marking {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({})", self.text)
    }
}

crate::string_schema!(Marking);

impl serde::Serialize for Marking {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> serde::Deserialize<'de> for Marking {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Marking::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("not a marking: {s:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification_round_trips() {
        for s in [
            "UNCLASSIFIED",
            "UNCLASSIFIED//FOR OFFICIAL USE ONLY",
            "CONFIDENTIAL",
            "CONFIDENTIAL//NOFORN",
            "SECRET",
            "SECRET//NOFORN",
        ] {
            assert_eq!(s.parse::<Classification>().unwrap().to_string(), s);
        }
        let c: Classification = "C O N F I D E N T I A L".parse().unwrap();
        assert_eq!(c.level, Level::Confidential);
        assert!("MAYBE".parse::<Classification>().is_err());
    }

    #[test]
    fn markings() {
        let m = Marking::parse("S//NF").unwrap();
        assert_eq!((m.level, m.noforn), (Level::Secret, true));
        assert!(Marking::parse("SBU").unwrap().sensitive);
        assert!(Marking::parse("C/NF").unwrap().noforn);
        assert!(Marking::parse("see below").is_none());
        assert!(Marking::parse("A").is_none());
    }
}
