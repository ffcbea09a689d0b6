//! Server-rendered pages (maud: every interpolated string is escaped). Fully
//! usable without JavaScript; there is none.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::api::{load_cable, SearchParams};
use super::{AppState, HttpError};

const STYLE: &str = "body{font:16px/1.5 Georgia,serif;max-width:70rem;margin:auto;padding:1rem;color:#222}\
a{color:#1a4f8b}header form{display:flex;gap:.5rem}header input[type=search]{flex:1;font-size:1.1rem;padding:.3rem}\
.layout{display:flex;gap:2rem}.facets{width:15rem;font-size:.9rem}.results{flex:1}\
.hit{margin:1rem 0}.meta{color:#666;font-size:.85rem}mark{background:#fe6}\
.badge{display:inline-block;padding:0 .4rem;border-radius:.3rem;background:#eee;font:12px sans-serif;margin-right:.3rem}\
.badge.secret{background:#f4c7c3}.badge.confidential{background:#fce8b2}.badge.unclassified{background:#d9ead3}\
.para{margin:1rem 0}.para .n{font-weight:bold}.missing{color:#999}pre{white-space:pre-wrap}\
.error{background:#fdd;padding:1rem}.active{font-weight:bold}";

/// `GET /static/style.css`.
pub async fn stylesheet() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE).into_response()
}

fn page(title: &str, query: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — demarche" }
                link rel="stylesheet" href="/static/style.css";
            }
            body {
                header {
                    form action="/" method="get" role="search" {
                        a href="/" { "demarche" }
                        input type="search" name="q" value=(query) aria-label="Search cables" maxlength="1000";
                        button type="submit" { "Search" }
                    }
                    details {
                        summary { "Query syntax" }
                        p { "words · \"a phrase\" · \"a phrase\"~5 · AND OR NOT + - ( ) · prefix* · "
                            "id: tag: origin: from: to: class: caveat: subject: body: ref: signer: · created:2008-01..2009-06" }
                    }
                }
                main { (body) }
            }
        }
    }
}

fn error_page(e: HttpError, query: &str) -> Response {
    let body = page("Error", query, html! { div.error role="alert" { pre { (e.message) } } });
    (e.status, Html(body.into_string())).into_response()
}

fn url(params: &[(&str, String)]) -> String {
    let kept: Vec<(&str, &str)> =
        params.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| (*k, v.as_str())).collect();
    format!("/?{}", serde_urlencoded::to_string(kept).unwrap_or_default())
}

/// Adds a facet clause to the query, or removes it when present.
fn toggle(query: &str, clause: &str) -> String {
    let q = query.trim();
    if let Some(rest) = q.strip_suffix(&format!(" AND {clause}")) {
        return rest.to_owned();
    }
    if q == clause {
        return String::new();
    }
    if q.is_empty() {
        clause.to_owned()
    } else {
        format!("{q} AND {clause}")
    }
}

fn quote(v: &str) -> String {
    if v.chars().all(|c| c.is_ascii_alphanumeric()) {
        v.to_owned()
    } else {
        format!("\"{}\"", v.replace('"', ""))
    }
}

fn highlighted(s: &archive::query::Snippet) -> Markup {
    let mut out = String::new();
    let mut at = 0;
    for &(a, b) in &s.highlights {
        if a < at || b > s.text.len() || !s.text.is_char_boundary(a) || !s.text.is_char_boundary(b) {
            continue;
        }
        out.push_str(&maud::html! { (s.text[at..a]) }.into_string());
        out.push_str(&maud::html! { mark { (s.text[a..b]) } }.into_string());
        at = b;
    }
    out.push_str(&maud::html! { (s.text[at..]) }.into_string());
    PreEscaped(out)
}

/// `GET /?q=...`: the search page.
pub async fn search(
    State(state): State<AppState>,
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
        let body = html! { p { "Search " strong { (count) } " cables. Try " a href=(url(&[("q", example.into())])) { (example) } "." } };
        return Html(page("Search", "", body).into_string()).into_response();
    }
    p.facets = Some(true);
    p.histogram = Some(false);
    let req = match p.request() {
        Ok(r) => r,
        Err(e) => return error_page(e, &query),
    };
    let sort = p.sort.clone().unwrap_or_default();
    let results = match state.with_archive(move |a| a.search(&req)).await {
        Ok(r) => r,
        Err(e) => return error_page(e, &query),
    };
    let pages = (results.total as usize).div_ceil(results.per_page).max(1);
    let body = html! {
        div.layout {
            aside.facets {
                @if let Some(f) = &results.facets {
                    @for (name, field, list) in [("Tags", "tag", &f.tags), ("Origin", "origin", &f.origins), ("Classification", "class", &f.classifications), ("Caveat", "caveat", &f.caveats), ("Year", "created", &f.years)] {
                        h3 { (name) }
                        ul {
                            @for c in list.iter().take(15) {
                                @let clause = format!("{field}:{}", quote(&c.value));
                                @let on = query.contains(&clause);
                                li { a.active[on] href=(url(&[("q", toggle(&query, &clause)), ("sort", sort.clone())])) { (c.value) } " (" (c.count) ")" }
                            }
                        }
                    }
                }
            }
            section.results {
                p.meta {
                    (results.total) " cables match. Sort: "
                    a href=(url(&[("q", query.clone())])) { "relevance" } " · "
                    a href=(url(&[("q", query.clone()), ("sort", "date".into())])) { "newest" } " · "
                    a href=(url(&[("q", query.clone()), ("sort", "date_asc".into())])) { "oldest" }
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
                        a rel="prev" href=(url(&[("q", query.clone()), ("sort", sort.clone()), ("page", (results.page - 1).to_string())])) { "← previous" } " "
                    }
                    "page " (results.page) " of " (pages)
                    @if results.page < pages {
                        " " a rel="next" href=(url(&[("q", query.clone()), ("sort", sort.clone()), ("page", (results.page + 1).to_string())])) { "next →" }
                    }
                }
            }
        }
    };
    Html(page(&query, &query, body).into_string()).into_response()
}

/// `GET /cable/{id}`: one cable, decoded, with paragraph anchors (`#p3`).
pub async fn cable(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let v = match load_cable(&state, id).await {
        Ok(v) => v,
        Err(e) => return error_page(e, ""),
    };
    let c = &v.cable;
    let level = c.classification.level.name().to_lowercase();
    let body = html! {
        article {
            h1 { (c.id) ": " (c.subject) }
            p {
                span class=(format!("badge {}", level.replace(' ', "-"))) { (c.classification) }
                @for cv in &c.caveats { span.badge { (cv.name()) } }
            }
            dl {
                dt { "Created" } dd { (c.created.map_or("-".into(), |d| d.to_string())) }
                @if let Some(r) = c.released { dt { "Released" } dd { (r) } }
                dt { "Origin" } dd { (c.origin) }
                @if let Some(f) = &c.header.from { dt { "From" } dd { (f.name) } }
                @for r in &c.header.to { dt { "To" } dd { (r.name) @if let (Some(ri), Some(d)) = (&r.routing_indicator, &r.decoded) { " (" (ri) " = " (d) ")" } } }
                @for r in &c.header.info { dt { "Info" } dd { (r.name) } }
                @if !c.tags.is_empty() {
                    dt { "TAGS" }
                    dd { @for t in &c.tags { a.badge href=(url(&[("q", format!("tag:{}", quote(&t.code)))])) title=(format!("{:?}", t.kind)) { (t.code) } } }
                }
            }
            @if !v.references_present.is_empty() {
                h2 { "References" }
                ul {
                    @for (rid, present) in &v.references_present {
                        li { @if *present { a href=(format!("/cable/{rid}")) { (rid) } } @else { span.missing { (rid) " (not in archive)" } } }
                    }
                }
            }
            @for p in &c.paragraphs {
                div.para id=(format!("p{}", p.number)) {
                    @if p.number > 0 { a.n href=(format!("#p{}", p.number)) { (p.number) "." } " " }
                    @if let Some(m) = &p.marking { span.badge { "(" (m.text) ")" } " " }
                    (p.text)
                }
            }
            @if let Some(s) = &c.signer { p { "Signed: " (s) } }
            @if !v.cited_by.is_empty() {
                h2 { "Cited by" }
                ul { @for src in &v.cited_by { li { a href=(format!("/cable/{src}")) { (src) } } } }
            }
            h2 { "Versions" }
            ol { @for ver in &v.versions { li { (&ver.content_hash[..12]) " · " (ver.source_format) " · " (ver.source_path) } } }
            @if !c.media.is_empty() {
                h2 { "In the media" }
                ul { @for m in &c.media { li { (m) } } }
            }
            h2 { "Cite this" }
            pre { (c.id) ", \"" (c.subject) "\", " (c.created.map_or("-".into(), |d| d.date().to_string())) ", /cable/" (c.id) "#pN" }
        }
    };
    Html(page(c.id.as_str(), "", body).into_string()).into_response()
}

/// Anything else: 404.
pub async fn not_found() -> Response {
    let body = page("Not found", "", html! { div.error { "No such page." } });
    (StatusCode::NOT_FOUND, Html(body.into_string())).into_response()
}
