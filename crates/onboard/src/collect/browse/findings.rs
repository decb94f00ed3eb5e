//! Data-quality findings: what the collected records show needs fixing before a migration.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

use super::{label_of, strings, text, BrowseError, Collection};
use crate::category::Category;

/// Findings listed one by one; all of them are counted.
const LISTED: usize = 200;
/// A device silent for longer than this is stale.
const STALE_AFTER_DAYS: i64 = 30;

/// One finding about one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DataWarning {
    pub kind: String,
    /// The record, by name.
    pub subject: String,
    pub detail: String,
}

/// How many records one kind of finding is about, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FindingCount {
    pub kind: String,
    pub label: String,
    pub count: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Findings {
    /// Every kind found, with how many records.
    pub counts: Vec<FindingCount>,
    /// The first findings, record by record.
    pub listed: Vec<DataWarning>,
}

impl Findings {
    pub fn count(&self, kind: &str) -> u64 {
        self.counts
            .iter()
            .find(|c| c.kind == kind)
            .map_or(0, |c| c.count)
    }
}

/// The order findings are reported in: people first, then access, then devices.
const ORDER: [&str; 9] = [
    "no_email",
    "suspended",
    "locked",
    "no_mfa",
    "unresolved_manager",
    "app_without_group",
    "empty_group",
    "stale_device",
    "collector",
];

fn rank(kind: &str) -> usize {
    ORDER.iter().position(|k| *k == kind).unwrap_or(ORDER.len())
}

fn label(kind: &str) -> &'static str {
    match kind {
        "no_email" => "Users without an email address",
        "suspended" => "Suspended users",
        "locked" => "Locked users",
        "no_mfa" => "Users without MFA",
        "unresolved_manager" => "Managers that match no user",
        "app_without_group" => "Applications no group can use",
        "empty_group" => "Groups with no members",
        "stale_device" => "Devices not seen in 30 days",
        _ => "Other data-quality warnings",
    }
}

pub(super) fn findings(c: &Collection, now: OffsetDateTime) -> Result<Findings, BrowseError> {
    let mut found: BTreeMap<(usize, &'static str), Vec<DataWarning>> = BTreeMap::new();
    let mut add = |kind: &'static str, subject: String, detail: &str| {
        found
            .entry((rank(kind), kind))
            .or_default()
            .push(DataWarning {
                kind: kind.to_owned(),
                subject,
                detail: detail.to_owned(),
            });
    };
    for u in c.records(Category::Users)? {
        let who = label_of(Category::Users, &u);
        let flag = |field: &str| u.get(field).and_then(serde_json::Value::as_bool);
        if text(u.get("email")).is_empty() {
            add("no_email", who.clone(), "This user has no email address.");
        }
        if flag("suspended") == Some(true) {
            add("suspended", who.clone(), "This user is suspended.");
        }
        if flag("locked") == Some(true) {
            add("locked", who.clone(), "This user is locked out.");
        }
        if flag("mfa_configured") == Some(false) {
            add("no_mfa", who.clone(), "This user has no MFA set up.");
        }
        if !text(u.get("manager_ref")).is_empty() && text(u.get("manager_id")).is_empty() {
            add(
                "unresolved_manager",
                who,
                "This user's manager does not match any user.",
            );
        }
    }
    for a in c.records(Category::Applications)? {
        if strings(a.get("user_group_ids")).is_empty() {
            add(
                "app_without_group",
                label_of(Category::Applications, &a),
                "No user group can use this application.",
            );
        }
    }
    for g in c.records(Category::UserGroups)? {
        if strings(g.get("effective_user_ids")).is_empty() {
            add(
                "empty_group",
                label_of(Category::UserGroups, &g),
                "This group has no members.",
            );
        }
    }
    let stale_before = now - Duration::days(STALE_AFTER_DAYS);
    for d in c.records(Category::Devices)? {
        let seen = OffsetDateTime::parse(&text(d.get("last_contact")), &Rfc3339);
        if seen.is_ok_and(|t| t < stale_before) {
            add(
                "stale_device",
                label_of(Category::Devices, &d),
                "This device has not been seen in 30 days.",
            );
        }
    }
    for w in c.collector_warnings()? {
        let message = text(w.get("message"));
        // Unresolvable managers are already counted from the users themselves.
        if !message.to_lowercase().contains("manager") {
            add("collector", text(w.get("record_id")), &message);
        }
    }
    Ok(Findings {
        counts: found
            .iter()
            .map(|((_, kind), list)| FindingCount {
                kind: (*kind).to_owned(),
                label: label(kind).to_owned(),
                count: list.len() as u64,
            })
            .collect(),
        listed: found.into_values().flatten().take(LISTED).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::fixture::org;
    use super::*;

    #[test]
    fn findings_come_from_the_collected_records() {
        let (_dir, c) = org();
        let found = c.findings(OffsetDateTime::now_utc()).expect("findings");
        assert_eq!(found.count("no_email"), 1, "Alan has no email");
        assert_eq!(found.count("suspended"), 1);
        assert_eq!(
            found.count("no_mfa"),
            1,
            "unknown MFA is not counted as none"
        );
        assert_eq!(found.count("unresolved_manager"), 1);
        assert_eq!(found.count("app_without_group"), 1, "Wiki");
        assert_eq!(found.count("empty_group"), 1);
        assert_eq!(found.count("stale_device"), 1);
        assert!(found.listed.iter().any(|w| w.subject == "Wiki"));
        let kinds: Vec<&str> = found.counts.iter().map(|c| c.kind.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "no_email",
                "suspended",
                "no_mfa",
                "unresolved_manager",
                "app_without_group",
                "empty_group",
                "stale_device"
            ],
            "people first, then access, then devices"
        );
    }

    #[test]
    fn a_device_is_stale_only_after_thirty_days() {
        let (_dir, c) = org();
        let seen = OffsetDateTime::parse("2020-01-01T00:00:00Z", &Rfc3339).expect("date");
        let found = c.findings(seen + Duration::days(29)).expect("findings");
        assert_eq!(found.count("stale_device"), 0);
        let found = c.findings(seen + Duration::days(31)).expect("findings");
        assert_eq!(found.count("stale_device"), 1);
    }
}
