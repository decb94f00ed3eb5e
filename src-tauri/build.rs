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
    "about",
    "resolve_close",
];

/// The commit being built, for the About screen; "unknown" outside a git checkout (a source
/// tarball). The build script runs again when HEAD moves.
fn build_commit() -> String {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|out| out.status.success())
            .and_then(|out| String::from_utf8(out.stdout).ok())
            .map(|text| text.trim().to_owned())
            .filter(|text| !text.is_empty())
    };
    let Some(commit) = git(&["rev-parse", "--short", "HEAD"]) else {
        return "unknown".to_owned();
    };
    // Only files that exist: a missing one would make cargo run this script on every build.
    let mut watched = vec![git(&["rev-parse", "--git-path", "HEAD"])];
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watched.push(git(&["rev-parse", "--git-path", &branch]));
    }
    watched.push(git(&["rev-parse", "--git-path", "packed-refs"]));
    for path in watched.into_iter().flatten() {
        if std::path::Path::new(&path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    commit
}

fn main() {
    println!("cargo:rustc-env=JC_ONBOARD_BUILD_COMMIT={}", build_commit());
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri build step failed: {error:#}");
    }
}
