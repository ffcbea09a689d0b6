//! References that name no year (`REF: STATE 134777`): a January reply to
//! a December request links to the request, and says the year was inferred.

use std::path::{Path, PathBuf};

use archive::graph::Direction;
use archive::{Archive, IngestOptions};

use crate::shared::{cable_dir, parser};

/// A telegram from `station` (serial `serial`) sent on `day` (`15 JAN 09`),
/// whose REF line is `refs`.
fn telegram(dir: &Path, station: &str, serial: u32, dtg: &str, refs: &str) -> PathBuf {
    let text = format!(
        "R {dtg}\nFM AMEMBASSY {station}\nTO SECSTATE WASHDC {serial:04}\n\n\
         C O N F I D E N T I A L {station} {serial:06}\n\n\
         E.O. 12958: DECL: 01/15/2019\nTAGS: PREL, PARM, AF\n\
         SUBJECT: CLUSTER MUNITIONS: REPLY\n\nREF: {refs}\n\n\
         1. (C) Post delivered the demarche.\n\nWOOD\n"
    );
    let path = dir.join(format!("{station}{serial}.txt"));
    std::fs::write(&path, text).unwrap();
    path
}

fn archive_of(tmp: &Path, files: &[PathBuf]) -> Archive {
    let mut a = Archive::open_for_write(&tmp.join("archive")).unwrap();
    let report = a.ingest(files, &parser(), &IngestOptions::default(), &mut |_| {}).unwrap();
    assert_eq!(report.failed, 0, "{:?}", report.failures);
    a
}

#[test]
fn a_january_reply_without_a_year_links_to_the_december_request() {
    let tmp = tempfile::tempdir().unwrap();
    let request = cable_dir().join("2008/12/08STATE134777.html");
    let january = telegram(tmp.path(), "KABUL", 12, "150930Z JAN 09", "STATE 134777");
    let june = telegram(tmp.path(), "OSLO", 400, "150930Z JUN 09", "STATE 134777");
    let written = telegram(tmp.path(), "ROME", 13, "160930Z JAN 09", "09 STATE 134777");
    let a = archive_of(tmp.path(), &[request, january, june, written]);
    let s = a.store();

    // Early in the year, the request of the year before is meant.
    let reply = s.cable("09KABUL12", None).unwrap();
    let cited = s.cited(&reply).unwrap();
    assert_eq!(cited.len(), 1);
    assert_eq!(
        (cited[0].id.as_str(), cited[0].present, cited[0].year_inferred),
        ("08STATE134777", true, true)
    );
    assert_eq!(s.cites("09KABUL12").unwrap(), ["08STATE134777"]);
    // In June, STATE 134777 of the year before is too far back to guess:
    // the reference stays this year's cable (not in the archive), marked inferred.
    let cited = s.cited(&s.cable("09OSLO400", None).unwrap()).unwrap();
    assert_eq!(
        (cited[0].id.as_str(), cited[0].present, cited[0].year_inferred),
        ("09STATE134777", false, true)
    );
    // A reference that writes its year means that year.
    let cited = s.cited(&s.cable("09ROME13", None).unwrap()).unwrap();
    assert_eq!(
        (cited[0].id.as_str(), cited[0].present, cited[0].year_inferred),
        ("09STATE134777", false, false)
    );

    assert_eq!(s.cited_by("08STATE134777").unwrap(), ["09KABUL12"]);
    assert_eq!(s.cited_by("09STATE134777").unwrap(), ["09OSLO400", "09ROME13"]);
    let g = a.refs("08STATE134777", 1, Direction::In).unwrap();
    assert!(g.nodes.iter().any(|n| n.id == "09KABUL12"), "{:?}", g.nodes);
}

#[test]
fn a_same_year_cable_younger_than_the_citing_one_is_not_the_one_meant() {
    // Both years' STATE 134777 are held; the citing cable (January 2009)
    // is older than the 2009 one, so it can only mean December 2008's.
    let tmp = tempfile::tempdir().unwrap();
    let request = cable_dir().join("2008/12/08STATE134777.html");
    let later = tmp.path().join("later.txt");
    std::fs::write(
        &later,
        "R 011200Z DEC 09\nFM SECSTATE WASHDC\nTO AMEMBASSY OSLO 0001\n\n\
         U N C L A S S I F I E D STATE 134777\n\nTAGS: PREL\nSUBJECT: ANOTHER CABLE\n\n1. Text.\n\nCLINTON\n",
    )
    .unwrap();
    let january = telegram(tmp.path(), "KABUL", 12, "150930Z JAN 09", "STATE 134777");
    let a = archive_of(tmp.path(), &[request, later, january]);
    assert!(a.store().contains("09STATE134777").unwrap());
    assert_eq!(a.store().cites("09KABUL12").unwrap(), ["08STATE134777"]);
    assert_eq!(a.store().cited_by("08STATE134777").unwrap(), ["09KABUL12"]);
    assert!(a.store().cited_by("09STATE134777").unwrap().is_empty());
}

#[test]
fn reparse_brings_an_archive_parsed_by_an_older_parser_up_to_this_one() {
    // An archive whose stored parse predates the parser: plant an old parse
    // (a signer read as a classification word, no year-inferred mark on the
    // REF, so no year-before edge) and reparse.
    let tmp = tempfile::tempdir().unwrap();
    let request = cable_dir().join("2008/12/08STATE134777.html");
    let january = telegram(tmp.path(), "KABUL", 12, "150930Z JAN 09", "STATE 134777");
    let a = archive_of(tmp.path(), &[request, january]);
    let encoder = a.store().encoder().unwrap();
    let mut old = a.store().cable("09KABUL12", None).unwrap();
    let new = old.clone();
    old.signer = Some("CONFIDENTIAL".into());
    old.references[0].year_inferred = false;
    let inc = archive::store::Incoming::new(old, String::new(), encoder.as_ref()).unwrap();
    let dir = a.dir().to_path_buf();
    drop(a);
    let db = rusqlite::Connection::open(dir.join("store.sqlite")).unwrap();
    crate::versions::replace_latest_blob(&db, "09KABUL12", &inc.blob);
    db.execute("UPDATE edges SET alt_dst = NULL", []).unwrap();
    drop(db);
    let mut a = Archive::open_for_write(&dir).unwrap();
    a.reindex().unwrap();
    assert!(a.store().cited_by("08STATE134777").unwrap().is_empty());
    assert_eq!(a.store().cable("09KABUL12", None).unwrap().signer.as_deref(), Some("CONFIDENTIAL"));
    assert_eq!(a.search(&archive::SearchRequest::new("signer:WOOD")).unwrap().total, 0);

    let r = a.reparse(&parser(), &mut |_| {}).unwrap();
    assert_eq!((r.versions, r.changed, r.reindexed, r.failed.len()), (2, 1, 1, 0), "{r:?}");
    assert_eq!(a.store().cable("09KABUL12", None).unwrap(), new);
    assert_eq!(a.store().cited_by("08STATE134777").unwrap(), ["09KABUL12"]);
    let hits = a.search(&archive::SearchRequest::new("signer:WOOD")).unwrap();
    assert_eq!(hits.hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), ["09KABUL12"]);
    assert!(a.check().unwrap().ok());
    // Nothing left to do the second time.
    let r = a.reparse(&parser(), &mut |_| {}).unwrap();
    assert_eq!((r.versions, r.changed), (2, 0));
}
