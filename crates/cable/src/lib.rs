//! `cable` turns the bytes of a published US diplomatic cable into one typed
//! [`Cable`], whatever format it was published in: WikiLeaks cable pages,
//! the full-release `cables.csv`, one-cable text files and raw telegrams.
//!
//! Pure parsing: no I/O beyond what the caller hands in, no globals.
//!
//! ```
//! use cable::{Level, Parser, ReferenceData};
//! let telegram = "\
//! O 291637Z DEC 08
//! FM SECSTATE WASHDC
//! TO RUEHBUL/AMEMBASSY KABUL IMMEDIATE 0000
//!
//! C O N F I D E N T I A L STATE 134777
//!
//! SIPDIS
//!
//! EO 12958 DECL: 12/29/2018
//! TAGS PARM, MOPS, PREL, AF
//! SUBJECT: DEMARCHE TO AFGHANISTAN ON CLUSTER MUNITIONS
//!
//! REF: A. STATE 125608  B. KABUL 346
//!
//! 1. (U) This is an action request. See para 2.
//!
//! RICE
//! ";
//! let parser = Parser::new(ReferenceData::empty());
//! let cable = parser.parse_telegram(telegram.as_bytes())?;
//! assert_eq!(cable.id.as_str(), "08STATE134777");
//! assert_eq!(cable.classification.level, Level::Confidential);
//! assert_eq!(cable.subject, "DEMARCHE TO AFGHANISTAN ON CLUSTER MUNITIONS");
//! assert_eq!(cable.cited_ids()[0].as_str(), "08STATE125608");
//! assert_eq!(cable.signer.as_deref(), Some("RICE"));
//! # Ok::<(), cable::Error>(())
//! ```
#![deny(missing_docs)]

mod body;
mod classification;
pub mod clean;
pub mod country;
mod date;
mod error;
pub mod header;
mod id;
mod model;
mod parser;
mod reference_data;
pub mod refs;
pub mod source;
mod station;
pub mod subject;
pub mod tags;
#[cfg(test)]
mod test_fragments;

pub use classification::{Caveat, Classification, Level, Marking};
pub use clean::clean_content;
pub use date::{Date, DateTime};
pub use error::{Error, Result};
pub use header::{Header, Precedence, Recipient};
pub use id::{canonical_station, RefId};
pub use model::{Cable, ClassifiedBy, Declassification, Format, Paragraph, Redaction};
pub use parser::Parser;
pub use reference_data::ReferenceData;
pub use refs::{parse_references, Reference, ReferenceKind};
pub use station::edit_distance;
pub use subject::parse_subject;
pub use tags::{classify_tag, parse_tags, ReadingBasis, Tag, TagCountry, TagKind};
