//! Records what the app's commands answer, scenario by scenario of the demo organization, as
//! the JSON the UI receives, into `ui/src/fixtures/`. The UI's component tests and its
//! plain-browser demo replay these answers, so no screen is tested against behaviour Rust does
//! not have. CI fails when a committed recording is stale, as for the bindings.
//!
//! Answers that depend on the machine or the moment (loopback ports, latencies, request ids,
//! timestamps, random connection ids, temporary folders) are replaced by fixed stand-ins, and
//! events are kept in the order of the check catalogue, so a recording changes only when what
//! the app says changes. The `rate-limited`, `flaky` and `slow` scenarios are not recorded:
//! their answers depend on timing.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use jc_sim::Scenario;
use serde::Serialize;
use serde_json::{json, Value};
use tauri::ipc::{Channel, InvokeResponseBody};
use tauri::test::MockRuntime;
use tauri::Manager;

use jc_onboard_app::clipboard::fake::{FakeClock, MemoryClipboard};
use jc_onboard_app::clipboard::KeyClipboard;
use jc_onboard_app::commands;
use jc_onboard_app::ipc::{ConnectionRequest, DiagnosticsSubject, SaveRequest};
use jc_onboard_app::window::CloseGuard;
use jc_onboard_app::{AppState, SupportDirs, UiError};
use onboard::collect::browse::SortSpec;
use onboard::display::Clock;
use onboard::platforms::PlatformId;
use onboard::{Category, RegionChoice};
use time::macros::{datetime, offset};

/// When the recordings are made, and the time zone their dates are shown in (New York in
/// winter), so a recording reads the same whenever and wherever it is made.
const RECORDED_AT: Clock = Clock::fixed(datetime!(2026-11-22 09:30 UTC), offset!(-5));

/// Where the recordings are written, relative to this crate.
pub const FIXTURES_DIR: &str = "../ui/src/fixtures";

/// Scenarios whose answers depend on timing (a rate limit, every third request failing, three
/// seconds an answer): not recorded.
const TIMED: [Scenario; 3] = [Scenario::RateLimited, Scenario::Flaky, Scenario::Slow];

/// Shape feedback is recorded for these inputs (and each scenario's own key).
const KEY_INPUTS: [&str; 6] = [
    "",
    "jca_abc123",
    "jca_short",
    "jca_has space inside the key and more text",
    "not-a-key!",
    "0123456789abcdef0123456789abcdef01234567",
];
const ORG_INPUTS: [&str; 4] = ["", "12345", "xyz", "5d2f7024f0e1526be4df38e7"];
/// Shape feedback on a service account's client ID and secret (and each scenario's own pair).
const CLIENT_INPUTS: [(&str, &str); 3] = [
    ("rcnjdabr-djalfrwgivxp", "short"),
    (
        "rcnjdabr-djalfrwgivxp",
        "has a space inside it and more text after it, far too long",
    ),
    ("", "MQ2HiLEEA1LEHwjNAwXZsyqi4QOoprr5yifFgXmOHj2s2Ynl"),
];

/// One recorded call: the command (as the UI's backend names it), its arguments in order,
/// the events it sent, and its answer or error.
#[derive(Debug, Serialize)]
struct Call {
    command: String,
    args: Vec<Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    events: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ok: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<Value>,
}

struct Recorder {
    app: tauri::App<MockRuntime>,
    calls: Vec<Call>,
    dirs: tempfile::TempDir,
}

/// Events sent over a channel, as the UI receives them.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<Value>>>);

impl Captured {
    fn channel<T: Serialize>(&self) -> Channel<T> {
        let events = Arc::clone(&self.0);
        Channel::new(move |body| {
            if let InvokeResponseBody::Json(text) = body {
                let value = serde_json::from_str(&text).unwrap_or(Value::Null);
                events.lock().unwrap_or_else(|p| p.into_inner()).push(value);
            }
            Ok(())
        })
    }

    fn take(&self) -> Vec<Value> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

fn camel(command: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in command.chars() {
        match (c, upper) {
            ('_', _) => upper = true,
            (c, true) => {
                out.extend(c.to_uppercase());
                upper = false;
            }
            (c, false) => out.push(c),
        }
    }
    out
}

impl Recorder {
    fn new() -> Recorder {
        let dirs = tempfile::tempdir().expect("a temp dir");
        let app = tauri::test::mock_builder()
            .build(tauri::generate_context!())
            .expect("the app builds on the mock runtime");
        app.manage(
            AppState::new(
                "com.jconboard.wizard.fixtures",
                Box::new(onboard::connections::MemoryStorage::default()),
                None,
            )
            .with_dirs(SupportDirs {
                data: Some(dirs.path().join("data")),
                logs: Some(dirs.path().join("logs")),
                bundles: Some(dirs.path().join("Downloads")),
                cache: Some(dirs.path().join("cache")),
            })
            .with_clock(RECORDED_AT),
        );
        app.manage(CloseGuard::new(|| {}));
        app.manage(KeyClipboard::new(
            Arc::new(MemoryClipboard::default()),
            Arc::new(FakeClock::default()),
        ));
        Recorder {
            app,
            calls: Vec::new(),
            dirs,
        }
    }

    fn state(&self) -> tauri::State<'_, AppState> {
        self.app.state::<AppState>()
    }

    /// Records the answer of a command that cannot fail.
    fn answered<T: Serialize>(
        &mut self,
        command: &str,
        args: Vec<Value>,
        answer: T,
    ) -> Option<Value> {
        self.keep(command, args, Vec::new(), Ok::<_, UiError>(answer))
    }

    /// Records one answer and hands it back to the script.
    fn keep<T: Serialize>(
        &mut self,
        command: &str,
        args: Vec<Value>,
        events: Vec<Value>,
        answer: Result<T, UiError>,
    ) -> Option<Value> {
        let (ok, error) = match answer {
            Ok(value) => (
                Some(serde_json::to_value(value).expect("an answer serializes")),
                None,
            ),
            Err(error) => (
                None,
                Some(serde_json::to_value(error).expect("an error serializes")),
            ),
        };
        self.calls.push(Call {
            command: camel(command),
            args,
            events,
            ok: ok.clone(),
            error,
        });
        ok
    }

    /// The recording, with this recorder's folders shown as a home folder.
    fn tape(self, name: &str) -> Value {
        let text = serde_json::to_string(&json!({"scenario": name, "calls": self.calls}))
            .expect("a tape serializes");
        let root = serde_json::to_string(&self.dirs.path().display().to_string())
            .expect("a path serializes");
        let root = root.trim_matches('"');
        serde_json::from_str(&text.replace(root, "/home/you")).expect("still JSON")
    }

    fn block<T>(&self, work: impl std::future::Future<Output = T>) -> T {
        tauri::async_runtime::block_on(work)
    }
}

fn arg(value: impl Serialize) -> Value {
    serde_json::to_value(value).expect("an argument serializes")
}

/// The wizard walked for one scenario, with the calls the screens make.
fn record_scenario(scenario: Scenario) -> Value {
    let mut r = Recorder::new();
    let captured = Captured::default();
    let name = scenario.to_string();

    let answer = commands::demo_scenarios();
    r.answered("demo_scenarios", vec![], answer);
    let session = r.block(commands::start_demo(r.state(), name.clone()));
    let session = r
        .keep("start_demo", vec![arg(&name)], vec![], session)
        .expect("the demo starts");
    let key = session["api_key"].as_str().expect("a demo key").to_owned();
    for input in [key.clone(), format!("  {key} ")] {
        let answer = commands::key_shape(input.clone());
        r.answered("key_shape", vec![arg(&input)], answer);
    }
    let answer = commands::list_connections(r.state());
    r.keep("list_connections", vec![], vec![], answer);

    // A service-account scenario is recorded the way its wizard path connects: with the
    // client ID and secret, the secret in the key's place.
    let client_id = session["client_id"].as_str().map(str::to_owned);
    let secret = session["client_secret"].as_str().map(str::to_owned);
    if let (Some(id), Some(secret)) = (&client_id, &secret) {
        let answer = commands::client_credentials_shape(id.clone(), secret.clone());
        r.answered(
            "client_credentials_shape",
            vec![arg(id), arg(secret)],
            answer,
        );
    }
    // What the saved connection's key (or a service account's secret) is replaced with.
    let replacement = secret.clone().unwrap_or_else(|| key.clone());
    let mut request = ConnectionRequest {
        key: replacement.clone(),
        client_id,
        org_id: None,
        region: RegionChoice::Auto,
        demo: true,
    };
    let mut report = run_checks(&mut r, &captured, &request);
    if let Some(second) = report["orgs_available"]
        .as_array()
        .filter(|orgs| orgs.len() > 1 && report["org"].is_null())
        .and_then(|orgs| orgs.get(1))
    {
        request.org_id = second["id"].as_str().map(str::to_owned);
        report = run_checks(&mut r, &captured, &request);
    }

    if report["ok"] == true {
        let answer = r.block(commands::preview(r.state()));
        r.keep("preview", vec![], vec![], answer);
        let answer = commands::proposed_name(r.state(), Some(PlatformId::Other));
        let proposed = r.keep(
            "proposed_name",
            vec![arg(PlatformId::Other)],
            vec![],
            answer,
        );
        // The other platforms' names, for a walk that chooses one of them.
        for platform in PlatformId::ALL
            .into_iter()
            .filter(|p| *p != PlatformId::Other)
        {
            let answer = commands::proposed_name(r.state(), Some(platform));
            r.keep("proposed_name", vec![arg(platform)], vec![], answer);
        }
        let details = json!({"platform": "other", "name": proposed, "manager_attribute": null,
            "admin_username": null, "owner_email": null});
        wizard_handover(&mut r, details);
        let save = json!({"name": proposed, "manager_attribute": null, "session_only": true,
            "platform": "other", "admin_username": null, "owner_email": null});
        let request: SaveRequest = serde_json::from_value(save.clone()).expect("a save request");
        let answer = commands::save_connection(r.state(), request);
        let saved = r.keep("save_connection", vec![save.clone()], vec![], answer);
        let mut again = save;
        again["name"] = json!("connection 1");
        let request: SaveRequest = serde_json::from_value(again.clone()).expect("a save request");
        let answer = commands::save_connection(r.state(), request);
        r.keep("save_connection", vec![again], vec![], answer);
        let answer = commands::list_connections(r.state());
        r.keep("list_connections", vec![], vec![], answer);
        if let Some(id) = saved.and_then(|s| s["id"].as_str().map(str::to_owned)) {
            record_saved(&mut r, &captured, &id, &replacement);
        }
        match scenario {
            Scenario::Healthy => record_collection(&mut r, &captured, true),
            Scenario::CustomRole => record_collection(&mut r, &captured, false),
            _ => {}
        }
    } else {
        record_diagnostics(
            &mut r,
            &captured,
            DiagnosticsSubject::Current,
            json!("current"),
        );
    }
    let answer = r.block(commands::stop_demo(r.state()));
    r.keep("stop_demo", vec![], vec![], answer);
    r.tape(&name)
}

fn run_checks(r: &mut Recorder, captured: &Captured, request: &ConnectionRequest) -> Value {
    let answer = r.block(commands::run_checks(
        r.state(),
        request.clone(),
        captured.channel(),
    ));
    let mut args = json!({
        "key": request.key, "org_id": request.org_id, "region": request.region, "demo": request.demo
    });
    if let Some(id) = &request.client_id {
        args["client_id"] = json!(id);
    }
    let args = vec![args];
    r.keep(
        "run_checks",
        args,
        in_catalogue_order(captured.take()),
        answer,
    )
    .unwrap_or(Value::Null)
}

fn record_saved(r: &mut Recorder, captured: &Captured, id: &str, key: &str) {
    let answer = r.block(commands::retest_connection(
        r.state(),
        id.to_owned(),
        captured.channel(),
    ));
    r.keep(
        "retest_connection",
        vec![arg(id)],
        in_catalogue_order(captured.take()),
        answer,
    );
    let answer = commands::connection_history(r.state(), id.to_owned());
    r.keep("connection_history", vec![arg(id)], vec![], answer);
    record_diagnostics(
        r,
        captured,
        DiagnosticsSubject::Saved(id.to_owned()),
        json!({"saved": id}),
    );
    let answer =
        commands::rename_connection(r.state(), id.to_owned(), "Production_JumpCloud".into());
    r.keep(
        "rename_connection",
        vec![arg(id), arg("Production_JumpCloud")],
        vec![],
        answer,
    );
    record_handover(r, id, false);
    let answer = commands::replace_key(r.state(), id.to_owned(), key.to_owned());
    r.keep("replace_key", vec![arg(id), arg(key)], vec![], answer);
    record_handover(r, id, true);
    let answer = commands::list_connections(r.state());
    r.keep("list_connections", vec![], vec![], answer);
    let answer = commands::delete_connection(r.state(), id.to_owned());
    r.keep("delete_connection", vec![arg(id)], vec![], answer);
    let answer = commands::list_connections(r.state());
    r.keep("list_connections", vec![], vec![], answer);
}

fn wizard_handover(r: &mut Recorder, details: Value) -> Option<Value> {
    let request = serde_json::from_value(details.clone()).expect("platform details");
    let answer = r.block(commands::wizard_handover(r.state(), request));
    r.keep("wizard_handover", vec![details], vec![], answer)
}

/// A saved connection's hand-over screen: its fields, then its key's Copy button.
fn record_handover(r: &mut Recorder, id: &str, new_key: bool) {
    let answer = commands::connection_handover(r.state(), id.to_owned(), new_key);
    r.keep(
        "connection_handover",
        vec![arg(id), json!(new_key)],
        vec![],
        answer,
    );
    if !new_key {
        let answer =
            commands::copy_handover_key(r.state(), r.app.state::<KeyClipboard>(), id.to_owned());
        r.keep("copy_handover_key", vec![arg(id)], vec![], answer);
    }
}

/// The wizard walked to one platform's hand-over: the Save step's fields as the admin fills
/// them in (first with a mistake the platform would refuse or misread), the save, the
/// hand-over. The demo's own start is in its scenario's tape.
fn record_platform_walk(
    scenario: Scenario,
    platform: PlatformId,
    typed: &[(&str, Value)],
    tape: &str,
) -> Value {
    let mut r = Recorder::new();
    let captured = Captured::default();
    let session = r
        .block(commands::start_demo(r.state(), scenario.to_string()))
        .expect("the demo starts");
    let request = ConnectionRequest {
        key: session.api_key.clone(),
        client_id: None,
        org_id: None,
        region: RegionChoice::Auto,
        demo: true,
    };
    let report = run_checks(&mut r, &captured, &request);
    assert_eq!(report["ok"], true, "{tape}: the demo passes");
    let answer = commands::proposed_name(r.state(), Some(platform));
    let proposed = r
        .keep("proposed_name", vec![arg(platform)], vec![], answer)
        .unwrap_or(Value::Null);
    let mut details = json!({"platform": platform, "name": proposed, "manager_attribute": null,
        "admin_username": null, "owner_email": null});
    wizard_handover(&mut r, details.clone());
    for (field, value) in typed {
        details[*field] = value.clone();
        wizard_handover(&mut r, details.clone());
    }
    let mut save = details.clone();
    save["session_only"] = json!(true);
    let request = serde_json::from_value(save.clone()).expect("a save request");
    let answer = commands::save_connection(r.state(), request);
    let saved = r.keep("save_connection", vec![save], vec![], answer);
    let id = saved
        .and_then(|s| s["id"].as_str().map(str::to_owned))
        .expect("saved");
    record_handover(&mut r, &id, false);
    let answer = commands::replace_key(r.state(), id.clone(), session.api_key.clone());
    r.keep(
        "replace_key",
        vec![arg(&id), arg(&session.api_key)],
        vec![],
        answer,
    );
    record_handover(&mut r, &id, true);
    r.block(commands::stop_demo(r.state())).expect("stops");
    r.tape(tape)
}

fn record_diagnostics(
    r: &mut Recorder,
    captured: &Captured,
    subject: DiagnosticsSubject,
    shown: Value,
) {
    let answer = r.block(commands::diagnose_connection(
        r.state(),
        subject.clone(),
        captured.channel(),
    ));
    r.keep(
        "diagnose_connection",
        vec![shown.clone()],
        in_catalogue_order(captured.take()),
        answer,
    );
    let answer = commands::support_summary(r.state(), subject.clone());
    r.keep("support_summary", vec![shown.clone()], vec![], answer);
    let answer = commands::save_support_bundle(r.state(), subject, false);
    r.keep(
        "save_support_bundle",
        vec![shown, json!(false)],
        vec![],
        answer,
    );
}

/// A collection of the tested org; with `browse`, its tables, records and relations too.
fn record_collection(r: &mut Recorder, captured: &Captured, browse: bool) {
    let answer = commands::current_collection(r.state());
    r.answered("current_collection", vec![], answer);
    commands::cancel_collection(r.state());
    r.answered("cancel_collection", vec![], ());
    let answer = r.block(commands::start_collection(
        r.state(),
        None,
        captured.channel(),
    ));
    let view = r.keep(
        "start_collection",
        vec![Value::Null],
        in_category_order(captured.take()),
        answer,
    );
    let answer = commands::current_collection(r.state());
    r.answered("current_collection", vec![], answer);
    if !browse {
        return;
    }
    let shown: Vec<Category> = view
        .as_ref()
        .and_then(|v| v["categories"].as_array().cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|c| serde_json::from_value(c["category"].clone()).ok())
        .collect();
    let mut firsts: HashMap<Category, Vec<String>> = HashMap::new();
    for category in shown {
        let page = rows(r, category, None, None);
        if category == Category::PolicyResults {
            // Stored in the order each policy's results arrived, which changes from run to run:
            // recorded in id order, one of the orders Rust can answer.
            if let Some(last) = r.calls.last_mut().and_then(|c| c.ok.as_mut()) {
                in_id_order(last);
            }
        }
        let ids: Vec<String> = page["ids"]
            .as_array()
            .map(|ids| {
                ids.iter()
                    .filter_map(|i| i.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        firsts.insert(category, ids);
    }
    for column in ["username", "email"] {
        for descending in [false, true] {
            let sort = SortSpec {
                column: column.to_owned(),
                descending,
            };
            rows(r, Category::Users, None, Some(sort));
        }
    }
    let groups_by_members = SortSpec {
        column: "effective_user_ids".to_owned(),
        descending: false,
    };
    rows(r, Category::UserGroups, None, Some(groups_by_members));
    for category in [
        Category::Users,
        Category::UserGroups,
        Category::Applications,
        Category::Devices,
    ] {
        let ids = firsts.get(&category).cloned().unwrap_or_default();
        for id in ids.iter().take(40) {
            record_record(r, category, id);
        }
    }
    let users = firsts.get(&Category::Users).cloned().unwrap_or_default();
    if let Some(name) = users.first() {
        // A search that finds the first user by part of their id.
        let needle: String = name
            .chars()
            .rev()
            .take(6)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        rows(r, Category::Users, Some(needle), None);
    }
    let answer = r.block(commands::export_collection(r.state()));
    r.keep("export_collection", vec![], vec![], answer);
}

fn rows(
    r: &mut Recorder,
    category: Category,
    search: Option<String>,
    sort: Option<SortSpec>,
) -> Value {
    let answer = r.block(commands::collection_rows(
        r.state(),
        category,
        0,
        100,
        search.clone(),
        sort.clone(),
    ));
    r.keep(
        "collection_rows",
        vec![arg(category), json!(0), json!(100), arg(search), arg(sort)],
        vec![],
        answer,
    )
    .unwrap_or(Value::Null)
}

fn record_record(r: &mut Recorder, category: Category, id: &str) {
    let answer = r.block(commands::collection_record(
        r.state(),
        category,
        id.to_owned(),
    ));
    r.keep(
        "collection_record",
        vec![arg(category), arg(id)],
        vec![],
        answer,
    );
    let answer = r.block(commands::related(r.state(), category, id.to_owned()));
    r.keep("related", vec![arg(category), arg(id)], vec![], answer);
    let answer = r.block(commands::collection_row_index(
        r.state(),
        category,
        id.to_owned(),
        None,
        None,
    ));
    r.keep(
        "collection_row_index",
        vec![arg(category), arg(id), Value::Null, Value::Null],
        vec![],
        answer,
    );
}

/// A page's rows (ids, cells, images together) sorted by record id.
fn in_id_order(page: &mut Value) {
    let ids = page["ids"].as_array().cloned().unwrap_or_default();
    let rows = page["rows"].as_array().cloned().unwrap_or_default();
    let images = page["images"].as_array().cloned().unwrap_or_default();
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_by_key(|&i| ids[i].as_str().unwrap_or_default().to_owned());
    let pick = |list: &[Value]| -> Value {
        Value::Array(order.iter().filter_map(|&i| list.get(i).cloned()).collect())
    };
    page["ids"] = pick(&ids);
    page["rows"] = pick(&rows);
    if !images.is_empty() {
        page["images"] = pick(&images);
    }
}

/// Check events in catalogue order (each check's `started` before its `finished`), so a
/// recording does not depend on which of the concurrent checks answered first.
fn in_catalogue_order(events: Vec<Value>) -> Vec<Value> {
    let order: Vec<String> = onboard::catalogue().into_iter().map(|c| c.id).collect();
    let position = |e: &Value| {
        let id = e["id"].as_str().unwrap_or_default();
        let index = order.iter().position(|o| o == id).unwrap_or(order.len());
        (index, e["event"] != "started")
    };
    let mut events = events;
    events.sort_by_key(position);
    events
}

/// Collection progress in category order, started then finished: how far a category had got
/// between the two depends on which concurrent request answered first.
fn in_category_order(events: Vec<Value>) -> Vec<Value> {
    let mut events: Vec<Value> = events
        .into_iter()
        .filter(|e| e["phase"] != "running")
        .collect();
    events.sort_by_key(|e| {
        let category: Option<Category> = serde_json::from_value(e["category"].clone()).ok();
        let phase = match e["phase"].as_str() {
            Some("started") => 0,
            Some("running") => 1,
            _ => 2,
        };
        (category, phase, e["collected"].as_u64())
    });
    events
}

/// The shape feedback every screen can ask for.
fn record_shapes() -> Value {
    let mut r = Recorder::new();
    for input in KEY_INPUTS {
        let answer = commands::key_shape(input.to_owned());
        r.answered("key_shape", vec![arg(input)], answer);
    }
    for input in ORG_INPUTS {
        let answer = commands::org_shape(input.to_owned());
        r.answered("org_shape", vec![arg(input)], answer);
    }
    for (id, secret) in CLIENT_INPUTS {
        let answer = commands::client_credentials_shape(id.to_owned(), secret.to_owned());
        r.answered(
            "client_credentials_shape",
            vec![arg(id), arg(secret)],
            answer,
        );
    }
    let mut info = serde_json::to_value(commands::app_info(r.state())).expect("app info");
    // The recordings are made without a keychain, as CI runs (the saves are session-only);
    // the probe's own words depend on the machine, so only the fact is kept.
    info["keychain"] = json!({"available": false, "message": null});
    r.calls.push(Call {
        command: "appInfo".into(),
        args: vec![],
        events: vec![],
        ok: Some(info),
        error: None,
    });
    r.answered("call_reference", vec![], commands::call_reference());
    r.answered("platforms", vec![], commands::platforms());
    // Before any test there is nothing to preview.
    let answer = r.block(commands::preview(r.state()));
    r.keep("preview", vec![], vec![], answer);
    let answer = commands::network_settings(r.state());
    r.answered("network_settings", vec![], answer);
    let garbage = "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----";
    let answer = commands::set_extra_ca(r.state(), Some(garbage.to_owned()));
    r.keep("set_extra_ca", vec![arg(garbage)], vec![], answer);
    let pem = include_str!("../../../crates/cli/tests/fixtures/extra-ca.pem");
    let answer = commands::set_extra_ca(r.state(), Some(pem.to_owned()));
    r.keep("set_extra_ca", vec![arg(pem)], vec![], answer);
    let answer = commands::set_extra_ca(r.state(), None);
    r.keep("set_extra_ca", vec![Value::Null], vec![], answer);
    let answer = commands::about(r.state());
    r.answered("about", vec![], answer);
    let guard = r.app.state::<CloseGuard>();
    commands::watch_close(guard, Captured::default().channel());
    r.answered("watch_close", vec![], ());
    for close in [false, true] {
        let answer = r.block(commands::resolve_close(
            r.state(),
            r.app.state::<CloseGuard>(),
            close,
        ));
        r.keep("resolve_close", vec![json!(close)], vec![], answer);
    }
    r.tape("inputs")
}

/// Replaces what depends on the machine or the moment with fixed stand-ins.
fn stable(tape: Value) -> String {
    fn walk(value: &mut Value) {
        match value {
            Value::Object(map) => {
                for (key, field) in map.iter_mut() {
                    match key.as_str() {
                        "latency_ms" if field.is_number() => *field = json!(12),
                        "duration_ms" if field.is_number() => *field = json!(900),
                        "at" | "collected_at" if field.is_string() => {
                            *field = json!("2026-11-22T09:30:00Z")
                        }
                        // The build's commit changes with every commit; About shows it as is.
                        "commit" if field.is_string() => *field = json!("0000000"),
                        _ => walk(field),
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    let mut tape = tape;
    walk(&mut tape);
    let mut text = serde_json::to_string_pretty(&tape).expect("a tape serializes");
    text = replace_each(&text, r"127\.0\.0\.1:\d+", |n| {
        format!("127.0.0.1:{}", 41234 + n)
    });
    text = replace_each(&text, r"[0-9a-f]{16}-IAD", |n| {
        format!("{:016x}-IAD", n + 1)
    });
    text = replace_each(&text, r"\b[0-9a-f]{32}\b", |n| {
        format!("connection-{}", n + 1)
    });
    text = replace_each(&text, r"jc-onboard-support-\d{8}-\d{6}(-\d+)?\.json", |n| {
        format!("jc-onboard-support-20261122-093000-{}.json", n + 1)
    });
    // A service account's secret expires some days after the simulated today.
    text = regex::Regex::new(
        r"(expires on |expires in \d+ days?: |expires today: |has expired: )\d{1,2} [A-Z][a-z]{2} \d{4}",
    )
    .expect("a pattern")
    .replace_all(&text, "${1}1 Jan 2027")
    .into_owned();
    text = regex::Regex::new(
        r"(expires in \d+ days?, on |expires tomorrow, on |expires today, |expired on |expired today, )\d{1,2} [A-Z][a-z]+ \d{4}",
    )
    .expect("a pattern")
    .replace_all(&text, "${1}1 January 2027")
    .into_owned();
    text = regex::Regex::new(r#""credentials_expire_at": "[^"]+""#)
        .expect("a pattern")
        .replace_all(&text, r#""credentials_expire_at": "2027-01-01T00:00:00Z""#)
        .into_owned();
    text = replace_each(
        &text,
        r"jumpcloud-export-\d{4}-\d{2}-\d{2}_\d{6}(-\d+)?",
        |n| format!("jumpcloud-export-2026-11-22_093000-{}", n + 1),
    );
    text + "\n"
}

/// Replaces every distinct match of `pattern` by `stand_in(n)`, n counting distinct values in
/// order of first appearance.
fn replace_each(text: &str, pattern: &str, stand_in: impl Fn(usize) -> String) -> String {
    let re = regex::Regex::new(pattern).expect("a pattern");
    let mut distinct: Vec<String> = Vec::new();
    re.replace_all(text, |caps: &regex::Captures<'_>| {
        let found = caps[0].to_owned();
        let n = match distinct.iter().position(|d| *d == found) {
            Some(n) => n,
            None => {
                distinct.push(found);
                distinct.len() - 1
            }
        };
        stand_in(n)
    })
    .into_owned()
}

fn write_if_changed(path: &Path, text: &str) -> bool {
    if std::fs::read_to_string(path).ok().as_deref() == Some(text) {
        return false;
    }
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("the fixtures folder");
    std::fs::write(path, text).expect("a fixture written");
    true
}

#[test]
fn recorded_answers_are_current() {
    let dir = Path::new(FIXTURES_DIR);
    let mut stale = Vec::new();
    let mut tapes = vec![("inputs".to_owned(), record_shapes())];
    for scenario in Scenario::ALL.into_iter().filter(|s| !TIMED.contains(s)) {
        tapes.push((scenario.to_string(), record_scenario(scenario)));
    }
    let authomize = [
        ("owner_email", json!("Grace Hopper")),
        ("owner_email", json!("grace@example.com")),
        ("admin_username", json!("readonly-admin@example.com")),
    ];
    let apono = [("manager_attribute", json!("managerName"))];
    for (scenario, platform, typed, name) in [
        (
            Scenario::Healthy,
            PlatformId::Authomize,
            &authomize[..],
            "walk-authomize",
        ),
        (
            Scenario::ManagerNames,
            PlatformId::Apono,
            &apono[..],
            "walk-apono-manager-names",
        ),
    ] {
        tapes.push((
            name.to_owned(),
            record_platform_walk(scenario, platform, typed, name),
        ));
    }
    for (name, tape) in tapes {
        let path = dir.join(format!("{name}.json"));
        let text = stable(tape);
        assert!(
            !text.contains("\"kind\": \"unexpected\""),
            "{name}: a command failed in a way the app does not explain"
        );
        if write_if_changed(&path, &text) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "recorded answers were stale and have been rewritten: commit {stale:?}"
    );
}
