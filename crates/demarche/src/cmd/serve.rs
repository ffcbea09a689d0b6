//! `demarche serve`: the web UI and JSON API over an archive.

use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;

use clap::Args;

use crate::server::{serve, AppState};

/// Arguments of `demarche serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Requests a second allowed per client IP address (on average; twice
    /// as many at once); beyond, 429 with Retry-After. 0: no limit.
    #[arg(long, default_value_t = 50, value_name = "N")]
    pub rate_limit: u32,
}

impl ServeArgs {
    /// Serves until Ctrl-C.
    pub fn run(self, dir: &Path) -> anyhow::Result<ExitCode> {
        let mut state = AppState::open(dir)?;
        if self.rate_limit > 0 {
            state = state.with_rate_limit(self.rate_limit, self.rate_limit.saturating_mul(2));
        }
        let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
        rt.block_on(serve(state, self.bind))?;
        Ok(ExitCode::SUCCESS)
    }
}
