//! The shared corpus, and one archive of it built once per test run.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use archive::{Archive, IngestOptions, IngestReport};
use cable::{Parser, ReferenceData};

/// `../shared` beside the checkout (or `$DEMARCHE_SHARED`).
pub fn shared_dir() -> PathBuf {
    std::env::var_os("DEMARCHE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"))
}

/// The WikiLeaks cable pages.
pub fn cable_dir() -> PathBuf {
    shared_dir().join("corpus/wikileaks-cablegate-2010-12-10/cable")
}

/// A parser with the reference tables.
pub fn parser() -> Parser {
    Parser::new(ReferenceData::load_dir(&shared_dir().join("reference")).expect("reference tables"))
}

/// Ingests paths into a fresh archive in a new temporary directory.
pub fn fresh_archive(paths: &[PathBuf]) -> (tempfile::TempDir, Archive, IngestReport) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut a = Archive::open_for_write(&tmp.path().join("archive")).expect("create archive");
    let report = a.ingest(paths, &parser(), &IngestOptions::default(), &mut |_| {}).expect("ingest");
    (tmp, a, report)
}

struct Built {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    report: IngestReport,
}

fn built() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let (tmp, a, report) = fresh_archive(&[cable_dir()]);
        let dir = a.dir().to_path_buf();
        drop(a);
        Built { _tmp: tmp, dir, report }
    })
}

/// The corpus archive (read-only) and the report of its ingest.
pub fn corpus_archive() -> (Archive, &'static IngestReport) {
    let b = built();
    (Archive::open(&b.dir).expect("open corpus archive"), &b.report)
}

/// The records of a labelled set, `tests/data/NAME` (one JSON object a
/// line; blank lines skipped), with the file and line of any bad one.
pub fn labelled<T: serde::de::DeserializeOwned>(name: &str) -> Vec<T> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| serde_json::from_str(l).unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), i + 1)))
        .collect()
}
