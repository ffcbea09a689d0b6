//! Browse the whole archive by origin, tag, classification, caveat, year
//! and month; each value links to the search that lists its cables.

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use maud::html;

use archive::BrowseBy;

use super::{error_page, page, url};
use crate::server::{AppState, HttpError};

/// `GET /browse`: what can be browsed.
pub async fn browse_index() -> Response {
    let body = html! {
        h1 { "Browse" }
        ul { @for by in BrowseBy::ALL { li { a href=(format!("/browse/{}", by.name())) { "by " (by.name()) } } } }
    };
    Html(page("Browse", "", body).into_string()).into_response()
}

/// `GET /browse/{by}`: every value with its number of cables.
pub async fn browse(State(state): State<AppState>, Path(by): Path<String>) -> Response {
    let Some(by) = BrowseBy::from_name(&by) else {
        let names: Vec<&str> = BrowseBy::ALL.iter().map(|b| b.name()).collect();
        return error_page(
            HttpError::not_found(format!("cannot browse by {by:?}: use one of {}", names.join(", "))),
            "",
        );
    };
    let values = match state.with_archive(move |a| a.browse(by)).await {
        Ok(v) => v,
        Err(e) => return error_page(e, ""),
    };
    let sort = if matches!(by, BrowseBy::Year | BrowseBy::Month) { "date_asc" } else { "date" };
    let body = html! {
        h1 { "Cables by " (by.name()) }
        p.meta { (values.len()) " values. " a href="/browse" { "Browse by something else" } }
        table {
            thead { tr { th { (by.name()) } th { "cables" } @if by == BrowseBy::Tag { th { "meaning" } } } }
            tbody {
                @for v in &values {
                    tr {
                        td { a href=(url(&[("q", by.query_for(&v.value)), ("sort", sort.into())])) { (v.value) } }
                        td.n { (v.count) }
                        @if by == BrowseBy::Tag {
                            td.meta { (cable::Tag { kind: cable::tags::classify_tag(&v.value, &cable::ReferenceData::empty()), code: v.value.clone(), reading: None }.description()) }
                        }
                    }
                }
            }
        }
    };
    Html(page(&format!("By {}", by.name()), "", body).into_string()).into_response()
}
