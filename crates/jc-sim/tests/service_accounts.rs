//! The token hosts and the service-account scenarios, over loopback HTTP.

mod common;

use std::time::Duration;

use common::{start, start_scenario};
use jc_sim::{Region, RunningSim, Scenario, SimConfig};
use serde_json::Value;

struct Answer {
    status: u16,
    body: Value,
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("a plain HTTP client builds")
}

async fn ask_token(root: &str, id: &str, secret: &str, form: &str) -> Answer {
    let response = http()
        .post(format!("{root}/oauth2/token"))
        .basic_auth(id, Some(secret))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.to_owned())
        .send()
        .await
        .expect("the token host answers on loopback");
    let status = response.status().as_u16();
    let bytes = response.bytes().await.unwrap_or_default();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Answer { status, body }
}

async fn token_of(sim: &RunningSim) -> (String, u64) {
    let (id, secret) = sim
        .client_credentials()
        .expect("a service-account scenario");
    let answer = ask_token(
        &sim.base_url(),
        id,
        secret,
        "grant_type=client_credentials&scope=api",
    )
    .await;
    assert_eq!(
        answer.status, 200,
        "the home token host issues: {}",
        answer.body
    );
    let token = answer.body["access_token"]
        .as_str()
        .expect("an access_token")
        .to_owned();
    (
        token,
        answer.body["expires_in"].as_u64().expect("expires_in"),
    )
}

async fn get_bearer(sim: &RunningSim, path: &str, token: &str) -> Answer {
    let response = http()
        .get(format!("{}{path}", sim.base_url()))
        .bearer_auth(token)
        .send()
        .await
        .expect("the sim answers");
    let status = response.status().as_u16();
    let bytes = response.bytes().await.unwrap_or_default();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Answer { status, body }
}

#[tokio::test]
async fn the_home_token_host_issues_bearer_tokens_that_every_route_accepts() {
    let sim = start_scenario(Scenario::ServiceAccount).await;
    let (token, expires_in) = token_of(&sim).await;
    assert_eq!(expires_in, 3600, "an hour unless the knob says otherwise");
    let users = get_bearer(&sim, "/api/systemusers?limit=2", &token).await;
    assert_eq!(
        users.status, 200,
        "a bearer token reads users: {}",
        users.body
    );
    let accounts = get_bearer(&sim, "/api/v2/service-accounts", &token).await;
    assert_eq!(accounts.status, 200);
    assert_eq!(
        accounts.body["totalCount"], 2,
        "the connecting account and another"
    );
    let (id, secret) = sim.client_credentials().expect("credentials");
    let listed = accounts.body.to_string();
    assert!(listed.contains(id), "the client ID is listed");
    assert!(!listed.contains(secret), "a listing never holds the secret");
    let first = &accounts.body["results"][0];
    assert_eq!(first["roleName"], "Read Only");
    let role = get_bearer(
        &sim,
        &format!(
            "/api/v2/roles/{}",
            first["roleId"].as_str().expect("roleId")
        ),
        &token,
    )
    .await;
    assert_eq!(role.body["name"], "Read Only", "the role is read by its ID");
    let line = sim.startup_line();
    assert_eq!(line["client_id"], id, "the first line names the client ID");
    assert_eq!(line["client_secret"], secret);
    assert!(
        sim.api_key().starts_with("jcs_"),
        "the scenario's API key is the service account's"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn wrong_credentials_other_regions_and_bad_requests_are_refused() {
    let sim = start_scenario(Scenario::ServiceAccountEu).await;
    let (id, secret) = sim.client_credentials().expect("credentials");
    let form = "grant_type=client_credentials&scope=api";
    for (why, root, id, secret, form, status) in [
        ("wrong secret", sim.base_url(), id, "nope", form, 401),
        (
            "wrong id",
            sim.base_url(),
            "someone-else",
            secret,
            form,
            401,
        ),
        (
            "another region",
            sim.region_url(Region::Us),
            id,
            secret,
            form,
            401,
        ),
        (
            "another grant",
            sim.base_url(),
            id,
            secret,
            "grant_type=password",
            400,
        ),
        ("the home region", sim.base_url(), id, secret, form, 200),
    ] {
        let answer = ask_token(&root, id, secret, form).await;
        assert_eq!(answer.status, status, "{why}: {}", answer.body);
        if status == 401 {
            assert_eq!(answer.body["error"], "invalid_client", "{why}");
        }
    }
    assert_eq!(sim.token_requests(), 5, "every token request is counted");
    let no_accounts = start_scenario(Scenario::Healthy).await;
    assert!(no_accounts.client_credentials().is_none());
    assert!(no_accounts.startup_line().get("client_id").is_none());
    no_accounts.shutdown().await;
    sim.shutdown().await;
}

#[tokio::test]
async fn an_expired_secret_and_an_expired_token_are_refused() {
    let expired = start_scenario(Scenario::ServiceAccountExpired).await;
    let (id, secret) = expired.client_credentials().expect("credentials");
    let answer = ask_token(
        &expired.base_url(),
        id,
        secret,
        "grant_type=client_credentials",
    )
    .await;
    assert_eq!(answer.status, 401);
    assert_eq!(answer.body["error_description"], "client secret expired");
    expired.shutdown().await;

    let short = start(SimConfig {
        token_lifetime: Some(Duration::from_millis(300)),
        ..SimConfig::scenario(Scenario::ServiceAccount)
    })
    .await;
    let (token, _) = token_of(&short).await;
    assert_eq!(
        get_bearer(&short, "/api/v2/usergroups", &token)
            .await
            .status,
        200
    );
    tokio::time::sleep(Duration::from_millis(400)).await;
    let late = get_bearer(&short, "/api/v2/usergroups", &token).await;
    assert_eq!(
        late.status, 401,
        "an expired bearer is refused: {}",
        late.body
    );
    assert_eq!(
        get_bearer(&short, "/api/v2/usergroups", "made-up")
            .await
            .status,
        401
    );
    short.shutdown().await;
}

#[tokio::test]
async fn the_scenarios_differ_where_they_should() {
    let short = start_scenario(Scenario::ShortToken).await;
    assert_eq!(token_of(&short).await.1, 2, "short-token tokens live 2 s");
    short.shutdown().await;

    let no_scope = start_scenario(Scenario::ServiceAccountNoSaScope).await;
    let (token, _) = token_of(&no_scope).await;
    let refused = get_bearer(&no_scope, "/api/v2/service-accounts", &token).await;
    assert_eq!(
        refused.status, 403,
        "the role lacks serviceaccounts.readonly"
    );
    assert_eq!(
        get_bearer(&no_scope, "/api/v2/usergroups", &token)
            .await
            .status,
        200
    );
    no_scope.shutdown().await;

    for (scenario, status) in [
        (Scenario::ServiceAccountExpiring, "EXPIRING"),
        (Scenario::ServiceAccount, "ACTIVE"),
    ] {
        let sim = start_scenario(scenario).await;
        let (token, _) = token_of(&sim).await;
        let accounts = get_bearer(&sim, "/api/v2/service-accounts", &token).await;
        assert_eq!(accounts.body["results"][0]["status"], status, "{scenario}");
        sim.shutdown().await;
    }

    let broad = start_scenario(Scenario::ServiceAccountBroadRole).await;
    let (token, _) = token_of(&broad).await;
    let accounts = get_bearer(&broad, "/api/v2/service-accounts", &token).await;
    let role_id = accounts.body["results"][0]["roleId"]
        .as_str()
        .expect("roleId")
        .to_owned();
    let role = get_bearer(&broad, &format!("/api/v2/roles/{role_id}"), &token).await;
    let scopes = role.body["scopes"].to_string();
    assert!(
        scopes.contains("\"users\""),
        "the broad role can change users: {scopes}"
    );
    broad.shutdown().await;
}
