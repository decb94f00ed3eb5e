//! The short plain-text report support asks for in a ticket: which connection, where, which
//! role, the key's last four characters only, each check and each diagnosed cause.

use serde::Serialize;

use super::{diagnose, Redactor};
use crate::report::Report;

/// What one summary is about.
#[derive(Debug, Clone, Copy)]
pub struct SummaryParts<'a> {
    pub app_version: &'a str,
    /// The saved connection's name; `None` for the wizard's connection before it is saved.
    pub connection: Option<&'a str>,
    /// The demo scenario, when the connection is to the demo organization.
    pub demo_scenario: Option<&'a str>,
    pub report: &'a Report,
    /// As shown everywhere else: `…AB12`.
    pub key_last_four: Option<&'a str>,
}

/// The summary as text, passed through `redactor` (give it the key, so even a key that found
/// its way into a message is removed; people's emails and names are hashed unless it keeps them).
pub fn support_summary(parts: &SummaryParts<'_>, redactor: &Redactor) -> String {
    let report = parts.report;
    let mut out = vec![
        format!(
            "JumpCloud Onboarding {}: support summary",
            parts.app_version
        ),
        format!(
            "Connection: {}",
            parts.connection.unwrap_or("not saved yet (wizard)")
        ),
    ];
    if let Some(scenario) = parts.demo_scenario {
        out.push(format!("Demo organization: {scenario}"));
    }
    out.push(format!(
        "Data center: {}",
        report.region.map(|r| r.label()).unwrap_or("not known")
    ));
    out.push(format!(
        "Organization: {}",
        report
            .org
            .as_ref()
            .map(|o| format!("{} ({})", o.name, o.id))
            .unwrap_or_else(|| "not known".to_owned())
    ));
    out.push(format!(
        "Role: {}",
        report.role.as_deref().unwrap_or("not known")
    ));
    out.push(format!(
        "API key: ends in {}",
        parts.key_last_four.unwrap_or("?")
    ));
    out.push(format!(
        "Result: {}",
        if report.ok {
            "connected"
        } else {
            "not connected"
        }
    ));
    out.push("Checks:".to_owned());
    for check in &report.checks {
        out.push(format!(
            "  [{}] {}: {}",
            word(check.state),
            check.title,
            check.message
        ));
    }
    if let Some(view) = &report.permissions {
        out.push("Permissions:".to_owned());
        out.extend(view.lines().into_iter().map(|line| format!("  {line}")));
    }
    let diagnoses = diagnose(report, None);
    out.push("Diagnoses:".to_owned());
    if diagnoses.is_empty() {
        out.push("  none".to_owned());
    }
    for d in &diagnoses {
        out.push(format!(
            "  [{}] {}: {} Fix: {}",
            word(d.severity),
            d.title,
            d.cause,
            d.fix
        ));
    }
    redactor.text(&(out.join("\n") + "\n"))
}

/// A unit enum's serialized name: `pass`, `fail`, `warn`.
fn word(value: impl Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{CheckResult, CheckState, OrgRef};

    #[test]
    fn names_the_facts_and_never_the_key_or_an_email() {
        let key = format!("jca_{}", "S".repeat(36));
        let report = Report {
            ok: false,
            permissions: None,
            auth: None,
            credentials_expire_at: None,
            region: Some(jc_api::Region::Eu),
            org: Some(OrgRef {
                id: "5d2f7024f0e1526be4df38e7".into(),
                name: "Acme Corp".into(),
            }),
            orgs_available: Vec::new(),
            role: Some("Read Only".into()),
            checks: vec![CheckResult {
                id: "key.accepted".into(),
                title: "JumpCloud accepts the key".into(),
                mandatory: true,
                state: CheckState::Fail,
                state_label: CheckState::Fail.label().into(),
                message: format!("JumpCloud refused {key} for jane.doe@example.com."),
                fix: Some("Copy the key again.".into()),
                detail: Vec::new(),
            }],
        };
        let text = support_summary(
            &SummaryParts {
                app_version: "1.2.3",
                connection: Some("Support test"),
                demo_scenario: None,
                report: &report,
                key_last_four: Some("…SSSS"),
            },
            &Redactor::new().secret(&key),
        );
        for expected in [
            "JumpCloud Onboarding 1.2.3",
            "Connection: Support test",
            "Data center: EU",
            "Acme Corp (5d2f7024f0e1526be4df38e7)",
            "Role: Read Only",
            "ends in …SSSS",
            "Result: not connected",
            "[fail] JumpCloud accepts the key",
        ] {
            assert!(
                text.contains(expected),
                "the summary names {expected:?}:\n{text}"
            );
        }
        assert!(!text.contains(&"S".repeat(36)), "never the key:\n{text}");
        assert!(
            !text.contains("jane.doe@example.com"),
            "emails are hashed:\n{text}"
        );
    }
}
