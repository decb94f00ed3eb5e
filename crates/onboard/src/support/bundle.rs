//! The support bundle: one JSON file support staff can read, with a versioned schema.
//!
//! Version 2 (`jc-onboard-bundle/2`, written now): app and OS, the check report with its raw
//! evidence, the named diagnoses, the request log (method, host, route, attempt, status,
//! latency, request id, outcome, wait; no headers, no bodies), per-category collection status,
//! environment probes, and recent app log lines.
//!
//! Version 1 (`jc-onboard-bundle/1`, the first release's shape, still read): app version, OS
//! name, creation time, whether the connection worked, the checks (id, title, mandatory,
//! state, message, fix; no evidence) and the requests (method, route, status, latency,
//! outcome; no host or request id).
//!
//! Every string in a written bundle goes through a [`Redactor`]: keys never appear, and
//! people's emails and names are hashed unless the user opted in to keep them.

use std::io::Read;
use std::path::Path;

use jc_api::RequestRecord;
use serde::{Deserialize, Serialize};

use super::causes::{diagnose, Diagnosis};
use super::env::EnvProbe;
use super::redact::Redactor;
use crate::report::{CheckResult, CheckState, Report};

pub const SCHEMA_V2: &str = "jc-onboard-bundle/2";
/// The largest file read as a bundle (real ones are tens of kilobytes).
pub const MAX_BUNDLE_BYTES: u64 = 16 * 1024 * 1024;
pub const SCHEMA_V1: &str = "jc-onboard-bundle/1";

#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("the bundle {path} could not be read: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("the bundle {path} could not be written: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "{path} is not a regular file (a folder, pipe or device), so it is not read as a bundle"
    )]
    NotAFile { path: String },
    #[error("{path} is larger than {} MB, far more than any support bundle", MAX_BUNDLE_BYTES / (1024 * 1024))]
    TooLarge { path: String },
    #[error("this is not a jc-onboard support bundle ({0})")]
    NotABundle(String),
    #[error("the bundle has schema {0:?}, which this version cannot read (it reads {SCHEMA_V1} and {SCHEMA_V2})")]
    UnknownSchema(String),
    #[error("the bundle could not be encoded: {0}")]
    Encode(serde_json::Error),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AppInfo {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OsInfo {
    /// `std::env::consts::OS`, e.g. `linux`.
    pub os: String,
    pub arch: String,
    pub family: String,
    /// `PRETTY_NAME` from `/etc/os-release`, when there is one.
    pub pretty_name: Option<String>,
}

impl OsInfo {
    pub fn current() -> OsInfo {
        let pretty_name = std::fs::read_to_string("/etc/os-release")
            .ok()
            .and_then(|text| pretty_name(&text));
        OsInfo {
            os: std::env::consts::OS.to_owned(),
            arch: std::env::consts::ARCH.to_owned(),
            family: std::env::consts::FAMILY.to_owned(),
            pretty_name,
        }
    }
}

fn pretty_name(os_release: &str) -> Option<String> {
    os_release.lines().find_map(|line| {
        let value = line.trim().strip_prefix("PRETTY_NAME=")?;
        let value = value.trim().trim_matches('"').trim_matches('\'');
        (!value.is_empty()).then(|| value.to_owned())
    })
}

/// One request, as the bundle keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RequestEntry {
    pub method: String,
    /// Empty in bundles upgraded from version 1.
    #[serde(default)]
    pub host: String,
    pub route: String,
    #[serde(default = "first_attempt")]
    pub attempt: u32,
    pub status: Option<u16>,
    pub latency_ms: u64,
    #[serde(default)]
    pub request_id: Option<String>,
    pub outcome: String,
    #[serde(default)]
    pub waited_ms: u64,
}

fn first_attempt() -> u32 {
    1
}

impl From<&RequestRecord> for RequestEntry {
    fn from(r: &RequestRecord) -> RequestEntry {
        RequestEntry {
            method: r.method.to_owned(),
            host: r.host.clone(),
            route: r.route.clone(),
            attempt: r.attempt,
            status: r.status,
            latency_ms: r.latency_ms,
            request_id: r.request_id.clone(),
            outcome: r.outcome.clone(),
            waited_ms: r.waited_ms,
        }
    }
}

/// How far collection got for one category. Independent of the collection module on purpose:
/// the bundle format must not change when collection's internals do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CollectionStatus {
    pub name: String,
    /// `complete`, `partial`, `forbidden`, `failed`, ...
    pub status: String,
    pub collected: u64,
    pub total: Option<u64>,
    pub reason: Option<String>,
}

/// A support bundle (schema 2; a version 1 file is upgraded on reading).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Bundle {
    /// The schema of the file this came from (`jc-onboard-bundle/2` when written now).
    pub schema: String,
    pub app: AppInfo,
    pub os: OsInfo,
    pub created_at: String,
    /// Whether people's emails and names were kept (the user opted in) rather than hashed.
    pub personal_data: bool,
    /// The random salt of this bundle's `email:sha256:`/`name:sha256:` hashes (absent in
    /// bundles written before hashes were salted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash_salt: Option<String>,
    pub report: Report,
    pub diagnoses: Vec<Diagnosis>,
    pub requests: Vec<RequestEntry>,
    pub collection: Option<Vec<CollectionStatus>>,
    pub environment: Option<EnvProbe>,
    pub log_lines: Vec<String>,
}

/// What a bundle is made from.
#[derive(Debug, Clone)]
pub struct BundleParts<'a> {
    pub app_name: &'a str,
    pub app_version: &'a str,
    pub report: &'a Report,
    /// The request log, e.g. `CheckOptions::request_log.records()`.
    pub requests: &'a [RequestRecord],
    pub collection: Option<Vec<CollectionStatus>>,
    pub environment: Option<EnvProbe>,
    /// Recent app log lines, already redacted at the source (redacted again on writing).
    pub log_lines: Vec<String>,
}

impl Bundle {
    /// Assembles a bundle now. Nothing is redacted yet: that happens in [`Bundle::to_json`].
    pub fn build(parts: BundleParts<'_>) -> Bundle {
        Bundle {
            schema: SCHEMA_V2.to_owned(),
            app: AppInfo {
                name: parts.app_name.to_owned(),
                version: parts.app_version.to_owned(),
            },
            os: OsInfo::current(),
            created_at: super::now_rfc3339(),
            personal_data: false,
            hash_salt: None,
            diagnoses: diagnose(parts.report, parts.environment.as_ref()),
            report: parts.report.clone(),
            requests: parts.requests.iter().map(RequestEntry::from).collect(),
            collection: parts.collection,
            environment: parts.environment,
            log_lines: parts.log_lines,
        }
    }

    /// Whether this came from a version 1 file.
    pub fn is_upgraded(&self) -> bool {
        self.schema == SCHEMA_V1
    }

    /// The bundle as pretty JSON, every string redacted by `redactor`.
    pub fn to_json(&self, redactor: &Redactor) -> Result<String, BundleError> {
        let keep = redactor.keeps_personal_data();
        let mut value = serde_json::to_value(Bundle {
            personal_data: keep,
            hash_salt: (!keep).then(|| redactor.hash_salt().to_owned()),
            ..self.clone()
        })
        .map_err(BundleError::Encode)?;
        redactor.value(&mut value);
        // Back through the struct, so fields keep their documented order (schema first).
        let redacted: Bundle = serde_json::from_value(value).map_err(BundleError::Encode)?;
        serde_json::to_string_pretty(&redacted).map_err(BundleError::Encode)
    }

    /// Writes the redacted bundle to `path` atomically.
    pub fn write(&self, path: &Path, redactor: &Redactor) -> Result<(), BundleError> {
        let text = self.to_json(redactor)?;
        super::write_atomic(path, text.as_bytes()).map_err(|source| BundleError::Write {
            path: path.display().to_string(),
            source,
        })
    }

    /// Reads a bundle of either version from JSON text. A bundle comes from someone else's
    /// machine: every string is cleaned of control characters and credential shapes before
    /// anyone is shown it.
    pub fn from_json(text: &str) -> Result<Bundle, BundleError> {
        let mut value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| BundleError::NotABundle(jc_api::sanitize::for_display(&e.to_string())))?;
        clean_strings(&mut value);
        let schema = value
            .get("schema")
            .and_then(|s| s.as_str())
            .ok_or_else(|| BundleError::NotABundle("no \"schema\" field".to_owned()))?
            .to_owned();
        match schema.as_str() {
            SCHEMA_V2 => {
                serde_json::from_value(value).map_err(|e| BundleError::NotABundle(e.to_string()))
            }
            SCHEMA_V1 => serde_json::from_value::<BundleV1>(value)
                .map(BundleV1::upgrade)
                .map_err(|e| BundleError::NotABundle(e.to_string())),
            _ => Err(BundleError::UnknownSchema(schema)),
        }
    }
}

/// Every string in a JSON document (keys too) made safe to show.
fn clean_strings(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(text) => *text = jc_api::sanitize::for_display(text),
        serde_json::Value::Array(items) => items.iter_mut().for_each(clean_strings),
        serde_json::Value::Object(fields) => {
            let cleaned: serde_json::Map<String, serde_json::Value> = std::mem::take(fields)
                .into_iter()
                .map(|(key, mut field)| {
                    clean_strings(&mut field);
                    (jc_api::sanitize::for_display(&key), field)
                })
                .collect();
            *fields = cleaned;
        }
        _ => {}
    }
}

/// Reads a bundle file of either version: a regular file of at most [`MAX_BUNDLE_BYTES`]. A
/// pipe, device or folder is refused before it is opened (and the open cannot block), and the
/// read stops at the cap whatever the file claims.
pub fn read_bundle(path: &Path) -> Result<Bundle, BundleError> {
    let shown = || jc_api::sanitize::for_display(&path.display().to_string());
    let read = |source| BundleError::Read {
        path: shown(),
        source,
    };
    let not_a_file = || BundleError::NotAFile { path: shown() };
    if !std::fs::metadata(path).map_err(read)?.is_file() {
        return Err(not_a_file());
    }
    let file = open_without_blocking(path).map_err(read)?;
    // Checked again on what was opened, in case the path changed in between.
    if !file.metadata().map_err(read)?.is_file() {
        return Err(not_a_file());
    }
    let mut bytes = Vec::new();
    std::io::Read::take(file, MAX_BUNDLE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read)?;
    if bytes.len() as u64 > MAX_BUNDLE_BYTES {
        return Err(BundleError::TooLarge { path: shown() });
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| BundleError::NotABundle("the file is not text (UTF-8)".to_owned()))?;
    Bundle::from_json(&text)
}

/// Opens for reading; on Unix with `O_NONBLOCK`, so a FIFO put in place of the file cannot
/// hang the open waiting for a writer.
fn open_without_blocking(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    options.open(path)
}

/// The first release's bundle.
#[derive(Debug, Deserialize)]
struct BundleV1 {
    schema: String,
    app_version: String,
    os: String,
    created_at: String,
    ok: bool,
    checks: Vec<CheckV1>,
    #[serde(default)]
    requests: Vec<RequestV1>,
}

#[derive(Debug, Deserialize)]
struct CheckV1 {
    id: String,
    title: String,
    #[serde(default)]
    mandatory: bool,
    state: CheckState,
    message: String,
    #[serde(default)]
    fix: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RequestV1 {
    method: String,
    route: String,
    status: Option<u16>,
    latency_ms: u64,
    outcome: String,
}

impl BundleV1 {
    fn upgrade(self) -> Bundle {
        let report = Report {
            ok: self.ok,
            region: None,
            org: None,
            orgs_available: Vec::new(),
            role: None,
            permissions: None,
            auth: None,
            credentials_expire_at: None,
            checks: self
                .checks
                .into_iter()
                .map(|c| CheckResult {
                    id: c.id,
                    title: c.title,
                    mandatory: c.mandatory,
                    state: c.state,
                    state_label: c.state.label().to_owned(),
                    message: c.message,
                    fix: c.fix,
                    detail: Vec::new(),
                })
                .collect(),
        };
        Bundle {
            schema: self.schema,
            app: AppInfo {
                name: "jc-onboard".to_owned(),
                version: self.app_version,
            },
            os: OsInfo {
                os: self.os,
                arch: String::new(),
                family: String::new(),
                pretty_name: None,
            },
            created_at: self.created_at,
            personal_data: false,
            hash_salt: None,
            diagnoses: diagnose(&report, None),
            report,
            requests: self
                .requests
                .into_iter()
                .map(|r| RequestEntry {
                    method: r.method,
                    host: String::new(),
                    route: r.route,
                    attempt: 1,
                    status: r.status,
                    latency_ms: r.latency_ms,
                    request_id: None,
                    outcome: r.outcome,
                    waited_ms: 0,
                })
                .collect(),
            collection: None,
            environment: None,
            log_lines: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_release_pretty_name() {
        let text = "NAME=\"Ubuntu\"\nPRETTY_NAME=\"Ubuntu 24.04.1 LTS\"\nID=ubuntu\n";
        assert_eq!(pretty_name(text).as_deref(), Some("Ubuntu 24.04.1 LTS"));
        assert_eq!(pretty_name("ID=alpine\n"), None, "no PRETTY_NAME, no name");
    }

    #[test]
    fn unknown_schema_is_named() {
        let err = Bundle::from_json(r#"{"schema":"jc-onboard-bundle/9"}"#);
        assert!(
            matches!(&err, Err(BundleError::UnknownSchema(s)) if s == "jc-onboard-bundle/9"),
            "a future schema is refused by name, not misread: {err:?}"
        );
    }
}
