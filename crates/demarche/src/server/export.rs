//! Exports without a cap: every hit of a search (`GET /export?q=&sort=&format=`)
//! and every cable of a project, as CSV, JSON, JSON lines or a ZIP of the
//! cables' texts as published, streamed as they are read from the store.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use archive::SearchRequest;

use super::{AppState, HttpError};

/// Parameters of an export.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// The query.
    pub q: Option<String>,
    /// `relevance`, `date` or `date_asc`.
    pub sort: Option<String>,
    /// `csv` (default), `json`, `jsonl` (one JSON object a line) or `zip`
    /// (each cable's text as published, `ID.txt`).
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

/// The whole export (the JSON form), written as a stream.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Export {
    /// The query.
    pub query: String,
    /// Every matching cable: as many as `rows` holds.
    pub total: u64,
    /// The hits, in the asked order: all of them.
    pub rows: Vec<ExportRow>,
}

/// What an export is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    /// One JSON document ([`Export`]); only a search's export.
    Json,
    Jsonl,
    /// A ZIP archive of the cables' texts as published.
    Zip,
}

impl Format {
    fn parse(name: Option<&str>, json: bool) -> Result<Format, HttpError> {
        match name.unwrap_or("csv") {
            "csv" => Ok(Format::Csv),
            "json" if json => Ok(Format::Json),
            "jsonl" => Ok(Format::Jsonl),
            "zip" => Ok(Format::Zip),
            other if json => {
                Err(HttpError::bad_request(format!("format {other:?}: use csv, json, jsonl or zip")))
            }
            other => Err(HttpError::bad_request(format!("format {other:?}: use csv, jsonl or zip"))),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Zip => "zip",
        }
    }

    fn mime(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Json => "application/json",
            Format::Jsonl => "application/x-ndjson",
            Format::Zip => "application/zip",
        }
    }
}

/// One CSV field, quoted when it must be (RFC 4180).
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// The header row of a CSV export.
const CSV_HEADER: &str = "id,created,origin,classification,subject,url\r\n";

/// One row as a CSV line (CRLF-terminated).
fn csv_line(r: &ExportRow) -> String {
    let fields =
        [&r.id, r.created.as_deref().unwrap_or(""), &r.origin, &r.classification, &r.subject, &r.url];
    let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
    format!("{}\r\n", line.join(","))
}

/// Cables read from the store per chunk of an export.
const EXPORT_CHUNK: usize = 500;
/// Bytes of a ZIP export sent at a time (500 texts would be some 2 MB).
const ZIP_CHUNK: usize = 256 << 10;

/// The text of a cable as published: its routing header, a blank line and
/// its body (the body alone when it has no header).
fn published_text(header: &str, body: String) -> String {
    if header.trim().is_empty() {
        body
    } else {
        format!("{}\n\n{body}", header.trim_end())
    }
}

/// A body streaming the cables `ids` (in that order) from the archive in
/// `dir` as `format`, a chunk of [`EXPORT_CHUNK`] cables at a time: memory
/// stays flat whatever the number, and a client that goes away stops it.
/// `query` heads the JSON form.
fn stream_cables(
    dir: std::path::PathBuf,
    ids: Vec<String>,
    format: Format,
    query: String,
) -> axum::body::Body {
    super::stream::streamed(move |sink| {
        let archive = archive::Archive::open_read_only(&dir)?;
        let store = archive.store();
        let bad = |e: &dyn std::fmt::Display| archive::Error::Corrupt(format!("export: {e}"));
        let head = match format {
            Format::Csv => CSV_HEADER.as_bytes().to_vec(),
            Format::Json => {
                let mut head = b"{\"query\":".to_vec();
                serde_json::to_writer(&mut head, &query).map_err(|e| bad(&e))?;
                head.extend_from_slice(format!(",\"total\":{},\"rows\":[", ids.len()).as_bytes());
                head
            }
            Format::Jsonl | Format::Zip => Vec::new(),
        };
        if !head.is_empty() && !sink.send(head) {
            return Ok(());
        }
        let mut zip = (format == Format::Zip).then(super::zip::ZipStream::new);
        let mut first = true;
        for chunk in ids.chunks(EXPORT_CHUNK) {
            let refs: Vec<&str> = chunk.iter().map(String::as_str).collect();
            let infos = store.latest_infos(&refs)?;
            let mut out = Vec::with_capacity(chunk.len() * 160);
            for id in chunk {
                // A hit or a collected cable is always in the store (`check` says otherwise).
                let Some(info) = infos.get(id) else { continue };
                if let Some(zip) = &mut zip {
                    let (header, body) = store.published_text(id, info.seq)?;
                    let when = info.created.unwrap_or(info.ingested_at);
                    zip.add(&format!("{id}.txt"), when, published_text(&header, body).as_bytes())
                        .map_err(|e| bad(&e))?;
                    if zip.pending() >= ZIP_CHUNK && !sink.send(zip.take()) {
                        return Ok(()); // the client went away
                    }
                    continue;
                }
                let row = ExportRow {
                    id: id.clone(),
                    created: info.created.map(archive::query::format_unix),
                    origin: info.origin.clone(),
                    classification: info.classification.clone(),
                    subject: info.subject.clone(),
                    url: format!("/cable/{id}"),
                };
                match format {
                    Format::Csv => out.extend_from_slice(csv_line(&row).as_bytes()),
                    Format::Json | Format::Jsonl => {
                        if format == Format::Json && !std::mem::take(&mut first) {
                            out.push(b',');
                        }
                        serde_json::to_writer(&mut out, &row).map_err(|e| bad(&e))?;
                        if format == Format::Jsonl {
                            out.push(b'\n');
                        }
                    }
                    Format::Zip => unreachable!("written above"),
                }
            }
            if let Some(zip) = &mut zip {
                out = zip.take();
            }
            if !sink.send(out) {
                return Ok(()); // the client went away
            }
        }
        let tail = match (format, zip) {
            (Format::Json, _) => b"]}".to_vec(),
            (Format::Zip, Some(zip)) => zip.finish(),
            _ => return Ok(()),
        };
        sink.send(tail);
        Ok(())
    })
}

/// The response of an export: `body` as a download named `name`, with the
/// number of cables it holds in `X-Total-Count`.
fn download(format: Format, name: &str, total: usize, body: axum::body::Body) -> Response {
    (
        [
            (header::CONTENT_TYPE, format.mime().to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.{}\"", format.name())),
            (header::HeaderName::from_static("x-total-count"), total.to_string()),
        ],
        body,
    )
        .into_response()
}

/// `GET /export?q=...&format=csv|json|jsonl|zip`: every hit of a search, no
/// cap, streamed as it is read, in the search's order. The
/// `X-Total-Count` header has the number of matching cables.
#[utoipa::path(get, path = "/export", tag = "search", params(ExportParams),
    responses((status = 200, description = "A download: CSV (id, created, origin, classification, subject, url), JSON, JSON lines of the same, or a ZIP of the cables' texts", body = Export),
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
    let format = Format::parse(p.format.as_deref(), true)?;
    let req = SearchRequest {
        sort,
        variants: p.variants.unwrap_or(true),
        stemming: p.stem.unwrap_or(true),
        ..SearchRequest::new(query.clone())
    };
    let ids = state
        .with_viewer(&viewer, move |a, access| {
            let ids = a.ordered_ids_scoped(&req, access.map(|x| x as &dyn archive::PrivateScope))?;
            if let Some(access) = access {
                let what = format!("{} rows, {}", ids.len(), format.name());
                access.audit(archive::newsroom::AuditEvent::Export, &req.query, &what)?;
            }
            Ok(ids)
        })
        .await?;
    let total = ids.len();
    Ok(download(format, "demarche-search", total, stream_cables(state.dir.clone(), ids, format, query)))
}

/// Parameters of a project's export.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProjectExportParams {
    /// `csv` (default), `jsonl` (one JSON object a line) or `zip` (each
    /// cable's text as published, `ID.txt`).
    pub format: Option<String>,
}

/// `GET /api/projects/{id}/export?format=csv|jsonl|zip`: every cable of a
/// project (no cap), streamed as it is read; `X-Total-Count` says how many.
#[utoipa::path(get, path = "/api/projects/{id}/export", tag = "newsroom",
    params(("id" = i64, Path, description = "Project"), ProjectExportParams),
    responses((status = 200, description = "A download: CSV (id, created, origin, classification, subject, url), JSON lines of the same, or a ZIP of the cables' texts as published"),
              (status = 404, description = "No such project among yours", body = super::error::ErrorBody)))]
pub async fn project_export(
    State(state): State<AppState>,
    viewer: super::auth::Viewer,
    axum::extract::Path(id): axum::extract::Path<i64>,
    q: Result<Query<ProjectExportParams>, QueryRejection>,
) -> Result<Response, HttpError> {
    let p = q.map(|Query(p)| p).map_err(|e| HttpError::bad_request(e.body_text()))?;
    let format = Format::parse(p.format.as_deref(), false)?;
    let ids = state
        .with_access(&viewer, move |_, access| {
            let ids = access.project_cables(id)?;
            let what = format!("project, {} cables, {}", ids.len(), format.name());
            access.audit(archive::newsroom::AuditEvent::Export, &id.to_string(), &what)?;
            Ok(ids)
        })
        .await?;
    let total = ids.len();
    let name = format!("demarche-project-{id}");
    Ok(download(format, &name, total, stream_cables(state.dir.clone(), ids, format, String::new())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_must_be_quoted() {
        let row = ExportRow {
            id: "08STATE134777".into(),
            created: None,
            origin: "Secretary of State".into(),
            classification: "CONFIDENTIAL".into(),
            subject: "DEMARCHE, \"CLUSTER\"\nMUNITIONS".into(),
            url: "/cable/08STATE134777".into(),
        };
        assert_eq!(
            csv_line(&row),
            "08STATE134777,,Secretary of State,CONFIDENTIAL,\"DEMARCHE, \"\"CLUSTER\"\"\nMUNITIONS\",/cable/08STATE134777\r\n"
        );
    }
}
