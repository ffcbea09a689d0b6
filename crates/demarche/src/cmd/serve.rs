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
}

impl ServeArgs {
    /// Serves until Ctrl-C.
    pub fn run(self, dir: &Path) -> anyhow::Result<ExitCode> {
        let state = AppState::open(dir)?;
        let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
        rt.block_on(serve(state, self.bind))?;
        Ok(ExitCode::SUCCESS)
    }
}
