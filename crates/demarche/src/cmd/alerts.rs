//! `demarche alerts --project P --user NAME`: the cables that newly
//! matched a project's saved searches since that member last looked.

use std::path::Path;
use std::process::ExitCode;

use archive::newsroom::{Access, NewsroomStore, SqliteNewsroom};
use archive::Archive;
use clap::Args;

/// Arguments of `demarche alerts`.
#[derive(Debug, Args)]
pub struct AlertsArgs {
    /// The project (its number).
    #[arg(long, value_name = "ID")]
    pub project: i64,
    /// The member whose alerts to show (what they have seen is theirs).
    #[arg(long, value_name = "NAME")]
    pub user: String,
    /// Record them as seen by that member.
    #[arg(long)]
    pub mark_seen: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

impl AlertsArgs {
    /// Prints the alerts.
    pub fn run(self, dir: &Path) -> anyhow::Result<ExitCode> {
        drop(Archive::open(dir)?);
        let store = SqliteNewsroom::open(dir)?;
        let (user, _) = store
            .user(&self.user)?
            .filter(|(u, _)| !u.disabled)
            .ok_or_else(|| archive::Error::NotFound(format!("no enabled account {:?}", self.user)))?;
        let access = Access::new(&store, &user, "cli");
        let alerts = access.alerts(Some(self.project), self.mark_seen)?;
        if self.json {
            let out: Vec<_> = alerts
                .iter()
                .map(|(s, a)| serde_json::json!({"search": s, "new": a.len(), "alerts": a}))
                .collect();
            super::print_json(&out)?;
            return Ok(ExitCode::SUCCESS);
        }
        for (search, found) in &alerts {
            println!("{} new since you last looked: {} ({})", found.len(), search.name, search.query);
            for a in found {
                println!("  {}  found {}", a.cable, archive::query::format_unix(a.found_at));
            }
        }
        if alerts.is_empty() {
            println!("project {} has no saved searches", self.project);
        }
        Ok(ExitCode::SUCCESS)
    }
}
