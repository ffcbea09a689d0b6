//! Reference tables that decode what a cable says about itself: routing
//! indicators to station names, subject and organisation TAGS.
//!
//! The tables are third-party data (see `../shared/reference/`); they are
//! read at run time, never compiled in. Without them a cable still parses:
//! routing indicators stay undecoded and TAGS are classified by their shape.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::Result;

/// Routing indicators, subject tags and organisation tags.
#[derive(Debug, Clone, Default)]
pub struct ReferenceData {
    routes: HashMap<String, String>,
    subject_tags: HashSet<String>,
    organization_tags: HashSet<String>,
}

impl ReferenceData {
    /// Empty tables: nothing is decoded by lookup.
    pub fn empty() -> ReferenceData {
        ReferenceData::default()
    }

    /// Reads `route2name.csv`, `subject-tags.txt` and `organization-tags.txt`
    /// from a directory (missing files leave their table empty).
    pub fn load_dir(dir: &Path) -> Result<ReferenceData> {
        let read = |name: &str| -> Result<String> {
            match std::fs::read(dir.join(name)) {
                Ok(b) => Ok(String::from_utf8_lossy(&b).into_owned()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
                Err(e) => Err(crate::Error::Io(format!("{}: {e}", dir.join(name).display()))),
            }
        };
        Ok(ReferenceData::from_texts(
            &read("route2name.csv")?,
            &read("subject-tags.txt")?,
            &read("organization-tags.txt")?,
        ))
    }

    /// Builds the tables from the texts of the three files: `RI,NAME` lines
    /// and one tag per line.
    pub fn from_texts(route2name_csv: &str, subject_tags: &str, organization_tags: &str) -> ReferenceData {
        let routes = route2name_csv
            .lines()
            .filter_map(|l| l.split_once(','))
            .map(|(ri, name)| (ri.trim().to_ascii_uppercase(), name.trim().trim_matches('"').to_owned()))
            .filter(|(ri, name)| !ri.is_empty() && !name.is_empty())
            .collect();
        let set = |t: &str| {
            t.lines().map(|l| l.trim().to_ascii_uppercase()).filter(|l| !l.is_empty()).collect::<HashSet<_>>()
        };
        ReferenceData { routes, subject_tags: set(subject_tags), organization_tags: set(organization_tags) }
    }

    /// Station name for a routing indicator (`RUEHBUL` -> `AMEMBASSY KABUL`).
    pub fn station_name(&self, routing_indicator: &str) -> Option<&str> {
        self.routes.get(routing_indicator).map(String::as_str)
    }

    /// Whether a tag is on the subject-tag list.
    pub fn is_subject_tag(&self, tag: &str) -> bool {
        self.subject_tags.contains(tag)
    }

    /// Whether a tag is on the organisation-tag list.
    pub fn is_organization_tag(&self, tag: &str) -> bool {
        self.organization_tags.contains(tag)
    }

    /// Number of routing indicators known.
    pub fn route_count(&self) -> usize {
        self.routes.len()
    }
}
