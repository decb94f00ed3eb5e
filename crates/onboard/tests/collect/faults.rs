//! Read-only limits, 429 storms, 5xx, truncated JSON and cancellation.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use jc_api::RetryPolicy;
use jc_sim::{Scenario, SimConfig, Sizes};
use onboard::collect::{collect, CancelToken, Category, CollectOptions, Progress, Status};

use crate::{
    all, client, collect_from, collect_retrying, collect_with, csv_path, csv_rows, start, statuses,
};

#[tokio::test]
async fn refused_association_routes_fall_back_to_traversal_and_say_so() {
    let run = collect_from(SimConfig::scenario(Scenario::ReadOnlyAssociation403)).await;
    for category in [
        Category::Applications,
        Category::LdapServers,
        Category::RadiusServers,
    ] {
        let report = run.report(category);
        assert_eq!(
            report.status,
            Status::Complete,
            "{category}: still complete ({report:?})"
        );
        assert!(
            report.notes.iter().any(|n| n.contains("traversal")),
            "{category}: a note says the traversal routes were used: {:?}",
            report.notes
        );
    }
    let apps = run.records(Category::Applications);
    assert!(apps.iter().all(|a| a["access_source"] == "traversal"));
    assert!(
        apps.iter().any(|a| a["user_group_ids"]
            .as_array()
            .is_some_and(|g| !g.is_empty())),
        "group access is read from the traversal route"
    );
}

#[tokio::test]
async fn a_command_runner_key_is_forbidden_with_an_explanation() {
    let run = collect_from(SimConfig::scenario(Scenario::CommandRunner)).await;
    let users = run.report(Category::Users);
    assert_eq!(
        users.status,
        Status::Complete,
        "command runners may list users"
    );
    let devices = run.report(Category::Devices);
    assert_eq!(devices.status, Status::Forbidden);
    assert!(
        devices
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("not allowed")),
        "the reason explains the role: {devices:?}"
    );
    let admins = run.report(Category::Admins);
    assert!(
        admins
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("/api/users")),
        "the admins reason names the undocumented route: {admins:?}"
    );
    assert!(
        run.summary.ok(),
        "forbidden-and-explained is settled: {:?}",
        statuses(&run.summary)
    );
}

#[tokio::test]
async fn a_429_storm_slows_the_collection_but_it_completes() {
    // Eight tokens: the first pages of the eleven categories start together, so the sim answers
    // 429 however fast or slow this machine is.
    let config = SimConfig {
        rate_limit_per_sec: Some(8),
        ..SimConfig::scenario(Scenario::RateLimited)
    };
    // The real backoff: the bucket refills at its own pace, and millisecond retries would spend
    // every attempt before it does.
    let run = collect_retrying(config, RetryPolicy::standard(), |_| {}).await;
    assert_eq!(
        statuses(&run.summary),
        all(Status::Complete),
        "429s are ridden out"
    );
    assert!(
        run.summary.throttled > 0,
        "the sim did answer 429: {:?}",
        run.summary
    );
}

#[tokio::test]
async fn a_flaky_server_is_ridden_out_by_retries() {
    // The sim fails by the count of requests it has seen (every 3rd, every 5th), so a retry
    // succeeds deterministically only when nothing else is in flight meanwhile: one at a time.
    let run = collect_with(SimConfig::scenario(Scenario::Flaky), |o| {
        o.max_in_flight = 1
    })
    .await;
    assert_eq!(
        statuses(&run.summary),
        all(Status::Complete),
        "503s and 502 pages are retried: {:#?}",
        run.summary.categories
    );
    let failed = run
        .sim
        .requests()
        .iter()
        .filter(|r| r.status >= 500)
        .count();
    assert!(failed > 0, "the sim did fail some requests");
}

#[tokio::test]
async fn a_truncated_page_makes_users_partial_and_names_the_page() {
    let config = SimConfig {
        sizes: Sizes {
            users: 250,
            ..Sizes::default()
        },
        truncate_at_skip: Some(100),
        ..SimConfig::scenario(Scenario::TruncatedJson)
    };
    let run = collect_with(config, |o| o.categories = vec![Category::Users]).await;
    let users = run.report(Category::Users);
    assert_eq!(users.status, Status::Partial);
    assert_eq!(
        (users.collected, users.total),
        (150, Some(250)),
        "N of M: one page is missing"
    );
    assert!(
        users
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("page 2 (records 100-199) was cut short")),
        "the reason names the page: {users:?}"
    );
    assert!(!run.summary.ok(), "partial is not ok");
    assert_eq!(
        csv_rows(&csv_path(run.out(), Category::Users)).len(),
        151,
        "header + 150 users"
    );
}

#[tokio::test]
async fn cancelling_keeps_what_was_fetched() {
    let sim = start(SimConfig {
        sizes: Sizes {
            users: 3000,
            devices: 3000,
            ..Sizes::default()
        },
        latency: Duration::from_millis(20),
        ..SimConfig::scenario(Scenario::Healthy)
    })
    .await;
    let dir = tempfile::tempdir().expect("a temporary output directory");
    let options = CollectOptions {
        categories: vec![Category::Users, Category::Devices],
        ..CollectOptions::new(dir.path())
    };
    let cancel = CancelToken::new();
    let trigger = cancel.clone();
    let fired = Arc::new(AtomicBool::new(false));
    let seen = Arc::clone(&fired);
    let progress = move |event: Progress| {
        if let Progress::Advanced {
            category: Category::Users,
            collected,
            ..
        } = event
        {
            if collected >= 500 && !seen.swap(true, Ordering::SeqCst) {
                trigger.cancel();
            }
        }
    };
    let summary = collect(&client(&sim), &options, &cancel, &progress)
        .await
        .expect("a cancelled collection still writes its export");
    assert!(fired.load(Ordering::SeqCst), "the test cancelled mid-way");
    assert!(summary.cancelled);
    assert!(!summary.ok(), "a cancelled collection is not ok");
    let users = summary.category(Category::Users).expect("users reported");
    assert_eq!(users.status, Status::Partial);
    assert!(
        users.collected >= 500 && users.collected < 3000,
        "kept what was fetched: {users:?}"
    );
    assert!(
        users
            .reason
            .as_deref()
            .is_some_and(|r| r.starts_with("cancelled after")),
        "the reason says it was cancelled: {users:?}"
    );
    let rows = csv_rows(&csv_path(dir.path(), Category::Users));
    assert_eq!(
        rows.len() as u64 - 1,
        users.collected,
        "the export holds what was fetched"
    );
}

#[tokio::test]
async fn a_cut_first_page_fails_the_category_and_names_the_page() {
    let config = SimConfig {
        truncate_at_skip: Some(0),
        ..SimConfig::scenario(Scenario::TruncatedJson)
    };
    let run = collect_with(config, |o| o.categories = vec![Category::Users]).await;
    let users = run.report(Category::Users);
    assert_eq!(
        users.status,
        Status::Failed,
        "nothing could be read: {users:?}"
    );
    assert!(
        users
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("page 1 (records 0-99) was cut short")),
        "the reason names the page: {users:?}"
    );
}

#[tokio::test]
async fn several_requests_are_in_flight_when_the_server_allows() {
    let config = SimConfig {
        sizes: Sizes {
            users: 2000,
            ..Sizes::default()
        },
        latency: Duration::from_millis(10),
        ..SimConfig::scenario(Scenario::Healthy)
    };
    let run = collect_with(config, |o| o.categories = vec![Category::Users]).await;
    assert_eq!(run.report(Category::Users).status, Status::Complete);
    assert!(
        run.summary.peak_in_flight > onboard::collect::START_IN_FLIGHT,
        "with no limit the window grows past its start: {:?}",
        run.summary.peak_in_flight
    );
}
