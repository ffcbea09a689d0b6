//! `demarche serve`: the web UI and JSON API over an archive.

use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;

use crate::server::{serve, AppState, HEADER_READ_TIMEOUT, REQUEST_TIMEOUT};

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
    /// Seconds a client may take to send a request line and its headers,
    /// and may leave a kept-alive connection idle; beyond, the connection
    /// is closed (slow clients cannot hold connections).
    #[arg(long, default_value_t = HEADER_READ_TIMEOUT.as_secs(), value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub header_timeout: u64,
    /// Seconds a request may take, reading its body included; beyond, 503.
    #[arg(long, default_value_t = REQUEST_TIMEOUT.as_secs(), value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub request_timeout: u64,
}

impl ServeArgs {
    /// Serves until Ctrl-C.
    pub fn run(self, dir: &Path) -> anyhow::Result<ExitCode> {
        let mut state = AppState::open(dir)?.with_request_timeout(Duration::from_secs(self.request_timeout));
        if self.rate_limit > 0 {
            state = state.with_rate_limit(self.rate_limit, self.rate_limit.saturating_mul(2));
        }
        let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
        rt.block_on(serve(state, self.bind, Duration::from_secs(self.header_timeout)))?;
        Ok(ExitCode::SUCCESS)
    }
}
