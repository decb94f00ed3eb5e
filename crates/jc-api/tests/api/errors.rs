use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use jc_api::endpoints::{ListOrganizations, ListSystemUsers, ListUserGroupMembers, ListUserGroups};
use jc_api::{ApiKey, ClientBuilder, Error, OrgId, RetryPolicy};
use jc_sim::Scenario;

use super::*;

const OTHER_KEY: &str = "jca_0000000000000000000000000000000000ZZ";

/// The members of a group JumpCloud does not have: a 404 on a list must be an error, never an
/// empty list.
fn no_such_list() -> ListUserGroupMembers {
    ListUserGroupMembers("000000000000000000000000".to_owned())
}

#[tokio::test]
async fn unknown_key_is_401_with_jumpclouds_words() {
    let sim = sim(Scenario::Healthy).await;
    let client = ClientBuilder::new(
        ApiKey::parse(OTHER_KEY).expect("shape"),
        base(&sim.base_url()),
    )
    .build()
    .expect("client");
    let err = client
        .page(&ListOrganizations, 0, 1)
        .await
        .expect_err("a key the org never issued");
    assert!(
        matches!(err, Error::UnknownKey { .. }),
        "401 api key user not found is an unknown key: {err:?}"
    );
    assert_eq!(
        err.detail().and_then(|d| d.message.as_deref()),
        Some("Unauthorized: api key user not found")
    );
    assert_eq!(
        sim.requests().len(),
        1,
        "401 is never retried, even with the standard retry policy"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn another_regions_key_is_an_unknown_key_on_this_host() {
    let sim = sim(Scenario::EuRegion).await;
    let us = client(&sim).with_base(base(&sim.region_url(jc_sim::Region::Us)), None);
    let err = us
        .page(&ListOrganizations, 0, 1)
        .await
        .expect_err("an EU key on the US host");
    assert!(
        matches!(err, Error::UnknownKey { .. }),
        "JumpCloud answers 401 for another region's key: {err:?}"
    );
    let eu = client(&sim).with_base(base(&sim.region_url(jc_sim::Region::Eu)), None);
    eu.page(&ListOrganizations, 0, 1)
        .await
        .expect("the EU host accepts its own key");
    sim.shutdown().await;
}

#[tokio::test]
async fn multi_tenant_key_needs_an_org_and_a_real_one() {
    let sim = sim(Scenario::MultiTenant).await;
    let client = client(&sim);
    let err = client
        .page(&ListSystemUsers, 0, 1)
        .await
        .expect_err("no org selected");
    assert!(matches!(err, Error::NoOrgSelected { .. }), "{err:?}");

    let stranger = OrgId::parse("0123456789abcdef01234567").expect("shape");
    let err = client
        .with_org(Some(stranger))
        .page(&ListSystemUsers, 0, 1)
        .await
        .expect_err("an org the key cannot reach");
    assert!(
        matches!(err, Error::BadOrg { .. }),
        "404 organization not found is a bad org: {err:?}"
    );

    let selected = client.with_org(Some(org(&sim)));
    selected
        .page(&ListSystemUsers, 0, 1)
        .await
        .expect("a reachable org works");
    selected
        .page(&ListOrganizations, 0, 1)
        .await
        .expect("the org list works with an org selected: the header is left off");
    let org_requests: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.path == "/api/organizations")
        .collect();
    assert!(
        org_requests.iter().all(|r| r.org_header.is_none()),
        "x-org-id is never sent to /api/organizations: {org_requests:?}"
    );
    let data: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.path == "/api/systemusers" && r.status == 200)
        .collect();
    assert!(
        data.iter()
            .all(|r| r.org_header.as_deref() == Some(sim.org_id())),
        "x-org-id goes to data routes"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn forbidden_names_the_route_and_is_not_retried() {
    let sim = sim(Scenario::CommandRunner).await;
    let client = builder(&sim)
        .retry(quick_retries(5))
        .build()
        .expect("client");
    let err = client
        .page(&ListUserGroups, 0, 1)
        .await
        .expect_err("command runners cannot read groups");
    match &err {
        Error::Forbidden { detail } => {
            assert!(detail.route.starts_with("/api/v2/usergroups"), "{detail:?}")
        }
        other => panic!("expected Forbidden, got {other:?}"),
    }
    assert_eq!(sim.requests().len(), 1, "403 is never retried");
    sim.shutdown().await;
}

#[tokio::test]
async fn a_404_on_a_list_is_an_error_not_an_empty_list() {
    let sim = sim(Scenario::Healthy).await;
    let client = builder(&sim)
        .retry(quick_retries(5))
        .build()
        .expect("client");
    let err = client
        .list_all(no_such_list())
        .await
        .expect_err("no such route");
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    assert_eq!(sim.requests().len(), 1, "404 is never retried");
    sim.shutdown().await;
}

#[tokio::test]
async fn server_errors_and_edge_pages_are_told_apart() {
    let sim = sim(Scenario::Flaky).await;
    let client = client(&sim);
    let mut outcomes = Vec::new();
    for _ in 0..5 {
        outcomes.push(
            client
                .page(&ListSystemUsers, 0, 1)
                .await
                .map(|_| ())
                .map_err(|e| e.class()),
        );
    }
    assert_eq!(
        outcomes,
        vec![Ok(()), Ok(()), Err("server_error"), Ok(()), Err("not_json")],
        "the flaky sim fails every 3rd data request with a JSON 503 and every 5th with an HTML 502"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn html_edge_page_keeps_its_words_as_evidence() {
    let sim = sim(Scenario::Flaky).await;
    let client = client(&sim);
    let mut edge = None;
    for _ in 0..5 {
        if let Err(e @ Error::NotJson { .. }) = client.page(&ListSystemUsers, 0, 1).await {
            edge = Some(e);
        }
    }
    let Some(Error::NotJson {
        content_type,
        detail,
    }) = edge
    else {
        panic!("the 5th request gets the HTML 502 page");
    };
    assert!(content_type.starts_with("text/html"), "{content_type}");
    assert_eq!(detail.status, Some(502));
    assert!(
        detail.body.as_deref().is_some_and(|b| !b.contains('\n')),
        "the page is kept as one line of evidence: {detail:?}"
    );
    assert!(
        detail.request_id.is_some(),
        "the cf-ray request id is kept for JumpCloud support"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn truncated_json_is_a_decode_error_that_says_so() {
    let sim = sim(Scenario::TruncatedJson).await;
    let err = client(&sim)
        .page(&ListSystemUsers, 0, 100)
        .await
        .expect_err("the body is cut short");
    assert!(
        matches!(
            err,
            Error::Decode {
                truncated: true,
                ..
            }
        ),
        "a cut body is truncated, not malformed: {err:?}"
    );
    let body = err
        .detail()
        .and_then(|d| d.body.clone())
        .unwrap_or_default();
    assert!(
        !body.contains('@'),
        "no directory data (emails) is kept from a 200 body: {body}"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn slow_answers_time_out() {
    let config = SimConfig {
        latency: Duration::from_millis(1_500),
        ..SimConfig::scenario(Scenario::Slow)
    };
    let sim = start(config).await;
    let client = builder(&sim)
        .timeout(Duration::from_millis(300))
        .build()
        .expect("client");
    let err = client
        .page(&ListOrganizations, 0, 1)
        .await
        .expect_err("slower than the timeout");
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    sim.shutdown().await;
}

#[tokio::test]
async fn closed_port_is_a_connect_error() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let client = ClientBuilder::new(
        ApiKey::parse(OTHER_KEY).expect("shape"),
        base(&format!("http://127.0.0.1:{port}")),
    )
    .retry(RetryPolicy::none())
    .build()
    .expect("client");
    let err = client.reach().await.expect_err("nothing listens there");
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
}

#[tokio::test]
async fn plain_http_spoken_to_as_https_is_a_tls_error() {
    let sim = sim(Scenario::Healthy).await;
    let https = sim.base_url().replacen("http://", "https://", 1);
    let client = ClientBuilder::new(ApiKey::parse(sim.api_key()).expect("shape"), base(&https))
        .retry(RetryPolicy::none())
        .build()
        .expect("client");
    let err = client
        .page(&ListOrganizations, 0, 1)
        .await
        .expect_err("no TLS on the other end");
    assert!(matches!(err, Error::Tls { .. }), "{err:?}");
    sim.shutdown().await;
}

struct NoDns;

impl reqwest::dns::Resolve for NoDns {
    fn resolve(&self, _name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        Box::pin(async { Err("no such host".into()) })
    }
}

#[tokio::test]
async fn unresolvable_host_is_a_dns_error() {
    let client = ClientBuilder::new(
        ApiKey::parse(OTHER_KEY).expect("shape"),
        base("https://console.example.invalid"),
    )
    .retry(RetryPolicy::none())
    .dns_resolver(Arc::new(NoDns))
    .build()
    .expect("client");
    let err = client.reach().await.expect_err("the name does not resolve");
    assert!(matches!(err, Error::Dns { .. }), "{err:?}");
}

#[tokio::test]
async fn error_text_never_contains_the_key() {
    let sim = sim(Scenario::ExpiredKey).await;
    let client = client(&sim);
    let err = client
        .page(&ListOrganizations, 0, 1)
        .await
        .expect_err("expired");
    let shown = format!("{err} {err:?} {client:?}");
    assert!(
        !shown.contains(sim.api_key()),
        "the key must not appear in errors or Debug: {shown}"
    );
    sim.shutdown().await;
}
