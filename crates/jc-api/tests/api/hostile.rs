//! The client against a hostile server on loopback (`jc_sim::hostile`): redirects, endless
//! bodies, absurd `Retry-After` values, logos on private addresses and scripted SVGs.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use jc_api::endpoints::ListOrganizations;
use jc_api::{ApiKey, BaseUrl, Client, ClientBuilder, Error, ImageError, RetryPolicy};
use jc_sim::hostile::{Answer, Hostile, HttpRequest, Reply};

const KEY: &str = "jca_CANARYcanary0123456789CANARYcanary01";

async fn hostile(script: impl Fn(&HttpRequest) -> Answer + Send + Sync + 'static) -> Hostile {
    Hostile::start(script)
        .await
        .expect("the hostile server listens on loopback")
}

fn client_for(url: &str, retry: RetryPolicy) -> Client {
    let key = ApiKey::parse(KEY).expect("a well-formed key");
    ClientBuilder::new(key, BaseUrl::parse(url).expect("a host root"))
        .retry(retry)
        .timeout(Duration::from_secs(10))
        .build()
        .expect("a client")
}

#[tokio::test]
async fn a_redirect_is_never_followed_and_the_key_reaches_no_other_host() {
    let elsewhere = hostile(|_| Answer::Reply(Reply::json(200, &serde_json::json!([])))).await;
    for (status, location) in [
        (
            301,
            format!("{}/api/organizations?limit=1", elsewhere.url()),
        ),
        // An https API sending the client to plain http (here: another port) is the same.
        (308, format!("http://{}/steal?key=x", elsewhere.addr())),
        (302, "/api/organizations?again=1".to_owned()),
    ] {
        let target = location.clone();
        let front =
            hostile(move |_| Answer::Reply(Reply::status(status).header("Location", &target)))
                .await;
        let client = client_for(&front.url(), RetryPolicy::standard());
        let error = client
            .page(&ListOrganizations, 0, 1)
            .await
            .expect_err("a redirect is an error, not a place to go");
        match &error {
            Error::Redirected { to, .. } => {
                assert!(
                    !to.contains('?') && !to.contains("steal"),
                    "only the origin is named, never a path or query: {to}"
                );
                assert!(to.starts_with("http://127.0.0.1:"), "{to}");
            }
            other => panic!("HTTP {status} must be Redirected, got {other:?}"),
        }
        assert_eq!(front.requests().len(), 1, "a redirect is not retried");
        assert!(
            !error.to_string().contains(KEY) && !format!("{error:?}").contains(KEY),
            "the key is not in the error"
        );
    }
    assert!(
        elsewhere.requests().is_empty(),
        "nothing, and so no key, reached the redirect target: {:?}",
        elsewhere.requests()
    );
}

#[tokio::test]
async fn an_endless_body_is_cut_at_the_cap_and_never_read_in_full() {
    const ONE_GB: u64 = 1024 * 1024 * 1024;
    for declared in [false, true] {
        let server = hostile(move |_| {
            Answer::Reply(Reply::filler(200, "application/json", ONE_GB, declared))
        })
        .await;
        let client = client_for(&server.url(), RetryPolicy::none());
        let started = Instant::now();
        let error = client
            .page(&ListOrganizations, 0, 1)
            .await
            .expect_err("a 1 GB answer is refused");
        assert!(
            matches!(error, Error::TooLarge { limit_bytes, .. } if limit_bytes == jc_api::MAX_BODY_BYTES),
            "{error:?}"
        );
        assert_eq!(error.to_string(), "the answer was larger than 32 MB");
        // The server stops writing once the client hangs up; give it a moment to notice.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let written = server.body_bytes_written();
        assert!(
            written < 64 * 1024 * 1024,
            "the client hung up long before 1 GB (declared length: {declared}): {written} bytes were written"
        );
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "refused promptly"
        );
    }
}

#[tokio::test]
async fn no_retry_after_value_can_panic_or_stall() {
    let now_plus_centuries = "Fri, 31 Dec 9999 23:59:59 GMT";
    for (value, expected) in [
        ("18446744073709551615", Some(jc_api::MAX_RETRY_AFTER)),
        (
            "99999999999999999999999999999",
            Some(jc_api::MAX_RETRY_AFTER),
        ),
        (now_plus_centuries, Some(jc_api::MAX_RETRY_AFTER)),
        ("-1", None),
        ("soon, maybe", None),
    ] {
        let server = hostile(move |_| {
            Answer::Reply(
                Reply::json(429, &serde_json::json!({"message": "slow down"}))
                    .header("Retry-After", value),
            )
        })
        .await;
        // A retry budget shorter than the clamped wait: the client must give up at once.
        let policy = RetryPolicy {
            max_total: Duration::from_secs(2),
            ..RetryPolicy::standard()
        };
        let started = Instant::now();
        let error = client_for(&server.url(), policy)
            .page(&ListOrganizations, 0, 1)
            .await
            .expect_err("rate limited");
        match error {
            Error::RateLimited { retry_after, .. } => assert_eq!(
                retry_after, expected,
                "Retry-After {value:?} is clamped or ignored"
            ),
            other => panic!("{value}: expected RateLimited, got {other:?}"),
        }
        assert!(
            started.elapsed() < Duration::from_secs(8),
            "Retry-After {value:?} did not stall the client"
        );
    }
}

/// Resolves every name to one loopback address, as a hostile DNS answer would.
struct AllTo(SocketAddr);

impl reqwest::dns::Resolve for AllTo {
    fn resolve(&self, _: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let addr = self.0;
        Box::pin(async move { Ok(Box::new(std::iter::once(addr)) as reqwest::dns::Addrs) })
    }
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n0000";

fn logo_server() -> impl Fn(&HttpRequest) -> Answer + Send + Sync + 'static {
    |request| match request.path() {
        "/logo.png" => Answer::Reply(Reply::bytes(200, "image/png", PNG)),
        "/clean.svg" => Answer::Reply(Reply::bytes(
            200,
            "image/svg+xml",
            r#"<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>"#,
        )),
        "/scripted.svg" => Answer::Reply(Reply::bytes(
            200,
            "image/svg+xml",
            r#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>"#,
        )),
        "/page.svg" => Answer::Reply(Reply::bytes(
            200,
            "image/svg+xml",
            "<html><body><svg><script>alert(1)</script></svg></body></html>",
        )),
        "/moved.png" => Answer::Reply(Reply::status(302).header("Location", "/logo.png")),
        _ => Answer::Reply(Reply::status(404)),
    }
}

#[tokio::test]
async fn logos_on_private_addresses_are_never_fetched() {
    let api = hostile(|_| Answer::Reply(Reply::status(404))).await;
    let logos = hostile(logo_server()).await;
    let client = client_for(&api.url(), RetryPolicy::none());
    for url in [
        format!("{}/logo.png", logos.url()),
        format!("http://localhost:{}/logo.png", logos.addr().port()),
        format!("http://[::1]:{}/logo.png", logos.addr().port()),
        "http://169.254.169.254/latest/meta-data".to_owned(),
        "http://10.0.0.1/logo.png".to_owned(),
    ] {
        let result = client.fetch_image(&url).await;
        assert!(
            matches!(result, Err(ImageError::NotPublic(_))),
            "{url} is refused as private: {result:?}"
        );
    }
    // A public-looking name that resolves to loopback is refused after resolution.
    let tricked = ClientBuilder::new(
        ApiKey::parse(KEY).expect("key"),
        BaseUrl::parse(&api.url()).expect("base"),
    )
    .dns_resolver(Arc::new(AllTo(logos.addr())))
    .build()
    .expect("client");
    let result = tricked
        .fetch_image(&format!(
            "http://logos.example.com:{}/logo.png",
            logos.addr().port()
        ))
        .await;
    assert!(
        matches!(&result, Err(ImageError::NotPublic(host)) if host == "logos.example.com"),
        "a name resolving to loopback is refused: {result:?}"
    );
    assert!(
        logos.requests().is_empty(),
        "no request reached the private logo host: {:?}",
        logos.requests()
    );
}

#[tokio::test]
async fn the_simulators_own_logos_are_allowed_only_when_the_api_is_on_loopback() {
    let sim_like = hostile(logo_server()).await;
    let on_loopback = client_for(&sim_like.url(), RetryPolicy::none());
    let image = on_loopback
        .fetch_image("/logo.png")
        .await
        .expect("the simulator's own logo, from the API's loopback origin");
    assert_eq!(image.content_type, "image/png");
    assert_eq!(
        on_loopback
            .fetch_image("/clean.svg")
            .await
            .map(|i| i.content_type),
        Ok("image/svg+xml"),
        "a plain SVG is kept"
    );
    assert!(
        matches!(
            on_loopback.fetch_image("/scripted.svg").await,
            Err(ImageError::UnsafeSvg(_))
        ),
        "an SVG with a script is dropped"
    );
    assert_eq!(
        on_loopback.fetch_image("/page.svg").await,
        Err(ImageError::NotAnImage),
        "an HTML page holding <svg><script> is not an image"
    );
    assert_eq!(
        on_loopback.fetch_image("/moved.png").await,
        Err(ImageError::Redirected(302)),
        "an image redirect is not followed"
    );
    let served = sim_like.requests().len();

    // The same host and port, but the API is a name (not loopback): no allowance.
    let named_api = format!("http://api.example.com:{}", sim_like.addr().port());
    let not_loopback = ClientBuilder::new(
        ApiKey::parse(KEY).expect("key"),
        BaseUrl::parse(&named_api).expect("base"),
    )
    .dns_resolver(Arc::new(AllTo(sim_like.addr())))
    .build()
    .expect("client");
    let result = not_loopback.fetch_image("/logo.png").await;
    assert!(
        matches!(result, Err(ImageError::NotPublic(_))),
        "without a loopback API, a logo on loopback is refused: {result:?}"
    );
    assert_eq!(
        sim_like.requests().len(),
        served,
        "the refused logo was never requested"
    );
}
