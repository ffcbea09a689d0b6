//! HTTP tests of every route, without a socket (`tower::ServiceExt::oneshot`).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use demarche::server::{router, AppState};
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
    assert_eq!(v["references_present"][0], serde_json::json!(["08STATE125608", false]));
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
