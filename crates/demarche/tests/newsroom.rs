//! A private newsroom instance over HTTP (no socket: `oneshot`): signing
//! in, the permission matrix (every newsroom route, and the archive's
//! routes that could carry newsroom data, for an anonymous client, a
//! member of another project, a project reader, a project editor who owns
//! the project, and an admin who is not a member), CSRF, rate-limited
//! sign-ins, and what never reaches a response or the audit log.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use demarche::server::{router, AppState};
use serde_json::{json, Value};
use tower::ServiceExt;

use archive::newsroom::{secret, NewsroomStore, Role, SqliteNewsroom};

const PASSWORD: &str = "correct horse battery staple";
/// A word only the note holds: wherever it shows up, the note leaked.
const SECRET_WORD: &str = "zanzibarquote";
/// Project A's name, which only its members may see.
const PROJECT_NAME: &str = "Operation Quillfeather";

fn shared() -> PathBuf {
    std::env::var_os("DEMARCHE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"))
}

/// The December 2008 cables of the corpus, and five accounts.
fn newsroom_archive(tmp: &Path) -> PathBuf {
    let dir = tmp.join("archive");
    let parser = cable::Parser::new(cable::ReferenceData::load_dir(&shared().join("reference")).unwrap());
    let corpus = shared().join("corpus/wikileaks-cablegate-2010-12-10/cable/2008/12");
    let mut a = archive::Archive::open_for_write(&dir).unwrap();
    let r = a.ingest(&[corpus], &parser, &archive::IngestOptions::default(), &mut |_| {}).unwrap();
    assert_eq!(r.failed, 0);
    drop(a);
    let store = SqliteNewsroom::open(&dir).unwrap();
    let hash = secret::hash_password(PASSWORD).unwrap();
    for (name, role) in
        [("ada", Role::Admin), ("ed", Role::Editor), ("rita", Role::Reader), ("pete", Role::Editor)]
    {
        store.add_user(name, role, &hash).unwrap();
    }
    dir
}

struct App {
    router: axum::Router,
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
    bytes: Vec<u8>,
}

/// The number of files in a ZIP archive, from its end record (the archives
/// here are small: no ZIP64).
fn zip_entries(zip: &[u8]) -> u64 {
    assert!(
        zip.len() >= 22 && zip[zip.len() - 22..].starts_with(b"PK\x05\x06"),
        "not a ZIP: {} bytes",
        zip.len()
    );
    let end = &zip[zip.len() - 22..];
    u64::from(u16::from_le_bytes([end[10], end[11]]))
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

impl App {
    async fn call(&self, method: Method, uri: &str, auth: Option<&str>, body: Option<Value>) -> Answer {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(token) = auth {
            req = req.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let req = match body {
            Some(v) => req.header(header::CONTENT_TYPE, "application/json").body(Body::from(v.to_string())),
            None => req.body(Body::empty()),
        }
        .unwrap();
        self.send(req).await
    }

    async fn send(&self, req: Request<Body>) -> Answer {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
        Answer { status, headers, body: String::from_utf8_lossy(&bytes).into_owned(), bytes: bytes.to_vec() }
    }

    async fn sign_in(&self, user: &str) -> (String, String) {
        let a = self
            .call(Method::POST, "/api/session", None, Some(json!({"user": user, "password": PASSWORD})))
            .await;
        assert_eq!(a.status, StatusCode::OK, "{user}: {}", a.body);
        let v = a.json();
        (v["token"].as_str().unwrap().to_owned(), v["csrf"].as_str().unwrap().to_owned())
    }
}

/// Who asks, in the matrix's order.
const WHO: [&str; 5] = [
    "anonymous",
    "pete (another project)",
    "rita (reader)",
    "ed (editor, owner)",
    "ada (admin, not a member)",
];

#[tokio::test]
async fn every_route_answers_each_kind_of_person_as_it_should() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = newsroom_archive(tmp.path());
    let app = App { router: router(AppState::open(&dir).unwrap().private(false).unwrap()) };
    let (pete, _) = app.sign_in("pete").await;
    let (rita, _) = app.sign_in("rita").await;
    let (ed, _) = app.sign_in("ed").await;
    let (ada, _) = app.sign_in("ada").await;

    // Ed's project, with every hit of a query, a note and Rita as reader.
    let p = app.call(Method::POST, "/api/projects", Some(&ed), Some(json!({"name": PROJECT_NAME}))).await;
    assert_eq!(p.status, StatusCode::CREATED, "{}", p.body);
    let a = p.json()["id"].as_i64().unwrap();
    let added = app
        .call(
            Method::POST,
            &format!("/api/projects/{a}/cables"),
            Some(&ed),
            Some(json!({"query": "\"cluster munitions\""})),
        )
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    let collected = added.json()["changed"].as_u64().unwrap();
    assert!(collected >= 1, "{}", added.body);
    let note = json!({"project": a, "cable": "08STATE134777", "paragraph": 3, "text": format!("{SECRET_WORD}: check with the desk")});
    assert_eq!(
        app.call(Method::POST, "/api/notes", Some(&ed), Some(note.clone())).await.status,
        StatusCode::CREATED
    );
    let member = json!({"user": "rita", "role": "reader"});
    let r =
        app.call(Method::POST, &format!("/api/projects/{a}/members"), Some(&ed), Some(member.clone())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let mark = json!({"starred": true, "label": SECRET_WORD});
    assert_eq!(
        app.call(Method::POST, "/api/cable/08STATE134777/marks", Some(&ed), Some(mark)).await.status,
        StatusCode::OK
    );
    // Pete's own project.
    let b = app
        .call(Method::POST, "/api/projects", Some(&pete), Some(json!({"name": "Other leads"})))
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    assert_ne!(a, b);

    let tokens: [Option<&str>; 5] = [None, Some(&pete), Some(&rita), Some(&ed), Some(&ada)];
    use StatusCode as S;
    const U: S = S::UNAUTHORIZED;
    let routes: Vec<(Method, String, Option<Value>, [S; 5])> = vec![
        (Method::GET, "/api/projects".into(), None, [U, S::OK, S::OK, S::OK, S::OK]),
        (Method::GET, format!("/api/projects/{a}"), None, [U, S::NOT_FOUND, S::OK, S::OK, S::NOT_FOUND]),
        (
            Method::GET,
            format!("/api/projects/{a}/cables"),
            None,
            [U, S::NOT_FOUND, S::OK, S::OK, S::NOT_FOUND],
        ),
        (
            Method::GET,
            format!("/api/projects/{a}/notes"),
            None,
            [U, S::NOT_FOUND, S::OK, S::OK, S::NOT_FOUND],
        ),
        (
            Method::POST,
            format!("/api/projects/{a}/cables"),
            Some(json!({"ids": ["08STATE134777"]})),
            [U, S::NOT_FOUND, S::FORBIDDEN, S::OK, S::NOT_FOUND],
        ),
        (
            Method::POST,
            "/api/notes".into(),
            Some(note.clone()),
            [U, S::NOT_FOUND, S::FORBIDDEN, S::CREATED, S::NOT_FOUND],
        ),
        (
            Method::POST,
            format!("/api/projects/{a}/members"),
            Some(member.clone()),
            [U, S::NOT_FOUND, S::FORBIDDEN, S::OK, S::NOT_FOUND],
        ),
        (
            Method::POST,
            format!("/api/projects/{a}/searches"),
            Some(json!({"name": "m", "query": "munitions"})),
            [U, S::NOT_FOUND, S::FORBIDDEN, S::CREATED, S::NOT_FOUND],
        ),
        (
            Method::GET,
            format!("/api/search?q=project:{a}"),
            None,
            [U, S::BAD_REQUEST, S::OK, S::OK, S::BAD_REQUEST],
        ),
        (
            Method::GET,
            format!("/api/search?q=note:{SECRET_WORD}&facets=true"),
            None,
            [U, S::OK, S::OK, S::OK, S::OK],
        ),
        (Method::GET, "/api/cable/08STATE134777/notes".into(), None, [U, S::OK, S::OK, S::OK, S::OK]),
        (Method::GET, "/api/cable/08STATE134777/marks".into(), None, [U, S::OK, S::OK, S::OK, S::OK]),
        (Method::GET, "/api/cable/08STATE134777".into(), None, [U, S::OK, S::OK, S::OK, S::OK]),
        (Method::GET, "/cable/08STATE134777".into(), None, [S::SEE_OTHER, S::OK, S::OK, S::OK, S::OK]),
        (
            Method::GET,
            format!("/export?q=note:{SECRET_WORD}&format=csv"),
            None,
            [U, S::OK, S::OK, S::OK, S::OK],
        ),
        (Method::GET, "/api/alerts".into(), None, [U, S::OK, S::OK, S::OK, S::OK]),
        (Method::GET, "/api/coverage".into(), None, [U, S::OK, S::OK, S::OK, S::OK]),
        (Method::GET, "/coverage".into(), None, [S::SEE_OTHER, S::OK, S::OK, S::OK, S::OK]),
        (
            Method::GET,
            format!("/api/projects/{a}/export"),
            None,
            [U, S::NOT_FOUND, S::OK, S::OK, S::NOT_FOUND],
        ),
        (
            Method::GET,
            format!("/api/projects/{a}/export?format=zip"),
            None,
            [U, S::NOT_FOUND, S::OK, S::OK, S::NOT_FOUND],
        ),
        (
            Method::GET,
            format!("/export?q=note:{SECRET_WORD}&format=zip"),
            None,
            [U, S::OK, S::OK, S::OK, S::OK],
        ),
        (Method::GET, "/api/audit".into(), None, [U, S::FORBIDDEN, S::FORBIDDEN, S::FORBIDDEN, S::OK]),
        (
            Method::GET,
            "/audit?user=ed".into(),
            None,
            [S::SEE_OTHER, S::FORBIDDEN, S::FORBIDDEN, S::FORBIDDEN, S::OK],
        ),
        (Method::GET, "/projects".into(), None, [S::SEE_OTHER, S::OK, S::OK, S::OK, S::OK]),
        (
            Method::GET,
            format!("/projects/{a}"),
            None,
            [S::SEE_OTHER, S::NOT_FOUND, S::OK, S::OK, S::NOT_FOUND],
        ),
        (Method::GET, "/".into(), None, [S::SEE_OTHER, S::OK, S::OK, S::OK, S::OK]),
        (Method::GET, "/login".into(), None, [S::OK; 5]),
        (Method::GET, "/static/style.css".into(), None, [S::OK; 5]),
    ];
    // Who may see the note, the label and project A's name at all.
    let sees_a = [false, false, true, true, false];
    let mut failures = Vec::new();
    for (method, uri, body, expected) in &routes {
        for (i, token) in tokens.iter().enumerate() {
            let got = app.call(method.clone(), uri, *token, body.clone()).await;
            if got.status != expected[i] {
                failures.push(format!(
                    "{method} {uri} as {}: {} (expected {}): {}",
                    WHO[i], got.status, expected[i], got.body
                ));
            }
            // The admin's audit log tells what every member did, by design.
            if (uri.starts_with("/api/audit") || uri.starts_with("/audit")) && got.status == S::OK {
                continue;
            }
            // (A search for the word echoes it back: its counts are checked below.)
            if got.body.contains(SECRET_WORD) && !sees_a[i] && !uri.contains(SECRET_WORD) {
                failures
                    .push(format!("{method} {uri} as {}: the note or label leaked: {}", WHO[i], got.body));
            }
            if !sees_a[i] && got.body.contains(PROJECT_NAME) {
                failures.push(format!("{method} {uri} as {}: project A's name leaked", WHO[i]));
            }
        }
    }
    assert!(failures.is_empty(), "{} wrong answers:\n{}", failures.len(), failures.join("\n"));

    // What each sees in the answers that are 200 for all.
    let search = |token: &'static str| format!("/api/search?q=note:{SECRET_WORD}&facets=true&t={token}");
    let count = |v: Value| v["total"].as_u64().unwrap();
    assert_eq!(count(app.call(Method::GET, &search("p"), Some(&pete), None).await.json()), 0);
    assert_eq!(count(app.call(Method::GET, &search("a"), Some(&ada), None).await.json()), 0);
    assert_eq!(count(app.call(Method::GET, &search("r"), Some(&rita), None).await.json()), 1);
    let in_a = app
        .call(Method::GET, &format!("/api/search?q=project:{a}&facets=true"), Some(&rita), None)
        .await
        .json();
    let held = app.call(Method::GET, &format!("/api/projects/{a}/cables"), Some(&rita), None).await.json();
    let collected = held.as_array().unwrap().len() as u64;
    assert_eq!(in_a["total"].as_u64().unwrap(), collected, "the project's cables, as collected");
    let years: u64 =
        in_a["facets"]["years"].as_array().unwrap().iter().map(|y| y["count"].as_u64().unwrap()).sum();
    assert_eq!(years, collected, "facets count the project's cables only");
    for (token, notes) in [(&pete, 0), (&ada, 0), (&rita, 2), (&ed, 2)] {
        let got = app.call(Method::GET, "/api/cable/08STATE134777/notes", Some(token), None).await.json();
        assert_eq!(got.as_array().unwrap().len(), notes, "{got}");
    }
    let page = app.call(Method::GET, "/cable/08STATE134777", Some(&rita), None).await;
    assert!(
        page.body.contains(SECRET_WORD) && page.body.contains("aside class=\"note\""),
        "the note shows on the page"
    );
    let export =
        app.call(Method::GET, &format!("/export?q=note:{SECRET_WORD}&format=csv"), Some(&pete), None).await;
    assert_eq!(export.body.lines().count(), 1, "only the header row: {}", export.body);
    let csv = app.call(Method::GET, &format!("/api/projects/{a}/export"), Some(&rita), None).await;
    assert_eq!(csv.headers["x-total-count"], collected.to_string().as_str());
    assert_eq!(csv.body.lines().count() as u64, collected + 1, "a header and every cable: {}", csv.body);
    assert!(csv.body.lines().any(|l| l.starts_with("08STATE134777,")), "{}", csv.body);
    let jsonl =
        app.call(Method::GET, &format!("/api/projects/{a}/export?format=jsonl"), Some(&ed), None).await;
    let rows: Vec<Value> = jsonl.body.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len() as u64, collected);
    assert!(rows.iter().all(|r| r["url"].as_str().unwrap().starts_with("/cable/")));
    // The ZIP: a text per collected cable, for members; for another
    // project's reader the note's search exports an empty archive.
    let zip = app.call(Method::GET, &format!("/api/projects/{a}/export?format=zip"), Some(&rita), None).await;
    assert_eq!(zip_entries(&zip.bytes), collected, "a file per collected cable");
    let zip =
        app.call(Method::GET, &format!("/export?q=note:{SECRET_WORD}&format=zip"), Some(&pete), None).await;
    assert_eq!(zip_entries(&zip.bytes), 0, "another project's note finds nothing to export");
    let zip =
        app.call(Method::GET, &format!("/export?q=note:{SECRET_WORD}&format=zip"), Some(&ed), None).await;
    assert_eq!(zip_entries(&zip.bytes), 1, "the note's cable, for the project's editor");
    let marks = app.call(Method::GET, "/api/cable/08STATE134777/marks", Some(&rita), None).await.json();
    assert_eq!(marks["starred"], false, "stars are their owner's: {marks}");
    assert_eq!(marks["labels"], json!([]), "labels are their owner's: {marks}");
    assert_eq!(marks["projects"][0][0].as_i64(), Some(a));

    // The page forms, as each kind of person sends them (a bearer token
    // needs no CSRF token: the session test checks the cookie's): done
    // (sent on to the page it changed), or refused as the API refuses.
    let forms: Vec<(String, String, [&str; 5])> = vec![
        (format!("/projects/{a}/collect"), "query=kabul".into(), ["login", "404", "403", "done", "404"]),
        (
            format!("/projects/{a}/members"),
            "user=rita&role=reader".into(),
            ["login", "404", "403", "done", "404"],
        ),
        (
            format!("/projects/{a}/searches"),
            "name=k&query=kabul".into(),
            ["login", "404", "403", "done", "404"],
        ),
        (format!("/projects/{a}/seen"), String::new(), ["login", "404", "done", "done", "404"]),
        (format!("/projects/{a}/remove"), "cable=08KABUL346".into(), ["login", "404", "403", "done", "404"]),
        (
            "/cable/08STATE134777/collect".into(),
            format!("project={a}"),
            ["login", "404", "403", "done", "404"],
        ),
        (
            "/notes".into(),
            format!("project={a}&cable=08STATE134777&paragraph=3&text=form"),
            ["login", "404", "403", "done", "404"],
        ),
        ("/cable/08STATE134777/star".into(), "on=true".into(), ["login", "done", "done", "done", "done"]),
        ("/cable/08STATE134777/label".into(), "label=form".into(), ["login", "done", "done", "done", "done"]),
        ("/projects".into(), "name=Form+project".into(), ["login", "done", "403", "done", "done"]),
    ];
    for (uri, form, expected) in &forms {
        for (i, token) in tokens.iter().enumerate() {
            let mut req = Request::builder()
                .method(Method::POST)
                .uri(uri)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
            if let Some(token) = token {
                req = req.header(header::AUTHORIZATION, format!("Bearer {token}"));
            }
            let got = app.send(req.body(Body::from(form.clone())).unwrap()).await;
            let location = got.headers.get(header::LOCATION).and_then(|l| l.to_str().ok()).unwrap_or("");
            let answer = match got.status {
                S::SEE_OTHER if location.starts_with("/login") => "login",
                S::SEE_OTHER => "done",
                S::NOT_FOUND => "404",
                S::FORBIDDEN => "403",
                _ => "other",
            };
            if answer != expected[i] {
                failures.push(format!(
                    "POST {uri} ({form}) as {}: {} to {location:?} (expected {}): {}",
                    WHO[i], got.status, expected[i], got.body
                ));
            }
            if !sees_a[i] && got.body.contains(PROJECT_NAME) {
                failures.push(format!("POST {uri} as {}: project A's name leaked", WHO[i]));
            }
        }
    }
    assert!(failures.is_empty(), "{} wrong answers:\n{}", failures.len(), failures.join("\n"));

    // The audit log: what happened, and never a password or a token.
    let audit = app.call(Method::GET, "/api/audit?limit=100000", Some(&ada), None).await;
    for secret in [PASSWORD, &pete, &rita, &ed, &ada] {
        assert!(!audit.body.contains(secret), "a secret is in the audit log");
    }
    let log = audit.json();
    let actions: Vec<&str> = log.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    for action in [
        "login",
        "create-project",
        "add-cables",
        "add-note",
        "set-member",
        "search",
        "view",
        "export",
        "mark",
        "remove-cables",
        "save-search",
    ] {
        assert!(actions.contains(&action), "{action} is not in the audit log: {actions:?}");
    }
    let raw = std::fs::read(dir.join("store.sqlite")).unwrap();
    assert!(
        !raw.windows(PASSWORD.len()).any(|w| w == PASSWORD.as_bytes()),
        "the password is stored in clear"
    );
    assert!(!raw.windows(ed.len()).any(|w| w == ed.as_bytes()), "a session token is stored in clear");
}

#[tokio::test]
async fn bad_input_is_refused_with_a_reason_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = newsroom_archive(tmp.path());
    let app = App { router: router(AppState::open(&dir).unwrap().private(false).unwrap()) };
    let (ed, _) = app.sign_in("ed").await;
    let a = app.call(Method::POST, "/api/projects", Some(&ed), Some(json!({"name": "P"}))).await.json()["id"]
        .as_i64()
        .unwrap();
    let cases = [
        (
            json!({"project": a, "cable": "08STATE134777", "paragraph": 99, "text": "x"}),
            StatusCode::BAD_REQUEST,
            "has no paragraph 99",
        ),
        (
            json!({"project": a, "cable": "08STATE134777", "paragraph": 1, "text": "x".repeat(65 * 1024)}),
            StatusCode::BAD_REQUEST,
            "at most 65536",
        ),
        (
            json!({"project": a + 50, "cable": "08STATE134777", "paragraph": 1, "text": "x"}),
            StatusCode::NOT_FOUND,
            "no project",
        ),
        (
            json!({"project": a, "cable": "08STATE999999", "paragraph": 1, "text": "x"}),
            StatusCode::NOT_FOUND,
            "not in the archive",
        ),
        (json!({"project": a, "cable": "08STATE134777"}), StatusCode::BAD_REQUEST, "paragraph"),
    ];
    for (body, status, reason) in cases {
        let got = app.call(Method::POST, "/api/notes", Some(&ed), Some(body)).await;
        assert_eq!(got.status, status, "{}", got.body);
        assert!(got.body.contains(reason), "{reason}: {}", got.body);
    }
    let bad_query = app
        .call(
            Method::POST,
            &format!("/api/projects/{a}/cables"),
            Some(&ed),
            Some(json!({"query": "\"unclosed"})),
        )
        .await;
    assert_eq!(bad_query.status, StatusCode::BAD_REQUEST, "{}", bad_query.body);
    let unknown = app
        .call(
            Method::POST,
            &format!("/api/projects/{a}/cables"),
            Some(&ed),
            Some(json!({"ids": ["08STATE134777", "08STATE999999"]})),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.body);
    let p = app.call(Method::GET, &format!("/api/projects/{a}"), Some(&ed), None).await.json();
    assert_eq!((p["cables"].as_u64(), p["notes"].as_u64()), (Some(0), Some(0)), "nothing was stored: {p}");
}

#[tokio::test]
async fn sessions_cookies_csrf_and_failed_sign_ins() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = newsroom_archive(tmp.path());
    let app = App { router: router(AppState::open(&dir).unwrap().private(true).unwrap()) };

    // A session cookie: HttpOnly, SameSite=Strict, Secure behind TLS; a new id at every sign-in.
    let first =
        app.call(Method::POST, "/api/session", None, Some(json!({"user": "ed", "password": PASSWORD}))).await;
    let cookie = first.headers[header::SET_COOKIE].to_str().unwrap().to_owned();
    for part in ["demarche_session=", "HttpOnly", "SameSite=Strict", "Secure", "Path=/"] {
        assert!(cookie.contains(part), "{part} missing from {cookie}");
    }
    let (second, csrf) = app.sign_in("ed").await;
    assert_ne!(first.json()["token"], json!(second), "each sign-in opens a new session");
    let session = cookie.split(';').next().unwrap().to_owned();

    // A change made with the cookie needs the CSRF token.
    let with_cookie = |csrf: Option<&str>| {
        let mut req = Request::builder()
            .method(Method::POST)
            .uri("/api/projects")
            .header(header::COOKIE, &session)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(c) = csrf {
            req = req.header("x-csrf-token", c);
        }
        req.body(Body::from(json!({"name": "via cookie"}).to_string())).unwrap()
    };
    assert_eq!(app.send(with_cookie(None)).await.status, StatusCode::FORBIDDEN);
    let first_csrf = first.json()["csrf"].as_str().unwrap().to_owned();
    assert_ne!(first_csrf, csrf);
    assert_eq!(app.send(with_cookie(Some(&first_csrf))).await.status, StatusCode::CREATED);
    let form = Request::builder()
        .method(Method::POST)
        .uri("/projects")
        .header(header::COOKIE, &session)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("name=forged&csrf=wrong"))
        .unwrap();
    assert_eq!(
        app.send(form).await.status,
        StatusCode::FORBIDDEN,
        "a form without the right token changes nothing"
    );

    // Signing out ends the session.
    assert_eq!(
        app.call(Method::DELETE, "/api/session", Some(&second), None).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.call(Method::GET, "/api/projects", Some(&second), None).await.status,
        StatusCode::UNAUTHORIZED
    );

    // Wrong passwords and unknown accounts read the same; then the account is held back.
    let wrong = |user: &str| json!({"user": user, "password": "not the password at all"});
    let unknown = app.call(Method::POST, "/api/session", None, Some(wrong("nobody"))).await;
    let bad = app.call(Method::POST, "/api/session", None, Some(wrong("rita"))).await;
    assert_eq!((unknown.status, bad.status), (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED));
    assert_eq!(unknown.body, bad.body, "the answer does not say whether the account exists");
    for _ in 1..archive_limit() {
        app.call(Method::POST, "/api/session", None, Some(wrong("rita"))).await;
    }
    let held = app
        .call(Method::POST, "/api/session", None, Some(json!({"user": "rita", "password": PASSWORD})))
        .await;
    assert_eq!(held.status, StatusCode::TOO_MANY_REQUESTS, "{}", held.body);
    assert!(held.body.contains("try again in"), "{}", held.body);
    assert!(!held.body.contains(PASSWORD));
}

fn archive_limit() -> usize {
    demarche::server::auth::MAX_FAILED_LOGINS
}

#[tokio::test]
async fn a_public_instance_has_no_newsroom() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = newsroom_archive(tmp.path());
    let app = App { router: router(AppState::open(&dir).unwrap()) };
    for uri in ["/api/projects", "/login", "/projects", "/api/audit", "/api/alerts"] {
        assert_eq!(app.call(Method::GET, uri, None, None).await.status, StatusCode::NOT_FOUND, "{uri}");
    }
    let post =
        app.call(Method::POST, "/api/session", None, Some(json!({"user": "ed", "password": PASSWORD}))).await;
    assert_eq!(post.status, StatusCode::NOT_FOUND);
    let q = app.call(Method::GET, "/api/search?q=starred:me", None, None).await;
    assert_eq!(q.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.call(Method::GET, "/api/search?q=munitions", None, None).await.status, StatusCode::OK);
}
