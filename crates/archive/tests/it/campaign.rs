//! Campaigns across embassies and years, and treaty events beside them.

use std::path::{Path, PathBuf};

use archive::campaign::{CampaignRequest, Reach};
use archive::events::{EventFilter, EventKind};
use archive::{Archive, ErrorKind};

use crate::shared::{cable_dir, corpus_archive, fresh_archive};

const CCM: &str = "Convention on Cluster Munitions";

/// The corpus pages of the cluster-munitions story.
fn story() -> Vec<PathBuf> {
    [
        "2008/12/08STATE134777.html",
        "2009/05/09STATE52368.html",
        "2009/11/09LONDON2598.html",
        "2008/07/08OSLO406.html",
    ]
    .iter()
    .map(|p| cable_dir().join(p))
    .collect()
}

#[test]
fn cluster_munitions_campaign_on_the_corpus() {
    let (a, _) = corpus_archive();
    let c = a.campaign(&CampaignRequest::new("\"cluster munitions\"")).unwrap();
    assert!(c.matched >= 5, "{}", c.matched);
    let country = |code: &str| c.countries.iter().find(|k| k.country.code == code);
    for code in ["AF", "UK", "NO"] {
        assert!(country(code).is_some_and(|k| k.cable_count > 0), "{code} is in the campaign");
    }

    let af = country("AF").unwrap();
    assert_eq!(af.country.name, "Afghanistan");
    let cable =
        af.cables.iter().find(|k| k.id == "08STATE134777").expect("the demarche is under Afghanistan");
    assert_eq!(cable.reached, [Reach::Tag, Reach::Addressee]);
    assert_eq!(cable.stations, ["KABUL"]);
    assert!(cable.action_request);
    assert_eq!(af.action_requests, ["08STATE134777"]);
    assert_eq!(af.first.as_deref(), Some("2008-12-29"));

    let uk = country("UK").unwrap();
    assert!(uk.reached.origin >= 1 && uk.reached.tag >= 1, "{:?}", uk.reached);
    let no = country("NO").unwrap();
    assert!(no.cables.iter().any(|k| k.id == "08OSLO406" && k.reached.contains(&Reach::Origin)));

    // Per-month counts line up with the axis and add up.
    for k in &c.countries {
        assert_eq!(k.per_month.len(), c.months.len());
        assert_eq!(k.per_month.iter().sum::<usize>(), k.cables.iter().filter(|x| x.date.is_some()).count());
    }
    let dec = c.months.iter().position(|m| m == "2008-12").unwrap();
    assert_eq!(af.per_month[dec], 1);

    let r = c.action_requests.iter().find(|r| r.id == "08STATE134777").expect("an action request");
    assert_eq!(r.posts.len(), 1);
    assert_eq!((r.posts[0].station.as_deref(), r.posts[0].role), (Some("KABUL"), "to"));
    assert_eq!(r.posts[0].country.map(|k| k.code), Some("AF"));
    let why: Vec<&str> = r.signals.iter().map(|s| s.signal).collect();
    assert!(why.contains(&"says it is an action request"), "{why:?}");
    assert!(why.contains(&"the Department requests posts"), "{why:?}");
    let said = r.signals.iter().find(|s| s.signal == "says it is an action request").unwrap();
    assert_eq!((said.paragraph, said.matched.as_str()), (Some(1), "action request"));
    // Replies are the citing cables from Kabul; the corpus holds none.
    let from_kabul: Vec<String> =
        a.store().cited_by("08STATE134777").unwrap().into_iter().filter(|id| id.contains("KABUL")).collect();
    assert_eq!(r.replies.iter().map(|x| x.id.clone()).collect::<Vec<_>>(), from_kabul);

    // Cables from posts are never action requests, whatever they say.
    assert!(c.action_requests.iter().all(|r| r.id.contains("STATE")));
    // Not a treaty campaign.
    assert!(c.consent_order.is_empty() && c.treaty.is_none());
}

#[test]
fn a_broader_query_finds_more_and_the_campaign_serialises() {
    let (a, _) = corpus_archive();
    let narrow = a.campaign(&CampaignRequest::new("\"cluster munitions\"")).unwrap();
    let broad = a.campaign(&CampaignRequest::new("\"cluster munitions\" OR CCM")).unwrap();
    assert!(broad.matched >= narrow.matched);
    let json = serde_json::to_value(&broad).unwrap();
    assert!(json["countries"][0]["country"]["name"].is_string());
    assert!(json["countries"][0]["per_month"].is_array());
    let bad = a.campaign(&CampaignRequest::new("\"cluster munitions")).unwrap_err();
    assert_eq!(bad.kind(), ErrorKind::BadRequest);
    let no_treaty = a
        .campaign(&CampaignRequest { query: "\"cluster munitions\"".into(), treaty: Some(CCM.into()) })
        .unwrap_err();
    assert_eq!(no_treaty.kind(), ErrorKind::BadRequest);
    assert!(no_treaty.to_string().contains("demarche events import"), "{no_treaty}");
}

/// A reply from Kabul citing the demarche (not mentioning cluster
/// munitions), and a later State cable citing it.
fn write_replies(dir: &Path) -> Vec<PathBuf> {
    let reply = "O 041200Z JAN 09\nFM AMEMBASSY KABUL\nTO RUEHC/SECSTATE WASHDC IMMEDIATE 0001\n\n\
        C O N F I D E N T I A L KABUL 000012\n\nTAGS PARM, PREL, AF\n\
        SUBJECT: AFGHAN MFA ON ARTICLE 21\n\nREF: 08 STATE 134777\n\n\
        1. (C) Post delivered the points to the MFA on January 3.\n\nWOOD\n";
    let followup = "O 101200Z JAN 09\nFM SECSTATE WASHDC\nTO RUEHLO/AMEMBASSY LONDON IMMEDIATE 0001\n\n\
        C O N F I D E N T I A L STATE 003001\n\nTAGS PARM, PREL, UK\n\
        SUBJECT: ARTICLE 21 INTERPRETATION\n\nREF: 08 STATE 134777\n\n\
        1. (C) For information: our approach to Kabul.\n\nCLINTON\n";
    let mut out = Vec::new();
    for (name, text) in [("reply.txt", reply), ("followup.txt", followup)] {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        out.push(p);
    }
    out
}

#[test]
fn replies_are_found_through_the_reference_graph() {
    let extra = tempfile::tempdir().unwrap();
    let mut paths = story();
    paths.extend(write_replies(extra.path()));
    let (_tmp, a, report) = fresh_archive(&paths);
    assert_eq!(report.new, 6);
    let c = a.campaign(&CampaignRequest::new("\"cluster munitions\"")).unwrap();
    let r = c.action_requests.iter().find(|r| r.id == "08STATE134777").unwrap();
    assert_eq!(r.replies.len(), 1);
    assert_eq!((r.replies[0].id.as_str(), r.replies[0].station.as_str()), ("09KABUL12", "KABUL"));
    assert!(!r.replies[0].matched, "found through the graph, not the query");
    assert_eq!(r.cited_by_others, ["09STATE3001"]);
    let af = c.countries.iter().find(|k| k.country.code == "AF").unwrap();
    assert_eq!(af.replies, ["09KABUL12"]);
    assert_eq!(af.reached.reply, 1);
    let reply = af.cables.iter().find(|k| k.id == "09KABUL12").unwrap();
    assert_eq!(reply.reply_to, ["08STATE134777"]);
    assert!(!reply.matched);
    assert_eq!(af.cable_count, 2);
}

/// A small events file, out of date order, with four states ratifying on
/// the same day, a signature that does not count, a row whose date is not
/// a date and one whose country is unknown.
const EVENTS: &str = "country,date,event,treaty,source\n\
AF,2011-09-08,Ratification,Convention on Cluster Munitions,https://treaties.un.org/ccm\n\
United Kingdom,2010-05-04,Ratification,Convention on Cluster Munitions,https://treaties.un.org/ccm\n\
NO,2008-12-03,Ratification,Convention on Cluster Munitions,https://treaties.un.org/ccm\n\
Ireland,2008-12-03,Ratification,Convention on Cluster Munitions,https://treaties.un.org/ccm\n\
Holy See,2008-12-03,Ratification,Convention on Cluster Munitions,https://treaties.un.org/ccm\n\
Sierra Leone,2008-12-03,Ratification,Convention on Cluster Munitions,https://treaties.un.org/ccm\n\
AF,2008-12-03,Signature,Convention on Cluster Munitions,https://treaties.un.org/ccm\n\
\"Japan\",2009-07-14,Acceptance,\"Convention on Cluster Munitions\",https://treaties.un.org/ccm\n\
Norway,2008-13-40,Ratification,Convention on Cluster Munitions,https://treaties.un.org/ccm\n\
Atlantis,2009-01-01,Ratification,Convention on Cluster Munitions,https://treaties.un.org/ccm\n\
Mexico,2009-05-06,Ratification,Convention on Cluster Munitions,https://treaties.un.org/ccm\n\
NO,1997-12-03,Signature,Ottawa Convention,https://treaties.un.org/mbt\n";

#[test]
fn events_import_idempotently_report_bad_lines_and_join_the_campaign() {
    let (tmp, mut a, _) = fresh_archive(&story());
    let file = tmp.path().join("ccm-events.csv");
    std::fs::write(&file, EVENTS).unwrap();

    let r = a.import_events(&file).unwrap();
    assert_eq!((r.rows, r.new, r.unchanged), (12, 10, 0));
    let lines: Vec<u64> = r.rejected.iter().map(|e| e.line).collect();
    assert_eq!(lines, [10, 11], "{:?}", r.rejected);
    let first = r.rejected[0].to_string();
    assert!(first.contains("ccm-events.csv:10:") && first.contains("2008-13-40"), "{first}");
    assert!(r.rejected[1].message.contains("Atlantis"), "{}", r.rejected[1]);

    let again = a.import_events(&file).unwrap();
    assert_eq!((again.new, again.unchanged, again.rejected.len()), (0, 10, 2), "re-import is idempotent");
    assert_eq!(a.events(&EventFilter::default()).unwrap().len(), 10);

    let af = a
        .events(&EventFilter {
            treaty: Some("convention on cluster munitions".into()),
            country: Some("Afghanistan".into()),
        })
        .unwrap();
    assert_eq!(
        af.iter().map(|e| (e.date.to_string(), e.kind)).collect::<Vec<_>>(),
        [("2008-12-03".to_owned(), EventKind::Signature), ("2011-09-08".to_owned(), EventKind::Ratification)]
    );
    assert_eq!(a.treaties().unwrap(), [(CCM.to_owned(), 9), ("Ottawa Convention".to_owned(), 1)]);
    assert_eq!(
        a.events(&EventFilter { treaty: None, country: Some("CH".into()) }).unwrap_err().kind(),
        ErrorKind::BadRequest,
        "CH is ambiguous"
    );

    let c = a
        .campaign(&CampaignRequest {
            query: "\"cluster munitions\"".into(),
            treaty: Some(CCM.to_uppercase()),
        })
        .unwrap();
    let order: Vec<(&str, usize, usize)> =
        c.consent_order.iter().map(|o| (o.country.code, o.ordinal, o.ordinal_last)).collect();
    assert_eq!(
        order,
        [
            ("VT", 1, 4),
            ("EI", 1, 4),
            ("NO", 1, 4),
            ("SL", 1, 4),
            ("MX", 5, 5),
            ("JA", 6, 6),
            ("UK", 7, 7),
            ("AF", 8, 8)
        ]
    );
    let country = |code: &str| c.countries.iter().find(|k| k.country.code == code).unwrap();
    let af = country("AF");
    assert_eq!(af.events.len(), 2, "the treaty's events only");
    let consent = af.consent.as_ref().unwrap();
    assert_eq!(
        (consent.ordinal, consent.kind, consent.date.to_string().as_str()),
        (8, EventKind::Ratification, "2011-09-08")
    );
    assert!(af.cable_count > 0);
    let mexico = country("MX");
    assert_eq!((mexico.cable_count, mexico.events.len()), (0, 1), "countries with events only are listed");
    assert!(
        c.countries.iter().position(|k| k.country.code == "MX")
            > c.countries.iter().position(|k| k.country.code == "AF")
    );
    // The month axis reaches the last event, for a timeline.
    assert_eq!(c.months.last().map(String::as_str), Some("2011-09"));
    assert_eq!(country("NO").events.len(), 1, "the Ottawa signature is another treaty");

    // Without a treaty, the countries with cables show all their events.
    let c = a.campaign(&CampaignRequest::new("\"cluster munitions\"")).unwrap();
    assert_eq!(c.countries.iter().find(|k| k.country.code == "NO").unwrap().events.len(), 2);
    assert!(c.countries.iter().all(|k| k.cable_count > 0));
}

#[test]
fn a_version_1_archive_upgrades_on_open() {
    let (tmp, a, _) = fresh_archive(&story()[..1]);
    let dir = a.dir().to_path_buf();
    drop(a);
    {
        // Back to what the first release made: no events or dictionaries
        // tables, a recipients table, version 1.
        let conn = rusqlite::Connection::open(dir.join("store.sqlite")).unwrap();
        conn.execute_batch(
            "DROP TABLE events; DROP TABLE dictionaries;
             CREATE TABLE recipients (cable_id TEXT NOT NULL, ordinal INTEGER NOT NULL, role TEXT NOT NULL,
                 routing_indicator TEXT, name TEXT NOT NULL, decoded TEXT, PRIMARY KEY (cable_id, ordinal)) WITHOUT ROWID;
             CREATE INDEX tags_code ON tags (code);
             DROP INDEX edges_alt_dst; ALTER TABLE edges DROP COLUMN alt_dst;
             DROP TABLE audit; DROP TABLE alerts_seen; DROP TABLE alerts; DROP TABLE saved_searches;
             DROP TABLE labels; DROP TABLE stars; DROP TABLE notes; DROP TABLE project_cables;
             DROP TABLE members; DROP TABLE projects; DROP TABLE credentials; DROP TABLE users;
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    assert!(Archive::open_read_only(&dir).is_err(), "read-only opening cannot migrate");
    let a = Archive::open(&dir).unwrap();
    assert_eq!(a.store().schema_version().unwrap(), archive::store::schema::current_version());
    assert!(a.store().contains("08STATE134777").unwrap());
    assert!(a.store().cable("08STATE134777", None).unwrap().subject.contains("CLUSTER MUNITIONS"));
    assert_eq!(a.store().cites("08STATE134777").unwrap(), ["08STATE125608", "08KABUL346"], "edges kept");
    assert!(a.events(&EventFilter::default()).unwrap().is_empty());
    drop(a);
    let mut w = Archive::open_for_write(&dir).unwrap();
    let r = w
        .import_events_text("t.csv", "country,date,event,treaty,source\nAF,2011-09-08,Ratification,CCM,s\n")
        .unwrap();
    assert_eq!(r.new, 1);
    drop(tmp);
}
