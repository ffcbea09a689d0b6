//! Where a note goes on a version of its cable: on its paragraph when that
//! paragraph reads as it did when the note was written, else marked with
//! the version it was written on.

use serde::Serialize;

use super::{Access, NewNote, Note, ProjectId};
use crate::{Archive, Error, Result};

/// The hash a note keeps of its paragraph's text (hex BLAKE3 of the clean
/// text, white space at either end ignored).
pub fn paragraph_hash(text: &str) -> String {
    crate::store::hex(blake3::hash(text.trim().as_bytes()).as_bytes())
}

/// How a note stands on the version shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum NotePlace {
    /// Written on this version, or on another whose paragraph reads the same.
    OnParagraph,
    /// The paragraph reads differently in this version (or is not in it):
    /// the note was written on version `written_on`.
    WrittenOn {
        /// The version number (within the cable) it was written on.
        written_on: u32,
    },
}

/// A note and how it stands on the version shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlacedNote {
    /// The note.
    #[serde(flatten)]
    pub note: Note,
    /// How it stands.
    pub place: NotePlace,
}

/// Places `notes` on the version `version_id` of their cable, whose
/// paragraphs are `paragraphs` (number, clean text).
pub fn place_notes<'a>(
    version_id: i64,
    paragraphs: impl Iterator<Item = (u32, &'a str)> + Clone,
    notes: Vec<Note>,
) -> Vec<PlacedNote> {
    notes
        .into_iter()
        .map(|note| {
            let same = note.version_id == version_id
                || paragraphs
                    .clone()
                    .find(|(n, _)| *n == note.paragraph)
                    .is_some_and(|(_, text)| paragraph_hash(text) == note.paragraph_hash);
            let place =
                if same { NotePlace::OnParagraph } else { NotePlace::WrittenOn { written_on: note.version } };
            PlacedNote { note, place }
        })
        .collect()
}

/// A note on paragraph `paragraph` of version `version` (its number
/// within the cable; `None`: the latest) of `cable`, checked against the
/// archive: the cable, the version and the paragraph must exist.
pub fn pin_note(
    archive: &Archive,
    project: ProjectId,
    cable: &str,
    version: Option<u32>,
    paragraph: u32,
    text: &str,
) -> Result<NewNote> {
    let id = cable::RefId::parse(cable)
        .map(|r| r.to_string())
        .map_err(|e| Error::BadRequest(format!("{cable:?} is not a cable id: {e}")))?;
    let versions = archive.store().versions(&id)?;
    let info = match version {
        None => versions.last(),
        Some(seq) => versions.iter().find(|v| v.seq == seq),
    };
    let Some(info) = info else {
        return Err(match version {
            _ if versions.is_empty() => Error::CableNotFound(id),
            Some(seq) => Error::VersionNotFound { id, version: seq, count: versions.len() as u32 },
            None => Error::CableNotFound(id),
        });
    };
    let c = archive.store().cable(&id, Some(info.seq))?;
    let Some(p) = c.paragraphs.iter().find(|p| p.number == paragraph) else {
        let numbers: Vec<String> = c.paragraphs.iter().map(|p| p.number.to_string()).collect();
        return Err(Error::BadRequest(format!(
            "{id} version {} has no paragraph {paragraph} (its paragraphs: {})",
            info.seq,
            if numbers.is_empty() { "none".to_owned() } else { numbers.join(", ") }
        )));
    };
    Ok(NewNote {
        project,
        cable: id,
        version_id: info.version_id,
        paragraph,
        paragraph_hash: paragraph_hash(&p.text),
        text: text.to_owned(),
    })
}

/// The notes `access` may read on `cable`, placed on its version
/// `version_id` (the store's id of the version shown).
pub fn notes_for_version(
    access: &Access<'_>,
    cable: &cable::Cable,
    version_id: i64,
) -> Result<Vec<PlacedNote>> {
    let notes = access.notes_on_cable(cable.id.as_str())?;
    Ok(place_notes(version_id, cable.paragraphs.iter().map(|p| (p.number, p.text.as_str())), notes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(version_id: i64, paragraph: u32, text_then: &str) -> Note {
        Note {
            id: 1,
            project: 1,
            cable: "08STATE134777".into(),
            version_id,
            version: 1,
            paragraph,
            paragraph_hash: paragraph_hash(text_then),
            text: "check this".into(),
            author: "ana".into(),
            created_at: 0,
        }
    }

    #[test]
    fn a_note_stays_on_an_unchanged_paragraph_of_a_new_version() {
        let paragraphs = [(1, "Intro."), (3, "The same text.")];
        let placed =
            place_notes(9, paragraphs.iter().map(|(n, t)| (*n, *t)), vec![note(4, 3, "The same text. ")]);
        assert_eq!(placed[0].place, NotePlace::OnParagraph);
    }

    #[test]
    fn a_note_on_a_changed_or_missing_paragraph_says_its_version() {
        let paragraphs = [(1, "Intro."), (3, "A changed text.")];
        let notes = vec![note(4, 3, "The old text."), note(4, 7, "Gone.")];
        let placed = place_notes(9, paragraphs.iter().map(|(n, t)| (*n, *t)), notes);
        assert!(placed.iter().all(|p| p.place == NotePlace::WrittenOn { written_on: 1 }));
    }
}
