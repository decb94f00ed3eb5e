/// The app's own commands, declared so capabilities can grant them one by one.
const COMMANDS: &[&str] = &[
    "app_info",
    "demo_scenarios",
    "start_demo",
    "stop_demo",
    "key_shape",
    "org_shape",
    "run_checks",
    "preview",
    "list_connections",
    "save_connection",
    "retest_connection",
    "rename_connection",
    "replace_key",
    "delete_connection",
    "open_console",
    "diagnose_connection",
    "connection_history",
    "support_summary",
    "save_support_bundle",
    "open_log_folder",
    "open_bundle_folder",
    "open_cause_link",
    "network_settings",
    "set_extra_ca",
    "start_collection",
    "cancel_collection",
    "collection_rows",
    "collection_row_index",
    "collection_record",
    "related",
    "current_collection",
    "export_collection",
];

fn main() {
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri build step failed: {error:#}");
    }
}
