//! Client credentials: the token exchange, the shared single-flight token, renewal before
//! expiry and after a 401, typed token errors, and where the bearer goes.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures::future::join_all;
use jc_api::endpoints::{ListOrganizations, ListUserGroups};
use jc_api::{
    AuthKind, BaseUrl, Client, ClientBuilder, ClientCredentials, ClientId, ClientSecret, Error,
    RetryPolicy,
};
use jc_sim::hostile::{Answer, Hostile, HttpRequest, Reply};
use jc_sim::{RunningSim, Scenario, SimConfig};
use serde_json::json;

use super::{base, sim, start};

const CANARY_SECRET: &str = "CANARYclientSECRET0123456789";

fn credentials(id: &str, secret: &str) -> ClientCredentials {
    ClientCredentials {
        id: ClientId::parse(id).expect("a client ID"),
        secret: ClientSecret::parse(secret).expect("a secret"),
    }
}

fn sim_client(sim: &RunningSim) -> Client {
    let (id, secret) = sim
        .client_credentials()
        .expect("a service-account scenario");
    ClientBuilder::new(credentials(id, secret), base(&sim.base_url()))
        .retry(RetryPolicy::none())
        .build()
        .expect("client builds")
}

#[tokio::test]
async fn one_token_serves_every_request_and_every_clone() {
    let sim = sim(Scenario::ServiceAccount).await;
    let client = sim_client(&sim);
    assert_eq!(client.auth_kind(), AuthKind::ClientCredentials);
    client
        .page(&ListOrganizations, 0, 1)
        .await
        .expect("organizations");
    let groups = client.clone().with_org(None);
    groups.page(&ListUserGroups, 0, 10).await.expect("groups");
    assert_eq!(sim.token_requests(), 1, "clones share the cached token");
    assert!(
        sim.requests()
            .iter()
            .filter(|r| r.path != "/oauth2/token")
            .all(|r| r.had_bearer && !r.had_api_key),
        "data calls carry the bearer, never an x-api-key"
    );
    assert!(client.token_expires_at().await.is_some());
    sim.shutdown().await;
}

#[tokio::test]
async fn sixteen_requests_in_flight_ask_for_one_token() {
    let sim = start(SimConfig {
        latency: Duration::from_millis(50),
        ..SimConfig::scenario(Scenario::ServiceAccount)
    })
    .await;
    let client = sim_client(&sim);
    let answers = join_all((0..16).map(|_| {
        let client = client.clone();
        async move { client.page(&ListUserGroups, 0, 5).await }
    }))
    .await;
    assert!(
        answers.iter().all(Result::is_ok),
        "every request got through"
    );
    assert_eq!(
        sim.token_requests(),
        1,
        "sixteen concurrent requests wait for one token exchange"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn a_short_token_is_asked_again_before_it_expires() {
    let sim = sim(Scenario::ShortToken).await;
    let client = sim_client(&sim);
    for _ in 0..3 {
        client.page(&ListUserGroups, 0, 5).await.expect("groups");
        tokio::time::sleep(Duration::from_millis(1100)).await;
    }
    let refused = sim
        .requests()
        .iter()
        .filter(|r| r.path != "/oauth2/token" && r.status == 401)
        .count();
    assert_eq!(
        refused, 0,
        "the token is renewed before the sim would refuse it"
    );
    assert_eq!(
        sim.token_requests(),
        2,
        "2-s tokens over 2.2 s: one renewal"
    );
    sim.shutdown().await;
}

/// A token host and API in one scripted server: the first token is refused by the API.
fn refusing_first_token(issued: Arc<AtomicUsize>) -> impl Fn(&HttpRequest) -> Answer + Send + Sync {
    move |request| match request.path() {
        "/oauth2/token" => {
            let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
            Answer::Reply(Reply::json(
                200,
                &json!({"access_token": format!("CANARYtoken{n}"), "token_type": "bearer", "expires_in": 3600}),
            ))
        }
        "/logo.png" => Answer::Reply(Reply::bytes(
            200,
            "image/png",
            b"\x89PNG\r\n\x1a\n".to_vec(),
        )),
        _ if request.header("authorization") == Some("Bearer CANARYtoken1") => {
            Answer::Reply(Reply::json(401, &json!({"message": "Unauthorized"})))
        }
        _ => Answer::Reply(Reply::json(200, &json!({"totalCount": 0, "results": []}))),
    }
}

#[tokio::test]
async fn a_refused_token_is_asked_again_once_and_goes_nowhere_else() {
    let issued = Arc::new(AtomicUsize::new(0));
    let server = Hostile::start(refusing_first_token(Arc::clone(&issued)))
        .await
        .expect("listens");
    let client = ClientBuilder::new(
        credentials("integration-1", CANARY_SECRET),
        BaseUrl::parse(&server.url()).expect("root"),
    )
    .retry(RetryPolicy::none())
    .build()
    .expect("client");
    client
        .page(&ListOrganizations, 0, 1)
        .await
        .expect("the renewed token is accepted");
    assert_eq!(
        issued.load(Ordering::SeqCst),
        2,
        "one renewal after the 401"
    );
    let _ = client.fetch_image("/logo.png").await;
    let requests = server.requests();
    let token_request = requests
        .iter()
        .find(|r| r.path() == "/oauth2/token")
        .expect("a token request");
    assert_eq!(token_request.method, "POST");
    assert!(
        token_request
            .header("authorization")
            .is_some_and(|h| h.starts_with("Basic ")),
        "the client ID and secret go as HTTP Basic"
    );
    assert_eq!(
        token_request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let logo = requests
        .iter()
        .find(|r| r.path() == "/logo.png")
        .expect("a logo request");
    assert!(
        logo.header("authorization").is_none() && logo.header("x-api-key").is_none(),
        "a logo host never gets the bearer"
    );
    let log = format!("{:?} {:?}", client, client.request_log().records());
    assert!(
        !log.contains("CANARY"),
        "neither the secret nor a token is printed: {log}"
    );
}

#[tokio::test]
async fn token_failures_are_typed() {
    let cases: Vec<(&str, Reply, &str)> = vec![
        (
            "invalid client",
            Reply::json(401, &json!({"error": "invalid_client"})),
            "invalid_client",
        ),
        (
            "forbidden",
            Reply::json(403, &json!({"error": "access_denied"})),
            "token_forbidden",
        ),
        (
            "an HTML page",
            Reply::bytes(200, "text/html", "<html>sign in</html>"),
            "bad_token_answer",
        ),
        (
            "no token",
            Reply::json(200, &json!({"token_type": "bearer"})),
            "bad_token_answer",
        ),
        (
            "another token type",
            Reply::json(200, &json!({"access_token": "x", "token_type": "mac"})),
            "bad_token_answer",
        ),
        (
            "an outage",
            Reply::json(503, &json!({"message": "down"})),
            "token_host_unreachable",
        ),
    ];
    for (why, reply, class) in cases {
        let server = Hostile::start(move |_| Answer::Reply(reply.clone()))
            .await
            .expect("listens");
        let client = ClientBuilder::new(
            credentials("integration-1", CANARY_SECRET),
            BaseUrl::parse(&server.url()).expect("root"),
        )
        .retry(RetryPolicy::none())
        .build()
        .expect("client");
        let error = client
            .page(&ListOrganizations, 0, 1)
            .await
            .expect_err("the token exchange fails");
        assert_eq!(error.class(), class, "{why}: {error}");
        assert!(error.is_token_error(), "{why}");
        assert!(!format!("{error} {error:?}").contains("CANARY"), "{why}");
        assert_eq!(
            server
                .requests()
                .iter()
                .filter(|r| r.path() != "/oauth2/token")
                .count(),
            0,
            "{why}: no data call is sent without a token"
        );
    }
    let closed = BaseUrl::parse("http://127.0.0.1:9").expect("root");
    let client = ClientBuilder::new(credentials("integration-1", CANARY_SECRET), closed)
        .retry(RetryPolicy::none())
        .build()
        .expect("client");
    let error = client.authorize().await.expect_err("nothing listens");
    assert!(
        matches!(error, Error::TokenHostUnreachable { .. }),
        "a closed token host is unreachable: {error:?}"
    );
}

#[tokio::test]
async fn each_region_has_its_own_token_host() {
    let sim = sim(Scenario::ServiceAccountEu).await;
    let (id, secret) = sim.client_credentials().expect("credentials");
    let mut hosts = jc_api::Hosts::jumpcloud();
    for region in jc_api::Region::ALL {
        let served: jc_sim::Region = region.code().parse().expect("same names");
        hosts.set(region, base(&sim.region_url(served)));
    }
    let us = ClientBuilder::new(
        credentials(id, secret),
        hosts.get(jc_api::Region::Us).clone(),
    )
    .hosts(hosts.clone())
    .region(jc_api::Region::Us)
    .retry(RetryPolicy::none())
    .build()
    .expect("client");
    let refused = us
        .page(&ListOrganizations, 0, 1)
        .await
        .expect_err("not a US account");
    assert_eq!(refused.class(), "invalid_client");
    let eu = us.with_base(
        hosts.get(jc_api::Region::Eu).clone(),
        Some(jc_api::Region::Eu),
    );
    assert_eq!(eu.token_host(), Some(hosts.token(jc_api::Region::Eu)));
    eu.page(&ListOrganizations, 0, 1)
        .await
        .expect("the EU token host issues");
    sim.shutdown().await;
}
