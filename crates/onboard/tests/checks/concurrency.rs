//! The checks beneath the organization run together: the report is still complete and in
//! catalogue order, the requests really overlap (read from the simulator's request log, not
//! from wall time), never more than the bound, and a check that reads beneath another waits.

use std::net::SocketAddr;
use std::time::Duration;

use jc_api::BaseUrl;
use jc_sim::hostile::{Answer, Hostile, Reply};
use jc_sim::{RecordedRequest, Scenario, SimConfig};
use onboard::checks::CHECKS_AT_ONCE;
use onboard::demo::Demo;
use onboard::{ConnectionInput, PastedKey, Target};
use serde_json::json;

use super::*;

/// Each scenario whose faults do not depend on timing, with an organization picked (by its index
/// among the key's organizations) or not, whether it connects, and every check that does not
/// pass. A failed role or user read skips only the checks that read beneath it: the other reads
/// beneath the organization do not depend on it, so they report what they saw.
#[allow(clippy::type_complexity)]
const EVERY_STATE: &[(Scenario, Option<usize>, bool, &[(&str, &str)])] = &[
    (Scenario::Healthy, None, true, &[]),
    (Scenario::EuRegion, None, true, &[]),
    (Scenario::InRegion, None, true, &[]),
    (
        Scenario::MultiTenant,
        None,
        false,
        &[
            ("org.selected", "fail"),
            ("role.least_privilege", "skipped"),
            ("access.users", "skipped"),
            ("access.user_groups", "skipped"),
            ("access.group_members", "skipped"),
            ("access.admins", "skipped"),
            ("access.applications", "skipped"),
            ("access.app_access", "skipped"),
            ("access.devices", "skipped"),
            ("access.device_groups", "skipped"),
            ("access.policies", "skipped"),
            ("access.policy_results", "skipped"),
            ("access.ldap_servers", "skipped"),
            ("access.radius_servers", "skipped"),
            ("preview.sample", "skipped"),
        ],
    ),
    (Scenario::MultiTenant, Some(1), true, &[]),
    (
        Scenario::CommandRunner,
        None,
        false,
        &[
            ("role.least_privilege", "fail"),
            ("access.user_groups", "fail"),
            ("access.group_members", "skipped"),
            ("access.admins", "warn"),
            ("access.applications", "fail"),
            ("access.app_access", "skipped"),
            ("access.devices", "fail"),
            ("access.device_groups", "fail"),
            ("access.policies", "fail"),
            ("access.policy_results", "fail"),
            ("access.ldap_servers", "fail"),
            ("access.radius_servers", "fail"),
        ],
    ),
    (
        Scenario::AdminWithBilling,
        None,
        true,
        &[("role.least_privilege", "warn")],
    ),
    (Scenario::ReadOnlyAssociation403, None, true, &[]),
    (
        Scenario::TruncatedJson,
        None,
        true,
        &[("access.users", "warn"), ("preview.sample", "warn")],
    ),
    (
        Scenario::ExpiredKey,
        None,
        false,
        &[
            ("key.accepted", "fail"),
            ("org.selected", "skipped"),
            ("role.least_privilege", "skipped"),
            ("access.users", "skipped"),
            ("access.user_groups", "skipped"),
            ("access.group_members", "skipped"),
            ("access.admins", "skipped"),
            ("access.applications", "skipped"),
            ("access.app_access", "skipped"),
            ("access.devices", "skipped"),
            ("access.device_groups", "skipped"),
            ("access.policies", "skipped"),
            ("access.policy_results", "skipped"),
            ("access.ldap_servers", "skipped"),
            ("access.radius_servers", "skipped"),
            ("preview.sample", "skipped"),
        ],
    ),
    (
        Scenario::EmptyOrg,
        None,
        true,
        &[("preview.sample", "warn")],
    ),
    (
        Scenario::CustomRole,
        None,
        true,
        &[
            ("role.least_privilege", "warn"),
            ("access.devices", "fail"),
            ("access.policies", "fail"),
            ("access.policy_results", "fail"),
        ],
    ),
    (
        Scenario::CustomRolePartial,
        None,
        true,
        &[
            ("role.least_privilege", "warn"),
            ("access.devices", "fail"),
            ("access.policies", "fail"),
            ("access.policy_results", "fail"),
            ("access.radius_servers", "fail"),
        ],
    ),
    (
        Scenario::BroadRole,
        None,
        true,
        &[("role.least_privilege", "warn")],
    ),
    (Scenario::Slow, None, true, &[]),
    (Scenario::ManagerNames, None, true, &[]),
    // The service-account scenarios with the account's API key (`jcs_`); the client ID and
    // secret are tested in `service_accounts`.
    (Scenario::ServiceAccount, None, true, &[]),
    (Scenario::ServiceAccountEu, None, true, &[]),
    (
        Scenario::ServiceAccountExpiring,
        None,
        true,
        &[("credentials.expiry", "warn")],
    ),
    (
        Scenario::ServiceAccountExpired,
        None,
        false,
        AFTER_A_REFUSED_CREDENTIAL,
    ),
    (
        Scenario::ServiceAccountBroadRole,
        None,
        true,
        &[("role.least_privilege", "warn")],
    ),
    (
        Scenario::ServiceAccountNoSaScope,
        None,
        true,
        &[
            ("credentials.expiry", "skipped"),
            ("role.least_privilege", "warn"),
        ],
    ),
    (Scenario::ShortToken, None, true, &[]),
];

/// A check a scenario's row does not list passes, except the expiry of an administrator's
/// key, which JumpCloud does not show and so is never checked.
fn unlisted_state(scenario: Scenario, id: &str) -> &'static str {
    if id == "credentials.expiry" && !scenario.has_service_account() {
        "skipped"
    } else {
        "pass"
    }
}

const AFTER_A_REFUSED_CREDENTIAL: &[(&str, &str)] = &[
    ("key.accepted", "fail"),
    ("org.selected", "skipped"),
    ("credentials.expiry", "skipped"),
    ("role.least_privilege", "skipped"),
    ("access.users", "skipped"),
    ("access.user_groups", "skipped"),
    ("access.group_members", "skipped"),
    ("access.admins", "skipped"),
    ("access.applications", "skipped"),
    ("access.app_access", "skipped"),
    ("access.devices", "skipped"),
    ("access.device_groups", "skipped"),
    ("access.policies", "skipped"),
    ("access.policy_results", "skipped"),
    ("access.ldap_servers", "skipped"),
    ("access.radius_servers", "skipped"),
    ("preview.sample", "skipped"),
];

/// Where a fault meets whichever request arrives at the wrong moment.
const TIMING_DEPENDENT: [Scenario; 2] = [Scenario::RateLimited, Scenario::Flaky];

#[test]
fn every_scenario_has_its_expected_report() {
    for scenario in Scenario::ALL {
        assert!(
            TIMING_DEPENDENT.contains(&scenario)
                || EVERY_STATE.iter().any(|(s, ..)| *s == scenario),
            "{scenario}: add its expected states to EVERY_STATE"
        );
    }
}

#[tokio::test]
async fn every_scenario_reports_each_check_once_in_catalogue_order_with_its_state() {
    let catalogue: Vec<String> = onboard::catalogue().into_iter().map(|s| s.id).collect();
    for (scenario, picked, ok, not_passing) in EVERY_STATE {
        let config = SimConfig {
            // The slow scenario's three seconds per answer would only make this test long.
            latency: Duration::from_millis(if *scenario == Scenario::Slow { 30 } else { 0 }),
            ..SimConfig::scenario(*scenario)
        };
        let demo = Demo::start_with(config).await.expect("start");
        let org = picked.map(|i| demo.sim().org_ids()[i].clone());
        let report = run(&demo.input(org)).await;
        let expected: Vec<String> = catalogue
            .iter()
            .map(|id| {
                let state = not_passing
                    .iter()
                    .find(|(check, _)| check == id)
                    .map_or_else(|| unlisted_state(*scenario, id), |(_, state)| state);
                format!("{id}={state}")
            })
            .collect();
        assert_eq!(
            states(&report),
            expected,
            "{scenario} (organization picked: {picked:?}): every check, in catalogue order, with its state"
        );
        assert_eq!(report.ok, *ok, "{scenario}: whether it connects");
        demo.stop().await;
    }
}

#[tokio::test]
async fn timing_dependent_faults_still_report_every_check_in_catalogue_order() {
    let catalogue: Vec<String> = onboard::catalogue().into_iter().map(|s| s.id).collect();
    for scenario in TIMING_DEPENDENT {
        let demo = demo(scenario).await;
        let report = run(&demo.input(None)).await;
        let ids: Vec<&str> = report.checks.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            ids, catalogue,
            "{scenario}: which request meets the fault depends on timing, but the report lists every \
             check once, in catalogue order"
        );
        demo.stop().await;
    }
}

/// The requests answered after the organization was chosen: the checks beneath it.
fn beneath_the_org(requests: &[RecordedRequest]) -> Vec<&RecordedRequest> {
    let org_chosen = requests
        .iter()
        .filter(|r| r.path.starts_with("/api/organizations"))
        .map(|r| r.answered)
        .max()
        .expect("the organization was listed");
    requests
        .iter()
        .filter(|r| r.received >= org_chosen)
        .collect()
}

fn overlap(a: &RecordedRequest, b: &RecordedRequest) -> bool {
    a.received < b.answered && b.received < a.answered
}

/// The most requests the simulator was answering at one moment.
fn most_at_once(requests: &[&RecordedRequest]) -> usize {
    requests
        .iter()
        .map(|r| {
            requests
                .iter()
                .filter(|o| o.received <= r.received && r.received < o.answered)
                .count()
        })
        .max()
        .unwrap_or(0)
}

fn asks(request: &RecordedRequest, param: &str) -> bool {
    request
        .query
        .as_deref()
        .is_some_and(|q| q.split('&').any(|p| p == param))
}

/// The first read of a route (a probe's `limit=1` read, for a list route).
fn request<'r>(requests: &[&'r RecordedRequest], path: &str) -> &'r RecordedRequest {
    requests
        .iter()
        .find(|r| r.path == path && (r.query.is_none() || asks(r, "limit=1")))
        .copied()
        .unwrap_or_else(|| {
            let paths: Vec<&str> = requests.iter().map(|r| r.path.as_str()).collect();
            panic!("{path} was requested beneath the organization: {paths:?}")
        })
}

#[tokio::test]
async fn checks_beneath_the_org_overlap_never_more_than_the_bound_and_wait_only_for_what_they_read()
{
    let config = SimConfig {
        latency: Duration::from_millis(200),
        ..SimConfig::scenario(Scenario::Healthy)
    };
    let demo = Demo::start_with(config).await.expect("start");
    let report = run(&demo.input(None)).await;
    assert!(report.ok, "{:#?}", states(&report));
    let log = demo.sim().requests();
    let requests = beneath_the_org(&log);

    let role = request(&requests, "/api/settings");
    let users = request(&requests, "/api/systemusers");
    assert!(
        overlap(role, users),
        "the role read and the user read do not depend on each other, so they are in flight together"
    );
    let at_once = most_at_once(&requests);
    assert!(
        at_once > 1,
        "the checks beneath the organization overlap; at most {at_once} were in flight at once"
    );
    assert!(
        at_once <= CHECKS_AT_ONCE,
        "never more than {CHECKS_AT_ONCE} checks in flight at once, saw {at_once}"
    );

    let groups = request(&requests, "/api/v2/usergroups");
    let members = requests
        .iter()
        .find(|r| r.path.starts_with("/api/v2/usergroups/") && r.path.ends_with("/membership"))
        .expect("a group's members were read");
    assert!(
        members.received >= groups.answered,
        "a group's members are read only once the group list named a group"
    );
    let sample = requests
        .iter()
        .find(|r| r.path == "/api/systemusers" && asks(r, "limit=10"))
        .expect("the sample of users was read");
    assert!(
        sample.received >= users.answered,
        "the sample is read only once the users could be read"
    );
    demo.stop().await;
}

#[tokio::test]
async fn a_refused_user_read_skips_only_the_check_that_reads_beneath_it() {
    // The healthy org behind a front that refuses every user read: the one mandatory check
    // beneath the organization that another check depends on fails.
    let demo = demo(Scenario::Healthy).await;
    let upstream: SocketAddr = demo
        .sim()
        .base_url()
        .trim_start_matches("http://")
        .parse()
        .expect("the sim listens on an address");
    let front = Hostile::start(move |request| match request.path() {
        "/api/systemusers" => Answer::Reply(Reply::json(403, &json!({"message": "Forbidden"}))),
        _ => Answer::Forward(upstream),
    })
    .await
    .expect("the front listens on loopback");
    let input = ConnectionInput {
        key: PastedKey::new(demo.sim().api_key().to_owned()),
        client_id: None,
        org_id: None,
        target: Target::Fixed(BaseUrl::parse(&front.url()).expect("a host root")),
    };
    let report = run(&input).await;

    let catalogue: Vec<String> = onboard::catalogue().into_iter().map(|s| s.id).collect();
    let expected: Vec<String> = catalogue
        .iter()
        .map(|id| match id.as_str() {
            "access.users" => format!("{id}=fail"),
            "preview.sample" | "credentials.expiry" => format!("{id}=skipped"),
            _ => format!("{id}=pass"),
        })
        .collect();
    assert_eq!(
        states(&report),
        expected,
        "only the sample, which reads the users, is skipped; the reads that do not depend on the \
         users still run and report what they saw, in catalogue order"
    );
    assert!(!report.ok, "a refused user read stops the connection");
    assert_eq!(
        check(&report, "preview.sample").message,
        "Not checked, because \"Users can be read\" failed.",
        "the skipped check names the check it needed"
    );
    let user_reads: Vec<String> = front
        .requests()
        .iter()
        .filter(|r| r.path() == "/api/systemusers")
        .map(|r| r.target.clone())
        .collect();
    assert_eq!(
        user_reads.len(),
        1,
        "the users were asked for once, by their probe; the skipped sample asked nothing: {user_reads:?}"
    );
    demo.stop().await;
}
