//! The search page: query box, facet sidebar, ranked or dated results with
//! highlighted snippets, pages, a per-month histogram, export links.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use maud::html;

use archive::BrowseBy;

use super::{error_page, highlighted, page, toggle, url};
use crate::server::api::SearchParams;
use crate::server::{svg, AppState, HttpError};

/// `GET /?q=...`: the search page.
pub async fn search(
    State(state): State<AppState>,
    viewer: crate::server::auth::Viewer,
    q: Result<Query<SearchParams>, QueryRejection>,
) -> Response {
    let mut p = match q {
        Ok(Query(p)) => p,
        Err(e) => return error_page(HttpError::bad_request(e.body_text()), ""),
    };
    let query = p.q.clone().unwrap_or_default();
    if query.trim().is_empty() {
        let count = match state.with_archive(|a| a.store().cable_count()).await {
            Ok(n) => n,
            Err(e) => return error_page(e, ""),
        };
        let example = "\"cluster munitions\"";
        let body = html! {
            p { "Search " strong { (count) } " cables. Try " a href=(url(&[("q", example.into())])) { (example) } ", or "
                a href="/browse" { "browse" } " them by origin, tag, classification and month." }
        };
        return Html(page("Search", "", body).into_string()).into_response();
    }
    p.facets = Some(true);
    p.histogram = Some(true);
    let req = match p.request() {
        Ok(r) => r,
        Err(e) => return error_page(e, &query),
    };
    let sort = p.sort.clone().unwrap_or_default();
    // How words were matched, carried by every link of the page (sorts,
    // facets, pages, exports) so that they all count the same cables.
    let mut forms: Vec<(&str, String)> = Vec::new();
    if p.variants == Some(false) {
        forms.push(("variants", "false".into()));
    }
    if p.stem == Some(false) {
        forms.push(("stem", "false".into()));
    }
    let link = |params: &[(&str, String)]| {
        let mut all = params.to_vec();
        all.extend(forms.iter().cloned());
        url(&all)
    };
    let stem_switch = if p.stem == Some(false) {
        let mut params = vec![("q", query.clone()), ("sort", sort.clone())];
        if p.variants == Some(false) {
            params.push(("variants", "false".into()));
        }
        ("match word forms (ratify, ratified)", url(&params))
    } else {
        (
            "exact word forms only",
            link(&[("q", query.clone()), ("sort", sort.clone()), ("stem", "false".into())]),
        )
    };
    let results = match state
        .with_viewer(&viewer, move |a, access| crate::server::api::search_as(a, access, &req))
        .await
    {
        Ok(r) => r,
        Err(e) => return error_page(e, &query),
    };
    let pages = (results.total as usize).div_ceil(results.per_page).max(1);
    let export = |format: &str| {
        link(&[("q", query.clone()), ("sort", sort.clone()), ("format", format.into())])
            .replacen("/?", "/export?", 1)
    };
    let body = html! {
        div.layout {
            aside.facets {
                @if let Some(f) = &results.facets {
                    @for (name, by, list) in [("Tags", BrowseBy::Tag, &f.tags), ("Origin", BrowseBy::Origin, &f.origins),
                        ("Classification", BrowseBy::Classification, &f.classifications), ("Caveat", BrowseBy::Caveat, &f.caveats),
                        ("Year", BrowseBy::Year, &f.years)] {
                        @if !list.is_empty() {
                            h3 { (name) }
                            ul {
                                @for c in list.iter().take(15) {
                                    @let clause = by.query_for(&c.value);
                                    @let on = query.contains(&clause);
                                    li { a.active[on] href=(link(&[("q", toggle(&query, &clause)), ("sort", sort.clone())])) { (c.value) } " (" (c.count) ")" }
                                }
                            }
                        }
                    }
                }
            }
            section.results {
                p.meta {
                    (results.total) @if results.total == 1 { " cable matches" } @else { " cables match" } ". Sort: "
                    a href=(link(&[("q", query.clone())])) { "relevance" } " · "
                    a href=(link(&[("q", query.clone()), ("sort", "date".into())])) { "newest" } " · "
                    a href=(link(&[("q", query.clone()), ("sort", "date_asc".into())])) { "oldest" }
                    " · Export every hit: " a href=(export("csv")) { "CSV" } " · " a href=(export("json")) { "JSON" } " · " a href=(export("zip")) { "texts (ZIP)" }
                    " · " a.forms href=(stem_switch.1) { (stem_switch.0) }
                }
                @for e in &results.expanded {
                    p.expanded.meta {
                        "Also searched: "
                        @for (i, s) in e.also.iter().enumerate() {
                            @if i > 0 { ", " }
                            (s.word) " (" (s.cables) ")"
                        }
                        ": " a href=(link(&[("q", query.clone()), ("sort", sort.clone()), ("variants", "false".into())])) { "search only " (e.word) }
                    }
                }
                @if let Some(s) = &results.did_you_mean {
                    p.suggestion {
                        "Did you mean " a href=(link(&[("q", s.query.clone()), ("sort", sort.clone())])) { (s.query) } "? (" (s.total)
                        @if s.total == 1 { " cable" } @else { " cables" } ")"
                    }
                }
                @if let Some(h) = &results.histogram {
                    figure.histogram {
                        (svg::inline(svg::histogram(h)))
                        figcaption.meta { "Matching cables per month" }
                    }
                }
                @for h in &results.hits {
                    div.hit {
                        a href=(format!("/cable/{}", h.id)) { strong { (h.id) } " " (h.subject) }
                        div.meta { (h.created.as_deref().map_or("-", |d| d.get(..10).unwrap_or(d))) " · " (h.origin) " · " span.badge { (h.classification) } }
                        @for s in &h.snippets { p { (highlighted(s)) } }
                    }
                }
                nav aria-label="Pages" {
                    @if results.page > 1 {
                        a rel="prev" href=(link(&[("q", query.clone()), ("sort", sort.clone()), ("page", (results.page - 1).to_string())])) { "← previous" } " "
                    }
                    "page " (results.page) " of " (pages)
                    @if results.page < pages {
                        " " a rel="next" href=(link(&[("q", query.clone()), ("sort", sort.clone()), ("page", (results.page + 1).to_string())])) { "next →" }
                    }
                }
            }
        }
    };
    Html(page(&query, &query, body).into_string()).into_response()
}
