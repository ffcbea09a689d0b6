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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
        None => station::lookup(&crate::canonical_station(station)?)?,
    };
    country_by_code(found.country?)
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
