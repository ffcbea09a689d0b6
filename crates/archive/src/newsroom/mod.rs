//! The newsroom: accounts, projects with members, the cables collected in
//! them, notes pinned to a paragraph of a version, per-user stars and
//! labels, saved searches with the cables newly matching them, and an
//! append-only audit log.
//!
//! All of it is data in the store of record, behind one interface,
//! [`NewsroomStore`] (the embedded SQLite store implements it in
//! [`SqliteNewsroom`]; a PostgreSQL store implements the same). Nothing of
//! it is in the search index: a search that names a project, a note, a star
//! or a label resolves it for the person asking ([`Access`], through
//! [`crate::query::PrivateScope`]), so that no other person's search,
//! count, facet or snippet can be touched by it.
//!
//! Who may do what is decided in one place, [`Access`]: every route and
//! command asks it, and it answers "no such project" alike for a project
//! that does not exist and one the asker is not a member of.

mod access;
mod alerts;
mod notes;
pub mod secret;
mod sqlite;

use serde::Serialize;

use crate::{Error, Result};

pub use access::{Access, AuditEvent, MAX_NAME_CHARS};
pub use alerts::{update_alerts, AlertsReport};
pub use notes::{notes_for_version, paragraph_hash, pin_note, place_notes, NotePlace, PlacedNote};
pub use sqlite::{SqliteNewsroom, AUDIT_BATCH, AUDIT_FLUSH};

/// A user's id in the store.
pub type UserId = i64;
/// A project's id in the store.
pub type ProjectId = i64;

/// The longest note accepted, in bytes.
pub const MAX_NOTE_BYTES: usize = 64 * 1024;
/// How long a session lasts after signing in, in seconds (12 hours).
pub const SESSION_SECONDS: i64 = 12 * 3600;

/// What an account may do on the instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages accounts, reads the audit log, creates projects.
    Admin,
    /// Creates projects.
    Editor,
    /// Works in the projects they are made a member of.
    Reader,
}

impl Role {
    /// The role's name (`admin`, `editor`, `reader`).
    pub fn name(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Editor => "editor",
            Role::Reader => "reader",
        }
    }

    /// Reads a role's name.
    pub fn from_name(name: &str) -> Result<Role> {
        match name {
            "admin" => Ok(Role::Admin),
            "editor" => Ok(Role::Editor),
            "reader" => Ok(Role::Reader),
            other => Err(Error::BadRequest(format!("role {other:?}: use admin, editor or reader"))),
        }
    }
}

/// What a member may do in a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProjectRole {
    /// Reads the project's cables, notes and saved searches.
    Reader,
    /// Also adds and removes cables, writes notes, saves searches.
    Editor,
    /// Also adds and removes members.
    Owner,
}

impl ProjectRole {
    /// The role's name (`owner`, `editor`, `reader`).
    pub fn name(self) -> &'static str {
        match self {
            ProjectRole::Owner => "owner",
            ProjectRole::Editor => "editor",
            ProjectRole::Reader => "reader",
        }
    }

    /// Reads a role's name.
    pub fn from_name(name: &str) -> Result<ProjectRole> {
        match name {
            "owner" => Ok(ProjectRole::Owner),
            "editor" => Ok(ProjectRole::Editor),
            "reader" => Ok(ProjectRole::Reader),
            other => Err(Error::BadRequest(format!("project role {other:?}: use owner, editor or reader"))),
        }
    }
}

/// An account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    /// Its id.
    pub id: UserId,
    /// The name it signs in with.
    pub name: String,
    /// What it may do on the instance.
    pub role: Role,
    /// A disabled account cannot sign in, and its sessions and tokens stop working.
    pub disabled: bool,
    /// Created, unix seconds.
    pub created_at: i64,
}

/// What a secret given with a request stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialKind {
    /// A browser session (cookie), which expires.
    Session,
    /// An API token for scripts, until revoked.
    Token,
}

impl CredentialKind {
    fn name(self) -> &'static str {
        match self {
            CredentialKind::Session => "session",
            CredentialKind::Token => "token",
        }
    }
}

/// A live session or token and its account.
#[derive(Debug, Clone)]
pub struct Credential {
    /// The account (never a disabled one).
    pub user: User,
    /// Session or token.
    pub kind: CredentialKind,
    /// A session's CSRF token, which forms that change something carry.
    pub csrf: Option<String>,
}

/// A project as one of its members sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Project {
    /// Its id (`project:ID` in queries).
    pub id: ProjectId,
    /// Its name.
    pub name: String,
    /// What it is about.
    pub description: String,
    /// Created, unix seconds.
    pub created_at: i64,
    /// The role of the member looking.
    pub role: ProjectRole,
    /// Cables collected.
    pub cables: u64,
    /// Notes written.
    pub notes: u64,
    /// Members.
    pub members: u64,
}

/// A member of a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Member {
    /// The account's name.
    pub user: String,
    /// Its role in the project.
    pub role: ProjectRole,
    /// Made a member, unix seconds.
    pub added_at: i64,
}

/// A note as stored: pinned to a paragraph of the version it was written on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Note {
    /// Its id.
    pub id: i64,
    /// The project it belongs to.
    pub project: ProjectId,
    /// The cable.
    pub cable: String,
    /// The store's version id it was written on.
    pub version_id: i64,
    /// That version's number within the cable (1, 2, ...).
    pub version: u32,
    /// The paragraph number as written in that version (0: the text before paragraph 1).
    pub paragraph: u32,
    /// BLAKE3 of that paragraph's text then, hex ([`paragraph_hash`]).
    #[serde(skip)]
    pub paragraph_hash: String,
    /// The note.
    pub text: String,
    /// Who wrote it.
    pub author: String,
    /// Written, unix seconds.
    pub created_at: i64,
}

/// A note about to be stored (checked by [`Access::add_note`]).
#[derive(Debug, Clone)]
pub struct NewNote {
    /// The project.
    pub project: ProjectId,
    /// The cable.
    pub cable: String,
    /// The store's version id it is written on.
    pub version_id: i64,
    /// The paragraph number as written.
    pub paragraph: u32,
    /// [`paragraph_hash`] of that paragraph's text.
    pub paragraph_hash: String,
    /// The note.
    pub text: String,
}

/// A search saved in a project, whose new matches after each ingest are recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavedSearch {
    /// Its id.
    pub id: i64,
    /// The project.
    pub project: ProjectId,
    /// Who saved it.
    pub user: String,
    /// Its name.
    pub name: String,
    /// The query.
    pub query: String,
    /// Saved, unix seconds.
    pub created_at: i64,
    /// Versions up to this store version id have been looked at.
    pub checked_version: i64,
    /// The last alert the person asking has seen (alert id; 0: none).
    pub seen_alert: i64,
}

/// A cable (new, or a new version) that newly matched a saved search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Alert {
    /// Its id (increasing).
    pub id: i64,
    /// The saved search.
    pub search: i64,
    /// The cable.
    pub cable: String,
    /// The store version id that matched.
    pub version_id: i64,
    /// Found, unix seconds.
    pub found_at: i64,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// Its id (increasing).
    pub id: i64,
    /// When, unix seconds.
    pub at: i64,
    /// Who (the name at the time; empty when nobody was signed in).
    pub user: String,
    /// Where the request came from (an address, or `cli`).
    pub client: String,
    /// What was done (`login`, `search`, `view`, `export`, `add-cables`, ...).
    pub action: String,
    /// What it was done to (a cable id, a project, a query).
    pub target: String,
    /// More about it.
    pub detail: String,
}

/// Which lines of the audit log to read.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Only this account's.
    pub user: Option<String>,
    /// From this time on (unix seconds).
    pub since: Option<i64>,
    /// Before this time (unix seconds).
    pub until: Option<i64>,
    /// At most this many, newest first (0: 1,000).
    pub limit: usize,
}

/// The newsroom's part of the store of record. Implementations answer
/// plainly; whether the asker may know the answer is [`Access`]'s
/// business, not theirs.
pub trait NewsroomStore: Send + Sync {
    /// Creates an account (names are unique, ignoring case).
    fn add_user(&self, name: &str, role: Role, password_hash: &str) -> Result<User>;
    /// The account of this name and its password hash.
    fn user(&self, name: &str) -> Result<Option<(User, String)>>;
    /// Every account, by name.
    fn users(&self) -> Result<Vec<User>>;
    /// Disables or enables an account; disabling removes its sessions and tokens.
    fn set_disabled(&self, name: &str, disabled: bool) -> Result<User>;
    /// Stores a session or token (only the hash of its secret).
    fn add_credential(
        &self,
        user: UserId,
        kind: CredentialKind,
        secret_hash: &[u8; 32],
        csrf: Option<&str>,
        expires_at: Option<i64>,
    ) -> Result<()>;
    /// The live credential whose secret hashes to this, if any (not
    /// expired, its account not disabled).
    fn credential(&self, secret_hash: &[u8; 32], now: i64) -> Result<Option<Credential>>;
    /// Ends a session or revokes a token.
    fn remove_credential(&self, secret_hash: &[u8; 32]) -> Result<()>;

    /// Creates a project with `owner` as its owner.
    fn create_project(&self, owner: UserId, name: &str, description: &str) -> Result<ProjectId>;
    /// The projects `user` is a member of.
    fn projects_of(&self, user: UserId) -> Result<Vec<Project>>;
    /// The project as `user` sees it, if they are a member.
    fn project_for(&self, project: ProjectId, user: UserId) -> Result<Option<Project>>;
    /// Makes `user` a member with `role` (or changes their role).
    fn set_member(&self, project: ProjectId, user: UserId, role: ProjectRole) -> Result<()>;
    /// The members of a project.
    fn members(&self, project: ProjectId) -> Result<Vec<Member>>;

    /// Collects cables in a project; returns how many were not in it yet.
    fn add_cables(&self, project: ProjectId, ids: &[String], by: UserId) -> Result<u64>;
    /// Removes cables from a project; returns how many were in it.
    fn remove_cables(&self, project: ProjectId, ids: &[String]) -> Result<u64>;
    /// The cables collected in a project, sorted.
    fn project_cables(&self, project: ProjectId) -> Result<Vec<String>>;
    /// The projects of `user` holding this cable.
    fn projects_holding(&self, user: UserId, cable: &str) -> Result<Vec<(ProjectId, String)>>;

    /// Stores a note written by `author`; returns its id.
    fn add_note(&self, note: &NewNote, author: UserId) -> Result<i64>;
    /// The notes on a cable in the projects `user` is a member of.
    fn notes_on_cable(&self, user: UserId, cable: &str) -> Result<Vec<Note>>;
    /// The notes of a project, newest first.
    fn project_notes(&self, project: ProjectId) -> Result<Vec<Note>>;
    /// Every note (for `check`), as (note id, project, cable, version id).
    fn all_notes(&self) -> Result<Vec<(i64, ProjectId, String, i64)>>;

    /// Stars or unstars a cable for `user`.
    fn set_star(&self, user: UserId, cable: &str, on: bool) -> Result<()>;
    /// Gives or takes a label of `user`'s to a cable.
    fn set_label(&self, user: UserId, cable: &str, label: &str, on: bool) -> Result<()>;
    /// The cables `user` starred, sorted.
    fn starred(&self, user: UserId) -> Result<Vec<String>>;
    /// The cables `user` gave `label`, sorted.
    fn labelled(&self, user: UserId, label: &str) -> Result<Vec<String>>;
    /// Whether `user` starred a cable, and the labels they gave it.
    fn marks(&self, user: UserId, cable: &str) -> Result<(bool, Vec<String>)>;

    /// Saves a search in a project, its matches up to `checked_version`
    /// counting as seen.
    fn save_search(
        &self,
        project: ProjectId,
        user: UserId,
        name: &str,
        query: &str,
        checked_version: i64,
    ) -> Result<i64>;
    /// The saved searches of a project, or of every project, with the
    /// last alert `viewer` has seen of each.
    fn saved_searches(&self, project: Option<ProjectId>, viewer: Option<UserId>) -> Result<Vec<SavedSearch>>;
    /// Records a saved search's new matches (cable, version id) and that
    /// versions up to `checked_version` have been looked at; returns how
    /// many were new.
    fn record_alerts(&self, search: i64, found: &[(String, i64)], checked_version: i64) -> Result<u64>;
    /// A saved search's alerts after alert id `after`, oldest first.
    fn alerts(&self, search: i64, after: i64) -> Result<Vec<Alert>>;
    /// Marks a saved search's alerts up to id `upto` as seen by `user`.
    fn mark_alerts_seen(&self, user: UserId, search: i64, upto: i64) -> Result<()>;

    /// Appends to the audit log (the only way to change it).
    fn append_audit(
        &self,
        user: Option<&User>,
        client: &str,
        action: &str,
        target: &str,
        detail: &str,
    ) -> Result<()>;
    /// Reads the audit log, newest first.
    fn audit(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>>;
}

/// Now, unix seconds.
pub fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// Checks an account name: 1 to 64 letters, digits, `.`, `_` or `-`.
pub fn check_user_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(Error::BadRequest(format!("user name {name:?}: use 1 to 64 letters, digits, `.`, `_` or `-`")))
    }
}
