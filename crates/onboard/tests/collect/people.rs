//! Every category and its counts, page boundaries, nested groups and managers.

use std::collections::BTreeSet;

use jc_sim::{Scenario, SimConfig, Sizes};
use onboard::collect::{Category, ManagerSource, Progress, Status};

use crate::{all, collect_from, collect_with, statuses};

#[tokio::test]
async fn a_healthy_org_is_complete_in_every_category_and_reconciles() {
    let run = collect_from(SimConfig::scenario(Scenario::Healthy)).await;
    assert_eq!(
        statuses(&run.summary),
        all(Status::Complete),
        "a read-only key reads everything in the healthy org"
    );
    for report in &run.summary.categories {
        assert_eq!(
            Some(report.collected),
            report.total,
            "{}: collected reconciles with the server's total",
            report.category
        );
        assert_eq!(
            run.records(report.category).len() as u64,
            report.collected,
            "{}: the snapshot holds every collected record",
            report.category
        );
    }
    assert!(run.summary.ok(), "complete everywhere means ok");
    let sizes = Sizes::default();
    assert_eq!(run.report(Category::Users).collected, sizes.users as u64);
    assert_eq!(
        run.report(Category::Devices).collected,
        sizes.devices as u64
    );
    let finished = run
        .events
        .iter()
        .filter(|e| matches!(e, Progress::Finished(_)))
        .count();
    assert_eq!(
        finished,
        Category::ALL.len(),
        "every category reports when it finishes"
    );
    assert!(
        run.events.iter().any(|e| matches!(
            e,
            Progress::Advanced {
                category: Category::Users,
                ..
            }
        )),
        "users report progress per page"
    );
}

#[tokio::test]
async fn page_boundaries_collect_every_record() {
    for n in [0usize, 1, 100, 101] {
        let config = SimConfig {
            sizes: Sizes {
                users: n,
                groups: n,
                apps: n,
                devices: n,
                policies: n.min(3),
            },
            ..SimConfig::scenario(Scenario::Healthy)
        };
        let run = collect_from(config).await;
        assert!(
            run.summary.ok(),
            "{n} of each: every category settles: {:?}",
            statuses(&run.summary)
        );
        for report in &run.summary.categories {
            assert_eq!(
                Some(report.collected),
                report.total,
                "{n} of each, {}: collected reconciles with the total",
                report.category
            );
        }
        for category in [
            Category::Users,
            Category::Devices,
            Category::UserGroups,
            Category::Applications,
        ] {
            let report = run.report(category);
            assert_eq!(
                (report.status, report.collected, report.total),
                (Status::Complete, n as u64, Some(n as u64)),
                "{n} {category}: all collected, none twice ({report:?})"
            );
            let ids: BTreeSet<String> = run
                .records(category)
                .iter()
                .filter_map(|r| r["id"].as_str().map(str::to_owned))
                .collect();
            assert_eq!(ids.len(), n, "{n} {category}: every id once");
        }
    }
}

#[tokio::test]
async fn nested_groups_list_direct_and_effective_members() {
    let run = collect_from(SimConfig::scenario(Scenario::Healthy)).await;
    let groups = run.records(Category::UserGroups);
    let ids = |v: &serde_json::Value| -> BTreeSet<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let parent = groups
        .iter()
        .find(|g| !ids(&g["direct_group_ids"]).is_empty())
        .expect("the healthy org has a group nested in another");
    let child_id = ids(&parent["direct_group_ids"])
        .into_iter()
        .next()
        .expect("one nested group");
    let child = groups
        .iter()
        .find(|g| g["id"].as_str() == Some(child_id.as_str()))
        .expect("the nested group is collected too");
    let effective = ids(&parent["effective_user_ids"]);
    assert!(
        ids(&parent["direct_user_ids"]).is_subset(&effective),
        "direct members are effective members"
    );
    assert!(
        ids(&child["effective_user_ids"]).is_subset(&effective),
        "members of a nested group are effective members of its parent"
    );
}

#[tokio::test]
async fn managers_resolve_by_id_and_unresolvable_ones_are_warned_not_dropped() {
    let run = collect_from(SimConfig::scenario(Scenario::Healthy)).await;
    let users = run.records(Category::Users);
    let by_id = |id: &str| users.iter().find(|u| u["id"].as_str() == Some(id));
    let resolved = users
        .iter()
        .find(|u| u["manager_id"].is_string())
        .expect("some users have a manager that resolves");
    let manager = by_id(resolved["manager_id"].as_str().unwrap_or_default())
        .expect("the manager is a collected user");
    assert_eq!(
        resolved["manager_email"], manager["email"],
        "manager email comes from the manager's record"
    );
    assert!(resolved["manager_name"]
        .as_str()
        .is_some_and(|n| !n.is_empty()));

    let unresolved: Vec<_> = users
        .iter()
        .filter(|u| u["manager_ref"].is_string() && u["manager_id"].is_null())
        .collect();
    assert!(
        !unresolved.is_empty(),
        "the sim has managers who were deleted"
    );
    assert_eq!(
        run.summary.warnings,
        unresolved.len() as u64,
        "each unresolvable manager is one data-quality warning"
    );
    assert_eq!(
        run.report(Category::Users).collected as usize,
        users.len(),
        "users with unresolvable managers are kept"
    );
    let warnings = crate::csv_rows(&run.out().join("warnings.csv"));
    assert_eq!(
        warnings.len() - 1,
        unresolved.len(),
        "warnings.csv lists them all"
    );
}

#[tokio::test]
async fn managers_resolve_from_an_email_custom_attribute() {
    let config = SimConfig {
        sizes: Sizes {
            users: 300,
            ..Sizes::default()
        },
        ..SimConfig::scenario(Scenario::Healthy)
    };
    let run = collect_with(config, |o| {
        o.categories = vec![Category::Users];
        o.manager = ManagerSource::from_name(Some("managerEmail"));
    })
    .await;
    let users = run.records(Category::Users);
    let with_attribute: Vec<_> = users
        .iter()
        .filter(|u| u["custom_attributes"]["managerEmail"].is_string())
        .collect();
    assert!(
        !with_attribute.is_empty(),
        "the sim sets managerEmail on some users"
    );
    for user in &with_attribute {
        let email = user["custom_attributes"]["managerEmail"]
            .as_str()
            .unwrap_or_default();
        if email.starts_with("former.manager@") {
            assert!(
                user["manager_id"].is_null(),
                "a former manager's email matches no user"
            );
        } else {
            assert_eq!(
                user["manager_email"].as_str().map(str::to_lowercase),
                Some(email.to_lowercase()),
                "the manager is found by the email in the attribute"
            );
        }
    }
    assert!(
        with_attribute.iter().any(|u| u["manager_id"].is_null()),
        "at least one attribute points at nobody"
    );
    assert!(
        run.summary.warnings > 0,
        "unresolvable attribute managers are warned about"
    );
}
