//! The complete collection (DESIGN.md "Collection and preview"): every category streamed to
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

pub use cancel::CancelToken;
pub(crate) use categories::first_users;
pub use categories::{ADMIN_FIELDS, DEVICE_FIELDS, USER_FIELDS};
pub use export::{csv_name, SNAPSHOT_FILE, WARNINGS_FILE};
pub(crate) use logos::data_url;
pub use logos::{logo_data_url, LOGOS_DIR};
pub use manager::ManagerSource;
pub use pacing::{MAX_IN_FLIGHT, START_IN_FLIGHT};
pub use records::*;
pub use summary::{
    Category, CategoryReport, CollectSummary, DataQualityWarning, Progress, Status, UnknownCategory,
};

use categories::Ctx;
use fetch::Fetcher;
use logos::LogoFetcher;
use store::RecordSink;

/// Where the collection's working files live inside the output directory; removed once the
/// export is written, or kept as [`RECORDS_DIR`].
const WORK_DIR: &str = ".collecting";
/// With [`CollectOptions::keep_records`], the folder of one JSON Lines file per category that
/// [`browse::Collection`] pages through.
pub const RECORDS_DIR: &str = "records";
/// Warnings kept in the summary itself; all of them are in the export.
const FIRST_WARNINGS: usize = 20;

#[derive(Debug, Clone)]
pub struct CollectOptions {
    /// Where `snapshot.json` and the CSVs are written (created if missing).
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
/// retry policy applies to every page (use `RetryPolicy::standard()`).
pub async fn collect(
    client: &Client,
    options: &CollectOptions,
    cancel: &CancelToken,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<CollectSummary, CollectError> {
    let started = Instant::now();
    let collected_at = now_rfc3339();
    let out = options.out_dir.as_path();
    let work = out.join(WORK_DIR);
    std::fs::create_dir_all(&work).map_err(at(&work))?;
    let warnings_path = export::warnings_path(&work);
    let warnings =
        Mutex::new(RecordSink::create(warnings_path.clone()).map_err(at(&warnings_path))?);
    let fetcher = Fetcher::new(client, cancel.clone(), options.max_in_flight);
    let logos = LogoFetcher::new(client, cancel, out).map_err(at(out))?;
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

    let summary = CollectSummary {
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
    };
    export::write_export(out, &work, &summary, &chosen).map_err(at(out))?;
    if options.keep_records {
        let records = out.join(RECORDS_DIR);
        store::remove_dir_if_present(&records).map_err(at(&records))?;
        std::fs::rename(&work, &records).map_err(at(&records))?;
    } else {
        std::fs::remove_dir_all(&work).map_err(at(&work))?;
    }
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
