//! The cable page: decoded header, TAGS explained, paragraphs with their
//! markings and anchors, references and cited-by (with a picture of the
//! graph), versions with the word diff that shows redactions, media, and a
//! block to cite it.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use maud::{html, Markup};

use archive::diff::{Change, VersionDiff};

use super::newsroom::CablePanel;
use super::{error_page, page, url};
use crate::server::api::{CableParams, CableView};
use crate::server::auth::Viewer;
use crate::server::svg::{self, GraphNode};
use crate::server::{AppState, HttpError};

fn recipient(r: &cable::Recipient) -> Markup {
    html! {
        (r.name)
        @if let Some(ri) = &r.routing_indicator {
            " " span.meta { "(" (ri) @if let Some(d) = &r.decoded { " = " (d) } ")" }
        }
    }
}

fn diff_view(d: &VersionDiff) -> Markup {
    html! {
        p.meta { "Version " (d.old.seq) " → " (d.new.seq) ": " (d.removed_words) " words removed, " (d.added_words) " added "
            "(struck: only in version " (d.old.seq) "; highlighted: only in version " (d.new.seq) ")." }
        div.diff {
            @for c in &d.changes {
                @match c {
                    Change::Same(t) => (t),
                    Change::Removed(t) => del { (t) },
                    Change::Added(t) => ins { (t) },
                }
            }
        }
    }
}

/// `GET /cable/{id}?v=N`: one cable, decoded, with paragraph anchors (`#p3`).
pub async fn cable(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    q: Result<Query<CableParams>, QueryRejection>,
) -> Response {
    let version = match q {
        Ok(Query(p)) => p.v,
        Err(e) => return error_page(HttpError::bad_request(e.body_text()), ""),
    };
    let csrf = viewer.member().and_then(|m| m.csrf.clone()).unwrap_or_default();
    let loaded = state
        .with_viewer(&viewer, move |a, access| {
            let view = CableView::load(a, &id, version)?;
            let diff = match view.version {
                n if n > 1 => Some(a.diff(view.cable.id.as_str(), Some((n - 1, n)))?),
                _ if view.versions.len() > 1 => Some(a.diff(view.cable.id.as_str(), Some((1, 2)))?),
                _ => None,
            };
            let panel = match access {
                Some(access) => {
                    crate::server::newsroom::audit_view(
                        Some(access),
                        view.cable.id.as_str(),
                        &format!("page, version {}", view.version),
                    )?;
                    let version_id = view.versions[view.version as usize - 1].version_id;
                    Some(CablePanel::load(access, &view.cable, version_id, csrf)?)
                }
                None => None,
            };
            Ok((view, diff, panel))
        })
        .await;
    let (v, diff, panel) = match loaded {
        Ok(x) => x,
        Err(e) => return error_page(e, ""),
    };
    let c = &v.cable;
    let level = c.classification.level.name().to_lowercase().replace(' ', "-");
    let latest = v.versions.len() as u32;
    let permalink = if v.version == latest {
        format!("/cable/{}", c.id)
    } else {
        format!("/cable/{}?v={}", c.id, v.version)
    };
    let cites: Vec<GraphNode<'_>> =
        v.cited.iter().map(|to| GraphNode { id: &to.id, present: to.present }).collect();
    let resolved: Vec<(&cable::RefId, &archive::store::CitedCable)> =
        c.cited_ids().into_iter().zip(&v.cited).collect();
    let cited_by: Vec<GraphNode<'_>> = v.cited_by.iter().map(|id| GraphNode { id, present: true }).collect();
    let body = html! {
        article {
            h1 { (c.id) ": " (c.subject) }
            p {
                span class=(format!("badge {level}")) { (c.classification) }
                @for cv in &c.caveats { span.badge { (cv.name()) } }
                @if latest > 1 { span.badge { "version " (v.version) " of " (latest) } }
            }
            dl {
                dt { "Created" } dd { (c.created.map_or("-".into(), |d| d.to_string())) }
                @if let Some(r) = c.released { dt { "Released" } dd { (r) } }
                dt { "Origin" } dd { (c.origin) }
                @if let Some(p) = &c.header.precedence { dt { "Precedence" } dd { (format!("{p:?}")) } }
                @if let Some(f) = &c.header.from { dt { "From" } dd { (recipient(f)) } }
                @for r in &c.header.to { dt { "To" } dd { (recipient(r)) } }
                @for r in &c.header.info { dt { "Info" } dd { (recipient(r)) } }
                @if let Some(cb) = &c.classified_by { dt { "Classified by" } dd { (cb.text) } }
            }
            @if !c.tags.is_empty() {
                h2 { "TAGS" }
                table.tags {
                    @for t in &c.tags {
                        tr {
                            td { a.badge href=(url(&[("q", archive::BrowseBy::Tag.query_for(&t.code))])) { (t.code) } }
                            @match t.reading.as_ref().filter(|r| r.reasoning.is_some()) {
                                Some(r) if r.in_doubt => td.meta {
                                    (t.description()) " " span.badge.doubt title="How this code was read" { "read from the cable" }
                                    br; small { (r.reasoning.as_deref().unwrap_or_default()) }
                                },
                                Some(r) => td.meta title=(r.reasoning.as_deref().unwrap_or_default()) { (t.description()) },
                                None => td.meta { (t.description()) },
                            }
                        }
                    }
                }
            }
            @if let Some(s) = &c.summary { h2 { "Summary" } p { (s) } }
            h2 { "Text" }
            @for p in &c.paragraphs {
                @if let Some(h) = &p.heading { h3.section { (h) } }
                div.para id=(format!("p{}", p.number)) {
                    @if p.number > 0 { a.n href=(format!("#p{}", p.number)) title="Link to this paragraph" { (p.number) "." } " " }
                    @if let Some(m) = &p.marking { span.badge.marking { "(" (m.text) ")" } " " }
                    (p.text)
                    @if let Some(panel) = &panel { (panel.notes_on(p.number)) }
                }
            }
            @if let Some(panel) = &panel {
                (panel.forms(c.id.as_str(), &c.paragraphs.iter().map(|p| p.number).collect::<Vec<_>>()))
            }
            @if let Some(s) = &c.signer { p { "Signed: " (s) } }
            h2 { "References" }
            @if v.cited.is_empty() && v.cited_by.is_empty() {
                p.meta { "This cable cites no cable, and no cable in the archive cites it." }
            } @else {
                div.graph { (svg::reference_graph(c.id.as_str(), &cites, &cited_by)) }
            }
            @if !c.references.is_empty() {
                h3 { "Cites" }
                ul.refs {
                    @for r in &c.references {
                        li {
                            @if let Some(b) = r.bullet { (b) ". " }
                            @match r.cable.as_ref().and_then(|rid| resolved.iter().find(|(x, _)| *x == rid)) {
                                Some((_, to)) => {
                                    @if to.present {
                                        a href=(format!("/cable/{}", to.id)) { (to.id) }
                                    } @else {
                                        span.missing { (to.id) " (not in archive)" }
                                    }
                                    @if to.year_inferred {
                                        " " span.badge.inferred title=(format!("The reference \"{}\" names no year: this is the nearest earlier cable of that station and serial the archive holds (the citing cable's year, or the year before)", r.text)) { "year inferred" }
                                    }
                                }
                                None => span.meta { (r.text) },
                            }
                        }
                    }
                }
            }
            @if !v.cited_by.is_empty() {
                h3 { "Cited by" }
                ul { @for src in &v.cited_by { li { a href=(format!("/cable/{src}")) { (src) } } } }
            }
            h2 { "Versions" }
            ol.versions {
                @for ver in &v.versions {
                    li {
                        @if ver.seq == v.version { strong { "this version" } } @else { a href=(format!("/cable/{}?v={}", c.id, ver.seq)) { "version " (ver.seq) } }
                        " · " (ver.source_format) " · " (ver.source_path) " · " code { (ver.content_hash.get(..12).unwrap_or(&ver.content_hash)) }
                    }
                }
            }
            @if let Some(d) = &diff { (diff_view(d)) }
            @if !c.media.is_empty() {
                h2 { "In the media" }
                ul { @for m in &c.media { li { @if m.starts_with("https://") || m.starts_with("http://") { a href=(m) rel="noreferrer nofollow" { (m) } } @else { (m) } } } }
            }
            h2 { "Cite this" }
            pre.cite { (c.id) ", \"" (c.subject) "\", " (c.origin) ", " (c.created.map_or("-".into(), |d| d.date().to_string())) @if latest > 1 { ", version " (v.version) } ", " (permalink) }
            @if let Some(n) = c.paragraphs.iter().map(|p| p.number).find(|n| *n > 0) {
                p.meta { "Paragraph permalinks: " code { (permalink) "#p" (n) } " and so on; each paragraph number above is a link to it." }
            }
        }
    };
    Html(page(c.id.as_str(), "", body).into_string()).into_response()
}
