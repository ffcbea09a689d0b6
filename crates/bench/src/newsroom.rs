//! `demarche-bench newsroom`: what the newsroom costs. On a generated
//! corpus: the query mix searched as anyone and as a signed-in member of a
//! project with many collected cables and notes (the member's search
//! resolves newsroom fields for them and writes the audit log, as `serve
//! --private` does), in one run; then an ingest of new cables and the time
//! to record what they bring to many saved searches.

use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use archive::newsroom::{
    pin_note, secret, update_alerts, Access, AuditEvent, NewsroomStore, Role, SqliteNewsroom,
};
use archive::{Archive, IngestOptions, PrivateScope, SearchRequest};

use crate::generate;
use crate::mix::{percentile_ms, Mix, Repeat};

/// Options of `demarche-bench newsroom`.
#[derive(clap::Args, Debug)]
pub struct NewsroomArgs {
    /// Cables in the archive before the measured ingest.
    #[arg(long, default_value_t = generate::CABLEGATE_CABLES)]
    pub cables: usize,
    /// Cables collected in the member's project.
    #[arg(long, default_value_t = 20_000)]
    pub collected: usize,
    /// Notes in the project.
    #[arg(long, default_value_t = 1_000)]
    pub notes: usize,
    /// Saved searches whose alerts the measured ingest updates.
    #[arg(long, default_value_t = 500)]
    pub searches: usize,
    /// Cables of the measured ingest (another generator seed: new cables,
    /// and new versions where an id comes again).
    #[arg(long, default_value_t = 10_000)]
    pub new: usize,
    /// Where the corpora and the archive go.
    #[arg(long, default_value = "target/bench-newsroom")]
    pub work: PathBuf,
    /// Time budget per query and way of asking, seconds.
    #[arg(long, default_value_t = 3.0)]
    pub seconds: f64,
}

fn corpus(material: &generate::Material, work: &Path, cables: usize, seed: u64) -> Result<PathBuf> {
    let path = work.join(format!("cables-{cables}-{seed}.csv"));
    if !path.exists() {
        let tmp = path.with_extension("partial");
        let file = std::fs::File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        generate::generate(material, cables, seed, &mut BufWriter::with_capacity(1 << 20, file))?;
        std::fs::rename(&tmp, &path)?;
    }
    Ok(path)
}

fn p50(mut times: Vec<Duration>) -> f64 {
    times.sort();
    percentile_ms(&times, 0.5)
}

/// Runs the benchmark and prints its figures.
pub fn run(shared: &Path, args: &NewsroomArgs) -> Result<()> {
    std::fs::create_dir_all(&args.work)?;
    let parser = crate::reference_parser(shared)?;
    let material = generate::Material::load(&parser, &crate::corpus_dir(shared))?;
    let base = corpus(&material, &args.work, args.cables, 2010)?;
    let new = corpus(&material, &args.work, args.new, 2026)?;
    let dir = args.work.join("archive");
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    let mut w = Archive::open_for_write(&dir)?;
    let t = Instant::now();
    w.ingest(&[base], &parser, &IngestOptions::default(), &mut |_| {})?;
    println!("ingested {} cables in {:.1} s", w.store().cable_count()?, t.elapsed().as_secs_f64());

    // The newsroom: one member's project with collected cables and notes.
    let store = SqliteNewsroom::open(&dir)?;
    let user = store.add_user("bench", Role::Editor, &secret::hash_password("a benchmark password")?)?;
    let access = Access::new(&store, &user, "bench");
    let project = access.create_project("Benchmark", "")?;
    let all = w.matching_ids("")?;
    let step = (all.len() / args.collected.max(1)).max(1);
    let collected: Vec<String> = all.iter().step_by(step).take(args.collected).cloned().collect();
    access.add_cables(project.id, &collected, "bench")?;
    for i in 0..args.notes {
        let id = &collected[(i * 7919) % collected.len()];
        let c = w.store().cable(id, None)?;
        let Some(p) = c.paragraphs.first() else { continue };
        let note = pin_note(&w, project.id, id, None, p.number, &format!("lead {i}: check the source"))?;
        access.add_note(&note)?;
    }
    println!(
        "project {}: {} cables collected, {} notes",
        project.id,
        collected.len(),
        access.project_notes(project.id)?.len()
    );

    // Searches as anyone, and as the member (scope resolved, audited).
    let mix = Mix::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/mix.json"))?;
    let repeat = Repeat { runs: 1_000, seconds: args.seconds };
    println!("\n{:<28} {:>12} {:>12} {:>7}", "query", "public p50", "member p50", "ratio");
    let mut log_sum = 0.0;
    for q in &mix.queries {
        let mut req = SearchRequest::new(q.demarche.clone());
        req.facets = q.facets;
        let public = p50(repeat.time(|| w.search(&req).map(|_| ()).map_err(Into::into))?);
        let member = p50(repeat.time(|| {
            let r = w.search_scoped(&req, Some(&access as &dyn PrivateScope))?;
            access.audit(AuditEvent::Search, &req.query, &format!("{} hits", r.total))?;
            Ok(())
        })?);
        log_sum += (member / public).ln();
        println!("{:<28} {:>9.3} ms {:>9.3} ms {:>6.2}x", q.name, public, member, member / public);
    }
    println!(
        "geometric mean member / public: {:.2}x (target: at most 1.2x)",
        (log_sum / mix.queries.len() as f64).exp()
    );
    for q in [
        format!("project:{}", project.id),
        format!("munitions project:{}", project.id),
        "note:lead".to_owned(),
    ] {
        let req = SearchRequest::new(q.clone());
        let mut total = 0;
        let t = p50(repeat.time(|| {
            total = w.search_scoped(&req, Some(&access as &dyn PrivateScope))?.total;
            Ok(())
        })?);
        println!("{q:<28} {t:>9.3} ms   ({total} cables)");
    }

    // Saved searches, then the measured ingest and its alerts.
    let watermark = w.store().max_latest_version()?;
    for i in 0..args.searches {
        let q = &mix.queries[i % mix.queries.len()].demarche;
        let query = format!("({q}) created:{}", 1980 + (i / mix.queries.len()) % 31);
        access.save_search(project.id, &format!("search {i}"), &query, watermark)?;
    }
    let t = Instant::now();
    let r = w.ingest(&[new], &parser, &IngestOptions::default(), &mut |_| {})?;
    let ingest = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let alerts = update_alerts(&w, &store)?;
    let secs = t.elapsed().as_secs_f64();
    println!(
        "\ningest of {} cables ({} new, {} new versions) in {ingest:.1} s; alerts of {} saved searches: {} recorded in {secs:.2} s (target: under 5 s), {} searches failed",
        r.cables, r.new, r.new_versions, alerts.searches, alerts.new_alerts, alerts.failed.len()
    );
    Ok(())
}
