//! Each profile against its guide: the fixture copies every guide's fields (quoting the line),
//! and the profiles must name them, in order, in the guide's words.

use std::path::PathBuf;

use onboard::credential::CredentialKind;
use onboard::platforms::{Fit, PlatformId, Source};
use serde_json::Value;

fn fixture() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed_fields.json");
    let text = std::fs::read_to_string(&path).expect("the seed fields fixture is committed");
    serde_json::from_str(&text).expect("the fixture is JSON")
}

fn entries(fixture: &Value) -> Vec<(PlatformId, &Value)> {
    fixture["platforms"]
        .as_array()
        .expect("a list of platforms")
        .iter()
        .map(|entry| {
            let id = entry["platform"]
                .as_str()
                .and_then(|p| p.parse().ok())
                .unwrap_or_else(|| panic!("a known platform id: {entry}"));
            (id, entry)
        })
        .collect()
}

fn text<'v>(value: &'v Value, key: &str) -> &'v str {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} is text in {value}"))
}

/// The guides' typographic apostrophes and quotes, as the profiles write them.
fn plain(text: &str) -> String {
    text.replace(['’', '‘'], "'").replace(['“', '”'], "\"")
}

#[test]
fn every_guide_field_is_in_its_profile_in_order() {
    let fixture = fixture();
    let entries = entries(&fixture);
    let covered: Vec<PlatformId> = entries.iter().map(|(id, _)| *id).collect();
    assert_eq!(
        covered,
        [
            PlatformId::AxiomSecurity,
            PlatformId::Authomize,
            PlatformId::ControlMap,
            PlatformId::Apono,
            PlatformId::Scytale
        ],
        "the fixture covers the five guides"
    );
    for (id, entry) in entries {
        let guide_names: Vec<String> = entry["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .map(|f| plain(text(f, "name")))
            .collect();
        let profile_labels: Vec<&str> = id.profile().fields.iter().map(|f| f.label).collect();
        assert_eq!(
            profile_labels, guide_names,
            "{id}: the profile asks for exactly the guide's fields, in its order and words"
        );
        let optional: Vec<String> = entry["optional"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| plain(text(f, "name")))
            .collect();
        for field in id.profile().fields {
            assert_eq!(
                field.required,
                !optional.iter().any(|o| o == field.label),
                "{id}: {} is optional exactly when the guide says it may be left out",
                field.label
            );
        }
        assert_eq!(
            id.profile()
                .fields
                .iter()
                .filter(|f| f.source == Source::ApiKey)
                .count(),
            1,
            "{id}: one field takes the key"
        );
    }
}

#[test]
fn the_guides_examples_buttons_warnings_and_exclusions_are_in_the_profiles() {
    let fixture = fixture();
    for (id, entry) in entries(&fixture) {
        let profile = id.profile();
        match entry.get("name_example") {
            Some(example) => assert_eq!(
                profile.naming.map(|n| n.example),
                Some(text(example, "example")),
                "{id}: the guide's example name is the profile's"
            ),
            None => assert!(profile.naming.is_none(), "{id}: no example, no convention"),
        }
        if let Some(finish) = entry.get("finish") {
            assert_eq!(profile.finish, Some(text(finish, "button")), "{id}");
        }
        if entry.get("warning").is_some() {
            assert!(
                profile.warnings.iter().any(|w| w.contains("revokes")),
                "{id}: the guide's warning about a new key is repeated: {:?}",
                profile.warnings
            );
        }
        let categories = profile.categories();
        // A guide may name a sub-list (`app_access`): it is part of the category it serves.
        let used = |key: &str| {
            let category = onboard::checks::Probe::ALL
                .iter()
                .find(|p| p.key() == key)
                .map(|p| p.serves())
                .unwrap_or_else(|| panic!("{key} is a category or one of its sub-lists"));
            categories
                .iter()
                .find(|c| c.category == category)
                .unwrap_or_else(|| panic!("{category} is a category"))
                .used
        };
        for excluded in entry["not_collected"].as_array().into_iter().flatten() {
            assert!(
                !used(text(excluded, "category")),
                "{id}: the guide says {} are not supported",
                text(excluded, "quote")
            );
        }
        for included in entry["collected"].as_array().into_iter().flatten() {
            assert!(
                used(text(included, "category")),
                "{id}: the guide lists {}",
                text(included, "quote")
            );
        }
    }
    assert!(
        PlatformId::ALL
            .iter()
            .filter(|id| **id != PlatformId::Authomize)
            .all(|id| id.profile().categories().iter().all(|c| c.used)),
        "the other guides do not limit what is collected"
    );
}

/// The fixture is the guides' words: each quote is on its line, and names its field. The
/// guides live beside the repository (`JC_SEEDS_DIR`, default `../shared/seeds`).
#[test]
fn the_fixture_quotes_the_guides_verbatim() {
    let dir = std::env::var_os("JC_SEEDS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds"));
    if !dir.is_dir() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "the guides must be present in CI: {}",
            dir.display()
        );
        eprintln!(
            "skipped: the guides are not at {} (set JC_SEEDS_DIR)",
            dir.display()
        );
        return;
    }
    let fixture = fixture();
    for (id, entry) in entries(&fixture) {
        let file = dir.join(text(entry, "guide"));
        let guide = std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("{id}: {} reads: {e}", file.display()));
        let lines: Vec<&str> = guide.lines().collect();
        let quoted = ["fields", "optional", "not_collected", "collected"]
            .iter()
            .flat_map(|k| {
                let list = entry[*k].as_array().into_iter().flatten();
                list.map(move |quote| (*k == "fields", quote))
            })
            .chain(
                ["name_example", "finish", "warning"]
                    .iter()
                    .filter_map(|k| entry.get(*k).map(|quote| (false, quote))),
            );
        for (is_field, quote) in quoted {
            let line = quote["line"].as_u64().expect("a line number") as usize;
            let words = text(quote, "quote");
            let on_line = lines
                .get(line.saturating_sub(1))
                .copied()
                .unwrap_or_default();
            assert!(
                on_line.contains(words),
                "{id}: line {line} of {} says {words:?}; it reads {on_line:?}",
                file.display()
            );
            if is_field {
                let name = text(quote, "name");
                assert!(words.contains(name), "{id}: the quote names {name:?}");
            }
        }
    }
}

#[test]
fn credential_advice_is_said_before_anything_is_created() {
    for id in PlatformId::ALL {
        let profile = id.profile();
        let fit = |kind| profile.credential_advice(kind);
        if id == PlatformId::Other {
            assert!(
                CredentialKind::ALL
                    .iter()
                    .all(|k| fit(*k).fit == Fit::AskThePlatform),
                "an unknown platform's own guide decides"
            );
            continue;
        }
        assert_eq!(
            fit(CredentialKind::AdminApiKey).fit,
            Fit::Documented,
            "{id}: all five guides describe an administrator's API key"
        );
        let service_key = fit(CredentialKind::ServiceAccountApiKey);
        assert_eq!(service_key.fit, Fit::ShouldWork, "{id}");
        assert!(
            service_key.message.contains("should work")
                && service_key
                    .message
                    .contains("not confirmed by the platform"),
            "{id}: {}",
            service_key.message
        );
        let client = fit(CredentialKind::ClientCredentials);
        assert_eq!(
            client.fit,
            Fit::NotAccepted,
            "{id}: no field for a client secret"
        );
        assert!(
            client.message.contains(profile.name) && client.message.contains("cannot be used"),
            "{id}: {}",
            client.message
        );
    }
}

#[test]
fn the_chooser_lists_every_platform_with_its_fields_and_advice() {
    let summaries = onboard::platforms::summaries();
    assert_eq!(summaries.len(), 6, "five platforms and another");
    for summary in &summaries {
        let profile = summary.id.profile();
        assert_eq!(
            summary.fields.len(),
            profile.fields.len(),
            "{}",
            summary.name
        );
        assert!(summary.fields.iter().all(|f| !f.from.is_empty()));
        assert_eq!(summary.credentials.len(), CredentialKind::ALL.len());
        let mut messages: Vec<&str> = summary
            .credentials
            .iter()
            .map(|c| c.message.as_str())
            .collect();
        messages.sort_unstable();
        messages.dedup();
        assert_eq!(
            messages.len(),
            CredentialKind::ALL.len(),
            "{}: each kind of credential gets its own advice, never the same sentence twice on screen",
            summary.name
        );
        assert_eq!(
            summary.categories.len(),
            onboard::Category::ALL.len(),
            "every category is marked"
        );
    }
    let json = serde_json::to_value(&summaries).expect("serializes for the UI");
    assert_eq!(json[0]["id"], "axiom-security");
    assert_eq!(json[0]["fields"][1]["source"], "api_key");
}

#[test]
fn saved_connections_remember_their_platform_and_old_files_still_load() {
    let without = r#"{"id":"a","name":"Prod","region":"us","org":null,"manager_attribute":null,
        "demo_scenario":null,"last_test":null,"key_last_four":null,"session_only":false}"#;
    let old: onboard::connections::SavedConnection =
        serde_json::from_str(without).expect("a store file from before platforms loads");
    assert_eq!(old.platform, None);

    let with = without.replace("false}", r#"false,"platform":"apono"}"#);
    let saved: onboard::connections::SavedConnection = serde_json::from_str(&with).expect("loads");
    assert_eq!(saved.platform, Some(PlatformId::Apono));
    let round = serde_json::to_string(&saved).expect("serializes");
    assert!(round.contains(r#""platform":"apono""#), "{round}");

    let newer = without.replace("false}", r#"false,"platform":"a-platform-from-2030"}"#);
    let newer: onboard::connections::SavedConnection = serde_json::from_str(&newer)
        .expect("a platform this version does not know must not make the store unreadable");
    assert_eq!(newer.platform, None);
}
