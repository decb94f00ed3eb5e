//! How each category ended, and what a collection reports as it goes.

use serde::{Deserialize, Serialize};

use crate::category::Category;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Everything the server said exists was collected.
    Complete,
    /// Some records are missing; `reason` says which and why.
    Partial,
    /// The key's role may not read this; `reason` explains.
    Forbidden,
    /// Nothing could be collected; `reason` says why.
    Failed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Complete => "complete",
            Status::Partial => "partial",
            Status::Forbidden => "forbidden",
            Status::Failed => "failed",
        }
    }
}

/// How one category ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryReport {
    pub category: Category,
    pub status: Status,
    pub collected: u64,
    /// The server's `totalCount` / `x-total-count`, when it sent one.
    pub total: Option<u64>,
    pub reason: Option<String>,
    /// Things worth knowing that did not cost records, e.g. a fallback route used.
    #[serde(default)]
    pub notes: Vec<String>,
    #[serde(default)]
    pub pages: u64,
}

impl CategoryReport {
    /// "N of M", or "N" when the server gave no total.
    pub fn counts(&self) -> String {
        match self.total {
            Some(total) => format!("{} of {total}", self.collected),
            None => self.collected.to_string(),
        }
    }

    /// Complete, or forbidden with a reason: nothing more could have been collected.
    pub fn is_settled(&self) -> bool {
        match self.status {
            Status::Complete => true,
            Status::Forbidden => self.reason.is_some(),
            Status::Partial | Status::Failed => false,
        }
    }
}

/// Progress as a collection runs. Sent from the collecting task; keep the handler quick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    Started(Category),
    /// After each page of the category's main list.
    Advanced {
        category: Category,
        collected: u64,
        total: Option<u64>,
        pages: u64,
    },
    Finished(CategoryReport),
}

/// A record that is kept but has a problem worth fixing before migrating.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataQualityWarning {
    pub category: String,
    pub record_id: String,
    pub message: String,
}

/// What a collection produced. Counts only: the records are on disk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CollectSummary {
    pub org_id: Option<String>,
    pub org_name: Option<String>,
    pub region: Option<String>,
    /// RFC 3339, UTC.
    pub collected_at: String,
    pub app_version: String,
    pub cancelled: bool,
    pub categories: Vec<CategoryReport>,
    pub warnings: u64,
    /// The first few warnings, for a summary screen; all of them are in the export.
    pub first_warnings: Vec<DataQualityWarning>,
    pub requests: u64,
    pub throttled: u64,
    pub peak_in_flight: usize,
    pub elapsed_ms: u64,
    /// With [`super::CollectOptions::count_findings`]: what the records show needs fixing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub findings: Option<super::browse::Findings>,
}

impl CollectSummary {
    pub fn category(&self, category: Category) -> Option<&CategoryReport> {
        self.categories.iter().find(|c| c.category == category)
    }

    /// Every category complete, or forbidden with an explanation.
    pub fn ok(&self) -> bool {
        !self.cancelled && self.categories.iter().all(CategoryReport::is_settled)
    }
}
