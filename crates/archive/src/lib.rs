//! `archive`: the demarche engine. An archive is a directory holding a
//! SQLite store (the truth: every version of every cable, the reference
//! graph) and a tantivy index derived from it. No server to start.
//!
//! ```
//! # fn main() -> archive::Result<()> {
//! use archive::{Archive, IngestOptions, SearchRequest};
//! let dir = tempfile::tempdir().map_err(|e| archive::Error::BadRequest(e.to_string()))?;
//! let telegram = "O 291637Z DEC 08\nFM SECSTATE WASHDC\nTO RUEHBUL/AMEMBASSY KABUL IMMEDIATE 0000\n\n\
//!     C O N F I D E N T I A L STATE 134777\n\nTAGS PARM, MOPS, PREL, AF\n\
//!     SUBJECT: DEMARCHE TO AFGHANISTAN ON CLUSTER MUNITIONS\n\n1. (U) Cluster munitions text.\n\nRICE\n";
//! let file = dir.path().join("cable.txt");
//! std::fs::write(&file, telegram).map_err(|e| archive::Error::BadRequest(e.to_string()))?;
//!
//! let mut archive = Archive::open_for_write(&dir.path().join("archive"))?;
//! let report = archive.ingest(&[file], &cable::Parser::default(), &IngestOptions::default(), &mut |_| {})?;
//! assert_eq!(report.new, 1);
//!
//! let results = archive.search(&SearchRequest::new("\"cluster munitions\" tag:AF"))?;
//! assert_eq!(results.total, 1);
//! assert_eq!(results.hits[0].id, "08STATE134777");
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

mod archive;
pub mod attribute;
pub mod campaign;
pub mod check;
pub mod diff;
mod error;
pub mod events;
pub mod graph;
pub mod index;
pub mod ingest;
pub mod newsroom;
pub mod query;
pub mod reparse;
pub mod store;
pub mod variants;

pub use archive::Archive;
pub use attribute::{AttributeOptions, AttributionReport, Verdict};
pub use check::CheckReport;
pub use error::{Error, ErrorKind, Result};
pub use ingest::{IngestOptions, IngestReport, Progress};
pub use query::{BrowseBy, PrivateScope, SearchRequest, SearchResults, Sort};
pub use reparse::ReparseReport;
