//! The full collection from the app: run it into a private folder, keep the result to reopen
//! while the same connection is in use, and browse it through `onboard::collect::browse`. File
//! work runs off the async threads.
//!
//! A collection belongs to the organization it reads: testing another organization (or a test
//! that fails) stops the running one, and a result whose organization is no longer the tested
//! one is discarded with its folder, never shown or exported as another's.

use std::path::PathBuf;
use std::sync::{Arc, PoisonError};

use jc_api::{Client, RetryPolicy};
use onboard::collect::browse::{
    BrowseError, Collection, RecordDetail, RelatedItem, RowPage, RowQuery, SortSpec,
};
use onboard::collect::{
    collect, CancelToken, CollectOptions, CollectSummary, ManagerSource, Progress,
};
use onboard::Category;

use super::scratch::ScratchDir;
use super::AppState;
use crate::error::{UiError, UiErrorKind};
use crate::ipc::{CategoryView, CollectPhase, CollectProgress, CollectionView, ExportedCollection};

/// The running collection and the last finished one.
#[derive(Default)]
pub struct CollectionSlot {
    running: Option<Running>,
    /// Counts the collections started; only the latest one's result is kept.
    run: u64,
    last: Option<Kept>,
}

/// A collection under way: which run, which org it reads, and how to stop it. Taken out of the
/// slot when another org is tested, so its result is then discarded.
struct Running {
    run: u64,
    source: Source,
    cancel: CancelToken,
}

/// Inside a collection's private folder, where the collection itself is written.
const COLLECTION_DIR: &str = "collection";

/// A finished collection: its folder (removed when this is dropped), what the summary showed,
/// and which connection it came from.
struct Kept {
    collection: Arc<Collection>,
    view: CollectionView,
    source: Source,
    _folder: ScratchDir,
}

/// The org a client reads: its host and org id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    host: String,
    org: Option<String>,
}

impl Source {
    pub fn of(client: &Client) -> Source {
        Source {
            host: client.base().url().to_string(),
            org: client.org().map(|o| o.as_str().to_owned()),
        }
    }
}

/// Ends collection `run` in the slot however the run ends (finished, failed, or its task
/// dropped with the app), so a close never waits on a collection that is gone.
struct RunEnds<'a> {
    state: &'a AppState,
    run: u64,
}

impl Drop for RunEnds<'_> {
    fn drop(&mut self) {
        let mut slot = self.state.slot();
        if slot.running.as_ref().is_some_and(|r| r.run == self.run) {
            slot.running = None;
        }
    }
}

fn not_collected() -> UiError {
    UiError::new(
        UiErrorKind::NotFound,
        "Nothing has been collected yet.",
        "Choose \"Collect everything\" first.",
    )
}

fn stopped_for_another_org() -> UiError {
    UiError::new(
        UiErrorKind::Input,
        "The collection was stopped because another organization was tested.",
        "Collect again from the preview of the organization you want.",
    )
}

fn failed(message: String) -> UiError {
    UiError::new(
        UiErrorKind::Store,
        message,
        "Check that there is free disk space, then collect again.",
    )
}

impl From<BrowseError> for UiError {
    fn from(error: BrowseError) -> Self {
        match error {
            BrowseError::NoSuchRecord { category, .. } => UiError::new(
                UiErrorKind::NotFound,
                format!("There is no such record among the {}.", category.label()),
                "Collect again; the record may have been removed.",
            ),
            other => failed(format!("The collected data could not be read: {other}.")),
        }
    }
}

fn query(search: Option<String>, sort: Option<SortSpec>) -> RowQuery {
    RowQuery { search, sort }
}

fn view(summary: &CollectSummary, collection: &Collection) -> Result<CollectionView, UiError> {
    let findings = collection.findings(collection.clock().now())?;
    Ok(CollectionView {
        categories: summary
            .categories
            .iter()
            .map(|c| CategoryView {
                category: c.category,
                label: c.category.label().to_owned(),
                title: c.category.title(),
                status: c.status,
                status_label: c.status.label().to_owned(),
                collected: c.collected,
                total: c.total,
                reason: c.reason.clone(),
                notes: c.notes.clone(),
                technical: c.technical.clone(),
            })
            .collect(),
        findings: findings.counts,
        warnings: findings.listed,
        collected_at: summary.collected_at.clone(),
        org_id: summary.org_id.clone(),
        duration_ms: summary.elapsed_ms,
        requests: summary.requests,
        cancelled: summary.cancelled,
    })
}

fn progress_of(progress: Progress) -> CollectProgress {
    let (category, phase, collected, total, pages, status) = match progress {
        Progress::Started(c) => (c, CollectPhase::Started, 0, None, 0, None),
        Progress::Advanced {
            category,
            collected,
            total,
            pages,
        } => (
            category,
            CollectPhase::Running,
            collected,
            total,
            pages,
            None,
        ),
        Progress::Finished(r) => (
            r.category,
            CollectPhase::Finished,
            r.collected,
            r.total,
            r.pages,
            Some(r.status),
        ),
    };
    CollectProgress {
        category,
        label: category.label().to_owned(),
        title: category.title(),
        phase,
        collected,
        total,
        pages,
        status,
        status_label: status.map(|s| s.label().to_owned()),
    }
}

/// Runs file work on the blocking pool.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, UiError> + Send + 'static,
) -> Result<T, UiError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| failed(format!("Reading the collected data stopped: {e}.")))?
}

impl AppState {
    fn slot(&self) -> std::sync::MutexGuard<'_, CollectionSlot> {
        self.collection
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn collection(&self) -> Result<Arc<Collection>, UiError> {
        self.slot()
            .last
            .as_ref()
            .map(|kept| Arc::clone(&kept.collection))
            .ok_or_else(not_collected)
    }

    /// Where collections are worked on: the app's cache folder, else the temp folder.
    pub fn collections_root(&self) -> PathBuf {
        match &self.dirs.cache {
            Some(cache) => cache.join("collections"),
            None => std::env::temp_dir().join("jc-onboard-collections"),
        }
    }

    /// Removes what an earlier run of the app left behind (a crash, a kill).
    pub fn sweep_collections(&self) {
        let removed = super::scratch::sweep(&self.collections_root());
        if removed > 0 {
            tracing::info!(removed, "removed collection folders left by an earlier run");
        }
    }

    /// Whether a collection is running now (closing the window asks first).
    pub fn collection_running(&self) -> bool {
        self.slot().running.is_some()
    }

    /// Stops a running collection and drops the kept one, removing its folder (on exit).
    pub fn discard_collection(&self) {
        let mut slot = self.slot();
        if let Some(running) = slot.running.take() {
            running.cancel.cancel();
        }
        slot.last = None;
    }

    /// A connection was tested (`None`: the test failed). A collection of another org is no
    /// longer what the wizard previews: a running one is stopped and its result will be
    /// discarded, a kept one goes.
    pub(super) fn connection_tested(&self, client: Option<&Client>) {
        let source = client.map(Source::of);
        let mut slot = self.slot();
        if slot
            .running
            .as_ref()
            .is_some_and(|running| Some(&running.source) != source.as_ref())
        {
            if let Some(running) = slot.running.take() {
                running.cancel.cancel();
                tracing::info!(
                    "the running collection was stopped: another organization was tested"
                );
            }
        }
        if let Some(source) = &source {
            if slot
                .last
                .as_ref()
                .is_some_and(|kept| &kept.source != source)
            {
                slot.last = None;
            }
        }
    }

    pub async fn start_collection(
        &self,
        manager_attribute: Option<String>,
        on_progress: impl Fn(CollectProgress) + Send + Sync,
    ) -> Result<CollectionView, UiError> {
        // The Test step tries each request once; a collection rides out a rate limit, an outage
        // or a cut-off answer, as the CLI's does.
        let client = self.tested_client()?.with_retry(RetryPolicy::standard());
        let source = Source::of(&client);
        let root = self.collections_root();
        let folder = ScratchDir::create(&root).map_err(|e| {
            failed(format!(
                "A folder for the collection could not be created in {} ({e}).",
                root.display()
            ))
        })?;
        let cancel = CancelToken::new();
        let run = {
            let mut slot = self.slot();
            slot.run += 1;
            let running = Running {
                run: slot.run,
                source: source.clone(),
                cancel: cancel.clone(),
            };
            if let Some(old) = slot.running.replace(running) {
                old.cancel.cancel();
            }
            slot.run
        };
        let _ends = RunEnds { state: self, run };
        let options = CollectOptions {
            manager: ManagerSource::from_name(manager_attribute.as_deref()),
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            keep_records: true,
            ..CollectOptions::new(folder.path().join(COLLECTION_DIR))
        };
        let report = move |p: Progress| on_progress(progress_of(p));
        let collected = collect(&client, &options, &cancel, &report).await;
        let opened = match collected {
            Ok(summary) => {
                let path = options.out_dir.clone();
                let clock = self.clock();
                blocking(move || {
                    let collection = Collection::open(path)?.with_clock(clock);
                    let view = view(&summary, &collection)?;
                    Ok((collection, view))
                })
                .await
            }
            Err(e) => Err(failed(format!("The collection stopped: {e}."))),
        };
        let tested_now = self.tested_client().ok().as_ref().map(Source::of);
        let mut slot = self.slot();
        let still_running = slot.running.as_ref().is_some_and(|r| r.run == run);
        if still_running {
            slot.running = None;
        }
        // Every way out but keeping it drops `folder`, which removes it with what it holds.
        match opened {
            Err(error) => Err(error),
            Ok(_) if !still_running && slot.run != run => Err(UiError::new(
                UiErrorKind::Input,
                "A newer collection replaced this one.",
                "Wait for the newer collection to finish.",
            )),
            Ok(_) if !still_running || tested_now.as_ref() != Some(&source) => {
                Err(stopped_for_another_org())
            }
            Ok((collection, view)) => {
                slot.last = Some(Kept {
                    collection: Arc::new(collection),
                    view: view.clone(),
                    source,
                    _folder: folder,
                });
                Ok(view)
            }
        }
    }

    pub fn cancel_collection(&self) {
        if let Some(running) = &self.slot().running {
            running.cancel.cancel();
        }
    }

    /// The last finished collection of the tested connection, to show again.
    pub fn current_collection(&self) -> Option<CollectionView> {
        self.slot().last.as_ref().map(|kept| kept.view.clone())
    }

    pub async fn collection_rows(
        &self,
        category: Category,
        offset: u32,
        limit: u32,
        search: Option<String>,
        sort: Option<SortSpec>,
    ) -> Result<RowPage, UiError> {
        let collection = self.collection()?;
        blocking(move || {
            Ok(collection.page(category, &query(search, sort), offset.into(), limit)?)
        })
        .await
    }

    pub async fn collection_row_index(
        &self,
        category: Category,
        id: String,
        search: Option<String>,
        sort: Option<SortSpec>,
    ) -> Result<Option<u32>, UiError> {
        let collection = self.collection()?;
        let index =
            blocking(move || Ok(collection.row_index(category, &query(search, sort), &id)?))
                .await?;
        Ok(index.and_then(|i| u32::try_from(i).ok()))
    }

    pub async fn collection_record(
        &self,
        category: Category,
        id: String,
    ) -> Result<RecordDetail, UiError> {
        let collection = self.collection()?;
        blocking(move || Ok(collection.detail(category, &id)?)).await
    }

    pub async fn related(
        &self,
        category: Category,
        id: String,
    ) -> Result<Vec<RelatedItem>, UiError> {
        let collection = self.collection()?;
        blocking(move || Ok(collection.related(category, &id)?)).await
    }

    pub async fn export_collection(&self) -> Result<ExportedCollection, UiError> {
        let collection = self.collection()?;
        let downloads = self.bundle_dir()?;
        let target = blocking(move || Ok(collection.export_to(&downloads)?)).await?;
        Ok(ExportedCollection {
            path: target.display().to_string(),
            folder: target
                .parent()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ipc::ConnectionRequest;
    use onboard::collect::SNAPSHOT_FILE;
    use onboard::RegionChoice;

    async fn tested_demo(state: &AppState, scenario: &str) -> String {
        let demo = state.start_demo(scenario).await.expect("demo");
        let request = ConnectionRequest {
            key: demo.api_key.clone(),
            client_id: None,
            org_id: None,
            region: RegionChoice::Auto,
            demo: true,
        };
        assert!(state.run_checks(&request, |_| {}).await.expect("checks").ok);
        demo.api_key
    }

    fn state_in(cache: &std::path::Path, downloads: &std::path::Path) -> AppState {
        AppState::new(
            "com.jconboard.wizard.test",
            Box::new(onboard::connections::MemoryStorage::default()),
            None,
        )
        .with_dirs(super::super::SupportDirs {
            cache: Some(cache.to_owned()),
            bundles: Some(downloads.to_owned()),
            ..Default::default()
        })
    }

    /// The copy in Downloads holds people's data: its folders are 0700 and its files 0600.
    #[cfg(unix)]
    fn assert_owner_only(dir: &std::path::Path) {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| {
            std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777
        };
        assert_eq!(mode(dir), 0o700, "the exported folder is owner-only");
        let mut pending = vec![dir.to_owned()];
        let mut files = 0;
        while let Some(folder) = pending.pop() {
            for entry in std::fs::read_dir(&folder).expect("readable") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    assert_eq!(mode(&path), 0o700, "{} is owner-only", path.display());
                    pending.push(path);
                } else {
                    assert_eq!(mode(&path), 0o600, "{} is owner-only", path.display());
                    files += 1;
                }
            }
        }
        assert!(files > 2, "the snapshot, CSVs and logos were checked");
    }

    /// A collection of a slow org (400 ms an answer) is the tested connection, so a collection
    /// is still running when the test does something else.
    async fn slow_org_tested(state: &AppState) -> jc_sim::RunningSim {
        let sim = jc_sim::RunningSim::start(jc_sim::SimConfig {
            latency: std::time::Duration::from_millis(400),
            ..jc_sim::SimConfig::scenario(jc_sim::Scenario::Healthy)
        })
        .await
        .expect("the slow org starts");
        let key = jc_api::ApiKey::parse(sim.api_key()).expect("key shape");
        let base = jc_api::BaseUrl::parse(&sim.base_url()).expect("base url");
        let client = jc_api::ClientBuilder::new(key, base)
            .org(jc_api::OrgId::parse(sim.org_id()).ok())
            .build()
            .expect("a client for loopback");
        state.connection_tested(Some(&client));
        *state.wizard() = Some(super::super::WizardSession {
            client_id: None,
            key: onboard::PastedKey::new(sim.api_key().to_owned()),
            org_id: Some(sim.org_id().to_owned()),
            region: onboard::RegionChoice::Auto,
            demo: None,
            report: onboard::Report {
                ok: true,
                permissions: None,
                auth: None,
                credentials_expire_at: None,
                region: None,
                org: None,
                orgs_available: Vec::new(),
                role: None,
                checks: Vec::new(),
            },
            seen: None,
            client: Some(client),
        });
        sim
    }

    /// Resolves once the first progress event of a collection was seen.
    fn first_progress() -> (
        impl Fn(CollectProgress) + Send + Sync,
        tokio::sync::oneshot::Receiver<()>,
    ) {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let tx = std::sync::Mutex::new(Some(tx));
        let on_progress = move |_| {
            if let Some(tx) = tx.lock().expect("lock").take() {
                let _ = tx.send(());
            }
        };
        (on_progress, rx)
    }

    fn running_token(state: &AppState) -> CancelToken {
        state
            .slot()
            .running
            .as_ref()
            .map(|r| r.cancel.clone())
            .expect("a collection is running")
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_collection_running_when_another_org_is_tested_is_stopped_and_never_shown_as_its() {
        let cache = tempfile::tempdir().expect("cache");
        let downloads = tempfile::tempdir().expect("downloads");
        let state = state_in(cache.path(), downloads.path());
        let slow = slow_org_tested(&state).await;
        let (on_progress, started) = first_progress();
        let (collected, token) = tokio::join!(state.start_collection(None, on_progress), async {
            started.await.expect("the collection reports progress");
            let token = running_token(&state);
            tested_demo(&state, "eu-region").await;
            token
        });
        assert!(
            token.is_cancelled(),
            "testing another org stopped the running collection"
        );
        let error = collected.expect_err("the first org's result is not the second org's");
        assert!(
            error.message.contains("another organization was tested"),
            "{error:?}"
        );
        assert!(
            state.current_collection().is_none(),
            "nothing is shown for the newly tested org"
        );
        assert!(
            matches!(state.export_collection().await, Err(e) if e.kind == UiErrorKind::NotFound),
            "nothing can be exported as the newly tested org's"
        );
        let left = std::fs::read_dir(cache.path().join("collections"))
            .expect("the collections folder")
            .count();
        assert_eq!(left, 0, "the discarded collection's folder is removed");
        state.stop_demo().await;
        slow.shutdown().await;
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn cancelling_on_leaving_the_preview_stops_the_collection_and_keeps_what_was_fetched() {
        let cache = tempfile::tempdir().expect("cache");
        let downloads = tempfile::tempdir().expect("downloads");
        let state = state_in(cache.path(), downloads.path());
        let slow = slow_org_tested(&state).await;
        let (on_progress, started) = first_progress();
        let (collected, ()) = tokio::join!(state.start_collection(None, on_progress), async {
            started.await.expect("the collection reports progress");
            state.cancel_collection();
        });
        let view = collected.expect("a cancelled collection still ends with what it has");
        assert!(view.cancelled, "the collection says it was stopped early");
        assert_eq!(
            state.current_collection().map(|v| v.collected_at),
            Some(view.collected_at),
            "the same org is still tested, so its partial result is kept to show again"
        );
        slow.shutdown().await;
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn the_demo_org_is_collected_paged_related_kept_and_exported() {
        let cache = tempfile::tempdir().expect("cache");
        let downloads = tempfile::tempdir().expect("downloads");
        let state = state_in(cache.path(), downloads.path());
        let key = tested_demo(&state, "healthy").await;
        assert!(state.current_collection().is_none());
        let seen = std::sync::Mutex::new(Vec::new());
        let view = state
            .start_collection(None, |p| seen.lock().expect("lock").push(p))
            .await
            .expect("collected");
        let users = view
            .categories
            .iter()
            .find(|c| c.category == Category::Users)
            .expect("users");
        assert_eq!(users.status, onboard::collect::Status::Complete);
        assert!(users.collected > 0);
        assert!(seen
            .lock()
            .expect("lock")
            .iter()
            .any(|p| p.phase == CollectPhase::Finished && p.category == Category::Users));
        assert_eq!(
            state.current_collection().map(|v| v.collected_at),
            Some(view.collected_at.clone()),
            "the result is kept to show again"
        );

        let rows = state
            .collection_rows(Category::Users, 0, 5, None, None)
            .await
            .expect("rows");
        assert_eq!(rows.total_matching, users.collected);
        let first = rows.ids[0].clone();
        assert_eq!(
            state
                .collection_row_index(Category::Users, first.clone(), None, None)
                .await
                .expect("index"),
            Some(0)
        );
        let related = state
            .related(Category::Users, first)
            .await
            .expect("related");
        assert!(
            related.iter().any(|r| r.category == Category::UserGroups),
            "{related:?}"
        );

        let exported = state.export_collection().await.expect("export");
        let snapshot = std::fs::read_to_string(PathBuf::from(&exported.path).join(SNAPSHOT_FILE))
            .expect("snapshot");
        assert!(!snapshot.contains(&key), "the export never holds the key");
        assert!(PathBuf::from(&exported.path).join("users.csv").is_file());
        #[cfg(unix)]
        assert_owner_only(std::path::Path::new(&exported.path));

        let folder = state.collection().expect("kept").dir().to_owned();
        assert!(
            folder.starts_with(cache.path()),
            "collections live in the app's cache"
        );
        state.discard_collection();
        assert!(
            !folder.exists(),
            "discarding removes the folder (as on exit)"
        );
        assert!(state.current_collection().is_none());
        state.stop_demo().await;
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_rate_limited_org_is_collected_whole_after_a_retry_free_test() {
        let cache = tempfile::tempdir().expect("cache");
        let downloads = tempfile::tempdir().expect("downloads");
        let state = state_in(cache.path(), downloads.path());
        tested_demo(&state, "rate-limited").await;
        let view = state
            .start_collection(None, |_| {})
            .await
            .expect("collected");
        let short: Vec<_> = view
            .categories
            .iter()
            .filter(|c| c.status != onboard::collect::Status::Complete)
            .map(|c| (c.category, c.reason.clone()))
            .collect();
        assert!(
            short.is_empty(),
            "the collection retries the 429s the Test step only warns about: {short:?}"
        );
        state.stop_demo().await;
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn testing_another_org_drops_the_kept_collection() {
        let cache = tempfile::tempdir().expect("cache");
        let downloads = tempfile::tempdir().expect("downloads");
        let state = state_in(cache.path(), downloads.path());
        tested_demo(&state, "empty-org").await;
        state
            .start_collection(None, |_| {})
            .await
            .expect("collected");
        let folder = state.collection().expect("kept").dir().to_owned();
        tested_demo(&state, "empty-org").await;
        assert!(
            state.current_collection().is_some(),
            "testing the same org again keeps its collection"
        );
        tested_demo(&state, "eu-region").await;
        assert!(
            state.current_collection().is_none(),
            "a new demo org is another org: its preview starts over"
        );
        assert!(!folder.exists());
        state.stop_demo().await;
    }
}
