//! Parse speed on one core, printed as figures (run: `cargo bench -p cable`).
//!
//! First all 1,295 real WikiLeaks cable pages of `../shared/corpus`, then
//! the same cables re-expressed in the other formats (a `cables.csv` stream,
//! one-cable text files, raw telegrams), so every format is timed on the
//! same real text. Figures are the best of several passes.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use cable::{Cable, Parser, ReferenceData};

fn shared() -> PathBuf {
    std::env::var_os("DEMARCHE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"))
}

fn pages(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("corpus dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            pages(&p, out);
        } else if p.extension().is_some_and(|x| x == "html") {
            out.push(p);
        }
    }
}

fn best_of(passes: usize, mut f: impl FnMut() -> usize) -> (Duration, usize) {
    let mut best = Duration::MAX;
    let mut n = 0;
    for _ in 0..passes {
        let t = Instant::now();
        n = std::hint::black_box(f());
        best = best.min(t.elapsed());
    }
    (best, n)
}

fn report(name: &str, bytes: usize, cables: usize, d: Duration) {
    let mb = bytes as f64 / 1e6;
    println!(
        "{name:<22} {cables:>6} cables {mb:>8.1} MB {:>9.1} ms {:>8.1} MB/s {:>9.0} cables/s",
        d.as_secs_f64() * 1e3,
        mb / d.as_secs_f64(),
        cables as f64 / d.as_secs_f64()
    );
}

fn csv_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"").replace('\'', "\\'")
}

fn main() {
    let shared = shared();
    let refdata = ReferenceData::load_dir(&shared.join("reference")).expect("reference tables");
    let parser = Parser::new(refdata);
    let mut files = Vec::new();
    pages(&shared.join("corpus/wikileaks-cablegate-2010-12-10/cable"), &mut files);
    files.sort();
    let html: Vec<Vec<u8>> = files.iter().map(|p| std::fs::read(p).expect("read page")).collect();
    let html_bytes: usize = html.iter().map(Vec::len).sum();

    println!("demarche cable parser, one core, best of 5 passes");
    let (d, n) = best_of(5, || html.iter().filter(|b| parser.parse_html(b).is_ok()).count());
    report("wikileaks_html", html_bytes, n, d);

    let cables: Vec<Cable> = html.iter().map(|b| parser.parse_html(b).expect("corpus page parses")).collect();

    // cables.csv: eight quoted fields, backslash escapes.
    let mut csv = String::new();
    for (i, c) in cables.iter().enumerate() {
        let created = c.created.expect("created");
        let d = created.date();
        let refs: Vec<String> = c.cited_ids().iter().map(|r| r.to_string()).collect();
        csv.push_str(&format!(
            "\"{}\",\"{}/{}/{} {}:{:02}\",\"{}\",\"{}\",\"{}\",\"{}\",\"{}\",\"{}\"\n",
            i + 1,
            d.month(),
            d.day(),
            d.year(),
            created.hour(),
            created.minute(),
            c.published_id,
            csv_escape(&c.origin),
            c.classification,
            refs.join("|"),
            csv_escape(&c.raw_header),
            csv_escape(&c.raw_body)
        ));
    }
    let (d, n) = best_of(5, || parser.csv_cables(csv.as_bytes()).filter(Result::is_ok).count());
    report("cables_csv", csv.len(), n, d);

    let texts: Vec<String> = cables
        .iter()
        .map(|c| {
            format!(
                "{}\n{}\n{}\n{}\n{}\n{}\n\n{}",
                c.published_id,
                c.subject,
                c.created.expect("created"),
                c.classification,
                c.origin,
                c.raw_header,
                c.raw_body
            )
        })
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let (d, n) = best_of(5, || texts.iter().filter(|t| parser.parse_text_file(t.as_bytes()).is_ok()).count());
    report("text_file", bytes, n, d);

    let telegrams: Vec<String> =
        cables.iter().map(|c| format!("{}\n\n{}", c.raw_header, c.raw_body)).collect();
    let bytes: usize = telegrams.iter().map(String::len).sum();
    let (d, n) =
        best_of(5, || telegrams.iter().filter(|t| parser.parse_telegram(t.as_bytes()).is_ok()).count());
    report("telegram", bytes, n, d);
}
