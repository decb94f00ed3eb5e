//! The hand-over commands: the platform's fields in its order, the Save step's checks, and the
//! key going from the keychain to the clipboard (cleared after a minute) without ever crossing
//! IPC.

use std::time::Duration;

use serde_json::{json, Value};

use super::{app, app_with_clipboard, invoke, stop_demo, tested_demo};

/// A key no answer may hold: it is saved as the connection's key with `replace_key`.
const CANARY: &str = "jca_CANARYcanary0123456789CANARYcanary01";

fn details(platform: &str, name: &str) -> Value {
    json!({"platform": platform, "name": name, "manager_attribute": null,
        "admin_username": null, "owner_email": null})
}

fn labels(view: &Value) -> Vec<String> {
    view["handover"]["fields"]
        .as_array()
        .map(|fields| {
            fields
                .iter()
                .filter_map(|f| f["label"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn every_platform_is_offered_with_its_display_name_and_fields() {
    let (_app, webview) = app();
    let platforms = invoke(&webview, "platforms", json!({})).expect("answers");
    let names: Vec<&str> = platforms
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(
        names,
        [
            "Axiom Security",
            "Authomize",
            "ControlMap",
            "Apono",
            "Scytale",
            "Another platform"
        ],
        "the chooser's words come from the profiles, in the wizard's order"
    );
    let authomize = &platforms[1];
    let unused: Vec<&str> = authomize["categories"]
        .as_array()
        .expect("categories")
        .iter()
        .filter(|c| c["used"] == false)
        .filter_map(|c| c["category"].as_str())
        .collect();
    assert!(
        unused.contains(&"ldap_servers") && unused.contains(&"radius_servers"),
        "Authomize collects no LDAP or RADIUS apps: {unused:?}"
    );
}

#[test]
fn a_saved_authomize_connection_hands_over_its_fields_and_copies_its_key_only_to_the_clipboard() {
    let (app, webview, clipboard, clock) = app_with_clipboard();
    let demo_key = tested_demo(&app, "healthy");

    let mut typed = details("authomize", "Acme JumpCloud");
    typed["owner_email"] = json!("Grace Hopper");
    let checked = invoke(&webview, "wizard_handover", json!({"details": typed}))
        .expect("the Save step's fields are checked");
    let advice = checked["handover"]["advice"].as_array().expect("advice");
    assert!(
        advice
            .iter()
            .any(|a| a["field"] == "Application Owner's email" && a["severity"] == "problem"),
        "a name where an email belongs is a problem Authomize would refuse: {advice:?}"
    );
    let mut save = typed.clone();
    save["session_only"] = json!(true);
    let refused = invoke(&webview, "save_connection", json!({"req": save}))
        .expect_err("not saved with an owner email Authomize refuses");
    assert_eq!(refused["kind"], "input", "{refused}");

    save["owner_email"] = json!("grace@example.com");
    save["admin_username"] = json!("readonly-admin@example.com");
    let saved = invoke(&webview, "save_connection", json!({"req": save})).expect("saved");
    assert_eq!(saved["platform"], "authomize", "the platform is remembered");
    assert_eq!(saved["owner_email"], "grace@example.com");
    let id = saved["id"].as_str().expect("an id").to_owned();
    invoke(&webview, "replace_key", json!({"id": id, "key": CANARY}))
        .expect("the canary becomes the connection's key");

    let view = invoke(
        &webview,
        "connection_handover",
        json!({"id": id, "newKey": false}),
    )
    .expect("the hand-over");
    assert_eq!(
        labels(&view),
        [
            "Username",
            "API key",
            "Integration Name",
            "Application Owner's email"
        ],
        "Authomize's fields, in its dialog's order"
    );
    let fields = &view["handover"]["fields"];
    assert_eq!(fields[0]["value"]["text"], "readonly-admin@example.com");
    assert_eq!(
        fields[1]["value"]["kind"], "secret",
        "the key is never a value"
    );
    assert_eq!(fields[2]["value"]["text"], "Acme JumpCloud");
    assert_eq!(fields[3]["value"]["text"], "grace@example.com");
    let note = view["ticket_note"].as_str().expect("a ticket note");
    assert!(note.contains("grace@example.com"), "{note}");

    let copied = invoke(&webview, "copy_handover_key", json!({"id": id})).expect("copied");
    assert_eq!(copied["clears_after_seconds"], 60);
    assert_eq!(copied["last_four"], "…ry01", "only the last four cross IPC");
    assert_eq!(
        clipboard.holds().as_deref(),
        Some(CANARY),
        "the key went from the keychain to the clipboard"
    );

    let rekeyed = invoke(
        &webview,
        "connection_handover",
        json!({"id": id, "newKey": true}),
    )
    .expect("the hand-over after a new key");
    let notes = rekeyed["handover"]["notes"].to_string();
    assert!(
        notes.contains("paste the new key into Authomize"),
        "re-keying ends on the hand-over, which says the platform holds the revoked key: {notes}"
    );

    let listed = invoke(&webview, "list_connections", json!({})).expect("listed");
    for (what, answer) in [
        ("the Save step's check", &checked),
        ("the saved connection", &saved),
        ("the hand-over", &view),
        ("the hand-over after a new key", &rekeyed),
        ("the copy", &copied),
        ("the list", &listed),
    ] {
        assert!(
            !answer.to_string().contains(CANARY) && !answer.to_string().contains("CANARY"),
            "{what} holds the key: {answer}"
        );
    }
    assert!(!note.contains(CANARY), "the ticket note holds the key");
    assert!(!demo_key.is_empty());

    clock.advance(Duration::from_secs(59));
    assert_eq!(
        clipboard.holds().as_deref(),
        Some(CANARY),
        "a minute to paste it"
    );
    clock.advance(Duration::from_secs(1));
    assert_eq!(clipboard.holds(), None, "then the clipboard is cleared");
    stop_demo(&app);
}

#[test]
fn apono_warns_when_the_manager_field_holds_names_with_examples_from_the_org() {
    let (app, webview) = app();
    tested_demo(&app, "manager-names");
    let mut typed = details("apono", "Apono JumpCloud");
    typed["manager_attribute"] = json!("managerName");
    let view = invoke(&webview, "wizard_handover", json!({"details": typed})).expect("checked");
    let advice = view["handover"]["advice"].as_array().expect("advice");
    let manager = advice
        .iter()
        .find(|a| a["field"] == "Custom Manager Field Name")
        .unwrap_or_else(|| panic!("names are not emails or user ids: {advice:?}"));
    assert_eq!(manager["severity"], "warning");
    assert!(
        manager["examples"]
            .as_array()
            .is_some_and(|e| !e.is_empty()),
        "the warning shows what the attribute holds: {manager}"
    );
    assert!(
        view["users_checked"].as_u64().is_some_and(|n| n > 0),
        "says how many users it looked at: {view}"
    );
    stop_demo(&app);
}

#[test]
fn the_proposed_name_follows_the_platform_and_a_hand_over_needs_a_saved_connection() {
    let (app, webview) = app();
    tested_demo(&app, "healthy");
    let axiom = invoke(
        &webview,
        "proposed_name",
        json!({"platform": "axiom-security"}),
    )
    .expect("a name");
    let name = axiom.as_str().expect("text");
    assert!(
        name.ends_with("_Jumpcloud") && !name.contains(' '),
        "Axiom's example is Production_Jumpcloud: {name}"
    );
    let other = invoke(&webview, "proposed_name", json!({"platform": "other"})).expect("a name");
    assert_eq!(other, "Connection 1");
    let missing = invoke(
        &webview,
        "connection_handover",
        json!({"id": "gone", "newKey": false}),
    )
    .expect_err("no such connection");
    assert_eq!(missing["kind"], "not_found");
    let no_key = invoke(&webview, "copy_handover_key", json!({"id": "gone"}))
        .expect_err("no such connection");
    assert_eq!(no_key["kind"], "not_found");
    stop_demo(&app);
}
