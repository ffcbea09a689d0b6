//! `demarche refs ID`: the reference graph around a cable.

use std::path::Path;
use std::process::ExitCode;

use archive::graph::Direction;
use archive::Archive;
use clap::{Args, ValueEnum};

/// Which references to follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DirectionArg {
    /// Cables it cites.
    Out,
    /// Cables citing it.
    In,
    /// Both.
    Both,
}

/// Arguments of `demarche refs`.
#[derive(Debug, Args)]
pub struct RefsArgs {
    /// The cable id.
    #[arg(value_name = "ID")]
    pub id: String,
    /// How many steps out.
    #[arg(long, default_value_t = 1)]
    pub depth: u32,
    /// Which references to follow.
    #[arg(long, value_enum, default_value_t = DirectionArg::Both)]
    pub direction: DirectionArg,
    /// Print JSON (nodes and edges).
    #[arg(long)]
    pub json: bool,
}

impl RefsArgs {
    /// Prints the graph.
    pub fn run(self, dir: &Path) -> anyhow::Result<ExitCode> {
        let archive = Archive::open(dir)?;
        let direction = match self.direction {
            DirectionArg::Out => Direction::Out,
            DirectionArg::In => Direction::In,
            DirectionArg::Both => Direction::Both,
        };
        let g = archive.refs(&self.id, self.depth, direction)?;
        if self.json {
            super::print_json(&g)?;
            return Ok(ExitCode::SUCCESS);
        }
        println!("{} cables, {} references around {}", g.nodes.len(), g.edges.len(), g.root);
        for n in &g.nodes {
            let indent = "  ".repeat(n.depth as usize);
            let what = if n.present {
                format!(
                    "{}  {}",
                    crate::render::date_of(n.created.as_deref()),
                    n.subject.as_deref().unwrap_or("")
                )
            } else {
                "(not in archive)".to_owned()
            };
            let rel: Vec<String> = g
                .edges
                .iter()
                .filter_map(|e| {
                    if e.to == n.id && e.from != n.id && n.depth > 0 {
                        Some(format!("cited by {}", e.from))
                    } else if e.from == n.id && n.depth > 0 {
                        Some(format!("cites {}", e.to))
                    } else {
                        None
                    }
                })
                .take(3)
                .collect();
            println!(
                "{indent}{:<20} {what}{}",
                n.id,
                if rel.is_empty() { String::new() } else { format!("   [{}]", rel.join("; ")) }
            );
        }
        Ok(ExitCode::SUCCESS)
    }
}
