//! The canonical station names of Cablegate cable ids, the country each post
//! is in, the aliases under which stations are cited, and the conservative
//! spelling correction used when a station name is not known.
//!
//! A station is the office a cable comes from: an embassy (`KABUL`), a
//! consulate (`PESHAWAR`), a mission to an international organisation
//! (`USUNNEWYORK`, `USNATO`, `USEUBRUSSELS`, `UNVIEVIENNA`), a regional office
//! (`RPODUBAI`, `REOBASRAH`) or a Washington agency (`STATE`, `SECDEF`). The
//! names are written as in cable ids: upper case, no spaces or punctuation.
//!
//! The list was compiled for this crate from the posts named in routing
//! tables ("AMEMBASSY X", "AMCONSUL Y", "USMISSION Z"), with their spelling
//! fixed, and from the stations of the ids of the Cablegate release.

/// A station and the country it is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Station {
    /// Canonical name as written in cable ids, e.g. `BUENOSAIRES`.
    pub(crate) name: &'static str,
    /// Two-letter TAGS (FIPS 10-4 style) code of the host country; `None` for
    /// missions to international organisations, which speak for no country,
    /// and for Jerusalem, whose status this table does not decide.
    pub(crate) country: Option<&'static str>,
}

/// A bilateral post or domestic office in the country with TAGS code `country`.
const fn post(name: &'static str, country: &'static str) -> Station {
    Station { name, country: Some(country) }
}

/// A station that belongs to no country (a mission to an organisation).
const fn mission(name: &'static str) -> Station {
    Station { name, country: None }
}

/// Every canonical station, sorted by name (binary searched).
pub(crate) static STATIONS: &[Station] = &[
    post("ABIDJAN", "IV"),
    post("ABUDHABI", "AE"),
    post("ABUJA", "NI"),
    post("ACCRA", "GH"),
    post("ADANA", "TU"),
    post("ADDISABABA", "ET"),
    post("AITTAIPEI", "TW"), // American Institute in Taiwan
    post("ALGIERS", "AG"),
    post("ALMATY", "KZ"),
    post("AMMAN", "JO"),
    post("AMSTERDAM", "NL"),
    post("ANKARA", "TU"),
    post("ANTANANARIVO", "MA"),
    post("APIA", "WS"),
    post("ASHGABAT", "TX"),
    post("ASMARA", "ER"),
    post("ASTANA", "KZ"),
    post("ASUNCION", "PA"),
    post("ATHENS", "GR"),
    post("AUCKLAND", "NZ"),
    post("BAGHDAD", "IZ"),
    post("BAKU", "AJ"),
    post("BAMAKO", "ML"),
    post("BANDARSERIBEGAWAN", "BX"),
    post("BANGKOK", "TH"),
    post("BANGUI", "CT"),
    post("BANJUL", "GA"),
    post("BARCELONA", "SP"),
    post("BASRAH", "IZ"),
    post("BEIJING", "CH"),
    post("BEIRUT", "LE"),
    post("BELFAST", "UK"),
    post("BELGRADE", "SR"),
    post("BELMOPAN", "BH"),
    post("BERLIN", "GM"),
    post("BERN", "SZ"),
    post("BISHKEK", "KG"),
    post("BOGOTA", "CO"),
    post("BONN", "GM"), // the embassy to West Germany until 1999
    post("BRASILIA", "BR"),
    post("BRATISLAVA", "LO"),
    post("BRAZZAVILLE", "CF"),
    post("BRIDGETOWN", "BB"),
    post("BRUSSELS", "BE"),
    post("BUCHAREST", "RO"),
    post("BUDAPEST", "HU"),
    post("BUENOSAIRES", "AR"),
    post("BUJUMBURA", "BY"),
    post("CAIRO", "EG"),
    post("CALGARY", "CA"),
    post("CANBERRA", "AS"),
    post("CAPETOWN", "SF"),
    post("CARACAS", "VE"),
    post("CASABLANCA", "MO"),
    post("CDCATLANTAGA", "US"), // Centers for Disease Control, Atlanta
    mission("CDGENEVA"),        // delegation to the Conference on Disarmament
    post("CHARLESTON", "US"),   // Financial Service Center Charleston
    post("CHENGDU", "CH"),
    post("CHENNAI", "IN"),
    post("CHIANGMAI", "TH"),
    post("CHISINAU", "MD"),
    post("CIUDADJUAREZ", "MX"),
    post("COLOMBO", "CE"),
    post("CONAKRY", "GV"),
    post("COPENHAGEN", "DA"),
    post("COTONOU", "BN"),
    post("CURACAO", "NT"),
    post("DAKAR", "SG"),
    post("DAMASCUS", "SY"),
    post("DARESSALAAM", "TZ"),
    post("DHAHRAN", "SA"),
    post("DHAKA", "BG"),
    post("DILI", "TT"),
    post("DJIBOUTI", "DJ"),
    post("DOHA", "QA"),
    post("DUBAI", "AE"),
    post("DUBLIN", "EI"),
    post("DURBAN", "SF"),
    post("DUSHANBE", "TI"),
    post("DUSSELDORF", "GM"),
    post("EDINBURGH", "UK"),
    post("FLORENCE", "IT"),
    post("FRANKFURT", "GM"),
    post("FREETOWN", "SL"),
    post("FUKUOKA", "JA"),
    post("GABORONE", "BC"),
    mission("GENEVA"), // US Mission to the UN and other organisations in Geneva
    post("GEORGETOWN", "GY"),
    post("GRENADA", "GJ"),
    post("GUADALAJARA", "MX"),
    post("GUANGZHOU", "CH"),
    post("GUATEMALA", "GT"),
    post("GUAYAQUIL", "EC"),
    post("HALIFAX", "CA"),
    post("HAMBURG", "GM"),
    post("HAMILTON", "BD"),
    post("HANOI", "VM"),
    post("HARARE", "ZI"),
    post("HAVANA", "CU"), // US Interests Section
    post("HELSINKI", "FI"),
    post("HERMOSILLO", "MX"),
    post("HILLAH", "IZ"),
    post("HOCHIMINHCITY", "VM"),
    post("HONGKONG", "HK"),
    post("HYDERABAD", "IN"),
    post("IRANRPODUBAI", "AE"), // Iran Regional Presence Office, in Dubai
    post("ISLAMABAD", "PK"),
    post("ISTANBUL", "TU"),
    post("IZMIR", "TU"),
    post("JAKARTA", "ID"),
    post("JEDDAH", "SA"),
    mission("JERUSALEM"),
    post("JOHANNESBURG", "SF"),
    post("KABUL", "AF"),
    post("KADUNA", "NI"),
    post("KAMPALA", "UG"),
    post("KARACHI", "PK"),
    post("KATHMANDU", "NP"),
    post("KHARTOUM", "SU"),
    post("KIEV", "UP"),
    post("KIGALI", "RW"),
    post("KINGSTON", "JM"),
    post("KINSHASA", "CG"),
    post("KIRKUK", "IZ"),
    post("KOLKATA", "IN"),
    post("KOLONIA", "FM"),
    post("KOROR", "PS"),
    post("KRAKOW", "PL"),
    post("KUALALUMPUR", "MY"),
    post("KUWAIT", "KU"),
    post("KYIV", "UP"),
    post("LAGOS", "NI"),
    post("LAHORE", "PK"),
    post("LAPAZ", "BL"),
    post("LEIPZIG", "GM"),
    post("LIBREVILLE", "GB"),
    post("LILONGWE", "MI"),
    post("LIMA", "PE"),
    post("LISBON", "PO"),
    post("LJUBLJANA", "SI"),
    post("LOME", "TO"),
    post("LONDON", "UK"),
    post("LUANDA", "AO"),
    post("LUSAKA", "ZA"),
    post("LUXEMBOURG", "LU"),
    post("MADRID", "SP"),
    post("MAJURO", "RM"),
    post("MALABO", "EK"),
    post("MANAGUA", "NU"),
    post("MANAMA", "BA"),
    post("MANILA", "RP"),
    post("MAPUTO", "MZ"),
    post("MARSEILLE", "FR"),
    post("MASERU", "LT"),
    post("MATAMOROS", "MX"),
    post("MBABANE", "WZ"),
    post("MELBOURNE", "AS"),
    post("MERIDA", "MX"),
    post("MEXICO", "MX"),
    post("MILAN", "IT"),
    post("MINSK", "BO"),
    post("MOGADISHU", "SO"),
    post("MONROVIA", "LI"),
    post("MONTERREY", "MX"),
    post("MONTEVIDEO", "UY"),
    post("MONTREAL", "CA"),
    post("MOSCOW", "RS"),
    post("MOSUL", "IZ"),
    post("MUMBAI", "IN"),
    post("MUNICH", "GM"),
    post("MUSCAT", "MU"),
    post("NAGOYA", "JA"),
    post("NAHA", "JA"),
    post("NAIROBI", "KE"),
    post("NAPLES", "IT"),
    post("NASSAU", "BF"),
    post("NDJAMENA", "CD"),
    post("NEWDELHI", "IN"),
    post("NIAMEY", "NG"),
    post("NICOSIA", "CY"),
    post("NOGALES", "MX"),
    post("NOUAKCHOTT", "MR"),
    post("NUEVOLAREDO", "MX"),
    post("OSAKAKOBE", "JA"),
    post("OSLO", "NO"),
    post("OTTAWA", "CA"),
    post("OUAGADOUGOU", "UV"),
    post("PANAMA", "PM"),
    post("PARAMARIBO", "NS"),
    post("PARIS", "FR"),
    post("PERTH", "AS"),
    post("PESHAWAR", "PK"),
    post("PHNOMPENH", "CB"),
    post("PODGORICA", "MJ"),
    post("PONTADELGADA", "PO"),
    post("PORTAUPRINCE", "HA"),
    post("PORTLOUIS", "MP"),
    post("PORTMORESBY", "PP"),
    post("PORTOFSPAIN", "TD"),
    post("PRAGUE", "EZ"),
    post("PRAIA", "CV"),
    post("PRETORIA", "SF"),
    post("PRISTINA", "KV"),
    post("QUEBEC", "CA"),
    post("QUITO", "EC"),
    post("RABAT", "MO"),
    post("RANGOON", "BM"),
    post("RECIFE", "BR"),
    post("REOBASRAH", "IZ"), // Regional Embassy Offices in Iraq
    post("REOHILLAH", "IZ"),
    post("REOKIRKUK", "IZ"),
    post("REOMOSUL", "IZ"),
    post("REYKJAVIK", "IC"),
    post("RIGA", "LG"),
    post("RIODEJANEIRO", "BR"),
    post("RIYADH", "SA"),
    post("ROME", "IT"),
    post("RPODUBAI", "AE"), // Regional Presence Office Dubai
    post("SANAA", "YM"),
    post("SANJOSE", "CS"),
    post("SANSALVADOR", "ES"),
    post("SANTIAGO", "CI"),
    post("SANTODOMINGO", "DR"),
    post("SAOPAULO", "BR"),
    post("SAPPORO", "JA"),
    post("SARAJEVO", "BK"),
    post("SECDEF", "US"),
    post("SEOUL", "KS"),
    post("SHANGHAI", "CH"),
    post("SHENYANG", "CH"),
    post("SINGAPORE", "SN"),
    post("SKOPJE", "MK"),
    post("SOFIA", "BU"),
    post("STATE", "US"),
    post("STOCKHOLM", "SW"),
    post("STPETERSBURG", "RS"),
    post("STRASBOURG", "FR"),
    post("SURABAYA", "ID"),
    post("SUVA", "FJ"),
    post("SYDNEY", "AS"),
    post("TALLINN", "EN"),
    post("TASHKENT", "UZ"),
    post("TBILISI", "GG"),
    post("TEGUCIGALPA", "HO"),
    post("TEHRAN", "IR"),
    post("TELAVIV", "IS"),
    post("THEHAGUE", "NL"),
    post("THESSALONIKI", "GR"),
    post("TIJUANA", "MX"),
    post("TIRANA", "AL"),
    post("TOKYO", "JA"),
    post("TORONTO", "CA"),
    post("TRIPOLI", "LY"),
    post("TUNIS", "TS"),
    post("ULAANBAATAR", "MG"),
    mission("UNESCOPARISFR"), // US Mission to UNESCO, Paris
    mission("UNROME"),        // US Mission to the UN agencies in Rome
    mission("UNVIEVIENNA"),   // US Mission to the UN in Vienna
    post("USCBP", "US"),      // Customs and Border Protection
    post("USDAFAS", "US"),    // Department of Agriculture, Foreign Agricultural Service
    post("USDOC", "US"),      // Department of Commerce
    mission("USEUBRUSSELS"),  // US Mission to the European Union
    mission("USNATO"),
    mission("USOSCE"),
    mission("USUNNEWYORK"),
    post("VALLETTA", "MT"),
    post("VANCOUVER", "CA"),
    post("VATICAN", "VT"),
    post("VIENNA", "AU"),
    post("VIENTIANE", "LA"),
    post("VILNIUS", "LH"),
    post("VLADIVOSTOK", "RS"),
    post("WARSAW", "PL"),
    post("WELLINGTON", "NZ"),
    post("WINDHOEK", "WA"),
    post("YAOUNDE", "CM"),
    post("YEKATERINBURG", "RS"),
    post("YEREVAN", "AM"),
    post("ZAGREB", "HR"),
];

/// Other spellings under which stations are cited, mapped to the canonical
/// name: abbreviations, official long forms and the aliases of Cablegate.
/// Sorted by alias (binary searched). Misspellings are left to [`nearest`].
static ALIASES: &[(&str, &str)] = &[
    ("BA", "BUENOSAIRES"),
    ("BKK", "BANGKOK"),
    ("BRAZIL", "BRASILIA"),
    ("CASA", "CASABLANCA"),
    ("CDCATLANTA", "CDCATLANTAGA"),
    ("DUBAIRPO", "RPODUBAI"),
    ("GUATEMALACITY", "GUATEMALA"),
    ("HAGUE", "THEHAGUE"),
    ("HALIF", "HALIFAX"),
    ("HCMC", "HOCHIMINHCITY"),
    ("HK", "HONGKONG"),
    ("HOCHIMINH", "HOCHIMINHCITY"),
    ("KUALALUMP", "KUALALUMPUR"),
    ("MADRIDSP", "MADRID"),
    ("MEXICOCITY", "MEXICO"),
    ("PANAMACITY", "PANAMA"),
    ("PAP", "PORTAUPRINCE"),
    ("PARISFR", "UNESCOPARISFR"),
    ("PAUP", "PORTAUPRINCE"),
    ("PORTA", "PORTAUPRINCE"),
    ("RIO", "RIODEJANEIRO"),
    ("RIODEJAN", "RIODEJANEIRO"),
    ("SAINTPETERSBURG", "STPETERSBURG"),
    ("SECSTATE", "STATE"),
    ("SECTATE", "STATE"),
    ("SECTSTATE", "STATE"),
    ("TAIPEI", "AITTAIPEI"),
    ("UNESCOPARIS", "UNESCOPARISFR"),
    ("UNVIE", "UNVIEVIENNA"),
    ("USCUSTOMS", "USCBP"),
    ("USCUSTOMSA", "USCBP"),
    ("USDA", "USDAFAS"),
    ("USEU", "USEUBRUSSELS"),
    ("USUN", "USUNNEWYORK"),
    ("USUNESCO", "UNESCOPARISFR"),
    ("USUNESCOPARISFR", "UNESCOPARISFR"),
    ("USUNNY", "USUNNEWYORK"),
    ("VAT", "VATICAN"),
    ("VATICANCITY", "VATICAN"),
];

/// Aliases shorter than this are never targets of a spelling correction
/// (`BA`, `PAP`, `USUNNY` are too close to too many ordinary words).
const MIN_FUZZY_ALIAS_LEN: usize = 7;

/// The station with canonical name `name`.
pub(crate) fn lookup(name: &str) -> Option<&'static Station> {
    STATIONS.binary_search_by(|s| s.name.cmp(name)).ok().map(|i| &STATIONS[i])
}

/// The canonical name `name` stands for when it is a known station or alias.
pub(crate) fn resolve(name: &str) -> Option<&'static str> {
    if let Some(s) = lookup(name) {
        return Some(s.name);
    }
    ALIASES.binary_search_by(|(alias, _)| alias.cmp(&name)).ok().map(|i| ALIASES[i].1)
}

/// Largest number of edits [`nearest`] accepts for a name of `len` bytes:
/// none below five letters (`LAOS` is one edit from `LAGOS`, `ASIA` from
/// `APIA`), one up to eight letters, two from nine.
fn max_edits(len: usize) -> usize {
    match len {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// The known station an unknown, upper-case `name` is an unambiguous near
/// misspelling of: `BRASIIA` -> `BRASILIA`, `WELLINGOTN` -> `WELLINGTON`,
/// `BUENOSQRES` -> `BUENOSAIRES`.
///
/// Conservative on purpose, since a wrong fix is worse than none: short names
/// are never corrected, at most one edit (insertion, deletion, substitution or
/// transposition of neighbours) is allowed up to eight letters and two from
/// nine, and the nearest station must be the only one at that distance (for a
/// two-edit fix, the only one within three edits).
pub(crate) fn nearest(name: &str) -> Option<&'static str> {
    let limit = max_edits(name.len());
    if limit == 0 || resolve(name).is_some() {
        return None;
    }
    let candidates = STATIONS
        .iter()
        .map(|s| (s.name, s.name))
        .chain(ALIASES.iter().filter(|(a, _)| a.len() >= MIN_FUZZY_ALIAS_LEN).copied());
    let mut best: Option<(usize, &'static str)> = None;
    let mut near: Vec<(usize, &'static str)> = Vec::new();
    for (spelling, station) in candidates {
        let Some(d) = edit_distance(name.as_bytes(), spelling.as_bytes(), limit + 1) else {
            continue;
        };
        near.push((d, station));
        if best.is_none_or(|(b, _)| d < b) {
            best = Some((d, station));
        }
    }
    let (d, station) = best?;
    if d > limit {
        return None;
    }
    // Unambiguous: no other station as near; for a two-edit fix, none within three.
    let margin = if d >= 2 { d + 1 } else { d };
    near.iter().all(|&(e, s)| e > margin || s == station).then_some(station)
}

/// Optimal-string-alignment distance between `a` and `b` (Levenshtein plus
/// transposition of neighbours), or `None` when it exceeds `cap`.
pub fn edit_distance(a: &[u8], b: &[u8], cap: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > cap {
        return None;
    }
    let n = b.len();
    let mut prev2: Vec<usize> = vec![0; n + 1];
    let mut prev: Vec<usize> = (0..=n).collect();
    let mut cur: Vec<usize> = vec![0; n + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=n {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > cap {
            return None;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[n];
    (d <= cap).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_canonical_and_disjoint() {
        for w in STATIONS.windows(2) {
            assert!(w[0].name < w[1].name, "{} before {}", w[0].name, w[1].name);
        }
        for w in ALIASES.windows(2) {
            assert!(w[0].0 < w[1].0, "{} before {}", w[0].0, w[1].0);
        }
        for s in STATIONS {
            assert!(!s.name.is_empty() && s.name.bytes().all(|b| b.is_ascii_uppercase()), "{}", s.name);
        }
        for (alias, station) in ALIASES {
            assert!(lookup(alias).is_none(), "alias {alias} is a station");
            assert!(lookup(station).is_some(), "alias {alias} -> unknown {station}");
        }
    }

    #[test]
    fn resolves_stations_and_aliases() {
        assert_eq!(resolve("KABUL"), Some("KABUL"));
        assert_eq!(resolve("SECSTATE"), Some("STATE"));
        assert_eq!(resolve("TAIPEI"), Some("AITTAIPEI"));
        assert_eq!(resolve("BLABLA"), None);
    }

    #[test]
    fn corrects_only_unambiguous_near_misspellings() {
        assert_eq!(nearest("BRASIIA"), Some("BRASILIA"));
        assert_eq!(nearest("WELLINGOTN"), Some("WELLINGTON"));
        assert_eq!(nearest("BUENOSQRES"), Some("BUENOSAIRES"));
        assert_eq!(nearest("AITTAIPIE"), Some("AITTAIPEI"));
        assert_eq!(nearest("BRAZILIA"), Some("BRASILIA"));
        // Known names are never "corrected"; short or far ones neither.
        assert_eq!(nearest("KABUL"), None);
        assert_eq!(nearest("LAOS"), None);
        assert_eq!(nearest("ASIA"), None);
        assert_eq!(nearest("BLABLA"), None);
        assert_eq!(nearest("QXICO"), None);
    }

    #[test]
    fn edit_distance_counts_transpositions_once() {
        assert_eq!(edit_distance(b"KABUL", b"KABUL", 2), Some(0));
        assert_eq!(edit_distance(b"AB", b"BA", 2), Some(1));
        assert_eq!(edit_distance(b"KINSTON", b"KINGSTON", 2), Some(1));
        assert_eq!(edit_distance(b"", b"ABC", 2), None);
        assert_eq!(edit_distance(b"", b"AB", 2), Some(2));
    }
}
