//! access.*: one `limit=1` read per data category proves the key may read it (REFERENCE §9).

use jc_api::endpoints::*;
use jc_api::{Client, Error, ListEndpoint, Page, Region};

use super::Outcome;
use crate::report::{CheckState, Evidence};

/// The data categories an integration collects, in the order they are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Users,
    UserGroups,
    GroupMembers,
    Admins,
    Applications,
    AppAccess,
    Devices,
    DeviceGroups,
    Policies,
    PolicyResults,
    LdapServers,
    RadiusServers,
}

impl Category {
    pub const ALL: [Category; 12] = [
        Category::Users,
        Category::UserGroups,
        Category::GroupMembers,
        Category::Admins,
        Category::Applications,
        Category::AppAccess,
        Category::Devices,
        Category::DeviceGroups,
        Category::Policies,
        Category::PolicyResults,
        Category::LdapServers,
        Category::RadiusServers,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Category::Users => "users",
            Category::UserGroups => "user_groups",
            Category::GroupMembers => "group_members",
            Category::Admins => "admins",
            Category::Applications => "applications",
            Category::AppAccess => "app_access",
            Category::Devices => "devices",
            Category::DeviceGroups => "device_groups",
            Category::Policies => "policies",
            Category::PolicyResults => "policy_results",
            Category::LdapServers => "ldap_servers",
            Category::RadiusServers => "radius_servers",
        }
    }

    pub fn check_id(self) -> String {
        format!("access.{}", self.key())
    }

    /// What it is, in the words of a sentence: "users", "SSO applications".
    pub fn noun(self) -> &'static str {
        match self {
            Category::Users => "users",
            Category::UserGroups => "user groups",
            Category::GroupMembers => "group memberships",
            Category::Admins => "administrators and their roles",
            Category::Applications => "SSO applications",
            Category::AppAccess => "which groups can use each application",
            Category::Devices => "devices",
            Category::DeviceGroups => "device groups",
            Category::Policies => "device policies",
            Category::PolicyResults => "policy results",
            Category::LdapServers => "LDAP servers",
            Category::RadiusServers => "RADIUS servers",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Category::Users => "Users can be read",
            Category::UserGroups => "User groups can be read",
            Category::GroupMembers => "Group members can be read",
            Category::Admins => "Administrators can be read",
            Category::Applications => "SSO applications can be read",
            Category::AppAccess => "Application access can be read",
            Category::Devices => "Devices can be read",
            Category::DeviceGroups => "Device groups can be read",
            Category::Policies => "Device policies can be read",
            Category::PolicyResults => "Policy results can be read",
            Category::LdapServers => "LDAP servers can be read",
            Category::RadiusServers => "RADIUS servers can be read",
        }
    }

    /// The category's name on its own, for tables: "Users", "SSO applications".
    pub fn label(self) -> &'static str {
        self.title().trim_end_matches(" can be read")
    }

    /// Whether a probe's total counts the whole category (not one group's members).
    fn counts_everything(self) -> bool {
        !matches!(self, Category::GroupMembers | Category::AppAccess)
    }

    /// Without users there is nothing to onboard; every other category can be missing.
    pub fn mandatory(self) -> bool {
        self == Category::Users
    }
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
                _ if !category.counts_everything() => String::new(),
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
