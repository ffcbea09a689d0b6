//! Server-rendered pages (maud: every interpolated string is escaped). Fully
//! usable without JavaScript; there is none. Every page is a GET with its
//! state in the URL, so every page and every search is a permalink.

mod attribute;
mod browse;
mod cable;
mod campaign;
pub mod newsroom;
mod search;
mod sign_in;

use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::HttpError;

pub use attribute::{attribute, attribute_form};
pub use browse::{browse, browse_index};
pub use cable::cable;
pub use campaign::campaign;
pub use search::search;
pub use sign_in::sign_in;

const STYLE: &str = "body{font:16px/1.5 Georgia,serif;max-width:70rem;margin:auto;padding:1rem;color:#222}\
a{color:#1a4f8b}header form{display:flex;gap:.5rem}header input[type=search]{flex:1;font-size:1.1rem;padding:.3rem}\
.layout{display:flex;gap:2rem}.facets{width:15rem;font-size:.9rem}.results{flex:1}\
.hit{margin:1rem 0}.meta{color:#666;font-size:.85rem}mark{background:#fe6}\
.badge{display:inline-block;padding:0 .4rem;border-radius:.3rem;background:#eee;font:12px sans-serif;margin-right:.3rem}\
.badge.doubt{background:#fce8b2}.badge.secret{background:#f4c7c3}.badge.confidential{background:#fce8b2}.badge.unclassified{background:#d9ead3}\
.para{margin:1rem 0}.para .n{font-weight:bold}.missing{color:#999}pre{white-space:pre-wrap}\
.error{background:#fdd;padding:1rem}.active{font-weight:bold}nav.top{font:14px sans-serif;margin:.3rem 0}\
.histogram svg,.graph svg{max-width:100%;height:auto}table{border-collapse:collapse}td,th{padding:.1rem .6rem;text-align:left}\
td.n{text-align:right}table.campaign td{vertical-align:top;border-top:1px solid #eee}form.campaign{margin:1rem 0}textarea{width:100%;font:14px/1.4 sans-serif}blockquote{border-left:3px solid #ddd;margin:.3rem 0;padding-left:.8rem}\
.verdict-exact,.verdict-close{background:#d9ead3}.verdict-ambiguous{background:#fce8b2}.verdict-not_in_archive{background:#eee}dl{display:grid;grid-template-columns:9rem 1fr;gap:.1rem 1rem}dd{margin:0}del{background:#f4c7c3}ins{background:#d9ead3;text-decoration:none}.diff{white-space:pre-wrap}\
aside.note{background:#fff8dc;border-left:3px solid #e0c060;margin:.3rem 0 .3rem 1.5rem;padding:.2rem .6rem;font:14px/1.4 sans-serif}\
section.newsroom{border-top:1px solid #ddd;margin-top:2rem}section.newsroom form{margin:.5rem 0}form.signout{display:inline}";

/// `GET /static/style.css`.
pub async fn stylesheet() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE).into_response()
}

pub(super) fn page(title: &str, query: &str, body: Markup) -> Markup {
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
                    nav.top {
                        a href="/browse" { "Browse" } " · " a href="/campaign" { "Campaigns" } " · " a href="/coverage" { "Coverage" } " · " a href="/attribute" { "Attribute quotes" } " · " a href="/api/openapi.json" { "API" }
                        @if let Some(me) = crate::server::auth::signed_in_as() {
                            " · " a href="/projects" { "Projects" }
                            @if me.admin { " · " a href="/audit" { "Audit log" } }
                            " · " span.meta { "signed in as " (me.name) }
                        }
                    }
                    details {
                        summary { "Query syntax" }
                        p { "words (accents and case do not matter; munition finds munitions too) · =munition (only that form) · "
                            "Qadhafi~ Qadhafi~2 (close spellings) · \"a phrase\" · \"a phrase\"~5 · AND OR NOT + - ( ) · prefix* · "
                            "id: tag: origin: from: to: class: caveat: subject: body: ref: signer: · created:2008-01..2009-06"
                            @if crate::server::auth::signed_in_as().is_some() { " · newsroom: project:12 note:\"words\" starred:me label:NAME" } }
                    }
                }
                main { (body) }
            }
        }
    }
}

pub(super) fn error_page(e: HttpError, query: &str) -> Response {
    let body = page("Error", query, html! { div.error role="alert" { pre { (e.message) } } });
    (e.status, Html(body.into_string())).into_response()
}

pub(super) fn url(params: &[(&str, String)]) -> String {
    let kept: Vec<(&str, &str)> =
        params.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| (*k, v.as_str())).collect();
    format!("/?{}", serde_urlencoded::to_string(kept).unwrap_or_default())
}

/// Adds a facet clause to the query, or removes it when present.
pub(super) fn toggle(query: &str, clause: &str) -> String {
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

pub(super) fn highlighted(s: &archive::query::Snippet) -> Markup {
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

/// Anything else: 404.
pub async fn not_found() -> Response {
    let body = page("Not found", "", html! { div.error { "No such page." } });
    (StatusCode::NOT_FOUND, Html(body.into_string())).into_response()
}
