//! Word-level differences between two versions of a cable, so that a
//! redaction (`XXXXXXXXXXXX` against a name) shows as a change.

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

use crate::store::VersionInfo;
use crate::{Archive, Error, Result};

/// A run of words that is the same, removed or added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "op", content = "text", rename_all = "snake_case")]
pub enum Change {
    /// In both versions.
    Same(String),
    /// Only in the old version.
    Removed(String),
    /// Only in the new version.
    Added(String),
}

/// The difference between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VersionDiff {
    /// The cable.
    pub id: String,
    /// The old version.
    pub old: VersionInfo,
    /// The new version.
    pub new: VersionInfo,
    /// Changes in order (runs of equal text kept, so the whole text can be shown).
    pub changes: Vec<Change>,
    /// Number of words removed.
    pub removed_words: usize,
    /// Number of words added.
    pub added_words: usize,
}

/// Word-level diff of two texts, adjacent changes of one kind merged.
pub fn diff_words(old: &str, new: &str) -> Vec<Change> {
    let diff = TextDiff::configure().timeout(std::time::Duration::from_secs(2)).diff_words(old, new);
    let mut out: Vec<Change> = Vec::new();
    for c in diff.iter_all_changes() {
        let text = c.value();
        match (c.tag(), out.last_mut()) {
            (ChangeTag::Equal, Some(Change::Same(s)))
            | (ChangeTag::Delete, Some(Change::Removed(s)))
            | (ChangeTag::Insert, Some(Change::Added(s))) => s.push_str(text),
            (ChangeTag::Equal, _) => out.push(Change::Same(text.to_owned())),
            (ChangeTag::Delete, _) => out.push(Change::Removed(text.to_owned())),
            (ChangeTag::Insert, _) => out.push(Change::Added(text.to_owned())),
        }
    }
    out
}

impl Archive {
    /// The versions of a cable, oldest first.
    pub fn versions(&self, id: &str) -> Result<Vec<VersionInfo>> {
        let id = crate::store::canonical_id(id)?.to_string();
        let v = self.store.versions(&id)?;
        if v.is_empty() {
            return Err(Error::CableNotFound(id));
        }
        Ok(v)
    }

    /// The diff between versions `old` and `new` of a cable (1-based); by
    /// default the two latest.
    pub fn diff(&self, id: &str, versions: Option<(u32, u32)>) -> Result<VersionDiff> {
        let all = self.versions(id)?;
        let id = all[0].cable_id.clone();
        let (a, b) = match versions {
            Some(p) => p,
            None if all.len() < 2 => {
                return Err(Error::BadRequest(format!("{id} has only one version: nothing to compare")));
            }
            None => (all.len() as u32 - 1, all.len() as u32),
        };
        let pick = |s: u32| {
            all.iter().find(|v| v.seq == s).cloned().ok_or(Error::VersionNotFound {
                id: id.clone(),
                version: s,
                count: all.len() as u32,
            })
        };
        let (old, new) = (pick(a)?, pick(b)?);
        let old_cable = self.store.cable(&id, Some(a))?;
        let new_cable = self.store.cable(&id, Some(b))?;
        let old_text = format!("{}\n\n{}", old_cable.raw_header, old_cable.raw_body);
        let new_text = format!("{}\n\n{}", new_cable.raw_header, new_cable.raw_body);
        let changes = diff_words(&old_text, &new_text);
        let count = |pred: fn(&Change) -> Option<&String>| {
            changes.iter().filter_map(pred).map(|s| s.split_whitespace().count()).sum()
        };
        let removed_words = count(|c| if let Change::Removed(s) = c { Some(s) } else { None });
        let added_words = count(|c| if let Change::Added(s) = c { Some(s) } else { None });
        Ok(VersionDiff { id, old, new, changes, removed_words, added_words })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_redaction_shows_as_a_change() {
        let c = diff_words("met with Ali Khan today", "met with XXXXXXXXXXXX today");
        assert!(c.contains(&Change::Removed("Ali Khan".into())), "{c:?}");
        assert!(c.contains(&Change::Added("XXXXXXXXXXXX".into())), "{c:?}");
    }
}
