//! Each scenario's distinguishing behaviour, plus paging, determinism, canaries and the request log,
//! all over real loopback HTTP.

mod common;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use common::{first_id, get, get_with, ids, start, start_scenario, Response};
use jc_sim::{Region, RunningSim, Scenario, SimConfig, Sizes};
use serde_json::{json, Value};

const UNKNOWN_KEY: &str = "jca_000000000000000000000000000000000000";

fn unknown_key_body() -> Value {
    json!({"error": "Unauthorized", "message": "Unauthorized: api key user not found"})
}

fn forbidden_body() -> Value {
    json!({"code": 403, "message": "Forbidden", "status": "Forbidden"})
}

fn assert_reply(response: &Response, status: u16, body: &Value, why: &str) {
    assert_eq!(
        response.status,
        status,
        "{why}: expected HTTP {status}, got body {}",
        response.text()
    );
    assert_eq!(&response.json(), body, "{why}: body");
}

async fn get_in(sim: &RunningSim, region: Region, path: &str) -> Response {
    get_with(
        &format!("{}{path}", sim.region_url(region)),
        Some(sim.api_key()),
        None,
    )
    .await
}

async fn get_org(sim: &RunningSim, path: &str, org: &str) -> Response {
    get_with(
        &format!("{}{path}", sim.base_url()),
        Some(sim.api_key()),
        Some(org),
    )
    .await
}

fn sizes(users: usize, groups: usize) -> Sizes {
    Sizes {
        users,
        groups,
        ..Sizes::default()
    }
}

#[tokio::test]
async fn healthy_answers_like_jumpcloud_behind_cloudflare() {
    let sim = start_scenario(Scenario::Healthy).await;
    assert_eq!(sim.home_region(), Region::Us);
    let key = sim.api_key();
    assert!(
        key.len() == 40
            && key.starts_with("jca_")
            && key[4..].chars().all(|c| c.is_ascii_alphanumeric()),
        "the key looks like a current JumpCloud key: jca_ + 36 alphanumerics"
    );
    assert!(sim.org_id().len() == 24 && sim.org_id().chars().all(|c| c.is_ascii_hexdigit()));

    let response = get(&sim, "/api/organizations").await;
    assert_eq!(response.status, 200);
    assert_eq!(
        response.header("server").as_deref(),
        Some("cloudflare"),
        "responses come through Cloudflare"
    );
    assert_eq!(
        response.header("content-type").as_deref(),
        Some("application/json; charset=utf-8")
    );
    let ray = response.header("cf-ray").expect("a cf-ray header");
    assert!(
        ray.len() == 20
            && ray.ends_with("-IAD")
            && ray[..16].chars().all(|c| c.is_ascii_hexdigit()),
        "cf-ray is <16 hex>-IAD, got {ray}"
    );
    assert_eq!(response.json()["results"][0]["displayName"], sim.org_name());

    for region in [Region::Eu, Region::In] {
        let other = get_in(&sim, region, "/api/organizations").await;
        assert_reply(
            &other,
            401,
            &unknown_key_body(),
            "the org lives in the US, so other regions don't know the key",
        );
    }
    let no_key = get_with(&format!("{}/api/systemusers", sim.base_url()), None, None).await;
    assert_reply(
        &no_key,
        401,
        &json!({"message": "Unauthorized"}),
        "no x-api-key header",
    );
    for region in Region::ALL {
        let wrong = get_with(
            &format!("{}/api/organizations", sim.region_url(region)),
            Some(UNKNOWN_KEY),
            None,
        )
        .await;
        assert_reply(
            &wrong,
            401,
            &unknown_key_body(),
            "a wrong key is unknown in every region",
        );
    }
    for path in ["/", "/api", "/api/v2", "/api/v2/nothing-here"] {
        assert_reply(
            &get(&sim, path).await,
            404,
            &json!({"message": "Not Found"}),
            "the API root and unknown paths are 404",
        );
    }
    let settings = get(&sim, "/api/settings").await.json();
    assert_eq!(settings["ROLE"], "Read Only");
    assert_eq!(settings["ORG_ID"], sim.org_id());
    assert_eq!(settings["IS_CUSTOMER"], true);
    assert!(settings["SETTINGS"].is_object());
    // A single-tenant key may name its own org, but no other.
    assert_eq!(
        get_org(&sim, "/api/v2/usergroups", sim.org_id())
            .await
            .status,
        200
    );
    let other_org = get_org(&sim, "/api/v2/usergroups", "0123456789abcdef01234567").await;
    assert_reply(
        &other_org,
        404,
        &json!({"message": "Organization ID Not Found"}),
        "an org the key can't reach",
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn eu_and_in_orgs_answer_only_in_their_region() {
    for (scenario, home) in [
        (Scenario::EuRegion, Region::Eu),
        (Scenario::InRegion, Region::In),
    ] {
        let sim = start_scenario(scenario).await;
        assert_eq!(sim.home_region(), home);
        assert_eq!(
            sim.base_url(),
            sim.region_url(home),
            "base_url is the home region's root"
        );
        for region in Region::ALL {
            let response = get_in(&sim, region, "/api/organizations").await;
            if region == home {
                assert_eq!(
                    response.status, 200,
                    "{scenario}: the home region {region} knows the key"
                );
            } else {
                assert_reply(
                    &response,
                    401,
                    &unknown_key_body(),
                    &format!("{scenario}: {region} is the wrong region"),
                );
            }
        }
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn multi_tenant_keys_must_pick_an_org_on_data_routes() {
    let sim = start_scenario(Scenario::MultiTenant).await;
    let orgs = get(&sim, "/api/organizations").await.json();
    assert_eq!(orgs["totalCount"], 3, "the key reaches three orgs");
    let names: BTreeSet<String> = orgs["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| o["displayName"].as_str().map(str::to_string))
        .collect();
    assert_eq!(names.len(), 3, "the orgs have distinct names: {names:?}");
    assert_eq!(sim.org_ids().len(), 3);
    assert_eq!(sim.org_ids()[0], sim.org_id(), "org_id() is the first org");
    assert_eq!(
        ids(&orgs).into_iter().collect::<BTreeSet<_>>(),
        sim.org_ids().into_iter().collect()
    );

    let no_org = get(&sim, "/api/v2/usergroups").await;
    assert_reply(
        &no_org,
        401,
        &json!({"message": "Unauthorized: no organization selected"}),
        "MTP key without x-org-id",
    );
    let mut first_users = BTreeSet::new();
    for org in sim.org_ids() {
        let users = get_org(&sim, "/api/systemusers", &org).await;
        assert_eq!(users.status, 200, "x-org-id {org} selects a reachable org");
        first_users.insert(first_id(&users.json()));
        assert_eq!(
            get_org(&sim, "/api/settings", &org).await.json()["ORG_ID"],
            org.as_str()
        );
        assert_eq!(
            get(&sim, &format!("/api/organizations/{org}")).await.status,
            200
        );
    }
    assert_eq!(first_users.len(), 3, "each org has its own users");
    assert_reply(
        &get_org(&sim, "/api/systemusers", "not-an-id").await,
        400,
        &json!({"message": "Malformed ID"}),
        "malformed x-org-id",
    );
    assert_reply(
        &get_org(&sim, "/api/systemusers", "0123456789abcdef01234567").await,
        404,
        &json!({"message": "Organization ID Not Found"}),
        "an org id the key can't reach",
    );

    let refused = json!({
        "message": "Forbidden: organization selection not allowed via header",
        "error": "Forbidden: organization selection not allowed via header",
    });
    assert_reply(
        &get_org(&sim, "/api/organizations", sim.org_id()).await,
        403,
        &refused,
        "x-org-id on the org list",
    );
    let one = format!("/api/organizations/{}", sim.org_id());
    assert_reply(
        &get_org(&sim, &one, sim.org_id()).await,
        403,
        &refused,
        "x-org-id on one org",
    );
    assert_reply(
        &get(&sim, "/api/organizations/xyz").await,
        400,
        &json!({"message": "Malformed ID"}),
        "malformed org path id",
    );
    assert_reply(
        &get(&sim, "/api/organizations/0123456789abcdef01234567").await,
        404,
        &json!({"message": "Organization ID Not Found"}),
        "unknown org path id",
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn command_runner_reaches_only_orgs_users_and_settings() {
    let sim = start_scenario(Scenario::CommandRunner).await;
    assert_eq!(
        get(&sim, "/api/organizations").await.status,
        200,
        "organizations carry commandrunner.legacy"
    );
    let users = get(&sim, "/api/systemusers").await;
    assert_eq!(
        users.status, 200,
        "the user list carries commandrunner.legacy"
    );
    assert_eq!(
        get(&sim, "/api/settings").await.json()["ROLE"],
        "Command Runner"
    );
    let user = first_id(&users.json());
    for path in [
        "/api/v2/usergroups".to_string(),
        "/api/applications".to_string(),
        "/api/systems".to_string(),
        "/api/users".to_string(),
        "/api/v2/policies".to_string(),
        format!("/api/systemusers/{user}"),
        format!("/api/v2/users/{user}/memberof"),
    ] {
        assert_reply(
            &get(&sim, &path).await,
            403,
            &forbidden_body(),
            &format!("Command Runner on {path}"),
        );
    }
    sim.shutdown().await;
}

/// Every data route the sim serves, for one org (ids taken from the org itself).
async fn every_data_path(sim: &RunningSim) -> Vec<String> {
    let user = first_id(&get(sim, "/api/systemusers").await.json());
    let group = first_id(&get(sim, "/api/v2/usergroups").await.json());
    let app = first_id(&get(sim, "/api/applications").await.json());
    let system = first_id(&get(sim, "/api/systems").await.json());
    let system_group = first_id(&get(sim, "/api/v2/systemgroups").await.json());
    let policy = first_id(&get(sim, "/api/v2/policies").await.json());
    let ldap = first_id(&get(sim, "/api/v2/ldapservers").await.json());
    let radius = first_id(&get(sim, "/api/radiusservers").await.json());
    vec![
        "/api/settings".into(),
        "/api/users".into(),
        "/api/systemusers".into(),
        format!("/api/systemusers/{user}"),
        "/api/applications".into(),
        format!("/api/applications/{app}"),
        "/api/systems".into(),
        format!("/api/systems/{system}"),
        "/api/radiusservers".into(),
        format!("/api/radiusservers/{radius}"),
        "/api/v2/usergroups".into(),
        format!("/api/v2/usergroups/{group}"),
        format!("/api/v2/usergroups/{group}/members"),
        format!("/api/v2/usergroups/{group}/membership"),
        format!("/api/v2/users/{user}/memberof"),
        format!("/api/v2/users/{user}/applications"),
        format!("/api/v2/users/{user}/systems"),
        format!("/api/v2/applications/{app}/associations?targets=user_group"),
        format!("/api/v2/applications/{app}/usergroups"),
        format!("/api/v2/applications/{app}/users"),
        format!("/api/v2/systems/{system}/memberof"),
        format!("/api/v2/systems/{system}/users"),
        format!("/api/v2/systems/{system}/policystatuses"),
        "/api/v2/systemgroups".into(),
        format!("/api/v2/systemgroups/{system_group}"),
        format!("/api/v2/systemgroups/{system_group}/members"),
        format!("/api/v2/systemgroups/{system_group}/membership"),
        "/api/v2/policies".into(),
        format!("/api/v2/policies/{policy}"),
        format!("/api/v2/policies/{policy}/policystatuses"),
        "/api/v2/policyresults".into(),
        "/api/v2/ldapservers".into(),
        format!("/api/v2/ldapservers/{ldap}"),
        format!("/api/v2/ldapservers/{ldap}/associations?targets=user_group"),
        format!("/api/v2/ldapservers/{ldap}/usergroups"),
        format!("/api/v2/ldapservers/{ldap}/users"),
        format!("/api/v2/radiusservers/{radius}/associations?targets=user_group"),
        format!("/api/v2/radiusservers/{radius}/usergroups"),
    ]
}

#[tokio::test]
async fn admin_with_billing_reads_everything() {
    let sim = start_scenario(Scenario::AdminWithBilling).await;
    assert_eq!(
        get(&sim, "/api/settings").await.json()["ROLE"],
        "Administrator With Billing"
    );
    for path in every_data_path(&sim).await {
        assert_eq!(
            get(&sim, &path).await.status,
            200,
            "an Administrator With Billing may read {path}"
        );
    }
    let admins = get(&sim, "/api/users").await.json();
    let roles: BTreeSet<&str> = admins["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["roleName"].as_str())
        .collect();
    assert!(
        roles.contains("Administrator With Billing") && roles.contains("Help Desk"),
        "admins have several roles: {roles:?}"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn read_only_keys_are_forbidden_on_associations_but_not_traversals() {
    let sim = start_scenario(Scenario::ReadOnlyAssociation403).await;
    for path in every_data_path(&sim).await {
        let response = get(&sim, &path).await;
        if path.contains("/associations") {
            assert_reply(
                &response,
                403,
                &forbidden_body(),
                &format!("read-only key on association route {path}"),
            );
        } else {
            assert_eq!(
                response.status, 200,
                "traversal and list routes still work for read-only keys: {path}"
            );
        }
    }
    sim.shutdown().await;
}

/// The scopes a role record of `/api/v2/roles` lists.
fn role_scopes(role: &Value) -> BTreeSet<String> {
    role["scopes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

/// The key's own role, as `/api/v2/roles` lists it (the role may read the list).
async fn own_role(sim: &RunningSim, name: &str) -> Value {
    let roles = get(sim, "/api/v2/roles").await;
    assert_eq!(
        roles.status,
        200,
        "the role may read the role list: {}",
        roles.text()
    );
    roles.json()["results"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["name"] == name)
        .cloned()
        .unwrap_or_else(|| panic!("the key's role {name} is listed"))
}

async fn forbidden_and_allowed(sim: &RunningSim, forbidden: &[String], allowed: &[String]) {
    let name = sim.scenario();
    for path in forbidden {
        assert_reply(
            &get(sim, path).await,
            403,
            &forbidden_body(),
            &format!("{name} on {path}"),
        );
    }
    for path in allowed {
        assert_eq!(
            get(sim, path).await.status,
            200,
            "{name}: the role may read {path}"
        );
    }
}

#[tokio::test]
async fn custom_role_is_unnamed_and_lacks_device_and_role_permissions() {
    let healthy = start_scenario(Scenario::Healthy).await;
    let system = first_id(&get(&healthy, "/api/systems").await.json());
    let policy = first_id(&get(&healthy, "/api/v2/policies").await.json());
    healthy.shutdown().await;
    let sim = start_scenario(Scenario::CustomRole).await;
    let settings = get(&sim, "/api/settings").await;
    assert_eq!(settings.status, 200);
    assert!(
        settings.json().get("ROLE").is_none(),
        "this custom role is left out of /api/settings"
    );
    forbidden_and_allowed(
        &sim,
        &[
            "/api/systems".into(),
            format!("/api/v2/systems/{system}/policystatuses"),
            "/api/v2/policies".into(),
            "/api/v2/policyresults".into(),
            format!("/api/v2/policies/{policy}"),
            "/api/v2/roles".into(),
        ],
        &[
            "/api/v2/usergroups".into(),
            "/api/v2/systemgroups".into(),
            "/api/systemusers".into(),
            "/api/applications".into(),
            "/api/radiusservers".into(),
        ],
    )
    .await;
    sim.shutdown().await;
}

#[tokio::test]
async fn custom_role_partial_lacks_exactly_devices_and_radius() {
    let sim = start_scenario(Scenario::CustomRolePartial).await;
    assert_eq!(
        get(&sim, "/api/settings").await.json()["ROLE"],
        "Directory Reader",
        "this custom role is named in /api/settings"
    );
    let own = own_role(&sim, "Directory Reader").await;
    assert_eq!(own["isCustom"], true);
    let read_only: BTreeSet<String> = jc_sim::scopes::INTEGRATION
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let lacking: BTreeSet<String> = read_only.difference(&role_scopes(&own)).cloned().collect();
    assert_eq!(
        lacking,
        BTreeSet::from(["radius.readonly".to_owned(), "systems.readonly".to_owned()]),
        "the role lacks exactly the devices and RADIUS read permissions"
    );
    let group = first_id(&get(&sim, "/api/v2/systemgroups").await.json());
    forbidden_and_allowed(
        &sim,
        &[
            "/api/systems".into(),
            "/api/v2/policies".into(),
            "/api/v2/policyresults".into(),
            format!("/api/v2/systemgroups/{group}/members"),
            "/api/radiusservers".into(),
        ],
        &[
            "/api/v2/systemgroups".into(),
            "/api/systemusers".into(),
            "/api/v2/usergroups".into(),
            "/api/v2/ldapservers".into(),
            "/api/users".into(),
        ],
    )
    .await;
    sim.shutdown().await;
}

#[tokio::test]
async fn broad_role_reads_everything_and_may_change_users_and_groups() {
    let sim = start_scenario(Scenario::BroadRole).await;
    assert_eq!(
        get(&sim, "/api/settings").await.json()["ROLE"],
        "Onboarding Editor"
    );
    for path in every_data_path(&sim).await {
        assert_eq!(
            get(&sim, &path).await.status,
            200,
            "the broad role may read {path}"
        );
    }
    let own = own_role(&sim, "Onboarding Editor").await;
    let scopes = role_scopes(&own);
    assert!(
        scopes.contains("users") && scopes.contains("groups"),
        "write scopes: {scopes:?}"
    );
    assert!(
        !scopes.contains("users.readonly"),
        "`users` replaces `users.readonly`"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn a_roles_scopes_decide_every_403() {
    let healthy = start_scenario(Scenario::Healthy).await;
    let mut paths = every_data_path(&healthy).await;
    paths.extend(["/api/organizations".to_owned(), "/api/v2/roles".to_owned()]);
    healthy.shutdown().await;
    for scenario in [
        Scenario::Healthy,
        Scenario::CommandRunner,
        Scenario::AdminWithBilling,
        Scenario::CustomRole,
        Scenario::CustomRolePartial,
        Scenario::BroadRole,
    ] {
        let sim = start_scenario(scenario).await;
        let (role, held) = sim.role();
        let (role, held) = (role.to_owned(), held.to_vec());
        for path in &paths {
            let route = path.split('?').next().unwrap_or_default();
            let needs = jc_sim::route_scopes(route).expect("a served route");
            let allowed = needs
                .scopes
                .is_none_or(|any| held.iter().any(|h| any.contains(&h.as_str())));
            let status = get(&sim, path).await.status;
            assert_eq!(
                status,
                if allowed { 200 } else { 403 },
                "{scenario} ({role}) on {path}: needs one of {:?}",
                needs.scopes
            );
        }
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn a_role_made_elsewhere_replaces_the_scenarios_scopes() {
    let sim = start(SimConfig {
        role_scopes: Some(vec!["users.readonly".to_owned()]),
        ..SimConfig::scenario(Scenario::CustomRolePartial)
    })
    .await;
    assert_eq!(sim.role().1, ["users.readonly".to_owned()]);
    assert_eq!(get(&sim, "/api/systemusers").await.status, 200);
    assert_eq!(
        get(&sim, "/api/v2/usergroups").await.status,
        403,
        "groups.readonly is not held"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn rate_limited_answers_429_alternating_retry_after() {
    // One token a second: sequential loopback requests come far faster than that, so most of a
    // burst is refused however busy the machine is. The exact 5-a-second budget of the scenario
    // is proven without a network in the behaviour's unit tests.
    let sim = start(SimConfig {
        rate_limit_per_sec: Some(1),
        ..SimConfig::scenario(Scenario::RateLimited)
    })
    .await;
    let started = std::time::Instant::now();
    let mut responses = Vec::new();
    for _ in 0..8 {
        responses.push(get(&sim, "/api/organizations").await);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let ok = responses.iter().filter(|r| r.status == 200).count();
    let most = 1 + elapsed.ceil() as usize;
    assert!(
        (1..=most).contains(&ok),
        "a bucket of one token refilled once a second admits the first request and at most one more \
         per second elapsed ({elapsed:.2} s): {ok} admitted"
    );
    let limited: Vec<&Response> = responses.iter().filter(|r| r.status == 429).collect();
    assert_eq!(ok + limited.len(), 8, "every refusal is a 429");
    assert!(
        limited.len() >= 2,
        "8 requests in {elapsed:.2} s overrun one token a second"
    );
    for r in &limited {
        assert_eq!(r.text(), "Too Many Requests", "429 body is plain text");
        assert_eq!(
            r.header("content-type").as_deref(),
            Some("text/plain; charset=utf-8")
        );
    }
    let retry_after: Vec<Option<String>> = limited
        .iter()
        .take(2)
        .map(|r| r.header("retry-after"))
        .collect();
    assert_eq!(
        retry_after,
        vec![Some("1".to_string()), None],
        "429s alternate between carrying Retry-After: 1 and none"
    );
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(
        get(&sim, "/api/organizations").await.status,
        200,
        "the bucket refills after a second"
    );
    sim.shutdown().await;

    let knob = start(SimConfig {
        rate_limit_per_sec: Some(2),
        ..SimConfig::default()
    })
    .await;
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(get(&knob, "/api/organizations").await.status);
    }
    assert_eq!(
        &statuses[..2],
        &[200, 200],
        "the knob sets the budget in any scenario"
    );
    assert!(
        statuses[2..].contains(&429),
        "past two a second, requests are limited: {statuses:?}"
    );
    knob.shutdown().await;
}

#[tokio::test]
async fn flaky_fails_every_third_and_fifth_data_request() {
    let sim = start_scenario(Scenario::Flaky).await;
    assert_eq!(
        get(&sim, "/api/organizations").await.status,
        200,
        "org routes are not data routes"
    );
    let mut statuses = Vec::new();
    for n in 1..=6 {
        let response = get(&sim, "/api/systemusers").await;
        match response.status {
            503 => assert_eq!(
                response.json(),
                json!({"message": "Service Unavailable"}),
                "request {n}: 503 is JSON"
            ),
            502 => {
                assert_eq!(
                    response.header("content-type").as_deref(),
                    Some("text/html; charset=UTF-8")
                );
                assert!(
                    response.text().contains("502: Bad gateway"),
                    "request {n}: a Cloudflare 502 page"
                );
                assert!(
                    serde_json::from_slice::<Value>(&response.body).is_err(),
                    "the 502 page is not JSON"
                );
            }
            _ => {}
        }
        statuses.push(response.status);
    }
    assert_eq!(
        statuses,
        vec![200, 200, 503, 200, 502, 503],
        "3rd and 6th are 503, 5th is 502"
    );

    // A client that retries transient failures gets every page.
    let mut pages = 0;
    let mut attempts = 0;
    for skip in [0, 10, 20] {
        loop {
            attempts += 1;
            assert!(attempts < 20, "retries terminate");
            let response = get(&sim, &format!("/api/systemusers?skip={skip}")).await;
            if response.status == 200 {
                pages += 1;
                break;
            }
        }
    }
    assert_eq!(pages, 3);
    sim.shutdown().await;
}

#[tokio::test]
async fn truncated_json_cuts_the_chosen_user_page() {
    let sim = start_scenario(Scenario::TruncatedJson).await;
    let cut = get(&sim, "/api/systemusers").await;
    assert_eq!(cut.status, 200, "the cut page still says 200");
    assert_eq!(
        cut.header("content-type").as_deref(),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(
        cut.header("content-length"),
        Some(cut.body.len().to_string()),
        "content-length matches the cut body"
    );
    assert!(
        serde_json::from_slice::<Value>(&cut.body).is_err(),
        "the body is cut mid-JSON and must not parse"
    );
    assert!(
        serde_json::from_slice::<Value>(&get(&sim, "/api/systemusers?skip=10").await.body).is_ok(),
        "other pages are whole"
    );
    assert_eq!(
        get(&sim, "/api/v2/usergroups")
            .await
            .json()
            .as_array()
            .map(Vec::len),
        Some(6),
        "other routes are whole"
    );
    sim.shutdown().await;

    let knob = start(SimConfig {
        truncate_at_skip: Some(10),
        ..SimConfig::scenario(Scenario::TruncatedJson)
    })
    .await;
    assert!(serde_json::from_slice::<Value>(&get(&knob, "/api/systemusers").await.body).is_ok());
    assert!(
        serde_json::from_slice::<Value>(&get(&knob, "/api/systemusers?skip=10").await.body)
            .is_err(),
        "truncate_at_skip chooses the page"
    );
    knob.shutdown().await;
}

#[tokio::test]
async fn slow_takes_three_seconds_and_latency_is_a_knob() {
    let sim = start_scenario(Scenario::Slow).await;
    let started = Instant::now();
    assert_eq!(get(&sim, "/api/organizations").await.status, 200);
    assert!(
        started.elapsed() >= Duration::from_millis(2900),
        "slow sleeps 3 s by default, took {:?}",
        started.elapsed()
    );
    sim.shutdown().await;

    let knob = start(SimConfig {
        latency: Duration::from_millis(250),
        ..SimConfig::default()
    })
    .await;
    let started = Instant::now();
    assert_eq!(get(&knob, "/api/organizations").await.status, 200);
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(240) && took < Duration::from_millis(2500),
        "latency knob 250 ms, took {took:?}"
    );
    knob.shutdown().await;
}

#[tokio::test]
async fn expired_keys_are_unknown_everywhere() {
    let sim = start_scenario(Scenario::ExpiredKey).await;
    for region in Region::ALL {
        for path in ["/api/organizations", "/api/systemusers"] {
            assert_reply(
                &get_in(&sim, region, path).await,
                401,
                &unknown_key_body(),
                &format!("expired key in {region} on {path}"),
            );
        }
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn empty_org_has_nothing_but_the_org_and_its_admin() {
    let sim = start_scenario(Scenario::EmptyOrg).await;
    assert_eq!(
        get(&sim, "/api/organizations").await.json()["totalCount"],
        1
    );
    let admins = get(&sim, "/api/users").await.json();
    assert_eq!(admins["totalCount"], 1, "only the key's admin");
    for path in [
        "/api/systemusers",
        "/api/applications",
        "/api/systems",
        "/api/radiusservers",
    ] {
        assert_eq!(
            get(&sim, path).await.json(),
            json!({"totalCount": 0, "results": []}),
            "{path} is empty"
        );
    }
    for path in [
        "/api/v2/usergroups",
        "/api/v2/systemgroups",
        "/api/v2/policies",
        "/api/v2/policyresults",
        "/api/v2/ldapservers",
    ] {
        let response = get(&sim, path).await;
        assert_eq!(response.json(), json!([]), "{path} is empty");
        assert_eq!(
            response.header("x-total-count").as_deref(),
            Some("0"),
            "{path} says so in x-total-count"
        );
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn manager_names_adds_a_name_attribute_and_changes_nothing_else() {
    let healthy = start_scenario(Scenario::Healthy).await;
    let names = start_scenario(Scenario::ManagerNames).await;
    let path = "/api/systemusers?limit=100&sort=_id";
    let plain = get(&healthy, path).await.json();
    let named = get(&names, path).await.json();
    let plain = plain["results"].as_array().expect("a user list");
    let named = named["results"].as_array().expect("a user list");
    assert_eq!(plain.len(), named.len(), "the same directory");
    let display = |id: &Value| {
        plain
            .iter()
            .find(|u| &u["_id"] == id)
            .map(|u| u["displayname"].clone())
    };
    let mut with_name = 0;
    for (before, after) in plain.iter().zip(named) {
        let mut stripped = after.clone();
        let attributes = stripped["attributes"]
            .as_array_mut()
            .expect("attributes is a list");
        let name_attribute = attributes
            .iter()
            .position(|a| a["name"] == "managerName")
            .map(|at| attributes.remove(at));
        assert_eq!(
            &stripped, before,
            "apart from managerName, every user is exactly the healthy one"
        );
        match (name_attribute, display(&after["manager"])) {
            (Some(attribute), Some(manager_name)) => {
                with_name += 1;
                assert_eq!(
                    attribute["value"], manager_name,
                    "managerName holds the manager's name as the console shows it"
                );
            }
            (None, Some(_)) => panic!("a user whose manager exists has managerName: {after}"),
            (Some(attribute), None) => {
                panic!("managerName only for a manager who exists: {attribute}")
            }
            (None, None) => {}
        }
    }
    assert!(
        with_name > plain.len() / 2,
        "most users have a manager recorded by name ({with_name} of {})",
        plain.len()
    );
    healthy.shutdown().await;
    names.shutdown().await;
}

/// Walks every page with limit 100 and returns the ids seen.
async fn walk_v1(sim: &RunningSim, path: &str) -> (u64, Vec<String>) {
    let mut seen = Vec::new();
    let mut total = 0;
    for skip in (0..).step_by(100) {
        let page = get(sim, &format!("{path}?limit=100&skip={skip}&sort=_id"))
            .await
            .json();
        total = page["totalCount"]
            .as_u64()
            .expect("V1 lists carry totalCount");
        let page_ids = ids(&page);
        let short = page_ids.len() < 100;
        seen.extend(page_ids);
        if short || seen.len() as u64 >= total {
            break;
        }
    }
    (total, seen)
}

async fn walk_v2(sim: &RunningSim, path: &str) -> (u64, Vec<String>) {
    let mut seen = Vec::new();
    let mut total = 0;
    for skip in (0..).step_by(100) {
        let response = get(sim, &format!("{path}?limit=100&skip={skip}&sort=id")).await;
        total = response
            .header("x-total-count")
            .and_then(|t| t.parse().ok())
            .expect("V2 lists carry x-total-count");
        let page_ids = ids(&response.json());
        let short = page_ids.len() < 100;
        seen.extend(page_ids);
        if short || seen.len() as u64 >= total {
            break;
        }
    }
    (total, seen)
}

#[tokio::test]
async fn paging_counts_and_walks_at_the_edges() {
    for n in [0usize, 1, 99, 100, 101] {
        let sim = start(SimConfig {
            sizes: sizes(n, n),
            ..SimConfig::default()
        })
        .await;
        let (total, users) = walk_v1(&sim, "/api/systemusers").await;
        assert_eq!(
            total, n as u64,
            "V1 totalCount is the number of users ({n})"
        );
        assert_eq!(
            users.len(),
            n,
            "walking V1 pages of 100 yields every user once ({n})"
        );
        assert_eq!(
            users.iter().collect::<BTreeSet<_>>().len(),
            n,
            "no duplicates ({n})"
        );
        let mut sorted = users.clone();
        sorted.sort();
        assert_eq!(users, sorted, "default order is by id ({n})");

        let (total, groups) = walk_v2(&sim, "/api/v2/usergroups").await;
        assert_eq!(
            total, n as u64,
            "V2 x-total-count is the number of groups ({n})"
        );
        assert_eq!(
            groups.len(),
            n,
            "walking V2 pages of 100 yields every group once ({n})"
        );

        let default_page = get(&sim, "/api/systemusers").await.json();
        assert_eq!(
            ids(&default_page).len(),
            n.min(10),
            "the default limit is 10 ({n})"
        );
        let past_end = get(&sim, &format!("/api/systemusers?skip={}", n + 5))
            .await
            .json();
        assert_eq!(
            past_end,
            json!({"totalCount": n, "results": []}),
            "skipping past the end is an empty page ({n})"
        );
        if n > 1 {
            let descending = get(&sim, "/api/v2/usergroups?limit=100&sort=-id")
                .await
                .json();
            let mut reversed = groups.clone();
            reversed.reverse();
            assert_eq!(
                ids(&descending)[..],
                reversed[..reversed.len().min(100)],
                "sort=-id reverses ({n})"
            );
        }
        sim.shutdown().await;
    }

    let sim = start_scenario(Scenario::Healthy).await;
    for path in [
        "/api/systemusers?limit=101",
        "/api/v2/usergroups?limit=101",
        "/api/systemusers?limit=abc",
    ] {
        let response = get(&sim, path).await;
        assert_eq!(response.status, 400, "{path} is rejected");
        let body = response.json();
        assert_eq!(
            (body["code"].clone(), body["status"].clone()),
            (json!(400), json!("INVALID_ARGUMENT")),
            "{path}: the spec's error body"
        );
    }
    assert_eq!(
        get(&sim, "/api/systemusers?limit=100").await.status,
        200,
        "100 is allowed"
    );
    sim.shutdown().await;
}

/// Bodies of a few routes with the sim's own address replaced, so two sims compare equal.
async fn snapshot(sim: &RunningSim) -> Vec<String> {
    let mut bodies = Vec::new();
    for path in every_data_path(sim)
        .await
        .into_iter()
        .chain(["/api/organizations".to_string()])
    {
        let page = if path.contains('?') {
            format!("{path}&limit=100")
        } else {
            format!("{path}?limit=100")
        };
        bodies.push(
            get(sim, &page)
                .await
                .text()
                .replace(&sim.base_url(), "{base}"),
        );
    }
    bodies
}

#[tokio::test]
async fn same_seed_gives_identical_bodies() {
    let config = SimConfig {
        seed: 42,
        now_unix: Some(1_780_000_000),
        ..SimConfig::default()
    };
    let a = start(config.clone()).await;
    let b = start(config.clone()).await;
    assert_eq!(a.api_key(), b.api_key(), "the key comes from the seed");
    assert_eq!(a.org_id(), b.org_id());
    assert_eq!(
        snapshot(&a).await,
        snapshot(&b).await,
        "same seed and sizes give byte-identical bodies"
    );
    let c = start(SimConfig { seed: 43, ..config }).await;
    assert_ne!(a.api_key(), c.api_key(), "another seed, another key");
    assert_ne!(
        get(&a, "/api/systemusers").await.text(),
        get(&c, "/api/systemusers").await.text(),
        "another seed, other users"
    );
    let custom = start(SimConfig {
        api_key: Some("my-own-test-key".into()),
        ..SimConfig::default()
    })
    .await;
    assert_eq!(custom.api_key(), "my-own-test-key");
    assert_eq!(
        get(&custom, "/api/organizations").await.status,
        200,
        "the override key is the one accepted"
    );
    for sim in [a, b, c, custom] {
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn canary_secrets_are_served_unless_projected_away() {
    let sim = start_scenario(Scenario::Healthy).await;
    let apps = get(&sim, "/api/applications").await.json();
    let first = &apps["results"][0];
    assert_eq!(
        first["config"]["idpPrivateKey"]["value"],
        jc_sim::CANARY_IDP_PRIVATE_KEY
    );
    assert_eq!(
        first["config"]["idpCertificate"]["value"],
        jc_sim::CANARY_IDP_CERTIFICATE
    );
    let projected = get(
        &sim,
        "/api/applications?fields=_id%20name%20displayName%20logo",
    )
    .await;
    assert!(
        !projected.text().contains("SIM-CANARY"),
        "fields without config drop the app secrets"
    );
    assert!(projected.json()["results"][0].get("config").is_none());

    let radius = get(&sim, "/api/radiusservers").await.json();
    assert_eq!(
        radius["results"][0]["sharedSecret"],
        jc_sim::CANARY_SHARED_SECRET
    );
    let projected = get(&sim, "/api/radiusservers?fields=_id%20name%20mfa").await;
    assert!(
        !projected.text().contains("SIM-CANARY"),
        "fields without sharedSecret drop it"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn request_log_keeps_paths_but_no_header_values() {
    let sim = start_scenario(Scenario::MultiTenant).await;
    let org = sim.org_ids()[1].clone();
    get_org(&sim, "/api/systemusers?limit=2", &org).await;
    get_with(
        &format!("{}/api/organizations", sim.region_url(Region::Eu)),
        None,
        None,
    )
    .await;
    let system = first_id(&get_org(&sim, "/api/systems", &org).await.json());
    get_org(&sim, &format!("/api/v2/systems/{system}/fdekey"), &org).await;

    let log = sim.requests();
    assert_eq!(log.len(), 4, "every request is recorded");
    assert_eq!(log[0].region, Region::Us);
    assert_eq!(log[0].method, "GET");
    assert_eq!(log[0].path, "/api/systemusers");
    assert_eq!(log[0].query.as_deref(), Some("limit=2"));
    assert!(log[0].had_api_key);
    assert_eq!(
        log[0].org_header.as_deref(),
        Some(org.as_str()),
        "the org header is the one value kept"
    );
    assert_eq!(log[0].status, 200);
    assert_eq!(
        (log[1].region, log[1].had_api_key, log[1].status),
        (Region::Eu, false, 401)
    );
    assert!(
        log.iter().any(|r| r.path.ends_with("/fdekey")),
        "a call to the FDE key route shows up in the log, so tests can prove a client never made one"
    );
    let dump = format!("{log:?} {sim:?}");
    assert!(
        !dump.contains(sim.api_key()),
        "neither the log nor the sim's Debug shows the key"
    );
    sim.clear_requests();
    assert!(sim.requests().is_empty());
    sim.shutdown().await;
}

#[tokio::test]
async fn graph_covers_nesting_empty_groups_and_unbound_apps() {
    let sim = start_scenario(Scenario::Healthy).await;
    let groups = get(&sim, "/api/v2/usergroups").await.json();
    let group_ids = ids(&groups);
    let mut saw_nested_member = false;
    let mut saw_three_hops = false;
    let mut saw_empty = false;
    for id in &group_ids {
        let members = get(&sim, &format!("/api/v2/usergroups/{id}/members?limit=100"))
            .await
            .json();
        saw_nested_member |= members
            .as_array()
            .into_iter()
            .flatten()
            .any(|m| m["to"]["type"] == "user_group");
        let membership = get(
            &sim,
            &format!("/api/v2/usergroups/{id}/membership?limit=100"),
        )
        .await;
        let body = membership.json();
        saw_empty |=
            body == json!([]) && membership.header("x-total-count").as_deref() == Some("0");
        saw_three_hops |= body
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|m| m["paths"].as_array().cloned().unwrap_or_default())
            .any(|p| p.as_array().map(Vec::len) == Some(3));
        assert!(
            body.as_array()
                .into_iter()
                .flatten()
                .all(|m| m["type"] == "user"),
            "membership resolves to users only"
        );
    }
    assert!(
        saw_nested_member,
        "some group has a user group among its direct members"
    );
    assert!(
        saw_three_hops,
        "membership expands nested groups transitively (group → group → user)"
    );
    assert!(saw_empty, "one group has no members");

    let apps = get(&sim, "/api/applications").await.json();
    let mut unbound = 0;
    for id in ids(&apps) {
        let groups = get(
            &sim,
            &format!("/api/v2/applications/{id}/associations?targets=user_group"),
        )
        .await
        .json();
        if groups == json!([]) {
            unbound += 1;
        }
    }
    assert_eq!(unbound, 1, "exactly one app has no group bound to it");
    let app = first_id(&apps);
    let missing_targets = get(&sim, &format!("/api/v2/applications/{app}/associations")).await;
    assert_eq!(
        missing_targets.status, 400,
        "targets is required on association routes"
    );

    let users = get(&sim, "/api/systemusers?limit=100").await.json();
    let user_ids: BTreeSet<String> = ids(&users).into_iter().collect();
    let managers: Vec<&str> = users["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|u| u["manager"].as_str())
        .collect();
    assert!(
        managers.iter().any(|m| user_ids.contains(*m)),
        "some managers resolve to users"
    );
    assert!(
        managers.iter().any(|m| !user_ids.contains(*m)),
        "some manager ids resolve to nobody"
    );
    assert!(
        managers.len() < user_ids.len(),
        "some users have no manager"
    );
    let results = users["results"].as_array().cloned().unwrap_or_default();
    assert!(
        results.iter().any(|u| u["employeeIdentifier"].is_null()),
        "some users have a null employeeIdentifier"
    );
    assert!(
        results.iter().any(|u| u["attributes"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|a| a["name"] == "managerEmail")),
        "some users carry a managerEmail custom attribute"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn start_honours_the_port_knob_and_prints_a_startup_line() {
    let free = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port exists");
    let port = free.local_addr().expect("bound").port();
    drop(free);
    let sim = start(SimConfig {
        port: Some(port),
        ..SimConfig::scenario(Scenario::EuRegion)
    })
    .await;
    assert_eq!(
        sim.base_url(),
        format!("http://127.0.0.1:{port}"),
        "the port knob applies to the home region"
    );
    let line = sim.startup_line();
    assert_eq!(line["base_url"], sim.base_url());
    assert_eq!(line["api_key"], sim.api_key());
    assert_eq!(line["org_id"], sim.org_id());
    for region in Region::ALL {
        assert_eq!(line["regions"][region.to_string()], sim.region_url(region));
    }
    let ports: BTreeSet<String> = Region::ALL.iter().map(|r| sim.region_url(*r)).collect();
    assert_eq!(ports.len(), 3, "each region has its own listener");
    sim.shutdown().await;
}

#[test]
fn every_scenario_has_a_name_and_a_description() {
    for scenario in Scenario::ALL {
        let name = scenario.to_string();
        assert_eq!(
            name.parse::<Scenario>().ok(),
            Some(scenario),
            "{name} parses back"
        );
        assert!(!scenario.describe().is_empty());
    }
    assert_eq!(Scenario::ALL.len(), 24);
}
