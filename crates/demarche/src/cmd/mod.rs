//! One module per subcommand, each with its arguments and `run`.

pub mod alerts;
pub mod attribute;
pub mod audit;
pub mod campaign;
pub mod check;
pub mod coverage;
pub mod events;
pub mod ingest;
pub mod parse;
pub mod refs;
pub mod reparse;
pub mod search;
pub mod serve;
pub mod show;
pub mod users;
pub mod versions;

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use cable::ReferenceData;

/// Finds and loads the reference tables: `--reference`, `$DEMARCHE_REFERENCE`,
/// or `../shared/reference` when it exists. Without them cables still parse,
/// with routing indicators left undecoded (a warning says so).
pub fn load_reference_data(explicit: Option<&Path>) -> anyhow::Result<ReferenceData> {
    let dir: Option<PathBuf> = explicit
        .map(Path::to_path_buf)
        .or_else(|| std::env::var_os("DEMARCHE_REFERENCE").map(PathBuf::from))
        .or_else(|| Some(PathBuf::from("../shared/reference")).filter(|p| p.is_dir()));
    match dir {
        Some(dir) => {
            if !dir.is_dir() {
                anyhow::bail!("reference directory {} does not exist", dir.display());
            }
            ReferenceData::load_dir(&dir)
                .with_context(|| format!("reading reference tables in {}", dir.display()))
        }
        None => {
            eprintln!("warning: no reference tables (use --reference DIR): routing indicators and TAGS are decoded by shape only");
            Ok(ReferenceData::empty())
        }
    }
}

/// Writes a value as pretty JSON and a newline on stdout.
pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    use std::io::Write as _;
    writeln!(out)?;
    Ok(())
}
