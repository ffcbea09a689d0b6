//! Signing in to a private newsroom instance (`serve --private`): the
//! session cookie and bearer tokens, the gate every other route is behind,
//! CSRF tokens for what changes something, and the limit on failed
//! sign-ins. Who may then see and do what is `archive::newsroom::Access`'s
//! decision, not this module's.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use serde::{Deserialize, Serialize};

use archive::newsroom::{now, secret, AuditEvent, CredentialKind, NewsroomStore, User, SESSION_SECONDS};

use super::{AppState, HttpError};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "demarche_session";
/// The cookie the sign-in form's CSRF token is doubled in.
const LOGIN_CSRF_COOKIE: &str = "demarche_login";
/// Failed sign-ins allowed per account, and per client, within [`FAILURE_WINDOW`].
pub const MAX_FAILED_LOGINS: usize = 5;
/// The window failed sign-ins are counted in.
pub const FAILURE_WINDOW: Duration = Duration::from_secs(15 * 60);

/// What a private instance needs: the newsroom's store, whether cookies
/// go over TLS only, and the failed sign-ins counted.
pub struct Newsroom {
    /// The store of accounts, projects, notes...
    pub store: Arc<dyn NewsroomStore>,
    /// Mark cookies `Secure` (a TLS proxy in front).
    pub behind_tls: bool,
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl Newsroom {
    /// A newsroom over `store`.
    pub fn new(store: Arc<dyn NewsroomStore>, behind_tls: bool) -> Newsroom {
        Newsroom { store, behind_tls, failures: Mutex::new(HashMap::new()) }
    }

    /// Seconds to wait before `keys` may try again, if any is over its limit.
    fn locked_out(&self, keys: &[String], at: Instant) -> Option<u64> {
        let mut failures = self.failures.lock().ok()?;
        keys.iter()
            .filter_map(|k| {
                let list = failures.get_mut(k)?;
                while list.front().is_some_and(|t| at.duration_since(*t) > FAILURE_WINDOW) {
                    list.pop_front();
                }
                (list.len() >= MAX_FAILED_LOGINS)
                    .then(|| FAILURE_WINDOW.saturating_sub(at.duration_since(list[0])).as_secs().max(1))
            })
            .max()
    }

    fn count_failure(&self, keys: &[String], at: Instant) {
        if let Ok(mut failures) = self.failures.lock() {
            if failures.len() > 100_000 {
                failures.retain(|_, l| l.back().is_some_and(|t| at.duration_since(*t) < FAILURE_WINDOW));
            }
            for k in keys {
                failures.entry(k.clone()).or_default().push_back(at);
            }
        }
    }
}

/// Who is signed in, for the pages' header.
#[derive(Clone)]
pub struct SignedInAs {
    /// The account's name.
    pub name: String,
    /// Whether it is an admin's (the header links the audit log).
    pub admin: bool,
}

tokio::task_local! {
    /// The person the request in this task is for, when signed in: the
    /// pages' header says so without every handler passing it down.
    pub static SIGNED_IN_AS: Option<SignedInAs>;
}

/// Who is signed in for the request being answered, if anyone.
pub fn signed_in_as() -> Option<SignedInAs> {
    SIGNED_IN_AS.try_with(Clone::clone).ok().flatten()
}

/// Who is asking, as the gate found them.
#[derive(Clone)]
pub enum Viewer {
    /// A public instance: anyone, reading.
    Public,
    /// A signed-in member of a private instance.
    Member(Arc<SignedIn>),
}

/// A signed-in person and how they came in.
pub struct SignedIn {
    /// The account.
    pub user: User,
    /// The session's CSRF token (a session signed in by cookie).
    pub csrf: Option<String>,
    /// Whether the credential came in a cookie (then what changes something needs the CSRF token).
    pub by_cookie: bool,
    /// The hash of the credential's secret (to end the session).
    pub secret_hash: [u8; 32],
    /// The client's address, for the audit log.
    pub client: String,
}

impl Viewer {
    /// The signed-in person, if any.
    pub fn member(&self) -> Option<&SignedIn> {
        match self {
            Viewer::Public => None,
            Viewer::Member(m) => Some(m),
        }
    }

    /// The signed-in person, or 404 (a route of the newsroom on a public instance).
    pub fn require(&self) -> Result<&SignedIn, HttpError> {
        self.member().ok_or_else(|| HttpError::not_found("no such page"))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Viewer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Viewer, Self::Rejection> {
        Ok(parts.extensions.get::<Viewer>().cloned().unwrap_or(Viewer::Public))
    }
}

impl SignedIn {
    /// Refuses a change asked for with a session cookie without the
    /// session's CSRF token (in a form field or an `X-CSRF-Token` header).
    pub fn check_csrf(&self, given: Option<&str>) -> Result<(), HttpError> {
        if !self.by_cookie {
            return Ok(()); // a bearer token cannot be sent by another site's page
        }
        match (&self.csrf, given) {
            (Some(want), Some(got)) if secret::same(want, got) => Ok(()),
            _ => Err(HttpError {
                status: StatusCode::FORBIDDEN,
                message:
                    "this form has expired or did not come from this site: reload the page and try again"
                        .into(),
            }),
        }
    }
}

fn client_of(req_extensions: &axum::http::Extensions) -> String {
    req_extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |ConnectInfo(a)| a.ip().to_string())
}

/// A cookie's value in the request's `Cookie` headers.
fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The secret a request carries: a bearer token, or else the session cookie.
fn presented(headers: &HeaderMap) -> Option<(&str, bool)> {
    if let Some(auth) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        return auth.strip_prefix("Bearer ").map(|t| (t.trim(), false));
    }
    cookie(headers, SESSION_COOKIE).map(|s| (s, true))
}

/// Paths open without signing in on a private instance.
fn open_path(method: &Method, path: &str) -> bool {
    matches!(path, "/login" | "/static/style.css") || (path == "/api/session" && method == Method::POST)
}

/// The gate of a private instance: every route but the sign-in page, the
/// sign-in API and the stylesheet needs a live session or token; pages
/// send the others to `/login`, the API and exports answer 401. A cookie-signed-in
/// change to the API (anything but GET and HEAD) needs the `X-CSRF-Token`
/// header.
pub async fn gate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let Some(newsroom) = state.newsroom.clone() else {
        return next.run(req).await;
    };
    let client = client_of(req.extensions());
    let found = match presented(req.headers()) {
        Some((secret_text, by_cookie)) => {
            let hash = secret::secret_hash(secret_text);
            let store = newsroom.store.clone();
            match tokio::task::spawn_blocking(move || store.credential(&hash, now())).await {
                Ok(Ok(Some(c))) => Some((c, by_cookie, hash)),
                Ok(Ok(None)) => None,
                Ok(Err(e)) => return HttpError::from(e).into_response(),
                Err(_) => return HttpError::internal("checking the session failed").into_response(),
            }
        }
        None => None,
    };
    let path = req.uri().path().to_owned();
    match found {
        Some((credential, by_cookie, secret_hash)) => {
            let signed = SignedIn {
                user: credential.user,
                csrf: credential.csrf,
                by_cookie: by_cookie && credential.kind == CredentialKind::Session,
                secret_hash,
                client,
            };
            let api_change =
                path.starts_with("/api/") && !matches!(*req.method(), Method::GET | Method::HEAD);
            if api_change && path != "/api/session" {
                let given = req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok());
                if let Err(e) = signed.check_csrf(given) {
                    return e.into_response();
                }
            }
            let shown = SignedInAs {
                name: signed.user.name.clone(),
                admin: signed.user.role == archive::newsroom::Role::Admin,
            };
            req.extensions_mut().insert(Viewer::Member(Arc::new(signed)));
            SIGNED_IN_AS.scope(Some(shown), next.run(req)).await
        }
        None if open_path(req.method(), &path) => next.run(req).await,
        None if path.starts_with("/api/") || path == "/export" => HttpError {
            status: StatusCode::UNAUTHORIZED,
            message: "sign in first: POST /api/session, or send Authorization: Bearer TOKEN".into(),
        }
        .into_response(),
        None => Redirect::to("/login").into_response(),
    }
}

/// A sign-in.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct Credentials {
    /// The account name.
    pub user: String,
    /// Its password.
    pub password: String,
}

/// A session just opened.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SessionOpened {
    /// The account.
    pub user: String,
    /// Its role on the instance.
    pub role: archive::newsroom::Role,
    /// The session's secret, for scripts: `Authorization: Bearer TOKEN`
    /// (it expires with the session).
    pub token: String,
    /// The token forms and cookie-signed-in API changes carry (`X-CSRF-Token`).
    pub csrf: String,
    /// When the session ends, unix seconds.
    pub expires_at: i64,
}

/// Checks a sign-in and opens a session (always a new one: the session id
/// is never reused across sign-ins). The answer is the same whether the
/// account is unknown, disabled or the password wrong.
async fn open_session(
    newsroom: &Arc<Newsroom>,
    credentials: Credentials,
    client: &str,
    old: Option<[u8; 32]>,
) -> Result<SessionOpened, HttpError> {
    let at = Instant::now();
    let name = credentials.user.trim().to_lowercase();
    let keys = [format!("user:{name}"), format!("client:{client}")];
    if let Some(wait) = newsroom.locked_out(&keys, at) {
        return Err(HttpError {
            status: StatusCode::TOO_MANY_REQUESTS,
            message: format!(
                "too many failed sign-ins for this account or from this address: try again in {} minutes",
                wait.div_ceil(60)
            ),
        });
    }
    let store = newsroom.store.clone();
    let client_owned = client.to_owned();
    let opened = tokio::task::spawn_blocking(move || -> archive::Result<Option<SessionOpened>> {
        let found = store.user(credentials.user.trim())?;
        let hash = found.as_ref().map(|(_, h)| h.as_str());
        let matches = secret::verify_password(&credentials.password, hash);
        let user = match found {
            Some((user, _)) if matches && !user.disabled => user,
            _ => {
                store.append_audit(None, &client_owned, AuditEvent::LoginFailed.name(), &name, "")?;
                return Ok(None);
            }
        };
        if let Some(old) = old {
            store.remove_credential(&old)?;
        }
        let token = secret::new_secret("dms_");
        let csrf = secret::new_secret("");
        let expires_at = now() + SESSION_SECONDS;
        store.add_credential(
            user.id,
            CredentialKind::Session,
            &secret::secret_hash(&token),
            Some(&csrf),
            Some(expires_at),
        )?;
        store.append_audit(Some(&user), &client_owned, AuditEvent::Login.name(), &user.name, "")?;
        Ok(Some(SessionOpened { user: user.name, role: user.role, token, csrf, expires_at }))
    })
    .await
    .map_err(|_| HttpError::internal("signing in failed"))??;
    opened.ok_or_else(|| {
        newsroom.count_failure(&keys, at);
        HttpError { status: StatusCode::UNAUTHORIZED, message: "wrong account name or password".into() }
    })
}

fn session_cookie(newsroom: &Newsroom, value: &str, max_age: i64) -> HeaderValue {
    let secure = if newsroom.behind_tls { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn newsroom_of(state: &AppState) -> Result<Arc<Newsroom>, HttpError> {
    state.newsroom.clone().ok_or_else(|| HttpError::not_found("no such page"))
}

fn old_session(headers: &HeaderMap) -> Option<[u8; 32]> {
    cookie(headers, SESSION_COOKIE).map(secret::secret_hash)
}

/// `POST /api/session` `{"user", "password"}`: signs in; sets the session
/// cookie and returns the session's bearer token and CSRF token.
#[utoipa::path(post, path = "/api/session", tag = "newsroom", request_body = Credentials,
    responses((status = 200, description = "Signed in", body = SessionOpened),
              (status = 401, description = "Wrong name or password", body = super::error::ErrorBody),
              (status = 429, description = "Too many failed sign-ins", body = super::error::ErrorBody)))]
pub async fn api_sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    req: Request,
) -> Result<Response, HttpError> {
    let newsroom = newsroom_of(&state)?;
    let client = client_of(req.extensions());
    let body = axum::body::to_bytes(req.into_body(), 64 * 1024)
        .await
        .map_err(|_| HttpError::bad_request("the sign-in is too large"))?;
    let credentials: Credentials = serde_json::from_slice(&body).map_err(|e| {
        HttpError::bad_request(format!("a sign-in is {{\"user\": ..., \"password\": ...}}: {e}"))
    })?;
    let opened = open_session(&newsroom, credentials, &client, old_session(&headers)).await?;
    let cookie = session_cookie(&newsroom, &opened.token, SESSION_SECONDS);
    Ok(([(header::SET_COOKIE, cookie)], Json(opened)).into_response())
}

/// `DELETE /api/session`: signs out (the session, or the token sent, stops working).
#[utoipa::path(delete, path = "/api/session", tag = "newsroom",
    responses((status = 204, description = "Signed out")))]
pub async fn api_sign_out(State(state): State<AppState>, viewer: Viewer) -> Result<Response, HttpError> {
    let newsroom = newsroom_of(&state)?;
    let me = viewer
        .member()
        .ok_or_else(|| HttpError { status: StatusCode::UNAUTHORIZED, message: "not signed in".into() })?;
    end_session(&newsroom, me).await?;
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, session_cookie(&newsroom, "", 0))]).into_response())
}

async fn end_session(newsroom: &Arc<Newsroom>, me: &SignedIn) -> Result<(), HttpError> {
    let store = newsroom.store.clone();
    let (hash, user, client) = (me.secret_hash, me.user.clone(), me.client.clone());
    tokio::task::spawn_blocking(move || -> archive::Result<()> {
        store.remove_credential(&hash)?;
        store.append_audit(Some(&user), &client, AuditEvent::Logout.name(), &user.name, "")
    })
    .await
    .map_err(|_| HttpError::internal("signing out failed"))??;
    Ok(())
}

/// The sign-in form's fields.
#[derive(Debug, Deserialize)]
pub struct SignInForm {
    user: String,
    password: String,
    csrf: String,
}

/// `GET /login`: the sign-in page (its CSRF token doubled in a cookie).
pub async fn sign_in_page(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, HttpError> {
    let newsroom = newsroom_of(&state)?;
    Ok(sign_in_form(&newsroom, &headers, None, StatusCode::OK))
}

/// The sign-in page. The browser's token is kept when it has one: a page
/// loaded twice (a favicon sent here too, another tab) must not void the
/// form already shown.
fn sign_in_form(
    newsroom: &Newsroom,
    headers: &HeaderMap,
    problem: Option<&str>,
    status: StatusCode,
) -> Response {
    let token = match cookie(headers, LOGIN_CSRF_COOKIE) {
        Some(t) if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) => t.to_owned(),
        _ => secret::new_secret(""),
    };
    let secure = if newsroom.behind_tls { "; Secure" } else { "" };
    let cookie =
        format!("{LOGIN_CSRF_COOKIE}={token}; Path=/login; HttpOnly; SameSite=Strict; Max-Age=3600{secure}");
    let body = super::pages::sign_in(&token, problem);
    let mut response = (status, axum::response::Html(body.into_string())).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    response
}

/// `POST /login`: signs in from the form, then to the search page.
pub async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    req: Request,
) -> Result<Response, HttpError> {
    let newsroom = newsroom_of(&state)?;
    let client = client_of(req.extensions());
    let Ok(Form(form)) = Form::<SignInForm>::from_request(req, &()).await else {
        return Ok(sign_in_form(
            &newsroom,
            &headers,
            Some("fill in your account name and password"),
            StatusCode::BAD_REQUEST,
        ));
    };
    let doubled = cookie(&headers, LOGIN_CSRF_COOKIE).is_some_and(|c| secret::same(c, &form.csrf));
    if !doubled {
        return Ok(sign_in_form(
            &newsroom,
            &headers,
            Some("the form expired: sign in again"),
            StatusCode::FORBIDDEN,
        ));
    }
    let credentials = Credentials { user: form.user, password: form.password };
    match open_session(&newsroom, credentials, &client, old_session(&headers)).await {
        Ok(opened) => {
            let cookie = session_cookie(&newsroom, &opened.token, SESSION_SECONDS);
            Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/")).into_response())
        }
        Err(e) => Ok(sign_in_form(&newsroom, &headers, Some(&e.message), e.status)),
    }
}

/// The sign-out form's fields.
#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    /// The session's CSRF token.
    pub csrf: Option<String>,
}

/// `POST /logout`: signs out, then to the sign-in page.
pub async fn sign_out(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<CsrfForm>,
) -> Result<Response, HttpError> {
    let newsroom = newsroom_of(&state)?;
    let me = viewer.require()?;
    me.check_csrf(form.csrf.as_deref())?;
    end_session(&newsroom, me).await?;
    Ok(([(header::SET_COOKIE, session_cookie(&newsroom, "", 0))], Redirect::to("/login")).into_response())
}

use axum::extract::FromRequest as _;
