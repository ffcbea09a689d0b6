//! The Cablegate-scale corpus generator and the benchmark harness of
//! demarche against its peers (SQLite FTS5, PostgreSQL, Xapian, ripgrep).
//! The `demarche-bench` program is the command line over this library;
//! tests use the generator directly.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

pub mod demarche_engine;
pub mod generate;
pub mod mix;
pub mod newsroom;
pub mod peers;
pub mod process;
pub mod report;
pub mod run;
pub mod tantivy_raw;

/// The real cables under the shared data directory.
pub fn corpus_dir(shared: &Path) -> PathBuf {
    shared.join("corpus/wikileaks-cablegate-2010-12-10/cable")
}

/// A cable parser with the reference tables of the shared data directory.
pub fn reference_parser(shared: &Path) -> Result<cable::Parser> {
    let refdata = cable::ReferenceData::load_dir(&shared.join("reference"))
        .with_context(|| format!("reading reference tables under {}", shared.display()))?;
    Ok(cable::Parser::new(refdata))
}
