//! The full-release `cables.csv`: no header row; eight quoted fields per
//! record (sequence number, created `M/D/YYYY H:MM`, reference id, origin,
//! classification, referenced ids joined with `|`, header, body); quotes
//! inside fields escaped with a backslash; fields span many lines.
//!
//! [`CsvReader`] streams records from any [`BufRead`]: memory stays flat
//! however big the file. A damaged record is reported with its number and
//! line, and reading resumes at the next record.

use std::io::BufRead;

use crate::{DateTime, Error, Format, Result};

use super::SourceCable;

/// Number of fields in a `cables.csv` record.
pub const FIELDS: usize = 8;

/// The largest record accepted (a real one is at most a few hundred KB).
pub const MAX_RECORD_BYTES: usize = 64 * 1024 * 1024;

/// One raw record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvRecord {
    /// 1-based record number in the file.
    pub record: u64,
    /// 1-based line where the record starts.
    pub line: u64,
    /// The eight fields, unescaped.
    pub fields: Vec<String>,
}

/// Whether bytes look like the start of a record: `"<digits>","`.
pub fn looks_like_record_start(b: &[u8]) -> bool {
    let Some(rest) = b.strip_prefix(b"\"") else { return false };
    let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
    digits > 0 && rest[digits..].starts_with(b"\",\"")
}

/// Streams records of a `cables.csv` file.
pub struct CsvReader<R> {
    reader: R,
    line_buf: Vec<u8>,
    /// A line already read that starts the next record (after a resync).
    pending: Option<Vec<u8>>,
    line_no: u64,
    record_no: u64,
    done: bool,
}

enum State {
    /// Expecting the opening quote of a field.
    FieldStart,
    /// Inside a quoted field.
    Quoted,
    /// After a closing quote: expecting `,` or the end of the record.
    AfterQuote,
}

impl<R: BufRead> CsvReader<R> {
    /// A reader over `cables.csv` data.
    pub fn new(reader: R) -> CsvReader<R> {
        CsvReader { reader, line_buf: Vec::new(), pending: None, line_no: 0, record_no: 0, done: false }
    }

    fn next_line(&mut self) -> Result<bool> {
        if let Some(p) = self.pending.take() {
            self.line_buf = p;
            return Ok(true);
        }
        self.line_buf.clear();
        let n = self.reader.read_until(b'\n', &mut self.line_buf)?;
        if n > 0 {
            self.line_no += 1;
        }
        Ok(n > 0)
    }

    /// Skips lines up to the next one that starts a record.
    fn resync(&mut self) -> Result<()> {
        loop {
            self.line_buf.clear();
            if self.reader.read_until(b'\n', &mut self.line_buf)? == 0 {
                self.done = true;
                return Ok(());
            }
            self.line_no += 1;
            if looks_like_record_start(&self.line_buf) {
                self.pending = Some(std::mem::take(&mut self.line_buf));
                self.line_no -= 1;
                return Ok(());
            }
        }
    }

    fn read_record(&mut self) -> Result<Option<CsvRecord>> {
        // Skip blank lines between records.
        loop {
            if !self.next_line()? {
                self.done = true;
                return Ok(None);
            }
            if self.pending.is_none() && self.line_buf.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            break;
        }
        if self.pending.is_none() && self.line_no == 0 {
            self.line_no = 1;
        }
        self.record_no += 1;
        let record = self.record_no;
        let start_line = if self.line_no == 0 { 1 } else { self.line_no };
        let start_line = start_line.max(1);
        let err = |line: u64, reason: String| Error::Csv { record, line, reason };
        let mut fields: Vec<String> = Vec::with_capacity(FIELDS);
        let mut field: Vec<u8> = Vec::new();
        let mut total = 0usize;
        let mut state = State::FieldStart;
        loop {
            let line = std::mem::take(&mut self.line_buf);
            total += line.len();
            if total > MAX_RECORD_BYTES {
                self.line_buf = line;
                self.resync()?;
                return Err(err(start_line, format!("record larger than {MAX_RECORD_BYTES} bytes")));
            }
            let mut i = 0;
            while i < line.len() {
                match state {
                    State::FieldStart => {
                        if line[i] == b'"' {
                            state = State::Quoted;
                            i += 1;
                        } else {
                            let at = self.line_no;
                            self.line_buf = line;
                            self.resync()?;
                            return Err(err(
                                at,
                                format!("field {} does not start with a quote", fields.len() + 1),
                            ));
                        }
                    }
                    State::Quoted => match memchr::memchr2(b'"', b'\\', &line[i..]) {
                        None => {
                            field.extend_from_slice(&line[i..]);
                            i = line.len();
                        }
                        Some(p) => {
                            field.extend_from_slice(&line[i..i + p]);
                            i += p;
                            if line[i] == b'\\' {
                                match line.get(i + 1) {
                                    Some(&c @ (b'"' | b'\'' | b'\\')) => {
                                        field.push(c);
                                        i += 2;
                                    }
                                    _ => {
                                        field.push(b'\\');
                                        i += 1;
                                    }
                                }
                            } else {
                                state = State::AfterQuote;
                                i += 1;
                            }
                        }
                    },
                    State::AfterQuote => match line[i] {
                        b',' => {
                            fields.push(self.field_text(&mut field, record, start_line)?);
                            if fields.len() >= FIELDS {
                                let at = self.line_no;
                                self.line_buf = line;
                                self.resync()?;
                                return Err(err(at, format!("record has more than {FIELDS} fields")));
                            }
                            state = State::FieldStart;
                            i += 1;
                        }
                        b'\n' | b'\r' => {
                            fields.push(self.field_text(&mut field, record, start_line)?);
                            if fields.len() != FIELDS {
                                return Err(err(
                                    start_line,
                                    format!("record has {} fields, expected {FIELDS}", fields.len()),
                                ));
                            }
                            return Ok(Some(CsvRecord { record, line: start_line, fields }));
                        }
                        _ => {
                            // A stray quote inside the text: keep it and go on.
                            field.push(b'"');
                            state = State::Quoted;
                        }
                    },
                }
            }
            if !self.next_line()? {
                self.done = true;
                return match state {
                    State::AfterQuote => {
                        fields.push(self.field_text(&mut field, record, start_line)?);
                        if fields.len() == FIELDS {
                            Ok(Some(CsvRecord { record, line: start_line, fields }))
                        } else {
                            Err(err(
                                start_line,
                                format!("truncated record: file ends after field {}", fields.len()),
                            ))
                        }
                    }
                    _ => Err(err(
                        start_line,
                        format!("truncated record: file ends inside field {}", fields.len() + 1),
                    )),
                };
            }
        }
    }

    fn field_text(&self, field: &mut Vec<u8>, record: u64, line: u64) -> Result<String> {
        let bytes = std::mem::take(field);
        String::from_utf8(bytes).map_err(|e| Error::Csv {
            record,
            line,
            reason: format!("invalid UTF-8 at byte {} of a field", e.utf8_error().valid_up_to()),
        })
    }
}

impl<R: BufRead> Iterator for CsvReader<R> {
    type Item = Result<CsvRecord>;
    fn next(&mut self) -> Option<Result<CsvRecord>> {
        if self.done {
            return None;
        }
        match self.read_record() {
            Ok(Some(r)) => Some(Ok(r)),
            Ok(None) => None,
            Err(e) => {
                if matches!(e, Error::Io(_)) {
                    self.done = true;
                }
                Some(Err(e))
            }
        }
    }
}

/// Turns a record into a [`SourceCable`].
pub fn to_source(rec: CsvRecord) -> Result<SourceCable> {
    let (record, line) = (rec.record, rec.line);
    let err = |reason: String| Error::Csv { record, line, reason };
    let mut f = rec.fields.into_iter();
    let mut next = || f.next().unwrap_or_default();
    let _seq = next();
    let created = DateTime::parse_us(&next()).map_err(|e| err(e.to_string()))?;
    let id = next().trim().to_owned();
    if id.is_empty() {
        return Err(err("empty reference id".into()));
    }
    let origin = next().trim().to_owned();
    let classification = next().parse().map_err(|e: Error| err(format!("{id}: {e}")))?;
    let referenced_ids =
        next().split('|').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect::<Vec<_>>();
    let header = next();
    let body = next();
    super::check_line_lengths(&header)
        .and_then(|_| super::check_line_lengths(&body))
        .map_err(|e| err(format!("{id}: {e}")))?;
    Ok(SourceCable {
        format: Some(Format::CablesCsv),
        published_id: Some(id),
        created: Some(created),
        released: None,
        classification: Some(classification),
        origin: Some(origin),
        subject: None,
        referenced_ids,
        media: Vec::new(),
        header,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(data: &str) -> Vec<Result<CsvRecord>> {
        CsvReader::new(data.as_bytes()).collect()
    }

    #[test]
    fn reads_multiline_records_with_escapes() {
        let data = "\"1\",\"12/28/1966 18:48\",\"66BUENOSAIRES2481\",\"Embassy Buenos Aires\",\"UNCLASSIFIED\",\"\",\"P R 281848Z DEC 66\nFM AMEMBASSY\",\"SAID \\\"NO\\\" AND IT\\'S\nDONE\"\n\"2\",\"1/2/2008 0:05\",\"08STATE1\",\"Secretary of State\",\"SECRET\",\"07STATE5|07KABUL9\",\"\",\"BODY\"\n";
        let recs: Vec<CsvRecord> = read_all(data).into_iter().map(|r| r.unwrap()).collect();
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[0].fields[7], "SAID \"NO\" AND IT'S\nDONE");
        assert_eq!(recs[1].line, 4);
        let src = to_source(recs[1].clone()).unwrap();
        assert_eq!(src.referenced_ids, ["07STATE5", "07KABUL9"]);
        assert_eq!(src.created.unwrap().to_string(), "2008-01-02T00:05Z");
    }

    #[test]
    fn reports_truncated_record_and_resyncs_after_damage() {
        let data = "\"1\",\"bad\nxx\n\"2\",\"1/2/2008 0:05\",\"08STATE1\",\"S\",\"SECRET\",\"\",\"\",\"B\"\n\"3\",\"1/2/2008 0:05\",\"08STATE2";
        let out = read_all(data);
        // Record 1 swallows lines up to its closing quote, then finds junk.
        assert!(out.iter().any(|r| r.is_err()));
        let last = out.last().unwrap().as_ref().unwrap_err().to_string();
        assert!(last.contains("truncated record"), "{last}");
    }

    #[test]
    fn junk_field_start_is_an_error_then_reading_resumes() {
        let data = "junk line\n\"2\",\"1/2/2008 0:05\",\"08STATE1\",\"S\",\"SECRET\",\"\",\"\",\"B\"\n";
        let out = read_all(data);
        assert_eq!(out.len(), 2);
        assert!(out[0].as_ref().unwrap_err().to_string().contains("line 1"));
        assert_eq!(out[1].as_ref().unwrap().fields[2], "08STATE1");
    }
}
