//! The complete collection against jc-sim over loopback HTTP: every category, page boundaries,
//! managers, read-only fallbacks, 429 storms, 5xx, truncated JSON, cancellation, the export and
//! the absence of secrets.

mod browse;
mod export;
mod faults;
mod hostile;
mod output;
mod people;
mod requests;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use jc_api::{ApiKey, BaseUrl, Client, ClientBuilder, OrgId, RetryPolicy};
use jc_sim::{RunningSim, SimConfig};
use onboard::collect::{
    collect, CancelToken, Category, CollectOptions, CollectSummary, Progress, Status,
};

pub struct Collected {
    pub sim: RunningSim,
    pub summary: CollectSummary,
    pub dir: tempfile::TempDir,
    pub events: Vec<Progress>,
}

impl Collected {
    pub fn out(&self) -> &Path {
        self.dir.path()
    }

    pub fn report(&self, category: Category) -> &onboard::collect::CategoryReport {
        self.summary
            .category(category)
            .unwrap_or_else(|| panic!("{category} is reported: {:#?}", self.summary))
    }

    /// The records of one category, as the export's snapshot.json holds them.
    pub fn records(&self, category: Category) -> Vec<serde_json::Value> {
        let snapshot = read_snapshot(self.out());
        snapshot["records"][category.as_str()]
            .as_array()
            .cloned()
            .unwrap_or_else(|| panic!("snapshot.json has a records.{category} array"))
    }
}

pub async fn start(config: SimConfig) -> RunningSim {
    RunningSim::start(config)
        .await
        .expect("the simulated org starts on loopback")
}

/// The collection's own policy (its attempts, its budget, the server's `Retry-After` obeyed) with
/// the backoff between attempts cut to milliseconds: most tests count retries, they do not need
/// to sit through them.
pub fn quick_retries() -> RetryPolicy {
    RetryPolicy {
        base_delay: std::time::Duration::from_millis(10),
        max_delay: std::time::Duration::from_millis(100),
        ..RetryPolicy::standard()
    }
}

pub fn client(sim: &RunningSim) -> Client {
    client_retrying(sim, quick_retries())
}

pub fn client_retrying(sim: &RunningSim, retry: RetryPolicy) -> Client {
    let key = ApiKey::parse(sim.api_key()).expect("the sim's key has the right shape");
    let base = BaseUrl::parse(&sim.base_url()).expect("the sim's URL is a valid host root");
    ClientBuilder::new(key, base)
        .org(OrgId::parse(sim.org_id()).ok())
        .retry(retry)
        .build()
        .expect("a client builds for loopback")
}

pub async fn collect_with(config: SimConfig, tune: impl FnOnce(&mut CollectOptions)) -> Collected {
    collect_retrying(config, quick_retries(), tune).await
}

pub async fn collect_retrying(
    config: SimConfig,
    retry: RetryPolicy,
    tune: impl FnOnce(&mut CollectOptions),
) -> Collected {
    let sim = start(config).await;
    let dir = tempfile::tempdir().expect("a temporary output directory");
    let mut options = CollectOptions::new(dir.path());
    tune(&mut options);
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&events);
    let summary = collect(
        &client_retrying(&sim, retry),
        &options,
        &CancelToken::new(),
        &move |e| {
            sink.lock().expect("progress lock").push(e);
        },
    )
    .await
    .expect("the collection writes its export");
    let events = events.lock().expect("progress lock").clone();
    Collected {
        sim,
        summary,
        dir,
        events,
    }
}

pub async fn collect_from(config: SimConfig) -> Collected {
    collect_with(config, |_| {}).await
}

pub fn read_snapshot(dir: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("snapshot.json")).expect("snapshot.json exists");
    serde_json::from_str(&text).expect("snapshot.json is one valid JSON document")
}

pub fn csv_path(dir: &Path, category: Category) -> PathBuf {
    dir.join(onboard::collect::csv_name(category))
}

/// CSV records (RFC 4180: quoted fields may hold commas, quotes and line breaks).
pub fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).expect("the CSV exists");
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => field.push(c),
        }
    }
    rows
}

/// Every file under `dir`, in subfolders too.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_owned()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("a readable folder") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                folders.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}

/// "category=status" for every category, for compact expectations.
pub fn statuses(summary: &CollectSummary) -> Vec<String> {
    summary
        .categories
        .iter()
        .map(|c| format!("{}={}", c.category, c.status.as_str()))
        .collect()
}

pub fn all(status: Status) -> Vec<String> {
    Category::ALL
        .iter()
        .map(|c| format!("{c}={}", status.as_str()))
        .collect()
}
