//! The request log: what each request asked for, never which key it carried.

use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use crate::config::Region;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RecordedRequest {
    pub region: Region,
    pub method: String,
    pub path: String,
    /// The raw query string, without the `?`.
    pub query: Option<String>,
    /// Whether an `x-api-key` header was sent (its value is never kept).
    pub had_api_key: bool,
    /// Whether an `Authorization: Bearer` header was sent (its value is never kept).
    pub had_bearer: bool,
    /// The `x-org-id` header, the only header value kept.
    pub org_header: Option<String>,
    pub status: u16,
    /// When the request arrived, and when its answer was sent (after the configured latency):
    /// tests read from these which requests were in flight together.
    #[serde(skip)]
    pub received: Instant,
    #[serde(skip)]
    pub answered: Instant,
}

#[derive(Debug, Default)]
pub struct RequestLog {
    entries: Mutex<Vec<RecordedRequest>>,
}

impl RequestLog {
    pub fn record(&self, entry: RecordedRequest) {
        tracing::debug!(
            region = %entry.region,
            method = %entry.method,
            path = %entry.path,
            status = entry.status,
            "jc-sim request"
        );
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(entry);
    }

    pub fn snapshot(&self) -> Vec<RecordedRequest> {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}
