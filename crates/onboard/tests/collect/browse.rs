//! A collection kept for browsing: logos fetched as files, rows paged from the kept records,
//! relationships followed, findings counted, and the export copied with its logos.

use jc_sim::{Scenario, SimConfig};
use onboard::collect::browse::{Collection, RowQuery};
use onboard::collect::{Category, Status, LOGOS_DIR, RECORDS_DIR};

use crate::collect_with;

#[tokio::test]
async fn logos_are_fetched_into_the_export_and_a_broken_one_is_only_a_note() {
    let run = collect_with(SimConfig::scenario(Scenario::Healthy), |_| {}).await;
    let apps = run.records(Category::Applications);
    assert_eq!(apps.len(), 5, "the healthy org has five applications");
    let with_logo: Vec<&str> = apps
        .iter()
        .filter_map(|a| a["logo_file"].as_str())
        .collect();
    assert_eq!(
        with_logo.len(),
        4,
        "the sim breaks exactly one of the five logos"
    );
    for file in &with_logo {
        assert!(
            file.starts_with("logos/") && file.ends_with(".png"),
            "{file}"
        );
        let bytes = std::fs::read(run.out().join(file)).expect("the logo file is written");
        assert!(
            bytes.starts_with(b"\x89PNG"),
            "{file} holds the PNG the sim served"
        );
    }
    let report = run.report(Category::Applications);
    assert_eq!(
        report.status,
        Status::Complete,
        "a broken logo never fails the category"
    );
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.starts_with("1 logo could not be fetched") && !n.contains("404")),
        "the broken logo is named in a plain note: {:?}",
        report.notes
    );
    assert!(
        report.technical.iter().any(|t| t.contains("404")),
        "its cause is kept for support: {:?}",
        report.technical
    );
    for other in Category::ALL
        .into_iter()
        .filter(|c| *c != Category::Applications)
    {
        assert!(
            run.report(other).notes.iter().all(|n| !n.contains("logo")),
            "only applications speak of logos: {other} says {:?}",
            run.report(other).notes
        );
    }
    assert!(
        !run.out().join(RECORDS_DIR).exists(),
        "records are only kept when asked for"
    );
    let logo_requests = run
        .sim
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/api/v2/logos/"))
        .count();
    assert_eq!(logo_requests, 5, "one request per logo, none repeated");
}

#[tokio::test]
async fn a_kept_collection_pages_relates_finds_and_exports() {
    let run = collect_with(SimConfig::scenario(Scenario::Healthy), |o| {
        o.keep_records = true;
    })
    .await;
    let collection = Collection::open(run.out()).expect("the kept records open");
    let users = run.report(Category::Users);
    let page = collection
        .page(Category::Users, &RowQuery::default(), 0, 50)
        .expect("a page of users");
    assert_eq!(
        page.total_matching, users.collected,
        "every collected user is a row"
    );
    assert_eq!(page.columns[0].label, "Username");

    // Someone in a group that can use an app leads to that group and that app.
    let groups = run.records(Category::UserGroups);
    let apps = run.records(Category::Applications);
    let (member, group) = groups
        .iter()
        .find_map(|g| {
            let gid = g["id"].as_str()?;
            let used = apps.iter().any(|a| {
                a["user_group_ids"]
                    .as_array()
                    .is_some_and(|ids| ids.iter().any(|i| i == gid))
            });
            let member = g["effective_user_ids"].as_array()?.first()?.as_str()?;
            used.then(|| (member.to_owned(), gid.to_owned()))
        })
        .expect("the healthy org has a group with members that can use an app");
    let related = collection
        .related(Category::Users, &member)
        .expect("related records");
    assert!(related
        .iter()
        .any(|r| r.category == Category::UserGroups && r.id == group));
    assert!(related.iter().any(|r| r.category == Category::Applications));

    let apps_page = collection
        .page(Category::Applications, &RowQuery::default(), 0, 50)
        .expect("a page of applications");
    assert_eq!(
        apps_page.images.iter().filter(|i| i.is_some()).count(),
        4,
        "each fetched logo reaches the table as data"
    );

    let findings = collection
        .findings(time::OffsetDateTime::now_utc())
        .expect("findings");
    assert!(
        findings.count("app_without_group") >= 1,
        "the sim has an app nobody can use: {findings:?}"
    );

    let downloads = tempfile::tempdir().expect("a downloads folder");
    let exported = collection.export_to(downloads.path()).expect("exported");
    assert!(exported.join("snapshot.json").is_file());
    assert_eq!(
        std::fs::read_dir(exported.join(LOGOS_DIR))
            .expect("the logos are exported")
            .count(),
        4
    );
    assert!(!exported.join(RECORDS_DIR).exists());
}
