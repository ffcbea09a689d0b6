//! Small hand-written tables for the TAGS parser: what general rules cannot
//! know. None of them is derived from the third-party reference lists in
//! `../shared/reference` (those are loaded at run time into
//! [`crate::ReferenceData`]).

/// Two-letter codes used as country or region codes in TAGS that the
/// country table ([`crate::country`]) does not hold: codes of states that
/// no longer exist (`UR` USSR, `GE`/`GC` the two Germanies, `YO`
/// Yugoslavia, `YS` South Yemen, `ZR` Zaire, `CZ` Czechoslovakia, `RB`
/// Serbia 2006-2008), small territories of FIPS 10-4 and the rest of the
/// State Department's regional `X?` codes. Sorted.
const EXTRA_COUNTRY_CODES: &[&str] = &[
    "AT", "AX", "BQ", "BS", "BV", "CK", "CR", "CZ", "DQ", "DX", "FQ", "FS", "GC", "GE", "GK", "GO", "HM",
    "HQ", "IM", "IP", "JE", "JN", "JQ", "JU", "KQ", "KT", "LQ", "MF", "MQ", "NF", "PC", "PF", "PG", "RB",
    "RN", "SB", "SV", "SX", "TB", "TE", "TL", "UR", "WF", "WQ", "XB", "XC", "XD", "XE", "XG", "XH", "XI",
    "XJ", "XK", "XN", "XO", "XP", "XQ", "XR", "XS", "XT", "XU", "XV", "XW", "XY", "XZ", "YO", "YS", "ZR",
];

/// Whether a two-letter code (upper case) is a country or regional code,
/// not an organisation.
pub(crate) fn is_country_code(code: &str) -> bool {
    !TWO_LETTER_ORGANIZATIONS.contains(&code)
        && (crate::country::country_by_code(code).is_some()
            || EXTRA_COUNTRY_CODES.binary_search(&code).is_ok())
}

/// Two-letter tags that name organisations, not countries.
pub(crate) const TWO_LETTER_ORGANIZATIONS: &[&str] = &["EU", "UN"];

/// Four-letter codes common in cable TAGS lines (those written in the
/// shared sample of cables, and a few more), used to validate the pieces of
/// run-together tags. Sorted.
const COMMON_CODES: &[&str] = &[
    "ABLD", "AEMR", "AFIN", "AGMT", "AMED", "AMGT", "AODE", "AORC", "APER", "ASEC", "ASIG", "BEXP", "BMGT",
    "BTIO", "CASC", "CFED", "CJAN", "CMGT", "CPAS", "CVIS", "EAGR", "EAID", "EAIR", "ECIN", "ECIP", "ECON",
    "ECPS", "EFIN", "EFIS", "EIND", "EINT", "EINV", "ELAB", "ELTN", "EMIN", "ENRG", "ENVR", "EPET", "ETRD",
    "ETTC", "EWWT", "IAEA", "ICAO", "KACT", "KAWC", "KAWK", "KBIO", "KCFE", "KCIP", "KCOM", "KCOR", "KCRM",
    "KCRS", "KDEM", "KDEV", "KDRG", "KFIN", "KFLO", "KFLU", "KFRD", "KGCC", "KGHG", "KGIC", "KHIV", "KHLS",
    "KIFR", "KIPR", "KIRC", "KIRF", "KISL", "KJUS", "KLIG", "KMCA", "KMDR", "KMPI", "KNAR", "KNNP", "KNPP",
    "KNUC", "KOCI", "KOLY", "KPAL", "KPAO", "KPIN", "KPKO", "KPLS", "KPRP", "KPWR", "KRAD", "KREC", "KRVC",
    "KSAF", "KSCA", "KSEC", "KSEP", "KSPR", "KSTC", "KSTH", "KSUM", "KTDB", "KTER", "KTFN", "KTIA", "KTIP",
    "KUNR", "KVPR", "KWAC", "KWBG", "KWMN", "MAPP", "MARR", "MASC", "MASS", "MCAP", "MEPP", "MNUC", "MOPS",
    "MPOS", "NATO", "OECD", "OEXC", "OFDP", "OIIP", "OPCW", "OPDC", "OPEC", "OPRC", "OREP", "OSCE", "OSCI",
    "OTRA", "OVIP", "PARM", "PBIO", "PBTS", "PEPR", "PGOF", "PGOV", "PHSA", "PHUM", "PINL", "PINR", "PINS",
    "PINT", "PREF", "PREL", "PROP", "PSOE", "PTER", "SCUL", "SENV", "SHUM", "SMIG", "SNAR", "SOCI", "TBIO",
    "TFIN", "TINT", "TNGD", "TPHY", "TRGY", "TSPA", "TSPL", "UNDP", "UNEP", "UNGA", "UNSC", "USEU", "WTRO",
];

/// Whether a code is one of the common four-letter TAGS.
pub(crate) fn is_common_code(code: &str) -> bool {
    COMMON_CODES.binary_search(&code).is_ok()
}

/// Multi-word tags written by posts (words as written, canonical tag),
/// longest first.
pub(crate) const PHRASES: &[(&[&str], &str)] = &[
    (&["ISRAELI", "PALESTINIAN", "AFFAIRS"], "ISRAELI PALESTINIAN AFFAIRS"),
    (&["POLITICS", "FOREIGN", "POLICY"], "POLITICS FOREIGN POLICY"),
    (&["ITALY", "NATIONAL", "ELECTIONS"], "ITALY NATIONAL ELECTIONS"),
    (&["MEDIA", "REACTION", "REPORT"], "MEDIA REACTION REPORT"),
    (&["HUMAN", "RIGHTS"], "HUMAN RIGHTS"),
    (&["COUNTER", "TERRORISM"], "COUNTERTERRORISM"),
    (&["GOI", "EXTERNAL"], "GOI EXTERNAL"),
    (&["GOI", "INTERNAL"], "GOI INTERNAL"),
    (&["GAZA", "DISENGAGEMENT"], "GAZA DISENGAGEMENT"),
    (&["ECONOMIC", "AFFAIRS"], "ECONOMIC AFFAIRS"),
    (&["CONSULAR", "AFFAIRS"], "CONSULAR AFFAIRS"),
    (&["POLITICAL", "AFFAIRS"], "POLITICAL AFFAIRS"),
    (&["PUBLIC", "AFFAIRS"], "PUBLIC AFFAIRS"),
    (&["POLITICAL", "PARTIES"], "POLITICAL PARTIES"),
    (&["ORGANIZED", "CRIME"], "ORGANIZED CRIME"),
    (&["COUNTRY", "CLEARANCE"], "COUNTRY CLEARANCE"),
    (&["MEDIA", "REACTION"], "MEDIA REACTION"),
    (&["IRAQI", "FREEDOM"], "IRAQI FREEDOM"),
    (&["GLOBAL", "DEFENSE"], "GLOBAL DEFENSE"),
    (&["DOMESTIC", "POLITICS"], "DOMESTIC POLITICS"),
    (&["ITALIAN", "POLITICS"], "ITALIAN POLITICS"),
    (&["NEW", "ZEALAND"], "NEW ZEALAND"),
    (&["MILITARY", "RELATIONS"], "MILITARY RELATIONS"),
    (&["ISRAEL", "RELATIONS"], "ISRAEL RELATIONS"),
    (&["USEU", "BRUSSELS"], "USEU BRUSSELS"),
];

/// Given names that mark `SURNAME GIVEN` person tags written without their
/// comma (`ROOD JOHN`). Names that are also common words or codes are left
/// out.
pub(crate) const GIVEN_NAMES: &[&str] = &[
    "ALBERTO",
    "ALVARO",
    "ANGELA",
    "ANTHONY",
    "ANTONIO",
    "ASIF",
    "BARACK",
    "CARLOS",
    "CHARLES",
    "CHRISTOPHER",
    "COLIN",
    "CONDOLEEZA",
    "CONDOLEEZZA",
    "DANIEL",
    "DAVID",
    "DMITRY",
    "DONALD",
    "EDWARD",
    "ERIC",
    "FRANCISCO",
    "GASPAR",
    "GEORGE",
    "GERARD",
    "GORDON",
    "GUILLERMO",
    "HAMID",
    "HENRY",
    "HILLARY",
    "HUGO",
    "JACQUES",
    "JAMES",
    "JEFFREY",
    "JOHN",
    "JOHNNIE",
    "JORGE",
    "JOSE",
    "JOSEPH",
    "JUAN",
    "KATHLEEN",
    "LUIS",
    "MADELEINE",
    "MANUEL",
    "MICHAEL",
    "NANCY",
    "NICHOLAS",
    "NICOLAS",
    "PAUL",
    "PEDRO",
    "PETER",
    "RAUL",
    "RICHARD",
    "ROBERT",
    "SERGEY",
    "SILVIO",
    "STEPHEN",
    "STEVEN",
    "SUSAN",
    "THOMAS",
    "TIMOTHY",
    "VLADIMIR",
    "WILLIAM",
];

/// Known misspellings and run-together tags the general splitter cannot
/// repair (three-letter pieces), with their repair.
pub(crate) fn typo_fix(tag: &str) -> Option<&'static [&'static str]> {
    Some(match tag {
        "MOPPS" => &["MOPS"],
        "POGOV" => &["PGOV"],
        "UNDESCO" => &["UNESCO"],
        "KWWMN" => &["KWMN"],
        "UNFCYP" => &["UNFICYP"],
        "RU" => &["RS"],
        "SYR" => &["SY"],
        "POLMIL" => &["POL", "MIL"],
        "RIGHTSPOLMIL" => &["RIGHTS", "POL", "MIL"],
        _ => return None,
    })
}

/// The canonical spelling of person tags whose middle initial is often
/// left out.
pub(crate) fn canonical_person(tag: &str) -> Option<&'static str> {
    Some(match tag {
        "STEINBERG, JAMES" => "STEINBERG, JAMES B.",
        "BUSH, GEORGE" => "BUSH, GEORGE W.",
        _ => return None,
    })
}

/// Words found in TAGS lines that are not tags: caveats and classification
/// words.
pub(crate) const NOT_TAGS: &[&str] = &[
    "SIPDIS",
    "NOFORN",
    "NODIS",
    "EXDIS",
    "LIMDIS",
    "STADIS",
    "UNCLASSIFIED",
    "UNCLAS",
    "CONFIDENTIAL",
    "SECRET",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted() {
        assert!(EXTRA_COUNTRY_CODES.windows(2).all(|w| w[0] < w[1]));
        assert!(
            is_country_code("GM")
                && is_country_code("XR")
                && !is_country_code("EU")
                && !is_country_code("QQ")
        );
        assert!(COMMON_CODES.windows(2).all(|w| w[0] < w[1]));
        assert!(GIVEN_NAMES.windows(2).all(|w| w[0] < w[1]));
        assert!(PHRASES.windows(2).all(|w| w[0].0.len() >= w[1].0.len()));
    }
}
