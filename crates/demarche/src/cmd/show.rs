//! `demarche show ID`: one cable, decoded.

use std::path::Path;
use std::process::ExitCode;

use archive::Archive;
use cable::Cable;
use clap::Args;
use serde::Serialize;

/// Arguments of `demarche show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The cable id (any spelling: 08STATE134777, 08 STATE 134777, 08SECSTATE134777).
    #[arg(value_name = "ID")]
    pub id: String,
    /// Which version (1, 2, ...; default the latest).
    #[arg(long)]
    pub version: Option<u32>,
    /// Also print the raw text as published.
    #[arg(long)]
    pub raw: bool,
    /// Print JSON: the parsed cable, its references marked present or not, and cited-by.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct ShowJson<'a> {
    cable: &'a Cable,
    version: u32,
    versions: usize,
    cited: Vec<archive::store::CitedCable>,
    cited_by: Vec<String>,
}

impl ShowArgs {
    /// Prints the cable.
    pub fn run(self, dir: &Path) -> anyhow::Result<ExitCode> {
        let archive = Archive::open(dir)?;
        let versions = archive.versions(&self.id)?;
        let id = versions[0].cable_id.clone();
        let version = self.version.unwrap_or(versions.len() as u32);
        let c = archive.store().cable(&id, Some(version))?;
        let cited = archive.store().cited(&c)?;
        let cited_by = archive.store().cited_by(&id)?;
        if self.json {
            super::print_json(&ShowJson { cable: &c, version, versions: versions.len(), cited, cited_by })?;
            return Ok(ExitCode::SUCCESS);
        }
        println!("{}  {}", c.id, c.subject);
        println!("version        {version} of {}", versions.len());
        if c.published_id != c.id.as_str() {
            println!("published as   {}", c.published_id);
        }
        let caveats: Vec<&str> = c.caveats.iter().map(|c| c.name()).collect();
        println!("classification {}  {}", c.classification, caveats.join(" "));
        println!(
            "created        {}   released {}",
            c.created.map_or("-".into(), |d| d.to_string()),
            c.released.map_or("-".into(), |d| d.to_string())
        );
        println!("origin         {}", c.origin);
        if let Some(p) = c.header.precedence {
            println!(
                "precedence     {p:?}{}",
                c.header.dtg.as_deref().map_or(String::new(), |d| format!("   DTG {d}"))
            );
        }
        if let Some(f) = &c.header.from {
            println!("from           {}", f.name);
        }
        for (label, list) in [("to", &c.header.to), ("info", &c.header.info)] {
            for r in list.iter() {
                let decoded = match (&r.routing_indicator, &r.decoded) {
                    (Some(ri), Some(d)) if d != &r.name => format!("  [{ri} = {d}]"),
                    (Some(ri), _) => format!("  [{ri}]"),
                    _ => String::new(),
                };
                println!("{label:<14} {}{decoded}", r.name);
            }
        }
        if !c.tags.is_empty() {
            println!("tags");
            for t in &c.tags {
                println!("  {:<24} {}", t.code, t.description());
                if let Some(why) =
                    t.reading.as_ref().filter(|r| r.in_doubt).and_then(|r| r.reasoning.as_ref())
                {
                    println!("  {:<24} ({why})", "");
                }
            }
        }
        if let Some(d) = &c.declassification {
            println!("declassify     {}", d.text);
        }
        if let Some(b) = &c.classified_by {
            println!("classified by  {}", b.text);
        }
        if !c.references.is_empty() {
            println!("references");
            let resolved: Vec<(&cable::RefId, &archive::store::CitedCable)> =
                c.cited_ids().into_iter().zip(&cited).collect();
            for r in &c.references {
                let bullet = r.bullet.map_or(String::from("  "), |b| format!("{b}."));
                match r.cable.as_ref().and_then(|rid| resolved.iter().find(|(x, _)| *x == rid)) {
                    Some((_, to)) => println!(
                        "  {bullet} {:<22} {}{}",
                        to.id,
                        if to.present { "in archive" } else { "not in archive" },
                        if to.year_inferred {
                            format!("  (year inferred: {:?} names none)", r.text)
                        } else {
                            String::new()
                        }
                    ),
                    None => println!("  {bullet} {} ({:?})", r.text, r.kind),
                }
            }
        }
        if !cited_by.is_empty() {
            println!("cited by       {}", cited_by.join(", "));
        }
        println!();
        for p in &c.paragraphs {
            let marking = p.marking.as_ref().map_or(String::new(), |m| format!("({}) ", m.text));
            if let Some(h) = &p.heading {
                println!("{h}\n{}\n", "-".repeat(h.chars().count().min(72)));
            }
            if p.number == 0 {
                println!("{}\n", p.text);
            } else {
                println!("{}. {marking}{}\n", p.number, p.text);
            }
        }
        if let Some(s) = &c.signer {
            println!("signed         {s}");
        }
        if !c.redactions.is_empty() {
            println!("redactions     {}", c.redactions.len());
        }
        if !c.media.is_empty() {
            println!("in the media   {}", c.media.join(", "));
        }
        if self.raw {
            println!("\n----- raw header -----\n{}\n----- raw body -----\n{}", c.raw_header, c.raw_body);
        }
        Ok(ExitCode::SUCCESS)
    }
}
