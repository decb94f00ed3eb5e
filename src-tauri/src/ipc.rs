//! What crosses the IPC boundary besides onboard's own types: requests from the screens and a
//! few small answers. Keys arrive as plain strings here and are parsed into `ApiKey` at once.

use jc_api::Region;
use onboard::collect::browse::{DataWarning, FindingCount};
use onboard::collect::Status;
use onboard::connections::SavedConnection;
use onboard::platforms::{Handover, PlatformId};
use onboard::{Category, CheckSpec, RegionChoice, Report};
use serde::{Deserialize, Serialize};

/// The wizard's connection fields. `Debug` never shows the key.
#[derive(Clone, Deserialize, specta::Type)]
pub struct ConnectionRequest {
    /// The API key; with `client_id`, the service account's client secret.
    pub key: String,
    /// A service account's client ID: the connection uses client credentials.
    #[serde(default)]
    #[specta(optional)]
    pub client_id: Option<String>,
    pub org_id: Option<String>,
    pub region: RegionChoice,
    pub demo: bool,
}

impl std::fmt::Debug for ConnectionRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectionRequest")
            .field("key", &"<redacted>")
            .field("client_id", &self.client_id)
            .field("org_id", &self.org_id)
            .field("region", &self.region)
            .field("demo", &self.demo)
            .finish()
    }
}

/// What the user chose on the Save step. The key, region, organization and report are the
/// ones the wizard's last passing test left in the app.
#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct SaveRequest {
    /// Blank: the proposed name.
    pub name: String,
    pub manager_attribute: Option<String>,
    pub session_only: bool,
    /// The platform chosen on the Platform step and what it asks for besides the name.
    #[serde(default)]
    pub platform: Option<PlatformId>,
    #[serde(default)]
    pub admin_username: Option<String>,
    #[serde(default)]
    pub owner_email: Option<String>,
}

/// The Save step's platform fields as typed so far, to check before saving.
#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct PlatformDetails {
    pub platform: PlatformId,
    pub name: String,
    pub manager_attribute: Option<String>,
    pub admin_username: Option<String>,
    pub owner_email: Option<String>,
}

/// What to paste into the platform, and the same as a note for a ticket. The key is in
/// neither: its field says where it is copied from.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct HandoverView {
    pub handover: Handover,
    pub ticket_note: String,
    /// The users the manager field was checked against, when it was.
    pub users_checked: Option<u32>,
}

/// The key is on the clipboard, until `clears_after_seconds` have passed.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct KeyCopied {
    pub clears_after_seconds: u32,
    pub last_four: String,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct KeychainStatus {
    pub available: bool,
    pub message: Option<String>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AppInfo {
    pub version: String,
    pub keychain: KeychainStatus,
    pub checks: Vec<CheckSpec>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct DemoScenario {
    pub id: String,
    pub label: String,
    /// What it rehearses, in plain words.
    pub description: String,
    /// The same in the protocol's terms, shown only under technical details.
    pub technical: String,
}

/// The demo key is not a secret: it opens only the simulated organization.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct DemoSession {
    pub scenario: String,
    pub api_key: String,
    pub org_id: Option<String>,
    /// A service-account scenario's client ID and secret (demo values, not secrets).
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ConnectionList {
    pub connections: Vec<SavedConnection>,
    /// How each connection connects and when its secret expires, in words, by connection id.
    pub words: Vec<ConnectionWords>,
    /// Set when the saved-connections file could not be read and was set aside.
    pub store_problem: Option<String>,
}

/// A saved connection's kind and its secret's expiry, as the home screen shows them.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ConnectionWords {
    pub id: String,
    /// "Service account" or "Administrator API key".
    pub kind_label: String,
    /// Its secret can be rotated (a service account's client secret).
    pub rotatable: bool,
    /// "expires in 5 days, on 7 December 2026", when the last test learned the expiry.
    pub expiry: Option<String>,
    /// The secret expires within two weeks, or has expired.
    pub expiry_soon: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ConsolePage {
    Home,
    Administrators,
    ApiKey,
    OrgProfile,
    ServiceAccounts,
}

/// Which connection the Diagnostics view is about: a saved one, or the wizard's last tested,
/// unsaved one (so a failing test can be diagnosed before anything is saved).
#[derive(Debug, Clone, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum DiagnosticsSubject {
    Saved(String),
    Current,
}

/// What the Diagnostics view shows: the checks, what they mean, earlier runs and the facts
/// support asks for. The key appears only as its last four characters.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct Diagnostics {
    pub report: Report,
    pub diagnoses: Vec<onboard::support::Diagnosis>,
    /// Earlier runs of this connection, oldest first (empty for an unsaved connection).
    pub history: Vec<onboard::support::HistoryEntry>,
    pub region: Option<Region>,
    pub org: Option<onboard::OrgRef>,
    pub role: Option<String>,
    pub key_last_four: Option<String>,
    /// Set when the history could not be read or written; the diagnosis itself still worked.
    pub history_problem: Option<String>,
}

/// Where a support bundle was written.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SavedBundle {
    pub path: String,
    pub folder: String,
}

/// Corporate-network settings: the proxy variables in use and the extra CA certificate.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct NetworkSettings {
    pub extra_ca_pem: Option<String>,
    /// Proxy environment variables, with any `user:password@` masked.
    pub proxies: Vec<onboard::support::env::ProxySetting>,
}

/// Live progress of one category while the collection runs.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct CollectProgress {
    pub category: Category,
    /// The category inside a sentence: "user groups".
    pub label: String,
    /// The category as a heading or a tab: "User groups".
    pub title: String,
    pub phase: CollectPhase,
    pub collected: u64,
    pub total: Option<u64>,
    pub pages: u64,
    /// Set once the category finished.
    pub status: Option<Status>,
    /// `status` in words ([`Status::label`]).
    pub status_label: Option<String>,
}

/// Where one category's collection is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum CollectPhase {
    Started,
    Running,
    Finished,
}

/// How one category of the collection ended.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct CategoryView {
    pub category: Category,
    /// The category inside a sentence: "user groups".
    pub label: String,
    /// The category as a heading, a tab or a table's first column: "User groups".
    pub title: String,
    pub status: Status,
    /// `status` in words ([`Status::label`]), as the CLI's summary says it.
    pub status_label: String,
    pub collected: u64,
    pub total: Option<u64>,
    pub reason: Option<String>,
    pub notes: Vec<String>,
    /// The notes' causes in protocol terms, shown only under technical details.
    pub technical: Vec<String>,
}

/// What a collection produced: counts per category and findings; the rows stay on disk.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct CollectionView {
    pub categories: Vec<CategoryView>,
    pub findings: Vec<FindingCount>,
    /// The first findings, record by record.
    pub warnings: Vec<DataWarning>,
    /// When the collection started (RFC 3339, UTC).
    pub collected_at: String,
    pub org_id: Option<String>,
    pub duration_ms: u64,
    pub requests: u64,
    pub cancelled: bool,
}

/// Where the export was copied.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ExportedCollection {
    pub path: String,
    pub folder: String,
}
