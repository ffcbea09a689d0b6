//! Tests over the 1,295 real cables of the shared corpus.

use cable::{Caveat, Level, Precedence, ReferenceKind, TagKind};

use crate::shared::{cable_pages, corpus};

fn cable(id: &str) -> &'static cable::Cable {
    corpus().get(id).unwrap_or_else(|| panic!("{id} is not in the corpus"))
}

#[test]
fn every_cable_of_the_corpus_parses() {
    let pages = cable_pages();
    assert_eq!(pages.len(), 1295, "the shared corpus holds 1,295 cable pages");
    assert_eq!(corpus().len(), 1295, "every page parses to a cable with a distinct published id");
    for c in corpus().values() {
        assert!(!c.raw_body.is_empty(), "{}: empty body", c.id);
        assert!(c.created.is_some(), "{}: no creation date", c.id);
        assert!(c.released.is_some(), "{}: no release date", c.id);
        // A few pages hold a truncated cable that ends after its SUBJECT line.
        assert!(!c.paragraphs.is_empty() || c.raw_body.len() < 1000, "{}: no paragraphs", c.id);
        assert_eq!(c.id.year() % 100, c.published_id[..2].parse::<u16>().unwrap(), "{}", c.id);
    }
}

#[test]
fn the_cluster_munitions_demarche_to_kabul() {
    let c = cable("08STATE134777");
    assert_eq!(c.id.as_str(), "08STATE134777");
    assert_eq!(
        c.classification.to_string(),
        "CONFIDENTIAL",
        "from the link text, not the wrong title attribute"
    );
    assert!(c.caveats.contains(&Caveat::Sipdis));
    assert_eq!(c.subject, "DEMARCHE TO AFGHANISTAN ON CLUSTER MUNITIONS");
    let tags: Vec<&str> = c.tags.iter().map(|t| t.code.as_str()).collect();
    assert_eq!(tags, ["PARM", "MOPS", "PREL", "AF"]);
    assert_eq!(c.tags[3].kind, TagKind::Country);
    assert_eq!(c.tags[0].kind, TagKind::Subject);
    let cited: Vec<&str> = c.cited_ids().iter().map(|i| i.as_str()).collect();
    assert_eq!(cited, ["08STATE125608", "08KABUL346"]);
    let email = c.references.iter().find(|r| r.kind == ReferenceKind::Email).expect("the e-mail reference");
    assert!(email.text.contains("KHAN-MORIMOTO"), "{email:?}");
    assert_eq!(c.created.unwrap().to_string(), "2008-12-29T16:04Z");
    assert_eq!(c.released.unwrap().to_string(), "2010-12-01T23:11Z");
    assert_eq!(c.origin, "Secretary of State");
    // Header: addressed to Kabul, routing indicator decoded.
    let to = &c.header.to[0];
    assert_eq!(to.routing_indicator.as_deref(), Some("RUEHBUL"));
    assert_eq!(to.name, "AMEMBASSY KABUL");
    assert_eq!(to.decoded.as_deref(), Some("AMEMBASSY KABUL"));
    assert_eq!(c.header.precedence, Some(Precedence::Immediate));
    assert_eq!(c.header.from.as_ref().unwrap().name, "SECSTATE WASHDC");
    assert_eq!(c.header.info.len(), 2);
    // E.O. line, Classified By, signer.
    let decl = c.declassification.as_ref().unwrap();
    assert_eq!(decl.date.unwrap().to_string(), "2018-12-29");
    let by = c.classified_by.as_ref().unwrap();
    assert_eq!(by.name.as_deref(), Some("Mark T. Kimmitt"));
    assert_eq!(by.reasons, ['b', 'd']);
    assert_eq!(c.signer.as_deref(), Some("RICE"));
    // Paragraphs with markings; the quote our first users' story rests on.
    let p1 = c.paragraphs.iter().find(|p| p.number == 1).unwrap();
    assert_eq!(p1.marking.as_ref().unwrap().text, "U");
    assert_eq!(p1.text, "This is an action request. See para 2.");
    let p2 = c.paragraphs.iter().find(|p| p.number == 2).unwrap();
    assert_eq!(p2.marking.as_ref().unwrap().text, "SBU");
    assert!(c.summary.as_deref().unwrap().starts_with("Contrary to previous statements"));
    let all: String = c.paragraphs.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("\n");
    assert!(
        all.contains("impair our ability to defend the lives of our soldiers")
            || all.contains("impair our ability")
    );
}

#[test]
fn the_uk_asks_to_remove_cluster_munitions() {
    let c = cable("09STATE52368");
    let cited: Vec<&str> = c.cited_ids().iter().map(|i| i.as_str()).collect();
    assert!(cited.contains(&"08LONDON3082"), "{cited:?}");
    assert!(cited.contains(&"08STATE229199") || cited.contains(&"08STATE129199"), "{cited:?}");
}

#[test]
fn page_breaks_are_kept_raw_but_not_in_paragraph_text() {
    let mut seen = 0;
    for c in corpus().values() {
        for p in &c.paragraphs {
            // (A page cut off mid-marker, "DUSHANBE 00000575  001.2 OF 0...", is left as published.)
            for line in p.text.lines().filter(|l| !l.ends_with("...")) {
                assert!(
                    !line.trim().starts_with(&format!("{} {:08}", c.id.station(), c.id.serial())),
                    "{} paragraph {}: page-break line left in: {line:?}",
                    c.id,
                    p.number
                );
            }
        }
        let marker = format!("{:08}", c.id.serial());
        if c.raw_body.contains(&format!("{marker}  002 OF"))
            || c.raw_body.contains(&format!("{marker} 002 OF"))
        {
            seen += 1;
        }
    }
    assert!(seen > 100, "raw text keeps page-break lines ({seen} multi-page cables)");
}

#[test]
fn redactions_are_counted_and_located() {
    let with: Vec<&cable::Cable> = corpus().values().filter(|c| !c.redactions.is_empty()).collect();
    assert!(with.len() > 50, "many cables of the corpus carry XXXXXXXXXXXX redactions ({})", with.len());
    for c in with {
        for r in &c.redactions {
            let run = &c.raw_body[r.offset..r.offset + r.len];
            assert!(run.bytes().all(|b| b == b'X' || b == b'x'), "{}: {run:?}", c.id);
        }
    }
}

#[test]
fn media_links_are_read() {
    let c = cable("06KIEV1261");
    assert_eq!(c.media, ["http://www.spiegel.de"]);
}

#[test]
fn classification_levels_are_typed() {
    let secret = corpus().values().filter(|c| c.classification.level == Level::Secret).count();
    let noforn = corpus().values().filter(|c| c.classification.noforn).count();
    assert!(secret > 0 && noforn > 0);
}

#[test]
fn country_codes_that_iso_gives_another_country_are_read_from_the_cable() {
    let read = |id: &str, code: &str| {
        let t =
            cable(id).tags.iter().find(|t| t.code == code).unwrap_or_else(|| panic!("{id} is tagged {code}"));
        t.reading.clone().unwrap_or_else(|| panic!("{id}: {code} has a reading"))
    };
    // Beijing tags China with its ISO code
    let r = read("09BEIJING1378", "CN");
    assert_eq!((r.code.as_str(), r.name.as_str(), r.in_doubt), ("CH", "China", true));
    assert!(r.reasoning.as_deref().unwrap().contains("the cable is from BEIJING"), "{r:?}");
    // the Department, writing to Beijing among others
    assert_eq!(read("09STATE11937", "CN").name, "China");
    // London on the IMO's trip to the Korean peninsula
    assert_eq!(read("05LONDON4981", "KR").name, "South Korea");
    // codes only ISO knows
    assert_eq!(read("07BAGHDAD3895", "IQ").code, "IZ");
    assert_eq!(read("09BEIJING2963", "JP").name, "Japan");
    // Belgrade's RS is Serbia; Moscow's is Russia, and not in doubt
    assert_eq!(read("09BELGRADE841", "RS").name, "Serbia");
    let moscow = corpus()
        .values()
        .filter(|c| c.id.station() == "MOSCOW")
        .find_map(|c| c.tags.iter().find(|t| t.code == "RS").and_then(|t| t.reading.clone()));
    let moscow = moscow.expect("a Moscow cable tagged RS");
    assert_eq!((moscow.name.as_str(), moscow.in_doubt), ("Russia", false));
    // Over the corpus: a reading against the Department's code always has
    // evidence from origin, addressees or subject, and says so.
    let mut against = 0;
    for c in corpus().values() {
        for t in &c.tags {
            let Some(r) = &t.reading else { continue };
            if cable::country::country_by_code(&t.code).is_some_and(|d| d.code != r.code) {
                against += 1;
                let why = r.reasoning.as_deref().unwrap_or_default();
                assert!(r.in_doubt, "{}: {} read as {} is shown with its reasons", c.id, t.code, r.name);
                assert!(
                    ["the cable is from", "it is addressed to", "the subject names"]
                        .iter()
                        .any(|w| why.contains(w)),
                    "{}: {} read as {}: {why}",
                    c.id,
                    t.code,
                    r.name
                );
            }
        }
    }
    assert!(against >= 5, "the corpus has cables tagged with ISO codes ({against} read so)");
}
