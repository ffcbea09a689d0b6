//! The parser (placeholder, being written).
use crate::{Cable, Error, ReferenceData, Result};

/// Parses cables.
#[derive(Debug, Clone, Default)]
pub struct Parser {
    refdata: ReferenceData,
}

impl Parser {
    /// A parser using these reference tables.
    pub fn new(refdata: ReferenceData) -> Parser {
        Parser { refdata }
    }
    /// Parses a WikiLeaks cable page.
    pub fn parse_html(&self, bytes: &[u8]) -> Result<Cable> {
        let _ = (bytes, &self.refdata);
        Err(Error::NotACable("not yet".into()))
    }
    /// Parses a raw telegram.
    pub fn parse_telegram(&self, bytes: &[u8]) -> Result<Cable> {
        let _ = bytes;
        Err(Error::NotACable("not yet".into()))
    }
}
