//! The two-letter country codes of cable TAGS, and the country of a station.
//!
//! The State Department tags every cable with the countries it concerns,
//! using two-letter codes in the style of FIPS 10-4 — not ISO 3166: `UK` is
//! the United Kingdom, `GM` Germany, `JA` Japan, `RS` Russia, `CH` China, `IZ`
//! Iraq, `SP` Spain, `SF` South Africa. A handful of codes are the
//! Department's own: `SR` for Serbia, the older `TC` for the United Arab
//! Emirates and `YE` for Yemen, regional codes such as `XA` (Africa) and the
//! organisation codes `EU` and `UN`.
//!
//! The table is the one reference for countries in demarche: look a country
//! up by TAGS code ([`country_by_code`]), ISO code ([`country_by_iso`]) or
//! name ([`country_by_name`]), find the country of a station
//! ([`country_of_station`]; origin names such as `Consulate Peshawar` too,
//! [`station_of_origin`]) and the stations of a country ([`stations_of`]).
//!
//! ```
//! use cable::country::{country_by_code, country_of_station};
//! let gm = country_by_code("GM").unwrap();
//! assert_eq!((gm.name, gm.iso), ("Germany", "DE"));
//! assert_eq!(country_of_station("OSLO").map(|c| c.code), Some("NO"));
//! assert_eq!(country_of_station("PESHAWAR").map(|c| c.name), Some("Pakistan"));
//! assert!(country_of_station("USUNNEWYORK").is_none());
//! ```

use crate::station;

/// A country (or region, or organisation) as a cable TAGS code names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Country {
    /// The two-letter TAGS code, e.g. `UK`.
    pub code: &'static str,
    /// The ISO 3166-1 alpha-2 code, e.g. `GB`; empty for regions and for
    /// organisations that have none.
    pub iso: &'static str,
    /// English short name, e.g. `United Kingdom`.
    pub name: &'static str,
}

const fn c(code: &'static str, iso: &'static str, name: &'static str) -> Country {
    Country { code, iso, name }
}

/// Every code, sorted by code.
static COUNTRIES: &[Country] = &[
    c("AA", "AW", "Aruba"),
    c("AC", "AG", "Antigua and Barbuda"),
    c("AE", "AE", "United Arab Emirates"),
    c("AF", "AF", "Afghanistan"),
    c("AG", "DZ", "Algeria"),
    c("AJ", "AZ", "Azerbaijan"),
    c("AL", "AL", "Albania"),
    c("AM", "AM", "Armenia"),
    c("AN", "AD", "Andorra"),
    c("AO", "AO", "Angola"),
    c("AQ", "AS", "American Samoa"),
    c("AR", "AR", "Argentina"),
    c("AS", "AU", "Australia"),
    c("AU", "AT", "Austria"),
    c("AV", "AI", "Anguilla"),
    c("AY", "AQ", "Antarctica"),
    c("BA", "BH", "Bahrain"),
    c("BB", "BB", "Barbados"),
    c("BC", "BW", "Botswana"),
    c("BD", "BM", "Bermuda"),
    c("BE", "BE", "Belgium"),
    c("BF", "BS", "Bahamas"),
    c("BG", "BD", "Bangladesh"),
    c("BH", "BZ", "Belize"),
    c("BK", "BA", "Bosnia and Herzegovina"),
    c("BL", "BO", "Bolivia"),
    c("BM", "MM", "Burma"),
    c("BN", "BJ", "Benin"),
    c("BO", "BY", "Belarus"),
    c("BP", "SB", "Solomon Islands"),
    c("BR", "BR", "Brazil"),
    c("BT", "BT", "Bhutan"),
    c("BU", "BG", "Bulgaria"),
    c("BX", "BN", "Brunei"),
    c("BY", "BI", "Burundi"),
    c("CA", "CA", "Canada"),
    c("CB", "KH", "Cambodia"),
    c("CD", "TD", "Chad"),
    c("CE", "LK", "Sri Lanka"),
    c("CF", "CG", "Congo (Brazzaville)"),
    c("CG", "CD", "Congo (Kinshasa)"),
    c("CH", "CN", "China"),
    c("CI", "CL", "Chile"),
    c("CJ", "KY", "Cayman Islands"),
    c("CM", "CM", "Cameroon"),
    c("CN", "KM", "Comoros"),
    c("CO", "CO", "Colombia"),
    c("CQ", "MP", "Northern Mariana Islands"),
    c("CS", "CR", "Costa Rica"),
    c("CT", "CF", "Central African Republic"),
    c("CU", "CU", "Cuba"),
    c("CV", "CV", "Cape Verde"),
    c("CW", "CK", "Cook Islands"),
    c("CY", "CY", "Cyprus"),
    c("DA", "DK", "Denmark"),
    c("DJ", "DJ", "Djibouti"),
    c("DO", "DM", "Dominica"),
    c("DR", "DO", "Dominican Republic"),
    c("EC", "EC", "Ecuador"),
    c("EG", "EG", "Egypt"),
    c("EI", "IE", "Ireland"),
    c("EK", "GQ", "Equatorial Guinea"),
    c("EN", "EE", "Estonia"),
    c("ER", "ER", "Eritrea"),
    c("ES", "SV", "El Salvador"),
    c("ET", "ET", "Ethiopia"),
    // The Department's informal code; the organisation tag is EUN.
    c("EU", "EU", "European Union"),
    c("EZ", "CZ", "Czech Republic"),
    c("FG", "GF", "French Guiana"),
    c("FI", "FI", "Finland"),
    c("FJ", "FJ", "Fiji"),
    c("FK", "FK", "Falkland Islands"),
    c("FM", "FM", "Micronesia"),
    c("FO", "FO", "Faroe Islands"),
    c("FP", "PF", "French Polynesia"),
    c("FR", "FR", "France"),
    c("GA", "GM", "The Gambia"),
    c("GB", "GA", "Gabon"),
    c("GG", "GE", "Georgia"),
    c("GH", "GH", "Ghana"),
    c("GI", "GI", "Gibraltar"),
    c("GJ", "GD", "Grenada"),
    c("GL", "GL", "Greenland"),
    c("GM", "DE", "Germany"),
    c("GP", "GP", "Guadeloupe"),
    c("GQ", "GU", "Guam"),
    c("GR", "GR", "Greece"),
    c("GT", "GT", "Guatemala"),
    c("GV", "GN", "Guinea"),
    c("GY", "GY", "Guyana"),
    c("GZ", "PS", "Gaza Strip"),
    c("HA", "HT", "Haiti"),
    c("HK", "HK", "Hong Kong"),
    c("HO", "HN", "Honduras"),
    c("HR", "HR", "Croatia"),
    c("HU", "HU", "Hungary"),
    c("IC", "IS", "Iceland"),
    c("ID", "ID", "Indonesia"),
    c("IN", "IN", "India"),
    c("IO", "IO", "British Indian Ocean Territory"),
    c("IR", "IR", "Iran"),
    c("IS", "IL", "Israel"),
    c("IT", "IT", "Italy"),
    c("IV", "CI", "Cote d'Ivoire"),
    c("IZ", "IQ", "Iraq"),
    c("JA", "JP", "Japan"),
    c("JM", "JM", "Jamaica"),
    c("JO", "JO", "Jordan"),
    c("KE", "KE", "Kenya"),
    c("KG", "KG", "Kyrgyzstan"),
    c("KN", "KP", "North Korea"),
    c("KR", "KI", "Kiribati"),
    c("KS", "KR", "South Korea"),
    c("KU", "KW", "Kuwait"),
    // No ISO 3166 code; XK is the user-assigned code in common use.
    c("KV", "XK", "Kosovo"),
    c("KZ", "KZ", "Kazakhstan"),
    c("LA", "LA", "Laos"),
    c("LE", "LB", "Lebanon"),
    c("LG", "LV", "Latvia"),
    c("LH", "LT", "Lithuania"),
    c("LI", "LR", "Liberia"),
    c("LO", "SK", "Slovakia"),
    c("LS", "LI", "Liechtenstein"),
    c("LT", "LS", "Lesotho"),
    c("LU", "LU", "Luxembourg"),
    c("LY", "LY", "Libya"),
    c("MA", "MG", "Madagascar"),
    c("MB", "MQ", "Martinique"),
    c("MC", "MO", "Macau"),
    c("MD", "MD", "Moldova"),
    c("MG", "MN", "Mongolia"),
    c("MH", "MS", "Montserrat"),
    c("MI", "MW", "Malawi"),
    c("MJ", "ME", "Montenegro"),
    c("MK", "MK", "Macedonia"),
    c("ML", "ML", "Mali"),
    c("MN", "MC", "Monaco"),
    c("MO", "MA", "Morocco"),
    c("MP", "MU", "Mauritius"),
    c("MR", "MR", "Mauritania"),
    c("MT", "MT", "Malta"),
    c("MU", "OM", "Oman"),
    c("MV", "MV", "Maldives"),
    c("MX", "MX", "Mexico"),
    c("MY", "MY", "Malaysia"),
    c("MZ", "MZ", "Mozambique"),
    c("NC", "NC", "New Caledonia"),
    c("NE", "NU", "Niue"),
    c("NG", "NE", "Niger"),
    c("NH", "VU", "Vanuatu"),
    c("NI", "NG", "Nigeria"),
    c("NL", "NL", "Netherlands"),
    c("NO", "NO", "Norway"),
    c("NP", "NP", "Nepal"),
    c("NR", "NR", "Nauru"),
    c("NS", "SR", "Suriname"),
    c("NT", "AN", "Netherlands Antilles"),
    c("NU", "NI", "Nicaragua"),
    c("NZ", "NZ", "New Zealand"),
    c("PA", "PY", "Paraguay"),
    c("PE", "PE", "Peru"),
    c("PK", "PK", "Pakistan"),
    c("PL", "PL", "Poland"),
    c("PM", "PA", "Panama"),
    c("PO", "PT", "Portugal"),
    c("PP", "PG", "Papua New Guinea"),
    c("PS", "PW", "Palau"),
    c("PU", "GW", "Guinea-Bissau"),
    c("QA", "QA", "Qatar"),
    c("RE", "RE", "Reunion"),
    c("RI", "RS", "Serbia"),
    c("RM", "MH", "Marshall Islands"),
    c("RO", "RO", "Romania"),
    c("RP", "PH", "Philippines"),
    c("RQ", "PR", "Puerto Rico"),
    c("RS", "RU", "Russia"),
    c("RW", "RW", "Rwanda"),
    c("SA", "SA", "Saudi Arabia"),
    c("SC", "KN", "Saint Kitts and Nevis"),
    c("SE", "SC", "Seychelles"),
    c("SF", "ZA", "South Africa"),
    c("SG", "SN", "Senegal"),
    c("SH", "SH", "Saint Helena"),
    c("SI", "SI", "Slovenia"),
    c("SL", "SL", "Sierra Leone"),
    c("SM", "SM", "San Marino"),
    c("SN", "SG", "Singapore"),
    c("SO", "SO", "Somalia"),
    c("SP", "ES", "Spain"),
    // The Department's code for Serbia (FIPS 10-4 has RI), as Belgrade uses it.
    c("SR", "RS", "Serbia"),
    c("ST", "LC", "Saint Lucia"),
    c("SU", "SD", "Sudan"),
    c("SW", "SE", "Sweden"),
    c("SY", "SY", "Syria"),
    c("SZ", "CH", "Switzerland"),
    // Older code for the United Arab Emirates (the Trucial States), still used.
    c("TC", "AE", "United Arab Emirates"),
    c("TD", "TT", "Trinidad and Tobago"),
    c("TH", "TH", "Thailand"),
    c("TI", "TJ", "Tajikistan"),
    c("TK", "TC", "Turks and Caicos Islands"),
    c("TN", "TO", "Tonga"),
    c("TO", "TG", "Togo"),
    c("TP", "ST", "Sao Tome and Principe"),
    c("TS", "TN", "Tunisia"),
    c("TT", "TL", "Timor-Leste"),
    c("TU", "TR", "Turkey"),
    c("TV", "TV", "Tuvalu"),
    c("TW", "TW", "Taiwan"),
    c("TX", "TM", "Turkmenistan"),
    c("TZ", "TZ", "Tanzania"),
    c("UG", "UG", "Uganda"),
    c("UK", "GB", "United Kingdom"),
    c("UN", "", "United Nations"),
    c("UP", "UA", "Ukraine"),
    c("US", "US", "United States"),
    c("UV", "BF", "Burkina Faso"),
    c("UY", "UY", "Uruguay"),
    c("UZ", "UZ", "Uzbekistan"),
    c("VC", "VC", "Saint Vincent and the Grenadines"),
    c("VE", "VE", "Venezuela"),
    c("VI", "VG", "British Virgin Islands"),
    c("VM", "VN", "Vietnam"),
    c("VQ", "VI", "United States Virgin Islands"),
    c("VT", "VA", "Holy See"),
    c("WA", "NA", "Namibia"),
    c("WE", "PS", "West Bank"),
    c("WI", "EH", "Western Sahara"),
    c("WS", "WS", "Samoa"),
    c("WZ", "SZ", "Swaziland"),
    // Regions.
    c("XA", "", "Africa"),
    c("XF", "", "Middle East"),
    c("XL", "", "Caribbean"),
    c("XM", "", "Latin America"),
    // Older code for Yemen (Sanaa), still used by the embassy there.
    c("YE", "YE", "Yemen"),
    c("YI", "CS", "Serbia and Montenegro"),
    c("YM", "YE", "Yemen"),
    c("ZA", "ZM", "Zambia"),
    c("ZI", "ZW", "Zimbabwe"),
];

/// The country (or region, or organisation) a two-letter TAGS code names;
/// case-insensitive (`uk` finds the United Kingdom). `None` for codes not in
/// the table.
pub fn country_by_code(code: &str) -> Option<&'static Country> {
    let b = code.as_bytes();
    if b.len() != 2 {
        return None;
    }
    let upper = [b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()];
    COUNTRIES.binary_search_by(|c| c.code.as_bytes().cmp(&upper[..])).ok().map(|i| &COUNTRIES[i])
}

/// Every code of the table, sorted by code. A few countries appear under
/// two codes (the United Arab Emirates as `AE` and `TC`, Serbia as `SR` and
/// `RI`, Yemen as `YM` and `YE`); regions and organisations have no ISO code.
pub fn all_countries() -> &'static [Country] {
    COUNTRIES
}

/// The country a station is in: `KABUL` -> Afghanistan, `PESHAWAR` ->
/// Pakistan, `LONDON` -> United Kingdom, `RPODUBAI` -> United Arab Emirates
/// (where the Iran office sits), `STATE` -> United States. `None` for
/// missions to international organisations (`USUNNEWYORK`, `USNATO`,
/// `USEUBRUSSELS`, `UNVIEVIENNA`, `GENEVA`), for Jerusalem and for stations
/// not known. Other spellings are canonicalised first (`SECSTATE`, `Rio de Jan`).
pub fn country_of_station(station: &str) -> Option<&'static Country> {
    let found = match station::lookup(station) {
        Some(s) => s,
        None => match station::lookup(&crate::canonical_station(station)?) {
            Some(s) => s,
            None => station::lookup(station_of_origin(station)?)?,
        },
    };
    country_by_code(found.country?)
}

/// Words before the post's name in origin names, longest first.
const ORIGIN_PREFIXES: &[&str] = &[
    "american institute taiwan,",
    "american institute in taiwan,",
    "us interests section",
    "consulate general",
    "us mission to",
    "us mission",
    "us office",
    "consulate",
    "embassy",
    "mission",
];

/// The canonical station an origin name (as WikiLeaks pages and
/// `cables.csv` give it) stands for: `Embassy Kabul` -> `KABUL`, `Consulate
/// Peshawar` -> `PESHAWAR`, `Mission USNATO` -> `USNATO`, `US Interests
/// Section Havana` -> `HAVANA`, `Secretary of State` -> `STATE`, `UNVIE` ->
/// `UNVIEVIENNA`. `None` when no known station is named.
///
/// ```
/// use cable::country::{country_of_station, station_of_origin};
/// assert_eq!(station_of_origin("Consulate Peshawar"), Some("PESHAWAR"));
/// assert_eq!(station_of_origin("Secretary of State"), Some("STATE"));
/// assert_eq!(country_of_station("Consulate Peshawar").map(|c| c.name), Some("Pakistan"));
/// assert_eq!(station_of_origin("Ministry of Truth"), None);
/// ```
pub fn station_of_origin(origin: &str) -> Option<&'static str> {
    let o = origin.trim();
    if o.eq_ignore_ascii_case("secretary of state") || o.eq_ignore_ascii_case("department of state") {
        return Some("STATE");
    }
    let known = |text: &str| {
        let c = crate::canonical_station(text)?;
        station::resolve(&c).or_else(|| station::lookup(&c).map(|s| s.name))
    };
    if let Some(s) = known(o) {
        return Some(s);
    }
    let rest = ORIGIN_PREFIXES.iter().find_map(|p| {
        let head = o.get(..p.len())?;
        head.eq_ignore_ascii_case(p).then(|| &o[p.len()..])
    })?;
    known(rest)
}

/// Codes that name the same country as another, preferred code: the older
/// `TC` (United Arab Emirates, preferred `AE`), FIPS `RI` (Serbia, preferred
/// the Department's `SR`) and the older `YE` (Yemen, preferred `YM`).
static SECONDARY_CODES: &[(&str, &str)] = &[("RI", "SR"), ("TC", "AE"), ("YE", "YM")];

/// The preferred entry of a country listed under several codes (`TC` ->
/// `AE`, `RI` -> `SR`, `YE` -> `YM`); any other country as it is. Group by
/// this when counting cables per country, so that a cable tagged `TC` and
/// one from Abu Dhabi count for the same country.
///
/// ```
/// use cable::country::{country_by_code, preferred};
/// assert_eq!(preferred(country_by_code("TC").unwrap()).code, "AE");
/// assert_eq!(preferred(country_by_code("AF").unwrap()).code, "AF");
/// ```
pub fn preferred(country: &'static Country) -> &'static Country {
    SECONDARY_CODES
        .iter()
        .find(|(secondary, _)| *secondary == country.code)
        .and_then(|(_, primary)| country_by_code(primary))
        .unwrap_or(country)
}

/// The countries whose ISO 3166-1 alpha-2 code is `iso` (case-insensitive),
/// preferred entries only (see [`preferred`]). Usually one; empty for an
/// unknown code; two for `PS`, which the table splits into the Gaza Strip
/// (`GZ`) and the West Bank (`WE`).
///
/// ```
/// use cable::country::country_by_iso;
/// let codes = |iso| country_by_iso(iso).iter().map(|c| c.code).collect::<Vec<_>>();
/// assert_eq!(codes("GB"), ["UK"]);
/// assert_eq!(codes("ch"), ["SZ"]);
/// assert_eq!(codes("AE"), ["AE"]);
/// assert_eq!(codes("PS"), ["GZ", "WE"]);
/// assert!(codes("QQ").is_empty());
/// ```
pub fn country_by_iso(iso: &str) -> Vec<&'static Country> {
    if iso.len() != 2 {
        return Vec::new();
    }
    COUNTRIES.iter().filter(|c| c.iso.eq_ignore_ascii_case(iso) && preferred(c).code == c.code).collect()
}

/// Other names of countries, as treaty depositaries and the press write
/// them, mapped to table codes. Compared after [`name_key`].
static NAME_ALIASES: &[(&str, &str)] = &[
    ("bolivia plurinational state of", "BL"),
    ("bosnia herzegovina", "BK"),
    ("britain", "UK"),
    ("brunei darussalam", "BX"),
    ("cabo verde", "CV"),
    ("central african rep", "CT"),
    ("congo", "CF"),
    ("congo brazzaville", "CF"),
    ("congo democratic republic of", "CG"),
    ("congo kinshasa", "CG"),
    ("congo republic of", "CF"),
    ("czechia", "EZ"),
    ("democratic peoples republic of korea", "KN"),
    ("democratic republic of congo", "CG"),
    ("democratic republic of the congo", "CG"),
    ("drc", "CG"),
    ("east timor", "TT"),
    ("eswatini", "WZ"),
    ("great britain", "UK"),
    ("iran islamic republic of", "IR"),
    ("ivory coast", "IV"),
    ("korea democratic peoples republic of", "KN"),
    ("korea republic of", "KS"),
    ("lao pdr", "LA"),
    ("lao peoples democratic republic", "LA"),
    ("macedonia former yugoslav republic of", "MK"),
    ("micronesia federated states of", "FM"),
    ("moldova republic of", "MD"),
    ("myanmar", "BM"),
    ("north macedonia", "MK"),
    ("republic of korea", "KS"),
    ("republic of moldova", "MD"),
    ("republic of the congo", "CF"),
    ("russian federation", "RS"),
    ("st kitts and nevis", "SC"),
    ("st lucia", "ST"),
    ("st vincent and the grenadines", "VC"),
    ("syrian arab republic", "SY"),
    ("tanzania united republic of", "TZ"),
    ("timor leste", "TT"),
    ("turkiye", "TU"),
    ("uae", "AE"),
    ("uk", "UK"),
    ("united kingdom of great britain and northern ireland", "UK"),
    ("united republic of tanzania", "TZ"),
    ("united states of america", "US"),
    ("usa", "US"),
    ("vatican", "VT"),
    ("venezuela bolivarian republic of", "VE"),
    ("viet nam", "VM"),
];

/// A name reduced for comparison: lower case, accents and punctuation
/// dropped, `&` read as `and`, a leading `the` dropped, spaces collapsed
/// (`Côte d'Ivoire` -> `cote divoire`, `The Gambia` -> `gambia`).
fn name_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for ch in name.chars() {
        let ch = match ch {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'a',
            'ç' | 'Ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
            'ñ' | 'Ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
            '&' => {
                out.push_str(" and ");
                continue;
            }
            '-' | '/' | ',' | '(' | ')' => ' ',
            c => c,
        };
        if ch.is_alphanumeric() || ch == ' ' {
            out.extend(ch.to_lowercase());
        }
    }
    let words: Vec<&str> = out.split_whitespace().collect();
    let words = match words.first() {
        Some(&"the") if words.len() > 1 => &words[1..],
        _ => &words[..],
    };
    words.join(" ")
}

/// The country an English name stands for: the table's name (`United
/// Kingdom`, `Cote d'Ivoire`) or a common other name (`Russian Federation`,
/// `Lao People's Democratic Republic`, `Viet Nam`, `Great Britain`), without
/// regard to case, accents, punctuation or a leading "The". Preferred
/// entries only (see [`preferred`]).
///
/// ```
/// use cable::country::country_by_name;
/// assert_eq!(country_by_name("Afghanistan").map(|c| c.code), Some("AF"));
/// assert_eq!(country_by_name("côte d'ivoire").map(|c| c.code), Some("IV"));
/// assert_eq!(country_by_name("Russian Federation").map(|c| c.code), Some("RS"));
/// assert_eq!(country_by_name("United Arab Emirates").map(|c| c.code), Some("AE"));
/// assert_eq!(country_by_name("Atlantis"), None);
/// ```
pub fn country_by_name(name: &str) -> Option<&'static Country> {
    let key = name_key(name);
    if key.is_empty() {
        return None;
    }
    if let Some(c) = COUNTRIES.iter().find(|c| name_key(c.name) == key) {
        return Some(preferred(c));
    }
    NAME_ALIASES.iter().find(|(alias, _)| *alias == key).and_then(|(_, code)| country_by_code(code))
}

/// Whether `name` is a canonical station name of the table (`KABUL`,
/// `USNATO`; not `SECSTATE`, which [`crate::canonical_station`] turns into
/// `STATE`).
pub fn is_station(name: &str) -> bool {
    station::lookup(name).is_some()
}

/// The canonical names of the stations (embassies, consulates, other posts)
/// in the country with TAGS code `code`, sorted: `AF` -> `KABUL`; `PK` ->
/// `ISLAMABAD`, `KARACHI`, `LAHORE`, `PESHAWAR`. A secondary code gives the
/// stations of its country (`TC` those of `AE`). Empty for unknown codes and
/// for organisations, whose missions belong to no country.
///
/// ```
/// use cable::country::stations_of;
/// assert_eq!(stations_of("AF"), ["KABUL"]);
/// assert_eq!(stations_of("pk"), ["ISLAMABAD", "KARACHI", "LAHORE", "PESHAWAR"]);
/// ```
pub fn stations_of(code: &str) -> Vec<&'static str> {
    stations_in(code).to_vec()
}

/// The stations of [`stations_of`], from a table built once.
pub(crate) fn stations_in(code: &str) -> &'static [&'static str] {
    static BY_COUNTRY: std::sync::LazyLock<std::collections::HashMap<&'static str, Vec<&'static str>>> =
        std::sync::LazyLock::new(|| {
            let mut map: std::collections::HashMap<&'static str, Vec<&'static str>> = Default::default();
            for s in station::STATIONS {
                if let Some(country) = s.country.and_then(country_by_code).map(preferred) {
                    map.entry(country.code).or_default().push(s.name);
                }
            }
            for list in map.values_mut() {
                list.sort_unstable();
            }
            map
        });
    let Some(country) = country_by_code(code).map(preferred) else { return &[] };
    BY_COUNTRY.get(country.code).map_or(&[], Vec::as_slice)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_sorted_unique_and_well_formed() {
        for w in COUNTRIES.windows(2) {
            assert!(w[0].code < w[1].code, "{} before {}", w[0].code, w[1].code);
        }
        for c in COUNTRIES {
            assert!(c.code.len() == 2 && c.code.bytes().all(|b| b.is_ascii_uppercase()), "{}", c.code);
            assert!(c.iso.is_empty() || c.iso.len() == 2, "{}", c.iso);
            assert!(!c.name.is_empty());
        }
    }

    #[test]
    fn every_station_country_is_in_the_table() {
        for s in station::STATIONS {
            if let Some(code) = s.country {
                assert!(country_by_code(code).is_some(), "{} -> {code}", s.name);
            }
        }
    }

    #[test]
    fn codes_follow_fips_not_iso() {
        let name = |code| country_by_code(code).map(|c| c.name);
        assert_eq!(name("AF"), Some("Afghanistan"));
        assert_eq!(name("UK"), Some("United Kingdom"));
        assert_eq!(name("NO"), Some("Norway"));
        assert_eq!(name("JA"), Some("Japan"));
        assert_eq!(name("GM"), Some("Germany"));
        assert_eq!(name("RS"), Some("Russia"));
        assert_eq!(name("CH"), Some("China"));
        assert_eq!(name("IZ"), Some("Iraq"));
        assert_eq!(name("ir"), Some("Iran"));
        assert_eq!(name("GB"), Some("Gabon"));
        assert_eq!(name("QQ"), None);
        assert_eq!(name("UKR"), None);
        assert_eq!(name("É"), None);
    }

    #[test]
    fn name_aliases_are_sorted_and_resolve() {
        for w in NAME_ALIASES.windows(2) {
            assert!(w[0].0 < w[1].0, "{} before {}", w[0].0, w[1].0);
        }
        for (alias, code) in NAME_ALIASES {
            assert_eq!(name_key(alias), *alias, "aliases are written as keys");
            assert!(country_by_code(code).is_some(), "{alias} -> {code}");
        }
        for (secondary, primary) in SECONDARY_CODES {
            let (s, p) = (country_by_code(secondary).unwrap(), country_by_code(primary).unwrap());
            assert_eq!(s.iso, p.iso, "{secondary} and {primary} are one country");
        }
    }

    #[test]
    fn finds_countries_by_iso_and_name() {
        assert_eq!(country_by_iso("DE").iter().map(|c| c.code).collect::<Vec<_>>(), ["GM"]);
        assert_eq!(country_by_iso("RS").iter().map(|c| c.code).collect::<Vec<_>>(), ["SR"]);
        assert_eq!(country_by_iso("YE").iter().map(|c| c.code).collect::<Vec<_>>(), ["YM"]);
        assert!(country_by_iso("GBR").is_empty());
        assert_eq!(country_by_name("The Gambia").map(|c| c.code), Some("GA"));
        assert_eq!(country_by_name("  GAMBIA ").map(|c| c.code), Some("GA"));
        assert_eq!(
            country_by_name("United Kingdom of Great Britain and Northern Ireland").map(|c| c.code),
            Some("UK")
        );
        assert_eq!(country_by_name("Bosnia & Herzegovina").map(|c| c.code), Some("BK"));
        assert_eq!(country_by_name("Yemen").map(|c| c.code), Some("YM"));
        assert_eq!(country_by_name("Serbia").map(|c| c.code), Some("SR"));
        assert_eq!(country_by_name(""), None);
        assert_eq!(country_by_name("the"), None);
    }

    #[test]
    fn origin_names_of_the_corpus_name_stations() {
        for (origin, station) in [
            ("Embassy Kabul", "KABUL"),
            ("Embassy The Hague", "THEHAGUE"),
            ("Consulate Cape Town", "CAPETOWN"),
            ("Consulate Rio De Janeiro", "RIODEJANEIRO"),
            ("Consulate Sao Paulo", "SAOPAULO"),
            ("Iran RPO Dubai", "IRANRPODUBAI"),
            ("Mission USNATO", "USNATO"),
            ("Secretary of State", "STATE"),
            ("UNVIE", "UNVIEVIENNA"),
            ("US Interests Section Havana", "HAVANA"),
            ("USEU Brussels", "USEUBRUSSELS"),
            ("American Institute Taiwan, Taipei", "AITTAIPEI"),
        ] {
            assert_eq!(station_of_origin(origin), Some(station), "{origin}");
        }
        assert_eq!(station_of_origin(""), None);
        assert_eq!(station_of_origin("Consulate"), None);
        assert_eq!(country_of_station("Consulate Hamburg").map(|c| c.code), Some("GM"));
        assert_eq!(country_of_station("Mission USNATO"), None, "a mission is in no country");
    }

    #[test]
    fn lists_the_stations_of_a_country() {
        assert_eq!(stations_of("NO"), ["OSLO"]);
        assert!(stations_of("UK").contains(&"LONDON") && stations_of("UK").contains(&"BELFAST"));
        assert_eq!(stations_of("TC"), stations_of("AE"));
        assert!(stations_of("AE").contains(&"RPODUBAI"));
        assert!(stations_of("UN").is_empty());
        assert!(stations_of("QQ").is_empty());
        for s in station::STATIONS {
            if let Some(code) = s.country {
                assert!(stations_of(code).contains(&s.name), "{} in {code}", s.name);
            }
        }
    }

    #[test]
    fn stations_map_to_host_countries() {
        let code = |s| country_of_station(s).map(|c| c.code);
        assert_eq!(code("KABUL"), Some("AF"));
        assert_eq!(code("PESHAWAR"), Some("PK"));
        assert_eq!(code("LONDON"), Some("UK"));
        assert_eq!(code("OSLO"), Some("NO"));
        assert_eq!(code("AITTAIPEI"), Some("TW"));
        assert_eq!(code("SECSTATE"), Some("US"));
        assert_eq!(code("Rio de Jan"), Some("BR"));
        assert_eq!(code("USUNNEWYORK"), None);
        assert_eq!(code("USNATO"), None);
        assert_eq!(code("BLABLA"), None);
        assert_eq!(code(""), None);
    }
}
