//! The routing header of a telegram: precedence, date-time group, FM, TO and
//! INFO addressees with their routing indicators.

use serde::{Deserialize, Serialize};

use crate::date::{expand_two_digit_year, Date, DateTime};
use crate::ReferenceData;

/// Message precedence: how fast it must be handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Precedence {
    /// Z: FLASH.
    Flash,
    /// O: IMMEDIATE (also NIACT IMMEDIATE).
    Immediate,
    /// P: PRIORITY.
    Priority,
    /// R: ROUTINE.
    Routine,
}

impl Precedence {
    /// From the prosign letter (`Z`, `O`, `P`, `R`).
    pub fn from_letter(c: char) -> Option<Precedence> {
        match c {
            'Z' => Some(Precedence::Flash),
            'O' => Some(Precedence::Immediate),
            'P' => Some(Precedence::Priority),
            'R' => Some(Precedence::Routine),
            _ => None,
        }
    }
    /// From the word (`FLASH`, `IMMEDIATE`, `NIACT`, `PRIORITY`, `ROUTINE`).
    pub fn from_word(w: &str) -> Option<Precedence> {
        match w {
            "FLASH" => Some(Precedence::Flash),
            "IMMEDIATE" | "NIACT" => Some(Precedence::Immediate),
            "PRIORITY" => Some(Precedence::Priority),
            "ROUTINE" => Some(Precedence::Routine),
            _ => None,
        }
    }
}

/// An addressee (or the sender) of a telegram.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Recipient {
    /// The line as written, trimmed (`RUEHBUL/AMEMBASSY KABUL IMMEDIATE 0000`).
    pub text: String,
    /// Routing indicator, when written (`RUEHBUL`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub routing_indicator: Option<String>,
    /// The station as the line names it (`AMEMBASSY KABUL`).
    pub name: String,
    /// The station name the routing indicator stands for, from the reference
    /// table (`RUEHBUL` -> `AMEMBASSY KABUL`), when known.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub decoded: Option<String>,
    /// Precedence for this addressee, when written.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub precedence: Option<Precedence>,
}

impl Recipient {
    /// The known station this addressee is (`RUEHBUL/AMEMBASSY KABUL
    /// IMMEDIATE 0000` -> `KABUL`; `ZEN/AMEMBASSY MOSCOW NIACT 4778-4781` ->
    /// `MOSCOW`), from the name as written or the routing indicator's
    /// station; `None` for offices, collectives and anything not a station
    /// of the table.
    ///
    /// ```
    /// use cable::Recipient;
    /// let r = |name: &str| Recipient { text: name.into(), routing_indicator: None, name: name.into(), decoded: None, precedence: None };
    /// assert_eq!(r("ZEN/AMEMBASSY MOSCOW NIACT IMMEDIATE 4778-4781").station().as_deref(), Some("MOSCOW"));
    /// assert_eq!(r("AMEMBASSY KABUL IMMEDIATE 0000").station().as_deref(), Some("KABUL"));
    /// assert_eq!(r("AMEMBASSY WELLINGOTN").station().as_deref(), Some("WELLINGTON"));
    /// assert_eq!(r("ALL NATO POST COLLECTIVE").station(), None);
    /// ```
    pub fn station(&self) -> Option<String> {
        let names =
            || [Some(&self.name), self.decoded.as_ref()].into_iter().flatten().map(|n| addressee_core(n));
        if let Some(s) = names().find_map(|n| crate::id::exact_station(&n)) {
            return Some(s.to_owned());
        }
        // A misspelt post (`AMEMBASSY WELLINGOTN`) is corrected; offices
        // and collectives (`CIA WASHDC`, `ALL NATO POST COLLECTIVE`) are not
        // stations, however close their letters come to one.
        names()
            .filter(|n| {
                let mut words = n.split_whitespace();
                let post = words.next().is_some_and(|w| ["AMEMBASSY", "AMCONSUL", "EMBASSY"].contains(&w));
                post && words.count() == 1
            })
            .find_map(|n| crate::canonical_station(&n).filter(|s| crate::country::is_station(s)))
    }
}

/// An addressee's name without what the header parser may leave around it:
/// a `ZEN/` marker (addressee served by other means), precedence words and
/// message serials (`ZEN/AMEMBASSY MOSCOW NIACT IMMEDIATE 4778-4781` ->
/// `AMEMBASSY MOSCOW`).
fn addressee_core(name: &str) -> String {
    let mut words: Vec<&str> = name.split_whitespace().collect();
    if let Some(first) = words.first_mut() {
        *first = first.strip_prefix("ZEN/").unwrap_or(first);
    }
    while let Some(last) = words.last() {
        let precedence = ["NIACT", "IMMEDIATE", "PRIORITY", "ROUTINE", "FLASH"].contains(last);
        let serial = last.bytes().all(|b| b.is_ascii_digit() || b == b'-');
        if words.len() > 1 && (precedence || serial) {
            words.pop();
        } else {
            break;
        }
    }
    words.join(" ")
}

/// A decoded routing header.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Header {
    /// Transmission identification (`VZCZCXYZ0010`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub transmission: Option<String>,
    /// Highest precedence of the message.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub precedence: Option<Precedence>,
    /// The date-time group as written (`291637Z DEC 08`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub dtg: Option<String>,
    /// The date-time group decoded.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub dtg_time: Option<DateTime>,
    /// The originating station from the `DE` line (`RUEHC` and its name).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub originator: Option<Recipient>,
    /// FM: the sender.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub from: Option<Recipient>,
    /// TO: action addressees.
    pub to: Vec<Recipient>,
    /// INFO: information addressees.
    pub info: Vec<Recipient>,
}

const MONTHS: [&str; 12] =
    ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

/// Decodes a date-time group `DDHHMMZ MON YY` (`291637Z DEC 08`).
pub fn parse_dtg(text: &str) -> Option<DateTime> {
    let mut words = text.split_whitespace();
    let dhm = words.next()?.strip_suffix(['Z', 'z'])?;
    if dhm.len() != 6 || !dhm.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let month_word = words.next()?;
    let month = MONTHS.iter().position(|m| month_word.eq_ignore_ascii_case(m))? as u8 + 1;
    let yy = words.next()?;
    let year = match yy.len() {
        2 => expand_two_digit_year(yy.parse().ok()?),
        4 => yy.parse().ok()?,
        _ => return None,
    };
    let n = |r: std::ops::Range<usize>| dhm[r].parse::<u8>().ok();
    DateTime::new(Date::new(year, month, n(0..2)?)?, n(2..4)?, n(4..6)?)
}

fn looks_like_routing_indicator(w: &str) -> bool {
    (4..=8).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_uppercase()) && w.starts_with('R')
}

/// The addressees of one line: one, or two where WikiLeaks' conversion ran
/// two lines together around a month word (`AMEMBASSY LA PAZ NOV
/// MONTEVIDEO` is `AMEMBASSY LA PAZ` and `AMEMBASSY MONTEVIDEO`).
fn recipients(line: &str, refdata: &ReferenceData) -> Vec<Recipient> {
    let (indicator, name_part) = match line.trim().split_once('/') {
        Some((ri, rest)) if looks_like_routing_indicator(ri.trim()) => (Some(ri.trim()), rest),
        _ => (None, line),
    };
    let words: Vec<&str> = name_part.split_whitespace().collect();
    let prefix = words.first().copied().unwrap_or("");
    let posts = ["AMEMBASSY", "AMCONSUL", "USMISSION"];
    if posts.contains(&prefix) {
        if let Some(k) = (2..words.len().saturating_sub(1)).find(|&k| MONTHS.contains(&words[k])) {
            let rest = &words[k + 1..];
            let words_of_a_name =
                rest.iter().any(|w| w.bytes().all(|b| b.is_ascii_uppercase()) && w.len() > 1)
                    && rest.iter().all(|w| {
                        w.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
                    });
            if words_of_a_name {
                let second = if posts.contains(&rest[0]) {
                    rest.join(" ")
                } else {
                    format!("{prefix} {}", rest.join(" "))
                };
                let first_text = match indicator {
                    Some(ri) => format!("{ri}/{}", words[..k].join(" ")),
                    None => words[..k].join(" "),
                };
                let mut first = recipient(&first_text, refdata);
                first.text = line.trim().to_owned();
                let mut other = recipient(&second, refdata);
                other.text = line.trim().to_owned();
                return vec![first, other];
            }
        }
    }
    vec![recipient(line, refdata)]
}

fn recipient(line: &str, refdata: &ReferenceData) -> Recipient {
    let text = line.trim().to_owned();
    let (ri, rest) = match text.split_once('/') {
        Some((ri, rest)) if looks_like_routing_indicator(ri.trim()) => {
            (Some(ri.trim().to_owned()), rest.trim())
        }
        _ => (None, text.as_str()),
    };
    // Trailing precedence word and serial number: "AMEMBASSY KABUL IMMEDIATE 0000".
    let mut words: Vec<&str> = rest.split_whitespace().collect();
    let mut precedence = None;
    while let Some(last) = words.last() {
        // A serial, or a range of them for a cable sent in parts: `7721-7722`.
        if last.split('-').all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())) && words.len() > 1
        {
            words.pop();
        } else if let Some(p) = Precedence::from_word(last).filter(|_| words.len() > 1) {
            precedence = Some(p);
            words.pop();
        } else {
            break;
        }
    }
    // "AMEMBASSY LA PAZ FEB 4470": a month word the conversion left behind.
    if words.len() > 2 && MONTHS.contains(&words[words.len() - 1]) {
        words.pop();
    }
    if words.len() > 1 && words[words.len() - 1] == "IMMEDIATE" {
        words.pop();
    }
    if words.len() > 1 && words[words.len() - 1] == "NIACT" {
        words.pop();
    }
    let name = words.join(" ");
    let decoded = ri.as_deref().and_then(|r| refdata.station_name(r)).map(str::to_owned);
    Recipient { text, routing_indicator: ri, name, decoded, precedence }
}

/// Whether a header line is a distribution list of office codes, not an
/// addressee: `INFO  OCT-01  ISO-00  SS-15  NSC-05` (the Department's
/// internal distribution, printed above the `FM` line of older cables).
fn is_office_code_list(words: &[&str]) -> bool {
    words.len() >= 2
        && words.iter().all(|w| {
            w.split_once('-').is_some_and(|(office, n)| {
                (1..=8).contains(&office.len())
                    && office.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'/')
                    && !n.is_empty()
                    && n.len() <= 3
                    && n.bytes().all(|b| b.is_ascii_digit())
            }) || matches!(*w, "/" | "W" | "R" | "INFO" | "ACTION" | "ORIGIN")
                || w.starts_with('/') && w[1..].bytes().all(|b| b.is_ascii_digit())
        })
}

/// Decodes a routing header (the first `<pre>` block of a WikiLeaks page, the
/// header field of `cables.csv`, or the lines before the banner of a telegram).
///
/// Addressees run from `TO` (action) and `INFO` (information) over every
/// continuation line, across page-break lines of the printed telegram, up to
/// the end of the header (or a `BT`, or a classification banner). A `TO` or
/// `INFO` line above the `FM` line is the Department's internal distribution
/// (`INFO OCT-01 ISO-00`), not an addressee.
pub fn parse_header(text: &str, refdata: &ReferenceData) -> Header {
    #[derive(PartialEq)]
    enum Section {
        Preamble,
        To,
        Info,
    }
    let mut h = Header::default();
    let mut section = Section::Preamble;
    let has_fm = text.lines().any(|l| l.trim_start().starts_with("FM "));
    let mut seen_fm = false;
    for (i, raw_line) in text.lines().enumerate() {
        let line = raw_line.trim();
        if line.is_empty() {
            continue;
        }
        if line.starts_with("VZCZC") && (i == 0 || h.transmission.is_none() && !seen_fm) {
            h.transmission = Some(line.to_owned());
            continue;
        }
        if line == "BT" || line == "NNNN" {
            section = Section::Preamble;
            continue;
        }
        if let Some(rest) = line.strip_prefix("DE ") {
            if let Some(ri) = rest.split_whitespace().next() {
                let mut r = recipient(ri, refdata);
                r.routing_indicator = Some(ri.to_owned());
                r.decoded = refdata.station_name(ri).map(str::to_owned);
                r.text = line.to_owned();
                h.originator = Some(r);
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix("FM ") {
            h.from = Some(recipient(rest, refdata));
            section = Section::Preamble;
            seen_fm = true;
            continue;
        }
        let addressed = if let Some(rest) = line.strip_prefix("TO ") {
            Some((Section::To, rest.trim()))
        } else {
            line.strip_prefix("INFO ").map(|rest| (Section::Info, rest.trim()))
        };
        if let Some((to_section, rest)) = addressed {
            let words: Vec<&str> = rest.split_whitespace().collect();
            if (has_fm && !seen_fm) || is_office_code_list(&words) {
                // Internal distribution above the FM line: not addressees.
                section = Section::Preamble;
                continue;
            }
            section = to_section;
            // `TO PAGE 02  STATE 015113  182333Z`: the list continues on the next page.
            if rest.is_empty() || crate::body::is_page_break(rest) {
                continue;
            }
            let rs = recipients(rest, refdata);
            match section {
                Section::To => h.to.extend(rs),
                _ => h.info.extend(rs),
            }
            continue;
        }
        if crate::body::is_page_break(line) {
            continue;
        }
        if section == Section::Preamble {
            // "O R 291637Z DEC 08" / "P 131914Z DEC 89" / "OO RUEHWEB".
            let words: Vec<&str> = line.split_whitespace().collect();
            if let Some(pos) = words.iter().position(|w| w.len() == 7 && w.ends_with('Z')) {
                if let Some(t) = parse_dtg(&words[pos..].join(" ")) {
                    h.dtg = Some(words[pos..pos + 3.min(words.len() - pos)].join(" "));
                    h.dtg_time = Some(t);
                    let prec = words[..pos]
                        .iter()
                        .filter_map(|w| w.chars().next().and_then(Precedence::from_letter))
                        .min_by_key(|p| *p as u8);
                    if prec.is_some() {
                        h.precedence = prec;
                    }
                    continue;
                }
            }
            if h.precedence.is_none() && words.len() >= 2 && words[0].len() <= 2 {
                h.precedence = words[0].chars().next().and_then(Precedence::from_letter);
            }
            continue;
        }
        // An addressee continuation line, unless the header has run into
        // something else: a banner, exclusions from a collective (`XMT`),
        // office codes.
        if crate::body::parse_banner(line).is_some() {
            section = Section::Preamble;
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        if line.starts_with("XMT ") || is_office_code_list(&words) {
            continue;
        }
        for r in recipients(line, refdata) {
            if r.name.is_empty() && r.routing_indicator.is_none() {
                continue;
            }
            match section {
                Section::To => h.to.push(r),
                Section::Info => h.info.push(r),
                Section::Preamble => {}
            }
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_a_modern_header() {
        let refdata = ReferenceData::from_texts("RUEHBUL,AMEMBASSY KABUL\nRUEHC,SECSTATE WASHDC\n", "", "");
        let h = parse_header(
            "VZCZCXYZ0010\nOO RUEHWEB\n\nDE RUEHC #4777 3641651\nZNY CCCCC ZZH\nO R 291637Z DEC 08\nFM SECSTATE WASHDC\nTO RUEHBUL/AMEMBASSY KABUL IMMEDIATE 0000\nINFO RUEKJCS/SECDEF WASHINGTON DC\nRHMFISS/JOINT STAFF WASHINGTON DC",
            &refdata,
        );
        assert_eq!(h.transmission.as_deref(), Some("VZCZCXYZ0010"));
        assert_eq!(h.precedence, Some(Precedence::Immediate));
        assert_eq!(h.dtg.as_deref(), Some("291637Z DEC 08"));
        assert_eq!(h.dtg_time.unwrap().to_string(), "2008-12-29T16:37Z");
        assert_eq!(h.originator.unwrap().decoded.as_deref(), Some("SECSTATE WASHDC"));
        assert_eq!(h.from.unwrap().name, "SECSTATE WASHDC");
        assert_eq!(h.to.len(), 1);
        assert_eq!(h.to[0].routing_indicator.as_deref(), Some("RUEHBUL"));
        assert_eq!(h.to[0].name, "AMEMBASSY KABUL");
        assert_eq!(h.to[0].decoded.as_deref(), Some("AMEMBASSY KABUL"));
        assert_eq!(h.to[0].precedence, Some(Precedence::Immediate));
        assert_eq!(h.info.len(), 2);
        assert_eq!(h.info[1].name, "JOINT STAFF WASHINGTON DC");
    }

    #[test]
    fn decodes_an_old_header_without_indicators() {
        let h = parse_header(
            "P R 281848Z DEC 66\nFM AMEMBASSY BUENOS AIRES\nTO SECSTATE WASHDC PRIORITY\nINFO USCINCSO\nAMEMBASSY RIO DE JANEIRO",
            &ReferenceData::empty(),
        );
        assert_eq!(h.precedence, Some(Precedence::Priority));
        assert_eq!(h.to[0].name, "SECSTATE WASHDC");
        assert_eq!(
            h.info.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
            ["USCINCSO", "AMEMBASSY RIO DE JANEIRO"]
        );
    }

    #[test]
    fn addressees_run_across_page_breaks_to_the_end_of_the_header() {
        // An older cable: internal distribution above FM, the address list
        // broken by a page header, no banner after it.
        let h = parse_header(
            "PAGE 01        STATE   015113\nORIGIN EUR-12\nINFO  OCT-01  ISO-00  SS-15  NSC-05  /033 R\n\nDRAFTED BY EUR/WE:JSMITH\nR 182333Z JAN 75\nFM SECSTATE WASHDC\nTO AMEMBASSY BONN\nINFO AMEMBASSY LONDON\nAMEMBASSY PARIS\nPAGE 02        STATE   015113  182333Z\nAMEMBASSY ROME\nUSMISSION NATO\n",
            &ReferenceData::empty(),
        );
        let names = |rs: &[Recipient]| rs.iter().map(|r| r.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&h.to), ["AMEMBASSY BONN"]);
        assert_eq!(
            names(&h.info),
            ["AMEMBASSY LONDON", "AMEMBASSY PARIS", "AMEMBASSY ROME", "USMISSION NATO"]
        );
        assert_eq!(h.dtg_time.unwrap().to_string(), "1975-01-18T23:33Z");
        // "TO PAGE 02 ...": the TO list continues on the next page.
        let h = parse_header(
            "R 182333Z JAN 75\nFM SECSTATE WASHDC\nTO PAGE 02        STATE   015113  182333Z\nALL DIPLOMATIC POSTS COLLECTIVE\nEUROPEAN POLITICAL COLLECTIVE\nINFO MISSILE TECHNOLOGY CONTROL REGIME COLLECTIVE\nDET 1 39LG ANKARA TU\nXMT AMEMBASSY VALLETTA",
            &ReferenceData::empty(),
        );
        assert_eq!(names(&h.to), ["ALL DIPLOMATIC POSTS COLLECTIVE", "EUROPEAN POLITICAL COLLECTIVE"]);
        assert_eq!(names(&h.info), ["MISSILE TECHNOLOGY CONTROL REGIME COLLECTIVE", "DET 1 39LG ANKARA TU"]);
        // Lines the conversion damaged around a month word.
        let h = parse_header(
            "FM AMEMBASSY BUENOS AIRES\nTO SECSTATE WASHDC\nINFO RUEHLP/AMEMBASSY LA PAZ FEB 4470\nRUEHLP/AMEMBASSY LA PAZ NOV MONTEVIDEO\nAMEMBASSY LIMA",
            &ReferenceData::empty(),
        );
        assert_eq!(
            names(&h.info),
            ["AMEMBASSY LA PAZ", "AMEMBASSY LA PAZ", "AMEMBASSY MONTEVIDEO", "AMEMBASSY LIMA"]
        );
        // A cable sent in two parts carries a range of serials.
        let h = parse_header(
            "FM SECSTATE WASHDC\nTO RUEHAK/AMEMBASSY ANKARA IMMEDIATE 7721-7722\nINFO RUEHCV/AMEMBASSY CARACAS PRIORITY 0298-0299",
            &ReferenceData::empty(),
        );
        assert_eq!(names(&h.to), ["AMEMBASSY ANKARA"]);
        assert_eq!(names(&h.info), ["AMEMBASSY CARACAS"]);
    }
}
