//! Locating and loading the shared, read-only test data.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use cable::{Cable, Parser, ReferenceData};

/// `../shared` beside the checkout (or `$DEMARCHE_SHARED`).
pub fn shared_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("DEMARCHE_SHARED") {
        return PathBuf::from(dir);
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = manifest.join("../../../shared");
    assert!(
        dir.join("corpus").is_dir(),
        "the shared test data is not at {} (set DEMARCHE_SHARED)",
        dir.display()
    );
    dir
}

/// The WikiLeaks cable pages of the shared corpus.
pub fn cable_dir() -> PathBuf {
    shared_dir().join("corpus/wikileaks-cablegate-2010-12-10/cable")
}

/// Every cable page of the shared corpus, sorted by path.
pub fn cable_pages() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![cable_dir()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read corpus dir") {
            let p = entry.expect("dir entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "html") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// A parser with the shared reference data loaded.
pub fn parser() -> &'static Parser {
    static PARSER: OnceLock<Parser> = OnceLock::new();
    PARSER.get_or_init(|| {
        let refdata = ReferenceData::load_dir(&shared_dir().join("reference")).expect("reference data");
        Parser::new(refdata)
    })
}

/// Every cable of the shared corpus, parsed once, by published id.
pub fn corpus() -> &'static HashMap<String, Cable> {
    static CORPUS: OnceLock<HashMap<String, Cable>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        cable_pages()
            .iter()
            .map(|p| {
                let bytes = std::fs::read(p).expect("read cable page");
                let cable = parser().parse_html(&bytes).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
                (cable.published_id.clone(), cable)
            })
            .collect()
    })
}
