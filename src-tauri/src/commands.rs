//! The IPC commands: each takes state, calls into `onboard` (through `AppState`), maps the error.
//!
//! A plain `fn` command runs on the main thread, which also paints the window: only the instant
//! ones that take no state are plain. Every command that takes the app's state (the store, the
//! keychain, files, the collection's lock) is `async` or `#[tauri::command(async)]`, so a slow
//! disk or a keychain asking to be unlocked never freezes the window, and the first screen's
//! questions are answered while it paints.

use jc_api::Region;
use onboard::collect::browse::{RecordDetail, RelatedItem, RowPage, SortSpec};
use onboard::connections::SavedConnection;
use onboard::platforms::{PlatformId, PlatformSummary};
use onboard::preview::PreviewData;
use onboard::{Category, CheckEvent, Report, ShapeFeedback};
use tauri::ipc::Channel;
use tauri::State;

use crate::about::About;
use crate::clipboard::KeyClipboard;
use crate::error::{UiError, UiErrorKind};
use crate::ipc::*;
use crate::state::AppState;
use crate::window::{CloseGuard, CloseWhileCollecting};

#[tauri::command(async)]
#[specta::specta]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        keychain: state.keychain_status(),
        checks: onboard::catalogue(),
    }
}

/// Every call the product makes, with its purpose and the permission it needs, the secrets it
/// never collects and the custom role recipe: the call table, for Welcome's "What is collected".
#[tauri::command]
#[specta::specta]
pub fn call_reference() -> onboard::permissions::Reference {
    onboard::permissions::reference(None)
}

#[tauri::command]
#[specta::specta]
pub fn demo_scenarios() -> Vec<DemoScenario> {
    jc_sim::Scenario::ALL
        .iter()
        .map(|s| DemoScenario {
            id: s.to_string(),
            label: crate::scenario_label(*s).to_owned(),
            description: s.plain().to_owned(),
            technical: s.describe().to_owned(),
        })
        .collect()
}

#[tauri::command]
#[specta::specta]
pub async fn start_demo(
    state: State<'_, AppState>,
    scenario: String,
) -> Result<DemoSession, UiError> {
    state.start_demo(&scenario).await
}

#[tauri::command]
#[specta::specta]
pub async fn stop_demo(state: State<'_, AppState>) -> Result<(), UiError> {
    state.stop_demo().await;
    Ok(())
}

#[tauri::command]
#[specta::specta]
pub fn key_shape(key: String) -> ShapeFeedback {
    onboard::key_feedback(&key)
}

/// A service account's client ID and secret, checked as they are typed; nothing is sent.
#[tauri::command]
#[specta::specta]
pub fn client_credentials_shape(client_id: String, secret: String) -> ShapeFeedback {
    onboard::client_credentials_feedback(&client_id, &secret)
}

#[tauri::command]
#[specta::specta]
pub fn org_shape(org_id: String) -> ShapeFeedback {
    onboard::org_feedback(&org_id)
}

/// Tests what the user entered: the one time the wizard sends the key. What the test found
/// stays in the app for the preview, the save and the diagnostics.
#[tauri::command]
#[specta::specta]
pub async fn run_checks(
    state: State<'_, AppState>,
    req: ConnectionRequest,
    on_event: Channel<CheckEvent>,
) -> Result<Report, UiError> {
    state.run_checks(&req, |e| drop(on_event.send(e))).await
}

/// Counts and first rows, read with the connection the wizard's last passing test resolved.
#[tauri::command]
#[specta::specta]
pub async fn preview(state: State<'_, AppState>) -> Result<PreviewData, UiError> {
    state.preview().await
}

#[tauri::command(async)]
#[specta::specta]
pub fn list_connections(state: State<'_, AppState>) -> Result<ConnectionList, UiError> {
    state.list()
}

/// The name the Save step offers: the platform's convention (Axiom's `Acme_Jumpcloud`), or
/// "Connection N", the first N no saved connection has.
#[tauri::command(async)]
#[specta::specta]
pub fn proposed_name(
    state: State<'_, AppState>,
    platform: Option<PlatformId>,
) -> Result<String, UiError> {
    state.proposed_name(platform)
}

/// The platforms a connection can be handed over to, for the Platform step: what each asks
/// for, which credentials fit it, which categories it uses.
#[tauri::command]
#[specta::specta]
pub fn platforms() -> Vec<PlatformSummary> {
    onboard::platforms::summaries()
}

/// The hand-over the Save step's fields would make for the tested connection, with what to
/// fix before saving (an owner email that is not one, a manager field holding names).
#[tauri::command]
#[specta::specta]
pub async fn wizard_handover(
    state: State<'_, AppState>,
    details: PlatformDetails,
) -> Result<HandoverView, UiError> {
    state.wizard_handover(details).await
}

/// What to paste into a saved connection's platform, in its order; `new_key` after the key
/// was replaced (the platform still holds the revoked one). The key is not in it.
#[tauri::command(async)]
#[specta::specta]
pub fn connection_handover(
    state: State<'_, AppState>,
    id: String,
    new_key: bool,
) -> Result<HandoverView, UiError> {
    state.connection_handover(&id, new_key)
}

/// Puts a saved connection's key on the clipboard from the keychain, and clears it after a
/// minute if it is still there. The key never reaches the webview: only its last four do.
#[tauri::command(async)]
#[specta::specta]
pub fn copy_handover_key(
    state: State<'_, AppState>,
    clipboard: State<'_, KeyClipboard>,
    id: String,
) -> Result<KeyCopied, UiError> {
    state.copy_handover_key(&id, &clipboard)
}

/// Saves the wizard's last passing test with the name and choices from the Save step.
#[tauri::command(async)]
#[specta::specta]
pub fn save_connection(
    state: State<'_, AppState>,
    req: SaveRequest,
) -> Result<SavedConnection, UiError> {
    state.save(req)
}

#[tauri::command]
#[specta::specta]
pub async fn retest_connection(
    state: State<'_, AppState>,
    id: String,
    on_event: Channel<CheckEvent>,
) -> Result<Report, UiError> {
    state.retest(&id, |e| drop(on_event.send(e))).await
}

#[tauri::command(async)]
#[specta::specta]
pub fn rename_connection(
    state: State<'_, AppState>,
    id: String,
    name: String,
) -> Result<SavedConnection, UiError> {
    state.rename(&id, &name)
}

#[tauri::command(async)]
#[specta::specta]
pub fn replace_key(
    state: State<'_, AppState>,
    id: String,
    key: String,
) -> Result<SavedConnection, UiError> {
    state.replace_key(&id, &key)
}

#[tauri::command(async)]
#[specta::specta]
pub fn delete_connection(state: State<'_, AppState>, id: String) -> Result<(), UiError> {
    state.delete(&id)
}

/// Opens the region's JumpCloud console in the system browser; the webview never navigates away.
#[tauri::command]
#[specta::specta]
pub fn open_console(region: Option<Region>, page: ConsolePage) -> Result<(), UiError> {
    let url = crate::console_link(region, page);
    tauri_plugin_opener::open_url(&url, None::<&str>).map_err(|e| {
        UiError::new(
            UiErrorKind::Input,
            format!("The browser could not be opened ({e})."),
            format!("Open {url} in your browser."),
        )
    })
}

/// Re-runs the checks for a saved connection (recording the run in its history) or for the
/// wizard's current connection, and explains the result for support.
#[tauri::command]
#[specta::specta]
pub async fn diagnose_connection(
    state: State<'_, AppState>,
    subject: DiagnosticsSubject,
    on_event: Channel<CheckEvent>,
) -> Result<Diagnostics, UiError> {
    state.diagnose(&subject, |e| drop(on_event.send(e))).await
}

/// Earlier runs of a saved connection's checks, oldest first.
#[tauri::command(async)]
#[specta::specta]
pub fn connection_history(
    state: State<'_, AppState>,
    id: String,
) -> Result<Vec<onboard::support::HistoryEntry>, UiError> {
    state.history(&id)
}

/// A short plain-text report for a support ticket, from the last run; never holds the key.
#[tauri::command(async)]
#[specta::specta]
pub fn support_summary(
    state: State<'_, AppState>,
    subject: DiagnosticsSubject,
) -> Result<String, UiError> {
    state.summary(&subject, env!("CARGO_PKG_VERSION"))
}

/// Writes a redacted support bundle to the Downloads (or Documents) folder; returns where.
#[tauri::command(async)]
#[specta::specta]
pub fn save_support_bundle(
    state: State<'_, AppState>,
    subject: DiagnosticsSubject,
    include_personal_data: bool,
) -> Result<SavedBundle, UiError> {
    state.save_bundle(&subject, include_personal_data, env!("CARGO_PKG_VERSION"))
}

/// Opens the folder with the app's log files; returns its path.
#[tauri::command(async)]
#[specta::specta]
pub fn open_log_folder(state: State<'_, AppState>) -> Result<String, UiError> {
    open_folder(&state.log_dir()?)
}

/// Opens the folder support bundles are saved in; returns its path.
#[tauri::command(async)]
#[specta::specta]
pub fn open_bundle_folder(state: State<'_, AppState>) -> Result<String, UiError> {
    open_folder(&state.bundle_dir()?)
}

fn open_folder(dir: &std::path::Path) -> Result<String, UiError> {
    let shown = dir.display().to_string();
    if let Err(error) = std::fs::create_dir_all(dir) {
        tracing::warn!(%error, "the folder could not be created");
    }
    tauri_plugin_opener::open_path(dir, None::<&str>).map_err(|e| {
        UiError::new(
            UiErrorKind::Input,
            format!("The folder could not be opened ({e})."),
            format!("Open {shown} in your file manager."),
        )
    })?;
    Ok(shown)
}

/// Opens the console page where a diagnosed cause is fixed. The address comes from the cause
/// table, never from the webview.
#[tauri::command]
#[specta::specta]
pub fn open_cause_link(cause_id: String, region: Option<Region>) -> Result<(), UiError> {
    let url = onboard::support::cause(&cause_id)
        .and_then(|c| c.link(region))
        .ok_or_else(|| {
            UiError::new(
                UiErrorKind::NotFound,
                "There is no console page for this problem.",
                "Follow the steps in the fix instead.",
            )
        })?;
    tauri_plugin_opener::open_url(&url, None::<&str>).map_err(|e| {
        UiError::new(
            UiErrorKind::Input,
            format!("The browser could not be opened ({e})."),
            format!("Open {url} in your browser."),
        )
    })
}

#[tauri::command(async)]
#[specta::specta]
pub fn network_settings(state: State<'_, AppState>) -> NetworkSettings {
    state.network_settings()
}

/// Trusts one more CA certificate (PEM) for a TLS-inspecting company proxy; `null` removes it.
#[tauri::command(async)]
#[specta::specta]
pub fn set_extra_ca(
    state: State<'_, AppState>,
    pem: Option<String>,
) -> Result<NetworkSettings, UiError> {
    state.set_extra_ca(pem)
}

/// Collects every category with the tested connection into a fresh folder; progress per
/// category streams over `on_progress`.
#[tauri::command]
#[specta::specta]
pub async fn start_collection(
    state: State<'_, AppState>,
    manager_attribute: Option<String>,
    on_progress: Channel<CollectProgress>,
) -> Result<CollectionView, UiError> {
    state
        .start_collection(manager_attribute, move |p| drop(on_progress.send(p)))
        .await
}

/// Stops the running collection; what was fetched is kept.
#[tauri::command(async)]
#[specta::specta]
pub fn cancel_collection(state: State<'_, AppState>) {
    state.cancel_collection();
}

/// One page (at most 200 rows) of a collected category, searched and sorted.
#[tauri::command]
#[specta::specta]
pub async fn collection_rows(
    state: State<'_, AppState>,
    category: Category,
    offset: u32,
    limit: u32,
    search: Option<String>,
    sort: Option<SortSpec>,
) -> Result<RowPage, UiError> {
    state
        .collection_rows(category, offset, limit, search, sort)
        .await
}

/// Where a record is among a category's rows (searched and sorted), so the table can scroll to
/// it; `null` when the search leaves it out.
#[tauri::command]
#[specta::specta]
pub async fn collection_row_index(
    state: State<'_, AppState>,
    category: Category,
    id: String,
    search: Option<String>,
    sort: Option<SortSpec>,
) -> Result<Option<u32>, UiError> {
    state.collection_row_index(category, id, search, sort).await
}

/// Every field of one collected record.
#[tauri::command]
#[specta::specta]
pub async fn collection_record(
    state: State<'_, AppState>,
    category: Category,
    id: String,
) -> Result<RecordDetail, UiError> {
    state.collection_record(category, id).await
}

/// The records related to one: groups, applications, users, devices, policy results.
#[tauri::command]
#[specta::specta]
pub async fn related(
    state: State<'_, AppState>,
    category: Category,
    id: String,
) -> Result<Vec<RelatedItem>, UiError> {
    state.related(category, id).await
}

/// The last finished collection of the tested connection, to show again after leaving the
/// Preview step; `null` when there is none.
#[tauri::command(async)]
#[specta::specta]
pub fn current_collection(state: State<'_, AppState>) -> Option<CollectionView> {
    state.current_collection()
}

/// Copies snapshot.json, the CSVs and the logos into a new folder under Downloads; returns where.
#[tauri::command]
#[specta::specta]
pub async fn export_collection(state: State<'_, AppState>) -> Result<ExportedCollection, UiError> {
    state.export_collection().await
}

/// Version, build, license and the folders the app uses on this computer.
#[tauri::command(async)]
#[specta::specta]
pub fn about(state: State<'_, AppState>) -> About {
    crate::about::about(&state)
}

/// The screens listen here for the window being closed while a collection runs: the close is
/// held back and they ask the person, then answer with `resolve_close`.
#[tauri::command]
#[specta::specta]
pub fn watch_close(guard: State<'_, CloseGuard>, on_ask: Channel<CloseWhileCollecting>) {
    guard.watch(on_ask);
}

/// The answer to a close during a collection: true stops it and closes the app (its folder is
/// removed on the way out), false keeps collecting.
#[tauri::command]
#[specta::specta]
pub async fn resolve_close(
    state: State<'_, AppState>,
    guard: State<'_, CloseGuard>,
    close: bool,
) -> Result<(), UiError> {
    guard.resolve(&state, close).await;
    Ok(())
}
