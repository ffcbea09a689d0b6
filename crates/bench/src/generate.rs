//! A deterministic generator of a Cablegate-sized corpus in the `cables.csv`
//! layout, made by recombining the real cables of `../shared/corpus`.
//!
//! Each generated cable takes a real cable as its template (origin,
//! classification and caveats, routing header, front matter: banner, E.O.
//! line, TAGS, SUBJECT, classified-by) and a fresh id, a creation date drawn
//! from the year distribution of the real release, REF edges to earlier
//! generated cables, and a body of real paragraphs drawn from the whole
//! corpus and renumbered. The same seed and size always give the same bytes.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use cable::{Cable, Parser};

/// The size of the full Cablegate release.
pub const CABLEGATE_CABLES: usize = 251_287;

/// The full release's `cables.csv` is about 1.7 GB: this many bytes a cable on average.
pub const CABLEGATE_BYTES_PER_CABLE: usize = 1_700_000_000 / CABLEGATE_CABLES;

/// Cables per year of creation in the real release, as weights (approximate
/// counts read off the published per-year totals; what matters is the shape:
/// a thin tail back to 1966, most cables 2004-2010, the release ending
/// in February 2010).
const YEAR_WEIGHTS: &[(u16, u32)] = &[
    (1966, 5),
    (1972, 10),
    (1975, 30),
    (1979, 40),
    (1985, 60),
    (1988, 120),
    (1989, 250),
    (1990, 350),
    (1991, 300),
    (1992, 300),
    (1993, 350),
    (1994, 400),
    (1995, 450),
    (1996, 500),
    (1997, 550),
    (1998, 600),
    (1999, 700),
    (2000, 900),
    (2001, 1_200),
    (2002, 1_800),
    (2003, 3_000),
    (2004, 8_000),
    (2005, 16_000),
    (2006, 36_000),
    (2007, 45_000),
    (2008, 50_000),
    (2009, 58_000),
    (2010, 7_000),
];

/// What one real cable lends to the cables generated from it.
struct Template {
    station: String,
    origin: String,
    classification: String,
    raw_header: String,
    /// The body before its first numbered paragraph, REF lines cut out.
    front: String,
    /// Where the REF line goes in `front`.
    ref_at: usize,
    /// The template's own id as written in its banner (`STATE 134777`).
    banner_id: String,
    references: usize,
    paragraphs: usize,
}

/// The real cables, cut into templates and a pool of raw numbered paragraphs.
pub struct Material {
    templates: Vec<Template>,
    /// Raw numbered paragraphs, number included (`3. (C) The ...`).
    paragraphs: Vec<String>,
}

/// What a generation run wrote.
#[derive(Debug, Clone, Copy)]
pub struct Generated {
    /// Cables written.
    pub cables: usize,
    /// Bytes written.
    pub bytes: u64,
}

impl Material {
    /// Reads every WikiLeaks cable page under `dir` (recursively).
    pub fn load(parser: &Parser, dir: &Path) -> Result<Material> {
        let mut files = Vec::new();
        collect_files(dir, &mut files)?;
        files.sort();
        let mut m = Material { templates: Vec::new(), paragraphs: Vec::new() };
        for f in &files {
            let bytes = std::fs::read(f).with_context(|| format!("reading {}", f.display()))?;
            // A page that does not parse is simply not material.
            if let Ok(c) = parser.parse(&bytes) {
                m.add(&c);
            }
        }
        anyhow::ensure!(
            !m.templates.is_empty() && !m.paragraphs.is_empty(),
            "no cables to recombine under {}",
            dir.display()
        );
        Ok(m)
    }

    fn add(&mut self, c: &Cable) {
        let numbered: Vec<&cable::Paragraph> = c.paragraphs.iter().filter(|p| p.number > 0).collect();
        let Some(first) = numbered.first() else { return };
        let body = &c.raw_body;
        for (i, p) in numbered.iter().enumerate() {
            let end = numbered.get(i + 1).map_or(body.len(), |n| n.offset);
            if let Some(raw) = body.get(p.offset..end) {
                if raw.trim_start().starts_with(|ch: char| ch.is_ascii_digit()) {
                    self.paragraphs.push(raw.trim_end().to_owned());
                }
            }
        }
        let Some(front) = body.get(..first.offset) else { return };
        let (front, ref_at) = cut_ref_lines(front);
        self.templates.push(Template {
            station: c.id.station().to_owned(),
            origin: c.origin.clone(),
            classification: c.classification.to_string(),
            raw_header: c.raw_header.clone(),
            front,
            ref_at,
            banner_id: format!("{} {:06}", c.id.station(), c.id.serial()),
            references: c.cited_ids().len(),
            paragraphs: numbered.len(),
        });
    }

    /// Mean size of a `cables.csv` record generated with each template's own paragraph count.
    fn mean_record_bytes(&self) -> f64 {
        let mean_para =
            self.paragraphs.iter().map(String::len).sum::<usize>() as f64 / self.paragraphs.len() as f64;
        self.templates
            .iter()
            .map(|t| {
                (t.raw_header.len() + t.front.len() + t.origin.len() + 80) as f64
                    + mean_para * t.paragraphs as f64
            })
            .sum::<f64>()
            / self.templates.len() as f64
    }
}

fn collect_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<()> {
    for e in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let p = e?.path();
        if p.is_dir() {
            collect_files(&p, out)?;
        } else {
            out.push(p);
        }
    }
    Ok(())
}

/// Removes the `REF:` block (the line starting `REF:` and its continuation
/// lines, up to a blank line) and says where it was; without one, the
/// place is after the SUBJECT block.
fn cut_ref_lines(front: &str) -> (String, usize) {
    let mut out = String::with_capacity(front.len());
    let mut at = None;
    let mut in_ref = false;
    let mut after_subject = None;
    let mut in_subject = false;
    for line in front.split_inclusive('\n') {
        let t = line.trim_start();
        if in_ref {
            if t.trim().is_empty() {
                in_ref = false;
            }
            continue;
        }
        if t.starts_with("REF:") || t.starts_with("REFS:") || t.starts_with("REFERENCE:") {
            at.get_or_insert(out.len());
            in_ref = true;
            continue;
        }
        if t.starts_with("SUBJECT:") || t.starts_with("SUBJ:") {
            in_subject = true;
        } else if in_subject && t.trim().is_empty() {
            in_subject = false;
            after_subject.get_or_insert(out.len() + line.len());
        }
        out.push_str(line);
    }
    let at = at.or(after_subject).unwrap_or(out.len());
    (out, at)
}

/// Writes `cables` generated cables to `out` in the `cables.csv` layout.
pub fn generate(material: &Material, cables: usize, seed: u64, out: &mut impl Write) -> Result<Generated> {
    let mut rng = fastrand::Rng::with_seed(seed);
    // Keep the corpus near the real release's size whatever the material's own paragraph counts.
    let scale = (CABLEGATE_BYTES_PER_CABLE as f64 / material.mean_record_bytes()).min(1.0);
    let mut dates: Vec<(u16, u8, u8, u8, u8)> = (0..cables).map(|_| random_date(&mut rng)).collect();
    dates.sort_unstable();
    let mut serials: HashMap<(u16, String), u64> = HashMap::new();
    // Recent ids, the targets of REF edges: a cable mostly cites recent traffic.
    let mut recent: Vec<String> = Vec::new();
    const RECENT: usize = 20_000;
    let mut written = 0u64;
    let mut rec = String::new();
    let mut body = String::new();
    for (seq, &(year, month, day, hour, minute)) in dates.iter().enumerate() {
        let t = &material.templates[rng.usize(..material.templates.len())];
        let serial = serials.entry((year, t.station.clone())).or_insert_with(|| rng.u64(1..50));
        *serial += rng.u64(1..40);
        let id = format!("{:02}{}{}", year % 100, t.station, serial);
        let banner_id = format!("{} {:06}", t.station, serial);
        let mut refs: Vec<&str> = Vec::new();
        for _ in 0..t.references {
            if recent.is_empty() {
                break;
            }
            let back = (rng.f64().powi(3) * recent.len() as f64) as usize;
            let target = recent[recent.len() - 1 - back.min(recent.len() - 1)].as_str();
            if !refs.contains(&target) {
                refs.push(target);
            }
        }
        body.clear();
        // The banner names the cable (`MADRID 001285`): it gets the new serial.
        let (front, ref_at) = match t.front.find(&t.banner_id) {
            Some(at) if at < t.ref_at => {
                let f = format!("{}{banner_id}{}", &t.front[..at], &t.front[at + t.banner_id.len()..]);
                (f, t.ref_at + banner_id.len() - t.banner_id.len())
            }
            _ => (t.front.clone(), t.ref_at),
        };
        body.push_str(&front[..ref_at]);
        if !refs.is_empty() {
            body.push_str("REF:");
            for (i, r) in refs.iter().enumerate() {
                let bullet = (b'A' + (i % 26) as u8) as char;
                // Written the way cables write them: `A. 08 KABUL 1234`.
                body.push_str(&format!(" {bullet}. {} {} {}", &r[..2], station_of(r), serial_of(r)));
            }
            body.push_str("\n\n");
        }
        body.push_str(&front[ref_at..]);
        let n = ((t.paragraphs as f64 * scale).round() as usize).max(1);
        for k in 1..=n {
            let p = &material.paragraphs[rng.usize(..material.paragraphs.len())];
            let digits = p.trim_start().bytes().take_while(u8::is_ascii_digit).count();
            body.push_str(&k.to_string());
            body.push_str(&p.trim_start()[digits..]);
            body.push_str("\n\n");
        }
        rec.clear();
        rec.push_str(&format!(
            "\"{}\",\"{}/{}/{} {}:{:02}\",\"{}\",\"{}\",\"{}\",\"{}\",\"",
            seq + 1,
            month,
            day,
            year,
            hour,
            minute,
            id,
            csv_escape(&t.origin),
            t.classification,
            refs.join("|"),
        ));
        let header = dtg_replaced(&t.raw_header, day, hour, minute, month, year);
        rec.push_str(&csv_escape(&header));
        rec.push_str("\",\"");
        rec.push_str(&csv_escape(&body));
        rec.push_str("\"\n");
        out.write_all(rec.as_bytes())?;
        written += rec.len() as u64;
        recent.push(id);
        if recent.len() > RECENT {
            recent.drain(..RECENT / 2);
        }
    }
    out.flush()?;
    Ok(Generated { cables, bytes: written })
}

fn station_of(id: &str) -> &str {
    id[2..].trim_end_matches(|c: char| c.is_ascii_digit())
}

fn serial_of(id: &str) -> &str {
    &id[2 + station_of(id).len()..]
}

/// A creation date-time drawn from the release's year distribution.
fn random_date(rng: &mut fastrand::Rng) -> (u16, u8, u8, u8, u8) {
    let total: u32 = YEAR_WEIGHTS.iter().map(|w| w.1).sum();
    let mut pick = rng.u32(..total);
    let mut year = YEAR_WEIGHTS[YEAR_WEIGHTS.len() - 1].0;
    for &(y, w) in YEAR_WEIGHTS {
        if pick < w {
            year = y;
            break;
        }
        pick -= w;
    }
    // The release ends in February 2010.
    let month = if year == 2010 { rng.u8(1..=2) } else { rng.u8(1..=12) };
    (year, month, rng.u8(1..=28), rng.u8(0..24), rng.u8(0..60))
}

const MONTHS: [&str; 12] =
    ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

/// The header with its date-time group (`281848Z DEC 66`) set to the new date.
fn dtg_replaced(header: &str, day: u8, hour: u8, minute: u8, month: u8, year: u16) -> String {
    let dtg = format!("{day:02}{hour:02}{minute:02}Z {} {:02}", MONTHS[usize::from(month - 1)], year % 100);
    let b = header.as_bytes();
    for i in 0..b.len().saturating_sub(14) {
        let w = &b[i..i + 14];
        if w[..6].iter().all(u8::is_ascii_digit)
            && w[6] == b'Z'
            && w[7] == b' '
            && w[8..11].iter().all(u8::is_ascii_uppercase)
            && w[11] == b' '
            && w[12..14].iter().all(u8::is_ascii_digit)
            && (i == 0 || !b[i - 1].is_ascii_alphanumeric())
        {
            return format!("{}{}{}", &header[..i], dtg, &header[i + 14..]);
        }
    }
    header.to_owned()
}

/// Escapes a field the way `cables.csv` does: backslash before quotes and backslashes.
fn csv_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for ch in s.chars() {
        if ch == '"' || ch == '\\' {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ref_block_is_cut_and_its_place_kept() {
        let front = "SUBJECT: X\n\nREF: A. STATE 1\n     B. KABUL 2\n\nClassified By: Y\n\n";
        let (out, at) = cut_ref_lines(front);
        assert_eq!(out, "SUBJECT: X\n\nClassified By: Y\n\n");
        assert_eq!(&out[at..], "Classified By: Y\n\n");
        let (out, at) = cut_ref_lines("SUBJECT: X\n\nClassified By: Y\n");
        assert_eq!(&out[at..], "Classified By: Y\n");
    }

    #[test]
    fn dtg_is_replaced_in_place() {
        let h = "P 191200Z DEC 08\nFM SECSTATE WASHDC";
        assert_eq!(dtg_replaced(h, 3, 4, 5, 2, 2009), "P 030405Z FEB 09\nFM SECSTATE WASHDC");
    }
}
