//! The value of `created:`: a date (`2008`, `2008-12`, `2008-12-29`) or a
//! range of them (`2008-01..2009-06`, `..2008-06`, `2008..`), as a half-open
//! range of days.

use cable::Date;

use super::error::{Problem, Result};

const EXAMPLES: &str = "a date is written 2008, 2008-12 or 2008-12-29, and a range \
     2008-01..2009-06, ..2008-06 or 2008.. (both ends included)";

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A year, a month or a day, as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Period {
    year: u16,
    month: Option<u8>,
    day: Option<u8>,
}

impl Period {
    /// Its first day.
    fn first_day(self) -> Option<Date> {
        Date::new(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// The day after it, `None` past the end of [`Date`]'s range.
    fn day_after(self) -> Option<Date> {
        match (self.month, self.day) {
            (Some(month), Some(day)) => {
                Date::new(self.year, month, day + 1).or_else(|| first_of_next_month(self.year, month))
            }
            (Some(month), None) => first_of_next_month(self.year, month),
            _ => Date::new(self.year.checked_add(1)?, 1, 1),
        }
    }
}

fn first_of_next_month(year: u16, month: u8) -> Option<Date> {
    if month >= 12 {
        Date::new(year.checked_add(1)?, 1, 1)
    } else {
        Date::new(year, month + 1, 1)
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    (28..=31).rev().find(|&day| Date::new(year, month, day).is_some()).unwrap_or(0)
}

/// Parses the value of `created:`, which starts at char index `position`,
/// into `(from, until)`.
pub(super) fn parse(text: &[char], position: usize) -> Result<(Option<Date>, Option<Date>)> {
    let Some(dots) = text.windows(2).position(|pair| pair == ['.', '.']) else {
        let period = parse_period(text, position)?;
        return Ok((period.first_day(), period.day_after()));
    };
    let (left, right) = (&text[..dots], &text[dots + 2..]);
    let right_position = position + dots + 2;
    if left.is_empty() && right.is_empty() {
        return Err(Problem::at(position, "a date range needs at least one date").hint(EXAMPLES));
    }
    let from = if left.is_empty() { None } else { parse_period(left, position)?.first_day() };
    let until = if right.is_empty() { None } else { parse_period(right, right_position)?.day_after() };
    if let (Some(from), Some(until)) = (from, until) {
        if from >= until {
            let left: String = left.iter().collect();
            let right: String = right.iter().collect();
            return Err(Problem::at(right_position, "the date range ends before it starts")
                .hint(format!("put the earlier date first: created:{right}..{left}")));
        }
    }
    Ok((from, until))
}

/// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (months and days may have one
/// digit) starting at char index `position`.
fn parse_period(text: &[char], position: usize) -> Result<Period> {
    let written: String = text.iter().collect();
    let not_a_date = || Problem::at(position, format!("`{written}` is not a date")).hint(EXAMPLES);
    let parts: Vec<&[char]> = text.split(|&c| c == '-').collect();
    if parts.len() > 3 || parts.iter().any(|part| part.is_empty() || !part.iter().all(char::is_ascii_digit)) {
        return Err(not_a_date());
    }
    if parts[0].len() != 4 || parts[1..].iter().any(|part| part.len() > 2) {
        return Err(not_a_date());
    }
    let number = |part: &[char]| part.iter().fold(0u16, |n, c| n * 10 + c.to_digit(10).unwrap_or(0) as u16);
    let year = number(parts[0]);
    if Date::new(year, 1, 1).is_none() {
        return Err(Problem::at(position, format!("the year {year} is out of range"))
            .hint("the archive's dates run from 1900 to 2199"));
    }
    let month = match parts.get(1) {
        None => None,
        Some(part) => {
            let month = number(part) as u8;
            if !(1..=12).contains(&month) {
                return Err(Problem::at(position + 5, format!("there is no month {month}"))
                    .hint("months go from 01 (January) to 12 (December)"));
            }
            Some(month)
        }
    };
    let day = match (month, parts.get(2)) {
        (Some(month), Some(part)) => {
            let day = number(part) as u8;
            if Date::new(year, month, day).is_none() {
                let day_position = position + 6 + parts[1].len();
                let name = MONTHS[usize::from(month - 1)];
                return Err(Problem::at(day_position, format!("{name} {year} has no day {day}"))
                    .hint(format!("{name} {year} has {} days", days_in_month(year, month))));
            }
            Some(day)
        }
        _ => None,
    };
    Ok(Period { year, month, day })
}

/// How [`Query::Created`](super::Query::Created) is written back: the
/// shortest form that parses to the same range.
pub(super) fn format(from: Option<Date>, until: Option<Date>) -> String {
    let Some(from) = from else {
        return match until.and_then(last_period) {
            Some(last) => format!("..{last}"),
            // Open at both ends: up to the last representable year.
            None => "..2199".to_owned(),
        };
    };
    // One year, month or day.
    let periods = [
        Period { year: from.year(), month: None, day: None },
        Period { year: from.year(), month: Some(from.month()), day: None },
        Period { year: from.year(), month: Some(from.month()), day: Some(from.day()) },
    ];
    if let Some(period) =
        periods.into_iter().find(|period| period.first_day() == Some(from) && period.day_after() == until)
    {
        return period.to_string();
    }
    let start = periods.into_iter().find(|period| period.first_day() == Some(from)).unwrap_or(periods[2]);
    match until {
        None => format!("{start}.."),
        Some(until) => match last_period(until) {
            Some(end) => format!("{start}..{end}"),
            // Before every date: not something `parse` returns.
            None => format!("{start}..1899"),
        },
    }
}

/// The longest period ending the day before `until`.
fn last_period(until: Date) -> Option<Period> {
    let last = day_before(until)?;
    Some(if (until.month(), until.day()) == (1, 1) {
        Period { year: last.year(), month: None, day: None }
    } else if until.day() == 1 {
        Period { year: last.year(), month: Some(last.month()), day: None }
    } else {
        Period { year: last.year(), month: Some(last.month()), day: Some(last.day()) }
    })
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(month) = self.month {
            write!(f, "-{month:02}")?;
        }
        if let Some(day) = self.day {
            write!(f, "-{day:02}")?;
        }
        Ok(())
    }
}

fn day_before(date: Date) -> Option<Date> {
    if date.day() > 1 {
        return Date::new(date.year(), date.month(), date.day() - 1);
    }
    let (year, month) =
        if date.month() == 1 { (date.year().checked_sub(1)?, 12) } else { (date.year(), date.month() - 1) };
    Date::new(year, month, days_in_month(year, month))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: u16, m: u8, d: u8) -> Option<Date> {
        Some(Date::new(y, m, d).unwrap())
    }

    fn range(text: &str) -> Result<(Option<Date>, Option<Date>)> {
        let chars: Vec<char> = text.chars().collect();
        parse(&chars, 0)
    }

    #[test]
    fn periods() {
        assert_eq!(range("2008").unwrap(), (date(2008, 1, 1), date(2009, 1, 1)));
        assert_eq!(range("2008-12").unwrap(), (date(2008, 12, 1), date(2009, 1, 1)));
        assert_eq!(range("2008-02").unwrap(), (date(2008, 2, 1), date(2008, 3, 1)));
        assert_eq!(range("2008-2").unwrap(), (date(2008, 2, 1), date(2008, 3, 1)));
        assert_eq!(range("2008-12-29").unwrap(), (date(2008, 12, 29), date(2008, 12, 30)));
        assert_eq!(range("2008-12-31").unwrap(), (date(2008, 12, 31), date(2009, 1, 1)));
        assert_eq!(range("2008-02-29").unwrap(), (date(2008, 2, 29), date(2008, 3, 1)));
        assert_eq!(range("2008-2-9").unwrap(), (date(2008, 2, 9), date(2008, 2, 10)));
        assert_eq!(range("1900").unwrap(), (date(1900, 1, 1), date(1901, 1, 1)));
        // The end of the representable dates: open.
        assert_eq!(range("2199").unwrap(), (date(2199, 1, 1), None));
        assert_eq!(range("2199-12-31").unwrap(), (date(2199, 12, 31), None));
    }

    #[test]
    fn ranges() {
        assert_eq!(range("2008-01..2009-06").unwrap(), (date(2008, 1, 1), date(2009, 7, 1)));
        assert_eq!(range("..2008-06").unwrap(), (None, date(2008, 7, 1)));
        assert_eq!(range("2008..").unwrap(), (date(2008, 1, 1), None));
        assert_eq!(range("2008..2008").unwrap(), (date(2008, 1, 1), date(2009, 1, 1)));
        assert_eq!(range("2008-12-29..2008-12-29").unwrap(), (date(2008, 12, 29), date(2008, 12, 30)));
        assert_eq!(range("2008-12-30..2009").unwrap(), (date(2008, 12, 30), date(2010, 1, 1)));
        assert_eq!(range("..2199").unwrap(), (None, None));
    }

    #[test]
    fn errors_point_at_the_bad_part() {
        let error = |text: &str| range(text).unwrap_err();
        let e = error("2008-13");
        assert_eq!((e.position, e.message.as_str()), (5, "there is no month 13"));
        let e = error("2008-00");
        assert_eq!((e.position, e.message.as_str()), (5, "there is no month 0"));
        let e = error("2008-02-30");
        assert_eq!((e.position, e.message.as_str()), (8, "February 2008 has no day 30"));
        assert_eq!(e.hint.as_deref(), Some("February 2008 has 29 days"));
        let e = error("2009-2-29");
        assert_eq!((e.position, e.message.as_str()), (7, "February 2009 has no day 29"));
        let e = error("2008-04-00");
        assert_eq!(e.position, 8);
        let e = error("2009..2008");
        assert_eq!((e.position, e.message.as_str()), (6, "the date range ends before it starts"));
        assert_eq!(e.hint.as_deref(), Some("put the earlier date first: created:2008..2009"));
        let e = error("2008-01..2008-13");
        assert_eq!((e.position, e.message.as_str()), (14, "there is no month 13"));
        let e = error("..");
        assert_eq!((e.position, e.message.as_str()), (0, "a date range needs at least one date"));
        let e = error("1850");
        assert_eq!((e.position, e.message.as_str()), (0, "the year 1850 is out of range"));
        for bad in [
            "08",
            "2008-",
            "2008--01",
            "2008-1-1-1",
            "20081",
            "2008-123",
            "yesterday",
            "2008/12",
            "2008...2009",
            "٢٠٠٨",
        ] {
            let e = error(bad);
            assert!(e.message.ends_with("is not a date"), "{bad}: {}", e.message);
        }
        assert_eq!(error("2008..x").position, 6);
    }

    #[test]
    fn format_is_the_shortest_form() {
        let cases = [
            ("2008", "2008"),
            ("2008-12", "2008-12"),
            ("2008-12-29", "2008-12-29"),
            ("2008-01..2009-06", "2008..2009-06"),
            ("2008-03-04..2008-03-05", "2008-03-04..2008-03-05"),
            ("..2008-06", "..2008-06"),
            ("2008..", "2008.."),
            ("2008-12-31..2009-12-31", "2008-12-31..2009"),
            ("2008-01..2008-01", "2008-01"),
            ("2008-01-01..2008-01", "2008-01"),
            ("2008-01-02..2008-01", "2008-01-02..2008-01"),
            ("2008-02-01..2008-02-29", "2008-02"),
            ("2199", "2199"),
            ("2199-12-31", "2199-12-31"),
            ("2199-12..", "2199-12"),
            ("2198..", "2198.."),
            ("..2199", "..2199"),
        ];
        for (text, printed) in cases {
            let (from, until) = range(text).unwrap();
            assert_eq!(format(from, until), printed, "{text}");
        }
    }
}
