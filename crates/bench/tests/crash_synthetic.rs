//! SIGKILL at 20 random points of `demarche ingest` over a generated
//! corpus: one `cables.csv` (the layout of the full release) instead of the
//! real corpus's one page per cable. See `demarche/tests/crash/mod.rs`.
//!
//! The corpus is small enough for a debug build to ingest it 40 times in a
//! few minutes, and large enough (15 store batches) for the kills to land
//! while it is read, between store batches, and at the index commit.

#[path = "../../demarche/tests/crash/mod.rs"]
mod crash;

use std::path::{Path, PathBuf};

/// Cables generated: a debug build ingests a few hundred a second.
const CABLES: usize = 1_500;
/// The generator's seed: the same corpus every run.
const SEED: u64 = 2010;

fn shared() -> PathBuf {
    std::env::var_os("DEMARCHE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"))
}

/// The `demarche` binary, built beside this package's.
fn demarche() -> PathBuf {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_demarche-bench")).with_file_name("demarche");
    assert!(
        bin.exists(),
        "{} is missing: build it first (cargo build -p demarche, or cargo test --workspace)",
        bin.display()
    );
    bin
}

#[test]
fn sigkill_at_twenty_random_points_of_a_generated_ingest_loses_and_duplicates_nothing() {
    let demarche = demarche();
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("cables.csv");
    {
        let parser = demarche_bench::reference_parser(&shared()).unwrap();
        let material =
            demarche_bench::generate::Material::load(&parser, &demarche_bench::corpus_dir(&shared()))
                .expect("read the real cables the generator recombines");
        let mut out = std::io::BufWriter::new(std::fs::File::create(&csv).unwrap());
        let written = demarche_bench::generate::generate(&material, CABLES, SEED, &mut out).unwrap();
        std::io::Write::flush(&mut out).unwrap();
        println!("generated {} cables ({} bytes), seed {SEED}", written.cables, written.bytes);
    }
    crash::CrashTest {
        demarche,
        reference: shared().join("reference"),
        ingest: vec!["--batch-size".into(), "100".into(), csv.into()],
        queries: &["\"cluster munitions\"", "kabul", "tag:PARM", "oil AND minister"],
        kills: 20,
        work: tmp.path(),
    }
    .run();
}
