//! `demarche serve`: the web UI and JSON API over an archive.

use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;

use crate::server::connections::raise_open_file_limit;
use crate::server::{
    serve, AppState, ConnectionLimits, CONNECTIONS_PER_CLIENT, HEADER_READ_TIMEOUT, REQUEST_TIMEOUT,
    WRITE_STALL_TIMEOUT,
};

/// Arguments of `demarche serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Requests a second allowed per client, an IPv4 address or an IPv6 /64 (on average; twice
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
    /// Seconds a response may wait, without progress, on a client that
    /// does not read it; beyond, the connection is closed.
    #[arg(long, default_value_t = WRITE_STALL_TIMEOUT.as_secs(), value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub write_timeout: u64,
    /// Connections one client (an IPv4 address or an IPv6 /64) may hold open at once; beyond,
    /// 429. 0: no limit (behind a reverse proxy, every client is the proxy).
    #[arg(long, default_value_t = CONNECTIONS_PER_CLIENT, value_name = "N")]
    pub max_connections_per_client: usize,
    /// Connections open at once in all; beyond, 503. Default: what the
    /// limit on open files allows, less 256 kept for the archive.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_connections: Option<u64>,
    /// A private newsroom instance: every page and API route but /login and
    /// the stylesheet needs a signed-in account (`demarche users add`); the
    /// newsroom's projects, notes, stars, saved searches and audit log are on.
    #[arg(long)]
    pub private: bool,
    /// Cookies are marked Secure (a TLS-terminating proxy is in front).
    #[arg(long, requires = "private")]
    pub behind_tls: bool,
}

impl ServeArgs {
    /// Serves until Ctrl-C.
    pub fn run(self, dir: &Path) -> anyhow::Result<ExitCode> {
        let mut state = AppState::open(dir)?.with_request_timeout(Duration::from_secs(self.request_timeout));
        if self.private {
            state = state.private(self.behind_tls)?;
        }
        if self.rate_limit > 0 {
            state = state.with_rate_limit(self.rate_limit, self.rate_limit.saturating_mul(2));
        }
        raise_open_file_limit();
        let mut limits = ConnectionLimits {
            header_read_timeout: Duration::from_secs(self.header_timeout),
            write_stall_timeout: Duration::from_secs(self.write_timeout),
            per_client: self.max_connections_per_client,
            ..ConnectionLimits::default()
        };
        if let Some(n) = self.max_connections {
            limits.total = usize::try_from(n).unwrap_or(usize::MAX);
        }
        let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
        rt.block_on(serve(state, self.bind, limits))?;
        Ok(ExitCode::SUCCESS)
    }
}
