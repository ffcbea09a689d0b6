//! `demarche attribute` as a user runs it: an article (file or standard
//! input) against a small ingested archive, readable and JSON reports.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn shared() -> PathBuf {
    std::env::var_os("DEMARCHE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"))
}

fn demarche(archive: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_demarche"));
    c.arg("--reference").arg(shared().join("reference")).arg("--archive").arg(archive);
    c
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

const ARTICLE: &str = "<html><body><article>\
    <p>The State Department warned Kabul that &ldquo;a narrow interpretation of Article 21 by [the Afghan government] \
    will impair our ability to defend the lives of our soldiers&rdquo;.</p>\
    <p>&ldquo;The U.S. Government believes Article 21 of the Convention provides the flexibility &hellip; for U.S. forces \
    to store, transfer, and use U.S. cluster munitions in the territory of a State Party,&rdquo; the cable said.</p>\
    <p>In London, the embassy noted that the ban &lsquo;is one of the only issues which all three major political \
    parties firmly support&rsquo;.</p>\
    <p>&ldquo;We will never allow cluster munitions on Afghan soil,&rdquo; a spokesman said. It was &ldquo;military utility&rdquo; that mattered.</p>\
    </article></body></html>";

#[test]
fn attribute_reports_sources_from_a_file_and_from_standard_input() {
    let tmp = tempfile::tempdir().unwrap();
    let archive = tmp.path().join("archive");
    let cables = shared().join("corpus/wikileaks-cablegate-2010-12-10/cable");
    let out = demarche(&archive)
        .arg("ingest")
        .arg(cables.join("2008/12/08STATE134777.html"))
        .arg(cables.join("2009/11/09LONDON2598.html"))
        .arg(cables.join("2009/05/09STATE52368.html"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let article = tmp.path().join("article.html");
    std::fs::write(&article, ARTICLE).unwrap();

    let out = demarche(&archive).arg("attribute").arg(&article).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    assert!(s.starts_with("5 quotes: 3 exact, 0 close, 1 ambiguous, 1 not in the archive"), "{s}");
    assert!(s.contains("exact          08STATE134777 v1 ¶3  score 1.00"), "{s}");
    assert!(
        s.contains("[the Afghan government] stands for: “GIRoA”"),
        "bracket shown with the cable's words: {s}"
    );
    assert!(s.contains("08STATE134777 v1 ¶2"), "{s}");
    assert!(s.contains("09LONDON2598 v1 ¶6"), "British single quotes: {s}");
    assert!(s.contains("not_in_archive"), "{s}");
    assert!(s.contains("under 4 words"), "{s}");

    let mut child = demarche(&archive)
        .args(["attribute", "-", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(ARTICLE.as_bytes()).unwrap();
    let out: Output = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let quotes = v["quotes"].as_array().unwrap();
    assert_eq!(quotes.len(), 5);
    assert_eq!(quotes[0]["verdict"], "exact");
    assert_eq!(quotes[0]["source"]["cable_id"], "08STATE134777");
    assert_eq!(quotes[0]["source"]["paragraph"], 3);
    assert_eq!(quotes[0]["source"]["differences"][0]["kind"], "bracketed");
    assert_eq!(quotes[3]["verdict"], "not_in_archive");
    assert!(quotes[3].get("source").is_none());
    assert_eq!(quotes[4]["verdict"], "ambiguous");
    assert_eq!(v["counts"]["exact"], 3);

    let out = demarche(&archive).args(["attribute", "--paraphrases"]).arg(&article).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("paraphrased sentences"), "{}", text(&out.stdout));

    let out = demarche(&archive).arg("attribute").arg(tmp.path().join("missing.html")).output().unwrap();
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("missing.html"), "{}", text(&out.stderr));
}
