//! [`Parser`]: from the bytes of any published format to [`Cable`]s.

use std::io::BufRead;

use crate::body::{parse_banner, parse_body};
use crate::header::parse_header;
use crate::source::{self, csv::CsvReader, SourceCable};
use crate::{Cable, Caveat, Error, Format, RefId, Reference, ReferenceData, ReferenceKind, Result};

/// Parses cables from every published format, decoding routing indicators
/// and TAGS with the [`ReferenceData`] it was given.
#[derive(Debug, Clone, Default)]
pub struct Parser {
    refdata: ReferenceData,
}

impl Parser {
    /// A parser using these reference tables.
    pub fn new(refdata: ReferenceData) -> Parser {
        Parser { refdata }
    }

    /// The reference tables in use.
    pub fn reference_data(&self) -> &ReferenceData {
        &self.refdata
    }

    /// Parses one cable of a single-cable format (WikiLeaks page, text file,
    /// telegram), detecting the format. A `cables.csv` holds many cables:
    /// read it with [`Parser::csv_cables`].
    pub fn parse(&self, bytes: &[u8]) -> Result<Cable> {
        match source::detect(bytes) {
            Some(Format::WikileaksHtml) => self.parse_html(bytes),
            Some(Format::TextFile) => self.parse_text_file(bytes),
            Some(Format::Telegram) => self.parse_telegram(bytes),
            Some(Format::CablesCsv) => {
                Err(Error::NotACable("a cables.csv file holds many cables; read it as CSV".into()))
            }
            None if bytes.contains(&0) => Err(Error::NotACable("binary data".into())),
            None => Err(Error::NotACable("not any of the published cable formats".into())),
        }
    }

    /// Parses a WikiLeaks cable page.
    pub fn parse_html(&self, bytes: &[u8]) -> Result<Cable> {
        let text = std::str::from_utf8(bytes).map_err(|e| Error::InvalidUtf8 { offset: e.valid_up_to() })?;
        let src = source::html::read(text)?;
        source::check_line_lengths(&src.body)?;
        source::check_line_lengths(&src.header)?;
        self.build(src)
    }

    /// Parses a one-cable text file (id, subject, date, classification, origin, text).
    pub fn parse_text_file(&self, bytes: &[u8]) -> Result<Cable> {
        self.build(source::text::read(source::check_text(bytes)?)?)
    }

    /// Parses a raw telegram (routing header and body).
    pub fn parse_telegram(&self, bytes: &[u8]) -> Result<Cable> {
        self.build(source::telegram::read(source::check_text(bytes)?)?)
    }

    /// Streams the cables of a `cables.csv` file; a damaged record yields an
    /// error naming its record and line, and reading goes on.
    pub fn csv_cables<'a, R: BufRead + 'a>(&'a self, reader: R) -> impl Iterator<Item = Result<Cable>> + 'a {
        CsvReader::new(reader).map(move |rec| {
            let rec = rec?;
            let (record, line) = (rec.record, rec.line);
            self.build(source::csv::to_source(rec)?).map_err(|e| match e {
                e @ Error::Csv { .. } => e,
                e => Error::Csv { record, line, reason: e.to_string() },
            })
        })
    }

    /// Decodes a cable again from the raw text and source metadata it keeps:
    /// how an archive written by an older parser is brought up to this one.
    /// A cable this parser made comes back unchanged.
    pub fn reparse(&self, c: &Cable) -> Result<Cable> {
        self.build(SourceCable::of(c))
    }

    /// Decodes what a source gave into a [`Cable`].
    pub fn build(&self, src: SourceCable) -> Result<Cable> {
        let mut header = parse_header(&src.header, &self.refdata);
        if header.to.is_empty() && header.info.is_empty() {
            // Partial extracts print the addressees at the top of the body.
            if let Some(lines) = addressees_in_body(&src.body) {
                let found = parse_header(&lines, &self.refdata);
                header.to = found.to;
                header.info = found.info;
            }
        }
        let banner = src.body.lines().find(|l| !l.trim().is_empty()).and_then(parse_banner);
        let published_id = src.published_id.clone();
        let id = match &published_id {
            Some(p) => RefId::parse(p)?,
            None => {
                let (station, serial) = banner.as_ref().and_then(|b| b.1.clone()).ok_or_else(|| {
                    Error::NotACable(
                        "no reference id: the text has no banner line naming station and serial".into(),
                    )
                })?;
                let year =
                    src.created.or(header.dtg_time).map(|d| d.date().year()).ok_or_else(|| {
                        Error::NotACable("no year: the telegram has no date-time group".into())
                    })?;
                RefId::from_parts(year, &station, serial)?
            }
        };
        let year = id.year();
        let body = parse_body(&src.body, Some(year), Some(&id), &self.refdata);
        let classification = src.classification.or(body.banner_classification).ok_or_else(|| {
            Error::NotACable(format!("{id}: no classification (neither metadata nor a banner line)"))
        })?;
        let mut caveats = body.caveats;
        for (flag, caveat) in
            [(classification.noforn, Caveat::Noforn), (classification.fouo, Caveat::ForOfficialUseOnly)]
        {
            if flag && !caveats.contains(&caveat) {
                caveats.push(caveat);
            }
        }
        let mut references = body.references;
        for extra in &src.referenced_ids {
            if let Ok(rid) = RefId::parse(extra) {
                if !references.iter().any(|r| r.cable.as_ref() == Some(&rid)) {
                    references.push(Reference {
                        kind: ReferenceKind::Cable,
                        cable: Some(rid),
                        text: extra.clone(),
                        bullet: None,
                        year_inferred: false,
                    });
                }
            }
        }
        let origin = src
            .origin
            .or_else(|| header.from.as_ref().map(|f| f.name.clone()))
            .unwrap_or_else(|| id.station().to_owned());
        let subject = if body.subject.is_empty() { src.subject.unwrap_or_default() } else { body.subject };
        let mut cable = Cable {
            published_id: published_id.unwrap_or_else(|| id.to_string()),
            id,
            format: src.format.unwrap_or(Format::Telegram),
            created: src.created.or(header.dtg_time),
            released: src.released,
            classification,
            caveats,
            origin,
            header,
            declassification: body.declassification,
            tags: body.tags,
            subject,
            references,
            classified_by: body.classified_by,
            signer: body.signer,
            summary: body.summary,
            paragraphs: body.paragraphs,
            redactions: body.redactions,
            media: src.media,
            raw_header: src.header,
            raw_body: src.body,
        };
        crate::tags::read_country_tags(&mut cable);
        Ok(cable)
    }
}

/// The `TO`/`INFO` lines some bodies print above their TAGS and SUBJECT
/// (WikiLeaks' partial extracts), with their continuation lines.
fn addressees_in_body(body: &str) -> Option<String> {
    let mut out = String::new();
    for line in body.lines().take(40) {
        let t = line.trim();
        let up = t.to_ascii_uppercase();
        if up.starts_with("TAGS") || up.starts_with("SUBJ") || up.starts_with("E.O") || up.starts_with("EO ")
        {
            break;
        }
        if out.is_empty() {
            if t.starts_with("TO ") || t.starts_with("INFO ") {
                out.push_str(t);
                out.push('\n');
            }
        } else if t.is_empty() {
            break;
        } else {
            out.push_str(t);
            out.push('\n');
        }
    }
    (!out.is_empty()).then_some(out)
}
