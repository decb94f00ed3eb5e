//! A bounded, secret-free record of every request the client made: support staff's evidence.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

/// How many records the log keeps; older ones fall off.
pub const REQUEST_LOG_CAPACITY: usize = 2_000;

/// One attempt. Holds no header values and no body beyond the error text in `outcome`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RequestRecord {
    pub method: &'static str,
    pub host: String,
    pub route: String,
    /// 1 for the first try, 2 for the first retry, ...
    pub attempt: u32,
    pub status: Option<u16>,
    pub latency_ms: u64,
    pub request_id: Option<String>,
    /// `ok`, or the error class (see `Error::class`).
    pub outcome: String,
    /// How long the client waited before this attempt (backoff or `Retry-After`).
    pub waited_ms: u64,
}

#[derive(Debug, Clone, Default)]
pub struct RequestLog(Arc<Mutex<VecDeque<RequestRecord>>>);

impl RequestLog {
    pub fn new() -> RequestLog {
        RequestLog::default()
    }

    pub(crate) fn push(&self, record: RequestRecord) {
        tracing::debug!(
            method = record.method,
            host = %record.host,
            route = %record.route,
            attempt = record.attempt,
            status = record.status,
            latency_ms = record.latency_ms,
            outcome = %record.outcome,
            "jumpcloud request"
        );
        let mut records = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if records.len() == REQUEST_LOG_CAPACITY {
            records.pop_front();
        }
        records.push_back(record);
    }

    pub fn records(&self) -> Vec<RequestRecord> {
        let records = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        records.iter().cloned().collect()
    }

    pub fn clear(&self) {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clear();
    }
}
