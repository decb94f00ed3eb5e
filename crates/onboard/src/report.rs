//! What the checks produce: named results a UI, the CLI and a support bundle all read.

use jc_api::{Region, ResponseDetail};
use serde::{Deserialize, Serialize};

use crate::permissions::PermissionView;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum CheckState {
    Pass,
    Warn,
    Fail,
    Skipped,
    Running,
}

/// A whole run in words: passed when no mandatory check failed.
pub fn outcome_label(ok: bool) -> &'static str {
    if ok {
        CheckState::Pass.label()
    } else {
        CheckState::Fail.label()
    }
}

/// How a check reads before it runs, beside [`CheckState::label`].
pub const WAITING_LABEL: &str = "Waiting";

impl CheckState {
    /// The state in words, as the app and the CLI show it.
    pub fn label(self) -> &'static str {
        match self {
            CheckState::Pass => "Passed",
            CheckState::Warn => "Warning",
            CheckState::Fail => "Failed",
            CheckState::Skipped => "Skipped",
            CheckState::Running => "Checking…",
        }
    }
}

/// The raw evidence for one request behind a check. Holds no header values and no record data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Evidence {
    pub host: String,
    pub route: String,
    pub status: Option<u16>,
    pub latency_ms: u64,
    pub request_id: Option<String>,
    /// The failure class (`unknown_key`, `forbidden`, `dns`, ...) or `ok`.
    pub outcome: String,
    /// What the server said, from its `message`/`error` or the start of its body.
    pub server_said: Option<String>,
}

impl Evidence {
    pub fn ok(detail: &ResponseDetail) -> Evidence {
        Evidence {
            host: detail.host.clone(),
            route: detail.route.clone(),
            status: detail.status,
            latency_ms: detail.latency_ms,
            request_id: detail.request_id.clone(),
            outcome: "ok".to_owned(),
            server_said: None,
        }
    }

    pub fn failed(error: &jc_api::Error, host: &str, route: &str) -> Evidence {
        match error.detail() {
            Some(detail) => Evidence {
                outcome: error.class().to_owned(),
                server_said: detail.server_words().map(str::to_owned),
                ..Evidence::ok(detail)
            },
            None => Evidence {
                host: host.to_owned(),
                route: route.to_owned(),
                status: None,
                latency_ms: 0,
                request_id: None,
                outcome: error.class().to_owned(),
                server_said: Some(error.to_string()),
            },
        }
    }
}

/// One named check, as the wizard and `jc-onboard check --json` show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CheckResult {
    pub id: String,
    pub title: String,
    pub mandatory: bool,
    pub state: CheckState,
    /// `state` in words ([`CheckState::label`]), so every screen says the same.
    pub state_label: String,
    /// Plain language, for a non-technical admin.
    pub message: String,
    /// Exactly what to do about it, in the JumpCloud console or here. `None` when nothing is.
    pub fix: Option<String>,
    pub detail: Vec<Evidence>,
}

impl CheckResult {
    pub fn blocks_the_rest(&self) -> bool {
        self.mandatory && self.state == CheckState::Fail
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OrgRef {
    pub id: String,
    pub name: String,
}

/// Everything one run of the checks found out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Report {
    /// No mandatory check failed.
    pub ok: bool,
    pub region: Option<Region>,
    pub org: Option<OrgRef>,
    pub orgs_available: Vec<OrgRef>,
    pub role: Option<String>,
    pub checks: Vec<CheckResult>,
    /// Each category's permission, whether it was readable and what to grant; the role against
    /// the least privilege set. Absent only in reports read from older bundles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(optional))]
    pub permissions: Option<PermissionView>,
    /// Which form of credential was tested (absent when it did not have a valid shape).
    #[serde(default)]
    pub auth: Option<jc_api::AuthKind>,
    /// When the service account's secret expires (RFC 3339), when JumpCloud said.
    #[serde(default)]
    pub credentials_expire_at: Option<String>,
}

impl Report {
    pub fn check(&self, id: &str) -> Option<&CheckResult> {
        self.checks.iter().find(|c| c.id == id)
    }

    /// A local input check failed: nothing was sent (CLI exit code 2).
    pub fn input_rejected(&self) -> bool {
        self.checks
            .iter()
            .any(|c| (c.id == "key.shape" || c.id == "org.shape") && c.state == CheckState::Fail)
    }
}

/// Progress as the checks run: a UI shows each check as it starts and finishes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum CheckEvent {
    Started {
        id: String,
        title: String,
        /// [`CheckState::Running`] in words.
        state_label: String,
    },
    Finished(CheckResult),
}

/// Live feedback on a field as the user types: computed by the same rules as the checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ShapeFeedback {
    pub ok: bool,
    pub message: String,
}
