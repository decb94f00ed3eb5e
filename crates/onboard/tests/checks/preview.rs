use jc_sim::Scenario;
use onboard::preview::{first_rows, CountStatus, FIRST_ROWS};
use onboard::CheckOptions;

use super::*;

#[tokio::test]
async fn first_rows_count_every_category_and_show_the_main_ones() {
    let demo = demo(Scenario::Healthy).await;
    let checked =
        onboard::check_connection(&demo.input(None), &CheckOptions::default(), |_| {}).await;
    let client = checked
        .client
        .expect("a passing test hands over its client");
    let preview = first_rows(&client, client.region()).await;

    let users = preview
        .categories
        .iter()
        .find(|c| c.category == onboard::Category::Users)
        .expect("users are counted");
    assert_eq!(
        (users.total, users.status),
        (Some(25), CountStatus::Ok),
        "the healthy demo org has 25 users"
    );
    assert_eq!(
        preview.categories.len(),
        10,
        "every top-level category is counted"
    );
    assert_eq!(
        preview.users.len(),
        FIRST_ROWS as usize,
        "the first page of users is shown"
    );
    assert!(!preview.apps.is_empty() && !preview.devices.is_empty() && !preview.groups.is_empty());

    let logos: Vec<_> = preview.apps.iter().map(|a| a.logo.as_deref()).collect();
    assert!(
        logos
            .iter()
            .flatten()
            .all(|l| l.starts_with("data:image/png;base64,")),
        "logos arrive as data URLs: {logos:?}"
    );
    assert!(
        logos.iter().any(Option::is_none),
        "the app with a broken logo simply has none: {logos:?}"
    );

    let managers: Vec<&str> = preview
        .users
        .iter()
        .filter_map(|u| u.manager.as_deref())
        .collect();
    assert!(
        managers
            .iter()
            .any(|m| m.contains(" <") && m.ends_with('>')),
        "managers are shown by name and email, not id: {managers:?}"
    );

    let json = serde_json::to_string(&preview).expect("serializes for the UI");
    assert!(
        !json.contains("SIM-CANARY-SECRET"),
        "no planted secret reaches the preview"
    );
    demo.stop().await;
}

#[tokio::test]
async fn a_forbidden_category_is_counted_as_forbidden_not_fatal() {
    let demo = demo(Scenario::CustomRole).await;
    let checked =
        onboard::check_connection(&demo.input(None), &CheckOptions::default(), |_| {}).await;
    let client = checked
        .client
        .expect("the custom role passes its mandatory checks");
    let preview = first_rows(&client, client.region()).await;
    let policies = preview
        .categories
        .iter()
        .find(|c| c.category == onboard::Category::Policies)
        .expect("policies counted");
    assert_eq!(policies.status, CountStatus::Forbidden);
    assert!(
        policies
            .message
            .as_deref()
            .is_some_and(|m| m.contains("not allowed")),
        "{policies:?}"
    );
    assert_eq!(
        preview.users.len(),
        FIRST_ROWS as usize,
        "the rest of the preview still works"
    );
    demo.stop().await;
}
