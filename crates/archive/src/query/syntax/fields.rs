//! Field names: looking them up, and suggesting one for a misspelling.

use super::Field;

/// The error of `Field::from_str`: the name is not a field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown field `{name}` (the fields are: {})", Field::ALL.map(Field::name).join(", "))]
pub struct UnknownField {
    /// The name that was given.
    pub name: String,
}

/// What a `name:` prefix in a query refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FieldName {
    /// A text field.
    Text(Field),
    /// `created:`.
    Created,
    /// A newsroom field (`project:`, `note:`, `starred:`, `label:`).
    Private(super::PrivateField),
}

impl FieldName {
    /// Looks a name up, ignoring ASCII case.
    pub(super) fn lookup(name: &str) -> Option<FieldName> {
        if name.eq_ignore_ascii_case("created") {
            Some(FieldName::Created)
        } else if let Some(private) =
            super::PrivateField::ALL.into_iter().find(|p| p.name().eq_ignore_ascii_case(name))
        {
            Some(FieldName::Private(private))
        } else {
            name.parse().ok().map(FieldName::Text)
        }
    }

    /// The name as written in queries.
    pub(super) fn name(self) -> &'static str {
        match self {
            FieldName::Text(field) => field.name(),
            FieldName::Created => "created",
            FieldName::Private(field) => field.name(),
        }
    }
}

/// Every name a query may put before a colon, in the order shown to users.
const NAMES: [&str; 16] = [
    "id", "tag", "origin", "from", "to", "class", "caveat", "subject", "ref", "signer", "created", "body",
    "project", "note", "starred", "label",
];

/// Words people reach for, and the field they mean.
const ALIASES: [(&str, &str); 27] = [
    ("author", "signer"),
    ("signature", "signer"),
    ("signed", "signer"),
    ("by", "signer"),
    ("date", "created"),
    ("dated", "created"),
    ("year", "created"),
    ("when", "created"),
    ("time", "created"),
    ("sender", "from"),
    ("recipient", "to"),
    ("addressee", "to"),
    ("title", "subject"),
    ("text", "body"),
    ("content", "body"),
    ("classification", "class"),
    ("level", "class"),
    ("station", "origin"),
    ("embassy", "origin"),
    ("post", "origin"),
    ("source", "origin"),
    ("cable", "id"),
    ("refid", "id"),
    ("reference", "ref"),
    ("references", "ref"),
    ("tags", "tag"),
    ("caveats", "caveat"),
];

/// The field a user most likely meant by an unknown `name`, if any is close.
pub(super) fn suggest(name: &str) -> Option<&'static str> {
    let name = name.to_ascii_lowercase();
    if let Some((_, field)) = ALIASES.iter().find(|(alias, _)| *alias == name) {
        return Some(field);
    }
    // A field the name starts or is started by (`subj`, `classified`).
    if name.len() >= 3 {
        if let Some(field) = NAMES.iter().find(|field| field.starts_with(&name) || name.starts_with(*field)) {
            return Some(field);
        }
    }
    let (distance, field) = NAMES.iter().map(|field| (edit_distance(&name, field), *field)).min()?;
    let tolerance = if name.len() <= 3 { 1 } else { 2 };
    (distance <= tolerance).then_some(field)
}

/// The hint for an unknown field `name` written as `word` in the query.
pub(super) fn unknown_field_hint(name: &str, word: &str) -> String {
    let mut hint = String::new();
    if let Some(field) = suggest(name) {
        hint.push_str(&format!("did you mean `{field}:`? "));
    }
    hint.push_str(&format!(
        "The fields are: {}. To search for the text itself, put it in quotes: \"{word}\"",
        NAMES.join(", ")
    ));
    hint
}

/// Optimal string alignment distance (Levenshtein plus transpositions), on
/// chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // rows[i][j]: distance between a[..i] and b[..j].
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1).min(rows[i][j - 1] + 1).min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_edits_and_transpositions() {
        assert_eq!(edit_distance("tag", "tag"), 0);
        assert_eq!(edit_distance("tags", "tag"), 1);
        assert_eq!(edit_distance("tga", "tag"), 1);
        assert_eq!(edit_distance("sigenr", "signer"), 1);
        assert_eq!(edit_distance("", "body"), 4);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggest("tags"), Some("tag"));
        assert_eq!(suggest("TAGS"), Some("tag"));
        assert_eq!(suggest("author"), Some("signer"));
        assert_eq!(suggest("date"), Some("created"));
        assert_eq!(suggest("subj"), Some("subject"));
        assert_eq!(suggest("classified"), Some("class"));
        assert_eq!(suggest("sujbect"), Some("subject"));
        assert_eq!(suggest("orign"), Some("origin"));
        assert_eq!(suggest("creatd"), Some("created"));
        assert_eq!(suggest("http"), None);
        assert_eq!(suggest("xyzzy"), None);
        assert_eq!(suggest("re"), Some("ref"));
    }

    #[test]
    fn names_match_fields() {
        for field in Field::ALL {
            assert!(NAMES.contains(&field.name()));
            assert_eq!(FieldName::lookup(field.name()), Some(FieldName::Text(field)));
        }
        assert_eq!(FieldName::lookup("CREATED"), Some(FieldName::Created));
        for field in super::super::PrivateField::ALL {
            assert!(NAMES.contains(&field.name()));
            assert_eq!(FieldName::lookup(field.name()), Some(FieldName::Private(field)));
        }
        assert_eq!(NAMES.len(), Field::ALL.len() + 1 + super::super::PrivateField::ALL.len());
        for (_, field) in ALIASES {
            assert!(FieldName::lookup(field).is_some(), "{field}");
        }
    }
}
