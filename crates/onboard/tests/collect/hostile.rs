//! The collection against a hostile server on loopback (`jc_sim::hostile`): lying totals,
//! repeated pages and records, absurd `Retry-After` values, and logos that are private or
//! scripted. Every server here answers by itself; each test ends in seconds.

use std::time::{Duration, Instant};

use jc_api::{ApiKey, BaseUrl, Client, ClientBuilder, OrgId, RetryPolicy};
use jc_sim::hostile::{Answer, Hostile, HttpRequest, Reply};
use onboard::collect::{collect, CancelToken, Category, CollectOptions, CollectSummary, Status};
use serde_json::{json, Value};

const KEY: &str = "jca_CANARYcanary0123456789CANARYcanary01";

async fn hostile(script: impl Fn(&HttpRequest) -> Answer + Send + Sync + 'static) -> Hostile {
    Hostile::start(script)
        .await
        .expect("the hostile server listens on loopback")
}

fn client_for(server: &Hostile, retry: RetryPolicy) -> Client {
    ClientBuilder::new(
        ApiKey::parse(KEY).expect("a well-formed key"),
        BaseUrl::parse(&server.url()).expect("a host root"),
    )
    .org(OrgId::parse("5d2f7024f0e1526be4df38e7").ok())
    .retry(retry)
    .timeout(Duration::from_secs(10))
    .build()
    .expect("a client")
}

fn quick() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
        max_total: Duration::from_secs(2),
    }
}

async fn collect_from(
    server: &Hostile,
    categories: &[Category],
    retry: RetryPolicy,
) -> (CollectSummary, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut options = CollectOptions::new(dir.path());
    options.categories = categories.to_vec();
    let summary = collect(
        &client_for(server, retry),
        &options,
        &CancelToken::new(),
        &|_| {},
    )
    .await
    .expect("the collection writes its export");
    (summary, dir)
}

fn user(i: u64) -> Value {
    json!({"_id": format!("{i:024x}"), "id": format!("{i:024x}"), "username": format!("user{i}"),
           "email": format!("user{i}@example.com")})
}

fn skip_of(request: &HttpRequest) -> u64 {
    request
        .query("skip")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// A V1 user list of `real` users that claims `claimed` (none when `None`).
fn users(real: u64, claimed: Option<u64>) -> impl Fn(&HttpRequest) -> Answer + Send + Sync {
    move |request| {
        let skip = skip_of(request);
        let page: Vec<Value> = (skip..real.min(skip.saturating_add(100)))
            .map(user)
            .collect();
        let body = match claimed {
            Some(total) => json!({"totalCount": total, "results": page}),
            None => json!({"results": page}),
        };
        Answer::Reply(Reply::json(200, &body))
    }
}

fn requests_to(server: &Hostile, path: &str) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.path() == path)
        .count()
}

#[tokio::test]
async fn a_huge_claimed_total_ends_promptly_with_a_bounded_number_of_requests() {
    for claimed in [1_000_000_000_000u64, 1_000_000] {
        let server = hostile(users(250, Some(claimed))).await;
        let started = Instant::now();
        let (summary, _dir) = collect_from(&server, &[Category::Users], quick()).await;
        let report = summary.category(Category::Users).expect("users reported");
        assert_eq!(
            (report.status, report.collected, report.total),
            (Status::Partial, 250, Some(claimed)),
            "every real user is kept and the claim is reported as not met: {report:?}"
        );
        assert!(
            report
                .reason
                .as_deref()
                .is_some_and(|r| r.contains("the list ended after 250")),
            "the reason says where the list really ended: {report:?}"
        );
        let asked = requests_to(&server, "/api/systemusers");
        assert!(
            asked <= 70,
            "a claim of {claimed} costs a bounded window of requests, not one per claimed page: {asked}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the collection ended promptly"
        );
    }
}

#[tokio::test]
async fn repeated_pages_and_records_are_partial_with_a_reason() {
    // Every page is the same 100 users, with and without a claimed total.
    for claimed in [Some(250), None] {
        let server = hostile(move |_| {
            let page: Vec<Value> = (0..100).map(user).collect();
            let body = match claimed {
                Some(total) => json!({"totalCount": total, "results": page}),
                None => json!({"results": page}),
            };
            Answer::Reply(Reply::json(200, &body))
        })
        .await;
        let (summary, _dir) = collect_from(&server, &[Category::Users], quick()).await;
        let report = summary.category(Category::Users).expect("users reported");
        assert_eq!(report.status, Status::Partial, "{report:?}");
        assert_eq!(report.collected, 100, "each user is kept once: {report:?}");
        let reason = report.reason.as_deref().unwrap_or_default();
        assert!(
            reason.contains("repeated records already received")
                && reason.contains("more than once"),
            "the reason names the repeats: {reason}"
        );
        assert!(
            requests_to(&server, "/api/systemusers") <= 3,
            "a repeated page stops the list (claimed {claimed:?})"
        );
    }

    // One user repeated to fill every page: kept once, never reported complete.
    let server = hostile(|_| {
        let page: Vec<Value> = (0..100).map(|_| user(7)).collect();
        Answer::Reply(Reply::json(
            200,
            &json!({"totalCount": 250, "results": page}),
        ))
    })
    .await;
    let (summary, _dir) = collect_from(&server, &[Category::Users], quick()).await;
    let report = summary.category(Category::Users).expect("users reported");
    assert_eq!(
        (report.status, report.collected),
        (Status::Partial, 1),
        "{report:?}"
    );
}

#[tokio::test]
async fn an_absurd_retry_after_never_panics_the_collection() {
    for value in [
        "18446744073709551615",
        "-3",
        "Fri, 31 Dec 9999 23:59:59 GMT",
        "garbage",
    ] {
        let server = hostile(move |_| {
            Answer::Reply(
                Reply::json(429, &json!({"message": "Too Many Requests"}))
                    .header("Retry-After", value),
            )
        })
        .await;
        let started = Instant::now();
        let (summary, _dir) = collect_from(&server, &[Category::Users], quick()).await;
        let report = summary.category(Category::Users).expect("users reported");
        assert_eq!(report.status, Status::Failed, "{value:?}: {report:?}");
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "Retry-After {value:?} did not stall the collection"
        );
    }
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n0000";

#[tokio::test]
async fn private_and_scripted_logos_are_dropped_with_a_note() {
    let private = hostile(|_| Answer::Reply(Reply::bytes(200, "image/png", PNG))).await;
    let private_logo = format!("{}/logo.png", private.url());
    let api = hostile(move |request| {
        let app = |i: u64, logo: &str| {
            json!({"_id": format!("{i:024x}"), "id": format!("{i:024x}"), "name": format!("app{i}"),
                   "displayLabel": format!("App {i}"), "logo": {"url": logo}})
        };
        match request.path() {
            "/api/applications" => Answer::Reply(Reply::json(
                200,
                &json!({"totalCount": 3, "results": [
                    app(1, &private_logo),
                    app(2, "/logos/scripted.svg"),
                    app(3, "/logos/ok.png"),
                ]}),
            )),
            "/logos/scripted.svg" => Answer::Reply(Reply::bytes(
                200,
                "image/svg+xml",
                r#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>"#,
            )),
            "/logos/ok.png" => Answer::Reply(Reply::bytes(200, "image/png", PNG)),
            _ => Answer::Reply(Reply::json(200, &json!([])).header("x-total-count", "0")),
        }
    })
    .await;
    let (summary, dir) = collect_from(&api, &[Category::Applications], quick()).await;
    let report = summary
        .category(Category::Applications)
        .expect("applications reported");
    assert_eq!(
        report.status,
        Status::Complete,
        "logos never fail a category: {report:?}"
    );
    let note = report
        .notes
        .iter()
        .find(|n| n.contains("logos could not be fetched"))
        .unwrap_or_else(|| panic!("a note names the dropped logos: {:?}", report.notes));
    assert!(note.starts_with("2 logos"), "{note}");
    assert!(
        private.requests().is_empty(),
        "no request reached the private logo host"
    );
    let kept: Vec<String> = std::fs::read_dir(dir.path().join("logos"))
        .expect("the logos folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(
        kept,
        [format!("{:024x}.png", 3)],
        "only the plain logo is saved; no .svg with a script"
    );
}
