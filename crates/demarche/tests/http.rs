//! HTTP tests of every route, without a socket (`tower::ServiceExt::oneshot`),
//! and of how a live server on loopback treats slow, silent, greedy and
//! non-reading clients.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use demarche::server::{router, AppState, ConnectionLimits};
use tower::ServiceExt;

fn shared() -> PathBuf {
    std::env::var_os("DEMARCHE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"))
}

/// An archive of the 2008-2009 corpus cables plus one hostile cable.
fn archive_dir() -> &'static Path {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, dir) = DIR.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let hostile = tmp.path().join("hostile.txt");
        std::fs::write(
            &hostile,
            "O 011200Z JAN 09\nFM SECSTATE WASHDC\nTO RUEHBUL/AMEMBASSY KABUL IMMEDIATE 0000\n\n\
             U N C L A S S I F I E D STATE 999001\n\nSUBJECT: <script>alert('subject')</script> & \"QUOTES\"\n\n\
             1. (U) Text with <script>alert(1)</script> and <b>bold</b> & ampersands.\n\nRICE\n",
        )
        .unwrap();
        let dir = tmp.path().join("archive");
        let parser = cable::Parser::new(cable::ReferenceData::load_dir(&shared().join("reference")).unwrap());
        let corpus = shared().join("corpus/wikileaks-cablegate-2010-12-10/cable");
        let mut a = archive::Archive::open_for_write(&dir).unwrap();
        let r = a
            .ingest(&[corpus.join("2008"), corpus.join("2009"), hostile], &parser, &archive::IngestOptions::default(), &mut |_| {})
            .unwrap();
        assert_eq!(r.failed, 0, "{:?}", r.failures);
        // A second release of 09STATE52368 with a name redacted: two versions.
        let original = std::fs::read_to_string(corpus.join("2009/05/09STATE52368.html")).unwrap();
        let redacted = tmp.path().join("09STATE52368.html");
        std::fs::write(&redacted, original.replace("Pickard", "XXXXXXXXXXXX")).unwrap();
        let r = a.ingest(&[redacted], &parser, &archive::IngestOptions::default(), &mut |_| {}).unwrap();
        assert_eq!(r.new_versions, 1, "{r:?}");
        // Treaty events, written for the test.
        let events = "country,date,event,treaty,source\n\
                      NO,2008-12-03,Ratification,CCM,test\n\
                      UK,2010-05-04,Ratification,CCM,test\n\
                      AF,2011-09-08,Ratification,CCM,test\n";
        a.import_events_text("events.csv", events).unwrap();
        (tmp, dir)
    });
    dir
}

async fn get(uri: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    let app = router(AppState::open(archive_dir()).unwrap());
    let res = app.oneshot(Request::builder().uri(uri).body(Body::empty()).unwrap()).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = axum::body::to_bytes(res.into_body(), 16 << 20).await.unwrap();
    (status, headers, String::from_utf8_lossy(&bytes).into_owned())
}

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

#[tokio::test]
async fn api_search_finds_the_story_and_bad_input_is_400() {
    let (s, h, body) = get("/api/search?q=%22cluster%20munitions%22&facets=true&histogram=true").await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert!(h["content-type"].to_str().unwrap().starts_with("application/json"));
    let v = json(&body);
    let ids: Vec<&str> = v["hits"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert!(ids[..3].contains(&"08STATE134777") && ids[..3].contains(&"09STATE52368"), "{ids:?}");
    assert!(v["facets"]["tags"].as_array().unwrap().len() > 1);
    assert!(v["histogram"].as_array().unwrap().iter().any(|m| m["value"] == "2008-12"));

    for bad in [
        "/api/search?q=%22cluster",
        "/api/search?q=tags:PARM",
        "/api/search?q=x&per_page=1000",
        "/api/search?q=x&page=abc",
        "/api/search?q=x&page=0",
        "/api/search?q=x&page=99999999",
        "/api/search?q=x&sort=sideways",
        "/api/search?q=id:nonsense",
    ] {
        let (s, _, body) = get(bad).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {body}");
        let v = json(&body);
        assert!(!v["error"].as_str().unwrap().is_empty(), "{bad}");
    }
    let long = format!("/api/search?q={}", "a".repeat(2000));
    assert_eq!(get(&long).await.0, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn api_cable_refs_versions_diff() {
    let (s, _, body) = get("/api/cable/08STATE134777").await;
    assert_eq!(s, StatusCode::OK);
    let v = json(&body);
    assert_eq!(v["cable"]["subject"], "DEMARCHE TO AFGHANISTAN ON CLUSTER MUNITIONS");
    assert_eq!(
        v["cited"][0],
        serde_json::json!({"id": "08STATE125608", "present": false, "year_inferred": true})
    );
    // KABUL 71 names no year: this year's, and said to be inferred, in the JSON and on the page.
    let k = json(&get("/api/cable/09KABUL140").await.2);
    let kabul71 = k["cited"].as_array().unwrap().iter().find(|c| c["id"] == "09KABUL71").cloned();
    assert_eq!(kabul71, Some(serde_json::json!({"id": "09KABUL71", "present": true, "year_inferred": true})));
    let page = get("/cable/09KABUL140").await.2;
    assert!(page.contains("href=\"/cable/09KABUL71\"") && page.contains("year inferred"), "{page}");
    assert!(v["cable"]["raw_body"].as_str().unwrap().contains("narrow interpretation"));
    let (s, _, body) = get("/api/cable/08%20SECSTATE%20134777").await;
    assert_eq!(s, StatusCode::OK, "any spelling of the id: {body}");
    let (s, _, body) = get("/api/cable/99NOWHERE1").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(json(&body)["error"].as_str().unwrap().contains("not in the archive"));
    assert_eq!(get("/api/cable/garbage!").await.0, StatusCode::BAD_REQUEST);

    let (s, _, body) = get("/api/cable/08STATE134777/refs?depth=1&direction=out").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(json(&body)["nodes"].as_array().unwrap().len(), 3);
    assert_eq!(get("/api/cable/08STATE134777/refs?depth=99").await.0, StatusCode::BAD_REQUEST);
    assert_eq!(get("/api/cable/08STATE134777/refs?direction=up").await.0, StatusCode::BAD_REQUEST);

    let (s, _, body) = get("/api/cable/08STATE134777/versions").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(json(&body).as_array().unwrap().len(), 1);
    let (s, _, body) = get("/api/cable/08STATE134777/diff").await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "one version only: {body}");
    assert_eq!(get("/api/cable/08STATE134777/diff?a=1").await.0, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_iso_country_code_is_read_from_the_cable_and_shown_with_its_reasons() {
    // Beijing tagged China CN, which is Comoros in the Department's codes.
    let v = json(&get("/api/cable/09BEIJING1378").await.2);
    let cn = v["cable"]["tags"].as_array().unwrap().iter().find(|t| t["code"] == "CN").cloned().unwrap();
    assert_eq!((&cn["reading"]["code"], &cn["reading"]["name"]), (&"CH".into(), &"China".into()), "{cn}");
    assert_eq!(cn["reading"]["in_doubt"], true);
    let page = get("/cable/09BEIJING1378").await.2;
    assert!(page.contains("country: China") && page.contains("read from the cable"), "{page}");
    assert!(page.contains("CN is Comoros in the Department") && page.contains("the cable is from BEIJING"));
    // found under China's code as well, and counted there
    let hits = json(&get("/api/search?q=tag:CH%20AND%20id:09BEIJING1378").await.2);
    assert_eq!(hits["total"], 1, "{hits}");
    // a plain reading carries no reasons to show
    let af = json(&get("/api/cable/08STATE134777").await.2);
    let af = af["cable"]["tags"].as_array().unwrap().iter().find(|t| t["code"] == "AF").cloned().unwrap();
    assert_eq!(
        af["reading"],
        serde_json::json!({"code": "AF", "name": "Afghanistan", "basis": "unambiguous"})
    );
}

#[tokio::test]
async fn section_headings_are_shown_as_headings_not_glued_to_a_paragraph() {
    let page = get("/cable/09BRASILIA34").await.2;
    let at = page.find("<h3 class=\"section\">INDEPENDENCE</h3>").unwrap_or_else(|| panic!("{page}"));
    assert!(page[at..].contains("<h3 class=\"section\">MILITARY RESTRUCTURING</h3>"));
    let v = json(&get("/api/cable/09BRASILIA34").await.2);
    let paragraphs = v["cable"]["paragraphs"].as_array().unwrap();
    assert!(paragraphs.iter().any(|p| p["heading"] == "INDEPENDENCE"));
    assert!(paragraphs.iter().all(|p| !p["text"].as_str().unwrap().trim_end().ends_with("INDEPENDENCE")));
}

#[tokio::test]
async fn a_misspelt_search_offers_the_archive_s_spelling_and_bad_fuzzy_words_are_400() {
    let v = json(&get("/api/search?q=munitoins").await.2);
    assert_eq!(v["total"], 0);
    assert_eq!(v["did_you_mean"]["query"], "munitions", "{v}");
    assert!(v["did_you_mean"]["total"].as_u64().unwrap() > 5);
    let page = get("/?q=munitoins").await.2;
    assert!(page.contains("Did you mean") && page.contains("href=\"/?q=munitions\""), "{page}");
    let (s, _, body) = get("/api/search?q=Qadhafi~3").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(json(&body)["error"].as_str().unwrap().contains("at most 2 edits"), "{body}");
    let accented = json(&get("/api/search?q=Ch%C3%A1vez").await.2)["total"].clone();
    assert_eq!(accented, json(&get("/api/search?q=chavez").await.2)["total"]);
}

#[tokio::test]
async fn pages_render_and_link() {
    let (s, h, body) = get("/?q=%22cluster+munitions%22").await;
    assert_eq!(s, StatusCode::OK);
    assert!(h["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(body.contains("href=\"/cable/08STATE134777\""), "{body}");
    assert!(body.contains("<mark>"), "snippets highlighted");
    assert!(body.contains("tag%3APARM") || body.contains("tag:PARM"), "facet links");

    let (s, _, body) = get("/cable/08STATE134777").await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("id=\"p3\""), "paragraph anchors");
    assert!(body.contains("(SBU)"), "markings shown");
    assert!(body.contains("08STATE125608 (not in archive)"), "missing references marked");
    assert!(body.contains("RUEHBUL = AMEMBASSY KABUL"));

    // A present reference links to its page: 09STATE52368 cites cables; find one the archive holds.
    let (_, _, body) = get("/").await;
    assert!(body.contains("<strong>1011</strong> cables") || body.contains("cables. Try"), "{body}");
    let (s, _, _) = get("/static/style.css").await;
    assert_eq!(s, StatusCode::OK);
    for missing in ["/nope", "/static/../Cargo.toml", "/static/%2e%2e/Cargo.toml", "/cable/99NOWHERE1"] {
        let (s, _, _) = get(missing).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{missing}");
    }
    let (s, _, body) = get("/?q=%22unbalanced").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(body.contains("role=\"alert\""));
}

#[tokio::test]
async fn script_in_cables_and_queries_comes_back_inert() {
    let (s, _, body) = get("/cable/09STATE999001").await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert!(!body.contains("<script>"), "cable text escaped: {body}");
    assert!(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!body.contains("<b>bold</b>"));
    let (_, _, body) = get("/?q=%3Cscript%3Ealert(2)%3C%2Fscript%3E").await;
    assert!(!body.contains("<script>alert(2)"), "query escaped");
    let (_, _, body) = get("/?q=alert").await;
    assert!(!body.contains("<script>"), "snippets escaped: {body}");
}

#[tokio::test]
async fn security_headers_on_every_response() {
    for uri in ["/", "/?q=kabul", "/cable/08STATE134777", "/api/search?q=kabul", "/nope", "/api/search?q=%22"]
    {
        let (_, h, _) = get(uri).await;
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"), "{uri}: {csp}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{uri}");
        assert_eq!(h["x-frame-options"], "DENY", "{uri}");
    }
}

#[tokio::test]
async fn versions_are_permalinked_and_the_redaction_diff_is_shown() {
    let (s, _, body) = get("/cable/09STATE52368").await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("version 2 of 2"), "{body}");
    assert!(body.contains("<del>Pickard</del>"), "the redacted name struck out: {body}");
    assert!(body.contains("<ins>XXXXXXXXXXXX</ins>"));
    assert!(body.contains("href=\"/cable/09STATE52368?v=1\""), "older version linked");
    let (s, _, body) = get("/cable/09STATE52368?v=1").await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("version 1 of 2") && body.contains("Pickard agreed"), "version 1 text");
    assert!(body.contains("/cable/09STATE52368?v=1"), "cite block names the version");
    for bad in ["/cable/09STATE52368?v=3", "/cable/09STATE52368?v=0", "/cable/09STATE52368?v=x"] {
        assert_eq!(get(bad).await.0, StatusCode::BAD_REQUEST, "{bad}");
    }
    let (s, _, body) = get("/api/cable/09STATE52368?v=1").await;
    assert_eq!(s, StatusCode::OK);
    let v = json(&body);
    assert_eq!(v["version"], 1);
    assert!(v["cable"]["raw_body"].as_str().unwrap().contains("Pickard"));
    let (_, _, body) = get("/api/cable/09STATE52368/diff").await;
    let d = json(&body);
    // "Pickard" is named 14 times: 14 words out, 14 redactions in.
    assert_eq!((d["removed_words"].as_u64(), d["added_words"].as_u64()), (Some(14), Some(14)));
}

#[tokio::test]
async fn search_page_draws_the_histogram_and_cable_page_the_graph() {
    let (_, _, body) = get("/?q=%22cluster+munitions%22").await;
    let svg = &body[body.find("<svg").expect("histogram inlined")..];
    assert!(svg.contains("<rect"), "bars");
    assert!(body.contains("Matching cables per month"));
    assert!(body.contains("/export?q=") && body.contains("format=csv") && body.contains("format=json"));
    assert!(body.contains("format=zip"), "texts as a ZIP");
    let (_, _, body) = get("/cable/08STATE134777").await;
    let svg = &body[body.find("<svg").expect("graph inlined")..];
    assert!(svg.contains("08STATE125608"), "cited cable drawn");
    assert!(body.contains("subject: arms control and disarmament"), "TAGS explained");
    assert!(body.contains("country: Afghanistan"));
}

#[tokio::test]
async fn exact_word_forms_hold_across_the_api_the_page_its_links_and_the_export() {
    let count = |body: &str| json(body)["total"].as_u64().unwrap();
    let stemmed = count(&get("/api/search?q=munition").await.2);
    let exact = count(&get("/api/search?q=munition&stem=false").await.2);
    assert_eq!(
        exact,
        count(&get("/api/search?q=%3Dmunition").await.2),
        "stem=false reads munition as =munition"
    );
    assert!(exact < stemmed, "{exact} < {stemmed}");
    let (_, _, page) = get("/?q=munition&stem=false&variants=false").await;
    assert!(page.contains(&format!("{exact} cable")), "the page counts what the API counts");
    // every link that keeps the query keeps how its words are matched
    let links: Vec<&str> = page.split("href=\"").skip(1).filter_map(|s| s.split('"').next()).collect();
    let kept: Vec<&&str> =
        links.iter().filter(|l| l.contains("q=munition") && !l.contains("/cable/")).collect();
    assert!(kept.len() >= 5, "sorts, facets and exports: {kept:?}");
    let switch = links.iter().filter(|l| l.contains("q=munition") && !l.contains("stem=false")).count();
    assert_eq!(switch, 1, "only the switch back to word forms drops stem=false: {kept:?}");
    assert!(kept.iter().all(|l| l.contains("variants=false")), "{kept:?}");
    assert!(page.contains("match word forms"));
    let (_, h, _) = get("/export?q=munition&stem=false&format=json").await;
    assert_eq!(
        h["x-total-count"].to_str().unwrap(),
        exact.to_string(),
        "the export exports what was counted"
    );
    let (_, _, page) = get("/?q=munition").await;
    assert!(page.contains("exact word forms only") && page.contains("stem=false"));
}

#[tokio::test]
async fn browse_by_every_facet_links_to_searches() {
    let (s, _, body) = get("/browse").await;
    assert_eq!(s, StatusCode::OK);
    for by in ["origin", "tag", "classification", "caveat", "year", "month"] {
        assert!(body.contains(&format!("href=\"/browse/{by}\"")), "{by}");
        let (s, _, page) = get(&format!("/browse/{by}")).await;
        assert_eq!(s, StatusCode::OK, "{by}");
        assert!(page.contains("<table>"), "{by}");
        let (s, _, api) = get(&format!("/api/browse/{by}")).await;
        assert_eq!(s, StatusCode::OK, "{by}");
        assert!(!json(&api).as_array().unwrap().is_empty(), "{by}");
    }
    let (_, _, page) = get("/browse/origin").await;
    assert!(page.contains("origin%3A%22Embassy+Kabul%22"), "a value links to its search: {page}");
    let months = json(&get("/api/browse/month").await.2);
    let months: Vec<&str> = months.as_array().unwrap().iter().map(|m| m["value"].as_str().unwrap()).collect();
    assert!(months.windows(2).all(|w| w[0] < w[1]) && months.contains(&"2008-12"), "{months:?}");
    assert_eq!(get("/browse/colour").await.0, StatusCode::NOT_FOUND);
    let (s, _, body) = get("/api/browse/colour").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(json(&body)["error"].as_str().unwrap().contains("origin"));
}

#[tokio::test]
async fn search_results_export_as_csv_and_json() {
    let total = json(&get("/api/search?q=kabul").await.2)["total"].as_u64().unwrap();
    assert!(total > 10, "more than one page");
    let (s, h, csv) = get("/export?q=kabul&sort=date").await;
    assert_eq!(s, StatusCode::OK, "{csv}");
    assert!(h["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(h["content-disposition"].to_str().unwrap().starts_with("attachment"));
    assert_eq!(h["x-total-count"].to_str().unwrap(), total.to_string());
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines[0], "id,created,origin,classification,subject,url");
    assert_eq!(lines.len() as u64, total + 1, "every hit, not one page");
    let dates: Vec<&str> = lines[1..].iter().map(|l| l.split(',').nth(1).unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first");
    let (s, _, body) = get("/export?q=kabul&format=json").await;
    assert_eq!(s, StatusCode::OK);
    let e = json(&body);
    assert_eq!(e["rows"].as_array().unwrap().len() as u64, total);
    assert_eq!(e["total"].as_u64(), Some(total));
    assert!(e["rows"][0]["url"].as_str().unwrap().starts_with("/cable/"));
    // Ranked, the export is the search's pages end to end.
    let mut paged = Vec::new();
    for page in 1..=total.div_ceil(100) {
        let (_, _, body) = get(&format!("/api/search?q=kabul&per_page=100&page={page}")).await;
        for h in json(&body)["hits"].as_array().unwrap() {
            paged.push(h["id"].as_str().unwrap().to_owned());
        }
    }
    let exported: Vec<&str> =
        e["rows"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(exported, paged, "the export's order is the search's");
    let (s, h, lines) = get("/export?q=kabul&format=jsonl&sort=date_asc").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h["content-type"], "application/x-ndjson");
    let rows: Vec<serde_json::Value> = lines.lines().map(json).collect();
    assert_eq!(rows.len() as u64, total);
    let dates: Vec<&str> = rows.iter().map(|r| r["created"].as_str().unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "oldest first");
    for bad in ["/export?q=kabul&format=xml", "/export?q=", "/export?q=%22open", "/export?q=x&sort=up"] {
        let (s, _, body) = get(bad).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {body}");
    }
}

/// `unzip`'s answer about a ZIP file: what it printed, or why it failed.
fn unzip(args: &[&str], zip: &Path) -> String {
    let out = std::process::Command::new("unzip")
        .args(args)
        .arg(zip)
        .output()
        .expect("unzip (Debian package unzip, installed by scripts/test-deps) checks the ZIP exports");
    assert!(out.status.success(), "unzip {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn a_search_exports_as_a_zip_of_the_cables_texts_as_published() {
    let (s, h, ids) = get("/export?q=%22cluster%20munitions%22&format=csv").await;
    assert_eq!(s, StatusCode::OK);
    let total: usize = h["x-total-count"].to_str().unwrap().parse().unwrap();
    let ids: Vec<&str> = ids.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    let app = router(AppState::open(archive_dir()).unwrap());
    let res = app
        .oneshot(
            Request::builder()
                .uri("/export?q=%22cluster%20munitions%22&format=zip")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/zip");
    assert!(res.headers()["content-disposition"].to_str().unwrap().ends_with(".zip\""));
    let bytes = axum::body::to_bytes(res.into_body(), 64 << 20).await.unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("export.zip");
    std::fs::write(&file, &bytes).unwrap();
    assert!(unzip(&["-t"], &file).contains("No errors detected"));
    let names: Vec<String> = unzip(&["-Z1"], &file).lines().map(str::to_owned).collect();
    let wanted: Vec<String> = ids.iter().map(|id| format!("{id}.txt")).collect();
    assert_eq!(names.len(), total);
    assert_eq!(names, wanted, "a file per hit, in the search's order");
    // The file is the cable as published: header and body, byte for byte.
    let out =
        std::process::Command::new("unzip").arg("-p").arg(&file).arg("08STATE134777.txt").output().unwrap();
    let published = String::from_utf8(out.stdout).unwrap();
    let cable = json(&get("/api/cable/08STATE134777").await.2);
    let body = cable["cable"]["raw_body"].as_str().unwrap();
    let header = cable["cable"]["raw_header"].as_str().unwrap();
    assert!(published.ends_with(body), "the body as published");
    assert!(published.starts_with(header.trim_end()), "after the routing header");
    assert!(published.contains("narrow interpretation"));
    // Its modification time is the cable's: 2008-12.
    let listing = unzip(&["-Z", "-T"], &file);
    let line = listing.lines().find(|l| l.ends_with("08STATE134777.txt")).unwrap();
    assert!(line.contains(" 200812"), "{line}");
}

#[tokio::test]
async fn the_openapi_document_describes_every_json_route() {
    let (s, _, body) = get("/api/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    let doc = json(&body);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/api/search",
        "/api/cable/{id}",
        "/api/cable/{id}/refs",
        "/api/cable/{id}/versions",
        "/api/cable/{id}/diff",
        "/api/browse/{by}",
        "/api/campaign",
        "/api/attribute",
        "/api/coverage",
        "/export",
        "/api/session",
        "/api/projects",
        "/api/projects/{id}",
        "/api/projects/{id}/members",
        "/api/projects/{id}/cables",
        "/api/projects/{id}/notes",
        "/api/projects/{id}/export",
        "/api/projects/{id}/searches",
        "/api/notes",
        "/api/cable/{id}/notes",
        "/api/cable/{id}/marks",
        "/api/alerts",
        "/api/audit",
    ] {
        assert!(paths.contains_key(p), "{p} documented");
    }
    let search_params: Vec<&str> = paths["/api/search"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for name in ["q", "page", "per_page", "sort", "facets", "histogram"] {
        assert!(search_params.contains(&name), "{name} in {search_params:?}");
    }
    // What the schemas say is what the API answers.
    let schemas = &doc["components"]["schemas"];
    let answer = json(&get("/api/search?q=kabul&facets=true&histogram=true").await.2);
    for (key, _) in answer.as_object().unwrap() {
        assert!(schemas["SearchResults"]["properties"].get(key).is_some(), "SearchResults.{key} documented");
    }
    let cable = json(&get("/api/cable/08STATE134777").await.2);
    for (key, _) in cable["cable"].as_object().unwrap() {
        assert!(schemas["Cable"]["properties"].get(key).is_some(), "Cable.{key} documented");
    }
    assert!(schemas["ErrorBody"]["properties"].get("error").is_some());
}

#[tokio::test]
async fn the_campaign_page_and_api_show_countries_requests_and_events() {
    let (s, _, body) = get("/campaign?q=%22cluster+munitions%22&treaty=CCM").await;
    assert_eq!(s, StatusCode::OK, "{body}");
    for country in ["Afghanistan", "United Kingdom", "Norway"] {
        assert!(body.contains(country), "{country}");
    }
    let requests = &body[body.find("<h2>Action requests</h2>").expect("action requests listed")..];
    assert!(requests.contains("href=\"/cable/08STATE134777\""), "{requests}");
    assert!(requests.contains("AMEMBASSY KABUL"), "sent to Kabul");
    let svg = &body[body.find("<svg").expect("timeline drawn")..];
    assert!(svg.contains("<circle") && svg.contains("<path"), "cables as dots, events as diamonds");
    assert!(body.contains("consent no. 1"), "Norway ratified first");

    let (s, _, body) = get("/api/campaign?q=%22cluster+munitions%22&treaty=CCM").await;
    assert_eq!(s, StatusCode::OK);
    let v = json(&body);
    let names: Vec<&str> =
        v["countries"].as_array().unwrap().iter().map(|c| c["country"]["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"Afghanistan") && names.contains(&"Norway"), "{names:?}");
    assert_eq!(v["action_requests"][0]["id"], "08STATE134777");
    let order: Vec<&str> = v["consent_order"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["country"]["code"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["NO", "UK", "AF"]);

    let (s, _, body) = get("/campaign").await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("name=\"treaty\""), "the form");
    for bad in ["/api/campaign?q=", "/api/campaign?q=%22open", "/api/campaign?q=x&treaty=No+Such+Treaty"] {
        let (s, _, body) = get(bad).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {body}");
    }
    assert_eq!(get("/campaign?q=%22open").await.0, StatusCode::BAD_REQUEST);
}

async fn send(req: Request<Body>) -> (StatusCode, String) {
    let app = router(AppState::open(archive_dir()).unwrap());
    let res = app.oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), 16 << 20).await.unwrap();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

const ARTICLE: &str =
    "The State Department told Kabul that \u{201c}a narrow interpretation of Article 21 by \
    GIRoA will impair our ability to defend the lives of our soldiers,\u{201d} a cable shows. \
    \"We will never sign a treaty written in <script>alert(1)</script> Oslo,\" an official said.";

#[tokio::test]
async fn quotes_are_attributed_over_the_api_and_on_the_page() {
    let body = serde_json::json!({ "text": ARTICLE }).to_string();
    let req =
        Request::post("/api/attribute").header("content-type", "application/json").body(Body::from(body));
    let (s, body) = send(req.unwrap()).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let v = json(&body);
    let quotes = v["quotes"].as_array().unwrap();
    assert_eq!(quotes.len(), 2, "{v}");
    assert_eq!(quotes[0]["verdict"], "exact", "{}", quotes[0]);
    assert_eq!(quotes[0]["source"]["cable_id"], "08STATE134777");
    assert_eq!(quotes[0]["source"]["paragraph"], 3, "the objectives of paragraph 3");
    assert_eq!(quotes[1]["verdict"], "not_in_archive", "an invented quote is not attributed");

    let form = format!("text={}", demarche::loadgen::encode(ARTICLE));
    let req = Request::post("/attribute")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(form));
    let (s, page) = send(req.unwrap()).await;
    assert_eq!(s, StatusCode::OK, "{page}");
    assert!(page.contains("href=\"/cable/08STATE134777?v=1#p3\""), "linked to its paragraph: {page}");
    assert!(!page.contains("<script>alert(1)"), "quotes escaped");
    let (s, _, page) = get("/attribute").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("<textarea"));

    for bad in [
        Request::post("/api/attribute")
            .header("content-type", "application/json")
            .body(Body::from("{\"text\": \"\"}")),
        Request::post("/api/attribute")
            .header("content-type", "application/json")
            .body(Body::from("not json")),
        Request::post("/api/attribute")
            .header("content-type", "application/json")
            .body(Body::from(serde_json::json!({ "text": "x".repeat(600_000) }).to_string())),
    ] {
        let (s, body) = send(bad.unwrap()).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
        assert!(!json(&body)["error"].as_str().unwrap().is_empty());
    }
}

#[tokio::test]
async fn a_flooding_client_is_rate_limited_and_others_are_not() {
    let app = router(AppState::open(archive_dir()).unwrap().with_rate_limit(5, 5));
    let from = |ip: [u8; 4], uri: &str| {
        let mut req = Request::builder().uri(uri).body(Body::empty()).unwrap();
        req.extensions_mut().insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((ip, 40000))));
        req
    };
    let mut statuses = Vec::new();
    for _ in 0..12 {
        let res = app.clone().oneshot(from([203, 0, 113, 7], "/api/search?q=kabul")).await.unwrap();
        if res.status() == StatusCode::TOO_MANY_REQUESTS {
            assert!(res.headers().contains_key("retry-after"));
            assert!(res.headers().contains_key("content-security-policy"), "security headers on 429 too");
        }
        statuses.push(res.status());
    }
    let ok = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    let limited = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert!((5..=7).contains(&ok) && ok + limited == 12, "{statuses:?}");
    let res = app.clone().oneshot(from([198, 51, 100, 1], "/api/search?q=kabul")).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "another client is served");
}

/// A server on a loopback port with a `header`-second header read timeout
/// and a `request`-second request timeout, for as long as the test runs.
async fn live_server(header: Duration, request: Duration) -> std::net::SocketAddr {
    live_server_with(ConnectionLimits { header_read_timeout: header, ..Default::default() }, request).await
}

/// A server on a loopback port holding connections to `limits`, with a
/// `request`-second request timeout, for as long as the test runs.
async fn live_server_with(limits: ConnectionLimits, request: Duration) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = AppState::open(archive_dir()).unwrap().with_request_timeout(request);
    tokio::spawn(demarche::server::serve_on(listener, state, limits, std::future::pending()));
    addr
}

/// Reads until the server closes the connection (or resets it), for at
/// most `limit`: what it sent and when it closed, or `None` if still open.
async fn read_until_closed(
    stream: &mut (impl tokio::io::AsyncRead + Unpin),
    limit: Duration,
) -> Option<(String, Duration)> {
    use tokio::io::AsyncReadExt as _;
    let started = Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let left = limit.checked_sub(started.elapsed())?;
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => {
                return Some((String::from_utf8_lossy(&got).into_owned(), started.elapsed()))
            }
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
        }
    }
}

/// Sends one request on `s` (`Connection: close`) and reads the answer
/// until the server closes: the answer, or `None` if the server kept the
/// connection for `limit`.
async fn ask_and_read(s: &mut tokio::net::TcpStream, path: &str, limit: Duration) -> Option<String> {
    use tokio::io::AsyncWriteExt as _;
    let req = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await.ok()?;
    read_until_closed(s, limit).await.map(|(answer, _)| answer)
}

/// One request on a fresh connection: the status line, and how long it
/// took.
async fn request_line(addr: std::net::SocketAddr, path: &str) -> (String, Duration) {
    let started = Instant::now();
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let response = ask_and_read(&mut s, path, Duration::from_secs(10)).await.expect("an answer");
    (response.lines().next().unwrap_or_default().to_owned(), started.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_and_silent_clients_are_disconnected_while_others_are_served() {
    use tokio::io::AsyncWriteExt as _;
    let header_timeout = Duration::from_secs(1);
    let addr = live_server(header_timeout, Duration::from_secs(2)).await;
    // The bound: the timeout, and time for a loaded machine to notice.
    let limit = header_timeout + Duration::from_secs(2);

    // Slowloris: many connections sending half a request line, then a byte
    // now and then, never finishing the headers.
    let mut slow = Vec::new();
    for _ in 0..50 {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET /api/search?q=ka").await.unwrap();
        slow.push(s);
    }
    let dribblers: Vec<_> = slow
        .into_iter()
        .map(|s| {
            tokio::spawn(async move {
                let (mut rd, mut wr) = s.into_split();
                let dribble = async {
                    loop {
                        tokio::time::sleep(Duration::from_millis(200)).await;
                        if wr.write_all(b"b").await.is_err() {
                            std::future::pending::<()>().await;
                        }
                    }
                };
                tokio::select! {
                    closed = read_until_closed(&mut rd, limit) => closed,
                    () = dribble => unreachable!(),
                }
            })
        })
        .collect();
    // A silent client: connects and sends nothing.
    let mut silent = tokio::net::TcpStream::connect(addr).await.unwrap();
    let silent = tokio::spawn(async move { read_until_closed(&mut silent, limit).await });

    // Meanwhile, other clients are served at once.
    for path in ["/api/search?q=kabul", "/cable/08STATE134777", "/"] {
        let (status, took) = request_line(addr, path).await;
        assert_eq!(status, "HTTP/1.1 200 OK", "{path} while slow clients hold connections");
        assert!(took < Duration::from_secs(5), "{path} took {took:?} while slow clients hold connections");
    }

    for d in dribblers {
        let (sent, after) =
            d.await.unwrap().expect("a slowloris connection was still open after the timeout");
        assert!(after >= header_timeout.mul_f64(0.9), "closed after {after:?}, before the timeout");
        assert!(sent.is_empty(), "nothing is answered to an unfinished request: {sent}");
    }
    let (sent, after) = silent.await.unwrap().expect("a silent connection was still open after the timeout");
    assert!(sent.is_empty() && after >= header_timeout.mul_f64(0.9), "{after:?}: {sent}");
    let (status, _) = request_line(addr, "/api/search?q=kabul").await;
    assert_eq!(status, "HTTP/1.1 200 OK", "still serving");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_keep_alive_and_a_body_never_sent_do_not_hold_a_connection() {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let (header_timeout, request_timeout) = (Duration::from_secs(1), Duration::from_secs(2));
    let addr = live_server(header_timeout, request_timeout).await;
    let slack = Duration::from_secs(2);

    // A kept-alive connection: one request answered, then silence.
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /static/style.css HTTP/1.1\r\nHost: localhost\r\n\r\n").await.unwrap();
    let mut first = [0u8; 12];
    s.read_exact(&mut first).await.unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");
    let (_, after) = read_until_closed(&mut s, header_timeout + slack)
        .await
        .expect("an idle kept-alive connection was still open after the header timeout");
    assert!(after >= header_timeout.mul_f64(0.9), "closed after {after:?}");

    // A request whose announced body never comes: answered 503 after the
    // request timeout, and the connection closed.
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(
        b"POST /api/attribute HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"text\": \"",
    )
    .await
    .unwrap();
    let (sent, after) = read_until_closed(&mut s, request_timeout + slack)
        .await
        .expect("a request without its body was still open after the request timeout");
    assert!(sent.starts_with("HTTP/1.1 503"), "{sent}");
    assert!(
        sent.to_lowercase().contains("content-security-policy"),
        "security headers on the 503 too: {sent}"
    );
    assert!(after >= request_timeout.mul_f64(0.9), "answered after {after:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_stops_reading_is_disconnected_while_others_are_served() {
    use tokio::io::AsyncWriteExt as _;
    let stall = Duration::from_secs(1);
    let limits = ConnectionLimits {
        header_read_timeout: Duration::from_secs(60),
        write_stall_timeout: stall,
        ..Default::default()
    };
    let addr = live_server_with(limits, Duration::from_secs(60)).await;
    let path = "/export?q=state&format=json";
    let (status, _, one) = get(path).await;
    assert_eq!(status, StatusCode::OK);
    let asked = 200;

    // A client with a small receive window asks for 200 exports at once
    // (pipelined) and then reads nothing.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let mut s = socket.connect(addr).await.unwrap();
    let req = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").repeat(asked);
    s.write_all(req.as_bytes()).await.unwrap();
    tokio::time::sleep(stall * 4).await;

    // Meanwhile another client is served at once.
    let (status, took) = request_line(addr, "/api/search?q=kabul").await;
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(took < Duration::from_secs(5), "took {took:?} while a client held a stalled response");

    // What the buffers held comes, then the end: the server gave up on it.
    let (got, _) = read_until_closed(&mut s, Duration::from_secs(20))
        .await
        .expect("a client that stopped reading still held its connection");
    let answered = got.matches("HTTP/1.1 200 OK").count();
    assert!(got.starts_with("HTTP/1.1 200 OK") && answered < asked / 2, "{answered} of {asked} answers sent");
    assert!(got.len() < asked * one.len() / 2, "{} bytes sent of {}", got.len(), asked * one.len());
}

/// A connection to `addr` from the loopback address `from`.
async fn connect_from(from: [u8; 4], addr: std::net::SocketAddr) -> tokio::net::TcpStream {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind((from, 0).into()).unwrap();
    socket.connect(addr).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_beyond_a_clients_share_or_the_server_total_are_refused_at_once() {
    let limits = ConnectionLimits {
        header_read_timeout: Duration::from_secs(60),
        per_client: 4,
        total: 6,
        ..Default::default()
    };
    let addr = live_server_with(limits, Duration::from_secs(10)).await;
    let (a, b, c) = ([127, 0, 0, 1], [127, 0, 0, 2], [127, 0, 0, 3]);

    // Client a holds its four connections, idle; its fifth is refused.
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(connect_from(a, addr).await);
    }
    let mut fifth = connect_from(a, addr).await;
    let refused = ask_and_read(&mut fifth, "/api/search?q=kabul", Duration::from_secs(5))
        .await
        .expect("a refusal, and the connection closed");
    assert!(refused.starts_with("HTTP/1.1 429"), "{refused}");
    assert!(refused.contains("at most 4 at once"), "{refused}");
    assert!(refused.to_lowercase().contains("content-security-policy"), "security headers: {refused}");

    // Client b is not affected by a's share; with its two the server is full.
    let mut b1 = connect_from(b, addr).await;
    let _b2 = connect_from(b, addr).await;
    let mut c1 = connect_from(c, addr).await;
    let refused = ask_and_read(&mut c1, "/api/search?q=kabul", Duration::from_secs(5))
        .await
        .expect("a refusal, and the connection closed");
    assert!(refused.starts_with("HTTP/1.1 503"), "{refused}");
    let answer = ask_and_read(&mut b1, "/api/search?q=kabul", Duration::from_secs(5))
        .await
        .expect("b's own connection answers");
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");

    // A connection closed gives its place back (b1 was closed after its answer).
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let mut c2 = connect_from(c, addr).await;
        let answer =
            ask_and_read(&mut c2, "/api/search?q=kabul", Duration::from_secs(5)).await.unwrap_or_default();
        if answer.starts_with("HTTP/1.1 200 OK") {
            break;
        }
        assert!(Instant::now() < deadline, "no place came back after a connection closed: {answer}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    drop(held);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversized_request_head_is_refused_and_others_are_served() {
    use tokio::io::AsyncWriteExt as _;
    let addr = live_server(Duration::from_secs(10), Duration::from_secs(10)).await;
    for (what, head) in [
        (
            "100 KB of headers",
            format!("GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: {}\r\n\r\n", "a".repeat(100_000)),
        ),
        ("a 100 KB path", format!("GET /{} HTTP/1.1\r\nHost: localhost\r\n\r\n", "a".repeat(100_000))),
    ] {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        let _ = s.write_all(head.as_bytes()).await; // the server may close before it has all
        let (answer, _) =
            read_until_closed(&mut s, Duration::from_secs(5)).await.expect("closed after the refusal");
        let status = answer.lines().next().unwrap_or_default().to_owned();
        assert!(
            status.starts_with("HTTP/1.1 431") || status.starts_with("HTTP/1.1 414") || answer.is_empty(),
            "{what}: {status}"
        );
        assert!(!answer.contains("200 OK"), "{what} was served");
    }
    // A long but reasonable head is served.
    let ok = format!("/api/search?q=kabul&x={}", "a".repeat(8_000));
    assert_eq!(request_line(addr, &ok).await.0, "HTTP/1.1 200 OK");
}

#[tokio::test]
async fn coverage_is_a_heat_map_a_table_a_station_page_and_json() {
    let (s, _, body) = get("/api/coverage?station=kabul&year=2009").await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let v = json(&body);
    let kabul = &v["rows"][0];
    assert_eq!(v["rows"].as_array().unwrap().len(), 1);
    assert_eq!((kabul["station"].as_str(), kabul["year"].as_u64()), (Some("KABUL"), Some(2009)));
    assert!(kabul["estimated"].as_u64() >= kabul["highest_seen"].as_u64(), "{kabul}");
    assert!(!kabul["missing"].as_array().unwrap().is_empty(), "cited, not held: {kabul}");

    let (s, _, page) = get("/coverage").await;
    assert_eq!(s, StatusCode::OK);
    let svg = &page[page.find("<svg").expect("a heat map")..];
    assert!(svg.contains("<rect") && svg.contains("href=\"/coverage/KABUL#2009\""), "cells link to stations");
    assert!(page.contains("<td><a href=\"/coverage/STATE\">STATE</a></td>"), "the table");

    let (s, _, station) = get("/coverage/Kabul").await;
    assert_eq!(s, StatusCode::OK);
    assert!(station.contains("Station KABUL") && station.contains("Serials with nothing held"));
    let missing = kabul["missing"][0].as_u64().unwrap();
    assert!(station.contains(&format!(">09KABUL{missing}</a>")), "a cable cited, not held, listed");

    let (s, _, body) = get("/api/coverage?station=KABOOL").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(json(&body)["error"].as_str().unwrap().contains("KABUL"), "a suggestion: {body}");
    assert_eq!(get("/coverage/KABOOL").await.0, StatusCode::NOT_FOUND);
    assert_eq!(get("/api/coverage?year=twenty").await.0, StatusCode::BAD_REQUEST);
}
