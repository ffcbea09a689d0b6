//! Versions: the same id with different content is a new version, never an overwrite.

use archive::diff::Change;
use archive::{Archive, IngestOptions};

use crate::shared::{cable_dir, parser};

#[test]
fn a_modified_copy_becomes_a_second_version_and_diff_shows_it() {
    let tmp = tempfile::tempdir().unwrap();
    let original = cable_dir().join("2008/12/08STATE134777.html");
    let page = std::fs::read_to_string(&original).unwrap();
    // A later release that redacts a name and changes a word.
    let modified =
        page.replace("Katherine Baker", "XXXXXXXXXXXX").replace("low-profile approach", "quiet approach");
    assert_ne!(page, modified);
    let copy = tmp.path().join("08STATE134777-redacted.html");
    std::fs::write(&copy, modified).unwrap();

    let mut a = Archive::open_for_write(&tmp.path().join("archive")).unwrap();
    let r1 =
        a.ingest(std::slice::from_ref(&original), &parser(), &IngestOptions::default(), &mut |_| {}).unwrap();
    assert_eq!(r1.new, 1);
    let r2 =
        a.ingest(std::slice::from_ref(&copy), &parser(), &IngestOptions::default(), &mut |_| {}).unwrap();
    assert_eq!((r2.new, r2.new_versions), (0, 1));
    let r3 = a.ingest(&[original, copy], &parser(), &IngestOptions::default(), &mut |_| {}).unwrap();
    assert_eq!(r3.unchanged, 2, "both versions are known");

    let versions = a.versions("08STATE134777").unwrap();
    assert_eq!(versions.len(), 2);
    assert_ne!(versions[0].content_hash, versions[1].content_hash);
    let d = a.diff("08STATE134777", None).unwrap();
    assert!(d.changes.contains(&Change::Removed("Katherine Baker".into())), "{:?}", d.changes);
    assert!(d.changes.iter().any(|c| matches!(c, Change::Added(s) if s.contains("XXXXXXXXXXXX"))));
    assert!(d.changes.iter().any(|c| matches!(c, Change::Removed(s) if s.contains("low-profile"))));
    // The old version is still there, whole.
    let v1 = a.store().cable("08STATE134777", Some(1)).unwrap();
    assert!(v1.raw_body.contains("Katherine Baker"));
    let latest = a.store().cable("08STATE134777", None).unwrap();
    let names = v1.raw_body.matches("Katherine Baker").count();
    assert!(names >= 1);
    assert_eq!(latest.redactions.len(), names, "each redacted name is a located redaction");
    // The index serves the latest version only.
    assert_eq!(a.search(&archive::SearchRequest::new("\"Katherine Baker\"")).unwrap().total, 0);
    assert_eq!(a.search(&archive::SearchRequest::new("\"quiet approach\"")).unwrap().total, 1);
    assert!(a.check().unwrap().ok());
    assert!(matches!(a.diff("08STATE134777", Some((1, 3))), Err(archive::Error::VersionNotFound { .. })));
}
