//! The IPC commands: each takes state, calls into `onboard` (through `AppState`), maps the error.

use jc_api::Region;
use onboard::connections::SavedConnection;
use onboard::preview::PreviewData;
use onboard::{CheckEvent, Report, ShapeFeedback};
use tauri::ipc::Channel;
use tauri::State;

use crate::error::{UiError, UiErrorKind};
use crate::ipc::*;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        keychain: state.keychain_status.clone(),
        checks: onboard::catalogue(),
    }
}

#[tauri::command]
#[specta::specta]
pub fn demo_scenarios() -> Vec<DemoScenario> {
    jc_sim::Scenario::ALL
        .iter()
        .map(|s| DemoScenario {
            id: s.to_string(),
            label: crate::scenario_label(*s).to_owned(),
            description: s.describe().to_owned(),
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

#[tauri::command]
#[specta::specta]
pub fn org_shape(org_id: String) -> ShapeFeedback {
    onboard::org_feedback(&org_id)
}

#[tauri::command]
#[specta::specta]
pub async fn run_checks(
    state: State<'_, AppState>,
    req: ConnectionRequest,
    on_event: Channel<CheckEvent>,
) -> Result<Report, UiError> {
    state.run_checks(&req, |e| drop(on_event.send(e))).await
}

#[tauri::command]
#[specta::specta]
pub async fn preview(
    state: State<'_, AppState>,
    req: ConnectionRequest,
) -> Result<PreviewData, UiError> {
    let _ = req;
    state.preview().await
}

#[tauri::command]
#[specta::specta]
pub fn list_connections(state: State<'_, AppState>) -> Result<ConnectionList, UiError> {
    state.list()
}

#[tauri::command]
#[specta::specta]
pub async fn save_connection(
    state: State<'_, AppState>,
    req: SaveRequest,
) -> Result<SavedConnection, UiError> {
    state.save(req).await
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

#[tauri::command]
#[specta::specta]
pub fn rename_connection(
    state: State<'_, AppState>,
    id: String,
    name: String,
) -> Result<SavedConnection, UiError> {
    state.rename(&id, &name)
}

#[tauri::command]
#[specta::specta]
pub fn replace_key(
    state: State<'_, AppState>,
    id: String,
    key: String,
) -> Result<SavedConnection, UiError> {
    state.replace_key(&id, &key)
}

#[tauri::command]
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
