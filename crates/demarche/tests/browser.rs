//! End to end in a real browser: headless Chromium driven over WebDriver
//! (chromedriver) against `demarche serve` on loopback, over the whole
//! shared corpus. Needs Debian's `chromium` and `chromium-driver` (`.ci/run`
//! installs them); without them the test fails and says so: it is never
//! skipped. Screenshots go to `target/browser/` for people to look at.

use std::net::{SocketAddr, TcpListener as StdListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

fn shared() -> PathBuf {
    std::env::var_os("DEMARCHE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"))
}

/// Where screenshots go: `target/browser/` of the workspace.
fn screenshot_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("browser")
}

fn find_program(env: &str, names: &[&str]) -> PathBuf {
    if let Some(p) = std::env::var_os(env) {
        return PathBuf::from(p);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in
        std::env::split_paths(&path).chain([PathBuf::from("/usr/bin"), PathBuf::from("/usr/lib/chromium")])
    {
        for n in names {
            if dir.join(n).is_file() {
                return dir.join(n);
            }
        }
    }
    panic!(
        "{} not found: install Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver) \
         or set ${env}",
        names[0]
    );
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// chromedriver on a loopback port, killed when dropped.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_driver(port: u16) -> Driver {
    let bin = find_program("CHROMEDRIVER", &["chromedriver"]);
    let child = Command::new(&bin)
        .arg(format!("--port={port}"))
        .arg("--allowed-ips=127.0.0.1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("starting {}: {e}", bin.display()));
    let driver = Driver(child);
    let until = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < until, "chromedriver did not listen on port {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
    driver
}

async fn browser(driver_port: u16, profile: &Path) -> Client {
    let chromium = find_program("CHROMIUM", &["chromium", "chromium-browser", "google-chrome"]);
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": chromium,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", "--window-size=1280,1400",
                     format!("--user-data-dir={}", profile.display())]
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{driver_port}"))
        .await
        .expect("a WebDriver session in headless Chromium")
}

async fn text(c: &Client, css: &str) -> String {
    c.wait()
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .text()
        .await
        .unwrap()
}

/// The text of the first `css` element once it contains `needle` (a form's
/// click returns before the browser has loaded the page it leads to); the
/// text last seen when it never does, within 10 s.
async fn text_with(c: &Client, css: &str, needle: &str) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let seen = match c.find(Locator::Css(css)).await {
            Ok(e) => e.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if seen.contains(needle) || std::time::Instant::now() > deadline {
            return seen;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn shoot(c: &Client, name: &str) {
    let png = c.screenshot().await.expect("screenshot");
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    std::fs::create_dir_all(screenshot_dir()).unwrap();
    std::fs::write(screenshot_dir().join(name), png).unwrap();
}

/// The archive of the whole corpus in `tmp`.
fn corpus_archive(tmp: &Path) -> PathBuf {
    let dir = tmp.join("archive");
    let parser = cable::Parser::new(cable::ReferenceData::load_dir(&shared().join("reference")).unwrap());
    let mut a = archive::Archive::open_for_write(&dir).unwrap();
    let corpus = shared().join("corpus/wikileaks-cablegate-2010-12-10/cable");
    let r = a.ingest(&[corpus], &parser, &archive::IngestOptions::default(), &mut |_| {}).unwrap();
    assert_eq!(r.new, 1295);
    dir
}

/// Serves `state` on a loopback port; its base URL.
async fn serve(state: demarche::server::AppState) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    let app = demarche::server::router(state).into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_searches_narrows_opens_the_cable_and_follows_a_reference() {
    // The archive of the whole corpus, served on loopback.
    let tmp = tempfile::tempdir().unwrap();
    let dir = corpus_archive(tmp.path());
    let base = serve(demarche::server::AppState::open(&dir).unwrap()).await;

    let port = free_port();
    let _driver = start_driver(port);
    let c = browser(port, &tmp.path().join("profile")).await;

    // Search from the home page, as a reader types it.
    c.goto(&base).await.unwrap();
    let q = c.wait().for_element(Locator::Css("input[name=q]")).await.unwrap();
    q.send_keys("\"cluster munitions\"").await.unwrap();
    c.find(Locator::Css("header button[type=submit]")).await.unwrap().click().await.unwrap();
    let summary = text(&c, "section.results p.meta").await;
    assert!(summary.starts_with("5 cables match"), "{summary}");
    let first: Vec<String> = {
        let mut ids = Vec::new();
        for a in c.find_all(Locator::Css(".hit > a strong")).await.unwrap().iter().take(3) {
            ids.push(a.text().await.unwrap());
        }
        ids
    };
    assert!(
        first.contains(&"08STATE134777".to_owned()) && first.contains(&"09STATE52368".to_owned()),
        "{first:?}"
    );
    assert!(c.find(Locator::Css("figure.histogram svg rect")).await.is_ok(), "histogram drawn");
    shoot(&c, "1-search.png").await;

    // Narrow by a facet: the AF tag.
    c.find(Locator::Css("aside.facets a[href*='tag%3AAF']"))
        .await
        .expect("an AF facet link")
        .click()
        .await
        .unwrap();
    let summary = text(&c, "section.results p.meta").await;
    assert!(
        summary.starts_with("1 cable matches") || summary.starts_with("2 cables match"),
        "narrowed: {summary}"
    );
    let url = c.current_url().await.unwrap();
    assert!(url.as_str().contains("tag%3AAF"), "{url}");
    assert_eq!(text(&c, "aside.facets a.active").await, "AF", "the chosen facet is marked");
    shoot(&c, "2-narrowed.png").await;

    // Open the demarche cable; paragraph 3 with its marking.
    c.find(Locator::Css("a[href='/cable/08STATE134777']")).await.unwrap().click().await.unwrap();
    let h1 = text(&c, "article h1").await;
    assert!(h1.starts_with("08STATE134777: DEMARCHE TO AFGHANISTAN ON CLUSTER MUNITIONS"), "{h1}");
    let p3 = text(&c, "#p3").await;
    assert!(p3.starts_with("3. (SBU) Department requests Post pursue the following objectives"), "{p3}");
    assert_eq!(text(&c, "#p3 .marking").await, "(SBU)");
    let missing = text(&c, "ul.refs").await;
    assert!(missing.contains("08STATE125608 (not in archive)"), "{missing}");
    shoot(&c, "3-cable.png").await;

    // A cable whose REF is in the archive: its link leads to that cable.
    let q = c.find(Locator::Css("input[name=q]")).await.unwrap();
    q.send_keys("id:09TALLINN373").await.unwrap();
    c.find(Locator::Css("header button[type=submit]")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("a[href='/cable/09TALLINN373']")).await.unwrap().click().await.unwrap();
    c.wait()
        .for_element(Locator::Css("ul.refs a[href='/cable/09STATE127892']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let h1 = text(&c, "article h1").await;
    assert!(h1.starts_with("09STATE127892:"), "followed the REF link: {h1}");
    assert!(c.current_url().await.unwrap().as_str().ends_with("/cable/09STATE127892"));
    let cited_by = c.find_all(Locator::Css("a[href='/cable/09TALLINN373']")).await.unwrap();
    assert!(!cited_by.is_empty(), "and the cited cable lists it under cited by");
    shoot(&c, "4-followed-reference.png").await;

    c.close().await.unwrap();
}

const PASSWORD: &str = "a newsroom password";

async fn sign_in(c: &Client, base: &str, user: &str) {
    c.goto(&format!("{base}/login")).await.unwrap();
    c.wait().for_element(Locator::Css("input[name=user]")).await.unwrap().send_keys(user).await.unwrap();
    c.find(Locator::Css("input[name=password]")).await.unwrap().send_keys(PASSWORD).await.unwrap();
    c.find(Locator::Css("form.signin button")).await.unwrap().click().await.unwrap();
    let until = Instant::now() + Duration::from_secs(20);
    while c.current_url().await.unwrap().path() == "/login" {
        if let Ok(e) = c.find(Locator::Css("div.error")).await {
            panic!("signing in as {user} failed: {}", e.text().await.unwrap());
        }
        assert!(Instant::now() < until, "signing in as {user} did not leave the sign-in page");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(c.current_url().await.unwrap().path(), "/", "signed in, {user} is on the search page");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reporter_collects_and_notes_and_another_project_sees_none_of_it() {
    use archive::newsroom::{secret, NewsroomStore, Role, SqliteNewsroom};
    let tmp = tempfile::tempdir().unwrap();
    let dir = corpus_archive(tmp.path());
    {
        let store = SqliteNewsroom::open(&dir).unwrap();
        let hash = secret::hash_password(PASSWORD).unwrap();
        store.add_user("ed", Role::Editor, &hash).unwrap();
        store.add_user("pete", Role::Editor, &hash).unwrap();
    }
    let base = serve(demarche::server::AppState::open(&dir).unwrap().private(false).unwrap()).await;
    let port = free_port();
    let _driver = start_driver(port);
    let c = browser(port, &tmp.path().join("profile")).await;

    // Not signed in: to the sign-in page.
    c.goto(&format!("{base}/cable/08STATE134777")).await.unwrap();
    c.wait().for_element(Locator::Css("form.signin")).await.unwrap();
    assert_eq!(c.current_url().await.unwrap().path(), "/login");
    shoot(&c, "newsroom-1-sign-in.png").await;
    sign_in(&c, &base, "ed").await;

    // A project, and every hit of "cluster munitions" in it.
    c.goto(&format!("{base}/projects")).await.unwrap();
    c.wait()
        .for_element(Locator::Css("form.project input[name=name]"))
        .await
        .unwrap()
        .send_keys("Cluster munitions campaign")
        .await
        .unwrap();
    c.find(Locator::Css("form.project button")).await.unwrap().click().await.unwrap();
    // The click returns before the browser has followed the redirect.
    c.wait().for_element(Locator::Css("form.collect")).await.unwrap();
    assert_eq!(text(&c, "h1").await, "Cluster munitions campaign");
    let project = c.current_url().await.unwrap().path().to_owned();
    c.find(Locator::Css("form.collect input[name=query]"))
        .await
        .unwrap()
        .send_keys("\"cluster munitions\"")
        .await
        .unwrap();
    c.find(Locator::Css("form.collect button")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("ul.cables li")).await.unwrap();
    let collected = c.find_all(Locator::Css("ul.cables li")).await.unwrap().len();
    assert_eq!(collected, 5, "every hit of the search, as the search page counts them");
    assert!(text(&c, "ul.cables").await.contains("08STATE134777"));
    shoot(&c, "newsroom-2-project.png").await;

    // A note on paragraph 3 of the demarche.
    c.goto(&format!("{base}/cable/08STATE134777")).await.unwrap();
    c.wait().for_element(Locator::Css("form.note")).await.unwrap();
    c.find(Locator::Css("form.note select[name=paragraph] option[value='3']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Css("form.note textarea"))
        .await
        .unwrap()
        .send_keys("Ask the desk who drafted objective (a)")
        .await
        .unwrap();
    c.find(Locator::Css("form.note button")).await.unwrap().click().await.unwrap();
    let note = text(&c, "#p3 aside.note").await;
    assert!(note.contains("Ask the desk who drafted objective (a)") && note.contains("ed"), "{note}");
    shoot(&c, "newsroom-3-note.png").await;

    // A label of Ed's own, and a saved search that a later ingest answers.
    c.find(Locator::Css("form.label input[name=label]")).await.unwrap().send_keys("to verify").await.unwrap();
    c.find(Locator::Css("form.label button")).await.unwrap().click().await.unwrap();
    assert!(text_with(&c, "section.newsroom", "to verify").await.contains("to verify"), "the label shows");
    c.goto(&format!("{base}{project}")).await.unwrap();
    c.wait()
        .for_element(Locator::Css("form.save input[name=name]"))
        .await
        .unwrap()
        .send_keys("Kabul demarche")
        .await
        .unwrap();
    c.find(Locator::Css("form.save input[name=query]"))
        .await
        .unwrap()
        .send_keys("\"narrow interpretation\"")
        .await
        .unwrap();
    c.find(Locator::Css("form.save button")).await.unwrap().click().await.unwrap();
    assert!(text_with(&c, "div.saved", "0 new since you last looked")
        .await
        .contains("0 new since you last looked"));
    {
        // A second release of the demarche, with one word changed, ingested while the server runs.
        let page = shared().join("corpus/wikileaks-cablegate-2010-12-10/cable/2008/12/08STATE134777.html");
        let changed = tmp.path().join("08STATE134777.html");
        std::fs::write(
            &changed,
            std::fs::read_to_string(&page).unwrap().replacen(
                "Department requests",
                "The Department requests",
                1,
            ),
        )
        .unwrap();
        let parser = cable::Parser::new(cable::ReferenceData::load_dir(&shared().join("reference")).unwrap());
        let mut w = archive::Archive::open_for_write(&dir).unwrap();
        let r = w.ingest(&[changed], &parser, &archive::IngestOptions::default(), &mut |_| {}).unwrap();
        assert_eq!(r.new_versions, 1);
        let alerts = archive::newsroom::update_alerts(&w, &SqliteNewsroom::open(&dir).unwrap()).unwrap();
        assert_eq!(alerts.new_alerts, 1, "{alerts:?}");
    }
    c.goto(&format!("{base}{project}")).await.unwrap();
    let saved = text(&c, "div.saved").await;
    assert!(saved.contains("1 new since you last looked") && saved.contains("08STATE134777"), "{saved}");
    shoot(&c, "newsroom-3b-alert.png").await;
    c.find(Locator::Css("form.seen button")).await.unwrap().click().await.unwrap();
    let seen = text_with(&c, "div.saved", "0 new since you last looked").await;
    assert!(seen.contains("0 new since you last looked"), "seen: {seen}");

    // Signed out, and in as a reporter of another project: nothing of it shows.
    c.goto(&format!("{base}/projects")).await.unwrap();
    c.wait().for_element(Locator::Css("form.signout button")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("form.signin")).await.unwrap();
    c.goto(&format!("{base}/projects")).await.unwrap();
    c.wait().for_element(Locator::Css("form.signin")).await.unwrap();
    sign_in(&c, &base, "pete").await;
    c.goto(&format!("{base}/cable/08STATE134777")).await.unwrap();
    c.wait().for_element(Locator::Css("#p3")).await.unwrap();
    assert!(
        c.find_all(Locator::Css("aside.note")).await.unwrap().is_empty(),
        "no note shows to another project"
    );
    assert!(!c.source().await.unwrap().contains("Ask the desk"), "the note is nowhere in the page");
    shoot(&c, "newsroom-4-other-reporter-cable.png").await;
    c.goto(&format!("{base}/projects")).await.unwrap();
    let listed = text(&c, "main").await;
    assert!(!listed.contains("Cluster munitions campaign"), "{listed}");
    c.goto(&format!("{base}{project}")).await.unwrap();
    let refused = text(&c, "div.error").await;
    assert!(refused.contains("no project"), "{refused}");
    assert!(!c.source().await.unwrap().contains("Cluster munitions campaign"));
    shoot(&c, "newsroom-5-other-reporter-project.png").await;
    c.close().await.unwrap();
}
