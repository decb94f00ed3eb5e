use std::time::Duration;

use jc_api::Region;
use jc_sim::{Scenario, SimConfig};
use onboard::demo::Demo;
use onboard::{CheckState, Target};

use super::*;

/// What a scenario must look like: the state of named checks, and words its message and fix must use.
struct Expect {
    scenario: Scenario,
    ok: bool,
    checks: &'static [(&'static str, &'static str)],
    /// (check id, words in the message, words in the fix)
    says: &'static [(&'static str, &'static str, &'static str)],
}

const TABLE: &[Expect] = &[
    Expect {
        scenario: Scenario::Healthy,
        ok: true,
        checks: &[
            ("key.accepted", "pass"),
            ("org.selected", "pass"),
            ("role.least_privilege", "pass"),
            ("preview.sample", "pass"),
        ],
        says: &[("role.least_privilege", "Read Only", "")],
    },
    Expect {
        scenario: Scenario::EuRegion,
        ok: true,
        checks: &[("key.accepted", "pass"), ("preview.sample", "pass")],
        says: &[("key.accepted", "EU data center (found automatically)", "")],
    },
    Expect {
        scenario: Scenario::InRegion,
        ok: true,
        checks: &[("key.accepted", "pass")],
        says: &[("key.accepted", "India data center", "")],
    },
    Expect {
        scenario: Scenario::MultiTenant,
        ok: false,
        checks: &[
            ("key.accepted", "pass"),
            ("org.selected", "fail"),
            ("role.least_privilege", "skipped"),
        ],
        says: &[(
            "org.selected",
            "multi-tenant administrator who can reach 3 organizations",
            "--org-id",
        )],
    },
    Expect {
        scenario: Scenario::CommandRunner,
        ok: false,
        checks: &[
            ("key.accepted", "pass"),
            ("role.least_privilege", "fail"),
            ("access.users", "pass"),
            ("access.user_groups", "fail"),
            ("access.group_members", "skipped"),
        ],
        says: &[
            ("role.least_privilege", "Command Runner", "Read Only role"),
            (
                "access.group_members",
                "because \"User groups can be read\" failed",
                "",
            ),
        ],
    },
    Expect {
        scenario: Scenario::AdminWithBilling,
        ok: true,
        checks: &[("role.least_privilege", "warn"), ("access.users", "pass")],
        says: &[(
            "role.least_privilege",
            "Administrator With Billing role, which can change your directory",
            "Read Only role",
        )],
    },
    Expect {
        scenario: Scenario::ReadOnlyAssociation403,
        ok: true,
        checks: &[("access.app_access", "pass")],
        says: &[(
            "access.app_access",
            "direct association list from read-only keys",
            "",
        )],
    },
    Expect {
        scenario: Scenario::TruncatedJson,
        // A cut-off answer says nothing against the key: a warning that says to try again.
        ok: true,
        checks: &[("access.users", "warn"), ("preview.sample", "warn")],
        says: &[(
            "access.users",
            "cut off before it was complete",
            "Try again",
        )],
    },
    Expect {
        scenario: Scenario::ExpiredKey,
        ok: false,
        checks: &[
            ("network.reach", "pass"),
            ("key.accepted", "fail"),
            ("org.selected", "skipped"),
        ],
        says: &[(
            "key.accepted",
            "did not recognise this API key in any of its data centers",
            "Generate New API Key",
        )],
    },
    Expect {
        scenario: Scenario::EmptyOrg,
        ok: true,
        checks: &[
            ("access.group_members", "pass"),
            ("access.app_access", "pass"),
            ("preview.sample", "warn"),
        ],
        says: &[("preview.sample", "no users yet", "Add or import users")],
    },
    Expect {
        scenario: Scenario::CustomRolePartial,
        ok: true,
        checks: &[
            ("role.least_privilege", "warn"),
            ("access.users", "pass"),
            ("access.device_groups", "pass"),
            ("access.devices", "fail"),
            ("access.policies", "fail"),
            ("access.radius_servers", "fail"),
            ("access.ldap_servers", "pass"),
        ],
        says: &[
            (
                "role.least_privilege",
                "lacks 2 read permissions this connection needs: systems.readonly",
                "custom role recipe",
            ),
            ("role.least_privilege", "radius.readonly (RADIUS servers)", ""),
            ("access.devices", "not allowed to read devices", "custom role"),
        ],
    },
    Expect {
        scenario: Scenario::BroadRole,
        ok: true,
        checks: &[
            ("role.least_privilege", "warn"),
            ("access.users", "pass"),
            ("access.radius_servers", "pass"),
        ],
        says: &[(
            "role.least_privilege",
            "Onboarding Editor role, which can change your directory. It can also change users (users; \
             only users.readonly is needed)",
            "only the read permissions",
        )],
    },
    Expect {
        scenario: Scenario::CustomRole,
        ok: true,
        checks: &[
            ("role.least_privilege", "warn"),
            ("access.policies", "fail"),
            ("access.devices", "fail"),
            ("access.users", "pass"),
        ],
        says: &[
            (
                "role.least_privilege",
                "did not say which role",
                "Read Only",
            ),
            (
                "access.policies",
                "not allowed to read device policies",
                "custom role",
            ),
        ],
    },
];

#[tokio::test]
async fn every_scenario_names_its_real_cause() {
    for expect in TABLE {
        let demo = demo(expect.scenario).await;
        let report = run(&demo.input(None)).await;
        let name = expect.scenario;
        assert_eq!(
            report.ok,
            expect.ok,
            "{name}: overall result; checks: {:#?}",
            states(&report)
        );
        for (id, state) in expect.checks {
            assert_eq!(
                state_name(check(&report, id).state),
                *state,
                "{name}: {id}; all: {:#?}",
                states(&report)
            );
        }
        for (id, message, fix) in expect.says {
            let c = check(&report, id);
            assert!(
                c.message.contains(message),
                "{name}: {id} message should say {message:?}, says {:?}",
                c.message
            );
            let got_fix = c.fix.clone().unwrap_or_default();
            assert!(
                got_fix.contains(fix),
                "{name}: {id} fix should say {fix:?}, says {got_fix:?}"
            );
        }
        assert_eq!(
            report.checks.len(),
            onboard::catalogue().len(),
            "{name}: every check is reported, run or not"
        );
        demo.stop().await;
    }
}

#[tokio::test]
async fn healthy_report_names_region_org_and_role() {
    let demo = demo(Scenario::Healthy).await;
    let report = run(&demo.input(None)).await;
    assert_eq!(report.region, Some(Region::Us));
    let org = report.org.clone().expect("the only org is picked");
    assert_eq!(org.id, demo.sim().org_id());
    assert_eq!(org.name, demo.sim().org_name());
    assert_eq!(report.role.as_deref(), Some("Read Only"));
    assert_eq!(report.auth, Some(jc_api::AuthKind::AdminApiKey));
    assert_eq!(
        report.credentials_expire_at, None,
        "an admin key's expiry is not shown"
    );
    let expiry = check(&report, "credentials.expiry");
    assert_eq!(expiry.state, CheckState::Skipped);
    assert!(
        expiry.message.contains("administrator's API key"),
        "{}",
        expiry.message
    );
    assert!(
        report
            .checks
            .iter()
            .all(|c| c.state == CheckState::Pass || c.id == "credentials.expiry"),
        "{:#?}",
        states(&report)
    );
    demo.stop().await;
}

#[tokio::test]
async fn eu_key_is_found_after_the_us_401() {
    let demo = demo(Scenario::EuRegion).await;
    let report = run(&demo.input(None)).await;
    assert_eq!(report.region, Some(Region::Eu));
    let evidence = &check(&report, "key.accepted").detail;
    let outcomes: Vec<(Option<u16>, &str)> = evidence
        .iter()
        .map(|e| (e.status, e.outcome.as_str()))
        .collect();
    assert_eq!(
        outcomes,
        vec![(Some(401), "unknown_key"), (Some(200), "ok")],
        "US refuses the key, then EU accepts it"
    );
    demo.stop().await;
}

#[tokio::test]
async fn a_chosen_region_that_is_wrong_is_named() {
    let demo = demo(Scenario::EuRegion).await;
    let mut input = demo.input(None);
    let Target::Auto(hosts) = input.target.clone() else {
        unreachable!("demo input is automatic")
    };
    input.target = Target::Region(Region::Us, hosts);
    let report = run(&input).await;
    let accepted = check(&report, "key.accepted");
    assert_eq!(accepted.state, CheckState::Fail);
    assert!(
        accepted.message.contains("EU data center, not US"),
        "{}",
        accepted.message
    );
    assert!(
        accepted
            .fix
            .as_deref()
            .unwrap_or_default()
            .contains("Choose EU"),
        "{:?}",
        accepted.fix
    );
    demo.stop().await;
}

#[tokio::test]
async fn multi_tenant_key_lists_orgs_and_works_once_one_is_picked() {
    let demo = demo(Scenario::MultiTenant).await;
    let report = run(&demo.input(None)).await;
    let names: Vec<&str> = report
        .orgs_available
        .iter()
        .map(|o| o.name.as_str())
        .collect();
    assert_eq!(
        names.len(),
        3,
        "the picker gets every org with its name: {names:?}"
    );
    assert!(report.org.is_none(), "nothing is picked for the user");

    let picked = run(&demo.input(Some(demo.sim().org_ids()[1].clone()))).await;
    assert!(picked.ok, "{:#?}", states(&picked));
    assert_eq!(
        picked.org.as_ref().map(|o| o.id.as_str()),
        Some(demo.sim().org_ids()[1].as_str())
    );
    demo.stop().await;
}

#[tokio::test]
async fn an_org_the_key_cannot_reach_is_refused() {
    let demo = demo(Scenario::Healthy).await;
    let report = run(&demo.input(Some("0123456789abcdef01234567".into()))).await;
    let org = check(&report, "org.selected");
    assert_eq!(org.state, CheckState::Fail);
    assert!(
        org.message
            .contains("cannot reach organization 0123456789abcdef01234567"),
        "{}",
        org.message
    );
    demo.stop().await;
}

#[tokio::test]
async fn rate_limits_and_outages_are_named_not_blamed_on_the_key() {
    for (scenario, words) in [
        (Scenario::RateLimited, "limiting how fast"),
        (Scenario::Flaky, "JumpCloud"),
    ] {
        let demo = demo(scenario).await;
        let report = run(&demo.input(None)).await;
        let failed: Vec<_> = report
            .checks
            .iter()
            .filter(|c| matches!(c.state, CheckState::Fail | CheckState::Warn))
            .collect();
        assert!(
            !failed.is_empty(),
            "{scenario}: the checks do not retry, so the fault shows: {:#?}",
            states(&report)
        );
        for c in &failed {
            assert!(
                c.message.contains(words),
                "{scenario}: {} should name the cause: {}",
                c.id,
                c.message
            );
            assert!(
                !c.message.contains("did not accept this API key"),
                "{scenario}: never blamed on the key"
            );
        }
        if scenario == Scenario::Flaky {
            assert!(
                failed
                    .iter()
                    .any(|c| c.message.contains("temporary problem")
                        || c.message.contains("web page")),
                "flaky: a 503 or the 502 page is named: {failed:#?}"
            );
        }
        demo.stop().await;
    }
}

#[tokio::test]
async fn slow_org_still_passes() {
    let config = SimConfig {
        latency: Duration::from_millis(150),
        ..SimConfig::scenario(Scenario::Slow)
    };
    let demo = Demo::start_with(config).await.expect("start");
    let report = run(&demo.input(None)).await;
    assert!(report.ok, "{:#?}", states(&report));
    let latency = check(&report, "key.accepted")
        .detail
        .last()
        .map(|e| e.latency_ms)
        .unwrap_or_default();
    assert!(
        latency >= 150,
        "the detail shows the real latency: {latency} ms"
    );
    demo.stop().await;
}
