//! How much of each station's traffic an archive holds, from the serial
//! numbers in cable ids: `09KABUL3423` is the 3,423rd cable Kabul sent in
//! 2009, so the serials held of a station's year are a sample of the
//! numbers 1 to N, N the cables it sent that year.
//!
//! # The estimator
//!
//! N is estimated as the minimum-variance unbiased estimator for the
//! largest number of a sample drawn without replacement from 1..N (the
//! "German tank" estimator): with k serials held and the highest m,
//! N̂ = m + m/k − 1. Its correction m/k − 1 is the mean gap between held
//! serials: the weeks after the last cable held (a release that ends in
//! February, or a year whose last cables were not taken) are estimated from
//! the gaps seen before. It assumes the held serials are spread over the
//! year like a random sample; a leak that took only some weeks of a year
//! breaks that, and its gaps show it. Cables cited by REF that the archive
//! does not hold are evidence too: they count as "known missing", and the
//! estimate is never below the highest serial seen, held or cited.
//!
//! The estimator is checked in this module's tests: on generated traffic
//! of known size, half the held cables are held out and the estimate from
//! the other half compared to the truth (median and worst error printed).

use std::collections::BTreeMap;

use cable::RefId;
use serde::Serialize;

/// What the archive holds of one station's traffic in one year.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StationYear {
    /// Canonical station (`KABUL`, `STATE`).
    pub station: String,
    /// Year.
    pub year: u16,
    /// Cables held.
    pub held: u64,
    /// The highest serial held.
    pub highest: u64,
    /// Cables cited by REF, from this station and year, not held.
    pub known_missing: u64,
    /// Their serials, ascending.
    pub missing: Vec<u64>,
    /// The highest serial seen, held or cited.
    pub highest_seen: u64,
    /// The estimated number of cables sent (see the [module](self) docs).
    pub estimated: u64,
    /// `held / estimated`.
    pub share: f64,
    /// Serial ranges (inclusive) up to the highest seen with nothing held.
    pub gaps: Vec<(u64, u64)>,
}

/// The coverage of a set of cable ids.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Coverage {
    /// Per station and year, by station then year.
    pub rows: Vec<StationYear>,
    /// Ids held whose serial could not be read (garbled ids), counted apart.
    pub without_serial: Vec<String>,
}

/// The estimated number sent, from `k` serials held whose highest is `m`
/// (and `seen`, the highest serial seen anywhere, cited ones included).
pub fn estimate(k: u64, m: u64, seen: u64) -> u64 {
    if k == 0 {
        return seen;
    }
    // m + m/k - 1, rounded to the nearest cable.
    let n = m as f64 + m as f64 / k as f64 - 1.0;
    (n.round() as u64).max(m).max(seen)
}

/// The ranges of 1..=`upto` that `sorted` (ascending, no repeats) leaves out.
fn gaps(sorted: &[u64], upto: u64) -> Vec<(u64, u64)> {
    let mut out = Vec::new();
    let mut next = 1;
    for &s in sorted {
        if s > next {
            out.push((next, s - 1));
        }
        next = next.max(s + 1);
    }
    if upto >= next {
        out.push((next, upto));
    }
    out
}

/// The coverage of the cables `held` (canonical ids), with `cited` the ids
/// of cables cited by REF (held or not: those held are ignored).
pub fn coverage<'a>(
    held: impl IntoIterator<Item = &'a str>,
    cited: impl IntoIterator<Item = &'a str>,
) -> Coverage {
    #[derive(Default)]
    struct Tally {
        held: Vec<u64>,
        cited: Vec<u64>,
    }
    let mut by: BTreeMap<(String, u16), Tally> = BTreeMap::new();
    let mut without_serial = Vec::new();
    for id in held {
        match RefId::parse(id) {
            Ok(r) if r.serial() > 0 => {
                by.entry((r.station().to_owned(), r.year())).or_default().held.push(r.serial())
            }
            _ => without_serial.push(id.to_owned()),
        }
    }
    for id in cited {
        if let Ok(r) = RefId::parse(id) {
            if r.serial() > 0 {
                by.entry((r.station().to_owned(), r.year())).or_default().cited.push(r.serial());
            }
        }
    }
    let mut rows = Vec::with_capacity(by.len());
    for ((station, year), mut t) in by {
        t.held.sort_unstable();
        t.held.dedup();
        t.cited.sort_unstable();
        t.cited.dedup();
        let held: std::collections::HashSet<u64> = t.held.iter().copied().collect();
        let missing: Vec<u64> = t.cited.iter().copied().filter(|s| !held.contains(s)).collect();
        let highest = t.held.last().copied().unwrap_or(0);
        let highest_seen = highest.max(t.cited.last().copied().unwrap_or(0));
        let estimated = estimate(t.held.len() as u64, highest, highest_seen);
        rows.push(StationYear {
            share: if estimated == 0 { 0.0 } else { t.held.len() as f64 / estimated as f64 },
            gaps: gaps(&t.held, highest_seen),
            held: t.held.len() as u64,
            known_missing: missing.len() as u64,
            missing,
            station,
            year,
            highest,
            highest_seen,
            estimated,
        });
    }
    without_serial.sort();
    Coverage { rows, without_serial }
}

/// The coverage of an archive: every cable it holds, and every id its
/// cables cite.
pub fn of_archive(a: &archive::Archive) -> archive::Result<Coverage> {
    let held: Vec<(String, i64)> = a.store().latest_versions()?;
    let cited = a.store().cited_ids()?;
    Ok(coverage(held.iter().map(|(id, _)| id.as_str()), cited.iter().map(String::as_str)))
}

impl Coverage {
    /// Only the rows of `station` (canonical, any spelling `RefId` knows)
    /// and/or `year`.
    pub fn only(mut self, station: Option<&str>, year: Option<u16>) -> Coverage {
        let station = station.map(|s| cable::canonical_station(s).unwrap_or_else(|| s.to_ascii_uppercase()));
        self.rows.retain(|r| {
            station.as_deref().is_none_or(|s| r.station == s) && year.is_none_or(|y| r.year == y)
        });
        self
    }

    /// The stations, for suggestions when one asked for is not there.
    pub fn stations(&self) -> Vec<&str> {
        let mut s: Vec<&str> = self.rows.iter().map(|r| r.station.as_str()).collect();
        s.dedup();
        s
    }

    /// Up to 8 stations held whose names are like `asked` (sharing its
    /// first letters), for "did you mean".
    pub fn suggest(&self, asked: &str) -> Vec<&str> {
        let asked = asked.to_ascii_uppercase();
        let stations = self.stations();
        for n in (1..=asked.len().min(4)).rev() {
            let prefix = &asked[..n];
            let close: Vec<&str> =
                stations.iter().copied().filter(|s| s.starts_with(prefix)).take(8).collect();
            if !close.is_empty() {
                return close;
            }
        }
        stations.into_iter().take(8).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_are_the_serials_not_held() {
        assert_eq!(gaps(&[3, 4, 9], 12), vec![(1, 2), (5, 8), (10, 12)]);
        assert_eq!(gaps(&[1, 2], 2), vec![]);
        assert_eq!(gaps(&[], 3), vec![(1, 3)]);
    }

    #[test]
    fn a_station_year_counts_held_cited_and_garbled_ids() {
        let c = coverage(
            ["09KABUL10", "09KABUL20", "09KABUL40", "08STATE5", "garbled"],
            ["09KABUL20", "09KABUL55", "09KABUL56", "07MOSCOW1"],
        );
        let kabul = c.rows.iter().find(|r| r.station == "KABUL").unwrap();
        assert_eq!((kabul.year, kabul.held, kabul.highest, kabul.known_missing), (2009, 3, 40, 2));
        assert_eq!(kabul.highest_seen, 56);
        // 40 + 40/3 - 1 = 52.3, but serial 56 was cited: at least 56.
        assert_eq!(kabul.estimated, 56);
        assert_eq!(kabul.gaps.first(), Some(&(1, 9)));
        assert_eq!(kabul.gaps.last(), Some(&(41, 56)));
        assert_eq!(c.without_serial, ["garbled"]);
        let moscow = c.rows.iter().find(|r| r.station == "MOSCOW").unwrap();
        assert_eq!((moscow.held, moscow.known_missing, moscow.estimated), (0, 1, 1));
        assert_eq!(kabul.missing, [55, 56]);
        assert_eq!(c.suggest("KABOOL"), ["KABUL"]);
        assert_eq!(c.only(Some("kabul"), None).rows.len(), 1);
    }

    /// The estimator on traffic of known size: per station-year, N cables
    /// sent, a leak holding each with probability p, and half of what it
    /// holds held out; the estimate from the other half against N.
    #[test]
    fn the_estimate_of_traffic_is_close_on_generated_traffic_with_half_held_out() {
        let mut rng = fastrand::Rng::with_seed(2010);
        let mut held_ids = Vec::new();
        let mut truth = BTreeMap::new();
        for station in 0..40u8 {
            for year in 2000..2010u16 {
                let sent = rng.u64(300..6_000);
                let p = [0.02, 0.05, 0.1, 0.3][rng.usize(..4)];
                let name = format!("POST{}{}", (b'A' + station / 26) as char, (b'A' + station % 26) as char);
                truth.insert((name.clone(), year), sent);
                for serial in 1..=sent {
                    if rng.f64() < p && rng.bool() {
                        held_ids.push(format!("{:02}{name}{serial}", year % 100));
                    }
                }
            }
        }
        let c = coverage(held_ids.iter().map(String::as_str), []);
        let error = |r: &StationYear| {
            let sent = truth[&(r.station.clone(), r.year)] as f64;
            (r.estimated as f64 - sent).abs() / sent
        };
        let mut all: Vec<f64> = c.rows.iter().map(error).collect();
        let mut many: Vec<f64> = c.rows.iter().filter(|r| r.held >= 20).map(error).collect();
        all.sort_by(f64::total_cmp);
        many.sort_by(f64::total_cmp);
        let median = all[all.len() / 2];
        println!(
            "coverage estimator on {} station-years of known traffic (1% to 15% of it held after holding out \
             half; {} with nothing held, not estimated): median error {:.2}%, worst {:.1}%; \
             of the {} with at least 20 cables held: median {:.2}%, worst {:.1}%",
            truth.len(),
            truth.len() - c.rows.len(),
            median * 100.0,
            all[all.len() - 1] * 100.0,
            many.len(),
            many[many.len() / 2] * 100.0,
            many[many.len() - 1] * 100.0
        );
        assert!(truth.len() - c.rows.len() < 5, "almost every station-year has a cable held");
        assert!(median < 0.02, "median error {median}");
        assert!(many.len() > truth.len() / 2);
        assert!(many[many.len() - 1] < 0.25, "worst error with 20 or more held: {}", many[many.len() - 1]);
    }
}
