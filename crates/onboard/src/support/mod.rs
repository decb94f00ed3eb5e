//! Support tooling, free of any UI: what support staff need to find out why a connection does
//! not work.
//!
//! - [`causes`]: failure classes → plain cause, fix and console link; [`diagnose`] maps a
//!   check report (and environment probes) to them.
//! - [`env`]: environment probes for `jc-onboard doctor` (DNS, proxy variables, reach, clock).
//! - [`bundle`]: the support bundle, one versioned, redacted JSON file.
//! - [`history`]: per-connection history of check runs, persisted atomically and bounded.
//! - [`redact`]: the redaction pass every bundle goes through.
//! - [`summary`]: the short plain-text report for a support ticket.

pub mod bundle;
pub mod causes;
pub mod env;
pub mod history;
pub mod redact;
pub mod summary;

pub use bundle::{
    read_bundle, AppInfo, Bundle, BundleError, BundleParts, CollectionStatus, OsInfo, RequestEntry,
    MAX_BUNDLE_BYTES, SCHEMA_V1, SCHEMA_V2,
};
pub use causes::{cause, causes, diagnose, Cause, Diagnosis, Severity};
pub use env::{
    probe_environment, probe_hosts, proxy_settings, proxy_settings_from, DnsProbe, EnvProbe,
    HostProbe, ProxySetting, ReachProbe, CLOCK_SKEW_LIMIT_SECS,
};
pub use history::{
    History, HistoryEntry, HistoryError, Opened, StateChange, HISTORY_FILE, MAX_RUNS_PER_CONNECTION,
};
pub use redact::{redact_credentials_in_url, Redactor};
pub use summary::{support_summary, SummaryParts};

pub(crate) use crate::files::write_atomic;

/// Now, as RFC 3339 UTC (`2026-11-22T22:08:04Z`).
pub(crate) fn now_rfc3339() -> String {
    rfc3339(time::OffsetDateTime::now_utc())
}

pub(crate) fn rfc3339(at: time::OffsetDateTime) -> String {
    let at = at.replace_nanosecond(0).unwrap_or(at);
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| at.unix_timestamp().to_string())
}
