//! What a TAGS entry means, in words, for readers who do not know the codes.

use super::{Tag, TagKind};

/// The commonest State Department subject TAGS and their titles.
const SUBJECTS: &[(&str, &str)] = &[
    ("AMGT", "management operations"),
    ("APER", "personnel"),
    ("ASEC", "security"),
    ("CASC", "assistance to US citizens"),
    ("CMGT", "consular management"),
    ("CVIS", "visas"),
    ("EAGR", "agriculture and forestry"),
    ("EAID", "foreign economic assistance"),
    ("ECON", "economic conditions"),
    ("EFIN", "financial and monetary affairs"),
    ("EINV", "foreign investment"),
    ("ELAB", "labor"),
    ("ENRG", "energy and power"),
    ("EPET", "petroleum and natural gas"),
    ("ETRD", "foreign trade"),
    ("KCOR", "corruption"),
    ("KCRM", "criminal activity"),
    ("KDEM", "democratization"),
    ("KIRF", "international religious freedom"),
    ("KISL", "Islamic issues"),
    ("KJUS", "justice"),
    ("KNNP", "nuclear non-proliferation"),
    ("KPAO", "public affairs"),
    ("KPKO", "peacekeeping operations"),
    ("KTIP", "trafficking in persons"),
    ("KWMN", "women's issues"),
    ("MARR", "military and defense arrangements"),
    ("MASS", "military assistance and sales"),
    ("MCAP", "military capabilities"),
    ("MNUC", "military nuclear applications"),
    ("MOPS", "military operations"),
    ("OEXC", "educational and cultural exchange"),
    ("OTRA", "travel"),
    ("OVIP", "visits of high-level officials"),
    ("PARM", "arms control and disarmament"),
    ("PBTS", "boundaries and territorial sovereignty"),
    ("PGOV", "internal governmental affairs"),
    ("PHUM", "human rights"),
    ("PINR", "intelligence"),
    ("PINS", "national security"),
    ("PREF", "refugees"),
    ("PREL", "external political relations"),
    ("PTER", "terrorism"),
    ("SENV", "environmental affairs"),
    ("SMIG", "migration"),
    ("SNAR", "narcotics"),
    ("SOCI", "social conditions"),
    ("TBIO", "biotechnology"),
    ("TSPA", "space"),
];

/// The area a subject code's first letter stands for.
fn subject_area(code: &str) -> Option<&'static str> {
    Some(match code.as_bytes().first()? {
        b'A' => "administration",
        b'B' => "business",
        b'C' => "consular affairs",
        b'E' => "economic affairs",
        b'K' => "programs and special issues",
        b'M' => "military affairs",
        b'O' => "operations",
        b'P' => "political affairs",
        b'S' => "social affairs",
        b'T' => "technology",
        _ => return None,
    })
}

impl Tag {
    /// What the tag means, in words: `external political relations`
    /// (subject), `Afghanistan` (country), `organisation`, `person or
    /// program`. Subject codes off the list of common ones are described
    /// by their area (`political affairs`). A country code is described by
    /// the country its cable's [`Tag::reading`] chose; without a reading,
    /// a code that ISO 3166 gives to another country says so.
    ///
    /// ```
    /// use cable::{Tag, TagKind};
    /// let t = |code: &str, kind| Tag { code: code.into(), kind, reading: None };
    /// assert_eq!(t("PARM", TagKind::Subject).description(), "subject: arms control and disarmament");
    /// assert_eq!(t("AF", TagKind::Country).description(), "country: Afghanistan");
    /// assert_eq!(t("PZZZ", TagKind::Subject).description(), "subject: political affairs");
    /// // a code seen without its cable says what else it may mean
    /// assert_eq!(t("CN", TagKind::Country).description(), "country: Comoros (China in ISO 3166)");
    /// ```
    pub fn description(&self) -> String {
        match self.kind {
            TagKind::Subject => {
                let title = SUBJECTS
                    .binary_search_by(|(code, _)| (*code).cmp(self.code.as_str()))
                    .ok()
                    .map(|i| SUBJECTS[i].1)
                    .or_else(|| subject_area(&self.code));
                match title {
                    Some(t) => format!("subject: {t}"),
                    None => "subject".to_owned(),
                }
            }
            TagKind::Country => match (self.country(), &self.reading) {
                (Some(c), Some(_)) => format!("country: {}", c.name),
                // a code read without its cable: say what else it may mean
                (found, None) => {
                    let iso: Vec<&str> = crate::country::country_by_iso(&self.code)
                        .into_iter()
                        .filter(|k| found.map(crate::country::preferred).is_none_or(|f| f.code != k.code))
                        .map(|k| k.name)
                        .collect();
                    match (found, iso.is_empty()) {
                        (Some(c), true) => format!("country: {}", c.name),
                        (Some(c), false) => format!("country: {} ({} in ISO 3166)", c.name, iso.join(" or ")),
                        (None, false) => format!("country: {} (an ISO 3166 code)", iso.join(" or ")),
                        (None, true) => "country code".to_owned(),
                    }
                }
                (None, Some(_)) => "country code".to_owned(),
            },
            TagKind::Organization => "organisation".to_owned(),
            TagKind::PersonOrProgram => "person or program".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SUBJECTS;

    #[test]
    fn the_table_is_sorted_for_binary_search() {
        assert!(SUBJECTS.windows(2).all(|w| w[0].0 < w[1].0));
    }
}
