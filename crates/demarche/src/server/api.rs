//! The JSON API.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::{Deserialize, Serialize};

use archive::graph::Direction;
use archive::{SearchRequest, Sort};

use super::{AppState, HttpError, MAX_PER_PAGE};

/// Parameters of a search (the API's and the search page's).
#[derive(Debug, Default, Deserialize)]
pub struct SearchParams {
    /// The query.
    pub q: Option<String>,
    /// Page, from 1.
    pub page: Option<usize>,
    /// Hits per page (1-100).
    pub per_page: Option<usize>,
    /// `relevance`, `date` or `date_asc`.
    pub sort: Option<String>,
    /// Facet counts.
    pub facets: Option<bool>,
    /// Per-month histogram.
    pub histogram: Option<bool>,
}

impl SearchParams {
    /// The archive request these parameters ask for.
    pub fn request(&self) -> Result<SearchRequest, HttpError> {
        let per_page = self.per_page.unwrap_or(10);
        if per_page == 0 || per_page > MAX_PER_PAGE {
            return Err(HttpError::bad_request(format!("per_page must be between 1 and {MAX_PER_PAGE}")));
        }
        let sort = match self.sort.as_deref().unwrap_or("relevance") {
            "relevance" => Sort::Relevance,
            "date" | "date_desc" => Sort::DateDesc,
            "date_asc" => Sort::DateAsc,
            other => {
                return Err(HttpError::bad_request(format!(
                    "sort {other:?}: use relevance, date or date_asc"
                )))
            }
        };
        Ok(SearchRequest {
            query: self.q.clone().unwrap_or_default(),
            page: self.page.unwrap_or(1),
            per_page,
            sort,
            facets: self.facets.unwrap_or(false),
            histogram: self.histogram.unwrap_or(false),
            snippets: true,
        })
    }
}

fn params<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, HttpError> {
    q.map(|Query(p)| p).map_err(|e| HttpError::bad_request(e.body_text()))
}

/// `GET /api/search?q=...`: the same results as `demarche search --json`.
pub async fn search(
    State(state): State<AppState>,
    q: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Json<archive::SearchResults>, HttpError> {
    let req = params(q)?.request()?;
    Ok(Json(state.with_archive(move |a| a.search(&req)).await?))
}

/// A cable with what the archive knows around it.
#[derive(Debug, Serialize)]
pub struct CableView {
    /// The parsed cable (latest version), raw text included.
    pub cable: cable::Cable,
    /// Its versions, oldest first.
    pub versions: Vec<archive::store::VersionInfo>,
    /// Each cited cable and whether the archive holds it.
    pub references_present: Vec<(String, bool)>,
    /// Cables citing it.
    pub cited_by: Vec<String>,
}

/// Loads a cable view (shared by the API and the cable page).
pub async fn load_cable(state: &AppState, id: String) -> Result<CableView, HttpError> {
    state
        .with_archive(move |a| {
            let versions = a.versions(&id)?;
            let canonical = versions[0].cable_id.clone();
            let cable = a.store().cable(&canonical, None)?;
            let cited: Vec<String> = cable.cited_ids().iter().map(|r| r.to_string()).collect();
            let refs: Vec<&str> = cited.iter().map(String::as_str).collect();
            let present = a.store().present(&refs)?;
            let cited_by = a.store().cited_by(&canonical)?;
            Ok(CableView {
                references_present: cited.into_iter().zip(present).collect(),
                cable,
                versions,
                cited_by,
            })
        })
        .await
}

/// `GET /api/cable/{id}`.
pub async fn cable(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<CableView>, HttpError> {
    Ok(Json(load_cable(&state, id).await?))
}

/// Parameters of `refs`.
#[derive(Debug, Deserialize)]
pub struct RefsParams {
    /// Steps out (default 1).
    pub depth: Option<u32>,
    /// `out`, `in` or `both` (default).
    pub direction: Option<String>,
}

/// `GET /api/cable/{id}/refs?depth=&direction=`.
pub async fn refs(
    State(state): State<AppState>,
    Path(id): Path<String>,
    q: Result<Query<RefsParams>, QueryRejection>,
) -> Result<Json<archive::graph::Graph>, HttpError> {
    let p = params(q)?;
    let direction = match p.direction.as_deref().unwrap_or("both") {
        "out" => Direction::Out,
        "in" => Direction::In,
        "both" => Direction::Both,
        other => return Err(HttpError::bad_request(format!("direction {other:?}: use out, in or both"))),
    };
    let depth = p.depth.unwrap_or(1);
    Ok(Json(state.with_archive(move |a| a.refs(&id, depth, direction)).await?))
}

/// `GET /api/cable/{id}/versions`.
pub async fn versions(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Vec<archive::store::VersionInfo>>, HttpError> {
    Ok(Json(state.with_archive(move |a| a.versions(&id)).await?))
}

/// Parameters of `diff`.
#[derive(Debug, Deserialize)]
pub struct DiffParams {
    /// Old version (with `b`; default: the two latest).
    pub a: Option<u32>,
    /// New version.
    pub b: Option<u32>,
}

/// `GET /api/cable/{id}/diff?a=&b=`.
pub async fn diff(
    State(state): State<AppState>,
    Path(id): Path<String>,
    q: Result<Query<DiffParams>, QueryRejection>,
) -> Result<Json<archive::diff::VersionDiff>, HttpError> {
    let p = params(q)?;
    let pair = match (p.a, p.b) {
        (Some(a), Some(b)) => Some((a, b)),
        (None, None) => None,
        _ => return Err(HttpError::bad_request("give both a and b, or neither")),
    };
    Ok(Json(state.with_archive(move |a| a.diff(&id, pair)).await?))
}
