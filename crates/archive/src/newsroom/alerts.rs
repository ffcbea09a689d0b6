//! Alerts: after an ingest, the cables that newly match each saved search
//! (new cables, and cables with a new latest version) are recorded.

use super::{Access, NewsroomStore};
use crate::{Archive, Result};

/// What updating the alerts did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct AlertsReport {
    /// Saved searches looked at.
    pub searches: usize,
    /// Alerts recorded (a cable newly matching a search).
    pub new_alerts: u64,
    /// Saved searches that could not be run, and why (a query that no
    /// longer parses, its saver's account disabled).
    pub failed: Vec<(i64, String)>,
}

/// Records, for every saved search, the cables whose latest version is
/// newer than the search's last check and that match it (run as its
/// saver, so that its newsroom fields mean what they meant to them), and
/// moves each search's check up to the store's newest version.
pub fn update_alerts(archive: &Archive, store: &dyn NewsroomStore) -> Result<AlertsReport> {
    let newest = archive.store().max_latest_version()?;
    let mut report = AlertsReport::default();
    for search in store.saved_searches(None, None)? {
        report.searches += 1;
        if search.checked_version >= newest {
            continue;
        }
        let saver = match store.user(&search.user)? {
            Some((user, _)) if !user.disabled => user,
            _ => {
                report.failed.push((search.id, format!("its saver {:?} can no longer sign in", search.user)));
                continue;
            }
        };
        let access = Access::new(store, &saver, "alerts");
        match archive.matching_versions_after(&search.query, search.checked_version, Some(&access)) {
            Ok(found) => report.new_alerts += store.record_alerts(search.id, &found, newest)?,
            Err(e) if e.kind() == crate::ErrorKind::BadRequest => {
                report.failed.push((search.id, e.to_string()))
            }
            Err(e) => return Err(e),
        }
    }
    Ok(report)
}
