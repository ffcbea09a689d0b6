//! The newsroom's JSON API (a private instance only): projects, members,
//! collected cables, notes, stars and labels, saved searches and alerts,
//! the audit log. Every handler takes the signed-in [`Viewer`] and asks
//! `archive::newsroom::Access` what they may see and do.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use archive::newsroom::{
    notes_for_version, pin_note, Access, Alert, AuditEntry, AuditEvent, AuditFilter, Member, Project,
    ProjectRole, SavedSearch,
};
use archive::Archive;

use super::auth::Viewer;
use super::{AppState, HttpError};

fn body<T>(j: Result<Json<T>, JsonRejection>) -> Result<T, HttpError> {
    j.map(|Json(v)| v).map_err(|e| HttpError::bad_request(e.body_text()))
}

impl AppState {
    /// Runs `f` with an archive handle and the signed-in person's
    /// [`Access`] (404 on a public instance: the newsroom is not there).
    pub async fn with_access<T, F>(&self, viewer: &Viewer, f: F) -> Result<T, HttpError>
    where
        T: Send + 'static,
        F: FnOnce(&Archive, &Access<'_>) -> archive::Result<T> + Send + 'static,
    {
        let me = viewer.require()?;
        let newsroom = self.newsroom.clone().ok_or_else(|| HttpError::not_found("no such page"))?;
        let (user, client) = (me.user.clone(), me.client.clone());
        self.with_archive(move |a| {
            let access = Access::new(&*newsroom.store, &user, &client);
            f(a, &access)
        })
        .await
    }

    /// Runs `f` with an archive handle and, when someone is signed in,
    /// their [`Access`] (what the archive's public routes use: searches
    /// resolve `project:` and the like for them, and are audited).
    pub async fn with_viewer<T, F>(&self, viewer: &Viewer, f: F) -> Result<T, HttpError>
    where
        T: Send + 'static,
        F: FnOnce(&Archive, Option<&Access<'_>>) -> archive::Result<T> + Send + 'static,
    {
        match (viewer.member(), self.newsroom.clone()) {
            (Some(me), Some(newsroom)) => {
                let (user, client) = (me.user.clone(), me.client.clone());
                self.with_archive(move |a| {
                    let access = Access::new(&*newsroom.store, &user, &client);
                    f(a, Some(&access))
                })
                .await
            }
            _ => self.with_archive(move |a| f(a, None)).await,
        }
    }
}

/// A new project.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewProject {
    /// Its name.
    pub name: String,
    /// What it is about.
    #[serde(default)]
    pub description: String,
}

/// `GET /api/projects`: the projects you are a member of.
#[utoipa::path(get, path = "/api/projects", tag = "newsroom",
    responses((status = 200, description = "Your projects", body = Vec<Project>)))]
pub async fn projects(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<Vec<Project>>, HttpError> {
    Ok(Json(state.with_access(&viewer, |_, access| access.projects()).await?))
}

/// `POST /api/projects`: creates a project you own.
#[utoipa::path(post, path = "/api/projects", tag = "newsroom", request_body = NewProject,
    responses((status = 201, description = "Created", body = Project),
              (status = 403, description = "Readers cannot create projects", body = super::error::ErrorBody)))]
pub async fn create_project(
    State(state): State<AppState>,
    viewer: Viewer,
    j: Result<Json<NewProject>, JsonRejection>,
) -> Result<Response, HttpError> {
    let new = body(j)?;
    let p = state
        .with_access(&viewer, move |_, access| access.create_project(&new.name, &new.description))
        .await?;
    Ok((StatusCode::CREATED, Json(p)).into_response())
}

/// A project with its members and saved searches.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProjectView {
    /// The project.
    #[serde(flatten)]
    pub project: Project,
    /// Its members.
    pub members_list: Vec<Member>,
    /// Its saved searches.
    pub searches: Vec<SavedSearch>,
}

/// `GET /api/projects/{id}`.
#[utoipa::path(get, path = "/api/projects/{id}", tag = "newsroom", params(("id" = i64, Path, description = "Project")),
    responses((status = 200, description = "The project", body = ProjectView),
              (status = 404, description = "No such project among yours", body = super::error::ErrorBody)))]
pub async fn project(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Json<ProjectView>, HttpError> {
    Ok(Json(
        state
            .with_access(&viewer, move |_, access| {
                Ok(ProjectView {
                    project: access.project(id)?,
                    members_list: access.members(id)?,
                    searches: access.saved_searches(id)?,
                })
            })
            .await?,
    ))
}

/// A member to add (or whose role to change).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewMember {
    /// The account name.
    pub user: String,
    /// `owner`, `editor` or `reader`.
    pub role: String,
}

/// `POST /api/projects/{id}/members` (the project's owners).
#[utoipa::path(post, path = "/api/projects/{id}/members", tag = "newsroom", request_body = NewMember,
    params(("id" = i64, Path, description = "Project")),
    responses((status = 200, description = "The members now", body = Vec<Member>)))]
pub async fn add_member(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    j: Result<Json<NewMember>, JsonRejection>,
) -> Result<Json<Vec<Member>>, HttpError> {
    let m = body(j)?;
    Ok(Json(
        state
            .with_access(&viewer, move |_, access| {
                access.set_member(id, &m.user, ProjectRole::from_name(&m.role)?)?;
                access.members(id)
            })
            .await?,
    ))
}

/// Cables to add to or remove from a project: ids, or every hit of a query.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CableSelection {
    /// Cable ids.
    #[serde(default)]
    pub ids: Vec<String>,
    /// A query: all of its hits (no cap).
    pub query: Option<String>,
}

/// What adding or removing cables did.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CablesChanged {
    /// Cables selected.
    pub selected: usize,
    /// Cables added (or removed) that were not (or were) in the project.
    pub changed: u64,
    /// Cables the project holds now.
    pub cables: u64,
}

/// The canonical ids a selection stands for, checked against the archive.
fn selected_ids(
    a: &Archive,
    access: &Access<'_>,
    s: &CableSelection,
) -> archive::Result<(Vec<String>, String)> {
    if let Some(q) = &s.query {
        if !s.ids.is_empty() {
            return Err(archive::Error::BadRequest("give ids or a query, not both".into()));
        }
        let ids = a.matching_ids_scoped(q, Some(access as &dyn archive::PrivateScope))?;
        return Ok((ids, format!("every hit of {q}")));
    }
    if s.ids.is_empty() {
        return Err(archive::Error::BadRequest(
            "give cable ids (\"ids\": [...]) or a query (\"query\": ...)".into(),
        ));
    }
    let mut ids = Vec::with_capacity(s.ids.len());
    for id in &s.ids {
        let canonical = cable::RefId::parse(id)
            .map(|r| r.to_string())
            .map_err(|e| archive::Error::BadRequest(format!("{id:?} is not a cable id: {e}")))?;
        ids.push(canonical);
    }
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let present = a.store().present(&refs)?;
    if let Some((id, _)) = ids.iter().zip(&present).find(|(_, p)| !**p) {
        return Err(archive::Error::CableNotFound(id.clone()));
    }
    Ok((ids, "by id".into()))
}

/// `POST /api/projects/{id}/cables`: collects cables (ids, or every hit of a query).
#[utoipa::path(post, path = "/api/projects/{id}/cables", tag = "newsroom", request_body = CableSelection,
    params(("id" = i64, Path, description = "Project")),
    responses((status = 200, description = "Added", body = CablesChanged)))]
pub async fn add_cables(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    j: Result<Json<CableSelection>, JsonRejection>,
) -> Result<Json<CablesChanged>, HttpError> {
    let s = body(j)?;
    Ok(Json(
        state
            .with_access(&viewer, move |a, access| {
                access.project(id)?;
                let (ids, how) = selected_ids(a, access, &s)?;
                let changed = access.add_cables(id, &ids, &how)?;
                Ok(CablesChanged { selected: ids.len(), changed, cables: access.project(id)?.cables })
            })
            .await?,
    ))
}

/// `DELETE /api/projects/{id}/cables`: removes cables.
#[utoipa::path(delete, path = "/api/projects/{id}/cables", tag = "newsroom", request_body = CableSelection,
    params(("id" = i64, Path, description = "Project")),
    responses((status = 200, description = "Removed", body = CablesChanged)))]
pub async fn remove_cables(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    j: Result<Json<CableSelection>, JsonRejection>,
) -> Result<Json<CablesChanged>, HttpError> {
    let s = body(j)?;
    Ok(Json(
        state
            .with_access(&viewer, move |a, access| {
                access.project(id)?;
                let (ids, _) = selected_ids(a, access, &s)?;
                let changed = access.remove_cables(id, &ids)?;
                Ok(CablesChanged { selected: ids.len(), changed, cables: access.project(id)?.cables })
            })
            .await?,
    ))
}

/// `GET /api/projects/{id}/cables`: the project's cable ids.
#[utoipa::path(get, path = "/api/projects/{id}/cables", tag = "newsroom", params(("id" = i64, Path, description = "Project")),
    responses((status = 200, description = "Its cables, sorted", body = Vec<String>)))]
pub async fn project_cables(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Json<Vec<String>>, HttpError> {
    Ok(Json(state.with_access(&viewer, move |_, access| access.project_cables(id)).await?))
}

/// `GET /api/projects/{id}/notes`: the project's notes, newest first.
#[utoipa::path(get, path = "/api/projects/{id}/notes", tag = "newsroom", params(("id" = i64, Path, description = "Project")),
    responses((status = 200, description = "Its notes", body = Vec<archive::newsroom::Note>)))]
pub async fn project_notes(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Json<Vec<archive::newsroom::Note>>, HttpError> {
    Ok(Json(state.with_access(&viewer, move |_, access| access.project_notes(id)).await?))
}

/// A note to write.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NoteRequest {
    /// The project it belongs to.
    pub project: i64,
    /// The cable.
    pub cable: String,
    /// The version (its number within the cable); default the latest.
    pub version: Option<u32>,
    /// The paragraph number as written.
    pub paragraph: u32,
    /// The note.
    pub text: String,
}

/// `POST /api/notes`: pins a note to a paragraph.
#[utoipa::path(post, path = "/api/notes", tag = "newsroom", request_body = NoteRequest,
    responses((status = 201, description = "Written: its id", body = i64),
              (status = 400, description = "No such paragraph, or too long", body = super::error::ErrorBody)))]
pub async fn add_note(
    State(state): State<AppState>,
    viewer: Viewer,
    j: Result<Json<NoteRequest>, JsonRejection>,
) -> Result<Response, HttpError> {
    let n = body(j)?;
    let id = state
        .with_access(&viewer, move |a, access| {
            access.project(n.project)?;
            let note = pin_note(a, n.project, &n.cable, n.version, n.paragraph, &n.text)?;
            access.add_note(&note)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(id)).into_response())
}

/// Which version of a cable.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersionParam {
    /// Version number (1-based); default the latest.
    pub v: Option<u32>,
}

/// `GET /api/cable/{id}/notes?v=`: the notes of your projects on a cable,
/// placed on that version.
#[utoipa::path(get, path = "/api/cable/{id}/notes", tag = "newsroom",
    params(("id" = String, Path, description = "Cable id"), VersionParam),
    responses((status = 200, description = "Notes", body = Vec<archive::newsroom::PlacedNote>)))]
pub async fn cable_notes(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    q: Result<Query<VersionParam>, QueryRejection>,
) -> Result<Json<Vec<archive::newsroom::PlacedNote>>, HttpError> {
    let v = q.map(|Query(p)| p.v).map_err(|e| HttpError::bad_request(e.body_text()))?;
    Ok(Json(
        state
            .with_access(&viewer, move |a, access| {
                let versions = a.versions(&id)?;
                let info = match v {
                    None => versions.last(),
                    Some(n) => versions.iter().find(|x| x.seq == n),
                }
                .ok_or_else(|| {
                    archive::Error::BadRequest(format!("{id} has versions 1 to {}", versions.len()))
                })?;
                let c = a.store().cable(&info.cable_id, Some(info.seq))?;
                notes_for_version(access, &c, info.version_id)
            })
            .await?,
    ))
}

/// A star or label to set.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct MarkRequest {
    /// Star (true) or unstar (false), when given.
    pub starred: Option<bool>,
    /// A label to give...
    pub label: Option<String>,
    /// ... or take away (false). Default true.
    pub on: Option<bool>,
}

/// Your star and labels on a cable.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Marks {
    /// Starred.
    pub starred: bool,
    /// Labels.
    pub labels: Vec<String>,
    /// Your projects holding it.
    pub projects: Vec<(i64, String)>,
}

/// `POST /api/cable/{id}/marks`: stars or labels a cable for you.
#[utoipa::path(post, path = "/api/cable/{id}/marks", tag = "newsroom", request_body = MarkRequest,
    params(("id" = String, Path, description = "Cable id")),
    responses((status = 200, description = "Your marks now", body = Marks)))]
pub async fn set_marks(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    j: Result<Json<MarkRequest>, JsonRejection>,
) -> Result<Json<Marks>, HttpError> {
    let m = body(j)?;
    Ok(Json(
        state
            .with_access(&viewer, move |a, access| {
                let id = a.versions(&id)?[0].cable_id.clone();
                if let Some(on) = m.starred {
                    access.set_star(&id, on)?;
                }
                if let Some(label) = &m.label {
                    access.set_label(&id, label, m.on.unwrap_or(true))?;
                }
                marks(access, &id)
            })
            .await?,
    ))
}

/// `GET /api/cable/{id}/marks`.
#[utoipa::path(get, path = "/api/cable/{id}/marks", tag = "newsroom", params(("id" = String, Path, description = "Cable id")),
    responses((status = 200, description = "Your marks", body = Marks)))]
pub async fn get_marks(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Json<Marks>, HttpError> {
    Ok(Json(
        state
            .with_access(&viewer, move |a, access| {
                let id = a.versions(&id)?[0].cable_id.clone();
                marks(access, &id)
            })
            .await?,
    ))
}

fn marks(access: &Access<'_>, id: &str) -> archive::Result<Marks> {
    let (starred, labels) = access.marks(id)?;
    Ok(Marks { starred, labels, projects: access.projects_holding(id)? })
}

/// A search to save.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewSearch {
    /// Its name.
    pub name: String,
    /// The query.
    pub query: String,
}

/// `POST /api/projects/{id}/searches`: saves a search; what later ingests
/// bring that matches it becomes alerts.
#[utoipa::path(post, path = "/api/projects/{id}/searches", tag = "newsroom", request_body = NewSearch,
    params(("id" = i64, Path, description = "Project")),
    responses((status = 201, description = "Saved: its id", body = i64)))]
pub async fn save_search(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    j: Result<Json<NewSearch>, JsonRejection>,
) -> Result<Response, HttpError> {
    let s = body(j)?;
    let saved = state
        .with_access(&viewer, move |a, access| {
            access.project(id)?;
            // Refuse now what would fail after every ingest.
            a.matching_versions_after(&s.query, i64::MAX, Some(access as &dyn archive::PrivateScope))?;
            access.save_search(id, &s.name, &s.query, a.store().max_latest_version()?)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(saved)).into_response())
}

/// A saved search and what newly matched it since you last looked.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchAlerts {
    /// The saved search.
    pub search: SavedSearch,
    /// How many are new.
    pub new: usize,
    /// The new ones, oldest first.
    pub alerts: Vec<Alert>,
}

/// Parameters of `alerts`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AlertParams {
    /// Only this project's.
    pub project: Option<i64>,
    /// Record them as seen (default false).
    pub seen: Option<bool>,
}

/// `GET /api/alerts`: "N new since you last looked", per saved search of your projects.
#[utoipa::path(get, path = "/api/alerts", tag = "newsroom", params(AlertParams),
    responses((status = 200, description = "Alerts", body = Vec<SearchAlerts>)))]
pub async fn alerts(
    State(state): State<AppState>,
    viewer: Viewer,
    q: Result<Query<AlertParams>, QueryRejection>,
) -> Result<Json<Vec<SearchAlerts>>, HttpError> {
    let p = q.map(|Query(p)| p).map_err(|e| HttpError::bad_request(e.body_text()))?;
    let found = state
        .with_access(&viewer, move |_, access| access.alerts(p.project, p.seen.unwrap_or(false)))
        .await?;
    Ok(Json(
        found
            .into_iter()
            .map(|(search, alerts)| SearchAlerts { search, new: alerts.len(), alerts })
            .collect(),
    ))
}

/// Parameters of `audit`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Only this account's.
    pub user: Option<String>,
    /// From this day (YYYY-MM-DD).
    pub since: Option<String>,
    /// Before this day (YYYY-MM-DD).
    pub until: Option<String>,
    /// At most this many (default 1,000).
    pub limit: Option<usize>,
}

/// `GET /api/audit`: the audit log, newest first (admins).
#[utoipa::path(get, path = "/api/audit", tag = "newsroom", params(AuditParams),
    responses((status = 200, description = "The log", body = Vec<AuditEntry>),
              (status = 403, description = "Not an admin", body = super::error::ErrorBody)))]
pub async fn audit(
    State(state): State<AppState>,
    viewer: Viewer,
    q: Result<Query<AuditParams>, QueryRejection>,
) -> Result<Json<Vec<AuditEntry>>, HttpError> {
    let p = q.map(|Query(p)| p).map_err(|e| HttpError::bad_request(e.body_text()))?;
    let day = crate::cmd::audit::day_start;
    let filter = AuditFilter {
        user: p.user,
        since: p.since.as_deref().map(day).transpose()?,
        until: p.until.as_deref().map(day).transpose()?,
        limit: p.limit.unwrap_or(1000).min(100_000),
    };
    Ok(Json(state.with_access(&viewer, move |_, access| access.audit_log(&filter)).await?))
}

/// Records that someone read a cable (a private instance's cable routes).
pub fn audit_view(access: Option<&Access<'_>>, id: &str, how: &str) -> archive::Result<()> {
    match access {
        Some(access) => access.audit(AuditEvent::View, id, how),
        None => Ok(()),
    }
}
