//! The benchmark at a small size, as CI runs it to keep it working: every
//! engine loads the same generated corpus and answers the whole mix, and
//! the engines that index the same text agree on the hit counts.

use std::path::{Path, PathBuf};
use std::process::Command;

fn bench_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_demarche-bench"))
}

#[test]
fn generator_is_deterministic_and_ingestible() {
    let tmp = tempfile::tempdir().unwrap();
    let gen = |name: &str, seed: &str| {
        let out = tmp.path().join(name);
        let st = Command::new(bench_bin())
            .args(["generate", "--cables", "500", "--seed", seed, "--out"])
            .arg(&out)
            .status()
            .unwrap();
        assert!(st.success());
        std::fs::read(out).unwrap()
    };
    let a = gen("a.csv", "7");
    assert_eq!(a, gen("b.csv", "7"), "same seed, same bytes");
    assert_ne!(a, gen("c.csv", "8"), "another seed, another corpus");
    // Every record parses as a cable, with its id, date and classification.
    let refdata = cable::ReferenceData::load_dir(&shared().join("reference")).unwrap();
    let parser = cable::Parser::new(refdata);
    let cables: Vec<_> = parser.csv_cables(&a[..]).collect();
    assert_eq!(cables.len(), 500);
    let ok: Vec<cable::Cable> = cables.into_iter().map(|c| c.expect("generated record parses")).collect();
    let with_refs = ok.iter().filter(|c| !c.cited_ids().is_empty()).count();
    assert!(with_refs > 50, "REF edges between generated cables: {with_refs}");
    assert!(ok.iter().all(|c| !c.tags.is_empty() || c.subject.is_empty()));
    let recent = ok.iter().filter(|c| c.created.is_some_and(|d| d.date().year() >= 2004)).count();
    assert!(recent > 400, "most cables are from 2004-2010 like the release: {recent}");
}

fn shared() -> PathBuf {
    std::env::var_os("DEMARCHE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"))
}

#[test]
fn every_engine_runs_the_mix_and_counts_agree() {
    let tmp = tempfile::tempdir().unwrap();
    let demarche = bench_bin().with_file_name("demarche");
    assert!(
        demarche.exists(),
        "{} missing: run the workspace tests (cargo test --workspace)",
        demarche.display()
    );
    let out = Command::new(bench_bin())
        .args(["run", "--cables", "3000", "--runs", "3", "--seconds", "0.5", "--load-seconds", "2", "--work"])
        .arg(tmp.path().join("work"))
        .arg("--results")
        .arg(tmp.path().join("results"))
        .arg("--demarche")
        .arg(&demarche)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    println!("{report}");
    assert!(out.status.success(), "benchmark failed: {}", String::from_utf8_lossy(&out.stderr));
    let json = std::fs::read_dir(tmp.path().join("results"))
        .unwrap()
        .flatten()
        .find(|e| e.path().extension().is_some_and(|x| x == "json"))
        .expect("results JSON written");
    let results: serde_json::Value = serde_json::from_slice(&std::fs::read(json.path()).unwrap()).unwrap();
    let engines = results["engines"].as_array().unwrap();
    let names: Vec<&str> = engines.iter().map(|e| e["engine"].as_str().unwrap()).collect();
    assert_eq!(names, demarche_bench::run::ENGINES, "every engine ran, in order");
    let hits = |engine: &str, query: &str| -> Option<u64> {
        let e = engines.iter().find(|e| e["engine"] == engine).unwrap();
        let q = e["queries"].as_array().unwrap().iter().find(|q| q["name"] == query).unwrap();
        if q["skipped"] == true {
            None
        } else {
            q["total_hits"].as_u64()
        }
    };
    for q in [
        "phrase",
        "phrase 2",
        "rare term",
        "boolean AND",
        "boolean OR NOT",
        "boolean minus",
        "tag + date range",
        "origin + date range",
        "class + term",
        "faceted term",
    ] {
        let d = hits("demarche", q).unwrap();
        assert!(d > 0, "{q}: no hits in a 3,000-cable corpus");
        assert_eq!(hits("demarche-http", q), Some(d), "{q}: the server answers as the archive does");
        for peer in ["tantivy-raw", "sqlite", "postgres", "xapian"] {
            assert_eq!(hits(peer, q), Some(d), "{q}: {peer} counts differently from demarche");
        }
    }
    assert!(report.contains("| sqlite |") && report.contains("x |"), "ratios printed");
    // the default search finds every cable the same words as written find
    for q in ["rare term", "phrase", "boolean AND"] {
        let (d, default) = (hits("demarche", q).unwrap(), hits("demarche-default", q).unwrap());
        assert!(default >= d, "{q}: stems and spellings add cables: {default} < {d}");
    }
    assert!(report.contains("default search (stems, spellings) / the same queries as written"));
    assert!(report.contains("demarche / tantivy-raw"), "the distance to the engine printed");
}
