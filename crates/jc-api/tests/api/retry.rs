use std::time::Duration;

use jc_api::endpoints::{ListOrganizations, ListSystemUsers};
use jc_api::{ApiKey, ClientBuilder, Error};
use jc_sim::Scenario;
use tokio::io::AsyncWriteExt;

use super::*;

#[tokio::test]
async fn rate_limits_are_ridden_out_honouring_retry_after() {
    let sim = sim(Scenario::RateLimited).await;
    let client = builder(&sim)
        .retry(quick_retries(8))
        .build()
        .expect("client");
    for i in 0..14 {
        client
            .page(&ListSystemUsers, 0, 1)
            .await
            .unwrap_or_else(|e| panic!("request {i} gets through after retries: {e:?}"));
    }
    let records = client.request_log().records();
    assert!(
        records.iter().any(|r| r.outcome == "rate_limited"),
        "the sim's budget of 5/s was exceeded: {records:#?}"
    );
    assert!(
        records.iter().any(|r| r.waited_ms >= 1_000),
        "a 429 with Retry-After: 1 is followed by a wait of at least a second (backoff alone never exceeds 200 ms here): {records:#?}"
    );
    assert!(
        records
            .iter()
            .any(|r| r.waited_ms > 0 && r.waited_ms <= 200),
        "a 429 without Retry-After falls back to the exponential backoff: {records:#?}"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn without_retries_a_rate_limit_is_reported() {
    let sim = sim(Scenario::RateLimited).await;
    let client = client(&sim);
    let mut limited = None;
    for _ in 0..10 {
        if let Err(e) = client.page(&ListOrganizations, 0, 1).await {
            limited = Some(e);
            break;
        }
    }
    assert!(
        matches!(limited, Some(Error::RateLimited { .. })),
        "the 6th request in a second is refused: {limited:?}"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn transient_server_errors_are_retried_until_success() {
    let sim = sim(Scenario::Flaky).await;
    let client = builder(&sim)
        .retry(quick_retries(4))
        .build()
        .expect("client");
    for i in 0..10 {
        client
            .page(&ListSystemUsers, 0, 1)
            .await
            .unwrap_or_else(|e| panic!("request {i} succeeds on retry: {e:?}"));
    }
    let records = client.request_log().records();
    let retried: Vec<_> = records.iter().filter(|r| r.attempt > 1).collect();
    assert!(
        !retried.is_empty(),
        "503s and 502 pages were retried: {records:#?}"
    );
    assert!(
        records
            .iter()
            .any(|r| r.outcome == "not_json" && r.status == Some(502)),
        "the HTML 502 was seen and retried"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn dropped_connections_are_retried_a_bounded_number_of_times() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let server = tokio::spawn(async move {
        // Accept, read nothing, hang up: the client sees the connection close mid-request.
        while let Ok((mut socket, _)) = listener.accept().await {
            let _ = socket.shutdown().await;
        }
    });
    let client = ClientBuilder::new(
        ApiKey::parse("jca_0000000000000000000000000000000000ZZ").expect("shape"),
        base(&format!("http://127.0.0.1:{port}")),
    )
    .retry(quick_retries(3))
    .timeout(Duration::from_secs(5))
    .build()
    .expect("client");
    let err = client
        .page(&ListOrganizations, 0, 1)
        .await
        .expect_err("the server always hangs up");
    assert!(matches!(err, Error::ConnectionReset { .. }), "{err:?}");
    let attempts: Vec<u32> = client
        .request_log()
        .records()
        .iter()
        .map(|r| r.attempt)
        .collect();
    assert_eq!(
        attempts,
        vec![1, 2, 3],
        "a reset is retried, up to the attempt cap"
    );
    server.abort();
}
