//! The full collection from the app: run it into a private folder, keep the result to reopen
//! while the same connection is in use, and browse it through `onboard::collect::browse`. File
//! work runs off the async threads.

use std::path::PathBuf;
use std::sync::{Arc, PoisonError};

use jc_api::Client;
use onboard::collect::browse::{
    BrowseError, Collection, RecordDetail, RelatedItem, RowPage, RowQuery, SortSpec,
};
use onboard::collect::{
    collect, CancelToken, Category, CollectOptions, CollectSummary, ManagerSource, Progress,
};

use super::scratch::ScratchDir;
use super::AppState;
use crate::error::{UiError, UiErrorKind};
use crate::ipc::{CategoryView, CollectProgress, CollectionView, ExportedCollection};

/// The running collection's cancel token and the last finished one.
#[derive(Default)]
pub struct CollectionSlot {
    cancel: Option<CancelToken>,
    /// Counts the collections started; only the latest one's result is kept.
    run: u64,
    last: Option<Kept>,
}

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

/// While it lives, collection `run` counts as running; it ends however the run ends (finished,
/// failed, or dropped with the app).
struct Running<'a> {
    state: &'a AppState,
    run: u64,
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        let mut slot = self.state.slot();
        if slot.run == self.run {
            slot.cancel = None;
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

fn category(name: &str) -> Result<Category, UiError> {
    name.parse()
        .map_err(|e: onboard::collect::UnknownCategory| {
            UiError::new(
                UiErrorKind::Input,
                e.to_string(),
                "Pick a tab from the list.",
            )
        })
}

fn query(search: Option<String>, sort: Option<SortSpec>) -> RowQuery {
    RowQuery { search, sort }
}

fn view(summary: &CollectSummary, collection: &Collection) -> Result<CollectionView, UiError> {
    let findings = collection.findings(time::OffsetDateTime::now_utc())?;
    Ok(CollectionView {
        categories: summary
            .categories
            .iter()
            .map(|c| CategoryView {
                category: c.category.as_str().to_owned(),
                label: c.category.label().to_owned(),
                status: c.status.as_str().to_owned(),
                collected: c.collected,
                total: c.total,
                reason: c.reason.clone(),
                notes: c.notes.clone(),
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
        Progress::Started(c) => (c, "started", 0, None, 0, None),
        Progress::Advanced {
            category,
            collected,
            total,
            pages,
        } => (category, "running", collected, total, pages, None),
        Progress::Finished(r) => (
            r.category,
            "finished",
            r.collected,
            r.total,
            r.pages,
            Some(r.status.as_str().to_owned()),
        ),
    };
    CollectProgress {
        category: category.as_str().to_owned(),
        label: category.label().to_owned(),
        phase: phase.to_owned(),
        collected,
        total,
        pages,
        status,
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
        self.slot().cancel.is_some()
    }

    /// Drops the kept collection and removes its folder (on exit, or a new connection).
    pub fn discard_collection(&self) {
        let mut slot = self.slot();
        if let Some(cancel) = slot.cancel.take() {
            cancel.cancel();
        }
        slot.last = None;
    }

    /// A newly tested connection: a collection of another org is no longer what the wizard
    /// previews, so it goes.
    pub(super) fn connection_tested(&self, client: &Client) {
        let source = Source::of(client);
        let mut slot = self.slot();
        if slot.last.as_ref().is_some_and(|kept| kept.source != source) {
            slot.last = None;
        }
    }

    pub async fn start_collection(
        &self,
        manager_attribute: Option<String>,
        on_progress: impl Fn(CollectProgress) + Send + Sync,
    ) -> Result<CollectionView, UiError> {
        let client = self
            .tested
            .lock()
            .await
            .clone()
            .ok_or_else(UiError::not_connected)?;
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
            if let Some(old) = slot.cancel.replace(cancel.clone()) {
                old.cancel();
            }
            slot.run += 1;
            slot.run
        };
        let _running = Running { state: self, run };
        let options = CollectOptions {
            manager: ManagerSource::from_name(manager_attribute.as_deref()),
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            keep_records: true,
            ..CollectOptions::new(folder.path())
        };
        let report = move |p: Progress| on_progress(progress_of(p));
        let summary = collect(&client, &options, &cancel, &report)
            .await
            .map_err(|e| failed(format!("The collection stopped: {e}.")))?;
        let path = folder.path().to_owned();
        let (collection, view) = blocking(move || {
            let collection = Collection::open(path)?;
            let view = view(&summary, &collection)?;
            Ok((collection, view))
        })
        .await?;
        let mut slot = self.slot();
        if slot.run != run {
            return Err(UiError::new(
                UiErrorKind::Input,
                "A newer collection replaced this one.",
                "Wait for the newer collection to finish.",
            ));
        }
        slot.cancel = None;
        slot.last = Some(Kept {
            collection: Arc::new(collection),
            view: view.clone(),
            source: Source::of(&client),
            _folder: folder,
        });
        Ok(view)
    }

    pub fn cancel_collection(&self) {
        if let Some(cancel) = &self.slot().cancel {
            cancel.cancel();
        }
    }

    /// The last finished collection of the tested connection, to show again.
    pub fn current_collection(&self) -> Option<CollectionView> {
        self.slot().last.as_ref().map(|kept| kept.view.clone())
    }

    pub async fn collection_rows(
        &self,
        category_name: &str,
        offset: u32,
        limit: u32,
        search: Option<String>,
        sort: Option<SortSpec>,
    ) -> Result<RowPage, UiError> {
        let category = category(category_name)?;
        let collection = self.collection()?;
        blocking(move || {
            Ok(collection.page(category, &query(search, sort), offset.into(), limit)?)
        })
        .await
    }

    pub async fn collection_row_index(
        &self,
        category_name: &str,
        id: String,
        search: Option<String>,
        sort: Option<SortSpec>,
    ) -> Result<Option<u32>, UiError> {
        let category = category(category_name)?;
        let collection = self.collection()?;
        let index =
            blocking(move || Ok(collection.row_index(category, &query(search, sort), &id)?))
                .await?;
        Ok(index.and_then(|i| u32::try_from(i).ok()))
    }

    pub async fn collection_record(
        &self,
        category_name: &str,
        id: String,
    ) -> Result<RecordDetail, UiError> {
        let category = category(category_name)?;
        let collection = self.collection()?;
        blocking(move || Ok(collection.detail(category, &id)?)).await
    }

    pub async fn related(
        &self,
        category_name: &str,
        id: String,
    ) -> Result<Vec<RelatedItem>, UiError> {
        let category = category(category_name)?;
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
    use crate::ipc::{ConnectionRequest, RegionChoice};
    use onboard::collect::SNAPSHOT_FILE;

    async fn tested_demo(state: &AppState, scenario: &str) -> String {
        let demo = state.start_demo(scenario).await.expect("demo");
        let request = ConnectionRequest {
            key: demo.api_key.clone(),
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
            .find(|c| c.category == "users")
            .expect("users");
        assert_eq!(users.status, "complete");
        assert!(users.collected > 0);
        assert!(seen
            .lock()
            .expect("lock")
            .iter()
            .any(|p| p.phase == "finished" && p.category == "users"));
        assert_eq!(
            state.current_collection().map(|v| v.collected_at),
            Some(view.collected_at.clone()),
            "the result is kept to show again"
        );

        let rows = state
            .collection_rows("users", 0, 5, None, None)
            .await
            .expect("rows");
        assert_eq!(rows.total_matching, users.collected);
        let first = rows.ids[0].clone();
        assert_eq!(
            state
                .collection_row_index("users", first.clone(), None, None)
                .await
                .expect("index"),
            Some(0)
        );
        let related = state.related("users", first).await.expect("related");
        assert!(
            related.iter().any(|r| r.category == Category::UserGroups),
            "{related:?}"
        );

        let exported = state.export_collection().await.expect("export");
        let snapshot = std::fs::read_to_string(PathBuf::from(&exported.path).join(SNAPSHOT_FILE))
            .expect("snapshot");
        assert!(!snapshot.contains(&key), "the export never holds the key");
        assert!(PathBuf::from(&exported.path).join("users.csv").is_file());

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
