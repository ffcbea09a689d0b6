//! The archive commands as a user runs them: ingest, search, show, refs,
//! versions, diff, check, reindex; a second writer; SIGKILL during ingest
//! at 20 random points (see `crash`).

mod crash;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn shared() -> PathBuf {
    std::env::var_os("DEMARCHE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"))
}

fn corpus() -> PathBuf {
    shared().join("corpus/wikileaks-cablegate-2010-12-10/cable")
}

fn demarche(archive: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_demarche"));
    c.arg("--reference").arg(shared().join("reference")).arg("--archive").arg(archive);
    c
}

fn run(archive: &Path, args: &[&str]) -> Output {
    demarche(archive).args(args).output().expect("run demarche")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn ingest_search_show_refs_check_reindex() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("archive");
    let out = run(&a, &["ingest", corpus().to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    assert!(s.contains("1295 new, 0 new versions, 0 unchanged, 0 failed"), "{s}");

    let again = run(&a, &["ingest", corpus().to_str().unwrap()]);
    assert!(
        text(&again.stdout).contains("0 new, 0 new versions, 1295 unchanged, 0 failed"),
        "{}",
        text(&again.stdout)
    );

    let out = run(&a, &["search", "\"cluster munitions\"", "--facets", "--histogram"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    let first_three: Vec<&str> = s
        .lines()
        .skip(1)
        .filter(|l| l.trim_start().chars().next().is_some_and(|c| c.is_ascii_digit()))
        .take(3)
        .collect();
    assert!(first_three.iter().any(|l| l.contains("08STATE134777")), "{s}");
    assert!(first_three.iter().any(|l| l.contains("09STATE52368")), "{s}");
    assert!(s.contains("«cluster» «munitions»"), "snippets are highlighted: {s}");
    assert!(s.contains("tags: ") && s.contains("per month:"), "{s}");

    let out = run(&a, &["search", "tag:PARM AND tag:AF", "--json", "--per-page", "100"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(v["hits"].as_array().unwrap().iter().any(|h| h["id"] == "08STATE134777"));
    assert_eq!(v["total"].as_u64().unwrap() as usize, v["hits"].as_array().unwrap().len());

    let out = run(&a, &["search", "\"cluster munitions"]);
    assert_eq!(out.status.code(), Some(2), "a bad query is a usage error");
    let e = text(&out.stderr);
    assert!(e.contains("^") && e.to_lowercase().contains("quote"), "the message points at the problem: {e}");

    let out = run(&a, &["show", "08 STATE 134777"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    assert!(s.starts_with("08STATE134777  DEMARCHE TO AFGHANISTAN ON CLUSTER MUNITIONS"), "{s}");
    assert!(s.contains("AMEMBASSY KABUL"), "{s}");
    assert!(s.contains("country: Afghanistan"), "{s}");
    assert!(s.contains("08STATE125608") && s.contains("not in archive"), "{s}");
    assert!(s.contains("year inferred: \"STATE 125608\" names none"), "{s}");
    assert!(s.contains("3. (SBU) Department requests Post pursue"), "{s}");

    let out = run(&a, &["show", "99NOWHERE1"]);
    assert_eq!(out.status.code(), Some(3), "not found");
    assert!(text(&out.stderr).contains("99NOWHERE1 is not in the archive"));

    let out = run(&a, &["refs", "08STATE134777", "--direction", "out"]);
    let s = text(&out.stdout);
    assert!(s.contains("08STATE125608") && s.contains("08KABUL346") && s.contains("(not in archive)"), "{s}");

    let out = run(&a, &["versions", "08STATE134777"]);
    assert!(text(&out.stdout).contains("1 version(s)"), "{}", text(&out.stdout));
    let out = run(&a, &["diff", "08STATE134777"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("only one version"));

    let out = run(&a, &["check"]);
    assert!(out.status.success(), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("archive OK"));

    // Delete the index: check says so and fails; reindex rebuilds it.
    std::fs::remove_dir_all(a.join("index")).unwrap();
    let out = run(&a, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("reindex"), "{}", text(&out.stdout));
    let out = run(&a, &["reindex"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("reindexed 1295 cables"));
    assert!(run(&a, &["check"]).status.success());

    // Parsed by this parser already: reparse reads every version and changes nothing.
    let out = run(&a, &["reparse"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("reparsed 1295 versions")
            && text(&out.stdout).contains(": 0 parsed differently"),
        "{}",
        text(&out.stdout)
    );
    assert!(run(&a, &["check"]).status.success());
}

#[test]
fn a_second_writer_gets_a_clear_locked_error() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("archive");
    let mut first = demarche(&a)
        .args(["ingest", "--batch-size", "10", corpus().to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the first writer holds the lock.
    let started = Instant::now();
    while !a.join("store.sqlite").exists() && started.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(100));
    let second = run(&a, &["ingest", corpus().join("1966").to_str().unwrap()]);
    let still_running = first.try_wait().unwrap().is_none();
    first.wait().unwrap();
    assert!(still_running, "the first ingest finished too fast for this test");
    assert_eq!(second.status.code(), Some(4), "{}", text(&second.stderr));
    assert!(text(&second.stderr).contains("is locked by another writer"), "{}", text(&second.stderr));
}

#[test]
fn sigkill_at_twenty_random_points_of_an_ingest_loses_and_duplicates_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    crash::CrashTest {
        demarche: PathBuf::from(env!("CARGO_BIN_EXE_demarche")),
        reference: shared().join("reference"),
        ingest: vec!["--batch-size".into(), "25".into(), corpus().into()],
        queries: &["\"cluster munitions\"", "kabul", "tag:PARM"],
        kills: 20,
        work: tmp.path(),
    }
    .run();
}

#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    use std::io::Read as _;
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("archive");
    assert!(run(&a, &["ingest", corpus().join("2009").to_str().unwrap()]).status.success());
    // A search printing far more than a pipe holds, as JSON and as a table.
    for format in [&["--json"][..], &[][..]] {
        let mut child = demarche(&a)
            .args(["search", "the", "--per-page", "1000"])
            .args(format)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 100];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap(); // then the reader goes away, like `| head -c 100`
        let out = child.wait_with_output().unwrap();
        let err = text(&out.stderr);
        assert!(!err.contains("panicked") && !err.contains("error"), "{format:?}: {err}");
        assert_eq!(out.status.code(), Some(141), "{format:?}: {err}");
    }
}
