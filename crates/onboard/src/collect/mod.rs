//! The complete collection: every category streamed to
//! disk page by page, with adaptive concurrency, progress, cancellation, a status per category
//! reconciled against the server's totals, and an export (`snapshot.json` and CSVs) with no
//! secret in it.
//!
//! ```no_run
//! # async fn demo(client: jc_api::Client) -> Result<(), onboard::collect::CollectError> {
//! use onboard::collect::{collect, CancelToken, CollectOptions};
//! let options = CollectOptions::new("./jc-snapshot");
//! let summary = collect(&client, &options, &CancelToken::new(), &|_progress| {}).await?;
//! println!("ok: {}", summary.ok());
//! # Ok(()) }
//! ```

pub mod browse;
mod cancel;
mod categories;
mod export;
mod fetch;
mod lists;
mod logos;
mod manager;
mod output;
mod pacing;
mod records;
mod store;
mod summary;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use futures::future::{join_all, BoxFuture, FutureExt};
use jc_api::Client;

pub use crate::category::{Category, UnknownCategory};
pub use cancel::CancelToken;
pub(crate) use categories::first_users;
pub use categories::{ADMIN_FIELDS, DEVICE_FIELDS, USER_FIELDS};
pub use export::{csv_name, SNAPSHOT_FILE, SNAPSHOT_SCHEMA, WARNINGS_FILE};
pub(crate) use logos::data_url;
pub use logos::{logo_data_url, LOGOS_DIR};
pub use manager::ManagerSource;
pub use output::{check_out_dir, LOCK_FILE, MARKER_FILE, WORK_DIR};
pub use pacing::{MAX_IN_FLIGHT, START_IN_FLIGHT};
pub use records::*;
pub use summary::{CategoryReport, CollectSummary, DataQualityWarning, Progress, Status};

use categories::Ctx;
use fetch::Fetcher;
use logos::LogoFetcher;
use output::OutDir;
use store::RecordSink;

/// With [`CollectOptions::keep_records`], the folder of one JSON Lines file per category that
/// [`browse::Collection`] pages through.
pub const RECORDS_DIR: &str = "records";
/// Warnings kept in the summary itself; all of them are in the export.
const FIRST_WARNINGS: usize = 20;

#[derive(Debug, Clone)]
pub struct CollectOptions {
    /// Where `snapshot.json` and the CSVs are written: a new or empty folder (created
    /// owner-only if missing) or an earlier export, whose files it replaces; any other folder
    /// is refused (see [`check_out_dir`]).
    pub out_dir: PathBuf,
    /// Which categories; all of them when empty.
    pub categories: Vec<Category>,
    pub manager: ManagerSource,
    /// The most requests in flight at once (the adaptive window never grows beyond it).
    pub max_in_flight: usize,
    /// Shown in the export.
    pub org_name: Option<String>,
    pub app_version: String,
    /// Keep the per-category JSON Lines files in `<out_dir>/records/` for browsing.
    pub keep_records: bool,
    /// Count the data-quality findings from the records before they go, into
    /// [`CollectSummary::findings`].
    pub count_findings: bool,
}

impl CollectOptions {
    pub fn new(out_dir: impl Into<PathBuf>) -> CollectOptions {
        CollectOptions {
            out_dir: out_dir.into(),
            categories: Vec::new(),
            manager: ManagerSource::Field,
            max_in_flight: MAX_IN_FLIGHT,
            org_name: None,
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            keep_records: false,
            count_findings: false,
        }
    }

    fn chosen(&self) -> Vec<Category> {
        if self.categories.is_empty() {
            return Category::ALL.to_vec();
        }
        Category::ALL
            .into_iter()
            .filter(|c| self.categories.contains(c))
            .collect()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    #[error("could not write the collection to {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{} is a file, not a folder; choose a folder for the collection", .0.display())]
    NotAFolder(PathBuf),
    #[error("{} is not empty and is not an earlier export of jc-onboard, so nothing was written to it; choose an empty or new folder", .0.display())]
    NotAnExport(PathBuf),
    #[error("another collection is writing to {}; wait for it or choose another folder", .0.display())]
    Busy(PathBuf),
    #[error("the data-quality findings could not be counted: {0}")]
    Findings(#[from] browse::BrowseError),
}

impl CollectError {
    /// The output folder cannot be used as given: nothing was collected or changed, and the
    /// person running it needs to choose another folder (or wait).
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            CollectError::NotAFolder(_) | CollectError::NotAnExport(_) | CollectError::Busy(_)
        )
    }
}

fn at(path: &Path) -> impl FnOnce(io::Error) -> CollectError + '_ {
    move |source| CollectError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Collects every chosen category through `client` (bound to the org to collect), streaming
/// records to disk, then writes the export into `options.out_dir`. Cancelling keeps what was
/// fetched: the export is still written and the categories cut short say so. The client's
/// retry policy applies to every page (use `RetryPolicy::standard()`). On an error nothing of
/// the collection stays behind, and the folder's earlier export, if any, is left whole or
/// replaced file by file (see [`check_out_dir`] for which folders are used at all).
pub async fn collect(
    client: &Client,
    options: &CollectOptions,
    cancel: &CancelToken,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<CollectSummary, CollectError> {
    let started = Instant::now();
    let collected_at = now_rfc3339();
    let out = options.out_dir.as_path();
    let target = OutDir::open(out)?;
    let work = target.work().records();
    let warnings_path = export::warnings_path(&work);
    let warnings =
        Mutex::new(RecordSink::create(warnings_path.clone()).map_err(at(&warnings_path))?);
    let fetcher = Fetcher::new(client, cancel.clone(), options.max_in_flight);
    let logos = LogoFetcher::new(client, cancel, target.work().logos());
    let chosen = options.chosen();
    let ctx = Ctx {
        fetcher: &fetcher,
        work: &work,
        region: client.region(),
        progress,
        manager: &options.manager,
        warnings: &warnings,
        logos: &logos,
    };

    let reports = run_categories(&ctx, &chosen).await.map_err(at(&work))?;
    let warnings = warnings
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let warning_count = warnings.finish().map_err(at(&warnings_path))?;
    let first_warnings = store::read_records::<DataQualityWarning>(&warnings_path)
        .map_err(at(&warnings_path))?
        .take(FIRST_WARNINGS)
        .collect::<Result<Vec<_>, _>>()
        .map_err(at(&warnings_path))?;

    let mut summary = CollectSummary {
        org_id: client.org().map(|o| o.as_str().to_owned()),
        org_name: options.org_name.clone(),
        region: client.region().map(|r| r.to_string()),
        collected_at,
        app_version: options.app_version.clone(),
        cancelled: cancel.is_cancelled(),
        categories: reports,
        warnings: warning_count,
        first_warnings,
        requests: fetcher.requests(),
        throttled: fetcher.throttled(),
        peak_in_flight: fetcher.peak_in_flight(),
        elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        findings: None,
    };
    let staged = target.work().staged();
    export::write_export(&staged, &work, &summary, &chosen).map_err(at(&staged))?;
    if options.count_findings {
        let records = browse::Collection::open(target.work().path())?;
        summary.findings = Some(records.findings(time::OffsetDateTime::now_utc())?);
    }
    target.publish(options.keep_records).map_err(at(out))?;
    Ok(summary)
}

/// Every chosen category at once over the shared gate; reports come back in category order.
type Job<'a, T> = BoxFuture<'a, io::Result<T>>;

async fn run_categories<'a>(
    ctx: &'a Ctx<'a>,
    chosen: &[Category],
) -> io::Result<Vec<CategoryReport>> {
    let one = |category: Category, job: Job<'a, CategoryReport>| -> Job<'a, Vec<CategoryReport>> {
        (ctx.progress)(Progress::Started(category));
        job.map(|r| r.map(|report| vec![report])).boxed()
    };
    let mut jobs: Vec<Job<'a, Vec<CategoryReport>>> = Vec::new();
    for category in chosen {
        let job = match category {
            Category::Organizations => one(*category, categories::organizations(ctx).boxed()),
            Category::Users => one(*category, categories::users(ctx).boxed()),
            Category::UserGroups => one(*category, categories::user_groups(ctx).boxed()),
            Category::Admins => one(*category, categories::admins(ctx).boxed()),
            Category::Applications => one(*category, categories::applications(ctx).boxed()),
            Category::Devices => one(*category, categories::devices(ctx).boxed()),
            Category::DeviceGroups => one(*category, categories::device_groups(ctx).boxed()),
            Category::LdapServers => one(*category, categories::ldap_servers(ctx).boxed()),
            Category::RadiusServers => one(*category, categories::radius_servers(ctx).boxed()),
            Category::Policies => {
                (ctx.progress)(Progress::Started(*category));
                let with_results = chosen.contains(&Category::PolicyResults);
                if with_results {
                    (ctx.progress)(Progress::Started(Category::PolicyResults));
                }
                async move {
                    let (policies, results) = categories::policies(ctx, with_results).await?;
                    Ok(std::iter::once(policies).chain(results).collect())
                }
                .boxed()
            }
            Category::PolicyResults if !chosen.contains(&Category::Policies) => {
                (ctx.progress)(Progress::Started(*category));
                async move {
                    let (_, results) = categories::policies(ctx, true).await?;
                    Ok(results.into_iter().collect())
                }
                .boxed()
            }
            Category::PolicyResults => continue,
        };
        jobs.push(
            job.map(|result| {
                if let Ok(reports) = &result {
                    for report in reports {
                        (ctx.progress)(Progress::Finished(report.clone()));
                    }
                }
                result
            })
            .boxed(),
        );
    }
    let mut reports: Vec<CategoryReport> = join_all(jobs)
        .await
        .into_iter()
        .collect::<io::Result<Vec<_>>>()?
        .into_iter()
        .flatten()
        .collect();
    reports.sort_by_key(|r| r.category);
    Ok(reports)
}

fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
