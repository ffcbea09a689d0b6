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

/// Readers of part of a stored cable (search snippets, attribution, campaign
/// outlines) decompress only its first frame, without the raw text: they
/// see exactly the fields a full read gives.
#[test]
fn reading_part_of_a_stored_cable_gives_what_reading_all_of_it_gives() {
    let tmp = tempfile::tempdir().unwrap();
    let a = Archive::open(&archive_of_december_2008(tmp.path())).unwrap();
    let ids: Vec<String> = a.store().latest_versions().unwrap().into_iter().map(|(id, _)| id).collect();
    assert!(ids.len() >= 20, "{} cables", ids.len());
    for id in &ids {
        let cable = a.store().cable(id, None).unwrap();
        assert!(!cable.raw_body.is_empty(), "{id}");
        assert_eq!(a.store().latest_text(id).unwrap(), cable.clean_text(), "{id}");
        // Every field but the raw text (read as empty), as a full read gives it.
        let part: cable::Cable = a.store().latest_as(id).unwrap();
        assert!(part.raw_header.is_empty() && part.raw_body.is_empty(), "{id}");
        let without_raw = cable::Cable { raw_header: String::new(), raw_body: String::new(), ..cable };
        assert!(part == without_raw, "{id}: a part read differs from the full read");
    }
}

/// An archive of the corpus's December 2008 cables in `tmp`: its directory.
fn archive_of_december_2008(tmp: &std::path::Path) -> std::path::PathBuf {
    let dir = tmp.join("archive");
    let mut a = Archive::open_for_write(&dir).unwrap();
    a.ingest(&[cable_dir().join("2008/12")], &parser(), &IngestOptions::default(), &mut |_| {}).unwrap();
    dir
}

/// Overwrites the stored blob of cable `id`'s latest version, as a
/// damaged disk or an older demarche would have left it.
pub fn replace_latest_blob(db: &rusqlite::Connection, id: &str, blob: &[u8]) {
    let n = db
        .execute(
            "UPDATE versions SET cable = ?1 WHERE version_id = (SELECT latest_version FROM cables WHERE id = ?2)",
            rusqlite::params![blob, id],
        )
        .unwrap();
    assert_eq!(n, 1, "{id} has a latest version");
}

/// Archives made before cables were stored in two frames hold one zstd frame
/// with the whole cable's JSON: they read back exactly as before, in full
/// and in part, and pass `check`.
#[test]
fn cables_stored_in_one_frame_by_an_older_version_read_back_the_same() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = archive_of_december_2008(tmp.path());
    let a = Archive::open(&dir).unwrap();
    let ids: Vec<String> = a.store().latest_versions().unwrap().into_iter().map(|(id, _)| id).collect();
    let before: Vec<(cable::Cable, String)> = ids
        .iter()
        .map(|id| (a.store().cable(id, None).unwrap(), a.store().latest_text(id).unwrap()))
        .collect();
    let search = |a: &Archive| {
        let hits = a.search(&archive::SearchRequest::new("\"cluster munitions\"")).unwrap().hits;
        hits.into_iter()
            .map(|h| (h.id, h.snippets.into_iter().map(|s| s.text).collect::<Vec<_>>()))
            .collect::<Vec<_>>()
    };
    let found = search(&a);
    assert!(!found.is_empty() && found.iter().all(|(_, s)| !s.is_empty()), "{found:?}");
    drop(a);

    // Rewrite every stored cable as an older demarche wrote it.
    {
        let db = rusqlite::Connection::open(dir.join("store.sqlite")).unwrap();
        for (cable, _) in &before {
            let old = zstd::bulk::compress(&serde_json::to_vec(cable).unwrap(), 3).unwrap();
            assert_eq!(archive::store::codec::split(&old).unwrap().1, None, "one frame");
            replace_latest_blob(&db, cable.id.as_str(), &old);
        }
    }
    let a = Archive::open(&dir).unwrap();
    for (cable, text) in &before {
        let id = cable.id.as_str();
        assert_eq!(&a.store().cable(id, None).unwrap(), cable, "{id}");
        assert_eq!(&a.store().latest_text(id).unwrap(), text, "{id}");
    }
    assert_eq!(search(&a), found);
    let report = a.check().unwrap();
    assert!(report.ok(), "{report:?}");
}

#[test]
fn a_stored_cable_damaged_anywhere_fails_to_read_and_never_reads_as_other_text() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = archive_of_december_2008(tmp.path());
    let id = "08STATE134777";
    let a = Archive::open(&dir).unwrap();
    let (cable, text) = (a.store().cable(id, None).unwrap(), a.store().latest_text(id).unwrap());

    let db = rusqlite::Connection::open(dir.join("store.sqlite")).unwrap();
    db.pragma_update(None, "synchronous", "OFF").unwrap();
    let blob: Vec<u8> = db
        .query_row(
            "SELECT cable FROM versions WHERE version_id = (SELECT latest_version FROM cables WHERE id = ?1)",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    let put = |b: &[u8]| replace_latest_blob(&db, id, b);
    let (mut whole_wrong, mut part_wrong, mut refused) = (Vec::new(), Vec::new(), 0);
    for at in 0..blob.len() {
        let mut damaged = blob.clone();
        damaged[at] ^= 0x04;
        put(&damaged);
        match a.store().cable(id, None) {
            Ok(read) if read != cable => whole_wrong.push(at),
            Ok(_) => {}
            Err(e) => {
                refused += 1;
                assert!(e.to_string().contains(id), "the error names the cable: {e}");
            }
        }
        if a.store().latest_text(id).is_ok_and(|read| read != text) {
            part_wrong.push(at);
        }
    }
    put(&blob);
    assert!(
        whole_wrong.is_empty(),
        "damage at {whole_wrong:?} of {} bytes read as another cable",
        blob.len()
    );
    assert!(part_wrong.is_empty(), "damage at {part_wrong:?} of {} bytes read as other text", blob.len());
    assert!(refused * 10 > blob.len() * 9, "only {refused} of {} damaged bytes were noticed", blob.len());
    assert_eq!(a.store().cable(id, None).unwrap(), cable);
}
