//! `demarche audit`: the newsroom's audit log (who signed in, searched,
//! read, exported, changed what), newest first.

use std::path::Path;
use std::process::ExitCode;

use archive::newsroom::{AuditFilter, NewsroomStore, SqliteNewsroom};
use archive::Archive;
use clap::Args;

/// Arguments of `demarche audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Only from this day on (YYYY-MM-DD, UTC).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only this account's actions.
    #[arg(long, value_name = "NAME")]
    pub user: Option<String>,
    /// At most this many lines.
    #[arg(long, default_value_t = 1000)]
    pub limit: usize,
    /// Print JSON lines.
    #[arg(long)]
    pub json: bool,
}

/// Unix seconds at the start of a day written YYYY-MM-DD.
pub fn day_start(text: &str) -> archive::Result<i64> {
    let bad = || archive::Error::BadRequest(format!("{text:?} is not a date: write YYYY-MM-DD"));
    let mut parts = text.trim().splitn(3, '-');
    let mut next = || parts.next().and_then(|p| p.parse::<u16>().ok());
    let (y, m, d) = (next().ok_or_else(bad)?, next().ok_or_else(bad)?, next().ok_or_else(bad)?);
    let date = cable::Date::new(y, u8::try_from(m).map_err(|_| bad())?, u8::try_from(d).map_err(|_| bad())?)
        .ok_or_else(bad)?;
    Ok(date.days_since_epoch() * 86_400)
}

impl AuditArgs {
    /// Prints the log.
    pub fn run(self, dir: &Path) -> anyhow::Result<ExitCode> {
        drop(Archive::open(dir)?);
        let store = SqliteNewsroom::open(dir)?;
        let filter = AuditFilter {
            user: self.user,
            since: self.since.as_deref().map(day_start).transpose()?,
            until: None,
            limit: self.limit,
        };
        for e in store.audit(&filter)? {
            if self.json {
                println!("{}", serde_json::to_string(&e)?);
            } else {
                let who = if e.user.is_empty() { "-" } else { e.user.as_str() };
                println!(
                    "{}  {:<16} {:<15} {:<14} {} {}",
                    archive::query::format_unix(e.at),
                    who,
                    e.client,
                    e.action,
                    e.target,
                    e.detail
                );
            }
        }
        Ok(ExitCode::SUCCESS)
    }
}
