//! [`Cable`], the one typed form of a cable whatever format it came from.

use serde::{Deserialize, Serialize};

use crate::header::Header;
use crate::{Caveat, Classification, Date, DateTime, Marking, RefId, Reference, Tag};

/// The published format a cable was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// A WikiLeaks cable page (cablegate.wikileaks.org, 2010-2011).
    WikileaksHtml,
    /// A record of the full-release `cables.csv`.
    CablesCsv,
    /// One cable per text file (id, subject, date, classification, origin, then text).
    TextFile,
    /// A raw telegram: routing header followed by the body.
    Telegram,
}

impl Format {
    /// Short name used on the command line and in JSON (`wikileaks_html`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Format::WikileaksHtml => "wikileaks_html",
            Format::CablesCsv => "cables_csv",
            Format::TextFile => "text_file",
            Format::Telegram => "telegram",
        }
    }
}

/// One US diplomatic cable, decoded.
///
/// Every field says what the source says: nothing is invented. Where the
/// source does not give a value the field is `None` or empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cable {
    /// Canonical id, e.g. `08STATE134777`.
    pub id: RefId,
    /// The id exactly as the source published it (may be garbled, e.g. `08SCTION02OF02SAOPAULO335`).
    pub published_id: String,
    /// Format of the source.
    pub format: Format,
    /// When the cable was written (UTC), as the source's metadata gives it.
    pub created: Option<DateTime>,
    /// When the cable was released (WikiLeaks pages give it).
    pub released: Option<DateTime>,
    /// Classification as the source's metadata gives it (or, lacking that, the banner line).
    pub classification: Classification,
    /// Handling caveats written on the cable (SIPDIS, NOFORN, EXDIS...), in order, without repeats.
    pub caveats: Vec<Caveat>,
    /// Origin as the source names it (`Secretary of State`, `Embassy Kabul`).
    pub origin: String,
    /// Routing header, decoded.
    pub header: Header,
    /// The E.O. 12958 line, when present.
    pub declassification: Option<Declassification>,
    /// TAGS, canonical, each with what it stands for.
    pub tags: Vec<Tag>,
    /// SUBJECT, whole (joined over lines), markings removed.
    pub subject: String,
    /// REF list, in order of appearance.
    pub references: Vec<Reference>,
    /// The `Classified By:` line, when present.
    pub classified_by: Option<ClassifiedBy>,
    /// The signer: the name at the end (`RICE`, `PEARSON`).
    pub signer: Option<String>,
    /// The summary paragraph, when the cable has one (the text after `Summary:` up to `End Summary`).
    pub summary: Option<String>,
    /// Numbered paragraphs (and unnumbered text before the first, as paragraph 0).
    pub paragraphs: Vec<Paragraph>,
    /// Redactions (runs of `X` replacing names) in the raw body.
    pub redactions: Vec<Redaction>,
    /// Articles the source page lists as using this cable ("Appears in these articles").
    pub media: Vec<String>,
    /// The routing header exactly as published (may be empty).
    pub raw_header: String,
    /// The body exactly as published (WikiLeaks' own link markup removed, entities decoded).
    pub raw_body: String,
}

impl Cable {
    /// The canonical ids of the cables this one cites, in order, without repeats.
    pub fn cited_ids(&self) -> Vec<&RefId> {
        let mut out: Vec<&RefId> = Vec::new();
        for r in &self.references {
            if let Some(id) = &r.cable {
                if !out.contains(&id) {
                    out.push(id);
                }
            }
        }
        out
    }

    /// For a reference that names no year, the cable of that station and
    /// serial one year before the one the parser chose, when that may be
    /// the one meant: the citing cable was written early in its year
    /// (January to March: a reply to a December request) and cites another
    /// station (its own station's serials settle its own references; see
    /// [`crate::parse_references`]). The archive links to it when it holds
    /// it and not the same-year cable.
    pub fn year_before(&self, r: &Reference) -> Option<RefId> {
        let id = r.cable.as_ref().filter(|_| r.year_inferred)?;
        let created = self.created?.date();
        if id.station() == self.id.station() || id.year() != self.id.year() || created.month() > 3 {
            return None;
        }
        RefId::from_parts(id.year().checked_sub(1)?, id.station(), id.serial()).ok()
    }

    /// The body's clean text: paragraphs joined by blank lines, page-break
    /// and section lines removed.
    pub fn clean_text(&self) -> String {
        let mut out = String::with_capacity(self.raw_body.len());
        for p in &self.paragraphs {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(&p.text);
        }
        out
    }
}

/// The E.O. 12958 (or 13526) declassification line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Declassification {
    /// The line as written (`EO 12958 DECL: 12/29/2018`).
    pub text: String,
    /// Declassify on this date, when the line gives one.
    pub date: Option<Date>,
    /// Exemption codes or other non-date instructions (`N/A`, `X1`, `25X1`, `1.4(B)`).
    pub instruction: Option<String>,
}

/// The `Classified By:` line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClassifiedBy {
    /// The line as written, joined over continuation lines.
    pub text: String,
    /// Name of the classifying official, when written (`Mark T. Kimmitt`).
    pub name: Option<String>,
    /// Title or office (`PM Assistant Secretary`, `Ambassador`).
    pub title: Option<String>,
    /// Letters of the E.O. 12958 section 1.4 reasons, lower case (`b`, `d`).
    pub reasons: Vec<char>,
}

/// A paragraph of the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Paragraph {
    /// The paragraph number as written (`3`); 0 for the unnumbered text before paragraph 1.
    pub number: u32,
    /// Classification marking, when written.
    pub marking: Option<Marking>,
    /// Clean text: number and marking removed, page-break and section lines removed, lines kept.
    pub text: String,
    /// Byte offset of the paragraph's first line in `raw_body`.
    pub offset: usize,
    /// The section heading printed above this paragraph (`BACKGROUND`,
    /// `Financial Reforms, Debt, and Social Measures` over a dashed rule),
    /// as written, when there is one; it is not part of any paragraph's text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
}

/// A redaction: a run of `X` standing for removed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Redaction {
    /// Byte offset in `raw_body`.
    pub offset: usize,
    /// Length in bytes.
    pub len: usize,
    /// Number of the paragraph it is in.
    pub paragraph: u32,
}
