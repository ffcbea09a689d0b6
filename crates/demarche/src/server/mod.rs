//! `demarche serve`: a JSON API and a server-rendered web UI over one set of
//! handlers. [`router`] builds the whole application, so HTTP tests need no
//! socket (`tower::ServiceExt::oneshot`).
//!
//! Archive calls are blocking (SQLite, tantivy): they run on tokio's
//! blocking pool, each with an archive handle taken from a small pool.

mod api;
mod error;
mod export;
mod openapi;
mod pages;
pub mod ratelimit;
mod svg;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue};
use axum::routing::{get, post};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

use archive::Archive;
pub use error::HttpError;
pub use openapi::ApiDoc;

/// The largest page size served over HTTP.
pub const MAX_PER_PAGE: usize = 100;
/// How long a request may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// The Content-Security-Policy of every response: no script at all, styles
/// only from this server.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
                       base-uri 'none'; frame-ancestors 'none'";

/// Shared state: where the archive is, and a fixed pool of open read-only
/// handles. At most [`AppState::handles`] archive calls run at once (a
/// semaphore); the others wait their turn instead of opening more handles,
/// which is what keeps latency flat under many clients.
#[derive(Clone)]
pub struct AppState {
    dir: PathBuf,
    pool: Arc<Mutex<Vec<Archive>>>,
    permits: Arc<tokio::sync::Semaphore>,
    handles: usize,
    limiter: Option<Arc<ratelimit::RateLimiter>>,
}

impl AppState {
    /// State over the archive in `dir` (opened once now, to fail early),
    /// with two handles per core.
    pub fn open(dir: &Path) -> archive::Result<AppState> {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        AppState::with_handles(dir, (2 * cores).clamp(2, 32))
    }

    /// State over the archive in `dir` with `handles` concurrent archive calls.
    pub fn with_handles(dir: &Path, handles: usize) -> archive::Result<AppState> {
        let handles = handles.max(1);
        let first = Archive::open(dir)?;
        Ok(AppState {
            dir: dir.to_path_buf(),
            pool: Arc::new(Mutex::new(vec![first])),
            permits: Arc::new(tokio::sync::Semaphore::new(handles)),
            handles,
            limiter: None,
        })
    }

    /// Limits each client (by IP address) to `per_second` requests a
    /// second on average, `burst` at once; beyond, 429 with `Retry-After`.
    pub fn with_rate_limit(mut self, per_second: u32, burst: u32) -> AppState {
        self.limiter = Some(Arc::new(ratelimit::RateLimiter::new(per_second, burst)));
        self
    }

    /// How many archive calls may run at once.
    pub fn handles(&self) -> usize {
        self.handles
    }

    /// Runs `f` with an archive handle on the blocking pool, waiting for a
    /// free handle first.
    pub async fn with_archive<T, F>(&self, f: F) -> Result<T, HttpError>
    where
        T: Send + 'static,
        F: FnOnce(&Archive) -> archive::Result<T> + Send + 'static,
    {
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| HttpError::internal(format!("archive pool closed: {e}")))?;
        let state = self.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let taken = state.pool.lock().ok().and_then(|mut p| p.pop());
            let archive = match taken {
                Some(a) => a,
                None => Archive::open(&state.dir)?,
            };
            let out = f(&archive);
            if let Ok(mut p) = state.pool.lock() {
                p.push(archive);
            }
            out
        })
        .await
        .map_err(|e| HttpError::internal(format!("worker failed: {e}")))?
        .map_err(HttpError::from)
    }
}

/// The application: JSON API under `/api`, pages elsewhere, security
/// headers on every response, a request time limit.
pub fn router(state: AppState) -> Router {
    let limiter = state.limiter.clone();
    let app = Router::new()
        .route("/", get(pages::search))
        .route("/cable/{id}", get(pages::cable))
        .route("/browse", get(pages::browse_index))
        .route("/browse/{by}", get(pages::browse))
        .route("/export", get(export::export))
        .route("/campaign", get(pages::campaign))
        .route("/attribute", get(pages::attribute_form).post(pages::attribute))
        .route("/static/style.css", get(pages::stylesheet))
        .route("/api/search", get(api::search))
        .route("/api/cable/{id}", get(api::cable))
        .route("/api/cable/{id}/refs", get(api::refs))
        .route("/api/cable/{id}/versions", get(api::versions))
        .route("/api/cable/{id}/diff", get(api::diff))
        .route("/api/browse/{by}", get(api::browse))
        .route("/api/campaign", get(api::campaign))
        .route("/api/attribute", post(api::attribute))
        .route("/api/openapi.json", get(openapi::openapi_json))
        .fallback(pages::not_found)
        .layer(DefaultBodyLimit::max(2 * api::MAX_ARTICLE_BYTES))
        .with_state(state);
    let app = match limiter {
        Some(l) => app.layer(axum::middleware::from_fn_with_state(l, ratelimit::limit)),
        None => app,
    };
    app.layer(TimeoutLayer::with_status_code(axum::http::StatusCode::SERVICE_UNAVAILABLE, REQUEST_TIMEOUT))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
}

/// Serves until Ctrl-C.
pub async fn serve(state: AppState, bind: std::net::SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(bind).await?;
    eprintln!("demarche serving on http://{}", listener.local_addr()?);
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
