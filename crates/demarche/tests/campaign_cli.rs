//! `demarche events import`, `events list` and `campaign` as a user runs them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn shared() -> PathBuf {
    std::env::var_os("DEMARCHE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"))
}

fn run(archive: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_demarche"))
        .arg("--reference")
        .arg(shared().join("reference"))
        .arg("--archive")
        .arg(archive)
        .args(args)
        .output()
        .expect("run demarche")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

const EVENTS: &str = "country,date,event,treaty,source\n\
Afghanistan,2008-12-03,Signature,Convention on Cluster Munitions,https://treaties.un.org/ccm\n\
AF,2011-09-08,Ratification,Convention on Cluster Munitions,https://treaties.un.org/ccm\n\
NO,2008-12-31,Ratification,Convention on Cluster Munitions,https://treaties.un.org/ccm\n\
UK,2010-05-04,Ratifcation?,Convention on Cluster Munitions,\n\
\"United Kingdom\",2010-05-04,Ratification,Convention on Cluster Munitions,https://treaties.un.org/ccm\n";

#[test]
fn events_import_then_campaign_json_csv_and_text() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("archive");
    let cables = shared().join("corpus/wikileaks-cablegate-2010-12-10/cable");
    let story: Vec<String> =
        ["2008/12/08STATE134777.html", "2009/05/09STATE52368.html", "2008/07/08OSLO406.html"]
            .iter()
            .map(|p| cables.join(p).display().to_string())
            .collect();
    let mut ingest = vec!["ingest"];
    ingest.extend(story.iter().map(String::as_str));
    let out = run(&a, &ingest);
    assert!(out.status.success(), "{}", text(&out.stderr));

    let file = tmp.path().join("events.csv");
    std::fs::write(&file, EVENTS).unwrap();
    let nowhere = tmp.path().join("no-archive");
    let out = run(&nowhere, &["events", "import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3), "events are not imported into a new archive");
    assert!(!nowhere.exists());
    let out = run(&a, &["events", "import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "a rejected row is an error: {}", text(&out.stderr));
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(stdout.contains("5 rows, 4 new, 0 unchanged, 1 rejected"), "{stdout}");
    assert!(stderr.contains("events.csv:5: source is empty"), "{stderr}");
    let again = run(&a, &["events", "import", file.to_str().unwrap()]);
    assert!(text(&again.stdout).contains("0 new, 4 unchanged"), "{}", text(&again.stdout));

    let out = run(&a, &["events", "list", "--treaty", "convention on cluster munitions", "--country", "AF"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    assert!(s.starts_with("2 events"), "{s}");
    assert!(s.contains("ratification") && s.contains("3rd"), "Afghanistan is the third of three: {s}");

    let out = run(
        &a,
        &["campaign", "\"cluster munitions\"", "--treaty", "Convention on Cluster Munitions", "--json"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["treaty"], "Convention on Cluster Munitions");
    let countries = v["countries"].as_array().unwrap();
    let af = countries.iter().find(|c| c["country"]["code"] == "AF").expect("Afghanistan");
    assert_eq!(af["country"]["name"], "Afghanistan");
    assert_eq!(af["action_requests"][0], "08STATE134777");
    assert_eq!(af["consent"]["ordinal"], 3);
    assert_eq!(af["events"].as_array().unwrap().len(), 2);
    assert_eq!(af["events"][0]["date"], "2008-12-03");
    assert_eq!(af["per_month"].as_array().unwrap().len(), v["months"].as_array().unwrap().len());
    assert!(countries.iter().any(|c| c["country"]["code"] == "NO"));
    assert!(countries.iter().any(|c| c["country"]["code"] == "UK"));
    let req = &v["action_requests"][0];
    assert_eq!(req["id"], "08STATE134777");
    assert_eq!(req["posts"][0]["station"], "KABUL");
    assert!(req["signals"].as_array().unwrap().iter().any(|s| s["signal"] == "says it is an action request"));

    let out = run(
        &a,
        &["campaign", "\"cluster munitions\"", "--treaty", "Convention on Cluster Munitions", "--csv"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    let mut lines = csv.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("code,iso,name,cables,by_tag,by_origin,by_addressee,replies,first,last"));
    let af_row = csv.lines().find(|l| l.starts_with("AF,AF,Afghanistan,")).expect("an Afghanistan row");
    assert!(af_row.contains("08STATE134777") && af_row.ends_with(",ratification,2011-09-08,3,3"), "{af_row}");

    let out = run(&a, &["campaign", "\"cluster munitions\"", "--csv", "--per-month"]);
    let csv = text(&out.stdout);
    assert!(csv.starts_with("code,iso,name,month,cables"), "{csv}");
    assert!(
        csv.lines().any(|l| l.starts_with("AF,AF,Afghanistan,2008-12,1,08STATE134777,08STATE134777")),
        "{csv}"
    );

    let out = run(&a, &["campaign", "\"cluster munitions\"", "--treaty", "Convention on Cluster Munitions"]);
    let s = text(&out.stdout);
    assert!(s.contains("Afghanistan (AF)") && s.contains("[ACTION REQUEST]"), "{s}");
    assert!(s.contains("says it is an action request (para 1)"), "{s}");
    assert!(s.contains("order of consent"), "{s}");

    let out = run(&a, &["campaign", "\"cluster munitions\"", "--treaty", "Ottawa Convention"]);
    assert_eq!(out.status.code(), Some(2), "an unknown treaty is a bad request");
    assert!(text(&out.stderr).contains("Convention on Cluster Munitions"), "{}", text(&out.stderr));
}
