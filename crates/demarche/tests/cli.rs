//! The `demarche` binary, run as a user runs it, over the shared corpus and
//! over bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn shared() -> PathBuf {
    std::env::var_os("DEMARCHE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"))
}

fn demarche(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_demarche"))
        .args(["--reference", shared().join("reference").to_str().expect("utf-8 path")])
        .args(args)
        .output()
        .expect("run demarche")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn parse_prints_every_corpus_cable_as_json() {
    let dir = shared().join("corpus/wikileaks-cablegate-2010-12-10/cable");
    let out = demarche(&["parse", dir.to_str().unwrap()]);
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let cables: Vec<serde_json::Value> =
        stdout.lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect();
    assert_eq!(cables.len(), 1295);
    let kabul = cables.iter().find(|c| c["id"] == "08STATE134777").expect("08STATE134777 printed");
    assert_eq!(kabul["classification"], "CONFIDENTIAL");
    assert_eq!(kabul["header"]["to"][0]["decoded"], "AMEMBASSY KABUL");
    assert_eq!(kabul["references"][0]["cable"], "08STATE125608");
    assert!(
        text(&out.stderr).contains("parsed 1295 cables from 1295 files; 0 failed"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn parse_text_format_is_readable() {
    let page = shared().join("corpus/wikileaks-cablegate-2010-12-10/cable/2008/12/08STATE134777.html");
    let out = demarche(&["parse", "--format", "text", page.to_str().unwrap()]);
    assert!(out.status.success());
    let s = text(&out.stdout);
    assert!(s.starts_with("08STATE134777  DEMARCHE TO AFGHANISTAN ON CLUSTER MUNITIONS"), "{s}");
    assert!(s.contains("(RUEHBUL = AMEMBASSY KABUL)"), "{s}");
    assert!(s.contains("signer         RICE"), "{s}");
}

#[test]
fn bad_input_is_named_and_the_rest_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = "O 291637Z DEC 08\nFM SECSTATE WASHDC\nTO RUEHBUL/AMEMBASSY KABUL IMMEDIATE 0000\n\nC O N F I D E N T I A L STATE 134777\n\nSUBJECT: A GOOD CABLE\n\n1. (U) Text.\n\nRICE\n";
    std::fs::write(d.join("a_good.txt"), good).unwrap();
    std::fs::write(d.join("b_binary.bin"), [0u8, 159, 146, 150, 0, 1, 2]).unwrap();
    let mut bad_utf8 = good.as_bytes().to_vec();
    bad_utf8.extend_from_slice(&[0xff, 0xfe, b'\n']);
    std::fs::write(d.join("c_invalid_utf8.txt"), bad_utf8).unwrap();
    std::fs::write(d.join("d_not_a_cable.txt"), "Dear editor, this is a letter.\n").unwrap();
    let long = format!("{good}{}\n", "A".repeat(400_000));
    std::fs::write(d.join("e_long_line.txt"), long).unwrap();
    let csv = "\"1\",\"12/29/2008 16:04\",\"08STATE134777\",\"Secretary of State\",\"CONFIDENTIAL\",\"08STATE125608\",\"\",\"C O N F I D E N T I A L STATE 134777\n\nSUBJECT: IN CSV\n\n1. (U) Text.\"\n\"2\",\"12/30/2008 10:00\",\"08STATE1\",\"Secretary of State\",\"SECRET\",\"\",\"\",\"TRUNCATED";
    std::fs::write(d.join("f_cables.csv"), csv).unwrap();

    let out = demarche(&["parse", d.to_str().unwrap()]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "exit status 1 when an input failed; stderr: {stderr}");
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().count(), 2, "the good telegram and the good CSV record are printed: {stdout}");
    assert!(stdout.contains("A GOOD CABLE") && stdout.contains("IN CSV"));
    for (file, reason) in [
        ("b_binary.bin", "binary"),
        ("c_invalid_utf8.txt", "invalid UTF-8"),
        ("d_not_a_cable.txt", "not a cable"),
        ("e_long_line.txt", "bytes long"),
        ("f_cables.csv", "CSV record 2 (line 6): truncated record"),
    ] {
        assert!(
            stderr.lines().any(|l| l.contains(file) && l.contains(reason)),
            "no error naming {file} and {reason:?} in:\n{stderr}"
        );
    }
    assert!(stderr.contains("parsed 2 cables from 6 files; 5 failed"), "{stderr}");
}

#[test]
fn a_missing_path_is_an_error_not_a_panic() {
    let out = demarche(&["parse", "/nonexistent/cable.html"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("/nonexistent/cable.html"));
}

/// `demarche users ...` with `stdin` as standard input.
fn demarche_with_input(args: &[&str], stdin: &str) -> Output {
    use std::io::Write as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_demarche"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn newsroom_accounts_are_made_from_the_command_line_without_the_password_in_it() {
    let tmp = tempfile::tempdir().unwrap();
    let archive = tmp.path().join("archive");
    let archive = archive.to_str().unwrap();
    let corpus = shared().join("corpus/wikileaks-cablegate-2010-12-10/cable/2008/12");
    assert!(demarche(&["--archive", archive, "ingest", corpus.to_str().unwrap()]).status.success());

    let added = demarche_with_input(
        &["--archive", archive, "users", "add", "ana", "--role", "editor"],
        "a long password\n",
    );
    assert!(added.status.success(), "{}", text(&added.stderr));
    assert_eq!(text(&added.stdout).trim(), "added ana (editor)");
    let again = demarche_with_input(
        &["--archive", archive, "users", "add", "ANA", "--role", "reader"],
        "a long password\n",
    );
    assert_eq!(again.status.code(), Some(2), "names are unique ignoring case: {}", text(&again.stderr));
    let short =
        demarche_with_input(&["--archive", archive, "users", "add", "bo", "--role", "reader"], "short\n");
    assert_eq!(short.status.code(), Some(2));
    assert!(text(&short.stderr).contains("at least 10 characters"), "{}", text(&short.stderr));
    assert!(
        demarche(&["--archive", archive, "users", "add", "x", "--role", "reader", "--password", "p"])
            .status
            .code()
            == Some(2),
        "there is no way to give a password on the command line"
    );

    let token = demarche(&["--archive", archive, "users", "token", "ana"]);
    let token = text(&token.stdout).trim().to_owned();
    assert!(token.starts_with("dmt_") && token.len() == 68, "{token}");
    let listed = text(&demarche(&["--archive", archive, "users", "list"]).stdout);
    assert!(listed.contains("ana") && listed.contains("editor") && !listed.contains("disabled"), "{listed}");
    assert!(demarche(&["--archive", archive, "users", "disable", "ana"]).status.success());
    assert!(text(&demarche(&["--archive", archive, "users", "list"]).stdout).contains("disabled"));
    assert_eq!(demarche(&["--archive", archive, "users", "disable", "nobody"]).status.code(), Some(3));

    let audit = text(&demarche(&["--archive", archive, "audit", "--since", "2020-01-01"]).stdout);
    assert!(
        audit.contains("added as editor") && audit.contains("API token issued") && audit.contains("disabled"),
        "{audit}"
    );
    assert!(!audit.contains("a long password") && !audit.contains(&token), "{audit}");
    assert_eq!(demarche(&["--archive", archive, "audit", "--since", "yesterday"]).status.code(), Some(2));
}

#[test]
fn coverage_estimates_each_stations_traffic_and_names_an_unknown_station() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("a");
    let a = archive.to_str().unwrap();
    let corpus = shared().join("corpus/wikileaks-cablegate-2010-12-10/cable/2009");
    let out = demarche(&["--archive", a, "ingest", corpus.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = demarche(&["--archive", a, "coverage", "--station", "Kabul", "--year", "2009", "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let c: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let kabul = &c["rows"][0];
    assert_eq!((kabul["station"].as_str(), kabul["year"].as_u64()), (Some("KABUL"), Some(2009)));
    let (held, highest, estimated) = (
        kabul["held"].as_u64().unwrap(),
        kabul["highest_seen"].as_u64().unwrap(),
        kabul["estimated"].as_u64().unwrap(),
    );
    assert!(held > 10 && estimated >= highest && highest > 3000, "{kabul}");
    assert!(kabul["known_missing"].as_u64().unwrap() > 0, "cables cited by REF and not held: {kabul}");
    let gaps = kabul["gaps"].as_array().unwrap();
    let unheld: u64 = gaps.iter().map(|g| g[1].as_u64().unwrap() - g[0].as_u64().unwrap() + 1).sum();
    assert_eq!(unheld + held, highest, "the gaps are every serial not held");
    let out = demarche(&["--archive", a, "coverage"]);
    let table = text(&out.stdout);
    assert!(table.lines().any(|l| l.starts_with("KABUL") && l.contains("2009")), "{table}");
    let out = demarche(&["--archive", a, "coverage", "--station", "Kabool"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("KABUL"), "a suggestion: {}", text(&out.stderr));
}
