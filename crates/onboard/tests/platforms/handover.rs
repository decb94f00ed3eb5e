//! The hand-over from a demo connection tested over loopback: every value found, the key only
//! in the keychain, Apono's manager field checked against the users the preview read.

use jc_sim::{Scenario, SimConfig};
use onboard::connections::{Book, MemoryStorage, SavedConnection};
use onboard::platforms::{
    self, FieldValue, Handover, HandoverInput, KeyLocation, Occasion, PlatformId, Seen, Severity,
    Source,
};
use onboard::secrets::SessionSecrets;

use super::{tested, tested_scenario, Tested};

const CANARY: &str = "jca_CANARYcanary0123456789CANARYcanary01";
const OWNER: &str = "it.owner@acme.example.com";

fn saved(t: &Tested, name: &str, platform: PlatformId) -> SavedConnection {
    SavedConnection {
        id: onboard::connections::new_id(),
        name: name.to_owned(),
        region: t.checked.report.region,
        org: t.checked.report.org.clone(),
        manager_attribute: Some("managerEmail".to_owned()),
        demo_scenario: Some(t.demo.scenario().to_string()),
        last_test: None,
        key_last_four: None,
        session_only: false,
        client_id: None,
        platform: Some(platform),
        admin_username: None,
        owner_email: None,
    }
}

/// What the app has after Save: the saved connection, the test's findings and the owner's email.
fn input_after_save(t: &Tested, connection: &SavedConnection) -> HandoverInput {
    HandoverInput {
        role: t.checked.report.role.clone(),
        owner_email: Some(OWNER.to_owned()),
        ..HandoverInput::from_saved(connection)
    }
}

fn seen(t: &Tested) -> Seen<'_> {
    Seen {
        preview: Some(&t.preview),
        users: Some(&t.users),
    }
}

fn field(handover: &Handover, source: Source) -> &FieldValue {
    &handover
        .fields
        .iter()
        .find(|f| f.source == source)
        .unwrap_or_else(|| panic!("{} asks for {source:?}", handover.platform_name))
        .value
}

fn text(value: &FieldValue) -> &str {
    match value {
        FieldValue::Text { text } => text,
        other => panic!("expected a value to paste, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_value_resolves_from_a_tested_demo_connection() {
    let t = tested_scenario(Scenario::Healthy).await;
    let storage = MemoryStorage::default();
    let (keychain, session) = (SessionSecrets::default(), SessionSecrets::default());
    let book = Book {
        storage: &storage,
        keychain: &keychain,
        session: &session,
    };
    let key = jc_api::ApiKey::parse(t.demo.sim().api_key()).expect("the demo key is a key");
    for id in PlatformId::ALL {
        let existing = book.list().expect("the saved connections");
        let name =
            platforms::suggested_name(id.profile(), Some(t.demo.sim().org_name()), &existing);
        let connection = book
            .add(saved(&t, &name, id), &key)
            .expect("the connection is saved with its key");
        let handover =
            platforms::resolve(id.profile(), &input_after_save(&t, &connection), seen(&t));

        let labels: Vec<&str> = handover.fields.iter().map(|f| f.label.as_str()).collect();
        let profile_labels: Vec<&str> = id.profile().fields.iter().map(|f| f.label).collect();
        assert_eq!(
            labels, profile_labels,
            "{id}: the platform's fields, in its order"
        );
        for f in &handover.fields {
            assert!(
                !matches!(f.value, FieldValue::Missing { .. }),
                "{id}: {} is found from the tested connection: {:?}",
                f.label,
                f.value
            );
        }
        for f in &handover.fields {
            match f.source {
                Source::OrgId => assert_eq!(text(&f.value), t.demo.sim().org_id(), "{id}"),
                Source::Region => assert_eq!(text(&f.value), "US", "{id}"),
                Source::ConnectionName => assert_eq!(text(&f.value), name, "{id}"),
                Source::ManagerAttribute => assert_eq!(text(&f.value), "managerEmail", "{id}"),
                Source::OwnerEmail => assert_eq!(text(&f.value), OWNER, "{id}"),
                Source::AdminUsername => {
                    assert_eq!(
                        text(&f.value),
                        "onboarding@acme.example.com",
                        "{id}: the demo key's owner is the only Read Only administrator"
                    );
                    assert!(
                        f.found.as_deref().is_some_and(|n| n.contains("Read Only")),
                        "{id}: an inferred username says how it was found: {f:?}"
                    );
                }
                Source::ApiKey => assert_eq!(
                    f.value,
                    FieldValue::Secret {
                        copy_from: KeyLocation::Keychain.describe(),
                        last_four: Some(key.last_four()),
                    },
                    "{id}: the key field says where the key is, never what it is"
                ),
            }
        }
        assert!(
            handover.advice.is_empty(),
            "{id}: the healthy demo with a suggested name needs no fixing: {:?}",
            handover.advice
        );
        let copied = platforms::key_to_copy(&book, &connection.id)
            .expect("the Copy button reads the key from the keychain");
        assert_eq!(
            copied.expose(),
            t.demo.sim().api_key(),
            "{id}: the very key tested"
        );
    }
    t.demo.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_key_never_appears_in_a_handover_or_its_ticket_note() {
    let t = tested(SimConfig {
        api_key: Some(CANARY.to_owned()),
        ..SimConfig::scenario(Scenario::Healthy)
    })
    .await;
    for id in PlatformId::ALL {
        for occasion in [Occasion::NewConnection, Occasion::NewKey] {
            let input = HandoverInput {
                key: KeyLocation::Environment("JC_API_KEY".to_owned()),
                key_last_four: Some(jc_api::ApiKey::parse(CANARY).expect("a key").last_four()),
                occasion,
                ..input_after_save(&t, &saved(&t, "Production_Jumpcloud", id))
            };
            let handover = platforms::resolve(id.profile(), &input, seen(&t));
            let shown = [
                serde_json::to_string(&handover).expect("serializes for the UI"),
                handover.ticket_note(),
                format!("{handover:?}"),
                format!("{input:?}"),
            ];
            for text in shown {
                assert!(
                    !text.contains(CANARY) && !text.contains(&CANARY[4..20]),
                    "{id}: the key (or part of it) leaked: {text}"
                );
            }
            let note = handover.ticket_note();
            assert!(
                note.contains("not included; copy it from the key you tested (JC_API_KEY)"),
                "{id}: the ticket note says where the key is: {note}"
            );
        }
    }
    t.demo.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apono_warns_when_the_manager_field_holds_names() {
    let t = tested_scenario(Scenario::ManagerNames).await;
    let apono = PlatformId::Apono.profile();
    let with = |attribute: &str| HandoverInput {
        manager_attribute: Some(attribute.to_owned()),
        ..input_after_save(&t, &saved(&t, "Acme", PlatformId::Apono))
    };

    let handover = platforms::resolve(apono, &with("managerName"), seen(&t));
    let advice = handover
        .advice
        .iter()
        .find(|a| a.field == "Custom Manager Field Name")
        .unwrap_or_else(|| {
            panic!(
                "names instead of emails are warned about: {:?}",
                handover.advice
            )
        });
    assert_eq!(
        advice.severity,
        Severity::Warning,
        "a warning: Apono takes it, then finds no one"
    );
    assert_eq!(advice.examples.len(), 3, "three examples: {advice:?}");
    let names: Vec<String> = t
        .users
        .users
        .iter()
        .filter_map(|u| u.display_name.clone())
        .collect();
    for example in &advice.examples {
        assert!(
            names.contains(example),
            "each example is a value as the console shows it, here a user's name: {example}"
        );
    }
    assert!(
        handover.ticket_note().contains(&format!(
            "Check Custom Manager Field Name: {}",
            advice.message
        )),
        "the ticket note carries the warning"
    );

    let emails = platforms::resolve(apono, &with("managerEmail"), seen(&t));
    assert!(
        emails.advice.is_empty(),
        "managerEmail holds emails in the same org: {:?}",
        emails.advice
    );
    let typo = platforms::resolve(apono, &with("managerMail"), seen(&t));
    assert!(
        typo.advice
            .iter()
            .any(|a| a.message.contains("managerEmail, managerName")),
        "an attribute no user has names the ones they have: {:?}",
        typo.advice
    );
    t.demo.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_the_admin_types_is_checked_and_a_new_key_says_what_to_do() {
    let t = tested_scenario(Scenario::Healthy).await;
    let input = HandoverInput {
        owner_email: Some("Grace Hopper".to_owned()),
        admin_username: Some("olivia".to_owned()),
        connection_name: Some("Prod JumpCloud".to_owned()),
        ..HandoverInput::from_report(&t.checked.report)
    };
    let authomize = platforms::resolve(PlatformId::Authomize.profile(), &input, seen(&t));
    let severities: Vec<(String, Severity)> = authomize
        .advice
        .iter()
        .map(|a| (a.field.clone(), a.severity))
        .collect();
    assert_eq!(
        severities,
        [
            ("Username".to_owned(), Severity::Warning),
            ("Application Owner's email".to_owned(), Severity::Problem),
        ],
        "a typed username is not second-guessed past its shape; the owner must be an email"
    );
    assert_eq!(
        text(field(&authomize, Source::AdminUsername)),
        "olivia",
        "typed wins"
    );

    let axiom = platforms::resolve(PlatformId::AxiomSecurity.profile(), &input, seen(&t));
    assert!(
        axiom
            .advice
            .iter()
            .any(|a| a.field == "Name" && a.fix.contains("Prod_JumpCloud")),
        "spaces where Axiom's example has underscores: {:?}",
        axiom.advice
    );

    let none_typed = platforms::resolve(
        PlatformId::Authomize.profile(),
        &HandoverInput::from_report(&t.checked.report),
        Seen::default(),
    );
    assert!(
        matches!(
            field(&none_typed, Source::OwnerEmail),
            FieldValue::Missing { .. }
        ) && matches!(
            field(&none_typed, Source::AdminUsername),
            FieldValue::Missing { .. }
        ),
        "without the preview or the admin's typing, Authomize's values are missing, not guessed"
    );

    let rekeyed = HandoverInput {
        occasion: Occasion::NewKey,
        ..input
    };
    let scytale = platforms::resolve(PlatformId::Scytale.profile(), &rekeyed, seen(&t));
    assert!(
        scytale
            .notes
            .first()
            .is_some_and(|n| n.contains("Disconnect") && n.contains("revoked")),
        "after a new key, Scytale's own instruction comes first: {:?}",
        scytale.notes
    );
    let apono = platforms::resolve(PlatformId::Apono.profile(), &rekeyed, seen(&t));
    assert!(
        apono
            .notes
            .first()
            .is_some_and(|n| n.contains("paste the new key into Apono")),
        "{:?}",
        apono.notes
    );
    t.demo.stop().await;
}
