//! How much of each station's traffic the archive holds
//! ([`analysis::coverage`]): `GET /api/coverage`, the page `/coverage`
//! (a heat map of station x year and the table) and a station's page
//! `/coverage/{station}` (its years, gaps, and the cables cited but not held).

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use maud::html;
use serde::Deserialize;

use analysis::coverage::Coverage;

use super::pages::{error_page, page};
use super::{AppState, HttpError};

/// Which part of the coverage.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CoverageParams {
    /// Only this station (any spelling a cable id uses: `KABUL`, `SECSTATE`).
    pub station: Option<String>,
    /// Only this year.
    pub year: Option<u16>,
}

/// The coverage asked for; a station with no cables held is a 404 naming
/// stations like it.
async fn load(state: &AppState, p: CoverageParams) -> Result<Coverage, HttpError> {
    let all = state.with_archive(analysis::coverage::of_archive).await?;
    let suggestions = p.station.as_deref().map(|s| all.suggest(s).join(", "));
    let asked = p.station.clone();
    let c = all.only(p.station.as_deref(), p.year);
    match (asked, suggestions) {
        (Some(station), Some(like)) if c.rows.is_empty() => Err(HttpError::not_found(format!(
            "no cables of station {station:?}{} in the archive: stations held include {like}",
            p.year.map(|y| format!(" in {y}")).unwrap_or_default()
        ))),
        _ => Ok(c),
    }
}

/// `GET /api/coverage?station=&year=`: per station and year, cables held,
/// the highest serial seen, the estimated number sent, the share held, the
/// serial gaps and the cables cited but not held (`demarche coverage --json`).
#[utoipa::path(get, path = "/api/coverage", tag = "coverage", params(CoverageParams),
    responses((status = 200, description = "Per station and year", body = Coverage),
              (status = 404, description = "No cables of that station (stations like it are named)", body = super::error::ErrorBody)))]
pub async fn api(
    State(state): State<AppState>,
    q: Result<Query<CoverageParams>, QueryRejection>,
) -> Result<Json<Coverage>, HttpError> {
    let p = q.map(|Query(p)| p).map_err(|e| HttpError::bad_request(e.body_text()))?;
    Ok(Json(load(&state, p).await?))
}

/// Stations drawn in the heat map: the most held.
const MAP_STATIONS: usize = 40;

/// `GET /coverage?year=`: the heat map and the table of every station-year.
pub async fn page_all(
    State(state): State<AppState>,
    q: Result<Query<CoverageParams>, QueryRejection>,
) -> Response {
    let p = match q {
        Ok(Query(p)) => p,
        Err(e) => return error_page(HttpError::bad_request(e.body_text()), ""),
    };
    let c = match load(&state, p).await {
        Ok(c) => c,
        Err(e) => return error_page(e, ""),
    };
    let held: u64 = c.rows.iter().map(|r| r.held).sum();
    let estimated: u64 = c.rows.iter().map(|r| r.estimated).sum();
    let body = html! {
        h1 { "What the archive holds of each station's traffic" }
        p { (held) " cables held of an estimated " (estimated) " sent by the stations they come from, over "
            (c.rows.len()) " station-years. A cable id carries its station's serial for the year ("
            code { "09KABUL3423" } ": Kabul's 3,423rd of 2009); the number sent is estimated from the serials held (m + m/k − 1, "
            "never below a serial cited by a REF). Cables cited but not held are counted as missing."
            @if !c.without_serial.is_empty() { " " (c.without_serial.len()) " ids have no readable serial." } }
        (crate::server::svg::coverage_heat_map(&c, MAP_STATIONS))
        table {
            thead { tr { th { "station" } th { "year" } th { "held" } th { "highest serial" } th { "estimated sent" } th { "share" } th { "cited, not held" } } }
            tbody {
                @for r in &c.rows {
                    tr {
                        td { a href=(format!("/coverage/{}", r.station)) { (r.station) } }
                        td.n { (r.year) } td.n { (r.held) } td.n { (r.highest_seen) } td.n { (r.estimated) }
                        td.n { (format!("{:.1}%", r.share * 100.0)) } td.n { (r.known_missing) }
                    }
                }
            }
        }
    };
    Html(page("Coverage", "", body).into_string()).into_response()
}

/// Gap ranges shown per year on a station's page.
const GAPS_SHOWN: usize = 30;

/// `GET /coverage/{station}`: a station's years, the serials with nothing
/// held, and every cable cited but not held.
pub async fn page_station(State(state): State<AppState>, Path(station): Path<String>) -> Response {
    let c = match load(&state, CoverageParams { station: Some(station), year: None }).await {
        Ok(c) => c,
        Err(e) => return error_page(e, ""),
    };
    let name = c.rows.first().map(|r| r.station.clone()).unwrap_or_default();
    let body = html! {
        h1 { "Station " (name) }
        p.meta { a href="/coverage" { "Every station" } " · " a href=(super::pages::url(&[("q", format!("origin:{name}"))])) { "search its cables" } }
        @for r in &c.rows {
            h2 #(r.year) { (r.year) }
            p { (r.held) " cables held of an estimated " (r.estimated) " sent (" (format!("{:.1}%", r.share * 100.0)) "); highest serial seen " (r.highest_seen) "." }
            p.meta { "Serials with nothing held: "
                @for (i, (a, b)) in r.gaps.iter().take(GAPS_SHOWN).enumerate() {
                    @if i > 0 { ", " }
                    @if a == b { (a) } @else { (a) "–" (b) }
                }
                @if r.gaps.len() > GAPS_SHOWN { " and " (r.gaps.len() - GAPS_SHOWN) " more ranges (all in " a href=(format!("/api/coverage?station={name}&year={}", r.year)) { "the JSON" } ")" }
            }
            @if !r.missing.is_empty() {
                p { "Cited by cables in the archive, not held (" (r.missing.len()) "): "
                    @for (i, s) in r.missing.iter().enumerate() {
                        @if i > 0 { ", " }
                        @let id = format!("{:02}{name}{s}", r.year % 100);
                        a href=(super::pages::url(&[("q", format!("ref:{id}"))])) { (id) }
                    }
                }
            }
        }
    };
    Html(page(&format!("Coverage of {name}"), "", body).into_string()).into_response()
}
