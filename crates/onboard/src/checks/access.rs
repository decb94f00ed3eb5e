//! access.*: one `limit=1` read per data category proves the key may read it (REFERENCE §9).

use jc_api::endpoints::*;
use jc_api::{Client, Error, ListEndpoint, Page, Region};

use super::Outcome;
use crate::report::{CheckState, Evidence};

pub use jc_api::calls::Category;

/// Whether a probe's total counts the whole category (not one group's members).
fn counts_everything(category: Category) -> bool {
    !matches!(category, Category::GroupMembers | Category::AppAccess)
}

/// Ids found by earlier probes, that later ones read beneath.
#[derive(Debug, Default)]
pub(super) struct Found {
    first_group: Option<String>,
    first_app: Option<String>,
}

/// What one probe saw: how many there are, and the evidence.
struct Seen {
    total: Option<u64>,
    count: usize,
    first_id: Option<String>,
    evidence: Evidence,
}

async fn read<E: ListEndpoint>(
    client: &Client,
    endpoint: E,
    id: impl Fn(&E::Item) -> String,
) -> Result<Seen, Error> {
    let page: Page<E::Item> = client.page(&endpoint, 0, 1).await?;
    Ok(Seen {
        total: page.total,
        count: page.items.len(),
        first_id: page.items.first().map(id),
        evidence: Evidence::ok(&page.detail),
    })
}

pub(super) async fn probe(
    client: &Client,
    region: Option<Region>,
    category: Category,
    found: &mut Found,
) -> (Outcome, Option<()>) {
    let route = category.key();
    let result = match category {
        // Read by key.accepted and role.least_privilege, never probed here.
        Category::Organizations | Category::Role => {
            return (Outcome::pass("Read by the checks above."), None)
        }
        Category::Users => read(client, ListSystemUsers, |u| u.id().to_owned()).await,
        Category::UserGroups => {
            let seen = read(client, ListUserGroups, |g| g.id().to_owned()).await;
            if let Ok(s) = &seen {
                found.first_group = s.first_id.clone();
            }
            seen
        }
        Category::GroupMembers => match &found.first_group {
            Some(group) => {
                read(client, ListUserGroupMembership(group.clone()), |m| {
                    m.id.clone().unwrap_or_default()
                })
                .await
            }
            None => {
                return (
                    Outcome::pass(
                        "There are no user groups yet, so there are no memberships to read.",
                    ),
                    None,
                )
            }
        },
        Category::Admins => read(client, ListAdmins, |a| a.id().to_owned()).await,
        Category::Applications => {
            let seen = read(client, ListApplications, |a| a.id().to_owned()).await;
            if let Ok(s) = &seen {
                found.first_app = s.first_id.clone();
            }
            seen
        }
        Category::AppAccess => match &found.first_app {
            Some(app) => return app_access(client, region, app).await,
            None => {
                return (
                    Outcome::pass(
                        "There are no SSO applications yet, so there is no access to read.",
                    ),
                    None,
                )
            }
        },
        Category::Devices => read(client, ListSystems, |s| s.id().to_owned()).await,
        Category::DeviceGroups => read(client, ListSystemGroups, |g| g.id().to_owned()).await,
        Category::Policies => {
            read(client, ListPolicies, |p| p.id.clone().unwrap_or_default()).await
        }
        Category::PolicyResults => {
            read(client, ListPolicyResults, |r| {
                r.id.clone().unwrap_or_default()
            })
            .await
        }
        Category::LdapServers => {
            read(client, ListLdapServers, |s| {
                s.id.clone().unwrap_or_default()
            })
            .await
        }
        Category::RadiusServers => read(client, ListRadiusServers, |s| s.id().to_owned()).await,
    };
    let outcome = match result {
        Ok(seen) => {
            let count = match (seen.total, seen.count) {
                _ if !counts_everything(category) => String::new(),
                (Some(total), _) => format!(" ({total} in the organization)"),
                (None, 0) => " (none yet)".to_owned(),
                (None, _) => String::new(),
            };
            Outcome::pass(format!("Can read {}{count}.", category.noun()))
                .with_evidence(seen.evidence)
        }
        // The admin list is undocumented: its absence costs one category, not the connection.
        Err(error @ (Error::NotFound { .. } | Error::Forbidden { .. }))
            if category == Category::Admins =>
        {
            let mut outcome = Outcome::from_error(
                CheckState::Warn,
                &error,
                category.noun(),
                region,
                client,
                route,
            );
            outcome.message = format!(
                "JumpCloud did not let this key list administrators, so administrators and their roles will not be \
                 collected. {}",
                outcome.message
            );
            outcome
        }
        Err(error) if super::is_transient(&error) => {
            Outcome::not_checked_now(&error, category.noun(), region, client, route)
        }
        Err(error) => Outcome::from_error(
            CheckState::Fail,
            &error,
            category.noun(),
            region,
            client,
            route,
        ),
    };
    (outcome, None)
}

/// Direct bindings first; read-only keys are refused on some association routes (support PR
/// #382), and then the traversal route tells the same story.
async fn app_access(client: &Client, region: Option<Region>, app: &str) -> (Outcome, Option<()>) {
    let associations = ListAppAssociations {
        app_id: app.to_owned(),
        target: Target::UserGroup,
    };
    let noun = Category::AppAccess.noun();
    match read(client, associations, |c| {
        c.to.as_ref().and_then(|t| t.id.clone()).unwrap_or_default()
    })
    .await
    {
        Ok(seen) => (
            Outcome::pass(format!("Can read {noun}.")).with_evidence(seen.evidence),
            None,
        ),
        Err(refused @ Error::Forbidden { .. }) => {
            let refusal = Evidence::failed(&refused, &client.base().host(), "associations");
            match read(client, ListAppUserGroups(app.to_owned()), |g| g.id.clone().unwrap_or_default()).await {
                Ok(seen) => (
                    Outcome::pass(format!(
                        "Can read {noun}. JumpCloud keeps the direct association list from read-only keys, so group \
                         access is read through each application's group list instead, which gives the same answer."
                    ))
                    .with_evidence(refusal)
                    .with_evidence(seen.evidence),
                    None,
                ),
                Err(error) if super::is_transient(&error) => (
                    Outcome::not_checked_now(&error, noun, region, client, "usergroups").with_evidence(refusal),
                    None,
                ),
                Err(error) => (
                    Outcome::from_error(CheckState::Fail, &error, noun, region, client, "usergroups").with_evidence(refusal),
                    None,
                ),
            }
        }
        Err(error) if super::is_transient(&error) => (
            Outcome::not_checked_now(&error, noun, region, client, "associations"),
            None,
        ),
        Err(error) => (
            Outcome::from_error(
                CheckState::Fail,
                &error,
                noun,
                region,
                client,
                "associations",
            ),
            None,
        ),
    }
}
