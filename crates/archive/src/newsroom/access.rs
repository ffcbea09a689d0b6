//! [`Access`]: what one signed-in person may see and do. Every newsroom
//! route, command, search and export goes through it; nothing else reads
//! the newsroom's tables for a user.
//!
//! The rules:
//! - a project exists for its members only: to anyone else it answers
//!   [`Error::NotFound`] ("no project 7"), exactly as a project that does
//!   not exist, so that names and ids do not leak;
//! - project readers read; editors and owners also collect cables, write
//!   notes and save searches; owners also manage members;
//! - stars and labels are their owner's alone;
//! - instance editors and admins create projects; only admins manage
//!   accounts and read the audit log (which no one can change).

use super::{
    AuditEntry, AuditFilter, NewNote, NewsroomStore, Note, Project, ProjectId, ProjectRole, Role,
    SavedSearch, User, MAX_NOTE_BYTES,
};
use crate::query::syntax::PrivateField;
use crate::query::PrivateScope;
use crate::{Error, Result};

/// The longest project name, saved search name or label, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// What the audit log records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditEvent {
    /// Signed in.
    Login,
    /// A sign-in refused (wrong name or password, disabled account).
    LoginFailed,
    /// Signed out.
    Logout,
    /// Searched.
    Search,
    /// Read a cable.
    View,
    /// Exported search results or a project.
    Export,
    /// Created a project.
    CreateProject,
    /// Made someone a member of a project, or changed their role.
    SetMember,
    /// Collected cables in a project.
    AddCables,
    /// Removed cables from a project.
    RemoveCables,
    /// Wrote a note.
    AddNote,
    /// Starred or unstarred, labelled or unlabelled a cable.
    Mark,
    /// Saved a search.
    SaveSearch,
    /// An account was created, disabled or enabled, or given a token.
    Account,
    /// Read the audit log.
    ReadAudit,
}

impl AuditEvent {
    /// The action's name in the log.
    pub fn name(self) -> &'static str {
        match self {
            AuditEvent::Login => "login",
            AuditEvent::LoginFailed => "login-failed",
            AuditEvent::Logout => "logout",
            AuditEvent::Search => "search",
            AuditEvent::View => "view",
            AuditEvent::Export => "export",
            AuditEvent::CreateProject => "create-project",
            AuditEvent::SetMember => "set-member",
            AuditEvent::AddCables => "add-cables",
            AuditEvent::RemoveCables => "remove-cables",
            AuditEvent::AddNote => "add-note",
            AuditEvent::Mark => "mark",
            AuditEvent::SaveSearch => "save-search",
            AuditEvent::Account => "account",
            AuditEvent::ReadAudit => "read-audit",
        }
    }
}

/// One signed-in person's view of the newsroom.
pub struct Access<'a> {
    store: &'a dyn NewsroomStore,
    user: &'a User,
    client: &'a str,
}

impl<'a> Access<'a> {
    /// `user`'s view (a live, enabled account), asking from `client` (an
    /// address, or `cli`), as recorded in the audit log.
    pub fn new(store: &'a dyn NewsroomStore, user: &'a User, client: &'a str) -> Access<'a> {
        Access { store, user, client }
    }

    /// Who is asking.
    pub fn user(&self) -> &User {
        self.user
    }

    /// Records something this person did.
    pub fn audit(&self, event: AuditEvent, target: &str, detail: &str) -> Result<()> {
        self.store.append_audit(Some(self.user), self.client, event.name(), target, detail)
    }

    /// Refuses anyone but an admin.
    pub fn require_admin(&self, what: &str) -> Result<()> {
        if self.user.role == Role::Admin {
            Ok(())
        } else {
            Err(Error::Forbidden(format!("only an admin may {what}")))
        }
    }

    /// The audit log (admins only). Reading it is recorded too.
    pub fn audit_log(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        self.require_admin("read the audit log")?;
        let entries = self.store.audit(filter)?;
        self.audit(AuditEvent::ReadAudit, filter.user.as_deref().unwrap_or(""), "")?;
        Ok(entries)
    }

    /// Every account (admins only).
    pub fn users(&self) -> Result<Vec<User>> {
        self.require_admin("list the accounts")?;
        self.store.users()
    }

    /// The projects this person is a member of.
    pub fn projects(&self) -> Result<Vec<Project>> {
        self.store.projects_of(self.user.id)
    }

    /// A project this person is a member of.
    pub fn project(&self, id: ProjectId) -> Result<Project> {
        self.store.project_for(id, self.user.id)?.ok_or_else(|| Error::NotFound(format!("no project {id}")))
    }

    /// A project in which this person has at least `role`.
    fn project_as(&self, id: ProjectId, role: ProjectRole, what: &str) -> Result<Project> {
        let project = self.project(id)?;
        if project.role >= role {
            Ok(project)
        } else {
            Err(Error::Forbidden(format!(
                "you are a {} of project {id}: only its {}s may {what}",
                project.role.name(),
                if role == ProjectRole::Owner { "owner" } else { "editors and owner" }
            )))
        }
    }

    /// Creates a project owned by this person (instance editors and admins).
    pub fn create_project(&self, name: &str, description: &str) -> Result<Project> {
        if self.user.role == Role::Reader {
            return Err(Error::Forbidden(
                "readers cannot create projects: ask an editor or an admin to create one and add you".into(),
            ));
        }
        let name = check_name("project name", name)?;
        if description.chars().count() > 10 * MAX_NAME_CHARS {
            return Err(Error::BadRequest(format!(
                "the description is too long: at most {} characters",
                10 * MAX_NAME_CHARS
            )));
        }
        let id = self.store.create_project(self.user.id, name, description.trim())?;
        self.audit(AuditEvent::CreateProject, &id.to_string(), name)?;
        self.project(id)
    }

    /// Makes the account `user` a member of a project with `role`, or
    /// changes their role (the project's owners only).
    pub fn set_member(&self, project: ProjectId, user: &str, role: ProjectRole) -> Result<()> {
        self.project_as(project, ProjectRole::Owner, "change its members")?;
        let (member, _) = self
            .store
            .user(user)?
            .filter(|(u, _)| !u.disabled)
            .ok_or_else(|| Error::BadRequest(format!("no account {user:?} that can be made a member")))?;
        if member.id == self.user.id && role != ProjectRole::Owner {
            return Err(Error::BadRequest(
                "an owner cannot step down themselves: make another owner first".into(),
            ));
        }
        self.store.set_member(project, member.id, role)?;
        self.audit(
            AuditEvent::SetMember,
            &project.to_string(),
            &format!("{} as {}", member.name, role.name()),
        )
    }

    /// The members of a project.
    pub fn members(&self, project: ProjectId) -> Result<Vec<super::Member>> {
        self.project(project)?;
        self.store.members(project)
    }

    /// Collects cables (ids of cables in the archive: the caller checks)
    /// in a project; returns how many were not in it yet.
    pub fn add_cables(&self, project: ProjectId, ids: &[String], how: &str) -> Result<u64> {
        self.project_as(project, ProjectRole::Editor, "add cables")?;
        let added = self.store.add_cables(project, ids, self.user.id)?;
        self.audit(
            AuditEvent::AddCables,
            &project.to_string(),
            &format!("{added} new of {} ({how})", ids.len()),
        )?;
        Ok(added)
    }

    /// Removes cables from a project; returns how many were in it.
    pub fn remove_cables(&self, project: ProjectId, ids: &[String]) -> Result<u64> {
        self.project_as(project, ProjectRole::Editor, "remove cables")?;
        let removed = self.store.remove_cables(project, ids)?;
        self.audit(AuditEvent::RemoveCables, &project.to_string(), &format!("{removed}: {}", ids.join(" ")))?;
        Ok(removed)
    }

    /// The cables collected in a project, sorted.
    pub fn project_cables(&self, project: ProjectId) -> Result<Vec<String>> {
        self.project(project)?;
        self.store.project_cables(project)
    }

    /// The projects of this person's holding a cable.
    pub fn projects_holding(&self, cable: &str) -> Result<Vec<(ProjectId, String)>> {
        self.store.projects_holding(self.user.id, cable)
    }

    /// Writes a note (the caller has checked the cable, version and
    /// paragraph against the archive and hashed the paragraph).
    pub fn add_note(&self, note: &NewNote) -> Result<i64> {
        self.project_as(note.project, ProjectRole::Editor, "write notes")?;
        if note.text.trim().is_empty() {
            return Err(Error::BadRequest("the note is empty".into()));
        }
        if note.text.len() > MAX_NOTE_BYTES {
            return Err(Error::BadRequest(format!(
                "the note is {} bytes: at most {MAX_NOTE_BYTES} (64 KiB)",
                note.text.len()
            )));
        }
        let id = self.store.add_note(note, self.user.id)?;
        self.audit(
            AuditEvent::AddNote,
            &note.cable,
            &format!("note {id} in project {} on paragraph {}", note.project, note.paragraph),
        )?;
        Ok(id)
    }

    /// The notes on a cable this person may read (those of their projects).
    pub fn notes_on_cable(&self, cable: &str) -> Result<Vec<Note>> {
        self.store.notes_on_cable(self.user.id, cable)
    }

    /// The notes of a project, newest first.
    pub fn project_notes(&self, project: ProjectId) -> Result<Vec<Note>> {
        self.project(project)?;
        self.store.project_notes(project)
    }

    /// Stars or unstars a cable.
    pub fn set_star(&self, cable: &str, on: bool) -> Result<()> {
        self.store.set_star(self.user.id, cable, on)?;
        self.audit(AuditEvent::Mark, cable, if on { "star" } else { "unstar" })
    }

    /// Gives or takes a label.
    pub fn set_label(&self, cable: &str, label: &str, on: bool) -> Result<()> {
        let label = check_name("label", label)?;
        self.store.set_label(self.user.id, cable, label, on)?;
        self.audit(AuditEvent::Mark, cable, &format!("{} {label}", if on { "label" } else { "unlabel" }))
    }

    /// Whether this person starred a cable, and their labels on it.
    pub fn marks(&self, cable: &str) -> Result<(bool, Vec<String>)> {
        self.store.marks(self.user.id, cable)
    }

    /// Saves a search in a project (the caller has checked that the query
    /// parses); matches up to store version `checked_version` count as seen.
    pub fn save_search(
        &self,
        project: ProjectId,
        name: &str,
        query: &str,
        checked_version: i64,
    ) -> Result<i64> {
        self.project_as(project, ProjectRole::Editor, "save searches")?;
        let name = check_name("search name", name)?;
        let id = self.store.save_search(project, self.user.id, name, query, checked_version)?;
        self.audit(AuditEvent::SaveSearch, &project.to_string(), query)?;
        Ok(id)
    }

    /// The saved searches of a project.
    pub fn saved_searches(&self, project: ProjectId) -> Result<Vec<SavedSearch>> {
        self.project(project)?;
        self.store.saved_searches(Some(project), Some(self.user.id))
    }

    /// The saved searches of every project of this person's, each with its
    /// alerts not yet seen by them, oldest first; `mark_seen` records them
    /// as seen.
    pub fn alerts(
        &self,
        project: Option<ProjectId>,
        mark_seen: bool,
    ) -> Result<Vec<(SavedSearch, Vec<super::Alert>)>> {
        let projects: Vec<ProjectId> = match project {
            Some(p) => vec![self.project(p)?.id],
            None => self.projects()?.into_iter().map(|p| p.id).collect(),
        };
        let mut out = Vec::new();
        for p in projects {
            for search in self.store.saved_searches(Some(p), Some(self.user.id))? {
                let alerts = self.store.alerts(search.id, search.seen_alert)?;
                if mark_seen {
                    if let Some(last) = alerts.last() {
                        self.store.mark_alerts_seen(self.user.id, search.id, last.id)?;
                    }
                }
                out.push((search, alerts));
            }
        }
        Ok(out)
    }

    /// The cables of this person's notes whose text holds `words` in
    /// sequence (folded as searches fold them).
    fn cables_with_note(&self, words: &str) -> Result<Vec<String>> {
        let wanted = crate::index::analysis::folded_words(words);
        if wanted.is_empty() {
            return Err(Error::BadRequest("`note:` needs a word to look for".into()));
        }
        let mut ids = Vec::new();
        for project in self.projects()? {
            for note in self.store.project_notes(project.id)? {
                let have = crate::index::analysis::folded_words(&note.text);
                if have.windows(wanted.len()).any(|w| w == wanted.as_slice()) {
                    ids.push(note.cable);
                }
            }
        }
        ids.sort();
        ids.dedup();
        Ok(ids)
    }
}

impl PrivateScope for Access<'_> {
    fn cables(&self, field: PrivateField, value: &str) -> Result<Vec<String>> {
        match field {
            PrivateField::Project => {
                let id: ProjectId = value.trim().parse().map_err(|_| {
                    Error::BadRequest(format!(
                        "project:{value}: a project is named by its number, as in project:12"
                    ))
                })?;
                // Not a member and no such project read the same.
                self.project_cables(id).map_err(|e| match e {
                    Error::NotFound(m) => Error::BadRequest(format!("project:{value}: {m}")),
                    e => e,
                })
            }
            PrivateField::Note => self.cables_with_note(value),
            PrivateField::Starred => {
                if value.eq_ignore_ascii_case("me") {
                    self.store.starred(self.user.id)
                } else {
                    Err(Error::BadRequest(format!("starred:{value}: stars are your own; write starred:me")))
                }
            }
            PrivateField::Label => self.store.labelled(self.user.id, value.trim()),
        }
    }
}

/// A name (of a project, a label, a saved search), trimmed: 1 to
/// [`MAX_NAME_CHARS`] characters, no control characters.
fn check_name<'n>(what: &str, name: &'n str) -> Result<&'n str> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(Error::BadRequest(format!(
            "the {what} must be 1 to {MAX_NAME_CHARS} characters, without control characters"
        )));
    }
    Ok(name)
}
