//! preview.sample: records really come back, not just a 200 on an empty page.

use jc_api::endpoints::ListSystemUsers;
use jc_api::{Client, Region};

use super::Outcome;
use crate::report::{CheckState, Evidence};

const SAMPLE_SIZE: u32 = 10;

pub(super) async fn first_users(client: &Client, region: Option<Region>) -> (Outcome, Option<()>) {
    match client.page(&ListSystemUsers, 0, SAMPLE_SIZE).await {
        Ok(page) if page.items.is_empty() => (
            Outcome::warn(
                "The connection works, but the organization has no users yet, so there is nothing to collect.",
                "Add or import users in JumpCloud (Users), then test again.",
            )
            .with_evidence(Evidence::ok(&page.detail)),
            None,
        ),
        Ok(page) => {
            let total = page.total.map(|t| format!(" of {t}")).unwrap_or_default();
            let with_email = page.items.iter().filter(|u| u.email.as_deref().is_some_and(|e| !e.is_empty())).count();
            (
                Outcome::pass(format!(
                    "Read the first {}{total} users; {with_email} of them have an email address.",
                    page.items.len()
                ))
                .with_evidence(Evidence::ok(&page.detail)),
                None,
            )
        }
        Err(error) if super::is_transient(&error) => (
            Outcome::not_checked_now(&error, "users", region, client, "/api/systemusers"),
            None,
        ),
        Err(error) => (
            Outcome::from_error(CheckState::Fail, &error, "users", region, client, "/api/systemusers"),
            None,
        ),
    }
}
