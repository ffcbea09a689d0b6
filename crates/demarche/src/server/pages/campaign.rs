//! The campaign page: for a query (and optionally a treaty), the countries
//! reached with their cables per month drawn as a timeline (SVG, treaty
//! events as markers), a per-country table, and the action requests with
//! the posts they went to and the replies.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use maud::{html, Markup};

use archive::campaign::Campaign;

use super::{error_page, page, url};
use crate::server::api::CampaignParams;
use crate::server::{svg, AppState, HttpError};

fn cable_link(id: &str) -> Markup {
    html! { a href=(format!("/cable/{id}")) { (id) } }
}

fn body(c: &Campaign) -> Markup {
    html! {
        h1 { "Campaign: " (c.query) @if let Some(t) = &c.treaty { " · " (t) } }
        p.meta {
            (c.matched) " matching cables reach " (c.countries.iter().filter(|k| k.cable_count > 0).count()) " countries; "
            (c.action_requests.len()) " action requests. "
            a href=(url(&[("q", c.query.clone())])) { "See the cables" }
        }
        @if !c.countries.is_empty() {
            figure.timeline {
                (svg::campaign_timeline(c))
                figcaption.meta { "Cables per month and country (larger: more cables); treaty events as diamonds." }
            }
        }
        h2 { "Countries" }
        table.campaign {
            thead { tr { th { "country" } th { "cables" } th { "first" } th { "last" } th { "by tag / origin / addressee / reply" } th { "action requests" } th { "replies" } th { "treaty" } } }
            tbody {
                @for k in &c.countries {
                    tr {
                        td { (k.country.name) " " span.meta { (k.country.code) } }
                        td.n { (k.cable_count) }
                        td { (k.first.as_deref().unwrap_or("-")) }
                        td { (k.last.as_deref().unwrap_or("-")) }
                        td { (k.reached.tag) " / " (k.reached.origin) " / " (k.reached.addressee) " / " (k.reached.reply) }
                        td { @for (i, id) in k.action_requests.iter().enumerate() { @if i > 0 { ", " } (cable_link(id)) } }
                        td { @for (i, id) in k.replies.iter().enumerate() { @if i > 0 { ", " } (cable_link(id)) } }
                        td {
                            @for e in &k.events { div { (e.date.to_string()) " " (e.event) } }
                            @if let Some(o) = &k.consent {
                                div.meta { "consent no. " (o.ordinal) @if o.ordinal_last != o.ordinal { "-" (o.ordinal_last) } }
                            }
                        }
                    }
                }
            }
        }
        @if !c.action_requests.is_empty() {
            h2 { "Action requests" }
            @for r in &c.action_requests {
                div.hit {
                    (cable_link(&r.id)) " " (r.subject) " " span.meta { (r.date.as_deref().unwrap_or("-")) }
                    div.meta {
                        "To: " @for (i, p) in r.posts.iter().enumerate() { @if i > 0 { ", " } (p.addressee) }
                        @if !r.info.is_empty() { " · Info: " (r.info.len()) " posts" }
                    }
                    ul {
                        @for s in &r.signals {
                            li.meta { (s.signal) @if let Some(n) = s.paragraph { " (para " (n) ")" } ": “" (s.matched) "”" }
                        }
                    }
                    @if r.replies.is_empty() {
                        p.meta { "No reply in the archive cites it from an addressed post." }
                    } @else {
                        p { "Replies: " @for (i, rep) in r.replies.iter().enumerate() { @if i > 0 { ", " } (cable_link(&rep.id)) " (" (rep.station) ")" } }
                    }
                }
            }
        }
        @if !c.consent_order.is_empty() {
            h2 { "Order of consent to " (c.treaty.as_deref().unwrap_or("the treaty")) }
            ol {
                @for o in &c.consent_order {
                    li { (o.country.name) " · " (o.date.to_string()) " · " (format!("{:?}", o.kind).to_lowercase())
                        @if o.ordinal_last != o.ordinal { span.meta { " (shares rank " (o.ordinal) "-" (o.ordinal_last) ")" } } }
                }
            }
        }
        @if !c.unplaced.is_empty() {
            p.meta { "Reaching no country: " @for (i, id) in c.unplaced.iter().enumerate() { @if i > 0 { ", " } (cable_link(id)) } }
        }
    }
}

/// `GET /campaign?q=...&treaty=...`.
pub async fn campaign(
    State(state): State<AppState>,
    q: Result<Query<CampaignParams>, QueryRejection>,
) -> Response {
    let p = match q {
        Ok(Query(p)) => p,
        Err(e) => return error_page(HttpError::bad_request(e.body_text()), ""),
    };
    let query = p.q.clone().unwrap_or_default();
    let form = html! {
        form.campaign action="/campaign" method="get" {
            label { "Query " input type="search" name="q" value=(query) maxlength="1000" required; }
            " "
            label { "Treaty (optional) " input type="text" name="treaty" value=(p.treaty.clone().unwrap_or_default()) maxlength="200"; }
            " " button type="submit" { "Show campaign" }
        }
    };
    if query.trim().is_empty() {
        let example = "\"cluster munitions\" OR CCM";
        let body = html! {
            h1 { "Campaigns" }
            (form)
            p { "Per country, the cables of a search, the action requests sent to posts and their replies. Try "
                a href=(url(&[("q", example.into())]).replacen("/?", "/campaign?", 1)) { (example) } "." }
        };
        return Html(page("Campaigns", "", body).into_string()).into_response();
    }
    let req = match p.request() {
        Ok(r) => r,
        Err(e) => return error_page(e, &query),
    };
    match state.with_archive(move |a| a.campaign(&req)).await {
        Ok(c) => Html(page(&format!("Campaign: {query}"), &query, html! { (form) (body(&c)) }).into_string())
            .into_response(),
        Err(e) => error_page(e, &query),
    }
}
