//! Search results exported whole, as CSV or JSON: `GET /export?q=&sort=&format=csv|json`.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use archive::{SearchRequest, Sort};

use super::{AppState, HttpError};

/// The most hits one export holds; the export says when there were more.
pub const MAX_EXPORT: usize = 10_000;

/// Parameters of an export.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// The query.
    pub q: Option<String>,
    /// `relevance`, `date` or `date_asc`.
    pub sort: Option<String>,
    /// `csv` (default) or `json`.
    pub format: Option<String>,
    /// Search words in the other spellings of their names too (as
    /// `/api/search`); default true.
    pub variants: Option<bool>,
    /// Match words by their stem (as `/api/search`); default true.
    pub stem: Option<bool>,
}

/// One exported hit.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExportRow {
    /// Canonical cable id.
    pub id: String,
    /// Created, ISO 8601.
    pub created: Option<String>,
    /// Origin.
    pub origin: String,
    /// Classification.
    pub classification: String,
    /// Subject.
    pub subject: String,
    /// Path of its page on this server.
    pub url: String,
}

/// The whole export (the JSON form).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Export {
    /// The query.
    pub query: String,
    /// Every matching cable, not only those exported.
    pub total: u64,
    /// Whether `rows` stops at [`MAX_EXPORT`] before `total`.
    pub truncated: bool,
    /// The hits, in the asked order.
    pub rows: Vec<ExportRow>,
}

/// How the export's search matches words: as the search page it came from.
#[derive(Debug, Clone, Copy)]
struct WordForms {
    variants: bool,
    stemming: bool,
}

/// Runs the search page by page (no snippets) up to [`MAX_EXPORT`] hits.
fn collect(
    a: &archive::Archive,
    access: Option<&archive::newsroom::Access<'_>>,
    query: String,
    sort: Sort,
    forms: WordForms,
) -> archive::Result<Export> {
    let mut rows = Vec::new();
    let mut total = 0;
    for page in 1.. {
        let req = SearchRequest {
            query: query.clone(),
            page,
            per_page: 1_000,
            sort,
            facets: false,
            histogram: false,
            snippets: false,
            variants: forms.variants,
            stemming: forms.stemming,
        };
        let r = a.search_scoped(&req, access.map(|x| x as &dyn archive::PrivateScope))?;
        total = r.total;
        let got = r.hits.len();
        rows.extend(r.hits.into_iter().map(|h| ExportRow {
            url: format!("/cable/{}", h.id),
            id: h.id,
            created: h.created,
            origin: h.origin,
            classification: h.classification,
            subject: h.subject,
        }));
        if got < req.per_page || rows.len() >= MAX_EXPORT {
            break;
        }
    }
    rows.truncate(MAX_EXPORT);
    if let Some(access) = access {
        access.audit(
            archive::newsroom::AuditEvent::Export,
            &query,
            &format!("{} of {total} rows", rows.len()),
        )?;
    }
    Ok(Export { truncated: (rows.len() as u64) < total, query, total, rows })
}

/// One CSV field, quoted when it must be (RFC 4180).
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// The export as CSV with a header row.
pub fn to_csv(e: &Export) -> String {
    let mut out = String::from("id,created,origin,classification,subject,url\r\n");
    for r in &e.rows {
        out.push_str(&csv_line(r));
    }
    out
}

/// One row as a CSV line (CRLF-terminated).
fn csv_line(r: &ExportRow) -> String {
    let fields =
        [&r.id, r.created.as_deref().unwrap_or(""), &r.origin, &r.classification, &r.subject, &r.url];
    let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
    format!("{}\r\n", line.join(","))
}

/// `GET /export?q=...&format=csv|json`: every hit of a search (up to
/// [`MAX_EXPORT`]) as a download. The `X-Total-Count` header has the number
/// of matching cables; `X-Truncated: true` says the export stopped short.
#[utoipa::path(get, path = "/export", tag = "search", params(ExportParams),
    responses((status = 200, description = "A download: CSV (id, created, origin, classification, subject, url) or JSON", body = Export),
              (status = 400, description = "Malformed query or parameters", body = super::error::ErrorBody)))]
pub async fn export(
    State(state): State<AppState>,
    viewer: crate::server::auth::Viewer,
    q: Result<Query<ExportParams>, QueryRejection>,
) -> Result<Response, HttpError> {
    let p = q.map(|Query(p)| p).map_err(|e| HttpError::bad_request(e.body_text()))?;
    let sort = crate::server::api::parse_sort(p.sort.as_deref())?;
    let query = p.q.unwrap_or_default();
    if query.trim().is_empty() {
        return Err(HttpError::bad_request("give a query: export?q=..."));
    }
    let csv = match p.format.as_deref().unwrap_or("csv") {
        "csv" => true,
        "json" => false,
        other => return Err(HttpError::bad_request(format!("format {other:?}: use csv or json"))),
    };
    let forms = WordForms { variants: p.variants.unwrap_or(true), stemming: p.stem.unwrap_or(true) };
    let e = state.with_viewer(&viewer, move |a, access| collect(a, access, query, sort, forms)).await?;
    let total = e.total.to_string();
    let truncated = if e.truncated { "true" } else { "false" };
    let (body, mime, name) = if csv {
        (to_csv(&e), "text/csv; charset=utf-8", "demarche-search.csv")
    } else {
        let json = serde_json::to_string_pretty(&e).map_err(|err| HttpError::internal(err.to_string()))?;
        (json, "application/json", "demarche-search.json")
    };
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::HeaderName::from_static("x-total-count"), total),
            (header::HeaderName::from_static("x-truncated"), truncated.to_owned()),
        ],
        body,
    )
        .into_response())
}

/// Parameters of a project's export.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProjectExportParams {
    /// `csv` (default) or `jsonl` (one JSON object a line).
    pub format: Option<String>,
}

/// Cables read from the store per chunk of an export.
const EXPORT_CHUNK: usize = 500;

/// `GET /api/projects/{id}/export?format=csv|jsonl`: every cable of a
/// project (no cap), streamed as it is read; `X-Total-Count` says how many.
#[utoipa::path(get, path = "/api/projects/{id}/export", tag = "newsroom",
    params(("id" = i64, Path, description = "Project"), ProjectExportParams),
    responses((status = 200, description = "A download: CSV (id, created, origin, classification, subject, url) or JSON lines of the same"),
              (status = 404, description = "No such project among yours", body = super::error::ErrorBody)))]
pub async fn project_export(
    State(state): State<AppState>,
    viewer: super::auth::Viewer,
    axum::extract::Path(id): axum::extract::Path<i64>,
    q: Result<Query<ProjectExportParams>, QueryRejection>,
) -> Result<Response, HttpError> {
    let p = q.map(|Query(p)| p).map_err(|e| HttpError::bad_request(e.body_text()))?;
    let csv = match p.format.as_deref().unwrap_or("csv") {
        "csv" => true,
        "jsonl" => false,
        other => return Err(HttpError::bad_request(format!("format {other:?}: use csv or jsonl"))),
    };
    let ids = state
        .with_access(&viewer, move |_, access| {
            let ids = access.project_cables(id)?;
            let format = if csv { "csv" } else { "jsonl" };
            access.audit(
                archive::newsroom::AuditEvent::Export,
                &id.to_string(),
                &format!("project, {} cables, {format}", ids.len()),
            )?;
            Ok(ids)
        })
        .await?;
    let total = ids.len().to_string();
    let dir = state.dir.clone();
    let body = super::stream::streamed(move |sink| {
        let archive = archive::Archive::open_read_only(&dir)?;
        if csv && !sink.send(b"id,created,origin,classification,subject,url\r\n".to_vec()) {
            return Ok(());
        }
        for chunk in ids.chunks(EXPORT_CHUNK) {
            let refs: Vec<&str> = chunk.iter().map(String::as_str).collect();
            let infos = archive.store().latest_infos(&refs)?;
            let mut out = Vec::with_capacity(chunk.len() * 160);
            for id in chunk {
                // A collected cable is always in the store (`check` says otherwise).
                let Some(info) = infos.get(id) else { continue };
                let row = ExportRow {
                    id: id.clone(),
                    created: info.created.map(archive::query::format_unix),
                    origin: info.origin.clone(),
                    classification: info.classification.clone(),
                    subject: info.subject.clone(),
                    url: format!("/cable/{id}"),
                };
                if csv {
                    out.extend_from_slice(csv_line(&row).as_bytes());
                } else {
                    serde_json::to_writer(&mut out, &row)
                        .map_err(|e| archive::Error::Corrupt(e.to_string()))?;
                    out.push(b'\n');
                }
            }
            if !sink.send(out) {
                return Ok(()); // the client went away
            }
        }
        Ok(())
    });
    let (mime, name) = if csv {
        ("text/csv; charset=utf-8", format!("demarche-project-{id}.csv"))
    } else {
        ("application/x-ndjson", format!("demarche-project-{id}.jsonl"))
    };
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::HeaderName::from_static("x-total-count"), total),
        ],
        body,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_must_be_quoted() {
        let e = Export {
            query: "x".into(),
            total: 1,
            truncated: false,
            rows: vec![ExportRow {
                id: "08STATE134777".into(),
                created: None,
                origin: "Secretary of State".into(),
                classification: "CONFIDENTIAL".into(),
                subject: "DEMARCHE, \"CLUSTER\"\nMUNITIONS".into(),
                url: "/cable/08STATE134777".into(),
            }],
        };
        assert_eq!(
            to_csv(&e),
            "id,created,origin,classification,subject,url\r\n\
             08STATE134777,,Secretary of State,CONFIDENTIAL,\"DEMARCHE, \"\"CLUSTER\"\"\nMUNITIONS\",/cable/08STATE134777\r\n"
        );
    }
}
