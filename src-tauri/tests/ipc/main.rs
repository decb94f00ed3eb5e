//! The IPC commands through Tauri's mock runtime: real command dispatch, ACL and serde, no
//! window; and the recordings of their answers the UI replays ([`fixtures`]).
//!
//! Integration tests (tauri's `test` feature is a dev-dependency), so `cargo test` builds the
//! app binary itself with the same features as everything else in the run: the end-to-end suite
//! and the CI package use that binary, and nothing is compiled a second time for them.

mod fixtures;
mod handover;

use std::sync::Arc;

use jc_onboard_app::clipboard::fake::{FakeClock, MemoryClipboard};
use jc_onboard_app::clipboard::KeyClipboard;

use jc_onboard_app::ipc::{ConnectionRequest, DemoSession};
use jc_onboard_app::window::CloseGuard;
use jc_onboard_app::{AppState, SupportDirs};
use onboard::connections::MemoryStorage;
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::{InvokeRequest, WebviewWindow, WebviewWindowBuilder};
use tauri::Manager;

fn app() -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
    app_with(SupportDirs::default())
}

fn app_with(dirs: SupportDirs) -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
    app_quitting_with(dirs, CloseGuard::new(|| {}))
}

/// The app on the mock runtime; `guard` says how it quits.
fn app_quitting_with(
    dirs: SupportDirs,
    guard: CloseGuard,
) -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let clipboard = Arc::new(MemoryClipboard::default());
    let clock = Arc::new(FakeClock::default());
    app_copying_to(dirs, guard, KeyClipboard::new(clipboard, clock))
}

/// The app with a clipboard and a clock the test holds.
fn app_with_clipboard() -> (
    tauri::App<MockRuntime>,
    WebviewWindow<MockRuntime>,
    Arc<MemoryClipboard>,
    Arc<FakeClock>,
) {
    let clipboard = Arc::new(MemoryClipboard::default());
    let clock = Arc::new(FakeClock::default());
    let keys = KeyClipboard::new(clipboard.clone(), clock.clone());
    let (app, webview) = app_copying_to(SupportDirs::default(), CloseGuard::new(|| {}), keys);
    (app, webview, clipboard, clock)
}

fn app_copying_to(
    dirs: SupportDirs,
    guard: CloseGuard,
    keys: KeyClipboard,
) -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let builder = jc_onboard_app::specta_builder_for::<MockRuntime>();
    let app = mock_builder()
        .invoke_handler(builder.invoke_handler())
        .build(tauri::generate_context!())
        .expect("the app builds on the mock runtime");
    // No keychain is reachable here; the state then offers session-only keys.
    app.manage(
        AppState::new(
            "com.jconboard.wizard.test",
            Box::new(MemoryStorage::default()),
            None,
        )
        .with_dirs(dirs),
    );
    app.manage(guard);
    app.manage(keys);
    let webview = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("the main window, which the capability names");
    (app, webview)
}

fn invoke(webview: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    invoke_from(webview, "tauri://localhost", cmd, args)
}

fn invoke_from(
    webview: &WebviewWindow<MockRuntime>,
    origin: &str,
    cmd: &str,
    args: Value,
) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: origin.parse().expect("url"),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(webview, request).map(|body| body.deserialize::<Value>().expect("JSON answer"))
}

/// Starts the demo org and tests it with the request `credentials` makes of the demo, as the
/// wizard does; returns that demo.
fn tested_with(
    app: &tauri::App<MockRuntime>,
    scenario: &str,
    credentials: impl FnOnce(&DemoSession) -> ConnectionRequest,
) -> DemoSession {
    let state = app.state::<AppState>();
    tauri::async_runtime::block_on(async {
        let demo = state.start_demo(scenario).await.expect("the demo starts");
        let report = state
            .run_checks(&credentials(&demo), |_| {})
            .await
            .expect("checks ran");
        assert!(report.ok, "the {scenario} demo passes: {report:?}");
        demo
    })
}

/// Starts the demo org and tests it with its key; returns the demo key.
fn tested_demo(app: &tauri::App<MockRuntime>, scenario: &str) -> String {
    tested_with(app, scenario, |demo| ConnectionRequest {
        key: demo.api_key.clone(),
        client_id: None,
        org_id: None,
        region: onboard::RegionChoice::Auto,
        demo: true,
    })
    .api_key
}

fn stop_demo(app: &tauri::App<MockRuntime>) {
    tauri::async_runtime::block_on(app.state::<AppState>().stop_demo());
}

#[test]
fn remote_pages_cannot_call_commands() {
    let (_app, webview) = app();
    let refused = invoke_from(&webview, "https://attacker.example", "app_info", json!({}));
    let message = refused
        .expect_err("the capability grants local pages only")
        .to_string();
    assert!(message.contains("not allowed"), "{message}");
}

#[test]
fn shape_feedback_is_computed_in_rust() {
    let (_app, webview) = app();
    let bad = invoke(&webview, "key_shape", json!({"key": "jca_short"})).expect("answers");
    assert_eq!(bad["ok"], false);
    assert!(
        bad["message"]
            .as_str()
            .is_some_and(|m| m.contains("part of it is missing")),
        "{bad}"
    );
    let good = invoke(
        &webview,
        "key_shape",
        json!({"key": format!(" jca_{}\n", "a".repeat(36))}),
    )
    .expect("answers");
    assert_eq!(
        good["ok"], true,
        "whitespace around a pasted key is trimmed: {good}"
    );
    let org = invoke(&webview, "org_shape", json!({"orgId": "xyz"})).expect("answers");
    assert_eq!(org["ok"], false);
}

#[test]
fn app_info_gives_the_check_catalogue_and_keychain_status() {
    let (_app, webview) = app();
    let info = invoke(&webview, "app_info", json!({})).expect("answers");
    let ids: Vec<&str> = info["checks"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert_eq!(
        ids.first(),
        Some(&"key.shape"),
        "the catalogue is in run order"
    );
    assert!(ids.contains(&"role.least_privilege") && ids.contains(&"preview.sample"));
    assert!(info["keychain"]["available"].is_boolean());
}

#[test]
fn preview_before_a_test_says_what_to_do() {
    let (_app, webview) = app();
    let err = invoke(&webview, "preview", json!({})).expect_err("nothing has been tested");
    assert_eq!(
        err["kind"], "not_connected",
        "a small tagged error, not a bare string: {err}"
    );
    assert!(err["fix"]
        .as_str()
        .is_some_and(|f| f.contains("Test connection")));
}

#[test]
fn saving_before_a_passing_test_says_what_to_do() {
    let (_app, webview) = app();
    let save = json!({"req": {"name": "Prod", "manager_attribute": null, "session_only": true}});
    let err = invoke(&webview, "save_connection", save).expect_err("nothing tested yet");
    assert_eq!(err["kind"], "not_connected", "{err}");
}

#[test]
fn saved_connections_are_listed_renamed_and_deleted_without_their_key() {
    let (app, webview) = app();
    let key = tested_demo(&app, "healthy");
    assert_eq!(
        invoke(&webview, "proposed_name", json!({})).expect("a name"),
        "Connection 1"
    );
    let save =
        json!({"req": {"name": "  ", "manager_attribute": " managerEmail ", "session_only": true}});
    let saved = invoke(&webview, "save_connection", save.clone()).expect("saved for the session");
    assert_eq!(
        saved["name"], "Connection 1",
        "an empty name gets the proposed one"
    );
    assert_eq!(saved["region"], "us", "region and org come from the test");
    assert!(saved["org"]["name"].is_string(), "{saved}");
    assert_eq!(saved["manager_attribute"], "managerEmail");
    assert_eq!(saved["demo_scenario"], "healthy");
    assert_eq!(
        saved["key_last_four"],
        format!("…{}", &key[key.len() - 4..]),
        "the key the test used is the one saved"
    );
    assert!(
        !saved.to_string().contains(&key),
        "the key never comes back over IPC"
    );
    assert_eq!(
        invoke(&webview, "proposed_name", json!({})).expect("a name"),
        "Connection 2",
        "a taken name is not proposed again"
    );

    let listed = invoke(&webview, "list_connections", json!({})).expect("list");
    assert_eq!(listed["connections"].as_array().map(Vec::len), Some(1));
    assert!(!listed.to_string().contains(&key));

    let mut second = save.clone();
    second["req"]["name"] = json!("connection 1");
    let err = invoke(&webview, "save_connection", second).expect_err("names are unique, any case");
    assert_eq!(err["kind"], "input");
    assert_eq!(
        err["message"],
        "There is already a connection called \"connection 1\"."
    );

    let id = saved["id"].as_str().expect("id").to_owned();
    let renamed = invoke(
        &webview,
        "rename_connection",
        json!({"id": id, "name": "Production_JumpCloud"}),
    )
    .expect("rename");
    assert_eq!(renamed["name"], "Production_JumpCloud");
    invoke(&webview, "delete_connection", json!({"id": id})).expect("delete");
    let listed = invoke(&webview, "list_connections", json!({})).expect("list");
    assert_eq!(listed["connections"], json!([]));
    stop_demo(&app);
}

/// Starts a service-account demo and tests it with its client ID and secret, as the wizard's
/// service-account path does; returns the client ID and secret.
fn tested_service_account(app: &tauri::App<MockRuntime>, scenario: &str) -> (String, String) {
    let demo = tested_with(app, scenario, |demo| ConnectionRequest {
        key: demo
            .client_secret
            .clone()
            .expect("a service-account scenario's secret"),
        client_id: Some(demo.client_id.clone().expect("and its client ID")),
        org_id: None,
        region: onboard::RegionChoice::Auto,
        demo: true,
    });
    (
        demo.client_id
            .expect("a service-account scenario's client ID"),
        demo.client_secret.expect("and its secret"),
    )
}

#[test]
fn a_saved_service_account_never_shows_its_secret_and_rotates_it() {
    let (app, webview) = app();
    let (client_id, canary) = tested_service_account(&app, "service-account-expiring");
    let save = json!({"req": {"name": "SA", "manager_attribute": null, "session_only": true}});
    let mut answers = vec![];
    let saved = invoke(&webview, "save_connection", save).expect("saved for the session");
    assert_eq!(
        saved["client_id"], client_id,
        "the client ID is kept, not secret"
    );
    let id = saved["id"].as_str().expect("id").to_owned();
    answers.push(saved);
    let listed = invoke(&webview, "list_connections", json!({})).expect("list");
    let words = &listed["words"][0];
    assert_eq!(
        words["id"],
        id.as_str(),
        "the words are about the saved connection"
    );
    assert_eq!(words["kind_label"], "Service account");
    assert_eq!(
        words["rotatable"], true,
        "a service account's secret can be rotated"
    );
    assert_eq!(
        words["expiry_soon"], true,
        "this scenario's secret expires within days"
    );
    let expiry = words["expiry"]
        .as_str()
        .expect("the expiry learned by the test");
    assert!(
        expiry.starts_with("expires in 5 days, on "),
        "a countdown and a date in words: {expiry}"
    );
    assert!(
        !expiry.contains('T') && !expiry.contains('-'),
        "no ISO timestamp: {expiry}"
    );
    answers.push(listed);
    let err = invoke(
        &webview,
        "replace_key",
        json!({"id": id, "key": "two words"}),
    )
    .expect_err("a secret with a space is refused before anything is stored");
    assert_eq!(err["kind"], "input", "{err}");
    answers.push(err);
    answers.push(
        invoke(&webview, "replace_key", json!({"id": id, "key": canary}))
            .expect("a new secret is stored in place of the old one"),
    );
    answers.push(
        invoke(
            &webview,
            "rename_connection",
            json!({"id": id, "name": "SA 2"}),
        )
        .expect("rename"),
    );
    answers.push(invoke(&webview, "list_connections", json!({})).expect("list"));
    answers.push(invoke(&webview, "app_info", json!({})).expect("app info"));
    for answer in &answers {
        assert!(
            !answer.to_string().contains(&canary),
            "the client secret never comes back over IPC after saving: {answer}"
        );
    }
    let state = app.state::<AppState>();
    let report = tauri::async_runtime::block_on(state.retest(&id, |_| {}))
        .expect("the rotated secret is the one read back from the store");
    assert!(
        report.ok,
        "the connection works with its replaced secret: {report:?}"
    );
    assert!(!serde_json::to_string(&report)
        .expect("JSON")
        .contains(&canary));
    stop_demo(&app);
}

mod without_a_secret_service {
    use super::*;

    #[test]
    #[ignore = "needs no session bus at all: JC_KEYCHAIN=absent, DBUS_SESSION_BUS_ADDRESS and DISPLAY unset, -- --ignored"]
    fn a_key_cannot_be_saved_to_a_missing_keychain() {
        let (app, webview) = app();
        assert!(
            !app.state::<AppState>().keychain_status().available,
            "run without a session bus (see scripts/test.sh): this test is about having no keychain"
        );
        tested_demo(&app, "healthy");
        let save =
            json!({"req": {"name": "Prod", "manager_attribute": null, "session_only": false}});
        let err =
            invoke(&webview, "save_connection", save).expect_err("no keychain to keep the key in");
        assert_eq!(err["kind"], "keychain");
        assert!(
            err["fix"]
                .as_str()
                .is_some_and(|f| f.contains("session only")),
            "{err}"
        );
        stop_demo(&app);
    }
}

#[test]
fn demo_scenarios_are_offered_with_plain_labels() {
    let (_app, webview) = app();
    let scenarios = invoke(&webview, "demo_scenarios", json!({})).expect("answers");
    let list = scenarios.as_array().expect("list");
    assert_eq!(list.len(), jc_sim::Scenario::ALL.len());
    assert!(list.iter().all(
        |s| s["label"].as_str().is_some_and(|l| !l.is_empty()) && s["description"].is_string()
    ));
}

#[test]
fn support_summary_and_bundle_of_a_session_only_connection_never_hold_the_key() {
    let temp = tempfile::tempdir().expect("temp dir");
    let logs = temp.path().join("logs");
    std::fs::create_dir_all(&logs).expect("log dir");
    let (app, webview) = app_with(SupportDirs {
        data: Some(temp.path().join("data")),
        logs: Some(logs.clone()),
        bundles: Some(temp.path().join("Downloads")),
        cache: Some(temp.path().join("cache")),
    });
    let canary = tested_demo(&app, "healthy");
    // A log line that (wrongly) holds the key and an email: the bundle must still not.
    std::fs::write(
        logs.join("jc-onboard.2026-11-22.log"),
        format!("INFO checks ran key={canary} admin=jane.doe@example.com\n"),
    )
    .expect("log file");
    let save =
        json!({"req": {"name": "Support test", "manager_attribute": null, "session_only": true}});
    let saved = invoke(&webview, "save_connection", save).expect("saved for the session");
    let id = saved["id"].as_str().expect("id").to_owned();
    let subject = json!({"saved": id});

    let summary = invoke(&webview, "support_summary", json!({"subject": subject}))
        .expect("a summary from the last report");
    let text = summary.as_str().expect("plain text");
    let last_four = format!("…{}", &canary[canary.len() - 4..]);
    for expected in [
        "Support test",
        "Demo organization: healthy",
        "Data center: US",
        "Read Only",
        last_four.as_str(),
        "[pass] JumpCloud accepts the credentials",
    ] {
        assert!(
            text.contains(expected),
            "the summary names {expected:?}:\n{text}"
        );
    }
    assert!(
        !text.contains(&canary),
        "the summary never holds the key:\n{text}"
    );

    let history = invoke(&webview, "connection_history", json!({"id": id})).expect("history");
    assert_eq!(history, json!([]), "no diagnostics run yet");

    let written = invoke(
        &webview,
        "save_support_bundle",
        json!({"subject": subject, "includePersonalData": false}),
    )
    .expect("bundle written");
    let path = std::path::PathBuf::from(written["path"].as_str().expect("path"));
    assert!(path.starts_with(temp.path().join("Downloads")), "{path:?}");
    let bundle = std::fs::read_to_string(&path).expect("bundle file");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path)
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o777,
            0o600,
            "the bundle is readable by its owner only"
        );
    }
    assert!(!bundle.contains(&canary), "the bundle never holds the key");
    assert!(
        !bundle.contains("jane.doe@example.com"),
        "people's emails are hashed by default"
    );
    assert!(
        bundle.contains("checks ran"),
        "recent log lines are in the bundle"
    );
    let summary_current = invoke(&webview, "support_summary", json!({"subject": "current"}))
        .expect("the wizard's tested connection has a summary too");
    assert!(
        !summary_current.to_string().contains(&canary),
        "{summary_current}"
    );

    let missing = invoke(
        &webview,
        "support_summary",
        json!({"subject": {"saved": "nope"}}),
    )
    .expect_err("unknown connection");
    assert_eq!(missing["kind"], "not_found");
    stop_demo(&app);
}

#[test]
fn a_bundle_needs_a_run_first() {
    let temp = tempfile::tempdir().expect("temp dir");
    let (_app, webview) = app_with(SupportDirs {
        bundles: Some(temp.path().to_owned()),
        ..SupportDirs::default()
    });
    let subject = json!("current");
    let err = invoke(
        &webview,
        "save_support_bundle",
        json!({"subject": subject, "includePersonalData": false}),
    )
    .expect_err("nothing ran yet");
    assert_eq!(err["kind"], "not_connected");
    assert!(
        err["fix"]
            .as_str()
            .is_some_and(|f| f.contains("Re-run checks")),
        "{err}"
    );
}

#[test]
fn an_extra_ca_certificate_is_checked_before_it_is_kept() {
    let (_app, webview) = app();
    let garbage = "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----";
    let err =
        invoke(&webview, "set_extra_ca", json!({"pem": garbage})).expect_err("not a certificate");
    assert_eq!(err["kind"], "input");
    assert!(
        err["fix"].as_str().is_some_and(|f| f.contains("PEM")),
        "{err}"
    );
    let settings = invoke(&webview, "network_settings", json!({})).expect("answers");
    assert_eq!(
        settings["extra_ca_pem"],
        Value::Null,
        "a refused certificate is not kept"
    );

    let pem = include_str!("../../../crates/cli/tests/fixtures/extra-ca.pem");
    let saved = invoke(
        &webview,
        "set_extra_ca",
        json!({"pem": format!("\n{pem}\n")}),
    )
    .expect("a real CA certificate");
    assert_eq!(
        saved["extra_ca_pem"].as_str(),
        Some(pem.trim()),
        "kept, trimmed"
    );
    let cleared = invoke(&webview, "set_extra_ca", json!({"pem": null})).expect("removed");
    assert_eq!(cleared["extra_ca_pem"], Value::Null);
    assert!(
        cleared["proxies"].is_array(),
        "the proxy variables in use are listed"
    );
}

#[test]
fn collection_commands_before_a_test_or_a_collection_say_what_to_do() {
    let (_app, webview) = app();
    let rows = invoke(
        &webview,
        "collection_rows",
        json!({"category": "users", "offset": 0, "limit": 50, "search": null, "sort": null}),
    )
    .expect_err("nothing collected yet");
    assert_eq!(rows["kind"], "not_found");
    assert!(rows["fix"].as_str().is_some_and(|f| f.contains("Collect")));
    let index = invoke(
        &webview,
        "collection_row_index",
        json!({"category": "users", "id": "u1", "search": null, "sort": null}),
    )
    .expect_err("nothing collected yet");
    assert_eq!(index["kind"], "not_found");
    let related = invoke(
        &webview,
        "related",
        json!({"category": "users", "id": "u1"}),
    )
    .expect_err("nothing collected yet");
    assert_eq!(related["kind"], "not_found");
    let record = invoke(
        &webview,
        "collection_record",
        json!({"category": "users", "id": "u1"}),
    )
    .expect_err("nothing collected yet");
    assert_eq!(record["kind"], "not_found");
    let export = invoke(&webview, "export_collection", json!({})).expect_err("nothing to export");
    assert_eq!(export["kind"], "not_found");
    invoke(&webview, "cancel_collection", json!({})).expect("cancelling nothing is fine");
}

#[test]
fn about_names_the_build_and_the_folders_in_use() {
    let temp = tempfile::tempdir().expect("temp dir");
    let (_app, webview) = app_with(SupportDirs {
        data: Some(temp.path().join("data")),
        logs: Some(temp.path().join("data/logs")),
        cache: Some(temp.path().join("cache")),
        ..SupportDirs::default()
    });
    let about = invoke(&webview, "about", json!({})).expect("answers");
    assert_eq!(
        about["version"],
        env!("CARGO_PKG_VERSION"),
        "the workspace version"
    );
    assert_eq!(about["license"], "MIT");
    let commit = about["commit"].as_str().expect("a commit");
    assert!(
        commit == "unknown" || (commit.len() >= 7 && commit.chars().all(|c| c.is_ascii_hexdigit())),
        "a short commit id, or unknown outside git: {commit}"
    );
    let shown = |field: &str| std::path::PathBuf::from(about[field].as_str().unwrap_or_default());
    assert_eq!(shown("data_folder"), temp.path().join("data"));
    assert_eq!(shown("log_folder"), temp.path().join("data/logs"));
    assert_eq!(
        shown("collections_folder"),
        temp.path().join("cache").join("collections"),
        "where collections are really worked on"
    );
    assert!(
        about["help_address"]
            .as_str()
            .is_some_and(|a| a.starts_with("https://") && a.ends_with("#readme")),
        "the README's address, from the workspace's repository: {about}"
    );
}

#[test]
fn answering_a_close_keeps_collecting_or_quits() {
    let quits = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = std::sync::Arc::clone(&quits);
    let (_app, webview) = app_quitting_with(
        SupportDirs::default(),
        CloseGuard::new(move || {
            counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }),
    );
    let count = || quits.load(std::sync::atomic::Ordering::SeqCst);
    invoke(&webview, "resolve_close", json!({"close": false})).expect("keep collecting");
    assert_eq!(count(), 0, "\"keep collecting\" leaves the app running");
    invoke(&webview, "resolve_close", json!({"close": true})).expect("stop and close");
    assert_eq!(count(), 1, "\"stop and close\" quits the app, once");
}
