//! Service accounts connecting with their client ID and secret: every service-account scenario
//! with its check states, messages and fixes; bad input refused before anything is sent; the
//! secret and the token never in a report.

use jc_api::AuthKind;
use jc_sim::{Scenario, SimConfig};
use onboard::demo::Demo;
use onboard::{CheckState, PastedKey};

use super::*;

const CANARY_SECRET: &str = "CANARYsaSECRETcanary0123456789";

async fn sa_demo(scenario: Scenario) -> Demo {
    Demo::start_with(SimConfig {
        client_secret: Some(CANARY_SECRET.to_owned()),
        ..SimConfig::scenario(scenario)
    })
    .await
    .expect("the demo org starts on loopback")
}

/// (check, state, words its message says, words its fix says)
type Expect = (&'static str, CheckState, &'static str, &'static str);

fn expectations(scenario: Scenario) -> Vec<Expect> {
    use CheckState::*;
    let shape = (
        "key.shape",
        Pass,
        "a service account's client ID and secret",
        "",
    );
    match scenario {
        Scenario::ServiceAccount | Scenario::ShortToken => vec![
            shape,
            ("key.accepted", Pass, "issued a token", ""),
            (
                "credentials.expiry",
                Pass,
                "The client secret expires on",
                "",
            ),
            (
                "role.least_privilege",
                Pass,
                "The service account has the Read Only role",
                "",
            ),
        ],
        Scenario::ServiceAccountEu => vec![
            shape,
            (
                "key.accepted",
                Pass,
                "issued a token. Your organization is in JumpCloud's EU data center",
                "",
            ),
        ],
        Scenario::ServiceAccountExpiring => vec![
            shape,
            (
                "credentials.expiry",
                Warn,
                "The client secret expires in 5 days",
                "paste it here, test, then delete the old one",
            ),
            ("role.least_privilege", Pass, "Read Only", ""),
        ],
        Scenario::ServiceAccountExpired => vec![
            shape,
            (
                "key.accepted",
                Fail,
                "this client secret has expired",
                "Add a second client secret",
            ),
            (
                "credentials.expiry",
                Skipped,
                "Not checked, because \"JumpCloud accepts the credentials\" failed",
                "",
            ),
        ],
        Scenario::ServiceAccountBroadRole => vec![
            shape,
            (
                "role.least_privilege",
                Warn,
                "can change your directory",
                "Read Only",
            ),
            ("credentials.expiry", Pass, "expires on", ""),
        ],
        Scenario::ServiceAccountNoSaScope => vec![
            shape,
            (
                "role.least_privilege",
                Warn,
                "role is unknown",
                "add the read permission for service accounts",
            ),
            (
                "credentials.expiry",
                Skipped,
                "may not read the list of service accounts",
                "",
            ),
            ("access.users", Pass, "", ""),
        ],
        _ => Vec::new(),
    }
}

#[tokio::test]
async fn every_service_account_scenario_names_its_state_message_and_fix() {
    for scenario in Scenario::ALL
        .into_iter()
        .filter(|s| s.has_service_account())
    {
        let demo = sa_demo(scenario).await;
        let input = demo.client_input(None).expect("a service-account scenario");
        let report = run(&input).await;
        assert_eq!(report.auth, Some(AuthKind::ClientCredentials), "{scenario}");
        let expected = expectations(scenario);
        assert!(!expected.is_empty(), "{scenario}: list its expectations");
        for (id, state, said, fix) in expected {
            let c = check(&report, id);
            assert_eq!(c.state, state, "{scenario}: {id}: {}", c.message);
            assert!(
                c.message.contains(said),
                "{scenario}: {id} should say {said:?}: {}",
                c.message
            );
            assert!(
                c.fix.as_deref().unwrap_or_default().contains(fix),
                "{scenario}: {id}'s fix should say {fix:?}: {:?}",
                c.fix
            );
        }
        let expires = report.credentials_expire_at.is_some();
        let expiry_judged = check(&report, "credentials.expiry").state != CheckState::Skipped;
        assert_eq!(
            expires, expiry_judged,
            "{scenario}: the report names the expiry it judged"
        );
        let json = serde_json::to_string(&report).expect("a report serializes");
        assert!(
            !json.contains(CANARY_SECRET) && !json.contains("CANARY"),
            "{scenario}: no secret in the report"
        );
        assert!(
            !json.contains("\"access_token\"") && !json.contains("jct"),
            "{scenario}: no token in the report"
        );
        demo.stop().await;
    }
}

#[tokio::test]
async fn a_service_account_finds_its_region_by_asking_each_token_host() {
    let demo = sa_demo(Scenario::ServiceAccountEu).await;
    let report = run(&demo.client_input(None).expect("credentials")).await;
    assert!(report.ok, "{:#?}", states(&report));
    assert_eq!(report.region, Some(jc_api::Region::Eu));
    let tokens: Vec<_> = demo
        .sim()
        .requests()
        .into_iter()
        .filter(|r| r.path == "/oauth2/token")
        .map(|r| (r.region, r.status))
        .collect();
    assert_eq!(
        tokens,
        [(jc_sim::Region::Us, 401), (jc_sim::Region::Eu, 200)],
        "the US token host is asked first and refuses; the EU one issues the only token"
    );
    demo.stop().await;
}

#[tokio::test]
async fn bad_client_credentials_are_refused_before_any_request() {
    let demo = sa_demo(Scenario::ServiceAccount).await;
    let long_id = "i".repeat(10_240);
    let cases: Vec<(&str, &str, String, &str)> = vec![
        (
            "empty id",
            "",
            CANARY_SECRET.to_owned(),
            "No client ID was entered",
        ),
        (
            "empty secret",
            "client-1",
            String::new(),
            "No client secret was entered",
        ),
        (
            "a space in the secret",
            "client-1",
            "abc def".to_owned(),
            "client secret has spaces or line breaks",
        ),
        (
            "a newline in the secret",
            "client-1",
            "abc\ndef".to_owned(),
            "client secret has spaces or line breaks",
        ),
        (
            "a 10 kB paste",
            "client-1",
            "s".repeat(10_240),
            "10240 characters long",
        ),
        (
            "a 10 kB id",
            &long_id,
            CANARY_SECRET.to_owned(),
            "client ID is 10240 characters long",
        ),
    ];
    for (why, id, secret, words) in cases {
        demo.sim().clear_requests();
        let mut input = demo.client_input(None).expect("credentials");
        input.client_id = Some(id.to_owned());
        input.key = PastedKey::new(secret);
        let report = run(&input).await;
        let shape = check(&report, "key.shape");
        assert_eq!(shape.state, CheckState::Fail, "{why}");
        assert!(
            shape.message.contains(words),
            "{why}: should say {words:?}: {}",
            shape.message
        );
        assert!(
            shape
                .fix
                .as_deref()
                .is_some_and(|f| f.contains("Service Accounts")),
            "{why}"
        );
        assert!(
            report.input_rejected(),
            "{why}: an input problem (CLI exit 2)"
        );
        assert!(demo.sim().requests().is_empty(), "{why}: nothing is sent");
        assert!(
            !format!("{report:?}").contains("CANARY"),
            "{why}: the secret is not quoted"
        );
    }
    demo.stop().await;
}

#[test]
fn shape_feedback_names_the_form() {
    let admin = onboard::key_feedback(&format!("jca_{}", "a".repeat(36)));
    assert!(
        admin.ok && admin.message.contains("an administrator's API key"),
        "{}",
        admin.message
    );
    let service = onboard::key_feedback(&format!("jcs_{}", "b".repeat(44)));
    assert!(
        service.ok && service.message.contains("a service account's API key"),
        "{}",
        service.message
    );
    assert!(
        !service.message.contains("older-style"),
        "{}",
        service.message
    );
    let legacy = onboard::key_feedback(&"c".repeat(40));
    assert!(
        legacy.ok && legacy.message.contains("older style"),
        "{}",
        legacy.message
    );
    let pair = onboard::client_credentials_feedback("client-1", "secret");
    assert!(
        pair.ok && pair.message.contains("client ID and secret"),
        "{}",
        pair.message
    );
}
