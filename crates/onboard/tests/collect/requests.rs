//! Every request the product makes, in every scenario (the checks, the preview and a whole
//! collection), as the simulator received it: each one is an entry of the call table and sends
//! only what that entry and JumpCloud's spec allow, sorted wherever the route can be, never more
//! than 100 records a page.

use std::collections::BTreeSet;
use std::time::Duration;

use jc_api::calls::{self, Call};
use jc_sim::{RecordedRequest, Scenario, SimConfig};
use onboard::collect::{collect, CancelToken, CollectOptions};
use onboard::demo::Demo;
use onboard::CheckOptions;

fn config(scenario: Scenario) -> SimConfig {
    let mut config = SimConfig::scenario(scenario);
    match scenario {
        Scenario::Slow => config.latency = Duration::from_millis(5),
        Scenario::RateLimited => config.rate_limit_per_sec = Some(40),
        _ => {}
    }
    config
}

/// The query's parameter names, and the value of one of them.
fn parameters(request: &RecordedRequest) -> Vec<(String, String)> {
    url::form_urlencoded::parse(request.query.as_deref().unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

fn follows_its_entry(request: &RecordedRequest) -> &'static Call {
    let what = format!(
        "{} {}?{}",
        request.method,
        request.path,
        request.query.as_deref().unwrap_or_default()
    );
    assert!(
        !request.path.contains("//"),
        "{what}: no empty id in a path"
    );
    let call = calls::lookup(&request.method, &request.path).unwrap_or_else(|| {
        panic!("{what}: every request with the key is an entry of the call table")
    });
    let sent = parameters(request);
    let declared: Option<BTreeSet<&str>> = call.spec().map(|s| s.query.iter().copied().collect());
    for (name, _) in &sent {
        assert!(
            call.sends(name),
            "{what}: {name} is not among what {} sends",
            call.path
        );
        if let Some(declared) = &declared {
            assert!(
                declared.contains(name.as_str()),
                "{what}: the spec does not declare {name}"
            );
        }
    }
    let value = |name: &str| {
        sent.iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    if call.paging.is_some() {
        let limit: u32 = value("limit")
            .and_then(|l| l.parse().ok())
            .unwrap_or_else(|| panic!("{what}: a page says its limit"));
        assert!(
            (1..=100).contains(&limit),
            "{what}: limit {limit} is within 1..=100"
        );
        assert!(
            value("skip").is_some(),
            "{what}: a page says where it starts"
        );
        assert_eq!(
            value("sort"),
            call.sort(),
            "{what}: sorted by id exactly where the route takes sort"
        );
    }
    call
}

#[tokio::test]
async fn every_request_in_every_scenario_is_an_entry_of_the_call_table() {
    let mut exercised: BTreeSet<&'static str> = BTreeSet::new();
    for scenario in Scenario::ALL {
        let demo = Demo::start_with(config(scenario))
            .await
            .expect("the demo org starts");
        let org = (scenario == Scenario::MultiTenant).then(|| demo.sim().org_ids()[1].clone());
        let checked =
            onboard::check_connection(&demo.input(org), &CheckOptions::default(), |_| {}).await;
        if let Some(client) = &checked.client {
            onboard::preview::first_rows(client, client.region()).await;
            let dir = tempfile::tempdir().expect("a temporary folder");
            collect(
                client,
                &CollectOptions::new(dir.path()),
                &CancelToken::new(),
                &|_| {},
            )
            .await
            .expect("the collection writes its export");
        }
        if scenario == Scenario::Healthy {
            // An organization ID the list does not hold is asked for by ID.
            let unlisted = demo.input(Some("0123456789abcdef01234567".to_owned()));
            onboard::check_connection(&unlisted, &CheckOptions::default(), |_| {}).await;
        }
        let requests = demo.sim().requests();
        assert!(
            !requests.is_empty(),
            "{scenario}: the product asked something"
        );
        for request in &requests {
            if request.had_api_key {
                exercised.insert(follows_its_entry(request).path);
            } else {
                assert!(
                    request.path == "/" || request.path.starts_with("/api/v2/logos/"),
                    "{scenario}: only the key-less reach probe and logos go without the key: {}",
                    request.path
                );
            }
        }
        demo.stop().await;
    }
    let every: BTreeSet<&str> = calls::ALL.iter().map(|c| c.path).collect();
    assert_eq!(
        exercised, every,
        "the scenarios between them exercise every entry of the table"
    );
}
