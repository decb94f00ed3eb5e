use jc_sim::Scenario;
use onboard::{CheckEvent, CheckOptions, CheckState};

use super::*;

#[tokio::test]
async fn each_check_streams_started_then_finished_once_and_the_report_keeps_catalogue_order() {
    let demo = demo(Scenario::Healthy).await;
    let mut events = Vec::new();
    let report = onboard::run_checks(&demo.input(None), &CheckOptions::default(), |e| {
        events.push(e)
    })
    .await;
    let catalogue: Vec<String> = onboard::catalogue().into_iter().map(|s| s.id).collect();
    let mut finished: Vec<String> = events
        .iter()
        .filter_map(|e| match e {
            CheckEvent::Finished(r) => Some(r.id.clone()),
            CheckEvent::Started { .. } => None,
        })
        .collect();
    finished.sort_by_key(|id| catalogue.iter().position(|c| c == id));
    assert_eq!(
        finished, catalogue,
        "every check finishes exactly once (checks that run together may finish in any order)"
    );
    for id in &catalogue {
        let started = events
            .iter()
            .position(|e| matches!(e, CheckEvent::Started { id: s, .. } if s == id));
        let done = events
            .iter()
            .position(|e| matches!(e, CheckEvent::Finished(r) if &r.id == id));
        assert!(
            started.is_some() && started < done,
            "{id} is announced before its result"
        );
    }
    let reported: Vec<&str> = report.checks.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        reported, catalogue,
        "the report lists the checks in catalogue order"
    );
    demo.stop().await;
}

#[tokio::test]
async fn checks_after_a_failed_mandatory_one_are_skipped_and_say_why() {
    let demo = demo(Scenario::ExpiredKey).await;
    let mut events = Vec::new();
    let report = onboard::run_checks(&demo.input(None), &CheckOptions::default(), |e| {
        events.push(e)
    })
    .await;
    let skipped: Vec<_> = report
        .checks
        .iter()
        .filter(|c| c.state == CheckState::Skipped)
        .collect();
    assert_eq!(
        skipped.len(),
        onboard::catalogue().len() - 4,
        "everything after key.accepted is skipped"
    );
    assert!(
        skipped.iter().all(|c| c
            .message
            .contains("\"JumpCloud accepts the credentials\" failed")),
        "{skipped:#?}"
    );
    let started_skipped = events
        .iter()
        .any(|e| matches!(e, CheckEvent::Started { id, .. } if id == "org.selected"));
    assert!(
        !started_skipped,
        "a skipped check is never announced as running"
    );
    demo.stop().await;
}

#[tokio::test]
async fn the_report_never_contains_the_key() {
    let demo = demo(Scenario::Healthy).await;
    let options = CheckOptions::default();
    let report = onboard::run_checks(&demo.input(None), &options, |_| {}).await;
    let json = serde_json::to_string(&report).expect("the report serializes");
    assert!(
        !json.contains(demo.sim().api_key()),
        "the report must never hold the key"
    );
    let log = format!("{:?}", options.request_log.records());
    assert!(
        !log.contains(demo.sim().api_key()),
        "the request log must never hold the key"
    );
    assert!(
        options.request_log.records().len() > 10,
        "the request log saw every request"
    );
    demo.stop().await;
}
