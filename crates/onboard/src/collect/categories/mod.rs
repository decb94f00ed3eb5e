//! One collector per category, grouped by family in the modules below; each streams its records
//! to `<work>/<category>.jsonl` and returns how it ended. Here: what they share ([`Ctx`], list
//! and sub-list helpers).

mod applications;
mod devices;
mod directory_servers;
mod org;
mod people;
mod policies;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Mutex, PoisonError};

use futures::{Stream, StreamExt};
use jc_api::{ListEndpoint, RecordId, Region};
use serde::Serialize;

use super::fetch::{Fetcher, ListOutcome};
use super::lists::{bindings, settle, BindingRoutes};
use super::logos::LogoFetcher;
use super::manager::ManagerSource;
use super::pacing::MAX_IN_FLIGHT;
use super::store::RecordSink;
use super::summary::{CategoryReport, DataQualityWarning, Progress};
use crate::category::Category;

pub(crate) use applications::applications;
pub use devices::DEVICE_FIELDS;
pub(crate) use devices::{device_groups, devices};
pub(crate) use directory_servers::{ldap_servers, radius_servers};
pub use org::ADMIN_FIELDS;
pub(crate) use org::{admins, organizations};
pub use people::USER_FIELDS;
pub(crate) use people::{first_users, user_groups, users};
pub(crate) use policies::policies;

/// Sub-lists (members, bindings) fetched at once; the shared gate still bounds requests. Their
/// outcomes are taken in the order the server listed the parents (`buffered`); records a
/// sub-list streams are written as its pages arrive, so browsing sorts what it shows.
const SUB_LISTS_AT_ONCE: usize = MAX_IN_FLIGHT;

pub(crate) type ProgressFn<'a> = &'a (dyn Fn(Progress) + Send + Sync);

/// What every collector shares.
pub(crate) struct Ctx<'a> {
    pub fetcher: &'a Fetcher,
    pub work: &'a Path,
    pub region: Option<Region>,
    pub progress: ProgressFn<'a>,
    pub manager: &'a ManagerSource,
    pub warnings: &'a Mutex<RecordSink>,
    pub logos: &'a LogoFetcher<'a>,
}

impl Ctx<'_> {
    pub(crate) fn records_path(&self, category: Category) -> PathBuf {
        records_path(self.work, category)
    }

    fn sink(&self, category: Category) -> io::Result<RecordSink> {
        RecordSink::create(self.records_path(category))
    }

    fn warn(&self, warning: DataQualityWarning) {
        self.warnings
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .write(&warning);
    }

    fn advanced(&self, category: Category, collected: u64, total: Option<u64>, pages: u64) {
        (self.progress)(Progress::Advanced {
            category,
            collected,
            total,
            pages,
        });
    }

    fn cancelled(&self) -> bool {
        self.fetcher.cancel_token().is_cancelled()
    }
}

pub(crate) fn records_path(work: &Path, category: Category) -> PathBuf {
    work.join(format!("{}.jsonl", category.as_str()))
}

/// Lists a route straight into its category's file, `convert` shaping each record.
async fn stream_list<E, R>(
    ctx: &Ctx<'_>,
    category: Category,
    endpoint: &E,
    sink: &mut RecordSink,
    mut convert: impl FnMut(E::Item) -> R,
) -> ListOutcome
where
    E: ListEndpoint + Sync,
    E::Item: Send + RecordId,
    R: Serialize,
{
    let mut pages = 0;
    ctx.fetcher
        .list(endpoint, |items, total| {
            pages += 1;
            for item in items {
                sink.write(&convert(item));
            }
            ctx.advanced(category, sink.written(), total, pages);
        })
        .await
}

/// A category that is one list route, streamed to disk record by record, with no sub-routes.
async fn single_list<E, R>(
    ctx: &Ctx<'_>,
    category: Category,
    endpoint: &E,
    convert: impl FnMut(E::Item) -> R,
) -> io::Result<CategoryReport>
where
    E: ListEndpoint + Sync,
    E::Item: Send + RecordId,
    R: Serialize,
{
    let mut sink = ctx.sink(category)?;
    let outcome = stream_list(ctx, category, endpoint, &mut sink, convert).await;
    sink.finish()?;
    Ok(settle(
        category,
        &outcome,
        ctx.region,
        vec![],
        vec![],
        false,
    ))
}

/// A main list kept in memory (groups, apps, servers: small next to users and devices).
async fn list_in_memory<E>(
    ctx: &Ctx<'_>,
    category: Category,
    endpoint: &E,
) -> (Vec<E::Item>, ListOutcome)
where
    E: ListEndpoint + Sync,
    E::Item: Send + RecordId,
{
    let mut items = Vec::new();
    let mut pages = 0;
    let outcome = ctx
        .fetcher
        .list(endpoint, |page, total| {
            pages += 1;
            items.extend(page);
            ctx.advanced(category, items.len() as u64, total, pages);
        })
        .await;
    (items, outcome)
}

/// Problems and cancellation met while fetching per-record sub-lists.
#[derive(Default)]
struct SubProblems {
    problems: Vec<String>,
    cancelled: bool,
}

impl SubProblems {
    fn add(&mut self, problems: impl IntoIterator<Item = String>, cancelled: bool) {
        self.problems.extend(problems);
        self.cancelled |= cancelled;
    }

    /// At most a few reasons spelled out, then a count.
    fn into_reasons(self) -> (Vec<String>, bool) {
        const SHOWN: usize = 3;
        let extra = self.problems.len().saturating_sub(SHOWN);
        let mut reasons: Vec<String> = self.problems.into_iter().take(SHOWN).collect();
        if extra > 0 {
            reasons.push(format!("{extra} more sub-lists failed the same way"));
        }
        (reasons, self.cancelled)
    }
}

/// Writes the records the per-item jobs yield (each with the problems of its sub-lists and
/// whether cancelling cut it short) and settles the category; `notes` is asked once every job
/// is done.
async fn write_and_settle<R, P>(
    ctx: &Ctx<'_>,
    category: Category,
    outcome: &ListOutcome,
    mut done: impl Stream<Item = (R, P, bool)> + Unpin,
    notes: impl FnOnce() -> Vec<String>,
) -> io::Result<CategoryReport>
where
    R: Serialize,
    P: IntoIterator<Item = String>,
{
    let mut sink = ctx.sink(category)?;
    let mut subs = SubProblems::default();
    while let Some((record, problems, cancelled)) = done.next().await {
        sink.write(&record);
        subs.add(problems, cancelled);
    }
    sink.finish()?;
    let (reasons, cancelled) = subs.into_reasons();
    Ok(settle(
        category,
        outcome,
        ctx.region,
        reasons,
        notes(),
        cancelled,
    ))
}

/// [`bindings`] with the two association routes already built.
async fn bindings_with<A, G, U>(
    fetcher: &Fetcher,
    groups_route: A,
    users_route: A,
    traversal_groups: G,
    traversal_users: Option<U>,
    refused: &AtomicBool,
    what: &str,
) -> super::lists::Bindings
where
    A: ListEndpoint<Item = jc_api::model::GraphConnection> + Sync,
    G: ListEndpoint<Item = jc_api::model::GraphObject> + Sync,
    U: ListEndpoint<Item = jc_api::model::GraphObject> + Sync,
{
    bindings(
        fetcher,
        BindingRoutes {
            association_groups: groups_route,
            association_users: users_route,
            traversal_groups,
            traversal_users,
        },
        refused,
        what,
    )
    .await
}
