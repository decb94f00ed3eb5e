use jc_api::endpoints::{ListSystemUsers, ListUserGroups};
use jc_api::PAGE_LIMIT;
use jc_sim::{Scenario, Sizes};

use super::*;

fn pages_for(records: usize) -> u32 {
    // A page of 100 that reaches the claimed total ends the listing; an empty org still costs one request.
    (records.div_ceil(PAGE_LIMIT as usize)).max(1) as u32
}

#[tokio::test]
async fn v1_paging_collects_every_record_at_page_boundaries() {
    for users in [0, 1, 99, 100, 101, 10_001] {
        let sim = start(sized(
            Scenario::Healthy,
            Sizes {
                users,
                ..Sizes::default()
            },
        ))
        .await;
        let listing = client(&sim)
            .list_all(ListSystemUsers)
            .await
            .expect("users list");
        assert_eq!(
            listing.items.len(),
            users,
            "every one of {users} users must be collected"
        );
        assert_eq!(
            listing.total,
            Some(users as u64),
            "totalCount is read from the V1 body"
        );
        assert!(
            listing.is_complete(),
            "collected count reconciles with totalCount"
        );
        assert_eq!(
            listing.pages,
            pages_for(users),
            "{users} users take exactly {} pages",
            pages_for(users)
        );

        let ids: Vec<&str> = listing.items.iter().map(|u| u.id()).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), ids.len(), "no user is collected twice");

        let requests = sim.requests();
        assert!(
            requests
                .iter()
                .filter(|r| r.path == "/api/systemusers")
                .all(
                    |r| r.query.as_deref().unwrap_or_default().contains("limit=100")
                        && r.query.as_deref().unwrap_or_default().contains("sort=_id")
                ),
            "V1 pages ask limit=100 and sort=_id: {requests:?}"
        );
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn v2_paging_reads_x_total_count() {
    for groups in [0, 1, 99, 100, 101, 10_001] {
        let sim = start(sized(
            Scenario::Healthy,
            Sizes {
                groups,
                ..Sizes::default()
            },
        ))
        .await;
        let listing = client(&sim)
            .list_all(ListUserGroups)
            .await
            .expect("groups list");
        assert_eq!(
            listing.items.len(),
            groups,
            "every one of {groups} groups must be collected"
        );
        assert_eq!(
            listing.total,
            Some(groups as u64),
            "x-total-count is read from the V2 header"
        );
        assert_eq!(
            listing.pages,
            pages_for(groups),
            "{groups} groups take exactly {} pages",
            pages_for(groups)
        );
        let requests = sim.requests();
        assert!(
            requests
                .iter()
                .filter(|r| r.path == "/api/v2/usergroups")
                .all(
                    |r| r.query.as_deref().unwrap_or_default().contains("limit=100")
                        && r.query.as_deref().unwrap_or_default().contains("sort=id")
                ),
            "V2 pages ask limit=100 and sort=id: {requests:?}"
        );
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn pager_reports_each_page_with_its_offset() {
    let sim = start(sized(
        Scenario::Healthy,
        Sizes {
            users: 250,
            ..Sizes::default()
        },
    ))
    .await;
    let client = client(&sim);
    let mut pager = client.pager(ListSystemUsers);
    let mut seen = Vec::new();
    while let Some(page) = pager.next_page().await.expect("page") {
        seen.push((page.number, page.skip, page.items.len()));
    }
    assert_eq!(
        seen,
        vec![(1, 0, 100), (2, 100, 100), (3, 200, 50)],
        "pages are numbered and offset by what came before"
    );
    sim.shutdown().await;
}
