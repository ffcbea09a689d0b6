//! Load on loopback: 64 keep-alive clients mixing searches (the committed
//! query mix), cable pages, cable JSON and browse pages against `demarche
//! serve` over the shared corpus: half of them anonymous on a public
//! instance, half signed in to a private one (a member of a project with
//! collected cables and notes, searching it and reading the notes, every
//! request audited). Must end with zero errors; prints throughput, p99 and
//! memory. The soak variant (10 minutes, `--ignored`)
//! also requires memory to stay flat.
//!
//! `DEMARCHE_LOAD_SECONDS` sets the length of the bounded run (default 60).

use std::path::{Path, PathBuf};
use std::time::Duration;

use demarche::loadgen::{self, encode};

fn shared() -> PathBuf {
    std::env::var_os("DEMARCHE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"))
}

/// Resident memory of this process, in MB (from /proc).
fn rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

async fn load(seconds: u64) -> (loadgen::LoadReport, Vec<f64>) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("archive");
    let corpus = shared().join("corpus/wikileaks-cablegate-2010-12-10/cable");
    {
        let parser = cable::Parser::new(cable::ReferenceData::load_dir(&shared().join("reference")).unwrap());
        let mut a = archive::Archive::open_for_write(&dir).unwrap();
        a.ingest(&[corpus], &parser, &archive::IngestOptions::default(), &mut |_| {}).unwrap();
    }
    let ids: Vec<String> = {
        let a = archive::Archive::open(&dir).unwrap();
        a.store().latest_versions().unwrap().into_iter().map(|(id, _)| id).collect()
    };
    let queries =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/queries.txt"))
            .unwrap();
    let mut paths = Vec::new();
    for (i, q) in queries.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).enumerate()
    {
        let q = q.trim_start_matches("[facets] ");
        paths.push(format!("/api/search?q={}&facets=true&histogram=true", encode(q)));
        paths.push(format!("/?q={}&page={}", encode(q), 1 + i % 2));
        for id in ids.iter().skip(i * 37).take(6) {
            paths.push(format!("/cable/{id}"));
            paths.push(format!("/api/cable/{id}"));
        }
    }
    paths.extend(["/browse/origin", "/browse/month", "/api/browse/tag"].map(String::from));

    // A newsroom member with a project of collected cables and notes: their
    // requests also search the project and read the notes.
    let token = {
        use archive::newsroom::{
            pin_note, secret, Access, CredentialKind, NewsroomStore, Role, SqliteNewsroom,
        };
        let store = SqliteNewsroom::open(&dir).unwrap();
        let user = store
            .add_user("soak", Role::Editor, &secret::hash_password("a soak test password").unwrap())
            .unwrap();
        let token = secret::new_secret("dmt_");
        store
            .add_credential(user.id, CredentialKind::Token, &secret::secret_hash(&token), None, None)
            .unwrap();
        let access = Access::new(&store, &user, "test");
        let project = access.create_project("Soak", "").unwrap();
        let a = archive::Archive::open(&dir).unwrap();
        access.add_cables(project.id, &ids[..ids.len() / 2], "test").unwrap();
        for id in ids.iter().take(200) {
            let c = a.store().cable(id, None).unwrap();
            if let Some(p) = c.paragraphs.first() {
                access
                    .add_note(&pin_note(&a, project.id, id, None, p.number, "check the source").unwrap())
                    .unwrap();
            }
        }
        access.set_star(&ids[0], true).unwrap();
        token
    };
    let mut member_paths = paths.clone();
    for (i, id) in ids.iter().take(200).enumerate().step_by(7) {
        member_paths.push(format!(
            "/api/search?q={}&facets=true",
            encode(&format!("munitions project:1 created:{}", 2000 + i % 11))
        ));
        member_paths.push(format!("/api/search?q={}", encode("note:source OR starred:me")));
        member_paths.push(format!("/api/cable/{id}/notes"));
        member_paths.push(format!("/cable/{id}"));
    }
    member_paths.extend(["/projects/1", "/api/projects/1", "/api/alerts"].map(String::from));

    // Two servers in this process over the one archive, as `demarche serve`
    // runs them (their accept loops, timeouts and connection limits; the
    // clients are within one address's share), without the per-client rate
    // limit (all clients are one address): a public one for half the
    // clients, a private one for the signed-in other half.
    let limits = demarche::server::ConnectionLimits::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = demarche::server::AppState::open(&dir).unwrap();
    tokio::spawn(demarche::server::serve_on(listener, state, limits, std::future::pending()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let private_addr = listener.local_addr().unwrap();
    let state = demarche::server::AppState::open(&dir).unwrap().private(false).unwrap();
    tokio::spawn(demarche::server::serve_on(listener, state, limits, std::future::pending()));

    let samples = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sampler = {
        let samples = samples.clone();
        tokio::spawn(async move {
            loop {
                samples.lock().unwrap().push(rss_mb());
                tokio::time::sleep(Duration::from_secs(5)).await;
            }
        })
    };
    let (duration, timeout) = (Duration::from_secs(seconds), Duration::from_secs(10));
    let (public, member) = tokio::join!(
        loadgen::run(addr, &paths, 32, duration, timeout),
        loadgen::run_as(private_addr, &member_paths, 32, duration, timeout, Some(token)),
    );
    sampler.abort();
    let rss = samples.lock().unwrap().clone();
    println!("load, 32 anonymous clients: {}", public.summary());
    println!("load, 32 signed-in clients: {}", member.summary());
    let report = public.merged(member);
    println!("load: {} paths, 64 clients: {}", paths.len(), report.summary());
    println!("resident memory every 5 s (MB): {rss:.0?}");
    (report, rss)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_clients_mixing_searches_and_pages_get_no_errors() {
    let seconds = std::env::var("DEMARCHE_LOAD_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(60);
    let (report, _) = load(seconds).await;
    assert!(report.ok > 1000, "{}", report.summary());
    assert_eq!(report.errors, 0, "{:?}", report.error_samples);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a 10-minute soak, run by .ci/run: cargo test -p demarche --test load -- --ignored"]
async fn a_ten_minute_soak_keeps_memory_flat() {
    let (report, rss) = load(600).await;
    assert_eq!(report.errors, 0, "{:?}", report.error_samples);
    // After the first minute (caches filled), memory stays within 20%.
    let settled = rss.get(12).copied().unwrap_or_default();
    let last = rss.last().copied().unwrap_or_default();
    assert!(last <= settled * 1.2 + 16.0, "memory grew from {settled:.0} MB to {last:.0} MB");
}
