//! The attribution page: paste an article (text or HTML), see each quote
//! with its verdict and a link to the cable paragraph it comes from.

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::response::{Html, IntoResponse, Response};
use maud::{html, Markup};

use archive::attribute::{AttributionReport, QuoteAttribution, SourceMatch};

use super::{error_page, page};
use crate::server::api::AttributeBody;
use crate::server::{AppState, HttpError};

fn form(text: &str, paraphrases: bool) -> Markup {
    html! {
        form.attribute action="/attribute" method="post" {
            p { label for="article" { "Paste an article (plain text or HTML). Each quoted passage is looked up in the archive." } }
            textarea #article name="text" rows="14" cols="100" required { (text) }
            p {
                label { input type="checkbox" name="paraphrases" value="true" checked[paraphrases]; " also find unquoted sentences that paraphrase a cable" }
                " " button type="submit" { "Attribute quotes" }
            }
        }
    }
}

fn source_link(s: &SourceMatch) -> Markup {
    let anchor = if s.paragraph > 0 { format!("#p{}", s.paragraph) } else { String::new() };
    html! {
        a href=(format!("/cable/{}?v={}{anchor}", s.cable_id, s.version)) {
            (s.cable_id) @if s.paragraph > 0 { " ¶" (s.paragraph) } @else if s.subject { " (subject)" }
        }
        span.meta { " score " (format!("{:.2}", s.score)) }
    }
}

fn quote(q: &QuoteAttribution) -> Markup {
    let class = format!("badge verdict-{}", q.verdict.name());
    html! {
        div.hit.quote id=(format!("q{}", q.index)) {
            p { span class=(class) { (q.verdict.name().replace('_', " ")) } " “" (q.quote) "”"
                @if let Some(a) = &q.attribution { span.meta { " — " (a) } } }
            @if let Some(s) = &q.source {
                p { "Source: " (source_link(s)) }
                blockquote.meta { (s.text) }
                @if !s.differences.is_empty() {
                    ul.meta {
                        @for d in &s.differences {
                            li { (format!("{:?}", d.kind).to_lowercase()) ": quote “" (d.quote) "”, cable “" (d.cable) "”" }
                        }
                    }
                }
            }
            p.meta { (q.reason) }
            @if !q.candidates.is_empty() {
                p.meta { "Other candidates: " @for (i, c) in q.candidates.iter().enumerate() { @if i > 0 { " · " } (source_link(c)) } }
            }
        }
    }
}

fn report(r: &AttributionReport) -> Markup {
    let c = &r.counts;
    html! {
        h2 { (c.quotes) " quotes" }
        p.meta { (c.exact) " exact · " (c.close) " close · " (c.ambiguous) " ambiguous · " (c.not_in_archive) " not in the archive" }
        @for q in &r.quotes { (quote(q)) }
        @if !r.paraphrases.is_empty() {
            h2 { "Paraphrases" }
            @for p in &r.paraphrases {
                div.hit {
                    p { span class=(format!("badge verdict-{}", p.verdict.name())) { "paraphrase" } " " (p.sentence) }
                    p { "Close to: " (source_link(&p.source)) }
                }
            }
        }
    }
}

/// `GET /attribute`: the form.
pub async fn attribute_form() -> Response {
    let body = html! { h1 { "Where do the quotes come from?" } (form("", false)) };
    Html(page("Attribute quotes", "", body).into_string()).into_response()
}

/// `POST /attribute` (form): the annotated quotes.
pub async fn attribute(
    State(state): State<AppState>,
    f: Result<Form<AttributeBody>, FormRejection>,
) -> Response {
    let b = match f {
        Ok(Form(b)) => b,
        Err(e) => return error_page(HttpError::bad_request(e.body_text()), ""),
    };
    if let Err(e) = b.check() {
        return error_page(e, "");
    }
    let text = b.text.clone();
    let options = b.options();
    match state.with_archive(move |a| a.attribute(&text, &options)).await {
        Ok(r) => {
            let body =
                html! { h1 { "Where do the quotes come from?" } (report(&r)) (form(&b.text, b.paraphrases)) };
            Html(page("Attributed quotes", "", body).into_string()).into_response()
        }
        Err(e) => error_page(e, ""),
    }
}
