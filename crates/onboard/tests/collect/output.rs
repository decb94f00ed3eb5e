//! The output folder as the app uses it: records kept for browsing are replaced run by run
//! without touching anything else in the folder, and findings can be counted before the
//! records go.

use jc_sim::{Scenario, SimConfig};
use onboard::collect::browse::Collection;
use onboard::collect::{collect, CancelToken, Category, CollectOptions, MARKER_FILE, WORK_DIR};

use crate::{client, start};

#[tokio::test]
async fn kept_records_are_replaced_and_a_users_file_beside_them_survives() {
    let sim = start(SimConfig::scenario(Scenario::Healthy)).await;
    let dir = tempfile::tempdir().expect("a folder");
    let options = CollectOptions {
        keep_records: true,
        ..CollectOptions::new(dir.path())
    };
    let none = |_| {};
    collect(&client(&sim), &options, &CancelToken::new(), &none)
        .await
        .expect("the first collection");
    let records = dir.path().join("records");
    assert!(records.join("users.jsonl").is_file());
    std::fs::write(records.join("x"), "mine").expect("a user's file among the records");

    let users_only = CollectOptions {
        categories: vec![Category::Users],
        ..options.clone()
    };
    collect(&client(&sim), &users_only, &CancelToken::new(), &none)
        .await
        .expect("collecting into an earlier export");
    assert_eq!(
        std::fs::read_to_string(records.join("x")).expect("still there"),
        "mine",
        "a file the export did not write is never touched"
    );
    assert!(records.join("users.jsonl").is_file(), "replaced");
    assert!(
        !records.join("devices.jsonl").exists(),
        "the earlier collection's own records file goes"
    );
    assert!(dir.path().join(MARKER_FILE).is_file());
    assert!(!dir.path().join(WORK_DIR).exists());
    let collection = Collection::open(dir.path()).expect("browsable");
    let page = collection
        .page(Category::Users, &Default::default(), 0, 10)
        .expect("a page of users");
    assert!(page.total_matching > 0);
    sim.shutdown().await;
}

#[tokio::test]
async fn findings_are_counted_before_the_records_go() {
    let sim = start(SimConfig::scenario(Scenario::Healthy)).await;
    let dir = tempfile::tempdir().expect("a folder");
    let options = CollectOptions {
        count_findings: true,
        ..CollectOptions::new(dir.path())
    };
    let summary = collect(&client(&sim), &options, &CancelToken::new(), &|_| {})
        .await
        .expect("collected");
    let findings = summary.findings.expect("counted on request");
    assert!(
        findings.count("app_without_group") >= 1,
        "the healthy org has an app no group can use: {findings:?}"
    );
    assert!(
        !dir.path().join("records").exists(),
        "records are not kept unless asked for"
    );
    sim.shutdown().await;
}
