//! org.selected: which organization the data comes from. Multi-tenant keys reach several and
//! must pick one; single-organization keys get theirs picked automatically.

use jc_api::endpoints::{GetOrganization, ListOrganizations};
use jc_api::{Client, OrgId, Region};

use super::Outcome;
use crate::report::{CheckState, Evidence, OrgRef};

/// Organizations listed to pick from; an ID beyond them is still confirmed on its own.
const MAX_ORGS_LISTED: u64 = 10_000;

/// An organization's name as the server gave it, safe to show.
fn shown_name(name: Option<&str>, id: &str) -> String {
    let name = jc_api::sanitize::for_display(name.unwrap_or_default());
    match name.trim() {
        "" => id.to_owned(),
        name => name.to_owned(),
    }
}

pub(super) struct Selection {
    pub available: Vec<OrgRef>,
    pub chosen: Option<OrgRef>,
}

pub(super) async fn select(
    client: &Client,
    region: Option<Region>,
    given: Option<&OrgId>,
) -> (Outcome, Option<Selection>) {
    let listing = match client.list_up_to(ListOrganizations, MAX_ORGS_LISTED).await {
        Ok(listing) => listing,
        Err(error) => {
            let outcome = Outcome::from_error(
                CheckState::Fail,
                &error,
                "the organization list",
                region,
                client,
                "/api/organizations",
            );
            return (outcome, None);
        }
    };
    let available: Vec<OrgRef> = listing
        .items
        .iter()
        .map(|o| OrgRef {
            id: jc_api::sanitize::for_display(o.id()),
            name: shown_name(o.display_name.as_deref(), o.id()),
        })
        .collect();
    let listed = |id: &str| available.iter().find(|o| o.id == id).cloned();

    let (outcome, chosen) = match (given, available.as_slice()) {
        (Some(id), _) => match listed(id.as_str()) {
            Some(org) => (Outcome::pass(format!("Using organization \"{}\" ({}).", org.name, org.id)), Some(org)),
            None => return confirm_unlisted(client, id, available).await,
        },
        (None, [only]) => (
            Outcome::pass(format!("Using organization \"{}\" ({}), the only one this key reaches.", only.name, only.id)),
            Some(only.clone()),
        ),
        (None, []) => (
            Outcome::fail(
                "JumpCloud accepted the key but lists no organization for it.",
                "Sign in to the JumpCloud console as this administrator and check that it belongs to an organization; \
                 then try again.",
            ),
            None,
        ),
        (None, several) => (
            Outcome::fail(
                format!(
                    "This key belongs to a multi-tenant administrator who can reach {} organizations ({}). Choose which \
                     one to connect.",
                    several.len(),
                    names(several)
                ),
                "Pick the organization from the list (on the command line: --org-id ID). Each organization's ID is \
                 in its console under Settings, Organization Profile.",
            ),
            None,
        ),
    };
    (outcome, Some(Selection { available, chosen }))
}

/// An id not in the first list pages may still be reachable (an MSP with many orgs): ask for it.
async fn confirm_unlisted(
    client: &Client,
    id: &OrgId,
    available: Vec<OrgRef>,
) -> (Outcome, Option<Selection>) {
    match client.fetch(&GetOrganization(id.to_string())).await {
        Ok(org) => {
            let chosen = OrgRef {
                id: id.to_string(),
                name: shown_name(org.display_name.as_deref(), id.as_str()),
            };
            let outcome = Outcome::pass(format!(
                "Using organization \"{}\" ({}).",
                chosen.name, chosen.id
            ));
            (
                outcome,
                Some(Selection {
                    available,
                    chosen: Some(chosen),
                }),
            )
        }
        Err(error) => {
            let fix = if available.is_empty() {
                "Check the organization ID (Settings, Organization Profile), or leave it empty."
                    .to_owned()
            } else {
                format!(
                    "Check the organization ID, or leave it empty and choose one of the organizations this key reaches: {}.",
                    names(&available)
                )
            };
            let outcome = Outcome::fail(format!("This key cannot reach organization {id}."), fix)
                .with_evidence(Evidence::failed(
                    &error,
                    &client.base().host(),
                    &format!("/api/organizations/{id}"),
                ));
            (
                outcome,
                Some(Selection {
                    available,
                    chosen: None,
                }),
            )
        }
    }
}

fn names(orgs: &[OrgRef]) -> String {
    const SHOWN: usize = 5;
    let mut listed: Vec<String> = orgs
        .iter()
        .take(SHOWN)
        .map(|o| format!("\"{}\"", o.name))
        .collect();
    if orgs.len() > SHOWN {
        listed.push(format!("and {} more", orgs.len() - SHOWN));
    }
    listed.join(", ")
}
