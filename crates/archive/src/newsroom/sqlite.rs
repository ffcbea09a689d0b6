//! [`NewsroomStore`] in the embedded SQLite store (`store.sqlite`, the
//! tables of schema migration 5), over a connection of its own that may
//! write while the archive's other handles read, and while `ingest` writes
//! cables (SQLite's WAL: one writer at a time, waiting up to 5 s).

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::{params, Connection, OpenFlags, OptionalExtension, Row};

use super::{
    now, Alert, AuditEntry, AuditFilter, Credential, CredentialKind, Member, NewNote, NewsroomStore, Note,
    Project, ProjectId, ProjectRole, Role, SavedSearch, User, UserId,
};
use crate::{Error, Result};

/// The first schema version with the newsroom's tables.
const NEWSROOM_SCHEMA: i64 = 5;

/// The newsroom's tables of an archive's SQLite store.
///
/// The audit lines of reads (searches, cable views: one per request) are
/// written in batches, at most [`AUDIT_FLUSH`] after they happen (a thread
/// writes them), or when [`AUDIT_BATCH`] are waiting, or before the log is
/// read, or before any other line (so that the log keeps its order), or
/// when the store is closed. A process killed outright loses at most the
/// last half second of reads from the log; every change is written at once.
pub struct SqliteNewsroom {
    shared: Arc<Shared>,
}

/// Read events are written this long after they happen, at the latest.
pub const AUDIT_FLUSH: std::time::Duration = std::time::Duration::from_millis(500);
/// At most this many read events wait to be written.
pub const AUDIT_BATCH: usize = 256;

struct Shared {
    conn: Mutex<Connection>,
    pending: Mutex<Vec<PendingAudit>>,
}

/// An audit line waiting to be written.
struct PendingAudit {
    at: i64,
    user_id: Option<UserId>,
    user: String,
    client: String,
    action: String,
    target: String,
    detail: String,
}

impl Shared {
    /// Writes the waiting audit lines, and `then` after them, in one
    /// transaction (the connection held throughout, so lines keep their order).
    fn flush(&self, then: Option<PendingAudit>) -> Result<()> {
        let mut conn = self.conn.lock().map_err(|_| poisoned())?;
        let waiting = std::mem::take(&mut *self.pending.lock().map_err(|_| poisoned())?);
        if waiting.is_empty() && then.is_none() {
            return Ok(());
        }
        let written = (|| -> Result<()> {
            let tx = conn.transaction()?;
            {
                let mut st = tx.prepare_cached(
                    "INSERT INTO audit (at, user_id, user, client, action, target, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?;
                for e in waiting.iter().chain(&then) {
                    st.execute(params![e.at, e.user_id, e.user, e.client, e.action, e.target, e.detail])?;
                }
            }
            tx.commit()?;
            Ok(())
        })();
        if written.is_err() {
            // The waiting lines are kept, before any that came meanwhile,
            // to be written next time; the caller hears of its own line.
            let mut pending = self.pending.lock().map_err(|_| poisoned())?;
            let newer = std::mem::replace(&mut *pending, waiting);
            pending.extend(newer);
        }
        written
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        if let Err(e) = self.flush(None) {
            tracing::error!("audit lines could not be written when the newsroom closed: {e}");
        }
    }
}

fn poisoned() -> Error {
    Error::Corrupt("the newsroom's store connection was poisoned".into())
}

impl SqliteNewsroom {
    /// Opens the newsroom of the archive in `dir` for reading and writing.
    /// The archive must exist and have been opened (and so migrated) by
    /// this demarche once: [`crate::Archive::open`] does.
    pub fn open(dir: &Path) -> Result<SqliteNewsroom> {
        let path = dir.join(crate::archive::STORE_FILE);
        if !path.exists() {
            return Err(Error::NoArchive(dir.display().to_string()));
        }
        let conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // The store is in WAL mode: NORMAL commits without waiting for the
        // disk (a power cut may lose the last commits, never corrupts), as
        // the archive's own writer does. FULL cost every audited search
        // 0.5 ms (an fsync) on this machine's disk.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version < NEWSROOM_SCHEMA {
            return Err(Error::Corrupt(format!(
                "store schema version {version} has no newsroom tables: open the archive once with this demarche \
                 (any command) to migrate it"
            )));
        }
        let shared = Arc::new(Shared { conn: Mutex::new(conn), pending: Mutex::new(Vec::new()) });
        let weak = Arc::downgrade(&shared);
        std::thread::Builder::new()
            .name("audit-writer".into())
            .spawn(move || loop {
                std::thread::sleep(AUDIT_FLUSH);
                let Some(shared) = weak.upgrade() else { return };
                if let Err(e) = shared.flush(None) {
                    tracing::error!("writing audit lines failed (they are kept to try again): {e}");
                }
            })
            .map_err(|e| Error::io("the audit writer thread", e))?;
        Ok(SqliteNewsroom { shared })
    }

    fn conn(&self) -> Result<MutexGuard<'_, Connection>> {
        self.shared.conn.lock().map_err(|_| poisoned())
    }
}

fn user_of(r: &Row<'_>) -> rusqlite::Result<User> {
    let role: String = r.get(2)?;
    Ok(User {
        id: r.get(0)?,
        name: r.get(1)?,
        role: Role::from_name(&role).unwrap_or(Role::Reader),
        disabled: r.get(3)?,
        created_at: r.get(4)?,
    })
}

fn project_role(name: &str) -> ProjectRole {
    ProjectRole::from_name(name).unwrap_or(ProjectRole::Reader)
}

fn note_of(r: &Row<'_>) -> rusqlite::Result<Note> {
    Ok(Note {
        id: r.get(0)?,
        project: r.get(1)?,
        cable: r.get(2)?,
        version_id: r.get(3)?,
        paragraph: r.get(4)?,
        paragraph_hash: r.get(5)?,
        text: r.get(6)?,
        author: r.get(7)?,
        created_at: r.get(8)?,
        version: r.get::<_, Option<u32>>(9)?.unwrap_or(0),
    })
}

const NOTE_COLUMNS: &str =
    "n.id, n.project_id, n.cable_id, n.version_id, n.paragraph, n.paragraph_hash, n.text, \
                            u.name, n.created_at, v.seq \
                            FROM notes n JOIN users u ON u.id = n.author_id \
                            LEFT JOIN versions v ON v.version_id = n.version_id";

const PROJECT_COLUMNS: &str = "p.id, p.name, p.description, p.created_at, m.role, \
     (SELECT COUNT(*) FROM project_cables c WHERE c.project_id = p.id), \
     (SELECT COUNT(*) FROM notes n WHERE n.project_id = p.id), \
     (SELECT COUNT(*) FROM members x WHERE x.project_id = p.id) \
     FROM projects p JOIN members m ON m.project_id = p.id";

fn project_of(r: &Row<'_>) -> rusqlite::Result<Project> {
    let role: String = r.get(4)?;
    Ok(Project {
        id: r.get(0)?,
        name: r.get(1)?,
        description: r.get(2)?,
        created_at: r.get(3)?,
        role: project_role(&role),
        cables: r.get::<_, i64>(5)? as u64,
        notes: r.get::<_, i64>(6)? as u64,
        members: r.get::<_, i64>(7)? as u64,
    })
}

fn strings(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<Vec<String>> {
    let mut st = conn.prepare_cached(sql)?;
    let rows = st.query_map(params, |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl NewsroomStore for SqliteNewsroom {
    fn add_user(&self, name: &str, role: Role, password_hash: &str) -> Result<User> {
        let conn = self.conn()?;
        let taken: bool =
            conn.query_row("SELECT EXISTS (SELECT 1 FROM users WHERE name = ?1)", [name], |r| r.get(0))?;
        if taken {
            return Err(Error::BadRequest(format!("there is already a user {name:?}")));
        }
        conn.execute(
            "INSERT INTO users (name, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![name, role.name(), password_hash, now()],
        )?;
        let id = conn.last_insert_rowid();
        Ok(conn.query_row(
            "SELECT id, name, role, disabled, created_at FROM users WHERE id = ?1",
            [id],
            user_of,
        )?)
    }

    fn user(&self, name: &str) -> Result<Option<(User, String)>> {
        let conn = self.conn()?;
        Ok(conn
            .query_row(
                "SELECT id, name, role, disabled, created_at, password_hash FROM users WHERE name = ?1",
                [name],
                |r| Ok((user_of(r)?, r.get(5)?)),
            )
            .optional()?)
    }

    fn users(&self) -> Result<Vec<User>> {
        let conn = self.conn()?;
        let mut st = conn.prepare("SELECT id, name, role, disabled, created_at FROM users ORDER BY name")?;
        let rows = st.query_map([], user_of)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn set_disabled(&self, name: &str, disabled: bool) -> Result<User> {
        let mut conn = self.conn()?;
        let tx = conn.transaction()?;
        let user = tx
            .query_row(
                "SELECT id, name, role, disabled, created_at FROM users WHERE name = ?1",
                [name],
                user_of,
            )
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("no user {name:?}")))?;
        tx.execute("UPDATE users SET disabled = ?1 WHERE id = ?2", params![disabled, user.id])?;
        if disabled {
            tx.execute("DELETE FROM credentials WHERE user_id = ?1", [user.id])?;
        }
        tx.commit()?;
        Ok(User { disabled, ..user })
    }

    fn add_credential(
        &self,
        user: UserId,
        kind: CredentialKind,
        secret_hash: &[u8; 32],
        csrf: Option<&str>,
        expires_at: Option<i64>,
    ) -> Result<()> {
        let conn = self.conn()?;
        conn.execute(
            "INSERT INTO credentials (secret_hash, user_id, kind, csrf, created_at, expires_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![&secret_hash[..], user, kind.name(), csrf, now(), expires_at],
        )?;
        // Expired sessions go as new ones come.
        conn.execute("DELETE FROM credentials WHERE expires_at IS NOT NULL AND expires_at < ?1", [now()])?;
        Ok(())
    }

    fn credential(&self, secret_hash: &[u8; 32], now: i64) -> Result<Option<Credential>> {
        let conn = self.conn()?;
        let mut st = conn.prepare_cached(
            "SELECT u.id, u.name, u.role, u.disabled, u.created_at, c.kind, c.csrf \
             FROM credentials c JOIN users u ON u.id = c.user_id \
             WHERE c.secret_hash = ?1 AND u.disabled = 0 AND (c.expires_at IS NULL OR c.expires_at > ?2)",
        )?;
        Ok(st
            .query_row(params![&secret_hash[..], now], |r| {
                let kind: String = r.get(5)?;
                Ok(Credential {
                    user: user_of(r)?,
                    kind: if kind == "token" { CredentialKind::Token } else { CredentialKind::Session },
                    csrf: r.get(6)?,
                })
            })
            .optional()?)
    }

    fn remove_credential(&self, secret_hash: &[u8; 32]) -> Result<()> {
        self.conn()?.execute("DELETE FROM credentials WHERE secret_hash = ?1", [&secret_hash[..]])?;
        Ok(())
    }

    fn create_project(&self, owner: UserId, name: &str, description: &str) -> Result<ProjectId> {
        let mut conn = self.conn()?;
        let tx = conn.transaction()?;
        let at = now();
        tx.execute(
            "INSERT INTO projects (name, description, created_by, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![name, description, owner, at],
        )?;
        let id = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO members (project_id, user_id, role, added_at) VALUES (?1, ?2, 'owner', ?3)",
            params![id, owner, at],
        )?;
        tx.commit()?;
        Ok(id)
    }

    fn projects_of(&self, user: UserId) -> Result<Vec<Project>> {
        let conn = self.conn()?;
        let mut st =
            conn.prepare_cached(&format!("SELECT {PROJECT_COLUMNS} WHERE m.user_id = ?1 ORDER BY p.id"))?;
        let rows = st.query_map([user], project_of)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn project_for(&self, project: ProjectId, user: UserId) -> Result<Option<Project>> {
        let conn = self.conn()?;
        let mut st =
            conn.prepare_cached(&format!("SELECT {PROJECT_COLUMNS} WHERE m.user_id = ?1 AND p.id = ?2"))?;
        Ok(st.query_row(params![user, project], project_of).optional()?)
    }

    fn set_member(&self, project: ProjectId, user: UserId, role: ProjectRole) -> Result<()> {
        self.conn()?.execute(
            "INSERT INTO members (project_id, user_id, role, added_at) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (project_id, user_id) DO UPDATE SET role = excluded.role",
            params![project, user, role.name(), now()],
        )?;
        Ok(())
    }

    fn members(&self, project: ProjectId) -> Result<Vec<Member>> {
        let conn = self.conn()?;
        let mut st = conn.prepare_cached(
            "SELECT u.name, m.role, m.added_at FROM members m JOIN users u ON u.id = m.user_id \
             WHERE m.project_id = ?1 ORDER BY u.name",
        )?;
        let rows = st.query_map([project], |r| {
            let role: String = r.get(1)?;
            Ok(Member { user: r.get(0)?, role: project_role(&role), added_at: r.get(2)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn add_cables(&self, project: ProjectId, ids: &[String], by: UserId) -> Result<u64> {
        let mut conn = self.conn()?;
        let tx = conn.transaction()?;
        let mut added = 0;
        {
            let mut st = tx.prepare_cached(
                "INSERT OR IGNORE INTO project_cables (project_id, cable_id, added_by, added_at) VALUES (?1, ?2, ?3, ?4)",
            )?;
            let at = now();
            for id in ids {
                added += st.execute(params![project, id, by, at])? as u64;
            }
        }
        tx.commit()?;
        Ok(added)
    }

    fn remove_cables(&self, project: ProjectId, ids: &[String]) -> Result<u64> {
        let mut conn = self.conn()?;
        let tx = conn.transaction()?;
        let mut removed = 0;
        {
            let mut st =
                tx.prepare_cached("DELETE FROM project_cables WHERE project_id = ?1 AND cable_id = ?2")?;
            for id in ids {
                removed += st.execute(params![project, id])? as u64;
            }
        }
        tx.commit()?;
        Ok(removed)
    }

    fn project_cables(&self, project: ProjectId) -> Result<Vec<String>> {
        strings(
            &*self.conn()?,
            "SELECT cable_id FROM project_cables WHERE project_id = ?1 ORDER BY cable_id",
            [project],
        )
    }

    fn projects_holding(&self, user: UserId, cable: &str) -> Result<Vec<(ProjectId, String)>> {
        let conn = self.conn()?;
        let mut st = conn.prepare_cached(
            "SELECT p.id, p.name FROM project_cables c JOIN members m ON m.project_id = c.project_id \
             JOIN projects p ON p.id = c.project_id WHERE m.user_id = ?1 AND c.cable_id = ?2 ORDER BY p.id",
        )?;
        let rows = st.query_map(params![user, cable], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn add_note(&self, note: &NewNote, author: UserId) -> Result<i64> {
        let conn = self.conn()?;
        conn.execute(
            "INSERT INTO notes (project_id, cable_id, version_id, paragraph, paragraph_hash, text, author_id, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                note.project,
                note.cable,
                note.version_id,
                note.paragraph,
                note.paragraph_hash,
                note.text,
                author,
                now()
            ],
        )?;
        Ok(conn.last_insert_rowid())
    }

    fn notes_on_cable(&self, user: UserId, cable: &str) -> Result<Vec<Note>> {
        let conn = self.conn()?;
        let mut st = conn.prepare_cached(&format!(
            "SELECT {NOTE_COLUMNS} WHERE n.cable_id = ?2 AND n.project_id IN \
             (SELECT project_id FROM members WHERE user_id = ?1) ORDER BY n.paragraph, n.id"
        ))?;
        let rows = st.query_map(params![user, cable], note_of)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn project_notes(&self, project: ProjectId) -> Result<Vec<Note>> {
        let conn = self.conn()?;
        let mut st = conn
            .prepare_cached(&format!("SELECT {NOTE_COLUMNS} WHERE n.project_id = ?1 ORDER BY n.id DESC"))?;
        let rows = st.query_map([project], note_of)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn all_notes(&self) -> Result<Vec<(i64, ProjectId, String, i64)>> {
        let conn = self.conn()?;
        let mut st = conn.prepare("SELECT id, project_id, cable_id, version_id FROM notes ORDER BY id")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn set_star(&self, user: UserId, cable: &str, on: bool) -> Result<()> {
        let conn = self.conn()?;
        if on {
            conn.execute(
                "INSERT OR IGNORE INTO stars (user_id, cable_id, created_at) VALUES (?1, ?2, ?3)",
                params![user, cable, now()],
            )?;
        } else {
            conn.execute("DELETE FROM stars WHERE user_id = ?1 AND cable_id = ?2", params![user, cable])?;
        }
        Ok(())
    }

    fn set_label(&self, user: UserId, cable: &str, label: &str, on: bool) -> Result<()> {
        let conn = self.conn()?;
        if on {
            conn.execute(
                "INSERT OR IGNORE INTO labels (user_id, label, cable_id, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![user, label, cable, now()],
            )?;
        } else {
            conn.execute(
                "DELETE FROM labels WHERE user_id = ?1 AND label = ?2 AND cable_id = ?3",
                params![user, label, cable],
            )?;
        }
        Ok(())
    }

    fn starred(&self, user: UserId) -> Result<Vec<String>> {
        strings(&*self.conn()?, "SELECT cable_id FROM stars WHERE user_id = ?1 ORDER BY cable_id", [user])
    }

    fn labelled(&self, user: UserId, label: &str) -> Result<Vec<String>> {
        strings(
            &*self.conn()?,
            "SELECT cable_id FROM labels WHERE user_id = ?1 AND label = ?2 ORDER BY cable_id",
            params![user, label],
        )
    }

    fn marks(&self, user: UserId, cable: &str) -> Result<(bool, Vec<String>)> {
        let conn = self.conn()?;
        let starred: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM stars WHERE user_id = ?1 AND cable_id = ?2)",
            params![user, cable],
            |r| r.get(0),
        )?;
        let labels = strings(
            &conn,
            "SELECT label FROM labels WHERE user_id = ?1 AND cable_id = ?2 ORDER BY label",
            params![user, cable],
        )?;
        Ok((starred, labels))
    }

    fn save_search(
        &self,
        project: ProjectId,
        user: UserId,
        name: &str,
        query: &str,
        checked_version: i64,
    ) -> Result<i64> {
        let conn = self.conn()?;
        conn.execute(
            "INSERT INTO saved_searches (project_id, user_id, name, query, created_at, checked_version) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![project, user, name, query, now(), checked_version],
        )?;
        Ok(conn.last_insert_rowid())
    }

    fn saved_searches(&self, project: Option<ProjectId>, viewer: Option<UserId>) -> Result<Vec<SavedSearch>> {
        let conn = self.conn()?;
        let mut st = conn.prepare_cached(
            "SELECT s.id, s.project_id, u.name, s.name, s.query, s.created_at, s.checked_version, \
             COALESCE((SELECT seen FROM alerts_seen a WHERE a.search_id = s.id AND a.user_id = ?2), 0) \
             FROM saved_searches s JOIN users u ON u.id = s.user_id \
             WHERE ?1 IS NULL OR s.project_id = ?1 ORDER BY s.id",
        )?;
        let rows = st.query_map(params![project, viewer], |r| {
            Ok(SavedSearch {
                id: r.get(0)?,
                project: r.get(1)?,
                user: r.get(2)?,
                name: r.get(3)?,
                query: r.get(4)?,
                created_at: r.get(5)?,
                checked_version: r.get(6)?,
                seen_alert: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn record_alerts(&self, search: i64, found: &[(String, i64)], checked_version: i64) -> Result<u64> {
        let mut conn = self.conn()?;
        let tx = conn.transaction()?;
        let mut added = 0;
        {
            let mut st = tx.prepare_cached(
                "INSERT OR IGNORE INTO alerts (search_id, cable_id, version_id, found_at) VALUES (?1, ?2, ?3, ?4)",
            )?;
            let at = now();
            for (cable, version) in found {
                added += st.execute(params![search, cable, version, at])? as u64;
            }
        }
        tx.execute(
            "UPDATE saved_searches SET checked_version = MAX(checked_version, ?2) WHERE id = ?1",
            params![search, checked_version],
        )?;
        tx.commit()?;
        Ok(added)
    }

    fn alerts(&self, search: i64, after: i64) -> Result<Vec<Alert>> {
        let conn = self.conn()?;
        let mut st = conn.prepare_cached(
            "SELECT id, search_id, cable_id, version_id, found_at FROM alerts WHERE search_id = ?1 AND id > ?2 \
             ORDER BY id",
        )?;
        let rows = st.query_map(params![search, after], |r| {
            Ok(Alert {
                id: r.get(0)?,
                search: r.get(1)?,
                cable: r.get(2)?,
                version_id: r.get(3)?,
                found_at: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn mark_alerts_seen(&self, user: UserId, search: i64, upto: i64) -> Result<()> {
        self.conn()?.execute(
            "INSERT INTO alerts_seen (user_id, search_id, seen) VALUES (?1, ?2, ?3) \
             ON CONFLICT (user_id, search_id) DO UPDATE SET seen = MAX(seen, excluded.seen)",
            params![user, search, upto],
        )?;
        Ok(())
    }

    fn append_audit(
        &self,
        user: Option<&User>,
        client: &str,
        action: &str,
        target: &str,
        detail: &str,
    ) -> Result<()> {
        let line = PendingAudit {
            at: now(),
            user_id: user.map(|u| u.id),
            user: user.map_or(String::new(), |u| u.name.clone()),
            client: client.to_owned(),
            action: action.to_owned(),
            target: target.to_owned(),
            detail: detail.to_owned(),
        };
        if !matches!(action, "search" | "view") {
            return self.shared.flush(Some(line));
        }
        let waiting = {
            let mut pending = self.shared.pending.lock().map_err(|_| poisoned())?;
            pending.push(line);
            pending.len()
        };
        if waiting >= AUDIT_BATCH {
            self.shared.flush(None)?;
        }
        Ok(())
    }

    fn audit(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        self.shared.flush(None)?;
        let conn = self.conn()?;
        let limit = if filter.limit == 0 { 1_000 } else { filter.limit } as i64;
        let mut st = conn.prepare_cached(
            "SELECT id, at, user, client, action, target, detail FROM audit \
             WHERE (?1 IS NULL OR user = ?1 COLLATE NOCASE) AND (?2 IS NULL OR at >= ?2) AND (?3 IS NULL OR at < ?3) \
             ORDER BY id DESC LIMIT ?4",
        )?;
        let rows = st.query_map(params![filter.user, filter.since, filter.until, limit], |r| {
            Ok(AuditEntry {
                id: r.get(0)?,
                at: r.get(1)?,
                user: r.get(2)?,
                client: r.get(3)?,
                action: r.get(4)?,
                target: r.get(5)?,
                detail: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
