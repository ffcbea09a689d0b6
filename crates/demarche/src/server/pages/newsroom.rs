//! The newsroom's pages (a private instance only): the panel on a cable
//! page (notes beside their paragraphs, star, collect, write a note), the
//! projects page and a project's page, and the forms they post. Every form
//! carries the session's CSRF token, checked before anything changes.

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;

use archive::newsroom::{notes_for_version, pin_note, Access, NotePlace, PlacedNote, Project, ProjectRole};
use archive::Archive;

use super::{error_page, page, url};
use crate::server::auth::Viewer;
use crate::server::{AppState, HttpError};

/// What a signed-in member sees of the newsroom on a cable page.
pub struct CablePanel {
    /// The notes of their projects, placed on the version shown.
    pub notes: Vec<PlacedNote>,
    /// Starred by them.
    pub starred: bool,
    /// Their labels on it.
    pub labels: Vec<String>,
    /// Their projects holding it.
    pub holding: Vec<(i64, String)>,
    /// Their projects they may add cables and notes to.
    pub writable: Vec<Project>,
    /// The session's CSRF token for the forms.
    pub csrf: String,
}

impl CablePanel {
    /// Loads the panel for version `version_id` of `cable`.
    pub fn load(
        access: &Access<'_>,
        cable: &cable::Cable,
        version_id: i64,
        csrf: String,
    ) -> archive::Result<CablePanel> {
        let id = cable.id.to_string();
        let (starred, labels) = access.marks(&id)?;
        Ok(CablePanel {
            notes: notes_for_version(access, cable, version_id)?,
            starred,
            labels,
            holding: access.projects_holding(&id)?,
            writable: access.projects()?.into_iter().filter(|p| p.role >= ProjectRole::Editor).collect(),
            csrf,
        })
    }

    /// The notes to show beside paragraph `n`.
    pub fn notes_on(&self, n: u32) -> Markup {
        html! {
            @for placed in self.notes.iter().filter(|p| p.note.paragraph == n) {
                aside.note {
                    span.badge { "note · project " (placed.note.project) }
                    @if let NotePlace::WrittenOn { written_on } = placed.place {
                        span.badge.doubt { "written on version " (written_on) }
                    }
                    " " (placed.note.text) " "
                    span.meta { "— " (placed.note.author) ", " (archive::query::format_unix(placed.note.created_at)) }
                }
            }
        }
    }

    /// The panel's forms.
    pub fn forms(&self, cable: &str, paragraphs: &[u32]) -> Markup {
        html! {
            section.newsroom {
                h2 { "Newsroom" }
                form method="post" action=(format!("/cable/{cable}/star")) {
                    input type="hidden" name="csrf" value=(self.csrf);
                    input type="hidden" name="on" value=(if self.starred { "false" } else { "true" });
                    button type="submit" { @if self.starred { "★ Starred (unstar)" } @else { "☆ Star" } }
                }
                @if !self.labels.is_empty() { p.meta { "Your labels: " @for l in &self.labels { a.badge href=(url(&[("q", format!("label:\"{l}\""))])) { (l) } } } }
                form.label method="post" action=(format!("/cable/{cable}/label")) {
                    input type="hidden" name="csrf" value=(self.csrf);
                    label { "Label " input type="text" name="label" required maxlength="200"; }
                    " " button type="submit" { "Add label" }
                }
                @if !self.holding.is_empty() {
                    p.meta { "In your projects: " @for (id, name) in &self.holding { a.badge href=(format!("/projects/{id}")) { (name) } } }
                }
                @if !self.writable.is_empty() {
                    form method="post" action=(format!("/cable/{cable}/collect")) {
                        input type="hidden" name="csrf" value=(self.csrf);
                        label { "Add to project " (project_select(&self.writable)) }
                        " " button type="submit" { "Add" }
                    }
                    form.note method="post" action="/notes" {
                        input type="hidden" name="csrf" value=(self.csrf);
                        input type="hidden" name="cable" value=(cable);
                        label { "Note on paragraph " select name="paragraph" { @for n in paragraphs { option value=(n) { (n) } } } }
                        " in " (project_select(&self.writable))
                        textarea name="text" rows="3" required maxlength="65536" aria-label="Note" {}
                        button type="submit" { "Write note" }
                    }
                }
            }
        }
    }
}

fn project_select(projects: &[Project]) -> Markup {
    html! { select name="project" { @for p in projects { option value=(p.id) { (p.name) " (" (p.id) ")" } } } }
}

/// A form's CSRF token.
#[derive(Debug, Deserialize)]
pub struct StarForm {
    csrf: Option<String>,
    on: Option<String>,
}

fn signed(viewer: &Viewer, csrf: Option<&str>) -> Result<(), HttpError> {
    viewer.require()?.check_csrf(csrf)
}

/// What every form that changes something does: checks the session and the
/// form's CSRF token, makes the change through the one permission place
/// ([`AppState::with_access`]), then sends the browser to `then` of its
/// result, or shows why not.
async fn change<T, F>(
    state: &AppState,
    viewer: &Viewer,
    csrf: Option<&str>,
    f: F,
    then: impl FnOnce(T) -> String,
) -> Response
where
    T: Send + 'static,
    F: FnOnce(&Archive, &archive::newsroom::Access<'_>) -> archive::Result<T> + Send + 'static,
{
    if let Err(e) = signed(viewer, csrf) {
        return error_page(e, "");
    }
    match state.with_access(viewer, f).await {
        Ok(v) => Redirect::to(&then(v)).into_response(),
        Err(e) => error_page(e, ""),
    }
}

/// `POST /cable/{id}/star`.
pub async fn star(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(f): Form<StarForm>,
) -> Response {
    let on = f.on.as_deref() != Some("false");
    let set = move |a: &Archive, access: &archive::newsroom::Access<'_>| {
        let id = a.versions(&id)?[0].cable_id.clone();
        access.set_star(&id, on)?;
        Ok(id)
    };
    change(&state, &viewer, f.csrf.as_deref(), set, |id| format!("/cable/{id}")).await
}

/// The fields of "add to project".
#[derive(Debug, Deserialize)]
pub struct CollectForm {
    csrf: Option<String>,
    project: i64,
}

/// `POST /cable/{id}/collect`: adds the cable to a project.
pub async fn collect(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(f): Form<CollectForm>,
) -> Response {
    let project = f.project;
    let add = move |a: &Archive, access: &archive::newsroom::Access<'_>| {
        let id = a.versions(&id)?[0].cable_id.clone();
        access.add_cables(project, std::slice::from_ref(&id), "from the cable page")?;
        Ok(id)
    };
    change(&state, &viewer, f.csrf.as_deref(), add, |id| format!("/cable/{id}")).await
}

/// The fields of "write a note".
#[derive(Debug, Deserialize)]
pub struct NoteForm {
    csrf: Option<String>,
    project: i64,
    cable: String,
    paragraph: u32,
    text: String,
}

/// `POST /notes`: writes a note on the latest version's paragraph.
pub async fn note(State(state): State<AppState>, viewer: Viewer, Form(f): Form<NoteForm>) -> Response {
    let csrf = f.csrf.clone();
    let write = move |a: &Archive, access: &archive::newsroom::Access<'_>| {
        access.project(f.project)?;
        let note = pin_note(a, f.project, &f.cable, None, f.paragraph, &f.text)?;
        access.add_note(&note)?;
        Ok((note.cable, note.paragraph))
    };
    change(&state, &viewer, csrf.as_deref(), write, |(id, n)| format!("/cable/{id}#p{n}")).await
}

fn sign_out_form(csrf: &str) -> Markup {
    html! {
        form.signout method="post" action="/logout" {
            input type="hidden" name="csrf" value=(csrf);
            button type="submit" { "Sign out" }
        }
    }
}

/// `GET /projects`: your projects, and a form to create one.
pub async fn projects(State(state): State<AppState>, viewer: Viewer) -> Response {
    let Ok(me) = viewer.require() else { return error_page(HttpError::not_found("no such page"), "") };
    let csrf = me.csrf.clone().unwrap_or_default();
    let name = me.user.name.clone();
    let listed = state.with_access(&viewer, |_, access| access.projects()).await;
    let projects = match listed {
        Ok(p) => p,
        Err(e) => return error_page(e, ""),
    };
    let body = html! {
        p.meta { "Signed in as " (name) } (sign_out_form(&csrf))
        h1 { "Your projects" }
        @if projects.is_empty() { p { "You are a member of no project yet." } }
        ul.projects {
            @for p in &projects {
                li { a href=(format!("/projects/{}", p.id)) { (p.name) } " " span.meta { "project:" (p.id) " · " (p.role.name()) " · " (p.cables) " cables · " (p.notes) " notes" } }
            }
        }
        h2 { "New project" }
        form.project method="post" action="/projects" {
            input type="hidden" name="csrf" value=(csrf);
            label { "Name " input type="text" name="name" required maxlength="200"; }
            label { " Description " input type="text" name="description" maxlength="2000"; }
            button type="submit" { "Create" }
        }
    };
    Html(page("Projects", "", body).into_string()).into_response()
}

/// The fields of "new project".
#[derive(Debug, Deserialize)]
pub struct ProjectForm {
    csrf: Option<String>,
    name: String,
    #[serde(default)]
    description: String,
}

/// `POST /projects`: creates a project, then to its page.
pub async fn create_project(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(f): Form<ProjectForm>,
) -> Response {
    let csrf = f.csrf.clone();
    let create = move |_: &Archive, access: &archive::newsroom::Access<'_>| {
        access.create_project(&f.name, &f.description)
    };
    change(&state, &viewer, csrf.as_deref(), create, |p| format!("/projects/{}", p.id)).await
}

/// `GET /projects/{id}`: a project's cables, notes and members, with
/// forms to add every hit of a query and to add a member.
pub async fn project(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    let Ok(me) = viewer.require() else { return error_page(HttpError::not_found("no such page"), "") };
    let csrf = me.csrf.clone().unwrap_or_default();
    let loaded = state
        .with_access(&viewer, move |a, access| {
            let p = access.project(id)?;
            let cables = access.project_cables(id)?;
            let refs: Vec<&str> = cables.iter().take(200).map(String::as_str).collect();
            let infos = a.store().latest_infos(&refs)?;
            let listed: Vec<(String, String)> = refs
                .iter()
                .map(|c| (c.to_string(), infos.get(*c).map(|i| i.subject.clone()).unwrap_or_default()))
                .collect();
            Ok((p, listed, access.project_notes(id)?, access.members(id)?, access.alerts(Some(id), false)?))
        })
        .await;
    let (p, listed, notes, members, alerts) = match loaded {
        Ok(x) => x,
        Err(e) => return error_page(e, ""),
    };
    let editor = p.role >= ProjectRole::Editor;
    let body = html! {
        h1 { (p.name) }
        p.meta { "project:" (p.id) " · your role: " (p.role.name()) " · " (p.cables) " cables · " (p.notes) " notes" }
        @if !p.description.is_empty() { p { (p.description) } }
        p { a href=(url(&[("q", format!("project:{}", p.id))])) { "Search this project's cables" } }
        @if editor {
            form.collect method="post" action=(format!("/projects/{}/collect", p.id)) {
                input type="hidden" name="csrf" value=(csrf);
                label { "Add every hit of " input type="search" name="query" required maxlength="1000" aria-label="Query"; }
                " " button type="submit" { "Add all" }
            }
        }
        h2 { "Saved searches" }
        @if alerts.is_empty() { p.meta { "None yet: after every ingest, the cables newly matching a saved search are listed here." } }
        @for (search, found) in &alerts {
            div.saved {
                a href=(url(&[("q", search.query.clone())])) { (search.name) } " " code { (search.query) } " "
                span.badge { (found.len()) " new since you last looked" }
                @if !found.is_empty() {
                    ul.alerts { @for a in found { li { a href=(format!("/cable/{}", a.cable)) { (a.cable) } } } }
                    form.seen method="post" action=(format!("/projects/{}/seen", p.id)) {
                        input type="hidden" name="csrf" value=(csrf);
                        button type="submit" { "Mark as seen" }
                    }
                }
            }
        }
        @if editor {
            form.save method="post" action=(format!("/projects/{}/searches", p.id)) {
                input type="hidden" name="csrf" value=(csrf);
                label { "Save a search: name " input type="text" name="name" required maxlength="200"; }
                label { " query " input type="search" name="query" required maxlength="1000"; }
                " " button type="submit" { "Save" }
            }
        }
        h2 { "Cables" }
        p { a href=(format!("/api/projects/{}/export", p.id)) { "Export every cable (CSV)" } " · " a href=(format!("/api/projects/{}/export?format=jsonl", p.id)) { "JSON lines" } " · " a href=(format!("/api/projects/{}/export?format=zip", p.id)) { "texts as published (ZIP)" } }
        ul.cables {
            @for (c, subject) in &listed {
                li {
                    a href=(format!("/cable/{c}")) { (c) } " " (subject)
                    @if editor {
                        form.remove method="post" action=(format!("/projects/{}/remove", p.id)) {
                            input type="hidden" name="csrf" value=(csrf);
                            input type="hidden" name="cable" value=(c);
                            button type="submit" aria-label=(format!("Remove {c} from the project")) { "remove" }
                        }
                    }
                }
            }
        }
        @if (p.cables as usize) > listed.len() { p.meta { "and " (p.cables as usize - listed.len()) " more: search project:" (p.id) } }
        h2 { "Notes" }
        @for n in &notes {
            aside.note { a href=(format!("/cable/{}#p{}", n.cable, n.paragraph)) { (n.cable) " ¶" (n.paragraph) } " " (n.text) " " span.meta { "— " (n.author) } }
        }
        h2 { "Members" }
        ul.members { @for m in &members { li { (m.user) " " span.meta { (m.role.name()) } } } }
        @if p.role == ProjectRole::Owner {
            form.member method="post" action=(format!("/projects/{}/members", p.id)) {
                input type="hidden" name="csrf" value=(csrf);
                label { "Add member " input type="text" name="user" required maxlength="64"; }
                select name="role" { option value="reader" { "reader" } option value="editor" { "editor" } option value="owner" { "owner" } }
                button type="submit" { "Add" }
            }
        }
    };
    Html(page(&p.name, "", body).into_string()).into_response()
}

/// The fields of "add every hit".
#[derive(Debug, Deserialize)]
pub struct QueryForm {
    csrf: Option<String>,
    query: String,
}

/// `POST /projects/{id}/collect`: adds every hit of a query (no cap).
pub async fn collect_query(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<QueryForm>,
) -> Response {
    let csrf = f.csrf.clone();
    let add = move |a: &Archive, access: &archive::newsroom::Access<'_>| {
        access.project(id)?;
        let ids = a.matching_ids_scoped(&f.query, Some(access as &dyn archive::PrivateScope))?;
        access.add_cables(id, &ids, &format!("every hit of {}", f.query))
    };
    change(&state, &viewer, csrf.as_deref(), add, |_| format!("/projects/{id}")).await
}

/// The fields of "remove from the project".
#[derive(Debug, Deserialize)]
pub struct RemoveForm {
    csrf: Option<String>,
    cable: String,
}

/// `POST /projects/{id}/remove`: takes a cable out of the project (its
/// notes stay, as the API's removal keeps them).
pub async fn remove_cable(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<RemoveForm>,
) -> Response {
    let csrf = f.csrf.clone();
    let remove = move |_: &Archive, access: &archive::newsroom::Access<'_>| {
        access.remove_cables(id, std::slice::from_ref(&f.cable))
    };
    change(&state, &viewer, csrf.as_deref(), remove, |_| format!("/projects/{id}")).await
}

/// The fields of "add member".
#[derive(Debug, Deserialize)]
pub struct MemberForm {
    csrf: Option<String>,
    user: String,
    role: String,
}

/// `POST /projects/{id}/members`.
pub async fn add_member(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<MemberForm>,
) -> Response {
    let csrf = f.csrf.clone();
    let set = move |_: &Archive, access: &archive::newsroom::Access<'_>| {
        access.set_member(id, &f.user, ProjectRole::from_name(&f.role)?)
    };
    change(&state, &viewer, csrf.as_deref(), set, |()| format!("/projects/{id}")).await
}

/// The fields of "add label".
#[derive(Debug, Deserialize)]
pub struct LabelForm {
    csrf: Option<String>,
    label: String,
}

/// `POST /cable/{id}/label`: gives the cable one of your labels.
pub async fn label(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(f): Form<LabelForm>,
) -> Response {
    let csrf = f.csrf.clone();
    let set = move |a: &Archive, access: &archive::newsroom::Access<'_>| {
        let id = a.versions(&id)?[0].cable_id.clone();
        access.set_label(&id, &f.label, true)?;
        Ok(id)
    };
    change(&state, &viewer, csrf.as_deref(), set, |id| format!("/cable/{id}")).await
}

/// The fields of "save a search".
#[derive(Debug, Deserialize)]
pub struct SaveSearchForm {
    csrf: Option<String>,
    name: String,
    query: String,
}

/// `POST /projects/{id}/searches`: saves a search in the project.
pub async fn save_search(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<SaveSearchForm>,
) -> Response {
    let csrf = f.csrf.clone();
    let save = move |a: &Archive, access: &archive::newsroom::Access<'_>| {
        access.project(id)?;
        a.matching_versions_after(&f.query, i64::MAX, Some(access as &dyn archive::PrivateScope))?;
        access.save_search(id, &f.name, &f.query, a.store().max_latest_version()?)
    };
    change(&state, &viewer, csrf.as_deref(), save, |_| format!("/projects/{id}")).await
}

/// `POST /projects/{id}/seen`: marks the project's alerts as seen by you.
pub async fn mark_seen(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<crate::server::auth::CsrfForm>,
) -> Response {
    let seen = move |_: &Archive, access: &archive::newsroom::Access<'_>| access.alerts(Some(id), true);
    change(&state, &viewer, f.csrf.as_deref(), seen, |_| format!("/projects/{id}")).await
}

/// Filters of the audit page.
#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    user: Option<String>,
    since: Option<String>,
}

/// `GET /audit?user=&since=YYYY-MM-DD`: the audit log (admins).
pub async fn audit(
    State(state): State<AppState>,
    viewer: Viewer,
    q: axum::extract::Query<AuditQuery>,
) -> Response {
    let axum::extract::Query(q) = q;
    let since =
        match q.since.as_deref().filter(|s| !s.is_empty()).map(crate::cmd::audit::day_start).transpose() {
            Ok(s) => s,
            Err(e) => return error_page(e.into(), ""),
        };
    let filter = archive::newsroom::AuditFilter {
        user: q.user.clone().filter(|u| !u.is_empty()),
        since,
        until: None,
        limit: 1000,
    };
    let entries = match state.with_access(&viewer, move |_, access| access.audit_log(&filter)).await {
        Ok(e) => e,
        Err(e) => return error_page(e, ""),
    };
    let body = html! {
        h1 { "Audit log" }
        form.audit method="get" action="/audit" {
            label { "Account " input type="text" name="user" value=(q.user.clone().unwrap_or_default()); }
            label { " since " input type="date" name="since" value=(q.since.clone().unwrap_or_default()); }
            " " button type="submit" { "Filter" }
        }
        p.meta { (entries.len()) " entries, newest first (at most 1,000 here; " a href="/api/audit" { "all as JSON" } ")" }
        table.audit {
            tr { th { "When" } th { "Who" } th { "From" } th { "What" } th { "On" } th { "Detail" } }
            @for e in &entries {
                tr { td { (archive::query::format_unix(e.at)) } td { (e.user) } td { (e.client) } td { (e.action) } td { (e.target) } td { (e.detail) } }
            }
        }
    };
    Html(page("Audit log", "", body).into_string()).into_response()
}
