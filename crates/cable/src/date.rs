//! Calendar dates and minute-precision date-times, as cables give them.
//!
//! Cables carry dates in many layouts (`2008-12-29 16:04`, `12/29/2008 16:04`,
//! `291637Z DEC 08`, `12/29/2018`). They are all read into these two small
//! types, which order chronologically and print as ISO 8601.

use std::fmt;
use std::str::FromStr;

use crate::{Error, Result};

/// A calendar date (proleptic Gregorian), years 1900-2199.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// A date and a time of day to the minute (cables carry no seconds), in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    date: Date,
    hour: u8,
    minute: u8,
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// A date from its parts, or `None` when it does not exist.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        ((1900..2200).contains(&year) && day >= 1 && day <= days_in_month(year, month)).then_some(Date {
            year,
            month,
            day,
        })
    }

    /// Four-digit year.
    pub fn year(self) -> u16 {
        self.year
    }
    /// Month, 1-12.
    pub fn month(self) -> u8 {
        self.month
    }
    /// Day of the month, 1-31.
    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Reads `M/D/YYYY` (also `MM/DD/YY`, years 00-49 read as 20xx), as in
    /// `EO 12958 DECL: 12/29/2018` and in `cables.csv`.
    pub fn parse_us(text: &str) -> Result<Date> {
        let err = || Error::InvalidDate { text: text.to_owned(), expected: "M/D/YYYY" };
        let mut parts = text.trim().splitn(3, '/');
        let month = num(parts.next()).ok_or_else(err)?;
        let day = num(parts.next()).ok_or_else(err)?;
        let year_text = parts.next().ok_or_else(err)?;
        let year = num(Some(year_text)).ok_or_else(err)?;
        let year = match year_text.trim().len() {
            2 => expand_two_digit_year(year as u8),
            4 => year,
            _ => return Err(err()),
        };
        Date::new(year, month as u8, day as u8).ok_or_else(err)
    }
}

/// Expands a two-digit year the way cable ids do: 66-99 are 19xx, 00-65 20xx.
pub fn expand_two_digit_year(yy: u8) -> u16 {
    if yy >= 66 {
        1900 + u16::from(yy)
    } else {
        2000 + u16::from(yy)
    }
}

fn num(part: Option<&str>) -> Option<u16> {
    let p = part?.trim();
    if p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    p.parse().ok()
}

impl DateTime {
    /// A date-time from its parts, or `None` when it does not exist.
    pub fn new(date: Date, hour: u8, minute: u8) -> Option<DateTime> {
        (hour < 24 && minute < 60).then_some(DateTime { date, hour, minute })
    }
    /// The date.
    pub fn date(self) -> Date {
        self.date
    }
    /// Hour, 0-23.
    pub fn hour(self) -> u8 {
        self.hour
    }
    /// Minute, 0-59.
    pub fn minute(self) -> u8 {
        self.minute
    }
    /// Seconds since 1970-01-01T00:00Z.
    pub fn unix_seconds(self) -> i64 {
        self.date.days_since_epoch() * 86_400 + i64::from(self.hour) * 3600 + i64::from(self.minute) * 60
    }

    /// Reads `M/D/YYYY H:MM` as in `cables.csv`.
    pub fn parse_us(text: &str) -> Result<DateTime> {
        let err = || Error::InvalidDate { text: text.to_owned(), expected: "M/D/YYYY H:MM" };
        let (d, t) = text.trim().split_once(' ').ok_or_else(err)?;
        let date = Date::parse_us(d).map_err(|_| err())?;
        let (h, m) = t.trim().split_once(':').ok_or_else(err)?;
        let (h, m) = (num(Some(h)).ok_or_else(err)?, num(Some(m)).ok_or_else(err)?);
        DateTime::new(date, h as u8, m as u8).ok_or_else(err)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}T{:02}:{:02}Z", self.date, self.hour, self.minute)
    }
}

impl FromStr for Date {
    type Err = Error;
    /// Reads ISO `YYYY-MM-DD`.
    fn from_str(s: &str) -> Result<Date> {
        let err = || Error::InvalidDate { text: s.to_owned(), expected: "YYYY-MM-DD" };
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(err());
        }
        let y = num(s.get(0..4)).ok_or_else(err)?;
        let m = num(s.get(5..7)).ok_or_else(err)?;
        let d = num(s.get(8..10)).ok_or_else(err)?;
        Date::new(y, m as u8, d as u8).ok_or_else(err)
    }
}

impl FromStr for DateTime {
    type Err = Error;
    /// Reads ISO `YYYY-MM-DDTHH:MM[Z]` or `YYYY-MM-DD HH:MM` (as on WikiLeaks pages).
    fn from_str(s: &str) -> Result<DateTime> {
        let err = || Error::InvalidDate { text: s.to_owned(), expected: "YYYY-MM-DD HH:MM" };
        let s2 = s.trim().trim_end_matches('Z');
        let date: Date = s2.get(0..10).ok_or_else(err)?.parse().map_err(|_| err())?;
        let rest = s2.get(10..).ok_or_else(err)?;
        let rest = rest.strip_prefix(['T', ' ']).ok_or_else(err)?;
        let (h, m) = rest.split_once(':').ok_or_else(err)?;
        let m = m.get(0..2).ok_or_else(err)?; // tolerate seconds
        DateTime::new(date, num(Some(h)).ok_or_else(err)? as u8, num(Some(m)).ok_or_else(err)? as u8)
            .ok_or_else(err)
    }
}

macro_rules! serde_via_string {
    ($t:ty) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
        $crate::string_schema!($t);
    };
}
pub(crate) use serde_via_string;

/// With the `openapi` feature: a type that is a string in JSON has the
/// string schema. (Exported for the archive's own string-like types.)
#[macro_export]
macro_rules! string_schema {
    ($t:ty) => {
        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $t {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .into()
            }
        }
        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $t {}
    };
}

serde_via_string!(Date);
serde_via_string!(DateTime);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn us_dates_and_iso_round_trip() {
        let d = DateTime::parse_us("12/29/2008 16:04").unwrap();
        assert_eq!(d.to_string(), "2008-12-29T16:04Z");
        assert_eq!(d.to_string().parse::<DateTime>().unwrap(), d);
        assert_eq!("2008-12-29 16:04".parse::<DateTime>().unwrap(), d);
        assert_eq!(Date::parse_us("12/29/18").unwrap().to_string(), "2018-12-29");
        assert!(Date::parse_us("2/30/2008").is_err());
        assert!(Date::parse_us("2/29/2008").is_ok());
        assert_eq!(Date::new(1970, 1, 1).unwrap().days_since_epoch(), 0);
        assert_eq!(Date::new(2008, 12, 29).unwrap().days_since_epoch(), 14_242);
    }
}
