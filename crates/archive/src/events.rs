//! Dated events about countries — signatures, ratifications, accessions of
//! treaties and the like — imported from a CSV file and stored in the
//! archive beside the cables, so that a campaign can show what each country
//! did about a treaty after the cables.
//!
//! # The events file
//!
//! A CSV file (comma-separated, fields optionally in double quotes with `""`
//! for a quote, UTF-8, an optional BOM) with a header row naming the
//! columns, in any order, without regard to case:
//!
//! | column    | holds |
//! |-----------|-------|
//! | `country` | a cable TAGS code (`AF`, `UK`, `GM`), an ISO 3166 code (`DE`) or an English name (`Germany`, `Lao People's Democratic Republic`) |
//! | `date`    | `YYYY-MM-DD`, or `YYYY-MM` when only the month is known |
//! | `event`   | what happened, as the source says it (`Ratification`, `Accession`, `Signature`...) |
//! | `treaty`  | the treaty's name (`Convention on Cluster Munitions`) |
//! | `source`  | where the event is recorded (a URL or a document): required, so that every fact shown can be traced |
//!
//! TAGS codes and ISO codes differ for many countries (`CH` is China as a
//! TAGS code and Switzerland as an ISO code). A two-letter code that is a
//! TAGS code and the ISO code of another country is refused as ambiguous
//! unless the column says which it holds: name the column `country_iso` or
//! `country_tags` instead of `country` (names are accepted in either). Other
//! columns are ignored (the report lists them).
//!
//! A row that cannot be read is reported with the file and line it starts on
//! (`events.csv:7: date "2008-13-01" is not a date...`) and the other rows
//! are imported. Importing the same file again adds nothing: an event is the
//! same when its treaty, country, date, event text and source are (treaty
//! and event compared without regard to case).
//!
//! # Order of ratification
//!
//! [`consent_order`] ranks the states that consented to be bound by a
//! treaty (ratification, accession, acceptance, approval or succession:
//! [`EventKind::is_consent`]) by date, one consent per country (its
//! earliest). States on the same date share their rank and the next one
//! skips (1, 2, 2, 4: "competition ranking"): the fourth state had three
//! before it. Each entry gives the range of ranks the dates allow,
//! [`Consent::ordinal`] to [`Consent::ordinal_last`] (2 and 3 for both
//! states tied second), so that a claim such as "Afghanistan became the
//! 62nd state to ratify" can be checked: it holds when 62 is in the range.
//! A date known only to the month is treated as any day of that month.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use cable::country::{self, Country};
use serde::Serialize;

use crate::{Archive, Error, Result};

/// The date of an event: a day, or a month when the day is not known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventDate {
    year: u16,
    month: u8,
    day: Option<u8>,
}

impl EventDate {
    /// Reads `YYYY-MM-DD` or `YYYY-MM`; `None` when it is neither or the date does not exist.
    pub fn parse(text: &str) -> Option<EventDate> {
        let t = text.trim();
        let parts: Vec<&str> = t.split('-').collect();
        let num = |s: &str, len: usize| -> Option<u16> {
            (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
        };
        let (year, month, day) = match parts[..] {
            [y, m] => (num(y, 4)?, num(m, 2)? as u8, None),
            [y, m, d] => (num(y, 4)?, num(m, 2)? as u8, Some(num(d, 2)? as u8)),
            _ => return None,
        };
        cable::Date::new(year, month, day.unwrap_or(1))?;
        Some(EventDate { year, month, day })
    }

    /// Year.
    pub fn year(self) -> u16 {
        self.year
    }

    /// Month, 1-12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// Day of the month, when known.
    pub fn day(self) -> Option<u8> {
        self.day
    }

    /// The month, `YYYY-MM`.
    pub fn month_key(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// The first day the date may be, in days since 1970-01-01.
    pub fn first_day(self) -> i64 {
        self.bound(self.day.unwrap_or(1))
    }

    /// The last day the date may be (the day itself, or the month's last), in days since 1970-01-01.
    pub fn last_day(self) -> i64 {
        match self.day {
            Some(d) => self.bound(d),
            None => (28..=31)
                .rev()
                .find_map(|d| cable::Date::new(self.year, self.month, d))
                .map_or(0, |d| d.days_since_epoch()),
        }
    }

    fn bound(self, day: u8) -> i64 {
        cable::Date::new(self.year, self.month, day).map_or(0, |d| d.days_since_epoch())
    }
}

impl fmt::Display for EventDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.day {
            Some(d) => write!(f, "{:04}-{:02}-{d:02}", self.year, self.month),
            None => write!(f, "{:04}-{:02}", self.year, self.month),
        }
    }
}

cable::string_schema!(EventDate);

impl Serialize for EventDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// What kind of event an event's text names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Signature (`Signature`, `Signed`).
    Signature,
    /// Ratification.
    Ratification,
    /// Accession (consent by a state that did not sign).
    Accession,
    /// Acceptance (a form of ratification).
    Acceptance,
    /// Approval (a form of ratification).
    Approval,
    /// Succession (a new state bound by its predecessor's consent).
    Succession,
    /// Entry into force for the country.
    EntryIntoForce,
    /// Withdrawal or denunciation.
    Withdrawal,
    /// Anything else (a vote, a statement, a law).
    Other,
}

impl EventKind {
    /// The kind an event's text names: `Ratification`, `ratified`,
    /// `Accession (a)`, `Signature`, `entry into force`... Looked for as
    /// words in the text, in this order: entry into force, withdrawal or
    /// denunciation, succession, accession, acceptance, approval,
    /// ratification, signature; else [`EventKind::Other`].
    pub fn from_text(text: &str) -> EventKind {
        let t = text.to_lowercase();
        let has = |w: &str| t.contains(w);
        if has("entry into force") || has("entered into force") {
            EventKind::EntryIntoForce
        } else if has("withdr") || has("denunc") || has("denounc") {
            EventKind::Withdrawal
        } else if has("succession") || has("succeeded") {
            EventKind::Succession
        } else if has("accession") || has("acceded") || has("accede") {
            EventKind::Accession
        } else if has("acceptance") || has("accepted") {
            EventKind::Acceptance
        } else if has("approval") || has("approved") {
            EventKind::Approval
        } else if has("ratif") {
            EventKind::Ratification
        } else if has("sign") {
            EventKind::Signature
        } else {
            EventKind::Other
        }
    }

    /// The name used in JSON and stored (`ratification`, `entry_into_force`).
    pub fn name(self) -> &'static str {
        match self {
            EventKind::Signature => "signature",
            EventKind::Ratification => "ratification",
            EventKind::Accession => "accession",
            EventKind::Acceptance => "acceptance",
            EventKind::Approval => "approval",
            EventKind::Succession => "succession",
            EventKind::EntryIntoForce => "entry_into_force",
            EventKind::Withdrawal => "withdrawal",
            EventKind::Other => "other",
        }
    }

    /// Parses [`EventKind::name`].
    pub fn from_name(name: &str) -> Option<EventKind> {
        use EventKind::*;
        [
            Signature,
            Ratification,
            Accession,
            Acceptance,
            Approval,
            Succession,
            EntryIntoForce,
            Withdrawal,
            Other,
        ]
        .into_iter()
        .find(|k| k.name() == name)
    }

    /// Whether the event makes the country bound by the treaty: ratification,
    /// accession, acceptance, approval or succession (the forms of "consent
    /// to be bound" of the Vienna Convention on the Law of Treaties).
    pub fn is_consent(self) -> bool {
        matches!(
            self,
            EventKind::Ratification
                | EventKind::Accession
                | EventKind::Acceptance
                | EventKind::Approval
                | EventKind::Succession
        )
    }
}

/// A stored event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Event {
    /// Row id in the store.
    pub id: i64,
    /// The country.
    pub country: Country,
    /// The country as the file wrote it.
    pub country_as_written: String,
    /// When.
    pub date: EventDate,
    /// The kind of event the text names.
    pub kind: EventKind,
    /// What happened, as the file wrote it.
    pub event: String,
    /// The treaty, as the file wrote it.
    pub treaty: String,
    /// Where the event is recorded.
    pub source: String,
    /// The file it was first imported from, and the line.
    pub imported_from: String,
    /// Line of that file.
    pub line: u64,
}

/// An event read from a file, not yet stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    /// The country (its preferred entry).
    pub country: &'static Country,
    /// The country as written.
    pub country_as_written: String,
    /// When.
    pub date: EventDate,
    /// The kind.
    pub kind: EventKind,
    /// What happened, as written.
    pub event: String,
    /// The treaty, as written.
    pub treaty: String,
    /// Where it is recorded.
    pub source: String,
    /// The file.
    pub file: String,
    /// The line the row starts on.
    pub line: u64,
}

/// A row of an events file that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RowError {
    /// The file.
    pub file: String,
    /// The line the row starts on (1 is the header).
    pub line: u64,
    /// What is wrong, and how to fix it.
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// What importing an events file did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    /// The file.
    pub file: String,
    /// Rows read (without the header).
    pub rows: usize,
    /// Events stored for the first time.
    pub new: usize,
    /// Events already stored (an earlier import, or a repeated row).
    pub unchanged: usize,
    /// Rows not imported.
    pub rejected: Vec<RowError>,
    /// Columns of the header that are not read.
    pub ignored_columns: Vec<String>,
}

/// Which events to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventFilter {
    /// Only events of this treaty (without regard to case).
    pub treaty: Option<String>,
    /// Only events of this country (TAGS code, ISO code or name, as in the file).
    pub country: Option<String>,
}

/// How the country column of a file is to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CodeSystem {
    /// TAGS or ISO code, refusing codes that are both for different countries.
    Either,
    /// ISO 3166 codes.
    Iso,
    /// TAGS codes.
    Tags,
}

/// The country a value of an events file's country column names.
fn resolve_country(text: &str, system: CodeSystem) -> std::result::Result<&'static Country, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("country is empty".into());
    }
    let usable = |c: &&Country| !c.iso.is_empty();
    if t.len() == 2 && t.chars().all(|c| c.is_ascii_alphabetic()) {
        let tags = country::country_by_code(t).filter(usable).map(country::preferred);
        let iso = country::country_by_iso(t);
        let iso_one = match iso.as_slice() {
            [one] => Some(*one),
            _ => None,
        };
        let found = match system {
            CodeSystem::Tags => tags,
            CodeSystem::Iso => {
                if iso.len() > 1 {
                    let names: Vec<&str> = iso.iter().map(|c| c.name).collect();
                    return Err(format!("ISO code {t:?} stands for {}: write the name", names.join(" and ")));
                }
                iso_one
            }
            CodeSystem::Either => match (tags, iso_one) {
                (Some(a), Some(b)) if a.code != b.code => {
                    return Err(format!(
                        "{t:?} is ambiguous: {} as a TAGS code, {} as an ISO code; write the name, or name the column `country_tags` or `country_iso`",
                        a.name, b.name
                    ))
                }
                (Some(a), _) => Some(a),
                (None, b) => b,
            },
        };
        if let Some(c) = found {
            return Ok(c);
        }
    }
    if let Some(c) = country::country_by_name(t).filter(usable) {
        return Ok(c);
    }
    let what = match system {
        CodeSystem::Either => "a TAGS code, ISO code or country name",
        CodeSystem::Iso => "an ISO 3166 code or country name",
        CodeSystem::Tags => "a TAGS code or country name",
    };
    Err(format!("country {t:?} is not {what} known to demarche"))
}

/// Resolves a user's country (TAGS code, ISO code or name), as a bad request when unknown or ambiguous.
pub fn find_country(text: &str) -> Result<&'static Country> {
    resolve_country(text, CodeSystem::Either).map_err(Error::BadRequest)
}

/// A CSV record: the line it starts on and its fields.
type Record = (u64, Vec<String>);

/// Splits CSV text into records: (line the record starts on, fields), or
/// (line, error) for a record that cannot be read. Blank lines are skipped.
fn csv_records(text: &str) -> Vec<std::result::Result<Record, (u64, String)>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line: u64 = 1;
    while chars.peek().is_some() {
        let start = line;
        let mut fields: Vec<String> = Vec::new();
        let mut field = String::new();
        let mut quoted = false; // inside quotes
        let mut was_quoted = false; // this field was quoted
        let mut error: Option<String> = None;
        loop {
            let Some(c) = chars.next() else {
                if quoted {
                    error = Some("a quoted field is not closed (a \" is missing)".into());
                }
                break;
            };
            if quoted {
                match c {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    '"' => quoted = false,
                    '\n' => {
                        line += 1;
                        field.push('\n');
                    }
                    c => field.push(c),
                }
                continue;
            }
            match c {
                '"' if field.trim().is_empty() && !was_quoted => {
                    field.clear();
                    quoted = true;
                    was_quoted = true;
                }
                '"' => {
                    if error.is_none() {
                        error = Some(
                            "a \" inside an unquoted field: put the field in quotes and double the \"".into(),
                        );
                    }
                }
                ',' => {
                    fields.push(finish(&mut field, was_quoted));
                    was_quoted = false;
                }
                '\r' if chars.peek() == Some(&'\n') => {}
                '\n' => {
                    line += 1;
                    break;
                }
                c => {
                    if was_quoted && !c.is_whitespace() && error.is_none() {
                        error = Some("text after a closing quote".into());
                    }
                    field.push(c);
                }
            }
        }
        fields.push(finish(&mut field, was_quoted));
        if let Some(e) = error {
            out.push(Err((start, e)));
        } else if !(fields.len() == 1 && fields[0].is_empty()) {
            out.push(Ok((start, fields)));
        }
    }
    out
}

fn finish(field: &mut String, was_quoted: bool) -> String {
    let f = std::mem::take(field);
    if was_quoted {
        f
    } else {
        f.trim().to_owned()
    }
}

/// The columns of an events file, by position.
struct Columns {
    country: usize,
    system: CodeSystem,
    date: usize,
    event: usize,
    treaty: usize,
    source: usize,
    count: usize,
    ignored: Vec<String>,
}

fn columns(header: &[String]) -> std::result::Result<Columns, String> {
    let mut found: BTreeMap<&str, usize> = BTreeMap::new();
    let mut system = CodeSystem::Either;
    let mut ignored = Vec::new();
    for (i, h) in header.iter().enumerate() {
        let name = h.trim().to_lowercase();
        let key = match name.as_str() {
            "country" => "country",
            "country_iso" => {
                system = CodeSystem::Iso;
                "country"
            }
            "country_tags" => {
                system = CodeSystem::Tags;
                "country"
            }
            "date" => "date",
            "event" => "event",
            "treaty" => "treaty",
            "source" => "source",
            _ => {
                ignored.push(h.trim().to_owned());
                continue;
            }
        };
        if found.insert(key, i).is_some() {
            return Err(format!("the header names the column `{key}` twice"));
        }
    }
    let missing: Vec<&str> = ["country", "date", "event", "treaty", "source"]
        .into_iter()
        .filter(|k| !found.contains_key(k))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "the header lacks the column{} {}: the first row must name the columns country, date, event, treaty, source",
            if missing.len() > 1 { "s" } else { "" },
            missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ")
        ));
    }
    Ok(Columns {
        country: found["country"],
        system,
        date: found["date"],
        event: found["event"],
        treaty: found["treaty"],
        source: found["source"],
        count: header.len(),
        ignored,
    })
}

/// Reads an events file's text (see the [module documentation](self)):
/// the events of its good rows, the errors of the others, and the ignored
/// columns. Fails as a whole only when the header is unusable.
pub fn parse_events(file: &str, text: &str) -> Result<(Vec<NewEvent>, Vec<RowError>, Vec<String>)> {
    let mut records = csv_records(text).into_iter();
    let header = match records.next() {
        None => {
            return Err(Error::BadRequest(format!(
                "{file}: the file is empty: it needs a header row (country,date,event,treaty,source)"
            )))
        }
        Some(Err((line, e))) => return Err(Error::BadRequest(format!("{file}:{line}: header: {e}"))),
        Some(Ok((_, h))) => h,
    };
    let cols = columns(&header).map_err(|e| Error::BadRequest(format!("{file}:1: {e}")))?;
    let mut events = Vec::new();
    let mut errors = Vec::new();
    for record in records {
        let (line, fields) = match record {
            Ok(r) => r,
            Err((line, message)) => {
                errors.push(RowError { file: file.to_owned(), line, message });
                continue;
            }
        };
        let err = |message: String| RowError { file: file.to_owned(), line, message };
        if fields.len() != cols.count {
            errors.push(err(format!("{} fields where the header has {}", fields.len(), cols.count)));
            continue;
        }
        let get = |i: usize| fields[i].trim().to_owned();
        let country_text = get(cols.country);
        let country = match resolve_country(&country_text, cols.system) {
            Ok(c) => c,
            Err(e) => {
                errors.push(err(e));
                continue;
            }
        };
        let date_text = get(cols.date);
        let Some(date) = EventDate::parse(&date_text) else {
            errors.push(err(format!(
                "date {date_text:?} is not a date: write YYYY-MM-DD, or YYYY-MM when the day is not known"
            )));
            continue;
        };
        let (event, treaty, source) = (get(cols.event), get(cols.treaty), get(cols.source));
        let empty: Vec<&str> = [("event", &event), ("treaty", &treaty), ("source", &source)]
            .into_iter()
            .filter(|(_, v)| v.is_empty())
            .map(|(k, _)| k)
            .collect();
        if !empty.is_empty() {
            let verb = if empty.len() > 1 { "are" } else { "is" };
            errors.push(err(format!(
                "{} {verb} empty: every event needs its event, treaty and source (where it is recorded)",
                empty.join(", ")
            )));
            continue;
        }
        events.push(NewEvent {
            country,
            country_as_written: country_text,
            date,
            kind: EventKind::from_text(&event),
            event,
            treaty,
            source,
            file: file.to_owned(),
            line,
        });
    }
    Ok((events, errors, cols.ignored))
}

/// A state's consent to be bound by a treaty, and its place in the order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Consent {
    /// The country.
    pub country: Country,
    /// When (its earliest consent event).
    pub date: EventDate,
    /// How (ratification, accession...).
    pub kind: EventKind,
    /// The event's id.
    pub event_id: i64,
    /// Its rank: 1 + the number of states surely before it. States on the
    /// same date share it.
    pub ordinal: usize,
    /// The last rank its date allows: the number of states on or before its
    /// date (itself included). Equal to `ordinal` unless there is a tie.
    pub ordinal_last: usize,
}

/// The order in which states consented to be bound by a treaty, from its
/// events (of one treaty; other kinds of event are skipped): each country's
/// earliest consent, ranked by date, earliest first, ties sharing a rank
/// (see the [module documentation](self)). Sorted by date, then country name.
pub fn consent_order(events: &[Event]) -> Vec<Consent> {
    let mut first: BTreeMap<&str, &Event> = BTreeMap::new();
    for e in events.iter().filter(|e| e.kind.is_consent()) {
        let slot = first.entry(e.country.code).or_insert(e);
        if (e.date.first_day(), e.id) < (slot.date.first_day(), slot.id) {
            *slot = e;
        }
    }
    let chosen: Vec<&Event> = first.into_values().collect();
    let mut out: Vec<Consent> = chosen
        .iter()
        .map(|e| {
            let before = chosen.iter().filter(|o| o.date.last_day() < e.date.first_day()).count();
            let on_or_before = chosen.iter().filter(|o| o.date.first_day() <= e.date.last_day()).count();
            Consent {
                country: e.country,
                date: e.date,
                kind: e.kind,
                event_id: e.id,
                ordinal: before + 1,
                ordinal_last: on_or_before,
            }
        })
        .collect();
    out.sort_by(|a, b| (a.ordinal, a.date, a.country.name).cmp(&(b.ordinal, b.date, b.country.name)));
    out
}

/// English ordinal of a number: 1st, 2nd, 3rd, 11th, 62nd.
pub fn ordinal_suffix(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

impl Archive {
    /// Imports an events file (see the [module documentation](crate::events)).
    /// Needs an archive opened for writing. Rows that cannot be read are in
    /// the report; the others are stored, in one transaction.
    pub fn import_events(&mut self, path: &Path) -> Result<ImportReport> {
        self.require_writable()?;
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let file = path.display().to_string();
        let text = String::from_utf8(bytes).map_err(|e| {
            Error::BadRequest(format!(
                "{file}: not UTF-8 text (byte {}): save it as UTF-8",
                e.utf8_error().valid_up_to()
            ))
        })?;
        self.import_events_text(&file, &text)
    }

    /// Imports events from CSV text, naming it `file` in the report and errors.
    pub fn import_events_text(&mut self, file: &str, text: &str) -> Result<ImportReport> {
        self.require_writable()?;
        let (events, rejected, ignored_columns) = parse_events(file, text)?;
        let rows = events.len() + rejected.len();
        let imported_at = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        let new = self.store.insert_events(&events, imported_at)?;
        Ok(ImportReport {
            file: file.to_owned(),
            rows,
            new,
            unchanged: events.len() - new,
            rejected,
            ignored_columns,
        })
    }

    /// The stored events, by treaty, date and country.
    pub fn events(&self, filter: &EventFilter) -> Result<Vec<Event>> {
        let country = match &filter.country {
            Some(c) => Some(find_country(c)?.code),
            None => None,
        };
        self.store.events(filter.treaty.as_deref().map(str::trim), country)
    }

    /// The treaties of the stored events, each with its number of events, by name.
    pub fn treaties(&self) -> Result<Vec<(String, u64)>> {
        self.store.treaties()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_dates() {
        assert_eq!(EventDate::parse("2008-12-03").unwrap().to_string(), "2008-12-03");
        assert_eq!(EventDate::parse(" 2009-05 ").unwrap().to_string(), "2009-05");
        for bad in
            ["2008-13-01", "2008-02-30", "08-12-03", "2008/12/03", "2008-1-3", "2008", "", "2008-12-03-1"]
        {
            assert!(EventDate::parse(bad).is_none(), "{bad}");
        }
        let m = EventDate::parse("2008-02").unwrap();
        assert_eq!(m.last_day() - m.first_day(), 28, "2008 is a leap year");
        assert!(EventDate::parse("2008-02") < EventDate::parse("2008-02-01"));
    }

    #[test]
    fn names_event_kinds() {
        assert_eq!(EventKind::from_text("Ratification"), EventKind::Ratification);
        assert_eq!(EventKind::from_text("ratified"), EventKind::Ratification);
        assert_eq!(EventKind::from_text("Accession (a)"), EventKind::Accession);
        assert_eq!(EventKind::from_text("Signature"), EventKind::Signature);
        assert_eq!(EventKind::from_text("signed"), EventKind::Signature);
        assert_eq!(EventKind::from_text("Entry into force"), EventKind::EntryIntoForce);
        assert_eq!(EventKind::from_text("Acceptance (A)"), EventKind::Acceptance);
        assert_eq!(EventKind::from_text("Parliament debate"), EventKind::Other);
        for k in [EventKind::Signature, EventKind::EntryIntoForce, EventKind::Other] {
            assert_eq!(EventKind::from_name(k.name()), Some(k));
        }
    }

    #[test]
    fn resolves_countries_without_guessing() {
        let code = |t, s| resolve_country(t, s).map(|c| c.code);
        assert_eq!(code("AF", CodeSystem::Either), Ok("AF"));
        assert_eq!(code("af", CodeSystem::Either), Ok("AF"));
        assert_eq!(code("DE", CodeSystem::Either), Ok("GM"), "DE is no TAGS code: ISO");
        assert_eq!(code("GM", CodeSystem::Either).ok(), None, "Germany (TAGS) or Gambia (ISO)");
        assert!(code("CH", CodeSystem::Either).unwrap_err().contains("ambiguous"));
        assert_eq!(code("CH", CodeSystem::Iso), Ok("SZ"));
        assert_eq!(code("CH", CodeSystem::Tags), Ok("CH"));
        assert_eq!(code("TC", CodeSystem::Tags), Ok("AE"), "secondary codes give the preferred entry");
        assert_eq!(code("Norway", CodeSystem::Iso), Ok("NO"));
        assert_eq!(code("Lao People's Democratic Republic", CodeSystem::Either), Ok("LA"));
        assert!(code("XA", CodeSystem::Tags).is_err(), "regions are not countries");
        assert!(code("Atlantis", CodeSystem::Either).unwrap_err().contains("not a TAGS code"));
        assert!(code(" ", CodeSystem::Either).is_err());
    }

    #[test]
    fn reads_csv_records() {
        let recs = csv_records("\u{feff}a,b\r\n\n\"x, \"\"y\"\"\",\"two\nlines\"\nplain , 3\n\"open,4\n");
        assert_eq!(recs[0], Ok((1, vec!["a".into(), "b".into()])));
        assert_eq!(recs[1], Ok((3, vec!["x, \"y\"".into(), "two\nlines".into()])));
        assert_eq!(recs[2], Ok((5, vec!["plain".into(), "3".into()])));
        assert!(matches!(&recs[3], Err((6, e)) if e.contains("not closed")));
        assert_eq!(recs.len(), 4);
        assert!(matches!(&csv_records("a\"b,c\n")[0], Err((1, _))));
        assert!(matches!(&csv_records("\"a\"b,c\n")[0], Err((1, _))));
    }

    #[test]
    fn reports_bad_rows_by_line_and_keeps_the_rest() {
        let text = "Country,Date,Event,Treaty,Source,Notes\n\
                    AF,2011-09-08,Ratification,CCM,https://example.org,\n\
                    Norway,2008-13-01,Ratification,CCM,x,\n\
                    QQ,2008-12-03,Signature,CCM,x,\n\
                    UK,2008-12-03,Signature,CCM,,\n\
                    UK,2008-12-03,Signature,CCM\n\
                    \"United Kingdom\",2010-05,Ratification,CCM,x,note\n";
        let (events, errors, ignored) = parse_events("ev.csv", text).unwrap();
        assert_eq!(events.len(), 2);
        assert_eq!(events[1].date.to_string(), "2010-05");
        assert_eq!(ignored, ["Notes"]);
        let lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 4, 5, 6]);
        assert!(errors[0].to_string().starts_with("ev.csv:3: date \"2008-13-01\""), "{}", errors[0]);
        assert!(errors[2].message.contains("source is empty"), "{}", errors[2]);
        assert!(parse_events("ev.csv", "country,date,event\n")
            .unwrap_err()
            .to_string()
            .contains("`treaty`, `source`"));
        assert!(parse_events("ev.csv", "").is_err());
    }

    fn event(id: i64, code: &str, date: &str, kind: EventKind) -> Event {
        Event {
            id,
            country: *country::country_by_code(code).unwrap(),
            country_as_written: code.into(),
            date: EventDate::parse(date).unwrap(),
            kind,
            event: kind.name().into(),
            treaty: "T".into(),
            source: "s".into(),
            imported_from: "f".into(),
            line: id as u64,
        }
    }

    #[test]
    fn ranks_consents_with_shared_ties() {
        use EventKind::*;
        // Out of order, with a signature that does not count, a tie, a
        // second consent of the same country and a month-only date.
        let events = [
            event(1, "NO", "2008-12-03", Ratification),
            event(2, "AF", "2011-09-08", Ratification),
            event(3, "UK", "2008-12-03", Signature),
            event(4, "EI", "2008-12-03", Ratification),
            event(5, "SP", "2009-06-17", Accession),
            event(6, "NO", "2010-01-01", Ratification),
            event(7, "UK", "2010-05-04", Ratification),
            event(8, "JA", "2009-07", Acceptance),
        ];
        let order = consent_order(&events);
        let got: Vec<(&str, usize, usize)> =
            order.iter().map(|c| (c.country.code, c.ordinal, c.ordinal_last)).collect();
        assert_eq!(got, [("EI", 1, 2), ("NO", 1, 2), ("SP", 3, 3), ("JA", 4, 4), ("UK", 5, 5), ("AF", 6, 6)]);
        assert_eq!(order[1].date.to_string(), "2008-12-03", "the earliest consent counts");
        // A month-only date overlapping a day date: either may be first.
        let events = [event(1, "NO", "2009-07", Ratification), event(2, "AF", "2009-07-15", Ratification)];
        let got: Vec<(usize, usize)> =
            consent_order(&events).iter().map(|c| (c.ordinal, c.ordinal_last)).collect();
        assert_eq!(got, [(1, 2), (1, 2)]);
        assert_eq!(ordinal_suffix(62), "62nd");
        assert_eq!(ordinal_suffix(11), "11th");
        assert_eq!(ordinal_suffix(101), "101st");
    }
}
