//! `demarche serve`: a JSON API and a server-rendered web UI over one set of
//! handlers. [`router`] builds the whole application, so HTTP tests need no
//! socket (`tower::ServiceExt::oneshot`).
//!
//! Archive calls are blocking (SQLite, tantivy): they run on tokio's
//! blocking pool, each with an archive handle taken from a small pool.
//!
//! Slow clients cannot hold a connection forever: [`serve_on`] closes a
//! connection whose request line and headers do not arrive within
//! [`HEADER_READ_TIMEOUT`] (slowloris; also a kept-alive connection left
//! idle that long), or whose response makes no progress for
//! [`WRITE_STALL_TIMEOUT`] (a client that stops reading); a request (its
//! body included) that takes longer than [`REQUEST_TIMEOUT`] is answered
//! 503. One client may hold [`CONNECTIONS_PER_CLIENT`] connections at once
//! (see [`ConnectionLimits`]).

mod api;
pub mod auth;
pub mod connections;
mod coverage;
mod error;
mod export;
mod newsroom;
mod openapi;
mod pages;
pub mod ratelimit;
mod stream;
mod svg;
mod zip;

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderName, HeaderValue};
use axum::routing::{get, post};
use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower::Service as _;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

use archive::Archive;
pub use connections::{ConnectionLimits, CONNECTIONS_PER_CLIENT, HEADER_READ_TIMEOUT, WRITE_STALL_TIMEOUT};
pub use error::HttpError;
pub use openapi::ApiDoc;

/// The largest page size served over HTTP.
pub const MAX_PER_PAGE: usize = 100;
/// How long a request may take by default, reading its body included:
/// beyond, 503 ([`AppState::with_request_timeout`] sets another).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// The Content-Security-Policy of every response: no script at all, styles
/// only from this server.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
                       base-uri 'none'; frame-ancestors 'none'";
/// The headers every response carries, refusals of a connection included:
/// the [`CSP`], no MIME sniffing, no framing, no Referer.
pub const SECURITY_HEADERS: [(HeaderName, &str); 4] = [
    (header::CONTENT_SECURITY_POLICY, CSP),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::X_FRAME_OPTIONS, "DENY"),
    (header::REFERRER_POLICY, "no-referrer"),
];

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
    request_timeout: Duration,
    /// A private newsroom instance's accounts, projects and notes (`None`: public).
    newsroom: Option<Arc<auth::Newsroom>>,
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
            request_timeout: REQUEST_TIMEOUT,
            newsroom: None,
        })
    }

    /// Makes this a private newsroom instance (`serve --private`): every
    /// route but `/login` and the stylesheet needs a signed-in account of
    /// the archive's newsroom; cookies are `Secure` when `behind_tls`.
    pub fn private(mut self, behind_tls: bool) -> archive::Result<AppState> {
        let store = archive::newsroom::SqliteNewsroom::open(&self.dir)?;
        self.newsroom = Some(Arc::new(auth::Newsroom::new(Arc::new(store), behind_tls)));
        Ok(self)
    }

    /// Whether this is a private newsroom instance.
    pub fn is_private(&self) -> bool {
        self.newsroom.is_some()
    }

    /// Answers 503 to a request not answered within `timeout`, the time to
    /// read its body included (default [`REQUEST_TIMEOUT`]).
    pub fn with_request_timeout(mut self, timeout: Duration) -> AppState {
        self.request_timeout = timeout;
        self
    }

    /// Limits each client ([`connections::client_of`]) to `per_second` requests a
    /// second on average, `burst` at once; beyond, 429 with `Retry-After`.
    pub fn with_rate_limit(mut self, per_second: u32, burst: u32) -> AppState {
        self.limiter = Some(Arc::new(ratelimit::RateLimiter::new(per_second, burst)));
        self
    }

    /// How many archive calls may run at once.
    pub fn handles(&self) -> usize {
        self.handles
    }

    /// Runs `f` with an archive handle, waiting for a free handle first
    /// (on this worker thread under `serve`, on the blocking pool under a
    /// current-thread runtime).
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
        let work = move || {
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
        };
        // On the multi-threaded runtime `serve` runs, the work runs on this
        // worker (its other tasks move to another thread): no hand-over to
        // the blocking pool and back, which was most of the cost of a small
        // request (`/api/cable/UNKNOWN` 128 -> 95 us, search throughput at
        // 32 clients 1.7k -> 3.2k req/s on the shared corpus). Elsewhere
        // (tests on a current-thread runtime), the blocking pool. A panic
        // is a 500 either way, never a dropped connection.
        let guarded = move || {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))
                .map_err(|_| HttpError::internal("the request's worker failed"))
        };
        let multi =
            tokio::runtime::Handle::current().runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread;
        let out = if multi {
            tokio::task::block_in_place(guarded)?
        } else {
            tokio::task::spawn_blocking(guarded)
                .await
                .map_err(|e| HttpError::internal(format!("worker failed: {e}")))??
        };
        out.map_err(HttpError::from)
    }
}

/// The application: JSON API under `/api`, pages elsewhere, security
/// headers on every response, a request time limit.
pub fn router(state: AppState) -> Router {
    let limiter = state.limiter.clone();
    let request_timeout = state.request_timeout;
    let app = Router::new()
        .route("/", get(pages::search))
        .route("/cable/{id}", get(pages::cable))
        .route("/browse", get(pages::browse_index))
        .route("/browse/{by}", get(pages::browse))
        .route("/export", get(export::export))
        .route("/campaign", get(pages::campaign))
        .route("/coverage", get(coverage::page_all))
        .route("/coverage/{station}", get(coverage::page_station))
        .route("/api/coverage", get(coverage::api))
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
        .route("/api/openapi.json", get(openapi::openapi_json));
    let app = if state.newsroom.is_some() {
        app.route("/login", get(auth::sign_in_page).post(auth::sign_in))
            .route("/logout", post(auth::sign_out))
            .route("/projects", get(pages::newsroom::projects).post(pages::newsroom::create_project))
            .route("/projects/{id}", get(pages::newsroom::project))
            .route("/projects/{id}/collect", post(pages::newsroom::collect_query))
            .route("/projects/{id}/members", post(pages::newsroom::add_member))
            .route("/projects/{id}/remove", post(pages::newsroom::remove_cable))
            .route("/projects/{id}/searches", post(pages::newsroom::save_search))
            .route("/projects/{id}/seen", post(pages::newsroom::mark_seen))
            .route("/cable/{id}/label", post(pages::newsroom::label))
            .route("/audit", get(pages::newsroom::audit))
            .route("/cable/{id}/star", post(pages::newsroom::star))
            .route("/cable/{id}/collect", post(pages::newsroom::collect))
            .route("/notes", post(pages::newsroom::note))
            .route("/api/session", post(auth::api_sign_in).delete(auth::api_sign_out))
            .route("/api/projects", get(newsroom::projects).post(newsroom::create_project))
            .route("/api/projects/{id}", get(newsroom::project))
            .route("/api/projects/{id}/members", post(newsroom::add_member))
            .route(
                "/api/projects/{id}/cables",
                get(newsroom::project_cables).post(newsroom::add_cables).delete(newsroom::remove_cables),
            )
            .route("/api/projects/{id}/notes", get(newsroom::project_notes))
            .route("/api/projects/{id}/export", get(export::project_export))
            .route("/api/projects/{id}/searches", post(newsroom::save_search))
            .route("/api/notes", post(newsroom::add_note))
            .route("/api/cable/{id}/notes", get(newsroom::cable_notes))
            .route("/api/cable/{id}/marks", get(newsroom::get_marks).post(newsroom::set_marks))
            .route("/api/alerts", get(newsroom::alerts))
            .route("/api/audit", get(newsroom::audit))
    } else {
        app
    };
    let app = app
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::gate))
        .layer(DefaultBodyLimit::max(2 * api::MAX_ARTICLE_BYTES))
        .with_state(state);
    let app = match limiter {
        Some(l) => app.layer(axum::middleware::from_fn_with_state(l, ratelimit::limit)),
        None => app,
    };
    let mut app = app
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::SERVICE_UNAVAILABLE, request_timeout));
    for (name, value) in SECURITY_HEADERS {
        app = app.layer(SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value)));
    }
    app
}

/// Serves on `bind` until Ctrl-C, holding every connection to `limits`
/// (see [`serve_on`]).
pub async fn serve(state: AppState, bind: SocketAddr, limits: ConnectionLimits) -> std::io::Result<()> {
    let listener = TcpListener::bind(bind).await?;
    eprintln!("demarche serving on http://{}", listener.local_addr()?);
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    serve_on(listener, state, limits, ctrl_c).await
}

/// Serves the application on `listener` until `shutdown` completes, then
/// lets the requests in flight finish (for up to the request timeout).
///
/// HTTP/1 only, each connection held to `limits`:
/// - a client that has not sent a whole request line and headers within
///   the header read timeout of the connection opening (or of the previous
///   response, on a kept-alive connection) is disconnected, so that slow or
///   silent clients (slowloris) cannot hold connections forever
///   (`axum::serve` sets no timer on hyper, which leaves hyper's header
///   timeout off);
/// - a request line and headers longer than twice
///   [`connections::MAX_REQUEST_HEAD`] are refused (431 or 414), which
///   bounds what each connection's buffers hold;
/// - a connection whose response makes no progress for the write stall
///   timeout is closed ([`connections::StallLimited`]);
/// - a connection beyond a client's share, or beyond the total, is
///   answered 429 or 503 at once and closed ([`connections::Slots`]).
pub async fn serve_on(
    listener: TcpListener,
    state: AppState,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let grace = state.request_timeout;
    let mut make_service = router(state).into_make_service_with_connect_info::<SocketAddr>();
    let mut builder = auto::Builder::new(TokioExecutor::new()).http1_only();
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(connections::MAX_REQUEST_HEAD);
    let slots = connections::Slots::new(limits);
    let (stop, stopping) = watch::channel(());
    let mut connections = JoinSet::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    pause_after_accept_error(e).await;
                    continue;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
            () = &mut shutdown => break,
        };
        let slot = match slots.take(peer.ip()) {
            Ok(slot) => slot,
            Err(why) => {
                slots.refuse(stream, &why);
                continue;
            }
        };
        let Ok(app) = make_service.call(peer).await;
        let stream = connections::StallLimited::new(stream, limits.write_stall_timeout);
        connections.spawn(serve_connection(builder.clone(), stream, app, stopping.clone(), slot));
    }
    drop(listener);
    drop(stop); // every connection finishes its request in flight, then closes
    let drained = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(grace, drained).await.is_err() {
        connections.abort_all();
    }
    Ok(())
}

/// The application as one connection sees it: the router with the
/// client's address.
type ConnectionApp = axum::middleware::AddExtension<Router, axum::extract::ConnectInfo<SocketAddr>>;

/// One connection, until the client closes it, a timeout closes it, or the
/// server stops (then after the request in flight); its `slot` is given
/// back when it ends.
async fn serve_connection(
    builder: auto::Builder<TokioExecutor>,
    stream: connections::StallLimited<TcpStream>,
    app: ConnectionApp,
    mut stopping: watch::Receiver<()>,
    slot: connections::Slot,
) {
    let _slot = slot;
    let connection = builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app));
    let mut connection = std::pin::pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => return, // closed, timed out or failed: nothing to tell anyone
        _ = stopping.changed() => connection.as_mut().graceful_shutdown(),
    }
    let _ = connection.await;
}

/// After a failed accept: a connection that went away before it was
/// accepted is nothing; running out of file descriptors (a flood) is
/// waited out briefly instead of spinning or stopping the server.
async fn pause_after_accept_error(e: std::io::Error) {
    use std::io::ErrorKind::*;
    if !matches!(e.kind(), ConnectionAborted | ConnectionReset | ConnectionRefused | Interrupted) {
        eprintln!("demarche: accepting a connection failed: {e}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
