//! The JSON API.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::{Deserialize, Serialize};

use archive::graph::Direction;
use archive::{SearchRequest, Sort};

use archive::newsroom::{Access, AuditEvent};

use super::auth::Viewer;
use super::error::ErrorBody;
use super::{AppState, HttpError, MAX_PER_PAGE};

/// Parameters of a search (the API's and the search page's).
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
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
    /// Search words in the other spellings of their names the archive
    /// holds too (`Qadhafi`, `Qaddafi`); default true.
    pub variants: Option<bool>,
    /// Match words by their stem (`ratify` finds `ratified`); false
    /// searches every word as written. Default true.
    pub stem: Option<bool>,
}

impl SearchParams {
    /// The archive request these parameters ask for.
    pub fn request(&self) -> Result<SearchRequest, HttpError> {
        let per_page = self.per_page.unwrap_or(10);
        if per_page == 0 || per_page > MAX_PER_PAGE {
            return Err(HttpError::bad_request(format!("per_page must be between 1 and {MAX_PER_PAGE}")));
        }
        let sort = parse_sort(self.sort.as_deref())?;
        Ok(SearchRequest {
            query: self.q.clone().unwrap_or_default(),
            page: self.page.unwrap_or(1),
            per_page,
            sort,
            facets: self.facets.unwrap_or(false),
            histogram: self.histogram.unwrap_or(false),
            snippets: true,
            variants: self.variants.unwrap_or(true),
            stemming: self.stem.unwrap_or(true),
        })
    }
}

/// Reads a `sort` parameter: `relevance` (default), `date` or `date_asc`.
pub fn parse_sort(sort: Option<&str>) -> Result<Sort, HttpError> {
    match sort.unwrap_or("relevance") {
        "" | "relevance" => Ok(Sort::Relevance),
        "date" | "date_desc" => Ok(Sort::DateDesc),
        "date_asc" => Ok(Sort::DateAsc),
        other => Err(HttpError::bad_request(format!("sort {other:?}: use relevance, date or date_asc"))),
    }
}

fn params<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, HttpError> {
    q.map(|Query(p)| p).map_err(|e| HttpError::bad_request(e.body_text()))
}

/// `GET /api/search?q=...`: the same results as `demarche search --json`.
#[utoipa::path(get, path = "/api/search", tag = "search", params(SearchParams),
    responses((status = 200, description = "Hits, exact total, facets and histogram when asked", body = archive::SearchResults),
              (status = 400, description = "Malformed query or parameters", body = ErrorBody)))]
pub async fn search(
    State(state): State<AppState>,
    viewer: Viewer,
    q: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Json<archive::SearchResults>, HttpError> {
    let req = params(q)?.request()?;
    Ok(Json(state.with_viewer(&viewer, move |a, access| search_as(a, access, &req)).await?))
}

/// A search as the person asking (a newsroom member's `project:` and the
/// like resolved for them, and the search audited), or as anyone.
pub fn search_as(
    a: &archive::Archive,
    access: Option<&Access<'_>>,
    req: &SearchRequest,
) -> archive::Result<archive::SearchResults> {
    let results = a.search_scoped(req, access.map(|x| x as &dyn archive::PrivateScope))?;
    if let Some(access) = access {
        access.audit(
            AuditEvent::Search,
            &req.query,
            &format!("{} hits, page {}", results.total, req.page),
        )?;
    }
    Ok(results)
}

/// A cable with what the archive knows around it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CableView {
    /// The parsed cable (the asked-for version, else the latest), raw text included.
    pub cable: cable::Cable,
    /// Which version `cable` is (1-based).
    pub version: u32,
    /// Its versions, oldest first.
    pub versions: Vec<archive::store::VersionInfo>,
    /// Each cited cable, in REF order, as the archive resolves it (a
    /// reference naming no year is marked `year_inferred`), and whether the
    /// archive holds it.
    pub cited: Vec<archive::store::CitedCable>,
    /// Cables citing it.
    pub cited_by: Vec<String>,
}

/// Parameters of a cable view.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CableParams {
    /// Version number (1-based); default the latest.
    pub v: Option<u32>,
}

impl CableView {
    /// Loads a cable view (shared by the API and the cable page).
    pub fn load(a: &archive::Archive, id: &str, version: Option<u32>) -> archive::Result<CableView> {
        let versions = a.versions(id)?;
        let canonical = versions[0].cable_id.clone();
        let latest = versions.len() as u32;
        let version = version.unwrap_or(latest);
        if version == 0 || version > latest {
            return Err(archive::Error::BadRequest(format!(
                "{canonical} has versions 1 to {latest}, not {version}"
            )));
        }
        let cable = a.store().cable(&canonical, Some(version))?;
        let cited = a.store().cited(&cable)?;
        let cited_by = a.store().cited_by(&canonical)?;
        Ok(CableView { cited, cable, version, versions, cited_by })
    }
}

/// `GET /api/cable/{id}?v=`.
#[utoipa::path(get, path = "/api/cable/{id}", tag = "cables",
    params(("id" = String, Path, description = "Cable id in any common spelling (08STATE134777, 08 STATE 134777)"), CableParams),
    responses((status = 200, description = "The parsed cable (raw text included), its versions, references and citations", body = CableView),
              (status = 400, description = "Malformed id or version", body = ErrorBody),
              (status = 404, description = "Not in the archive", body = ErrorBody)))]
pub async fn cable(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    q: Result<Query<CableParams>, QueryRejection>,
) -> Result<Json<CableView>, HttpError> {
    let v = params(q)?.v;
    Ok(Json(
        state
            .with_viewer(&viewer, move |a, access| {
                let view = CableView::load(a, &id, v)?;
                super::newsroom::audit_view(
                    access,
                    view.cable.id.as_str(),
                    &format!("api, version {}", view.version),
                )?;
                Ok(view)
            })
            .await?,
    ))
}

/// Parameters of `refs`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RefsParams {
    /// Steps out (default 1).
    pub depth: Option<u32>,
    /// `out`, `in` or `both` (default).
    pub direction: Option<String>,
}

/// `GET /api/cable/{id}/refs?depth=&direction=`.
#[utoipa::path(get, path = "/api/cable/{id}/refs", tag = "cables",
    params(("id" = String, Path, description = "Cable id"), RefsParams),
    responses((status = 200, description = "The reference graph around the cable", body = archive::graph::Graph),
              (status = 400, description = "Bad parameters", body = ErrorBody),
              (status = 404, description = "Not in the archive", body = ErrorBody)))]
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
#[utoipa::path(get, path = "/api/cable/{id}/versions", tag = "cables",
    params(("id" = String, Path, description = "Cable id")),
    responses((status = 200, description = "Every version, oldest first", body = Vec<archive::store::VersionInfo>),
              (status = 404, description = "Not in the archive", body = ErrorBody)))]
pub async fn versions(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Vec<archive::store::VersionInfo>>, HttpError> {
    Ok(Json(state.with_archive(move |a| a.versions(&id)).await?))
}

/// Parameters of `diff`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffParams {
    /// Old version (with `b`; default: the two latest).
    pub a: Option<u32>,
    /// New version.
    pub b: Option<u32>,
}

/// `GET /api/cable/{id}/diff?a=&b=`.
#[utoipa::path(get, path = "/api/cable/{id}/diff", tag = "cables",
    params(("id" = String, Path, description = "Cable id"), DiffParams),
    responses((status = 200, description = "Word-level differences (redactions show as changes)", body = archive::diff::VersionDiff),
              (status = 400, description = "Bad versions, or only one version", body = ErrorBody),
              (status = 404, description = "Not in the archive", body = ErrorBody)))]
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

/// `GET /api/browse/{by}`: every origin, tag, classification, caveat, year
/// or month with its number of cables.
#[utoipa::path(get, path = "/api/browse/{by}", tag = "browse",
    params(("by" = String, Path, description = "origin, tag, classification, caveat, year or month")),
    responses((status = 200, description = "Values with their number of cables", body = Vec<archive::query::FacetCount>),
              (status = 404, description = "Unknown way to browse", body = ErrorBody)))]
pub async fn browse(
    State(state): State<AppState>,
    Path(by): Path<String>,
) -> Result<Json<Vec<archive::query::FacetCount>>, HttpError> {
    let Some(by) = archive::BrowseBy::from_name(&by) else {
        let names: Vec<&str> = archive::BrowseBy::ALL.iter().map(|b| b.name()).collect();
        return Err(HttpError::not_found(format!(
            "cannot browse by {by:?}: use one of {}",
            names.join(", ")
        )));
    };
    Ok(Json(state.with_archive(move |a| a.browse(by)).await?))
}

/// Parameters of a campaign.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CampaignParams {
    /// The search query selecting the campaign's cables.
    pub q: Option<String>,
    /// A treaty whose imported events to join (`demarche events import`).
    pub treaty: Option<String>,
}

impl CampaignParams {
    /// The archive request these parameters ask for.
    pub fn request(&self) -> Result<archive::campaign::CampaignRequest, HttpError> {
        let query = self.q.clone().unwrap_or_default();
        if query.trim().is_empty() {
            return Err(HttpError::bad_request("give a query: campaign?q=..."));
        }
        let mut req = archive::campaign::CampaignRequest::new(query);
        req.treaty = self.treaty.clone().filter(|t| !t.trim().is_empty());
        Ok(req)
    }
}

/// `GET /api/campaign?q=&treaty=`: the same as `demarche campaign --json`.
#[utoipa::path(get, path = "/api/campaign", tag = "campaigns", params(CampaignParams),
    responses((status = 200, description = "Per country: cables, months, action requests, replies, treaty events", body = archive::campaign::Campaign),
              (status = 400, description = "Malformed query, unknown treaty, or too broad", body = ErrorBody)))]
pub async fn campaign(
    State(state): State<AppState>,
    q: Result<Query<CampaignParams>, QueryRejection>,
) -> Result<Json<archive::campaign::Campaign>, HttpError> {
    let req = params(q)?.request()?;
    Ok(Json(state.with_archive(move |a| a.campaign(&req)).await?))
}

/// The body of an attribution: the article, and whether to look for paraphrases.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct AttributeBody {
    /// The article, plain text or HTML.
    pub text: String,
    /// Also report unquoted sentences that closely paraphrase a cable paragraph.
    #[serde(default)]
    pub paraphrases: bool,
}

/// The longest article attributed over HTTP, in bytes.
pub const MAX_ARTICLE_BYTES: usize = 512 * 1024;

impl AttributeBody {
    /// Refuses empty or oversized articles.
    pub fn check(&self) -> Result<(), HttpError> {
        if self.text.trim().is_empty() {
            return Err(HttpError::bad_request("give the article's text"));
        }
        if self.text.len() > MAX_ARTICLE_BYTES {
            return Err(HttpError::bad_request(format!(
                "the article is {} bytes; at most {MAX_ARTICLE_BYTES} are attributed at once",
                self.text.len()
            )));
        }
        Ok(())
    }

    /// The archive options these ask for.
    pub fn options(&self) -> archive::AttributeOptions {
        archive::AttributeOptions { paraphrases: self.paraphrases, ..archive::AttributeOptions::default() }
    }
}

/// `POST /api/attribute` with `{"text": "...", "paraphrases": false}`: the
/// same report as `demarche attribute --json`.
#[utoipa::path(post, path = "/api/attribute", tag = "attribution", request_body = AttributeBody,
    responses((status = 200, description = "Each quote: verdict, best source paragraph, differences, candidates", body = archive::AttributionReport),
              (status = 400, description = "Empty or oversized article, or not JSON", body = ErrorBody)))]
pub async fn attribute(
    State(state): State<AppState>,
    body: Result<Json<AttributeBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<archive::AttributionReport>, HttpError> {
    let Json(b) = body.map_err(|e| HttpError::bad_request(e.body_text()))?;
    b.check()?;
    let options = b.options();
    Ok(Json(state.with_archive(move |a| a.attribute(&b.text, &options)).await?))
}
